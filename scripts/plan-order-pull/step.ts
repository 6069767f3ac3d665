/**
 * plan-order-pull: the first step of an order flow. From the order queue the last finished run kept (flow cache
 * `order-queue`, model/order-queue.ts) it says what to pull (meta `pull_since`: the watermark less the overlap, or
 * `lookback_days` back on a first run or after the cache was lost; `pull_since_date` its UTC day, YYYY-MM-DD, for a
 * read that filters by date only) and feeds in again, whole, every order still waiting that the pull will not bring
 * (one changed since is pulled, fresher), so a run after a fix books them without anyone touching a cache.
 * `pull_started_at` is this run's instant: keep-order-queue writes it as the next watermark only when the run gets
 * that far.
 *
 * The queue is read leniently, an entry at a time (model/order-queue.ts readQueue): an entry it cannot read is not
 * fed in, and never costs the others or the watermark; keep-order-queue keeps it, as it was, for integration to fix.
 * Each record is a kept state, read as written (nulls and all), so a waiting order is fed in exactly as it was kept.
 */
import * as z from 'zod';
import { purchaseChangedAt } from '../../connectors/sparklayer/purchase.js';
import { readQueue, type QueueRead } from '../../model/order-queue.js';
import { countSetting, instantSetting } from '../../runtime/settings.js';
import { defineStep, passMany, type Outcome } from '../../runtime/step.js';
import { StepError } from '../../runtime/step-error.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Patchworks keeps de-dupe values 90 days (reference/patchworks.md §3.1): a longer look-back outlives the pool. */
const MAX_LOOKBACK_DAYS = 90;

export const step = defineStep({
  key: 'plan-order-pull',
  title: 'Plan the order pull',
  purpose:
    'Says which purchases to pull (changed since the last finished run, less an overlap) and feeds in ' +
    'again every order still waiting in the queue.',
  recordsField: 'queue',
  settings: {
    lookback_days: countSetting({
      description:
        `How far back the first run, or a run after the queue cache was lost, pulls purchases (days, 1 to ` +
        `${MAX_LOOKBACK_DAYS}: the de-dupe pool's lifetime).`,
      default: 30,
    }),
    overlap_minutes: countSetting({
      description:
        'How far before the last finished run the pull starts, for clock skew and purchases written late (minutes).',
      default: 30,
    }),
    as_of: instantSetting({
      description:
        "This run's instant (ISO 8601 with offset). Empty: the clock, as in production; set it to replay " +
        'a run as of a moment.',
    }),
  },
  exceptionCodes: {},
  record: { schema: z.unknown(), id: () => null, checkOnly: true, asWritten: true },
  rule: (states: readonly unknown[], settings): Outcome<never>[] => {
    const { since, queue } = planPull(states, settings);
    // A purchase changed since then comes with the pull, fresher: fed in again only when the pull will not bring it.
    // Its change time as SparkLayer gives it (connectors/sparklayer/purchase.ts); none readable: not pulled again.
    const pulledAgain = (record: unknown) => {
      const at = purchaseChangedAt(record);
      return at !== undefined && at >= since;
    };
    const feed = [...queue.entries.values()]
      .filter((entry) => entry.replay && !pulledAgain(entry.record))
      .map((entry) => entry.record);
    // Every waiting order once, however many states the cache held: all from the first.
    return states.map((_, index) => passMany(index === 0 ? feed : []));
  },
  meta: (states, settings) => {
    const { since, from, queue } = planPull(states, settings);
    return {
      pull_since: new Date(since).toISOString(),
      // The UTC day of pull_since, for a back-end that filters by date only (SuiteQL's TO_DATE('YYYY-MM-DD')): never
      // later than pull_since, so a read by it takes in more, never less.
      pull_since_date: new Date(since).toISOString().slice(0, 10),
      pull_started_at: new Date(settings.as_of).toISOString(),
      pull_from: from,
      ...(queue.unreadable.length > 0 ? { queue_unreadable: String(queue.unreadable.length) } : {}),
    };
  },
});

function planPull(
  states: readonly unknown[],
  {
    lookback_days: lookbackDays,
    overlap_minutes: overlapMinutes,
    as_of: asOf,
  }: { lookback_days: number; overlap_minutes: number; as_of: number },
): { since: number; from: 'watermark' | 'lookback'; queue: QueueRead } {
  if (lookbackDays < 1 || lookbackDays > MAX_LOOKBACK_DAYS) {
    throw new StepError(
      'plan-order-pull',
      `setting "lookback_days" is not valid: ${lookbackDays} days; it must be 1 to ${MAX_LOOKBACK_DAYS}.`,
    );
  }
  const queue = readQueue(states);
  if (queue.watermark === undefined) return { since: asOf - lookbackDays * DAY, from: 'lookback', queue };
  return { since: Math.min(queue.watermark, asOf) - overlapMinutes * MINUTE, from: 'watermark', queue };
}
