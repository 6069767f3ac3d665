// The fake NetSuite computes a sales order's header totals the way NetSuite does when it stores one, in decimal:
// subtotal from the item lines, the tax from the tax details when they are overridden, shippingCost, discountTotal,
// and total, read back through the client by external ID or internal ID. Orders can be seeded with totals that
// deliberately differ, for the reconciliation to find.
import Big from 'big.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { NetSuiteClient } from '../../../../connectors/netsuite/dev/client.js';
import { NetSuiteApiError } from '../../../../connectors/netsuite/dev/errors.js';
import {
  NetSuiteSandbox,
  SANDBOX_ACCOUNT_ID,
  SANDBOX_BASE_URL,
  SANDBOX_CREDENTIALS,
  salesOrderTotals,
  sandboxConfig,
  sandboxDataFromFixtures,
} from '../../../../connectors/netsuite/dev/sandbox.js';
import type { SalesOrder, SalesOrderBody } from '../../../../connectors/netsuite/schemas.js';
import { toDecimal } from '../../../../model/money.js';
import { mswHandlers } from '../../../../contracts/hosts.js';
import { server } from '../../../support/msw.js';
import { ROOT } from '../../../support/steps.js';

const fixtureData = await sandboxDataFromFixtures(ROOT);
const clock = Date.parse('2026-11-22T09:00:00Z');
let sandbox: NetSuiteSandbox;

beforeEach(() => {
  sandbox = new NetSuiteSandbox(fixtureData, SANDBOX_ACCOUNT_ID, SANDBOX_CREDENTIALS, () => clock);
  server.use(...mswHandlers(SANDBOX_BASE_URL, sandbox));
});

const client = () =>
  new NetSuiteClient(sandboxConfig(), { sleep: async () => {}, now: () => clock, random: () => 1, log: () => {} });
const d = (value: unknown) => toDecimal(value, 'amount');
const EXTERNAL_ID = 'a3c1e2d4-5b6f-4a7b-8c9d-0e1f2a3b4c5d';

/** SparkLayer's order as the mapper writes it: lines 96.00 + 54.00, shipping 7.50, 20% tax overridden line by line. */
const ORDER: SalesOrderBody = {
  externalId: EXTERNAL_ID,
  entity: { id: '110' },
  otherRefNum: 'PO-4471',
  orderStatus: 'A',
  item: {
    items: [
      { item: { id: '98' }, quantity: 24, rate: 4, amount: 96.0, taxDetailsReference: 'L1' },
      { item: { id: '77' }, quantity: 12, rate: 4.5, amount: 54.0, taxDetailsReference: 'L2' },
    ],
  },
  shippingCost: 7.5,
  taxDetailsOverride: true,
  taxDetails: {
    items: [
      {
        taxDetailsReference: 'L1',
        taxType: { id: '2' },
        taxCode: { id: '15' },
        taxBasis: 96,
        taxRate: 20,
        taxAmount: 19.2,
      },
      {
        taxDetailsReference: 'L2',
        taxType: { id: '2' },
        taxCode: { id: '15' },
        taxBasis: 54,
        taxRate: 20,
        taxAmount: 10.8,
      },
      {
        taxDetailsReference: 'SHIPPING',
        taxType: { id: '2' },
        taxCode: { id: '15' },
        taxBasis: 7.5,
        taxRate: 20,
        taxAmount: 1.5,
      },
    ],
  },
};

const totals = (order: SalesOrder) => ({
  subtotal: order.subtotal,
  discountTotal: order.discountTotal,
  shippingCost: order.shippingCost,
  taxTotal: order.taxTotal,
  total: order.total,
});

describe('fake NetSuite: sales order totals', () => {
  it(
    'reads an upserted order back with its totals equal to the decimal sums, by external ID and by ' + 'internal ID',
    async () => {
      const api = client();
      const { id } = await api.upsertSalesOrder(EXTERNAL_ID, ORDER);
      const byExternalId = await api.getSalesOrderByExternalId(EXTERNAL_ID);
      const byId = await api.getSalesOrder(id!);
      expect(totals(byExternalId)).toEqual({
        subtotal: 150,
        discountTotal: 0,
        shippingCost: 7.5,
        taxTotal: 31.5,
        total: 189,
      });
      expect(totals(byId)).toEqual(totals(byExternalId));

      const subtotal = new Big('96.00').plus('54.00');
      const tax = new Big('19.20').plus('10.80').plus('1.50');
      expect(d(byId.subtotal).eq(subtotal)).toBe(true);
      expect(d(byId.taxTotal).eq(tax)).toBe(true);
      expect(d(byId.taxTotal).eq('31.50')).toBe(true);
      expect(d(byId.total).eq(subtotal.plus('7.50').plus(tax))).toBe(true);
      expect(d(byId.total).eq('189.00')).toBe(true);
    },
  );

  it('adds in decimal, never in binary floats: 0.10 + 0.20 is 0.30', async () => {
    const api = client();
    await api.upsertSalesOrder(EXTERNAL_ID, {
      ...ORDER,
      item: {
        items: [
          { item: { id: '98' }, quantity: 1, amount: 0.1 },
          { item: { id: '77' }, quantity: 1, amount: 0.2 },
        ],
      },
      shippingCost: 0.1,
      taxDetails: {
        items: [
          { taxDetailsReference: 'L1', taxAmount: 0.02 },
          { taxDetailsReference: 'L2', taxAmount: 0.04 },
        ],
      },
    });
    expect(totals(await api.getSalesOrderByExternalId(EXTERNAL_ID))).toEqual({
      subtotal: 0.3,
      discountTotal: 0,
      shippingCost: 0.1,
      taxTotal: 0.06,
      total: 0.46,
    });
  });

  it(
    'leaves the tax at 0 without a tax details override (the sandbox has no tax engine), and counts rate × ' +
      'quantity for a line with no amount',
    async () => {
      const api = client();
      const { taxDetailsOverride: _o, taxDetails: _t, ...untaxed } = ORDER;
      await api.upsertSalesOrder(EXTERNAL_ID, {
        ...untaxed,
        item: { items: [{ item: { id: '98' }, quantity: 3, rate: 3.33333333 }] },
      });
      const order = await api.getSalesOrderByExternalId(EXTERNAL_ID);
      expect(totals(order)).toEqual({ subtotal: 10, discountTotal: 0, shippingCost: 7.5, taxTotal: 0, total: 17.5 });
    },
  );

  it('takes a header discount the body carries (negative, as NetSuite writes it) into the total', async () => {
    const api = client();
    await api.upsertSalesOrder(EXTERNAL_ID, { ...ORDER, discountTotal: -15 });
    expect(totals(await api.getSalesOrderByExternalId(EXTERNAL_ID))).toEqual({
      subtotal: 150,
      discountTotal: -15,
      shippingCost: 7.5,
      taxTotal: 31.5,
      total: 174,
    });
  });

  it('works the totals out afresh on update, and ignores totals a body sends (NetSuite computes them)', async () => {
    const api = client();
    await api.upsertSalesOrder(EXTERNAL_ID, ORDER);
    await api.upsertSalesOrder(EXTERNAL_ID, {
      ...ORDER,
      item: { items: [ORDER.item.items[0]!] },
      shippingCost: 5,
      taxDetails: { items: [ORDER.taxDetails!.items[0]!] },
      total: 1,
      subtotal: 1,
    } as SalesOrderBody);
    expect(totals(await api.getSalesOrderByExternalId(EXTERNAL_ID))).toEqual({
      subtotal: 96,
      discountTotal: 0,
      shippingCost: 5,
      taxTotal: 19.2,
      total: 120.2,
    });
  });

  it('refuses an amount that is not a number, as NetSuite refuses an invalid field value', async () => {
    const body = { ...ORDER, shippingCost: '7.50' } as unknown as SalesOrderBody;
    const error = (await client()
      .upsertSalesOrder(EXTERNAL_ID, body)
      .catch((e: unknown) => e)) as NetSuiteApiError;
    expect(error).toBeInstanceOf(NetSuiteApiError);
    expect(error.details.errorDetails).toEqual([
      {
        detail: 'Invalid Field Value "7.50" for the following field: shippingCost',
        'o:errorCode': 'INVALID_FLD_VALUE',
        'o:errorPath': 'shippingCost',
      },
    ]);
    expect(sandbox.salesOrderByExternalId(EXTERNAL_ID)).toBeUndefined();
  });

  it('computes the same totals outside a request (salesOrderTotals)', () => {
    expect(salesOrderTotals(ORDER as unknown as Record<string, unknown>)).toEqual({
      subtotal: 150,
      discountTotal: 0,
      taxTotal: 31.5,
      total: 189,
    });
  });
});

describe('fake NetSuite: seeded sales orders', () => {
  it('holds the docs-derived order with its totals, as GET returns it', async () => {
    const order = await client().getSalesOrderByExternalId('6301bbfc-a0c5-454e-8ff9-bb510944fe0c');
    expect(order).toMatchObject({ id: '57', tranId: 'SO57', currency: { id: '2', refName: 'British pound' } });
    expect(totals(order)).toEqual({ subtotal: 150, discountTotal: 0, shippingCost: 7.5, taxTotal: 31.5, total: 189 });
  });

  it('seeds an order whose totals deliberately differ from its lines, and GET returns them as seeded', async () => {
    const seeded = sandbox.seedSalesOrder(
      { ...ORDER, externalId: 'sl-seeded-1' },
      { totals: { taxTotal: 30, total: 187.5 } },
    );
    expect(seeded).toMatchObject({ externalId: 'sl-seeded-1', tranId: `SO${String(seeded.id)}` });
    const order = await client().getSalesOrder(String(seeded.id));
    expect(totals(order)).toEqual({ subtotal: 150, discountTotal: 0, shippingCost: 7.5, taxTotal: 30, total: 187.5 });
    expect(d(order.total).eq('189.00')).toBe(false);
    expect(sandbox.calls).toEqual([`GET /record/v1/salesOrder/${String(seeded.id)}`]);
  });

  it(
    'seeds an order with the totals its lines give when none are named, and refuses a second order with ' +
      'the same external ID',
    () => {
      const seeded = sandbox.seedSalesOrder({
        externalId: 'sl-seeded-2',
        id: '4242',
        entity: { id: '110' },
        item: ORDER.item,
        shippingCost: 7.5,
      });
      expect(seeded).toMatchObject({
        id: '4242',
        tranId: 'SO4242',
        subtotal: 150,
        discountTotal: 0,
        taxTotal: 0,
        total: 157.5,
      });
      expect(() => sandbox.seedSalesOrder({ externalId: 'sl-seeded-2' })).toThrow(
        /already holds a sales order with externalId sl-seeded-2/,
      );
      expect(() => sandbox.seedSalesOrder({ id: '4242' })).toThrow(/already holds a sales order with id 4242/);
    },
  );

  it('keeps orders given in SandboxData exactly as given, totals included', async () => {
    sandbox = new NetSuiteSandbox(
      { customers: [], salesOrders: [{ id: '7', externalId: 'sl-given', item: ORDER.item, subtotal: 1, total: 2 }] },
      SANDBOX_ACCOUNT_ID,
      SANDBOX_CREDENTIALS,
      () => clock,
    );
    server.use(...mswHandlers(SANDBOX_BASE_URL, sandbox));
    expect(await client().getSalesOrderByExternalId('sl-given')).toMatchObject({ id: '7', subtotal: 1, total: 2 });
  });
});
