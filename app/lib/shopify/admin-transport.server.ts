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

/** No Admin API access for the shop right now (its token could not be refreshed); a later pass retries. */
export class AdminAccessError extends Error {
  constructor(
    readonly shop: string,
    readonly status: number,
  ) {
    super(`no Admin API access for ${shop}: Shopify refused a fresh access token (${status})`);
    this.name = "AdminAccessError";
  }
}

export function shopifyAppTransport(unauthenticatedAdmin: UnauthenticatedAdmin) {
  return async (shop: string): Promise<GraphqlTransport> => {
    let admin: AdminApiContext;
    try {
      ({ admin } = await unauthenticatedAdmin(shop));
    } catch (error) {
      // The library throws a bare Response when Shopify refuses to refresh an expired token (after an
      // uninstall, or a revoked refresh token): an Error that says so, for the callers' logs and retries.
      if (error instanceof Response) throw new AdminAccessError(shop, error.status);
      throw error;
    }
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
