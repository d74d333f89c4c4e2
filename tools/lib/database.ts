import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Applies the committed migrations to the database at `url` (`prisma migrate deploy`). */
export async function migrateDatabase(url: string): Promise<void> {
  try {
    await run(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: url },
    });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`prisma migrate deploy failed for ${url}:\n${stdout}\n${stderr}`);
  }
}
