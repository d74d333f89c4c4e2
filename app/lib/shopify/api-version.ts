// The Admin API version Aisle is written against: the app's `shopifyApp({ apiVersion })`, the webhooks'
// `api_version` in shopify.app.toml and the schema the GraphQL types are generated from
// (.graphqlrc.ts) all name this one; tests/shopify/app-config.test.ts keeps them equal.
export const ADMIN_API_VERSION = "2026-07";
