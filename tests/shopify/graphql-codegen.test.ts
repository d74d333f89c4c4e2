// The committed Admin API types (app/lib/shopify/generated) are what `npm run graphql:codegen` generates now from the
// app's #graphql documents: a document edited without regenerating fails here (and would otherwise
// type its answer by the old text). Decision 118.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const out = mkdtempSync(path.join(tmpdir(), "aisle-codegen-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// Under NODE_ENV=test (Vitest) codegen prints nothing, not even why it failed.
const generate = (outputDir: string, documents?: string) =>
  run(path.resolve("node_modules/.bin/graphql-codegen"), [], {
    env: {
      ...process.env,
      NODE_ENV: "development",
      GRAPHQL_CODEGEN_OUT: outputDir,
      ...(documents ? { GRAPHQL_CODEGEN_DOCUMENTS: documents } : {}),
    },
  });

describe("GraphQL codegen", () => {
  it("app/lib/shopify/generated is current: regenerating gives the committed files", async () => {
    await generate(out);
    const committed = readdirSync("app/lib/shopify/generated").sort();
    expect(readdirSync(out).sort()).toEqual(committed);
    for (const file of committed)
      expect(
        readFileSync(path.join(out, file), "utf8"),
        `app/lib/shopify/generated/${file} is stale: npm run graphql:codegen`,
      ).toBe(readFileSync(path.join("app/lib/shopify/generated", file), "utf8"));
    // Every operation of the app is in the typed map (the names the documents give themselves).
    const generated = readFileSync(path.join(out, "admin.generated.d.ts"), "utf8");
    for (const name of [
      "AisleProductsById",
      "AisleProductVersions",
      "AisleBulkOperation",
      "AisleBulkProducts",
      "AisleWebhookSubscriptions",
      "AisleShopPrimaryDomain",
    ])
      expect(generated).toMatch(new RegExp(`export type ${name}(Query|Mutation) =`));
  }, 120_000);

  it("refuses a document that does not fit Shopify's schema (nothing is written)", async () => {
    // Outside app/: other tests read every document there while this one runs.
    const probeDir = mkdtempSync(path.join(tmpdir(), "aisle-codegen-bad-"));
    const bad = path.join(probeDir, "probe.ts");
    writeFileSync(bad, "export const PROBE = `#graphql\n  query AisleProbe { shop { noSuchField } }\n`;\n");
    const probeOut = path.join(probeDir, "out");
    try {
      const failure = (await generate(probeOut, bad).then(
        () => null,
        (error: { stdout: string; stderr: string }) => error,
      )) as { stdout: string; stderr: string } | null;
      expect(failure, "codegen accepted a field Shopify does not have").not.toBeNull();
      expect(`${failure?.stdout}${failure?.stderr}`).toContain('Cannot query field "noSuchField" on type "Shop"');
      expect(existsSync(probeOut)).toBe(false);
    } finally {
      rmSync(probeDir, { recursive: true, force: true });
    }
  }, 120_000);
});
