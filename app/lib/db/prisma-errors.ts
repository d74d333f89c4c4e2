// Prisma error checks that hold for both generated clients (SQLite's @prisma/client and the Postgres
// client): each has its own PrismaClientKnownRequestError class, so `instanceof` against one of
// them misses the other's errors; the error code is the same on both.

/** A write that lost a race on a unique key (another request or instance created the row first). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "P2002";
}
