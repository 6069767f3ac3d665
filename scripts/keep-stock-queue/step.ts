/**
 * keep-stock-queue: the last step of a stock flow, after the batches were sent. It takes the rows SparkLayer took
 * beside the rows published before, the queue the last run kept and what became of this run's levels (the steps'
 * exceptions and notices, the batches SparkLayer refused), and writes:
 *
 * - `published`: the rows SparkLayer now holds as far as the pack knows (those before, overlaid with those taken): the
 *   next run's `previous`, so it sends only what moved. A refused row is not in it, so the next run sends it again. A
 *   lost cache, or a published row that cannot be read back, only means the next run sends that row once more
 *   (batch-update-stock overwrites each pair sent, so sending again is safe).
 * - `queue`: this run's problems, as queue entries (model/order-queue.ts, read back leniently with readQueue), keyed
 *   by what they are about (a refused row's SKU and location, a level's id, a SparkLayer SKU with no level), first
 *   seen kept from the last run. Every run reads all the stock, so a problem not seen again is gone; when nothing says
 *   what became of the levels, the last run's entries are kept as they were.
 * - `due_entries`: one per entry to tell now (first seen or changed, or its reminder due) and one per this run's notice
 *   (ARCHIVED_ITEM, keyed `notice:<level>`), each keyed by its entry's key, so the flow drops those an owner dismissed
 *   (their keys in its dismissed data pool) before group-due-alerts makes one alert per code, owner and kind of what is
 *   left: a refused batch of 500 rows is still one alert. Grouped here, a dismissed entry could not be told apart.
 */
import * as z from 'zod';
import { readQueue, recordKey, type QueueEntry } from '../../model/order-queue.js';
import { dueness, type DueEntry } from '../../model/queue-alerts.js';
import { countSetting, instantSetting } from '../../runtime/settings.js';
import { defineStep, OWNERS, pass, type ExceptionCode, type RuleResult } from '../../runtime/step.js';

const CODES = {
  STOCK_BATCH_REFUSED: {
    owner: 'integration',
    action:
      'SparkLayer refused a stock batch, every row in it (the message gives its answer: a 400 means a stock ' +
      'location external id SparkLayer does not have, or a SKU and location twice; a 429 or 5xx left after the ' +
      'retries means SparkLayer was unavailable). None of its rows is recorded as published, so the next run sends ' +
      'them again by itself; fix location_map or the stock location in SparkLayer if the answer names one.',
  },
} as const satisfies Record<string, ExceptionCode>;
type Code = keyof typeof CODES;

const owner = z.enum(OWNERS);
const rowSchema = z.looseObject({
  sku: z.string().min(1),
  stock_location_external_id: z.string().min(1),
  stock_level: z.number(),
});
type Row = z.infer<typeof rowSchema>;

const besideSchema = z.looseObject({
  /** The rows published before this run, as the flow cache gave them back: read a row at a time (readPublished). */
  published: z.unknown().optional(),
  /** The stock queue the last run kept, as the flow cache gave it back: read with readQueue, an entry at a time. */
  queue: z.unknown().optional(),
  /** What became of the levels: the steps' exceptions and notices, one per payload map-stock-to-sparklayer ran on. */
  mapped: z
    .array(
      z.looseObject({
        exceptions: z
          .array(
            z.looseObject({
              id: z.string().nullable(),
              code: z.string(),
              message: z.string(),
              record: z.unknown(),
              owner: owner.optional(),
            }),
          )
          .default([]),
        notices: z
          .array(z.looseObject({ id: z.string().nullable(), code: z.string(), message: z.string(), owner }))
          .default([]),
        unknown_stock_skus: z
          .array(z.looseObject({ sku: z.string(), code: z.string(), message: z.string(), owner }))
          .default([]),
      }),
    )
    .default([]),
  /** What the try/catch route kept of each batch SparkLayer refused: the batch (its rows) and the answer. */
  refused: z
    .array(
      z.looseObject({
        error: z.string(),
        shape: z.string(),
        record: z.union([z.array(rowSchema), rowSchema]),
      }),
    )
    .default([]),
});
type Beside = z.infer<typeof besideSchema>;

type Problem = Pick<QueueEntry, 'key' | 'label' | 'code' | 'owner' | 'message' | 'record'>;

export const step = defineStep({
  key: 'keep-stock-queue',
  title: 'Keep the stock queue',
  purpose:
    'Keeps what SparkLayer now holds (so the next run sends only what moved, and again what was refused), ' +
    'the stock problems of this run, and says which to tell their owners now (once per code, then each reminder).',
  recordsField: 'sent',
  settings: {
    reminder_hours: countSetting({
      description: 'Hours after which a stock problem still there is notified again; 0: only when it changes.',
      default: 24,
    }),
    as_of: instantSetting({ description: "This run's instant. Empty: the clock." }),
  },
  exceptionCodes: CODES,
  // The schema only checks, so a row it passes is read as it came; isPlainRow spares zod for the common row.
  record: { schema: rowSchema, id: (row) => describeRow(row), checkOnly: true, quick: isPlainRow },
  counters: ({ written }) => ({
    published: (written?.published as unknown[] | undefined)?.length ?? 0,
    waiting: (written?.queue as { entries: unknown[] } | undefined)?.entries.length ?? 0,
    due: (written?.due_entries as unknown[] | undefined)?.length ?? 0,
  }),
  beside: besideSchema,
  rule: (sent: readonly Row[], { reminder_hours: reminderHours, as_of: asOf }, beside: Beside): RuleResult<Code> => {
    const now = new Date(asOf).toISOString();
    const published = overlaid(readPublished(beside.published), sent);

    const kept = readQueue(beside.queue);
    const previous = kept.entries;
    const problems = beside.mapped.length === 0 && beside.refused.length === 0 ? undefined : problemsOf(beside);
    const entries: unknown[] = [];
    const dueEntries: DueEntry[] = [];
    const tell = (problem: Problem, what: string) =>
      dueEntries.push({
        key: problem.key,
        owner: problem.owner,
        code: problem.code,
        what,
        label: problem.label,
        message: problem.message,
      });
    for (const problem of problems?.values() ?? []) {
      const due = dueness(previous.get(problem.key), problem, asOf, reminderHours);
      entries.push({
        ...problem,
        replay: false,
        first_seen: due.firstSeen,
        last_seen: now,
        notified_at: due.notifiedAt,
      });
      if (due.changed) tell(problem, 'not published');
      else if (due.reminderDue) tell(problem, `still not published (since ${due.firstSeen.slice(0, 10)})`);
    }
    // Nothing says what became of this run's levels: the last run's problems are not known to be gone. Kept as they
    // were, the ones readQueue could not read too (whole), so nothing is lost.
    if (problems === undefined) entries.push(...previous.values(), ...kept.unreadable.map((entry) => entry.raw));
    // A notice is not queued (told each run it is raised), but keyed all the same, so an owner can dismiss it.
    for (const outcome of beside.mapped) {
      for (const notice of outcome.notices) {
        const label = notice.id ?? 'a stock level';
        tell(
          {
            key: `notice:${label}`,
            label,
            code: notice.code,
            owner: notice.owner,
            message: notice.message,
            record: null,
          },
          'notice',
        );
      }
    }

    return {
      outcomes: sent.map(() => pass()),
      write: { published, queue: { watermark: now, entries }, due_entries: dueEntries },
    };
  },
});

/** A row as a person reads it: `SKU@location`. */
function describeRow(row: unknown): string | null {
  const { sku, stock_location_external_id: location } = (row ?? {}) as Record<string, unknown>;
  return typeof sku === 'string' && typeof location === 'string' ? `${sku}@${location}` : null;
}

/**
 * The rows published before, as the flow cache gave them back (a list, or nothing): each row read on its own, and one
 * that is not a row (edited by hand, an older version) left out, so the next run sends that pair again rather than
 * this run failing and keeping nothing.
 */
function readPublished(cached: unknown): Row[] {
  if (!Array.isArray(cached)) return [];
  const rows: Row[] = [];
  for (const row of cached) {
    // A row rowSchema accepts (nearly all of 100,000) is taken as it is: the schema only checks, and zod's copy of
    // each was most of the time this step took.
    if (isPlainRow(row)) {
      rows.push(row);
      continue;
    }
    const parsed = rowSchema.safeParse(row);
    if (parsed.success) rows.push(parsed.data);
  }
  return rows;
}

/** True only for what rowSchema accepts: an object whose sku and location are text, its level a finite number. */
function isPlainRow(row: unknown): row is Row {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return false;
  const { sku, stock_location_external_id: location, stock_level: level } = row as Record<string, unknown>;
  if (typeof sku !== 'string' || sku === '' || typeof location !== 'string' || location === '') return false;
  return typeof level === 'number' && Number.isFinite(level);
}

/**
 * The rows before overlaid with the rows taken, in the order of the rows before, each pair taken in place of its row
 * before and the pairs new to SparkLayer after them. Only the rows taken (the few that moved) are looked up by pair:
 * indexing all 100,000 rows before was most of this step's own time. The rows before are this step's last output,
 * one per pair; a pair there twice (only a hand edit makes one) stays so unless taken, and map-stock-to-sparklayer
 * reads the later.
 */
function overlaid(before: readonly Row[], taken: readonly Row[]): Row[] {
  // The rows taken by location and SKU, the later of a pair in its place, in the order each pair was first taken.
  const takenAt = new Map<string, Map<string, Row>>();
  const pairsTaken: Array<[Map<string, Row>, string]> = [];
  for (const row of taken) {
    let bySku = takenAt.get(row.stock_location_external_id);
    if (bySku === undefined) takenAt.set(row.stock_location_external_id, (bySku = new Map()));
    if (!bySku.has(row.sku)) pairsTaken.push([bySku, row.sku]);
    bySku.set(row.sku, row);
  }
  const rows: Row[] = [];
  const placed = new Set<Row>();
  for (const row of before) {
    const replacement = takenAt.get(row.stock_location_external_id)?.get(row.sku);
    if (replacement === undefined) rows.push(row);
    else if (!placed.has(replacement)) {
      placed.add(replacement);
      rows.push(replacement);
    }
  }
  for (const [bySku, sku] of pairsTaken) {
    const row = bySku.get(sku)!;
    if (!placed.has(row)) rows.push(row);
  }
  return rows;
}

/** This run's problems by key: the rows of each refused batch, each level's exception, each SparkLayer SKU unbacked. */
function problemsOf(beside: Beside): Map<string, Problem> {
  const problems = new Map<string, Problem>();
  const add = (problem: Problem) => {
    if (!problems.has(problem.key)) problems.set(problem.key, problem);
  };
  for (const refusal of beside.refused) {
    for (const row of Array.isArray(refusal.record) ? refusal.record : [refusal.record]) {
      const label = describeRow(row)!;
      add({
        key: `row:${label}`,
        label,
        code: 'STOCK_BATCH_REFUSED',
        owner: CODES.STOCK_BATCH_REFUSED.owner,
        message: `${refusal.shape}: ${refusal.error}`,
        record: row,
      });
    }
  }
  for (const outcome of beside.mapped) {
    for (const failure of outcome.exceptions) {
      const label = failure.id ?? recordKey(failure.record);
      add({
        key: `level:${label}`,
        label,
        code: failure.code,
        owner: failure.owner ?? 'integration',
        message: failure.message,
        record: failure.record,
      });
    }
    for (const unknown of outcome.unknown_stock_skus) {
      add({ key: `sku:${unknown.sku}`, label: unknown.sku, ...unknown, record: { sku: unknown.sku } });
    }
  }
  return problems;
}
