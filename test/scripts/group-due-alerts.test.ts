// group-due-alerts: a stock flow's due entries, less those dismissed, as one alert per code, owner and kind.
import { describe, expect, it } from 'vitest';
import type { DueEntry } from '../../model/queue-alerts.js';
import { step } from '../../scripts/group-due-alerts/step.js';
import { run } from '../support/run.js';

type Alert = { key: string; owner: string; code: string; label: string; what: string; text: string };
const group = (entries: unknown[]) => {
  const { envelope, data } = run(step, { due_entries: entries });
  return { envelope, data, alerts: (envelope as unknown as { due_alerts: Alert[] }).due_alerts };
};
const refusedRow = (sku: string, message = 'Update SparkLayer stock: HTTP 400 Bad Request'): DueEntry => ({
  key: `row:${sku}@WH-EAST`,
  owner: 'integration',
  code: 'STOCK_BATCH_REFUSED',
  what: 'not published',
  label: `${sku}@WH-EAST`,
  message,
});

describe('group-due-alerts', () => {
  it('groups per code, owner and kind, naming how many and the first three: a refused batch is one alert', () => {
    const rows = Array.from({ length: 500 }, (_, i) => refusedRow(`SKU-${i}`));
    const reminder = { ...refusedRow('OLD'), what: 'still not published (since 2026-11-21)' };
    const notice: DueEntry = {
      key: 'notice:JUG@1',
      owner: 'operations',
      code: 'ARCHIVED_ITEM',
      what: 'notice',
      label: 'JUG@1',
      message: 'archived: published as 0',
    };
    const { envelope, alerts } = group([...rows, reminder, notice]);
    expect(envelope.records).toHaveLength(502);
    expect(alerts).toEqual([
      {
        key: 'STOCK_BATCH_REFUSED:integration:not published',
        owner: 'integration',
        code: 'STOCK_BATCH_REFUSED',
        label: '500 rows (SKU-0@WH-EAST, SKU-1@WH-EAST, SKU-2@WH-EAST, …)',
        what: 'not published',
        text: 'Update SparkLayer stock: HTTP 400 Bad Request',
      },
      expect.objectContaining({ what: 'still not published (since 2026-11-21)', label: '1 row (OLD@WH-EAST)' }),
      expect.objectContaining({ key: 'ARCHIVED_ITEM:operations:notice', owner: 'operations', label: '1 row (JUG@1)' }),
    ]);
  });

  it('names the first message and counts the others, each variable cut to what a notify shape holds', () => {
    const long = 'x'.repeat(300);
    const { alerts } = group([refusedRow('A', long), refusedRow('B', 'other'), refusedRow('C', long)]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.label).toBe('3 rows (A@WH-EAST, B@WH-EAST, C@WH-EAST)');
    expect(alerts[0]!.text.length).toBeLessThanOrEqual(100);
    const many = group(Array.from({ length: 3 }, (_, i) => refusedRow(`SKU-${'Y'.repeat(60)}-${i}`, `m${i}`)));
    expect(many.alerts[0]!.label.length).toBeLessThanOrEqual(100);
    expect(many.alerts[0]!.text).toBe('m0 (and 2 more)');
  });

  it('counts only the entries left: those the flow dropped as dismissed are neither counted nor named', () => {
    const { alerts } = group([refusedRow('B'), refusedRow('C')]);
    expect(alerts.map((alert) => alert.label)).toEqual(['2 rows (B@WH-EAST, C@WH-EAST)']);
  });

  it('tells nothing when nothing is due, or every entry was dismissed', () => {
    expect(group([]).alerts).toEqual([]);
  });

  it('keeps an entry it cannot read as an exception, told of nowhere, and groups the rest', () => {
    const { envelope, alerts } = group([{ key: 'row:X@WH-EAST', owner: 'nobody' }, refusedRow('A')]);
    expect(envelope.exceptions.map((e) => [e.id, e.code])).toEqual([['row:X@WH-EAST', 'INVALID_RECORD']]);
    expect(alerts.map((alert) => alert.label)).toEqual(['1 row (A@WH-EAST)']);
  });
});
