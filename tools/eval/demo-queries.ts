// The labelled query set for the demo catalog (tools/emulator/catalog, "Trailhead Supply Co.").
// Each query states what a right answer is; judgements are computed from the catalog with these
// criteria: gain 2 when every criterion holds, gain 1 when the product is of the right kind but
// misses a constraint (price, option, stock, brand) or is of a "partial" kind, else 0.
// Written by hand for Aisle, without looking at any system's results.
import type { Product } from "../../app/lib/catalog/product";
import { judgedQuerySet, type JudgedQueryEntry, type Judgements } from "./metrics";

export type QueryKind = "sku" | "barcode" | "title" | "brand" | "price" | "option" | "stock" | "type" | "vague";

interface Criteria {
  /** The one right product (codes, titles). */
  handle?: string;
  types?: string[];
  /** Kinds that partly answer (gain 1). */
  partialTypes?: string[];
  title?: RegExp;
  vendor?: string;
  maxPrice?: number;
  minPrice?: number;
  option?: [name: string, value: string];
  inStock?: boolean;
}

export type DemoQuery = JudgedQueryEntry<QueryKind, Criteria>;

const sku = (handle: string, variant = 0): DemoQuery => ({
  kind: "sku",
  query: (p) => p.variants[variant].sku!,
  criteria: { handle },
});

export const DEMO_QUERIES: DemoQuery[] = [
  // Exact codes: SKUs (alone and in a sentence), barcodes, titles.
  sku("alder-trekking-pack"),
  sku("dune-packable-rain-jacket", 2),
  sku("gale-daypack"),
  sku("kelp-waterproof-anorak", 1),
  sku("ochre-waterproof-hiker"),
  sku("tarn-synthetic-puffer", 3),
  {
    kind: "sku",
    query: (p) => `do you have ${p.variants[0].sku} in stock?`,
    criteria: { handle: "yarrow-sleeping-bag" },
  },
  {
    kind: "sku",
    query: (p) => `price of ${p.variants[0].sku!.toLowerCase()}`,
    criteria: { handle: "esker-backpacking-boot" },
  },
  { kind: "barcode", query: (p) => p.variants[0].barcode!, criteria: { handle: "gale-daypack" } },
  { kind: "barcode", query: (p) => p.variants[0].barcode!, criteria: { handle: "yarrow-sleeping-bag" } },
  { kind: "barcode", query: (p) => p.variants.at(-1)!.barcode!, criteria: { handle: "alder-trekking-pack" } },
  { kind: "title", query: "Kelp Waterproof Anorak", criteria: { handle: "kelp-waterproof-anorak" } },
  { kind: "title", query: "tarn synthetic puffer", criteria: { handle: "tarn-synthetic-puffer" } },
  { kind: "title", query: "esker boot", criteria: { handle: "esker-backpacking-boot" } },
  { kind: "title", query: "yarrow sleeping bag", criteria: { handle: "yarrow-sleeping-bag" } },

  // Brands, alone and with a kind of product.
  { kind: "brand", query: "northpeak", criteria: { vendor: "Northpeak" } },
  { kind: "brand", query: "Fjordline gear", criteria: { vendor: "Fjordline" } },
  { kind: "brand", query: "tidewater", criteria: { vendor: "Tidewater Gear" } },
  { kind: "brand", query: "northpeak rain jacket", criteria: { vendor: "Northpeak", types: ["Rain Jackets"] } },
  { kind: "brand", query: "granite bay tent", criteria: { vendor: "Granite Bay", types: ["Tents"] } },
  { kind: "brand", query: "summit loom hiking boots", criteria: { vendor: "Summit Loom", types: ["Hiking Boots"] } },
  { kind: "brand", query: "cairn & co sleeping bag", criteria: { vendor: "Cairn & Co", types: ["Sleeping Bags"] } },
  { kind: "brand", query: "ridgeway supply backpack", criteria: { vendor: "Ridgeway Supply", types: ["Backpacks"] } },

  // Prices.
  { kind: "price", query: "rain jacket under $150", criteria: { types: ["Rain Jackets"], maxPrice: 150 } },
  { kind: "price", query: "tents under 300", criteria: { types: ["Tents"], maxPrice: 300 } },
  {
    kind: "price",
    query: "cheap headlamp",
    criteria: { types: ["Headlamps & Lights"], title: /headlamp/i, maxPrice: 50 },
  },
  {
    kind: "price",
    query: "sleeping bag between 100 and 200",
    criteria: { types: ["Sleeping Bags"], minPrice: 100, maxPrice: 200 },
  },
  { kind: "price", query: "hiking boots under $150", criteria: { types: ["Hiking Boots"], maxPrice: 150 } },
  { kind: "price", query: "daypack under $100", criteria: { types: ["Backpacks"], maxPrice: 100 } },
  {
    kind: "price",
    query: "camp stove below $60",
    criteria: { types: ["Camp Kitchen"], title: /stove/i, maxPrice: 60 },
  },
  { kind: "price", query: "insulated jacket over $300", criteria: { types: ["Insulated Jackets"], minPrice: 300 } },
  {
    kind: "price",
    query: "trail running shoes under 120",
    criteria: { types: ["Trail Running Shoes"], maxPrice: 120 },
  },
  {
    kind: "price",
    query: "gift under $30",
    criteria: { types: ["Accessories", "Camp Kitchen", "Headlamps & Lights"], maxPrice: 30 },
  },

  // Option values (colours, sizes, capacities, widths).
  {
    kind: "option",
    query: "glacier blue rain jacket",
    criteria: { types: ["Rain Jackets"], option: ["Color", "Glacier Blue"] },
  },
  { kind: "option", query: "navy backpack", criteria: { types: ["Backpacks"], option: ["Color", "Navy"] } },
  { kind: "option", query: "wide hiking boots", criteria: { types: ["Hiking Boots"], option: ["Width", "Wide"] } },
  { kind: "option", query: "3 person tent", criteria: { types: ["Tents"], option: ["Capacity", "3 person"] } },
  { kind: "option", query: "long sleeping bag", criteria: { types: ["Sleeping Bags"], option: ["Length", "Long"] } },
  {
    kind: "option",
    query: "moss green down jacket",
    criteria: { types: ["Insulated Jackets"], option: ["Color", "Moss"] },
  },

  // Stock.
  { kind: "stock", query: "headlamp in stock", criteria: { types: ["Headlamps & Lights"], inStock: true } },
  { kind: "stock", query: "tents available now", criteria: { types: ["Tents"], inStock: true } },

  // Product kinds.
  { kind: "type", query: "rain jacket", criteria: { types: ["Rain Jackets"] } },
  { kind: "type", query: "down jacket", criteria: { types: ["Insulated Jackets"], title: /down/i } },
  { kind: "type", query: "trail running shoes", criteria: { types: ["Trail Running Shoes"] } },
  { kind: "type", query: "backpacking tent", criteria: { types: ["Tents"], title: /backpacking|ultralight/i } },
  { kind: "type", query: "sleeping bags", criteria: { types: ["Sleeping Bags"] } },
  { kind: "type", query: "headlamps", criteria: { types: ["Headlamps & Lights"], title: /headlamp/i } },
  { kind: "type", query: "trekking poles", criteria: { types: ["Accessories"], title: /trekking poles/i } },
  { kind: "type", query: "beanie", criteria: { types: ["Accessories"], title: /beanie/i } },
  { kind: "type", query: "cook set", criteria: { types: ["Camp Kitchen"], title: /cook set/i } },
  { kind: "type", query: "hiking socks", criteria: { types: ["Accessories"], title: /socks/i } },

  // Vague intent.
  {
    kind: "vague",
    query: "something to keep me dry on a rainy commute",
    criteria: { types: ["Rain Jackets"] },
  },
  {
    kind: "vague",
    query: "stay warm during cold belays",
    criteria: { types: ["Insulated Jackets"], partialTypes: ["Accessories"] },
  },
  {
    kind: "vague",
    query: "shoes for muddy mountain trails",
    criteria: { types: ["Trail Running Shoes"], partialTypes: ["Hiking Boots"] },
  },
  { kind: "vague", query: "a bag for a weekend trip", criteria: { types: ["Backpacks"] } },
  { kind: "vague", query: "shelter for a family camping trip", criteria: { types: ["Tents"], title: /family|dome/i } },
  {
    kind: "vague",
    query: "keep my coffee hot on the trail",
    criteria: { types: ["Camp Kitchen"], title: /bottle|mug|coffee/i },
  },
  {
    kind: "vague",
    query: "light to read in the tent at night",
    criteria: { types: ["Headlamps & Lights"] },
  },
  {
    kind: "vague",
    query: "protect my face from the sun",
    criteria: { types: ["Accessories"], title: /sun hat|gaiter/i },
  },
  {
    kind: "vague",
    query: "gear for cooking outdoors",
    criteria: { types: ["Camp Kitchen"], title: /stove|cook|spork/i },
  },
  {
    kind: "vague",
    query: "keep my feet dry on long hikes",
    criteria: { types: ["Hiking Boots"], title: /waterproof/i, partialTypes: ["Accessories"] },
  },
  { kind: "vague", query: "sleep warm when camping in winter", criteria: { types: ["Sleeping Bags"] } },
  {
    kind: "vague",
    query: "something to help my knees on steep descents",
    criteria: { types: ["Accessories"], title: /trekking poles/i },
  },
  { kind: "vague", query: "keep my hands warm", criteria: { types: ["Accessories"], title: /gloves/i } },
];

function constraintsHold(product: Product, c: Criteria): boolean {
  const prices = product.variants.map((v) => Number(v.price));
  if (c.vendor && product.vendor !== c.vendor) return false;
  if (c.maxPrice !== undefined && Math.min(...prices) > c.maxPrice) return false;
  if (c.minPrice !== undefined && Math.max(...prices) < c.minPrice) return false;
  if (c.option) {
    const [name, value] = c.option;
    if (!product.variants.some((v) => v.selectedOptions.some((o) => o.name === name && o.value === value)))
      return false;
  }
  if (c.inStock && !product.variants.some((v) => v.availableForSale)) return false;
  return true;
}

export function judge(product: Product, c: Criteria): number {
  if (c.handle) return product.handle === c.handle ? 2 : 0;
  const kindGiven = Boolean(c.types || c.title);
  const kindOk = (!c.types || c.types.includes(product.productType)) && (!c.title || c.title.test(product.title));
  if (kindOk && constraintsHold(product, c)) return 2;
  if (kindGiven && kindOk) return 1;
  if (c.partialTypes?.includes(product.productType)) return 1;
  if (kindGiven && c.types?.includes(product.productType)) return 1;
  return 0;
}

export function demoQuerySet(catalog: Product[]): { query: string; kind: QueryKind; judgements: Judgements }[] {
  return judgedQuerySet("demo", DEMO_QUERIES, catalog, judge);
}
