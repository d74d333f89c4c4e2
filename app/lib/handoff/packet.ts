// The context packet a handoff carries to the merchant (dashboard) and to Shopify Flow: the transcript,
// what the assistant retrieved, and why it stopped. Pure: built from stored messages, no I/O.
import type { HandoffReason } from "./person-request";

export interface TranscriptLine {
  role: "user" | "assistant";
  text: string;
  at: string;
  /** Products the assistant showed with this answer (Shopify product gids). */
  productIds: string[];
}

export interface HandoffPacket {
  reason: HandoffReason;
  /** The reason in words, for people reading a Flow email or a Slack message. */
  why: string;
  transcript: TranscriptLine[];
  /** Every product the assistant retrieved and showed in this conversation, first shown first. */
  retrieved: string[];
}

export const REASON_TEXT: Record<HandoffReason, string> = {
  asked_for_person: "The shopper asked for a person.",
  could_not_help: "The assistant could not help twice in a row.",
};

/** The last `maxLines` messages; each at most `maxChars` (a Flow payload stays well under its 50 KB). */
export function buildPacket(
  reason: HandoffReason,
  messages: { role: string; text: string; productIds?: string[]; createdAt: Date }[],
  { maxLines = 30, maxChars = 1000 } = {},
): HandoffPacket {
  const transcript = messages
    .filter((message) => message.role === "user" || message.role === "assistant")
    .slice(-maxLines)
    .map((message) => ({
      role: message.role as "user" | "assistant",
      text: message.text.length > maxChars ? `${message.text.slice(0, maxChars - 1)}…` : message.text,
      at: message.createdAt.toISOString(),
      productIds: message.productIds ?? [],
    }));
  const retrieved = [...new Set(transcript.flatMap((line) => line.productIds))];
  return { reason, why: REASON_TEXT[reason], transcript, retrieved };
}

/** The transcript as plain text lines ("Shopper: …", "Assistant: …") for email and chat tools. */
export function transcriptText(packet: HandoffPacket): string {
  return packet.transcript
    .map((line) => `${line.role === "user" ? "Shopper" : "Assistant (AI)"}: ${line.text}`)
    .join("\n");
}

export function parsePacket(json: string): HandoffPacket {
  return JSON.parse(json) as HandoffPacket;
}
