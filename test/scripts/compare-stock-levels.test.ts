// compare-stock-levels and plan-stock-fetch, table by table: the daily stock check's two steps
// (blueprints/*-stock-check).
import { describe, expect, it } from 'vitest';
import { step } from '../../scripts/compare-stock-levels/step.js';
import { step as plan } from '../../scripts/plan-stock-fetch/step.js';
import type { Envelope } from '../../runtime/envelope.js';
import { run } from '../support/run.js';

const row = (sku: string, location: string, level: number) => ({
  sku,
  stock_location_external_id: location,
  stock_level: level,
});
const held = (sku: string, location: string, level: unknown) => ({
  sku,
  stock_location_id: `id-${location}`,
  stock_location_external_id: location,
  stock_level: level,
});
const compare = (records: unknown[], sparklayer: unknown[], variables: Record<string, string> = {}): Envelope =>
  run(step, { records, sparklayer }, { variables }).envelope;
const codes = (envelope: Envelope) => envelope.exceptions.map((e) => [e.id, e.code, e.owner]);

describe('compare-stock-levels', () => {
  // [what, the row, SparkLayer's level (undefined: none), tolerance, expected code (undefined: matches)]
  const table: Array<[string, number, number | undefined, string, string | undefined]> = [
    ['equal levels match', 12, 12, '0', undefined],
    ['0 and 0 match', 0, 0, '0', undefined],
    ['one more in SparkLayer differs at tolerance 0', 12, 13, '0', 'STOCK_DIFFERS'],
    ['one fewer in SparkLayer differs at tolerance 0', 12, 11, '0', 'STOCK_DIFFERS'],
    ['one more is within tolerance 1', 12, 13, '1', undefined],
    ['one fewer is within tolerance 1', 12, 11, '1', undefined],
    ['two more is beyond tolerance 1', 12, 14, '1', 'STOCK_DIFFERS'],
    ['a negative SparkLayer level differs from 0', 0, -2, '0', 'STOCK_DIFFERS'],
    ['no level in SparkLayer', 12, undefined, '0', 'STOCK_NOT_IN_SPARKLAYER'],
    ['no level in SparkLayer, whatever the tolerance, even for 0', 0, undefined, '99', 'STOCK_NOT_IN_SPARKLAYER'],
  ];
  it.each(table)('%s', (_what, expected, sparklayer, tolerance, code) => {
    const answer = sparklayer === undefined ? {} : { MUG: [held('MUG', 'warehouse-1', sparklayer)] };
    const envelope = compare([row('MUG', 'warehouse-1', expected)], [answer], { tolerance });
    expect(codes(envelope)).toEqual(code === undefined ? [] : [['MUG@warehouse-1', code, 'operations']]);
    expect(envelope.records).toEqual(code === undefined ? [row('MUG', 'warehouse-1', expected)] : []);
  });

  it('says both levels and the difference, and keeps them in details', () => {
    const [exception] = compare(
      [row('MUG', 'warehouse-1', 30)],
      [{ MUG: [held('MUG', 'warehouse-1', 25)] }],
    ).exceptions;
    expect(exception).toEqual({
      id: 'MUG@warehouse-1',
      step: 'compare-stock-levels',
      code: 'STOCK_DIFFERS',
      message: 'SparkLayer has 25, the back-end would publish 30 (difference -5, tolerance 0)',
      record: row('MUG', 'warehouse-1', 30),
      owner: 'operations',
      details: { sparklayer_level: 25, expected_level: 30, difference: -5 },
    });
  });

  it('compares each location of a SKU on its own, and ignores locations and SKUs no row names', () => {
    const envelope = compare(
      [row('MUG', 'warehouse-1', 30), row('MUG', 'warehouse-2', 12)],
      [
        {
          MUG: [held('MUG', 'warehouse-1', 30), held('MUG', 'warehouse-2', 10), held('MUG', 'default', 99)],
          OTHER: [held('OTHER', 'warehouse-1', 5)],
        },
      ],
    );
    expect(codes(envelope)).toEqual([['MUG@warehouse-2', 'STOCK_DIFFERS', 'operations']]);
    expect(envelope.summary['compare-stock-levels']).toEqual({ in: 2, records: 1, skipped: 0, exceptions: 1 });
  });

  it('reads the answer keyed by SKU, as an array of levels, or as an array of {sku, stock_levels} groups', () => {
    const rows = [row('A', 'w', 1), row('B', 'w', 2), row('C', 'w', 3)];
    const answers = [
      { A: [{ stock_location_external_id: 'w', stock_level: 1 }] },
      [held('B', 'w', 2)],
      [{ sku: 'C', stock_levels: [{ stock_location_external_id: 'w', stock_level: '3' }] }],
    ];
    expect(codes(compare(rows, answers))).toEqual([]);
  });

  it('keeps an unreadable SparkLayer level whole for integration, and does not compare its row', () => {
    const unreadable = held('MUG', 'warehouse-1', 2.5);
    const nameless = { stock_level: 4 };
    const envelope = compare(
      [row('MUG', 'warehouse-1', 2), row('JUG', 'warehouse-1', 0)],
      [{ MUG: [unreadable] }, [nameless], { JUG: [held('JUG', 'warehouse-1', 0)] }],
    );
    expect(envelope.exceptions.map((e) => [e.id, e.code, e.owner, e.message, e.record])).toEqual([
      [
        'sparklayer:MUG@warehouse-1',
        'SPARKLAYER_LEVEL_UNREADABLE',
        'integration',
        'a SparkLayer stock level for MUG@warehouse-1 cannot be read: stock_level 2.5 is not a whole number',
        unreadable,
      ],
      [null, 'SPARKLAYER_LEVEL_UNREADABLE', 'integration', 'a SparkLayer stock level cannot be read: no sku', nameless],
    ]);
    expect(envelope.skipped).toEqual([
      { id: 'MUG@warehouse-1', step: 'compare-stock-levels', reason: 'sparklayer-level-unreadable' },
    ]);
  });

  it('keeps a row it cannot read whole, as INVALID_RECORD, and compares the rest', () => {
    const broken = { sku: 'MUG', stock_location_external_id: 'warehouse-1', stock_level: 'twelve' };
    const envelope = compare([broken, row('JUG', 'warehouse-1', 0)], [{ JUG: [held('JUG', 'warehouse-1', 0)] }]);
    expect(envelope.exceptions).toEqual([
      expect.objectContaining({ id: 'MUG@warehouse-1', code: 'INVALID_RECORD', owner: 'integration', record: broken }),
    ]);
    expect(envelope.records).toEqual([row('JUG', 'warehouse-1', 0)]);
  });

  it('skips a repeated row, and with no answer at all reports every row not in SparkLayer', () => {
    const envelope = compare([row('MUG', 'w', 1), row('MUG', 'w', 1)], []);
    expect(codes(envelope)).toEqual([['MUG@w', 'STOCK_NOT_IN_SPARKLAYER', 'operations']]);
    expect(envelope.skipped.map((s) => s.reason)).toEqual(['repeat']);
  });
});

describe('plan-stock-fetch', () => {
  const bodies = (records: unknown[], variables: Record<string, string> = {}) =>
    (run(plan, { records }, { variables }).envelope as unknown as { requests: unknown[] }).requests;

  it('asks for each SKU once, at every stock location, in requests of skus_per_request', () => {
    const rows = [row('A', 'w1', 1), row('A', 'w2', 2), row('B', 'w1', 0), row('C', 'w1', 3)];
    expect(bodies(rows, { skus_per_request: '2' })).toEqual([
      { skus: ['A', 'B'], filter: { all_stock_locations: true } },
      { skus: ['C'], filter: { all_stock_locations: true } },
    ]);
    expect(bodies(rows)).toEqual([{ skus: ['A', 'B', 'C'], filter: { all_stock_locations: true } }]);
    expect(run(plan, { records: rows }).envelope.records).toEqual(rows);
  });

  it('plans no request for no rows, and keeps a row without a SKU whole', () => {
    expect(bodies([])).toEqual([]);
    const envelope = run(plan, { records: [{ stock_level: 1 }, row('A', 'w', 1)] }).envelope;
    expect(envelope.exceptions.map((e) => [e.code, e.record])).toEqual([['INVALID_RECORD', { stock_level: 1 }]]);
    expect((envelope as unknown as { requests: unknown[] }).requests).toEqual([
      { skus: ['A'], filter: { all_stock_locations: true } },
    ]);
  });
});
