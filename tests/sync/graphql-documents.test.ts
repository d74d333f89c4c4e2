// Every Admin GraphQL document the sync engine sends validates against Shopify's real 2026-07 schema
// (printed from a live store's introspection), and none uses a deprecated field.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  buildSchema,
  Kind,
  parse,
  validate,
  NoDeprecatedCustomRule,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import {
  BULK_OPERATION_RUN_QUERY,
  BULK_OPERATION_STATUS,
  PRODUCT_VERSIONS_PAGE,
  PRODUCTS_BY_ID,
  productsBulkQuery,
  productsByIdVariables,
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
  "product versions page": PRODUCT_VERSIONS_PAGE,
  "products by id": PRODUCTS_BY_ID,
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

type Fragments = ReadonlyMap<string, SelectionSetNode>;

/** Field paths under a selection, fragments spread, connections flattened (edges/node/nodes), arguments ignored. */
function fieldPaths(selectionSet: SelectionSetNode | undefined, fragments: Fragments, prefix = ""): string[] {
  return (selectionSet?.selections ?? []).flatMap((selection) => {
    if (selection.kind === Kind.INLINE_FRAGMENT) return fieldPaths(selection.selectionSet, fragments, prefix);
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments.get(selection.name.value);
      if (!fragment) throw new Error(`fragment ${selection.name.value} is not defined in the document`);
      return fieldPaths(fragment, fragments, prefix);
    }
    const name = selection.name.value;
    if (["edges", "node", "nodes"].includes(name)) return fieldPaths(selection.selectionSet, fragments, prefix);
    const path = prefix ? `${prefix}.${name}` : name;
    return selection.selectionSet ? fieldPaths(selection.selectionSet, fragments, path) : [path];
  });
}

/** The product's fields in a document whose first root field lists products. */
function productFields(document: string): string[] {
  const { definitions } = parse(document);
  const fragments = new Map(
    definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])),
  );
  const operation = definitions[0];
  if (operation.kind !== Kind.OPERATION_DEFINITION) throw new Error("not an operation");
  const root = operation.selectionSet.selections[0];
  return root.kind === Kind.FIELD ? fieldPaths(root.selectionSet, fragments).sort() : [];
}

describe("the by-id fetch and the bulk export", () => {
  it("ask for the same product fields (variant images only by id: bulk queries nest two levels at most)", () => {
    const bulk = productFields(productsBulkQuery(["custom.material"]));
    const byId = productFields(PRODUCTS_BY_ID).filter((field) => !field.startsWith("variants.media."));
    expect(byId).toEqual(bulk);
    expect(bulk).toContain("metafields.value");
    expect(productFields(productsBulkQuery())).not.toContain("metafields.value");
  });

  it("take the product and variant fields from one fragment each (the by-id document spreads them)", () => {
    const spreads = [...PRODUCTS_BY_ID.matchAll(/\.\.\.(\w+)/g)].map((match) => match[1]);
    expect(spreads).toEqual(["AisleProductFields", "AisleVariantFields"]);
    // No field of the fragments is also written out beside the spreads.
    const byId = productFields(PRODUCTS_BY_ID);
    expect(byId.length).toBe(new Set(byId).size);
    expect(byId).toEqual(expect.arrayContaining(["descriptionHtml", "featuredMedia.image.altText", "variants.sku"]));
  });

  it("fill the metafield variables from the merchant's keys (none: the selection is skipped)", () => {
    expect(productsByIdVariables(["gid://shopify/Product/1"], ["custom.material", "specs.fit"])).toEqual({
      ids: ["gid://shopify/Product/1"],
      withMetafields: true,
      metafieldKeys: ["custom.material", "specs.fit"],
      metafieldCount: 2,
    });
    expect(productsByIdVariables(["gid://shopify/Product/1"])).toMatchObject({
      withMetafields: false,
      metafieldCount: 1,
    });
  });
});
