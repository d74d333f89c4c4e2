// Pure helpers shared by the Prisma CLI config (prisma.config.ts) and the runtime client
// (app/db.server.ts), so both always agree on which database a URL means.

export type DatabaseFlavour = "sqlite" | "postgres";

/** The embedded default: a SQLite file in the git-ignored data folder. */
export const DEFAULT_DATABASE_URL = "file:./.data/aisle.sqlite";

export function databaseFlavour(url: string): DatabaseFlavour {
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgres";
  if (url.startsWith("file:")) return "sqlite";
  throw new Error(
    `DATABASE_URL must start with "file:" (SQLite) or "postgres://"/"postgresql://" (Postgres); got "${redactUrl(url)}"`,
  );
}

/** Hides credentials so a URL can be logged or shown in an error. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+)(:[^@/]*)?@/, "//$1:***@");
}
