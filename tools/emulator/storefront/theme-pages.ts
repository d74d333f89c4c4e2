// The emulated storefront's own minimal theme (project-written markup, not a Shopify theme).
import type { EmulatedCustomer } from "../store/model";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const SYMBOLS: Record<string, string> = { USD: "$", CAD: "$", AUD: "$", GBP: "£", EUR: "€", JPY: "¥" };

/** shop.money_format as Shopify stores it, e.g. "${{amount}}". */
export function moneyFormat(currency: string): string {
  return `${SYMBOLS[currency] ?? ""}{{amount}}${SYMBOLS[currency] ? "" : ` ${currency}`}`;
}

export function formatMoneyCents(cents: number, currency: string): string {
  return moneyFormat(currency).replace("{{amount}}", (cents / 100).toFixed(2));
}

export function layout(input: {
  shopName: string;
  title: string;
  main: string;
  customer: EmulatedCustomer | undefined;
  itemCount: number;
  embeds: { head: string; body: string };
}): string {
  const account = input.customer
    ? `<span class="account">Hi, ${escapeHtml(input.customer.firstName)}</span> <a href="/account/logout">Log out</a>`
    : `<a href="/account/login">Log in</a>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)} – ${escapeHtml(input.shopName)}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; color: #1a1a1a; }
  header { display: flex; gap: 1rem; align-items: center; padding: 1rem 2rem; border-bottom: 1px solid #ddd; }
  header .brand { font-weight: 700; margin-right: auto; text-decoration: none; color: inherit; }
  main { padding: 1rem 2rem; max-width: 72rem; }
  .grid { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: 1rem; }
  .card img, .product img { max-width: 100%; height: auto; display: block; }
  .card-title { display: block; margin-top: .5rem; }
  .price { color: #444; }
</style>
${input.embeds.head}</head>
<body>
<header><a class="brand" href="/">${escapeHtml(input.shopName)}</a><form action="/search"><input name="q" placeholder="Search" aria-label="Search"></form>${account}<a href="/cart">Cart (<span id="cart-count">${input.itemCount}</span>)</a></header>
<main>${input.main}</main>
${input.embeds.body}</body>
</html>`;
}
