// The conversation file of `npm run eval` (docs/evaluation.md, "Conversation evaluation"): multi-turn
// conversations, each turn a shopper message and the predicates its answer must meet. JSON, checked
// with zod; a bad file is refused with every problem named, before anything is indexed.
import { readFileSync } from "node:fs";
import { z } from "zod";

const words = z.array(z.string().trim().min(1)).min(1);

export const expectationSchema = z
  .strictObject({
    /** How many of the shown products (from the first) the product predicates judge. */
    top: z.number().int().min(1).max(10).optional(),
    /** Each judged product is of one of these kinds (a word or phrase of its product type or title). */
    kind: words.optional(),
    /** No judged product is of these kinds. */
    notKind: words.optional(),
    /** Each judged product can be bought at or under / at or over this price. */
    maxPrice: z.number().positive().optional(),
    minPrice: z.number().nonnegative().optional(),
    /** Relative to the products the previous turn judged: each one cheaper than the cheapest shown there, or pricier than the priciest. */
    price: z.enum(["lower", "higher"]).optional(),
    /** Each judged product is from this vendor (brand). */
    vendor: z.string().trim().min(1).optional(),
    /** Each judged product has a variant with this option value (under this option name, if given), in stock if `inStock`. */
    option: z
      .strictObject({
        name: z.string().trim().min(1).optional(),
        value: z.string().trim().min(1),
        inStock: z.boolean().optional(),
      })
      .optional(),
    /** Each judged product is available. */
    inStock: z.literal(true).optional(),
    /** The first product shown is the previous turn's n-th product ("it", "the second one"). */
    samePrevious: z.number().int().min(1).max(10).optional(),
    /**
     * Honest "none" for kinds the shop does not carry (e.g. ["kayak", "canoe"]; no catalog product
     * may be of them): the answer says so, and shows no products — or only products of
     * `suggestKinds` when given (the nearest kinds offered instead).
     */
    none: words.optional(),
    suggestKinds: words.optional(),
    /** The answer text matches each of these (regular expressions, case-insensitive). */
    says: z
      .array(
        z.string().refine(
          (pattern) => {
            try {
              return pattern.length > 0 && Boolean(new RegExp(pattern, "i"));
            } catch {
              return false;
            }
          },
          { message: "not a regular expression" },
        ),
      )
      .optional(),
  })
  .refine((e) => !(e.none && (e.kind || e.vendor || e.option || e.price || e.samePrevious)), {
    message: "`none` cannot be combined with product predicates (kind, vendor, option, price, samePrevious)",
  })
  .refine((e) => e.suggestKinds === undefined || e.none, { message: "`suggestKinds` needs `none`" })
  .refine((e) => Object.keys(e).some((key) => key !== "top"), { message: "a turn needs at least one predicate" });

/**
 * What a language model would propose for this turn (standalone query plus filters), answered to
 * the engine's structured-output call in the "with model" run. Field names follow SearchFilters.
 */
export const rewriteSchema = z.strictObject({
  query: z.string().trim().min(1),
  minPrice: z.number().nonnegative().optional(),
  maxPrice: z.number().positive().optional(),
  inStock: z.boolean().optional(),
  productTypes: z.array(z.string().min(1)).optional(),
  vendors: z.array(z.string().min(1)).optional(),
  options: z.array(z.strictObject({ name: z.string().min(1), value: z.string().min(1) })).optional(),
  sort: z.enum(["price_asc", "price_desc"]).optional(),
});

export const turnSchema = z.strictObject({
  say: z.string().trim().min(1).max(1000),
  rewrite: rewriteSchema.optional(),
  expect: expectationSchema,
});

export const conversationFileSchema = z.strictObject({
  /** "demo" (the emulator's demo catalog) or a catalog file (Shopify CSV / products JSON), relative to the repository root. */
  catalog: z.string().trim().min(1),
  /** The shop's currency, as the widget sends it (ISO 4217). */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default("USD"),
  /** Default `top` of every turn. */
  top: z.number().int().min(1).max(10).default(3),
  conversations: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "kebab-case id"),
        turns: z.array(turnSchema).min(1).max(12),
      }),
    )
    .min(1)
    .refine((list) => new Set(list.map((c) => c.id)).size === list.length, { message: "conversation ids repeat" }),
});

export type Expectation = z.infer<typeof expectationSchema>;
export type Rewrite = z.infer<typeof rewriteSchema>;
export type ConversationTurn = z.infer<typeof turnSchema>;
export type ConversationFile = z.infer<typeof conversationFileSchema>;

/** Parses a conversation file's text; the error lists every problem with its path ("conversations.3.turns.1.expect.kind"). */
export function parseConversationFile(text: string, name = "conversation file"): ConversationFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${name} is not JSON: ${(error as Error).message}`);
  }
  const result = conversationFileSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join(".") || "(file)"}: ${issue.message}`);
    throw new Error(`${name} is not a valid conversation file:\n${problems.join("\n")}`);
  }
  return result.data;
}

export function readConversationFile(file: string): ConversationFile {
  return parseConversationFile(readFileSync(file, "utf8"), file);
}
