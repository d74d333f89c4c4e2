// Webhook subscriptions as Shopify keeps them for one shop. App-scoped subscriptions (the app's
// shopify.app.toml) are delivered to every shop whose granted scopes cover the topic, and are NOT
// listed by the Admin API's `webhookSubscriptions` (the 2026-07 schema says so: "Returns only
// shop-scoped subscriptions, not app-scoped subscriptions configured in TOML files"). Shop-scoped
// subscriptions (created through the API, or the `addShopSubscription` fault knob) are listed and
// delivered.

/** What a topic needs granted before Shopify delivers it; topics not listed need nothing. */
const TOPIC_SCOPE_PREFIXES: Record<string, string> = {
  "products/": "products",
  "customers/create": "customers",
  "customers/update": "customers",
  "customers/delete": "customers",
  "orders/": "orders",
  "collections/": "products",
  "inventory_levels/": "inventory",
};

export function scopeResourceFor(topic: string): string | null {
  for (const [prefix, resource] of Object.entries(TOPIC_SCOPE_PREFIXES)) if (topic.startsWith(prefix)) return resource;
  return null;
}

/** `read_x` or `write_x` covers a topic of resource x. */
export function scopesCover(scopes: readonly string[], topic: string): boolean {
  const resource = scopeResourceFor(topic);
  return resource === null || scopes.includes(`read_${resource}`) || scopes.includes(`write_${resource}`);
}

/** "orders/create" → "ORDERS_CREATE" (the `WebhookSubscriptionTopic` enum). */
export const topicEnum = (topic: string) => topic.toUpperCase().replace(/\//g, "_");

export interface ShopWebhookSubscription {
  id: number;
  /** As webhooks name it: "orders/create". */
  topic: string;
  uri: string;
  format: "JSON";
  filter: string | null;
  includeFields: string[];
  createdAt: string;
  updatedAt: string;
}

/** Shopify's `created_at` cursor value: "2026-07-03 20:55:48.000000". */
export const createdAtCursorValue = (iso: string) => `${iso.slice(0, 19).replace("T", " ")}.000000`;
