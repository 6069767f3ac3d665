/**
 * keep-order-queue: the last step of an order flow, after booking. It takes the purchases the run considered (pulled
 * and fed in again) beside what became of them (the map-order step's outcome, the back-end's refusals, the look-ups
 * that could not decide) and the queue the last finished run kept, and writes:
 *
 * - `records`: the purchases booked this run (or found already booked), for the de-dupe shape after it to track:
 *   an order is marked handled only once the back-end has it;
 * - `queue`: the new order queue (model/order-queue.ts): every order not booked, whole, with its code, owner and
 *   first and last seen; an entry whose purchase was considered and had no problem this time is cleared; the
 *   watermark is this run's start (`as_of`: plan-order-pull's meta `pull_started_at`);
 * - `due_alerts`: the entries to notify now, once per problem: when first seen, when its code or message changes,
 *   and again each `reminder_hours`;
 * - `due_notices`: the notices (held for finance, no PO) on orders booked this run, never on one the back-end refused.
 *
 * The queue stays inside the platform's limits (a flow cache holds 50 MB, a script 512 MB of heap, a notify shape
 * sends one message per payload): past `max_entries`, or past QUEUE_MAX_BYTES of JSON however few they are, the
 * entries first seen longest ago leave it, summed up in one QUEUE_TRIMMED alert to integration; past `digest_above`
 * alerts for one owner in a run (after a lost cache, say) that owner gets one digest instead of one message per order.
 *
 * The kept queue is read an entry at a time (model/order-queue.ts readQueue): an entry it cannot read becomes an entry
 * of its own, QUEUE_ENTRY_UNREADABLE for integration, carrying it whole, and the rest is kept, tracked and alerted as
 * usual. A payload that did not carry the queue at all (`queue` absent: a null or `{}` payload) writes no queue, so
 * the flow never saves over the kept state with an empty one.
 */
import * as z from 'zod';
import { labelOf, QUEUE_MAX_BYTES, readQueue, recordKey, type QueueEntry } from '../../model/order-queue.js';
import { codeCounts, digested, dueness, type QueueAlert } from '../../model/queue-alerts.js';
import { BACKENDS, type Backend } from '../../connectors/backends.js';
import { orList } from '../../model/booking.js';
import { purchaseId } from '../../connectors/sparklayer/purchase.js';
import { fitNotifyVariable } from '../../runtime/caps.js';
import { choiceSetting, countSetting, instantSetting } from '../../runtime/settings.js';
import {
  defineStep,
  fail,
  OWNERS,
  pass,
  passMany,
  type Outcome,
  type Owner,
  type RuleResult,
} from '../../runtime/step.js';

const KEY = 'keep-order-queue';
type Code = 'BACKEND_REFUSED' | 'OUTCOME_MISSING' | 'QUEUE_ENTRY_UNREADABLE' | 'QUEUE_TRIMMED';

const SYSTEMS = Object.keys(BACKENDS) as Backend[];

const owner = z.enum(OWNERS);
const stepException = z.looseObject({
  id: z.string().nullable(),
  code: z.string(),
  message: z.string(),
  record: z.unknown(),
  owner: owner.optional(),
});
const besideSchema = z.looseObject({
  /** The kept state as the map shape loaded it from the flow cache: read leniently; absent is not empty. */
  queue: z.unknown().optional(),
  /** The map-order step's outcome, one per payload it ran on: the bodies it built, its exceptions and notices. */
  mapped: z
    .array(
      z.looseObject({
        bodies: z.array(z.unknown()).default([]),
        exceptions: z.array(stepException).default([]),
        notices: z
          .array(
            z.looseObject({
              id: z.string().nullable(),
              code: z.string(),
              message: z.string(),
              owner: owner.optional(),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
  /** What the try/catch route kept of each body the back-end refused. */
  refused: z.array(z.looseObject({ error: z.string(), shape: z.string(), record: z.unknown() })).default([]),
  /** skip-booked-sales' exceptions: sales a look-up could not decide on, not booked. */
  undecided: z.array(z.looseObject({ exceptions: z.array(stepException).default([]) })).default([]),
});
type Beside = z.infer<typeof besideSchema>;

interface Problem {
  code: string;
  owner: Owner;
  message: string;
  record: unknown;
  replay: boolean;
}

/**
 * What one notify shape says: `SparkLayer order <label> <what>, <code>: <text>` for an order not booked (`what`:
 * `not booked`, or `still not booked (since <day>)` for a reminder), `SparkLayer order <text>` for a notice.
 */
export type Alert = QueueAlert;

export const step = defineStep({
  key: KEY,
  title: 'Keep the order queue',
  purpose:
    'Keeps every order not booked, whole, until a later run books it; clears what was booked, and says ' +
    'which problems and notices to tell their owners now (once, then each reminder).',
  recordsField: 'considered',
  settings: {
    system: choiceSetting({
      description: `The back-end the flow books into, whose bodies name their purchase: ${orList(SYSTEMS)}.`,
      default: 'netsuite',
      choices: SYSTEMS,
    }),
    reminder_hours: countSetting({
      description: 'Hours after which an order still waiting is notified again; 0: only when its problem changes.',
      default: 24,
    }),
    digest_above: countSetting({
      description:
        'More alerts than this for one owner in one run become a single digest to that owner (codes counted, ' +
        'orders named as far as a message holds); 0: always one alert per order.',
      default: 10,
    }),
    max_entries: countSetting({
      description:
        'The most orders the queue keeps; past it, those first seen longest ago leave the queue and integration ' +
        'is told once (QUEUE_TRIMMED). 0: no bound.',
      default: 5000,
    }),
    as_of: instantSetting({
      description:
        "This run's start, the next watermark. Empty: meta pull_started_at (plan-order-pull wrote it at " +
        "the run's start), else the clock.",
      meta: 'pull_started_at',
    }),
  },
  exceptionCodes: {
    OUTCOME_MISSING: {
      owner: 'integration',
      action:
        'Nothing beside the purchases said what became of them (no map-order outcome in the flow-run ' +
        'cache order-outcomes), so none is counted as booked: each waits in the queue and is fed in ' +
        "again. The flow was changed or a shape before this one was skipped: restore the 'Keep what " +
        "became of each order' shape from the blueprint.",
    },
    QUEUE_TRIMMED: {
      owner: 'integration',
      action:
        'The order queue reached max_entries (or its size bound, 16 MB of JSON, which keeps the step inside ' +
        "Patchworks' 512 MB), so the orders first seen longest ago left it: they are no longer " +
        'fed in or reminded. Find each in SparkLayer (the alert names them and their codes), book or close it by ' +
        'hand, and fix what keeps so many orders waiting (often one missing account or item mapping).',
    },
    QUEUE_ENTRY_UNREADABLE: {
      owner: 'integration',
      action:
        'An entry of the kept order queue could not be read (an older version or a hand edit: the message says ' +
        "which field). It is kept whole as this entry's record and not fed in; the other orders go on as usual. " +
        'Book the order it names by hand or let the look-back bring it again, then dismiss this entry.',
    },
    BACKEND_REFUSED: {
      owner: 'integration',
      action:
        'The back-end refused the order (the message gives its answer). Fix what it names (a customer, ' +
        "an item, a closed period, a field) in the back-end or the flow's maps; the next run sends the " +
        "order again by itself. To drop it for good, import its purchase id into the flow's de-dupe data pool.",
    },
  },
  record: { schema: z.unknown(), id: purchaseId, checkOnly: true },
  counters: ({ written }) => ({
    waiting: (written?.queue as { entries: unknown[] } | undefined)?.entries.length ?? 0,
    alerts: (written?.due_alerts as unknown[] | undefined)?.length ?? 0,
    notices: (written?.due_notices as unknown[] | undefined)?.length ?? 0,
  }),
  beside: besideSchema,
  rule: (
    purchases: readonly unknown[],
    { system, reminder_hours: reminderHours, digest_above: digestAbove, max_entries: maxEntries, as_of: asOf },
    beside: Beside,
  ): RuleResult<Code> => {
    const now = new Date(asOf).toISOString();
    // Each purchase's key once: a purchase with no id is keyed by hashing its whole record.
    const keys = purchases.map((purchase) => purchaseId(purchase) ?? recordKey(purchase));
    const considered = new Map<string, unknown>();
    purchases.forEach((purchase, index) => {
      if (!considered.has(keys[index]!)) considered.set(keys[index]!, purchase);
    });

    const problems = problemsOf(beside, considered, BACKENDS[system].purchaseOf);
    // Nothing says what became of them: not booked as far as anyone knows, so each waits (and is fed in again).
    const unknown = purchases.length > 0 && beside.mapped.length === 0;
    if (unknown) {
      for (const [key, purchase] of considered) {
        problems.set(key, {
          code: 'OUTCOME_MISSING',
          owner: step.exceptionCodes.OUTCOME_MISSING.owner,
          message: OUTCOME_MISSING_MESSAGE,
          record: purchase,
          replay: true,
        });
      }
    }
    const booked = new Set<string>();
    for (const outcome of beside.mapped) {
      for (const body of outcome.bodies) {
        const id = BACKENDS[system].purchaseOf(body);
        if (id !== undefined && !problems.has(id)) booked.add(id);
      }
    }

    // Only the orders booked continue; every other purchase is accounted for already (an earlier step's skip or
    // exception, now a queue entry), so it is dealt with here, not skipped a second time in the flow's counts.
    const passed = new Set<string>();
    const outcomes: Outcome<Code>[] = keys.map((key) => {
      if (unknown) return fail('OUTCOME_MISSING', OUTCOME_MISSING_MESSAGE);
      if (!booked.has(key) || passed.has(key)) return passMany([]);
      passed.add(key);
      return pass();
    });

    const previous = readQueue(beside.queue);
    for (const { raw, reason } of previous.unreadable) {
      const key = `unreadable:${recordKey(raw).slice('record:'.length)}`;
      problems.set(key, {
        code: 'QUEUE_ENTRY_UNREADABLE',
        owner: step.exceptionCodes.QUEUE_ENTRY_UNREADABLE.owner,
        message: reason,
        record: raw,
        replay: false,
      });
    }
    const entries: QueueEntry[] = [];
    const dueAlerts: Alert[] = [];
    for (const [key, problem] of problems) {
      const { changed, reminderDue, firstSeen, notifiedAt } = dueness(
        previous.entries.get(key),
        problem,
        asOf,
        reminderHours,
      );
      const label = labelOf(problem.record, key);
      // First seen is when the order first waited, whatever the problem since.
      entries.push({ key, label, ...problem, first_seen: firstSeen, last_seen: now, notified_at: notifiedAt });
      if (changed || reminderDue) {
        const what = changed ? 'not booked' : `still not booked (since ${firstSeen.slice(0, 10)})`;
        dueAlerts.push({
          key,
          owner: problem.owner,
          code: problem.code,
          label: fitNotifyVariable(label),
          what,
          text: fitNotifyVariable(problem.message),
        });
      }
    }
    // An entry whose purchase did not come through this run at all is kept as it was: nothing said it was booked.
    for (const [key, entry] of previous.entries) if (!problems.has(key) && !considered.has(key)) entries.push(entry);

    const dueNotices: Alert[] = beside.mapped.flatMap((outcome) =>
      outcome.notices
        .filter((notice) => notice.id !== null && booked.has(notice.id))
        .map((notice) => ({
          key: notice.id!,
          owner: notice.owner ?? 'integration',
          code: notice.code,
          label: notice.id!,
          what: 'notice',
          text: fitNotifyVariable(notice.message),
        })),
    );
    const trimmed = trimOldest(entries, maxEntries, QUEUE_MAX_BYTES);
    if (trimmed.length > 0) dueAlerts.push(summaryAlert('QUEUE_TRIMMED', 'left the queue', trimmed));
    const queue = Object.hasOwn(beside, 'queue') ? { queue: { watermark: now, entries } } : {};
    return {
      outcomes,
      write: { ...queue, due_alerts: digested(dueAlerts, digestAbove, DIGEST), due_notices: dueNotices },
    };
  },
});

const DIGEST = { noun: 'orders', what: 'not booked (digest)' };

const OUTCOME_MISSING_MESSAGE =
  'nothing beside the purchase says what became of it (no map-order outcome): kept waiting';

/** Every order this run could not book, by purchase id (or record key): step exceptions, refusals, undecided look-ups.
 */
function problemsOf(
  beside: Beside,
  considered: ReadonlyMap<string, unknown>,
  purchaseOfBody: (body: unknown) => string | undefined,
): Map<string, Problem> {
  const problems = new Map<string, Problem>();
  for (const outcome of beside.mapped) {
    for (const failure of outcome.exceptions) {
      // A step exception's record is the purchase as that step saw it: the one SparkLayer gave is fed in again.
      const key = failure.id ?? recordKey(failure.record);
      if (!problems.has(key))
        problems.set(key, {
          code: failure.code,
          owner: failure.owner ?? 'integration',
          message: failure.message,
          record: considered.get(key) ?? failure.record,
          replay: true,
        });
    }
  }
  const afterBooking = (body: unknown, problem: Omit<Problem, 'record' | 'replay'>) => {
    const id = purchaseOfBody(body);
    const purchase = id === undefined ? undefined : considered.get(id);
    problems.set(id ?? recordKey(body), { ...problem, record: purchase ?? body, replay: purchase !== undefined });
  };
  for (const refusal of beside.refused)
    afterBooking(refusal.record, {
      code: 'BACKEND_REFUSED',
      owner: step.exceptionCodes.BACKEND_REFUSED.owner,
      message: `${refusal.shape}: ${refusal.error}`,
    });
  for (const outcome of beside.undecided) {
    for (const failure of outcome.exceptions)
      afterBooking(failure.record, {
        code: failure.code,
        owner: failure.owner ?? 'integration',
        message: failure.message,
      });
  }
  return problems;
}

/** Removes the entries first seen longest ago past `max` entries (0: no count bound) or `maxBytes` of JSON, and returns
 * them. */
function trimOldest(entries: QueueEntry[], max: number, maxBytes: number): QueueEntry[] {
  const bytes = new Map(entries.map((entry) => [entry, JSON.stringify(entry).length + 1]));
  let total = [...bytes.values()].reduce((sum, size) => sum + size, 0);
  if ((max === 0 || entries.length <= max) && total <= maxBytes) return [];
  const byAge = [...entries].sort((a, b) => a.first_seen.localeCompare(b.first_seen) || a.key.localeCompare(b.key));
  let leave = max === 0 ? 0 : Math.max(0, entries.length - max);
  for (const entry of byAge.slice(0, leave)) total -= bytes.get(entry)!;
  while (total > maxBytes && leave < byAge.length) total -= bytes.get(byAge[leave++]!)!;
  const leaving = new Set(byAge.slice(0, leave));
  entries.splice(0, entries.length, ...entries.filter((entry) => !leaving.has(entry)));
  return byAge.slice(0, leave);
}

/** One alert for many orders: the codes counted, the orders named as far as a notify variable holds. */
function summaryAlert(code: string, what: string, items: ReadonlyArray<{ code: string; label: string }>): Alert {
  return {
    key: `${code}:${items.length}`,
    owner: step.exceptionCodes.QUEUE_TRIMMED.owner,
    code,
    label: `${items.length} orders`,
    what,
    text: fitNotifyVariable(`${codeCounts(items)}: ${items.map((item) => item.label).join(', ')}`),
  };
}
