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
import { defineStep, fail, pass, passMany, skip, type ExceptionCode, type Outcome } from '../../runtime/step.js';

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
  /** The units as a number when they are a whole number up to MAX_WHOLE_UNITS, else 0 (then read as decimals). */
  whole: number;
}

/** Whole units up to this are priced by integer arithmetic (packPrice): exact, as are the decimals it stands for. */
const MAX_WHOLE_UNITS = 1_000_000;

/** The units as a number when whole and at most MAX_WHOLE_UNITS, else 0. */
function wholeUnits(units: Decimal): number {
  const text = units.toFixed();
  return /^[1-9]\d{0,6}$/.test(text) && Number(text) <= MAX_WHOLE_UNITS ? Number(text) : 0;
}

/** Plain decimal text of a price as String prints it: at most 15 digits, so its digits are a safe integer. */
const PRINTED_PRICE = /^(\d+)(?:\.(\d+))?$/;

/**
 * The exact JSON number of price × units for whole units (`whole`), without a decimal object: the price's printed
 * digits times the units, an exact integer, written back as decimal text and kept only when its number prints back
 * the same (as exactJsonNumber keeps it). Undefined when that does not hold, for the caller's decimal reading.
 */
function packPrice(price: number, whole: number): number | undefined {
  const match = PRINTED_PRICE.exec(String(price));
  if (match === null) return undefined;
  const fraction = match[2] ?? '';
  if (match[1]!.length + fraction.length > 15) return undefined;
  const product = Number(match[1]! + fraction) * whole;
  if (!Number.isSafeInteger(product)) return undefined;
  let digits = String(product);
  if (fraction.length > 0) {
    digits = digits.padStart(fraction.length + 1, '0');
    const point = digits.length - fraction.length;
    digits = `${digits.slice(0, point)}.${digits.slice(point)}`.replace(/\.?0+$/, '');
  }
  const number = Number(digits);
  return String(number) === digits ? number : undefined;
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
  /** The pack's whole units (Backed.whole): 0 for the back-end SKU itself or units read as decimals. */
  readonly whole: number[] = [];
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

  /** The entry of a SparkLayer SKU on a list, if any. */
  find(sku: string, list: string): number | undefined {
    return this.numbers.get(sku, list);
  }

  /** The pairs of one list, by SKU, for a record's several SKUs on that list. */
  at(list: string): Map<string, number> {
    return this.numbers.at(list);
  }

  /** The entry of a SparkLayer SKU on the list whose pairs are `bySku`, made if it is the first. */
  entry(bySku: Map<string, number>, sku: string, list: string, pack: Backed | undefined): number {
    let entry = bySku.get(sku);
    if (entry === undefined) {
      entry = this.sku.length;
      bySku.set(sku, entry);
      this.sku.push(sku);
      this.list.push(list);
      this.units.push(pack?.units);
      this.whole.push(pack === undefined ? 0 : pack.whole);
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
    // Made to its length, not grown by push: a list grown from empty keeps room for 17 items, and 110,000 of them
    // live until the envelope is written.
    let length = 0;
    for (let at = this.first[entry]!; at !== -1; at = this.next[at]!) length += 1;
    const pricing: Pricing = new Array(length);
    let i = 0;
    for (let at = this.first[entry]!; at !== -1; at = this.next[at]!)
      pricing[i++] = { quantity: this.quantity[at]!, price: this.price[at]! };
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
    // Whole units (nearly every pack): ceil(q / units) of two whole numbers below 2^53 is exact in floating point
    // (the quotient is either whole, and exact, or at least 1 / units from a whole number), and the price by packPrice.
    const whole = this.whole[entry]!;
    const perPack = new Map<number, { from: number; at: number }>();
    for (const [quantity, at] of firstAt) {
      const packs =
        whole !== 0
          ? Math.ceil(quantity / whole)
          : units.eq(ONE)
            ? quantity
            : Number(new Big(quantity).div(units).round(0, Big.roundUp));
      const held = perPack.get(packs);
      if (held === undefined || held.from < quantity) perPack.set(packs, { from: quantity, at });
    }
    const pricing: Pricing = [];
    let inexact: Decimal | undefined;
    for (const [quantity, { at }] of [...perPack].sort(([a], [b]) => a - b)) {
      const quick = whole !== 0 ? packPrice(this.price[at]!, whole) : undefined;
      if (quick !== undefined) {
        pricing.push({ quantity, price: quick });
        continue;
      }
      const price = new Big(String(this.price[at]!)).times(units);
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
      list.push({ sku: sparkSku, units: conversion.unitsPerPack, whole: wholeUnits(conversion.unitsPerPack) });
      packsOf.set(conversion.sku, list);
    }

    const known = beside.price_lists
      ? new Map(beside.price_lists.map((list) => [list.slug.trim(), list.currency_code?.trim().toUpperCase()]))
      : undefined;
    const created = new Map<string, PriceListToCreate>();
    const previousEntries = beside.previous ?? [];

    const outcomes = new Array<Outcome<Code> | undefined>(rows.length);
    const entries = new Entries();
    // A SKU's rows on a list come together (back-ends write them so): the pair read for the row before, and the
    // entries it feeds once made, serve the next row of the same pair without its lookups.
    let rawList: unknown;
    let rawSku: unknown;
    let list = '';
    let sku = '';
    let bySku = new Map<string, number>();
    let packs: Backed[] | undefined;
    /** The pair's own entry (-1: a pack name, none; undefined: not made yet) and its packs' entries. */
    let own: number | undefined;
    let packEntries: number[] | undefined;
    /** Makes the pair's entries, in the order they were always made: its SKU itself (unless a pack name), each pack. */
    const makeEntries = (): number => {
      own = unitMap.has(sku) ? -1 : entries.entry(bySku, sku, list, undefined);
      packEntries = packs?.map((pack) => entries.entry(bySku, pack.sku, list, pack));
      return own;
    };
    /** Marks withheld every entry the record would feed: its SKU itself (unless a pack name) and each pack. */
    const withhold = () => {
      const entry = own ?? makeEntries();
      if (entry !== -1) entries.withheld[entry] = true;
      for (const packEntry of packEntries ?? []) entries.withheld[packEntry] = true;
    };
    let rawCurrency: unknown;
    let currency = '';

    for (let index = 0; index < rows.length; index += 1) {
      const row = rows[index]!;
      if (row.sku !== rawSku || row.price_list !== rawList) {
        rawSku = row.sku;
        rawList = row.price_list;
        list = row.price_list.trim();
        sku = row.sku.trim();
        bySku = entries.at(list);
        packs = packsOf.get(sku);
        own = undefined;
        packEntries = undefined;
      }
      if (row.currency !== rawCurrency) {
        rawCurrency = row.currency;
        currency = row.currency.trim().toUpperCase();
      }
      const price = priceOf(row.price);
      if (typeof price !== 'number') {
        outcomes[index] = price;
        withhold();
        continue;
      }
      const quantity = readPriceBreak(row.quantity);
      if (typeof quantity === 'string') {
        outcomes[index] = fail('INVALID_PRICE_BREAK', `quantity ${quantity}`);
        withhold();
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
        withhold();
        continue;
      }
      const entry = own ?? makeEntries();
      if (entry !== -1) entries.feed(entry, quantity, price, index);
      for (const packEntry of packEntries ?? []) entries.feed(packEntry, quantity, price, index);
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

    // The last of each SKU and list wins: a flow appends each batch SparkLayer took to what it published before. By
    // its position in `previous`; `published` keeps each pair's last, in the order of those (as a map re-set would).
    // Kept by entry number for the pairs this run has an entry for (nearly all), so no second map of every pair is
    // made; the others (a SKU no longer priced) by pair.
    const previousAt = new Int32Array(entries.sku.length).fill(-1);
    const previousElsewhere = new PairMap<number>();
    let repeated = false;
    previousEntries.forEach((entry, at) => {
      const list = entry.price_list_slug.trim();
      const sku = entry.sku.trim();
      const own = entries.find(sku, list);
      if (own !== undefined) {
        if (previousAt[own] !== -1) repeated = true;
        previousAt[own] = at;
        return;
      }
      const bySku = previousElsewhere.at(list);
      if (bySku.has(sku)) repeated = true;
      bySku.set(sku, at);
    });
    const lastAt = (sku: string, list: string): number | undefined => {
      const own = entries.find(sku, list);
      return own !== undefined ? previousAt[own] : previousElsewhere.get(sku, list);
    };
    const published = repeated
      ? previousEntries.filter((entry, at) => lastAt(entry.sku.trim(), entry.price_list_slug.trim()) === at)
      : previousEntries;

    /** Each record's entries, in order, once the entries are settled: one entry alone, several in a list. */
    const carried = new Array<PricingEntry | PricingEntry[] | undefined>(rows.length);
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
      const before = previousAt[entry]!;
      if (before !== -1) {
        const pricingBefore = previousEntries[before]!.pricing;
        if (read === ASCENDING ? entries.sameAs(entry, pricingBefore) : samePricing(pricingBefore, read!)) {
          unchanged += 1;
          continue;
        }
      }
      const pricing = read === ASCENDING ? entries.breaks(entry) : read!;
      const carrier = entries.record[entries.first[entry]!]!;
      const written = { sku, price_list_slug: list, pricing };
      const carriedBy = carried[carrier];
      if (carriedBy === undefined) carried[carrier] = written;
      else if (Array.isArray(carriedBy)) carriedBy.push(written);
      else carried[carrier] = [carriedBy, written];
      rowsWritten += 1;
    }

    const settled = new Array<Outcome<Code>>(rows.length);
    for (let index = 0; index < rows.length; index += 1) {
      const outcome = outcomes[index];
      if (outcome !== undefined) settled[index] = outcome;
      else {
        const carriedBy = carried[index];
        // One entry (nearly every record that carries one) rides as the record's output: the same record written, with
        // no list of one kept alive to the end for it.
        settled[index] =
          carriedBy === undefined ? NO_ENTRY : Array.isArray(carriedBy) ? passMany(carriedBy) : pass(carriedBy);
      }
    }
    return {
      outcomes: settled,
      write: { price_lists_to_create: [...created.values()], published },
      counts: { unchanged, rows: rowsWritten },
    };
  },
});
