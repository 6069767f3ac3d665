// The NetSuite sales order mapper: the canonical order → the body of PUT /record/v1/salesOrder/eid:<purchase id>.
// SparkLayer's amounts to the penny (decimal, never float), the PO in otherRefNum, the purchase id as externalId,
// SparkLayer's tax through SuiteTax's tax details override, and Pay on Account released or held.
import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { Money } from '../../../model/money.js';
import { ON_ACCOUNT_MODES } from '../../../model/order-mapper.js';
import { orderTotals, type CanonicalOrder, type OrderLine, type PaymentMethod } from '../../../model/order.js';
import {
  createNetsuiteOrderMapper,
  NETSUITE_EXCEPTION_CODES,
  SHIPPING_TAX_REFERENCE,
  type NetsuiteMapperSettings,
} from '../../../connectors/netsuite/sales-order-mapper.js';
import type { SalesOrderBody } from '../../../connectors/netsuite/schemas.js';

const GBP = (value: string) => Money.of(value, 'GBP');

function line(
  position: number,
  sku: string,
  quantity: string,
  net: string,
  tax: string,
  taxRate?: string,
  name?: string,
): OrderLine {
  return {
    position,
    sku,
    name,
    quantity: new Big(quantity),
    unit: 'each',
    net: GBP(net),
    discount: GBP('0'),
    tax: GBP(tax),
    gross: GBP(net).plus(GBP(tax)),
    taxRate: taxRate === undefined ? undefined : new Big(taxRate),
  };
}

/** SL-1001: three chalk for 10.00 (a rate that does not divide), a rope at 24.50, a 0.10 sticker, shipping 5.95; 20 %
 * VAT. */
function order(
  paymentMethod: PaymentMethod = 'card',
  overrides: Partial<CanonicalOrder> = {},
): CanonicalOrder & { account: string } {
  return {
    id: 'sl-1001',
    reference: 'SL-1001',
    po: 'PO-4471',
    currency: 'GBP',
    placedAt: '2026-11-20T09:14:00+00:00',
    paymentMethod,
    customerId: 'co-77',
    account: '110',
    lines: [
      line(1, 'id:98', '3', '10.00', '2.00', '20', 'Chalk 250 g'),
      line(2, 'ROPE-60', '1', '24.50', '4.90', '20', 'Rope 60 m'),
      line(3, 'id:97', '1', '0.10', '0.02'),
    ],
    shipping: { method: 'Next day', net: GBP('5.95'), discount: GBP('0'), tax: GBP('1.19'), gross: GBP('7.14') },
    ...overrides,
  };
}

const SETTINGS: NetsuiteMapperSettings = {
  itemIds: { 'ROPE-60': '99' },
  taxCodes: { '20': { taxType: '3', taxCode: '7' }, '0': { taxType: '3', taxCode: '8' } },
  shipMethods: { 'Next day': '4' },
};
const mapper = createNetsuiteOrderMapper(SETTINGS);

function mapped(input = order(), mode: (typeof ON_ACCOUNT_MODES)[number] = 'release', using = mapper): SalesOrderBody {
  const result = using.map(input, { onAccountMode: mode });
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.body;
}

/** A JSON number back to the decimal it was written from (JSON.stringify prints exactly this text). */
const text = (value: unknown) => new Big(JSON.parse(JSON.stringify(value)) as number);

describe('NetSuite mapper: identity and references', () => {
  const body = mapped();

  it('uses the SparkLayer purchase id as externalId and the PO number as otherRefNum', () => {
    expect(body.externalId).toBe('sl-1001');
    expect(body.otherRefNum).toBe('PO-4471');
  });

  it('references the customer by internal ID, from erp_account as 110 or id:110', () => {
    expect(body.entity).toEqual({ id: '110' });
    expect(mapped(order('card', { account: 'id:110' })).entity).toEqual({ id: '110' });
  });

  it('references items by internal ID: from itemIds, or a SKU written id:<internal ID>', () => {
    expect(body.item.items.map((l) => l.item)).toEqual([{ id: '98' }, { id: '99' }, { id: '97' }]);
  });

  it('takes tranDate from the date part of placedAt, and says in the memo where the order came from', () => {
    expect(body.tranDate).toBe('2026-11-20');
    expect(body.memo).toBe('SparkLayer order SL-1001');
  });

  it('writes no currency unless currencyIds maps it (REST sets currency by internal ID only)', () => {
    expect(body.currency).toBeUndefined();
    expect(
      mapped(order(), 'release', createNetsuiteOrderMapper({ ...SETTINGS, currencyIds: { GBP: '2' } })).currency,
    ).toEqual({ id: '2' });
    const missing = createNetsuiteOrderMapper({ ...SETTINGS, currencyIds: { USD: '1' } }).map(order(), {
      onAccountMode: 'release',
    });
    expect(missing).toEqual({
      ok: false,
      code: 'UNMAPPED_CURRENCY',
      message: 'currency GBP has no NetSuite currency internal ID',
    });
  });

  it('fails, naming what to fix, when the account or an item has no internal ID', () => {
    expect(mapper.map(order('card', { account: 'ACME001' }), { onAccountMode: 'release' })).toEqual({
      ok: false,
      code: 'UNRESOLVED_ACCOUNT',
      message: 'erp_account "ACME001" is not a NetSuite internal ID',
    });
    expect(createNetsuiteOrderMapper().map(order(), { onAccountMode: 'release' })).toEqual({
      ok: false,
      code: 'UNRESOLVED_ITEM',
      message: 'line 2: SKU ROPE-60 has no NetSuite item internal ID',
    });
    expect(mapper.map(order('card', { id: 'sl 1001/2' }), { onAccountMode: 'release' })).toMatchObject({
      ok: false,
      code: 'INVALID_EXTERNAL_ID',
    });
    for (const code of [
      'UNRESOLVED_ACCOUNT',
      'UNRESOLVED_ITEM',
      'UNMAPPED_TAX_CODE',
      'UNMAPPED_CURRENCY',
      'INVALID_EXTERNAL_ID',
      'INVALID_AMOUNT',
    ]) {
      expect(NETSUITE_EXCEPTION_CODES[code as keyof typeof NETSUITE_EXCEPTION_CODES].action, code).toMatch(/\. /);
    }
  });
});

describe('NetSuite mapper: amounts to the penny', () => {
  const body = mapped();
  const [chalk, rope, sticker] = body.item.items;

  it(
    'sends each line net exactly as amount, and the unit rate to 8 places: 3 for 10.00 is ' + '3.33333333 and 10.00',
    () => {
      expect(chalk).toMatchObject({ quantity: 3, rate: 3.33333333, amount: 10, description: 'Chalk 250 g' });
      expect(text(chalk!.amount).eq('10.00')).toBe(true);
      expect(text(rope!.amount).eq('24.50')).toBe(true);
      expect(text(sticker!.amount).eq('0.10')).toBe(true);
      expect(JSON.stringify(chalk!.rate)).toBe('3.33333333');
    },
  );

  it('sends shipping as shippingCost and the mapped ship method', () => {
    expect(text(body.shippingCost).eq('5.95')).toBe(true);
    expect(body.shipMethod).toEqual({ id: '4' });
  });

  it('adds up, in decimal, to SparkLayer’s net, tax and gross totals exactly', () => {
    const totals = orderTotals(order());
    const net = body.item.items.reduce((sum, l) => sum.plus(text(l.amount)), new Big(0)).plus(text(body.shippingCost));
    const tax = (body.taxDetails?.items ?? []).reduce((sum, row) => sum.plus(text(row.taxAmount)), new Big(0));
    expect(net.eq(totals.net.amount)).toBe(true);
    expect(tax.eq(totals.tax.amount)).toBe(true);
    expect(net.plus(tax).eq(totals.gross.amount)).toBe(true);
    expect(net.toFixed(2)).toBe('40.55');
    expect(tax.toFixed(2)).toBe('8.11');
  });

  it('never loses a penny to binary floats: 0.10 + 0.20 lines total 0.30', () => {
    const cents = order('card', {
      lines: [line(1, 'id:1', '1', '0.10', '0.00', '0'), line(2, 'id:2', '1', '0.20', '0.00', '0')],
      shipping: { net: GBP('0'), discount: GBP('0'), tax: GBP('0'), gross: GBP('0') },
    });
    const lines = mapped(cents).item.items;
    expect(lines.reduce((sum, l) => sum.plus(text(l.amount)), new Big(0)).toFixed(2)).toBe('0.30');
  });

  it('keeps a net with more than two decimals whole rather than rounding it', () => {
    const fine = order('card', {
      lines: [line(1, 'id:1', '7', '1.234', '0', '0')],
      shipping: { net: GBP('0'), discount: GBP('0'), tax: GBP('0'), gross: GBP('0') },
    });
    expect(JSON.stringify(mapped(fine).item.items[0]!.amount)).toBe('1.234');
  });

  it('writes the same JSON for the same order, every time', () => {
    expect(JSON.stringify(mapped())).toBe(JSON.stringify(mapped()));
    expect(Object.keys(mapped())).toEqual([
      'externalId',
      'entity',
      'otherRefNum',
      'memo',
      'tranDate',
      'orderStatus',
      'item',
      'shipMethod',
      'shippingCost',
      'taxDetailsOverride',
      'taxDetails',
    ]);
  });
});

describe('NetSuite mapper: tax as SparkLayer computed it', () => {
  const body = mapped();

  it('overrides SuiteTax with one tax details row per line and one for shipping', () => {
    expect(body.taxDetailsOverride).toBe(true);
    expect(body.item.items.map((l) => l.taxDetailsReference)).toEqual(['L1', 'L2', 'L3']);
    expect(body.taxDetails?.items).toEqual([
      {
        taxDetailsReference: 'L1',
        taxType: { id: '3' },
        taxCode: { id: '7' },
        taxBasis: 10,
        taxRate: 20,
        taxAmount: 2,
      },
      {
        taxDetailsReference: 'L2',
        taxType: { id: '3' },
        taxCode: { id: '7' },
        taxBasis: 24.5,
        taxRate: 20,
        taxAmount: 4.9,
      },
      // No rate given: the one its tax implies, 0.02 on 0.10 = 20 %.
      {
        taxDetailsReference: 'L3',
        taxType: { id: '3' },
        taxCode: { id: '7' },
        taxBasis: 0.1,
        taxRate: 20,
        taxAmount: 0.02,
      },
      {
        taxDetailsReference: SHIPPING_TAX_REFERENCE,
        taxType: { id: '3' },
        taxCode: { id: '7' },
        taxBasis: 5.95,
        taxRate: 20,
        taxAmount: 1.19,
      },
    ]);
  });

  it('refuses a rate with no tax code rather than let NetSuite recalculate', () => {
    const reduced = order('card', { lines: [line(1, 'id:98', '1', '10.00', '0.50', '5')] });
    expect(mapper.map(reduced, { onAccountMode: 'release' })).toEqual({
      ok: false,
      code: 'UNMAPPED_TAX_CODE',
      message: 'line 1: tax rate 5% has no NetSuite tax type and tax code',
    });
  });

  it('with tax: netsuite, leaves tax to SuiteTax and states SparkLayer’s tax in the memo', () => {
    const calculated = mapped(order(), 'release', createNetsuiteOrderMapper({ ...SETTINGS, tax: 'netsuite' }));
    expect(calculated.taxDetailsOverride).toBeUndefined();
    expect(calculated.taxDetails).toBeUndefined();
    expect(calculated.item.items[0]!.taxDetailsReference).toBeUndefined();
    expect(calculated.memo).toBe('SparkLayer order SL-1001; SparkLayer tax GBP 8.11 (NetSuite calculates its own)');
  });

  it('names an unmapped shipping method in the memo instead of guessing a ship item', () => {
    const other = mapped(order('card', { shipping: { ...order().shipping, method: 'Pallet' } }));
    expect(other.shipMethod).toBeUndefined();
    expect(other.memo).toBe('SparkLayer order SL-1001; Shipping: Pallet (no NetSuite ship method mapped)');
    expect(text(other.shippingCost).eq('5.95')).toBe(true);
  });
});

describe('NetSuite mapper: Pay on Account', () => {
  it('release: Pending Fulfillment (B), marked Pay on Account in the memo', () => {
    const body = mapped(order('on_account'), 'release');
    expect(body.orderStatus).toBe('B');
    expect(body.memo).toBe('SparkLayer order SL-1001; Pay on Account: released for fulfilment');
  });

  it('hold: Pending Approval (A), held for finance', () => {
    const body = mapped(order('on_account'), 'hold');
    expect(body.orderStatus).toBe('A');
    expect(body.memo).toBe('SparkLayer order SL-1001; Pay on Account: held for finance');
  });

  it('hold and release differ only in orderStatus and memo for an on-account order', () => {
    const { orderStatus: _a, memo: _m, ...held } = mapped(order('on_account'), 'hold');
    const { orderStatus: _b, memo: _n, ...released } = mapped(order('on_account'), 'release');
    expect(held).toEqual(released);
  });

  it.each(['card', 'invoice', 'quote', 'finance', 'other', 'unknown'] as PaymentMethod[])(
    'a %s order is identical in both modes, Pending Fulfillment',
    (method) => {
      const held = mapped(order(method), 'hold');
      expect(JSON.stringify(held)).toBe(JSON.stringify(mapped(order(method), 'release')));
      expect(held.orderStatus).toBe('B');
      expect(held.memo).not.toMatch(/Account/);
    },
  );
});
