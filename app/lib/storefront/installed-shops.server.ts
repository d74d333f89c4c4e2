// Whether a shop has the app installed right now, for the chat token's check on /proxy/stream: the
// App Proxy routes get this from the library (it loads the offline session), the direct stream has
// only its token, which would otherwise outlive an uninstall by up to CHAT_TOKEN_TTL_SECONDS.
import type { PrismaClient } from "@prisma/client";
import type { InstalledShops } from "./session.server";

/** Installed = the shop's offline session exists (uninstall deletes it): one primary-key read. */
export function installedShops(db: PrismaClient): InstalledShops {
  return {
    async isInstalled(shop) {
      // The library's offline session id (shopify-api's getOfflineId).
      const row = await db.session.findUnique({ where: { id: `offline_${shop}` }, select: { id: true } });
      return row !== null;
    },
  };
}
