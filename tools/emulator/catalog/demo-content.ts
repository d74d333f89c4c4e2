// The demo shop's policies, pages and merchant Q&A: written for this project (an invented outdoor
// gear shop), so answers about returns, shipping and sizing have something real to quote.
import type { PageInput, PolicyType } from "../store/online-store-content";

export const DEMO_POLICIES: { type: PolicyType; title: string; bodyHtml: string }[] = [
  {
    type: "REFUND_POLICY",
    title: "Refund policy",
    bodyHtml: `<h2>Returns</h2>
<p>You can return most items within 60 days of delivery for a full refund to the original payment method.</p>
<p>Gear you have used outdoors can still come back: if a tent, sleeping bag, backpack or pair of boots has been used and does not work for you, return it within 60 days and we refund it as store credit, provided it is clean and undamaged.</p>
<p>Unused items must have their tags attached and be in their original packaging.</p>
<h2>Items we cannot take back</h2>
<p>Gas canisters, fuel and opened food cannot be returned. Gift cards are not refundable.</p>
<h2>How to start a return</h2>
<p>Email returns@ridgeline-outfitters.example with your order number. Return shipping is free within the country; we email you a prepaid label within one business day.</p>
<h2>Refunds</h2>
<p>We inspect every return within 5 business days of receiving it. Approved refunds reach your card within 10 business days.</p>
<h2>Exchanges</h2>
<p>The fastest way to get a different size or colour is to return the item and place a new order. Size exchanges on boots and shoes ship free.</p>`,
  },
  {
    type: "SHIPPING_POLICY",
    title: "Shipping policy",
    bodyHtml: `<h2>Delivery times</h2>
<p>Orders placed before 2 pm on a business day leave our warehouse the same day. Standard delivery takes 3 to 5 business days; express delivery takes 1 to 2 business days.</p>
<h2>Costs</h2>
<p>Standard shipping is free on orders over $75. Below that it costs $6.95. Express shipping costs $14.95 on any order.</p>
<h2>International shipping</h2>
<p>We ship to Canada, the United Kingdom and the European Union. International delivery takes 7 to 14 business days and import duties are paid by the customer on arrival.</p>
<h2>Tracking</h2>
<p>Every order gets a tracking number by email as soon as it ships.</p>
<h2>Restrictions</h2>
<p>Gas canisters and fuel ship by ground only and cannot be sent abroad.</p>`,
  },
  {
    type: "PRIVACY_POLICY",
    title: "Privacy policy",
    bodyHtml: `<p>We collect the details you give us at checkout (name, address, email, phone) to deliver your order and answer your questions.</p>
<p>We never sell your personal information. Payment details are handled by our payment provider and never stored by us.</p>
<p>You can ask for a copy of your data or for its deletion at any time by emailing privacy@ridgeline-outfitters.example.</p>`,
  },
  {
    type: "TERMS_OF_SERVICE",
    title: "Terms of service",
    bodyHtml: `<p>By placing an order you agree to these terms. Prices are shown in US dollars and include no sales tax until checkout.</p>
<p>Every product carries a two-year warranty against defects in materials and workmanship. The warranty does not cover normal wear, accidents or misuse.</p>
<p>We may cancel an order if an item turns out to be out of stock or was listed at an obviously wrong price; you are then refunded in full.</p>`,
  },
  {
    type: "CONTACT_INFORMATION",
    title: "Contact information",
    bodyHtml: `<p>Ridgeline Outfitters, 14 Quarry Lane, Boulder, CO 80302, United States.</p>
<p>Customer service answers by email at help@ridgeline-outfitters.example and by phone on (303) 555-0142, Monday to Friday from 8 am to 6 pm Mountain Time.</p>`,
  },
];

export const DEMO_PAGES: PageInput[] = [
  {
    handle: "size-guide",
    title: "Size guide",
    bodyHtml: `<h2>Jackets</h2>
<p>Measure your chest at its fullest point with your arms relaxed. Size S fits a 34 to 36 inch chest, M a 38 to 40 inch chest, L a 42 to 44 inch chest and XL a 46 to 48 inch chest. If you are between sizes or wear a fleece underneath, choose the larger size.</p>
<h2>Boots and trail shoes</h2>
<p>Our boots and trail running shoes use US sizing and run true to size. If your feet swell on long hikes, or you wear thick hiking socks, go up half a size. Measure your foot in the afternoon, when it is at its largest.</p>
<h2>Sleeping bags</h2>
<p>Choose a bag at least 6 inches longer than your height: the regular length fits people up to 6 feet tall and the long length fits people up to 6 feet 6 inches.</p>
<h2>Backpacks</h2>
<p>Pack size follows your torso length, measured from the bony bump at the base of your neck to the top of your hip bones: under 17 inches is S, 17 to 19 inches is M, over 19 inches is L.</p>`,
  },
  {
    handle: "about-us",
    title: "About us",
    bodyHtml: `<p>Ridgeline Outfitters started in 2011 as a repair bench in a Boulder garage. We still test every product on the local trails before we stock it, and our repair bench still fixes zips, poles and seams for free during the first season.</p>`,
  },
  {
    handle: "store-locations",
    title: "Visit our shop",
    bodyHtml: `<p>Our only shop is at 14 Quarry Lane, Boulder. It is open Monday to Saturday from 9 am to 7 pm and on Sunday from 10 am to 5 pm. Online orders can be picked up there for free, usually within 2 hours of ordering.</p>`,
  },
];

/** Merchant-written questions and answers, as a merchant would enter them in the dashboard. */
export const DEMO_QUESTIONS: { question: string; answer: string }[] = [
  {
    question: "Do you offer gift wrapping?",
    answer: "Yes. Choose gift wrapping at checkout for $5; the parcel then contains no prices.",
  },
  {
    question: "Do you rent tents or other gear?",
    answer: "No, we only sell gear. Our shop in Boulder can point you to local rental partners.",
  },
  {
    question: "Can I get my tent or jacket repaired?",
    answer:
      "Yes. Our repair bench fixes zips, poles and seams for free during the first season after purchase, and at cost after that. Email help@ridgeline-outfitters.example to book a repair.",
  },
  {
    question: "Do you price match?",
    answer:
      "We match the price of any authorised US retailer on an identical item in stock. Send us a link before you order.",
  },
];
