// A local OpenAI-compatible HTTP server for tests, the demo and tools: /v1/models,
// /v1/chat/completions (JSON and SSE streaming in OpenAI's chunk format, usage, json_schema
// response formats, tool calls) and /v1/embeddings (float or base64), with bearer auth,
// OpenAI-shaped errors and injectable latency, failures and hangs. Chat is deterministic: by default
// it answers from the numbered context ("[n] …" lines) it is given and cites [n]; tests can script
// replies or supply their own responder. See README.md.
import { createHash, randomBytes } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ChatMessage {
  role: "system" | "developer" | "user" | "assistant" | "tool";
  content: string | { type: string; text?: string }[] | null;
  tool_calls?: unknown[];
  tool_call_id?: string;
}

export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  temperature?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  response_format?: {
    type: "text" | "json_object" | "json_schema";
    json_schema?: { name: string; schema: JsonSchema };
  };
  tools?: { type: "function"; function: { name: string; description?: string; parameters?: JsonSchema } }[];
  tool_choice?: "none" | "auto" | "required" | { type: "function"; function: { name: string } };
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  minItems?: number;
  const?: unknown;
}

/** What a chat turn answers: text, a JSON value (structured output) or tool calls. */
export type ChatReply =
  string | { content: string } | { json: unknown } | { toolCalls: { name: string; arguments: unknown }[] };

export type ChatResponder = (request: ChatCompletionRequest) => ChatReply | Promise<ChatReply>;

export interface Fault {
  /** Which endpoint; default: every endpoint except /v1/models. */
  path?: "/v1/chat/completions" | "/v1/embeddings" | "/v1/models";
  /** Answer with this OpenAI-shaped error status (401, 429, 500, 503…). */
  status?: number;
  /** For 429: seconds in the retry-after header (default 1). */
  retryAfterSeconds?: number;
  /** Wait this long before answering (use beyond a client's timeout to simulate one). */
  delayMs?: number;
  /** Never answer (until the client gives up or the server closes). */
  hang?: boolean;
  /** Streaming only: send this many content chunks, then cut the connection. */
  dropAfterChunks?: number;
}

export interface OpenAiCompatibleServerOptions {
  port?: number;
  host?: string;
  /** When set, requests need `Authorization: Bearer <apiKey>` (401 otherwise). */
  apiKey?: string;
  /** Model ids served; unknown models get 404 model_not_found. Default: any model is accepted. */
  models?: string[];
  /** Embedding dimensions when a request does not ask for `dimensions` (default 256). */
  embeddingDimensions?: number;
  /** Latency before every response, and between streamed chunks. */
  latencyMs?: number;
  chunkDelayMs?: number;
  /** Replaces the built-in grounded responder (scripted replies still come first). */
  responder?: ChatResponder;
}

export interface RecordedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface OpenAiCompatibleServer {
  /** Base URL to give clients, ending in /v1. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** The usage of every completion generated, as a provider would bill it (the whole reply, read or not). */
  billed: { prompt_tokens: number; completion_tokens: number; total_tokens: number }[];
  /** Queues replies for the next chat completions, in order (a function sees the request). */
  script(...replies: (ChatReply | ChatResponder)[]): void;
  /** Queues faults for the next matching requests, in order. */
  fail(...faults: Fault[]): void;
  /** Clears scripted replies, faults and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

const OPENAI_ERROR_TYPES: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: "invalid_request_error", code: null, message: "Invalid request." },
  401: {
    type: "invalid_request_error",
    code: "invalid_api_key",
    message: "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
  },
  404: { type: "invalid_request_error", code: "model_not_found", message: "The model does not exist." },
  429: {
    type: "requests",
    code: "rate_limit_exceeded",
    message: "Rate limit reached for requests. Please try again in 1s.",
  },
  500: { type: "server_error", code: null, message: "The server had an error while processing your request." },
  503: { type: "server_error", code: null, message: "The engine is currently overloaded, please try again later." },
};

function sendError(res: ServerResponse, status: number, message?: string, extraHeaders: Record<string, string> = {}) {
  const shape = OPENAI_ERROR_TYPES[status] ?? OPENAI_ERROR_TYPES[500];
  res.writeHead(status, { "content-type": "application/json", ...extraHeaders });
  res.end(
    JSON.stringify({ error: { message: message ?? shape.message, type: shape.type, param: null, code: shape.code } }),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function messageText(message: ChatMessage): string {
  if (typeof message.content === "string") return message.content;
  return (message.content ?? []).map((part) => part.text ?? "").join("");
}

/** Rough token count (words and punctuation), good enough for `usage` and max_tokens. */
export function countTokens(text: string): number {
  return text.match(/\w+|[^\w\s]/g)?.length ?? 0;
}

/** Splits text into stream deltas of one word (with its leading space) each. */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

const WORD = /[a-z0-9]+/g;
const STOP = new Set(
  "a an the and or for with in on of to is are i me my you your do does have has any what which".split(" "),
);

/** Deterministic embeddings: hashed words and character trigrams, L2-normalised. */
export function hashEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const add = (feature: string, weight: number) => {
    const digest = createHash("md5").update(feature).digest();
    const slot = digest.readUInt32LE(0) % dimensions;
    vector[slot] += digest[4] & 1 ? weight : -weight;
  };
  for (const word of text.toLowerCase().match(WORD) ?? []) {
    add(`w:${word}`, 1);
    const padded = `#${word}#`;
    for (let i = 0; i + 3 <= padded.length; i++) add(`t:${padded.slice(i, i + 3)}`, 0.3);
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((v) => v / norm);
}

/** A value of the schema's shape (first enum value, empty strings, zeros), for structured output. */
export function exampleForSchema(schema: JsonSchema | undefined): unknown {
  if (!schema) return {};
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.anyOf?.length) return exampleForSchema(schema.anyOf[0]);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object":
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([key, value]) => [key, exampleForSchema(value)]),
      );
    case "array":
      return Array.from({ length: schema.minItems ?? 0 }, () => exampleForSchema(schema.items));
    case "string":
      return "";
    case "number":
    case "integer":
      return 0;
    case "boolean":
      return false;
    case "null":
      return null;
    default:
      return {};
  }
}

/**
 * The built-in chat behaviour: reads numbered context lines ("[n] Title …") from the prompt,
 * recommends those sharing words with the last user message (else the first ones), citing [n].
 */
export function groundedReply(request: ChatCompletionRequest): string {
  const context = new Map<number, string>();
  for (const message of request.messages) {
    if (message.role === "assistant") continue;
    for (const match of messageText(message).matchAll(/^\[(\d{1,3})\]\s*(.+)$/gm)) {
      const n = Number(match[1]);
      if (!context.has(n)) context.set(n, match[2].trim());
    }
  }
  if (!context.size) return "I could not find a matching product in the catalog.";
  const lastUser = [...request.messages].reverse().find((m) => m.role === "user");
  const words = new Set(
    (lastUser ? (messageText(lastUser).toLowerCase().match(WORD) ?? []) : []).filter((w) => !STOP.has(w)),
  );
  const scored = [...context.entries()].map(([n, line]) => ({
    n,
    title: line.split(/\s[—|-]\s|\n/)[0].trim(),
    score: (line.toLowerCase().match(WORD) ?? []).filter((w) => words.has(w)).length,
  }));
  const relevant = scored.filter((entry) => entry.score > 0).sort((a, b) => b.score - a.score || a.n - b.n);
  const chosen = (relevant.length ? relevant : scored).slice(0, 3).sort((a, b) => a.n - b.n);
  const list = chosen.map((entry) => `${entry.title} [${entry.n}]`);
  const joined = list.length > 1 ? `${list.slice(0, -1).join(", ")} and ${list.at(-1)}` : list[0];
  return `Based on the catalog, I recommend ${joined}.`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (chunk: Buffer) => parts.push(chunk));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startOpenAiCompatibleServer(
  options: OpenAiCompatibleServerOptions = {},
): Promise<OpenAiCompatibleServer> {
  const scripted: (ChatReply | ChatResponder)[] = [];
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  const billed: OpenAiCompatibleServer["billed"] = [];
  const hanging = new Set<ServerResponse>();
  const created = () => Math.floor(Date.now() / 1000);

  const takeFault = (path: string): Fault | undefined => {
    const index = faults.findIndex((f) => (f.path ? f.path === path : path !== "/v1/models"));
    return index >= 0 ? faults.splice(index, 1)[0] : undefined;
  };

  async function chatReply(request: ChatCompletionRequest): Promise<ChatReply> {
    const next = scripted.shift();
    if (next !== undefined) return typeof next === "function" ? next(request) : next;
    if (options.responder) return options.responder(request);
    const format = request.response_format;
    if (format?.type === "json_schema") return { json: exampleForSchema(format.json_schema?.schema) };
    if (format?.type === "json_object") return { json: {} };
    const forced = request.tool_choice;
    if (request.tools?.length && (forced === "required" || typeof forced === "object")) {
      const tool =
        typeof forced === "object"
          ? request.tools.find((t) => t.function.name === forced.function.name)
          : request.tools[0];
      if (tool)
        return { toolCalls: [{ name: tool.function.name, arguments: exampleForSchema(tool.function.parameters) }] };
    }
    return groundedReply(request);
  }

  async function chatCompletions(res: ServerResponse, body: ChatCompletionRequest, fault?: Fault) {
    if (!body || !Array.isArray(body.messages) || !body.messages.length || typeof body.model !== "string") {
      return sendError(res, 400, "'messages' and 'model' are required.");
    }
    const reply = await chatReply(body);
    const id = `chatcmpl-${randomBytes(12).toString("hex")}`;
    const base = { id, created: created(), model: body.model, system_fingerprint: "fp_aisle_local" };
    const promptTokens = body.messages.reduce((sum, m) => sum + countTokens(messageText(m)) + 4, 0);
    const maxTokens = body.max_completion_tokens ?? body.max_tokens;

    let content: string | null = null;
    let toolCalls: { id: string; type: "function"; function: { name: string; arguments: string } }[] | undefined;
    let finishReason: "stop" | "length" | "tool_calls" = "stop";
    if (typeof reply === "string" || "content" in reply) content = typeof reply === "string" ? reply : reply.content;
    else if ("json" in reply) content = JSON.stringify(reply.json);
    else {
      toolCalls = reply.toolCalls.map((call, i) => ({
        id: `call_${i}_${randomBytes(6).toString("hex")}`,
        type: "function",
        function: { name: call.name, arguments: JSON.stringify(call.arguments) },
      }));
      finishReason = "tool_calls";
    }
    let pieces = content === null ? [] : tokenize(content);
    if (maxTokens !== undefined && pieces.length > maxTokens) {
      pieces = pieces.slice(0, maxTokens);
      content = pieces.join("");
      finishReason = "length";
    }
    const completionTokens = content !== null ? countTokens(content) : countTokens(JSON.stringify(toolCalls));
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    };
    billed.push(usage);

    if (!body.stream) {
      res.writeHead(200, { "content-type": "application/json", "x-request-id": id });
      res.end(
        JSON.stringify({
          ...base,
          object: "chat.completion",
          choices: [
            {
              index: 0,
              message: { role: "assistant", content, refusal: null, ...(toolCalls ? { tool_calls: toolCalls } : {}) },
              logprobs: null,
              finish_reason: finishReason,
            },
          ],
          usage,
        }),
      );
      return;
    }

    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-request-id": id,
    });
    const send = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      res.write(`data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices, ...extra })}\n\n`);
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
      send([{ index: 0, delta, logprobs: null, finish_reason: finish }]);
    const includeUsage = body.stream_options?.include_usage === true;

    chunk({ role: "assistant", content: toolCalls ? null : "", refusal: null });
    let sent = 0;
    for (const piece of pieces) {
      if (fault?.dropAfterChunks !== undefined && sent >= fault.dropAfterChunks) {
        await sleep(50); // let the chunks already written reach the client, then cut the connection
        res.destroy();
        return;
      }
      if (options.chunkDelayMs) await sleep(options.chunkDelayMs);
      if (res.destroyed) return; // the client went away (abort, timeout)
      chunk({ content: piece });
      sent++;
    }
    for (const [index, call] of (toolCalls ?? []).entries()) {
      chunk({
        tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }],
      });
      for (const part of call.function.arguments.match(/.{1,16}/gs) ?? []) {
        chunk({ tool_calls: [{ index, function: { arguments: part } }] });
      }
    }
    send([{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }], includeUsage ? { usage: null } : {});
    if (includeUsage) send([], { usage });
    res.end("data: [DONE]\n\n");
  }

  function embeddingsEndpoint(res: ServerResponse, body: Record<string, unknown>) {
    const input = body?.input;
    const texts =
      typeof input === "string"
        ? [input]
        : Array.isArray(input)
          ? input.map((item) => (Array.isArray(item) ? item.join(" ") : String(item)))
          : undefined;
    if (!texts || !texts.length || typeof body.model !== "string") {
      return sendError(res, 400, "'input' and 'model' are required.");
    }
    if (texts.some((text) => text === "")) return sendError(res, 400, "'$.input' is invalid: empty string.");
    const dimensions = typeof body.dimensions === "number" ? body.dimensions : (options.embeddingDimensions ?? 256);
    const base64 = body.encoding_format === "base64";
    const data = texts.map((text, index) => {
      const vector = hashEmbedding(text, dimensions);
      const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector;
      return { object: "embedding", index, embedding };
    });
    const tokens = texts.reduce((sum, text) => sum + countTokens(text), 0);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        object: "list",
        data,
        model: body.model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      }),
    );
  }

  const server = http.createServer(async (req, res) => {
    try {
      const path = new URL(req.url ?? "/", "http://local").pathname.replace(/\/+$/, "");
      const raw = req.method === "POST" ? await readBody(req) : "";
      let body: unknown = undefined;
      if (raw) {
        try {
          body = JSON.parse(raw);
        } catch {
          return sendError(res, 400, "We could not parse the JSON body of your request.");
        }
      }
      requests.push({ path, headers: req.headers, body });

      if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) return sendError(res, 401);
      const fault = takeFault(path);
      if (options.latencyMs) await sleep(options.latencyMs);
      if (fault?.delayMs) await sleep(fault.delayMs);
      if (fault?.hang) {
        hanging.add(res);
        res.on("close", () => hanging.delete(res));
        return;
      }
      if (fault?.status) {
        const retryAfter = String(fault.retryAfterSeconds ?? 1);
        return sendError(
          res,
          fault.status,
          undefined,
          fault.status === 429 ? { "retry-after": retryAfter, "x-ratelimit-remaining-requests": "0" } : {},
        );
      }
      const model = (body as { model?: unknown } | undefined)?.model;
      if (options.models && typeof model === "string" && !options.models.includes(model)) {
        return sendError(res, 404, `The model \`${model}\` does not exist or you do not have access to it.`);
      }

      if (req.method === "GET" && path === "/v1/models") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            object: "list",
            data: (options.models ?? ["gpt-4o-mini", "text-embedding-3-small"]).map((id) => ({
              id,
              object: "model",
              created: 1_700_000_000,
              owned_by: "aisle-local",
            })),
          }),
        );
      } else if (req.method === "POST" && path === "/v1/chat/completions") {
        await chatCompletions(res, body as ChatCompletionRequest, fault);
      } else if (req.method === "POST" && path === "/v1/embeddings") {
        embeddingsEndpoint(res, body as Record<string, unknown>);
      } else {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            error: {
              message: `Invalid URL (${req.method} ${path})`,
              type: "invalid_request_error",
              param: null,
              code: null,
            },
          }),
        );
      }
    } catch (error) {
      if (!res.headersSent) sendError(res, 500, (error as Error).message);
      else res.destroy();
    }
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}/v1`,
    port,
    requests,
    billed,
    script: (...replies) => scripted.push(...replies),
    fail: (...added) => faults.push(...added),
    reset() {
      scripted.length = 0;
      faults.length = 0;
      requests.length = 0;
      billed.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
