// What the emulator needs to know about the app, read from its real shopify.app.toml (as Shopify reads
// the deployed app configuration): scopes, webhook subscriptions and the app proxy.
import { readFileSync } from "node:fs";
import { parse } from "smol-toml";

export interface AppConfig {
  apiKey: string;
  apiSecret: string;
  /** Where the app listens, e.g. http://127.0.0.1:3000. */
  appUrl: string;
  scopes: string[];
  webhookApiVersion: string;
  /** topic → path on the app (compliance topics included). */
  webhooks: Map<string, string>;
  proxy: { prefix: string; subpath: string; path: string } | null;
}

interface Toml {
  access_scopes?: { scopes?: string };
  webhooks?: {
    api_version?: string;
    subscriptions?: { topics?: string[]; compliance_topics?: string[]; uri: string }[];
  };
  app_proxy?: { url: string; prefix: string; subpath: string };
}

export function readAppConfig(
  file: string,
  credentials: { apiKey: string; apiSecret: string; appUrl: string },
): AppConfig {
  const toml = parse(readFileSync(file, "utf8")) as Toml;
  const webhooks = new Map<string, string>();
  for (const subscription of toml.webhooks?.subscriptions ?? []) {
    const uri = subscription.uri.startsWith("/") ? subscription.uri : new URL(subscription.uri).pathname;
    for (const topic of [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])])
      webhooks.set(topic, uri);
  }
  const proxy = toml.app_proxy
    ? { prefix: toml.app_proxy.prefix, subpath: toml.app_proxy.subpath, path: new URL(toml.app_proxy.url).pathname }
    : null;
  return {
    ...credentials,
    appUrl: credentials.appUrl.replace(/\/$/, ""),
    scopes: (toml.access_scopes?.scopes ?? "")
      .split(",")
      .map((scope) => scope.trim())
      .filter(Boolean),
    webhookApiVersion: toml.webhooks?.api_version ?? "2026-07",
    webhooks,
    proxy,
  };
}
