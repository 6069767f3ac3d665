// netsuite-fulfilments: NetSuite item fulfillments, credit memos and return authorizations
// (fixtures/netsuite/fulfilments) read into canonical fulfilments and returns, linked to their purchase through the
// sales orders booked beside them; one record that cannot be read, or cannot be linked, is its own exception and
// never fails the others.
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../contracts/fixtures.js';
import { step as mapFulfilment } from '../../scripts/map-fulfilment-to-sparklayer/step.js';
import { step } from '../../scripts/netsuite-fulfilments/step.js';
import { ROOT } from '../support/steps.js';
import { run } from '../support/run.js';

type Body = Record<string, unknown>;
const body = async (file: string) => (await loadFixture(ROOT, `fixtures/netsuite/${file}`)).body as Body;
const salesOrder = await body('sales-orders/get.json');
const partial = await body('fulfilments/item-fulfillment.partial.json');
const completing = await body('fulfilments/item-fulfillment.completing.json');
const creditMemo = await body('fulfilments/credit-memo.partial-return.json');

/** A copy of a body with `path` (dot-separated) removed or replaced. */
function changed(source: Body, path: string, value?: unknown): Body {
  const copy = structuredClone(source);
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce<Body>((at, key) => at[key] as Body, copy);
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}
/** Return authorization 55, made from sales order 18 (the credit memo's createdFrom), as GET gives it. */
const authorization: Body = {
  ...changed(creditMemo, 'links', [
    {
      rel: 'self',
      href: 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/returnAuthorization/55',
    },
  ]),
  id: '55',
  createdFrom: { id: '18', refName: 'Sales Order #SO18' },
};
const BESIDE = { sales_orders: [salesOrder], return_authorizations: [{ links: [], id: '55', createdfrom: '18' }] };
const FULFILMENT = { purchase_id: 'sl-1001', source: 'netsuite', status: 'shipped', carrier: 'Royal Mail Tracked 24' };

describe('netsuite-fulfilments', () => {
  it.each([
    [
      'the partial item fulfillment',
      partial,
      {
        ...FULFILMENT,
        transaction_id: '41',
        shipped_at: '2026-11-21',
        tracking_number: 'TT123456785GB',
        location: '6',
        lines: [{ sku: 'CHALK-250', quantity: '2', location: '6' }],
      },
    ],
    [
      'the item fulfillment completing the order',
      completing,
      {
        ...FULFILMENT,
        transaction_id: '42',
        shipped_at: '2026-11-24',
        tracking_number: 'TT123456799GB',
        location: '6',
        lines: [
          { sku: 'CHALK-250', quantity: '1', location: '6' },
          { sku: 'ROPE-60', quantity: '1', location: '6' },
        ],
      },
    ],
    [
      'the credit memo, through its return authorization',
      creditMemo,
      {
        purchase_id: 'sl-1001',
        transaction_id: '61',
        original_transaction_id: '18',
        created_from: '55',
        source: 'netsuite',
        returned_at: '2026-12-01',
        location: '6',
        lines: [{ sku: 'CHALK-250', quantity: '1' }],
        refund: { number: '3.33', currency: 'GBP' },
        reason: 'Damaged in transit',
      },
    ],
  ])('reads %s', (_name, record, expected) => {
    const { envelope } = run(step, { records: [record], ...BESIDE });
    expect(envelope.exceptions).toEqual([]);
    expect(envelope.records).toEqual([expected]);
  });

  it('reads a return authorization as a return, and the credit memo made from it links through it in one run', () => {
    const { envelope } = run(step, { records: [authorization, creditMemo], sales_orders: [salesOrder] });
    expect(envelope.exceptions).toEqual([]);
    expect(envelope.records.map((r) => (r as Body).transaction_id)).toEqual(['55', '61']);
    expect((envelope.records[0] as Body).created_from).toBeUndefined();
    expect((envelope.records[1] as Body).created_from).toBe('55');
  });

  it('passes a fulfilment not yet shipped (packed): map-fulfilment-to-sparklayer skips it', () => {
    const packed = changed(partial, 'shipStatus', { id: 'B', refName: 'Packed' });
    const { envelope } = run(step, { records: [packed], ...BESIDE });
    expect((envelope.records[0] as Body).status).toBe('packed');
  });

  it('reads the sales orders from SuiteQL pages (id, externalid) as from GET bodies', () => {
    const page = { links: [], count: 1, hasMore: false, items: [{ links: [], id: '18', externalid: 'sl-1001' }] };
    const { envelope } = run(step, { records: [partial], sales_orders: page });
    expect(envelope.records).toHaveLength(1);
  });

  it('keeps a bad record and an unlinked one as exceptions, whole, and reads the others', () => {
    const bad = changed(partial, 'shipStatus', { id: 'X' });
    const noDate = changed(creditMemo, 'tranDate');
    const unlinked = changed(completing, 'createdFrom', { id: '19', refName: 'Sales Order #SO19' });
    const strayReturn = changed(creditMemo, 'createdFrom', { id: '56' });
    const records = [partial, bad, noDate, unlinked, strayReturn, creditMemo];
    const { envelope } = run(step, { records, ...BESIDE });
    expect(envelope.records.map((r) => (r as Body).transaction_id)).toEqual(['41', '61']);
    expect(envelope.exceptions.map((e) => [e.id, e.code, e.message])).toEqual([
      ['itemFulfillment 41', 'INVALID_FULFILMENT', 'NetSuite itemFulfillment 41: shipStatus: "X" is not A, B or C'],
      ['creditMemo 61', 'INVALID_RETURN', 'NetSuite creditMemo 61: tranDate: missing'],
      [
        'itemFulfillment 42',
        'UNLINKED_FULFILMENT',
        'NetSuite itemFulfillment 42: createdFrom: sales order 19 is not among the sales orders booked (sales_orders)',
      ],
      [
        'creditMemo 61',
        'UNLINKED_RETURN',
        'NetSuite creditMemo 61: createdFrom: 56 is neither a sales order booked (sales_orders) nor a return ' +
          'authorization read (return_authorizations)',
      ],
    ]);
    expect(envelope.exceptions.map((e) => e.record)).toEqual([bad, noDate, unlinked, strayReturn]);
    expect(envelope.summary['netsuite-fulfilments']).toEqual({ in: 6, records: 2, skipped: 0, exceptions: 4 });
  });

  it('with no sales orders beside, links nothing (UNLINKED, never a guess)', () => {
    const { envelope } = run(step, [partial]);
    expect(envelope.exceptions.map((e) => e.code)).toEqual(['UNLINKED_FULFILMENT']);
  });

  it('tells the record type by its self link, or by record_type; a record it cannot tell is INVALID_FULFILMENT', () => {
    const unlinkedBody = changed(partial, 'links', []);
    expect(run(step, { records: [unlinkedBody], ...BESIDE }).envelope.exceptions.map((e) => e.message)).toEqual([
      'NetSuite record 41: links: no self link names the record type (set record_type to the record read)',
    ]);
    const told = run(step, { records: [unlinkedBody], ...BESIDE }, { variables: { record_type: 'itemFulfillment' } });
    expect(told.envelope.records).toHaveLength(1);
    const wrong = run(step, { records: [partial], ...BESIDE }, { variables: { record_type: 'creditMemo' } });
    expect(wrong.envelope.exceptions.map((e) => e.message)).toEqual([
      'NetSuite record 41: links: the self link names itemFulfillment, not the creditMemo record_type says',
    ]);
    const refund = changed(partial, 'links', [
      { rel: 'self', href: 'https://x/services/rest/record/v1/cashRefund/70' },
    ]);
    expect(run(step, { records: [refund], ...BESIDE }).envelope.exceptions.map((e) => e.code)).toEqual([
      'INVALID_FULFILMENT',
    ]);
  });

  it('reads item_ids backwards for the SKU, and refuses an item two SKUs name', () => {
    const named = run(step, { records: [partial], ...BESIDE }, { variables: { item_ids: '{"CHALK-250-EA": "98"}' } });
    expect((named.envelope.records[0] as { lines: Body[] }).lines[0]!.sku).toBe('CHALK-250-EA');
    const twice = run(step, { records: [partial], ...BESIDE }, { variables: { item_ids: '{"A": "98", "B": "98"}' } });
    expect(twice.envelope.exceptions.map((e) => [e.code, e.message])).toEqual([
      ['INVALID_FULFILMENT', 'NetSuite itemFulfillment 41: item.items.0.item: item 98 is named by A and B in item_ids'],
    ]);
  });

  it('feeds map-fulfilment-to-sparklayer: the shipment becomes a package of the purchase', () => {
    const read = run(step, { records: [partial], ...BESIDE });
    const purchase = {
      type: 'order',
      purchase_identifiers: { sparklayer: 'sl-1001' },
      packages: [{ line_items: [{ identifiers: { sku: 'CHALK-250' }, quantity: 3 }] }],
    };
    const { envelope } = run(mapFulfilment, { records: read.envelope.records, purchases: [purchase] });
    expect(envelope.exceptions).toEqual([]);
    expect(envelope.records).toHaveLength(1);
  });
});
