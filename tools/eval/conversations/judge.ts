// Judges one conversation turn's answer against its stated predicates. Pure, and deliberately not
// built on the search code it judges (its own word folding), so a bug there cannot pass here.
import type { BackfillFilter } from "../../../app/lib/search/query-parser";
import type { Expectation } from "./conversation-file";

/** What the judge reads of a shown product (a subset of the answer engine's product card). */
export interface ShownProduct {
  id: string;
  title: string;
  productType: string;
  vendor: string;
  available: boolean;
  minPrice: number;
  variants: { available: boolean; options: Record<string, string> }[];
  /** Shown as a close match that misses this part of the request (the card says so). */
  misses?: BackfillFilter;
}

export interface TurnOutcome {
  /** The products the answer showed, in order. */
  items: ShownProduct[];
  /** The final answer text. */
  text: string;
}

export interface Verdict {
  pass: boolean;
  /** Why it failed, one line per broken predicate. */
  failures: string[];
}

/**
 * A dimension as its numbers and trailing unit, however a catalog writes it: "150cm × 200cm",
 * "150X200CM" and "150*200cm" are all "150x200cm"; anything else is null.
 */
export function measureOf(text: string): string | null {
  const lower = text.toLowerCase();
  if (!/\d\s*[a-z]*\s*[x×*]\s*\d/.test(lower)) return null;
  const numbers = lower.match(/\d+(?:\.\d+)?/g) ?? [];
  return `${numbers.join("x")}${/([a-z]+)\s*$/.exec(lower)?.[1] ?? ""}`;
}

/** Whether a variant's option value is the expected one: the same words, or the same dimension. */
export function sameOptionValue(held: string, expected: string): boolean {
  const measure = measureOf(expected);
  return foldWords(held) === foldWords(expected) || (measure !== null && measureOf(held) === measure);
}

/** Lower case, letters and digits only, each word without a plural ending: "Sleeping Bags" → "sleeping bag". */
export function foldWords(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean)
    .map((word) =>
      word.length > 4 && word.endsWith("ies")
        ? `${word.slice(0, -3)}y`
        : word.length > 4 && /(ch|sh|ss|x)es$/.test(word)
          ? word.slice(0, -2)
          : word.length > 3 && word.endsWith("s") && !word.endsWith("ss")
            ? word.slice(0, -1)
            : word,
    )
    .join(" ");
}

/** Whether a product is of one of these kinds: a kind's words appear, in order and whole, in its type or title. */
export function isKind(product: Pick<ShownProduct, "title" | "productType">, kinds: string[]): boolean {
  const haystacks = [product.productType, product.title].map((text) => ` ${foldWords(text)} `);
  return kinds.some((kind) => {
    const needle = ` ${foldWords(kind)} `;
    return needle.trim() !== "" && haystacks.some((hay) => hay.includes(needle));
  });
}

// English ways of saying "we don't have that" (the widget's other locales are not judged yet).
const SAYS_NONE =
  /\b(?:(?:do|does|did)\s*(?:not|n['’]t)\s+(?:seem\s+to\s+)?(?:carry|sell|stock|have|offer)|(?:could|can)\s*(?:not|n['’]t)\s+find|cannot\s+find|not\s+(?:carry|sell|stock|offer)|no\s+(?:matching\s+)?(?:products?|results?|matches)|nothing\s+(?:matching|like|that\s+matches|found))/i;

export function saysNone(text: string): boolean {
  return SAYS_NONE.test(text);
}

const money = (n: number) => n.toFixed(2);
const label = (p: ShownProduct) =>
  `"${p.title}" (${p.productType || "no type"}, ${p.vendor || "no vendor"}, ${money(p.minPrice)})`;

/** A catalog product as the judge reads a shown one. */
export function asShown(product: {
  id: string;
  title: string;
  productType: string;
  vendor: string;
  variants: { price: string; availableForSale: boolean; selectedOptions: { name: string; value: string }[] }[];
}): ShownProduct {
  return {
    id: product.id,
    title: product.title,
    productType: product.productType,
    vendor: product.vendor,
    available: product.variants.some((v) => v.availableForSale),
    minPrice: Math.min(...product.variants.map((v) => Number(v.price))),
    variants: product.variants.map((v) => ({
      available: v.availableForSale,
      options: Object.fromEntries(v.selectedOptions.map((o) => [o.name, o.value])),
    })),
  };
}

/**
 * Why a turn could never pass on this catalog (no product meets its fixed predicates together, or
 * a `none` kind is carried after all); null when it can. Keeps a conversation set honest.
 */
export function unsatisfiable(expect: Expectation, catalog: ShownProduct[]): string | null {
  if (expect.none) {
    const carried = catalog.filter((p) => isKind(p, expect.none!));
    return carried.length ? `"none" of ${expect.none.join(" / ")}, but the catalog has ${label(carried[0])}` : null;
  }
  const fixed: Expectation = {
    kind: expect.kind,
    notKind: expect.notKind,
    maxPrice: expect.maxPrice,
    minPrice: expect.minPrice,
    vendor: expect.vendor,
    option: expect.option,
    inStock: expect.inStock,
  };
  const meets = catalog.some((p) => judgeTurn(fixed, { items: [p], text: "" }, undefined, 1).pass);
  return meets ? null : "no catalog product meets kind, price, vendor, option and stock together";
}

/** The products the product predicates look at: the first `top` shown. */
export function judgedProducts(outcome: TurnOutcome, top: number): ShownProduct[] {
  return outcome.items.slice(0, top);
}

export function judgeTurn(
  expect: Expectation,
  outcome: TurnOutcome,
  previous: { judged: ShownProduct[]; items: ShownProduct[] } | undefined,
  defaultTop: number,
): Verdict {
  const failures: string[] = [];
  const top = expect.top ?? defaultTop;
  const judged = judgedProducts(outcome, top);
  // A product the answer marks as a close match that misses `part` is not held to that part.
  const each = (what: string, ok: (p: ShownProduct) => boolean, part?: ShownProduct["misses"]) => {
    const bad = judged.filter((p) => !ok(p) && !(part && p.misses === part));
    if (bad.length) failures.push(`${what}: ${bad.map(label).join("; ")}`);
  };

  if (expect.none) {
    if (!saysNone(outcome.text)) failures.push(`does not say the shop lacks it: "${outcome.text.slice(0, 160)}"`);
    const suggest = expect.suggestKinds;
    const unrelated = outcome.items.filter((p) => !suggest || !isKind(p, suggest));
    if (unrelated.length)
      failures.push(
        `shows ${suggest ? "products outside the suggested kinds" : "products"}: ${unrelated.slice(0, 3).map(label).join("; ")}`,
      );
  } else {
    const productPredicates = ["kind", "notKind", "maxPrice", "minPrice", "price", "vendor", "option", "inStock"];
    if (!judged.length && (productPredicates.some((key) => key in expect) || expect.samePrevious))
      failures.push("shows no products");
  }

  if (expect.kind) each(`not ${expect.kind.join(" / ")}`, (p) => isKind(p, expect.kind!), "productTypes");
  if (expect.notKind) each(`is ${expect.notKind.join(" / ")}`, (p) => !isKind(p, expect.notKind!));
  if (expect.maxPrice !== undefined) each(`over ${money(expect.maxPrice)}`, (p) => p.minPrice <= expect.maxPrice!);
  if (expect.minPrice !== undefined) each(`under ${money(expect.minPrice)}`, (p) => p.minPrice >= expect.minPrice!);
  if (expect.price) {
    // "Cheaper ones?": nothing pricier than the priciest shown before, and the cheapest now at most
    // the cheapest before (when the cheapest was already shown, showing it again is right).
    const before = (previous?.judged ?? []).map((p) => p.minPrice);
    const now = judged.map((p) => p.minPrice);
    if (!before.length) failures.push(`price "${expect.price}": the previous turn showed no products to compare with`);
    else if (now.length && expect.price === "lower") {
      const [highest, lowest] = [Math.max(...before), Math.min(...before)];
      each(`not cheaper than ${money(highest)} (the priciest shown before)`, (p) => p.minPrice < highest);
      if (Math.min(...now) > lowest) failures.push(`cheapest now ${money(Math.min(...now))} > ${money(lowest)} before`);
    } else if (now.length) {
      const [highest, lowest] = [Math.max(...before), Math.min(...before)];
      each(`not pricier than ${money(lowest)} (the cheapest shown before)`, (p) => p.minPrice > lowest);
      if (Math.max(...now) < highest)
        failures.push(`priciest now ${money(Math.max(...now))} < ${money(highest)} before`);
    }
  }
  if (expect.vendor) {
    const vendor = foldWords(expect.vendor);
    each(`not from ${expect.vendor}`, (p) => foldWords(p.vendor) === vendor, "vendors");
  }
  if (expect.option) {
    const { name, value, inStock } = expect.option;
    each(
      `no ${name ?? "option"} ${value}${inStock ? " in stock" : ""}`,
      (p) =>
        p.variants.some(
          (v) =>
            (!inStock || v.available) &&
            Object.entries(v.options).some(
              ([optionName, optionValue]) =>
                (!name || foldWords(optionName) === foldWords(name)) && sameOptionValue(optionValue, value),
            ),
        ),
      "options",
    );
  }
  if (expect.inStock) each("out of stock", (p) => p.available);
  if (expect.samePrevious) {
    const wanted = previous?.items[expect.samePrevious - 1];
    if (!wanted) failures.push(`the previous turn showed no product ${expect.samePrevious}`);
    else if (outcome.items[0]?.id !== wanted.id)
      failures.push(
        `first product is ${outcome.items[0] ? label(outcome.items[0]) : "none"}, not the earlier ${label(wanted)}`,
      );
  }
  for (const pattern of expect.says ?? []) {
    if (!new RegExp(pattern, "i").test(outcome.text))
      failures.push(`text does not match /${pattern}/: "${outcome.text.slice(0, 160)}"`);
  }
  return { pass: failures.length === 0, failures };
}
