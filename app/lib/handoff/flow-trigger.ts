// The Shopify Flow trigger "Aisle: shopper asked for a person" (extensions/handoff-flow-trigger): the
// mutation, and the payload whose keys are the field keys its shopify.extension.toml declares.
import type { HandoffPacket } from "./packet";
import { transcriptText } from "./packet";

/** The extension's handle (extensions/handoff-flow-trigger/shopify.extension.toml). */
export const FLOW_TRIGGER_HANDLE = "aisle-shopper-asked-for-person";

export const FLOW_TRIGGER_RECEIVE = `#graphql
  mutation AisleFlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
`;

/** The trigger's fields, by the keys the extension declares. */
export const FLOW_FIELDS = {
  email: "Shopper email",
  message: "Shopper message",
  reason: "Reason",
  transcript: "Transcript",
  products: "Products shown",
  conversation: "Conversation ID",
  link: "Handoff queue URL",
} as const;

/** Flow takes at most 50 KB per payload; the transcript gives way first. */
const TRANSCRIPT_MAX_CHARS = 30_000;

export function flowPayload(handoff: {
  email: string;
  message: string;
  conversationId: string;
  packet: HandoffPacket;
  queueUrl: string;
}): Record<string, string> {
  const transcript = transcriptText(handoff.packet);
  return {
    [FLOW_FIELDS.email]: handoff.email,
    [FLOW_FIELDS.message]: handoff.message,
    [FLOW_FIELDS.reason]: handoff.packet.why,
    [FLOW_FIELDS.transcript]:
      transcript.length > TRANSCRIPT_MAX_CHARS ? `…${transcript.slice(-TRANSCRIPT_MAX_CHARS)}` : transcript,
    [FLOW_FIELDS.products]: handoff.packet.retrieved.join("\n"),
    [FLOW_FIELDS.conversation]: handoff.conversationId,
    [FLOW_FIELDS.link]: handoff.queueUrl,
  };
}
