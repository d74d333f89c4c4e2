// The local Shopify store emulator: shops with catalogs, the Admin GraphQL API (through the app's fetch
// seam), token exchange, bulk operations with JSONL results, webhooks, storefronts with the app proxy,
// and an embedded admin frame. Tests and `npm run demo` start it with `startStoreEmulator()`.
import { randomBytes } from "node:crypto";
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import os from "node:os";
import path from "node:path";
import express, { type Request, type Response } from "express";
import { readAppConfig, type AppConfig } from "./app-config";
import { BulkOperations, type BulkOperationRecord } from "./admin/bulk-operations";
import { executeAdminGraphql, executeBulkWindow, adminSchema } from "./admin/graphql-api";
import type { AdminContext } from "./admin/resolvers";
import { CostBucket } from "./admin/throttle";
import { signSessionToken, verifySessionToken } from "./auth/session-token";
import type { ProductInput } from "./store/model";
import { IdSequence, ShopStore, type CatalogEvent } from "./store/shop-store";
import {
  bulkOperationFinishPayload,
  customerDataRequestPayload,
  customerDeletePayload,
  customerPayload,
  customerRedactPayload,
  productDeletePayload,
  productPayload,
  shopPayload,
  shopRedactPayload,
} from "./webhooks/payloads";
import { WebhookDelivery, type WebhookFaults } from "./webhooks/delivery";
import { orderPayload, type EmulatedOrder } from "./webhooks/order-payload";
import { mountDemoImages } from "./catalog/demo-images";
import { mountControlApi, type EmulatorControls } from "./control-api";
import { applyBulkEdit, type BulkEdit } from "./bulk-edit";
import type { EmulatedShop } from "./emulated-shop";
import { scopesCover } from "./webhooks/subscriptions";
import { mountEmbeddedAdmin, type EmbeddedAdminHost } from "./embedded-admin/admin-routes";
import { startAppFrameProxy, type AppFrameProxy } from "./embedded-admin/app-frame-proxy";
import { startStorefront, type RunningStorefront, type StorefrontOptions } from "./storefront/storefront-server";

export const EMULATED_API_VERSIONS = ["2026-07"];

export interface StoreEmulatorOptions {
  app: { apiKey: string; apiSecret: string; appUrl: string };
  /** The app's shopify.app.toml (scopes, webhooks, app proxy). Default: ./shopify.app.toml. */
  appConfigFile?: string;
  port?: number;
  /** Where bulk results are written (default: a fresh temp dir, removed on stop). */
  dataDir?: string;
  webhooks?: { timeoutMs?: number; maxAttempts?: number; retryBaseMs?: number; seed?: number };
  /** Keep bulk operations RUNNING this long before they start (tests of the concurrency cap). */
  bulkStartDelayMs?: number;
  /** expires_in of expiring offline access tokens, seconds (Shopify: 3600). */
  accessTokenLifetimeSeconds?: number;
  /** Directory of the theme app extension the storefront renders (default extensions/chat-widget). */
  themeExtensionDir?: string;
}

export type { EmulatedShop } from "./emulated-shop";

export const BROWSER_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

export class StoreEmulator implements EmulatorControls, EmbeddedAdminHost {
  readonly shops = new Map<string, EmulatedShop>();
  readonly ids = new IdSequence();
  /** Token refreshes granted and refused, and Admin calls refused with 401, in order (auth tests). */
  readonly authLog: { shop: string; event: "refreshed" | "refresh refused" | "admin 401"; at: number }[] = [];
  readonly webhooks: WebhookDelivery;
  readonly app: AppConfig;
  url = "";
  /** Origin the emulated admin frames the app from (a pass-through proxy to the app). */
  appFrame?: AppFrameProxy;
  bulkStartDelayMs: number;
  private server?: Server;
  private readonly dataDir: string;
  private readonly ownsDataDir: boolean;

  constructor(readonly options: StoreEmulatorOptions) {
    this.app = readAppConfig(options.appConfigFile ?? "shopify.app.toml", options.app);
    this.webhooks = new WebhookDelivery({
      apiSecret: options.app.apiSecret,
      apiVersion: this.app.webhookApiVersion,
      ...options.webhooks,
    });
    this.ownsDataDir = !options.dataDir;
    this.dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), "store-emulator-"));
    this.bulkStartDelayMs = options.bulkStartDelayMs ?? 0;
  }

  async listen(): Promise<void> {
    const app = express();
    app.disable("x-powered-by");
    app.post(
      "/shops/:shop/admin/oauth/access_token",
      express.json(),
      express.urlencoded({ extended: false }),
      (req, res) => this.handleAccessToken(req, res).catch((error) => this.internalError(res, error)),
    );
    app.post("/shops/:shop/admin/api/:version/graphql.json", express.json({ limit: "5mb" }), (req, res) =>
      this.handleGraphql(req, res).catch((error) => this.internalError(res, error)),
    );
    app.get("/bulk-results/:id.jsonl", (req, res) => this.serveBulkResult(req, res));
    mountEmbeddedAdmin(app, this);
    mountDemoImages(app);
    mountControlApi(app, this);
    app.use((req, res) => res.status(404).json({ errors: "Not Found" }));
    await new Promise<void>((resolve, reject) => {
      this.server = app.listen(this.options.port ?? 0, "127.0.0.1", () => resolve());
      this.server.once("error", (error) => reject(new Error(`The store emulator cannot listen: ${error.message}`)));
    });
    const address = this.server!.address();
    this.url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    this.appFrame = await startAppFrameProxy({
      appUrl: this.app.appUrl,
      adminOrigin: () => this.url,
      appBridgeUrl: () => `${this.url}/app-bridge.js`,
    });
  }

  async stop(): Promise<void> {
    this.webhooks.close();
    await this.appFrame?.stop();
    await Promise.all(
      [...this.shops.values()].map(async (shop) => {
        await shop.bulk.dispose();
        if (shop.storefront) await (await shop.storefront).stop();
      }),
    );
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections?.();
      this.server.close(() => resolve());
    });
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  // ---- shops ---------------------------------------------------------------------------------

  createShop(domain: string, options: { name?: string; currency?: string } = {}): ShopStore {
    if (!SHOP_DOMAIN.test(domain))
      throw new Error(`Invalid shop domain ${JSON.stringify(domain)}: use <name>.myshopify.com`);
    if (this.shops.has(domain)) throw new Error(`Shop ${domain} already exists`);
    const store = new ShopStore(
      domain,
      options.name ?? domain.replace(".myshopify.com", ""),
      options.currency ?? "USD",
      this.ids,
    );
    const shop: EmulatedShop = {
      store,
      bucket: new CostBucket(),
      installation: null,
      orders: [],
      webhookSubscriptions: [],
      appInstallationId: this.ids.take(),
    } as unknown as EmulatedShop;
    shop.bulk = new BulkOperations(adminSchema(), this.dataDir, () => this.ids.take(), {
      executeWindow: (document, start, end) => executeBulkWindow(document, bulkContext, start, end),
      finished: (op) => this.deliver(shop, "bulk_operations/finish", bulkOperationFinishPayload(op)),
      resultUrl: (op) => `${this.url}/bulk-results/${op.id}.jsonl`,
      startDelayMs: () => this.bulkStartDelayMs,
    });
    // Bulk execution reads with the app's scopes; one context per shop (its root cache is per operation).
    const bulkContext: AdminContext = this.adminContext(
      shop,
      new Set(["read_products", "read_customers", "read_orders"]),
    );
    const resetCache = shop.bulk.run.bind(shop.bulk);
    shop.bulk.run = (query, groupObjects) => {
      bulkContext.bulkRootCache = new Map();
      return resetCache(query, groupObjects);
    };
    store.on("change", (event: CatalogEvent) => this.onCatalogEvent(shop, event));
    this.shops.set(domain, shop);
    return store;
  }

  shop(domain: string): EmulatedShop {
    const shop = this.shops.get(domain);
    if (!shop) throw new Error(`No emulated shop ${domain} (create it with createShop)`);
    return shop;
  }

  /** Loads products without webhooks (the catalog the shop had before the app was installed). */
  seed(domain: string, products: Iterable<ProductInput>): number {
    const { store } = this.shop(domain);
    let count = 0;
    for (const input of products) {
      store.createProduct(input, { silent: true });
      count++;
    }
    return count;
  }

  /**
   * A merchant's bulk edit: changes every product matching `query` (Shopify search syntax), one
   * products/update each. Every change is computed before the first is applied.
   */
  bulkEdit(domain: string, edit: BulkEdit): number {
    return applyBulkEdit(this.shop(domain).store, edit);
  }

  // ---- installation --------------------------------------------------------------------------

  signSessionToken(domain: string, options: { userId?: string; ttlSeconds?: number; issuedAt?: number } = {}) {
    return signSessionToken({ apiKey: this.app.apiKey, apiSecret: this.app.apiSecret, shop: domain, ...options });
  }

  /** Shopify admin's `host` parameter: base64 of admin.shopify.com/store/<handle>. */
  hostParam(domain: string): string {
    return Buffer.from(`admin.shopify.com/store/${domain.replace(".myshopify.com", "")}`)
      .toString("base64")
      .replace(/=+$/, "");
  }

  /**
   * Installs the app the way Shopify's managed install does: the admin opens the app's embedded URL
   * with a session token, and the app's own auth code exchanges it for an access token here.
   */
  async installApp(domain: string): Promise<{ status: number; body: string }> {
    this.shop(domain);
    const params = new URLSearchParams({
      embedded: "1",
      shop: domain,
      host: this.hostParam(domain),
      id_token: await this.signSessionToken(domain),
    });
    // The request comes from a merchant's browser (the library answers bots with 410).
    const response = await fetch(`${this.app.appUrl}/app?${params}`, {
      redirect: "manual",
      headers: { "User-Agent": BROWSER_USER_AGENT, Accept: "text/html" },
    });
    const body = await response.text();
    if (!this.shop(domain).installation) {
      throw new Error(
        `Installing the app into ${domain} failed: the app answered ${response.status} without exchanging a token.\n${body.slice(0, 500)}`,
      );
    }
    return { status: response.status, body };
  }

  /** Removes the app: revokes its tokens and sends app/uninstalled, like Shopify. */
  uninstallApp(domain: string): void {
    const shop = this.shop(domain);
    if (!shop.installation) throw new Error(`The app is not installed in ${domain}`);
    this.deliver(shop, "app/uninstalled", shopPayload(shop.store));
    shop.installation = null;
  }

  /**
   * Fault knob: a shop-scoped subscription, as an older app version or another tool creates through the
   * API. Shopify lists it (`webhookSubscriptions`) and delivers its topic to `uri`, beside any app-scoped
   * subscription of the same topic. Returns its numeric id.
   */
  addShopSubscription(domain: string, topic: string, uri: string): number {
    const shop = this.shop(domain);
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    const id = this.ids.take();
    shop.webhookSubscriptions.push({
      id,
      topic,
      uri,
      format: "JSON",
      filter: null,
      includeFields: [],
      createdAt: now,
      updatedAt: now,
    });
    return id;
  }

  removeShopSubscription(domain: string, id: number): void {
    const shop = this.shop(domain);
    shop.webhookSubscriptions = shop.webhookSubscriptions.filter((subscription) => subscription.id !== id);
  }

  /**
   * Fault knob: the installation lacks an access scope (an install approved before the app asked for it).
   * Shopify then does not deliver the app-scoped topics that need it: those subscriptions are missing
   * for this shop, and the Admin API shows it only through `currentAppInstallation.accessScopes`.
   */
  revokeScope(domain: string, scope: string): void {
    const installation = this.shop(domain).installation;
    if (!installation) throw new Error(`The app is not installed in ${domain}`);
    installation.scopes = installation.scopes.filter((granted) => granted !== scope);
  }

  /** Sends shop/redact (Shopify does 48 hours after uninstall). */
  redactShop(domain: string): void {
    const shop = this.shop(domain);
    const url = this.app.webhooks.get("shop/redact");
    if (url)
      this.webhooks.send({
        topic: "shop/redact",
        shop: domain,
        url: `${this.app.appUrl}${url}`,
        payload: shopRedactPayload(shop.store),
      });
  }

  /**
   * A checkout: an order for `lines` (optionally by a customer). Stock is checked for every line before
   * anything changes; then inventory drops (products/update), the customer's order count grows
   * (customers/update) and orders/create is sent.
   */
  placeOrder(
    domain: string,
    input: {
      customerId?: number;
      lines: { variantId: number; quantity: number }[];
      /** The cart's attributes (note_attributes on the order). */
      attributes?: Record<string, string>;
      cartToken?: string;
    },
  ): EmulatedOrder {
    const shop = this.shop(domain);
    const { store } = shop;
    const customer = input.customerId === undefined ? undefined : this.requireCustomer(shop, input.customerId);
    if (!input.lines.length) throw new Error("An order needs at least one line");
    const wanted = new Map<number, number>();
    for (const line of input.lines) wanted.set(line.variantId, (wanted.get(line.variantId) ?? 0) + line.quantity);
    const lines = input.lines.map(({ variantId, quantity }) => {
      const variant = store.findVariant(variantId);
      if (!variant) throw new Error(`No variant ${variantId} in ${domain}`);
      if (!Number.isInteger(quantity) || quantity < 1) throw new Error("quantity must be a positive integer");
      const tracked = variant.inventoryManagement === "shopify" && variant.inventoryPolicy === "deny";
      if (tracked && variant.inventoryQuantity < wanted.get(variantId)!)
        throw new Error(`Variant ${variantId} has only ${variant.inventoryQuantity} in stock`);
      const product = store.products.get(variant.productId)!;
      const defaultOnly = product.options.length === 1 && product.options[0].name === "Title";
      return {
        id: this.ids.take(),
        variantId,
        productId: product.id,
        title: product.title,
        variantTitle: defaultOnly ? null : variant.title,
        sku: variant.sku,
        vendor: product.vendor,
        price: variant.price,
        quantity,
        grams: variant.grams,
      };
    });
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    const order: EmulatedOrder = {
      id: this.ids.take(),
      number: 1001 + shop.orders.length,
      token: randomBytes(16).toString("hex"),
      customerId: customer?.id ?? null,
      email: customer?.email ?? null,
      noteAttributes: Object.entries(input.attributes ?? {}).map(([name, value]) => ({ name, value })),
      cartToken: input.cartToken ?? null,
      cancelledAt: null,
      refunds: [],
      createdAt: now,
      updatedAt: now,
      lines,
      fulfillments: [],
    };
    for (const line of lines) store.sell(line.variantId, line.quantity);
    shop.orders.push(order);
    if (customer) {
      customer.numberOfOrders++;
      customer.updatedAt = now;
      this.deliver(shop, "customers/update", customerPayload(customer, store.currency));
    }
    this.deliver(shop, "orders/create", orderPayload(store, order, customer));
    return order;
  }

  /** Ships an order: orders/updated with a fulfillment and its tracking. */
  fulfillOrder(
    domain: string,
    orderId: number,
    tracking: { company?: string; url?: string; shipmentStatus?: string } = {},
  ): EmulatedOrder {
    return this.updateOrder(domain, orderId, (order, now) => {
      order.fulfillments.push({
        id: this.ids.take(),
        status: "success",
        shipmentStatus: tracking.shipmentStatus ?? "in_transit",
        trackingCompany: tracking.company ?? null,
        trackingUrl: tracking.url ?? null,
        createdAt: now,
      });
    });
  }

  /** The merchant refunds `amount` (shop currency) of an order: orders/updated with the refund's transaction. */
  refundOrder(domain: string, orderId: number, amount: string): EmulatedOrder {
    return this.updateOrder(domain, orderId, (order, now) => {
      const paid = order.lines.reduce((sum, line) => sum + Number(line.price) * line.quantity, 0);
      const refunded = order.refunds.reduce((sum, refund) => sum + Number(refund.amount), 0);
      if (!(Number(amount) > 0) || Number(amount) + refunded > paid + 1e-9)
        throw new Error(`A refund of ${amount} exceeds what order ${orderId} has left`);
      order.refunds.push({ id: this.ids.take(), transactionId: this.ids.take(), amount, createdAt: now });
    });
  }

  /** The merchant cancels an order: orders/updated with cancelled_at. */
  cancelOrder(domain: string, orderId: number): EmulatedOrder {
    return this.updateOrder(domain, orderId, (order, now) => {
      if (order.cancelledAt) throw new Error(`Order ${orderId} is already cancelled`);
      order.cancelledAt = now;
    });
  }

  private updateOrder(domain: string, orderId: number, change: (order: EmulatedOrder, now: string) => void) {
    const shop = this.shop(domain);
    const order = shop.orders.find((candidate) => candidate.id === orderId);
    if (!order) throw new Error(`No order ${orderId} in ${domain}`);
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    change(order, now);
    order.updatedAt = now;
    const customer = order.customerId === null ? undefined : shop.store.customers.get(order.customerId);
    this.deliver(shop, "orders/updated", orderPayload(shop.store, order, customer));
    return order;
  }

  /** A shopper asks the merchant for their data: customers/data_request (compliance topic). */
  requestCustomerData(domain: string, customerId: number): void {
    const shop = this.shop(domain);
    const customer = this.requireCustomer(shop, customerId);
    this.deliver(shop, "customers/data_request", customerDataRequestPayload(shop.store, customer, this.ids.take()));
  }

  /** The merchant deletes a customer: customers/delete now, customers/redact (compliance) as Shopify sends later. */
  deleteCustomer(domain: string, customerId: number): void {
    const shop = this.shop(domain);
    const customer = this.requireCustomer(shop, customerId);
    shop.store.customers.delete(customerId);
    this.deliver(shop, "customers/delete", customerDeletePayload(customer));
    this.deliver(shop, "customers/redact", customerRedactPayload(shop.store, customer));
  }

  private requireCustomer(shop: EmulatedShop, customerId: number) {
    const customer = shop.store.customers.get(customerId);
    if (!customer) throw new Error(`No customer ${customerId} in ${shop.store.domain}`);
    return customer;
  }

  /** Issues an access token directly (for tests that call the Admin API themselves). */
  accessTokenFor(domain: string): string {
    const shop = this.shop(domain);
    if (!shop.installation) throw new Error(`The app is not installed in ${domain}`);
    return this.issueTokens(shop).access_token;
  }

  // ---- webhooks ------------------------------------------------------------------------------

  setWebhookFaults(faults: WebhookFaults, seed?: number): void {
    this.webhooks.setFaults(faults, seed);
  }

  private onCatalogEvent(shop: EmulatedShop, event: CatalogEvent): void {
    if (event.topic === "products/delete") this.deliver(shop, event.topic, productDeletePayload(event.productId));
    else if ("customer" in event) this.deliver(shop, event.topic, customerPayload(event.customer, shop.store.currency));
    else this.deliver(shop, event.topic, productPayload(event.product));
  }

  /**
   * Sends `topic` to the app if it is installed and subscribed, as Shopify would: the app-scoped
   * subscription of shopify.app.toml when the granted scopes cover the topic, and every shop-scoped one.
   */
  private deliver(shop: EmulatedShop, topic: string, payload: unknown): void {
    if (!shop.installation || !scopesCover(shop.installation.scopes, topic)) return;
    const uri = this.app.webhooks.get(topic);
    const domain = shop.store.domain;
    if (uri) this.webhooks.send({ topic, shop: domain, url: `${this.app.appUrl}${uri}`, payload });
    for (const subscription of shop.webhookSubscriptions)
      if (subscription.topic === topic) this.webhooks.send({ topic, shop: domain, url: subscription.uri, payload });
  }

  // ---- storefront ----------------------------------------------------------------------------

  /** Starts (once) the shop's storefront on its own origin and returns it. */
  storefront(
    domain: string,
    options: Omit<Partial<StorefrontOptions>, "app" | "store"> = {},
  ): Promise<RunningStorefront> {
    const shop = this.shop(domain);
    shop.storefront ??= startStorefront({
      app: this.app,
      store: shop.store,
      // Checkout turns the cart into an order the way placeOrder does (orders/create with its attributes).
      checkout: (cart) => this.placeOrder(domain, cart),
      ...options,
    });
    return shop.storefront;
  }

  adminUrl(domain: string): string {
    return `${this.url}/store/${domain.replace(".myshopify.com", "")}/apps/${this.app.apiKey}`;
  }

  // ---- HTTP handlers ---------------------------------------------------------------------------

  adminContext(shop: EmulatedShop, scopes: ReadonlySet<string>): AdminContext {
    return {
      shop: shop.store,
      scopes,
      installation: { id: shop.appInstallationId, webhookSubscriptions: shop.webhookSubscriptions },
      bulkOperations: {
        find: (id) => shop.bulk.find(id),
        list: () => shop.bulk.list(),
        run: (query, groupObjects) => shop.bulk.run(query, groupObjects),
        cancel: (id) => shop.bulk.cancel(id),
      },
    };
  }

  private issueTokens(shop: EmulatedShop) {
    const lifetime = this.options.accessTokenLifetimeSeconds ?? 3600;
    const accessToken = `shpat_${randomBytes(16).toString("hex")}`;
    const refreshToken = `shprt_${randomBytes(16).toString("hex")}`;
    shop.installation!.accessTokens.set(accessToken, Date.now() + lifetime * 1000);
    shop.installation!.refreshTokens.set(refreshToken, Date.now() + 90 * 24 * 3600 * 1000);
    return {
      access_token: accessToken,
      expires_in: lifetime,
      refresh_token: refreshToken,
      refresh_token_expires_in: 90 * 24 * 3600,
      scope: shop.installation!.scopes.join(","),
    };
  }

  private async handleAccessToken(req: Request, res: Response): Promise<void> {
    const shop = this.shops.get(String(req.params.shop));
    if (!shop) {
      res.status(404).send("Not Found");
      return;
    }
    const body = (req.body ?? {}) as Record<string, string>;
    if (body.client_id !== this.app.apiKey || body.client_secret !== this.app.apiSecret) {
      res.status(401).json({ error: "invalid_client", error_description: "Client authentication failed" });
      return;
    }
    if (body.grant_type === "urn:ietf:params:oauth:grant-type:token-exchange") {
      let tokenShop: string;
      try {
        tokenShop = await verifySessionToken(body.subject_token ?? "", this.app.apiKey, this.app.apiSecret);
      } catch (error) {
        res.status(400).json({ error: "invalid_subject_token", error_description: (error as Error).message });
        return;
      }
      if (tokenShop !== shop.store.domain || body.subject_token_type !== "urn:ietf:params:oauth:token-type:id_token") {
        res
          .status(400)
          .json({ error: "invalid_subject_token", error_description: "The session token is for another shop" });
        return;
      }
      // Managed install: the first exchange installs the app with the scopes of its configuration.
      shop.installation ??= { scopes: [...this.app.scopes], accessTokens: new Map(), refreshTokens: new Map() };
      if (body.requested_token_type === "urn:shopify:params:oauth:token-type:online-access-token") {
        const tokens = this.issueTokens(shop);
        res.json({
          access_token: tokens.access_token,
          scope: tokens.scope,
          expires_in: 86399,
          associated_user_scope: tokens.scope,
          associated_user: {
            id: 1,
            first_name: "Demo",
            last_name: "Owner",
            email: `owner@${shop.store.domain}`,
            account_owner: true,
            locale: "en",
            collaborator: false,
            email_verified: true,
          },
        });
        return;
      }
      if (body.requested_token_type !== "urn:shopify:params:oauth:token-type:offline-access-token") {
        res.status(400).json({ error: "invalid_request", error_description: "Unsupported requested_token_type" });
        return;
      }
      const tokens = this.issueTokens(shop);
      if (body.expiring === "1") res.json(tokens);
      else {
        shop.installation.accessTokens.set(tokens.access_token, Number.POSITIVE_INFINITY);
        res.json({ access_token: tokens.access_token, scope: tokens.scope });
      }
      return;
    }
    if (body.grant_type === "refresh_token") {
      const expires = shop.installation?.refreshTokens.get(body.refresh_token ?? "");
      if (!shop.installation || !expires || expires < Date.now()) {
        this.authLog.push({ shop: shop.store.domain, event: "refresh refused", at: Date.now() });
        res.status(400).json({ error: "invalid_grant", error_description: "The refresh token is invalid or expired" });
        return;
      }
      // As Shopify since its "more resilient refreshes" change: a used refresh token can be used again
      // (a lost answer, two workers at once) until one of its replacements is used, at most 30 days after
      // its first use; using a replacement retires the token it replaced.
      const installation = shop.installation;
      const used = (installation.usedRefreshTokens ??= new Map());
      const replaced = (installation.replaced ??= new Map());
      const firstUse = used.get(body.refresh_token) ?? Date.now();
      if (Date.now() - firstUse > 30 * 24 * 3600 * 1000) {
        installation.refreshTokens.delete(body.refresh_token);
        res.status(400).json({ error: "invalid_grant", error_description: "The refresh token is invalid or expired" });
        return;
      }
      used.set(body.refresh_token, firstUse);
      const predecessor = replaced.get(body.refresh_token);
      if (predecessor) {
        installation.refreshTokens.delete(predecessor);
        used.delete(predecessor);
        replaced.delete(body.refresh_token);
      }
      const tokens = this.issueTokens(shop);
      replaced.set(tokens.refresh_token, body.refresh_token);
      this.authLog.push({ shop: shop.store.domain, event: "refreshed", at: Date.now() });
      res.json(tokens);
      return;
    }
    res
      .status(400)
      .json({ error: "unsupported_grant_type", error_description: `Unsupported grant_type ${body.grant_type}` });
  }

  private async handleGraphql(req: Request, res: Response): Promise<void> {
    const shop = this.shops.get(String(req.params.shop));
    if (!shop) {
      res.status(404).json({ errors: "Not Found" });
      return;
    }
    if (!EMULATED_API_VERSIONS.includes(String(req.params.version))) {
      res.status(404).json({ errors: "Not Found" });
      return;
    }
    const token = req.get("x-shopify-access-token") ?? "";
    const expires = shop.installation?.accessTokens.get(token);
    if (!shop.installation || !expires || expires < Date.now()) {
      this.authLog.push({ shop: shop.store.domain, event: "admin 401", at: Date.now() });
      res.status(401).json({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
      return;
    }
    const context = this.adminContext(shop, new Set(shop.installation.scopes));
    const reply = await executeAdminGraphql(req.body ?? {}, context, shop.bucket);
    res.status(reply.status).set("X-Shopify-API-Version", String(req.params.version)).json(reply.body);
  }

  private serveBulkResult(req: Request, res: Response): void {
    const id = Number(req.params.id);
    const op: BulkOperationRecord | undefined = [...this.shops.values()]
      .map((shop) => shop.bulk.find(id))
      .find(Boolean);
    if (op?.status === "EXPIRED") {
      // What the storage answers once the signed URL has expired.
      res
        .status(403)
        .type("application/xml")
        .send("<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>");
      return;
    }
    // A completed operation's result, or what a failed one wrote before it failed.
    const available = (op?.status === "COMPLETED" && op.url) || (op?.status === "FAILED" && op.partialDataUrl);
    if (!op || !available) {
      res.status(404).type("application/xml").send("<Error><Code>NoSuchKey</Code></Error>");
      return;
    }
    // setHeader, not res.set: express would append "; charset=utf-8", which the real result URL does not send.
    res.status(200);
    res.setHeader("Content-Type", "application/jsonl");
    res.setHeader("Content-Length", String(op.fileSize));
    op.downloads++;
    createReadStream(op.filePath).pipe(res);
  }

  private internalError(res: Response, error: unknown): void {
    console.error("[store-emulator]", error);
    if (!res.headersSent) res.status(500).json({ errors: "Internal Server Error" });
  }
}
