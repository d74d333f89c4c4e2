// Every Admin GraphQL document the sync engine sends. tests/sync/graphql-documents.test.ts
// validates each one against Shopify's real 2026-07 schema.

/** A metafield the merchant chose to index, "namespace.key". */
export type MetafieldKey = `${string}.${string}`;

const MAX_VARIANTS = 250;
const MAX_COLLECTIONS = 50;

/** Product fields shared by the bulk export and the by-id fetch (connections differ: see below). */
const PRODUCT_SCALARS = `
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
    options { name values }
    featuredMedia { ... on MediaImage { image { url altText } } }`;

const variantFields = (paged: boolean) => `
    id
    title
    sku
    barcode
    price
    compareAtPrice
    availableForSale
    inventoryQuantity
    selectedOptions { name value }
    ${paged ? "media(first: 1) { nodes { ... on MediaImage { id image { url } } } }" : ""}`;

const metafieldsSelection = (keys: readonly MetafieldKey[], paged: boolean) =>
  keys.length
    ? `metafields(keys: ${JSON.stringify(keys)}${paged ? `, first: ${keys.length}` : ""}) { ${paged ? "nodes" : "edges { node"} { namespace key type value }${paged ? "" : " }"} }`
    : "";

/**
 * The initial import's bulk query. Bulk operations flatten nested connections into JSONL lines
 * carrying `__parentId`; app/lib/shopify/bulk-jsonl.ts puts products back together. Shopify refuses
 * connections nested deeper than two in bulk queries, so variant images (products → variants →
 * media) are not exported; webhooks and by-id fetches carry them.
 */
export function productsBulkQuery(metafieldKeys: readonly MetafieldKey[] = []): string {
  return `{
  products {
    edges {
      node {${PRODUCT_SCALARS}
        variants { edges { node {${variantFields(false)}
        } } }
        collections { edges { node { id handle title } } }
        ${metafieldsSelection(metafieldKeys, false)}
      }
    }
  }
}`;
}

export const BULK_OPERATION_RUN_QUERY = `mutation AisleBulkProducts($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: true) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`;

export const BULK_OPERATION_STATUS = `query AisleBulkOperation($id: ID!) {
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
}`;

export const BULK_OPERATION_CANCEL = `mutation AisleBulkCancel($id: ID!) {
  bulkOperationCancel(id: $id) {
    bulkOperation { id status }
    userErrors { field message }
  }
}`;

/** Reconciliation: every product's id and updatedAt, 250 per page. */
export const PRODUCT_VERSIONS_PAGE = `query AisleProductVersions($after: String) {
  products(first: 250, after: $after) {
    nodes { id updatedAt }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Full products by id (webhook completion, reconciliation repairs): same shape as the bulk export. */
export function productsByIdQuery(metafieldKeys: readonly MetafieldKey[] = []): string {
  return `query AisleProductsById($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on Product {${PRODUCT_SCALARS}
      variants(first: ${MAX_VARIANTS}) { nodes {${variantFields(true)}
      } }
      collections(first: ${MAX_COLLECTIONS}) { nodes { id handle title } }
      ${metafieldsSelection(metafieldKeys, true)}
    }
  }
}`;
}

/** Parses SYNC_METAFIELDS ("custom.material, specs.fit") into keys; rejects malformed entries. */
export function parseMetafieldKeys(list: readonly string[]): MetafieldKey[] {
  return list.map((entry) => {
    if (!/^[\w-]+\.[\w-]+$/.test(entry)) throw new Error(`metafield "${entry}" is not "namespace.key"`);
    return entry as MetafieldKey;
  });
}
