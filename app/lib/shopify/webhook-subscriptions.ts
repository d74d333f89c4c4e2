// What the app expects Shopify to deliver (its shopify.app.toml, mirrored here because the production
// server does not ship a TOML parser; app-webhooks.test.ts keeps the two equal) and the comparison with
// what Shopify reports for one shop (decision 107).
//
// Shopify lists only shop-scoped subscriptions through `webhookSubscriptions`; the app's own
// subscriptions are app-scoped (declared in the TOML) and never listed. So a declared topic is
// "missing" for a shop when the shop has not granted the access scope the topic needs (Shopify does not
// deliver it), and every listed subscription is "extra": the app creates none, so one is a leftover of
// an older app version or a tool, delivered beside the app-scoped one or to a foreign address.

export interface DeclaredSubscription {
  topic: string;
  /** Path on the app, as in the TOML. */
  uri: string;
  compliance?: boolean;
}

export const DECLARED_WEBHOOK_SUBSCRIPTIONS: readonly DeclaredSubscription[] = [
  { topic: "app/uninstalled", uri: "/webhooks/app/uninstalled" },
  { topic: "app/scopes_update", uri: "/webhooks/app/scopes_update" },
  { topic: "products/create", uri: "/webhooks/products/create" },
  { topic: "products/update", uri: "/webhooks/products/update" },
  { topic: "products/delete", uri: "/webhooks/products/delete" },
  { topic: "bulk_operations/finish", uri: "/webhooks/bulk_operations/finish" },
  { topic: "customers/create", uri: "/webhooks/customers/create" },
  { topic: "customers/update", uri: "/webhooks/customers/update" },
  { topic: "customers/delete", uri: "/webhooks/customers/delete" },
  { topic: "orders/create", uri: "/webhooks/orders/create" },
  { topic: "orders/updated", uri: "/webhooks/orders/updated" },
  { topic: "customers/data_request", uri: "/webhooks/customers/data_request", compliance: true },
  { topic: "customers/redact", uri: "/webhooks/customers/redact", compliance: true },
  { topic: "shop/redact", uri: "/webhooks/shop/redact", compliance: true },
];

/** The resource whose `read_`/`write_` scope a topic needs (Shopify's webhook reference); null: none. */
export function topicScopeResource(topic: string): string | null {
  if (topic.startsWith("products/") || topic.startsWith("collections/")) return "products";
  if (topic.startsWith("orders/")) return "orders";
  if (["customers/create", "customers/update", "customers/delete"].includes(topic)) return "customers";
  return null;
}

/**
 * A `WebhookSubscriptionTopic` value as the app names topics: "ORDERS_CREATE" → "orders/create" for a
 * declared topic; any other stays as Shopify reports it ("ORDERS_PAID"), since the enum does not say where
 * the slash goes ("FULFILLMENT_ORDERS_…", "APP_SUBSCRIPTIONS_…").
 */
export function topicFromEnum(value: string): string {
  return DECLARED_WEBHOOK_SUBSCRIPTIONS.find((s) => s.topic.toUpperCase().replace("/", "_") === value)?.topic ?? value;
}

export const WEBHOOK_SUBSCRIPTIONS_QUERY = `#graphql
  query AisleWebhookSubscriptions($after: String) {
    currentAppInstallation {
      accessScopes {
        handle
      }
    }
    webhookSubscriptions(first: 100, after: $after) {
      nodes {
        id
        topic
        uri
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export interface ListedSubscription {
  id: string;
  topic: string;
  uri: string;
}

export interface MissingSubscription {
  topic: string;
  reason: string;
}

export interface ExtraSubscription {
  id: string;
  topic: string;
  uri: string;
  reason: string;
}

/** Pure comparison of the declaration with what Shopify reports for one shop. */
export function compareSubscriptions(
  declared: readonly DeclaredSubscription[],
  grantedScopes: readonly string[],
  listed: readonly ListedSubscription[],
  appUrl: string,
): { missing: MissingSubscription[]; extra: ExtraSubscription[] } {
  const missing: MissingSubscription[] = [];
  for (const { topic } of declared) {
    const resource = topicScopeResource(topic);
    if (resource && !grantedScopes.includes(`read_${resource}`) && !grantedScopes.includes(`write_${resource}`))
      missing.push({ topic, reason: `access scope read_${resource} not granted: Shopify does not deliver it` });
  }
  const extra = listed.map((subscription): ExtraSubscription => {
    const own = declared.find((d) => d.topic === subscription.topic);
    const reason = !own
      ? "not in shopify.app.toml"
      : subscription.uri === new URL(own.uri, appUrl).href
        ? "duplicates the app-scoped subscription: each event is delivered twice"
        : "duplicates the app-scoped subscription, to another address";
    return { ...subscription, reason };
  });
  return { missing, extra };
}
