// Two app processes on one Postgres (and one pgvector): a product changed through one instance —
// a signed products/update webhook, its own sync worker — is found, changed, by the very next search
// on the other instance. No reload, no cache to expire: both read the same database.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createPostgresTestDatabase, postgresAvailable, type PostgresTestDatabase } from "../helpers/postgres-database";
import { graphqlProduct, restPayload } from "../../tools/lib/catalog-fixtures";

const SHOP = "two-instances.myshopify.com";

interface Instance {
  child: ChildProcess;
  send(command: Record<string, unknown>): Promise<Record<string, unknown>>;
}

function startInstance(env: Record<string, string>): Instance {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/integration/helpers/app-instance-process.ts"], {
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const waiting = new Map<number, (answer: { ok: boolean; result?: unknown; error?: string }) => void>();
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const answer = JSON.parse(line) as { id: number; ok: boolean; result?: unknown; error?: string };
    waiting.get(answer.id)?.(answer);
    waiting.delete(answer.id);
  });
  let next = 0;
  return {
    child,
    send: (command) =>
      new Promise((resolve, reject) => {
        const id = ++next;
        waiting.set(id, (answer) =>
          answer.ok ? resolve(answer.result as Record<string, unknown>) : reject(new Error(answer.error)),
        );
        child.stdin!.write(`${JSON.stringify({ id, command })}\n`);
      }),
  };
}

describe.skipIf(!postgresAvailable())("two app instances on one Postgres", () => {
  let database: PostgresTestDatabase;
  let writer: Instance;
  let reader: Instance;

  beforeAll(async () => {
    database = await createPostgresTestDatabase("aisle_instances");
    const env = {
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      SHOPIFY_API_KEY: "two-instances",
      SHOPIFY_API_SECRET: "two-instances-secret",
      SHOPIFY_APP_URL: "https://aisle.example.com",
      DATABASE_URL: database.url,
      VECTOR_STORE: "pgvector",
      PGVECTOR_URL: inject("pgvectorUrl"),
      EMBEDDINGS_PROVIDER: "local",
      LLM_PROVIDER: "none",
      SYNC_WORKER_CONCURRENCY: "0",
    };
    writer = startInstance(env);
    reader = startInstance(env);
    await writer.send({ op: "install", shop: SHOP });
  });

  afterAll(async () => {
    for (const instance of [writer, reader]) instance?.child.stdin?.end();
    await Promise.all(
      [writer, reader].map((instance) => instance && new Promise((resolve) => instance.child.once("exit", resolve))),
    );
    await database?.drop();
  });

  const deliver = (product: ReturnType<typeof graphqlProduct>, webhookId: string) =>
    writer.send({ op: "webhook", shop: SHOP, body: restPayload(product), webhookId });
  const search = (query: string) =>
    reader.send({ op: "search", shop: SHOP, query }) as Promise<{
      hits: { id: string; title: string; price: string }[];
      indexVersion: number;
    }>;

  it("finds on one instance, at once, what a webhook changed through the other", async () => {
    const lantern = graphqlProduct(41, { title: "Aurora Storm Lantern", price: "30.00" });
    const created = await deliver(lantern, "wh-1");
    expect(created).toMatchObject({ status: 200, drained: { embedded: 1 } });
    const first = await search("aurora storm lantern");
    expect(first.hits[0]).toMatchObject({ id: lantern.id, title: "Aurora Storm Lantern", price: "30.00" });

    // A price change: written by the writer's worker, seen by the reader's next search.
    const repriced = graphqlProduct(41, {
      title: "Aurora Storm Lantern",
      price: "24.50",
      updatedAt: "2030-01-02T00:00:00Z",
    });
    expect(await deliver(repriced, "wh-2")).toMatchObject({ status: 200, drained: { metadataUpdated: 1 } });
    const second = await search("aurora storm lantern");
    expect(second.indexVersion).toBeGreaterThan(first.indexVersion);
    expect(second.hits[0]).toMatchObject({ id: lantern.id, price: "24.50" });

    // A content edit: re-embedded by the writer, found under its new name by the reader.
    const renamed = graphqlProduct(41, {
      title: "Borealis Camp Lantern",
      price: "24.50",
      updatedAt: "2030-01-03T00:00:00Z",
    });
    expect(await deliver(renamed, "wh-3")).toMatchObject({ status: 200, drained: { embedded: 1 } });
    const third = await search("borealis camp lantern");
    expect(third.hits[0]).toMatchObject({ id: lantern.id, title: "Borealis Camp Lantern", price: "24.50" });
    expect((await search("aurora")).hits.map((hit) => hit.title)).not.toContain("Aurora Storm Lantern");
  });
});
