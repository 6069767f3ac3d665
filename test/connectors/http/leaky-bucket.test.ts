// The leaky-bucket pacer (connectors/http/leaky-bucket.ts) on a virtual clock, and R-Series' documented request costs
// (connectors/lightspeed-r/dev/costs.ts).
import { describe, expect, it } from 'vitest';
import { LeakyBucket, parseLevelHeader, parseNumberHeader } from '../../../connectors/http/leaky-bucket.js';
import { requestCost, resourceOf } from '../../../connectors/lightspeed-r/dev/costs.js';

function virtualBucket(options: {
  capacity: number;
  dripPerSecond: number;
  burst?: { limit: number; windowMs: number };
  latencyAllowanceMs?: number;
}) {
  const clock = { t: 0 };
  const waits: number[] = [];
  const bucket = new LeakyBucket({
    latencyAllowanceMs: 0,
    ...options,
    now: () => clock.t,
    sleep: async (ms) => {
      waits.push(ms);
      clock.t += ms;
    },
  });
  return { bucket, clock, waits };
}

describe('LeakyBucket', () => {
  it('lets a full bucket through at once, then paces at the drip rate', async () => {
    const { bucket, clock } = virtualBucket({ capacity: 5, dripPerSecond: 2 });
    const sentAt: number[] = [];
    for (let i = 0; i < 9; i += 1) {
      const ticket = await bucket.take(1);
      sentAt.push(ticket.sentAt);
      bucket.observe(ticket);
    }
    expect(sentAt).toEqual([0, 0, 0, 0, 0, 500, 1000, 1500, 2000]);
    expect(clock.t).toBe(2000);
  });

  it(
    'waits for the drips a dearer request needs, and sends one dearer than the whole bucket ' + 'when it is empty',
    async () => {
      const { bucket, clock } = virtualBucket({ capacity: 10, dripPerSecond: 1 });
      bucket.observe(await bucket.take(8));
      const ticket = await bucket.take(7);
      expect(ticket.sentAt).toBe(5000);
      expect(bucket.waitFor(25, clock.t)).toBe(10_000);
    },
  );

  it("trusts the server's level when it has counted drips the ledger cannot explain, but not latency", async () => {
    const { bucket, clock } = virtualBucket({ capacity: 10, dripPerSecond: 1 });
    const first = await bucket.take(1);
    clock.t += 200; // the answer comes back 200 ms later, the server having seen the request at once
    bucket.observe(first, { level: 1, capacity: 10, dripPerSecond: 1 });
    expect(bucket.currentLevel()).toBeCloseTo(0.8, 6);
    // Another client on the same bucket: the server says 6 where the ledger knew of 1.
    const second = await bucket.take(1);
    bucket.observe(second, { level: 6 });
    expect(bucket.currentLevel()).toBeCloseTo(6, 6);
  });

  it("lowers the ledger to the server's level once nothing else is in flight (a cost over-estimated)", async () => {
    const { bucket } = virtualBucket({ capacity: 10, dripPerSecond: 1 });
    const a = await bucket.take(3);
    const b = await bucket.take(3);
    bucket.observe(a, { level: 1 });
    expect(bucket.currentLevel()).toBe(6);
    bucket.observe(b, { level: 2 });
    // Plus a hundredth: the server's level may be rounded down.
    expect(bucket.currentLevel()).toBeCloseTo(2.01, 9);
  });

  it('learns capacity and drip rate from the answer', async () => {
    const { bucket } = virtualBucket({ capacity: 90, dripPerSecond: 1 });
    bucket.observe(await bucket.take(1), { level: 1, capacity: 30, dripPerSecond: 30, burstLimit: 20 });
    expect([bucket.capacity, bucket.dripPerSecond]).toEqual([30, 30]);
  });

  it('gives a refused request its drips back and holds everything until Retry-After has passed', async () => {
    const { bucket, clock } = virtualBucket({ capacity: 10, dripPerSecond: 1 });
    const ticket = await bucket.take(2);
    bucket.refund(ticket, 3000, { level: 10.5 });
    expect(bucket.currentLevel()).toBeCloseTo(10.51, 9);
    const next = await bucket.take(1);
    expect(next.sentAt).toBeGreaterThanOrEqual(3000);
    expect(clock.t).toBeGreaterThanOrEqual(3000);
  });

  it('keeps to a burst limit in any window', async () => {
    const { bucket } = virtualBucket({ capacity: 100, dripPerSecond: 100, burst: { limit: 3, windowMs: 1000 } });
    const sentAt: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const ticket = await bucket.take(1);
      sentAt.push(ticket.sentAt);
      bucket.observe(ticket);
    }
    expect(sentAt).toEqual([0, 0, 0, 1000, 1000, 1000, 2000]);
  });

  it('keeps a little of the capacity free for requests that reach the server late (the first burst only)', async () => {
    const { bucket } = virtualBucket({ capacity: 30, dripPerSecond: 30, latencyAllowanceMs: 100 });
    const sentAt: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      const ticket = await bucket.take(1);
      sentAt.push(ticket.sentAt);
      bucket.observe(ticket);
    }
    // 27 at once (3 drips, 100 ms of drip, kept free), then one every 1/30 s: the sustained rate is the drip rate.
    expect(sentAt.filter((t) => t === 0)).toHaveLength(27);
    expect(sentAt[39]! - sentAt[38]!).toBeCloseTo(1000 / 30, 6);
  });

  it('reads the X-LS headers', () => {
    expect(parseLevelHeader('92.57/90')).toEqual({ used: 92.57, capacity: 90 });
    expect(parseLevelHeader('1/20')).toEqual({ used: 1, capacity: 20 });
    expect(parseLevelHeader('nonsense')).toEqual({});
    expect(parseNumberHeader('1.5')).toBe(1.5);
    expect(parseNumberHeader(undefined)).toBeUndefined();
  });
});

describe("R-Series' documented request costs", () => {
  const sale = '/API/V3/Account/1/Sale.json';

  it('charges 1 drip a read, 10 for count=1', () => {
    expect(requestCost({ method: 'GET', path: '/API/V3/Account/1/Customer/7.json' })).toBe(1);
    expect(requestCost({ method: 'GET', path: '/API/V3/Account.json' })).toBe(1);
    expect(requestCost({ method: 'GET', path: '/API/V3/Account/1/Item.json', query: { count: '1' } })).toBe(10);
  });

  it('charges 2 for a sale write, 3 more when it completes the sale, 0.5 per nested entity', () => {
    expect(requestCost({ method: 'POST', path: sale, body: { customerID: 1 } })).toBe(2);
    const body = {
      completed: true,
      SaleLines: {
        SaleLine: [
          { itemID: 1, unitQuantity: 1 },
          { itemID: 2, unitQuantity: 1 },
        ],
      },
      SalePayments: { SalePayment: [{ paymentTypeID: 4, amount: '1' }] },
      SaleNotes: { InternalNote: { note: 'x' } },
    };
    expect(requestCost({ method: 'POST', path: sale, body })).toBe(2 + 3 + 4 * 0.5);
    expect(requestCost({ method: 'PUT', path: '/API/V3/Account/1/Sale/9.json', body: { completed: 'false' } })).toBe(2);
    expect(
      requestCost({
        method: 'POST',
        path: '/API/V3/Account/1/Customer.json',
        body: { firstName: 'A', Contact: { Emails: { ContactEmail: [{ address: 'a@example.com' }] } } },
      }),
    ).toBe(1.5);
  });

  it('charges loaded relations: 0.1 to-one, 0.2 to-many, doubled on a query', () => {
    expect(
      requestCost({
        method: 'GET',
        path: '/API/V3/Account/1/Customer/7.json',
        query: { load_relations: '["Contact","CreditAccount"]' },
      }),
    ).toBe(1.2);
    expect(
      requestCost({ method: 'GET', path: '/API/V3/Account/1/Item.json', query: { load_relations: '["ItemShops"]' } }),
    ).toBe(1.4);
    expect(
      requestCost({
        method: 'GET',
        path: '/API/V3/Account/1/Sale/3.json',
        query: { load_relations: '["SaleLines.Item"]' },
      }),
    ).toBe(1.2);
  });

  it('names the resource of a path', () => {
    expect(resourceOf('/API/V3/Account/1/Sale/9.json')).toEqual({ resource: 'Sale', single: true });
    expect(resourceOf('/API/V3/Account/1/ItemShop.json')).toEqual({ resource: 'ItemShop', single: false });
  });
});
