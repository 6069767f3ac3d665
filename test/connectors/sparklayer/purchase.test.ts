// A purchase's change time, read from what SparkLayer's documented responses carry (dates.updated_at, revision_date;
// https://docs.sparklayer.io/tech-docs/lMM2-get-purchase) and never from a key only the legacy filter names use, and
// plan-order-pull's use of it: a waiting order is fed in again unless the pull will bring it (the step's other
// tests are in test/scripts/order-queue-steps.test.ts; filter-live-orders' use is in
// test/scripts/filter-live-orders.test.ts).
import { describe, expect, it } from 'vitest';
import { PURCHASE_CHANGE_TIME_FIELDS, purchaseChangedAt } from '../../../connectors/sparklayer/purchase.js';
import { step as plan } from '../../../scripts/plan-order-pull/step.js';
import { fixturePurchases } from '../../support/purchases.js';
import { ids, run } from '../../support/run.js';

const at = (text: string) => Date.parse(text);

describe('purchaseChangedAt', () => {
  it('reads dates.updated_at, the change time the documented example response carries, offset and all', () => {
    const documented = {
      dates: {
        created_at: '2020-01-01T00:00:00+02:00',
        updated_at: '2020-01-01T00:00:00+02:00',
        placed_at: '2020-01-01T00:00:00+02:00',
        calculated_submitted_at: '2020-01-01T00:00:00+02:00',
      },
      revision_date: '2020-01-01T00:00:00+02:00',
    };
    expect(purchaseChangedAt(documented)).toBe(at('2019-12-31T22:00:00Z'));
  });

  it('reads every fixture purchase, which carry only the documented dates', () => {
    for (const record of fixturePurchases()) {
      const dates = record.dates as Record<string, string>;
      expect(Object.keys(dates)).not.toContain('last_updated');
      expect(purchaseChangedAt(record)).toBe(at(dates.updated_at!));
    }
  });

  it('prefers dates.updated_at, then revision_date, then the legacy dates.last_updated', () => {
    expect(PURCHASE_CHANGE_TIME_FIELDS).toEqual(['dates.updated_at', 'revision_date', 'dates.last_updated']);
    const all = {
      dates: { updated_at: '2026-11-22T08:00:00+00:00', last_updated: '2026-11-22T07:00:00+00:00' },
      revision_date: '2026-11-22T06:00:00+00:00',
    };
    expect(purchaseChangedAt(all)).toBe(at('2026-11-22T08:00:00Z'));
    expect(purchaseChangedAt({ ...all, dates: { last_updated: all.dates.last_updated } })).toBe(
      at('2026-11-22T06:00:00Z'),
    );
    expect(purchaseChangedAt({ dates: { last_updated: '2026-11-22T07:00:00+00:00' } })).toBe(
      at('2026-11-22T07:00:00Z'),
    );
  });

  it('reads through parseInstant: no offset is UTC, an impossible date is refused and the next field read', () => {
    expect(purchaseChangedAt({ dates: { updated_at: '2026-11-22T08:00:00' } })).toBe(at('2026-11-22T08:00:00Z'));
    expect(purchaseChangedAt({ dates: { updated_at: '2026-02-30T08:00:00Z' } })).toBeUndefined();
    expect(
      purchaseChangedAt({ dates: { updated_at: '2026-02-30T08:00:00Z' }, revision_date: '2026-02-28T08:00:00Z' }),
    ).toBe(at('2026-02-28T08:00:00Z'));
    expect(purchaseChangedAt({ dates: { updated_at: 'yesterday' } })).toBeUndefined();
  });

  it.each([
    ['no dates at all', { type: 'order' }],
    ['empty dates', { dates: {} }],
    ['only dates the change time is not (created_at, placed_at)', { dates: { created_at: '2026-11-22T08:00:00Z' } }],
    ['a legacy dates.placed', { dates: { placed: '2026-11-22T08:00:00Z' } }],
    ['a number', { dates: { updated_at: 1_763_798_400_000 } }],
    ['dates not an object', { dates: '2026-11-22T08:00:00Z' }],
    ['null', null],
    ['a string', '2026-11-22T08:00:00Z'],
  ])('is undefined for %s: unknown, never "unchanged"', (_, record) => {
    expect(purchaseChangedAt(record)).toBeUndefined();
  });
});

describe('plan-order-pull: an order still waiting is fed in again unless the pull brings it', () => {
  const T0 = '2026-11-22T09:00:00.000Z';
  // The pull starts at the watermark less the 30-minute overlap: 08:30.
  const waiting = (id: string, record: Record<string, unknown>) => ({
    key: id,
    label: id,
    code: 'UNMAPPED_ACCOUNT',
    owner: 'finance',
    message: 'Company ID c9d8 has no ERP account',
    record: { type: 'order', purchase_identifiers: { sparklayer: id }, ...record },
    replay: true,
    first_seen: T0,
    last_seen: T0,
    notified_at: T0,
  });
  const fedIn = (...entries: Array<ReturnType<typeof waiting>>) =>
    ids(run(plan, { queue: [{ watermark: T0, entries }] }, { variables: { as_of: T0 } }).envelope.records);

  it('reads only the documented fields: changed since the pull starts, not fed in; before, fed in', () => {
    expect(
      fedIn(
        waiting('changed', { dates: { updated_at: '2026-11-22T08:40:00+00:00' } }),
        waiting('unchanged', { dates: { updated_at: '2026-11-22T08:00:00+00:00' } }),
        waiting('revised', { dates: {}, revision_date: '2026-11-22T08:30:00+00:00' }),
        waiting('in-another-offset', { dates: { updated_at: '2026-11-22T10:29:59+02:00' } }),
      ),
    ).toEqual(['unchanged', 'in-another-offset']);
  });

  it('feeds in again an order whose change time is missing or unreadable', () => {
    expect(
      fedIn(
        waiting('no-dates', {}),
        waiting('created-only', { dates: { created_at: '2026-11-22T08:40:00+00:00' } }),
        waiting('impossible', { dates: { updated_at: '2026-02-30T08:40:00+00:00' } }),
        waiting('text', { dates: { updated_at: 'just now' } }),
      ),
    ).toEqual(['no-dates', 'created-only', 'impossible', 'text']);
  });

  it('still reads a kept record with only the legacy dates.last_updated', () => {
    expect(fedIn(waiting('legacy', { dates: { last_updated: '2026-11-22T08:40:00+00:00' } }))).toEqual([]);
  });
});
