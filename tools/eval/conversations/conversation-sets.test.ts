// The public conversation sets are valid, large enough, and fair: every turn can pass on its catalog
// (some product meets its fixed predicates; a "none" kind is really not carried). Spacire's catalog
// is read from ../shared/data and its check skipped, saying so, when absent.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { catalogFileProducts, demoCatalog } from "../demo-catalog-products";
import { readConversationFile, type ConversationFile } from "./conversation-file";
import { asShown, unsatisfiable, type ShownProduct } from "./judge";

function problems(file: ConversationFile, catalog: ShownProduct[]): string[] {
  return file.conversations.flatMap((conversation) =>
    conversation.turns.flatMap((turn, i) => {
      const why = unsatisfiable(turn.expect, catalog);
      return why ? [`${conversation.id} #${i + 1} "${turn.say}": ${why}`] : [];
    }),
  );
}

describe("public conversation sets", () => {
  it("demo: ≥ 40 conversations, every turn satisfiable on the demo catalog", () => {
    const file = readConversationFile("tools/eval/conversations/demo.json");
    expect(file.catalog).toBe("demo");
    expect(file.conversations.length).toBeGreaterThanOrEqual(40);
    expect(file.conversations.some((c) => c.turns.length >= 3)).toBe(true);
    expect(problems(file, demoCatalog().map(asShown))).toEqual([]);
  });

  const spacire = readConversationFile("tools/eval/conversations/spacire.json");
  const present = existsSync(spacire.catalog);
  if (!present)
    console.warn(`[skipped] spacire satisfiability: ${spacire.catalog} is absent (shared data not mounted).`);

  it("spacire: ≥ 20 conversations reading the catalog from ../shared/data", () => {
    expect(spacire.catalog.startsWith("../shared/data/")).toBe(true);
    expect(spacire.currency).toBe("GBP");
    expect(spacire.conversations.length).toBeGreaterThanOrEqual(20);
  });

  it.skipIf(!present)("spacire: every turn satisfiable on the spacire catalog", () => {
    expect(problems(spacire, catalogFileProducts(spacire.catalog).products.map(asShown))).toEqual([]);
  });
});
