import { describe, expect, it } from "vitest";
import { asksForPerson } from "./person-request";

describe("asksForPerson", () => {
  it.each([
    "Can I talk to a person?",
    "I want to speak with a real human please",
    "connect me to an agent",
    "human",
    "Agent!",
    "I need customer service",
    "is there a human I can ask?",
    "Je voudrais parler à un humain",
    "Puis-je parler à quelqu’un ?",
    "je veux un conseiller",
    "service client svp",
  ])("hears a request for a person in %j", (message) => {
    expect(asksForPerson(message)).toBe(true);
  });

  it.each([
    "Which jacket is best for rain?",
    "Is this tent good for two people?",
    "Do you have gifts for a person who likes hiking?",
    "human-powered lamp",
    "Quelle veste pour la pluie ?",
    "un sac pour deux personnes",
  ])("does not mistake a product question for one: %j", (message) => {
    expect(asksForPerson(message)).toBe(false);
  });
});
