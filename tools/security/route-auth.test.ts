// The route check on fixture route folders: it must pass the app's real routes and fail each way a
// route can skip authentication.
import { execFile } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { checkRouteAuthentication, readPublicRoutes, type PublicRoute } from "./route-auth";

const run = promisify(execFile);
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function routesFixture(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "aisle-routes-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const adminRoute = `
export async function loader({ request, context }) {
  const { session } = await context.services.shopify.authenticate.admin(request);
  return { shop: session.shop };
}`;
const proxyRoute = `
import { verifiedProxyShopper } from "../lib/storefront/app-proxy.server";
export async function action({ request, context }) {
  const shopper = await verifiedProxyShopper(context.services.shopify.authenticate, request);
  if (shopper instanceof Response) return shopper;
  return Response.json({ ok: true });
}`;
const webhookRoute = `
import { webhookAction } from "../webhooks.server";
export { webhookLoader as loader } from "../webhooks.server";
export const action = webhookAction("PRODUCTS_UPDATE", async () => {});`;
const streamRoute = `
import { authorizeStream } from "../lib/storefront/session.server";
export const action = async ({ request, context }) => {
  const authorized = authorizeStream(context.services.storefront.token, request);
  if (authorized instanceof Response) return authorized;
  return new Response("ok");
};`;
const webhookLoaders: PublicRoute = {
  route: "webhooks.*.ts",
  exports: ["loader"],
  reexport: "webhookLoader",
  reason: "a plain 405 for every GET",
};

function failures(dir: string, list: PublicRoute[] = [webhookLoaders]) {
  const report = checkRouteAuthentication(dir, list);
  return { report, failed: report.findings.filter((f) => !f.ok).map((f) => `${f.route} ${f.handler}`) };
}

describe("npm run security: route authentication", () => {
  it("passes routes that call a known verifier (admin, App Proxy, webhook HMAC, stream token)", () => {
    const dir = routesFixture({
      "app.products.tsx": adminRoute,
      "proxy.chat.ts": proxyRoute,
      "webhooks.products.update.ts": webhookRoute,
      "proxy.stream.ts": streamRoute,
    });
    const { report, failed } = failures(dir);
    expect(failed).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.findings.map((f) => f.detail)).toEqual([
      "admin session (authenticate.admin)",
      "App Proxy signature (verifiedProxyShopper)",
      "signed stream token (authorizeStream)",
      "public: a plain 405 for every GET",
      "webhook HMAC (webhookAction)",
    ]);
  });

  it("fails a new unauthenticated route, whatever its name says", () => {
    const dir = routesFixture({
      "app.export-all.tsx": `export async function loader({ context }) { return context.services.db.product.findMany(); }`,
      "webhooks.orders.paid.ts": `export async function action({ request }) { return Response.json(await request.json()); }`,
    });
    const { report, failed } = failures(dir);
    expect(report.ok).toBe(false);
    expect(failed).toEqual(["app.export-all.tsx loader", "webhooks.orders.paid.ts action"]);
    expect(report.findings[0].detail).toMatch(/does not authenticate.*public list/);
  });

  it("fails a verifier that runs only on some paths, or after the route may already have answered", () => {
    const dir = routesFixture({
      "app.a.tsx": `export async function loader({ request, context }) {
        if (request.headers.get("x-debug")) await context.services.shopify.authenticate.admin(request);
        return { secret: 1 };
      }`,
      "app.b.tsx": `export async function loader({ request, context }) {
        const url = new URL(request.url);
        if (url.searchParams.has("preview")) return { products: [] };
        await context.services.shopify.authenticate.admin(request);
        return {};
      }`,
      "app.c.tsx": `export async function loader({ request, context }) {
        setTimeout(() => context.services.shopify.authenticate.admin(request));
        return {};
      }`,
      "app.d.tsx": `export const loader = async ({ request, context }) => request.headers.get("a") && context.services.shopify.authenticate.admin(request);`,
    });
    const { report, failed } = failures(dir);
    expect(failed).toEqual(["app.a.tsx loader", "app.b.tsx loader", "app.c.tsx loader", "app.d.tsx loader"]);
    expect(report.findings[0].detail).toMatch(/runs only on some paths/);
    expect(report.findings[1].detail).toMatch(/can answer \(line 3\) before/);
  });

  it("does not trust a look-alike verifier defined in the route, and follows the module's own helpers", () => {
    const dir = routesFixture({
      "proxy.fake.ts": `function verifiedProxyShopper() { return { shop: "any" }; }
        export async function action({ request }) { const s = await verifiedProxyShopper(null, request); return Response.json(s); }`,
      "proxy.helper.ts": `import { verifiedProxyShopper } from "../lib/storefront/app-proxy.server";
        async function shopperOf(request, context) { return verifiedProxyShopper(context.services.shopify.authenticate, request); }
        export async function action({ request, context }) { const s = await shopperOf(request, context); return Response.json(s); }`,
    });
    const { failed } = failures(dir);
    expect(failed).toEqual(["proxy.fake.ts action"]);
  });

  it("fails a re-exported loader that is not the listed one, a page without a loader, and stale list entries", () => {
    const dir = routesFixture({
      "webhooks.orders.paid.ts": `import { webhookAction } from "../webhooks.server";
        export { dumpOrders as loader } from "../lib/orders.server";
        export const action = webhookAction("ORDERS_PAID", async () => {});`,
      "about/route.tsx": `export default function About() { return null; }`,
    });
    const stale: PublicRoute = { route: "gone.ts", exports: ["loader"], reason: "was public once" };
    const noReason: PublicRoute = { route: "about/route.tsx", exports: [], reason: "" };
    const { report, failed } = failures(dir, [webhookLoaders, stale]);
    expect(failed).toEqual(["about/route.tsx (none)", "webhooks.orders.paid.ts loader"]);
    expect(report.listProblems.join("\n")).toMatch(/"gone.ts".*matches no unauthenticated handler/);
    expect(report.listProblems.join("\n")).toMatch(/"webhooks\.\*\.ts"/);
    const listed = checkRouteAuthentication(dir, [noReason]);
    expect(listed.listProblems.join("\n")).toMatch(/"about\/route.tsx" needs a reason/);
  });

  it("passes the app's own routes with the committed public list, and the CLI exits 1 on a fixture", async () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const report = checkRouteAuthentication(
      path.join(root, "app/routes"),
      readPublicRoutes(path.join(root, "tools/security/public-routes.json")),
    );
    expect(report.findings.filter((f) => !f.ok)).toEqual([]);
    expect(report.listProblems).toEqual([]);
    expect(report.findings.filter((f) => !f.detail.startsWith("public:")).length).toBeGreaterThanOrEqual(20);

    const dir = routesFixture({ "api.products.ts": `export async function loader() { return Response.json([]); }` });
    const list = path.join(dir, "public.json");
    writeFileSync(list, JSON.stringify({ routes: [] }));
    const cli = run("npx", ["tsx", path.join(root, "tools/security/check.ts"), dir, list], { cwd: root });
    const failure = await cli.then(
      () => null,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toMatch(/FAIL api\.products\.ts loader: does not authenticate/);
  });
});
