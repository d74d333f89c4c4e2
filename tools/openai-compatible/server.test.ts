// The local OpenAI-compatible server, driven by the real clients the app uses (LangChain's
// ChatOpenAI and OpenAIEmbeddings over the official openai SDK) plus raw HTTP for exact shapes.
import { type AIMessageChunk } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { ChatOpenAI, OpenAIEmbeddings } from "@langchain/openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { groundedReply, startOpenAiCompatibleServer, type OpenAiCompatibleServer } from "./server";

let server: OpenAiCompatibleServer;
const API_KEY = "sk-local-test";

beforeAll(async () => {
  server = await startOpenAiCompatibleServer({ apiKey: API_KEY, models: ["gpt-4o-mini", "text-embedding-3-small"] });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const chat = (extra: Record<string, unknown> = {}) =>
  new ChatOpenAI({
    model: "gpt-4o-mini",
    apiKey: API_KEY,
    configuration: { baseURL: server.url },
    maxRetries: 0,
    ...extra,
  });

const CONTEXT =
  "Products:\n[1] Stormline Jacket — waterproof hiking shell\n[2] Trail Socks — merino wool\n[3] Headlamp — 400 lumen";

describe("OpenAI-compatible server", () => {
  it("lists models and rejects a wrong key with OpenAI's 401 shape", async () => {
    const ok = await fetch(`${server.url}/models`, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect((await ok.json()).data.map((m: { id: string }) => m.id)).toEqual(["gpt-4o-mini", "text-embedding-3-small"]);
    const denied = await fetch(`${server.url}/models`, { headers: { authorization: "Bearer wrong" } });
    expect(denied.status).toBe(401);
    expect((await denied.json()).error).toMatchObject({ type: "invalid_request_error", code: "invalid_api_key" });
    await expect(chat({ apiKey: "wrong" }).invoke("hi")).rejects.toThrow(/401|Incorrect API key/);
  });

  it("answers grounded in the numbered context, citing [n], with usage", async () => {
    const reply = await chat().invoke([
      ["system", CONTEXT],
      ["user", "I need a waterproof jacket"],
    ]);
    expect(reply.content).toBe("Based on the catalog, I recommend Stormline Jacket [1].");
    expect(reply.usage_metadata?.output_tokens).toBeGreaterThan(0);
    expect(groundedReply({ model: "m", messages: [{ role: "user", content: "anything?" }] })).toMatch(/could not find/);
  });

  it("streams token by token in OpenAI's chunk format, ending with usage and [DONE]", async () => {
    const response = await fetch(`${server.url}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "gpt-4o-mini",
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: "user", content: "socks" }],
      }),
    });
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    const events = (await response.text()).split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.replace(/^data: /, "")));
    expect(chunks[0]).toMatchObject({ object: "chat.completion.chunk", choices: [{ delta: { role: "assistant" } }] });
    expect(chunks.at(-2).choices[0].finish_reason).toBe("stop");
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });

    server.script("one two three four");
    const pieces: string[] = [];
    for await (const chunk of await chat({ streaming: true }).stream("go")) pieces.push(String(chunk.content));
    expect(pieces.filter(Boolean)).toEqual(["one", " two", " three", " four"]);
  });

  it("cuts at max_tokens with finish_reason length", async () => {
    server.script("a b c d e f g");
    const reply = await chat({ maxTokens: 3 }).invoke("go");
    expect(reply.content).toBe("a b c");
    expect(reply.response_metadata.finish_reason).toBe("length");
  });

  it("serves structured output through json_schema and tool calls", async () => {
    const schema = z.object({ title: z.string(), price: z.number(), tags: z.array(z.string()) });
    server.script({ json: { title: "Generated Tent", price: 120, tags: ["camping"] } });
    const structured = await chat().withStructuredOutput(schema, { method: "jsonSchema" }).invoke("make a product");
    expect(structured).toEqual({ title: "Generated Tent", price: 120, tags: ["camping"] });
    // Unscripted: a value of the schema's shape.
    expect(await chat().withStructuredOutput(schema, { method: "jsonSchema" }).invoke("x")).toEqual({
      title: "",
      price: 0,
      tags: [],
    });
    const lookup = tool(async () => "ok", {
      name: "lookup_product",
      description: "Looks up a product",
      schema: z.object({ sku: z.string() }),
    });
    server.script({ toolCalls: [{ name: "lookup_product", arguments: { sku: "NP-1" } }] });
    const called = await chat().bindTools([lookup]).invoke("find NP-1");
    expect(called.tool_calls).toEqual([expect.objectContaining({ name: "lookup_product", args: { sku: "NP-1" } })]);
    server.script({ toolCalls: [{ name: "lookup_product", arguments: { sku: "NP-2" } }] });
    let streamed: AIMessageChunk | undefined;
    for await (const chunk of await chat().bindTools([lookup]).stream("find NP-2")) {
      streamed = streamed ? streamed.concat(chunk) : chunk;
    }
    expect(streamed?.tool_calls).toEqual([expect.objectContaining({ name: "lookup_product", args: { sku: "NP-2" } })]);
  });

  it("returns 429 with retry-after, which the client retries", async () => {
    server.fail({ path: "/v1/chat/completions", status: 429, retryAfterSeconds: 0 });
    const raw = await fetch(`${server.url}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "x" }] }),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get("retry-after")).toBe("0");
    expect((await raw.json()).error.code).toBe("rate_limit_exceeded");

    server.fail({ path: "/v1/chat/completions", status: 429, retryAfterSeconds: 0 });
    server.script("after retry");
    const reply = await chat({ maxRetries: 2 }).invoke("x");
    expect(reply.content).toBe("after retry");
  });

  it("injects 500s, unknown models, hangs (client timeout) and dropped streams", async () => {
    server.fail({ status: 500 });
    await expect(chat().invoke("x")).rejects.toThrow(/500|server had an error/);
    await expect(chat({ model: "gpt-99" }).invoke("x")).rejects.toThrow(/does not exist/);
    server.fail({ hang: true });
    await expect(chat({ timeout: 300 }).invoke("x")).rejects.toThrow(/timed out|timeout|abort/i);
    server.script("one two three four five");
    server.fail({ dropAfterChunks: 2 });
    const pieces: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of await chat({ streaming: true }).stream("x")) pieces.push(String(chunk.content));
      })(),
    ).rejects.toThrow();
    expect(pieces.join("")).toBe("one two");
  });

  it("serves deterministic embeddings to OpenAIEmbeddings (base64 and float), similar texts closer", async () => {
    const embeddings = new OpenAIEmbeddings({
      model: "text-embedding-3-small",
      apiKey: API_KEY,
      dimensions: 64,
      configuration: { baseURL: server.url },
    });
    const [a, b, c] = await embeddings.embedDocuments(["waterproof hiking jacket", "waterproof jacket", "coffee mug"]);
    expect(a).toHaveLength(64);
    const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i], 0);
    expect(dot(a, b)).toBeGreaterThan(dot(a, c));
    expect(await embeddings.embedQuery("waterproof hiking jacket")).toEqual(a.map((v) => expect.closeTo(v, 5)));
    const raw = await fetch(`${server.url}/embeddings`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ model: "text-embedding-3-small", input: "x", encoding_format: "float" }),
    });
    expect((await raw.json()).data[0].embedding).toHaveLength(256);
    const bad = await fetch(`${server.url}/embeddings`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}` },
      body: "{not json",
    });
    expect(bad.status).toBe(400);
  });
});
