import { describe, expect, it } from 'vitest';
import {
  purchaseHeader,
  readGraphqlOrder,
  readRestOrder,
  sparkLayerCustomerIds,
} from '../../../connectors/shopify/order-reader.js';
import { OrderReadError } from '../../../connectors/sparklayer/canonical-order.js';
import { orderTotals, type CanonicalOrder } from '../../../model/order.js';
import { step as filterLiveOrders } from '../../../scripts/filter-live-orders/step.js';
import { fixtureBody } from '../../support/fixtures.js';
import { run } from '../../support/run.js';

type Json = Record<string, unknown>;
const fixture = (file: string) => fixtureBody(`fixtures/shopify/${file}`) as Json;
const clone = (value: Json): Json => structuredClone(value);

const b2bDraft = fixture('graphql/draft-order.b2b-on-account.json');
const quoteDraft = fixture('graphql/draft-order.quote.json');
const cardOrder = fixture('graphql/order.paid-card.json');
const restCardOrder = fixture('rest/order.paid-card.json');
const restB2bDraft = fixture('rest/draft-order.b2b-on-account.json');

/** SparkLayer customers synced from Shopify carry the Shopify customer id as external_id. */
const customers = sparkLayerCustomerIds([
  { id: 'a1b2c3d4-0000-4000-8000-000000007701', external_id: '7701' },
  { id: 'a1b2c3d4-0000-4000-8000-000000007702', external_id: '7702' },
  { id: 'not-synced-from-shopify' },
]);

/** Amounts as text, so that a failure shows the figures. */
const figures = (order: CanonicalOrder) => ({
  lines: order.lines.map((line) => ({
    sku: line.sku,
    quantity: line.quantity.toFixed(),
    net: line.net.text(),
    discount: line.discount.text(),
    tax: line.tax.text(),
    gross: line.gross.text(),
    taxRate: line.taxRate?.toFixed(),
  })),
  shipping: {
    method: order.shipping.method,
    net: order.shipping.net.text(),
    tax: order.shipping.tax.text(),
    gross: order.shipping.gross.text(),
  },
  gross: orderTotals(order).gross.text(),
});

describe('Shopify order reader', () => {
  it('reads a B2B draft order on account as a live Pay on Account order with its PO and line discount', () => {
    const order = readGraphqlOrder(b2bDraft, customers);
    expect(order).toMatchObject({
      id: '3f2b6c1e-8d4a-4b7e-9c21-5a6d7e8f9a01',
      reference: '#D11',
      po: 'PO-7781',
      currency: 'GBP',
      placedAt: '2026-11-20T10:15:00Z',
      paymentMethod: 'on_account',
      customerId: 'a1b2c3d4-0000-4000-8000-000000007701',
    });
    expect(figures(order)).toEqual({
      lines: [
        {
          sku: 'MUG-STONE-12',
          quantity: '12',
          net: '48.60',
          discount: '5.40',
          tax: '9.72',
          gross: '58.32',
          taxRate: '20',
        },
        {
          sku: 'JUG-STONE-1L',
          quantity: '2',
          net: '24.00',
          discount: '0.00',
          tax: '4.80',
          gross: '28.80',
          taxRate: '20',
        },
      ],
      shipping: { method: 'Standard delivery', net: '6.50', tax: '1.30', gross: '7.80' },
      gross: '94.92',
    });
    expect(purchaseHeader(order).type).toBe('order');
  });

  it("finds the SparkLayer customer through the buyer's Shopify company id before the customer id", () => {
    const withCompany = new Map([...customers, ['4401', 'company-primary-customer']]);
    expect(readGraphqlOrder(b2bDraft, withCompany).customerId).toBe('company-primary-customer');
  });

  it('reads a paid card order, its shipping lines a connection', () => {
    const order = readGraphqlOrder(cardOrder, customers);
    expect(order).toMatchObject({
      id: 'c4d5e6f7-0a1b-4c2d-8e3f-4a5b6c7d8e9f',
      reference: '#1042',
      po: 'PO-7790',
      placedAt: '2026-11-21T14:02:00Z',
      paymentMethod: 'card',
      customerId: 'a1b2c3d4-0000-4000-8000-000000007702',
    });
    expect(figures(order).gross).toBe('51.00');
  });

  it('reads a quote draft as payment method quote, which filter-live-orders skips; the live draft passes', () => {
    const quote = readGraphqlOrder(quoteDraft, customers);
    expect(quote.paymentMethod).toBe('quote');
    const live = readGraphqlOrder(b2bDraft, customers);
    const { envelope } = run(filterLiveOrders, [purchaseHeader(quote), purchaseHeader(live)]);
    expect(envelope.records).toEqual([purchaseHeader(live)]);
    expect(envelope.skipped).toEqual([{ id: quote.id, step: 'filter-live-orders', reason: 'type:quote' }]);
  });

  it('skips the order a draft became as a duplicate: both carry the same sparkCartId', () => {
    const completed = { ...clone(b2bDraft), id: 'gid://shopify/Order/5600', name: '#1050' };
    const headers = [b2bDraft, completed].map((record) => purchaseHeader(readGraphqlOrder(record, customers)));
    const { envelope } = run(filterLiveOrders, headers);
    expect(envelope.records).toHaveLength(1);
    expect(envelope.skipped.map((skip) => skip.reason)).toEqual(['duplicate']);
  });

  it.each([
    ['paid card order', cardOrder, restCardOrder],
    ['B2B draft order', b2bDraft, restB2bDraft],
  ])('reads the same %s in the GraphQL and REST shapes into the same canonical order', (_, graphql, rest) => {
    const fromGraphql = readGraphqlOrder(graphql, customers);
    const fromRest = readRestOrder(rest, customers);
    expect({ ...fromRest, ...figures(fromRest) }).toEqual({ ...fromGraphql, ...figures(fromGraphql) });
  });

  it('takes connections as edges of nodes, and the tax out of prices that include it', () => {
    const record = clone(cardOrder);
    const lines = (record.lineItems as { nodes: Json[] }).nodes;
    record.lineItems = { edges: lines.map((node) => ({ node })) };
    record.taxesIncluded = true;
    expect(figures(readGraphqlOrder(record, customers)).lines[0]).toMatchObject({
      net: '28.80',
      tax: '7.20',
      gross: '36.00',
    });
  });

  it('refuses REST plain amounts in the shop currency when the customer paid in another', () => {
    const record = { ...clone(restB2bDraft), presentment_currency: 'EUR' };
    expect(() => readRestOrder(record, customers)).toThrow(
      "line_items[0].price_set: missing; line_items[0].price is in the shop's GBP, the customer paid in EUR",
    );
  });

  const without = (record: Json, change: (copy: Json) => void) => {
    const copy = clone(record);
    change(copy);
    return copy;
  };
  it.each([
    [
      'no sparkCartId',
      () =>
        readGraphqlOrder(
          without(cardOrder, (copy) => (copy.customAttributes = [])),
          customers,
        ),
      'customAttributes: no sparkCartId; SparkLayer tags every order it books',
    ],
    [
      'no sparkCartId (REST)',
      () =>
        readRestOrder(
          without(restCardOrder, (copy) => (copy.note_attributes = null)),
          customers,
        ),
      'note_attributes: no sparkCartId',
    ],
    [
      'a line without a SKU',
      () =>
        readGraphqlOrder(
          without(b2bDraft, (copy) => ((copy.lineItems as { nodes: Json[] }).nodes[1]!.sku = '')),
          customers,
        ),
      'lineItems[1].sku: missing; without a SKU the line cannot be matched to a product',
    ],
    [
      'an amount that is not a number',
      () =>
        readRestOrder(
          without(restCardOrder, (copy) =>
            Object.assign((copy.line_items as Json[])[0]!, { price: 'twelve', price_set: undefined }),
          ),
          customers,
        ),
      'line_items[0].price: "twelve" is not a decimal number',
    ],
    [
      'a line total in another currency',
      () =>
        readGraphqlOrder(
          without(b2bDraft, (copy) => {
            const line = (copy.lineItems as { nodes: Json[] }).nodes[1]!;
            line.discountedTotalSet = { presentmentMoney: { amount: '24.00', currencyCode: 'EUR' } };
          }),
          customers,
        ),
      'lineItems[1].discountedTotalSet.presentmentMoney: in EUR, the order is in GBP',
    ],
    [
      'a line with no line total',
      () =>
        readRestOrder(
          without(restCardOrder, (copy) => (copy.line_items = [{ sku: 'X', quantity: 1 }])),
          customers,
        ),
      'line_items[0].price: missing',
    ],
    [
      'line items not selected (GraphQL)',
      () =>
        readGraphqlOrder(
          without(cardOrder, (copy) => delete copy.lineItems),
          customers,
        ),
      'lineItems: missing; the query must select lineItems (nodes or edges)',
    ],
    [
      'line items missing (REST)',
      () =>
        readRestOrder(
          without(restCardOrder, (copy) => delete copy.line_items),
          customers,
        ),
      'line_items: missing; a Shopify order has line_items',
    ],
    [
      'a customer SparkLayer does not know',
      () => readGraphqlOrder(b2bDraft, new Map()),
      'purchasingEntity.company.id 4401, customer.id 7701: no SparkLayer customer has this Shopify id',
    ],
    [
      'no customer at all',
      () =>
        readRestOrder(
          without(restCardOrder, (copy) => (copy.customer = null)),
          customers,
        ),
      'company.id, customer.id: missing; the order names no customer',
    ],
  ])('throws an OrderReadError naming the field for %s', (_, read, message) => {
    expect(read).toThrow(OrderReadError);
    expect(read).toThrow(message);
  });
});
