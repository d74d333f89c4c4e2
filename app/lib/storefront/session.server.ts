// Chat sessions for streaming from the app's origin: the token minted through the App Proxy, its
// check on /proxy/stream, and CORS answered for the shop's storefront origins only.
import { z } from "zod";
import type { FunnelCounts } from "../results/funnel-counts.server";
import { visitorGroup } from "../results/holdout";
import type { VisitorGroup } from "../results/order-facts";
import { repeatedParameter } from "./app-proxy.server";
import { jsonError, readCappedJson, StorefrontRequestError } from "./http";
import {
  ChatTokenError,
  isAllowedStorefrontOrigin,
  mintChatToken,
  verifyChatToken,
  type ChatTokenClaims,
} from "./token.server";
import type { VisitorIds } from "./signed-visitor-id.server";
import { visitorIdSchema } from "./visitor-id";

export interface ChatTokenSettings {
  secret: string;
  ttlSeconds: number;
  storefrontOrigins: readonly string[];
  streamUrl: string;
}

const sessionBodySchema = z.object({
  // The id the widget kept, if any: kept when the app issued it for this shop, else replaced.
  visitorId: visitorIdSchema.nullish(),
  origin: z.string().max(512),
  /** The widget's first sight of this visitor: counted once for Results' holdout comparison. */
  exposure: z.boolean().optional(),
});

/** What the endpoint reads about a shop (storefront-shops.server.ts): one indexed read each. */
export interface StorefrontShops {
  /** Whether the shop has the app installed now (its offline session exists). */
  isInstalled(shop: string): Promise<boolean>;
  /** Storefront origins the app knows for the shop (its primary domain, read at install). */
  knownOrigins(shop: string): Promise<string[]>;
}

export interface ChatSession {
  /** The server-issued visitor id the widget keeps and sends with every request. */
  visitorId: string;
  /** Null when the storefront's origin may not stream from the app: the widget then uses the proxy. */
  stream: { url: string; token: string; expiresAt: number } | null;
  customerLoggedIn: boolean;
  /** The visitor's group (decision 113): the widget shows no launcher in the holdout group. */
  group: VisitorGroup;
}

/** For a verified proxy request: a token bound to shop, visitor, customer and the storefront origin. */
export async function startChatSession(
  settings: ChatTokenSettings,
  deps: {
    caps: { maxBodyBytes: number };
    visitors: VisitorIds;
    shops: StorefrontShops;
    funnel: Pick<FunnelCounts, "add">;
    holdoutPercent: (shop: string) => Promise<number>;
  },
  shopper: { shop: string; customerId: string | null },
  request: Request,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<ChatSession> {
  const parsed = sessionBodySchema.safeParse(await readCappedJson(request, deps.caps.maxBodyBytes));
  if (!parsed.success)
    throw new StorefrontRequestError(400, "invalid_request", parsed.error.issues[0]?.message ?? "invalid");
  const { origin } = parsed.data;
  const { visitorId } = deps.visitors.verifiedOrNew(shopper.shop, parsed.data.visitorId);
  const customerLoggedIn = shopper.customerId !== null;
  // The group comes from the signed visitor id, never from the widget: a client cannot pick its group.
  const group = visitorGroup(shopper.shop, visitorId, await deps.holdoutPercent(shopper.shop));
  if (parsed.data.exposure) await deps.funnel.add(shopper.shop, "exposure", group);
  if (!(await originAllowed(settings, deps.shops, shopper.shop, origin))) {
    return { visitorId, stream: null, customerLoggedIn, group };
  }
  const claims: ChatTokenClaims = {
    shop: shopper.shop,
    visitorId,
    customerId: shopper.customerId,
    origin,
    exp: nowSeconds + settings.ttlSeconds,
  };
  const url = new URL(settings.streamUrl);
  url.searchParams.set("shop", shopper.shop);
  return {
    visitorId,
    stream: { url: url.href, token: mintChatToken(settings.secret, claims), expiresAt: claims.exp },
    customerLoggedIn,
    group,
  };
}

/** Whether `origin` may stream for `shop`: the settings first, then (one read) the origins the app knows. */
async function originAllowed(settings: ChatTokenSettings, shops: StorefrontShops, shop: string, origin: string) {
  if (isAllowedStorefrontOrigin(shop, origin, settings.storefrontOrigins)) return true;
  // Only something shaped like an origin is worth a read (the preflight is unauthenticated).
  if (!isAllowedStorefrontOrigin(shop, origin, [origin])) return false;
  return isAllowedStorefrontOrigin(shop, origin, [], await shops.knownOrigins(shop));
}

const corsFor = (origin: string) => ({
  "Access-Control-Allow-Origin": origin,
  Vary: "Origin",
  // No Allow-Credentials: the token travels in a header, never in cookies.
});

/** Answers the CORS preflight of /proxy/stream: only for an allowed storefront origin of the shop. */
export async function preflight(
  settings: ChatTokenSettings,
  shops: StorefrontShops,
  request: Request,
): Promise<Response> {
  const origin = request.headers.get("origin") ?? "";
  const url = new URL(request.url);
  const shop = url.searchParams.get("shop") ?? "";
  if (!shop || repeatedParameter(url, ["shop"]) || !(await originAllowed(settings, shops, shop, origin))) {
    return new Response(null, { status: 403, headers: { Vary: "Origin" } });
  }
  return new Response(null, {
    status: 204,
    headers: {
      ...corsFor(origin),
      "Access-Control-Allow-Methods": "POST",
      "Access-Control-Allow-Headers": "Authorization, Content-Type",
      "Access-Control-Max-Age": "600",
    },
  });
}

/**
 * The token's claims and the CORS headers to answer with, or the refusal. A token outlives nothing:
 * once the shop has uninstalled the app (its offline session is gone) it is refused (404), although
 * unexpired.
 */
export async function authorizeStream(
  settings: ChatTokenSettings,
  shops: StorefrontShops,
  request: Request,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<{ claims: ChatTokenClaims; cors: Record<string, string> } | Response> {
  const origin = request.headers.get("origin") ?? "";
  const url = new URL(request.url);
  const shop = url.searchParams.get("shop") ?? "";
  if (repeatedParameter(url, ["shop"])) {
    return jsonError(400, "repeated_parameter", 'The query gives "shop" more than once.', { Vary: "Origin" });
  }
  const token = /^Bearer (\S+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!token) return jsonError(401, "missing_token", "A chat token is required.", { Vary: "Origin" });
  let claims: ChatTokenClaims;
  try {
    claims = verifyChatToken(settings.secret, token, nowSeconds);
  } catch (error) {
    if (error instanceof ChatTokenError) return jsonError(401, "invalid_token", error.message, { Vary: "Origin" });
    throw error;
  }
  // The token is used from the origin it was minted for, for its shop, and that origin is still allowed.
  if (
    claims.shop !== shop ||
    claims.origin !== origin ||
    !(await originAllowed(settings, shops, claims.shop, origin))
  ) {
    return jsonError(403, "origin_not_allowed", "This chat token is not valid from this origin.", { Vary: "Origin" });
  }
  if (!(await shops.isInstalled(claims.shop))) {
    return jsonError(404, "not_installed", "Aisle is not installed on this shop.", { Vary: "Origin" });
  }
  return { claims, cors: corsFor(origin) };
}
