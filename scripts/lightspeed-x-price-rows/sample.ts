// A worked example of lightspeed-x-price-rows, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { tableCsv } from '../../runtime/tables.js';
import { step } from './step.js';

const TRADE = 'dc85058a-a683-11e4-ef46-e1535cf1ebe5';
const GENERAL = 'b1cc4593-f019-11e3-a0f5-b8ca3a64f8f4';
const entry = (id: string, price_book_id: string, product_id: string, price: number, min_units?: number | null) => ({
  id,
  price_book_id,
  product_id,
  price,
  tax_id: '0242ac12-0002-11e9-e8c4-6594948eac5c',
  ...(min_units === undefined ? {} : { min_units }),
});

export const sample = defineSample(step, {
  // The Trade book (by name, any case) to the trade list; the General book is not mapped.
  variables: { price_book_map: tableCsv(['trade,trade-gbp']), store_currency: 'GBP' },
  // Price book products as ListPriceBookProducts answers them (fixtures/lightspeed-x/price-books/products.json, cut
  // down): the mug's trade price from 1 and from 24 units, the towel's, a General book price, a deleted product's
  // trade price, and a trade price whose min_units is not whole (the vendor's example has 12.5).
  records: [
    entry('pbp-1', TRADE, 'p-0003', 4.5, null),
    entry('pbp-2', TRADE, 'p-0003', 4.2, 24),
    entry('pbp-3', TRADE, 'p-blk-s', 12),
    entry('pbp-4', GENERAL, 'p-0003', 0),
    entry('pbp-5', TRADE, 'p-0005', 3.5),
    entry('pbp-6', TRADE, 'p-blk-s', 11, 12.5),
  ],
  beside: {
    price_books: [
      {
        data: [
          { id: GENERAL, name: 'General Price Book (All Products)', type: 'BASE', version: 368354 },
          { id: TRADE, name: 'Trade', type: 'GENERAL', valid_from: null, valid_to: null, version: 398146 },
        ],
      },
    ],
    products: [
      {
        data: [
          { id: 'p-0003', sku: '0003', active: true, has_variants: false, version: 59780745 },
          { id: 'p-0005', sku: '0005', active: false, deleted_at: '2016-02-03T01:02:03+00:00', version: 59780900 },
          { id: 'p-blk-s', sku: '787878-blk-s', active: true, variant_parent_id: 'p-parent', version: 4284638490 },
        ],
      },
    ],
  },
  expected: {
    passed: [`p-0003@${TRADE}`, `p-0003@${TRADE} x24`, `p-blk-s@${TRADE}`],
    skipped: [
      { id: `p-0003@${GENERAL}`, reason: 'unmapped-price-book' },
      { id: `p-0005@${TRADE}`, reason: 'deleted-product' },
    ],
    exceptions: [{ id: `p-blk-s@${TRADE} x12.5`, code: 'INVALID_PRICE_BREAK' }],
  },
});
