// NetSuite item fulfillments and credit memos (fixtures/netsuite/fulfilments, built from Oracle's documentation) read
// into canonical fulfilments and returns, linked to the SparkLayer purchase through the sales order's externalId; a
// record that cannot be read throws, naming the record and the field.
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../contracts/fixtures.js';
import {
  fulfilmentFromNetSuite,
  returnAuthorizationOrders,
  returnFromNetSuite,
  salesOrderPurchaseIds,
  type NetSuiteFulfilmentLinks,
} from '../../../connectors/netsuite/fulfilment-reader.js';
import { FulfilmentReadError, purchaseProgress } from '../../../model/fulfilment.js';
import { toDecimal } from '../../../model/money.js';
import { ROOT } from '../../support/steps.js';

const body = async (file: string) =>
  (await loadFixture(ROOT, `fixtures/netsuite/${file}`)).body as Record<string, unknown>;

const salesOrder = await body('sales-orders/get.json');
const partial = await body('fulfilments/item-fulfillment.partial.json');
const completing = await body('fulfilments/item-fulfillment.completing.json');
const creditMemo = await body('fulfilments/credit-memo.partial-return.json');

const links: NetSuiteFulfilmentLinks = {
  salesOrders: salesOrderPurchaseIds([salesOrder]),
  // Return authorization 55, made from sales order 18 (the credit memo's createdFrom).
  returnAuthorizations: returnAuthorizationOrders([{ id: '55', createdFrom: { id: '18' } }]),
};

/** A copy of a body with `path` (dot-separated) removed or replaced. */
function changed(source: Record<string, unknown>, path: string, value?: unknown): Record<string, unknown> {
  const copy = structuredClone(source);
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce<Record<string, unknown>>((at, key) => at[key] as Record<string, unknown>, copy);
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

const plain = (lines: { sku: string; quantity: { toFixed(): string }; location?: string }[]) =>
  lines.map((l) => ({ ...l, quantity: l.quantity.toFixed() }));

describe('NetSuite fulfilment reader', () => {
  it('links sales order 18 to SparkLayer purchase sl-1001 by its externalId', () => {
    expect([...links.salesOrders]).toEqual([['18', 'sl-1001']]);
  });

  it.each([
    {
      name: 'the partial item fulfillment',
      record: partial,
      expected: {
        transaction_id: '41',
        shipped_at: '2026-11-21',
        tracking_number: 'TT123456785GB',
        lines: [{ sku: 'CHALK-250', quantity: '2', location: '6' }],
      },
    },
    {
      name: 'the item fulfillment completing the order',
      record: completing,
      expected: {
        transaction_id: '42',
        shipped_at: '2026-11-24',
        tracking_number: 'TT123456799GB',
        lines: [
          { sku: 'CHALK-250', quantity: '1', location: '6' },
          { sku: 'ROPE-60', quantity: '1', location: '6' },
        ],
      },
    },
  ])('reads $name', ({ record, expected }) => {
    const fulfilment = fulfilmentFromNetSuite(record, links);
    expect({ ...fulfilment, lines: plain(fulfilment.lines) }).toEqual({
      purchase_id: 'sl-1001',
      source: 'netsuite',
      status: 'shipped',
      carrier: 'Royal Mail Tracked 24',
      location: '6',
      ...expected,
    });
    expect(fulfilment.tracking_url).toBeUndefined();
  });

  it('joins every package tracking number into tracking_number, in order, and leaves it out when there is none', () => {
    const packages = (numbers: Array<string | undefined>) =>
      changed(partial, 'package', {
        items: numbers.map((number) => (number === undefined ? {} : { packageTrackingNumber: number })),
      });
    expect(fulfilmentFromNetSuite(packages(['TT1GB', ' ', 'TT2GB', undefined, 'TT3GB']), links).tracking_number).toBe(
      'TT1GB, TT2GB, TT3GB',
    );
    expect(fulfilmentFromNetSuite(packages([' ']), links)).not.toHaveProperty('tracking_number');
    expect(fulfilmentFromNetSuite(changed(partial, 'package'), links)).not.toHaveProperty('tracking_number');
  });

  it('reads the credit memo for a partial return, through its return authorization, with its refund', () => {
    const ret = returnFromNetSuite(creditMemo, links);
    expect({ ...ret, lines: plain(ret.lines), refund: ret.refund?.toString() }).toEqual({
      purchase_id: 'sl-1001',
      transaction_id: '61',
      original_transaction_id: '18',
      created_from: '55',
      source: 'netsuite',
      returned_at: '2026-12-01',
      location: '6',
      lines: [{ sku: 'CHALK-250', quantity: '1' }],
      refund: 'GBP 3.33',
      reason: 'Damaged in transit',
    });
  });

  it('gives records the model adds up: both shipments complete sl-1001, the return is within what shipped', () => {
    const ordered = (salesOrder.item as { items: { item: { refName: string }; quantity: number }[] }).items.map(
      (line) => ({ sku: line.item.refName, quantity: toDecimal(line.quantity, 'quantity') }),
    );
    const progress = purchaseProgress(
      'sl-1001',
      ordered,
      [partial, completing, partial].map((record) => fulfilmentFromNetSuite(record, links)),
      [returnFromNetSuite(creditMemo, links)],
    );
    expect(progress.issues).toEqual([]);
    expect(progress.complete).toBe(true);
    expect(progress.fulfilments).toEqual(['41', '42']);
  });

  it.each([
    { name: 'picked', value: { id: 'A', refName: 'Picked' }, status: 'picked' },
    { name: 'packed', value: { id: 'B', refName: 'Packed' }, status: 'packed' },
    { name: 'SOAP’s _shipped', value: '_shipped', status: 'shipped' },
    { name: 'no shipStatus (no pick, pack and ship)', value: undefined, status: 'shipped' },
  ])('reads shipStatus $name', ({ value, status }) => {
    expect(fulfilmentFromNetSuite(changed(partial, 'shipStatus', value), links).status).toBe(status);
  });

  it('maps items to SKUs through item_skus before their refName, and leaves out lines not received', () => {
    const withUnreceived = changed(partial, 'item.items', [
      ...(partial.item as { items: unknown[] }).items,
      { item: { id: '99', refName: 'ROPE-60' }, quantity: 1, itemreceive: false },
    ]);
    const fulfilment = fulfilmentFromNetSuite(withUnreceived, { ...links, itemSkus: new Map([['98', 'CHALK-250G']]) });
    expect(plain(fulfilment.lines)).toEqual([{ sku: 'CHALK-250G', quantity: '2', location: '6' }]);
  });

  it('reads the ISO code of a currency NetSuite names otherwise through currency_ids', () => {
    const named = changed(creditMemo, 'currency', { id: '1', refName: 'British pound' });
    expect(returnFromNetSuite(named, { ...links, currencyIds: new Map([['GBP', '1']]) }).refund?.toString()).toBe(
      'GBP 3.33',
    );
  });

  it.each([
    {
      record: 'fulfilment',
      path: 'createdFrom',
      value: undefined,
      message: 'NetSuite itemFulfillment 41: createdFrom: missing',
    },
    {
      record: 'fulfilment',
      path: 'tranDate',
      value: undefined,
      message: 'NetSuite itemFulfillment 41: tranDate: missing',
    },
    { record: 'fulfilment', path: 'id', value: undefined, message: 'NetSuite itemFulfillment (no id): id: missing' },
    { record: 'fulfilment', path: 'item', value: undefined, message: 'NetSuite itemFulfillment 41: item: missing' },
    {
      record: 'fulfilment',
      path: 'item.items.0.quantity',
      value: undefined,
      message: 'NetSuite itemFulfillment 41: item.items.0.quantity: missing',
    },
    {
      record: 'fulfilment',
      path: 'item.items.0.quantity',
      value: 'two',
      message: 'NetSuite itemFulfillment 41: item.items.0.quantity: "two" is not a decimal number',
    },
    {
      record: 'fulfilment',
      path: 'item.items.0.quantity',
      value: -2,
      message: 'NetSuite itemFulfillment 41: item.items.0.quantity: -2 is negative',
    },
    {
      record: 'fulfilment',
      path: 'item.items.0.item',
      value: { id: '98' },
      message: 'NetSuite itemFulfillment 41: item.items.0.item: item 98 has no SKU (no refName, not in item_skus)',
    },
    {
      record: 'fulfilment',
      path: 'shipStatus',
      value: { id: 'Z' },
      message: 'NetSuite itemFulfillment 41: shipStatus: "Z" is not A, B or C',
    },
    {
      record: 'fulfilment',
      path: 'shipStatus',
      value: 'constructor',
      message: 'NetSuite itemFulfillment 41: shipStatus: "constructor" is not A, B or C',
    },
    {
      record: 'fulfilment',
      path: 'createdFrom',
      value: { id: '77' },
      message:
        'NetSuite itemFulfillment 41: createdFrom: sales order 77 ' +
        'has no SparkLayer purchase (externalId) the pack booked',
    },
    {
      record: 'credit memo',
      path: 'createdFrom',
      value: { id: '77' },
      message:
        'NetSuite creditMemo 61: createdFrom: 77 is neither a sales order the pack booked ' +
        'nor a return authorization made from one',
    },
    {
      record: 'credit memo',
      path: 'currency',
      value: undefined,
      message: 'NetSuite creditMemo 61: currency: missing (the refund has a total)',
    },
    {
      record: 'credit memo',
      path: 'currency',
      value: { id: '2', refName: 'British pound' },
      message: 'NetSuite creditMemo 61: currency: 2 ("British pound") is not an ISO code and not in currency_ids',
    },
    {
      record: 'credit memo',
      path: 'item.items.0.quantity',
      value: undefined,
      message: 'NetSuite creditMemo 61: item.items.0.quantity: missing',
    },
  ])('throws for a $record whose $path is $value, naming it', ({ record, path, value, message }) => {
    const read = () =>
      record === 'fulfilment'
        ? fulfilmentFromNetSuite(changed(partial, path, value), links)
        : returnFromNetSuite(changed(creditMemo, path, value), links);
    expect(read).toThrow(FulfilmentReadError);
    expect(read).toThrow(message);
  });
});
