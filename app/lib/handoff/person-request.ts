// Does the shopper ask for a person? A small, deliberate phrase list (English and French, the widget's
// locales) rather than the model: the handoff must work when the model is off, over budget or wrong,
// and a shopper who types "human" should never be argued with. Matching is on words, accents folded.

/** Why the assistant stops and offers the store's contact route. */
export type HandoffReason = "asked_for_person" | "could_not_help";

const PERSON =
  "(a |an |one of |some |your |the )?(real |actual |live )?(person|human|humans|people|agent|representative|rep|operator|staff|someone|somebody|employee|customer service|customer support|support team|salesperson)";
const PATTERNS: RegExp[] = [
  // "talk to a person", "speak with someone", "chat with a real human", "connect me to an agent"
  new RegExp(`\\b(talk|speak|chat|connect me|put me through|transfer me|get me)( to| with| through to)? ${PERSON}\\b`),
  // "I want a human", "can I have a real person", "I need an agent please"
  new RegExp(`\\b(want|need|have|get|prefer|ask for|request)( to talk to| to speak to)? ${PERSON}\\b`),
  // "is there a human?", "are you a real person" (asked as a way out), "human please", "agent!"
  /^\s*(human|person|agent|real person|live agent|customer service|operator)\s*(please|pls|now)?\s*[!.?]*\s*$/,
  /\bis (there|anyone) (a )?(real |actual )?(person|human|someone)\b/,
  // French: "parler à un humain", "je veux une vraie personne", "un conseiller svp", "service client"
  /\b(parler|discuter|echanger)( a| avec)( un| une| quelqu'un| quelqu un)?( vrai| vraie)? ?(humain|personne|conseiller|conseillere|agent|vendeur|vendeuse|quelqu'un|quelqu un|service client)\b/,
  /\b(veux|voudrais|souhaite|besoin d'?)( un| une)( vrai| vraie)? (humain|personne|conseiller|conseillere|agent)\b/,
  /^\s*(humain|conseiller|service client)\s*(svp|s'il vous plait)?\s*[!.?]*\s*$/,
];

/** Lower case, accents folded, curly apostrophes straightened: "Parler à quelqu’un" → "parler a quelqu'un". */
function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[\u2018\u2019]/g, "'")
    .toLowerCase();
}

/** True when the message asks for a person rather than about products. */
export function asksForPerson(message: string): boolean {
  const text = fold(message);
  return PATTERNS.some((pattern) => pattern.test(text));
}
