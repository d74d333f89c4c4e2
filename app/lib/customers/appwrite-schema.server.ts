// The Appwrite customer store's schema: the database, its six collections, their attributes and
// indexes, and `ensureAppwriteSchema`, which creates whatever is missing (idempotent, safe on several
// instances at once) and waits until Appwrite has built it. Kept apart from the store so the store
// reads as data access only; docs/decisions/081-appwrite-customer-store.md explains the choices.
import { AppwriteException, DatabasesIndexType, OrderBy, type Databases } from "node-appwrite";
import { CustomerStoreError } from "./types";

type AttributeSpec =
  | { key: string; type: "string"; size: number; required?: boolean; array?: boolean }
  | { key: string; type: "integer" | "float" | "boolean" | "datetime"; required?: boolean };
export interface CollectionSpec {
  id: string;
  name: string;
  attributes: AttributeSpec[];
  indexes: { key: string; attributes: string[]; orders?: OrderBy[] }[];
}

const SHOP = { key: "shop", type: "string", size: 255, required: true } as const;
const CUSTOMER_ID = { key: "customerId", type: "string", size: 32 } as const;
const ID = (key: string, required = true) => ({ key, type: "string", size: 64, required }) as const;
const DATE = (key: string, required = true) => ({ key, type: "datetime", required }) as const;

/** The collections this store owns, by their Appwrite ids. */
export const APPWRITE_COLLECTIONS: CollectionSpec[] = [
  {
    id: "customers",
    name: "Customer profiles",
    attributes: [
      SHOP,
      { ...CUSTOMER_ID, required: true },
      { key: "firstName", type: "string", size: 255 },
      { key: "tags", type: "string", size: 255, array: true },
      { key: "orderCount", type: "integer" },
      { key: "marketingConsent", type: "string", size: 32, required: true },
      DATE("sourceUpdatedAt"),
    ],
    indexes: [{ key: "shop_customer", attributes: ["shop", "customerId"] }],
  },
  {
    id: "orders",
    name: "Customer order summaries",
    attributes: [
      SHOP,
      ID("orderId"),
      { ...CUSTOMER_ID, required: true },
      { key: "name", type: "string", size: 255, required: true },
      DATE("placedAt"),
      { key: "financialStatus", type: "string", size: 64 },
      { key: "fulfillmentStatus", type: "string", size: 64 },
      DATE("cancelledAt", false),
      DATE("closedAt", false),
      { key: "itemsJson", type: "string", size: 65_535, required: true },
      { key: "fulfillmentsJson", type: "string", size: 65_535, required: true },
      DATE("sourceUpdatedAt"),
    ],
    indexes: [{ key: "shop_customer_placed", attributes: ["shop", "customerId", "placedAt"] }],
  },
  {
    id: "conversations",
    name: "Chat conversations",
    attributes: [
      SHOP,
      { key: "visitorId", type: "string", size: 255, required: true },
      CUSTOMER_ID,
      DATE("startedAt"),
      DATE("lastMessageAt"),
      { key: "messageCount", type: "integer", required: true },
    ],
    indexes: [
      { key: "shop_last", attributes: ["shop", "lastMessageAt"], orders: [OrderBy.Asc, OrderBy.Desc] },
      { key: "shop_customer", attributes: ["shop", "customerId"] },
      { key: "last", attributes: ["lastMessageAt"] },
    ],
  },
  {
    id: "messages",
    name: "Chat messages",
    attributes: [
      ID("conversationId"),
      SHOP,
      CUSTOMER_ID,
      { key: "position", type: "integer", required: true },
      { key: "role", type: "string", size: 16, required: true },
      { key: "text", type: "string", size: 16_384, required: true },
      { key: "productIds", type: "string", size: 64, array: true },
      DATE("createdAt"),
    ],
    indexes: [
      { key: "conversation_position", attributes: ["conversationId", "position"] },
      { key: "shop_customer", attributes: ["shop", "customerId"] },
    ],
  },
  {
    id: "cart_events",
    name: "Chat add-to-cart events",
    attributes: [ID("conversationId"), SHOP, CUSTOMER_ID, ID("productId"), ID("variantId", false), DATE("createdAt")],
    indexes: [
      { key: "conversation_created", attributes: ["conversationId", "createdAt"] },
      { key: "shop_customer", attributes: ["shop", "customerId"] },
    ],
  },
  {
    id: "data_exports",
    name: "Customer data exports",
    attributes: [
      SHOP,
      { ...CUSTOMER_ID, required: true },
      { key: "requestId", type: "string", size: 128, required: true },
      DATE("createdAt"),
      { key: "json", type: "string", size: 10_000_000, required: true },
    ],
    indexes: [
      { key: "shop_created", attributes: ["shop", "createdAt"], orders: [OrderBy.Asc, OrderBy.Desc] },
      { key: "shop_customer", attributes: ["shop", "customerId"] },
    ],
  },
];

const BUILD_TIMEOUT_MS = 120_000;

/** Appwrite answered with this HTTP status (404 missing, 409 exists…). */
export const isAppwriteError = (error: unknown, code: number) =>
  error instanceof AppwriteException && error.code === code;

/** The server has no such route: what an Appwrite older than the feature answers. */
export const isMissingRoute = (error: unknown) =>
  isAppwriteError(error, 404) && (error as AppwriteException).type === "general_route_not_found";

// A 409 means another instance created it between our check and our create: the outcome we wanted.
async function tolerateConflict(create: () => Promise<unknown>) {
  try {
    await create();
  } catch (error) {
    if (!isAppwriteError(error, 409)) throw error;
  }
}

export interface SchemaOptions {
  /** Polling interval while Appwrite builds attributes and indexes (default 50 ms). */
  pollMs?: number;
}

/**
 * Creates the database, the collections (the customer store's unless others are named: the product
 * mirror's), attributes and indexes that are missing, then waits until all are built.
 */
export async function ensureAppwriteSchema(
  databases: Databases,
  databaseId: string,
  options: SchemaOptions = {},
  collections: CollectionSpec[] = APPWRITE_COLLECTIONS,
): Promise<void> {
  try {
    await databases.get({ databaseId });
  } catch (error) {
    if (!isAppwriteError(error, 404)) throw error;
    await tolerateConflict(() => databases.create({ databaseId, name: "Aisle customers" }));
  }
  for (const spec of collections) {
    try {
      await databases.getCollection({ databaseId, collectionId: spec.id });
    } catch (error) {
      if (!isAppwriteError(error, 404)) throw error;
      await tolerateConflict(() => databases.createCollection({ databaseId, collectionId: spec.id, name: spec.name }));
    }
    const existing = new Set(
      (await databases.listAttributes({ databaseId, collectionId: spec.id })).attributes.map(
        (attribute) => (attribute as { key: string }).key,
      ),
    );
    for (const attribute of spec.attributes.filter((a) => !existing.has(a.key))) {
      await tolerateConflict(() => createAttribute(databases, databaseId, spec.id, attribute));
    }
  }
  // Indexes can only be built on available attributes.
  await waitUntilBuilt(databases, databaseId, "attributes", options.pollMs ?? 50, collections);
  for (const spec of collections) {
    const existing = new Set(
      (await databases.listIndexes({ databaseId, collectionId: spec.id })).indexes.map((i) => i.key),
    );
    for (const index of spec.indexes.filter((i) => !existing.has(i.key))) {
      await tolerateConflict(() =>
        databases.createIndex({
          databaseId,
          collectionId: spec.id,
          key: index.key,
          type: DatabasesIndexType.Key,
          attributes: index.attributes,
          ...(index.orders ? { orders: index.orders } : {}),
        }),
      );
    }
  }
  await waitUntilBuilt(databases, databaseId, "indexes", options.pollMs ?? 50, collections);
}

function createAttribute(databases: Databases, databaseId: string, collectionId: string, spec: AttributeSpec) {
  const base = { databaseId, collectionId, key: spec.key, required: spec.required ?? false };
  switch (spec.type) {
    case "string":
      return databases.createStringAttribute({ ...base, size: spec.size, array: spec.array ?? false });
    case "integer":
      return databases.createIntegerAttribute(base);
    case "float":
      return databases.createFloatAttribute(base);
    case "boolean":
      return databases.createBooleanAttribute(base);
    case "datetime":
      return databases.createDatetimeAttribute(base);
  }
}

/** Appwrite builds attributes and indexes asynchronously: waits until all are available, or fails with its reason. */
async function waitUntilBuilt(
  databases: Databases,
  databaseId: string,
  what: "attributes" | "indexes",
  pollMs: number,
  collections: CollectionSpec[],
) {
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    const pending: string[] = [];
    for (const spec of collections) {
      const items =
        what === "attributes"
          ? (await databases.listAttributes({ databaseId, collectionId: spec.id })).attributes
          : (await databases.listIndexes({ databaseId, collectionId: spec.id })).indexes;
      for (const item of items as { key: string; status: string; error?: string }[]) {
        if (item.status === "failed" || item.status === "stuck") {
          throw new CustomerStoreError(`Appwrite could not build ${spec.id}.${item.key}: ${item.error ?? item.status}`);
        }
        if (item.status !== "available") pending.push(`${spec.id}.${item.key}`);
      }
    }
    if (!pending.length) return;
    if (Date.now() > deadline) {
      throw new CustomerStoreError(`Appwrite is still building ${what}: ${pending.join(", ")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
