// Load: the real client against the fake R-Series on a real loopback HTTP server, the leaky bucket enforced and scaled
// down (30 drips, 30 a second), for a burst of hundreds of requests: no 429 reaches the caller (none is even sent);
// how close to the allowed rate it runs is printed, not asserted (wall-clock speed depends on the machine's load).
// Then the real limit (90 drips, 1 a second) measured by measureThroughput on virtual time, where the rate is asserted.
import { http, passthrough } from 'msw';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LightspeedRClient } from '../../../../connectors/lightspeed-r/dev/client.js';
import { LightspeedRSandbox, sandboxConfig } from '../../../../connectors/lightspeed-r/dev/sandbox.js';
import { measureThroughput } from '../../../../connectors/lightspeed-r/dev/throughput.js';
import { serveOnLoopback } from '../../../../contracts/hosts.js';
import { server } from '../../../support/msw.js';

const CAPACITY = 30;
const DRIP = 30;
const REQUESTS = 300;
const customers = [{ customerID: '7', firstName: 'Load', lastName: 'Test', creditAccountID: '0', archived: 'false' }];

let host: Awaited<ReturnType<typeof serveOnLoopback>> | undefined;

beforeEach(() => {
  // The suite's msw server intercepts every request; this test talks to a real socket.
  server.use(http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()));
});
afterEach(async () => {
  await host?.close();
  host = undefined;
});

/** The least time the bucket allows for `requests` of cost 1 from empty: the capacity at once, then the drip rate. */
const minimumMs = (requests: number) => ((requests - CAPACITY) / DRIP) * 1000;

async function loadRun(options: { strict: boolean; workers: number }) {
  const fake = new LightspeedRSandbox(
    { customers },
    { capacity: CAPACITY, dripPerSecond: DRIP, strict: options.strict },
  );
  host = await serveOnLoopback(fake);
  const failures: unknown[] = [];
  const api = new LightspeedRClient(sandboxConfig({ origin: host.url }), { log: () => undefined });
  // Warm-up: the token, and one answer that teaches the client the bucket; its drip leaks away before the clock starts.
  await api.accounts();
  await new Promise((resolve) => setTimeout(resolve, 100));
  fake.stats.refused = 0;
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: options.workers }, async () => {
      while (next < REQUESTS) {
        next += 1;
        await api.getCustomer(7, []).catch((error: unknown) => failures.push(error));
      }
    }),
  );
  const elapsed = Date.now() - started;
  return { fake, api, failures, elapsed, ratio: minimumMs(REQUESTS) / elapsed };
}

describe('the R-Series client under load, against a real HTTP server', () => {
  it(
    `sends ${REQUESTS} requests one after another into a ${CAPACITY}-drip bucket leaking ${DRIP}/s: no ` +
      `429, never faster than the bucket allows`,
    async () => {
      const { fake, api, failures, elapsed, ratio } = await loadRun({ strict: false, workers: 1 });
      expect(failures).toEqual([]);
      expect(fake.stats.refused).toBe(0);
      expect(api.stats.rateLimited).toBe(0);
      expect(elapsed).toBeGreaterThanOrEqual(minimumMs(REQUESTS) - 50);
      const percent = (ratio * 100).toFixed(1);
      // How close to the limit it runs is measured by npm run bench, not asserted here: wall-clock speed on a shared
      // machine is no test of the client.
      console.log(`loopback, sequential: ${REQUESTS} requests in ${elapsed} ms, ${percent} % of the allowed rate`);
    },
    60_000,
  );

  it('holds with four callers at once against a bucket that refuses any overflow', async () => {
    const { fake, failures, elapsed, ratio } = await loadRun({ strict: true, workers: 4 });
    expect(failures).toEqual([]);
    expect(fake.stats.refused).toBe(0);
    console.log(
      `loopback, 4 concurrent callers, strict bucket: ${REQUESTS} requests in ${elapsed} ms, ` +
        `${(ratio * 100).toFixed(1)} % of the allowed rate`,
    );
  }, 60_000);
});

describe('measureThroughput', () => {
  it(
    'measures the real limit (90 drips, 1 a second) on virtual time: as fast as the bucket allows, ' +
      'nothing refused',
    async () => {
      const result = await measureThroughput({ requests: 500, virtualTime: true });
      expect(result).toMatchObject({ requests: 500, capacity: 90, dripPerSecond: 1, rejected: 0, virtualTime: true });
      // 500 reads: 90 at once, then 410 at 1 a second.
      expect(result.elapsedMs).toBeGreaterThanOrEqual(410_000);
      expect(result.ratio).toBeGreaterThanOrEqual(0.99);
      expect(result.ratio).toBeLessThanOrEqual(1);
      console.log(`virtual time, 90/1: ${JSON.stringify(result)}`);
    },
  );

  it('holds against the strict bucket too, and reports a run that fits in one burst as ratio 1', async () => {
    const strict = await measureThroughput({ requests: 300, virtualTime: true, strict: true });
    expect(strict.rejected).toBe(0);
    expect(strict.ratio).toBeGreaterThanOrEqual(0.99);
    expect(await measureThroughput({ requests: 50, virtualTime: true })).toMatchObject({
      rejected: 0,
      ratio: 1,
      allowedPerSecond: Number.POSITIVE_INFINITY,
    });
  });
});
