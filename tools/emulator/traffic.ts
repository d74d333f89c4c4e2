// Simulated storefront traffic for Results (issue 18): visitors who do over HTTP what the widget and a
// shopper do on the emulated storefront. Each visitor has its own cookies (its cart), asks the app for its
// group through the signed App Proxy (counted as an exposure), and some buy: add a product to the cart, tag the
// cart with the group (as the widget does), check out (the emulator fires orders/create). No browser and no
// chat: the chat path is what tests/e2e/results.spec.ts drives in Chromium. Seeded: the same run every time.
// `npm run simulate -- --visitors 2000` runs it against the demo (see tools/simulate-traffic.ts).

export interface TrafficOptions {
  storefrontUrl: string;
  visitors: number;
  /** Chance that a visitor buys, per group (the assistant group may be given a higher one). */
  buyRate: { assistant: number; holdout: number };
  /** Numeric variant ids that can be bought (the storefront's products). */
  variantIds: number[];
  seed?: number;
  /** Visitors in flight at once. */
  concurrency?: number;
}

export interface TrafficResult {
  visitors: { assistant: number; holdout: number };
  orders: { assistant: number; holdout: number };
  /** Order names ("#1042") with the group their cart carried. */
  placed: { name: string; group: "assistant" | "holdout" }[];
}

function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** One visitor's browser: fetch with its own cookies. */
function visitorFetch(base: string) {
  const jar = new Map<string, string>();
  return async (pathname: string, body?: unknown) => {
    const response = await fetch(`${base}${pathname}`, {
      method: body === undefined ? "GET" : "POST",
      redirect: "manual",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        cookie: [...jar].map(([key, value]) => `${key}=${value}`).join("; "),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const [key, ...value] = pair.split("=");
      jar.set(key, value.join("="));
    }
    return response;
  };
}

export async function simulateTraffic(options: TrafficOptions): Promise<TrafficResult> {
  const random = seeded(options.seed ?? 18);
  // Decided up front, so the run does not depend on the order in which requests finish.
  const plans = Array.from({ length: options.visitors }, () => ({
    roll: random(),
    variantId: options.variantIds[Math.floor(random() * options.variantIds.length)],
  }));
  const result: TrafficResult = {
    visitors: { assistant: 0, holdout: 0 },
    orders: { assistant: 0, holdout: 0 },
    placed: [],
  };
  const origin = new URL(options.storefrontUrl).origin;

  async function visit(plan: (typeof plans)[number]) {
    const browse = visitorFetch(options.storefrontUrl);
    const session = await browse("/apps/aisle/session", { visitorId: null, origin, exposure: true });
    if (!session.ok) throw new Error(`session answered ${session.status}: ${await session.text()}`);
    const { group } = (await session.json()) as { group: "assistant" | "holdout" };
    result.visitors[group]++;
    if (plan.roll >= options.buyRate[group]) return;
    const added = await browse("/cart/add.js", { items: [{ id: plan.variantId, quantity: 1 }] });
    if (!added.ok) return; // sold out: this visitor leaves without buying
    await browse("/cart/update.js", { attributes: { _aisle_group: group } });
    const checkout = await browse("/checkout", {});
    if (checkout.status !== 303) throw new Error(`checkout answered ${checkout.status}`);
    const thanks = await (await browse(checkout.headers.get("location")!)).text();
    const name = /Order (#\d+)/.exec(thanks)?.[1];
    if (!name) throw new Error("the thank-you page names no order");
    result.orders[group]++;
    result.placed.push({ name, group });
  }

  let next = 0;
  const worker = async () => {
    while (next < plans.length) await visit(plans[next++]);
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return result;
}
