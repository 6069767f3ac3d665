/**
 * keep-exception-queue: the last step of a flow that looks at everything on every run (the credit-hold flow reads
 * every account it syncs each hour), so a problem not seen this run is gone. It takes this run's problems (`problems`:
 * each step exception as the envelope carries it, `{id, step, code, message, record, owner}`, and each write the
 * flow's try/catch route kept, `{error, shape, record}`) beside the exception queue the last run kept, and writes:
 *
 * - `queue`: the new exception queue (model/order-queue.ts's entries, `replay` false: nothing is fed in again, the
 *   next run looks at everything anyway): one entry per problem, keyed by its id (the exception's, or a refused
 *   record's own `id`; else a hash of its record), first seen kept from the last run; an entry not seen this run is
 *   cleared. The watermark is `as_of`.
 * - `due_alerts`: the entries to tell their owners now, once per problem: when first seen, when its code or message
 *   changes, and again each `reminder_hours`; past `digest_above` for one owner in a run, one digest instead.
 *
 * The kept queue is read an entry at a time (readQueue): an entry it cannot read becomes an entry of its own,
 * QUEUE_ENTRY_UNREADABLE for integration, carrying it whole, kept run after run until an owner dismisses it. A
 * payload that did not carry the queue at all (`queue` absent) writes no queue, so the flow never saves over the kept
 * state with an empty one.
 */
import * as z from 'zod';
import { readQueue, recordKey, type QueueEntry } from '../../model/order-queue.js';
import { digested, dueness, type QueueAlert } from '../../model/queue-alerts.js';
import { fitNotifyVariable } from '../../runtime/caps.js';
import { countSetting, instantSetting } from '../../runtime/settings.js';
import { defineStep, OWNERS, pass, type ExceptionCode, type RuleResult } from '../../runtime/step.js';

const CODES = {
  WRITE_REFUSED: {
    owner: 'integration',
    action:
      "The target system refused a write the flow made (the message names the shape and gives the system's " +
      'answer). Fix what it names (a group, a field, a record missing there); the next run, which looks at ' +
      "everything again, writes it again by itself. To stop hearing of it, import the entry's key into the flow's " +
      'dismissed data pool.',
  },
  QUEUE_ENTRY_UNREADABLE: {
    owner: 'integration',
    action:
      'An entry of the kept exception queue could not be read (an older version or a hand edit: the message says ' +
      "which field). It is kept whole as this entry's record; the other problems go on as usual. Check what it " +
      "names by hand, then dismiss this entry (import its key into the flow's dismissed data pool).",
  },
  PROBLEM_UNREADABLE: {
    owner: 'integration',
    action:
      'Something given to the step as a problem was neither a step exception nor a refused write (the flow was ' +
      "changed, or a shape before this one writes something else). It is queued whole; restore the flow's shapes " +
      'from the blueprint.',
  },
} as const satisfies Record<string, ExceptionCode>;
type Code = keyof typeof CODES;

/** A step exception as the envelope carries it. */
const exceptionSchema = z.looseObject({
  id: z.string().nullable().optional(),
  step: z.string().optional(),
  code: z.string().min(1),
  message: z.string(),
  record: z.unknown(),
  /** What the step adds for a person (reconcile-order-totals: each differing total), kept with the entry. */
  details: z.unknown().optional(),
  /** Read leniently: an owner the pack does not know goes to integration rather than losing the problem. */
  owner: z.string().optional(),
});
/** A write the flow's try/catch route kept: the engine's error, the shape, and the body whole. */
const refusedSchema = z.looseObject({ error: z.string(), shape: z.string(), record: z.unknown() });

const besideSchema = z.looseObject({
  /** The kept state as the map shape loaded it from the flow cache: read leniently; absent is not empty. */
  queue: z.unknown().optional(),
});

/** A problem as its entry keeps it; `details` only when the exception gave some (a mismatch's differing totals). */
type Problem = Pick<QueueEntry, 'key' | 'label' | 'code' | 'owner' | 'message' | 'record'> & { details?: unknown };

export const step = defineStep({
  key: 'keep-exception-queue',
  title: 'Keep the exception queue',
  purpose:
    "Keeps a flow's open problems (step exceptions and refused writes) between runs, clears those no longer " +
    'seen, and says which to tell their owners now (once, then each reminder).',
  recordsField: 'problems',
  settings: {
    reminder_hours: countSetting({
      description: 'Hours after which a problem still seen is notified again; 0: only when it changes.',
      default: 24,
    }),
    digest_above: countSetting({
      description:
        'More alerts than this for one owner in one run become a single digest to that owner (codes counted, ' +
        'problems named as far as a message holds); 0: always one alert per problem.',
      default: 10,
    }),
    as_of: instantSetting({ description: "This run's instant, the queue's watermark. Empty: the clock." }),
  },
  exceptionCodes: CODES,
  // Every problem is queued, whatever its shape: read in the rule, never refused at the boundary (a null field is read
  // as left out, as every step reads it).
  record: { schema: z.unknown(), id: problemId, checkOnly: true },
  counters: ({ written }) => ({
    open: (written?.queue as { entries: unknown[] } | undefined)?.entries.length ?? 0,
    alerts: (written?.due_alerts as unknown[] | undefined)?.length ?? 0,
  }),
  beside: besideSchema,
  rule: (
    given: readonly unknown[],
    { reminder_hours: reminderHours, digest_above: digestAbove, as_of: asOf },
    beside,
  ): RuleResult<Code> => {
    const now = new Date(asOf).toISOString();
    const problems = new Map<string, Problem>();
    for (const raw of given) {
      const problem = problemOf(raw);
      if (!problems.has(problem.key)) problems.set(problem.key, problem);
    }
    const previous = readQueue(beside.queue);
    for (const { raw, reason } of previous.unreadable) {
      const key = `unreadable:${recordKey(raw).slice('record:'.length)}`;
      problems.set(key, unreadableEntry(key, reason, raw));
    }
    // An unreadable entry kept by an earlier run is not seen again by the flow: kept until dismissed.
    for (const entry of previous.entries.values())
      if (entry.code === 'QUEUE_ENTRY_UNREADABLE' && !problems.has(entry.key))
        problems.set(entry.key, unreadableEntry(entry.key, entry.message, entry.record));

    const entries: QueueEntry[] = [];
    const dueAlerts: QueueAlert[] = [];
    for (const problem of problems.values()) {
      const due = dueness(previous.entries.get(problem.key), problem, asOf, reminderHours);
      entries.push({
        ...problem,
        replay: false,
        first_seen: due.firstSeen,
        last_seen: now,
        notified_at: due.notifiedAt,
      });
      if (due.changed || due.reminderDue)
        dueAlerts.push({
          key: problem.key,
          owner: problem.owner,
          code: problem.code,
          label: fitNotifyVariable(problem.label),
          what: due.changed ? 'new' : `still open (since ${due.firstSeen.slice(0, 10)})`,
          text: fitNotifyVariable(problem.message),
        });
    }
    const queue = Object.hasOwn(beside, 'queue') ? { queue: { watermark: now, entries } } : {};
    return {
      outcomes: given.map(() => pass()),
      write: { ...queue, due_alerts: digested(dueAlerts, digestAbove, { noun: 'problems', what: 'open (digest)' }) },
    };
  },
});

/** The problem's id as the step's summary names it: the exception's id, else the refused record's id. */
function problemId(raw: unknown): string | null {
  const exception = exceptionSchema.safeParse(raw);
  if (exception.success) return exception.data.id ?? null;
  const refused = refusedSchema.safeParse(raw);
  return refused.success ? idOf(refused.data.record) : null;
}

/** A record's own `id`, when it has one a person can read. */
function idOf(record: unknown): string | null {
  const id = (record as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.trim() !== '' ? id.trim() : typeof id === 'number' ? String(id) : null;
}

/**
 * One problem as a queue entry's fields: keyed by its id (the exception's, or the refused record's own `id`), else by
 * its record's hash, so an owner can dismiss it by a key they can read.
 */
function problemOf(raw: unknown): Problem {
  const exception = exceptionSchema.safeParse(raw);
  if (exception.success) {
    const { id, code, message, record, details } = exception.data;
    const key = id ?? recordKey(record);
    return {
      key,
      label: id ?? idOf(record) ?? key,
      code,
      owner: OWNERS.find((known) => known === exception.data.owner) ?? 'integration',
      message,
      record,
      ...(details === undefined ? {} : { details }),
    };
  }
  const refused = refusedSchema.safeParse(raw);
  if (refused.success) {
    const { error, shape, record } = refused.data;
    const key = idOf(record) ?? recordKey(record);
    return {
      key,
      label: key,
      code: 'WRITE_REFUSED',
      owner: CODES.WRITE_REFUSED.owner,
      message: `${shape}: ${error}`,
      record,
    };
  }
  const key = recordKey(raw);
  return {
    key,
    label: key,
    code: 'PROBLEM_UNREADABLE',
    owner: CODES.PROBLEM_UNREADABLE.owner,
    message: 'neither a step exception {code, message, record} nor a refused write {error, shape, record}',
    record: raw,
  };
}

function unreadableEntry(key: string, reason: string, raw: unknown): Problem {
  return {
    key,
    label: key,
    code: 'QUEUE_ENTRY_UNREADABLE',
    owner: CODES.QUEUE_ENTRY_UNREADABLE.owner,
    message: reason,
    record: raw,
  };
}
