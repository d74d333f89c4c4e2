import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { appBridgeUrl } from "../lib/shopify/app-bridge";

export const links = () => [
  { rel: "stylesheet", href: polarisStyles },
  { rel: "stylesheet", href: polarisVizStyles },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shopify, env } = context.services;
  await shopify.authenticate.admin(request);
  // root.tsx writes the App Bridge script into the head from this.
  return { apiKey: env.SHOPIFY_API_KEY, appBridgeUrl: appBridgeUrl(env.APP_BRIDGE_URL) };
}

export default function EmbeddedApp() {
  const { apiKey } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  return (
    // isEmbeddedApp={false} only stops the provider writing a second App Bridge script into the body:
    // root.tsx has put it first in the head, where Shopify requires it.
    <AppProvider isEmbeddedApp={false} apiKey={apiKey}>
      <NavMenu>
        <Link to="/app" rel="home">
          Overview
        </Link>
        <Link to="/app/sync">Sync</Link>
        <Link to="/app/products">Products</Link>
        <Link to="/app/playground">Search playground</Link>
        <Link to="/app/conversations">Conversations</Link>
        <Link to="/app/handoffs">Handoff queue</Link>
        <Link to="/app/knowledge">Store knowledge</Link>
        <Link to="/app/results">Results</Link>
        <Link to="/app/settings">Assistant settings</Link>
      </NavMenu>
      {navigation.state !== "idle" && (
        // Between pages: a thin bar at the top, as the admin shows while an app page loads.
        <div role="progressbar" aria-label="Loading page" className="aisle-page-loading" />
      )}
      <style>{`.aisle-page-loading{position:fixed;top:0;left:0;height:3px;width:100%;z-index:1000;background:linear-gradient(90deg,#303030 0 40%,transparent 40%);background-size:250% 100%;animation:aisle-loading 1s linear infinite}@keyframes aisle-loading{from{background-position:100% 0}to{background-position:-150% 0}}.Polaris-DataTable__ScrollContainer:focus-visible{outline:2px solid #005bd3;outline-offset:-2px}`}</style>
      {/* The page's one main landmark: the admin around the frame has its own navigation. */}
      <main>
        <Outlet />
      </main>
    </AppProvider>
  );
}

// Shopify needs its own error and header handling inside the embedded admin.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
