/**
 * compare-stock-levels: the daily stock check (issue 33, item 5). Compares each row map-stock-to-sparklayer would
 * publish now (run with no `previous`, so every row comes out, with the flow's location_map, unit_map, stock_buffer
 * and subtract_open_orders) with the level SparkLayer holds for the same SKU and stock location, read back through
 * POST /api/v1/batch-fetch-stock with `filter.all_stock_locations: true`
 * (https://docs.sparklayer.io/developers/api/stock/get-stock-levels.md).
 *
 * Input: the rows (`records`: `{sku, stock_location_external_id, stock_level}`, as map-stock-to-sparklayer writes
 * them) and beside them `sparklayer`: the batch-fetch-stock answers, one per request. The page says the levels come
 * "grouped by SKU" and that a SKU with no level is left out; its response schema is past the stored opening
 * (unverified), so each answer is read as an object keyed by SKU whose values are arrays of levels (what the pack's
 * fake answers), or as an array of levels each carrying its `sku`, or of `{sku, stock_levels | levels}` groups. A
 * level names its location by `stock_location_external_id` (matched to the row's) or only by `stock_location_id`
 * (then it cannot be matched to a row). Quantities are `integer<int32>` in SparkLayer's legacy schema
 * (../shared/reference/sparklayer.md §19).
 *
 * Output: the rows that match pass on; each row whose SparkLayer level differs by more than `tolerance` is a
 * STOCK_DIFFERS exception, each row SparkLayer holds no level for a STOCK_NOT_IN_SPARKLAYER exception (two codes,
 * since the fixes differ: a level that drifted is corrected by the next stock run or was edited in SparkLayer; a
 * missing pair was never published, so a location, a SKU or a refused batch is the cause; and `tolerance` does not
 * apply to a level that is not there). A row that cannot be read is INVALID_RECORD, kept whole; a SparkLayer level
 * that cannot be read is SPARKLAYER_LEVEL_UNREADABLE, kept whole, and its row is skipped (not compared). SparkLayer
 * levels at locations or of SKUs no row names (a location no back-end location feeds) are not compared.
 */
import * as z from 'zod';
import { countSetting } from '../../runtime/settings.js';
import { defineStep, fail, pass, skip, type ExceptionCode, type Outcome, type Unmatched } from '../../runtime/step.js';
import { isJsonObject } from '../../runtime/json-object.js';

const CODES = {
  STOCK_DIFFERS: {
    owner: 'operations',
    action:
      'SparkLayer shows a different stock level for this SKU at this stock location than the back-end gives now ' +
      '(the message gives both and the difference, after stock_buffer and packs, as the stock flow publishes). If ' +
      "the stock moved in the last 15 minutes, the stock flow's next run corrects it and the next check clears it. " +
      'Otherwise check whether someone changed the level in the SparkLayer Dashboard, whether the stock flow is ' +
      'running (its queue and last run), and the item and location in the back-end; then run the stock flow.',
  },
  STOCK_NOT_IN_SPARKLAYER: {
    owner: 'operations',
    action:
      'The back-end has stock for this SKU at this location but SparkLayer holds no level for the pair, so it was ' +
      'never published. Check that the SKU exists in SparkLayer, that the stock location external ID exists in ' +
      "SparkLayer (location_map), and the stock flow's queue for a refused batch; the next stock run publishes it.",
  },
  SPARKLAYER_LEVEL_UNREADABLE: {
    owner: 'integration',
    action:
      'A level SparkLayer answered to batch-fetch-stock has no SKU, no stock location or a stock_level that is not ' +
      'a whole number (the message names it; the level is kept whole). Its row was not compared. Check the answer ' +
      'against https://docs.sparklayer.io/developers/api/stock/get-stock-levels.md and tell the pack maintainers.',
  },
} as const satisfies Record<string, ExceptionCode>;
type Code = keyof typeof CODES;

const identifier = z.string().refine((value) => value.trim() !== '', 'must not be blank');
const rowSchema = z.looseObject({
  sku: identifier,
  stock_location_external_id: identifier,
  stock_level: z.number().int('must be a whole number'),
});
type Row = z.infer<typeof rowSchema>;

const besideSchema = z.looseObject({ sparklayer: z.array(z.unknown()).default([]) });
type Beside = z.infer<typeof besideSchema>;

function rowId(record: unknown): string | null {
  if (record === null || typeof record !== 'object') return null;
  const { sku, stock_location_external_id: location } = record as Record<string, unknown>;
  return typeof sku === 'string' && typeof location === 'string' ? `${sku}@${location}` : null;
}

/** Every level in the answers, each with the SKU its group gives when it carries none of its own. */
export function levelsOf(answers: readonly unknown[]): Array<{ sku: unknown; level: unknown }> {
  const found: Array<{ sku: unknown; level: unknown }> = [];
  const fromEntry = (entry: unknown): void => {
    if (isJsonObject(entry)) {
      const group = entry.stock_levels ?? entry.levels;
      if (Array.isArray(group)) {
        for (const level of group)
          found.push({ sku: isJsonObject(level) ? (level.sku ?? entry.sku) : entry.sku, level });
        return;
      }
    }
    found.push({ sku: isJsonObject(entry) ? entry.sku : undefined, level: entry });
  };
  for (const answer of answers) {
    if (Array.isArray(answer)) for (const entry of answer) fromEntry(entry);
    else if (isJsonObject(answer)) {
      for (const [sku, levels] of Object.entries(answer)) {
        const list = Array.isArray(levels) ? levels : [levels];
        for (const level of list) found.push({ sku: isJsonObject(level) ? (level.sku ?? sku) : sku, level });
      }
    } else found.push({ sku: undefined, level: answer });
  }
  return found;
}

/** A whole stock level as SparkLayer may give it: an integer, or integer text. */
function wholeLevel(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d{1,10}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

const key = (sku: string, location: string): string => `${sku}\u0000${location}`;

export const step = defineStep({
  key: 'compare-stock-levels',
  title: 'Compare stock levels',
  purpose:
    'Compares the stock levels SparkLayer holds with what the stock flow would publish from the back-end now, and ' +
    'reports each SKU and location that differs by more than the tolerance, or that SparkLayer does not hold.',
  settings: {
    tolerance: countSetting({
      description:
        'Whole units a SparkLayer level may differ from what the back-end would publish and still match. 0: any ' +
        'difference is reported.',
      default: 0,
    }),
  },
  exceptionCodes: CODES,
  record: { schema: rowSchema, id: rowId },
  beside: besideSchema,
  rule: (rows: readonly Row[], settings, beside: Beside) => {
    const held = new Map<string, number>();
    const unreadable = new Set<string>();
    const unmatched: Unmatched<Code>[] = [];
    for (const { sku, level } of levelsOf(beside.sparklayer)) {
      const location = isJsonObject(level) ? level.stock_location_external_id : undefined;
      const value = isJsonObject(level) ? wholeLevel(level.stock_level) : undefined;
      const readable = typeof sku === 'string' && sku !== '' && typeof location === 'string' && location !== '';
      if (readable && value !== undefined) {
        held.set(key(sku, location), value);
        continue;
      }
      const what = readable ? `${sku}@${location}` : null;
      if (readable) unreadable.add(key(sku, location));
      const field =
        typeof sku !== 'string' || sku === ''
          ? 'no sku'
          : typeof location !== 'string' || location === ''
            ? 'no stock_location_external_id'
            : `stock_level ${JSON.stringify(isJsonObject(level) ? level.stock_level : level)} is not a whole number`;
      unmatched.push({
        id: what === null ? null : `sparklayer:${what}`,
        record: level,
        code: 'SPARKLAYER_LEVEL_UNREADABLE',
        message: `a SparkLayer stock level${what === null ? '' : ` for ${what}`} cannot be read: ${field}`,
      });
    }
    const seen = new Set<string>();
    const outcomes = rows.map((row): Outcome<Code> => {
      // The message leaves the SKU and location to the exception's id (SKU@location), so an alert fits whole in one
      // notify variable (runtime/caps.ts).
      const at = key(row.sku, row.stock_location_external_id);
      if (seen.has(at)) return skip('repeat');
      seen.add(at);
      if (unreadable.has(at)) return skip('sparklayer-level-unreadable');
      const sparklayer = held.get(at);
      if (sparklayer === undefined)
        return fail(
          'STOCK_NOT_IN_SPARKLAYER',
          `SparkLayer holds no level; the back-end would publish ${row.stock_level}`,
          { expected_level: row.stock_level },
        );
      const difference = sparklayer - row.stock_level;
      if (Math.abs(difference) <= settings.tolerance) return pass();
      return fail(
        'STOCK_DIFFERS',
        `SparkLayer has ${sparklayer}, the back-end would publish ${row.stock_level} ` +
          `(difference ${difference > 0 ? '+' : ''}${difference}, tolerance ${settings.tolerance})`,
        { sparklayer_level: sparklayer, expected_level: row.stock_level, difference },
      );
    });
    return { outcomes, unmatched };
  },
  counters: (results) => ({ stock_levels_matching: results.records.length }),
});
