// The three store configurations the named checks of docs/security.md run on: the app database on
// SQLite or Postgres with the Prisma customer store, and SQLite with the Appwrite customer store (the
// local Appwrite-compatible server). A check module takes a configuration; each thin *.test.ts file
// names one (`checksOn`), so vitest runs the configurations of a check in parallel.
import { describe, it } from "vitest";
import { createAppwriteClient } from "../../app/lib/customers/appwrite-client.server";
import { startAppwriteEmulator } from "../../tools/appwrite-emulator/server";
import { scanAppwrite, scanPostgres, scanSqlite, type Residue } from "../customers/residue";
import { createTestDatabase } from "./database";
import { createPostgresTestDatabase, postgresAvailable } from "./postgres-database";
import { startSwitchableProxy } from "./switchable-proxy";

export type ConfigurationName = "SQLite" | "Postgres" | "Appwrite";

export interface OpenStores {
  /** Settings that select the stores (DATABASE_URL, CUSTOMER_STORE, APPWRITE_*). */
  env: Record<string, string>;
  /** Every row in every store (app database, customer store) that contains `needle`. */
  scan(needle: string): Promise<Residue[]>;
  /** The Appwrite configuration only: takes the customer store's server off the network and back. */
  appwrite?: { down(): void; up(): void };
  close(): Promise<void>;
}

export interface StoreConfiguration {
  name: ConfigurationName;
  /** For test names and reported figures, e.g. "SQLite, Appwrite customer store". */
  label: string;
  /** Postgres: every process may hold its own client. SQLite: one client per thread (two would block). */
  ownClientPerProcess: boolean;
  /**
   * A shop domain of this configuration's own: the configurations of a check run at once against the
   * run's one Chroma server, whose collections are named after the shop.
   */
  shop(name: string): string;
  open(): Promise<OpenStores>;
}

const shopOf = (configuration: ConfigurationName) => (name: string) =>
  `${name}-${configuration.toLowerCase()}.myshopify.com`;

const APPWRITE = { projectId: "aisle-checks", apiKey: "checks-key", databaseId: "aisle" };

export const CONFIGURATIONS: Record<ConfigurationName, (postgresPrefix: string) => StoreConfiguration> = {
  SQLite: () => ({
    name: "SQLite",
    label: "SQLite, Prisma customer store",
    ownClientPerProcess: false,
    shop: shopOf("SQLite"),
    open: async () => {
      const { url } = createTestDatabase({ disconnected: true });
      return { env: { DATABASE_URL: url }, scan: async (needle) => scanSqlite(url, needle), close: async () => {} };
    },
  }),
  Postgres: (postgresPrefix) => ({
    name: "Postgres",
    label: "Postgres, Prisma customer store",
    ownClientPerProcess: true,
    shop: shopOf("Postgres"),
    open: async () => {
      const database = await createPostgresTestDatabase(postgresPrefix);
      await database.prisma.$disconnect(); // the app holds its own client
      return {
        env: { DATABASE_URL: database.url },
        scan: (needle) => scanPostgres(database.url, needle),
        close: database.drop,
      };
    },
  }),
  Appwrite: () => ({
    name: "Appwrite",
    label: "SQLite, Appwrite customer store",
    ownClientPerProcess: false,
    shop: shopOf("Appwrite"),
    open: async () => {
      const emulator = await startAppwriteEmulator({ projectId: APPWRITE.projectId, apiKey: APPWRITE.apiKey });
      // The app reaches Appwrite through a hop a check can cut (W5); scans go straight to the server.
      const hop = await startSwitchableProxy(emulator.endpoint);
      const { url } = createTestDatabase({ disconnected: true });
      const direct = createAppwriteClient({
        endpoint: emulator.endpoint,
        projectId: APPWRITE.projectId,
        apiKey: APPWRITE.apiKey,
      });
      return {
        env: {
          DATABASE_URL: url,
          CUSTOMER_STORE: "appwrite",
          APPWRITE_ENDPOINT: `${hop.url}/v1`,
          APPWRITE_PROJECT_ID: APPWRITE.projectId,
          APPWRITE_API_KEY: APPWRITE.apiKey,
          APPWRITE_DATABASE_ID: APPWRITE.databaseId,
        },
        scan: async (needle) => [
          ...(await scanAppwrite(direct, APPWRITE.databaseId, needle)),
          ...scanSqlite(url, needle),
        ],
        appwrite: { down: () => hop.down(), up: () => hop.up() },
        close: async () => {
          await hop.close();
          await emulator.stop();
        },
      };
    },
  }),
};

/**
 * Declares `suite` on one configuration. Postgres needs TEST_POSTGRES_URL (`npm test` provides it,
 * tools/ensure-postgres.sh); without it the file reports one skipped test saying so.
 */
export function checksOn(
  name: ConfigurationName,
  checks: string,
  suite: (configuration: StoreConfiguration) => void,
  postgresPrefix = "aisle_checks",
) {
  if (name === "Postgres" && !postgresAvailable()) {
    describe(`${checks} (Postgres)`, () => {
      it.skip("needs TEST_POSTGRES_URL (see tools/ensure-postgres.sh)", () => {});
    });
    console.warn(`${checks} Postgres suite skipped: set TEST_POSTGRES_URL or run it through \`npm test\`.`);
    return;
  }
  suite(CONFIGURATIONS[name](postgresPrefix));
}
