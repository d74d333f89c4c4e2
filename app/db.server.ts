// The one Prisma client of the app process.
import type { PrismaClient } from "@prisma/client";
import { env } from "./env.server";
import { createPrismaClient } from "./lib/db/create-prisma-client.server";

declare global {
  // Kept on globalThis in development so Vite's module reloads don't open a new pool each time.
  var aislePrisma: PrismaClient | undefined;
}

const prisma: PrismaClient = globalThis.aislePrisma ?? createPrismaClient(env.DATABASE_URL);
if (env.NODE_ENV !== "production") globalThis.aislePrisma = prisma;

export default prisma;
