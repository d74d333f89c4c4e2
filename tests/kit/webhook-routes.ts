// Every webhook route of the app (the subscriptions of shopify.app.toml), by topic, and a sender that
// delivers a signed webhook to one the way Shopify does, for tests that drive the routes in process.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  action as appScopesUpdate,
  loader as appScopesUpdateLoader,
} from "../../app/routes/webhooks.app.scopes_update";
import { action as appUninstalled, loader as appUninstalledLoader } from "../../app/routes/webhooks.app.uninstalled";
import {
  action as bulkOperationsFinish,
  loader as bulkOperationsFinishLoader,
} from "../../app/routes/webhooks.bulk_operations.finish";
import { action as customersCreate, loader as customersCreateLoader } from "../../app/routes/webhooks.customers.create";
import {
  action as customersDataRequest,
  loader as customersDataRequestLoader,
} from "../../app/routes/webhooks.customers.data_request";
import { action as customersDelete, loader as customersDeleteLoader } from "../../app/routes/webhooks.customers.delete";
import { action as customersRedact, loader as customersRedactLoader } from "../../app/routes/webhooks.customers.redact";
import { action as customersUpdate, loader as customersUpdateLoader } from "../../app/routes/webhooks.customers.update";
import { action as ordersCreate, loader as ordersCreateLoader } from "../../app/routes/webhooks.orders.create";
import { action as ordersUpdated, loader as ordersUpdatedLoader } from "../../app/routes/webhooks.orders.updated";
import { action as productsCreate, loader as productsCreateLoader } from "../../app/routes/webhooks.products.create";
import { action as productsDelete, loader as productsDeleteLoader } from "../../app/routes/webhooks.products.delete";
import { action as productsUpdate, loader as productsUpdateLoader } from "../../app/routes/webhooks.products.update";
import { action as shopRedact, loader as shopRedactLoader } from "../../app/routes/webhooks.shop.redact";
import { signedWebhookRequest, type SignedWebhookOptions } from "./signed-requests";
import type { TestApp } from "./test-app";

type Action = (args: ActionFunctionArgs) => Promise<Response>;
type Loader = (args: LoaderFunctionArgs) => Promise<Response>;

export const WEBHOOK_ROUTES: Record<string, { action: Action; loader: Loader }> = {
  "app/uninstalled": { action: appUninstalled, loader: appUninstalledLoader },
  "app/scopes_update": { action: appScopesUpdate, loader: appScopesUpdateLoader },
  "bulk_operations/finish": { action: bulkOperationsFinish, loader: bulkOperationsFinishLoader },
  "customers/create": { action: customersCreate, loader: customersCreateLoader },
  "customers/update": { action: customersUpdate, loader: customersUpdateLoader },
  "customers/delete": { action: customersDelete, loader: customersDeleteLoader },
  "customers/redact": { action: customersRedact, loader: customersRedactLoader },
  "customers/data_request": { action: customersDataRequest, loader: customersDataRequestLoader },
  "orders/create": { action: ordersCreate, loader: ordersCreateLoader },
  "orders/updated": { action: ordersUpdated, loader: ordersUpdatedLoader },
  "products/create": { action: productsCreate, loader: productsCreateLoader },
  "products/update": { action: productsUpdate, loader: productsUpdateLoader },
  "products/delete": { action: productsDelete, loader: productsDeleteLoader },
  "shop/redact": { action: shopRedact, loader: shopRedactLoader },
};

export type WebhookTopic = keyof typeof WEBHOOK_ROUTES;

/**
 * Delivers signed webhooks of `secret` to the app's routes; each returns the HTTP status (a thrown
 * error counts as the 500 Remix would answer). `options` may forge or leave out the signature.
 */
export function webhookSender(app: TestApp, secret: string) {
  return async (
    shop: string,
    topic: string,
    body: string,
    options: Pick<SignedWebhookOptions, "webhookId" | "hmac"> = {},
  ): Promise<number> => {
    const route = WEBHOOK_ROUTES[topic];
    if (!route) throw new Error(`no webhook route for ${topic}`);
    const request = signedWebhookRequest({ appUrl: app.env.SHOPIFY_APP_URL, secret, shop, topic, body, ...options });
    try {
      return (await app.call(route.action, request)).status;
    } catch {
      return 500;
    }
  };
}
