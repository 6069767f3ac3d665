/**
 * How close the R-Series client gets to the rate its leaky bucket allows, measured against the fake R-Series with the
 * bucket enforced (sandbox.ts). `npm run bench` calls it.
 *
 * The client sends `requests` reads of cost 1 drip one after another (GET Customer/{id}.json, no relations), as a
 * Patchworks flow would, starting from an empty bucket, knowing nothing of the bucket beforehand: it assumes
 * Lightspeed's default (90 drips, 1 a second) and learns the real size and drip rate from the first answer's headers.
 *
 * What the bucket allows, without ever going over it: the first `capacity` drips at once, then `dripPerSecond` a
 * second. N requests of cost c therefore need at least max(0, N·c − capacity) / dripPerSecond seconds. The ratio is
 * that minimum over the time the client took (1.0 = as fast as the bucket allows; the client never waits less, since it
 * keeps under the limit rather than running into it). When everything fits in the first burst the minimum is zero and
 * the ratio is 1 if nothing was refused. `rejected` counts the 429s the fake sent; the client waits those out, so they
 * never reach the caller, but each one costs at least a second.
 *
 * With `virtualTime`, the client and the fake share a virtual clock and a sleep that only moves it, and talk in-process
 * (no socket), so the real limit (90 drips, 1 a second: minutes of wall time) is measured in milliseconds. Without it,
 * the fake is served on a real loopback HTTP port and everything runs on the wall clock.
 */
import { LightspeedRClient } from './client.js';
import { inProcessAdapter, LightspeedRSandbox, sandboxConfig } from './sandbox.js';
import { DEFAULT_BUCKET } from './costs.js';

export interface ThroughputOptions {
  requests: number;
  capacity?: number;
  dripPerSecond?: number;
  virtualTime?: boolean;
  /** The fake refuses any request that would overflow, instead of the documented first-overflow rule. */
  strict?: boolean;
}

export interface ThroughputResult {
  requests: number;
  elapsedMs: number;
  /** The sustained rate the bucket allows for this many requests: N over the minimum time (Infinity if that is 0). */
  allowedPerSecond: number;
  achievedPerSecond: number;
  /** Minimum time over the time taken: 1.0 is as fast as the bucket allows. */
  ratio: number;
  /** 429s the fake sent. */
  rejected: number;
  capacity: number;
  dripPerSecond: number;
  virtualTime: boolean;
}

const CUSTOMER = {
  customerID: '7',
  firstName: 'Bench',
  lastName: 'Customer',
  company: 'Example Trade Supplies',
  creditAccountID: '0',
  customerTypeID: '0',
  archived: 'false',
};

export async function measureThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const capacity = options.capacity ?? DEFAULT_BUCKET.capacity;
  const dripPerSecond = options.dripPerSecond ?? DEFAULT_BUCKET.dripPerSecond;
  const virtualTime = options.virtualTime ?? false;
  if (!Number.isInteger(options.requests) || options.requests < 1)
    throw new RangeError('requests must be a positive integer');

  let clock = 0;
  const now = virtualTime ? () => clock : Date.now;
  const sleep = virtualTime
    ? async (ms: number) => {
        clock += Math.max(0, ms);
      }
    : (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

  const fake = new LightspeedRSandbox(
    { customers: [CUSTOMER] },
    { capacity, dripPerSecond, now, strict: options.strict },
  );
  let host: { url: string; close: () => Promise<void> } | undefined;
  if (!virtualTime) {
    const { serveOnLoopback } = await import('../../../contracts/hosts.js');
    host = await serveOnLoopback(fake);
  }
  try {
    const client = new LightspeedRClient(sandboxConfig(host === undefined ? {} : { origin: host.url }), {
      now,
      sleep,
      ...(virtualTime ? { adapter: inProcessAdapter(fake) } : {}),
    });
    const cost = 1;
    // Warm-up: the token request (which the bucket does not meter) and one read, which tells the client the bucket's
    // size and drip rate. Its drip leaks away before the clock starts, so the run starts from an empty bucket.
    await client.accounts();
    await sleep((cost / dripPerSecond) * 1000);
    fake.stats.refused = 0;
    const started = now();
    for (let i = 0; i < options.requests; i += 1) await client.getCustomer(7, []);
    const elapsedMs = now() - started;
    const minimumMs = (Math.max(0, options.requests * cost - capacity) / dripPerSecond) * 1000;
    const rejected = fake.stats.refused;
    return {
      requests: options.requests,
      elapsedMs,
      allowedPerSecond: minimumMs === 0 ? Number.POSITIVE_INFINITY : (options.requests * 1000) / minimumMs,
      achievedPerSecond: elapsedMs === 0 ? Number.POSITIVE_INFINITY : (options.requests * 1000) / elapsedMs,
      ratio: minimumMs === 0 ? (rejected === 0 ? 1 : 0) : Math.round((minimumMs / elapsedMs) * 1e6) / 1e6,
      rejected,
      capacity,
      dripPerSecond,
      virtualTime,
    };
  } finally {
    await host?.close();
  }
}
