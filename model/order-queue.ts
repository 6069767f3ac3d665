/**
 * The order queue: what an order flow keeps between runs, in one entry of its flow cache `order-queue` (written by
 * keep-order-queue, read by plan-order-pull and `npm run queue`). The watermark is the start of the last run that
 * finished; each entry is an order that could not be booked, kept whole so the next run books it once it can.
 */
import * as z from 'zod';
import { OWNERS } from '../runtime/step.js';

/** The flow cache (flow scope) and its one key; a blueprint's add-to-cache and map shapes name them. */
export const ORDER_QUEUE_CACHE = 'order-queue';
export const ORDER_QUEUE_KEY = 'state';

const instant = z.iso.datetime({ offset: true });

export const queueEntrySchema = z.looseObject({
  /** The purchase id, or `record:<hash>` for a purchase that has none (the same record gives the same key). */
  key: z.string().min(1),
  /** What a person calls the order: its visible number (B2B01128), else its id. */
  label: z.string().min(1),
  code: z.string().min(1),
  owner: z.enum(OWNERS),
  message: z.string(),
  /** The purchase as SparkLayer gave it: fed in again on the next run, so fixing a map books it. */
  record: z.unknown(),
  /** False for a record that is not a purchase (a refused body whose purchase was not found): kept, not fed in. */
  replay: z.boolean(),
  first_seen: instant,
  last_seen: instant,
  /** When its owner was last told: again only when it changes or the reminder is due. */
  notified_at: instant,
});
export type QueueEntry = z.infer<typeof queueEntrySchema>;

export const orderQueueSchema = z.looseObject({
  /** The start of the last run that finished: the next run pulls what changed since, less the overlap. */
  watermark: instant,
  entries: z.array(queueEntrySchema),
});
export type OrderQueue = z.infer<typeof orderQueueSchema>;

/** The newest watermark and every entry (a later state's entry wins) of whatever states the cache held. */
export function mergeQueues(states: readonly OrderQueue[]): {
  watermark: number | undefined;
  entries: Map<string, QueueEntry>;
} {
  let watermark: number | undefined;
  const entries = new Map<string, QueueEntry>();
  for (const state of states) {
    const at = Date.parse(state.watermark);
    if (watermark === undefined || at > watermark) watermark = at;
    for (const entry of state.entries) entries.set(entry.key, entry);
  }
  return { watermark, entries };
}

/**
 * A short, stable hash of a record's JSON (cyrb53: 53 bits, no dependency), so a purchase with no id still has one
 * queue entry however often it comes back.
 */
export function recordKey(record: unknown): string {
  const text = JSON.stringify(record) ?? 'undefined';
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `record:${(4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0')}`;
}
