// Every NetSuite fixture parses with the schema of the endpoint it stands for, cites Oracle's documentation, and
// holds the cases the client and the sandbox rely on (credit hold On and Auto, a SuiteQL page with more to come,
// the error body with o:errorDetails, a 429, a sales order with its header totals).
import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  customerSchema,
  errorEnvelopeSchema,
  salesOrderSchema,
  stockLevelRowSchema,
  suiteQLPageSchema,
} from '../../../connectors/netsuite/schemas.js';
import { itemFulfillmentSchema, returnTransactionSchema } from '../../../connectors/netsuite/fulfilment-reader.js';
import { toDecimal } from '../../../model/money.js';
import { loadFixtures } from '../../../contracts/fixtures.js';
import { ROOT } from '../../support/steps.js';

const FIXTURE_SCHEMAS: Record<string, z.ZodType> = {
  'fixtures/netsuite/sales-orders/get.json': salesOrderSchema,
  'fixtures/netsuite/sales-orders/get.with-totals.json': salesOrderSchema,
  'fixtures/netsuite/customers/get.credit-hold-on.json': customerSchema,
  'fixtures/netsuite/customers/get.credit-hold-auto.json': customerSchema,
  'fixtures/netsuite/suiteql/customers.page-1.json': suiteQLPageSchema,
  'fixtures/netsuite/suiteql/inventory-item-locations.json': suiteQLPageSchema.extend({
    items: z.array(stockLevelRowSchema),
  }),
  // Sales order lines joined to their order's type and status (the Pending Approval query's table in the sandbox).
  'fixtures/netsuite/suiteql/sales-order-lines.json': suiteQLPageSchema.extend({
    items: z.array(
      z.looseObject({
        transaction: z.string(),
        id: z.string(),
        type: z.literal('SalesOrd'),
        status: z.string(),
        mainline: z.enum(['T', 'F']),
        taxline: z.enum(['T', 'F']),
        isclosed: z.enum(['T', 'F']),
        item: z.string().optional(),
        itemid: z.string().optional(),
        location: z.string().optional(),
        quantity: z
          .string()
          .regex(/^-?\d+(\.\d+)?$/)
          .optional(),
      }),
    ),
  }),
  // Item fulfillments and a credit memo, as the fulfilment reader reads them (fulfilment-reader.test.ts: whole).
  'fixtures/netsuite/fulfilments/item-fulfillment.partial.json': itemFulfillmentSchema,
  'fixtures/netsuite/fulfilments/item-fulfillment.completing.json': itemFulfillmentSchema,
  'fixtures/netsuite/fulfilments/credit-memo.partial-return.json': returnTransactionSchema,
  'fixtures/netsuite/fulfilments/return-authorization.partial-return.json': returnTransactionSchema,
  // Every transaction the sandbox holds, as its SuiteQL transaction table (the fulfilment queries' table).
  'fixtures/netsuite/suiteql/transactions.json': suiteQLPageSchema.extend({
    items: z.array(
      z.strictObject({
        links: z.array(z.unknown()),
        id: z.string().regex(/^\d+$/),
        type: z.enum(['SalesOrd', 'ItemShip', 'CustCred', 'RtnAuth']),
        externalid: z.string().optional(),
        createdfrom: z.string().regex(/^\d+$/).optional(),
        lastmodifieddate: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      }),
    ),
  }),
  // Item prices per level, currency and quantity break, joined to the item's itemid, the level's name and the
  // currency's symbol (the price query's table in the sandbox: connectors/netsuite/price-reader.ts).
  'fixtures/netsuite/suiteql/item-prices.json': suiteQLPageSchema.extend({
    items: z.array(
      z.strictObject({
        links: z.array(z.unknown()),
        item: z.string().regex(/^\d+$/),
        itemid: z.string().min(1),
        pricelevel: z.string().regex(/^\d+$/),
        name: z.string().min(1),
        currency: z.string().regex(/^\d+$/),
        symbol: z.string().regex(/^[A-Z]{3}$/),
        quantity: z.string().regex(/^\d+(\.\d+)?$/),
        unitprice: z.string().regex(/^\d+(\.\d+)?$/),
      }),
    ),
  }),
  'fixtures/netsuite/errors/400.field-required.json': errorEnvelopeSchema,
  'fixtures/netsuite/errors/401.invalid-login.json': errorEnvelopeSchema,
  'fixtures/netsuite/errors/429.concurrency.json': errorEnvelopeSchema,
};

const fixtures = (await loadFixtures(ROOT, 'netsuite')).map((f) => ({ ...f, file: f.file.split('\\').join('/') }));
const body = (file: string) =>
  fixtures.find((f) => f.file === `fixtures/netsuite/${file}`)?.body as Record<string, unknown>;

describe('NetSuite fixtures', () => {
  it.each(fixtures.map((f) => [f.file, f] as const))('%s parses with its endpoint schema', (file, fixture) => {
    const schema = FIXTURE_SCHEMAS[file];
    expect(schema, `${file} has no schema in FIXTURE_SCHEMAS`).toBeDefined();
    const parsed = schema!.safeParse(fixture.body);
    expect(parsed.error, parsed.error?.message).toBeUndefined();
  });

  it('include every fixture the schema map names', () => {
    expect(fixtures.map((f) => f.file).sort()).toEqual(Object.keys(FIXTURE_SCHEMAS).sort());
  });

  it('are built from Oracle’s documentation and say so, citing docs.oracle.com first', () => {
    for (const { file, provenance } of fixtures) {
      expect(provenance.origin, file).toBe('vendor-docs');
      if (provenance.origin !== 'vendor-docs') continue;
      expect(provenance.sources[0]?.url, file).toMatch(/^https:\/\/docs\.oracle\.com\/en\/cloud\/saas\/netsuite\//);
      for (const source of provenance.sources)
        expect(source.url, file).toMatch(/^https:\/\/(docs\.oracle\.com|system\.netsuite\.com)\//);
    }
  });

  it('give a customer on credit hold (ON) and one NetSuite decides for (AUTO)', () => {
    expect(customerSchema.parse(body('customers/get.credit-hold-on.json')).creditHoldOverride?.id).toBe('ON');
    expect(customerSchema.parse(body('customers/get.credit-hold-auto.json')).creditHoldOverride?.id).toBe('AUTO');
  });

  it('give a SuiteQL page with more to come: hasMore, and a next link at the next offset', () => {
    const page = suiteQLPageSchema.parse(body('suiteql/customers.page-1.json'));
    expect(page.hasMore).toBe(true);
    expect(page.count).toBe(page.items.length);
    expect(page.links?.find((l) => l.rel === 'next')?.href).toMatch(/[?&]offset=2(&|$)/);
  });

  it('give stock rows as Oracle defines them: available is on hand less committed, never below 0', () => {
    const page = suiteQLPageSchema
      .extend({ items: z.array(stockLevelRowSchema) })
      .parse(body('suiteql/inventory-item-locations.json'));
    expect(page.items.length).toBeGreaterThan(0);
    for (const row of page.items) {
      const onHand = toDecimal(row.quantityonhand ?? '0', 'quantityonhand');
      const committed = toDecimal(row.quantitycommitted ?? '0', 'quantitycommitted');
      const available = onHand.minus(committed);
      expect(toDecimal(row.quantityavailable ?? '0', 'quantityavailable').toFixed(), row.item).toBe(
        available.lt(0) ? '0' : available.toFixed(),
      );
    }
    expect(page.items.some((row) => row.isinactive === 'T')).toBe(true);
    expect(page.items.some((row) => row.matrixtype === 'PARENT')).toBe(true);
  });

  it('give item prices for items the other fixtures hold: a base break (0) per item and level, a break from 24', () => {
    const page = z
      .object({ items: z.array(z.record(z.string(), z.unknown())) })
      .parse(body('suiteql/item-prices.json'));
    const stock = z
      .object({ items: z.array(z.object({ item: z.string(), itemid: z.string() })) })
      .parse(body('suiteql/inventory-item-locations.json'));
    const skus = new Map(stock.items.map((row) => [row.item, row.itemid]));
    for (const row of page.items) expect(skus.get(row.item as string), String(row.item)).toBe(row.itemid);
    const key = (row: Record<string, unknown>) =>
      `${String(row.item)}/${String(row.pricelevel)}/${String(row.currency)}`;
    const bases = new Set(page.items.filter((row) => row.quantity === '0').map(key));
    for (const row of page.items) expect(bases.has(key(row)), key(row)).toBe(true);
    expect(page.items.some((row) => row.quantity !== '0')).toBe(true);
  });

  it('give error bodies with o:errorDetails, and the 429 NetSuite answers at its concurrency limit', () => {
    const bad = errorEnvelopeSchema.parse(body('errors/400.field-required.json'));
    expect(bad.status).toBe(400);
    expect(bad['o:errorDetails']?.[0]).toMatchObject({ 'o:errorPath': 'entity', 'o:errorCode': 'FIELD_PARAM_REQD' });
    expect(errorEnvelopeSchema.parse(body('errors/429.concurrency.json')).status).toBe(429);
  });

  it(
    'give a sales order with the fields the mapper writes: externalId, otherRefNum, orderStatus, lines ' +
      'with rate and amount',
    () => {
      const order = salesOrderSchema.parse(body('sales-orders/get.json'));
      expect(order).toMatchObject({
        externalId: 'sl-1001',
        otherRefNum: 'PO-4471',
        orderStatus: { id: 'B' },
        entity: { id: '110' },
      });
      expect(order.item?.items?.[0]).toMatchObject({ item: { id: '98' }, quantity: 3, rate: 3.33333333, amount: 10 });
    },
  );

  it('give a sales order with its header totals, each the decimal sum NetSuite computes', () => {
    const order = salesOrderSchema.parse(body('sales-orders/get.with-totals.json'));
    expect(order).toMatchObject({
      externalId: '6301bbfc-a0c5-454e-8ff9-bb510944fe0c',
      otherRefNum: 'PO-4471',
      taxDetailsOverride: true,
    });
    expect(order).toMatchObject({ subtotal: 150, discountTotal: 0, shippingCost: 7.5, taxTotal: 31.5, total: 189 });
    // refName is the account's name for its currency record, not an ISO code.
    expect(order.currency).toMatchObject({ id: '2', refName: 'British pound' });
    const d = (value: unknown) => toDecimal(value, 'fixture amount');
    const subtotal = (order.item?.items ?? []).reduce((sum, line) => sum.plus(d(line.amount)), new Big(0));
    const rows = (body('sales-orders/get.with-totals.json').taxDetails as { items: Array<{ taxAmount: number }> })
      .items;
    const taxTotal = rows.reduce((sum, row) => sum.plus(d(row.taxAmount)), new Big(0));
    expect(d(order.subtotal).eq(subtotal)).toBe(true);
    expect(d(order.taxTotal).eq(taxTotal)).toBe(true);
    expect(d(order.total).eq(subtotal.plus(d(order.discountTotal)).plus(d(order.shippingCost)).plus(taxTotal))).toBe(
      true,
    );
    expect(d(order.total).eq('189.00')).toBe(true);
  });

  it('hold no credential', () => {
    const text = JSON.stringify(fixtures);
    expect(text).not.toMatch(/oauth_signature|consumer_?secret|token_?secret/i);
  });
});
