// The theme app extension as Shopify checks it: theme-check (rules for theme app extensions),
// the script's size budget, and storefront strings present in every locale.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { Severity, themeCheckRun } from "@shopify/theme-check-node";
import { describe, expect, it } from "vitest";

const EXTENSION = path.resolve("extensions/chat-widget");

describe("extensions/chat-widget", () => {
  it("passes Shopify's theme-check for theme app extensions", async () => {
    const { offenses, theme } = await themeCheckRun(EXTENSION, path.resolve("tools/theme-check.yml"), () => {});
    expect(theme.map((file) => path.basename(file.uri))).toContain("chat-widget.liquid");
    expect(offenses.filter((offense) => offense.severity !== Severity.INFO)).toEqual([]);
  });

  it("keeps the widget script and styles under 30 KB gzipped", () => {
    const size = ["aisle-chat.js", "aisle-chat.css"]
      .map((file) => gzipSync(readFileSync(path.join(EXTENSION, "assets", file)), { level: 9 }).length)
      .reduce((a, b) => a + b, 0);
    expect(size).toBeLessThan(30 * 1024);
  });

  it("has every storefront string in every locale", () => {
    const keys = (file: string) =>
      Object.keys(
        (JSON.parse(readFileSync(path.join(EXTENSION, "locales", file), "utf8")) as { chat: object }).chat,
      ).sort();
    const locales = readdirSync(path.join(EXTENSION, "locales")).filter((file) => !file.includes(".schema."));
    const reference = keys("en.default.json");
    for (const locale of locales) expect(keys(locale), locale).toEqual(reference);
  });

  it("passes settings and strings to the script through `| json` only, and never uses innerHTML", () => {
    const block = readFileSync(path.join(EXTENSION, "blocks/chat-widget.liquid"), "utf8");
    const outputs = [...block.matchAll(/\{\{(.*?)\}\}/g)].map((match) => match[1]);
    const insideConfig = block.slice(block.indexOf('id="aisle-chat-config"'), block.indexOf("</script>"));
    for (const output of [...insideConfig.matchAll(/\{\{(.*?)\}\}/g)].map((match) => match[1])) {
      expect(output.trim(), "every value in the JSON config is | json").toMatch(/\| json$/);
    }
    expect(outputs.length).toBeGreaterThan(10);
    const script = readFileSync(path.join(EXTENSION, "assets/aisle-chat.js"), "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/^\s*\/\/.*$/gm, "");
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
