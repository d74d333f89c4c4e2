// Fresh migrated databases for one test file, disconnected after each test.
import { afterEach } from "vitest";
import { createTestDatabase } from "../helpers/database";

export function useTestDatabases() {
  const databases: { prisma: { $disconnect(): Promise<void> } }[] = [];
  afterEach(async () => {
    await Promise.all(databases.splice(0).map((db) => db.prisma.$disconnect()));
  });
  return () => {
    const db = createTestDatabase();
    databases.push(db);
    return db.prisma;
  };
}
