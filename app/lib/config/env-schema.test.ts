import { describe, expect, it } from "vitest";
import { EnvError, parseEnv, resolveEmbeddingsProvider, resolveLlmProvider } from "./env-schema";

const required = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://aisle.example.com",
};

function problemsOf(raw: Record<string, string | undefined>) {
  try {
    parseEnv(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return error as EnvError;
  }
  throw new Error("expected the environment to be rejected");
}

describe("parseEnv", () => {
  it("accepts the required variables alone and fills in defaults", () => {
    const env = parseEnv(required);
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBe("file:./.data/aisle.sqlite");
    expect(env.CHROMA_URL).toBe("http://127.0.0.1:8000");
    expect(env.SCOPES).toEqual([
      "read_products",
      "read_customers",
      "read_orders",
      "read_legal_policies",
      "read_online_store_pages",
    ]);
    expect(resolveEmbeddingsProvider(env)).toBe("local");
    expect(resolveLlmProvider(env)).toBe("none");
  });

  it("reads APPWRITE_PRODUCTS (decision 120): off by default, needs Appwrite's connection, refuses other values", () => {
    expect(parseEnv(required).APPWRITE_PRODUCTS).toBe(false);
    const appwrite = {
      APPWRITE_ENDPOINT: "https://cloud.appwrite.io/v1",
      APPWRITE_PROJECT_ID: "p",
      APPWRITE_API_KEY: "k",
    };
    expect(parseEnv({ ...required, ...appwrite, APPWRITE_PRODUCTS: "true" }).APPWRITE_PRODUCTS).toBe(true);
    expect(problemsOf({ ...required, APPWRITE_PRODUCTS: "true" }).message).toMatch(
      /APPWRITE_ENDPOINT.*required when APPWRITE_PRODUCTS is true/,
    );
    expect(problemsOf({ ...required, ...appwrite, APPWRITE_PRODUCTS: "yes" }).message).toMatch(
      /APPWRITE_PRODUCTS.*"true" or "false"/,
    );
  });

  it("reads the identity-for-limits settings (decision 105): defaults, shop-bound origins, bounds", () => {
    const env = parseEnv(required);
    expect([env.TRUSTED_PROXY_HOPS, env.CHAT_IP_MESSAGES_PER_WINDOW, env.CHAT_IP_TOKEN_SHARE]).toEqual([0, 60, 0.25]);
    const origins = parseEnv({
      ...required,
      CHAT_STOREFRONT_ORIGINS: "a.myshopify.com=https://shop-a.example, http://127.0.0.1:3101",
    }).CHAT_STOREFRONT_ORIGINS;
    expect(origins).toEqual(["a.myshopify.com=https://shop-a.example", "http://127.0.0.1:3101"]);
    expect(
      problemsOf({ ...required, CHAT_STOREFRONT_ORIGINS: "a.myshopify.com=https://a.example/path" }).problems[0],
    ).toMatchObject({ variable: "CHAT_STOREFRONT_ORIGINS" });
    expect(problemsOf({ ...required, TRUSTED_PROXY_HOPS: "-1" }).problems[0]).toMatchObject({
      variable: "TRUSTED_PROXY_HOPS",
    });
    expect(problemsOf({ ...required, CHAT_IP_TOKEN_SHARE: "0" }).problems[0]).toMatchObject({
      variable: "CHAT_IP_TOKEN_SHARE",
    });
  });

  it("names a missing variable", () => {
    const error = problemsOf({ ...required, SHOPIFY_API_SECRET: undefined });
    expect(error.problems).toEqual([{ variable: "SHOPIFY_API_SECRET", message: "is required but not set" }]);
    expect(error.message).toContain("SHOPIFY_API_SECRET is required but not set");
  });

  it("treats an empty value as not set", () => {
    const error = problemsOf({ ...required, SHOPIFY_API_KEY: "  " });
    expect(error.problems.map((p) => p.variable)).toEqual(["SHOPIFY_API_KEY"]);
  });

  it("names each invalid variable with what is expected", () => {
    const error = problemsOf({
      ...required,
      PORT: "http",
      CHROMA_URL: "not a url",
      DATABASE_URL: "mysql://db/aisle",
      LOG_LEVEL: "loud",
    });
    const byVariable = Object.fromEntries(error.problems.map((p) => [p.variable, p.message]));
    expect(Object.keys(byVariable).sort()).toEqual(["CHROMA_URL", "DATABASE_URL", "LOG_LEVEL", "PORT"]);
    expect(byVariable.CHROMA_URL).toMatch(/absolute URL/);
    expect(byVariable.DATABASE_URL).toMatch(/file:.*postgres/);
  });

  it("bounds input and keeps health details private by default", () => {
    const env = parseEnv(required);
    expect(env.MAX_REQUEST_BODY_BYTES).toBe(1_048_576);
    expect(env.UNAUTHENTICATED_CONCURRENCY).toBe(32);
    expect(env.HEALTH_TOKEN).toBeUndefined();
    expect(env.HEALTH_PROBE_TTL_SECONDS).toBe(30);
    const error = problemsOf({ ...required, HEALTH_TOKEN: "short", MAX_REQUEST_BODY_BYTES: "0" });
    const byVariable = Object.fromEntries(error.problems.map((p) => [p.variable, p.message]));
    expect(byVariable.HEALTH_TOKEN).toMatch(/at least 16 characters/);
    expect(Object.keys(byVariable).sort()).toEqual(["HEALTH_TOKEN", "MAX_REQUEST_BODY_BYTES"]);
  });

  it("rejects an explicit provider without credentials", () => {
    const error = problemsOf({ ...required, LLM_PROVIDER: "openai", EMBEDDINGS_PROVIDER: "openai" });
    expect(error.problems.map((p) => p.variable).sort()).toEqual(["EMBEDDINGS_PROVIDER", "LLM_PROVIDER"]);
  });

  it("switches to OpenAI-compatible providers when a key or base URL is configured", () => {
    const env = parseEnv({ ...required, OPENAI_API_KEY: "sk-test", LLM_BASE_URL: "http://127.0.0.1:11434/v1" });
    expect(resolveEmbeddingsProvider(env)).toBe("openai");
    expect(resolveLlmProvider(env)).toBe("openai");
  });

  it("hides database credentials in its message", () => {
    const error = problemsOf({ ...required, DATABASE_URL: "mysql://admin:hunter2@db/aisle" });
    expect(error.message).not.toContain("hunter2");
  });
});
