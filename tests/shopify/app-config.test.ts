// shopify.app.toml and the code agree (issue 20, decision 119): every webhook topic has its route and every
// webhook route its topic; the access scopes are exactly what the app's Admin queries and webhook topics need;
// one Admin API version everywhere; the proxy, auth and web settings point at routes that exist.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseGraphql, TypeInfo, visit, visitWithTypeInfo, getNamedType, type GraphQLSchema } from "graphql";
import { parse as parseToml } from "smol-toml";
import { beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "../../app/lib/config/env-schema";
import { ADMIN_API_VERSION } from "../../app/lib/shopify/api-version";
import { productsBulkQuery } from "../../app/lib/shopify/product-queries";
import { topicScopeResource } from "../../app/lib/shopify/webhook-subscriptions";
import { SHOPIFY_API_VERSION } from "../../app/shopify.server";
import { adminSchema } from "../../tools/emulator/admin/graphql-api";
import { appGraphqlDocuments } from "../kit/app-graphql-documents";

interface AppToml {
  application_url: string;
  access_scopes: { scopes: string };
  auth: { redirect_urls: string[] };
  app_proxy: { url: string; prefix: string; subpath: string };
  webhooks: { api_version: string; subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[] };
}
const toml = parseToml(readFileSync("shopify.app.toml", "utf8")) as unknown as AppToml;
const web = parseToml(readFileSync("shopify.web.toml", "utf8")) as { webhooks_path: string; roles: string[] };
const tomlScopes = toml.access_scopes.scopes.split(",").map((scope) => scope.trim());
const subscriptions = toml.webhooks.subscriptions.flatMap((s) =>
  [...(s.topics ?? []), ...(s.compliance_topics ?? [])].map((topic) => ({ topic, uri: s.uri })),
);

/** Remix flat routes: /webhooks/products/create → app/routes/webhooks.products.create.ts(x). */
const routeFileFor = (uri: string) =>
  ["ts", "tsx"]
    .map((ext) => path.join("app", "routes", `${uri.slice(1).replaceAll("/", ".")}.${ext}`))
    .find(existsSync);

/**
 * Admin types that need an access scope to be read (Shopify's Admin API reference, "Requires … access scope").
 * Every other type an Admin document touches must be in SCOPE_FREE: a type in neither list fails the test, so a
 * new query decides deliberately what it costs in scopes.
 */
const SCOPE_OF_TYPE: Record<string, string> = {
  Product: "read_products",
  ProductVariant: "read_products",
  ProductOption: "read_products",
  Collection: "read_products",
  Customer: "read_customers",
  Order: "read_orders",
  ShopPolicy: "read_legal_policies",
  Page: "read_online_store_pages",
};
const SCOPE_FREE = new Set([
  // Reached only through a product (read with its owner's scope), or plain values.
  "Image",
  "MediaImage",
  "Metafield",
  "SelectedOption",
  // The app's own installation, its bulk operations and subscriptions, the shop's basics: no scope.
  "AppInstallation",
  "AccessScope",
  "BulkOperation",
  "BulkOperationUserError",
  "UserError",
  "WebhookSubscription",
  "Shop",
  "Domain",
  // Query and mutation roots, connections, pagination.
  "QueryRoot",
  "Mutation",
  "PageInfo",
  "Node",
  "Media",
]);

/** The named object/interface types a document's selections reach. */
function typesTouched(schema: GraphQLSchema, document: string): Set<string> {
  const typeInfo = new TypeInfo(schema);
  const touched = new Set<string>();
  visit(
    parseGraphql(document),
    visitWithTypeInfo(typeInfo, {
      SelectionSet() {
        const type = typeInfo.getParentType();
        if (type) touched.add(getNamedType(type).name);
      },
    }),
  );
  // Connections, edges and mutation payloads only carry what they wrap.
  return new Set([...touched].filter((name) => !/(Connection|Edge|Payload)$/.test(name)));
}

describe("shopify.app.toml and the code", () => {
  let schema: GraphQLSchema;
  beforeAll(() => {
    schema = adminSchema();
  });

  it("every webhook topic has its route, which checks that topic, and every webhook route is subscribed", () => {
    expect(subscriptions.length).toBeGreaterThan(0);
    for (const { topic, uri } of subscriptions) {
      expect(uri, `${topic}: the app's routes are /webhooks/<topic>`).toBe(`/webhooks/${topic}`);
      const file = routeFileFor(uri);
      expect(file, `${topic}: no route file for ${uri}`).toBeDefined();
      const enumName = topic.toUpperCase().replace("/", "_");
      expect(readFileSync(file!, "utf8"), `${file} does not check the topic ${enumName}`).toContain(
        `webhookAction("${enumName}"`,
      );
    }
    const routes = readdirSync(path.join("app", "routes")).filter((name) => name.startsWith("webhooks."));
    const subscribed = new Set(subscriptions.map(({ uri }) => path.basename(routeFileFor(uri) ?? "")));
    expect(routes.filter((route) => !subscribed.has(route))).toEqual([]);
  });

  it("asks for exactly the scopes its Admin queries and webhook topics need, read-only", () => {
    const documents = [
      ...appGraphqlDocuments().map(({ file, source }) => ({ name: file, source })),
      { name: "productsBulkQuery (with metafields)", source: productsBulkQuery(["custom.material"]) },
    ];
    const needed = new Map<string, string[]>();
    const need = (scope: string, why: string) => needed.set(scope, [...(needed.get(scope) ?? []), why]);
    const unclassified: string[] = [];
    for (const { name, source } of documents) {
      for (const type of typesTouched(schema, source)) {
        if (SCOPE_OF_TYPE[type]) need(SCOPE_OF_TYPE[type], `${name}: ${type}`);
        else if (!SCOPE_FREE.has(type)) unclassified.push(`${name}: ${type}`);
      }
    }
    for (const { topic } of subscriptions) {
      const resource = topicScopeResource(topic);
      if (resource) need(`read_${resource}`, `webhook ${topic}`);
    }
    expect(unclassified, "types with no scope decision: add them to SCOPE_OF_TYPE or SCOPE_FREE").toEqual([]);
    expect(documents.length).toBeGreaterThanOrEqual(7);
    console.info(`[scopes] ${[...needed].map(([scope, why]) => `${scope} ← ${why.length} uses`).join("; ")}`);
    expect([...needed.keys()].sort()).toEqual([...tomlScopes].sort());
    expect(tomlScopes.filter((scope) => !scope.startsWith("read_"))).toEqual([]);
  });

  it("the SCOPES default is the TOML's list", () => {
    const env = parseEnv({
      SHOPIFY_API_KEY: "key",
      SHOPIFY_API_SECRET: "secret",
      SHOPIFY_APP_URL: "https://aisle.example.com",
    });
    expect(env.SCOPES).toEqual(tomlScopes);
  });

  it("uses one Admin API version: the app's client, the webhooks, the schema the types come from", () => {
    expect(SHOPIFY_API_VERSION).toBe(ADMIN_API_VERSION);
    expect(toml.webhooks.api_version).toBe(ADMIN_API_VERSION);
    expect(existsSync(path.join("tools", "emulator", "schema", `admin-${ADMIN_API_VERSION}.graphql`))).toBe(true);
  });

  it("points the app proxy, the auth callbacks and the CLI's webhook test at the app", () => {
    const appUrl = new URL(toml.application_url);
    const proxy = new URL(toml.app_proxy.url);
    expect(proxy.host).toBe(appUrl.host);
    const proxyRoutes = readdirSync(path.join("app", "routes")).filter((name) =>
      name.startsWith(`${proxy.pathname.slice(1)}.`),
    );
    expect(proxyRoutes.length).toBeGreaterThan(0);
    expect(toml.app_proxy).toMatchObject({ prefix: "apps", subpath: "aisle" });
    for (const redirect of toml.auth.redirect_urls.map((url) => new URL(url))) {
      expect(redirect.host).toBe(appUrl.host);
      expect(redirect.pathname.startsWith("/auth/"), `${redirect.pathname} is not under /auth/*`).toBe(true);
    }
    expect(existsSync(path.join("app", "routes", "auth.$.tsx"))).toBe(true);
    expect(web.roles.sort()).toEqual(["backend", "frontend"]);
    expect(subscriptions.map(({ uri }) => uri)).toContain(web.webhooks_path);
  });
});
