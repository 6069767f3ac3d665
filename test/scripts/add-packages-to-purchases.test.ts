// add-packages-to-purchases, table by table: purchase updates (map-fulfilment-to-sparklayer's output) against the
// SparkLayer purchases riding beside as `purchases`; each update's verdict, and the whole purchases to PUT.
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/envelope.js';
import { step } from '../../scripts/add-packages-to-purchases/step.js';
import { run } from '../support/run.js';

const money = (number: string) => ({ number, currency: 'GBP' });
const ORDERED = {
  line_items: [{ identifiers: { sku: 'TOWEL-LINEN-NAT' }, quantity: 12, line_total: { total_net: money('54.00') } }],
};
const pkg = (kind: 'shipment' | 'return', transaction: string, quantity = 1) => ({
  type: kind,
  identifiers: { internal: transaction },
  line_items: [{ identifiers: { sku: 'TOWEL-LINEN-NAT' }, quantity }],
});
const purchase = (id: string, packages: unknown = [ORDERED], more: Record<string, unknown> = {}) => ({
  type: 'order',
  purchase_identifiers: { sparklayer: id },
  customer_identifiers: { sparklayer: 'c-1' },
  currency_code: 'GBP',
  customer_reference: null,
  packages,
  ...more,
});
const update = (transaction: string, kind: 'shipment' | 'return' = 'shipment', more: Record<string, unknown> = {}) => ({
  purchase_id: 'sl-1',
  lookup_by: 'sparklayer',
  transaction_id: transaction,
  kind,
  ...(kind === 'shipment' ? { shipped_at: '2026-11-21' } : { returned_at: '2026-11-25' }),
  package: pkg(kind, transaction),
  ...more,
});

const add = (records: unknown[], purchases: unknown[]): Envelope => run(step, { records, purchases }).envelope;
/** The purchase as written for sl-1: as it came, these packages, and the PUT path. */
const written = (packages: unknown[], from: Record<string, unknown> = purchase('sl-1')) => ({
  ...from,
  packages,
  lookup_by: 'sparklayer',
  purchase_id: 'sl-1',
});

describe('add-packages-to-purchases', () => {
  type Row = [what: string, records: unknown[], purchases: unknown[], expected: unknown[]];
  const table: Row[] = [
    ['one shipment is added', [update('41')], [purchase('sl-1')], [written([ORDERED, pkg('shipment', '41')])]],
    [
      'a package with the same internal id is replaced where it stands, never added twice',
      [update('41', 'shipment', { package: pkg('shipment', '41', 3) })],
      [purchase('sl-1', [pkg('shipment', '41'), ORDERED])],
      [written([pkg('shipment', '41', 3), ORDERED])],
    ],
    [
      'two updates of one purchase make one purchase with both packages, in input order',
      [update('41'), update('42')],
      [purchase('sl-1')],
      [written([ORDERED, pkg('shipment', '41'), pkg('shipment', '42')])],
    ],
    [
      'a return is added beside a shipment',
      [update('CM-7', 'return', { original_transaction_id: '41' })],
      [purchase('sl-1', [ORDERED, pkg('shipment', '41')])],
      [written([ORDERED, pkg('shipment', '41'), pkg('return', 'CM-7')])],
    ],
    [
      'packages held as one object are read as a one-element list (the pack sends an array)',
      [update('41')],
      [purchase('sl-1', ORDERED)],
      [written([ORDERED, pkg('shipment', '41')], purchase('sl-1', ORDERED))],
    ],
    [
      'a purchase with no packages gets a list of one',
      [update('41')],
      [{ type: 'order', purchase_identifiers: { sparklayer: 'sl-1' } }],
      [
        {
          type: 'order',
          purchase_identifiers: { sparklayer: 'sl-1' },
          packages: [pkg('shipment', '41')],
          lookup_by: 'sparklayer',
          purchase_id: 'sl-1',
        },
      ],
    ],
    [
      'two purchases, each once, in the order of their first update',
      [
        update('41', 'shipment', { purchase_id: 'sl-2' }),
        update('42'),
        update('43', 'shipment', { purchase_id: 'sl-2' }),
      ],
      [purchase('sl-1'), purchase('sl-2')],
      [
        { ...written([ORDERED, pkg('shipment', '41'), pkg('shipment', '43')], purchase('sl-2')), purchase_id: 'sl-2' },
        written([ORDERED, pkg('shipment', '42')]),
      ],
    ],
  ];

  it.each(table)('%s', (_what, records, purchases, expected) => {
    const envelope = add(records, purchases);
    expect(envelope.exceptions).toEqual([]);
    expect(envelope.records).toStrictEqual(expected);
    // Counted per update: each passes, the purchase going out with the first of its updates.
    expect(envelope.summary['add-packages-to-purchases']).toEqual({
      in: records.length,
      records: records.length,
      skipped: 0,
      exceptions: 0,
    });
  });

  it('skips a package the purchase already holds as it is, so a re-run sends no purchase', () => {
    // What SparkLayer adds to a package it keeps (its own id, a computed total) is no change.
    const stored = {
      ...pkg('shipment', '41'),
      identifiers: { internal: '41', sparklayer_package_id: 'p-9' },
      calculated_weight: 3,
    };
    const { calculated_weight: _computed, ...storedLessCalculated } = stored;
    const rerun = add([update('41')], [purchase('sl-1', [ORDERED, stored])]);
    expect(rerun.records).toEqual([]);
    expect(rerun.skipped.map((s) => [s.id, s.reason])).toEqual([['41', 'unchanged']]);
    expect(rerun.summary['add-packages-to-purchases']).toEqual({ in: 1, records: 0, skipped: 1, exceptions: 0 });
    // One unchanged beside one new: the purchase goes out once, with the new update, both packages in it.
    const both = add([update('41'), update('42')], [purchase('sl-1', [ORDERED, stored])]);
    expect(both.skipped.map((s) => s.id)).toEqual(['41']);
    expect(both.records).toStrictEqual([written([ORDERED, storedLessCalculated, pkg('shipment', '42')])]);
    // A package whose quantity differs from what is held is a change: replaced.
    const changed = add(
      [update('41', 'shipment', { package: pkg('shipment', '41', 3) })],
      [purchase('sl-1', [stored])],
    );
    expect(changed.records).toStrictEqual([written([pkg('shipment', '41', 3)])]);
  });

  it('leaves out every calculated_* field, at any depth, and keeps every other field as it came', () => {
    const given = purchase('sl-1', [{ ...ORDERED, calculated_weight: 3 }], {
      calculated_total: money('54.00'),
      calculated_total_usd: { number: '70.00', currency: 'USD' },
      calculated_shipping_address: '7 Philosophy Way',
      calculated_fulfilment_status: 'processing',
      dates: { created_at: '2026-11-20T09:00:00+00:00', calculated_submitted_at: '2026-11-20T09:00:00+00:00' },
      revision_date: '2026-11-20T09:00:00+00:00',
      metadata: [{ name: 'calculated_by', value: 'kept: a value, not a key' }],
      custom_fields: [{ name: 'Delivery Date' }],
    });
    const [out] = add([update('41')], [given]).records as Array<Record<string, unknown>>;
    expect(out).toStrictEqual({
      type: 'order',
      purchase_identifiers: { sparklayer: 'sl-1' },
      customer_identifiers: { sparklayer: 'c-1' },
      currency_code: 'GBP',
      customer_reference: null,
      packages: [ORDERED, pkg('shipment', '41')],
      dates: { created_at: '2026-11-20T09:00:00+00:00' },
      revision_date: '2026-11-20T09:00:00+00:00',
      metadata: [{ name: 'calculated_by', value: 'kept: a value, not a key' }],
      custom_fields: [{ name: 'Delivery Date' }],
      lookup_by: 'sparklayer',
      purchase_id: 'sl-1',
    });
    // Field order as it came (packages where they stood), the two path fields last.
    const kept = Object.keys(given).filter((key) => !key.startsWith('calculated_'));
    expect(Object.keys(out!)).toEqual([...kept, 'lookup_by', 'purchase_id']);
  });

  it('is idempotent: its own output, read back as SparkLayer holds it, gives nothing to write again', () => {
    const records = [update('41'), update('CM-7', 'return')];
    const first = add(records, [purchase('sl-1', [ORDERED], { calculated_total: money('54.00') })]).records;
    const stored = (first as Array<Record<string, unknown>>).map(({ lookup_by: _l, purchase_id: _p, ...rest }) => ({
      ...rest,
      calculated_total: money('54.00'),
    }));
    const again = add(records, stored);
    expect(again.records).toEqual([]);
    expect(again.skipped.map((s) => [s.id, s.reason])).toEqual([
      ['41', 'unchanged'],
      ['CM-7', 'unchanged'],
    ]);
  });

  it('takes lookup_by from the purchase identifier that names it (platform when there is no sparklayer id)', () => {
    const byPlatform = { type: 'order', purchase_identifiers: { platform: 5123456789013 }, packages: [] };
    const [out] = add([update('41', 'shipment', { purchase_id: '5123456789013', lookup_by: 'platform' })], [byPlatform])
      .records as Array<Record<string, unknown>>;
    expect(out).toMatchObject({ lookup_by: 'platform', purchase_id: '5123456789013' });
  });

  it('keeps an update whose purchase is not beside or cannot be read whole in exceptions; the good one goes on', () => {
    const lost = update('45', 'shipment', { purchase_id: 'sl-9999' });
    const lostReturn = update('CM-8', 'return', { purchase_id: 'sl-9999' });
    const broken = update('46', 'shipment', { purchase_id: 'sl-2' });
    const malformed = { ...update('47'), package: { type: 'shipment' } };
    const envelope = add(
      [lost, update('41'), lostReturn, broken, malformed],
      [purchase('sl-1'), purchase('sl-2', 'none')],
    );
    expect(envelope.records).toStrictEqual([written([ORDERED, pkg('shipment', '41')])]);
    expect(envelope.exceptions.map(({ id, code, owner, record }) => [id, code, owner, record])).toEqual([
      ['45', 'UNLINKED_FULFILMENT', 'operations', lost],
      ['CM-8', 'UNLINKED_RETURN', 'operations', lostReturn],
      ['46', 'INVALID_ORDER', 'customer service', broken],
      ['47', 'INVALID_RECORD', 'integration', malformed],
    ]);
    expect(envelope.exceptions[0]!.message).toContain('sl-9999');
    expect(envelope.exceptions[2]!.message).toMatch(/^purchase sl-2: purchases\[1\]\.packages: /);
    expect(envelope.exceptions[3]!.message).toContain('package.identifiers');
    expect(envelope.summary['add-packages-to-purchases']).toEqual({ in: 5, records: 1, skipped: 0, exceptions: 4 });
  });

  it('counts the purchases written in meta and the log line', () => {
    const { data } = run(step, { records: [update('41'), update('42')], purchases: [purchase('sl-1')] });
    expect(data.meta).toMatchObject({ add_packages_to_purchases_purchases: '1', add_packages_to_purchases_in: '2' });
    expect(String(data.logs)).toContain('purchases 1');
  });
});
