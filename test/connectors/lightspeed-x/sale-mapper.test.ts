// map-order-to-lightspeed-x as a whole: the shared map-order step with the X-Series mapper, its settings and the
// products beside the orders; and the bodies it writes accepted by the fake X-Series with SparkLayer's totals.
import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { saleIdFor, uuidV5 } from '../../../connectors/lightspeed-x/sale-id.js';
import { LightspeedXClient } from '../../../connectors/lightspeed-x/dev/client.js';
import {
  inProcessFetch,
  LightspeedXSandbox,
  sandboxConfig,
  sandboxDataFromFixtures,
} from '../../../connectors/lightspeed-x/dev/sandbox.js';
import { lightspeedXSaleMapper } from '../../../connectors/lightspeed-x/sale-mapper.js';
import { saleRequestSchema, type SaleRequest } from '../../../connectors/lightspeed-x/schemas.js';
import { toCanonicalOrder } from '../../../connectors/sparklayer/canonical-order.js';
import { purchaseSchema } from '../../../connectors/sparklayer/schemas.js';
import { Money } from '../../../model/money.js';
import { orderTotals } from '../../../model/order.js';
import { toPatchworksHandler } from '../../../runtime/step.js';
import { step } from '../../../connectors/lightspeed-x/map-order/step.js';
import { fixturePurchases } from '../../support/purchases.js';
import { run } from '../../support/run.js';
import { ROOT } from '../../support/steps.js';

const STARK = 'b8ca3a65-0183-11e4-fbb5-4f73f02a9d1c';
const USER = '020b2c2a-4661-11f0-e88b-1afde45e0728';
const REGISTER = 'b1e198a9-f019-11e3-a0f5-b8ca3a64f8f4';
const TAX20 = 'b1d192bc-f019-11e3-a0f5-b8ca3a64f8f4';
const NOTAX = 'b1d192bc-f019-11e3-a0f5-b8ca3a64f8f5';
const SHIPPING = 'b8ca3a65-0183-11e4-fbb5-9776c611d865';
const MUG = 'b8ca3a65-0183-11e4-fbb5-9776c5cd0240';
const TOWEL = '0a6f1111-0000-4000-8000-000000000001';

const VARIABLES = {
  user_id: USER,
  register_id: REGISTER,
  unit_map: 'left_value,right_value\r\nMUG-ENAMEL-CASE12,mug-enamel-wht*12\r\n',
  tax_ids: `left_value,right_value\r\n20,${TAX20}\r\n0,${NOTAX}\r\n`,
  shipping_product_id: SHIPPING,
};
const product = (id: string, sku: string, fields: Record<string, unknown> = {}) => ({
  id,
  sku,
  active: true,
  is_active: true,
  has_variants: false,
  ...fields,
});
const PRODUCTS = [product(MUG, 'MUG-ENAMEL-WHT'), product(TOWEL, 'towel-linen-nat')];

const documented = fixturePurchases().find((p) => p.type === 'order')!;
const purchaseId = (documented.purchase_identifiers as { sparklayer: string }).sparklayer;
const withAccount = (fields: Record<string, unknown> = {}) => ({
  ...structuredClone(documented),
  erp_account: STARK,
  ...fields,
});
const line = (sku: string, quantity: number, net: string, gross: string, taxRate = 20) => ({
  identifiers: { sku },
  name_parent: sku,
  quantity,
  line_total: {
    total_net: { number: net, currency: 'gbp' },
    total_gross: { number: gross, currency: 'gbp' },
    discount_net: { number: '0.00', currency: 'gbp' },
    tax_rate: taxRate,
  },
});
const withLines = (lines: unknown[], fields: Record<string, unknown> = {}) =>
  withAccount({ packages: [{ line_items: lines }], ...fields });

function mapAll(records: unknown[], variables: Record<string, string> = VARIABLES, products: unknown[] = PRODUCTS) {
  return run(step, { records, products }, { variables }).envelope;
}
function mapOne(
  record: unknown,
  variables: Record<string, string> = VARIABLES,
  products: unknown[] = PRODUCTS,
): SaleRequest {
  const envelope = mapAll([record], variables, products);
  expect(envelope.exceptions).toEqual([]);
  return envelope.records[0] as SaleRequest;
}
const failure = (record: unknown, variables: Record<string, string> = VARIABLES, products: unknown[] = PRODUCTS) => {
  const { exceptions } = mapAll([record], variables, products);
  expect(exceptions).toHaveLength(1);
  return [exceptions[0]!.code, exceptions[0]!.message];
};

/** Σ quantity × unit price and Σ quantity × unit tax, in decimal. */
function lineTotals(body: SaleRequest): { net: string; tax: string } {
  let net = new Big(0);
  let tax = new Big(0);
  for (const item of body.line_items ?? []) {
    net = net.plus(new Big(String(item.quantity)).times(String(item.pricing.price)));
    tax = tax.plus(new Big(String(item.quantity)).times(String(item.tax.amount)));
  }
  return { net: net.toFixed(2), tax: tax.toFixed(2) };
}

describe('map-order-to-lightspeed-x: the sale body', () => {
  it(
    'books the order to the X-Series customer, the PO first in the note, the purchase id in source and ' +
      'behind the sale id',
    () => {
      const body = mapOne(withAccount());
      expect(saleRequestSchema.safeParse(body).error).toBeUndefined();
      expect(body).toMatchObject({
        id: saleIdFor(purchaseId),
        source: { author_id: USER, register_id: REGISTER, id: purchaseId, type: 'SparkLayer' },
        customer_id: STARK,
        date: '2026-11-20T09:15:02+00:00',
      });
      expect(body.note).toMatch(
        /^PO PO-4471; SparkLayer order B2B01123 \(purchase 6301bbfc-a0c5-454e-8ff9-bb510944fe0c\)/,
      );
      // The same order always gives the same body, byte for byte: a re-run names the same sale.
      expect(JSON.stringify(mapOne(withAccount()))).toBe(JSON.stringify(body));
      expect(mapOne(withAccount({ purchase_identifiers: { sparklayer: 'other' } })).id).not.toBe(body.id);
    },
  );

  it('derives the sale id as an RFC 9562 name-based UUID (version 5)', () => {
    // RFC 9562 Appendix A.4: the DNS namespace and www.example.com.
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
    expect(saleIdFor(purchaseId)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it(
    'converts the case of 12 into 24 eaches and keeps ' +
      'SparkLayer’s prices and tax to the penny, ' +
      'shipping included',
    () => {
      const body = mapOne(withAccount());
      expect(
        body.line_items!.map((l) => [
          l.product.id,
          l.quantity,
          l.pricing.price,
          l.tax.id,
          l.tax.amount,
          l._metadata?.is_price_override,
        ]),
      ).toEqual([
        [MUG, 24, 4, TAX20, 0.8, true],
        [TOWEL, 12, 4.5, TAX20, 0.9, true],
        [SHIPPING, 1, 7.5, TAX20, 1.5, true],
      ]);
      expect(body.line_items![2]!.attributes).toEqual([{ name: 'line_note', value: 'Shipping: Standard Shipping' }]);
      const totals = orderTotals(toCanonicalOrder(purchaseSchema.parse(documented)));
      expect(lineTotals(body)).toEqual({ net: totals.net.text(), tax: totals.tax.text() });
    },
  );

  it('splits a line whose unit price is not whole pennies into lines that add up exactly, and says so on each', () => {
    const body = mapOne(withLines([line('towel-linen-nat', 3, '10.00', '12.00')]));
    expect(body.line_items!.map((l) => [l.quantity, l.pricing.price, l.tax.amount])).toEqual([
      [1, 3.34, 0.67],
      [1, 3.33, 0.67],
      [1, 3.33, 0.66],
    ]);
    expect(body.line_items![0]!.attributes?.[0]?.value).toBe(
      'SparkLayer line 1 (towel-linen-nat): 3 for 10.00 before tax, in 3 lines at whole-penny unit prices',
    );
    expect(lineTotals(body)).toEqual({ net: '10.00', tax: '2.00' });
  });

  it('adds any whole quantity, net and tax back up exactly, in at most three lines at whole-penny prices', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (quantity, netPence, taxPence) => {
          const net = new Big(netPence).div(100).toFixed(2);
          const gross = new Big(netPence + taxPence).div(100).toFixed(2);
          const rate = netPence === 0 ? 0 : 20;
          const variables = { ...VARIABLES, tax_ids: `{"20": "${TAX20}", "0": "${NOTAX}"}` };
          // Only the line's own rate matters here: give SparkLayer's tax_rate so no implied rate is needed.
          const envelope = mapAll([withLines([line('towel-linen-nat', quantity, net, gross, rate)])], variables);
          expect(envelope.exceptions).toEqual([]);
          const body = envelope.records[0] as SaleRequest;
          const lines = body.line_items!.filter((l) => l.product.id === TOWEL);
          expect(lines.length).toBeLessThanOrEqual(3);
          expect(lines.reduce((sum, l) => sum + l.quantity, 0)).toBe(quantity);
          const sum = (pick: (l: (typeof lines)[number]) => number) =>
            lines
              .reduce((total, l) => total.plus(new Big(String(l.quantity)).times(String(pick(l)))), new Big(0))
              .toFixed(2);
          expect(sum((l) => l.pricing.price)).toBe(net);
          expect(sum((l) => l.tax.amount)).toBe(new Big(taxPence).div(100).toFixed(2));
          for (const l of lines) expect(String(l.pricing.price)).toMatch(/^\d+(\.\d{1,2})?$/);
        },
      ),
      { seed: 20261122, numRuns: 200 },
    );
  });

  it('books an untaxed line with the No Tax id', () => {
    const body = mapOne(withLines([line('towel-linen-nat', 2, '5.00', '5.00', 0)]));
    expect(body.line_items!.map((l) => [l.tax.id, l.tax.amount])).toEqual([[NOTAX, 0]]);
  });
});

describe('map-order-to-lightspeed-x: Pay on Account', () => {
  const hold = { ...VARIABLES, on_account_mode: 'hold' };
  const release = { ...VARIABLES, on_account_mode: 'release' };

  it('releases an on-account order as an on-account sale, and holds it as a parked sale for finance', () => {
    const onAccount = withAccount({ payment_method: 'on_account' });
    expect(mapOne(onAccount, release)).toMatchObject({ state: 'pending', attributes: ['onaccount'] });
    expect(mapOne(onAccount, release).note).toContain('Pay on Account: released for fulfilment');
    const held = mapOne(onAccount, hold);
    expect(held.state).toBe('parked');
    expect(held.attributes).toBeUndefined();
    expect(held.note).toContain('HELD for finance');
    // Everything else about the two is the same.
    const { state: _s, attributes: _a, note: _n, ...heldRest } = held;
    const { state: _s2, attributes: _a2, note: _n2, ...releasedRest } = mapOne(onAccount, release);
    expect(heldRest).toEqual(releasedRest);
  });

  it('maps every other order identically in both modes, parked with no payment and no on-account attribute', () => {
    for (const method of ['invoice', 'platform_upfront', 'paymentByInvoice', 'paymentOnAccountish', '']) {
      const other = withAccount({ payment_method: method });
      expect(mapOne(other, hold)).toEqual(mapOne(other, release));
      expect(mapOne(other, hold)).toMatchObject({ state: 'parked' });
      expect(mapOne(other, hold).attributes).toBeUndefined();
    }
  });
});

describe('map-order-to-lightspeed-x: SKUs to X-Series products', () => {
  const parent = product('b8ca3a65-0183-11e4-fbb5-7988a6ed80f8', 'BRAVO', { has_variants: true });
  const child = product('b8ca3a65-0183-11e4-fbb5-7988a6ed80f9', 'BRAVO-BLK-S', { variant_parent_id: parent.id });
  const deleted = product('b8ca3a65-0183-11e4-fbb5-9776c5faaed2', 'OLD-MUG', {
    deleted_at: '2016-02-03T01:02:03+00:00',
  });
  const inactive = product('b8ca3a65-0183-11e4-fbb5-9776c5faaed3', 'PAUSED-MUG', { is_active: false });
  const twins = [
    product('0a6f1111-0000-4000-8000-0000000000a1', 'TWIN'),
    product('0a6f1111-0000-4000-8000-0000000000a2', 'twin'),
  ];
  const products = [...PRODUCTS, parent, child, deleted, inactive, ...twins];
  const order = (sku: string) =>
    withLines([line('towel-linen-nat', 1, '4.50', '5.40'), line(sku, 1, '10.00', '12.00')]);

  it('resolves a variant child to itself, case-insensitively', () => {
    expect(mapOne(order('bravo-blk-s'), VARIABLES, products).line_items![1]!.product.id).toBe(child.id);
  });

  it('takes product_map first', () => {
    const variables = { ...VARIABLES, product_map: `{"BRAVO-BLK-S": "${MUG}"}` };
    expect(mapOne(order('BRAVO-BLK-S'), variables, products).line_items![1]!.product.id).toBe(MUG);
  });

  it('names the line of an unknown SKU, a family parent, an archived product and a SKU two products share', () => {
    expect(failure(order('NOPE'), VARIABLES, products)).toEqual([
      'UNMAPPED_SKU',
      'line 2: SKU NOPE is not in product_map and no X-Series product beside the orders has it',
    ]);
    expect(failure(order('BRAVO'), VARIABLES, products)).toEqual([
      'VARIANT_PARENT',
      `line 2: SKU BRAVO is product ${parent.id}, the parent of a variant family, which is not sold itself`,
    ]);
    expect(failure(order('OLD-MUG'), VARIABLES, products)).toEqual([
      'ARCHIVED_ITEM',
      `line 2: SKU OLD-MUG is product ${deleted.id}, which is deleted or inactive in X-Series`,
    ]);
    expect(failure(order('PAUSED-MUG'), VARIABLES, products)[0]).toBe('ARCHIVED_ITEM');
    expect(failure(order('TWIN'), VARIABLES, products)[0]).toBe('AMBIGUOUS_SKU');
    // product_map pointing at a product known to be deleted is caught too.
    expect(failure(order('X'), { ...VARIABLES, product_map: `{"X": "${deleted.id}"}` }, products)[0]).toBe(
      'ARCHIVED_ITEM',
    );
  });

  it('needs neither products nor product_map beside nothing: without them every SKU is unknown, never dropped', () => {
    const { records, exceptions } = mapAll([withAccount()], VARIABLES, []);
    expect(records).toEqual([]);
    expect(exceptions.map((e) => [e.code, e.message])).toEqual([
      [
        'UNMAPPED_SKU',
        'line 1: SKU mug-enamel-wht is not in product_map and no X-Series product beside the orders has it',
      ],
    ]);
  });

  it('fails the whole step on malformed products beside the orders', () => {
    expect(() =>
      run(step, { records: [withAccount()], products: [{ sku: 'no id' }] }, { variables: VARIABLES }),
    ).toThrow(/^map-order-to-lightspeed-x: the data beside the records is malformed at products/);
  });
});

describe('map-order-to-lightspeed-x: settings and refusals', () => {
  it('refuses an account that is not an X-Series customer id, and an order with none', () => {
    const { exceptions } = mapAll([withAccount({ erp_account: 'STARK-001' }), withAccount({ erp_account: null })]);
    expect(exceptions.map((e) => e.code)).toEqual(['UNRESOLVED_ACCOUNT', 'MISSING_ACCOUNT']);
  });

  it(
    'names the rate without a tax id, ' +
      'shipping without a shipping product, ' +
      'and another currency than the store’s',
    () => {
      expect(failure(withAccount(), { ...VARIABLES, tax_ids: `{"0": "${NOTAX}"}` })).toEqual([
        'UNMAPPED_TAX',
        'line 1: tax rate 20% has no X-Series tax id in tax_ids',
      ]);
      expect(failure(withAccount(), { ...VARIABLES, shipping_product_id: '' })[0]).toBe('UNMAPPED_SHIPPING');
      expect(failure(withAccount(), { ...VARIABLES, store_currency: 'eur' })).toEqual([
        'UNSUPPORTED_CURRENCY',
        'the order is in GBP, the store in EUR',
      ]);
      expect(mapOne(withAccount(), { ...VARIABLES, store_currency: 'gbp' }).customer_id).toBe(STARK);
    },
  );

  it('refuses a fractional quantity whose unit price cannot be exact', () => {
    const variables = { ...VARIABLES, unit_map: 'left_value,right_value\nMUG-ENAMEL-CASE12,mug-enamel-wht*0.7\n' };
    expect(failure(withAccount(), variables)[0]).toBe('INEXACT_UNIT_PRICE');
  });

  it('fails the whole step without a user id, and on an id setting that is not an X-Series id', async () => {
    const handler = toPatchworksHandler(step);
    const payload = JSON.stringify({ records: [withAccount()], products: PRODUCTS });
    await expect(handler({ payload, variables: { ...VARIABLES, user_id: '' } })).rejects.toThrow(
      new RegExp(
        '^map-order-to-lightspeed-x: setting "user_id" is required: The X-Series user \\(cashier\\) the sales ' +
          'are booked by: source\\.author_id',
      ),
    );
    // Once, at the start: with no orders at all too.
    await expect(handler({ payload: '[]', variables: { ...VARIABLES, user_id: ' ' } })).rejects.toThrow(
      /setting "user_id" is required/,
    );
    await expect(
      handler({ payload, variables: { ...VARIABLES, tax_ids: 'left_value,right_value\n20,VAT20' } }),
    ).rejects.toThrow(/^map-order-to-lightspeed-x: setting "tax_ids" .*the right value must be an X-Series id/);
    await expect(handler({ payload, variables: { ...VARIABLES, register_id: 'till-1' } })).rejects.toThrow(
      /setting "register_id"/,
    );
  });

  it('declares its codes and settings beside the shared ones', () => {
    expect(Object.keys(step.exceptionCodes)).toEqual(
      expect.arrayContaining([
        'MISSING_ACCOUNT',
        'UNMAPPED_UNIT',
        ...Object.keys(lightspeedXSaleMapper.exceptionCodes),
      ]),
    );
    expect(Object.keys(step.settings)).toEqual([
      'on_account_mode',
      'unit_map',
      'unmapped_units',
      'po_required',
      'po_max_length',
      'order_format',
      'user_id',
      'register_id',
      'product_map',
      'tax_ids',
      'shipping_product_id',
      'store_currency',
    ]);
  });
});

describe('the bodies against the fake X-Series', () => {
  it(
    'are accepted as they are, X-Series totals them to SparkLayer’s net, tax and gross, and a re-run ' +
      'updates the same sale',
    async () => {
      const data = await sandboxDataFromFixtures(ROOT);
      const sandbox = new LightspeedXSandbox({
        ...data,
        products: [...data.products, ...PRODUCTS],
        taxIds: [TAX20, NOTAX],
      });
      const lightspeed = new LightspeedXClient(sandboxConfig(), { fetch: inProcessFetch(sandbox) });
      const totals = orderTotals(toCanonicalOrder(purchaseSchema.parse(documented)));
      const money = (n: number | undefined) => Money.of(n, 'GBP');
      for (const mode of ['hold', 'release', 'release']) {
        const body = mapOne(withAccount(), { ...VARIABLES, on_account_mode: mode });
        const { sale } = await lightspeed.upsertSale({ ...body, id: body.id! });
        expect(sale).toMatchObject({
          id: saleIdFor(purchaseId),
          customer_id: STARK,
          state: mode === 'hold' ? 'parked' : 'pending',
          source: { id: purchaseId, type: 'SparkLayer' },
        });
        expect(money(sale.totals?.price).equals(totals.net)).toBe(true);
        expect(money(sale.totals?.tax).equals(totals.tax)).toBe(true);
        expect(money(sale.totals?.price_incl_tax).equals(totals.gross)).toBe(true);
      }
      // Released after being held, then sent again: still one sale, with its three lines.
      expect(sandbox.sales).toHaveLength(1);
      expect(sandbox.sales[0]!.line_items).toHaveLength(3);
      expect(sandbox.sales[0]!.attributes).toEqual(['onaccount']);
    },
  );
});
