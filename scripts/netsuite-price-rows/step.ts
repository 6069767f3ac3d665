/**
 * netsuite-price-rows: the rows of the pack's NetSuite item price query (connectors/netsuite/price-reader.ts,
 * `netsuitePriceQuery`, SuiteQL over `pricing` run by the connection shape runSuiteQL) as the pack's canonical price
 * rows (model/price.ts, pack-contract §5), which map-prices-to-sparklayer publishes: one row per item, price level,
 * currency and quantity break, in order.
 *
 * - `price_list`: the SparkLayer price list slug `price_level_map` gives the row's price level, looked up by the
 *   level's internal ID, then by its name (any case). A level the map does not name is not published: the row is
 *   skipped (`unmapped-price-level`), so a level used only inside NetSuite (or for another channel) never reaches
 *   SparkLayer. Each slug is fed by one level (scripts/price-settings.ts).
 * - `sku`: the item's itemid (as the stock reader: the SKU the pack uses for NetSuite); `currency`: the currency
 *   record's symbol (its ISO 4217 code); `price`: unitprice, kept exactly as decimal text; `quantity`: the break as
 *   NetSuite holds it, its lower bound, with NetSuite's base break 0 read as 1 (price-reader.ts); `source`: netsuite.
 *   No `valid_from`/`valid_to` (NetSuite item prices have no dates), no `erp_account` (customer-specific prices are not
 *   read: price-reader.ts says why), no `tax_inclusive` (before tax).
 * - A row whose price is not a decimal number is INVALID_PRICE, whose quantity is not a decimal number of 0 or more
 *   INVALID_PRICE_BREAK (both finance's, as in map-prices-to-sparklayer), and one with no SKU, price level or currency
 *   UNREADABLE_PRICE_ROW (integration): each kept whole, and not published.
 *
 * Withholding: a price refused here never reaches map-prices-to-sparklayer, which publishes a SKU's breaks on a list
 * as one entry; so until the row is corrected, that SKU's list entry goes without the refused break (or, for a refused
 * base price, is MISSING_BASE_PRICE there). Fix the price in NetSuite and the next run publishes all of them.
 */
import * as z from 'zod';
import { priceFromSuiteQL } from '../../connectors/netsuite/price-reader.js';
import { isJsonObject } from '../../runtime/json-object.js';
import { defineStep, fail, pass, skip, type ExceptionCode } from '../../runtime/step.js';
import { nameKey, priceSourceMapSetting } from '../price-settings.js';

const CODES = {
  INVALID_PRICE: {
    owner: 'finance',
    action:
      'A NetSuite item price (the message names the row, the item and the value) is not a decimal number, so it was ' +
      "not read as a price and is not published; SparkLayer keeps the SKU's last prices at that break. Correct the " +
      "price on the item's Pricing subtab in NetSuite; the next run publishes it.",
  },
  INVALID_PRICE_BREAK: {
    owner: 'finance',
    action:
      "A NetSuite item price's quantity break (the message names the row, the item and the value) is not a number " +
      "of 0 or more, so the price is not published. Correct the item's quantity pricing in NetSuite; the next run " +
      'publishes it.',
  },
  UNREADABLE_PRICE_ROW: {
    owner: 'integration',
    action:
      'A row of the NetSuite price query has no item SKU (itemid), no price level or no currency symbol, so it ' +
      'cannot be a price row and is not published. Give the item its name/number or the currency its ISO code in ' +
      'NetSuite, or check the query in connectors/netsuite/price-reader.ts against the account; then rerun.',
  },
} as const satisfies Record<string, ExceptionCode>;

/** A price level's key in price_level_map by its internal ID (`#<id>`). */
const idKey = (id: string) => `#${id}`;

/** A SuiteQL row: an object of columns (NetSuite leaves empty columns out; nulls are read as absent). */
const rowSchema = z.looseObject({});

/** The row's id in skipped and exceptions: `<SKU or item id>@<level> <currency> x<quantity>`. */
function rowId(row: unknown): string | null {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return null;
  const { item, itemid, pricelevel, pricelevelname, currencysymbol, currency, quantity } = row as Record<
    string,
    unknown
  >;
  const part = (...values: unknown[]): string | undefined => {
    for (const value of values) {
      if (typeof value === 'string' && value.trim() !== '') return value.trim();
      if (typeof value === 'number') return String(value);
    }
    return undefined;
  };
  const name = part(itemid, item);
  if (name === undefined) return null;
  const level = part(pricelevelname, pricelevel) ?? '?';
  return `${name}@${level} ${part(currencysymbol, currency) ?? '?'} x${part(quantity) ?? '?'}`;
}

export const step = defineStep({
  key: 'netsuite-price-rows',
  title: 'NetSuite price rows',
  purpose:
    "Reads the rows of the pack's NetSuite item price query (SuiteQL over pricing) as canonical price rows for " +
    'map-prices-to-sparklayer: each price level mapped to a SparkLayer price list by price_level_map (a level not ' +
    'mapped is not published), prices kept as exact decimal text, quantity breaks as NetSuite holds them.',
  settings: {
    price_level_map: priceSourceMapSetting({
      description:
        'NetSuite price level (left: its internal ID, e.g. 1, or its name, e.g. Base Price, any case; an ID wins ' +
        'over a name for the same level) to the SparkLayer price list slug its prices go to (right). A level not ' +
        'listed is not published (skipped, unmapped-price-level). Each slug once: one list is fed by one level. ' +
        'Empty: nothing is published.',
      source: 'price level',
      sources: 'levels',
      isId: (key) => /^\d+$/.test(key),
      keys: { idKey, nameKey },
    }),
  },
  exceptionCodes: CODES,
  // The schema only checks: the rule reads each row as it came (less its nulls), not zod's copy of it; any object is
  // a row to it, which the quick check sees without zod.
  record: { schema: rowSchema, id: rowId, checkOnly: true, quick: isJsonObject },
  rule: (rows, { price_level_map: levelMap }) =>
    rows.map((record, index) => {
      const read = priceFromSuiteQL(record, index);
      if (!read.ok) return fail(read.code, read.message);
      const { id, name } = read.level;
      const list =
        (id === undefined ? undefined : levelMap.get(idKey(id))) ??
        (name === undefined ? undefined : levelMap.get(nameKey(name)));
      if (list === undefined) return skip('unmapped-price-level');
      return pass({ price_list: list, ...read.row });
    }),
});
