import { exitOf, spawnOwned } from "./process-lifecycle";

/** Applies the committed migrations to the database at `url` (`prisma migrate deploy`). */
export async function migrateDatabase(url: string): Promise<void> {
  // An owned child: an interrupt during the migration stops it with everything else.
  const child = spawnOwned(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  if ((await exitOf(child)) !== 0) throw new Error(`prisma migrate deploy failed for ${url}:\n${output}`);
}
