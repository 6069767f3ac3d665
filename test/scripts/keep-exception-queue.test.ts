// keep-exception-queue in-process: a flow that looks at everything each run hands it this run's problems beside the
// queue the last run kept; the credit-hold flow that runs it as built is in
// test/blueprints/netsuite-credit-hold-to-sparklayer.test.ts.
import { describe, expect, it } from 'vitest';
import { recordKey, type OrderQueue, type QueueEntry } from '../../model/order-queue.js';
import type { QueueAlert } from '../../model/queue-alerts.js';
import { step as keep } from '../../scripts/keep-exception-queue/step.js';
import { run } from '../support/run.js';

const T0 = '2026-11-22T09:00:00.000Z';
const HOUR_LATER = '2026-11-22T10:00:00.000Z';
const DAY_LATER = '2026-11-23T09:00:00.000Z';

const unknown = (id: string, message = `no SparkLayer customer has account ${id}`) => ({
  id,
  step: 'sync-credit-hold',
  code: 'UNKNOWN_CUSTOMER',
  owner: 'finance',
  message,
  record: { id, companyName: `Company ${id}` },
});
const refused = {
  error: 'HTTP 400 The customer group credit-hold does not exist.',
  shape: 'Put SparkLayer customer',
  record: { id: 'cust-1', group: 'credit-hold' },
};

type Written = { queue?: OrderQueue; due_alerts: QueueAlert[]; records: unknown[] };
/** One run of the step: this run's problems beside the kept queue (a list as the flow cache gives it back). */
const keepRun = (problems: unknown[], kept: unknown, asOf = T0, variables: Record<string, string> = {}) =>
  run(keep, { problems, ...(kept === undefined ? {} : { queue: kept }) }, { variables: { as_of: asOf, ...variables } })
    .envelope as unknown as Written;
/** The run after: the queue it wrote, as the next run's map shape reads it from the flow cache. */
const keptBy = (written: Written): unknown[] => [written.queue];
const alerts = (written: Written) => written.due_alerts.map((a) => [a.key, a.owner, a.code, a.what]);

describe('keep-exception-queue', () => {
  it.each([
    {
      name: 'a step exception is keyed by its id, labelled by it, owned as the envelope says',
      problems: [unknown('420')],
      entries: [['420', '420', 'UNKNOWN_CUSTOMER', 'finance']],
    },
    {
      name: "a refused write is keyed and labelled by its record's id, WRITE_REFUSED for integration",
      problems: [refused],
      entries: [['cust-1', 'cust-1', 'WRITE_REFUSED', 'integration']],
    },
    {
      name: 'an exception with no id is keyed by its record; the same problem twice is one entry',
      problems: [
        { ...unknown('x'), id: null },
        { ...unknown('x'), id: null },
      ],
      entries: [[recordKey(unknown('x').record), 'x', 'UNKNOWN_CUSTOMER', 'finance']],
    },
    {
      name: 'an exception with no owner goes to integration',
      problems: [{ ...unknown('7'), owner: undefined }],
      entries: [['7', '7', 'UNKNOWN_CUSTOMER', 'integration']],
    },
    {
      name: 'something that is neither is queued whole as PROBLEM_UNREADABLE',
      problems: [{ oops: true }],
      entries: [[recordKey({ oops: true }), recordKey({ oops: true }), 'PROBLEM_UNREADABLE', 'integration']],
    },
  ])('$name', ({ problems, entries }) => {
    const written = keepRun(problems, []);
    expect(written.queue!.watermark).toBe(T0);
    expect(written.queue!.entries.map((e) => [e.key, e.label, e.code, e.owner])).toEqual(entries);
    expect(written.queue!.entries.every((e) => e.replay === false && e.first_seen === T0)).toBe(true);
    // Every problem continues: the step queues, it raises nothing itself.
    expect(written.records).toHaveLength(problems.length);
    expect(written.due_alerts.map((a) => a.key)).toEqual(entries.map(([key]) => key));
  });

  it('keeps the refused message as shape and answer, and the record whole', () => {
    const [entry] = keepRun([refused], []).queue!.entries;
    expect(entry).toMatchObject({
      message: 'Put SparkLayer customer: HTTP 400 The customer group credit-hold does not exist.',
      record: refused.record,
    });
  });

  it('alerts once per problem: not again the next hour, again when its message changes', () => {
    const first = keepRun([unknown('420'), refused], []);
    expect(alerts(first)).toEqual([
      ['420', 'finance', 'UNKNOWN_CUSTOMER', 'new'],
      ['cust-1', 'integration', 'WRITE_REFUSED', 'new'],
    ]);
    const second = keepRun([unknown('420'), refused], keptBy(first), HOUR_LATER);
    expect(second.due_alerts).toEqual([]);
    expect(second.queue!.entries.map((e) => [e.first_seen, e.last_seen, e.notified_at])).toEqual([
      [T0, HOUR_LATER, T0],
      [T0, HOUR_LATER, T0],
    ]);
    const changed = keepRun([unknown('420', 'another reason'), refused], keptBy(second), '2026-11-22T11:00:00Z');
    expect(alerts(changed)).toEqual([['420', 'finance', 'UNKNOWN_CUSTOMER', 'new']]);
    expect(changed.queue!.entries[0]).toMatchObject({ first_seen: T0, notified_at: '2026-11-22T11:00:00.000Z' });
  });

  it('reminds every reminder_hours while the problem is seen; 0 never reminds', () => {
    const first = keepRun([unknown('420')], []);
    const day = keepRun([unknown('420')], keptBy(first), DAY_LATER);
    expect(alerts(day)).toEqual([['420', 'finance', 'UNKNOWN_CUSTOMER', 'still open (since 2026-11-22)']]);
    expect(day.queue!.entries[0]).toMatchObject({ first_seen: T0, notified_at: DAY_LATER });
    expect(keepRun([unknown('420')], keptBy(day), '2026-11-23T20:00:00Z').due_alerts).toEqual([]);
    expect(keepRun([unknown('420')], keptBy(first), DAY_LATER, { reminder_hours: '0' }).due_alerts).toEqual([]);
  });

  it('clears a problem not seen this run; it is new again if it comes back', () => {
    const first = keepRun([unknown('420'), unknown('421')], []);
    const second = keepRun([unknown('421')], keptBy(first), HOUR_LATER);
    expect(second.queue!.entries.map((e) => e.key)).toEqual(['421']);
    expect(second.due_alerts).toEqual([]);
    const none = keepRun([], keptBy(second), '2026-11-22T11:00:00Z');
    expect(none.queue).toEqual({ watermark: '2026-11-22T11:00:00.000Z', entries: [] });
    const back = keepRun([unknown('420')], keptBy(none), '2026-11-22T12:00:00Z');
    expect(alerts(back)).toEqual([['420', 'finance', 'UNKNOWN_CUSTOMER', 'new']]);
  });

  it('keeps an unreadable entry whole, alerts it once to integration, and keeps it run after run', () => {
    const damaged = { key: '99', code: 'UNKNOWN_CUSTOMER', owner: 'nobody', first_seen: T0 };
    const readable: QueueEntry = {
      key: '420',
      label: '420',
      code: 'UNKNOWN_CUSTOMER',
      owner: 'finance',
      message: 'no SparkLayer customer has account 420',
      record: unknown('420').record,
      replay: false,
      first_seen: T0,
      last_seen: T0,
      notified_at: T0,
    };
    const first = keepRun([unknown('420')], [{ watermark: T0, entries: [readable, damaged] }], HOUR_LATER);
    const key = `unreadable:${recordKey(damaged).slice('record:'.length)}`;
    expect(first.queue!.entries.map((e) => [e.key, e.code, e.owner])).toEqual([
      ['420', 'UNKNOWN_CUSTOMER', 'finance'],
      [key, 'QUEUE_ENTRY_UNREADABLE', 'integration'],
    ]);
    expect(first.queue!.entries[1]!.record).toEqual(damaged);
    expect(first.queue!.entries[1]!.message).toMatch(/owner "nobody" is not one of/);
    expect(alerts(first)).toEqual([[key, 'integration', 'QUEUE_ENTRY_UNREADABLE', 'new']]);
    // Not a problem the flow sees again, yet not gone: kept (and reminded) until an owner dismisses it.
    const second = keepRun([], keptBy(first), '2026-11-22T11:00:00Z');
    expect(second.queue!.entries.map((e) => [e.key, e.first_seen])).toEqual([[key, HOUR_LATER]]);
    expect(second.queue!.entries[0]!.record).toEqual(damaged);
    expect(second.due_alerts).toEqual([]);
  });

  it('writes no queue when the payload did not carry one, but still says what is due', () => {
    const written = keepRun([unknown('420')], undefined);
    expect(written.queue).toBeUndefined();
    expect(alerts(written)).toEqual([['420', 'finance', 'UNKNOWN_CUSTOMER', 'new']]);
  });

  it('sends one digest per owner past digest_above, and each alert at or below it', () => {
    const many = Array.from({ length: 12 }, (_, i) => unknown(String(100 + i)));
    const written = keepRun([...many, refused], []);
    expect(alerts(written)).toEqual([
      ['digest:finance', 'finance', 'UNKNOWN_CUSTOMER ×12', 'open (digest)'],
      ['cust-1', 'integration', 'WRITE_REFUSED', 'new'],
    ]);
    expect(written.due_alerts[0]!.label).toBe('12 problems');
    expect(written.due_alerts[0]!.text.startsWith('100, 101, 102')).toBe(true);
    expect(written.due_alerts[0]!.text.length).toBeLessThanOrEqual(100);
    // Every problem is still its own entry.
    expect(written.queue!.entries).toHaveLength(13);
    expect(keepRun(many, [], T0, { digest_above: '0' }).due_alerts).toHaveLength(12);
    expect(keepRun(many, [], T0, { digest_above: '12' }).due_alerts).toHaveLength(12);
  });
});
