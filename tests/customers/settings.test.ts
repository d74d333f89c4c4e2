// The customer store settings: Prisma by default, Appwrite only with its three credentials.
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../../app/lib/config/env-schema";

const required = { SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://app.example" };

describe("customer store settings", () => {
  it("defaults to the Prisma store with 90-day chat retention", () => {
    expect(parseEnv(required)).toMatchObject({
      CUSTOMER_STORE: "prisma",
      APPWRITE_DATABASE_ID: "aisle",
      CHAT_RETENTION_DAYS: 90,
    });
  });

  it("names each missing Appwrite credential when CUSTOMER_STORE=appwrite", () => {
    try {
      parseEnv({ ...required, CUSTOMER_STORE: "appwrite", APPWRITE_PROJECT_ID: "p" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      expect((error as EnvError).problems.map((p) => p.variable).sort()).toEqual([
        "APPWRITE_API_KEY",
        "APPWRITE_ENDPOINT",
      ]);
    }
  });

  it("rejects a bad endpoint, database id or retention", () => {
    for (const [name, value] of [
      ["APPWRITE_ENDPOINT", "appwrite.local"],
      ["APPWRITE_DATABASE_ID", "_starts-with-underscore"],
      ["CHAT_RETENTION_DAYS", "-1"],
      ["CUSTOMER_STORE", "mongo"],
    ]) {
      expect(() => parseEnv({ ...required, [name]: value })).toThrow(name);
    }
  });

  it("accepts a complete Appwrite configuration and retention 0 (keep forever)", () => {
    const env = parseEnv({
      ...required,
      CUSTOMER_STORE: "appwrite",
      APPWRITE_ENDPOINT: "https://cloud.appwrite.io/v1",
      APPWRITE_PROJECT_ID: "p",
      APPWRITE_API_KEY: "key",
      CHAT_RETENTION_DAYS: "0",
    });
    expect(env).toMatchObject({ CUSTOMER_STORE: "appwrite", CHAT_RETENTION_DAYS: 0 });
  });
});
