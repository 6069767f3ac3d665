import { describe, expect, it } from 'vitest';
import { toPatchworksHandler } from '../../runtime/step.js';
import { step } from '../../scripts/reconcile-order-totals/step.js';
import { fixturePurchases } from '../support/purchases.js';
import { run } from '../support/run.js';
import { CART_IDS, shopify, withoutFirstSku } from '../support/shopify-orders.js';

// The documented order: lines 96.00 + 54.00 net, shipping 7.50, VAT 20 %: net 157.50, tax 31.50, gross 189.00.
const source = fixturePurchases().find((p) => p.type === 'order')!;
const ID = (source.purchase_identifiers as { sparklayer: string }).sparklayer;
const exact = { reference: ID, currency: 'GBP', net: '157.50', tax: '31.50', gross: '189.00', shipping: '7.50' };
const reconcile = (target: unknown[], variables: Record<string, string> = {}, sources: unknown[] = [source]) =>
  run(step, { source: sources, target }, { variables }).envelope;

describe('reconcile-order-totals', () => {
  it('passes an order whose totals match, noting what it matched', () => {
    const envelope = reconcile([exact]);
    expect(envelope.exceptions).toEqual([]);
    expect(envelope.records).toEqual([
      {
        ...source,
        reconciliation: { target: ID, currency: 'GBP', net: '157.50', tax: '31.50', gross: '189.00', shipping: '7.50' },
      },
    ]);
  });

  it('tolerates a difference within the tolerance and reports one beyond it, naming each field', () => {
    expect(reconcile([{ ...exact, tax: '31.51', gross: '189.01' }]).exceptions).toEqual([]);
    const envelope = reconcile([{ ...exact, tax: '31.52', gross: '189.02' }]);
    expect(envelope.exceptions).toEqual([
      {
        id: ID,
        step: 'reconcile-order-totals',
        code: 'TOTAL_MISMATCH',
        message:
          'tax: expected 31.50, actual 31.52, difference +0.02; gross: expected 189.00, actual 189.02, ' +
          'difference +0.02',
        record: source,
        owner: 'finance',
        details: {
          target: ID,
          currency: 'GBP',
          differences: [
            { field: 'tax', expected: '31.50', actual: '31.52', difference: '+0.02' },
            { field: 'gross', expected: '189.00', actual: '189.02', difference: '+0.02' },
          ],
        },
      },
    ]);
  });

  it('sums exactly in decimal: at tolerance 0 the exact totals match and a 0.001 difference does not', () => {
    expect(reconcile([exact], { tolerance: '0' }).exceptions).toEqual([]);
    const envelope = reconcile([{ ...exact, net: '157.499' }], { tolerance: '0' });
    expect(envelope.exceptions[0]!.message).toBe('net: expected 157.50, actual 157.499, difference -0.001');
  });

  it('reports a shipping difference even when net and gross agree', () => {
    const envelope = reconcile([{ ...exact, shipping: '9.00' }]);
    expect(envelope.exceptions[0]!.message).toBe('shipping: expected 7.50, actual 9.00, difference +1.50');
  });

  it('reports a currency difference on its own', () => {
    const envelope = reconcile([{ ...exact, currency: 'eur' }]);
    expect(envelope.exceptions.map((e) => [e.code, e.message])).toEqual([
      ['CURRENCY_MISMATCH', 'currency: expected GBP, actual EUR'],
    ]);
  });

  it('reports orders missing in the ERP, and ERP orders unknown to SparkLayer, each kept whole', () => {
    const stranger = { reference: 'ERP-ONLY-1', currency: 'GBP', net: '1', tax: '0', gross: '1' };
    const envelope = reconcile([stranger]);
    expect(envelope.exceptions.map((e) => [e.id, e.code])).toEqual([
      [ID, 'MISSING_IN_TARGET'],
      ['ERP-ONLY-1', 'UNKNOWN_TARGET_ORDER'],
    ]);
    expect(envelope.exceptions[1]!.record).toEqual(stranger);
    // Both sides are counted: one source order and one target nobody claimed.
    expect(envelope.summary['reconcile-order-totals']).toEqual({ in: 2, records: 0, skipped: 0, exceptions: 2 });
  });

  it('matches by any purchase identifier, or by a PO only one order carries', () => {
    const visible = (source.purchase_identifiers as { visible: string }).visible;
    expect(reconcile([{ ...exact, reference: visible }]).exceptions).toEqual([]);
    expect(reconcile([{ ...exact, reference: 'SO-000123', po: 'PO-4471' }]).exceptions).toEqual([]);
    const twin = { ...source, purchase_identifiers: { sparklayer: 'other-order' } };
    const envelope = reconcile([{ ...exact, reference: 'SO-000123', po: 'PO-4471' }], {}, [source, twin]);
    expect(envelope.exceptions.map((e) => e.code)).toEqual([
      'MISSING_IN_TARGET',
      'MISSING_IN_TARGET',
      'UNKNOWN_TARGET_ORDER',
    ]);
  });

  it('reports a second back-end order for the same SparkLayer order as a duplicate', () => {
    const envelope = reconcile([exact, { ...exact }]);
    expect(envelope.records).toHaveLength(1);
    expect(envelope.exceptions.map((e) => e.code)).toEqual(['DUPLICATE_TARGET_ORDER']);
  });

  it(
    'reads native NetSuite sales orders: total, taxTotal, ' + 'shippingCost, externalId, currency through currency_ids',
    () => {
      const salesOrder = {
        id: '5512',
        externalId: ID,
        otherRefNum: 'PO-4471',
        currency: { id: '1', refName: 'British pound' },
        total: 189,
        taxTotal: 31.5,
        shippingCost: 7.5,
      };
      expect(reconcile([salesOrder], { currency_ids: 'left_value,right_value\nGBP,1' }).exceptions).toEqual([]);
      const unreadable = reconcile([salesOrder]).exceptions;
      expect(unreadable.map((e) => [e.code, e.message])).toEqual([
        ['MISSING_IN_TARGET', `SparkLayer order ${ID} has no back-end order`],
        [
          'INVALID_TARGET_ORDER',
          'currency "British pound" is not an ISO code: add its NetSuite currency internal ID to currency_ids',
        ],
      ]);
      const mismatched = reconcile([{ ...salesOrder, total: 189.02, taxTotal: 31.52 }], {
        currency_ids: '{"GBP": "1"}',
      }).exceptions;
      expect(mismatched[0]!.message).toBe(
        'tax: expected 31.50, actual 31.52, difference +0.02; gross: expected 189.00, actual 189.02, difference +0.02',
      );
    },
  );

  it('makes an unreadable target an INVALID_TARGET_ORDER exception, not a crash', () => {
    const envelope = reconcile([{ reference: ID, currency: 'GBP', net: 'lots' }]);
    expect(envelope.exceptions.map((e) => e.code)).toEqual(['MISSING_IN_TARGET', 'INVALID_TARGET_ORDER']);
  });

  it('skips purchases that are not orders', () => {
    expect(reconcile([], {}, [{ ...source, type: 'quote' }]).skipped.map((s) => s.reason)).toEqual(['type:quote']);
  });

  it('leaves counters a notify shape can alert on', () => {
    const { data } = run(step, { source: [source], target: [{ ...exact, gross: '200.00' }] });
    expect(data.meta).toMatchObject({
      reconcile_order_totals_exceptions_total_mismatch: '1',
      reconcile_order_totals_records: '0',
    });
    expect(data.logs![0]).toBe('reconcile-order-totals: 1 in, 0 passed, 0 skipped, 1 exceptions (TOTAL_MISMATCH 1)');
  });

  it.each([
    [
      { tolerance: '-1' },
      'reconcile-order-totals: setting "tolerance" is not valid: must be a decimal amount of 0 or more, ' +
        'such as 0.01 (from variables: "-1").',
    ],
    [
      { tolerance: '1p' },
      'reconcile-order-totals: setting "tolerance" is not valid: must be a decimal amount of 0 or more, ' +
        'such as 0.01 (from variables: "1p")',
    ],
    [{ currency_ids: 'iso,id\nGBP,1' }, 'reconcile-order-totals: setting "currency_ids"'],
  ])('fails the whole step on a bad setting %j', async (variables, message) => {
    await expect(
      toPatchworksHandler(step)({ payload: JSON.stringify({ source: [], target: [] }), variables }),
    ).rejects.toThrow(message);
  });
});

describe('reconcile-order-totals with order_format (Shopify orders booked by SparkLayer checkout)', () => {
  const { graphql, rest } = shopify;
  const reconcileShopify = (format: string, sources: unknown[], target: unknown[]) =>
    run(step, { source: sources, target }, { variables: { order_format: format } }).envelope;
  // The paid card order: gross 51.00 (test/connectors/shopify/order-reader.test.ts); the back-end's totals as read.
  const cardTotals = { currency: 'GBP', net: '42.50', tax: '8.50', gross: '51.00', shipping: '6.50' };

  it.each([
    ['shopify_graphql', graphql.cardOrder],
    ['shopify_rest', rest.cardOrder],
  ] as const)('%s: passes the paid card order whose back-end totals match, found by sparkCartId', (format, record) => {
    const envelope = reconcileShopify(format, [record], [{ reference: CART_IDS.cardOrder, ...cardTotals }]);
    expect(envelope.exceptions).toEqual([]);
    expect(envelope.records).toEqual([{ ...record, reconciliation: { target: CART_IDS.cardOrder, ...cardTotals } }]);
  });

  it('finds the back-end order by the Shopify name too; skips the quote draft and reports its back-end order', () => {
    const envelope = reconcileShopify(
      'shopify_graphql',
      [graphql.cardOrder, graphql.quoteDraft],
      [
        { reference: '#1042', ...cardTotals, gross: '52.00' },
        { reference: CART_IDS.quoteDraft, ...cardTotals },
      ],
    );
    expect(envelope.skipped.map((entry) => [entry.id, entry.reason])).toEqual([[CART_IDS.quoteDraft, 'type:quote']]);
    expect(envelope.exceptions.map((entry) => [entry.id, entry.code])).toEqual([
      [CART_IDS.cardOrder, 'TOTAL_MISMATCH'],
      [CART_IDS.quoteDraft, 'UNRECONCILED_TARGET_ORDER'],
    ]);
  });

  it('a record that cannot be read is INVALID_ORDER naming the field; its neighbour is reconciled', () => {
    const broken = withoutFirstSku(rest.b2bDraft);
    const envelope = reconcileShopify(
      'shopify_rest',
      [broken, rest.cardOrder],
      [{ reference: CART_IDS.cardOrder, ...cardTotals }],
    );
    expect(envelope.records).toHaveLength(1);
    expect(envelope.exceptions).toEqual([
      expect.objectContaining({ id: CART_IDS.b2bDraft, code: 'INVALID_ORDER', record: broken }),
    ]);
    expect(envelope.exceptions[0]!.message).toContain('line_items[0].sku: missing');
  });
});
