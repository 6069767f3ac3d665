/**
 * map-stock-to-sparklayer: canonical stock levels (model/stock.ts) to the rows of SparkLayer's batch stock update
 * (pack-contract §5), so the storefront never offers more than the back-end can ship.
 *
 * Vendor fields, from https://docs.sparklayer.io/developers/api/stock/update-stock-levels.md (POST
 * /api/v1/batch-update-stock, described in connectors/sparklayer/openapi.json as `StockUpdate`): each entry has `sku`,
 * the location as `stock_location_external_id` (or `stock_location_id`, not both) and `stock_level`. The same page says
 * the stored values of each pair sent are overwritten and pairs left out are unchanged, and that the whole request is
 * a 400 when a `stock_location_external_id` does not exist or when the same SKU and location appear more than once.
 * The docs type `stock_level` as a number and do not say it must be whole or at least 0 (unverified either way): this
 * step always writes a whole number of 0 or more.
 *
 * Counting (pack-contract §5): one input record is one stock level; several may add up to one row (the same SKU at
 * two back-end locations that feed one SparkLayer location) and one may give several rows (the base unit and each
 * pack). A row is carried by the first record that feeds it; a later record that feeds only rows carried by others
 * passes with no rows of its own, as does a level all of whose rows are as last published (`previous`), counted in meta
 * `map_stock_to_sparklayer_unchanged`. `summary.records` counts stock levels; meta `map_stock_to_sparklayer_rows`
 * counts the rows written.
 */
import Big from 'big.js';
import * as z from 'zod';
import { toDecimal, type Decimal } from '../../model/money.js';
import { MAX_STOCK_QUANTITY, type StockLevel } from '../../model/stock.js';
import { choiceSetting, countSetting, readTableSetting } from '../../runtime/settings.js';
import { unitMapSetting } from '../order-settings.js';
import { defineStep, fail, passMany, skip, type ExceptionCode, type Outcome } from '../../runtime/step.js';
import { CONTROL_CHARACTER, reject } from '../../runtime/tables.js';

const CODES = {
  INVALID_QUANTITY: {
    owner: 'integration',
    action:
      'A stock figure (the message names the field, on_hand or available, and its value) is not a number or plain ' +
      'decimal text ("12", "-3", "4.5": no sign "+", spaces, exponent, hex or separators), or is larger than any ' +
      'real stock (over 1,000,000,000). Fix the figure in the back-end or the mapping that read it, then replay.',
  },
  UNMAPPED_LOCATION: {
    owner: 'integration',
    action:
      'location_map is set and has no row for this back-end location, so its stock has no SparkLayer stock location. ' +
      'Add the location to location_map (its SparkLayer stock location external id), or leave it out on purpose, ' +
      'then replay.',
  },
  ARCHIVED_ITEM: {
    owner: 'operations',
    action:
      'The item is archived, deleted or inactive in the back-end, so its SparkLayer stock is 0 ' +
      '(archived_action=zero), or is not published at all (archived_action=exception: nor is the stock of other ' +
      'locations feeding the same SparkLayer SKU and location, so SparkLayer keeps its last level). Withdraw (hide ' +
      'or delete) the product in SparkLayer, or restore the item in the back-end if it should still sell.',
  },
  UNKNOWN_STOCK_SKU: {
    owner: 'operations',
    action:
      'SparkLayer sells this SKU (expected_skus) but the back-end sent no stock for it, so its SparkLayer stock was ' +
      'not updated. Check the SKU matches the back-end item (or its unit_map row), or withdraw it in SparkLayer.',
  },
} as const satisfies Record<string, ExceptionCode>;
type Code = keyof typeof CODES;

/** One entry of the batch-update-stock body, as this step writes it. */
export interface StockRow {
  sku: string;
  stock_location_external_id: string;
  stock_level: number;
}

const text = z.string().refine((value) => value.trim() !== '', 'must not be blank');
const quantityInput = z.union([z.string(), z.number()], { error: 'must be a number or decimal text such as "12"' });

/**
 * A SKU or location of a stock level: not blank, and no control character once trimmed (padding such as a trailing
 * line feed is trimmed away). SparkLayer SKUs and stock location ids are identifiers people see and type, so one
 * holding a NUL or an escape is a data error in the back-end: that record's INVALID_RECORD, naming field and value,
 * never published under a name nobody can find.
 */
const identifier = text.superRefine((value, ctx) => {
  const found = CONTROL_CHARACTER.exec(value.trim());
  if (found === null) return;
  const code = found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  ctx.addIssue({
    code: 'custom',
    message:
      `${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)} contains a control character ` +
      `(U+${code}); a SparkLayer SKU or stock location must not`,
  });
});

const stockLevelSchema = z.looseObject({
  sku: identifier,
  location: identifier,
  on_hand: quantityInput,
  available: quantityInput.optional(),
  product_id: z.string().optional(),
  source: z.string().optional(),
  archived: z.boolean().optional(),
  has_variants: z.boolean().optional(),
}) satisfies z.ZodType<StockLevel>;
type Level = z.infer<typeof stockLevelSchema>;

/**
 * Stock as text: a plain decimal, exactly as written ("12", "-3", "0.5", "4.99999999999999999999"). Anything else
 * is refused rather than guessed at: a sign "+", spaces, an exponent ("5e2"), hex ("0x10"), digit separators
 * ("1_000", "1,000"), "Infinity", or a bare point ("5.", ".5"). Big itself refuses "+5", so reading it would throw.
 */
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;
/** Longer decimal text is refused before it is read (stock never needs it; 1,000,000,000 has 10 digits). */
const MAX_QUANTITY_TEXT = 40;

/**
 * An exact quantity: a JS integer where the figure is whole (nearly every stock figure), else an exact decimal. The
 * integers read are within MAX_STOCK_QUANTITY and every sum of them is checked to stay a safe integer (else it is
 * done in decimals), so the arithmetic is exact either way; the integers spare a decimal object per figure, which at
 * 100,000 levels was most of the step's time and memory.
 */
type Quantity = number | Decimal;

/** Whole decimal text short enough to be read as a JS integer exactly (MAX_STOCK_QUANTITY has 10 digits). */
const WHOLE_TEXT = /^-?\d{1,10}$/;

const asDecimal = (value: Quantity): Decimal => (typeof value === 'number' ? new Big(value) : value);

function plus(a: Quantity, b: Quantity): Quantity {
  if (typeof a === 'number' && typeof b === 'number') {
    const sum = a + b;
    if (Number.isSafeInteger(sum)) return sum;
  }
  return asDecimal(a).plus(asDecimal(b));
}

function minus(a: Quantity, b: Quantity): Quantity {
  if (typeof a === 'number' && typeof b === 'number') {
    const difference = a - b;
    if (Number.isSafeInteger(difference)) return difference;
  }
  return asDecimal(a).minus(asDecimal(b));
}

/**
 * A quantity, exact, or why not (the caller names the field): a finite number (its shortest decimal text) or plain
 * decimal text, within MAX_STOCK_QUANTITY either way. Never throws.
 */
function readQuantity(value: string | number, allowNegative: boolean): Quantity | string {
  // A whole figure in range is read as the integer it is (-0 as 0); anything else, or out of range, as a decimal
  // below, which also words the refusals.
  const whole =
    typeof value === 'number'
      ? Number.isInteger(value)
        ? value
        : undefined
      : value.length <= 11 && WHOLE_TEXT.test(value)
        ? Number(value)
        : undefined;
  if (whole !== undefined && Math.abs(whole) <= MAX_STOCK_QUANTITY && (allowNegative || whole >= 0))
    return whole === 0 ? 0 : whole;
  if (typeof value === 'number' && !Number.isFinite(value)) return 'is not a finite number';
  if (typeof value === 'string') {
    if (value.length > MAX_QUANTITY_TEXT)
      return `is ${JSON.stringify(value.slice(0, MAX_QUANTITY_TEXT))}…, longer than ${MAX_QUANTITY_TEXT} characters`;
    if (!PLAIN_DECIMAL.test(value)) return `is ${JSON.stringify(value)}, not a plain decimal number`;
  }
  let big: Decimal;
  try {
    big = toDecimal(value, 'quantity');
  } catch {
    return `is ${JSON.stringify(value)}, not a decimal number`;
  }
  if (big.abs().gt(MAX_STOCK_QUANTITY)) return `is ${big.toExponential(3)}, larger than ${MAX_STOCK_QUANTITY}`;
  if (!allowNegative && big.lt(0)) return `is ${big.toFixed()}, below 0`;
  return big;
}

/**
 * floor(value / units), exactly. Big's div stops at Big.DP (20) places and rounds there, so 4.999…9 (24 nines) / 1
 * would come back as 5; the quotient is within one of the true floor, and multiplying back (exact) settles it.
 */
function floorDiv(value: Decimal, units: Decimal): Decimal {
  let quotient = value.div(units).round(0, Big.roundDown);
  while (quotient.times(units).gt(value)) quotient = quotient.minus(1);
  while (quotient.plus(1).times(units).lte(value)) quotient = quotient.plus(1);
  return quotient;
}

/**
 * floor(value / units) as the number published, for value > 0 and units > 0: in integers when both are (the float
 * quotient is within one of the floor for safe integers, and the products settle it), else floorDiv.
 */
function floorDivNumber(value: Quantity, units: Quantity): number {
  if (typeof value === 'number' && typeof units === 'number') {
    let quotient = Math.floor(value / units);
    while (quotient * units > value) quotient -= 1;
    while ((quotient + 1) * units <= value) quotient += 1;
    return quotient;
  }
  return Number(floorDiv(asDecimal(value), asDecimal(units)).toFixed(0));
}

/** Units per pack as an integer where they are whole and small (a pack of 12), else the decimal. */
function unitsOf(units: Decimal): Quantity {
  const number = Number(units.toFixed());
  return Number.isInteger(number) && number <= MAX_STOCK_QUANTITY && units.eq(number) ? number : units;
}

const quantityField = (allowNegative: boolean) =>
  quantityInput.superRefine((value, ctx) => {
    const read = readQuantity(value, allowNegative);
    if (typeof read === 'string') ctx.addIssue({ code: 'custom', message: read });
  });

const besideSchema = z.looseObject({
  /** SparkLayer SKUs the caller expects stock for (optional). */
  expected_skus: z.array(text).nullable().optional(),
  /** Back-end commitments not yet counted in its levels: back-end SKU, back-end location, quantity ≥ 0. */
  open_orders: z
    .array(z.looseObject({ sku: text, location: text, quantity: quantityField(false) }))
    .nullable()
    .optional(),
  /** The rows last published (this step's output of the previous run). */
  previous: z
    .array(z.looseObject({ sku: text, stock_location_external_id: text, stock_level: quantityField(true) }))
    .nullable()
    .optional(),
});
type Beside = z.infer<typeof besideSchema>;

/**
 * The quick reads (runtime/step.ts `record.quick`, `besideQuick`): hand-written checks of the common case that
 * accept only what the schemas accept, so nothing read changes; anything else is left to the schemas, which word
 * the failures. At 100,000 levels beside as many rows last published, zod's checks (and its copies of `previous`)
 * were most of the runtime's share of the step's time.
 */
const quickIdentifier = (value: unknown): boolean => {
  if (typeof value !== 'string') return false;
  const trimmed = value.trim();
  return trimmed !== '' && !CONTROL_CHARACTER.test(trimmed);
};
const quickQuantityInput = (value: unknown): boolean =>
  typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
const optional = (value: unknown, type: 'string' | 'boolean'): boolean => value === undefined || typeof value === type;

/** True only for a level stockLevelSchema accepts. */
function quickLevel(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return (
    quickIdentifier(record.sku) &&
    quickIdentifier(record.location) &&
    quickQuantityInput(record.on_hand) &&
    (record.available === undefined || quickQuantityInput(record.available)) &&
    optional(record.product_id, 'string') &&
    optional(record.source, 'string') &&
    optional(record.archived, 'boolean') &&
    optional(record.has_variants, 'boolean')
  );
}

/**
 * True only for a `previous` besideSchema accepts: absent, null, or rows whose `sku` and `stock_location_external_id`
 * are text and whose `stock_level` is a whole number within MAX_STOCK_QUANTITY. The schema only checks, so the rows
 * are read as they came (and `previous` is not written out again, so their keys' order does not matter).
 */
function quickPrevious(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (!Array.isArray(value)) return false;
  for (const row of value) {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) return false;
    const { sku, stock_location_external_id: location, stock_level: level } = row as Record<string, unknown>;
    if (typeof sku !== 'string' || sku.trim() === '') return false;
    if (typeof location !== 'string' || location.trim() === '') return false;
    if (typeof level !== 'number' || !Number.isInteger(level) || Math.abs(level) > MAX_STOCK_QUANTITY) return false;
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

const locationMapSetting = readTableSetting<string>({
  description:
    'Back-end location (left) to SparkLayer stock location external id (right); several locations may feed one. ' +
    'Set: a level at a location not listed is UNMAPPED_LOCATION. Empty: the back-end location is the external id.',
  value: (right) => {
    const id = right.trim();
    if (id === '') return reject('the SparkLayer stock location external id is empty');
    if (CONTROL_CHARACTER.test(id)) return reject(`the external id ${JSON.stringify(id)} holds a control character`);
    return id;
  },
});

/**
 * A map keyed by a SKU and a location, one map per location, with no key text built from the two: joined with a
 * separator, "A\u0000B" at "1" and "A" at "B\u00001" were one key, and their stock one row; and a key built per
 * record (JSON of the pair, as this step had) was a string to allocate and hash 100,000 times a run.
 */
class PairMap<V> {
  private readonly byLocation = new Map<string, Map<string, V>>();
  get(sku: string, location: string): V | undefined {
    return this.byLocation.get(location)?.get(sku);
  }
  has(sku: string, location: string): boolean {
    return this.byLocation.get(location)?.has(sku) ?? false;
  }
  set(sku: string, location: string, value: V): void {
    this.at(location).set(sku, value);
  }
  /** The pairs at one location, by SKU (made when there are none yet): for a record's several SKUs at a location. */
  at(location: string): Map<string, V> {
    let bySku = this.byLocation.get(location);
    if (bySku === undefined) this.byLocation.set(location, (bySku = new Map()));
    return bySku;
  }
}

/**
 * The outcome of every level whose rows are all as last published: dealt with, nothing to send (nearly every level,
 * every run). Counted in meta `map_stock_to_sparklayer_unchanged`, not listed one by one in `skipped`: at 100,000
 * levels that list was most of what the step wrote. One object: outcomes are only read.
 */
const UNCHANGED = passMany([]);

/** The record's id in skipped and exceptions: `SKU@location`. */
function levelId(record: unknown): string | null {
  if (record === null || typeof record !== 'object') return null;
  const { sku, location } = record as Record<string, unknown>;
  if (typeof sku !== 'string' || sku.trim() === '') return null;
  return typeof location === 'string' && location.trim() !== '' ? `${sku.trim()}@${location.trim()}` : sku.trim();
}

/**
 * The rows of one run, one per SparkLayer SKU and location, as columns: a row is its number, in the order it was
 * first fed (the order rows are written in). At 100,000 levels an object per row was much of what the step's garbage
 * collections copied.
 */
class Rows {
  readonly sku: string[] = [];
  readonly location: string[] = [];
  readonly units: Quantity[] = [];
  /** The sum of the levels feeding the row. */
  readonly level: Quantity[] = [];
  readonly archived: boolean[] = [];
  /** The record that carries the row: the first to feed it. */
  readonly carrier: number[] = [];
  /** The records feeding a row besides its carrier, for the rows that have any. */
  readonly others = new Map<number, number[]>();
  /** The level last published for the row's SKU and location (the last such row in `previous`), if any. */
  readonly before: Array<Quantity | undefined> = [];
  private readonly numbers = new PairMap<number>();

  /** The row's number, if a level has fed it. */
  find(sku: string, location: string): number | undefined {
    return this.numbers.get(sku, location);
  }

  /** Adds one level (record `index`) to the row of a SparkLayer SKU and location, making the row if it is the first. */
  feed(location: string, sku: string, units: Quantity, level: Quantity, archived: boolean, index: number): void {
    const numbersAt = this.numbers.at(location);
    const row = numbersAt.get(sku);
    if (row === undefined) {
      numbersAt.set(sku, this.sku.length);
      this.sku.push(sku);
      this.location.push(location);
      this.units.push(units);
      this.level.push(level);
      this.archived.push(archived);
      this.carrier.push(index);
      this.before.push(undefined);
      return;
    }
    // Units are one per SparkLayer SKU (unit_map keys are unique), so every feeder of a row counts alike.
    this.level[row] = plus(this.level[row]!, level);
    if (archived) this.archived[row] = true;
    if (index === this.carrier[row]) return;
    const others = this.others.get(row);
    if (others === undefined) this.others.set(row, [index]);
    else if (!others.includes(index)) others.push(index);
  }
}

export const step = defineStep({
  key: 'map-stock-to-sparklayer',
  title: 'Map stock to SparkLayer',
  purpose:
    "Turns the back-end's stock levels into rows for SparkLayer's batch stock update: buffer, packs, locations, " +
    'archived items at 0, one row per SKU and location, unchanged rows left out.',
  settings: {
    location_map: locationMapSetting,
    stock_buffer: countSetting({
      description: 'Whole units held back from every SparkLayer SKU and location (before packs), e.g. 2. 0: none.',
      default: 0,
    }),
    unit_map: unitMapSetting(
      "The order steps' table, read in reverse: each pack publishes floor(level / units) of its back-end SKU.",
    ),
    archived_action: choiceSetting({
      description:
        '`zero`: an archived, deleted or inactive item publishes 0 with an ARCHIVED_ITEM notice. `exception`: it is ' +
        'not published (SparkLayer keeps its last level) and is an ARCHIVED_ITEM exception; other locations feeding ' +
        'the same SparkLayer SKU and location are held back with it (skipped, held-back:archived).',
      default: 'zero',
      choices: ['zero', 'exception'],
    }),
    subtract_open_orders: choiceSetting({
      description:
        "`yes`: the open_orders beside the levels are subtracted from the back-end's level. `no`: the back-end's " +
        'level already counts them.',
      default: 'no',
      choices: ['no', 'yes'],
    }),
  },
  exceptionCodes: CODES,
  record: {
    schema: stockLevelSchema,
    id: levelId,
    fieldCodes: { on_hand: 'INVALID_QUANTITY', available: 'INVALID_QUANTITY' },
    // The schema only checks (no transform or default): the rule reads the levels as they came, not zod's copies.
    checkOnly: true,
    quick: quickLevel,
  },
  beside: besideSchema,
  besideQuick: quickBeside,
  // Nothing after this step reads the rows last published (keep-stock-queue reads them from the flow cache).
  besideDropped: ['previous'],
  rule: (levels: readonly Level[], settings, beside: Beside) => {
    const { location_map: locationMap, unit_map: unitMap, stock_buffer: buffer } = settings;
    // Reversed unit map: back-end SKU to each SparkLayer SKU it backs, with its units per pack, in table order.
    const packsOf = new Map<string, Array<{ sku: string; units: Quantity }>>();
    for (const [sparkSku, conversion] of unitMap) {
      const list = packsOf.get(conversion.sku) ?? [];
      list.push({ sku: sparkSku, units: unitsOf(conversion.unitsPerPack) });
      packsOf.set(conversion.sku, list);
    }
    /**
     * The SparkLayer SKUs a back-end SKU backs when unit_map names it: each pack, and itself unless unit_map defines
     * that name. Undefined for the common SKU, which backs only itself, one unit each (no list made per level).
     */
    const packedSkus = (sku: string): Array<{ sku: string; units: Quantity }> | undefined => {
      const packs = packsOf.get(sku);
      if (unitMap.has(sku)) return packs ?? [];
      return packs === undefined ? undefined : [{ sku, units: 1 }, ...packs];
    };

    const open = new PairMap<Quantity>();
    let anyOpen = false;
    if (settings.subtract_open_orders === 'yes') {
      for (const order of beside.open_orders ?? []) {
        const [sku, location] = [order.sku.trim(), order.location.trim()];
        open.set(sku, location, plus(open.get(sku, location) ?? 0, readQuantity(order.quantity, false) as Quantity));
        anyOpen = true;
      }
    }

    const targetOf = (location: string) => (locationMap.size === 0 ? location : locationMap.get(location));
    // Back-end SKU and SparkLayer location pairs an archived item feeds, found first so that the order of the records
    // does not matter, and whatever else is wrong with the archived record (a bad quantity, a repeat): its stock is
    // never published above 0, so every row of the pair publishes 0 (zero) or is held back whole (exception).
    // Holding back only the archived record would publish the other locations' stock for the archived item.
    const archivedAt = new PairMap<true>();
    let anyArchived = false;
    for (const record of levels) {
      if (record.archived !== true || record.has_variants === true) continue;
      const target = targetOf(record.location.trim());
      if (target !== undefined) archivedAt.set(record.sku.trim(), target, (anyArchived = true));
    }
    const holdArchived = settings.archived_action === 'exception';

    const outcomes = new Array<Outcome<Code> | undefined>(levels.length);
    const rows = new Rows();
    // Each level's origin (back-end, SKU, location) seen so far: a repeat is a duplicate.
    const seen = new Map<string, PairMap<true>>();
    // The SparkLayer SKUs some level backs: kept only when expected_skus asks which are not (a set of every SKU, else).
    const backed = new Set<string>();
    const keepBacked = (beside.expected_skus ?? []).length > 0;
    /** Where one level goes: its outcome when it is settled at once, else undefined once it has fed its rows. */
    const placeLevel = (record: Level, index: number): Outcome<Code> | undefined => {
      const sku = record.sku.trim();
      const location = record.location.trim();
      const packed = packedSkus(sku);
      if (keepBacked) for (const spark of packed ?? [{ sku }]) backed.add(spark.sku);
      const field = record.available !== undefined ? 'available' : 'on_hand';
      const quantity = readQuantity(record.available ?? record.on_hand, true);
      if (typeof quantity === 'string') return fail('INVALID_QUANTITY', `${field} ${quantity}`, { field });
      const source = record.source ?? '';
      let seenFrom = seen.get(source);
      if (seenFrom === undefined) seen.set(source, (seenFrom = new PairMap()));
      // One look-up, not has then set: the pair was seen when adding it leaves the map no larger.
      const seenAt = seenFrom.at(location);
      const seenBefore = seenAt.size;
      seenAt.set(sku, true);
      if (seenAt.size === seenBefore) return skip('duplicate');
      if (record.has_variants === true) return skip('variant-parent');
      const target = targetOf(location);
      if (target === undefined)
        return fail('UNMAPPED_LOCATION', `location ${JSON.stringify(location)} is not in location_map`, { location });
      if (record.archived === true && holdArchived) {
        const names = packed === undefined || packed.length === 0 ? sku : packed.map((spark) => spark.sku).join(', ');
        return fail(
          'ARCHIVED_ITEM',
          `${sku} is archived in the back-end: ${names} at ${target} not published, nor any other location's stock ` +
            'feeding it (SparkLayer keeps the last level)',
        );
      }
      if (packed?.length === 0) return skip(`unit_map:${sku}`);
      const archived = anyArchived && archivedAt.has(sku, target);
      // archived_action=exception: an archived item feeds this pair, so its rows are held back whole (above).
      if (archived && holdArchived) return skip('held-back:archived');
      const level = anyOpen ? minus(quantity, open.get(sku, location) ?? 0) : quantity;
      if (packed === undefined) rows.feed(target, sku, 1, level, archived, index);
      else for (const spark of packed) rows.feed(target, spark.sku, spark.units, level, archived, index);
      return undefined;
    };
    for (let index = 0; index < levels.length; index += 1) outcomes[index] = placeLevel(levels[index]!, index);

    // Each row last published, onto this run's row of its pair (a later one for the same pair in its place): no map of
    // its own, and a row no level feeds now is not read at all.
    for (const published of beside.previous ?? []) {
      const row = rows.find(published.sku.trim(), published.stock_location_external_id.trim());
      if (row !== undefined) rows.before[row] = readQuantity(published.stock_level, true) as Quantity;
    }

    const carried = new Map<number, StockRow[]>();
    const changedFeeders = new Set<number>();
    const archivedNotices = new Map<number, string[]>();
    for (let row = 0; row < rows.sku.length; row += 1) {
      const sku = rows.sku[row]!;
      const location = rows.location[row]!;
      const carrier = rows.carrier[row]!;
      const archived = rows.archived[row];
      // Exact decimals throughout: the sum, less the buffer, floored per pack (floorDiv, not Big's rounded div).
      const available = archived ? 0 : minus(rows.level[row]!, buffer);
      const stockLevel = (typeof available === 'number' ? available <= 0 : available.lte(0))
        ? 0
        : floorDivNumber(available, rows.units[row]!);
      if (archived) {
        const notes = archivedNotices.get(carrier) ?? [];
        notes.push(`${sku} at ${location}`);
        archivedNotices.set(carrier, notes);
      }
      const before = rows.before[row];
      if (before !== undefined && (typeof before === 'number' ? before === stockLevel : before.eq(stockLevel)))
        continue;
      const list = carried.get(carrier) ?? [];
      list.push({ sku, stock_location_external_id: location, stock_level: stockLevel });
      carried.set(carrier, list);
      changedFeeders.add(carrier);
      for (const feeder of rows.others.get(row) ?? []) changedFeeders.add(feeder);
    }

    let unchanged = 0;
    const final = outcomes.map((outcome, index): Outcome<Code> => {
      if (outcome !== undefined) return outcome;
      if (!changedFeeders.has(index)) {
        unchanged += 1;
        return UNCHANGED;
      }
      const own = carried.get(index) ?? [];
      const notes = archivedNotices.get(index);
      if (notes === undefined || own.length === 0) return passMany(own);
      const message = `archived in the back-end: published as 0 (${notes.join(', ')})`;
      return { kind: 'pass', outputs: own, notices: [{ code: 'ARCHIVED_ITEM', message }] };
    });

    const unknown = [...new Set((beside.expected_skus ?? []).map((sku) => sku.trim()))]
      .filter((sku) => !backed.has(sku))
      .map((sku) => ({
        sku,
        code: 'UNKNOWN_STOCK_SKU' as const,
        owner: CODES.UNKNOWN_STOCK_SKU.owner,
        message: `SparkLayer expects stock for ${sku} but no back-end stock level backs it: not published`,
      }));
    return { outcomes: final, write: { ...beside, unknown_stock_skus: unknown }, counts: { unchanged } };
  },
  counters: (results) => ({
    rows: results.records.length,
    unknown_stock_skus: Array.isArray(results.written?.unknown_stock_skus)
      ? results.written.unknown_stock_skus.length
      : 0,
  }),
});
