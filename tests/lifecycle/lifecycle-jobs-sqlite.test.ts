// Lifecycle jobs on SQLite (the default database): each test gets a migrated copy.
import { rmSync } from "node:fs";
import path from "node:path";
import { createTestDatabase } from "../helpers/database";
import { lifecycleJobSuite } from "./lifecycle-jobs";

lifecycleJobSuite(
  "SQLite",
  async () => {
    const { url } = createTestDatabase({ disconnected: true });
    return { url, drop: async () => rmSync(path.dirname(url.replace(/^file:/, "")), { recursive: true, force: true }) };
  },
  { clientPerProcess: false },
);
