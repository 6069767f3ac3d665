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
import { MAX_UNIT_PRICE } from '../../model/price.js';
import { choiceSetting, instantSetting } from '../../runtime/settings.js';
import { CONTROL_CHARACTER } from '../../runtime/tables.js';
import { unitMapSetting } from '../order-settings.js';
import {
  priceRowSchema,
  priceValidity,
  readPriceBreak,
  rowFigure,
  rowText,
  type PriceRowRecord,
} from '../price-rows.js';
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

/** A figure SparkLayer was last sent: decimal text or a number (compared exactly with what would be sent now). */
const sentFigure = rowFigure.refine((value) => {
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
    .array(z.looseObject({ slug: rowText, currency_code: z.string().optional() }))
    .nullable()
    .optional(),
  /** The entries last published (this step's output of an earlier run). */
  previous: z
    .array(z.looseObject({ sku: rowText, price_list_slug: rowText, pricing: pricingSchema }))
    .nullable()
    .optional(),
});
type Beside = z.infer<typeof besideSchema>;
type PreviousEntry = NonNullable<Beside['previous']>[number];

/**
 * The quick reads (runtime/step.ts `record.quick`, `besideQuick`): hand-written checks of the common case that accept
 * only what the schemas accept, so nothing read changes; anything else is left to the schemas, which word the
 * failures. At 200,000 rows beside 110,000 entries last published, zod's checks (a decimal object per figure of
 * `previous`) were most of the step's time.
 */
const quickText = (value: unknown): boolean => {
  if (typeof value !== 'string') return false;
  const trimmed = value.trim();
  return trimmed !== '' && !CONTROL_CHARACTER.test(trimmed);
};
const CURRENCY = /^\s*[A-Za-z]{3}\s*$/;
const quickAmount = (value: unknown): boolean => typeof value === 'string' || typeof value === 'number';
const optional = (value: unknown, type: 'string' | 'boolean'): boolean => value === undefined || typeof value === type;

/** True only for a row priceRowSchema accepts (one with a validity date is left to the schema). */
function quickRow(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const row = value as Record<string, unknown>;
  return (
    quickText(row.price_list) &&
    quickText(row.sku) &&
    typeof row.currency === 'string' &&
    CURRENCY.test(row.currency) &&
    quickAmount(row.quantity) &&
    quickAmount(row.price) &&
    row.valid_from === undefined &&
    row.valid_to === undefined &&
    optional(row.erp_account, 'string') &&
    optional(row.tax_inclusive, 'boolean') &&
    optional(row.source, 'string')
  );
}

/** Whether the object's own keys are exactly `keys`, in that order: then zod's copy of it is the same JSON. */
function keysAre(object: object, keys: readonly string[]): boolean {
  let at = 0;
  for (const key in object) {
    if (!Object.hasOwn(object, key) || key !== keys[at]) return false;
    at += 1;
  }
  return at === keys.length;
}
const ENTRY_KEYS = ['sku', 'price_list_slug', 'pricing'] as const;
const FIGURE_KEYS = ['quantity', 'price'] as const;

/**
 * True only for a `previous` besideSchema accepts, read as it came: absent, null, or entries of exactly `sku`,
 * `price_list_slug` (text) and `pricing`, a list of exactly `quantity` and `price`, finite numbers (what this step
 * writes). Keys in zod's own order, so the `published` written from it is byte for byte what zod's copy gave.
 */
function quickPrevious(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (!Array.isArray(value)) return false;
  for (const entry of value) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry) || !keysAre(entry, ENTRY_KEYS))
      return false;
    const { sku, price_list_slug: list, pricing } = entry as Record<string, unknown>;
    if (!quickText(sku) || !quickText(list) || !Array.isArray(pricing)) return false;
    for (const figure of pricing) {
      if (figure === null || typeof figure !== 'object' || Array.isArray(figure) || !keysAre(figure, FIGURE_KEYS))
        return false;
      const { quantity, price } = figure as Record<string, unknown>;
      if (typeof quantity !== 'number' || !Number.isFinite(quantity)) return false;
      if (typeof price !== 'number' || !Number.isFinite(price)) return false;
    }
  }
  return true;
}
/** besideSchema with `previous` taken as it came: used only once quickPrevious has accepted it. */
const besideAsideFromPrevious = besideSchema.extend({ previous: z.unknown().optional() });

function quickBeside(beside: Record<string, unknown>): Beside | undefined {
  if (!quickPrevious(beside.previous)) return undefined;
  const rest = besideAsideFromPrevious.safeParse(beside);
  return rest.success ? (rest.data as Beside) : undefined;
}

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

/** Decimal text of at most 15 significant digits: its JSON number prints back as the same decimal. */
const QUICK_PRICE = /^\d{1,10}(\.\d{1,5})?$/;

/**
 * The price as the exact JSON number sent, or the record's INVALID_PRICE. The common price (plain text of up to 15
 * digits, or a number that prints without an exponent) is read straight to its number, which is exact: a decimal
 * object per price was much of the step's time at 200,000 rows. Anything else goes through readPrice and
 * exactJsonNumber, which word the refusals.
 */
function priceOf(value: string | number): number | Outcome<Code> {
  if (typeof value === 'number') {
    if (value >= 1e-6 && value <= MAX_UNIT_PRICE) return value;
    if (value === 0) return 0;
  } else if (QUICK_PRICE.test(value)) {
    const number = Number(value);
    if (number <= MAX_UNIT_PRICE) return number;
  }
  const price = readPrice(value);
  if (typeof price === 'string') return fail('INVALID_PRICE', `price ${price}`, { field: 'price' });
  const exact = exactJsonNumber(price);
  if (exact === undefined)
    return fail('INVALID_PRICE', `price ${price.toFixed()} cannot be sent exactly as a JSON number`);
  return exact;
}

/** A pack SparkLayer sells of a back-end SKU, with its units. */
interface Backed {
  sku: string;
  units: Decimal;
}

const ONE = new Big(1);

type Pricing = PricingEntry['pricing'];

/**
 * The entries of one run, as columns: an entry is its number, in the order first fed (the order they are written in),
 * and its breaks (quantity, price as its exact JSON number, the record that gave it) a list through `next`. Each
 * record feeds an entry once, so an entry's breaks' records are every record feeding it, in order. At 200,000 rows an
 * object and three arrays per entry were much of what the step's garbage collections copied.
 */
class Entries {
  readonly sku: string[] = [];
  readonly list: string[] = [];
  /** Units per pack; undefined for the back-end SKU itself (one each). */
  readonly units: Array<Decimal | undefined> = [];
  /** A record feeding it was refused: it is not published. */
  readonly withheld: boolean[] = [];
  readonly first: number[] = [];
  readonly last: number[] = [];
  readonly quantity: number[] = [];
  readonly price: number[] = [];
  readonly record: number[] = [];
  /** The entry's next break, or -1. */
  readonly next: number[] = [];
  private readonly numbers = new PairMap<number>();

  /** The pairs of one list, by SKU, for a record's several SKUs on that list. */
  at(list: string): Map<string, number> {
    return this.numbers.at(list);
  }

  /** The entry of a SparkLayer SKU on the list whose pairs are `bySku`, made if it is the first. */
  entry(bySku: Map<string, number>, sku: string, list: string, units: Decimal | undefined): number {
    let entry = bySku.get(sku);
    if (entry === undefined) {
      entry = this.sku.length;
      bySku.set(sku, entry);
      this.sku.push(sku);
      this.list.push(list);
      this.units.push(units);
      this.withheld.push(false);
      this.first.push(-1);
      this.last.push(-1);
    }
    return entry;
  }

  feed(entry: number, quantity: number, price: number, record: number): void {
    const at = this.quantity.length;
    this.quantity.push(quantity);
    this.price.push(price);
    this.record.push(record);
    this.next.push(-1);
    if (this.first[entry] === -1) this.first[entry] = at;
    else this.next[this.last[entry]!] = at;
    this.last[entry] = at;
  }

  /** The records feeding the entry, in order. */
  records(entry: number): number[] {
    const records: number[] = [];
    for (let at = this.first[entry]!; at !== -1; at = this.next[at]!) records.push(this.record[at]!);
    return records;
  }

  /**
   * Whether the entry is the back-end SKU itself with its breaks in strictly ascending quantity from 1 (nearly every
   * entry: back-ends list breaks in order): then its pricing is its breaks as they are, no conflict, its base price
   * there, and it is compared with what was last published without being made.
   */
  ascendingFromOne(entry: number): boolean {
    if (this.units[entry] !== undefined) return false;
    let at = this.first[entry]!;
    if (at === -1 || this.quantity[at] !== 1) return false;
    for (let next = this.next[at]!; next !== -1; at = next, next = this.next[at]!)
      if (this.quantity[next]! <= this.quantity[at]!) return false;
    return true;
  }

  /** The pricing of an entry ascendingFromOne. */
  breaks(entry: number): Pricing {
    const pricing: Pricing = [];
    for (let at = this.first[entry]!; at !== -1; at = this.next[at]!)
      pricing.push({ quantity: this.quantity[at]!, price: this.price[at]! });
    return pricing;
  }

  /** Whether an entry ascendingFromOne holds exactly what was last published (as samePricing compares them). */
  sameAs(entry: number, before: PreviousEntry['pricing']): boolean {
    let at = this.first[entry]!;
    for (const figure of before) {
      if (at === -1) return false;
      if (typeof figure.quantity !== 'number' || typeof figure.price !== 'number')
        return samePricing(before, this.breaks(entry));
      if (figure.quantity !== this.quantity[at] || figure.price !== this.price[at]) {
        // Last published in another order: compared as pricingKey does.
        return samePricing(before, this.breaks(entry));
      }
      at = this.next[at]!;
    }
    return at === -1;
  }

  /**
   * The entry's pricing, one price per pack count, in ascending quantity; the records whose prices conflict; or the
   * first pack price a JSON number cannot carry exactly.
   */
  pricingOf(entry: number): { pricing: Pricing; inexact?: Decimal } | { conflicts: number[] } {
    const firstAt = new Map<number, number>();
    let conflicts: Set<number> | undefined;
    for (let at = this.first[entry]!; at !== -1; at = this.next[at]!) {
      const held = firstAt.get(this.quantity[at]!);
      if (held === undefined) firstAt.set(this.quantity[at]!, at);
      else if (this.price[held] !== this.price[at])
        (conflicts ??= new Set()).add(this.record[held]!).add(this.record[at]!);
    }
    if (conflicts !== undefined) return { conflicts: [...conflicts] };
    const units = this.units[entry];
    if (units === undefined) {
      const pricing: Pricing = [];
      for (const [quantity, at] of firstAt) pricing.push({ quantity, price: this.price[at]! });
      return { pricing: pricing.sort((a, b) => a.quantity - b.quantity) };
    }
    const perPack = new Map<number, { from: number; price: Decimal }>();
    for (const [quantity, at] of firstAt) {
      const packs = units.eq(ONE) ? quantity : Number(new Big(quantity).div(units).round(0, Big.roundUp));
      const held = perPack.get(packs);
      if (held === undefined || held.from < quantity)
        perPack.set(packs, { from: quantity, price: new Big(String(this.price[at]!)).times(units) });
    }
    const pricing: Pricing = [];
    let inexact: Decimal | undefined;
    for (const [quantity, { price }] of [...perPack].sort(([a], [b]) => a - b)) {
      const exact = exactJsonNumber(price);
      if (exact === undefined) inexact ??= price;
      pricing.push({ quantity, price: exact! });
    }
    return inexact === undefined ? { pricing } : { pricing, inexact };
  }
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

/**
 * Whether the entry last published holds exactly `pricing` (ascending, one price a quantity), as pricingKey compares
 * them. Where every figure last published is a number in ascending quantity (as this step writes them), the numbers
 * are compared: two finite numbers print as the same decimal only when they are equal. Else by pricingKey.
 */
function samePricing(before: PreviousEntry['pricing'], pricing: Pricing): boolean {
  if (before.length !== pricing.length) return false;
  let numbers = true;
  for (let at = 0; at < before.length && numbers; at += 1) {
    const { quantity, price } = before[at]!;
    numbers =
      typeof quantity === 'number' &&
      typeof price === 'number' &&
      (at === 0 || quantity > (before[at - 1]!.quantity as number));
  }
  if (!numbers) return pricingKey(before) === pricingKey(pricing);
  for (let at = 0; at < before.length; at += 1)
    if (before[at]!.quantity !== pricing[at]!.quantity || before[at]!.price !== pricing[at]!.price) return false;
  return true;
}

/** A map by list, then SKU: no key text built per record (at 200,000 rows, a string each to make and hash). */
class PairMap<V> {
  private readonly byList = new Map<string, Map<string, V>>();
  get(sku: string, list: string): V | undefined {
    return this.byList.get(list)?.get(sku);
  }
  /** The pairs of one list, by SKU (made when there are none yet). */
  at(list: string): Map<string, V> {
    let bySku = this.byList.get(list);
    if (bySku === undefined) this.byList.set(list, (bySku = new Map()));
    return bySku;
  }
}

/**
 * The outcome of every record that carries no entry (nearly all of them, every run): one object, as outcomes are only
 * read.
 */
const NO_ENTRY = passMany([]);

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
    // The schema only checks (no transform or default): the rule reads the rows as they came, not zod's copies.
    checkOnly: true,
    quick: quickRow,
  },
  beside: besideSchema,
  besideQuick: quickBeside,
  besideDropped: ['previous', 'price_lists'],
  rule: (rows: readonly PriceRowRecord[], settings, beside: Beside) => {
    const { unit_map: unitMap, as_of: asOf } = settings;
    const packsOf = new Map<string, Backed[]>();
    for (const [sparkSku, conversion] of unitMap) {
      const list = packsOf.get(conversion.sku) ?? [];
      list.push({ sku: sparkSku, units: conversion.unitsPerPack });
      packsOf.set(conversion.sku, list);
    }

    const known = beside.price_lists
      ? new Map(beside.price_lists.map((list) => [list.slug.trim(), list.currency_code?.trim().toUpperCase()]))
      : undefined;
    const created = new Map<string, PriceListToCreate>();
    // The last of each SKU and list wins: a flow appends each batch SparkLayer took to what it published before. By
    // its position in `previous`; `published` keeps each pair's last, in the order of those (as a map re-set would).
    const previousAt = new PairMap<number>();
    const previousEntries = beside.previous ?? [];
    let repeated = false;
    previousEntries.forEach((entry, at) => {
      const bySku = previousAt.at(entry.price_list_slug.trim());
      const sku = entry.sku.trim();
      if (bySku.has(sku)) repeated = true;
      bySku.set(sku, at);
    });
    const published = repeated
      ? previousEntries.filter((entry, at) => previousAt.get(entry.sku.trim(), entry.price_list_slug.trim()) === at)
      : previousEntries;

    const outcomes = new Array<Outcome<Code> | undefined>(rows.length);
    const entries = new Entries();
    /** Marks withheld every entry the record would feed: its SKU itself (unless a pack name) and each pack. */
    const withhold = (bySku: Map<string, number>, sku: string, list: string, packs: Backed[] | undefined) => {
      if (!unitMap.has(sku)) entries.withheld[entries.entry(bySku, sku, list, undefined)] = true;
      for (const pack of packs ?? []) entries.withheld[entries.entry(bySku, pack.sku, list, pack.units)] = true;
    };

    for (let index = 0; index < rows.length; index += 1) {
      const row = rows[index]!;
      const list = row.price_list.trim();
      const sku = row.sku.trim();
      const currency = row.currency.trim().toUpperCase();
      const bySku = entries.at(list);
      const packs = packsOf.get(sku);
      const price = priceOf(row.price);
      if (typeof price !== 'number') {
        outcomes[index] = price;
        withhold(bySku, sku, list, packs);
        continue;
      }
      const quantity = readPriceBreak(row.quantity);
      if (typeof quantity === 'string') {
        outcomes[index] = fail('INVALID_PRICE_BREAK', `quantity ${quantity}`);
        withhold(bySku, sku, list, packs);
        continue;
      }
      if (row.valid_from !== undefined || row.valid_to !== undefined) {
        const valid = priceValidity(row, asOf);
        if (valid !== 'valid') {
          outcomes[index] = skip(valid);
          continue;
        }
      }

      let listCurrency = known?.get(list);
      if (known !== undefined && !known.has(list)) {
        if (settings.missing_list_action === 'exception') {
          outcomes[index] = fail(
            'UNKNOWN_PRICE_LIST',
            `SparkLayer has no price list ${JSON.stringify(list)} (missing_list_action=exception)`,
            { price_list: list },
          );
          continue;
        }
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
      if (listCurrency !== undefined && listCurrency !== currency) {
        outcomes[index] = fail(
          'LIST_CURRENCY_MISMATCH',
          `price in ${currency} on price list ${JSON.stringify(list)} in ${listCurrency}`,
          { price_list: list, currency, list_currency: listCurrency },
        );
        withhold(bySku, sku, list, packs);
        continue;
      }
      if (!unitMap.has(sku)) entries.feed(entries.entry(bySku, sku, list, undefined), quantity, price, index);
      for (const pack of packs ?? [])
        entries.feed(entries.entry(bySku, pack.sku, list, pack.units), quantity, price, index);
    }

    // An entry fails its records where its prices conflict, it has no base price, or a pack's price cannot be sent
    // exactly. The same records feed a back-end SKU's entry and its packs', so any record failed withholds them all.
    // Each entry's pricing, or ASCENDING for one whose breaks are its pricing as they are (made only if sent).
    const ASCENDING = 1;
    const pricingOfEntry = new Array<Pricing | typeof ASCENDING | undefined>(entries.sku.length);
    for (let entry = 0; entry < entries.sku.length; entry += 1) {
      if (entries.withheld[entry]) continue;
      if (entries.ascendingFromOne(entry)) {
        pricingOfEntry[entry] = ASCENDING;
        continue;
      }
      const read = entries.pricingOf(entry);
      const where = () => `${entries.sku[entry]} on ${JSON.stringify(entries.list[entry])}`;
      if ('conflicts' in read) {
        for (const index of read.conflicts)
          outcomes[index] ??= fail(
            'CONFLICTING_PRICE',
            `${where()} has two different prices for one quantity valid on as_of`,
          );
        continue;
      }
      if (read.pricing[0]?.quantity !== 1) {
        for (const index of entries.records(entry))
          outcomes[index] ??= fail(
            'MISSING_BASE_PRICE',
            `${where()} has prices from quantity ${read.pricing[0]?.quantity} but none for quantity 1 valid on as_of`,
          );
        continue;
      }
      if (read.inexact !== undefined) {
        for (const index of entries.records(entry))
          outcomes[index] ??= fail(
            'INVALID_PRICE',
            `${where()}: the pack price ${read.inexact.toFixed()} cannot be sent exactly as a JSON number`,
          );
        continue;
      }
      pricingOfEntry[entry] = read.pricing;
    }

    /** Each record's entries, in order, once the entries are settled. */
    const carried = new Map<number, PricingEntry[]>();
    let unchanged = 0;
    let rowsWritten = 0;
    const failed = (index: number) => outcomes[index]?.kind === 'exception';
    for (let entry = 0; entry < entries.sku.length; entry += 1) {
      const read = pricingOfEntry[entry];
      let settledOk = read !== undefined;
      for (let at = entries.first[entry]!; settledOk && at !== -1; at = entries.next[at]!)
        if (failed(entries.record[at]!)) settledOk = false;
      if (!settledOk) {
        for (let at = entries.first[entry]!; at !== -1; at = entries.next[at]!)
          outcomes[entries.record[at]!] ??= skip('withheld');
        continue;
      }
      const sku = entries.sku[entry]!;
      const list = entries.list[entry]!;
      const before = previousAt.get(sku, list);
      if (before !== undefined) {
        const pricingBefore = previousEntries[before]!.pricing;
        if (read === ASCENDING ? entries.sameAs(entry, pricingBefore) : samePricing(pricingBefore, read!)) {
          unchanged += 1;
          continue;
        }
      }
      const pricing = read === ASCENDING ? entries.breaks(entry) : read!;
      const carrier = entries.record[entries.first[entry]!]!;
      const own = carried.get(carrier) ?? [];
      own.push({ sku, price_list_slug: list, pricing });
      carried.set(carrier, own);
      rowsWritten += 1;
    }

    const settled = Array.from(outcomes, (outcome, index) => {
      if (outcome !== undefined) return outcome;
      const own = carried.get(index);
      return own === undefined ? NO_ENTRY : passMany(own);
    });
    return {
      outcomes: settled,
      write: { price_lists_to_create: [...created.values()], published },
      counts: { unchanged, rows: rowsWritten },
    };
  },
});
