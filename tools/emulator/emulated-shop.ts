// One shop's state inside the emulator, in its own module so that the parts mounted by StoreEmulator
// (control API, embedded admin, storefront) can name it without importing store-emulator.ts.
import type { BulkOperations } from "./admin/bulk-operations";
import type { CostBucket } from "./admin/throttle";
import type { ShopStore } from "./store/shop-store";
import type { RunningStorefront } from "./storefront/storefront-server";
import type { EmulatedOrder } from "./webhooks/order-payload";
import type { ShopWebhookSubscription } from "./webhooks/subscriptions";

export interface Installation {
  scopes: string[];
  accessTokens: Map<string, number>;
  /** Refresh token → when it expires (90 days). */
  refreshTokens: Map<string, number>;
  /** A used refresh token → when it was first used (it stays usable until a replacement is used, ≤ 30 days). */
  usedRefreshTokens?: Map<string, number>;
  /** A refresh token → the one it replaced (retired once this one is used). */
  replaced?: Map<string, string>;
}

export interface EmulatedShop {
  store: ShopStore;
  bucket: CostBucket;
  bulk: BulkOperations;
  installation: Installation | null;
  orders: EmulatedOrder[];
  /** Shop-scoped webhook subscriptions (the app-scoped ones come from shopify.app.toml). */
  webhookSubscriptions: ShopWebhookSubscription[];
  appInstallationId: number;
  storefront?: Promise<RunningStorefront>;
}
