/**
 * group-due-alerts: the alerts of a stock flow, after its de-dupe shape dropped the due entries an owner dismissed.
 * keep-stock-queue writes what is due one entry at a time (`due_entries`, each keyed by its queue entry's key), since
 * a pool of entry keys cannot filter an alert that groups many entries; this step groups what is left, one alert per
 * code, owner and kind, naming how many and which (model/queue-alerts.ts, groupedAlerts), and writes them as
 * `due_alerts` for the flow's notify shapes: a refused batch of 500 rows is one alert, less the rows dismissed.
 */
import * as z from 'zod';
import { groupedAlerts, type DueEntry } from '../../model/queue-alerts.js';
import { defineStep, OWNERS, pass, type RuleResult } from '../../runtime/step.js';

const dueEntrySchema = z.looseObject({
  key: z.string().min(1),
  owner: z.enum(OWNERS),
  code: z.string().min(1),
  what: z.string().min(1),
  label: z.string(),
  message: z.string(),
}) satisfies z.ZodType<DueEntry>;

export const step = defineStep({
  key: 'group-due-alerts',
  title: 'Group the due alerts',
  purpose:
    "Turns a stock flow's due entries, less those an owner dismissed, into one alert per code, owner and kind, " +
    'naming how many and which, for the notify shapes.',
  recordsField: 'due_entries',
  settings: {},
  // keep-stock-queue's own output: an entry it cannot read is an exception (INVALID_RECORD), not told.
  exceptionCodes: {},
  record: { schema: dueEntrySchema, id: (entry) => keyOf(entry), checkOnly: true },
  counters: ({ written }) => ({ alerts: (written?.due_alerts as unknown[] | undefined)?.length ?? 0 }),
  rule: (entries: readonly DueEntry[]): RuleResult<never> => ({
    outcomes: entries.map(() => pass()),
    write: { due_alerts: groupedAlerts(entries) },
  }),
});

/** The entry's key, its id in `exceptions` when it cannot be read. */
function keyOf(entry: unknown): string | null {
  const key = (entry as { key?: unknown } | null)?.key;
  return typeof key === 'string' && key !== '' ? key : null;
}
