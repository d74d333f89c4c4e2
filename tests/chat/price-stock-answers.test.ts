// L7 (issue 15): 200 price and stock questions about 40 products, answered by a model that quotes
// the context's numbers most of the time and, on a rotation, invents: a different price, another
// product's price, a price in another notation, the wrong stock state, a count left. Every price and
// stock statement the shopper is finally shown is checked against the catalog (not the prompt).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectAnswer } from "../kit/answers";
import type { Product } from "../../app/lib/catalog/product";
import { messageText, type ChatCompletionRequest, type ChatResponder } from "../../tools/openai-compatible/server";
import { makeProduct } from "../search/products";
import { createChatTestContext } from "./chat-test-context";

const ADJECTIVES = ["Summit", "Ridge", "Canyon", "Harbor", "Glacier"];
const NOUNS = ["Tent", "Lantern", "Stove", "Backpack", "Sleeping Pad", "Water Filter", "Trekking Poles", "Camp Chair"];

const catalog: Product[] = ADJECTIVES.flatMap((adjective, a) =>
  NOUNS.map((noun, n) => {
    const i = a * NOUNS.length + n;
    const price = (19 + i * 7.25).toFixed(2);
    const available = i % 3 !== 0;
    // Every fourth product has a second, dearer variant: the context shows a range.
    const variants = [{ price, sku: `AX-${i + 1}-S`, available }];
    if (i % 4 === 1) variants.push({ price: (Number(price) + 15).toFixed(2), sku: `AX-${i + 1}-L`, available });
    return makeProduct({
      title: `${adjective} ${noun}`,
      description: `A ${noun.toLowerCase()} for camping and hiking.`,
      vendor: "Axis",
      productType: noun,
      variants,
    });
  }),
);
const byTitle = new Map(catalog.map((p) => [p.title.toLowerCase(), p]));
const pricesOf = (p: Product) => p.variants.map((v) => Number(v.price));
const availableOf = (p: Product) => p.variants.some((v) => v.availableForSale);

const QUESTIONS = [
  (p: Product) => `How much is the ${p.title}?`,
  (p: Product) => `Is the ${p.title} in stock?`,
  (p: Product) => `What does the ${p.title} (${p.variants[0].sku}) cost?`,
  (p: Product) => `Can I buy the ${p.title} today, is it available?`,
  (p: Product) => `Price and availability of the ${p.title} ${p.variants[0].sku}, please`,
];

/** Quotes the context line of the product asked about; every other call invents something. */
function pricingModel() {
  let calls = 0;
  const invented: string[] = [];
  const responder: ChatResponder = (request: ChatCompletionRequest) => {
    const context = messageText(request.messages[1]);
    const question = messageText(request.messages.at(-1)!).toLowerCase();
    const lines = [...context.matchAll(/^\[(\d+)\] (.+?) — .*?Price: ([^;]+); (In stock|Out of stock)/gm)];
    const line = lines.find((m) => question.includes(m[2].toLowerCase())) ?? lines[0];
    const other = lines.find((m) => m !== line && !m[3].includes("–"));
    const [, ref, title, price, stock] = line;
    const first = Number(/[\d.]+/.exec(price.replace(/,/g, ""))![0]);
    const inStock = stock === "In stock";
    const honest = `The ${title} [${ref}] costs ${price} and is ${inStock ? "in stock" : "out of stock"}.`;
    const lies = [
      `The ${title} [${ref}] costs $${(first + 10).toFixed(2)} and is ${inStock ? "in stock" : "out of stock"}.`,
      other ? `The ${title} [${ref}] costs ${other[3]} and is ${inStock ? "in stock" : "out of stock"}.` : null,
      `The ${title} [${ref}] is ${inStock ? "sold out" : "in stock"} at ${price}.`,
      `The ${title} [${ref}] is just USD ${Math.round(first * 0.8)} today.`,
      `Hurry: only 2 left of the ${title} [${ref}] at ${price}.`,
      `The ${title} [${ref}] costs ${price}, and ${(first * 1.1).toFixed(2)} dollars with the case.`,
    ];
    const n = calls++;
    const lie = n % 2 === 1 ? lies[Math.floor(n / 2) % lies.length] : null;
    if (lie) invented.push(lie);
    return lie ?? honest;
  };
  return { responder, invented };
}

const CITED = /\[(\d+)\]/g;
const AMOUNT = /(?:\$|USD\s?|¥|€|£)\s?(\d[\d,]*(?:\.\d{1,2})?)|(\d[\d,]*(?:\.\d{1,2})?)\s?(?:dollars?|USD)\b/gi;
const STOCK = /\b(out of stock|sold out|unavailable|in stock|available|(\d+)\s+left)\b/gi;

/** Each price and stock statement in `text`, with whether the catalog agrees (nearest citation = subject). */
function statements(text: string, refs: Map<number, Product>) {
  const found: Array<{ statement: string; true: boolean }> = [];
  for (const clause of text.split(/[!?;\n]|\.(?=\s|$)/)) {
    const cites = [...clause.matchAll(CITED)].filter((m) => refs.has(Number(m[1])));
    const subject = (index: number) => {
      const nearest = cites.sort((x, y) => Math.abs(x.index - index) - Math.abs(y.index - index))[0];
      return nearest ? [refs.get(Number(nearest[1]))!] : [...refs.values()];
    };
    for (const m of clause.matchAll(AMOUNT)) {
      const amount = Number((m[1] ?? m[2]).replace(/,/g, ""));
      const ok = subject(m.index).some((p) => pricesOf(p).some((price) => Math.abs(price - amount) < 0.005));
      found.push({ statement: `${m[0]} (${clause.trim()})`, true: ok });
    }
    for (const m of clause.matchAll(STOCK)) {
      const says = m[2] ? null : !/out of stock|sold out|unavailable/i.test(m[1]);
      const ok = says !== null && subject(m.index).some((p) => availableOf(p) === says);
      found.push({ statement: `${m[0]} (${clause.trim()})`, true: ok });
    }
  }
  return found;
}

const model = pricingModel();
let ctx: Awaited<ReturnType<typeof createChatTestContext>>;
beforeAll(async () => {
  ctx = await createChatTestContext(catalog, { responder: model.responder });
});
afterAll(() => ctx.close());

describe("L7: price and stock answers against the catalog", () => {
  it("200 questions: 100 % of the price and stock statements shown match the catalog", async () => {
    const questions = catalog.flatMap((product) => QUESTIONS.map((q) => ({ product, text: q(product) })));
    expect(questions).toHaveLength(200);
    const all: Array<{ statement: string; true: boolean }> = [];
    let fromModel = 0;
    let asked = 0;
    for (let start = 0; start < questions.length; start += 4) {
      const batch = questions.slice(start, start + 4);
      const answers = await Promise.all(
        batch.map((q) => collectAnswer(ctx.engine.answer({ shop: ctx.shop, message: q.text, currency: "USD" }))),
      );
      batch.forEach((q, i) => {
        const answer = answers[i];
        // "in stock" is a search filter: an out-of-stock product asked about that way is not retrieved,
        // and the answer is about what is (still checked against the catalog).
        if (answer.products.some((p) => p.title === q.product.title)) asked++;
        const refs = new Map(answer.products.map((p) => [p.ref, byTitle.get(p.title.toLowerCase())!]));
        const found = statements(answer.shown, refs);
        expect(found.length, answer.shown).toBeGreaterThan(0);
        all.push(...found);
        if (answer.done?.source === "llm") fromModel++;
      });
    }
    const wrong = all.filter((s) => !s.true);
    console.info(
      `L7: ${questions.length} questions; ${all.length} price/stock statements shown; ` +
        `${all.length - wrong.length} match the catalog (${(((all.length - wrong.length) / all.length) * 100).toFixed(1)} %); ` +
        `model invented ${model.invented.length}; answered by the model ${fromModel}; product asked about retrieved ${asked}`,
    );
    expect(wrong.map((s) => s.statement)).toEqual([]);
    // Both paths were exercised: honest model answers were shown, invented ones were all replaced.
    expect(model.invented.length).toBeGreaterThanOrEqual(90);
    expect(fromModel).toBeGreaterThanOrEqual(90);
    expect(asked).toBeGreaterThanOrEqual(150);
    // Hundreds of answers: a generous limit for a busy shared machine (a safety net, not a measure).
  }, 300_000);
});
