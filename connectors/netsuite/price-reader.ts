/**
 * NetSuite item prices, read into the pack's canonical price rows (model/price.ts, pack-contract §5) for
 * map-prices-to-sparklayer: one row per item, price level, currency and quantity break, from one SuiteQL query
 * (`netsuitePriceQuery`) run through runSuiteQL (POST /query/v1/suiteql with Prefer: transient, paged by limit and
 * offset until hasMore is false: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157909186990.html,
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156414087576.html). Shipped (bundled into
 * steps): pure, no client, no I/O.
 *
 * What Oracle confirms: an item's prices form its pricing sublist (the "pricing matrix"), one price per currency
 * (Multiple Currencies), price level (Multiple Prices) and quantity (Quantity Pricing); REST web services read and
 * write each cell as `{currencyPage, priceLevel, quantity: {value}, price}`
 * (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_159531460854.html; the matrix:
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1502207768.html). A price level is a record
 * with a `name` (the SOAP schema's PriceLevel: name, discountpct, isInactive, isOnline:
 * https://system.netsuite.com/download/2020_1_Schema_and_Records_Browser.zip).
 *
 * UNVERIFIED (no Oracle page read names them): SuiteQL's table for those cells, `pricing`, and its columns item,
 * pricelevel, currency, quantity and unitprice (public SuiteQL code reads `SELECT item, quantity, saleunit, priceqty,
 * unitprice FROM pricing`; a third-party write-up filters it on quantity 0 for the base price:
 * https://wp.jjknowledgebase.com/?p=86480); `pricelevel.name`; `currency.symbol` as the ISO 4217 code (Tim Dietrich's
 * SuiteQL currency queries read Symbol beside Name: https://timdietrich.me/blog/netsuite-suiteql-currency-exchange-rates;
 * the pack already reads the currency record's symbol as the ISO code: connectors/netsuite/openapi.d.ts); `item.itemid`
 * as the SKU (as the stock query: stock-reader.ts); values as text and empty columns left out, as for the stock query.
 * Also unverified: whether `pricing` holds rows for prices NetSuite derives from a level's markup/discount % (the
 * reader publishes only the rows it is given), whether it holds older versions of a price (the third-party page above
 * filters a `version` column), and in which unit (`saleunit`) a price is when the item sells in several units.
 *
 * Quantity breaks: NetSuite's `quantity` is the lower bound of the break, the price applying from that many units up
 * (Oracle's REST example sets a price at quantity 5; the bound's direction and the base break being 0 are from
 * the third-party page above, UNVERIFIED by Oracle). The canonical row's breaks are lower bounds too, with the base
 * price at 1, so a break of 0 (any quantity) is read as 1 and every other break as NetSuite holds it.
 *
 * Customer-specific prices (the customer record's Item Pricing) are NOT read: no Oracle page read shows a SuiteQL table
 * for them. Third parties show one, `customeritempricing` (customer, item, level, currency, price:
 * https://cdn.cdata.com/help/DNM/powerbi/pg_SuiteQLtable-customeritempricing.htm), which a later query could read into
 * rows with `erp_account` once confirmed on an account.
 *
 * Tax: nothing read says whether a NetSuite item price includes tax; rows leave `tax_inclusive` out (before tax).
 */
import Big from 'big.js';
import type { PriceRow } from '../../model/price.js';

/** The `source` of every row this reader gives. */
export const NETSUITE_PRICE_SOURCE = 'netsuite';

/** An internal ID: digits only. */
const INTERNAL_ID = /^\d+$/;

/**
 * The item price query: every price of every item, per price level, currency and quantity break, with the item's SKU
 * (itemid), the level's name and the currency's ISO code (symbol); `levels` (internal IDs) limits it to those price
 * levels, `currencies` (internal IDs) to those currencies. Ordered by item, level, currency and quantity, so that
 * limit/offset pages are stable and a SKU's breaks on a level come together. One query gives at most 100,000 rows
 * (section_157909186990, above): split it by level when an account has more.
 */
export function netsuitePriceQuery(
  options: { levels?: readonly string[]; currencies?: readonly string[] } = {},
): string {
  const list = (ids: readonly string[] | undefined, what: string): string | undefined => {
    if (ids === undefined || ids.length === 0) return undefined;
    for (const id of ids) {
      if (!INTERNAL_ID.test(id))
        throw new RangeError(`a NetSuite ${what} internal ID is digits only; ${JSON.stringify(id)} is not one`);
    }
    return [...new Set(ids)].join(', ');
  };
  const levels = list(options.levels, 'price level');
  const currencies = list(options.currencies, 'currency');
  const where = [
    ...(levels === undefined ? [] : [`pricing.pricelevel IN (${levels})`]),
    ...(currencies === undefined ? [] : [`pricing.currency IN (${currencies})`]),
  ];
  return [
    'SELECT pricing.item, item.itemid, pricing.pricelevel, pricelevel.name AS pricelevelname,',
    'pricing.currency, currency.symbol AS currencysymbol, pricing.quantity, pricing.unitprice',
    'FROM pricing INNER JOIN item ON item.id = pricing.item',
    'INNER JOIN pricelevel ON pricelevel.id = pricing.pricelevel',
    'INNER JOIN currency ON currency.id = pricing.currency',
    ...(where.length > 0 ? [`WHERE ${where.join(' AND ')}`] : []),
    'ORDER BY pricing.item, pricing.pricelevel, pricing.currency, pricing.quantity',
  ].join(' ');
}

/** The item price query with no filter. */
export const NETSUITE_PRICE_QUERY = netsuitePriceQuery();

/** A row of the price query, read: what the step needs to map it, or why it cannot be read. */
export type PriceRead =
  | {
      ok: true;
      /** The level's internal ID and name, for price_level_map. */
      level: { id?: string; name?: string };
      /** The row, less its price_list (the map gives it). */
      row: Omit<PriceRow, 'price_list'>;
    }
  | { ok: false; code: 'INVALID_PRICE' | 'INVALID_PRICE_BREAK' | 'UNREADABLE_PRICE_ROW'; message: string };

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * One row of the price query, read. Not read: a row that is not an object, or has no SKU (itemid), no price level
 * (neither id nor name) or no currency symbol (UNREADABLE_PRICE_ROW); a unitprice that is not a decimal number
 * (INVALID_PRICE); a quantity that is not a decimal number of 0 or more (INVALID_PRICE_BREAK). The price is kept as
 * decimal text exactly as NetSuite holds it ("12.50" stays "12.50"; a JSON number becomes its shortest decimal text);
 * range checks (below 0, too large, a fractional break) are map-prices-to-sparklayer's, which reports them.
 */
export function priceFromSuiteQL(row: unknown, index: number): PriceRead {
  if (row === null || typeof row !== 'object' || Array.isArray(row))
    return {
      ok: false,
      code: 'UNREADABLE_PRICE_ROW',
      message: `NetSuite price row ${index}: not an object (${JSON.stringify(row) ?? String(row)})`,
    };
  const r = row as Record<string, unknown>;
  const where = `NetSuite price row ${index} (item ${JSON.stringify(r.item ?? null)})`;
  const sku = text(r.itemid)?.trim();
  if (sku === undefined || sku === '')
    return { ok: false, code: 'UNREADABLE_PRICE_ROW', message: `${where}: no itemid (the item's SKU)` };
  const levelId = text(r.pricelevel)?.trim() || undefined;
  const levelName = text(r.pricelevelname)?.trim() || undefined;
  if (levelId === undefined && levelName === undefined)
    return {
      ok: false,
      code: 'UNREADABLE_PRICE_ROW',
      message: `${where}: no price level (pricelevel, pricelevelname)`,
    };
  const currency = text(r.currencysymbol)?.trim();
  if (currency === undefined || currency === '')
    return { ok: false, code: 'UNREADABLE_PRICE_ROW', message: `${where}: no currency symbol (currencysymbol)` };
  const price = decimal(r.unitprice);
  if (price === undefined)
    return {
      ok: false,
      code: 'INVALID_PRICE',
      message: `${where}: unitprice is ${JSON.stringify(r.unitprice ?? null)}, not a decimal number`,
    };
  const quantity = decimal(r.quantity);
  if (quantity === undefined || quantity.startsWith('-'))
    return {
      ok: false,
      code: 'INVALID_PRICE_BREAK',
      message: `${where}: quantity is ${JSON.stringify(r.quantity ?? null)}, not a decimal number of 0 or more`,
    };
  return {
    ok: true,
    level: {
      ...(levelId === undefined ? {} : { id: levelId }),
      ...(levelName === undefined ? {} : { name: levelName }),
    },
    row: {
      sku,
      currency,
      // A break of 0 (from any quantity) is the base price: from 1 unit in the canonical row.
      quantity: new Big(quantity).eq(0) ? '1' : quantity,
      price,
      source: NETSUITE_PRICE_SOURCE,
    },
  };
}

/** Text as it came; a number as its decimal text; null, undefined or '' as undefined. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

/**
 * A decimal number as plain decimal text, exact: text as it came (one change: Oracle's number-to-text may leave out the
 * 0 before the point, ".5", which gets it back, "0.5", the same number); a finite JSON number as its shortest decimal
 * text. Anything else (empty, "1e3", "12,50", "abc", Infinity) is undefined.
 */
function decimal(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? new Big(value).toFixed() : undefined;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  const bare = /^(-?)\.(\d+)$/.exec(trimmed);
  const plain = bare === null ? trimmed : `${bare[1]}0.${bare[2]}`;
  return PLAIN_DECIMAL.test(plain) ? plain : undefined;
}
