// The Shopify fixtures (fixtures/shopify) as the order steps read them with order_format, and the SparkLayer customers
// synced from Shopify that own them (external_id is the Shopify customer id).
import { fixtureBody } from './fixtures.js';

type Json = Record<string, unknown>;
const fixture = (file: string) => fixtureBody(`fixtures/shopify/${file}`) as Json;

export const shopify = {
  graphql: {
    b2bDraft: fixture('graphql/draft-order.b2b-on-account.json'),
    quoteDraft: fixture('graphql/draft-order.quote.json'),
    cardOrder: fixture('graphql/order.paid-card.json'),
  },
  rest: {
    b2bDraft: fixture('rest/draft-order.b2b-on-account.json'),
    cardOrder: fixture('rest/order.paid-card.json'),
  },
};

/** The sparkCartId each fixture carries: the purchase id of its canonical order. */
export const CART_IDS = {
  b2bDraft: '3f2b6c1e-8d4a-4b7e-9c21-5a6d7e8f9a01',
  quoteDraft: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  cardOrder: 'c4d5e6f7-0a1b-4c2d-8e3f-4a5b6c7d8e9f',
};

/** SparkLayer customers beside the orders: the B2B buyer (7701) and the card buyer (7702), each with an ERP account. */
export const shopifyCustomers = [
  { id: 'a1b2c3d4-0000-4000-8000-000000007701', external_id: '7701', accounting_id: 'NS-7701' },
  { id: 'a1b2c3d4-0000-4000-8000-000000007702', external_id: '7702', accounting_id: 'NS-7702' },
];

/** The record with one line's SKU removed: a Shopify order that cannot be read, naming the field. */
export function withoutFirstSku(record: Json): Json {
  const copy = structuredClone(record);
  const lines = (copy.lineItems as { nodes?: Json[] } | undefined)?.nodes ?? (copy.line_items as Json[]);
  delete lines[0]!.sku;
  return copy;
}
