/**
 * map-prices-to-sparklayer: the back-end's price rows (model/price.ts) to the entries of SparkLayer's batch pricing
 * update (pack-contract §5), so trade buyers see the prices the ERP holds.
 *
 * Vendor facts:
 * - PATCH /api/v1/batch-update-pricing (https://docs.sparklayer.io/developers/api/pricing/update-pricing-for-multiple-price-lists.md;
 *   its fields in https://docs.sparklayer.io/tech-docs/update-pricing-for-multiple-price-lists): an array of
 *   `{sku, price_list_slug, pricing: [{quantity, price}]}`. Only the SKU and list pairs sent change; each one's prices
 *   are deleted and the ones sent inserted. So one entry carries all of a SKU's breaks on a list: sending some would
 *   delete the rest. 404 when a list named does not exist; 400 a list of `{line, field, message}`.
 * - A price for quantity 1 is always required (https://docs.sparklayer.io/developers/api/pricing/update-pricing-by-price-list.md),
 *   so a SKU with breaks and no base price is MISSING_BASE_PRICE, never sent.
 * - A list is created with `slug`, `name`, `currency_code` (ISO 4217) and `source`, and its currency is the
 *   currency of every price on it (https://docs.sparklayer.io/developers/api/pricing/create-a-price-list.md and
 *   update-a-price-list.md: changing it relabels the prices without converting them). So a row in another currency
 *   than its list is LIST_CURRENCY_MISMATCH, never published as if it were the list's.
 * - The docs type `quantity` and `price` as numbers and say nothing of decimals in either (unverified): this step
 *   sends a whole quantity ≥ 1 and the price exactly as the back-end holds it (no rounding to the currency's minor
 *   units: a B2B unit price of 0.0125 GBP is a real price), refusing one a JSON number cannot carry exactly.
 *
 * Counting (pack-contract §5): one input record is one price at one break. The breaks of a SKU on a list make one
 * entry, carried by the first record of them; the others pass with no entry of their own, as do all of them when the
 * entry is as last published (`previous`), counted in meta `map_prices_to_sparklayer_unchanged`. One record refused
 * withholds its SKU's whole entry on that list (the others skipped, `withheld`): publishing the rest would delete the
 * refused break's price in SparkLayer. Rows not valid on `as_of` are skipped (`not-yet-valid`, `expired`).
 *
 * Beside the entries it writes `published`: `previous` with one entry a SKU and list, the last given. A flow appends
 * each batch SparkLayer took to the entries published before and saves this back before sending
 * (patchworks/blueprint/price-flow.ts), so what it keeps never grows past one entry a pair.
 *
 * Packs: with unit_map, a back-end SKU's prices are also published for each pack SparkLayer sells of it, at the
 * price × units per pack, a break of q units from ceil(q / units) packs (where two breaks meet at one pack count, the
 * larger break applies, as it would to that many units).
 */
import Big from 'big.js';
import * as z from 'zod';
import { exactJsonNumber, toDecimal, type Decimal } from '../../model/money.js';
import { MAX_PRICE_QUANTITY, MAX_UNIT_PRICE, type PriceRow } from '../../model/price.js';
import { choiceSetting, instantSetting } from '../../runtime/settings.js';
import { unitMapSetting } from '../order-settings.js';
import { defineStep, fail, passMany, skip, type ExceptionCode, type Outcome } from '../../runtime/step.js';

const CODES = {
  INVALID_PRICE: {
    owner: 'finance',
    action:
      'The price (named in the message) is not a decimal number, is below 0, is over 1,000,000,000, or has more ' +
      'digits than SparkLayer can be sent exactly. Its SKU is not published on that list this run (SparkLayer keeps ' +
      'its last prices). Correct the price in the back-end; the next run publishes it.',
  },
  INVALID_PRICE_BREAK: {
    owner: 'finance',
    action:
      'The quantity break is not a whole number from 1 to 1,000,000,000. Its SKU is not published on that list this ' +
      'run. Correct the break in the back-end; the next run publishes it.',
  },
  MISSING_BASE_PRICE: {
    owner: 'finance',
    action:
      'The SKU has quantity-break prices on this list but none for quantity 1 valid today, which SparkLayer ' +
      'requires, so none of its prices on the list were published. Add the base price in the back-end (or end the ' +
      'breaks); the next run publishes them.',
  },
  CONFLICTING_PRICE: {
    owner: 'finance',
    action:
      'Two rows give the same SKU, list and quantity different prices valid today, so the pack cannot tell which ' +
      'applies and publishes neither (nor the SKU\u2019s other breaks on the list). End or remove one of them in the ' +
      'back-end; the next run publishes the other.',
  },
  UNKNOWN_PRICE_LIST: {
    owner: 'integration',
    action:
      'SparkLayer has no price list with this slug (missing_list_action=exception), so its prices were not sent. ' +
      'Create the list in SparkLayer, correct the map naming it, or set missing_list_action=create; then rerun.',
  },
  LIST_CURRENCY_MISMATCH: {
    owner: 'integration',
    action:
      "The price's currency is not its SparkLayer list's (SparkLayer keeps one currency a list), so it was not " +
      'published. Map this currency\u2019s prices to a list in that currency, or correct the row; then rerun.',
  },
} as const satisfies Record<string, ExceptionCode>;
type Code = keyof typeof CODES;

/** One entry of the batch-update-pricing body, as this step writes it. */
export interface PricingEntry {
  sku: string;
  price_list_slug: string;
  pricing: Array<{ quantity: number; price: number }>;
}

/** A price list to create before the prices are sent (missing_list_action=create): POST /api/v1/price-lists. */
export interface PriceListToCreate {
  slug: string;
  name: string;
  currency_code: string;
  source: 'integration';
  tax_inclusive_display: boolean;
}

const CONTROL = /\p{Cc}/u;
const text = z
  .string()
  .refine((value) => value.trim() !== '', 'must not be blank')
  .refine((value) => !CONTROL.test(value.trim()), 'must not hold a control character');
const amount = z.union([z.string(), z.number()], { error: 'must be a number or decimal text such as "10.40"' });
/** ISO 8601 date or date-time, as the back-end wrote it. */
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
const date = z
  .string()
  .refine(
    (value) => DATE.test(value.trim()) && !Number.isNaN(Date.parse(value.trim())),
    'must be an ISO 8601 date such as 2026-12-31, or a date-time with its offset',
  );

const priceRowSchema = z.looseObject({
  price_list: text,
  sku: text,
  currency: z.string().regex(/^\s*[A-Za-z]{3}\s*$/, 'must be an ISO 4217 currency code such as GBP'),
  quantity: amount,
  price: amount,
  valid_from: date.optional(),
  valid_to: date.optional(),
  erp_account: z.string().optional(),
  tax_inclusive: z.boolean().optional(),
  source: z.string().optional(),
}) satisfies z.ZodType<PriceRow>;
type Row = z.infer<typeof priceRowSchema>;

/** A figure SparkLayer was last sent: decimal text or a number (compared exactly with what would be sent now). */
const sentFigure = amount.refine((value) => {
  try {
    toDecimal(value, 'figure');
    return true;
  } catch {
    return false;
  }
}, 'must be a decimal number');
const pricingSchema = z.array(z.looseObject({ quantity: sentFigure, price: sentFigure }));
const besideSchema = z.looseObject({
  /** SparkLayer's price lists (GET /api/v2/price-lists `data`): absent, lists are not checked. */
  price_lists: z
    .array(z.looseObject({ slug: text, currency_code: z.string().optional() }))
    .nullable()
    .optional(),
  /** The entries last published (this step's output of an earlier run). */
  previous: z
    .array(z.looseObject({ sku: text, price_list_slug: text, pricing: pricingSchema }))
    .nullable()
    .optional(),
});
type Beside = z.infer<typeof besideSchema>;
type PreviousEntry = NonNullable<Beside['previous']>[number];

/** The record's id in skipped and exceptions: `SKU@list`. */
function rowId(record: unknown): string | null {
  if (record === null || typeof record !== 'object') return null;
  const { sku, price_list: list } = record as Record<string, unknown>;
  if (typeof sku !== 'string' || sku.trim() === '') return null;
  return typeof list === 'string' && list.trim() !== '' ? `${sku.trim()}@${list.trim()}` : sku.trim();
}

/** Plain decimal text: no sign "+", exponent, spaces inside, separators or bare point. */
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** The price, exact, or why not. */
function readPrice(value: string | number): Decimal | string {
  const textValue = typeof value === 'number' ? String(value) : value.trim();
  if (typeof value === 'number' && !Number.isFinite(value)) return 'is not a finite number';
  if (textValue.length > 40 || (typeof value === 'string' && !PLAIN_DECIMAL.test(textValue)))
    return `is ${JSON.stringify(value)}, not a plain decimal number`;
  const price = toDecimal(value, 'price');
  if (price.lt(0)) return `is ${price.toFixed()}, below 0`;
  if (price.gt(MAX_UNIT_PRICE)) return `is ${price.toFixed()}, over ${MAX_UNIT_PRICE}`;
  return price;
}

/** The quantity break as a whole number from 1, or why not. */
function readBreak(value: string | number): number | string {
  const number = typeof value === 'number' ? value : /^\d{1,10}$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isInteger(number) || number < 1 || number > MAX_PRICE_QUANTITY)
    return `is ${JSON.stringify(value)}, not a whole number from 1 to ${MAX_PRICE_QUANTITY}`;
  return number;
}

const DAY = 86_400_000;
/** Whether the row applies on `asOf`: from valid_from, through valid_to (a date: that whole day, UTC). */
function validity(row: Row, asOf: number): 'valid' | 'not-yet-valid' | 'expired' {
  if (row.valid_from !== undefined && Date.parse(row.valid_from.trim()) > asOf) return 'not-yet-valid';
  if (row.valid_to !== undefined) {
    const to = row.valid_to.trim();
    const end = to.length === 10 ? Date.parse(to) + DAY - 1 : Date.parse(to);
    if (end < asOf) return 'expired';
  }
  return 'valid';
}

/** One price of a SKU on a list at a break, read; `index` is its record. */
interface Break {
  index: number;
  quantity: number;
  price: Decimal;
}

/** The breaks of one SparkLayer SKU on one list, and every record that feeds them (in order). */
interface Entry {
  sku: string;
  list: string;
  units: Decimal;
  breaks: Break[];
  records: number[];
}

/** A SparkLayer SKU a back-end SKU backs, with the units per pack (1: itself). */
interface Backed {
  sku: string;
  units: Decimal;
}

const ONE = new Big(1);

/** The entry's pricing, one price per pack count, in ascending quantity; or the records whose prices conflict. */
function pricingOf(entry: Entry): { pricing: Array<{ quantity: number; price: Decimal }> } | { conflicts: number[] } {
  const byQuantity = new Map<number, Break>();
  const conflicts = new Set<number>();
  for (const item of entry.breaks) {
    const held = byQuantity.get(item.quantity);
    if (held === undefined) byQuantity.set(item.quantity, item);
    else if (!held.price.eq(item.price)) conflicts.add(held.index).add(item.index);
  }
  if (conflicts.size > 0) return { conflicts: [...conflicts] };
  const perPack = new Map<number, { from: number; price: Decimal }>();
  for (const [quantity, item] of byQuantity) {
    const packs = entry.units.eq(ONE) ? quantity : Number(new Big(quantity).div(entry.units).round(0, Big.roundUp));
    const held = perPack.get(packs);
    if (held === undefined || held.from < quantity)
      perPack.set(packs, { from: quantity, price: item.price.times(entry.units) });
  }
  return {
    pricing: [...perPack].sort(([a], [b]) => a - b).map(([quantity, { price }]) => ({ quantity, price })),
  };
}

/** What SparkLayer holds for a SKU on a list, as this step last published it: `quantity=price;…`, exact. */
function pricingKey(pricing: ReadonlyArray<{ quantity: string | number; price: string | number | Decimal }>): string {
  return pricing
    .map(({ quantity, price }) => {
      const read = typeof price === 'object' ? price : toDecimal(price, 'price');
      return `${toDecimal(quantity, 'quantity').toFixed()}=${read.toFixed()}`;
    })
    .sort()
    .join(';');
}

/** Separator of a SKU and a list in one key: neither holds a control character (both refused above). */
const KEY = '\u0000';

export const step = defineStep({
  key: 'map-prices-to-sparklayer',
  title: 'Map prices to SparkLayer',
  purpose:
    "Turns the back-end's price rows into SparkLayer's batch pricing entries: every break of a SKU on a list in one " +
    'entry with its base price, packs priced from their units, lists checked or created, unchanged entries left out.',
  settings: {
    missing_list_action: choiceSetting({
      description:
        '`exception`: a price list SparkLayer does not have (price_lists beside) is UNKNOWN_PRICE_LIST. `create`: it ' +
        'is created (price_lists_to_create, in the currency of its first price) and its prices published.',
      default: 'exception',
      choices: ['exception', 'create'],
    }),
    unit_map: unitMapSetting(
      "The order steps' table, read in reverse: each pack SparkLayer sells of a back-end SKU is priced at its units.",
    ),
    as_of: instantSetting({
      description: 'The instant whose prices are published (valid_from, valid_to). Empty: now.',
    }),
  },
  exceptionCodes: CODES,
  record: {
    schema: priceRowSchema,
    id: rowId,
    fieldCodes: { price: 'INVALID_PRICE', quantity: 'INVALID_PRICE_BREAK' },
  },
  beside: besideSchema,
  besideDropped: ['previous', 'price_lists'],
  rule: (rows: readonly Row[], settings, beside: Beside) => {
    const { unit_map: unitMap, as_of: asOf } = settings;
    const packsOf = new Map<string, Backed[]>();
    for (const [sparkSku, conversion] of unitMap) {
      const list = packsOf.get(conversion.sku) ?? [];
      list.push({ sku: sparkSku, units: conversion.unitsPerPack });
      packsOf.set(conversion.sku, list);
    }
    /** The SparkLayer SKUs a back-end SKU backs: itself (unless unit_map names it as a pack) and each pack. */
    const backedBy = (sku: string): Backed[] => [
      ...(unitMap.has(sku) ? [] : [{ sku, units: ONE }]),
      ...(packsOf.get(sku) ?? []),
    ];

    const known = beside.price_lists
      ? new Map(beside.price_lists.map((list) => [list.slug.trim(), list.currency_code?.trim().toUpperCase()]))
      : undefined;
    const created = new Map<string, PriceListToCreate>();
    const previous = new Map<string, string>();
    // The last of each SKU and list wins: a flow appends each batch SparkLayer took to what it published before.
    const published = new Map<string, PreviousEntry>();
    for (const entry of beside.previous ?? []) {
      const key = `${entry.sku.trim()}${KEY}${entry.price_list_slug.trim()}`;
      previous.set(key, pricingKey(entry.pricing));
      published.delete(key);
      published.set(key, entry);
    }

    const outcomes = new Array<Outcome<Code> | undefined>(rows.length);
    const entries = new Map<string, Entry>();
    /** Entries withheld, by key: a record feeding them is skipped. */
    const withheld = new Set<string>();

    rows.forEach((row, index) => {
      const list = row.price_list.trim();
      const sku = row.sku.trim();
      const currency = row.currency.trim().toUpperCase();
      const backed = backedBy(sku);
      const keys = backed.map((spark) => `${spark.sku}${KEY}${list}`);
      const refuse = (outcome: Outcome<Code>) => {
        outcomes[index] = outcome;
        for (const key of keys) withheld.add(key);
      };
      const price = readPrice(row.price);
      if (typeof price === 'string') return refuse(fail('INVALID_PRICE', `price ${price}`, { field: 'price' }));
      if (exactJsonNumber(price) === undefined)
        return refuse(fail('INVALID_PRICE', `price ${price.toFixed()} cannot be sent exactly as a JSON number`));
      const quantity = readBreak(row.quantity);
      if (typeof quantity === 'string') return refuse(fail('INVALID_PRICE_BREAK', `quantity ${quantity}`));
      const valid = validity(row, asOf);
      if (valid !== 'valid') return (outcomes[index] = skip(valid));

      let listCurrency = known?.get(list);
      if (known !== undefined && !known.has(list)) {
        if (settings.missing_list_action === 'exception')
          return (outcomes[index] = fail(
            'UNKNOWN_PRICE_LIST',
            `SparkLayer has no price list ${JSON.stringify(list)} (missing_list_action=exception)`,
            { price_list: list },
          ));
        const toCreate = created.get(list) ?? {
          slug: list,
          name: list,
          currency_code: currency,
          source: 'integration' as const,
          tax_inclusive_display: row.tax_inclusive === true,
        };
        created.set(list, toCreate);
        listCurrency = toCreate.currency_code;
      }
      if (listCurrency !== undefined && listCurrency !== currency)
        return refuse(
          fail(
            'LIST_CURRENCY_MISMATCH',
            `price in ${currency} on price list ${JSON.stringify(list)} in ${listCurrency}`,
            {
              price_list: list,
              currency,
              list_currency: listCurrency,
            },
          ),
        );
      backed.forEach((spark, at) => {
        const key = keys[at]!;
        let entry = entries.get(key);
        if (entry === undefined) {
          entry = { sku: spark.sku, list, units: spark.units, breaks: [], records: [] };
          entries.set(key, entry);
        }
        entry.breaks.push({ index, quantity, price });
        if (entry.records[entry.records.length - 1] !== index) entry.records.push(index);
      });
      return undefined;
    });

    // An entry fails its records where its prices conflict, it has no base price, or a pack's price cannot be sent
    // exactly. The same records feed a back-end SKU's entry and its packs', so any record failed withholds them all.
    const pricingByKey = new Map<string, PricingEntry['pricing']>();
    for (const [key, entry] of entries) {
      if (withheld.has(key)) continue;
      const read = pricingOf(entry);
      const where = `${entry.sku} on ${JSON.stringify(entry.list)}`;
      if ('conflicts' in read) {
        for (const index of read.conflicts)
          outcomes[index] ??= fail(
            'CONFLICTING_PRICE',
            `${where} has two different prices for one quantity valid on as_of`,
          );
        continue;
      }
      if (read.pricing[0]?.quantity !== 1) {
        for (const index of entry.records)
          outcomes[index] ??= fail(
            'MISSING_BASE_PRICE',
            `${where} has prices from quantity ${read.pricing[0]?.quantity} but none for quantity 1 valid on as_of`,
          );
        continue;
      }
      const pricing = read.pricing.map(({ quantity, price }) => ({ quantity, price: exactJsonNumber(price) }));
      const inexact = pricing.findIndex(({ price }) => price === undefined);
      if (inexact >= 0) {
        for (const index of entry.records)
          outcomes[index] ??= fail(
            'INVALID_PRICE',
            `${where}: the pack price ${read.pricing[inexact]!.price.toFixed()} cannot be sent exactly as a JSON ` +
              'number',
          );
        continue;
      }
      pricingByKey.set(key, pricing as PricingEntry['pricing']);
    }

    /** Each record's entries, in order, once the entries are settled. */
    const carried = new Map<number, PricingEntry[]>();
    let unchanged = 0;
    for (const [key, entry] of entries) {
      const pricing = pricingByKey.get(key);
      if (pricing === undefined || entry.records.some((index) => outcomes[index]?.kind === 'exception')) {
        for (const index of entry.records) outcomes[index] ??= skip('withheld');
        continue;
      }
      if (previous.get(key) === pricingKey(pricing)) {
        unchanged += 1;
        continue;
      }
      const carrier = entry.records[0]!;
      const list = carried.get(carrier) ?? [];
      list.push({ sku: entry.sku, price_list_slug: entry.list, pricing });
      carried.set(carrier, list);
    }

    const settled = Array.from(outcomes, (outcome, index) => outcome ?? passMany(carried.get(index) ?? []));
    const rowsWritten = [...carried.values()].reduce((sum, list) => sum + list.length, 0);
    return {
      outcomes: settled,
      write: { price_lists_to_create: [...created.values()], published: [...published.values()] },
      counts: { unchanged, rows: rowsWritten },
    };
  },
});
