// The "with model" conversation run: the local OpenAI-compatible server (tools/openai-compatible)
// behind the app's own chat model client. A structured-output call (json_schema or a tool call: the
// engine asking for a standalone query plus filters) is answered with the turn's scripted rewrite,
// fitted to whatever schema the engine asks for; every other call gets the server's grounded reply,
// which recommends and cites the products it is given.
import type { ChatOpenAI } from "@langchain/openai";
import { createChatModel, createRewriteModel } from "../../../app/lib/chat/chat-model.server";
import {
  exampleForSchema,
  groundedReply,
  startOpenAiCompatibleServer,
  type ChatCompletionRequest,
  type JsonSchema,
} from "../../openai-compatible/server";
import type { Rewrite } from "./conversation-file";

export interface ScriptedModel {
  /** The app's own client (createChatModel) against the local server. */
  chatModel: ChatOpenAI;
  /** The app's rewrite client (createRewriteModel, not streaming) against the same server. */
  rewriteModel: ChatOpenAI;
  /** The local server's base URL (ends in /v1) and key, for other clients. */
  baseUrl: string;
  apiKey: string;
  /** Sets the rewrite answered during the next turn (the turn's own text when it has none). */
  useRewrite(turn: { say: string; rewrite?: Rewrite }): void;
  /** Structured-output calls answered so far (0: the engine asked the model for no rewrite). */
  readonly rewritesAnswered: number;
  close(): Promise<void>;
}

/**
 * A value of `schema`'s shape with the rewrite's fields where the schema has a property of that
 * name, at the top level or one level down (`{query, filters: {maxPrice}}` and flat shapes both
 * fit); a nullable property the rewrite does not set is null (the model saw nothing to set);
 * everything else the schema's own example value.
 */
export function fitToSchema(schema: JsonSchema | undefined, values: Record<string, unknown>): unknown {
  if (!schema?.properties) return exampleForSchema(schema);
  return Object.fromEntries(
    Object.entries(schema.properties).map(([key, property]) => {
      if (key in values && values[key] !== undefined) return [key, values[key]];
      const nested = objectSchema(property);
      if (nested) return [key, fitToSchema(nested, values)];
      return [key, allowsNull(property) ? null : exampleForSchema(property)];
    }),
  );
}

function allowsNull(schema: JsonSchema): boolean {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types.includes("null") || Boolean(schema.anyOf?.some((option) => allowsNull(option)));
}

function objectSchema(schema: JsonSchema): JsonSchema | undefined {
  if (schema.properties) return schema;
  return schema.anyOf?.find((option) => option.properties);
}

/** The schema a structured-output call asks for (and the tool to call, for tool calling); null for plain chat. */
function structuredCall(request: ChatCompletionRequest): { schema?: JsonSchema; tool?: string } | null {
  if (request.response_format?.type === "json_schema") return { schema: request.response_format.json_schema?.schema };
  const choice = request.tool_choice;
  if (request.tools?.length && choice && choice !== "none" && choice !== "auto") {
    const tool = typeof choice === "object" ? choice.function.name : request.tools[0].function.name;
    return { tool, schema: request.tools.find((t) => t.function.name === tool)?.function.parameters };
  }
  return null;
}

export async function startScriptedModel(): Promise<ScriptedModel> {
  let current: Record<string, unknown> = {};
  let rewritesAnswered = 0;
  const server = await startOpenAiCompatibleServer({
    apiKey: "sk-eval",
    responder: (request) => {
      const call = structuredCall(request);
      if (!call) return groundedReply(request);
      rewritesAnswered++;
      const value = fitToSchema(call.schema, current);
      return call.tool ? { toolCalls: [{ name: call.tool, arguments: value }] } : { json: value };
    },
  });
  const env = {
    LLM_PROVIDER: "openai",
    LLM_MODEL: "gpt-4o-mini",
    LLM_BASE_URL: server.url,
    LLM_API_KEY: "sk-eval",
    OPENAI_API_KEY: undefined,
    LLM_TEMPERATURE: 0,
    LLM_TIMEOUT_MS: 20_000,
    LLM_MAX_TOKENS: 1024,
  } as const;
  const chatModel = createChatModel(env);
  const rewriteModel = createRewriteModel(env);
  if (!chatModel || !rewriteModel) throw new Error("createChatModel gave no model for LLM_PROVIDER=openai");
  return {
    chatModel,
    rewriteModel,
    baseUrl: server.url,
    apiKey: "sk-eval",
    useRewrite(turn) {
      current = { query: turn.say, ...turn.rewrite };
    },
    get rewritesAnswered() {
      return rewritesAnswered;
    },
    close: () => server.close(),
  };
}
