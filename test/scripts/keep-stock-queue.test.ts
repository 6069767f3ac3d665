// keep-stock-queue: what SparkLayer holds after a run, the problems kept, and the entries due to be told, one per entry
// (group-due-alerts groups them per code, owner and kind, after the flow drops those dismissed).
import { describe, expect, it } from 'vitest';
import { step as groupDueAlerts } from '../../scripts/group-due-alerts/step.js';
import { step } from '../../scripts/keep-stock-queue/step.js';
import { run } from '../support/run.js';

const row = (sku: string, location: string, level: number) => ({
  sku,
  stock_location_external_id: location,
  stock_level: level,
});
const AT = '2026-11-22T09:15:00Z';
const refused = (...rows: Array<ReturnType<typeof row>>) => ({
  error: 'HTTP 400 Bad Request: stock location WH-EAST does not exist',
  shape: 'Update SparkLayer stock',
  record: rows,
});
const unmapped = {
  id: 'TSHIRT@9',
  code: 'UNMAPPED_LOCATION',
  owner: 'integration',
  message: 'location "9" is not in location_map',
  record: { sku: 'TSHIRT', location: '9', on_hand: '4' },
};
type Written = {
  published: Array<ReturnType<typeof row>>;
  queue: { watermark: string; entries: Array<Record<string, unknown>> };
  due_entries: Array<Record<string, string>>;
};
const keep = (payload: Record<string, unknown>, variables: Record<string, string> = {}) => {
  const { envelope, data } = run(step, payload, { variables: { as_of: AT, ...variables } });
  return { envelope, data, written: envelope as unknown as Written };
};
/** The alerts the flow tells of the due entries it keeps (none dismissed): group-due-alerts on them. */
const grouped = (written: Written) =>
  (
    run(groupDueAlerts, { due_entries: written.due_entries }).envelope as unknown as {
      due_alerts: Array<Record<string, string>>;
    }
  ).due_alerts;

describe('keep-stock-queue', () => {
  it('overlays the rows SparkLayer took on those published before, and leaves a refused row out of them', () => {
    const { envelope, written } = keep({
      sent: [row('MUG', 'WH-NORTH', 38)],
      published: [row('MUG', 'WH-NORTH', 40), row('SOAP', 'WH-NORTH', 5)],
      mapped: [{ exceptions: [], notices: [], unknown_stock_skus: [] }],
      refused: [refused(row('TOWEL', 'WH-EAST', 3))],
    });
    expect(envelope.records).toEqual([row('MUG', 'WH-NORTH', 38)]);
    expect(written.published).toEqual([row('MUG', 'WH-NORTH', 38), row('SOAP', 'WH-NORTH', 5)]);
    // The towel was never published: its row differs from `previous` next run, so it is sent again.
    expect(written.published.some((r) => r.sku === 'TOWEL')).toBe(false);
    expect(written.queue.entries.map((e) => [e.key, e.code, e.owner, e.replay])).toEqual([
      ['row:TOWEL@WH-EAST', 'STOCK_BATCH_REFUSED', 'integration', false],
    ]);
    expect(written.queue.entries[0]!.record).toEqual(row('TOWEL', 'WH-EAST', 3));
  });

  it('says each entry due by its key, so the flow can drop one dismissed; grouped, a big refusal is one alert', () => {
    const rows = Array.from({ length: 500 }, (_, i) => row(`SKU-${i}`, 'WH-EAST', i));
    const { written } = keep({
      sent: [],
      mapped: [
        {
          exceptions: [unmapped],
          notices: [{ id: 'JUG@1', code: 'ARCHIVED_ITEM', owner: 'operations', message: 'archived: published as 0' }],
          unknown_stock_skus: [
            { sku: 'SOAP', code: 'UNKNOWN_STOCK_SKU', owner: 'operations', message: 'no level backs SOAP' },
          ],
        },
      ],
      refused: [refused(...rows)],
    });
    expect(written.queue.entries).toHaveLength(502);
    // One per entry, keyed as the queue keys it (a notice, not queued, by its level): 500 rows, a level, a SKU,
    // a notice.
    expect(written.due_entries).toHaveLength(503);
    expect(written.due_entries[0]).toEqual({
      key: 'row:SKU-0@WH-EAST',
      owner: 'integration',
      code: 'STOCK_BATCH_REFUSED',
      what: 'not published',
      label: 'SKU-0@WH-EAST',
      message: 'Update SparkLayer stock: HTTP 400 Bad Request: stock location WH-EAST does not exist',
    });
    expect(written.due_entries.slice(500).map((e) => [e.key, e.code, e.owner, e.what])).toEqual([
      ['level:TSHIRT@9', 'UNMAPPED_LOCATION', 'integration', 'not published'],
      ['sku:SOAP', 'UNKNOWN_STOCK_SKU', 'operations', 'not published'],
      ['notice:JUG@1', 'ARCHIVED_ITEM', 'operations', 'notice'],
    ]);
    expect(grouped(written).map((a) => [a.code, a.owner, a.what, a.label])).toEqual([
      [
        'STOCK_BATCH_REFUSED',
        'integration',
        'not published',
        '500 rows (SKU-0@WH-EAST, SKU-1@WH-EAST, SKU-2@WH-EAST, …)',
      ],
      ['UNMAPPED_LOCATION', 'integration', 'not published', '1 row (TSHIRT@9)'],
      ['UNKNOWN_STOCK_SKU', 'operations', 'not published', '1 row (SOAP)'],
      ['ARCHIVED_ITEM', 'operations', 'notice', '1 row (JUG@1)'],
    ]);
    for (const alert of grouped(written)) expect(alert.label!.length + alert.text!.length).toBeLessThanOrEqual(200);
  });

  it('keeps first seen, tells again only when the reminder is due, and clears what this run no longer saw', () => {
    const first = keep({ sent: [], mapped: [{ exceptions: [unmapped] }], refused: [refused(row('T', 'WH-EAST', 1))] });
    const queue = [first.written.queue];
    const hourLater = keep(
      { sent: [], queue, mapped: [{ exceptions: [unmapped] }] },
      { as_of: '2026-11-22T10:15:00Z' },
    ).written;
    // The refused row went through this time (it is no longer refused): cleared. The location is still unmapped.
    expect(hourLater.queue.entries.map((e) => [e.key, e.first_seen, e.notified_at])).toEqual([
      ['level:TSHIRT@9', '2026-11-22T09:15:00.000Z', '2026-11-22T09:15:00.000Z'],
    ]);
    expect(hourLater.due_entries).toEqual([]);
    const dayLater = keep(
      { sent: [], queue: [hourLater.queue], mapped: [{ exceptions: [unmapped] }] },
      { as_of: '2026-11-23T09:15:00Z' },
    ).written;
    expect(dayLater.due_entries.map((e) => [e.key, e.what])).toEqual([
      ['level:TSHIRT@9', 'still not published (since 2026-11-22)'],
    ]);
    expect(dayLater.queue.entries[0]!.notified_at).toBe('2026-11-23T09:15:00.000Z');
    const changed = keep(
      { sent: [], queue: [hourLater.queue], mapped: [{ exceptions: [{ ...unmapped, message: 'other' }] }] },
      { as_of: '2026-11-22T11:15:00Z' },
    ).written;
    expect(changed.due_entries.map((e) => [e.what, e.message])).toEqual([['not published', 'other']]);
  });

  it('keeps the last queue when nothing says what became of the levels', () => {
    const first = keep({ sent: [], mapped: [{ exceptions: [unmapped] }] }).written;
    const blind = keep({ sent: [], queue: [first.queue] }, { as_of: '2026-11-22T10:15:00Z' }).written;
    expect(blind.queue.entries).toEqual(first.queue.entries);
    expect(blind.due_entries).toEqual([]);
  });

  it('reads kept state leniently: a published row it cannot read is sent again, a damaged entry set aside', () => {
    const { written } = keep({
      sent: [],
      published: [{ sku: 'MUG', stock_level: 'x' }, row('SOAP', 'WH-NORTH', 5), null],
      queue: [{ watermark: 'not a time', entries: [{ key: 'level:JUG@1' }, 'junk'] }],
      mapped: [{ exceptions: [unmapped] }],
    });
    // The unreadable row is left out: next run's previous lacks it, so its pair is sent again (overwriting is safe).
    expect(written.published).toEqual([row('SOAP', 'WH-NORTH', 5)]);
    expect(written.queue.entries.map((e) => e.key)).toEqual(['level:TSHIRT@9']);
  });

  it('keeps unreadable entries whole when nothing says what became of the levels', () => {
    const damaged = { key: 'level:JUG@1' };
    const { written } = keep({ sent: [], queue: [{ watermark: AT, entries: [damaged] }] });
    expect(written.queue.entries).toEqual([damaged]);
  });

  it('reads the order-queue owner spellings readQueue accepts, and keeps first seen', () => {
    const first = keep({ sent: [], mapped: [{ exceptions: [unmapped] }] }).written;
    const edited = { ...first.queue, entries: first.queue.entries.map((e) => ({ ...e, owner: 'INTEGRATION' })) };
    const next = keep(
      { sent: [], queue: edited, mapped: [{ exceptions: [unmapped] }] },
      { as_of: '2026-11-22T10:15:00Z' },
    ).written;
    expect(next.queue.entries.map((e) => [e.owner, e.first_seen])).toEqual([
      ['integration', '2026-11-22T09:15:00.000Z'],
    ]);
    expect(next.due_entries).toEqual([]);
  });
});
