/**
 * A request budget per time window, kept by the client so that it stays UNDER a vendor's rate limit instead of
 * bouncing off it with 429s (Lightspeed X-Series allows 300 × registers + 50 requests per 5-minute window:
 * https://x-series-api.lightspeedhq.com/docs/rate_limiting). Reusable by any connector: the clock and the sleep are
 * injected, so a test (or a benchmark in virtual time) drives it without waiting.
 *
 * The model. Every request holds one unit of the budget from the moment it is sent until `windowMs` after its answer
 * arrived. The server counted the request at some instant between the two, so in ANY span of `windowMs` this client
 * holds at least as many units as the server has counted from it: keeping the units held below the limit keeps the
 * server's count below it too, whether the server's windows are fixed or sliding, and whatever the network delay.
 * A request may go when fewer than `limit - reserve` units are held.
 *
 * The server's view corrects the client's:
 * - `X-RateLimit-Limit` replaces the configured limit (a retailer with more registers has a larger budget);
 * - `X-RateLimit-Remaining` reveals requests the server counted that this client did not send (another process
 *   using the same application): they are held as "foreign" units for one window from when they were reported;
 * - a 429's `Retry-After` blocks every request until then (`block`).
 * A request that got no answer keeps its unit for a window from when it failed: the server may have counted it.
 */

export interface WindowBudgetOptions {
  /** Requests allowed per window, until the server says otherwise. */
  limit: number;
  windowMs: number;
  /** Units kept free for other callers (a safety margin); 0 by default. */
  reserve?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** What a server said about the budget with an answer (both optional: not every answer carries them). */
export interface BudgetObservation {
  limit?: number;
  remaining?: number;
}

/** One request's hold on the budget, from `acquire` until `settle`. */
export interface BudgetTicket {
  readonly id: number;
}

interface Hold {
  id: number;
  /** Infinity while the request is in flight. */
  until: number;
}

export interface BudgetState {
  limit: number;
  windowMs: number;
  /** Units held now: in flight, answered within the last window, and foreign. */
  held: number;
  inFlight: number;
  foreign: number;
  blockedUntil: number;
}

export class WindowBudget {
  readonly windowMs: number;
  private limit: number;
  private readonly reserve: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly holds: Hold[] = [];
  private foreign: number[] = [];
  private blockedUntil = Number.NEGATIVE_INFINITY;
  private nextId = 1;
  /** Resolved (and replaced) whenever a unit may have been freed, for callers waiting on requests in flight. */
  private changed: { promise: Promise<void>; resolve: () => void };

  constructor(options: WindowBudgetOptions) {
    if (!(options.limit >= 1) || !(options.windowMs > 0))
      throw new RangeError('a window budget needs a limit of at least 1 and a positive window');
    this.limit = Math.floor(options.limit);
    this.windowMs = options.windowMs;
    this.reserve = Math.max(0, Math.floor(options.reserve ?? 0));
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.changed = signal();
  }

  /** Waits until a request may go, and holds a unit for it. Every ticket must be settled. */
  async acquire(): Promise<BudgetTicket> {
    for (;;) {
      const now = this.now();
      this.prune(now);
      if (now < this.blockedUntil) {
        await this.pause(this.blockedUntil - now);
        continue;
      }
      if (this.holds.length + this.foreign.length < this.allowed()) {
        const hold = { id: this.nextId++, until: Number.POSITIVE_INFINITY };
        this.holds.push(hold);
        return { id: hold.id };
      }
      const next = this.nextRelease();
      // Only requests in flight hold the budget: wait for one of them to be answered.
      if (next === undefined) await this.changed.promise;
      else await this.pause(Math.max(0, next - now));
    }
  }

  /**
   * The request is over: answered (with what the server said about the budget) or failed without an answer. Its unit
   * stays held for one window from now.
   */
  settle(ticket: BudgetTicket, observation: BudgetObservation = {}): void {
    const now = this.now();
    const hold = this.holds.find((h) => h.id === ticket.id);
    if (hold) hold.until = now + this.windowMs;
    this.observe(observation, now);
    this.notify();
  }

  /** No request before `untilMs` (a 429's Retry-After). */
  block(untilMs: number): void {
    if (untilMs > this.blockedUntil) this.blockedUntil = untilMs;
    this.notify();
  }

  state(): BudgetState {
    const now = this.now();
    this.prune(now);
    return {
      limit: this.limit,
      windowMs: this.windowMs,
      held: this.holds.length + this.foreign.length,
      inFlight: this.holds.filter((h) => h.until === Number.POSITIVE_INFINITY).length,
      foreign: this.foreign.length,
      blockedUntil: this.blockedUntil,
    };
  }

  private observe({ limit, remaining }: BudgetObservation, now: number): void {
    if (limit !== undefined && Number.isFinite(limit) && limit >= 1) this.limit = Math.floor(limit);
    if (remaining === undefined || !Number.isFinite(remaining)) return;
    this.prune(now);
    // What the server has counted beyond this client's own holds was sent by someone else.
    const counted = this.limit - Math.max(0, Math.floor(remaining));
    const foreign = counted - this.holds.length;
    if (foreign > this.foreign.length) {
      for (let i = this.foreign.length; i < foreign; i += 1) this.foreign.push(now + this.windowMs);
    } else if (foreign < this.foreign.length) {
      // The server counts fewer than thought (its window moved on): drop the oldest foreign units.
      this.foreign = this.foreign.slice(this.foreign.length - Math.max(0, foreign));
    }
  }

  private allowed(): number {
    return Math.max(1, this.limit - this.reserve);
  }

  private prune(now: number): void {
    for (let i = this.holds.length - 1; i >= 0; i -= 1) if (this.holds[i]!.until <= now) this.holds.splice(i, 1);
    this.foreign = this.foreign.filter((until) => until > now);
  }

  /** When the next unit is freed; undefined when every held unit is a request still in flight. */
  private nextRelease(): number | undefined {
    let next: number | undefined;
    for (const until of [...this.holds.map((h) => h.until), ...this.foreign]) {
      if (until !== Number.POSITIVE_INFINITY && (next === undefined || until < next)) next = until;
    }
    return next;
  }

  /** Sleeps, but wakes early when a unit may have been freed. */
  private async pause(ms: number): Promise<void> {
    await Promise.race([this.sleep(ms), this.changed.promise]);
  }

  private notify(): void {
    const { resolve } = this.changed;
    this.changed = signal();
    resolve();
  }
}

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
