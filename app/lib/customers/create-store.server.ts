// Picks the customer store from configuration: Prisma (the app database) unless CUSTOMER_STORE=appwrite.
import type { PrismaClient } from "@prisma/client";
import type { Env } from "../config/env-schema";
import { createAppwriteClient } from "./appwrite-client.server";
import { AppwriteCustomerStore } from "./appwrite-store.server";
import { PrismaCustomerStore } from "./prisma-store.server";
import type { CustomerStore } from "./types";

type StoreSettings = Pick<
  Env,
  "CUSTOMER_STORE" | "APPWRITE_ENDPOINT" | "APPWRITE_PROJECT_ID" | "APPWRITE_API_KEY" | "APPWRITE_DATABASE_ID"
>;

export function createCustomerStore(settings: StoreSettings, prisma: PrismaClient): CustomerStore {
  if (settings.CUSTOMER_STORE === "prisma") return new PrismaCustomerStore(prisma);
  // parseEnv guarantees these when CUSTOMER_STORE=appwrite.
  const client = createAppwriteClient({
    endpoint: settings.APPWRITE_ENDPOINT!,
    projectId: settings.APPWRITE_PROJECT_ID!,
    apiKey: settings.APPWRITE_API_KEY!,
  });
  return new AppwriteCustomerStore(client, { databaseId: settings.APPWRITE_DATABASE_ID });
}
