// Cost-based throttling for the Admin GraphQL API (a leaky bucket per shop: maximumAvailable points,
// refilled at restoreRate per second). Every request of a process for a shop goes through one
// CostBucket, which reserves the query's cost before sending, so concurrent workers never overrun
// the bucket; each response's `extensions.cost.throttleStatus` corrects the estimate, and a
// THROTTLED answer (another process shared the bucket) waits for the refill and retries.
import {
  operationName,
  ShopifyGraphqlError,
  type AdminAnswer,
  type AdminDocument,
  type AdminGraphql,
  type GraphqlResponse,
  type GraphqlTransport,
  type ThrottleStatus,
} from "./admin-graphql";

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Shopify's standard plan bucket; every captured throttleStatus shows these values. */
export const DEFAULT_THROTTLE: ThrottleStatus = { maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 };

export class CostBucket {
  private available: number;
  private maximum: number;
  private restoreRate: number;
  private at: number;
  private inFlight = 0;
  private queue: Promise<void> = Promise.resolve();
  /** Seen by tests and benchmarks: the lowest estimate ever reached (never below zero by design). */
  lowestAvailable: number;
  throttledResponses = 0;
  /** requestedQueryCost per document, learnt from Shopify's answers. */
  readonly knownCost = new Map<string, number>();
  /** A document's first call while its cost is unknown: its other calls wait for it (no burst on a guess). */
  readonly learning = new Map<string, Promise<unknown>>();

  constructor(
    private readonly clock: Clock = systemClock,
    initial: ThrottleStatus = DEFAULT_THROTTLE,
  ) {
    this.available = initial.currentlyAvailable;
    this.maximum = initial.maximumAvailable;
    this.restoreRate = initial.restoreRate;
    this.at = clock.now();
    this.lowestAvailable = this.available;
  }

  private refill() {
    const now = this.clock.now();
    this.available = Math.min(this.maximum, this.available + ((now - this.at) / 1000) * this.restoreRate);
    this.at = now;
  }

  /** Waits (FIFO) until `cost` points are available and reserves them. */
  reserve(cost: number): Promise<void> {
    const wanted = Math.min(cost, this.maximum);
    const turn = this.queue.then(async () => {
      for (;;) {
        this.refill();
        if (this.available >= wanted) break;
        await this.clock.sleep(Math.ceil(((wanted - this.available) / this.restoreRate) * 1000));
      }
      this.available -= wanted;
      this.inFlight += wanted;
      this.lowestAvailable = Math.min(this.lowestAvailable, this.available);
    });
    this.queue = turn.catch(() => {});
    return turn;
  }

  /** The request that reserved `reserved` points answered; `status` is Shopify's view after it. */
  settle(reserved: number, status: ThrottleStatus | undefined) {
    this.inFlight = Math.max(0, this.inFlight - Math.min(reserved, this.maximum));
    if (!status) return;
    this.maximum = status.maximumAvailable;
    this.restoreRate = status.restoreRate;
    // Shopify's figure already counts this request; requests still in flight are not in it yet.
    this.at = this.clock.now();
    this.available = Math.max(0, status.currentlyAvailable - this.inFlight);
  }

  /** After THROTTLED: wait until the bucket holds `cost` again before the retry reserves it. */
  async waitFor(cost: number) {
    this.throttledResponses++;
    this.refill();
    const missing = Math.min(cost, this.maximum) - this.available;
    if (missing > 0) await this.clock.sleep(Math.ceil((missing / this.restoreRate) * 1000));
  }
}

export interface ThrottledAdminOptions {
  /** Retries of a THROTTLED answer before giving up. */
  maxThrottledRetries?: number;
  /** Cost assumed for a document never sent before; afterwards Shopify's requestedQueryCost is used. */
  defaultCost?: number;
}

const isThrottled = (body: GraphqlResponse) => body.errors?.some((e) => e.extensions?.code === "THROTTLED") ?? false;

/** An AdminGraphql for one shop on top of any transport, sharing `bucket` with every other client of that shop. */
export function createThrottledAdmin(
  transport: GraphqlTransport,
  bucket: CostBucket,
  options: ThrottledAdminOptions = {},
): AdminGraphql {
  const maxRetries = options.maxThrottledRetries ?? 20;
  const { knownCost, learning } = bucket;
  return {
    async query<D extends AdminDocument>(document: D, ...[variables]: unknown[]): Promise<AdminAnswer<D>> {
      const vars = variables as Record<string, unknown> | undefined;
      while (!knownCost.has(document) && learning.has(document)) await learning.get(document)!.catch(() => {});
      if (knownCost.has(document)) return send<AdminAnswer<D>>(document, vars);
      const first = send<AdminAnswer<D>>(document, vars);
      learning.set(document, first);
      try {
        return await first;
      } finally {
        learning.delete(document);
      }
    },
  };

  async function send<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const cost = knownCost.get(document) ?? options.defaultCost ?? 50;
      await bucket.reserve(cost);
      let body: GraphqlResponse;
      try {
        body = await transport(document, variables);
      } catch (error) {
        bucket.settle(cost, undefined);
        throw error;
      }
      const reported = body.extensions?.cost;
      bucket.settle(cost, reported?.throttleStatus);
      if (reported) knownCost.set(document, reported.requestedQueryCost);
      if (isThrottled(body)) {
        if (attempt >= maxRetries) throw new ShopifyGraphqlError(body.errors ?? [], operationName(document));
        await bucket.waitFor(reported?.requestedQueryCost ?? cost);
        continue;
      }
      if (body.errors?.length) throw new ShopifyGraphqlError(body.errors, operationName(document));
      if (body.data == null) throw new ShopifyGraphqlError([{ message: "no data" }], operationName(document));
      return body.data as T;
    }
  }
}

/** One bucket per shop for the whole process. */
export class ShopBuckets {
  private readonly buckets = new Map<string, CostBucket>();
  constructor(private readonly clock: Clock = systemClock) {}
  for(shop: string): CostBucket {
    let bucket = this.buckets.get(shop);
    if (!bucket) this.buckets.set(shop, (bucket = new CostBucket(this.clock)));
    return bucket;
  }
}
