// Shopify's leaky bucket for the Admin GraphQL API, with the limits every captured response shows:
// 2000 points, restored at 100 points per second; a single query may cost at most 1000.
export const MAXIMUM_AVAILABLE = 2000;
export const RESTORE_RATE = 100;
export const SINGLE_QUERY_MAX_COST = 1000;

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class CostBucket {
  private available = MAXIMUM_AVAILABLE;
  private updatedAt = Date.now();

  constructor(private readonly now: () => number = Date.now) {
    this.updatedAt = now();
  }

  private refill(): void {
    const now = this.now();
    this.available = Math.min(MAXIMUM_AVAILABLE, this.available + ((now - this.updatedAt) / 1000) * RESTORE_RATE);
    this.updatedAt = now;
  }

  /** Takes `cost` points if the bucket holds them; returns false (taking nothing) otherwise. */
  take(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  refund(points: number): void {
    this.refill();
    this.available = Math.min(MAXIMUM_AVAILABLE, this.available + points);
  }

  /** Test knob: empty the bucket (as if other calls had used it up). */
  drain(points = MAXIMUM_AVAILABLE): void {
    this.refill();
    this.available = Math.max(0, this.available - points);
  }

  status(): ThrottleStatus {
    this.refill();
    return {
      maximumAvailable: MAXIMUM_AVAILABLE,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: RESTORE_RATE,
    };
  }
}
