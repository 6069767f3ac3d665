/**
 * A leaky-bucket pacer: keeps a client's requests UNDER a vendor's leaky-bucket rate limit instead of running into it
 * and backing off. Reusable by any client whose vendor meters requests that way (Lightspeed R-Series:
 * https://developers.lightspeedhq.com/retail/introduction/ratelimits/).
 *
 * The model: a bucket of `capacity` drips that leaks `dripPerSecond`. Every request pours its cost in; a request whose
 * cost would take the level above the capacity waits until enough has leaked. The pacer keeps its own ledger of the
 * level (every reservation it made, leaking with time) and corrects it from what the server says after each answer:
 *
 * - the server's level is higher than the ledger could explain (another client on the same bucket, a request that
 *   cost more than estimated): the ledger is raised by the difference;
 * - the server's level is lower and no other request is in flight (a cost was over-estimated): the ledger is lowered
 *   to it (plus a hundredth, for the server's rounding).
 *
 * Latency alone never moves the ledger: the server's level is compared with the ledger as it stood when the request
 * was sent (the most the server can have seen), so a round trip costs no throughput. A refusal (429) gives the
 * reservation back and blocks every request until the server's Retry-After has passed.
 *
 * Optionally a burst limit too (at most `limit` requests in any `windowMs`), for vendors with a second, per-second
 * limiter. Pure apart from the injected clock and sleep, so tests and benchmarks can run it on virtual time.
 */

export interface LeakyBucketOptions {
  /** Drips the bucket holds. */
  capacity: number;
  /** Drips that leak out per second. */
  dripPerSecond: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** At most `limit` requests sent in any `windowMs` window. Off unless given (or learnt through `observe`). */
  burst?: { limit: number; windowMs: number };
  /**
   * How much later than it was sent a request may reach the server (100 ms). The server leaks from when a request
   * arrives, the ledger from when it was sent, so after the bucket has emptied the server can stand up to this many
   * milliseconds of drip above the ledger: that much of the capacity is kept free (at most a tenth of it). It shortens
   * the first burst only; the sustained rate is the drip rate either way.
   */
  latencyAllowanceMs?: number;
}

/** A reservation: handed to `observe` or `refund` once the request has its answer. */
export interface BucketTicket {
  readonly cost: number;
  readonly sentAt: number;
  /** The ledger's level just after this reservation, at `sentAt`. */
  readonly levelAfter: number;
  settled: boolean;
}

/** What a server said about the bucket after a request. Any field may be missing. */
export interface BucketReport {
  /** The level after the request, in drips. */
  level?: number;
  capacity?: number;
  dripPerSecond?: number;
  /** Requests allowed per burst window, when the server has a burst limiter. */
  burstLimit?: number;
}

/** Floating-point slack when comparing levels. */
const EPSILON = 1e-9;
/** How far a server's reported level may be rounded (R-Series shows hundredths: "92.57/90"): never trusted lower than
 * this. */
const REPORT_ROUNDING = 0.01;

export class LeakyBucket {
  private capacityValue: number;
  private dripValue: number;
  private level = 0;
  private levelAt: number;
  private blockedUntil = 0;
  private inFlight = 0;
  private burst: { limit: number; windowMs: number } | undefined;
  private readonly sends: number[] = [];
  private readonly latencyAllowanceMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: LeakyBucketOptions) {
    if (!(options.capacity > 0) || !(options.dripPerSecond > 0))
      throw new RangeError('a leaky bucket needs a positive capacity and drip rate');
    this.capacityValue = options.capacity;
    this.dripValue = options.dripPerSecond;
    this.now = options.now;
    this.sleep = options.sleep;
    this.burst = options.burst;
    this.latencyAllowanceMs = options.latencyAllowanceMs ?? 100;
    this.levelAt = options.now();
  }

  get capacity(): number {
    return this.capacityValue;
  }

  get dripPerSecond(): number {
    return this.dripValue;
  }

  /** The ledger's level now. */
  currentLevel(): number {
    return this.drained(this.now());
  }

  /**
   * Waits until a request of this cost fits under the capacity (and the burst limit, and any block from a 429), then
   * reserves it. A cost above the whole capacity waits for an empty bucket: it can never fit, but that is the best
   * moment to send it.
   */
  async take(cost: number): Promise<BucketTicket> {
    if (!(cost >= 0)) throw new RangeError(`a request cost must be 0 or more, not ${cost}`);
    for (;;) {
      const t = this.now();
      const wait = this.waitFor(cost, t);
      if (wait <= 0) {
        const levelAfter = this.drained(t) + cost;
        this.level = levelAfter;
        this.levelAt = t;
        this.inFlight += 1;
        this.sends.push(t);
        this.trimSends(t);
        return { cost, sentAt: t, levelAfter, settled: false };
      }
      await this.sleep(wait);
    }
  }

  /** How long a request of this cost would wait if taken now, in ms. */
  waitFor(cost: number, t = this.now()): number {
    const margin = Math.min((this.dripValue * this.latencyAllowanceMs) / 1000, this.capacityValue / 10);
    const usable = this.capacityValue - margin;
    const need = Math.min(cost, usable);
    const level = this.drained(t);
    const overflow = level + need - usable;
    const bucketWait = overflow > EPSILON ? (overflow / this.dripValue) * 1000 : 0;
    let burstWait = 0;
    if (this.burst !== undefined) {
      this.trimSends(t);
      if (this.sends.length >= this.burst.limit)
        burstWait = this.sends[this.sends.length - this.burst.limit]! + this.burst.windowMs - t;
    }
    return Math.max(this.blockedUntil - t, bucketWait, burstWait, 0);
  }

  /** The request was answered; `report` is what the server said about the bucket (if anything). */
  observe(ticket: BucketTicket, report: BucketReport = {}): void {
    this.settle(ticket);
    const t = this.now();
    if (report.capacity !== undefined && report.capacity > 0) this.capacityValue = report.capacity;
    if (report.dripPerSecond !== undefined && report.dripPerSecond > 0) this.dripValue = report.dripPerSecond;
    if (report.burstLimit !== undefined && report.burstLimit > 0)
      this.burst = { limit: report.burstLimit, windowMs: this.burst?.windowMs ?? 1000 };
    if (report.level === undefined || !Number.isFinite(report.level)) return;
    const current = this.drained(t);
    // The most the server can have counted by the time it saw this request is the ledger at `sentAt`.
    const unexplained = report.level - ticket.levelAfter;
    if (unexplained > EPSILON) this.setLevel(current + unexplained, t);
    else if (this.inFlight === 0 && report.level + REPORT_ROUNDING < current)
      this.setLevel(report.level + REPORT_ROUNDING, t);
  }

  /**
   * The request was refused before the server did any work (a 429) or never reached it: its reservation is given
   * back. With `retryAfterMs`, nothing is sent until that much time has passed; `report` corrects the ledger.
   */
  refund(ticket: BucketTicket, retryAfterMs?: number, report: BucketReport = {}): void {
    const t = this.now();
    if (!ticket.settled) this.setLevel(Math.max(0, this.drained(t) - ticket.cost), t);
    this.settle(ticket);
    if (retryAfterMs !== undefined && retryAfterMs > 0)
      this.blockedUntil = Math.max(this.blockedUntil, t + retryAfterMs);
    if (report.capacity !== undefined && report.capacity > 0) this.capacityValue = report.capacity;
    if (report.dripPerSecond !== undefined && report.dripPerSecond > 0) this.dripValue = report.dripPerSecond;
    if (report.level !== undefined && Number.isFinite(report.level) && report.level + REPORT_ROUNDING > this.drained(t))
      this.setLevel(report.level + REPORT_ROUNDING, t);
  }

  private settle(ticket: BucketTicket): void {
    if (ticket.settled) return;
    ticket.settled = true;
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  private drained(t: number): number {
    return Math.max(0, this.level - ((t - this.levelAt) / 1000) * this.dripValue);
  }

  private setLevel(level: number, t: number): void {
    this.level = Math.max(0, level);
    this.levelAt = t;
  }

  private trimSends(t: number): void {
    // Sends are kept for a second even before a burst limit is known, so that one learnt from an answer counts them.
    const windowMs = this.burst?.windowMs ?? 1000;
    while (this.sends.length > 0 && this.sends[0]! <= t - windowMs) this.sends.shift();
  }
}

/**
 * Reads a `used/capacity` header such as `X-LS-Api-Bucket-Level: 1.5/90` (also `X-LS-API-Burst-Level: 1/20`).
 * Undefined parts when the header is absent or unreadable.
 */
export function parseLevelHeader(value: unknown): { used?: number; capacity?: number } {
  if (typeof value !== 'string') return {};
  const match = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)\s*$/.exec(value);
  if (!match) return {};
  return { used: Number(match[1]), capacity: Number(match[2]) };
}

/** Reads a plain number header such as `X-LS-Api-Drip-Rate: 1.5`. */
export function parseNumberHeader(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\s*\d+(?:\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}
