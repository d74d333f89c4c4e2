import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import type { loader as embeddedAppLoader } from "./routes/app";

export default function App() {
  // Embedded pages (under routes/app) load App Bridge; public pages (the landing page, the widget's) do not.
  const embedded = useRouteLoaderData<typeof embeddedAppLoader>("routes/app");
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        {/* Shopify: the first script in the head, synchronous. */}
        {embedded && <script src={embedded.appBridgeUrl} data-api-key={embedded.apiKey} />}
        {/* Both from public/ (tools/icons/render-icons.ts). The .ico's sizes lets browsers that read SVG
            icons prefer the SVG; the rest take the .ico. */}
        <link rel="icon" href="/favicon.ico" sizes="32x32" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
