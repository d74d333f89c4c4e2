// The one rule for what a shopper may send: trimmed, not empty, at most CHAT_MAX_INPUT_CHARS
// (UTF-16 length). The answer engine and the storefront endpoint both apply it.
export type MessageCheck =
  { ok: true; message: string } | { ok: false; code: "empty_message" | "message_too_long"; message: string };

export function checkShopperMessage(raw: string, maxChars: number): MessageCheck {
  const message = raw.trim();
  if (!message) return { ok: false, code: "empty_message", message: "The message is empty." };
  if (message.length > maxChars) {
    return {
      ok: false,
      code: "message_too_long",
      message: `The message is ${message.length} characters long; the limit is ${maxChars}.`,
    };
  }
  return { ok: true, message };
}
