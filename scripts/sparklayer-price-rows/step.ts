/**
 * sparklayer-price-rows: one SparkLayer price list's stored prices (GET /api/v1/price-lists/{slug}/pricing,
 * getPriceListPricingData), with SparkLayer's price lists (GET /api/v2/price-lists `data`, getPriceLists) read beside
 * them, as the pack's canonical price rows (model/price.ts, pack-contract §5): one row per entry, so that a later flow
 * can publish SparkLayer's trade lists to another back-end (map-prices-to-lightspeed-x, map-prices-to-lightspeed-r).
 * One flow payload per list: the records are the entries of that one list's answer, and `price_list` beside names it.
 *
 * Vendor facts (https://docs.sparklayer.io/developers/api/pricing/get-pricing-by-price-list.md): the answer holds
 * "every price stored on the price list, one entry per SKU and quantity break, ordered by SKU. Prices derived from the
 * list's rules are not included"; 204 with no body when the list has no prices (no records, no rows), 404 when the
 * list does not exist. UNVERIFIED: the docs read do not show an entry's fields. This step reads `sku`, `quantity` and
 * `price`, the fields of the update rows
 * (https://docs.sparklayer.io/developers/api/pricing/update-pricing-for-multiple-price-lists.md), flat, one entry per
 * break (connectors/sparklayer/openapi.json, PriceListPricingEntry); check a live answer before relying on it. A
 * price list has `slug` and `currency_code` ("ISO 4217 currency code", example gbp:
 * https://docs.sparklayer.io/tech-docs/create-a-price-list).
 *
 * Each row:
 * - `price_list`: the slug beside (`price_list`), the list the entries were read from;
 * - `sku`: the entry's `sku`, trimmed;
 * - `currency`: the list's `currency_code` among `price_lists` beside, upper case;
 * - `quantity`: the entry's `quantity` as it came, once it is a whole number from 1 (SparkLayer's breaks are unit
 *   counts, and a price for quantity 1 is always required: https://docs.sparklayer.io/quantity-pricing);
 * - `price`: the entry's `price` exactly as it came (a number stays that number, decimal text that text: "0.10" is
 *   never 0.1), once it reads as a decimal number from 0 to MAX_UNIT_PRICE; nothing here does float arithmetic;
 * - `tax_inclusive`: false. "SparkLayer will always output the prices in the Net amounts, regardless of the tax status
 *   you set on your website" (https://docs.sparklayer.io/tax-and-shipping); a stored price is read as net the same
 *   way (the GET page itself does not say: UNVERIFIED);
 * - `source`: `sparklayer`. No `valid_from` / `valid_to` (SparkLayer prices have no dates) and no `erp_account` (a
 *   customer-specific price is its own list: https://docs.sparklayer.io/tech-docs/pricing-api).
 *
 * Exceptions, each keeping the whole entry, one bad entry never holding back another: an entry with no SKU is
 * UNREADABLE_PRICE_ROW (integration; one that is not an object is the runtime's INVALID_RECORD); a price that is not
 * a decimal number from 0 is INVALID_PRICE, a break that is not a whole number from 1 INVALID_PRICE_BREAK (both
 * finance's, as in the siblings). A `price_list` not among
 * `price_lists` is UNKNOWN_PRICE_LIST for every entry, and a list with no ISO currency_code UNREADABLE_PRICE_ROW for
 * every entry (integration): no currency, no row.
 */
import Big from 'big.js';
import * as z from 'zod';
import { MAX_UNIT_PRICE, type PriceRow } from '../../model/price.js';
import { isJsonObject } from '../../runtime/json-object.js';
import { defineStep, fail, pass, type ExceptionCode, type Outcome } from '../../runtime/step.js';
import { CONTROL_CHARACTER } from '../../runtime/tables.js';
import { readPriceBreak, rowText } from '../price-rows.js';

const CODES = {
  INVALID_PRICE: {
    owner: 'finance',
    action:
      'A SparkLayer price (the message names the price list, the SKU, the break and the value) is not a decimal ' +
      'number of 0 or more, or is implausibly large, so it is not passed on. Correct the price on the list in ' +
      'SparkLayer (Pricing in the Dashboard, or the back-end that publishes it); the next run reads it.',
  },
  INVALID_PRICE_BREAK: {
    owner: 'finance',
    action:
      "A SparkLayer price's quantity break (the message names the price list, the SKU and the value) is not a whole " +
      'number of 1 or more, so the price is not passed on. Correct the quantity pricing on the list in SparkLayer; ' +
      'the next run reads it.',
  },
  UNREADABLE_PRICE_ROW: {
    owner: 'integration',
    action:
      'A SparkLayer price list entry cannot be read as a price (the message says why): it has no SKU, or its ' +
      'price list has no ISO currency_code, so SparkLayer\u2019s answer or the flow\u2019s read ' +
      'changed. It is not passed on. Check the entry and the list in SparkLayer and the flow\u2019s reads, then rerun.',
  },
  UNKNOWN_PRICE_LIST: {
    owner: 'integration',
    action:
      'The price list the entries were read from (price_list beside) is not among the SparkLayer price lists read ' +
      'beside them (price_lists), so its currency is unknown and none of its prices is passed on. Check the flow ' +
      'reads GET /api/v2/price-lists (every page) and names the list by its slug; then rerun.',
  },
} as const satisfies Record<string, ExceptionCode>;
type Code = keyof typeof CODES;

/** The step's `source` on every row. */
export const SPARKLAYER_PRICE_SOURCE = 'sparklayer';

/** An entry of the GET answer; the rule reads each field and names what is wrong. */
const recordSchema = z.looseObject({});
/** Beside the records: the slug they belong to, and SparkLayer's lists (bare, or pages with `data`). */
const besideSchema = z.looseObject({
  /** Absent: no list is named, so every entry is UNKNOWN_PRICE_LIST (kept whole), never a failed run. */
  price_list: rowText.nullable().optional(),
  price_lists: z.array(z.unknown()).nullable().optional(),
});
type Beside = z.infer<typeof besideSchema>;

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** An entry's id in exceptions: `<SKU> x<quantity>` (the list is the payload's). */
function recordId(record: unknown): string | null {
  if (!isJsonObject(record)) return null;
  const sku = text(record.sku);
  if (sku === '') return null;
  const quantity = record.quantity;
  return typeof quantity === 'number' || typeof quantity === 'string' ? `${sku} x${String(quantity).trim()}` : sku;
}

/** The lists read beside: each item a list, or a page whose `data` holds lists. */
function lists(value: readonly unknown[]): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  for (const item of value) {
    const page = isJsonObject(item) && !('slug' in item) && Array.isArray(item.data) ? item.data : [item];
    for (const list of page) if (isJsonObject(list) && text(list.slug) !== '') found.set(text(list.slug), list);
  }
  return found;
}

/** Decimal text as a price: digits, optionally a point and digits; no sign, exponent or separator. */
const DECIMAL = /^\d{1,15}(\.\d{1,15})?$/;

/** The price as it came, or why it is not one. Big reads a number from its shortest text: no float arithmetic. */
function readPrice(value: unknown): string | number | { error: string } {
  const shown = JSON.stringify(value) ?? 'missing';
  let amount: Big | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) amount = new Big(value);
  else if (typeof value === 'string' && DECIMAL.test(value.trim())) amount = new Big(value.trim());
  if (amount === undefined || amount.lt(0) || amount.gt(MAX_UNIT_PRICE))
    return { error: `price is ${shown}, not a decimal number from 0 to ${MAX_UNIT_PRICE}` };
  return value as string | number;
}

export const step = defineStep({
  key: 'sparklayer-price-rows',
  title: 'SparkLayer price rows',
  purpose:
    "Reads one SparkLayer price list's stored prices (GET /api/v1/price-lists/{slug}/pricing), with the price lists " +
    "read beside them, as the pack's canonical price rows: one per SKU and quantity break, in the list's currency, " +
    'prices kept exactly as SparkLayer gave them, net of tax.',
  settings: {},
  exceptionCodes: CODES,
  record: { schema: recordSchema, id: recordId },
  beside: besideSchema,
  // The lists are read here only: the rows carry what is needed of them.
  besideDropped: ['price_lists'],
  rule: (records, _settings, beside: Beside) => {
    const slug = beside.price_list?.trim() ?? '';
    const list = slug === '' ? undefined : lists(beside.price_lists ?? []).get(slug);
    const currency = text(list?.currency_code).toUpperCase();
    return records.map((record, index): Outcome<Code> => {
      const where = `SparkLayer price list ${slug || '(none named)'} entry ${index}`;
      if (list === undefined)
        return fail(
          'UNKNOWN_PRICE_LIST',
          slug === ''
            ? `${where}: no price list is named beside the entries (price_list)`
            : `${where}: price list ${slug} is not among the price lists read`,
        );
      if (!/^[A-Z]{3}$/.test(currency))
        return fail(
          'UNREADABLE_PRICE_ROW',
          `${where}: price list ${slug} has currency_code ${JSON.stringify(list.currency_code) ?? 'missing'}, ` +
            'not an ISO 4217 code',
        );
      const sku = text(record.sku);
      if (sku === '' || CONTROL_CHARACTER.test(sku))
        return fail('UNREADABLE_PRICE_ROW', `${where}: sku is ${JSON.stringify(record.sku) ?? 'missing'}`);
      const what = `${where} (${sku})`;
      const quantity = record.quantity;
      const readBreak =
        typeof quantity === 'number' || typeof quantity === 'string'
          ? readPriceBreak(quantity)
          : `is ${JSON.stringify(quantity) ?? 'missing'}, not a whole number from 1`;
      if (typeof readBreak === 'string') return fail('INVALID_PRICE_BREAK', `${what}: quantity ${readBreak}`);
      const price = readPrice(record.price);
      if (typeof price === 'object') return fail('INVALID_PRICE', `${what} x${readBreak}: ${price.error}`);
      const row: PriceRow = {
        price_list: slug,
        sku,
        currency,
        quantity: quantity as string | number,
        price,
        tax_inclusive: false,
        source: SPARKLAYER_PRICE_SOURCE,
      };
      return pass(row);
    });
  },
});
