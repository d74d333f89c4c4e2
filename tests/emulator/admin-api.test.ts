// The emulator's Admin GraphQL API through the real @shopify/shopify-api client and fetch seam:
// paging, cost/throttle, Shopify's error shapes, bulk operations and their JSONL results.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminAnswer } from "../../app/lib/shopify/admin-graphql";
import {
  PRODUCT_VERSIONS_PAGE,
  PRODUCTS_BY_ID,
  productsByIdVariables,
  type MetafieldKey,
} from "../../app/lib/shopify/product-queries";
import { startStoreEmulator, type StoreEmulator } from "../../tools/emulator";
import { DEMO_APP_CREDENTIALS } from "../../tools/stack";
import { requestTokenExchange } from "../../tools/emulator/auth/token-exchange-request";
import { connectShopifyApi, installWithTokenExchange, type ShopifyApi } from "./admin-client";
import { CONFORMANCE, DERIVED_JSONL, fixturesPresent } from "./fixtures";

const SHOP = "admin-api.myshopify.com";
let emulator: StoreEmulator;
let api: ShopifyApi;
let session: Session;

function products(count: number) {
  return Array.from({ length: count }, (_, index) => ({
    title: `Product ${String(index + 1).padStart(3, "0")}`,
    vendor: index % 2 ? "Northwind" : "Contoso",
    productType: index % 3 ? "Shoes" : "Bags",
    tags: index % 5 === 0 ? ["sale"] : [],
    bodyHtml: `<p>Fine & sturdy <b>item</b> number ${index + 1}/${count}</p>`,
    options: ["Size"],
    variants: [
      { optionValues: ["S"], price: "10.00", sku: `SKU-${index}-S`, inventoryQuantity: 3 },
      { optionValues: ["M"], price: "12.50", compareAtPrice: "15.00", sku: `SKU-${index}-M`, inventoryQuantity: 0 },
    ],
    images: [{ src: `https://cdn.example.test/p${index}.png`, alt: `Photo <${index}>` }],
  }));
}

async function graphql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) {
  const client = new api.clients.Graphql({ session });
  const response = await client.request<T>(query, { variables });
  return response as {
    data?: T;
    errors?: { graphQLErrors?: unknown[] };
    extensions?: { cost: Record<string, unknown> };
  };
}

async function rawGraphql(query: string, variables?: Record<string, unknown>) {
  const response = await fetch(`${emulator.url}/shops/${SHOP}/admin/api/2026-07/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": session.accessToken! },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  emulator = await startStoreEmulator({
    app: { ...DEMO_APP_CREDENTIALS, appUrl: "http://127.0.0.1:9" },
  });
  emulator.createShop(SHOP, { name: "Admin API" });
  emulator.seed(SHOP, products(120));
  api = await connectShopifyApi(emulator);
  session = await installWithTokenExchange(api, emulator, SHOP);
});

afterAll(async () => {
  await emulator?.stop();
});

describe("token exchange", () => {
  it("returns an expiring offline token with its refresh token and the configured scopes", () => {
    expect(session.accessToken).toMatch(/^shpat_[0-9a-f]{32}$/);
    expect(session.scope).toBe("read_products,read_customers,read_orders,read_legal_policies,read_online_store_pages");
    expect(session.expires!.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect(session.refreshToken).toMatch(/^shprt_/);
  });

  it("refreshes with a used refresh token until its replacement is used (Shopify's resilient refreshes)", async () => {
    const { session: refreshed } = await api.auth.refreshToken({ shop: SHOP, refreshToken: session.refreshToken! });
    expect(refreshed.accessToken).not.toBe(session.accessToken);
    // A second worker with the same refresh token (or a lost answer): still accepted.
    const { session: again } = await api.auth.refreshToken({ shop: SHOP, refreshToken: session.refreshToken! });
    expect(again.refreshToken).not.toBe(refreshed.refreshToken);
    // Using a replacement retires the token it replaced.
    const { session: next } = await api.auth.refreshToken({ shop: SHOP, refreshToken: refreshed.refreshToken! });
    await expect(api.auth.refreshToken({ shop: SHOP, refreshToken: session.refreshToken! })).rejects.toThrow();
    expect(next.accessToken).toBeTruthy();
    session = next;
  });

  it("refuses an expired session token", async () => {
    const expired = await emulator.signSessionToken(SHOP, { issuedAt: Math.floor(Date.now() / 1000) - 600 });
    const response = await requestTokenExchange({
      emulatorUrl: emulator.url,
      shop: SHOP,
      sessionToken: expired,
      ...DEMO_APP_CREDENTIALS,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_subject_token" });
  });

  it("answers 401 to an unknown access token", async () => {
    const response = await fetch(`${emulator.url}/shops/${SHOP}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "shpat_wrong" },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(response.status).toBe(401);
  });
});

interface ProductPage {
  products: {
    edges: { cursor: string; node: { id: string; title: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string };
  };
}

describe("queries", () => {
  it("pages through every product with cursors and pageInfo", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { data }: { data?: ProductPage } = await graphql<ProductPage>(
        `
          #graphql
          query Page($after: String) {
            products(first: 50, after: $after) {
              edges {
                cursor
                node {
                  id
                  title
                }
              }
              pageInfo {
                hasNextPage
                endCursor
              }
            }
          }
        `,
        { after },
      );
      seen.push(...data!.products.edges.map((edge) => edge.node.title));
      if (!data!.products.pageInfo.hasNextPage) break;
      after = data!.products.pageInfo.endCursor;
      expect(JSON.parse(Buffer.from(after, "base64").toString())).toHaveProperty("last_id");
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
  });

  it("serves product fields in Shopify's shapes (GIDs, money strings, Decimal amounts, enums)", async () => {
    const { data } = await graphql<{ products: { nodes: Record<string, unknown>[] } }>(`
      #graphql
      {
        products(first: 1, query: "tag:sale") {
          nodes {
            id
            legacyResourceId
            title
            handle
            status
            tags
            totalInventory
            tracksInventory
            description
            priceRangeV2 {
              minVariantPrice {
                amount
                currencyCode
              }
              maxVariantPrice {
                amount
              }
            }
            variants(first: 5) {
              nodes {
                id
                price
                compareAtPrice
                inventoryQuantity
                sku
                selectedOptions {
                  name
                  value
                }
              }
            }
            media(first: 1) {
              nodes {
                id
                mediaContentType
                alt
                ... on MediaImage {
                  image {
                    url
                  }
                }
              }
            }
          }
        }
      }
    `);
    const product = data!.products.nodes[0];
    expect(product.id).toMatch(/^gid:\/\/shopify\/Product\/\d+$/);
    expect(product.legacyResourceId).toBe((product.id as string).split("/").pop());
    expect(product).toMatchObject({
      status: "ACTIVE",
      tags: ["sale"],
      totalInventory: 3,
      tracksInventory: true,
      description: "Fine & sturdy item number 1/120",
      priceRangeV2: { minVariantPrice: { amount: "10.0", currencyCode: "USD" }, maxVariantPrice: { amount: "12.5" } },
    });
    expect((product.variants as { nodes: unknown[] }).nodes[1]).toMatchObject({
      price: "12.50",
      compareAtPrice: "15.00",
      inventoryQuantity: 0,
      selectedOptions: [{ name: "Size", value: "M" }],
    });
    expect((product.media as { nodes: unknown[] }).nodes[0]).toMatchObject({
      mediaContentType: "IMAGE",
      image: { url: "https://cdn.example.test/p0.png" },
    });
  });

  it("reports the calculated cost and the bucket (2000, restoring 100/s) in extensions", async () => {
    const { body } = await rawGraphql(
      "{ products(first: 3) { edges { cursor node { id } } pageInfo { hasNextPage } } productsCount { count precision } }",
    );
    expect(body.data.productsCount).toEqual({ count: 120, precision: "EXACT" });
    expect(body.extensions.cost).toMatchObject({
      requestedQueryCost: 14,
      actualQueryCost: 14,
      throttleStatus: { maximumAvailable: 2000, restoreRate: 100 },
    });
    expect(body.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThanOrEqual(1986);
  });

  it("answers unknown fields with Shopify's undefinedField error", async () => {
    const { body } = await rawGraphql("{ shop { nope } }");
    expect(body.errors[0]).toMatchObject({
      message: "Field 'nope' doesn't exist on type 'Shop'",
      extensions: { code: "undefinedField", typeName: "Shop", fieldName: "nope" },
    });
  });

  it("requires first or last on connections, and at most 250", async () => {
    const missing = await rawGraphql("{ products { nodes { id } } }");
    expect(missing.body.errors[0]).toMatchObject({
      message: "you must provide one of first or last",
      extensions: { code: "BAD_REQUEST" },
    });
    const tooMany = await rawGraphql("{ products(first: 251) { nodes { id } } }");
    expect(tooMany.body.errors[0].extensions.code).toBe("BAD_REQUEST");
  });

  it("answers THROTTLED, taking nothing, when the bucket cannot pay, then recovers", async () => {
    emulator.shop(SHOP).bucket.drain();
    const { status, body } = await rawGraphql("{ products(first: 250) { nodes { id title } } }");
    expect(status).toBe(200);
    expect(body.errors[0].extensions.code).toBe("THROTTLED");
    expect(body.data).toBeUndefined();
    expect(body.extensions.cost.requestedQueryCost).toBe(13);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const cheap = await rawGraphql("{ shop { name } }");
    expect(cheap.body.data.shop.name).toBe("Admin API");
    emulator.shop(SHOP).bucket.refund(2000);
  });

  it("refuses a query costing more than 1000 with MAX_COST_EXCEEDED", async () => {
    const { body } = await rawGraphql(
      "{ products(first: 250) { nodes { variants(first: 250) { nodes { product { collections(first: 250) { nodes { id } } } } } } } }",
    );
    expect(body.errors[0].extensions.code).toBe("MAX_COST_EXCEEDED");
  });

  it("resolves node(s) by GID and returns null for unknown ids", async () => {
    const { data } = await graphql<{ products: { nodes: { id: string }[] } }>(
      "{ products(first: 1) { nodes { id } } }",
    );
    const id = data!.products.nodes[0].id;
    const { body } = await rawGraphql(`{ nodes(ids: ["${id}", "gid://shopify/Product/1"]) { __typename id } }`);
    expect(body.data.nodes).toEqual([{ __typename: "Product", id }, null]);
  });

  it("serves the app's products-by-id document with the merchant's metafields as variables, and without", async () => {
    const shop = "metafields-shop.myshopify.com";
    emulator.createShop(shop, { name: "Metafields" });
    const metafield = { namespace: "custom", key: "material", type: "single_line_text_field", value: "Wool" };
    const other = { namespace: "custom", key: "care", type: "single_line_text_field", value: "Hand wash" };
    emulator.seed(shop, [{ ...products(1)[0], metafields: [metafield, other] }]);
    const client = new api.clients.Graphql({ session: await installWithTokenExchange(api, emulator, shop) });
    const { data: list } = await client.request<{ products: { nodes: { id: string }[] } }>(PRODUCT_VERSIONS_PAGE);
    const ids = list!.products.nodes.map((node) => node.id);
    const byId = async (keys: MetafieldKey[]) =>
      (
        await client.request<AdminAnswer<typeof PRODUCTS_BY_ID>>(PRODUCTS_BY_ID, {
          variables: productsByIdVariables(ids, keys),
        })
      ).data!.nodes[0] as { metafields?: { nodes: unknown[] }; variants: { nodes: unknown[] } };
    expect((await byId(["custom.material"])).metafields?.nodes).toEqual([metafield]);
    const without = await byId([]);
    expect(without.metafields).toBeUndefined();
    expect(without.variants.nodes).toHaveLength(2);
  });
});

describe("bulk operations", () => {
  const RUN = `#graphql
    mutation Run($query: String!) { bulkOperationRunQuery(query: $query) {
      bulkOperation { id status type objectCount rootObjectCount fileSize url errorCode } userErrors { field message code } } }`;
  const BULK_QUERY = `{ products { edges { node { id title descriptionHtml variants { edges { node { id sku price } } } } } } }`;

  async function waitForCompletion(id: string) {
    for (let i = 0; i < 200; i++) {
      const { body } = await rawGraphql(
        `{ bulkOperation(id: "${id}") { id status objectCount rootObjectCount fileSize url } }`,
      );
      if (body.data.bulkOperation.status === "COMPLETED") return body.data.bulkOperation;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error("bulk operation did not complete");
  }

  it("runs CREATED → COMPLETED, five at once (API 2026-07) and refuses a sixth meanwhile, and serves Shopify-format JSONL", async () => {
    const release = emulator.shop(SHOP).bulk.hold();
    const { body: first } = await rawGraphql(RUN, { query: BULK_QUERY });
    const operation = first.data.bulkOperationRunQuery.bulkOperation;
    expect(operation).toMatchObject({
      status: "CREATED",
      type: "QUERY",
      objectCount: "0",
      rootObjectCount: "0",
      fileSize: null,
      url: null,
    });
    expect(first.extensions.cost.requestedQueryCost).toBe(10);

    // From API 2026-01 an app may run five bulk queries per shop at once.
    const others = [];
    for (let i = 0; i < 4; i++) others.push((await rawGraphql(RUN, { query: BULK_QUERY })).body);
    expect(others.map((body) => body.data.bulkOperationRunQuery.userErrors)).toEqual([[], [], [], []]);
    const { body: sixth } = await rawGraphql(RUN, { query: BULK_QUERY });
    expect(sixth.data.bulkOperationRunQuery).toEqual({
      bulkOperation: null,
      userErrors: [
        {
          field: null,
          message: `A bulk query operation for this app and shop is already in progress: ${operation.id}.`,
          code: "OPERATION_IN_PROGRESS",
        },
      ],
    });
    release();
    for (const body of others) await waitForCompletion(body.data.bulkOperationRunQuery.bulkOperation.id);

    const done = await waitForCompletion(operation.id);
    expect(done).toMatchObject({ objectCount: "360", rootObjectCount: "120" });
    // The app downloads the result with plain fetch (outside the seam): it must be an http URL here.
    const response = await fetch(done.url);
    expect(response.headers.get("content-type")).toBe("application/jsonl");
    const text = await response.text();
    expect(Buffer.byteLength(text)).toBe(Number(done.fileSize));
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.slice(0, -1).split("\n");
    expect(lines).toHaveLength(360);
    expect(lines[0]).toMatch(
      /^\{"id":"gid:\\\/\\\/shopify\\\/Product\\\/\d+","title":"Product 001","descriptionHtml":"\\u003cp\\u003eFine \\u0026 sturdy/,
    );
    const child = JSON.parse(lines[1]);
    expect(Object.keys(child)).toEqual(["id", "sku", "price", "__parentId"]);
    expect(child.__parentId).toBe(JSON.parse(lines[0]).id);

    const { body: current } = await rawGraphql("{ currentBulkOperation { id status } }");
    // The app's most recent one.
    const latest = others[3].data.bulkOperationRunQuery.bulkOperation.id;
    expect(current.data.currentBulkOperation).toEqual({ id: latest, status: "COMPLETED" });
  });

  it("fails part-way with a partialDataUrl serving the lines written before the failure", async () => {
    emulator.shop(SHOP).bulk.failNext(1, "TIMEOUT", { partialLines: 5 });
    const { body: run } = await rawGraphql(RUN, { query: BULK_QUERY });
    const id = run.data.bulkOperationRunQuery.bulkOperation.id;
    let op: Record<string, string | null> = { status: "CREATED" };
    for (let i = 0; i < 100 && (op.status === "CREATED" || op.status === "RUNNING"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      op = (
        await rawGraphql(
          `{ bulkOperation(id: "${id}") { status errorCode url partialDataUrl objectCount rootObjectCount } }`,
        )
      ).body.data.bulkOperation;
    }
    // Five lines: product 1 and its two variants, product 2 and its first variant (cut mid-product).
    expect(op).toMatchObject({ status: "FAILED", errorCode: "TIMEOUT", url: null, objectCount: "5" });
    expect(op.rootObjectCount).toBe("2");
    const text = await (await fetch(op.partialDataUrl!)).text();
    const lines = text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(5);
    expect(lines.filter((line) => !line.__parentId)).toHaveLength(2);
  });

  it("cancels a running operation (CANCELING → CANCELED, no result) and refuses to cancel a finished one", async () => {
    emulator.bulkStartDelayMs = 200;
    const { body: run } = await rawGraphql(RUN, { query: BULK_QUERY });
    emulator.bulkStartDelayMs = 0;
    const id = run.data.bulkOperationRunQuery.bulkOperation.id;
    const CANCEL = `mutation($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { field message } } }`;
    const { body: cancel } = await rawGraphql(CANCEL, { id });
    expect(cancel.data.bulkOperationCancel).toEqual({ bulkOperation: { id, status: "CANCELING" }, userErrors: [] });
    let status = "CANCELING";
    for (let i = 0; i < 100 && status === "CANCELING"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = (await rawGraphql(`{ bulkOperation(id: "${id}") { status } }`)).body.data.bulkOperation.status;
    }
    expect(status).toBe("CANCELED");
    const { body: after } = await rawGraphql(`{ bulkOperation(id: "${id}") { url completedAt } }`);
    expect(after.data.bulkOperation.url).toBeNull();
    expect(after.data.bulkOperation.completedAt).not.toBeNull();
    const { body: again } = await rawGraphql(CANCEL, { id });
    expect(again.data.bulkOperationCancel.userErrors[0].message).toMatch(/cannot be canceled when it is canceled/);
  });

  it("rejects invalid bulk queries with Shopify's messages", async () => {
    const cases: [string, string][] = [
      ["{ shop { name } }", "Bulk queries must contain at least one connection."],
      ["{ products { nodes { id } } }", "Selecting via 'nodes' is not supported"],
      [
        "{ products { edges { node { title variants { edges { node { id } } } } } } }",
        "Connection fields without 'id': products.",
      ],
      ["{ products { edges { node { id", "Invalid bulk query: "],
    ];
    for (const [query, message] of cases) {
      const { body } = await rawGraphql(RUN, { query });
      expect(body.data.bulkOperationRunQuery.bulkOperation).toBeNull();
      expect(body.data.bulkOperationRunQuery.userErrors[0]).toMatchObject({ field: ["query"], code: "INVALID" });
      expect(body.data.bulkOperationRunQuery.userErrors[0].message).toContain(message);
    }
  });

  it.skipIf(!fixturesPresent("captured bulk JSONL", DERIVED_JSONL))(
    "writes the captured bulk query's result in the captured byte format (ids aside)",
    async () => {
      const base = path.join(
        DERIVED_JSONL,
        "bulk-operation-root-count-and-search-filters.run.products-variants-media-metafields",
      );
      const captured = readFileSync(`${base}.jsonl`, "utf8");
      const query = readFileSync(`${base}.query.graphql`, "utf8");
      const records = captured
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line));
      const shop = "bulk-format.myshopify.com";
      emulator.createShop(shop);
      const token = await installWithTokenExchange(api, emulator, shop);
      const tag = /tag:([\w-]+)/.exec(query)![1];
      emulator.seed(shop, [
        { title: "Unrelated product", variants: [{ price: "1.00" }] },
        {
          title: records[0].title,
          tags: [tag],
          variants: [{ price: "1.00", sku: records[1].sku }],
          images: [{ src: "https://cdn.example.test/x.png", alt: records[2].alt }],
          metafields: [
            {
              namespace: records[3].namespace,
              key: records[3].key,
              type: "single_line_text_field",
              value: records[3].value,
            },
          ],
        },
      ]);
      const client = new api.clients.Graphql({ session: token });
      const run = await client.request<{ bulkOperationRunQuery: { bulkOperation: { id: string } } }>(RUN, {
        variables: { query },
      });
      const id = run.data!.bulkOperationRunQuery.bulkOperation.id;
      let url: string | null = null;
      for (let i = 0; i < 100 && !url; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const poll = await client.request<{ bulkOperation: { url: string | null } }>(
          `{ bulkOperation(id: "${id}") { url } }`,
        );
        url = poll.data!.bulkOperation.url;
      }
      const ours = await (await fetch(url!)).text();
      const normalise = (text: string) => text.replace(/(gid:\\\/\\\/shopify\\\/\w+\\\/)\d+/g, "$1N");
      expect(normalise(ours)).toBe(normalise(captured));
    },
  );
});

const LIST_CAPTURE = path.join(
  CONFORMANCE,
  "harry-test-heelo.myshopify.com",
  "2026-04",
  "webhooks",
  "webhook-subscription-list-connection.json",
);

describe.skipIf(!fixturesPresent("captured webhookSubscriptions pages", LIST_CAPTURE))("webhookSubscriptions", () => {
  const READ = `query ($first: Int, $last: Int, $after: String, $before: String, $reverse: Boolean,
      $sortKey: WebhookSubscriptionSortKeys, $query: String) {
    webhookSubscriptions(first: $first, last: $last, after: $after, before: $before, reverse: $reverse,
        sortKey: $sortKey, query: $query) {
      edges { cursor node { id topic } }
      nodes { id topic uri format createdAt updatedAt }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;
  type Page = {
    edges: { cursor: string; node: { id: string; topic: string } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
  };

  it("lists shop-scoped subscriptions only, paged and sorted like the captured Shopify answers", async () => {
    const capture = JSON.parse(readFileSync(LIST_CAPTURE, "utf8")) as {
      reads: Record<
        string,
        { variables: Record<string, unknown>; response: { payload: { data: { webhookSubscriptions: Page } } } }
      >;
    };
    // The app-scoped subscriptions of shopify.app.toml are delivered but not listed: none yet.
    const empty = await rawGraphql(READ, { first: 10 });
    expect(empty.body.data.webhookSubscriptions.nodes).toEqual([]);
    // The capture created ORDERS_CREATE, ORDERS_PAID, PRODUCTS_CREATE in that order.
    const ids = [
      emulator.addShopSubscription(SHOP, "orders/create", "https://example.com/hook-1"),
      emulator.addShopSubscription(SHOP, "orders/paid", "https://example.com/hook-2"),
      emulator.addShopSubscription(SHOP, "products/create", "https://example.com/hook-3"),
    ];
    const realIds: string[] = capture.reads.defaultSort.response.payload.data.webhookSubscriptions.edges.map(
      (edge) => edge.node.id,
    );
    const cursorMap = new Map<string, string>();
    for (const [name, read] of Object.entries(capture.reads)) {
      const variables = { ...read.variables };
      // Cursors are opaque: a captured one is replaced by ours for the same position.
      for (const key of ["after", "before"] as const)
        if (typeof variables[key] === "string") variables[key] = cursorMap.get(variables[key] as string);
      const ours = (await rawGraphql(READ, variables)).body.data.webhookSubscriptions as Page;
      const theirs = read.response.payload.data.webhookSubscriptions;
      const position = (id: string, list: string[]) => list.indexOf(id);
      expect(
        ours.edges.map((e) => [
          position(
            e.node.id,
            ids.map((id) => `gid://shopify/WebhookSubscription/${id}`),
          ),
          e.node.topic,
        ]),
        name,
      ).toEqual(theirs.edges.map((e) => [position(e.node.id, realIds), e.node.topic]));
      expect({ ...ours.pageInfo, startCursor: 0, endCursor: 0 }, name).toEqual({
        ...theirs.pageInfo,
        startCursor: 0,
        endCursor: 0,
      });
      theirs.edges.forEach((edge, index) => cursorMap.set(edge.cursor, ours.edges[index].cursor));
      // Same cursor content: {"last_id", "last_value"} with Shopify's value format for the sort key.
      const decode = (cursor: string) => Object.keys(JSON.parse(Buffer.from(cursor, "base64").toString()));
      expect(decode(ours.edges[0].cursor)).toEqual(decode(theirs.edges[0].cursor));
    }
    for (const id of ids) emulator.removeShopSubscription(SHOP, id);
  });

  it("refuses an unknown sort key as Shopify does", async () => {
    const reply = await rawGraphql("{ webhookSubscriptions(first: 1, sortKey: TOPIC) { nodes { id } } }");
    expect(reply.body.errors[0].message).toBe(
      "Argument 'sortKey' on Field 'webhookSubscriptions' has an invalid value (TOPIC). Expected type 'WebhookSubscriptionSortKeys'.",
    );
  });

  it("answers currentAppInstallation with the granted scopes", async () => {
    const reply = await rawGraphql("{ currentAppInstallation { accessScopes { handle } } }");
    expect(reply.body.data.currentAppInstallation.accessScopes.map((s: { handle: string }) => s.handle)).toEqual([
      "read_customers",
      "read_legal_policies",
      "read_online_store_pages",
      "read_orders",
      "read_products",
    ]);
  });
});
