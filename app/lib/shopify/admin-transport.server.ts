// Admin GraphQL through the app's own Shopify client (offline session of the shop, and the
// @shopify/shopify-api fetch seam). GraphQL errors come back as a body, not as an exception, so
// the throttling layer sees THROTTLED answers and their cost extensions.
import { GraphqlQueryError } from "@shopify/shopify-api";
import type { GraphqlError, GraphqlResponse, GraphqlTransport } from "./admin-graphql";

interface AdminApiContext {
  graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

export type UnauthenticatedAdmin = (shop: string) => Promise<{ admin: AdminApiContext }>;

function normalize(body: unknown): GraphqlResponse {
  const raw = (body ?? {}) as { data?: unknown; errors?: unknown; extensions?: GraphqlResponse["extensions"] };
  // The client nests GraphQL errors as { graphQLErrors: [...] }; a raw HTTP body has an array.
  const errors = Array.isArray(raw.errors)
    ? (raw.errors as GraphqlError[])
    : ((raw.errors as { graphQLErrors?: GraphqlError[] } | undefined)?.graphQLErrors ?? undefined);
  return { data: raw.data, errors, extensions: raw.extensions };
}

export function shopifyAppTransport(unauthenticatedAdmin: UnauthenticatedAdmin) {
  return async (shop: string): Promise<GraphqlTransport> => {
    const { admin } = await unauthenticatedAdmin(shop);
    return async (query, variables) => {
      try {
        const response = await admin.graphql(query, { variables });
        return normalize(await response.json());
      } catch (error) {
        if (error instanceof GraphqlQueryError) return normalize(error.body);
        throw error;
      }
    };
  };
}
