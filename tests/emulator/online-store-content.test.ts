// The emulated shop's policies and pages (decision 125): served by the Admin API in the shape of the
// real 2026-07 schema (behind their scopes), rendered on the storefront at /policies/* and /pages/*,
// and edited through the control API (bad input refused, nothing changed).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStoreEmulator, type StoreEmulator } from "../../tools/emulator";
import { DEMO_PAGES, DEMO_POLICIES } from "../../tools/emulator/catalog/demo-content";
import { DEMO_APP_CREDENTIALS } from "../../tools/stack";
import { connectShopifyApi, installWithTokenExchange } from "./admin-client";

const SHOP = "content.myshopify.com";
let emulator: StoreEmulator;
let token: string;
let storefront: string;

async function graphql(query: string, variables?: Record<string, unknown>) {
  const response = await fetch(`${emulator.url}/shops/${SHOP}/admin/api/2026-07/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, never>; errors?: { extensions?: { code?: string } }[] };
}

beforeAll(async () => {
  emulator = await startStoreEmulator({ app: { ...DEMO_APP_CREDENTIALS, appUrl: "http://127.0.0.1:9" } });
  const store = emulator.createShop(SHOP, { name: "Content Co" });
  for (const policy of DEMO_POLICIES) store.content.setPolicy(policy.type, policy);
  for (const page of DEMO_PAGES) store.content.savePage(page);
  store.content.savePage({ handle: "draft-page", title: "Draft", bodyHtml: "<p>Not yet.</p>", published: false });
  const api = await connectShopifyApi(emulator);
  token = (await installWithTokenExchange(api, emulator, SHOP)).accessToken!;
  storefront = (await emulator.storefront(SHOP, { extensionDirs: [] })).url;
}, 60_000);

afterAll(async () => {
  await emulator?.stop();
});

describe("policies and pages", () => {
  it("serves shopPolicies with their storefront URLs", async () => {
    const { data } = await graphql("{ shop { shopPolicies { id type title body url } } }");
    const policies = (data!.shop as { shopPolicies: { id: string; type: string; title: string; url: string }[] })
      .shopPolicies;
    expect(policies.map((p) => p.type)).toEqual(DEMO_POLICIES.map((p) => p.type));
    expect(policies[0]).toMatchObject({
      id: expect.stringMatching(/^gid:\/\/shopify\/ShopPolicy\/\d+$/),
      title: "Refund policy",
      url: `https://${SHOP}/policies/refund-policy`,
    });
  });

  it("pages the pages connection with cursors, published or not", async () => {
    const first = await graphql(
      "{ pages(first: 2) { nodes { handle isPublished } pageInfo { hasNextPage endCursor } } }",
    );
    const page1 = first.data!.pages as {
      nodes: { handle: string }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
    expect(page1.nodes.map((n) => n.handle)).toEqual(["size-guide", "about-us"]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const rest = await graphql(
      "query($after: String) { pages(first: 50, after: $after) { nodes { handle isPublished } } }",
      {
        after: page1.pageInfo.endCursor,
      },
    );
    expect((rest.data!.pages as { nodes: unknown[] }).nodes).toEqual([
      { handle: "store-locations", isPublished: true },
      { handle: "draft-page", isPublished: false },
    ]);
  });

  it("refuses both without their scopes, as Shopify does", async () => {
    emulator.revokeScope(SHOP, "read_legal_policies");
    emulator.revokeScope(SHOP, "read_online_store_pages");
    const policies = await graphql("{ shop { shopPolicies { id } } }");
    const pages = await graphql("{ pages(first: 1) { nodes { id } } }");
    expect(policies.errors?.[0]?.extensions?.code).toBe("ACCESS_DENIED");
    expect(pages.errors?.[0]?.extensions?.code).toBe("ACCESS_DENIED");
  });

  it("renders policies and published pages on the storefront, and 404s the rest", async () => {
    const refund = await fetch(`${storefront}/policies/refund-policy`);
    expect(refund.status).toBe(200);
    expect(await refund.text()).toContain("within 60 days of delivery");
    expect((await fetch(`${storefront}/pages/size-guide`)).status).toBe(200);
    expect((await fetch(`${storefront}/pages/draft-page`)).status).toBe(404);
    expect((await fetch(`${storefront}/policies/no-such-policy`)).status).toBe(404);
  });

  it("edits a policy through the control API and refuses a bad one without changing anything", async () => {
    const url = `${emulator.url}/_emulator/shops/${SHOP}/policies`;
    const bad = await fetch(`${url}/NOT_A_POLICY`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ bodyHtml: "<p>x</p>" }),
    });
    expect(bad.status).toBe(400);
    const ok = await fetch(`${url}/SHIPPING_POLICY`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ bodyHtml: "<p>Everything ships free.</p>" }),
    });
    expect(ok.status).toBe(200);
    expect(await (await fetch(`${storefront}/policies/shipping-policy`)).text()).toContain("Everything ships free.");
    const policies = (await (await fetch(url)).json()) as { type: string }[];
    expect(policies.map((p) => p.type)).toEqual(DEMO_POLICIES.map((p) => p.type));
  });
});
