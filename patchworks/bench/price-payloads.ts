/**
 * Generated payloads for the price steps (issue 19), benched at their own scale, in the shapes the flows feed them
 * (patchworks/blueprint/price-flow.ts, order-flow.ts):
 *
 * - a price book of `skus` SKUs on each of `lists` (200,000 canonical price rows, model/price.ts: 50,000 SKUs × 2
 *   lists, as netsuite-price-rows writes them, decimal text): a quarter of each list's SKUs with a base price alone,
 *   half with a break at 12 too, a quarter with breaks at 12 and 48, so two rows a SKU and list on average; every
 *   tenth SKU also sold in a case of 12 (unit_map), its case priced from its units;
 * - map-prices-to-sparklayer's `{records, price_lists, previous}`: SparkLayer's lists beside the rows (both exist), and
 *   `previous`, the entries last published, as the step itself would have published them, except that one SKU and list
 *   in `changedEvery` had a base price a penny lower, so an hourly run publishes a tenth of the entries again; or no
 *   `previous` at all (a first run, or the published state lost: every entry is sent);
 * - check-order-prices' `{records, prices}`: the bench's orders (order-payloads.ts) for an account whose
 *   price_list_map names the trade list, beside the price book and the documented order's own SKUs priced as
 *   SparkLayer priced them (so every order prices correctly, the common run).
 */
import { tableCsv } from '../../runtime/tables.js';

type Json = Record<string, unknown>;

export interface PriceBook {
  skus: number;
  /** The SparkLayer price lists' slugs: every SKU has prices on each. */
  lists: readonly string[];
  /** One SKU and list in this many has a new price since `previous` was published. */
  changedEvery: number;
}

export const PRICE_BOOK: PriceBook = { skus: 50_000, lists: ['trade-gbp', 'retail-gbp'], changedEvery: 10 };

const CASE = 12;
const BREAKS = [12, 48];
const hasCase = (s: number) => s % 10 === 3;
const skuOf = (s: number) => `PRC-${String(s).padStart(6, '0')}`;
/** Each SKU and list's breaks beyond the base price: none, 12, 12 or 12 and 48. */
const breaksOf = (s: number, l: number) => BREAKS.slice(0, [0, 1, 1, 2][(s + l) % 4]);
/** Pence, so that every price is exact: the base price, and 5 % off at each break further. */
const basePence = (s: number, l: number) => 150 + ((s * 37 + l * 211) % 9_850);
const breakPence = (base: number, b: number) => Math.round(base * (1 - 0.05 * (b + 1)));
const pounds = (pence: number) => `${Math.floor(pence / 100)}.${String(pence % 100).padStart(2, '0')}`;

/** One SKU and list's prices in pence, from each quantity: the base price first, then each break. */
function pricesOf(s: number, l: number, moved = 0): Array<{ quantity: number; pence: number }> {
  const base = basePence(s, l);
  return [
    { quantity: 1, pence: base - moved },
    ...breaksOf(s, l).map((quantity, b) => ({ quantity, pence: breakPence(base, b) })),
  ];
}

function forEachPair(book: PriceBook, body: (s: number, l: number, n: number) => void): void {
  for (let s = 0; s < book.skus; s += 1)
    for (let l = 0; l < book.lists.length; l += 1) body(s, l, s * book.lists.length + l);
}

/** The canonical price rows of the book (model/price.ts), as netsuite-price-rows writes them. */
export function priceRows(book: PriceBook = PRICE_BOOK): Json[] {
  const rows: Json[] = [];
  forEachPair(book, (s, l) => {
    for (const { quantity, pence } of pricesOf(s, l))
      rows.push({
        price_list: book.lists[l],
        sku: skuOf(s),
        currency: 'GBP',
        quantity: String(quantity),
        price: pounds(pence),
        source: 'netsuite',
      });
  });
  return rows;
}

/** How many rows priceRows gives (200,000 for PRICE_BOOK), without making them. */
export function priceRowCount(book: PriceBook = PRICE_BOOK): number {
  let count = 0;
  forEachPair(book, (s, l) => (count += 1 + breaksOf(s, l).length));
  return count;
}

/** Every tenth SKU also sold in cases of 12: `PRC-…-CASE12` → `PRC-…*12` (5,000 rows for 50,000 SKUs). */
export function priceUnitMap(skus: number): string {
  const rows: string[] = [];
  for (let s = 0; s < skus; s += 1) if (hasCase(s)) rows.push(`${skuOf(s)}-CASE${CASE},${skuOf(s)}*${CASE}`);
  return tableCsv(rows);
}

export const priceVariables = (book: PriceBook = PRICE_BOOK) => ({
  missing_list_action: 'exception',
  unit_map: priceUnitMap(book.skus),
  as_of: '2026-12-08T09:00:00Z',
});

/** SparkLayer's price lists (GET /api/v2/price-lists `data`): the book's, in pounds. */
export const sparkLayerPriceLists = (book: PriceBook = PRICE_BOOK): Json[] =>
  book.lists.map((slug) => ({ slug, name: slug, currency_code: 'gbp', source: 'integration' }));

/**
 * The entries last published: what map-prices-to-sparklayer makes of the book (every break of a SKU on a list in one
 * entry, a case's from its units, a break of 12 units being 1 case, 48 being 4), except that one SKU and list in
 * `changedEvery` had its base price a penny lower, so this run publishes those again (and their cases).
 */
export function publishedPriceEntries(book: PriceBook = PRICE_BOOK): Json[] {
  const entries: Json[] = [];
  forEachPair(book, (s, l, n) => {
    const prices = pricesOf(s, l, n % book.changedEvery === 0 ? 1 : 0);
    const entry = (sku: string, units: number) => {
      // Breaks that meet at one pack count: the larger applies (prices come in ascending quantity).
      const perPack = new Map<number, number>();
      for (const { quantity, pence } of prices) perPack.set(Math.ceil(quantity / units), (pence * units) / 100);
      const pricing = [...perPack].map(([quantity, price]) => ({ quantity, price }));
      return { sku, price_list_slug: book.lists[l], pricing };
    };
    entries.push(entry(skuOf(s), 1));
    if (hasCase(s)) entries.push(entry(`${skuOf(s)}-CASE${CASE}`, CASE));
  });
  return entries;
}

/** map-prices-to-sparklayer's payload as the price flow hands it: the rows beside the lists and, unless the first
 * run, the entries last published. */
export function mapPricesPayload(book: PriceBook = PRICE_BOOK, options: { previous?: boolean } = {}): Json {
  return {
    records: priceRows(book),
    price_lists: sparkLayerPriceLists(book),
    ...((options.previous ?? true) ? { previous: publishedPriceEntries(book) } : {}),
  };
}

/** The ERP account of the bench's orders, and its price lists. */
export const ORDER_ACCOUNT = 'C-1001';

/** check-order-prices' settings: the account buys from the trade list, everyone else from retail. */
export const checkPricesVariables = (book: PriceBook = PRICE_BOOK) => ({
  price_authority: 'sparklayer',
  price_tolerance: '0.00',
  price_list_map: tableCsv([`${ORDER_ACCOUNT},${book.lists[0]}`]),
  default_price_list: book.lists[1]!,
  // The ERP prices mugs by the each: the documented order's case of 12 is 12 MUG-ENAMEL-WHT.
  unit_map: tableCsv(['MUG-ENAMEL-CASE12,MUG-ENAMEL-WHT*12']),
});

/** The documented order's SKUs on each list, as SparkLayer priced them: 4.00 a mug, 4.80 a towel and 4.50 from 12. */
export function orderSkuPriceRows(book: PriceBook = PRICE_BOOK): Json[] {
  return book.lists.flatMap((list) =>
    (
      [
        ['MUG-ENAMEL-WHT', '1', '4.00'],
        ['TOWEL-LINEN-NAT', '1', '4.80'],
        ['TOWEL-LINEN-NAT', '12', '4.50'],
      ] as const
    ).map(([sku, quantity, price]) => ({
      price_list: list,
      sku,
      currency: 'GBP',
      quantity,
      price,
      source: 'netsuite',
    })),
  );
}

/** check-order-prices' payload: the orders (with their ERP account) beside the book's rows and the order's SKUs'. */
export function checkPricesPayload(orders: Json[], book: PriceBook = PRICE_BOOK): Json {
  return { records: orders, prices: [...orderSkuPriceRows(book), ...priceRows(book)] };
}
