// The two steps that close an order flow's loop, in-process: plan-order-pull (what to pull, what to feed in again)
// and keep-order-queue (the new queue, what to track, who to tell now). The flows that run them as built are in
// test/blueprints/order-queue.test.ts.
import { describe, expect, it, vi } from 'vitest';
import { recordKey, type OrderQueue, type QueueEntry } from '../../model/order-queue.js';
import { step as keep } from '../../scripts/keep-order-queue/step.js';
import { step as plan } from '../../scripts/plan-order-pull/step.js';
import { run } from '../support/run.js';

const T0 = '2026-11-22T09:00:00.000Z';
const purchase = (id: string, visible: string, lastUpdated = '2026-11-22T08:00:00+00:00') => ({
  type: 'order',
  purchase_identifiers: { sparklayer: id, visible },
  dates: { last_updated: lastUpdated },
});
const entry = (record: ReturnType<typeof purchase>, over: Partial<QueueEntry> = {}): QueueEntry => ({
  key: record.purchase_identifiers.sparklayer,
  label: record.purchase_identifiers.visible,
  code: 'UNMAPPED_ACCOUNT',
  owner: 'finance',
  message: 'Company ID c9d8 has no ERP account',
  record,
  replay: true,
  first_seen: T0,
  last_seen: T0,
  notified_at: T0,
  ...over,
});
const queue = (entries: QueueEntry[], watermark = T0): OrderQueue => ({ watermark, entries });

describe('plan-order-pull', () => {
  it('pulls from the watermark less the overlap, and feeds in again each waiting order the pull will not bring', () => {
    const old = purchase('p-old', 'B2B1', '2026-11-20T10:00:00+00:00');
    const fresh = purchase('p-fresh', 'B2B2', '2026-11-22T08:45:00+00:00');
    const parked = { ...entry(purchase('p-body', 'B2B3')), replay: false };
    const { data, envelope } = run(
      plan,
      { queue: [queue([entry(old), entry(fresh), parked])] },
      { variables: { as_of: '2026-11-22T09:15:00Z' } },
    );
    expect(data.meta).toMatchObject({
      pull_since: '2026-11-22T08:30:00.000Z',
      pull_started_at: '2026-11-22T09:15:00.000Z',
      pull_from: 'watermark',
    });
    // p-fresh changed after 08:30: the pull brings SparkLayer's copy; a record that is not a purchase is kept, not fed
    // in.
    expect(envelope.records).toEqual([old]);
  });

  it('looks back lookback_days with no queue, and never from a watermark in the future', () => {
    expect(run(plan, { queue: [] }, { variables: { as_of: T0, lookback_days: '7' } }).data.meta).toMatchObject({
      pull_since: '2026-11-15T09:00:00.000Z',
      pull_from: 'lookback',
    });
    const ahead = run(plan, { queue: [queue([], '2026-11-23T00:00:00Z')] }, { variables: { as_of: T0 } });
    expect(ahead.data.meta).toMatchObject({ pull_since: '2026-11-22T08:30:00.000Z' });
  });

  it('gives the UTC day of pull_since as pull_since_date, for a read by date only', () => {
    expect(run(plan, { queue: [] }, { variables: { as_of: T0, lookback_days: '7' } }).data.meta).toMatchObject({
      pull_since: '2026-11-15T09:00:00.000Z',
      pull_since_date: '2026-11-15',
    });
    // An offset as_of: the day is UTC's, never later than the instant.
    const late = run(plan, { queue: [] }, { variables: { as_of: '2026-11-22T00:30:00+02:00', lookback_days: '1' } });
    expect(late.data.meta).toMatchObject({ pull_since: '2026-11-20T22:30:00.000Z', pull_since_date: '2026-11-20' });
  });

  it('reads the clock when as_of is empty, and says so in its log', () => {
    vi.useFakeTimers({ now: new Date('2026-12-03T10:00:00Z') });
    try {
      const { data } = run(plan, { queue: [] }, { variables: { as_of: '' } });
      expect(data.meta).toMatchObject({
        pull_started_at: '2026-12-03T10:00:00.000Z',
        pull_since: '2026-11-03T10:00:00.000Z',
      });
      expect(data.logs![0]).toBe('plan-order-pull: as_of 2026-12-03T10:00:00.000Z (the clock)');
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a look-back past the data pool and an as_of that is not an instant, naming the setting', () => {
    expect(() => run(plan, { queue: [] }, { variables: { as_of: T0, lookback_days: '91' } })).toThrow(
      /plan-order-pull: setting "lookback_days" is not valid: 91 days; it must be 1 to 90/,
    );
    expect(() => run(plan, { queue: [] }, { variables: { as_of: '22/11/2026' } })).toThrow(
      /plan-order-pull: setting "as_of" is not valid: must be an ISO 8601 date-time with its offset/,
    );
  });

  it('pulls as with no queue without a readable watermark, and says how many entries it could not read', () => {
    const { data, envelope } = run(
      plan,
      { queue: [{ watermark: 'yesterday', entries: [{ key: 'p-1' }] }] },
      { variables: { as_of: T0 } },
    );
    expect(envelope.exceptions).toEqual([]);
    expect(data.meta).toMatchObject({ pull_from: 'lookback', queue_unreadable: '1' });
  });
});

describe('keep-order-queue', () => {
  const booked = purchase('p-booked', 'B2B01123');
  const unmapped = purchase('p-unmapped', 'B2B01128');
  const refusedOrder = purchase('p-refused', 'B2B01130');
  const mappedWith = (over: Record<string, unknown> = {}) => ({
    bodies: [{ externalId: 'p-booked' }, { externalId: 'p-refused' }],
    exceptions: [],
    notices: [],
    ...over,
  });
  const unmappedException = {
    id: 'p-unmapped',
    step: 'resolve-erp-account',
    code: 'UNMAPPED_ACCOUNT',
    owner: 'finance',
    message: 'Company ID c9d8 has no ERP account',
    record: unmapped,
  };
  const keepRun = (payload: Record<string, unknown>, asOf = T0) =>
    run(
      keep,
      { considered: [booked, unmapped, refusedOrder], queue: [], refused: [], undecided: [], ...payload },
      { variables: { system: 'netsuite', as_of: asOf } },
    );
  const written = (envelope: { [key: string]: unknown }) =>
    envelope as unknown as {
      queue: OrderQueue;
      due_alerts: Array<{ key: string; what: string; text: string; owner: string }>;
      due_notices: Array<{ key: string; text: string }>;
    };

  it('passes only what the back-end took, queues the rest whole, and tells each owner once', () => {
    const { envelope } = keepRun({
      mapped: [
        mappedWith({
          exceptions: [unmappedException],
          notices: [
            {
              id: 'p-booked',
              step: 'map-order-to-netsuite',
              code: 'ON_ACCOUNT_HELD',
              owner: 'finance',
              message: 'B2B01123 held for finance',
            },
            {
              id: 'p-refused',
              step: 'map-order-to-netsuite',
              code: 'NO_PO_NUMBER',
              owner: 'customer service',
              message: 'B2B01130 booked without a PO number',
            },
          ],
        }),
      ],
      refused: [
        {
          error: 'HTTP 400 Invalid Field Value 999 for the following field: entity',
          shape: 'Upsert NetSuite sales order',
          record: { externalId: 'p-refused' },
        },
      ],
    });
    expect(envelope.records).toEqual([booked]);
    const { queue: kept, due_alerts: alerts, due_notices: notices } = written(envelope);
    expect(kept.watermark).toBe(T0);
    expect(kept.entries.map((e) => [e.key, e.code, e.owner, e.replay, e.record])).toEqual([
      ['p-unmapped', 'UNMAPPED_ACCOUNT', 'finance', true, unmapped],
      ['p-refused', 'BACKEND_REFUSED', 'integration', true, refusedOrder],
    ]);
    expect(kept.entries[1]!.message).toBe(
      'Upsert NetSuite sales order: HTTP 400 Invalid Field Value 999 for the following field: entity',
    );
    expect(alerts.map((a) => [a.key, a.owner, a.what])).toEqual([
      ['p-unmapped', 'finance', 'not booked'],
      ['p-refused', 'integration', 'not booked'],
    ]);
    // The refused order's NO_PO notice is not sent: it was not booked.
    expect(notices.map((n) => [n.key, n.text])).toEqual([['p-booked', 'B2B01123 held for finance']]);
  });

  it(
    'keeps first_seen, stays quiet until reminder_hours pass or the problem changes, ' + 'and clears what is booked',
    () => {
      const before = queue([
        entry(unmapped),
        entry(refusedOrder, {
          code: 'BACKEND_REFUSED',
          owner: 'integration',
          message: 'Upsert NetSuite sales order: HTTP 400 old reason',
        }),
      ]);
      const refusal = {
        error: 'HTTP 400 new reason',
        shape: 'Upsert NetSuite sales order',
        record: { externalId: 'p-refused' },
      };
      const later = written(
        keepRun(
          { queue: [before], mapped: [mappedWith({ exceptions: [unmappedException] })], refused: [refusal] },
          '2026-11-22T12:00:00.000Z',
        ).envelope,
      );
      expect(later.queue.entries.map((e) => [e.key, e.first_seen, e.last_seen, e.notified_at])).toEqual([
        ['p-unmapped', T0, '2026-11-22T12:00:00.000Z', T0],
        ['p-refused', T0, '2026-11-22T12:00:00.000Z', '2026-11-22T12:00:00.000Z'],
      ]);
      // Only the changed refusal is told again, as new; it has waited since T0 whatever the reason.
      expect(later.due_alerts.map((a) => [a.key, a.what])).toEqual([['p-refused', 'not booked']]);

      const nextDay = written(
        keepRun(
          {
            queue: [before],
            mapped: [
              mappedWith({
                exceptions: [unmappedException],
                bodies: [{ externalId: 'p-booked' }, { externalId: 'p-refused' }],
              }),
            ],
          },
          '2026-11-23T09:00:00.000Z',
        ).envelope,
      );
      expect(nextDay.due_alerts.map((a) => [a.key, a.what])).toEqual([
        ['p-unmapped', 'still not booked (since 2026-11-22)'],
      ]);
      // The refused order went through this time: its entry is gone.
      expect(nextDay.queue.entries.map((e) => e.key)).toEqual(['p-unmapped']);
    },
  );

  it('keys a purchase with no id by its record, and never names an order with an empty id', () => {
    const anonymous = { type: 'order', purchase_identifiers: {} };
    const missing = {
      id: null,
      step: 'filter-live-orders',
      code: 'MISSING_PURCHASE_ID',
      owner: 'integration',
      message: 'purchase_identifiers: has none',
      record: anonymous,
    };
    const { envelope } = run(
      keep,
      { considered: [anonymous], queue: [], mapped: [{ bodies: [], exceptions: [missing], notices: [] }] },
      { variables: { as_of: T0 } },
    );
    const { queue: kept, due_alerts: alerts } = written(envelope);
    expect(kept.entries.map((e) => [e.key, e.label])).toEqual([
      [recordKey(anonymous), `with no id (${recordKey(anonymous)})`],
    ]);
    expect(recordKey(anonymous)).toMatch(/^record:[0-9a-f]{14}$/);
    expect(recordKey(structuredClone(anonymous))).toBe(recordKey(anonymous));
    expect(alerts[0]!.text).toBe('purchase_identifiers: has none');
  });

  it(
    'keeps an entry whose purchase did not come through at all, and queues every purchase when nothing ' +
      'says what became of it',
    () => {
      const absent = entry(purchase('p-gone', 'B2B9'));
      const quiet = written(
        run(
          keep,
          { considered: [], queue: [queue([absent])], mapped: [] },
          { variables: { as_of: '2026-11-22T09:15:00Z' } },
        ).envelope,
      );
      expect(quiet.queue.entries).toEqual([absent]);
      expect(quiet.queue.watermark).toBe('2026-11-22T09:15:00.000Z');

      const blind = run(keep, { considered: [booked], queue: [], mapped: [] }, { variables: { as_of: T0 } });
      expect(blind.envelope.records).toEqual([]);
      expect(blind.envelope.exceptions.map((e) => [e.id, e.code, e.owner])).toEqual([
        ['p-booked', 'OUTCOME_MISSING', 'integration'],
      ]);
      expect(written(blind.envelope).queue.entries.map((e) => [e.key, e.code])).toEqual([
        ['p-booked', 'OUTCOME_MISSING'],
      ]);
    },
  );

  it('reads its instant from meta pull_started_at when as_of is empty', () => {
    const { envelope } = run(
      keep,
      { considered: [], queue: [], mapped: [] },
      { meta: { pull_started_at: '2026-11-22T10:00:00.000Z' } },
    );
    expect(written(envelope).queue.watermark).toBe('2026-11-22T10:00:00.000Z');
    expect(() => run(keep, { considered: [], mapped: [] }, { meta: { pull_started_at: 'soon' } })).toThrow(
      /keep-order-queue: setting "as_of" is not valid: meta pull_started_at is "soon"/,
    );
  });

  it('finds the purchase of an X-Series and an R-Series body as their mappers wrote it', () => {
    const x = run(
      keep,
      { considered: [booked], mapped: [{ bodies: [{ id: 'sale-1', source: { id: 'p-booked' } }] }] },
      { variables: { system: 'lightspeed-x', as_of: T0 } },
    );
    expect(x.envelope.records).toEqual([booked]);
    const r = run(
      keep,
      {
        considered: [booked],
        mapped: [
          {
            bodies: [
              {
                SaleNotes: { InternalNote: { note: 'SparkLayer order B2B01123; SparkLayer purchase p-booked; PO 1' } },
              },
            ],
          },
        ],
      },
      { variables: { system: 'lightspeed-r', as_of: T0 } },
    );
    expect(r.envelope.records).toEqual([booked]);
  });
});
