// Every Admin GraphQL document the sync engine sends. tests/sync/graphql-documents.test.ts
// validates each one against Shopify's real 2026-07 schema.

/** A metafield the merchant chose to index, "namespace.key". */
export type MetafieldKey = `${string}.${string}`;

// The product and variant fields both product documents ask for, once. They are #graphql fragments so
// codegen types them (AisleProductFieldsFragment, AisleVariantFieldsFragment) and resolves them where
// PRODUCTS_BY_ID interpolates them, as Shopify's template does with fragments. `as const` keeps each text
// a literal type: AdminGraphql.query finds a document's generated types by its exact text.
const PRODUCT_FIELDS = `#graphql
  fragment AisleProductFields on Product {
    id
    handle
    title
    descriptionHtml
    vendor
    productType
    tags
    status
    publishedAt
    onlineStoreUrl
    createdAt
    updatedAt
    options {
      name
      values
    }
    featuredMedia {
      ... on MediaImage {
        image {
          url
          altText
        }
      }
    }
  }
` as const;

const VARIANT_FIELDS = `#graphql
  fragment AisleVariantFields on ProductVariant {
    id
    title
    sku
    barcode
    price
    compareAtPrice
    availableForSale
    inventoryQuantity
    selectedOptions {
      name
      value
    }
  }
` as const;

/** A fragment's selections, to write into a document in place of a spread. */
const selectionsOf = (fragment: string) => fragment.slice(fragment.indexOf("{") + 1, fragment.lastIndexOf("}"));

/**
 * The initial import's bulk query. Bulk operations flatten nested connections into JSONL lines
 * carrying `__parentId`; app/lib/shopify/bulk-jsonl.ts puts products back together. Shopify refuses
 * connections nested deeper than two in bulk queries, so variant images (products → variants →
 * media) are not exported; webhooks and by-id fetches carry them. Bulk queries take no variables, so
 * the metafield keys are written into the text: the one document built at run time, hence not typed
 * by codegen; its records are checked field by field in product-from-graphql.ts. The fragments'
 * selections are written in rather than spread: Shopify's bulk-operation guide does not promise
 * fragment support, and the exported query stays what it was.
 */
export function productsBulkQuery(metafieldKeys: readonly MetafieldKey[] = []): string {
  return `{
  products {
    edges {
      node {${selectionsOf(PRODUCT_FIELDS)}
        variants { edges { node {${selectionsOf(VARIANT_FIELDS)}
        } } }
        collections { edges { node { id handle title } } }
        ${metafieldKeys.length ? `metafields(keys: ${JSON.stringify(metafieldKeys)}) { edges { node { namespace key type value } } }` : ""}
      }
    }
  }
}`;
}

// The documents below are static #graphql strings: .graphqlrc.ts generates their variable and
// answer types (app/lib/shopify/generated/admin.generated.d.ts), and AdminGraphql.query picks them by the string.

export const BULK_OPERATION_RUN_QUERY = `#graphql
  mutation AisleBulkProducts($query: String!) {
    bulkOperationRunQuery(query: $query, groupObjects: true) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const BULK_OPERATION_STATUS = `#graphql
  query AisleBulkOperation($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      objectCount
      rootObjectCount
      fileSize
      url
      partialDataUrl
      createdAt
      completedAt
    }
  }
`;

/** Reconciliation: every product's id and updatedAt, 250 per page. */
export const PRODUCT_VERSIONS_PAGE = `#graphql
  query AisleProductVersions($after: String) {
    products(first: 250, after: $after) {
      nodes {
        id
        updatedAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/**
 * Full products by id (webhook completion, reconciliation repairs): the same fields as the bulk export
 * (the fragments above; tests/sync/graphql-documents.test.ts compares the two). The merchant's metafields are variables,
 * so one static document serves every SYNC_METAFIELDS setting: productsByIdVariables fills them.
 */
export const PRODUCTS_BY_ID = `#graphql
  query AisleProductsById(
    $ids: [ID!]!
    $withMetafields: Boolean!
    $metafieldKeys: [String!]
    $metafieldCount: Int!
  ) {
    nodes(ids: $ids) {
      ... on Product {
        ...AisleProductFields
        variants(first: 250) {
          nodes {
            ...AisleVariantFields
            media(first: 1) {
              nodes {
                ... on MediaImage {
                  id
                  image {
                    url
                  }
                }
              }
            }
          }
        }
        collections(first: 50) {
          nodes {
            id
            handle
            title
          }
        }
        metafields(keys: $metafieldKeys, first: $metafieldCount) @include(if: $withMetafields) {
          nodes {
            namespace
            key
            type
            value
          }
        }
      }
    }
  }
  ${PRODUCT_FIELDS}
  ${VARIANT_FIELDS}
` as const;

export function productsByIdVariables(ids: string[], metafieldKeys: readonly MetafieldKey[] = []) {
  return {
    ids,
    withMetafields: metafieldKeys.length > 0,
    metafieldKeys: [...metafieldKeys],
    // A connection needs a page size even when skipped; Shopify allows 250 keys per request.
    metafieldCount: Math.min(250, Math.max(1, metafieldKeys.length)),
  };
}

/** Parses SYNC_METAFIELDS ("custom.material, specs.fit") into keys; rejects malformed entries. */
export function parseMetafieldKeys(list: readonly string[]): MetafieldKey[] {
  return list.map((entry) => {
    if (!/^[\w-]+\.[\w-]+$/.test(entry)) throw new Error(`metafield "${entry}" is not "namespace.key"`);
    return entry as MetafieldKey;
  });
}
