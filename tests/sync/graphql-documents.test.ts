// Every Admin GraphQL document the sync engine sends validates against Shopify's real 2026-07 schema
// (printed from a live store's introspection), and none uses a deprecated field.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { buildSchema, parse, validate, NoDeprecatedCustomRule, type GraphQLSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import {
  BULK_OPERATION_CANCEL,
  BULK_OPERATION_RUN_QUERY,
  BULK_OPERATION_STATUS,
  PRODUCT_VERSIONS_PAGE,
  productsBulkQuery,
  productsByIdQuery,
} from "../../app/lib/shopify/product-queries";
import { SHOP_PRIMARY_DOMAIN_QUERY } from "../../app/lib/storefront/storefront-shops.server";

const SCHEMA = path.resolve(
  "../shared/data/shopify-fixtures/shopify-draft-proxy/config/admin-graphql/2026-07/schema.graphql",
);
const present = existsSync(SCHEMA);
if (!present) console.warn(`[skip] Shopify 2026-07 SDL not found at ${SCHEMA}: GraphQL documents not validated`);

const documents: Record<string, string> = {
  "bulk products query": productsBulkQuery(),
  "bulk products query with metafields": productsBulkQuery(["custom.material", "specs.fit"]),
  bulkOperationRunQuery: BULK_OPERATION_RUN_QUERY,
  "bulkOperation status": BULK_OPERATION_STATUS,
  bulkOperationCancel: BULK_OPERATION_CANCEL,
  "product versions page": PRODUCT_VERSIONS_PAGE,
  "products by id": productsByIdQuery(),
  "products by id with metafields": productsByIdQuery(["custom.material"]),
  "shop primary domain (storefront origins)": SHOP_PRIMARY_DOMAIN_QUERY,
};

describe.skipIf(!present)("Admin GraphQL documents against the 2026-07 schema", () => {
  let schema: GraphQLSchema;
  beforeAll(() => {
    schema = buildSchema(readFileSync(SCHEMA, "utf8"), { assumeValidSDL: true });
  });

  for (const [name, document] of Object.entries(documents)) {
    it(`${name} is valid and uses no deprecated field`, () => {
      const errors = validate(schema, parse(document));
      expect(errors.map((e) => e.message)).toEqual([]);
      const deprecated = validate(schema, parse(document), [NoDeprecatedCustomRule]);
      expect(deprecated.map((e) => e.message)).toEqual([]);
    });
  }

  it("would catch a wrong document (the deprecated Product.images)", () => {
    const errors = validate(schema, parse("{ products(first: 1) { nodes { images(first: 1) { nodes { url } } } } }"), [
      NoDeprecatedCustomRule,
    ]);
    expect(errors.length).toBeGreaterThan(0);
  });
});
