// Starts the whole local stack (Chroma, migrated SQLite, the built app) for the browser tests,
// and publishes its addresses through environment variables read by the specs.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../tools/lib/ports";
import { startStack } from "../../tools/stack";

export default async function globalSetup() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "aisle-e2e-"));
  const stack = await startStack({ dataDir, appPort: await freePort(), chromaPort: await freePort() });
  process.env.AISLE_E2E_APP_URL = stack.app.url;
  return async () => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
