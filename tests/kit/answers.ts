// An answer engine's event stream collected into what tests assert on.
import type { ChatEvent } from "../../app/lib/chat/types";

export async function collectAnswer(events: AsyncIterable<ChatEvent>) {
  const all: ChatEvent[] = [];
  for await (const event of events) all.push(event);
  const done = all.find((e): e is Extract<ChatEvent, { type: "done" }> => e.type === "done");
  const products = all.find((e): e is Extract<ChatEvent, { type: "products" }> => e.type === "products");
  const error = all.find((e): e is Extract<ChatEvent, { type: "error" }> => e.type === "error");
  let shown = "";
  for (const event of all) {
    if (event.type === "text") shown += event.delta;
    if (event.type === "replace") shown = event.text;
  }
  return { events: all, done, products: products?.items ?? [], error, shown };
}
