// Delivers webhooks like Shopify: POST of the raw JSON body with X-Shopify-* headers and a base64
// HMAC-SHA256 of the body, a 5 s timeout, retries with exponential backoff on failure, and switchable
// faults (duplicates, reordering, drops, delays, bursts) driven by a seeded random source.
import { webhookHeaders, webhookMessage } from "../signing/webhook";

export interface WebhookFaults {
  /** Probability (0–1) that a delivery is sent twice (same webhook id). */
  duplicateRate?: number;
  /** Probability (0–1) that a delivery is silently never sent (as if lost). */
  dropRate?: number;
  /** Hold deliveries and release them in shuffled order once this many are queued (or on flush). */
  reorderWindow?: number;
  /** Extra delay before each send, ms: a number or [min, max]. */
  delayMs?: number | [number, number];
  /** Hold every delivery until `flush()` releases them all at once. */
  burst?: boolean;
}

export interface WebhookDeliveryRecord {
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  url: string;
  body: string;
  triggeredAt: string;
  attempts: { status: number | null; error?: string; at: string }[];
  state: "queued" | "held" | "delivered" | "failed" | "dropped" | "retrying";
  duplicate: boolean;
}

export interface WebhookDeliveryOptions {
  apiSecret: string;
  apiVersion: string;
  timeoutMs?: number;
  maxAttempts?: number;
  retryBaseMs?: number;
  seed?: number;
}

/** Small deterministic PRNG (mulberry32) so fault runs can be replayed with the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class WebhookDelivery {
  readonly log: WebhookDeliveryRecord[] = [];
  private faults: WebhookFaults = {};
  private held: WebhookDeliveryRecord[] = [];
  private random: () => number;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly options: WebhookDeliveryOptions) {
    this.random = seededRandom(options.seed ?? 1);
  }

  setFaults(faults: WebhookFaults, seed?: number): void {
    this.faults = { ...faults };
    if (seed !== undefined) this.random = seededRandom(seed);
    if (!faults.burst && !faults.reorderWindow) this.flush();
  }

  /** Queues one webhook (one event to one subscription). */
  send(input: { topic: string; shop: string; url: string; payload: unknown }): WebhookDeliveryRecord {
    const record: WebhookDeliveryRecord = {
      ...webhookMessage({ topic: input.topic, shop: input.shop, body: JSON.stringify(input.payload) }),
      url: input.url,
      attempts: [],
      state: "queued",
      duplicate: false,
    };
    this.log.push(record);
    if (this.faults.dropRate && this.random() < this.faults.dropRate) {
      record.state = "dropped";
      return record;
    }
    const copies = [record];
    if (this.faults.duplicateRate && this.random() < this.faults.duplicateRate) {
      const copy = { ...record, attempts: [], duplicate: true };
      this.log.push(copy);
      copies.push(copy);
    }
    for (const copy of copies) {
      if (this.faults.burst || this.faults.reorderWindow) {
        copy.state = "held";
        this.held.push(copy);
      } else this.dispatch(copy);
    }
    if (this.faults.reorderWindow && !this.faults.burst && this.held.length >= this.faults.reorderWindow) this.flush();
    return record;
  }

  /** Releases held deliveries (burst/reorder): all at once, shuffled when reordering is on. */
  flush(): void {
    const batch = this.held;
    this.held = [];
    if (this.faults.reorderWindow) {
      for (let i = batch.length - 1; i > 0; i--) {
        const j = Math.floor(this.random() * (i + 1));
        [batch[i], batch[j]] = [batch[j], batch[i]];
      }
    }
    for (const record of batch) this.dispatch(record);
  }

  /** Resolves when nothing is queued, in flight or waiting for a retry. */
  async idle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size || this.timers.size) {
      if (Date.now() > deadline) throw new Error("webhook deliveries did not settle in time");
      await Promise.race([...this.inFlight, new Promise((resolve) => setTimeout(resolve, 20))]);
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private dispatch(record: WebhookDeliveryRecord, attempt = 0): void {
    record.state = attempt ? "retrying" : "queued";
    const delay = this.faultDelay() + (attempt ? this.backoff(attempt) : 0);
    const run = () => {
      const promise = this.attempt(record, attempt).finally(() => this.inFlight.delete(promise));
      this.inFlight.add(promise);
    };
    if (delay <= 0) return run();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) run();
    }, delay);
    this.timers.add(timer);
  }

  private faultDelay(): number {
    const delay = this.faults.delayMs;
    if (delay === undefined) return 0;
    if (typeof delay === "number") return delay;
    return delay[0] + Math.floor(this.random() * (delay[1] - delay[0] + 1));
  }

  private backoff(attempt: number): number {
    return (this.options.retryBaseMs ?? 1000) * 2 ** (attempt - 1);
  }

  private async attempt(record: WebhookDeliveryRecord, attempt: number): Promise<void> {
    if (this.closed) return;
    const at = new Date().toISOString();
    try {
      const response = await fetch(record.url, {
        method: "POST",
        body: record.body,
        redirect: "manual",
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
        headers: webhookHeaders(record, this.options),
      });
      await response.arrayBuffer().catch(() => undefined);
      record.attempts.push({ status: response.status, at });
      // Shopify counts only 2xx as delivered (redirects are failures too).
      if (response.status >= 200 && response.status < 300) {
        record.state = "delivered";
        return;
      }
    } catch (error) {
      record.attempts.push({ status: null, error: (error as Error).message, at });
    }
    if (attempt + 1 >= (this.options.maxAttempts ?? 8)) record.state = "failed";
    else this.dispatch(record, attempt + 1);
  }
}
