/**
 * The sandbox's rate limits (https://developers.lightspeedhq.com/retail/introduction/ratelimits/): the leaky bucket,
 * each request charged what costs.ts says, and an optional burst limiter counting requests in fixed 1-second windows.
 */
import { plain } from './http.js';

export interface BucketLimits {
  capacity: number;
  dripPerSecond: number;
  strict: boolean;
  burstLimit?: number;
}

const EPSILON = 1e-9;

export class LeakyBucket {
  private currentLevel = 0;
  private levelAt: number;
  private burstWindow = -1;
  private burstCount = 0;

  constructor(
    private readonly limits: BucketLimits,
    /** The sandbox's counts of refused requests and drips charged. */
    private readonly stats: { refused: number; refusedByBurst: number; charged: number },
    private readonly now: () => number,
  ) {
    this.levelAt = now();
  }

  /** The level now. */
  level(): number {
    this.drain(this.now());
    return this.currentLevel;
  }

  private drain(t: number): void {
    this.currentLevel = Math.max(0, this.currentLevel - ((t - this.levelAt) / 1000) * this.limits.dripPerSecond);
    this.levelAt = t;
  }

  /** Charges the request, or answers 429. */
  charge(cost: number): Response | undefined {
    const t = this.now();
    this.drain(t);
    const { capacity, dripPerSecond, strict, burstLimit } = this.limits;
    if (burstLimit !== undefined) {
      const window = Math.floor(t / 1000);
      if (window !== this.burstWindow) {
        this.burstWindow = window;
        this.burstCount = 0;
      }
      if (this.burstCount >= burstLimit) {
        this.stats.refused += 1;
        this.stats.refusedByBurst += 1;
        return this.withBucket(plain(429, 'Too Many Requests: burst rate limit exceeded'), cost, {
          'X-LS-API-RateLimit-Type': 'api-burst-limiter',
          'Retry-After': '1',
        });
      }
    }
    const blocked = strict ? this.currentLevel + cost > capacity + EPSILON : this.currentLevel >= capacity - EPSILON;
    if (blocked) {
      const excess = strict ? this.currentLevel + cost - capacity : this.currentLevel - capacity;
      const seconds = Math.max(1, Math.ceil(Math.max(0, excess) / dripPerSecond));
      this.stats.refused += 1;
      return this.withBucket(plain(429, 'Too Many Requests'), cost, {
        'X-LS-API-RateLimit-Type': 'api-leaky-bucket',
        'Retry-After': String(seconds),
      });
    }
    this.currentLevel += cost;
    this.stats.charged += cost;
    this.burstCount += 1;
    return undefined;
  }

  /** The response with the bucket's headers. */
  withBucket(response: Response, cost: number, extra: Record<string, string> = {}): Response {
    this.drain(this.now());
    const headers = new Headers(response.headers);
    // Hundredths, as the docs' example shows ("92.57/90"): the client must not take a rounded level for the truth.
    headers.set(
      'X-LS-Api-Bucket-Level',
      `${String(Math.round(this.currentLevel * 100) / 100)}/${trim(this.limits.capacity)}`,
    );
    headers.set('X-LS-Api-Drip-Rate', trim(this.limits.dripPerSecond));
    headers.set('X-LS-Api-Request-Cost', trim(cost));
    if (this.limits.burstLimit !== undefined)
      headers.set('X-LS-API-Burst-Level', `${this.burstCount}/${this.limits.burstLimit}`);
    for (const [name, value] of Object.entries(extra)) headers.set(name, value);
    return new Response(response.body, { status: response.status, headers });
  }
}

function trim(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}
