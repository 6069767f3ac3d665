// The request budget per window (connectors/http/window-budget.ts), on a virtual clock: it never lets more requests
// than the limit into any window, learns the real limit and other callers' use from the headers, honours a block, and
// serialises concurrent callers.
import { describe, expect, it } from 'vitest';
import { WindowBudget } from '../../../connectors/http/window-budget.js';

function virtualClock(start = 0) {
  const clock = { now: start, sleeps: [] as number[] };
  return {
    clock,
    now: () => clock.now,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.now += ms;
    },
  };
}

/** The most requests whose send times fall in any window of `windowMs`. */
function maxInAnyWindow(sends: number[], windowMs: number): number {
  let most = 0;
  for (const start of sends) most = Math.max(most, sends.filter((t) => t >= start && t < start + windowMs).length);
  return most;
}

describe('WindowBudget', () => {
  it(
    'lets the first `limit` requests go at once, then one more each time a unit comes free a window after ' +
      'its answer',
    async () => {
      const { clock, now, sleep } = virtualClock();
      const budget = new WindowBudget({ limit: 5, windowMs: 1000, now, sleep });
      const sends: number[] = [];
      for (let i = 0; i < 17; i += 1) {
        const ticket = await budget.acquire();
        sends.push(clock.now);
        clock.now += 10; // the answer takes 10 ms
        budget.settle(ticket);
      }
      expect(sends.slice(0, 5)).toEqual([0, 10, 20, 30, 40]);
      // The first unit frees a window after its answer (at 10 ms): 1010.
      expect(sends[5]).toBe(1010);
      expect(maxInAnyWindow(sends, 1000)).toBe(5);
    },
  );

  it('counts a unit from the send to a window after the answer, so a slow answer keeps it longer', async () => {
    const { clock, now, sleep } = virtualClock();
    const budget = new WindowBudget({ limit: 1, windowMs: 1000, now, sleep });
    const first = await budget.acquire();
    clock.now += 400;
    budget.settle(first);
    await budget.acquire();
    expect(clock.now).toBe(1400);
  });

  it('takes the limit from X-RateLimit-Limit and others’ use from X-RateLimit-Remaining', async () => {
    const { clock, now, sleep } = virtualClock();
    const budget = new WindowBudget({ limit: 350, windowMs: 1000, now, sleep });
    const ticket = await budget.acquire();
    // The store allows 4, and 2 of them were already spent by someone else before this request.
    budget.settle(ticket, { limit: 4, remaining: 1 });
    expect(budget.state()).toMatchObject({ limit: 4, held: 3, foreign: 2 });
    await budget.acquire();
    expect(clock.now).toBe(0);
    await budget.acquire();
    // Four held: the next waits a window.
    expect(clock.now).toBe(1000);
  });

  it('keeps a reserve free and waits out a block', async () => {
    const { clock, now, sleep } = virtualClock();
    const budget = new WindowBudget({ limit: 3, windowMs: 1000, reserve: 1, now, sleep });
    budget.settle(await budget.acquire());
    budget.settle(await budget.acquire());
    await budget.acquire();
    expect(clock.now).toBe(1000);
    budget.block(5000);
    await budget.acquire();
    expect(clock.now).toBe(5000);
  });

  it(
    'serialises concurrent callers: never more in flight than the budget, and each waits for an answer to ' +
      'free a unit',
    async () => {
      const budget = new WindowBudget({
        limit: 3,
        windowMs: 50,
        now: Date.now,
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      });
      let inFlight = 0;
      let most = 0;
      const sends: number[] = [];
      await Promise.all(
        Array.from({ length: 12 }, async () => {
          const ticket = await budget.acquire();
          sends.push(Date.now());
          inFlight += 1;
          most = Math.max(most, inFlight);
          await new Promise((r) => setTimeout(r, 5));
          inFlight -= 1;
          budget.settle(ticket);
        }),
      );
      expect(most).toBeLessThanOrEqual(3);
      expect(maxInAnyWindow(sends, 50)).toBeLessThanOrEqual(3);
    },
  );

  it('refuses a budget that cannot hold a request', () => {
    expect(() => new WindowBudget({ limit: 0, windowMs: 1000 })).toThrow(RangeError);
  });
});
