/**
 * The order queue: what an order flow keeps between runs, in one entry of its flow cache `order-queue` (written by
 * keep-order-queue, read by plan-order-pull and `npm run queue`). The watermark is the start of the last run that
 * finished; each entry is an order that could not be booked, kept whole so the next run books it once it can.
 */
import * as z from 'zod';
import { parseInstant } from '../runtime/instant.js';
import { OWNERS, type Owner } from '../runtime/step.js';

/** The flow cache (flow scope) and its one key; a blueprint's add-to-cache and map shapes name them. */
export const ORDER_QUEUE_CACHE = 'order-queue';
export const ORDER_QUEUE_KEY = 'state';

const instant = z.iso.datetime({ offset: true });

/**
 * The most JSON an order queue may hold, in bytes (UTF-16 code units, as JSON.stringify counts): keep-order-queue
 * trims the oldest entries past it. Its payload carries each waiting order up to three times (the kept entry, the
 * order fed in again, the map step's exception), and Patchworks gives a script 512 MB of heap: at 50 MB (the flow
 * cache's size) that payload is about 140 MB and parsing it alone ran out of heap on Node 18 (npm run bench); at
 * 16 MB it is under 50 MB and the step stays within the bench's goal.
 */
export const QUEUE_MAX_BYTES = 16 * 1024 * 1024;

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

/** Why an entry could not be read, beside the entry as it was. */
export interface UnreadableEntry {
  raw: unknown;
  reason: string;
}

/** The queue as read back: the newest watermark, every readable entry (a later state's wins), and what was not read. */
export interface QueueRead {
  watermark: number | undefined;
  entries: Map<string, QueueEntry>;
  unreadable: UnreadableEntry[];
}

/**
 * Reads whatever the flow cache gave back, leniently, one entry at a time: an empty cache (`null`, nothing, `[]`) is no
 * queue; a state or an entry from an older version or edited by hand is read where its meaning is plain (an owner in
 * another case or with `_`, a time with no offset read as UTC, a missing label, message or replay flag) and otherwise
 * set aside with the reason, so one damaged entry never stops the others, the watermark or the save.
 */
export function readQueue(cached: unknown): QueueRead {
  const read: QueueRead = { watermark: undefined, entries: new Map(), unreadable: [] };
  const states = cached === null || cached === undefined ? [] : Array.isArray(cached) ? cached : [cached];
  for (const state of states) {
    if (state === null || typeof state !== 'object' || Array.isArray(state)) {
      read.unreadable.push({ raw: state, reason: 'a queue state that is not an object' });
      continue;
    }
    const { watermark, entries } = state as { watermark?: unknown; entries?: unknown };
    const at = parseInstant(watermark);
    if (at !== undefined && (read.watermark === undefined || at > read.watermark)) read.watermark = at;
    if (entries === undefined || entries === null) continue;
    if (!Array.isArray(entries)) {
      read.unreadable.push({ raw: entries, reason: 'the state\'s "entries" is not a list' });
      continue;
    }
    for (const raw of entries) {
      const entry = readEntry(raw);
      if (typeof entry === 'string') read.unreadable.push({ raw, reason: entry });
      else read.entries.set(entry.key, entry);
    }
  }
  return read;
}

const OWNER_SPELLINGS = new Map<string, Owner>(OWNERS.map((owner) => [owner, owner]));

/** The entry, read where its meaning is plain; else why not. */
function readEntry(raw: unknown): QueueEntry | string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return 'an entry that is not an object';
  const given = raw as Record<string, unknown>;
  const text = (name: string) => (typeof given[name] === 'string' ? (given[name] as string).trim() : '');
  const key = text('key');
  if (key === '') return 'the entry has no key';
  const code = text('code');
  if (code === '') return `entry ${key} has no code`;
  const owner = OWNER_SPELLINGS.get(text('owner').toLowerCase().replace(/[_-]+/g, ' '));
  if (owner === undefined)
    return `entry ${key}'s owner ${JSON.stringify(given.owner)} is not one of ${OWNERS.join(', ')}`;
  const times: Partial<Record<'first_seen' | 'last_seen' | 'notified_at', string>> = {};
  for (const name of ['first_seen', 'last_seen', 'notified_at'] as const) {
    if (given[name] === undefined || given[name] === null) continue;
    const at = parseInstant(given[name]);
    if (at === undefined) return `entry ${key}'s ${name} ${JSON.stringify(given[name])} is not a date-time`;
    times[name] = new Date(at).toISOString();
  }
  const firstSeen = times.first_seen ?? times.last_seen ?? times.notified_at;
  if (firstSeen === undefined) return `entry ${key} has no first_seen, last_seen or notified_at`;
  const record = given.record ?? null;
  return {
    ...given,
    key,
    label: text('label') || labelOf(record, key),
    code,
    owner,
    message: typeof given.message === 'string' ? given.message : '',
    record,
    replay: typeof given.replay === 'boolean' ? given.replay : record !== null && typeof record === 'object',
    first_seen: firstSeen,
    last_seen: times.last_seen ?? firstSeen,
    // Never told, as far as the entry says: due now.
    notified_at: times.notified_at ?? new Date(0).toISOString(),
  };
}

/** What a person calls the order: its visible number, else its id, else the record key; never empty. */
export function labelOf(record: unknown, key: string): string {
  const visible = (record as { purchase_identifiers?: { visible?: unknown } } | null)?.purchase_identifiers?.visible;
  if (typeof visible === 'string' && visible.trim() !== '') return visible.trim();
  return key.startsWith('record:') ? `with no id (${key})` : key;
}
