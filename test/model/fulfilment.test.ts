// Fulfilled and returned quantities per SKU across several transactions, against what the purchase ordered:
// partial shipments add up, a transaction fed twice counts once, and a line shipped or returned past what it may is
// named with its SKU and quantities.
import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { purchaseProgress, type CanonicalReturn, type Fulfilment, type OrderedLine } from '../../model/fulfilment.js';
import { Money } from '../../model/money.js';

const PURCHASE = 'sl-1001';
const ordered = (lines: Record<string, string>): OrderedLine[] =>
  Object.entries(lines).map(([sku, quantity]) => ({ sku, quantity: new Big(quantity) }));
const lines = (quantities: Record<string, string>) =>
  Object.entries(quantities).map(([sku, quantity]) => ({ sku, quantity: new Big(quantity) }));

const shipment = (id: string, quantities: Record<string, string>, purchase = PURCHASE): Fulfilment => ({
  purchase_id: purchase,
  transaction_id: id,
  source: 'netsuite',
  status: 'shipped',
  shipped_at: '2026-11-21',
  lines: lines(quantities),
});
const returned = (id: string, quantities: Record<string, string>, createdFrom?: string): CanonicalReturn => ({
  purchase_id: PURCHASE,
  transaction_id: id,
  original_transaction_id: '18',
  ...(createdFrom === undefined ? {} : { created_from: createdFrom }),
  source: 'netsuite',
  returned_at: '2026-12-01',
  lines: lines(quantities),
  refund: Money.of('3.33', 'GBP'),
});

/** Each line's totals as text, for equality that reads as the table. */
const totals = (progress: ReturnType<typeof purchaseProgress>) =>
  Object.fromEntries(
    progress.lines.map((l) => [l.sku, [l.ordered.toFixed(), l.fulfilled.toFixed(), l.returned.toFixed()]]),
  );

describe('purchaseProgress', () => {
  const order = ordered({ 'CHALK-250': '3', 'ROPE-60': '1' });

  it.each([
    {
      name: 'a partial shipment leaves the order incomplete',
      fulfilments: [shipment('41', { 'CHALK-250': '2' })],
      returns: [],
      expected: { 'CHALK-250': ['3', '2', '0'], 'ROPE-60': ['1', '0', '0'] },
      complete: false,
    },
    {
      name: 'a second shipment adds up with the first and completes it',
      fulfilments: [shipment('41', { 'CHALK-250': '2' }), shipment('42', { 'CHALK-250': '1', 'ROPE-60': '1' })],
      returns: [],
      expected: { 'CHALK-250': ['3', '3', '0'], 'ROPE-60': ['1', '1', '0'] },
      complete: true,
    },
    {
      name: 'a partial return is counted against what shipped',
      fulfilments: [shipment('41', { 'CHALK-250': '2' }), shipment('42', { 'CHALK-250': '1', 'ROPE-60': '1' })],
      returns: [returned('61', { 'CHALK-250': '1' })],
      expected: { 'CHALK-250': ['3', '3', '1'], 'ROPE-60': ['1', '1', '0'] },
      complete: true,
    },
    {
      name: 'the same fulfilment and return fed twice count once',
      fulfilments: [shipment('41', { 'CHALK-250': '2' }), shipment('41', { 'CHALK-250': '2' })],
      returns: [returned('61', { 'CHALK-250': '1' }), returned('61', { 'CHALK-250': '1' })],
      expected: { 'CHALK-250': ['3', '2', '1'], 'ROPE-60': ['1', '0', '0'] },
      complete: false,
    },
    {
      name: 'a return authorization and the credit memo made from it count once, on the credit memo',
      fulfilments: [shipment('41', { 'CHALK-250': '2' })],
      returns: [returned('55', { 'CHALK-250': '1' }), returned('61', { 'CHALK-250': '1' }, '55')],
      expected: { 'CHALK-250': ['3', '2', '1'], 'ROPE-60': ['1', '0', '0'] },
      complete: false,
    },
    {
      name: 'another purchase’s transactions are not counted',
      fulfilments: [shipment('41', { 'CHALK-250': '2' }), shipment('90', { 'CHALK-250': '9' }, 'sl-2002')],
      returns: [],
      expected: { 'CHALK-250': ['3', '2', '0'], 'ROPE-60': ['1', '0', '0'] },
      complete: false,
    },
  ])('$name', ({ fulfilments, returns, expected, complete }) => {
    const progress = purchaseProgress(PURCHASE, order, fulfilments, returns);
    expect(totals(progress)).toEqual(expected);
    expect(progress.issues).toEqual([]);
    expect(progress.complete).toBe(complete);
  });

  it('counts each transaction id once, the last one fed, and lists what it counted', () => {
    const progress = purchaseProgress(
      PURCHASE,
      order,
      [shipment('41', { 'CHALK-250': '1' }), shipment('42', { 'ROPE-60': '1' }), shipment('41', { 'CHALK-250': '2' })],
      [],
    );
    expect(progress.fulfilments).toEqual(['41', '42']);
    expect(totals(progress)['CHALK-250']).toEqual(['3', '2', '0']);
  });

  it.each([
    {
      name: 'more shipped than ordered is OVER_FULFILLED',
      fulfilments: [shipment('41', { 'CHALK-250': '2' }), shipment('42', { 'CHALK-250': '2' })],
      returns: [],
      issue: { code: 'OVER_FULFILLED', sku: 'CHALK-250', ordered: '3', fulfilled: '4', returned: '0' },
      message: 'sl-1001 CHALK-250: fulfilled 4, more than the 3 ordered',
    },
    {
      name: 'a SKU shipped that was never ordered is OVER_FULFILLED',
      fulfilments: [shipment('41', { 'HARNESS-M': '1' })],
      returns: [],
      issue: { code: 'OVER_FULFILLED', sku: 'HARNESS-M', ordered: '0', fulfilled: '1', returned: '0' },
      message: 'sl-1001 HARNESS-M: fulfilled 1, more than the 0 ordered',
    },
    {
      name: 'more returned than shipped is OVER_RETURNED',
      fulfilments: [shipment('41', { 'CHALK-250': '1' })],
      returns: [returned('61', { 'CHALK-250': '2' })],
      issue: { code: 'OVER_RETURNED', sku: 'CHALK-250', ordered: '3', fulfilled: '1', returned: '2' },
      message: 'sl-1001 CHALK-250: returned 2, more than the 1 fulfilled',
    },
    {
      name: 'a return with nothing shipped is OVER_RETURNED',
      fulfilments: [],
      returns: [returned('61', { 'ROPE-60': '1' })],
      issue: { code: 'OVER_RETURNED', sku: 'ROPE-60', ordered: '1', fulfilled: '0', returned: '1' },
      message: 'sl-1001 ROPE-60: returned 1, more than the 0 fulfilled',
    },
  ])('$name', ({ fulfilments, returns, issue, message }) => {
    const progress = purchaseProgress(PURCHASE, order, fulfilments, returns);
    expect(progress.issues).toHaveLength(1);
    const [found] = progress.issues;
    expect({
      code: found!.code,
      sku: found!.sku,
      ordered: found!.ordered.toFixed(),
      fulfilled: found!.fulfilled.toFixed(),
      returned: found!.returned.toFixed(),
    }).toEqual(issue);
    expect(found!.purchase_id).toBe(PURCHASE);
    expect(found!.message).toBe(message);
    expect(progress.complete).toBe(false);
  });

  it('returns past what was ordered are OVER_RETURNED even when more was shipped', () => {
    const progress = purchaseProgress(
      PURCHASE,
      ordered({ 'ROPE-60': '1' }),
      [shipment('41', { 'ROPE-60': '2' })],
      [returned('61', { 'ROPE-60': '2' })],
    );
    expect(progress.issues.map((i) => [i.code, i.message])).toEqual([
      ['OVER_FULFILLED', 'sl-1001 ROPE-60: fulfilled 2, more than the 1 ordered'],
      ['OVER_RETURNED', 'sl-1001 ROPE-60: returned 2, more than the 1 ordered (2 fulfilled)'],
    ]);
  });

  it.each([
    { name: '0.1 + 0.2 of 0.3 is exactly complete', order: '0.3', shipped: ['0.1', '0.2'], returned: '0', issues: [] },
    {
      name: 'three thirds of 1.2 metres add up exactly',
      order: '1.2',
      shipped: ['0.4', '0.4', '0.4'],
      returned: '0.4',
      issues: [],
    },
    {
      name: '0.1 + 0.2 + 0.0000001 of 0.3 is over',
      order: '0.3',
      shipped: ['0.1', '0.2', '0.0000001'],
      returned: '0',
      issues: ['OVER_FULFILLED'],
    },
  ])('decimal quantities are exact: $name', ({ order: quantity, shipped, returned: back, issues }) => {
    const progress = purchaseProgress(
      PURCHASE,
      ordered({ 'ROPE-M': quantity }),
      shipped.map((q, i) => shipment(`4${i}`, { 'ROPE-M': q })),
      [returned('61', { 'ROPE-M': back })],
    );
    expect(progress.issues.map((i) => i.code)).toEqual(issues);
    expect(progress.lines[0]!.fulfilled.eq(shipped.reduce((a, q) => a.plus(q), new Big(0)))).toBe(true);
    expect(progress.complete).toBe(issues.length === 0);
  });

  it('adds several order lines of one SKU together', () => {
    const progress = purchaseProgress(
      PURCHASE,
      ordered({ 'CHALK-250': '3' }).concat(ordered({ 'CHALK-250': '2' })),
      [shipment('41', { 'CHALK-250': '5' })],
      [],
    );
    expect(totals(progress)).toEqual({ 'CHALK-250': ['5', '5', '0'] });
    expect(progress.issues).toEqual([]);
  });
});
