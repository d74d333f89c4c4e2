// The embeddings providers the app configures: local (offline model) and OpenAI-compatible
// (batching, retry on 429) against the local OpenAI-compatible server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmbeddings } from "../../app/lib/search/embeddings.server";
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from "../../tools/openai-compatible/server";
import { testEnv } from "./search-test-context";

let server: OpenAiCompatibleServer;
beforeAll(async () => {
  server = await startOpenAiCompatibleServer({ apiKey: "sk-emb", embeddingDimensions: 32 });
});
afterAll(() => server.close());

describe("embeddings providers", () => {
  it("local: 512 dimensions, no network, similar texts closer", async () => {
    const { descriptor, embeddings } = createEmbeddings(testEnv({ EMBEDDINGS_PROVIDER: "local" }));
    expect(descriptor).toMatchObject({ provider: "local", dimensions: 512 });
    const [a, b, c] = await embeddings.embedDocuments(["warm winter jacket", "insulated parka", "coffee grinder"]);
    const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i], 0);
    expect(a).toHaveLength(512);
    expect(dot(a, b)).toBeGreaterThan(dot(a, c));
  });

  it("OpenAI-compatible: batches of 256 and retries a 429", async () => {
    const { descriptor, embeddings } = createEmbeddings(
      testEnv({ EMBEDDINGS_PROVIDER: "openai", EMBEDDINGS_BASE_URL: server.url, EMBEDDINGS_API_KEY: "sk-emb" }),
    );
    expect(descriptor).toMatchObject({ provider: "openai", model: "text-embedding-3-small", baseUrl: server.url });
    server.fail({ path: "/v1/embeddings", status: 429, retryAfterSeconds: 0 });
    const texts = Array.from({ length: 600 }, (_, i) => `product ${i}`);
    const vectors = await embeddings.embedDocuments(texts);
    expect(vectors).toHaveLength(600);
    expect(vectors[0]).toHaveLength(32);
    const calls = server.requests.filter((r) => r.path === "/v1/embeddings");
    expect(calls).toHaveLength(4); // one 429 + three batches (256, 256, 88)
    expect(calls.map((c) => (c.body as { input: string[] }).input.length).sort((x, y) => x - y)).toEqual([
      88, 256, 256, 256,
    ]);
  });
});
