// A worked example of map-prices-to-lightspeed-x, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { tableCsv } from '../../runtime/tables.js';
import { step } from './step.js';

// Ids from fixtures/lightspeed-x (the vendor documentation's examples): the Trade book, the VIP customer group, the
// mug (SKU 0003), the deleted product (0005), the variant parent and its variant, and the documentation's tax id.
const TRADE = 'dc85058a-a683-11e4-ef46-e1535cf1ebe5';
const VIP = 'dc85058a-a683-11e5-e112-46b9bd1f069e';
const MUG = 'b8ca3a65-0183-11e4-fbb5-9776c5cd0240';
const TAX = '0242ac12-0002-11e9-e8c4-6594948eac5c';
const row = (price_list: string, sku: string, quantity: number | string, price: string, extra = {}) => ({
  price_list,
  sku,
  currency: 'GBP',
  quantity,
  price,
  tax_inclusive: false,
  ...extra,
});

export const sample = defineSample(step, {
  variables: {
    list_to_price_book: tableCsv(['trade-gbp,Trade', 'contract-gbp,Contract 2027']),
    price_book_customer_groups: tableCsv(['trade-gbp,VIP', 'contract-gbp,VIP']),
    store_currency: 'GBP',
    tax_id: TAX,
    as_of: '2026-12-08T09:00:00Z',
  },
  records: [
    // The mug's base price as X-Series holds it: unchanged, counted.
    row('trade-gbp', '0003', 1, '4.50'),
    // Its break from 24 units changed: a PATCH of that entry, carried by this record.
    row('trade-gbp', '0003', 24, '4.10'),
    // A new break from 48 units: an add.
    row('trade-gbp', '0003', '48', '3.95'),
    // A book X-Series does not have yet: created for the VIP group; its prices follow next run.
    row('contract-gbp', '0003', 1, '4.00'),
    // A SKU X-Series does not have, a tax-inclusive price, a price in another currency, a deleted product.
    row('trade-gbp', 'NO-SUCH-SKU', 1, '1.00'),
    row('trade-gbp', '0003', 12, '5.40', { tax_inclusive: true }),
    row('trade-gbp', '0003', 6, '5.00', { currency: 'EUR' }),
    row('trade-gbp', '0005', 1, '3.50'),
    // A list no book is mapped to.
    row('retail-gbp', '0003', 1, '5.99'),
  ],
  beside: {
    price_books: [{ data: [{ id: TRADE, name: 'Trade', type: 'GENERAL', customer_group_ids: [VIP], version: 1 }] }],
    products: [
      {
        data: [
          { id: MUG, sku: '0003', active: true, version: 1 },
          { id: 'b8ca3a65-0183-11e4-fbb5-9776c5faaed2', sku: '0005', deleted_at: '2016-02-03T01:02:03+00:00' },
        ],
      },
    ],
    price_book_products: [
      {
        data: [
          { id: 'pbp-1', price_book_id: TRADE, product_id: MUG, price: 4.5, min_units: 1, tax_id: TAX, version: 2 },
          { id: 'pbp-2', price_book_id: TRADE, product_id: MUG, price: 4.2, min_units: 24, tax_id: TAX, version: 3 },
        ],
      },
    ],
    customer_groups: [{ data: [{ id: VIP, name: 'VIP', version: 4 }] }],
  },
  expected: {
    passed: ['0003@trade-gbp', '0003@trade-gbp x24', '0003@trade-gbp x48'],
    skipped: [
      { id: '0003@contract-gbp', reason: 'awaiting-price-book' },
      { id: '0005@trade-gbp', reason: 'deleted-product' },
      { id: '0003@retail-gbp', reason: 'unmapped-price-list' },
    ],
    exceptions: [
      { id: 'NO-SUCH-SKU@trade-gbp', code: 'UNKNOWN_SKU' },
      { id: '0003@trade-gbp x12', code: 'TAX_INCLUSIVE_PRICE' },
      { id: '0003@trade-gbp x6', code: 'LIST_CURRENCY_MISMATCH' },
    ],
  },
});
