// Labelled store-knowledge questions for the demo shop (tools/emulator/catalog/demo-content.ts):
// which source must be quoted, whether products belong beside it (their product type), or that
// nothing in the store covers the question. Written for this project.

export interface KnowledgeQuestion {
  question: string;
  /** Title of the policy or page, or the Q&A question, the answer must quote first; null: none covers it. */
  source: string | null;
  /** Product types the shown products may have, when the question names products (none shown otherwise). */
  productTypes?: string[];
}

export const KNOWLEDGE_QUESTIONS: KnowledgeQuestion[] = [
  // Refund policy
  { question: "What's your return policy?", source: "Refund policy" },
  { question: "How many days do I have to return something?", source: "Refund policy" },
  { question: "Can I return the tent if I used it once?", source: "Refund policy", productTypes: ["Tents"] },
  {
    question: "Can I return hiking boots I have already worn outdoors?",
    source: "Refund policy",
    productTypes: ["Hiking Boots"],
  },
  { question: "How long until I get my refund?", source: "Refund policy" },
  { question: "Can I return a gas canister?", source: "Refund policy" },
  { question: "Is return shipping free?", source: "Refund policy" },
  { question: "How do I exchange something for a different size?", source: "Refund policy" },
  // Shipping policy
  { question: "How long does delivery take?", source: "Shipping policy" },
  { question: "Is shipping free?", source: "Shipping policy" },
  { question: "How much does express shipping cost?", source: "Shipping policy" },
  { question: "Do you ship to Canada?", source: "Shipping policy" },
  { question: "Do you ship internationally?", source: "Shipping policy" },
  { question: "Will I get a tracking number?", source: "Shipping policy" },
  // Privacy policy, terms, contact
  { question: "Do you sell my personal information?", source: "Privacy policy" },
  { question: "How can I get my personal data deleted?", source: "Privacy policy" },
  { question: "What does the warranty cover?", source: "Terms of service" },
  {
    question: "Is there a warranty on your sleeping bags?",
    source: "Terms of service",
    productTypes: ["Sleeping Bags"],
  },
  { question: "What is your customer service phone number?", source: "Contact information" },
  // Pages
  {
    question: "What jacket size should I get for a 40 inch chest?",
    source: "Size guide",
    productTypes: ["Rain Jackets", "Insulated Jackets"],
  },
  {
    question: "Do your trail running shoes run true to size?",
    source: "Size guide",
    productTypes: ["Trail Running Shoes"],
  },
  { question: "How long should my sleeping bag be?", source: "Size guide", productTypes: ["Sleeping Bags"] },
  { question: "How do I measure my torso for a backpack?", source: "Size guide", productTypes: ["Backpacks"] },
  { question: "What are your opening hours?", source: "Visit our shop" },
  { question: "Can I pick up my online order in the shop?", source: "Visit our shop" },
  { question: "How did Ridgeline Outfitters start?", source: "About us" },
  // Merchant Q&A
  { question: "Do you offer gift wrapping?", source: "Do you offer gift wrapping?" },
  { question: "Can I rent a tent from you?", source: "Do you rent tents or other gear?", productTypes: ["Tents"] },
  {
    question: "Can you repair a broken zip on my jacket?",
    source: "Can I get my tent or jacket repaired?",
    productTypes: ["Rain Jackets", "Insulated Jackets"],
  },
  { question: "Will you match a lower price from another retailer?", source: "Do you price match?" },
  // Nothing in the store covers these: the answer must say so and quote nothing.
  { question: "Do you offer a student discount?", source: null },
  { question: "Can I pay with Klarna?", source: null },
  { question: "Do you have a loyalty rewards program?", source: null },
  { question: "Can I use a coupon code?", source: null },
];
