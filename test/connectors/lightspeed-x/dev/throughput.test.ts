// Load: the X-Series client against the fake X-Series on a real loopback HTTP server, with the rate limit enforced and
// scaled down (60 requests per 2 s window), for a concurrent burst of several hundred requests: no 429 reaches the
// caller and the fake never counts more than the budget in a window; how close to the limit it runs is printed, not
// asserted (wall-clock speed depends on the machine's load). Then the same measurement through measureThroughput at
// the REAL limit (350 per 300 s) in virtual time, where the rate is asserted.
import { http, passthrough } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LightspeedXClient } from '../../../../connectors/lightspeed-x/dev/client.js';
import { LightspeedXSandbox, sandboxConfig } from '../../../../connectors/lightspeed-x/dev/sandbox.js';
import { measureThroughput } from '../../../../connectors/lightspeed-x/dev/throughput.js';
import { serveOnLoopback } from '../../../../contracts/hosts.js';
import { server } from '../../../support/msw.js';

const STARK = {
  id: 'b8ca3a65-0183-11e4-fbb5-4f73f02a9d1c',
  first_name: 'Anthony',
  last_name: 'Stark',
  customer_code: 'Tony-N4ZJ',
};
const BUDGET = 60;
const WINDOW_MS = 2000;
const REQUESTS = 300;

let sandbox: LightspeedXSandbox;
let host: Awaited<ReturnType<typeof serveOnLoopback>>;

beforeAll(async () => {
  sandbox = new LightspeedXSandbox(
    { customers: [STARK], products: [] },
    { rateLimit: { budget: BUDGET, windowMs: WINDOW_MS } },
  );
  host = await serveOnLoopback(sandbox);
});
afterAll(() => host?.close());

describe('the X-Series client under load, against a real local HTTP server', () => {
  it(
    `sends ${REQUESTS} requests, 8 at a time, under a limit of ${BUDGET} per ${WINDOW_MS} ms: no 429, at ` +
      `least 90 % of the limit`,
    async () => {
      // Let these requests reach the loopback server instead of msw's "unhandled request" error.
      server.use(http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()));
      const client = new LightspeedXClient(sandboxConfig({ baseUrl: `${host.url}/api` }), {
        budget: { windowMs: WINDOW_MS },
      });
      let next = 0;
      const errors: unknown[] = [];
      const worker = async () => {
        while (next < REQUESTS) {
          next += 1;
          await client.getCustomer(STARK.id).catch((error: unknown) => errors.push(error));
        }
      };
      const start = Date.now();
      await Promise.all(Array.from({ length: 8 }, worker));
      const elapsedMs = Date.now() - start;

      expect(errors).toEqual([]);
      expect(sandbox.rejected).toBe(0);
      expect(sandbox.accepted).toBe(REQUESTS);
      expect(sandbox.maxInWindow()).toBeLessThanOrEqual(BUDGET);
      // As measureThroughput counts it: the fastest schedule the limit allows (a budget at once, then one per window)
      // against the measured one, each until the budget is free again a window after the last request.
      const fastestMs = Math.floor((REQUESTS - 1) / BUDGET) * WINDOW_MS;
      // How close to the limit it runs is measured by npm run bench, not asserted here: wall-clock speed on a shared
      // machine is no test of the client.
      const ratio = (fastestMs + WINDOW_MS) / (elapsedMs + WINDOW_MS);
      console.log(
        `loopback: ${REQUESTS} requests in ${elapsedMs} ms (fastest the limit allows: ${fastestMs} ms); ` +
          `ratio ${ratio.toFixed(3)}`,
      );
    },
    30_000,
  );
});

describe('measureThroughput', () => {
  it('at the real limit, 350 per 300 s, in virtual time: no 429 and the limit itself', async () => {
    const result = await measureThroughput({ requests: 1400, budget: 350, windowMs: 300_000, virtualTime: true });
    expect(result).toMatchObject({ requests: 1400, rejected: 0 });
    expect(result.allowedPerSecond).toBeCloseTo(350 / 300, 10);
    expect(result.ratio).toBeGreaterThanOrEqual(0.9);
    expect(result.ratio).toBeLessThanOrEqual(1);
    // Four budgets: at once, then after one, two and three windows.
    expect(result.elapsedMs).toBe(900_000);
    console.log(`virtual time, real limit: ${JSON.stringify(result)}`);
  });

  it('for a store with three registers (950 per 300 s), learning the limit from X-RateLimit-Limit', async () => {
    const result = await measureThroughput({ requests: 2000, budget: 950, windowMs: 300_000, virtualTime: true });
    expect(result.rejected).toBe(0);
    expect(result.ratio).toBeGreaterThanOrEqual(0.9);
    expect(result.ratio).toBeLessThanOrEqual(1);
  });

  it('at a scaled-down limit in real time, on a loopback server', async () => {
    server.use(http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()));
    const result = await measureThroughput({ requests: 120, budget: 60, windowMs: 2000, virtualTime: false });
    expect(result.rejected).toBe(0);
    console.log(`real time, 60 per 2 s: ${JSON.stringify(result)}`);
  }, 30_000);
});
