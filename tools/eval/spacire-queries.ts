// A labelled query set for the spacire catalog (../shared/data/catalogs/spacire, a real UK sleep-goods
// shop: 507 products whose product types are fine-grained and inconsistent — "Sleep spray", "Sleeping
// Spray", "Sleep Aid Machine", "Noise Sleep Machine"…). Queries a shopper of that shop would type;
// judgements are computed from the catalog with the stated criteria: gain 2 when the product is of the
// kind asked for and meets every attribute and price, gain 1 when it is of the kind but misses one, or
// of a kind that partly answers, else 0. The catalog is read at run time and never copied here.
// Written by hand for Aisle, without looking at any system's results.
import { existsSync } from "node:fs";
import path from "node:path";
import type { Product } from "../../app/lib/catalog/product";
import { catalogFileProducts } from "./demo-catalog-products";
import { judgedQuerySet, type JudgedQueryEntry, type Judgements } from "./metrics";

export const SPACIRE_CATALOG = path.resolve("../shared/data/catalogs/spacire/products_merged.json");

export function spacireAvailable(): boolean {
  return existsSync(SPACIRE_CATALOG);
}

export function spacireProducts(): Product[] {
  return catalogFileProducts(SPACIRE_CATALOG).products;
}

export type SpacireQueryKind = "code" | "title" | "kind" | "attribute" | "price" | "vague";

export interface Criteria {
  /** The one right product (titles, codes). */
  handle?: string;
  /** What the product is: tested on its title and product type. */
  kind?: RegExp;
  /** Attributes it must also have (colour, material, use): each tested on title and option values. */
  with?: RegExp[];
  /** Kinds that partly answer (gain 1): tested on title and product type. */
  partial?: RegExp;
  maxPrice?: number;
  minPrice?: number;
}

export type SpacireQuery = JudgedQueryEntry<SpacireQueryKind, Criteria>;

const BLANKET = /blanket|throw/i;
const EYE_MASK = /eye mask|sleep mask|sleep goggles|blackout goggles/i;
const WHITE_NOISE = /white noise|sound machine|noise machine/i;
const CURTAIN = /curtain|drape/i;
const PILLOWCASE = /pillowcase|pillow cover/i;

export const SPACIRE_QUERIES: SpacireQuery[] = [
  // Codes and titles: the one product named.
  {
    kind: "code",
    query: (p) => p.variants[0].sku!,
    criteria: { handle: "rythmozx-vibration-alarm-clock-white-noise-fm-dual-dual-alarm-for-bedroom-and-office" },
  },
  {
    kind: "code",
    query: (p) => `is ${p.variants[0].sku} in stock`,
    criteria: { handle: "silkenaura-heavy-25-momme-silk-pillowcase" },
  },
  { kind: "title", query: "BlissLoom weighted blanket", criteria: { handle: "products-blissloom-weighted-blanket" } },
  {
    kind: "title",
    query: "three sheep hypnosis sleep meter",
    criteria: { handle: "three-sheep-hypnosis-sleep-meter-portable-sleep-aid-device-for-relaxation-and-deep-rest" },
  },
  {
    kind: "title",
    query: "SilkenAura 25 momme silk pillowcase",
    criteria: { handle: "silkenaura-heavy-25-momme-silk-pillowcase" },
  },
  {
    kind: "title",
    query: "Stelarx starry sky projection lamp",
    criteria: {
      handle:
        "stelarx-starry-sky-projection-lamp-wireless-sound-white-noise-light-with-remote-for-home-decor-and-bedroom",
    },
  },
  {
    kind: "title",
    query: "Ecolifelatex latex neck pillow",
    criteria: { handle: "ecolifelatex-thailand-natural-latex-neck-pillow" },
  },
  {
    kind: "title",
    query: "vevor heated eye massager",
    criteria: { handle: "vevor-heated-eye-massager-bluetooth-music-5-modes-for-eye-strain-relief-and-better-sleep" },
  },

  // Product kinds.
  {
    kind: "kind",
    query: "weighted blanket",
    criteria: { kind: /weighted|gravity/i, with: [BLANKET], partial: BLANKET },
  },
  { kind: "kind", query: "eye mask", criteria: { kind: EYE_MASK } },
  { kind: "kind", query: "white noise machine", criteria: { kind: WHITE_NOISE } },
  { kind: "kind", query: "blackout curtains", criteria: { kind: CURTAIN, with: [/blackout/i], partial: CURTAIN } },
  { kind: "kind", query: "memory foam pillow", criteria: { kind: /memory/i, with: [/pillow/i], partial: /pillow/i } },
  { kind: "kind", query: "sleep spray", criteria: { kind: /spray/i, with: [/sleep/i], partial: /spray|mist/i } },
  { kind: "kind", query: "alarm clock", criteria: { kind: /alarm clock/i } },
  {
    kind: "kind",
    query: "pregnancy pillow",
    criteria: { kind: /pregnan|maternity/i, partial: /feeding pillow|nursing/i },
  },
  {
    kind: "kind",
    query: "travel neck pillow",
    criteria: { kind: /neck pillow|travel pillow|u-shaped? (neck )?pillow/i, partial: /pillow/i },
  },
  { kind: "kind", query: "aroma diffuser", criteria: { kind: /diffuser/i, partial: /humidifier/i } },
  { kind: "kind", query: "sleep patches", criteria: { kind: /patch/i } },
  { kind: "kind", query: "night light", criteria: { kind: /night light|night lamp/i, partial: /lamp|light/i } },

  // Kind and an attribute (material, colour, feature, who it is for).
  { kind: "attribute", query: "bluetooth eye mask", criteria: { kind: EYE_MASK, with: [/bluetooth/i] } },
  {
    kind: "attribute",
    query: "grey blackout curtains",
    criteria: { kind: CURTAIN, with: [/blackout/i, /gr[ae]y/i], partial: CURTAIN },
  },
  { kind: "attribute", query: "lavender sleep spray", criteria: { kind: /spray/i, with: [/lavender/i] } },
  { kind: "attribute", query: "wool blanket", criteria: { kind: BLANKET, with: [/wool|cashmere|angora/i] } },
  { kind: "attribute", query: "cooling summer blanket", criteria: { kind: BLANKET, with: [/cool|summer|ice silk/i] } },
  {
    kind: "attribute",
    query: "baby white noise machine",
    criteria: { kind: WHITE_NOISE, with: [/baby|infant|newborn|child/i] },
  },
  { kind: "attribute", query: "flannel fleece blanket", criteria: { kind: BLANKET, with: [/flannel|fleece/i] } },
  { kind: "attribute", query: "linen curtains", criteria: { kind: CURTAIN, with: [/linen/i], partial: CURTAIN } },
  {
    kind: "attribute",
    query: "kids curtains for the bedroom",
    criteria: { kind: CURTAIN, with: [/kid|child|cartoon/i], partial: CURTAIN },
  },
  { kind: "attribute", query: "silk pillowcase", criteria: { kind: PILLOWCASE, with: [/silk|satin/i] } },

  // Prices (GBP).
  { kind: "price", query: "eye mask under £30", criteria: { kind: EYE_MASK, maxPrice: 30 } },
  { kind: "price", query: "white noise machine under £50", criteria: { kind: WHITE_NOISE, maxPrice: 50 } },
  { kind: "price", query: "blanket under £40", criteria: { kind: BLANKET, maxPrice: 40 } },
  { kind: "price", query: "pillowcase under £20", criteria: { kind: PILLOWCASE, maxPrice: 20 } },
  {
    kind: "price",
    query: "weighted blanket under £100",
    criteria: { kind: /weighted|gravity/i, with: [BLANKET], maxPrice: 100 },
  },
  { kind: "price", query: "alarm clock under 50", criteria: { kind: /alarm clock/i, maxPrice: 50 } },

  // Vague intent: no kind named, or a need rather than a product.
  {
    kind: "vague",
    query: "something to help me fall asleep on a plane",
    criteria: {
      kind: /eye mask|sleep mask|travel pillow|neck pillow|u-shaped/i,
      partial: /patch|spray|sound machine/i,
    },
  },
  {
    kind: "vague",
    query: "drown out noise so I can sleep",
    criteria: { kind: /white noise|sound machine|noise machine|headphones/i },
  },
  {
    kind: "vague",
    query: "keep the bedroom dark in the morning",
    criteria: { kind: CURTAIN, with: [/blackout|shad|light blocking/i], partial: /curtain|blind|eye mask/i },
  },
  {
    kind: "vague",
    query: "help my baby sleep through the night",
    criteria: {
      kind: /baby|infant|newborn/i,
      with: [/white noise|sleep|lullab|soothing/i],
      partial: /baby|infant|newborn/i,
    },
  },
  {
    kind: "vague",
    query: "relieve neck pain while sleeping",
    criteria: { kind: /neck|cervical/i, with: [/pillow/i], partial: /pillow/i },
  },
  {
    kind: "vague",
    query: "stay warm on the sofa in winter",
    criteria: { kind: BLANKET, with: [/thick|winter|warm|sofa/i], partial: BLANKET },
  },
  {
    kind: "vague",
    query: "calm my anxiety at bedtime",
    criteria: { kind: /weighted|gravity|anxiety/i, partial: /spray|patch|white noise/i },
  },
  {
    kind: "vague",
    query: "tired eyes after a long day at the screen",
    criteria: { kind: /eye massager|steam/i, partial: EYE_MASK },
  },
  { kind: "vague", query: "stop snoring", criteria: { kind: /snor/i } },
];

function optionText(product: Product): string {
  return product.variants.flatMap((v) => v.selectedOptions.map((o) => o.value)).join(" ");
}

export function judgeSpacire(product: Product, c: Criteria): number {
  if (c.handle) return product.handle === c.handle ? 2 : 0;
  const what = `${product.title} ${product.productType}`;
  const described = `${product.title} ${optionText(product)}`;
  const prices = product.variants.map((v) => Number(v.price));
  const kindOk = c.kind ? c.kind.test(what) && (c.with ?? []).every((re) => re.test(described)) : false;
  const priceOk =
    (c.maxPrice === undefined || Math.min(...prices) <= c.maxPrice) &&
    (c.minPrice === undefined || Math.max(...prices) >= c.minPrice);
  if (kindOk && priceOk) return 2;
  if (kindOk) return 1;
  if (c.kind?.test(what) || c.partial?.test(what)) return 1;
  return 0;
}

export function spacireQuerySet(
  catalog: Product[],
): { query: string; kind: SpacireQueryKind; judgements: Judgements }[] {
  return judgedQuerySet("spacire", SPACIRE_QUERIES, catalog, judgeSpacire);
}
