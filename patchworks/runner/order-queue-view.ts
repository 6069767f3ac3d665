/**
 * What `npm run queue` shows of an order flow's queue (model/order-queue.ts), as pure functions of the kept state and
 * a run's result: which flows keep one, the queue as the next run's plan-order-pull reads it, one line per order
 * waiting, and what a replay cleared and left waiting. queue-cli.ts reads the files and runs the flows.
 */
import {
  ORDER_QUEUE_CACHE,
  ORDER_QUEUE_KEY,
  readQueue,
  type QueueEntry,
  type UnreadableEntry,
} from '../../model/order-queue.js';
import { purchaseId } from '../../connectors/sparklayer/purchase.js';
import { walkShapes, type Blueprint } from '../blueprint/blueprint.js';
import type { Envelope } from '../../runtime/envelope.js';
import type { KeptCaches } from './caches.js';
import type { FlowRunResult } from './flow-runner.js';

/** The queue as the next run reads it: the newest watermark, and every entry (a later state's entry wins). */
export interface KeptQueue {
  /** None when no state holds a readable one: the next run looks back lookback_days. */
  watermark: string | undefined;
  entries: QueueEntry[];
  /** What the next run cannot read: keep-order-queue keeps each as a QUEUE_ENTRY_UNREADABLE entry. */
  unreadable?: UnreadableEntry[];
}

/** An order flow: a blueprint that saves an order queue in its flow cache (order-flow.ts, "Save the order queue"). */
export function keepsOrderQueue(blueprint: Blueprint): boolean {
  return [...walkShapes(blueprint.shapes)].some(
    (shape) => shape.type === 'add-to-cache' && shape.cache === ORDER_QUEUE_CACHE && shape.scope === 'flow',
  );
}

/** The queue in these cache payloads, read as the next run reads it (none when there are none); a payload that is not
 * JSON is an error naming `where`. */
export function queueOf(bodies: readonly string[], where: string): KeptQueue | undefined {
  if (bodies.length === 0) return undefined;
  const states = bodies.map((body) => {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new Error(
        `${where}: the kept order queue is not JSON (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    return json;
  });
  const { watermark, entries, unreadable } = readQueue(states);
  return {
    watermark: watermark === undefined ? undefined : new Date(watermark).toISOString(),
    entries: [...entries.values()],
    unreadable,
  };
}

/** The queue a flow kept (flow cache order-queue, key state), as its next run reads it. */
export function keptQueue(caches: KeptCaches, flowKey: string): KeptQueue | undefined {
  return queueOf(
    caches.read('flow', flowKey, ORDER_QUEUE_CACHE, ORDER_QUEUE_KEY),
    `${flowKey}, flow cache ${ORDER_QUEUE_CACHE} key ${ORDER_QUEUE_KEY}`,
  );
}

/** The queue a run wrote (what its add-to-cache shape kept), whether or not it was saved; none when the run did not get
 * that far. */
export function queueWritten(result: FlowRunResult): KeptQueue | undefined {
  return queueOf(
    result.caches[ORDER_QUEUE_CACHE]?.[ORDER_QUEUE_KEY] ?? [],
    `${result.flow}, the order queue this run wrote`,
  );
}

/** The purchases keep-order-queue passed on as booked (or found already booked) this run, by queue key. */
export function bookedIn(result: FlowRunResult): Set<string> {
  const booked = new Set<string>();
  for (const shape of result.shapes.filter((s) => s.step === 'keep-order-queue')) {
    for (const payload of shape.outputs) {
      const envelope = JSON.parse(payload.body) as Partial<Envelope>;
      for (const record of envelope.records ?? []) {
        const id = purchaseId(record);
        if (id !== null) booked.add(id);
      }
    }
  }
  return booked;
}

/** `2026-11-22 09:00` (UTC, to the minute): enough to tell runs 15 minutes apart. */
export function shortInstant(instant: string): string {
  return new Date(instant).toISOString().slice(0, 16).replace('T', ' ');
}

/** Text of at most `max` characters: whole, or cut at the last word boundary with "…". */
export function cutText(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const room = flat.slice(0, max - 1);
  const boundary = room.lastIndexOf(' ');
  return `${(boundary > max / 2 ? room.slice(0, boundary) : room).replace(/[\s,;:]+$/, '')}…`;
}

/** How much of a problem's message a line shows; `--json` has it whole. */
export const MESSAGE_CHARS = 80;

function columns(rows: readonly string[][], indent: string): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => {
    const cells = row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)));
    return `${indent}${cells.join('  ')}`.trimEnd();
  });
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** `npm run queue -- list` for one flow: its watermark, then one line per order waiting. */
export function formatQueue(flowKey: string, queue: KeptQueue | undefined): string[] {
  if (queue === undefined)
    return [`${flowKey}: no order queue kept (no run of this flow has finished with its state kept)`];
  const since =
    queue.watermark === undefined
      ? 'no readable watermark: the next run looks back lookback_days'
      : `watermark ${shortInstant(queue.watermark)} UTC: the next run pulls what changed since, less overlap_minutes`;
  const unread = (queue.unreadable ?? []).map(
    ({ reason }) => `  unreadable, kept for integration by the next run (QUEUE_ENTRY_UNREADABLE): ${reason}`,
  );
  if (queue.entries.length === 0) return [`${flowKey}: nothing waits (${since})`, ...unread];
  const rows = [
    ['order', 'code', 'owner', 'first seen', 'last seen', 'notified', 'next run', 'message', 'key (to dismiss)'],
    ...queue.entries.map((entry) => [
      entry.label,
      entry.code,
      entry.owner,
      shortInstant(entry.first_seen),
      shortInstant(entry.last_seen),
      shortInstant(entry.notified_at),
      entry.replay ? 'fed in again' : 'kept, not fed in',
      cutText(entry.message, MESSAGE_CHARS),
      entry.key,
    ]),
  ];
  return [
    `${flowKey}: ${plural(queue.entries.length, 'order waits', 'orders wait')} (${since})`,
    ...columns(rows, '  '),
    ...unread,
  ];
}

/** What one run did to a flow's queue: the entries it cleared, those still waiting, those it added. */
export interface QueueChange {
  /** False when the run did not get as far as keeping its queue: the kept one stands. */
  written: boolean;
  before: KeptQueue | undefined;
  after: KeptQueue | undefined;
  cleared: Array<{ entry: QueueEntry; booked: boolean }>;
  /** Each entry after the run, beside what it was before. */
  waiting: Array<{ entry: QueueEntry; was: QueueEntry }>;
  added: QueueEntry[];
}

export function queueChange(
  before: KeptQueue | undefined,
  written: KeptQueue | undefined,
  booked: ReadonlySet<string>,
): QueueChange {
  const after = written ?? before;
  const previous = new Map((before?.entries ?? []).map((entry) => [entry.key, entry]));
  const now = new Map((after?.entries ?? []).map((entry) => [entry.key, entry]));
  return {
    written: written !== undefined,
    before,
    after,
    cleared: [...previous.values()]
      .filter((entry) => !now.has(entry.key))
      .map((entry) => ({ entry, booked: booked.has(entry.key) })),
    waiting: [...now.values()].flatMap((entry) => {
      const was = previous.get(entry.key);
      return was ? [{ entry, was }] : [];
    }),
    added: [...now.values()].filter((entry) => !previous.has(entry.key)),
  };
}

/**
 * `npm run queue -- replay` for one flow: the run's summary line, then each order cleared, still waiting or new, and
 * the queue's size and watermark before and after. A `live` run saved nothing, so it says what it would have done.
 */
export function formatChange(summary: string, change: QueueChange, live: boolean): string[] {
  const lines = [summary];
  if (!change.written) {
    const waiting = plural(change.before?.entries.length ?? 0, 'order waits', 'orders wait');
    lines.push(`  the run did not get as far as keeping its queue: the kept queue stands as it was (${waiting})`);
    return lines;
  }
  const would = (now: string, then: string) => (live ? then : now);
  const rows: string[][] = [
    ...change.cleared.map(({ entry, booked }) => [
      would('cleared', 'would clear'),
      entry.label,
      entry.code,
      entry.owner,
      booked ? 'booked' : 'no longer a problem',
    ]),
    ...change.waiting.map(({ entry, was }) => {
      const codeWas = was.code === entry.code ? '' : ` (was ${was.code})`;
      const notFedIn = entry.replay ? '' : ', not fed in';
      return [
        would('still waits', 'would still wait'),
        entry.label,
        entry.code,
        entry.owner,
        `since ${shortInstant(entry.first_seen)}${codeWas}${notFedIn}: ${cutText(entry.message, MESSAGE_CHARS)}`,
      ];
    }),
    ...change.added.map((entry) => [
      would('new', 'would be new'),
      entry.label,
      entry.code,
      entry.owner,
      `${entry.replay ? '' : 'not fed in: '}${cutText(entry.message, MESSAGE_CHARS)}`,
    ]),
  ];
  if (rows.length > 0) lines.push(...columns(rows, '  '));
  const count = (queue: KeptQueue | undefined) =>
    queue === undefined
      ? 'none kept'
      : `${queue.entries.length} waiting, watermark ${queue.watermark ? shortInstant(queue.watermark) : 'none'}`;
  lines.push(
    `  queue before: ${count(change.before)}; ${would('after', 'this run would keep')}: ${count(change.after)}`,
  );
  return lines;
}

/**
 * The first instant after `after` at which a five-field cron schedule fires, for the minute and hour fields
 * Patchworks' schedule trigger uses (`*`, `N`, `*` + `/N`, in UTC); the day fields must be `*`. Undefined for any other
 * schedule.
 */
export function nextScheduledRun(after: string, schedule: string): string | undefined {
  const [minute, hour, ...days] = schedule.trim().split(/\s+/);
  if (minute === undefined || hour === undefined || days.length !== 3 || days.some((field) => field !== '*'))
    return undefined;
  const matchMinute = cronField(minute, 60);
  const matchHour = cronField(hour, 24);
  if (!matchMinute || !matchHour) return undefined;
  const start = Date.parse(after);
  if (Number.isNaN(start)) return undefined;
  let at = Math.floor(start / 60_000) * 60_000 + 60_000;
  for (let step = 0; step < 24 * 60; step += 1, at += 60_000) {
    const date = new Date(at);
    if (matchMinute(date.getUTCMinutes()) && matchHour(date.getUTCHours())) return date.toISOString();
  }
  return undefined;
}

function cronField(field: string, size: number): ((value: number) => boolean) | undefined {
  if (field === '*') return () => true;
  const every = /^\*\/(\d+)$/.exec(field)?.[1];
  if (every !== undefined && Number(every) > 0) return (value) => value % Number(every) === 0;
  if (/^\d+$/.test(field) && Number(field) < size) return (value) => value === Number(field);
  return undefined;
}
