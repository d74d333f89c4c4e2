// The emulator's HTTP control API (/_emulator/*): what the TypeScript API does, for the CLI and for
// browser tests that run in another process. Bad input answers 400 with the reason and changes nothing.
import express, { type Express, type Request, type Response } from "express";
import { z } from "zod";
import { bulkEditInput, type BulkEdit } from "./bulk-edit";
import type { EmulatedShop } from "./emulated-shop";
import type { ProductInput } from "./store/model";
import { POLICY_TYPES } from "./store/online-store-content";
import type { ShopStore } from "./store/shop-store";
import type { WebhookDelivery, WebhookFaults } from "./webhooks/delivery";
import type { EmulatedOrder } from "./webhooks/order-payload";

/**
 * What the control API drives: the emulator's own operations. StoreEmulator implements it; this module
 * names only the interface, so it never imports store-emulator.ts (which mounts it).
 */
export interface EmulatorControls {
  readonly shops: ReadonlyMap<string, EmulatedShop>;
  readonly webhooks: Pick<WebhookDelivery, "flush" | "log">;
  shop(domain: string): EmulatedShop;
  createShop(domain: string, options?: { name?: string; currency?: string }): ShopStore;
  adminUrl(domain: string): string;
  seed(domain: string, products: Iterable<ProductInput>): number;
  installApp(domain: string): Promise<{ status: number }>;
  uninstallApp(domain: string): void;
  signSessionToken(domain: string): Promise<string>;
  storefront(domain: string): Promise<{ url: string }>;
  bulkEdit(domain: string, edit: BulkEdit): number;
  deleteCustomer(domain: string, customerId: number): void;
  requestCustomerData(domain: string, customerId: number): void;
  placeOrder(
    domain: string,
    input: { customerId?: number; lines: { variantId: number; quantity: number }[] },
  ): EmulatedOrder;
  fulfillOrder(
    domain: string,
    orderId: number,
    tracking?: { company?: string; url?: string; shipmentStatus?: string },
  ): EmulatedOrder;
  refundOrder(domain: string, orderId: number, amount: string): EmulatedOrder;
  cancelOrder(domain: string, orderId: number): EmulatedOrder;
  setWebhookFaults(faults: WebhookFaults, seed?: number): void;
}

const money = z.string().regex(/^\d{1,9}(\.\d{1,2})?$/, 'a decimal string like "19.99"');
const variantInput = z.object({
  optionValues: z.array(z.string()).optional(),
  sku: z.string().nullable().optional(),
  barcode: z.string().nullable().optional(),
  price: money,
  compareAtPrice: money.nullable().optional(),
  inventoryQuantity: z.number().int().optional(),
  inventoryPolicy: z.enum(["deny", "continue"]).optional(),
  inventoryTracked: z.boolean().optional(),
  taxable: z.boolean().optional(),
  grams: z.number().int().nonnegative().optional(),
  imageIndex: z.number().int().nonnegative().optional(),
});
const productInput = z.object({
  title: z.string().min(1),
  handle: z.string().optional(),
  bodyHtml: z.string().optional(),
  vendor: z.string().optional(),
  productType: z.string().optional(),
  tags: z.array(z.string()).optional(),
  status: z.enum(["active", "draft", "archived"]).optional(),
  published: z.boolean().optional(),
  seoTitle: z.string().nullable().optional(),
  seoDescription: z.string().nullable().optional(),
  options: z.array(z.string()).max(3).optional(),
  variants: z.array(variantInput).optional(),
  images: z.array(z.object({ src: z.string().url(), alt: z.string().nullable().optional() })).optional(),
  metafields: z
    .array(z.object({ namespace: z.string(), key: z.string(), type: z.string(), value: z.string() }))
    .optional(),
});
const variantChange = z.object({
  price: money.optional(),
  compareAtPrice: money.nullable().optional(),
  inventoryQuantity: z.number().int().optional(),
  sku: z.string().nullable().optional(),
});
const faults = z.object({
  duplicateRate: z.number().min(0).max(1).optional(),
  dropRate: z.number().min(0).max(1).optional(),
  reorderWindow: z.number().int().positive().optional(),
  delayMs: z
    .union([z.number().nonnegative(), z.tuple([z.number().nonnegative(), z.number().nonnegative()])])
    .optional(),
  burst: z.boolean().optional(),
  seed: z.number().int().optional(),
});

function handle(run: (req: Request) => unknown | Promise<unknown>) {
  return async (req: Request, res: Response) => {
    try {
      const result = await run(req);
      res.status(result === undefined ? 204 : 200);
      if (result === undefined) res.end();
      else res.json(result);
    } catch (error) {
      const message =
        error instanceof z.ZodError
          ? error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")
          : (error as Error).message;
      res.status(400).json({ error: message });
    }
  };
}

export function mountControlApi(app: Express, emulator: EmulatorControls): void {
  const api = express.Router();
  api.use(express.json({ limit: "50mb" }));
  const shopOf = (req: Request) => emulator.shop(String(req.params.shop));
  const id = (req: Request) => {
    const value = Number(req.params.id);
    if (!Number.isSafeInteger(value)) throw new Error(`Invalid id ${req.params.id}`);
    return value;
  };

  api.get(
    "/shops",
    handle(() => [...emulator.shops.keys()]),
  );
  api.post(
    "/shops",
    handle((req) => {
      const body = z
        .object({ domain: z.string(), name: z.string().optional(), currency: z.string().length(3).optional() })
        .parse(req.body);
      emulator.createShop(body.domain, body);
      return { domain: body.domain, adminUrl: emulator.adminUrl(body.domain) };
    }),
  );
  api.post(
    "/shops/:shop/seed",
    handle((req) => ({ seeded: emulator.seed(String(req.params.shop), z.array(productInput).parse(req.body)) })),
  );
  api.post(
    "/shops/:shop/install",
    handle(async (req) => ({ status: (await emulator.installApp(String(req.params.shop))).status })),
  );
  api.post(
    "/shops/:shop/uninstall",
    handle((req) => void emulator.uninstallApp(String(req.params.shop))),
  );
  api.get(
    "/shops/:shop/session-token",
    handle(async (req) => ({ token: await emulator.signSessionToken(String(req.params.shop)) })),
  );
  api.post(
    "/shops/:shop/storefront",
    handle(async (req) => ({ url: (await emulator.storefront(String(req.params.shop))).url })),
  );
  api.get(
    "/shops/:shop/products",
    handle((req) => [...shopOf(req).store.products.values()]),
  );
  api.post(
    "/shops/:shop/products",
    handle((req) => shopOf(req).store.createProduct(productInput.parse(req.body))),
  );
  api.patch(
    "/shops/:shop/products/:id",
    handle((req) => shopOf(req).store.updateProduct(id(req), productInput.partial().parse(req.body))),
  );
  api.delete(
    "/shops/:shop/products/:id",
    handle((req) => void shopOf(req).store.deleteProduct(id(req))),
  );
  api.patch(
    "/shops/:shop/variants/:id",
    handle((req) => shopOf(req).store.updateVariant(id(req), variantChange.parse(req.body))),
  );
  api.post(
    "/shops/:shop/variants/:id/sell",
    handle((req) =>
      shopOf(req).store.sell(
        id(req),
        z.object({ quantity: z.number().int().positive().default(1) }).parse(req.body ?? {}).quantity,
      ),
    ),
  );
  api.post(
    "/shops/:shop/bulk-edit",
    handle((req) => ({ updated: emulator.bulkEdit(String(req.params.shop), bulkEditInput.parse(req.body)) })),
  );
  api.post(
    "/shops/:shop/customers",
    handle((req) =>
      shopOf(req).store.createCustomer(
        z
          .object({
            firstName: z.string(),
            lastName: z.string(),
            email: z.string().email(),
            tags: z.array(z.string()).optional(),
          })
          .parse(req.body),
      ),
    ),
  );
  api.delete(
    "/shops/:shop/customers/:id",
    handle((req) => void emulator.deleteCustomer(String(req.params.shop), id(req))),
  );
  api.post(
    "/shops/:shop/customers/:id/data-request",
    handle((req) => void emulator.requestCustomerData(String(req.params.shop), id(req))),
  );
  api.get(
    "/shops/:shop/flow-triggers",
    handle((req) => shopOf(req).store.flowTriggers),
  );
  api.get(
    "/shops/:shop/orders",
    handle((req) => shopOf(req).orders),
  );
  api.post(
    "/shops/:shop/orders",
    handle((req) =>
      emulator.placeOrder(
        String(req.params.shop),
        z
          .object({
            customerId: z.number().int().optional(),
            lines: z.array(z.object({ variantId: z.number().int(), quantity: z.number().int().positive() })).min(1),
          })
          .parse(req.body),
      ),
    ),
  );
  api.post(
    "/shops/:shop/orders/:id/fulfill",
    handle((req) =>
      emulator.fulfillOrder(
        String(req.params.shop),
        id(req),
        z
          .object({
            company: z.string().optional(),
            url: z.string().url().optional(),
            shipmentStatus: z.string().optional(),
          })
          .parse(req.body ?? {}),
      ),
    ),
  );
  api.post(
    "/shops/:shop/orders/:id/refund",
    handle((req) =>
      emulator.refundOrder(String(req.params.shop), id(req), z.object({ amount: money }).parse(req.body).amount),
    ),
  );
  api.post(
    "/shops/:shop/orders/:id/cancel",
    handle((req) => emulator.cancelOrder(String(req.params.shop), id(req))),
  );
  // Policies and pages: no webhook follows (Shopify sends none); the app sees changes on its next refresh.
  api.get(
    "/shops/:shop/policies",
    handle((req) => shopOf(req).store.content.policies),
  );
  api.put(
    "/shops/:shop/policies/:type",
    handle((req) => {
      const type = z
        .enum(POLICY_TYPES as [string, ...string[]])
        .parse(req.params.type) as (typeof POLICY_TYPES)[number];
      const body = z.object({ title: z.string().min(1).optional(), bodyHtml: z.string() }).parse(req.body);
      return shopOf(req).store.content.setPolicy(type, body) ?? null;
    }),
  );
  api.get(
    "/shops/:shop/pages",
    handle((req) => [...shopOf(req).store.content.pages.values()]),
  );
  api.put(
    "/shops/:shop/pages/:handle",
    handle((req) => {
      const body = z
        .object({ title: z.string().min(1), bodyHtml: z.string(), published: z.boolean().optional() })
        .parse(req.body);
      return shopOf(req).store.content.savePage({ ...body, handle: String(req.params.handle) });
    }),
  );
  api.delete(
    "/shops/:shop/pages/:handle",
    handle((req) => {
      if (!shopOf(req).store.content.deletePage(String(req.params.handle)))
        throw new Error(`No page ${req.params.handle}`);
    }),
  );
  api.put(
    "/webhook-faults",
    handle((req) => {
      const { seed, ...rest } = faults.parse(req.body);
      emulator.setWebhookFaults(rest, seed);
    }),
  );
  api.post(
    "/webhooks/flush",
    handle(() => void emulator.webhooks.flush()),
  );
  api.get(
    "/webhooks",
    handle(() => emulator.webhooks.log.map(({ body, ...record }) => ({ ...record, bytes: body.length }))),
  );
  app.use("/_emulator", api);
}
