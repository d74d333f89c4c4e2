// Plays conversation files through the answer engine's public interface (`answer()` events: the
// `products` event's items and the `done` event's text), turn by turn with the history the
// storefront would send, and judges every turn (judge.ts). Whatever the engine does inside — follow-
// ups, kind detection, a model's rewrite — is measured from the outside.
import type { ChatEvent, ChatTurn, AnswerRequest } from "../../../app/lib/chat/types";
import type { ConversationFile, Rewrite } from "./conversation-file";
import { judgeTurn, type ShownProduct, type TurnOutcome } from "./judge";

/** The part of the answer engine the evaluation uses. */
export interface AnswerSource {
  answer(request: AnswerRequest): AsyncGenerator<ChatEvent>;
}

export interface TurnResult {
  conversation: string;
  turn: number;
  say: string;
  pass: boolean;
  failures: string[];
  /** What was shown, for reading the failures: the first titles and the answer text. */
  shown: string[];
  text: string;
}

export interface ConversationRun {
  turns: TurnResult[];
  passed: number;
  /** Conversations whose every turn passed. */
  conversationsPassed: number;
  conversations: number;
}

export async function runConversations(options: {
  engine: AnswerSource;
  shop: string;
  file: ConversationFile;
  /** Called before each turn: the "with model" run scripts the model's rewrite of this turn. */
  beforeTurn?: (turn: { say: string; rewrite?: Rewrite }) => void;
}): Promise<ConversationRun> {
  const { engine, shop, file } = options;
  const turns: TurnResult[] = [];
  let conversationsPassed = 0;
  for (const conversation of file.conversations) {
    const history: ChatTurn[] = [];
    let previous: { judged: ShownProduct[]; items: ShownProduct[] } | undefined;
    let allPassed = true;
    for (const [index, turn] of conversation.turns.entries()) {
      options.beforeTurn?.(turn);
      const outcome = await playTurn(engine, { shop, message: turn.say, history, currency: file.currency });
      const verdict = outcome.error
        ? { pass: false, failures: [`the engine refused the turn: ${outcome.error}`] }
        : judgeTurn(turn.expect, outcome, previous, file.top);
      allPassed &&= verdict.pass;
      turns.push({
        conversation: conversation.id,
        turn: index + 1,
        say: turn.say,
        pass: verdict.pass,
        failures: verdict.failures,
        shown: outcome.items.slice(0, 5).map((p) => p.title),
        text: outcome.text,
      });
      // As the storefront stores and sends it (app/lib/storefront/chat-turn.server.ts): each message's
      // text, and for the assistant the ids of the products it showed.
      history.push({ role: "user", content: turn.say });
      history.push({ role: "assistant", content: outcome.text, products: outcome.items.map((p) => ({ id: p.id })) });
      previous = { judged: outcome.items.slice(0, turn.expect.top ?? file.top), items: outcome.items };
    }
    if (allPassed) conversationsPassed++;
  }
  return {
    turns,
    passed: turns.filter((t) => t.pass).length,
    conversationsPassed,
    conversations: file.conversations.length,
  };
}

async function playTurn(engine: AnswerSource, request: AnswerRequest): Promise<TurnOutcome & { error?: string }> {
  let items: ShownProduct[] = [];
  let text = "";
  for await (const event of engine.answer(request)) {
    if (event.type === "products") items = event.items;
    else if (event.type === "text") text += event.delta;
    else if (event.type === "replace") text = event.text;
    else if (event.type === "done") text = event.text;
    else if (event.type === "error") return { items, text, error: `${event.code}: ${event.message}` };
  }
  return { items, text };
}

/** "38/52 turns (73.1 %)". */
export function passShare(run: ConversationRun): string {
  const share = run.turns.length ? (100 * run.passed) / run.turns.length : 0;
  return `${run.passed}/${run.turns.length} turns (${share.toFixed(1)} %)`;
}
