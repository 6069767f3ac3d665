/**
 * map-prices-to-lightspeed-x: the pack's canonical price rows (model/price.ts, pack-contract §5) to the writes of
 * Lightspeed X-Series price books, so trade buyers pay their contract prices in store: each SparkLayer / ERP price list
 * `list_to_price_book` names is one X-Series price book, restricted to the customer groups `price_book_customer_groups`
 * names. The reverse of lightspeed-x-price-rows.
 *
 * Vendor facts (https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml, tag Price Books, mirrored at
 * github.com/api-evangelist/lightspeed openapi/lightspeed-price-books-api-openapi.yml;
 * connectors/lightspeed-x/openapi.json declares each operation; https://x-series-api.lightspeedhq.com/docs/pricebooks):
 * - A price book is created with POST /price_books (CreatePriceBookV3), body `name`, `customer_group_ids` and
 *   `outlet_ids` (all three required), `restrict_to_platform` ("0" all platforms, "1" in store, "2" ecommerce),
 *   `valid_from`, `valid_to`. Books "can be restricted to a certain customer groups or a specific outlets". What an
 *   empty `outlet_ids` means (every outlet, or none) is not stated: UNVERIFIED, so the flow names its outlets
 *   (`outlet_ids`) or knowingly sends none.
 * - Its products are written with POST (AddPriceBookProducts: new entries) and PATCH (UpdatePriceBookProducts: entries
 *   already there) /price_books/{price_book_id}/products, body `{data: [...]}`, each entry `product_id`, `price` and
 *   `tax_id` required, `min_units` / `max_units` ("The minimum / maximum number of items for which this price will be
 *   used"). "The request body may not contain more than 100 price book products": a write carries at most 100.
 *   How PATCH finds the entry it updates is not stated: this step sends the entry's `id` with its product_id and
 *   min_units (UNVERIFIED which X-Series uses).
 * - "When adding a product the retail price is the tax exclusive price of the product if your store is tax exclusive,
 *   and tax inclusive if your store is tax inclusive. The returned value is always tax exclusive." This step compares
 *   with what X-Series returns (tax exclusive) and never converts: it writes only rows that are tax exclusive
 *   (tax_inclusive not true), a tax-inclusive row is TAX_INCLUSIVE_PRICE. So it is right only for a store whose prices
 *   are entered tax exclusive: which a store is, no read here tells (UNVERIFIED), and a flow for a tax-inclusive store
 *   must not use this step as it is.
 * - `tax_id` ("The id for the tax rate") is required on every entry: an update keeps the entry's own; a new entry gets
 *   the `tax_id` setting. What X-Series does with a price book product's tax rate beside the product's is not stated
 *   (UNVERIFIED).
 * - Products are found by `sku` among the products read beside (GET /products, deleted=true, ListProducts), compared
 *   trimmed and in any case, as X-Series search compares SKUs lower-cased. A deleted product is skipped
 *   (`deleted-product`), a variant family's parent too (`variant-parent`), as lightspeed-x-price-rows reads them.
 *
 * Each row, in order: a list not in list_to_price_book is skipped (`unmapped-price-list`), whatever else is wrong with
 * it;
 * a price that is not decimal text or a number from 0 to MAX_UNIT_PRICE, or that a JSON number cannot carry exactly,
 * is INVALID_PRICE; a quantity that is not a whole number from 1 is INVALID_PRICE_BREAK; a row not valid at `as_of`
 * is skipped (`not-yet-valid`, `expired`); a currency other than `store_currency` is LIST_CURRENCY_MISMATCH;
 * tax_inclusive true is TAX_INCLUSIVE_PRICE; a customer group named for its list that X-Series does not have is
 * UNKNOWN_CUSTOMER_GROUP; a SKU X-Series does not have (or has twice) is UNKNOWN_SKU; a list whose book X-Series does
 * not have and that names no customer group, or whose name two live books share, is UNKNOWN_PRICE_BOOK. Two rows
 * giving one SKU, list and quantity different prices are CONFLICTING_PRICE, both. Each record is judged on its own and
 * kept whole when refused; a refused break withholds nothing else (each X-Series entry is written on its own).
 *
 * Output: one record per write, carried by the first row it holds (the others pass with none):
 * `{price_book_id, price_book_name, method: 'add' | 'patch', body: {data: [...]}}` of at most 100 entries, only the new
 * and changed ones. An entry whose price is exactly (decimal, never float) the price X-Series returns for that book,
 * product and min_units (absent, null, 0 or 1 read as 1) is left out and counted in meta
 * `map_prices_to_lightspeed_x_unchanged`. A quantity of 1 is written without min_units, a break with it; max_units is
 * never written (SparkLayer's breaks run to the next: what X-Series charges where no max_units bounds a break, and
 * whether PATCH without max_units clears one, is UNVERIFIED). Entries a book holds that no row gives are left as they
 * are (never deleted). Beside the records it writes `price_books_to_create`: the CreatePriceBookV3 body of each mapped
 * book X-Series does not have yet; its rows are skipped (`awaiting-price-book`) and written on the next run, once the
 * book is read beside (as map-prices-to-sparklayer's price_lists_to_create).
 */
import Big from 'big.js';
import * as z from 'zod';
import { idText, objectsById, present } from '../../connectors/lightspeed-x/read-objects.js';
import { exactJsonNumber, toDecimal, type Decimal } from '../../model/money.js';
import { MAX_UNIT_PRICE } from '../../model/price.js';
import { isJsonObject } from '../../runtime/json-object.js';
import {
  choiceSetting,
  instantSetting,
  listSetting,
  readTableSetting,
  requiredSetting,
  textSetting,
} from '../../runtime/settings.js';
import { CONTROL_CHARACTER, reject } from '../../runtime/tables.js';
import { priceRowSchema, priceValidity, readPriceBreak, type PriceRowRecord } from '../price-rows.js';
import { defineStep, fail, pass, passMany, skip, type ExceptionCode, type Outcome } from '../../runtime/step.js';
import { nameKey, storeCurrencySetting } from '../price-settings.js';

const CODES = {
  INVALID_PRICE: {
    owner: 'finance',
    action:
      'The price (named in the message) is not a decimal number, is below 0, is over 1,000,000,000, or has more ' +
      'digits than X-Series can be sent exactly. It is not written (the X-Series price book keeps its last price). ' +
      'Correct the price in the back-end; the next run writes it.',
  },
  INVALID_PRICE_BREAK: {
    owner: 'finance',
    action:
      'The quantity break is not a whole number from 1 to 1,000,000,000, so it cannot be an X-Series Min units. It ' +
      'is not written. Correct the break in the back-end; the next run writes it.',
  },
  CONFLICTING_PRICE: {
    owner: 'finance',
    action:
      'Two rows give the same SKU, list and quantity different prices valid today, so the pack cannot tell which ' +
      'applies and writes neither. End or remove one of them in the back-end; the next run writes the other.',
  },
  LIST_CURRENCY_MISMATCH: {
    owner: 'integration',
    action:
      "The price's currency is not the X-Series store's (store_currency), and a price book price is in the store's " +
      'currency, so it was not written. Map only the store currency\u2019s price lists to X-Series price books, or ' +
      'correct the row; then rerun.',
  },
  TAX_INCLUSIVE_PRICE: {
    owner: 'finance',
    action:
      'The price includes tax, and X-Series price book prices are compared and written tax exclusive, so it was not ' +
      'written (the pack never converts a price). Give this list tax-exclusive prices in the back-end, or leave it ' +
      'out of list_to_price_book; then rerun.',
  },
  UNKNOWN_SKU: {
    owner: 'operations',
    action:
      'X-Series has no product with this SKU (or has two), so its price was not written. Create the product in ' +
      'X-Series or correct the SKU in the back-end (or the duplicate in X-Series); the next run writes it.',
  },
  UNKNOWN_CUSTOMER_GROUP: {
    owner: 'integration',
    action:
      'price_book_customer_groups names a customer group (the message names it) that X-Series does not have, so ' +
      'the list\u2019s prices were not written: the book would not be restricted as intended. Correct the table or ' +
      'create the group in X-Series; then rerun.',
  },
  UNKNOWN_PRICE_BOOK: {
    owner: 'integration',
    action:
      'The X-Series price book list_to_price_book names for this list does not exist and price_book_customer_groups ' +
      'names no customer group to create it for, or two live books share its name, so the prices were not written. ' +
      'Name the list\u2019s customer groups (the book is then created), create the book, or rename one of the two ' +
      'books; then rerun.',
  },
} as const satisfies Record<string, ExceptionCode>;
type Code = keyof typeof CODES;

/** The most price book products one write may carry (AddPriceBookProducts, UpdatePriceBookProducts). */
export const MAX_ENTRIES_PER_WRITE = 100;

/** One price book product as this step writes it (official schema PriceBookProduct). */
export interface PriceBookProductEntry {
  /** The entry updated (PATCH only). */
  id?: string;
  product_id: string;
  price: number;
  tax_id: string;
  min_units?: number;
}

/** One write: POST (`add`) or PATCH (`patch`) /price_books/{price_book_id}/products with `body`. */
export interface PriceBookProductsWrite {
  price_book_id: string;
  price_book_name: string;
  method: 'add' | 'patch';
  body: { data: PriceBookProductEntry[] };
}

/** A price book to create (CreatePriceBookV3 body). */
export interface PriceBookToCreate {
  name: string;
  customer_group_ids: string[];
  outlet_ids: string[];
  restrict_to_platform: '0' | '1' | '2';
}

/** Beside the rows: X-Series' reads, each as pages (`{data: [...]}`) or bare arrays; the rest goes on as it came. */
const besideSchema = z.looseObject({
  price_books: z.unknown().optional(),
  products: z.unknown().optional(),
  price_book_products: z.unknown().optional(),
  customer_groups: z.unknown().optional(),
});

/** The record's id in skipped and exceptions: `SKU@list`, with ` x<quantity>` for a break. */
function rowId(record: unknown): string | null {
  if (!isJsonObject(record)) return null;
  const { sku, price_list: list, quantity } = record;
  if (typeof sku !== 'string' || sku.trim() === '') return null;
  const at = typeof list === 'string' && list.trim() !== '' ? `${sku.trim()}@${list.trim()}` : sku.trim();
  const units = typeof quantity === 'string' ? quantity.trim() : typeof quantity === 'number' ? String(quantity) : '';
  return units === '' || units === '1' ? at : `${at} x${units}`;
}

const PRICE_BOOK_MAP =
  'SparkLayer / ERP price list slug (left) to the X-Series price book (right: its name as X-Series shows it, any ' +
  'case) its prices are written to. A list not listed is not written. Each book once: one book is fed by one list.';

const priceBookMap = readTableSetting<string>({
  description: PRICE_BOOK_MAP,
  key: (left) => (left.trim() === '' ? reject('the price list slug is empty') : left.trim()),
  value: (right) => {
    const name = right.trim();
    if (name === '') return reject('the X-Series price book name is empty');
    if (CONTROL_CHARACTER.test(name)) return reject(`the book name ${JSON.stringify(name)} holds a control character`);
    return name;
  },
})
  .superRefine((table, ctx) => {
    const seen = new Map<string, string>();
    for (const [slug, book] of table) {
      const earlier = seen.get(nameKey(book));
      if (earlier !== undefined)
        ctx.addIssue({
          code: 'custom',
          message:
            `the table cannot be read: price lists ${earlier} and ${slug} both feed price book ` +
            `${JSON.stringify(book)}; a book takes one list's prices`,
        });
      seen.set(nameKey(book), slug);
    }
  })
  .describe(PRICE_BOOK_MAP);

const CUSTOMER_GROUPS =
  'SparkLayer / ERP price list slug (left) to the X-Series customer groups its book is for (right: names or ids, ' +
  'separated by ";"), used to create the book when X-Series does not have it yet, and checked against the groups ' +
  'read beside. A list whose book does not exist and names no group is UNKNOWN_PRICE_BOOK.';

const customerGroupMap = readTableSetting<string[]>({
  description: CUSTOMER_GROUPS,
  key: (left) => (left.trim() === '' ? reject('the price list slug is empty') : left.trim()),
  value: (right) => {
    const groups = right
      .split(';')
      .map((group) => group.trim())
      .filter((group) => group !== '');
    if (groups.length === 0) return reject('no customer group is named');
    return groups;
  },
});

const storeCurrency = storeCurrencySetting(
  "The X-Series store's currency (ISO 4217, e.g. GBP): a price book price is in it, so only rows in it are written.",
);

/** Plain decimal text: no sign "+", exponent, spaces inside, separators or bare point. */
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** The price as its exact decimal and JSON number, or why not. */
function readPrice(value: string | number): { decimal: Decimal; number: number } | string {
  if (typeof value === 'number' && !Number.isFinite(value)) return 'is not a finite number';
  const textValue = typeof value === 'number' ? String(value) : value.trim();
  if (textValue.length > 40 || (typeof value === 'string' && !PLAIN_DECIMAL.test(textValue)))
    return `is ${JSON.stringify(value)}, not a plain decimal number`;
  const decimal = toDecimal(value, 'price');
  if (decimal.lt(0)) return `is ${decimal.toFixed()}, below 0`;
  if (decimal.gt(MAX_UNIT_PRICE)) return `is ${decimal.toFixed()}, over ${MAX_UNIT_PRICE}`;
  const number = exactJsonNumber(decimal);
  if (number === undefined) return `${decimal.toFixed()} cannot be sent exactly as a JSON number`;
  return { decimal, number };
}

/** An X-Series min_units as the break it prices from: absent, null, 0 or 1 is 1; anything not whole, undefined. */
function unitsOf(value: unknown): number | undefined {
  if (value === undefined || value === null || value === 0) return 1;
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : undefined;
}

/** One entry to write, from the rows that give it. */
interface Pending {
  book: { id: string; name: string };
  productId: string;
  quantity: number;
  price: Decimal;
  number: number;
  records: number[];
}

export const step = defineStep({
  key: 'map-prices-to-lightspeed-x',
  title: 'Map prices to Lightspeed X-Series',
  purpose:
    "Turns the back-end's price rows into X-Series price book product writes (add and update, 100 a request, only " +
    'what changed), each list into the price book list_to_price_book names, and the books to create for its customer ' +
    'groups; tax-exclusive prices in the store currency only.',
  settings: {
    list_to_price_book: requiredSetting(priceBookMap),
    price_book_customer_groups: customerGroupMap,
    store_currency: requiredSetting(storeCurrency),
    tax_id: textSetting({
      description:
        'The X-Series tax id (tax_id, "The id for the tax rate") a new price book product is written with; an ' +
        'update keeps its entry\u2019s own. Required by X-Series on every entry.',
      required: true,
    }),
    outlet_ids: listSetting({
      description:
        'X-Series outlet ids a created price book is for (outlet_ids, comma separated). Empty: none sent; what ' +
        'X-Series makes of an empty list is not documented.',
      default: [],
    }),
    restrict_to_platform: choiceSetting({
      description: 'A created book\u2019s platform: "0" all platforms, "1" in store, "2" ecommerce.',
      default: '1',
      choices: ['0', '1', '2'],
    }),
    as_of: instantSetting({
      description: 'The instant whose prices are written (valid_from, valid_to). Empty: now.',
    }),
  },
  exceptionCodes: CODES,
  record: {
    schema: priceRowSchema,
    id: rowId,
    fieldCodes: { price: 'INVALID_PRICE', quantity: 'INVALID_PRICE_BREAK' },
    checkOnly: true,
  },
  beside: besideSchema,
  // X-Series' reads stay here: the flow gets the writes and the books to create.
  besideDropped: ['price_books', 'products', 'price_book_products', 'customer_groups'],
  rule: (rows: readonly PriceRowRecord[], settings, beside) => {
    const { list_to_price_book: bookMap, as_of: asOf } = settings;
    const currency = settings.store_currency;

    // Live books by name; products by SKU (any case); live customer groups by id and by name.
    const booksByName = new Map<string, Array<Record<string, unknown>>>();
    for (const book of objectsById(beside.price_books).values()) {
      if (present(book.deleted_at) || typeof book.name !== 'string' || book.name.trim() === '') continue;
      const key = nameKey(book.name);
      booksByName.set(key, [...(booksByName.get(key) ?? []), book]);
    }
    const productsBySku = new Map<string, Array<Record<string, unknown>>>();
    for (const product of objectsById(beside.products).values()) {
      const sku = idText(product.sku).toLowerCase();
      if (sku !== '') productsBySku.set(sku, [...(productsBySku.get(sku) ?? []), product]);
    }
    const groups = new Map<string, string>();
    for (const group of objectsById(beside.customer_groups).values()) {
      if (present(group.deleted_at)) continue;
      const id = idText(group.id);
      groups.set(`#${id.toLowerCase()}`, id);
      if (typeof group.name === 'string' && group.name.trim() !== '') groups.set(nameKey(group.name), id);
    }
    // The entries X-Series holds: book, product and break to the entry (live ones, the highest version).
    const held = new Map<string, Record<string, unknown>>();
    for (const entry of objectsById(beside.price_book_products).values()) {
      if (present(entry.deleted_at)) continue;
      const units = unitsOf(entry.min_units);
      if (units === undefined) continue;
      held.set(`${idText(entry.price_book_id)}\u0000${idText(entry.product_id)}\u0000${units}`, entry);
    }

    /** The customer group ids of a list, or the first name X-Series does not have; undefined when none named. */
    const groupIdsOf = (list: string): { ids: string[] } | { unknown: string } | undefined => {
      const named = settings.price_book_customer_groups.get(list);
      if (named === undefined) return undefined;
      const ids: string[] = [];
      for (const group of named) {
        const id = groups.get(`#${group.toLowerCase()}`) ?? groups.get(nameKey(group));
        if (id === undefined) return { unknown: group };
        if (!ids.includes(id)) ids.push(id);
      }
      return { ids };
    };

    const outcomes = new Array<Outcome<Code> | undefined>(rows.length);
    const toCreate = new Map<string, PriceBookToCreate>();
    const pending = new Map<string, Pending>();

    for (let index = 0; index < rows.length; index += 1) {
      const row = rows[index]!;
      const list = row.price_list.trim();
      const bookName = bookMap.get(list);
      if (bookName === undefined) {
        outcomes[index] = skip('unmapped-price-list');
        continue;
      }
      const price = readPrice(row.price);
      if (typeof price === 'string') {
        outcomes[index] = fail('INVALID_PRICE', `price ${price}`, { field: 'price' });
        continue;
      }
      const quantity = readPriceBreak(row.quantity);
      if (typeof quantity === 'string') {
        outcomes[index] = fail('INVALID_PRICE_BREAK', `quantity ${quantity}`, { field: 'quantity' });
        continue;
      }
      const valid = priceValidity(row, asOf);
      if (valid !== 'valid') {
        outcomes[index] = skip(valid);
        continue;
      }
      const rowCurrency = row.currency.trim().toUpperCase();
      if (rowCurrency !== currency) {
        outcomes[index] = fail(
          'LIST_CURRENCY_MISMATCH',
          `price in ${rowCurrency} for price book ${JSON.stringify(bookName)}, in the store currency ${currency}`,
          { price_list: list, currency: rowCurrency, store_currency: currency },
        );
        continue;
      }
      if (row.tax_inclusive === true) {
        outcomes[index] = fail(
          'TAX_INCLUSIVE_PRICE',
          `price ${price.decimal.toFixed()} on ${JSON.stringify(list)} includes tax; X-Series price book prices ` +
            'are written tax exclusive and the pack does not convert them',
        );
        continue;
      }
      const groupIds = groupIdsOf(list);
      if (groupIds !== undefined && 'unknown' in groupIds) {
        outcomes[index] = fail(
          'UNKNOWN_CUSTOMER_GROUP',
          `X-Series has no customer group ${JSON.stringify(groupIds.unknown)} (price_book_customer_groups, ${list})`,
          { price_list: list, customer_group: groupIds.unknown },
        );
        continue;
      }
      const sku = row.sku.trim();
      const products = productsBySku.get(sku.toLowerCase()) ?? [];
      const live = products.filter((product) => !present(product.deleted_at));
      if (live.length !== 1) {
        if (live.length === 0 && products.length > 0) outcomes[index] = skip('deleted-product');
        else
          outcomes[index] = fail(
            'UNKNOWN_SKU',
            live.length === 0
              ? `X-Series has no product with SKU ${JSON.stringify(sku)}`
              : `X-Series has ${live.length} live products with SKU ${JSON.stringify(sku)}`,
            { sku },
          );
        continue;
      }
      const product = live[0]!;
      if (product.has_variants === true) {
        outcomes[index] = skip('variant-parent');
        continue;
      }
      const books = booksByName.get(nameKey(bookName)) ?? [];
      if (books.length > 1) {
        outcomes[index] = fail(
          'UNKNOWN_PRICE_BOOK',
          `${books.length} live X-Series price books are named ${JSON.stringify(bookName)}`,
          { price_list: list, price_book: bookName },
        );
        continue;
      }
      if (books.length === 0) {
        if (groupIds === undefined) {
          outcomes[index] = fail(
            'UNKNOWN_PRICE_BOOK',
            `X-Series has no price book ${JSON.stringify(bookName)} and price_book_customer_groups names no ` +
              `customer group for ${JSON.stringify(list)} to create it for`,
            { price_list: list, price_book: bookName },
          );
          continue;
        }
        if (!toCreate.has(list))
          toCreate.set(list, {
            name: bookName,
            customer_group_ids: groupIds.ids,
            outlet_ids: [...settings.outlet_ids],
            restrict_to_platform: settings.restrict_to_platform,
          });
        outcomes[index] = skip('awaiting-price-book');
        continue;
      }
      const book = books[0]!;
      const bookId = idText(book.id);
      const productId = idText(product.id);
      const key = `${bookId}\u0000${productId}\u0000${quantity}`;
      const same = pending.get(key);
      if (same === undefined) {
        pending.set(key, {
          book: { id: bookId, name: String(book.name) },
          productId,
          quantity,
          price: price.decimal,
          number: price.number,
          records: [index],
        });
      } else {
        same.records.push(index);
        if (!same.price.eq(price.decimal)) same.price = new Big(-1);
      }
    }

    // Conflicts, then the delta against what X-Series holds; the writes by book, adds then updates, 100 a write.
    const writes = new Map<string, PriceBookProductsWrite[]>();
    const carrier = new Map<number, PriceBookProductsWrite[]>();
    let unchanged = 0;
    let entriesWritten = 0;
    for (const [key, entry] of pending) {
      if (entry.price.lt(0)) {
        for (const index of entry.records)
          outcomes[index] = fail(
            'CONFLICTING_PRICE',
            `${rowId(rows[index]) ?? '?'} has two different prices for one quantity valid on as_of`,
          );
        continue;
      }
      const before = held.get(key);
      if (
        before !== undefined &&
        typeof before.price === 'number' &&
        toDecimal(before.price, 'price').eq(entry.price)
      ) {
        unchanged += 1;
        continue;
      }
      const method = before === undefined ? 'add' : 'patch';
      const tax = before === undefined ? settings.tax_id : idText(before.tax_id) || settings.tax_id;
      const written: PriceBookProductEntry = {
        ...(before === undefined ? {} : { id: idText(before.id) }),
        product_id: entry.productId,
        price: entry.number,
        tax_id: tax,
        ...(entry.quantity === 1 ? {} : { min_units: entry.quantity }),
      };
      const bookWrites = writes.get(`${entry.book.id}\u0000${method}`) ?? [];
      let last = bookWrites.at(-1);
      if (last === undefined || last.body.data.length >= MAX_ENTRIES_PER_WRITE) {
        last = { price_book_id: entry.book.id, price_book_name: entry.book.name, method, body: { data: [] } };
        bookWrites.push(last);
        writes.set(`${entry.book.id}\u0000${method}`, bookWrites);
        const first = entry.records[0]!;
        carrier.set(first, [...(carrier.get(first) ?? []), last]);
      }
      last.body.data.push(written);
      entriesWritten += 1;
    }

    const settled = Array.from(outcomes, (outcome, index) => {
      if (outcome !== undefined) return outcome;
      const own = carrier.get(index);
      return own === undefined ? passMany([]) : own.length === 1 ? pass(own[0]) : passMany(own);
    });
    return {
      outcomes: settled,
      write: { price_books_to_create: [...toCreate.values()] },
      counts: { unchanged, entries: entriesWritten },
    };
  },
});
