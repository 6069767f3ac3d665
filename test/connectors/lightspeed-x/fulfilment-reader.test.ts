// X-Series sales (fixtures/lightspeed-x/fulfilments, built from Lightspeed's documentation) read into canonical
// fulfilments and returns: a closed sale the pack booked as shipped in full, linked to its SparkLayer purchase by
// source.id; a closed return sale linked to the purchase through its original sale. A record that cannot be read
// throws, naming the sale and the field.
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../contracts/fixtures.js';
import {
  fulfilmentFromLightspeedX,
  isReturnSale,
  productSkus,
  returnFromLightspeedX,
  salePurchaseIds,
  type LightspeedXFulfilmentLinks,
} from '../../../connectors/lightspeed-x/fulfilment-reader.js';
import { saleIdFor } from '../../../connectors/lightspeed-x/sale-id.js';
import { saleResponseSchema } from '../../../connectors/lightspeed-x/schemas.js';
import { FulfilmentReadError, purchaseProgress } from '../../../model/fulfilment.js';
import { toDecimal } from '../../../model/money.js';
import { ROOT } from '../../support/steps.js';

const fixture = async (file: string) => (await loadFixture(ROOT, `fixtures/lightspeed-x/fulfilments/${file}`)).body;
const sale = (body: unknown) => (body as { data: Record<string, unknown> }).data;

const bodies = {
  booked: await fixture('sale.booked-closed.json'),
  partialReturn: await fixture('sale.partial-return.json'),
  delivery: await fixture('sale.closed-delivery.json'),
};
const booked = sale(bodies.booked);
const partialReturn = sale(bodies.partialReturn);
const delivery = sale(bodies.delivery);

const P0003 = 'b8ca3a65-0183-11e4-fbb5-9776c5cd0240';
const BLK_M = 'b8ca3a65-0183-11e4-fbb5-7988a6ed80fa';
const BLK_S = 'b8ca3a65-0183-11e4-fbb5-7988a6ed80f9';
const SHIPPING = 'b8ca3a65-0183-11e4-fbb5-9776c611d865';
const OUTLET = 'b1e04bd8-f019-11e3-a0f5-b8ca3a64f8f4';

const links: LightspeedXFulfilmentLinks = {
  productSkus: productSkus([
    { id: P0003, sku: '0003' },
    { id: BLK_M, sku: '787878-blk-m' },
    { id: BLK_S, sku: '787878-blk-s' },
    { id: SHIPPING, sku: '0006' },
  ]),
  originalSales: salePurchaseIds([booked, delivery]),
  currency: 'GBP',
  shippingProductId: SHIPPING,
};

/** A copy of a sale with `path` (dot-separated) removed or replaced. */
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

/** The documented return in the 2026-07 Sale schema's shape instead of the legacy one. */
const dated = {
  ...structuredClone(partialReturn),
  return_for: undefined,
  outlet_id: undefined,
  sale_date: undefined,
  total_price: undefined,
  total_tax: undefined,
  date: '2026-12-01T10:30:00Z',
  source: { outlet_id: OUTLET },
  return: { is_return: true, original_sale_id: booked.id },
  totals: { price: -3.34, tax: -0.67, price_incl_tax: -4.01 },
  line_items: [
    { product: { id: P0003 }, quantity: -1, return: { is_return: true, reason: 'Damaged in transit' } },
    // An exchange's new goods on the same return sale: not a return line.
    { product: { id: BLK_M }, quantity: 1, return: { is_return: false } },
  ],
};

describe('Lightspeed X-Series fulfilment reader', () => {
  it.each(Object.entries(bodies))('the %s fixture parses as a GET /sales/{id} answer', (_, body) => {
    expect(saleResponseSchema.safeParse(body).error).toBeUndefined();
  });

  it("links the pack's sales to their SparkLayer purchases by source.id (the sale ids it derived)", () => {
    expect([...links.originalSales!]).toEqual([
      [saleIdFor('sl-1001'), 'sl-1001'],
      [saleIdFor('sl-1002'), 'sl-1002'],
    ]);
    expect(salePurchaseIds([changed(booked, 'source.type', 'Magento'), changed(delivery, 'source.id')])).toEqual(
      new Map(),
    );
  });

  it('reads the closed on-account sale as shipped in full at updated_at, from its outlet, without shipping', () => {
    const fulfilment = fulfilmentFromLightspeedX(booked, links)!;
    expect({ ...fulfilment, lines: plain(fulfilment.lines) }).toEqual({
      purchase_id: 'sl-1001',
      transaction_id: saleIdFor('sl-1001'),
      source: 'lightspeed-x',
      status: 'shipped',
      shipped_at: '2026-11-21T14:02:11+00:00',
      location: OUTLET,
      lines: [
        { sku: '0003', quantity: '1' },
        { sku: '0003', quantity: '1' },
        { sku: '0003', quantity: '1' },
        { sku: '787878-blk-m', quantity: '1' },
      ],
    });
    for (const field of ['carrier', 'tracking_number', 'tracking_url']) expect(fulfilment).not.toHaveProperty(field);
  });

  it('reads the closed delivery sale (DISPATCHED_CLOSED) as shipped', () => {
    const fulfilment = fulfilmentFromLightspeedX(delivery, links)!;
    expect({ ...fulfilment, lines: plain(fulfilment.lines) }).toEqual({
      purchase_id: 'sl-1002',
      transaction_id: saleIdFor('sl-1002'),
      source: 'lightspeed-x',
      status: 'shipped',
      shipped_at: '2026-11-24T08:05:37+00:00',
      location: 'b8ca3a65-0183-11e4-fbb5-2816d2677218',
      lines: [{ sku: '787878-blk-s', quantity: '2' }],
    });
  });

  it.each([
    { state: 'parked', attributes: [] },
    { state: 'pending', attributes: ['onaccount'] },
    { state: 'pending', attributes: ['delivery'] },
    { state: 'voided', attributes: [] },
  ])('gives no fulfilment for a $state sale $attributes', ({ state, attributes }) => {
    expect(fulfilmentFromLightspeedX({ ...booked, state, attributes }, links)).toBeUndefined();
  });

  it('reads the partial return (the documented legacy shape) for the original sale’s purchase, with its refund', () => {
    const ret = returnFromLightspeedX(partialReturn, links)!;
    expect({ ...ret, lines: plain(ret.lines), refund: ret.refund?.toString() }).toEqual({
      purchase_id: 'sl-1001',
      transaction_id: '06bf537b-c783-11e6-f6b9-7ea7909ffedd',
      original_transaction_id: saleIdFor('sl-1001'),
      source: 'lightspeed-x',
      returned_at: '2026-12-01T10:30:00+00:00',
      location: OUTLET,
      lines: [{ sku: '0003', quantity: '1' }],
      refund: 'GBP 4.01',
    });
    expect(ret).not.toHaveProperty('reason');
    expect(ret.refund?.text()).toBe('4.01');
  });

  it('reads the same return in the 2026-07 shape: return.original_sale_id, return lines only, their reason', () => {
    const ret = returnFromLightspeedX(dated, links)!;
    expect({ ...ret, lines: plain(ret.lines), refund: ret.refund?.toString() }).toEqual({
      purchase_id: 'sl-1001',
      transaction_id: '06bf537b-c783-11e6-f6b9-7ea7909ffedd',
      original_transaction_id: saleIdFor('sl-1001'),
      source: 'lightspeed-x',
      returned_at: '2026-12-01T10:30:00Z',
      location: OUTLET,
      lines: [{ sku: '0003', quantity: '1' }],
      refund: 'GBP 4.01',
      reason: 'Damaged in transit',
    });
  });

  it('gives no return for a parked or voided return sale, and tells returns from sales', () => {
    expect(returnFromLightspeedX({ ...partialReturn, state: 'parked' }, links)).toBeUndefined();
    expect(returnFromLightspeedX({ ...partialReturn, state: 'voided' }, links)).toBeUndefined();
    expect([partialReturn, dated, booked, delivery].map(isReturnSale)).toEqual([true, true, false, false]);
  });

  it('gives records the model adds up: sl-1001 shipped in full, one of 0003 back, within what shipped', () => {
    const ordered = [
      { sku: '0003', quantity: toDecimal(3, 'quantity') },
      { sku: '787878-blk-m', quantity: toDecimal(1, 'quantity') },
    ];
    const progress = purchaseProgress(
      'sl-1001',
      ordered,
      [booked, booked, delivery].map((body) => fulfilmentFromLightspeedX(body, links)!),
      [returnFromLightspeedX(partialReturn, links)!, returnFromLightspeedX(dated, links)!],
    );
    expect(
      progress.lines.map((l) => [l.sku, l.ordered.toFixed(), l.fulfilled.toFixed(), l.returned.toFixed()]),
    ).toEqual([
      ['0003', '3', '3', '1'],
      ['787878-blk-m', '1', '1', '0'],
    ]);
    expect(progress.issues).toEqual([]);
    expect(progress.complete).toBe(true);
    expect(progress.fulfilments).toEqual([saleIdFor('sl-1001')]);
    expect(progress.returns).toEqual(['06bf537b-c783-11e6-f6b9-7ea7909ffedd']);
  });

  it('throws for a return whose original sale the pack did not book, naming the field that links it', () => {
    const unknown = 'b8ca3a65-0183-11e4-fbb5-39f7fce5e39b';
    expect(() => returnFromLightspeedX({ ...partialReturn, return_for: unknown }, links)).toThrow(
      `X-Series sale 06bf537b-c783-11e6-f6b9-7ea7909ffedd: return_for: sale ${unknown} has no SparkLayer purchase ` +
        '(not a sale the pack booked)',
    );
    expect(() =>
      returnFromLightspeedX(
        { ...dated, return: { original_sale_id: unknown } },
        { ...links, originalSales: undefined },
      ),
    ).toThrow(`return.original_sale_id: sale ${unknown} has no SparkLayer purchase`);
  });

  const SALE = `X-Series sale ${saleIdFor('sl-1001')}`;
  const RETURN = 'X-Series sale 06bf537b-c783-11e6-f6b9-7ea7909ffedd';
  it.each([
    { record: 'sale', path: 'id', value: undefined, message: 'X-Series sale (no id): id: missing' },
    { record: 'sale', path: 'state', value: undefined, message: `${SALE}: state: missing` },
    { record: 'sale', path: 'state', value: 'CLOSED', message: `${SALE}: state: Invalid option` },
    { record: 'sale', path: 'line_items', value: undefined, message: `${SALE}: line_items: missing` },
    {
      record: 'sale',
      path: 'updated_at',
      value: undefined,
      message: `${SALE}: updated_at: missing (the closed sale's time)`,
    },
    {
      record: 'sale',
      path: 'source.type',
      value: 'Magento',
      message: `${SALE}: source.type: "Magento" is not SparkLayer (not a sale the pack booked)`,
    },
    {
      record: 'sale',
      path: 'source',
      value: undefined,
      message: `${SALE}: source.type: missing (not a sale the pack booked)`,
    },
    {
      record: 'sale',
      path: 'source.id',
      value: undefined,
      message: `${SALE}: source.id: missing (the SparkLayer purchase id)`,
    },
    {
      record: 'sale',
      path: 'line_items.0.quantity',
      value: undefined,
      message: `${SALE}: line_items.0.quantity: missing`,
    },
    {
      record: 'sale',
      path: 'line_items.0.quantity',
      value: 'one',
      message: `${SALE}: line_items.0.quantity: "one" is not a decimal number`,
    },
    {
      record: 'sale',
      path: 'line_items.0.quantity',
      value: -1,
      message: `${SALE}: line_items.0.quantity: -1 is negative`,
    },
    {
      record: 'sale',
      path: 'line_items.3.product',
      value: undefined,
      message: `${SALE}: line_items.3.product.id: missing`,
    },
    {
      record: 'sale',
      path: 'line_items.3.product.id',
      value: '0a6f1111-0000-4000-8000-000000000001',
      message:
        `${SALE}: line_items.3.product.id: product 0a6f1111-0000-4000-8000-000000000001 has no SKU ` +
        '(not in product_skus)',
    },
    {
      record: 'sale',
      path: 'return_for',
      value: saleIdFor('sl-1002'),
      message: `${SALE}: return_for: it is a return of sale ${saleIdFor('sl-1002')}, not a fulfilment`,
    },
    {
      record: 'return',
      path: 'return_for',
      value: undefined,
      message: `${RETURN}: return.original_sale_id: missing (no return_for either`,
    },
    {
      record: 'return',
      path: 'return',
      value: { original_sale_id: saleIdFor('sl-1002') },
      message:
        `${RETURN}: return.original_sale_id: ${saleIdFor('sl-1002')} is not the sale return_for names ` +
        `(${saleIdFor('sl-1001')})`,
    },
    {
      record: 'return',
      path: 'sale_date',
      value: undefined,
      message: `${RETURN}: date: missing (no sale_date either)`,
    },
    {
      record: 'return',
      path: 'line_items.0.product_id',
      value: undefined,
      message: `${RETURN}: line_items.0.product.id: missing`,
    },
    {
      record: 'return',
      path: 'line_items.0.product_id',
      value: 'b8ca3a65-0183-11e4-fbb5-000000000000',
      message:
        `${RETURN}: line_items.0.product_id: product b8ca3a65-0183-11e4-fbb5-000000000000 has no SKU ` +
        '(not in product_skus)',
    },
    {
      record: 'return',
      path: 'line_items.0.quantity',
      value: 1,
      message: `${RETURN}: line_items.0.quantity: 1 is positive on a return line`,
    },
    {
      record: 'return',
      path: 'total_price',
      value: 5,
      message: `${RETURN}: total_price: 4.33 is positive (the return charges the customer, it refunds nothing)`,
    },
    {
      record: 'return',
      path: 'total_tax',
      value: '-0.67',
      message: `${RETURN}: total_tax: Invalid input: expected number, received string ("-0.67")`,
    },
  ])('throws for a $record whose $path is $value, naming it', ({ record, path, value, message }) => {
    const read = () =>
      record === 'sale'
        ? fulfilmentFromLightspeedX(changed(booked, path, value), links)
        : returnFromLightspeedX(changed(partialReturn, path, value), links);
    expect(read).toThrow(FulfilmentReadError);
    expect(read).toThrow(message);
  });

  it('throws for a refund without the store currency, or with one that is not ISO', () => {
    expect(() => returnFromLightspeedX(partialReturn, { ...links, currency: undefined })).toThrow(
      `${RETURN}: total_price: the refund has no currency (X-Series sales carry none; pass the store's currency)`,
    );
    expect(() => returnFromLightspeedX(dated, { ...links, currency: 'pounds' })).toThrow(FulfilmentReadError);
  });
});
