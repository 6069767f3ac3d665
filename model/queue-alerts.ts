/**
 * Telling owners about a kept queue's entries, shared by the steps that keep one (keep-order-queue, keep-exception-
 * queue, keep-stock-queue): when an entry is due (first seen, its code or message changed, or its reminder due), the
 * digest that stands in for many alerts to one owner in one run, and the grouping of a stock flow's due entries (one
 * alert per code, owner and kind).
 */
import { fitNotifyVariable } from '../runtime/caps.js';
import type { Owner } from '../runtime/step.js';
import type { QueueEntry } from './order-queue.js';

const HOUR = 3_600_000;

/**
 * What one notify shape says about one entry (or a digest of many): its key (for the de-dupe filter of dismissed
 * entries), the owner whose group is told, and the texts the flow's message places. Patchworks cuts each variable to
 * 100 characters, so the steps cut each at a word boundary instead.
 */
export interface QueueAlert {
  key: string;
  owner: Owner;
  code: string;
  label: string;
  what: string;
  text: string;
}

/** Whether an entry is to be told now, and the times its new entry keeps. */
export interface Dueness {
  /** First seen, or its code or message differs from the entry kept. */
  changed: boolean;
  /** Kept and unchanged, and `reminder_hours` (0: never) have passed since its owner was told. */
  reminderDue: boolean;
  /** When the entry first waited, whatever its problem since. */
  firstSeen: string;
  notifiedAt: string;
}

export function dueness(
  before: QueueEntry | undefined,
  problem: { code: string; message: string },
  asOf: number,
  reminderHours: number,
): Dueness {
  const now = new Date(asOf).toISOString();
  const changed = before === undefined || before.code !== problem.code || before.message !== problem.message;
  const reminderDue =
    before !== undefined && reminderHours > 0 && asOf - Date.parse(before.notified_at) >= reminderHours * HOUR;
  return {
    changed,
    reminderDue,
    firstSeen: before?.first_seen ?? now,
    notifiedAt: changed || reminderDue ? now : before.notified_at,
  };
}

/** Codes counted, most first: `UNMAPPED_ACCOUNT ×12, NO_PO_NUMBER ×2`. */
export function codeCounts(items: ReadonlyArray<{ code: string }>): string {
  const counts = new Map<string, number>();
  for (const { code } of items) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code, count]) => `${code} ×${count}`)
    .join(', ');
}

/**
 * Past `above` alerts for one owner (0: never), that owner's alerts become one digest: the codes counted, the entries
 * named as far as a notify variable holds; `noun` names what is counted (`orders`), `what` what the digest says.
 */
export function digested(alerts: QueueAlert[], above: number, digest: { noun: string; what: string }): QueueAlert[] {
  if (above === 0) return alerts;
  const byOwner = new Map<Owner, QueueAlert[]>();
  for (const alert of alerts) byOwner.set(alert.owner, [...(byOwner.get(alert.owner) ?? []), alert]);
  return [...byOwner].flatMap(([owner, own]) =>
    own.length <= above
      ? own
      : [
          {
            key: `digest:${owner}`,
            owner,
            code: fitNotifyVariable(codeCounts(own)),
            label: `${own.length} ${digest.noun}`,
            what: digest.what,
            text: fitNotifyVariable(own.map((alert) => alert.label).join(', ')),
          },
        ],
  );
}

/**
 * One entry due to be told, before grouping (keep-stock-queue's `due_entries`): keyed by its queue entry's key, so the
 * flow's de-dupe shape can drop an entry an owner dismissed before group-due-alerts groups what is left.
 */
export interface DueEntry {
  key: string;
  owner: Owner;
  code: string;
  /** The kind of alert it goes in, e.g. `not published`, `still not published (since <day>)`, `notice`. */
  what: string;
  /** The entry as a person reads it, e.g. `MUG@warehouse-1`. */
  label: string;
  message: string;
}

/**
 * Due entries grouped one alert per code, owner and kind, in the order each group first appears, naming how many and
 * which (the first three) and the first message (and how many others): a refused batch of 500 rows is one alert.
 */
export function groupedAlerts(entries: readonly DueEntry[]): QueueAlert[] {
  const groups = new Map<string, { owner: Owner; code: string; what: string; labels: string[]; messages: string[] }>();
  for (const entry of entries) {
    const id = JSON.stringify([entry.code, entry.owner, entry.what]);
    const group = groups.get(id) ?? {
      owner: entry.owner,
      code: entry.code,
      what: entry.what,
      labels: [],
      messages: [],
    };
    group.labels.push(entry.label);
    if (!group.messages.includes(entry.message)) group.messages.push(entry.message);
    groups.set(id, group);
  }
  return [...groups.values()].map((group) => ({
    key: `${group.code}:${group.owner}:${group.what}`,
    owner: group.owner,
    code: group.code,
    label: fitNotifyVariable(
      `${group.labels.length} ${group.labels.length === 1 ? 'row' : 'rows'} (${group.labels.slice(0, 3).join(', ')}` +
        `${group.labels.length > 3 ? ', …' : ''})`,
    ),
    what: group.what,
    text: fitNotifyVariable(
      group.messages[0]! + (group.messages.length > 1 ? ` (and ${group.messages.length - 1} more)` : ''),
    ),
  }));
}
