// The bench's requests per run (patchworks/bench/pull-requests.ts), on a small store: the order flow's pull, as
// plan-order-pull plans it and the connection engine sends it to the SparkLayer fake, makes one list call in steady
// state and returns only what changed since the watermark; with no since filter it pages through the whole history.
import { beforeAll, describe, expect, it } from 'vitest';
import { measurePullRequests, type PullRequestsResult } from '../../../patchworks/bench/pull-requests.js';
import { server } from '../../support/msw.js';
import { ROOT } from '../../support/steps.js';

const HISTORICAL = 1_200;
const CHANGED = 7;
const AS_OF = '2026-11-22T09:00:00Z';
const WATERMARK = '2026-11-22T08:45:00Z';

let result: PullRequestsResult;
const run = (name: string) => {
  const found = result.runs.find((candidate) => candidate.run.startsWith(name));
  if (!found) throw new Error(`no run "${name}" (there are ${result.runs.map((r) => r.run).join(', ')})`);
  return found;
};

beforeAll(async () => {
  result = await measurePullRequests(ROOT, {
    historical: HISTORICAL,
    changed: CHANGED,
    pageSize: 500,
    asOf: AS_OF,
    watermark: WATERMARK,
    serve: (handlers) => {
      server.use(...handlers);
      return () => server.resetHandlers();
    },
  });
});

describe('requests per run: the order flow pull for 1,200 historical purchases and 7 new, page size 500', () => {
  it('steady state: one list call, from the watermark less the overlap, returning the 7 changed purchases', () => {
    const steady = run('steady state');
    expect(steady.pullFrom).toBe('watermark');
    expect(steady.pullSince).toBe('2026-11-22T08:15:00.000Z');
    expect(steady.listCalls).toBe(1);
    expect(steady.purchases).toBe(CHANGED);
    expect(steady.changed).toBe(CHANGED);
    expect(steady.firstCall).toBe(
      `GET /api/v1/purchases?limit=500&dates%5Blast_updated%5D%5Bgte%5D=` +
        `${encodeURIComponent('2026-11-22T08:15:00.000Z')}`,
    );
  });

  it('no since filter: the whole history, 1,207 purchases in 3 list calls (500, 500, 207)', () => {
    const whole = run('no since filter');
    expect(whole.listCalls).toBe(3);
    expect(whole.payloads).toBe(3);
    expect(whole.purchases).toBe(HISTORICAL + CHANGED);
    expect(whole.firstCall).toBe('GET /api/v1/purchases?limit=500');
  });

  it('first run, no state: lookback_days (30) back, the changed purchases and the history of those 30 days', () => {
    const first = run('first run');
    expect(first.pullFrom).toBe('lookback');
    expect(first.pullSince).toBe('2026-10-23T09:00:00.000Z');
    // 1,200 spread over 365 days: 98 in the 30 days before the watermark, and the 7, in one page.
    expect(first.purchases).toBe(98 + CHANGED);
    expect(first.changed).toBe(CHANGED);
    expect(first.listCalls).toBe(1);
  });
});
