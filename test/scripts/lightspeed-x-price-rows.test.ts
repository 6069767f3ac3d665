// lightspeed-x-price-rows: X-Series price book products, with the price books and products read beside them, as the
// pack's canonical price rows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { step } from '../../scripts/lightspeed-x-price-rows/step.js';
import { step as stockLevels } from '../../scripts/lightspeed-x-stock-levels/step.js';
import { tableCsv } from '../../runtime/tables.js';
import { run } from '../support/run.js';

const TRADE = 'dc85058a-a683-11e4-ef46-e1535cf1ebe5';
const GENERAL = 'b1cc4593-f019-11e3-a0f5-b8ca3a64f8f4';
const SALE = '0a6f0000-0000-4000-8000-00000000e001';
const book = (id: string, name: string, extra: Record<string, unknown> = {}) => ({ id, name, version: 1, ...extra });
const BOOKS = [
  book(GENERAL, 'General Price Book (All Products)', { type: 'BASE' }),
  book(TRADE, 'Trade', { type: 'GENERAL', valid_from: null, valid_to: null }),
  book(SALE, 'Summer Sale', { valid_from: '2026-06-01', valid_to: '2026-08-31 23:59:59' }),
];
const product = (id: string, sku: string, extra: Record<string, unknown> = {}) => ({
  id,
  sku,
  active: true,
  version: 1,
  ...extra,
});
const PRODUCTS = [
  product('p-mug', '0003'),
  product('p-towel', '787878-blk-s', { variant_parent_id: 'p-parent' }),
  product('p-parent', '787878', { has_variants: true }),
  product('p-gone', '0005', { active: false, deleted_at: '2016-02-03T01:02:03+00:00' }),
  product('p-blank', ' '),
];
const entry = (product_id: string, price: unknown, extra: Record<string, unknown> = {}) => ({
  id: `pbp-${product_id}-${String(extra.min_units ?? 1)}`,
  price_book_id: TRADE,
  product_id,
  price,
  tax_id: '0242ac12-0002-11e9-e8c4-6594948eac5c',
  ...extra,
});
const VARIABLES = { price_book_map: tableCsv(['trade,trade-gbp', `${SALE},sale-gbp`]), store_currency: 'gbp' };
const prices = (
  records: unknown[],
  variables: Record<string, string> = VARIABLES,
  beside: Record<string, unknown> = { price_books: [{ data: BOOKS }], products: [{ data: PRODUCTS }] },
) => run(step, { records, ...beside }, { variables });
const row = (
  price_list: string,
  sku: string,
  quantity: number,
  price: number,
  extra: Record<string, unknown> = {},
) => ({
  price_list,
  sku,
  currency: 'GBP',
  quantity,
  price,
  ...extra,
  tax_inclusive: false,
  source: 'lightspeed-x',
});

describe('lightspeed-x-price-rows', () => {
  it.each([
    ['no min_units', {}, 1],
    ['min_units null', { min_units: null }, 1],
    ['min_units 0', { min_units: 0 }, 1],
    ['min_units 1', { min_units: 1 }, 1],
    ['min_units 24 (a break)', { min_units: 24, max_units: null }, 24],
    ['min_units 24 with max_units 48 (max_units not published)', { min_units: 24, max_units: 48 }, 24],
  ])('reads %s as quantity %s', (_name, extra, quantity) => {
    const { envelope } = prices([entry('p-mug', 4.2, extra)]);
    expect(envelope.records).toEqual([row('trade-gbp', '0003', quantity, 4.2)]);
  });

  it('maps a book by id or by name (any case), the id winning; keeps the price exactly; drops the reads beside', () => {
    const variables = { ...VARIABLES, price_book_map: tableCsv([`${TRADE.toUpperCase()},trade-gbp`, 'TRADE,other']) };
    const { envelope } = prices([entry('p-mug', 0.0125), entry('p-towel', 12)], variables);
    expect(envelope.records).toEqual([row('trade-gbp', '0003', 1, 0.0125), row('trade-gbp', '787878-blk-s', 1, 12)]);
    expect(envelope).not.toHaveProperty('price_books');
    expect(envelope).not.toHaveProperty('products');
  });

  it("carries the book's dates: ISO as it came, a date-time with no offset as UTC", () => {
    const { envelope } = prices([entry('p-mug', 3.99, { price_book_id: SALE })]);
    expect(envelope.records).toEqual([
      row('sale-gbp', '0003', 1, 3.99, { valid_from: '2026-06-01', valid_to: '2026-08-31T23:59:59Z' }),
    ]);
  });

  it.each([
    ['a book not in price_book_map', entry('p-mug', 5, { price_book_id: GENERAL }), 'unmapped-price-book'],
    // A bad price on a book not published is not this step's to judge.
    ['a bad price on an unmapped book', entry('p-mug', 'n/a', { price_book_id: GENERAL }), 'unmapped-price-book'],
    ['a deleted price book product', entry('p-mug', 5, { deleted_at: '2026-01-01T00:00:00+00:00' }), 'deleted'],
    ['a deleted product', entry('p-gone', 5), 'deleted-product'],
    ['a variant family’s parent', entry('p-parent', 5), 'variant-parent'],
    ['a price of 0', entry('p-mug', 0), 'zero-price'],
  ])('skips %s', (_name, record, reason) => {
    const { envelope } = prices([record]);
    expect(envelope.records).toEqual([]);
    expect(envelope.skipped.map((s) => s.reason)).toEqual([reason]);
  });

  it('skips the products of a deleted book (read with deleted=true)', () => {
    const books = [book(TRADE, 'Trade', { deleted_at: '2026-01-01T00:00:00+00:00' })];
    const { envelope } = prices([entry('p-mug', 5)], VARIABLES, { price_books: books, products: PRODUCTS });
    expect(envelope.skipped.map((s) => s.reason)).toEqual(['deleted-price-book']);
  });

  it.each([
    ['a price that is text', entry('p-mug', '4.50'), 'INVALID_PRICE', /price is "4.50", not a number/],
    ['a negative price', entry('p-mug', -1), 'INVALID_PRICE', /price is -1/],
    ['no price', entry('p-mug', undefined), 'INVALID_PRICE', /price is missing/],
    ['a price too large', entry('p-mug', 2e9), 'INVALID_PRICE', /price is 2000000000/],
    ['min_units 12.5', entry('p-mug', 4, { min_units: 12.5 }), 'INVALID_PRICE_BREAK', /min_units is 12.5/],
    ['min_units -2', entry('p-mug', 4, { min_units: -2 }), 'INVALID_PRICE_BREAK', /min_units is -2/],
    ['min_units as text', entry('p-mug', 4, { min_units: '24' }), 'INVALID_PRICE_BREAK', /min_units is "24"/],
    ['a book not read', entry('p-mug', 4, { price_book_id: 'x' }), 'UNREADABLE_PRICE_ROW', /price book x was not/],
    ['no price_book_id', entry('p-mug', 4, { price_book_id: '' }), 'UNREADABLE_PRICE_ROW', /price_book_id is missing/],
    ['a product not read', entry('p-none', 4), 'UNREADABLE_PRICE_ROW', /product p-none was not among/],
    ['a product with no SKU', entry('p-blank', 4), 'UNREADABLE_PRICE_ROW', /product p-blank has no sku/],
  ])('keeps %s whole as an exception, naming the book and the field', (_name, record, code, message) => {
    const good = entry('p-towel', 12);
    const { envelope } = prices([record, good]);
    // One bad record never holds back another.
    expect(envelope.records).toEqual([row('trade-gbp', '787878-blk-s', 1, 12)]);
    expect(envelope.exceptions).toHaveLength(1);
    expect(envelope.exceptions[0]).toMatchObject({ code, message: expect.stringMatching(message) });
    expect(envelope.exceptions[0]!.record).toEqual(record);
    expect(envelope.summary['lightspeed-x-price-rows']).toMatchObject({ in: 2, records: 1, exceptions: 1 });
  });

  it('reports a book date it cannot read as UNREADABLE_PRICE_ROW', () => {
    const books = [book(TRADE, 'Trade', { valid_to: '31/12/2026' })];
    const { envelope } = prices([entry('p-mug', 5)], VARIABLES, { price_books: books, products: PRODUCTS });
    expect(envelope.exceptions.map((e) => [e.code, e.message])).toEqual([
      ['UNREADABLE_PRICE_ROW', expect.stringMatching(/"Trade".*valid_to is "31\/12\/2026", not a date/)],
    ]);
  });

  it('fails the step, before any record, without price_book_map or store_currency, or with a slug fed twice', () => {
    const records = [entry('p-mug', 1)];
    expect(() => prices(records, { store_currency: 'GBP' })).toThrow(/price_book_map/);
    expect(() => prices(records, { price_book_map: VARIABLES.price_book_map })).toThrow(/store_currency/);
    expect(() => prices(records, { ...VARIABLES, store_currency: 'pounds' })).toThrow(/ISO currency code/);
    expect(() => prices(records, { ...VARIABLES, price_book_map: tableCsv(['Trade,t', `${GENERAL},t`]) })).toThrow(
      /both feed price list "t"/,
    );
  });

  it('reads the fixtures: the trade book’s mug with its break and the towel, the SKUs the stock read takes', () => {
    const body = (file: string) => JSON.parse(readFileSync(`fixtures/lightspeed-x/${file}`, 'utf8')).body as unknown;
    const products = [
      body('products/list.json'),
      body('products/get.variant-parent.json'),
      body('products/search.variants-and-deleted.json'),
    ];
    const { envelope } = prices(
      (body('price-books/products.json') as { data: unknown[] }).data,
      { price_book_map: tableCsv(['Trade,trade-gbp']), store_currency: 'GBP' },
      { price_books: [body('price-books/list.json')], products },
    );
    expect(envelope.records).toEqual([
      row('trade-gbp', '0003', 1, 4.5),
      row('trade-gbp', '0003', 24, 4.2),
      row('trade-gbp', '787878-blk-s', 1, 12),
    ]);
    expect(envelope.skipped.map((s) => s.reason)).toEqual(['unmapped-price-book', 'deleted-product']);
    // The same SKUs as the stock levels of those products.
    const records = ['b8ca3a65-0183-11e4-fbb5-9776c5cd0240', 'b8ca3a65-0183-11e4-fbb5-7988a6ed80f9'].map((id, i) => ({
      id: `i-${i}`,
      product_id: id,
      outlet_id: 'b8ca3a65-0183-11e4-fbb5-2816d2677218',
      current_inventory_level: 1,
      version: i + 1,
    }));
    const stock = run(stockLevels, { records, products }).envelope.records.map((r) => (r as { sku: string }).sku);
    expect(stock).toEqual(['0003', '787878-blk-s']);
  });
});
