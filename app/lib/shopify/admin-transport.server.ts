// Admin GraphQL through the app's own Shopify client (offline session of the shop, and the
// @shopify/shopify-api fetch seam). GraphQL errors come back as a body, not as an exception, so
// the throttling layer sees THROTTLED answers and their cost extensions.
import type { PrismaClient } from "@prisma/client";
import { GraphqlQueryError, HttpResponseError, type Session } from "@shopify/shopify-api";
import { abstractFetch } from "@shopify/shopify-api/runtime";
import type { GraphqlError, GraphqlResponse, GraphqlTransport } from "./admin-graphql";

interface AdminApiContext {
  graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

export type UnauthenticatedAdmin = (shop: string) => Promise<{ admin: AdminApiContext; session: Session }>;

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

/**
 * After a 401: marks the stored offline token as expired, so that the library refreshes it on next
 * use. Shopify/shopify-app-js#3400: a token answer without `expires_in` is stored without an expiry,
 * and the library then never refreshes it; the 401 is how we learn that the token has in fact
 * expired. Only the refused token is marked, in one conditional update: a token another process
 * refreshed meanwhile is kept (overwriting it would strand the rotated refresh token). True when a
 * retry can use a fresh token; false when there is nothing to refresh with.
 */
export async function expireRefusedToken(db: PrismaClient, sessionId: string, refusedToken: string): Promise<boolean> {
  const { count } = await db.session.updateMany({
    where: { id: sessionId, accessToken: refusedToken, refreshToken: { not: null } },
    data: { expires: new Date() },
  });
  if (count) return true;
  return (await db.session.count({ where: { id: sessionId, NOT: { accessToken: refusedToken } } })) > 0;
}

const unauthorized = (error: unknown) => error instanceof HttpResponseError && error.response.code === 401;

export function shopifyAppTransport(
  unauthenticatedAdmin: UnauthenticatedAdmin,
  /** On a 401: mark the refused token expired (expireRefusedToken); true if a retry can use a fresh one. */
  expireToken: (session: Session) => Promise<boolean> = async () => false,
) {
  const connect = async (shop: string) => {
    try {
      return await unauthenticatedAdmin(shop);
    } catch (error) {
      // The library throws a bare Response when Shopify refuses to refresh an expired token (after an
      // uninstall, or a revoked refresh token): an Error that says so, for the callers' logs and retries.
      if (error instanceof Response) throw new AdminAccessError(shop, error.status);
      throw error;
    }
  };
  return async (shop: string): Promise<GraphqlTransport> => {
    let { admin, session } = await connect(shop);
    const send = async (query: string, variables?: Record<string, unknown>) => {
      try {
        const response = await admin.graphql(query, { variables });
        return normalize(await response.json());
      } catch (error) {
        if (error instanceof GraphqlQueryError) return normalize(error.body);
        throw error;
      }
    };
    return async (query, variables) => {
      try {
        return await send(query, variables);
      } catch (error) {
        // Refused token, yet stored as valid: refresh once and retry; a second 401 is the caller's.
        if (!unauthorized(error) || !(await expireToken(session))) throw error;
        ({ admin, session } = await connect(shop));
        return send(query, variables);
      }
    };
  };
}

/**
 * Whether Shopify answers for `shop` at all (any HTTP status), asked at the token endpoint without a token.
 * The library reports a refused token refresh and a refresh that never reached Shopify alike (a bare 500:
 * `AdminAccessError`); only the first says anything about the installation.
 */
export async function shopifyAnswers(shop: string): Promise<boolean> {
  try {
    // The library's one outbound seam (the store emulator's in demo and tests), not the global fetch.
    await abstractFetch(`https://${shop}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
      signal: AbortSignal.timeout(10_000),
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * Does Shopify still accept the app for `shop`? "refused" only on a definite answer: the token refresh was
 * refused by a Shopify that answers, or a 401 with nothing to refresh with (both what an uninstall leaves).
 * Anything else (network, 5xx, GraphQL errors, a refresh that could not reach Shopify) throws: not knowing
 * is not a reason to delete a shop's data.
 */
export async function probeAdminAccess(
  transportFor: (shop: string) => Promise<GraphqlTransport>,
  shop: string,
  answers: (shop: string) => Promise<boolean> = shopifyAnswers,
): Promise<"installed" | "refused"> {
  try {
    const send = await transportFor(shop);
    const response = await send("{ shop { id } }");
    if (response.errors?.length || !response.data) {
      throw new Error(`Shopify answered: ${response.errors?.map((e) => e.message).join("; ") ?? "no data"}`);
    }
    return "installed";
  } catch (error) {
    if (unauthorized(error)) return "refused";
    if (error instanceof AdminAccessError) {
      if (await answers(shop)) return "refused";
      throw new Error(`Shopify could not be reached for ${shop} (the token refresh failed, not refused)`);
    }
    throw error;
  }
}
