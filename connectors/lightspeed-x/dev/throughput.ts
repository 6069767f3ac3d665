/**
 * How close the X-Series client gets to the rate limit without crossing it: the real client (its WindowBudget and
 * retries included) against the fake X-Series with the limit enforced (sandbox.ts), for `requests` single-request calls
 * (GET /customers/{id}).
 *
 * - `virtualTime: false`: the fake is served on a loopback port (a real local HTTP server) and time is real; scale the
 *   limit down (e.g. 60 per 2 000 ms) to keep the run short. Requests go `concurrency` at a time (default 4).
 * - `virtualTime: true`: the client and the fake share one virtual clock, and sleeping moves it forward instantly; the
 *   fake answers in-process. The REAL limit (350 per 300 000 ms for one register) is measured in milliseconds of
 *   wall time. Requests go one at a time (virtual sleeping is sequential).
 *
 * The result. `elapsedMs`: from the first request to the last answer. `rejected`: the 429s the fake sent. The rates
 * count each request's hold on the budget until it is free again, one window after the last request (a burst spends
 * the first window's budget at once, so rates over the bare elapsed time would run above the limit on short runs):
 * - `allowedPerSecond` = requests ÷ (the fastest schedule the limit allows + one window): the first `budget` requests
 *   at once, each next `budget` one window later, so the last goes after ⌊(requests − 1) ÷ budget⌋ windows. When
 *   requests is a multiple of the budget this is exactly budget ÷ window (350 per 300 s: 1.1667 a second).
 * - `achievedPerSecond` = requests ÷ (elapsed + one window).
 * - `ratio` = achieved ÷ allowed: 1 is the limit itself; it can only pass 1 if the limit was crossed.
 */
import { serveOnLoopback } from '../../../contracts/hosts.js';
import { LightspeedXClient } from './client.js';
import { inProcessFetch, LightspeedXSandbox, sandboxConfig } from './sandbox.js';

export interface ThroughputOptions {
  requests: number;
  /** Requests per window the fake allows. */
  budget: number;
  windowMs: number;
  virtualTime: boolean;
  /** Requests in flight at once in real time (default 4); always 1 in virtual time. */
  concurrency?: number;
}

export interface ThroughputResult {
  requests: number;
  elapsedMs: number;
  allowedPerSecond: number;
  achievedPerSecond: number;
  ratio: number;
  rejected: number;
}

/** The customer the calls read (Lightspeed's documentation example). */
const CUSTOMER = {
  id: 'b8ca3a65-0183-11e4-fbb5-4f73f02a9d1c',
  first_name: 'Anthony',
  last_name: 'Stark',
  customer_code: 'Tony-N4ZJ',
  version: 2691964626,
};
/** 2026-11-22T09:00:00Z: a whole number of windows from the epoch for the usual window lengths. */
const VIRTUAL_START = Date.UTC(2026, 10, 22, 9, 0, 0);

export async function measureThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const { requests, budget, windowMs, virtualTime } = options;
  if (!Number.isInteger(requests) || requests < 1)
    throw new RangeError('requests must be a whole number of at least 1');
  const data = { customers: [CUSTOMER], products: [] };

  if (virtualTime) {
    let now = VIRTUAL_START;
    const clock = () => now;
    const sleep = async (ms: number) => {
      now += Math.max(0, ms);
    };
    const sandbox = new LightspeedXSandbox(data, { now: clock, rateLimit: { budget, windowMs } });
    const client = new LightspeedXClient(sandboxConfig(), {
      now: clock,
      sleep,
      random: () => 0.5,
      fetch: inProcessFetch(sandbox),
      budget: { windowMs },
    });
    const start = clock();
    for (let i = 0; i < requests; i += 1) await client.getCustomer(CUSTOMER.id);
    return result(requests, clock() - start, budget, windowMs, sandbox.rejected);
  }

  const sandbox = new LightspeedXSandbox(data, { rateLimit: { budget, windowMs } });
  const host = await serveOnLoopback(sandbox);
  try {
    const client = new LightspeedXClient(sandboxConfig({ baseUrl: `${host.url}/api` }), { budget: { windowMs } });
    let next = 0;
    const worker = async () => {
      while (next < requests) {
        next += 1;
        await client.getCustomer(CUSTOMER.id);
      }
    };
    const start = Date.now();
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, requests)) }, worker));
    return result(requests, Date.now() - start, budget, windowMs, sandbox.rejected);
  } finally {
    await host.close();
  }
}

function result(
  requests: number,
  elapsedMs: number,
  budget: number,
  windowMs: number,
  rejected: number,
): ThroughputResult {
  const fastestMs = Math.floor((requests - 1) / budget) * windowMs;
  const allowedPerSecond = requests / ((fastestMs + windowMs) / 1000);
  const achievedPerSecond = requests / ((elapsedMs + windowMs) / 1000);
  return {
    requests,
    elapsedMs,
    allowedPerSecond,
    achievedPerSecond,
    ratio: achievedPerSecond / allowedPerSecond,
    rejected,
  };
}
