// A small, real answer engine for the chat-endpoint tests (the production engine lives in
// app/lib/chat and is wired in chat-endpoint-services.server.ts): it ranks catalog products by
// words shared with the question, streams a templated answer in pieces, and reports token usage.
// It records every request so tests can see what the endpoint handed over.
import { buildProductDocument, type ProductMetadata } from "../../app/lib/catalog/product-document";
import type { Product } from "../../app/lib/catalog/product";
import type { AnswerEngine, AnswerEvent, AnswerRequest } from "../../app/lib/chat/chat-endpoint.server";

const words = (text: string) => new Set(text.toLowerCase().match(/[a-z0-9]+/g) ?? []);

export class KeywordAnswerEngine implements AnswerEngine {
  readonly requests: AnswerRequest[] = [];
  private readonly catalog: ProductMetadata[];
  /** Text the "model" says, streamed in chunks; defaults to a sentence naming the products. */
  reply: ((products: ProductMetadata[], request: AnswerRequest) => string) | null = null;
  failAfterText = false;
  tokensPerAnswer = 120;
  /** Pause between text pieces, so a browser can watch the answer arrive. */
  chunkDelayMs = 0;

  constructor(products: Product[]) {
    this.catalog = products.map((product) => buildProductDocument(product).metadata);
  }

  async *answer(request: AnswerRequest): AsyncIterable<AnswerEvent> {
    this.requests.push(request);
    const asked = words(request.question);
    const found = this.catalog
      .map((product) => ({
        product,
        score: [...words(`${product.title} ${product.productType}`)].filter((w) => asked.has(w)).length,
      }))
      .filter((hit) => hit.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, 3)
      .map((hit) => hit.product);
    yield { type: "products", products: found };
    const text =
      this.reply?.(found, request) ??
      (found.length ? `You might like ${found.map((p) => p.title).join(" and ")}.` : "I found nothing matching that.");
    for (let i = 0; i < text.length; i += 8) {
      await new Promise((resolve) =>
        this.chunkDelayMs ? setTimeout(resolve, this.chunkDelayMs) : setImmediate(resolve),
      );
      if (request.signal.aborted) return;
      yield { type: "text", delta: text.slice(i, i + 8) };
    }
    if (this.failAfterText) {
      yield { type: "error", message: "model connection reset" };
      return;
    }
    yield { type: "done", usage: request.mode === "llm" ? { totalTokens: this.tokensPerAnswer } : undefined };
  }
}

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Reads a text/event-stream body into its events. */
export async function readSse(response: Response): Promise<SseEvent[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((frame) => frame.trim() && !frame.startsWith(":"))
    .map((frame) => {
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? "message";
      const data = /^data: (.*)$/m.exec(frame)?.[1] ?? "{}";
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}
