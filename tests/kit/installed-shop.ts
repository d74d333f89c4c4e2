// A shop that has installed the app, as far as authentication needs: its offline session row
// (the App Proxy check answers 404 "not installed" without it).
import type { PrismaClient } from "@prisma/client";

export async function storeOfflineSession(prisma: PrismaClient, shop: string, accessToken = "shpat_test") {
  await prisma.session.create({
    data: { id: `offline_${shop}`, shop, state: "", isOnline: false, scope: "read_products", accessToken },
  });
}
