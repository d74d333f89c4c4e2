// Renders a theme app extension's app embed blocks the way Online Store 2.0 does: the block's Liquid
// with `block.settings` from its `{% schema %}` defaults, `asset_url` pointing at the extension's
// assets, `t` from its locales, and Shopify's `json` filter.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Liquid, Tag, type Context, type Emitter, type TagToken, type TopLevelToken } from "liquidjs";

export interface EmbedBlock {
  handle: string;
  target: "head" | "body";
  source: string;
  settings: Record<string, unknown>;
}

export interface ThemeExtension {
  dir: string;
  /** URL path the assets are served under, e.g. /extensions/chat-widget/assets. */
  assetBase: string;
  blocks: EmbedBlock[];
  locales: Map<string, Record<string, unknown>>;
}

const SCHEMA = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/;

export function loadThemeExtension(dir: string): ThemeExtension {
  const name = path.basename(dir);
  const blocksDir = path.join(dir, "blocks");
  if (!existsSync(blocksDir)) throw new Error(`${dir} has no blocks/ directory`);
  const blocks: EmbedBlock[] = [];
  for (const file of readdirSync(blocksDir)
    .filter((f) => f.endsWith(".liquid"))
    .sort()) {
    const source = readFileSync(path.join(blocksDir, file), "utf8");
    const match = SCHEMA.exec(source);
    if (!match) throw new Error(`${file} has no {% schema %}`);
    const schema = JSON.parse(match[1]) as { target?: string; settings?: { id?: string; default?: unknown }[] };
    // Sections/app blocks without a target are not app embeds; the storefront renders only embeds.
    if (schema.target !== "body" && schema.target !== "head") continue;
    const settings: Record<string, unknown> = {};
    for (const setting of schema.settings ?? []) if (setting.id) settings[setting.id] = setting.default ?? null;
    blocks.push({ handle: file.replace(/\.liquid$/, ""), target: schema.target, source, settings });
  }
  const locales = new Map<string, Record<string, unknown>>();
  const localesDir = path.join(dir, "locales");
  if (existsSync(localesDir)) {
    for (const file of readdirSync(localesDir).filter((f) => f.endsWith(".json") && !f.includes(".schema."))) {
      const locale = file.replace(/(\.default)?\.json$/, "");
      locales.set(locale, JSON.parse(readFileSync(path.join(localesDir, file), "utf8")));
      if (file.includes(".default.")) locales.set("default", locales.get(locale)!);
    }
  }
  return { dir, assetBase: `/extensions/${name}/assets`, blocks, locales };
}

/** Shopify's `json` filter output is safe inside <script>: <, >, & are written as \u escapes. */
export function shopifyJson(value: unknown): string {
  return (JSON.stringify(value ?? null) ?? "null").replace(
    /[<>&]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

export function createLiquid(): Liquid {
  const liquid = new Liquid({ strictFilters: true, jsTruthy: false });
  liquid.registerTag(
    "schema",
    class extends Tag {
      constructor(token: TagToken, remain: TopLevelToken[], engine: Liquid) {
        super(token, remain, engine);
        while (remain.length) {
          const next = remain.shift()!;
          if ((next as TagToken).name === "endschema") return;
        }
        throw new Error("{% schema %} without {% endschema %}");
      }
      *render(_ctx: Context, _emitter: Emitter) {
        // The schema is configuration, never output.
      }
    },
  );
  liquid.registerFilter("json", shopifyJson);
  liquid.registerFilter("script_tag", (url: string) => `<script src="${url}" type="text/javascript"></script>`);
  liquid.registerFilter(
    "stylesheet_tag",
    (url: string) => `<link href="${url}" rel="stylesheet" type="text/css" media="all" />`,
  );
  return liquid;
}

function lookup(strings: Record<string, unknown> | undefined, key: string): string | undefined {
  let value: unknown = strings;
  for (const part of key.split("."))
    value = value && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
  return typeof value === "string" ? value : undefined;
}

/** Renders the extension's embed blocks for one page; `globals` are shop, customer, request, cart… */
export async function renderEmbeds(
  liquid: Liquid,
  extension: ThemeExtension,
  globals: Record<string, unknown>,
  locale: string,
  overrides: Record<string, Record<string, unknown>> = {},
): Promise<{ head: string; body: string }> {
  const out = { head: "", body: "" };
  for (const block of extension.blocks) {
    const engine = liquid;
    const translate = (key: string, ...args: unknown[]) => {
      let text = lookup(extension.locales.get(locale), key) ?? lookup(extension.locales.get("default"), key);
      if (text === undefined) return `translation missing: ${locale}.${key}`;
      // Named arguments arrive as [name, value] pairs.
      for (const arg of args)
        if (Array.isArray(arg))
          text = text.replaceAll(`{{ ${arg[0]} }}`, String(arg[1])).replaceAll(`{{${arg[0]}}}`, String(arg[1]));
      return text;
    };
    engine.registerFilter("t", translate);
    engine.registerFilter("asset_url", (name: string) => `${extension.assetBase}/${name}`);
    const html = await engine.parseAndRender(block.source, {
      ...globals,
      block: {
        id: `${block.handle}-embed`,
        type: block.handle,
        settings: { ...block.settings, ...overrides[block.handle] },
        shopify_attributes: "",
      },
    });
    out[block.target] +=
      `<div id="shopify-block-${block.handle}" class="shopify-block shopify-app-block">${html}</div>\n`;
  }
  return out;
}
