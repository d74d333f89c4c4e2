// The customer store contract on the default backend: Prisma on a real, migrated SQLite database.
import { PrismaCustomerStore } from "../../app/lib/customers/prisma-store.server";
import { createTestDatabase } from "../helpers/database";
import { customerStoreContract } from "./store-contract";

customerStoreContract("Prisma (SQLite)", async () => {
  const { prisma } = createTestDatabase();
  return { store: new PrismaCustomerStore(prisma), close: () => prisma.$disconnect() };
});
