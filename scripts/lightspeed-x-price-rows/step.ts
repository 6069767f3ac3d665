/**
 * lightspeed-x-price-rows: Lightspeed X-Series price book products (GET /2026-07/price_book_products, every book's,
 * ListPriceBookProducts), with the price books (GET /2026-07/price_books, deleted=true, ListPriceBooksV3) and the
 * products (GET /2026-07/products, deleted=true, ListProducts) read beside them, as the pack's canonical price rows
 * (model/price.ts, pack-contract §5): one row per price book product of a book `price_book_map` names.
 *
 * Vendor facts (https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml, the schemas PriceBook and
 * PriceBookProduct, mirrored at github.com/api-evangelist/lightspeed openapi/lightspeed-price-books-api-openapi.yml;
 * https://x-series-api.lightspeedhq.com/docs/pricebooks): a price book gives "special pricing and loyalty amounts on
 * specific Products", "can be restricted to a certain customer groups or a specific outlets" (customer_group_ids,
 * outlets; restrict_to_platform_key "0" all platforms, "1" in store, "2" ecommerce) and has `valid_from` / `valid_to`
 * ("The date when the Price Book becomes valid (active)" / "invalid (inactive)"). A price book product has
 * `price_book_id`, `product_id`, `price` ("The Retail price of the product", a JSON number), `min_units` / `max_units`
 * ("The minimum / maximum number of items for which this price will be used", numbers or null), `tax_id`,
 * `loyalty_value`, `deleted_at` and `version`.
 *
 * Each row:
 * - `price_list`: the SparkLayer slug `price_book_map` gives the book: by its id, else by its name (trimmed, any case).
 *   A book not in the map is not published (skipped `unmapped-price-book`), whatever else is wrong with its products;
 *   whom a book is for (customer groups, outlets, platform) is not read: the map is the choice of what SparkLayer
 *   gets, and SparkLayer assigns its lists to its own customers;
 * - `sku`: the product's `sku` as the stock read takes it (products read beside by `product_id`, deleted ones too), so
 *   a SKU's price and stock are one SparkLayer product. A product not among those read, or with no SKU, is
 *   UNREADABLE_PRICE_ROW; a deleted product is skipped (`deleted-product`), a variant family's parent too
 *   (`variant-parent`: its variants are the products sold, as map-stock-to-sparklayer never publishes a parent);
 * - `quantity`: `min_units`, 1 when absent, null or 0. A break that is not a whole number of 1 or more (the vendor's
 *   own example is 12.5) is INVALID_PRICE_BREAK: SparkLayer's breaks are whole. `max_units` is not published:
 *   SparkLayer's breaks have no upper bound, each runs to the next; what X-Series charges above the last break's
 *   max_units is UNVERIFIED;
 * - `price`: `price` as it came (a number stays that number). Not a finite number of 0 or more, or over
 *   MAX_UNIT_PRICE, is INVALID_PRICE. 0 is skipped (`zero-price`): the vendor's own list example has price 0 in the
 *   General Price Book (type BASE), whose meaning no page states (UNVERIFIED), and a 0 published would give the SKU
 *   away on that list;
 * - `tax_inclusive`: false. The per-book list says "The returned retail price is the tax exclusive price of the
 *   product" and the writes "The returned value is always tax exclusive" (GetPriceBookProductsForPriceBook,
 *   AddPriceBookProducts); that the all-books list is the same is read from those (UNVERIFIED);
 * - `valid_from` / `valid_to`: the book's, when set. Their format is shown nowhere (UNVERIFIED): an ISO 8601 date, or a
 *   date-time with its offset, is kept as it came; `YYYY-MM-DD HH:MM:SS` (no offset) is read as UTC, as X-Series
 *   states its timestamps ("Creation timestamp in UTC"); anything else is UNREADABLE_PRICE_ROW.
 *   map-prices-to-sparklayer publishes only the rows valid at its as_of;
 * - `currency`: the `store_currency` setting. A price book product names none; a book's outlets carry `currency`
 *   ("Currency name"; "NZD" in the vendor's example), but a book need name no outlet, so the flow says it;
 * - `source`: `lightspeed-x`.
 *
 * A price book product with `deleted_at`, or of a deleted book, is skipped (`deleted`, `deleted-price-book`): the flow
 * reads books with deleted=true so that a deleted book's products are known, not unreadable. One not naming a book read
 * is UNREADABLE_PRICE_ROW (integration). Each record is read on its own: a bad one is kept whole and never holds back
 * another (map-prices-to-sparklayer then withholds that SKU's entry on that list, or publishes it without the break).
 */
import Big from 'big.js';
import * as z from 'zod';
import { idText, objectsById, present } from '../../connectors/lightspeed-x/read-objects.js';
import { MAX_PRICE_QUANTITY, MAX_UNIT_PRICE, type PriceRow } from '../../model/price.js';
import { isJsonObject } from '../../runtime/json-object.js';
import { requiredSetting } from '../../runtime/settings.js';
import { defineStep, fail, pass, skip, type ExceptionCode, type Outcome } from '../../runtime/step.js';
import { nameKey, priceSourceMapSetting, storeCurrencySetting } from '../price-settings.js';

const CODES = {
  INVALID_PRICE: {
    owner: 'finance',
    action:
      'An X-Series price book price (the message names the price book, the product and the value) is not a number ' +
      'of 0 or more, or is implausibly large, so it is not published and SparkLayer keeps the last price. Correct ' +
      'the price in the X-Series price book; the next run publishes it.',
  },
  INVALID_PRICE_BREAK: {
    owner: 'finance',
    action:
      "An X-Series price book price's Min units (min_units; the message names the price book, the product and the " +
      'value) is not a whole number of 1 or more, which a SparkLayer quantity break must be, so the price is not ' +
      'published. Correct it in the X-Series price book; the next run publishes it.',
  },
  UNREADABLE_PRICE_ROW: {
    owner: 'integration',
    action:
      'An X-Series price book product cannot be read as a price (the message names it and the field): its price ' +
      'book or its product was not among those read, the product has no SKU, or a date or flag is not what X-Series ' +
      'documents, so the read or X-Series\u2019 API changed. It is not published. Check the price book and product ' +
      'in X-Series and the flow\u2019s reads, then let the next run read it again.',
  },
} as const satisfies Record<string, ExceptionCode>;
type Code = keyof typeof CODES;

/** The step's `source` on every row. */
export const LIGHTSPEED_X_PRICE_SOURCE = 'lightspeed-x';

/** A price book product as ListPriceBookProducts answers it; the rule reads each field and names what is wrong. */
const recordSchema = z.looseObject({});
/** Beside the records: the price books and the products read (pages or bare arrays); the rest goes on as it came. */
const besideSchema = z.looseObject({ price_books: z.unknown().optional(), products: z.unknown().optional() });

const bookIdKey = (id: string) => `#${id.toLowerCase()}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A record's id in skipped and exceptions: `<product_id>@<price_book_id>`, with ` x<min_units>` for a break. */
function recordId(record: unknown): string | null {
  if (!isJsonObject(record)) return null;
  const product = idText(record.product_id);
  const book = idText(record.price_book_id);
  if (product === '' && book === '') return idText(record.id) || null;
  const units = record.min_units;
  const from = typeof units === 'number' && units > 1 ? ` x${units}` : '';
  return `${product || '?'}@${book || '?'}${from}`;
}

const PRICE_BOOK_MAP =
  'X-Series price book (left: its id, or its name as X-Series shows it, any case; an id wins over a name for the ' +
  'same book) to the SparkLayer price list slug its prices are published to (right). A book not listed is not ' +
  'published. Each slug once: one list is fed by one book.';

const priceBookMap = priceSourceMapSetting({
  description: PRICE_BOOK_MAP,
  source: 'price book',
  sources: 'price books',
  isId: (key) => UUID.test(key),
  keys: { idKey: bookIdKey, nameKey },
});

const storeCurrency = storeCurrencySetting(
  "The X-Series store's currency (ISO 4217, e.g. GBP): the currency of every price row. A price book product " +
    'names none, so the flow says it.',
);

class RowError extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
const PLAIN_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/;

/** A book's date as the row's: ISO 8601 as it came, `YYYY-MM-DD HH:MM:SS` as UTC; undefined when not set. */
function bookDate(book: Record<string, unknown>, field: 'valid_from' | 'valid_to', where: string): string | undefined {
  const value = book[field];
  if (!present(value)) return undefined;
  const text = typeof value === 'string' ? value.trim() : '';
  if (ISO_DATE.test(text) && !Number.isNaN(Date.parse(text))) return text;
  const plain = PLAIN_DATE_TIME.exec(text);
  if (plain && !Number.isNaN(Date.parse(`${plain[1]}T${plain[2]}Z`))) return `${plain[1]}T${plain[2]}Z`;
  throw new RowError('UNREADABLE_PRICE_ROW', `${where}: ${field} is ${JSON.stringify(value)}, not a date`);
}

interface Read {
  books: ReadonlyMap<string, Record<string, unknown>>;
  products: ReadonlyMap<string, Record<string, unknown>>;
}

/** The row of one price book product, or why it gives none; throws a RowError naming the field. */
function priceRow(
  record: Record<string, unknown>,
  read: Read,
  map: ReadonlyMap<string, string>,
  currency: string,
): PriceRow | { skip: string } {
  const bookId = idText(record.price_book_id);
  if (bookId === '') throw new RowError('UNREADABLE_PRICE_ROW', 'price_book_id is missing');
  const book = read.books.get(bookId);
  if (book === undefined) throw new RowError('UNREADABLE_PRICE_ROW', `price book ${bookId} was not among those read`);
  const name = typeof book.name === 'string' ? book.name : '';
  const slug = map.get(bookIdKey(bookId)) ?? (name.trim() === '' ? undefined : map.get(nameKey(name)));
  if (slug === undefined) return { skip: 'unmapped-price-book' };
  const where = `price book ${JSON.stringify(name)} (${bookId})`;
  if (present(book.deleted_at)) return { skip: 'deleted-price-book' };
  if (present(record.deleted_at)) return { skip: 'deleted' };

  const productId = idText(record.product_id);
  if (productId === '') throw new RowError('UNREADABLE_PRICE_ROW', `${where}: product_id is missing`);
  const product = read.products.get(productId);
  if (product === undefined)
    throw new RowError('UNREADABLE_PRICE_ROW', `${where}: product ${productId} was not among the products read`);
  if (present(product.deleted_at)) return { skip: 'deleted-product' };
  if (product.has_variants === true) return { skip: 'variant-parent' };
  const sku = idText(product.sku);
  if (sku === '') throw new RowError('UNREADABLE_PRICE_ROW', `${where}: product ${productId} has no sku`);
  const what = `${where}, product ${sku}`;

  const price = record.price;
  const amount = typeof price === 'number' && Number.isFinite(price) ? new Big(price) : undefined;
  if (typeof price !== 'number' || amount === undefined || amount.lt(0) || amount.gt(MAX_UNIT_PRICE))
    throw new RowError(
      'INVALID_PRICE',
      `${what}: price is ${JSON.stringify(price) ?? 'missing'}, not a number from 0 to ${MAX_UNIT_PRICE}`,
    );
  const units = record.min_units;
  const quantity = units === undefined || units === null || units === 0 ? 1 : units;
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_PRICE_QUANTITY)
    throw new RowError(
      'INVALID_PRICE_BREAK',
      `${what}: min_units is ${JSON.stringify(units)}, not a whole number of units from 1`,
    );
  if (amount.eq(0)) return { skip: 'zero-price' };
  const validFrom = bookDate(book, 'valid_from', where);
  const validTo = bookDate(book, 'valid_to', where);
  return {
    price_list: slug,
    sku,
    currency,
    quantity,
    price,
    ...(validFrom === undefined ? {} : { valid_from: validFrom }),
    ...(validTo === undefined ? {} : { valid_to: validTo }),
    tax_inclusive: false,
    source: LIGHTSPEED_X_PRICE_SOURCE,
  };
}

export const step = defineStep({
  key: 'lightspeed-x-price-rows',
  title: 'Lightspeed X-Series price rows',
  purpose:
    "Reads X-Series price book products, with the price books and products read beside them, as the pack's " +
    'canonical price rows: one per product of each book price_book_map publishes, min_units as the quantity break, ' +
    'the book’s dates, tax exclusive, in store_currency, the SKU as the stock read takes it.',
  settings: {
    price_book_map: requiredSetting(priceBookMap),
    store_currency: requiredSetting(storeCurrency),
  },
  exceptionCodes: CODES,
  record: { schema: recordSchema, id: recordId },
  beside: besideSchema,
  // The books and products are read here only: map-prices-to-sparklayer gets the rows.
  besideDropped: ['price_books', 'products'],
  rule: (records, settings, { price_books: books, products }) => {
    const read: Read = { books: objectsById(books), products: objectsById(products) };
    return records.map((record, index): Outcome<Code> => {
      try {
        const row = priceRow(record, read, settings.price_book_map, settings.store_currency);
        return 'skip' in row ? skip(row.skip) : pass(row);
      } catch (error) {
        if (!(error instanceof RowError)) throw error;
        const id = idText(record.id);
        return fail(error.code, `X-Series price book product ${index}${id === '' ? '' : ` (${id})`}: ${error.message}`);
      }
    });
  },
});
