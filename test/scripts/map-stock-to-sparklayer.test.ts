/**
 * map-stock-to-sparklayer, rule by rule (pack-contract §5): each table runs in-process, and the whole table again
 * through the built bundle on Node 18 (the file Patchworks runs), which must answer exactly as in-process.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stockUpdateBatchSchema } from '../../connectors/sparklayer/schemas.js';
import { findNode18, NODE18_PLATFORM_SUPPORTED, runBundle } from '../../patchworks/runner/run-bundle.js';
import { runStep } from '../../runtime/step.js';
import { step } from '../../scripts/map-stock-to-sparklayer/step.js';
import { run } from '../support/run.js';
import { ROOT } from '../support/steps.js';

type Level = Record<string, unknown>;
const level = (sku: string, location: string, on_hand: unknown, extra: Level = {}): Level => ({
  sku,
  location,
  on_hand,
  product_id: '41',
  source: 'lightspeed-r',
  ...extra,
});

interface Case {
  name: string;
  records: Level[];
  variables?: Record<string, string>;
  beside?: Record<string, unknown>;
  /** Rows as `SKU@location=level`. */
  rows: string[];
  skipped?: string[];
  exceptions?: string[];
  /** Levels all of whose rows are as last published: they pass with no rows, counted in meta. */
  unchanged?: number;
}

const UNITS = JSON.stringify({ 'MUG-CASE12': 'MUG*12', 'MUG-CASE6': 'MUG*6' });
const LOCATIONS = JSON.stringify({ '1': 'WH-NORTH', '2': 'WH-NORTH', '3': 'WH-SOUTH' });

const LEVEL_CASES: Case[] = [
  { name: 'on_hand when available is absent', records: [level('MUG', '1', '12')], rows: ['MUG@1=12'] },
  {
    name: 'available wins over on_hand',
    records: [level('MUG', '1', '12', { available: '10' })],
    rows: ['MUG@1=10'],
  },
  { name: 'a number is read as a decimal', records: [level('MUG', '1', 7)], rows: ['MUG@1=7'] },
  {
    name: 'stock_buffer is subtracted',
    records: [level('MUG', '1', '12')],
    variables: { stock_buffer: '2' },
    rows: ['MUG@1=10'],
  },
  {
    name: 'a buffer above the level floors at 0',
    records: [level('MUG', '1', '1')],
    variables: { stock_buffer: '5' },
    rows: ['MUG@1=0'],
  },
  { name: 'a negative level publishes 0', records: [level('MUG', '1', '-3')], rows: ['MUG@1=0'] },
  { name: 'a fractional level floors', records: [level('MUG', '1', '4.75')], rows: ['MUG@1=4'] },
  { name: 'a fraction just under 1 is 0', records: [level('MUG', '1', 0.999999)], rows: ['MUG@1=0'] },
  // Exact decimals: Big's div rounds at 20 places, so 24 nines once came back as 5.
  ...(
    [
      ['4.99999999999999999999', '0', '4'],
      ['4.999999999999999999999999', '0', '4'],
      ['5.00000000000000000001', '0', '5'],
      ['5.00000000000000000001', '5', '0'],
      ['7.999999999999999999999999999', '2', '5'],
      ['-0', '0', '0'],
      ['0007.5', '0', '7'],
    ] as const
  ).map(([onHand, buffer, published]): Case => ({
    name: `${onHand} less a buffer of ${buffer} floors to ${published}, exactly`,
    records: [level('MUG', '1', onHand)],
    variables: { stock_buffer: buffer },
    rows: [`MUG@1=${published}`],
  })),
  {
    name: 'levels that add up across locations stay exact before the floor',
    records: [level('MUG', '1', '2.99999999999999999999999'), level('MUG', '2', '0.00000000000000000000001')],
    variables: { location_map: LOCATIONS },
    rows: ['MUG@WH-NORTH=3'],
  },
];

const PACK_CASES: Case[] = [
  {
    name: 'the base and each pack get a row: floor(level / N)',
    records: [level('MUG', '1', '40')],
    variables: { unit_map: UNITS },
    rows: ['MUG@1=40', 'MUG-CASE12@1=3', 'MUG-CASE6@1=6'],
  },
  {
    name: 'the buffer comes off before the pack division',
    records: [level('MUG', '1', '13')],
    variables: { unit_map: UNITS, stock_buffer: '2' },
    rows: ['MUG@1=11', 'MUG-CASE12@1=0', 'MUG-CASE6@1=1'],
  },
  {
    name: 'a pack floors exactly: 35.999…9 eaches is 2 cases of 12, and 3.6 cases of 1.5 units hold 2',
    records: [level('MUG', '1', '35.9999999999999999999999999'), level('JUG', '1', '3.6')],
    variables: { unit_map: JSON.stringify({ 'MUG-CASE12': 'MUG*12', 'JUG-PACK': 'JUG*1.5' }) },
    rows: ['MUG@1=35', 'MUG-CASE12@1=2', 'JUG@1=3', 'JUG-PACK@1=2'],
  },
  {
    name: '`*12` (the same SKU sold in twelves) publishes that SKU once, in packs',
    records: [level('MUG', '1', '30')],
    variables: { unit_map: JSON.stringify({ MUG: '*12' }) },
    rows: ['MUG@1=2'],
  },
  {
    name: 'a rename (`ALIAS,ERP-SKU`) publishes both names at the same level',
    records: [level('ERP-9', '1', '5')],
    variables: { unit_map: JSON.stringify({ 'SL-9': 'ERP-9' }) },
    rows: ['ERP-9@1=5', 'SL-9@1=5'],
  },
  {
    name: 'a back-end SKU whose name unit_map gives to another SKU backs nothing itself',
    records: [level('MUG-CASE12', '1', '99')],
    variables: { unit_map: UNITS },
    rows: [],
    skipped: ['MUG-CASE12@1:unit_map:MUG-CASE12'],
  },
  {
    name: 'the pack rows of a base at two locations add up per location',
    records: [level('MUG', '1', '7'), level('MUG', '2', '5')],
    variables: { unit_map: UNITS, location_map: LOCATIONS },
    rows: ['MUG@WH-NORTH=12', 'MUG-CASE12@WH-NORTH=1', 'MUG-CASE6@WH-NORTH=2'],
  },
];

const ARCHIVED_CASES: Case[] = [
  {
    name: 'archived (default archived_action=zero): 0, base and packs, with a notice',
    records: [level('MUG', '1', '40', { archived: true })],
    variables: { unit_map: UNITS },
    rows: ['MUG@1=0', 'MUG-CASE12@1=0', 'MUG-CASE6@1=0'],
  },
  {
    name: 'archived_action=exception: not published, an exception',
    records: [level('MUG', '1', '40', { archived: true })],
    variables: { archived_action: 'exception' },
    rows: [],
    exceptions: ['MUG@1:ARCHIVED_ITEM'],
  },
  {
    name: 'an archived record at one of two locations feeding a row zeroes the row',
    records: [level('MUG', '1', '4'), level('MUG', '2', '6', { archived: true })],
    variables: { location_map: LOCATIONS },
    rows: ['MUG@WH-NORTH=0'],
  },
  {
    name: 'archived_action=exception: another location feeding the same row is held back with it',
    records: [level('MUG', '1', '4'), level('MUG', '2', '6', { archived: true }), level('MUG', '3', '5')],
    variables: { location_map: LOCATIONS, archived_action: 'exception' },
    rows: ['MUG@WH-SOUTH=5'],
    skipped: ['MUG@1:held-back:archived'],
    exceptions: ['MUG@2:ARCHIVED_ITEM'],
  },
  {
    name: 'archived_action=exception: held back whatever the order, packs included',
    records: [level('MUG', '2', '6', { archived: true }), level('MUG', '1', '40')],
    variables: { location_map: LOCATIONS, archived_action: 'exception', unit_map: UNITS },
    rows: [],
    skipped: ['MUG@1:held-back:archived'],
    exceptions: ['MUG@2:ARCHIVED_ITEM'],
  },
  {
    name: 'archived_action=exception: an archived record with a bad quantity still holds the row back',
    records: [level('MUG', '1', '4'), level('MUG', '2', 'lots', { archived: true })],
    variables: { location_map: LOCATIONS, archived_action: 'exception' },
    rows: [],
    skipped: ['MUG@1:held-back:archived'],
    exceptions: ['MUG@2:INVALID_QUANTITY'],
  },
  {
    name: 'archived_action=zero: an archived record with a bad quantity still zeroes the row',
    records: [level('MUG', '1', '4'), level('MUG', '2', 'lots', { archived: true })],
    variables: { location_map: LOCATIONS },
    rows: ['MUG@WH-NORTH=0'],
    exceptions: ['MUG@2:INVALID_QUANTITY'],
  },
  {
    name: 'archived_action=exception: another SKU at the same location is not held back',
    records: [level('MUG', '1', '4', { archived: true }), level('BOWL', '2', '3')],
    variables: { location_map: LOCATIONS, archived_action: 'exception' },
    rows: ['BOWL@WH-NORTH=3'],
    exceptions: ['MUG@1:ARCHIVED_ITEM'],
  },
  {
    name: 'a family parent never publishes',
    records: [level('TSHIRT', '1', '5', { has_variants: true })],
    rows: [],
    skipped: ['TSHIRT@1:variant-parent'],
  },
];

const LOCATION_CASES: Case[] = [
  {
    name: 'location_map unset: the location passes through',
    records: [level('MUG', 'OUT-7', '3')],
    rows: ['MUG@OUT-7=3'],
  },
  {
    name: 'location_map set: the location is mapped',
    records: [level('MUG', '3', '3')],
    variables: { location_map: LOCATIONS },
    rows: ['MUG@WH-SOUTH=3'],
  },
  {
    name: 'location_map set: an unmapped location is an exception',
    records: [level('MUG', '9', '3'), level('MUG', '1', '2')],
    variables: { location_map: LOCATIONS },
    rows: ['MUG@WH-NORTH=2'],
    exceptions: ['MUG@9:UNMAPPED_LOCATION'],
  },
  {
    name: 'two back-end locations feeding one SparkLayer location add up (then the buffer, once)',
    records: [level('MUG', '1', '30'), level('MUG', '2', '10'), level('MUG', '3', '4')],
    variables: { location_map: LOCATIONS, stock_buffer: '1' },
    rows: ['MUG@WH-NORTH=39', 'MUG@WH-SOUTH=3'],
  },
  {
    name: 'a negative location counts against the other in the sum',
    records: [level('MUG', '1', '-3'), level('MUG', '2', '10')],
    variables: { location_map: LOCATIONS },
    rows: ['MUG@WH-NORTH=7'],
  },
];

const PAIR_CASES: Case[] = [
  {
    name: 'one back-end record repeated (offset paging) is skipped, never added twice',
    records: [level('MUG', '1', '5'), level('MUG', '1', '5')],
    rows: ['MUG@1=5'],
    skipped: ['MUG@1:duplicate'],
  },
  {
    name: 'a control character in a SKU or location is INVALID_RECORD: two such pairs never merge',
    records: [level('A\u0000B', '1', '3'), level('A', 'B\u00001', '4'), level('A', 'B', '5', { source: '\u0000' })],
    rows: ['A@B=5'],
    exceptions: ['A\u0000B@1:INVALID_RECORD', 'A@B\u00001:INVALID_RECORD'],
  },
  {
    name: 'padding around a SKU is trimmed, a control character inside is refused',
    records: [level('MUG\r\n', '1', '3'), level('MUG\u001b[31m', '1', '4'), level('MUG\u0085', '1', '1')],
    rows: ['MUG@1=3'],
    exceptions: ['MUG\u001b[31m@1:INVALID_RECORD', 'MUG\u0085@1:INVALID_RECORD'],
  },
  {
    name: 'separator-like characters in a SKU or location never merge two pairs',
    records: [level('A@B', '1', '3'), level('A', 'B@1', '4'), level('["A","B"]', '1', '1'), level('A', '"B', '2')],
    rows: ['A@B@1=3', 'A@B@1=4', '["A","B"]@1=1', 'A@"B=2'],
  },
  {
    name: 'the same SKU and location from two back-ends add up to one row',
    records: [level('MUG', '1', '5'), level('MUG', '1', '2', { source: 'lightspeed-x' })],
    rows: ['MUG@1=7'],
  },
];

const OPEN_ORDER_CASES: Case[] = [
  {
    name: 'subtract_open_orders unset (no): open orders are ignored',
    records: [level('MUG', '1', '10')],
    beside: { open_orders: [{ sku: 'MUG', location: '1', quantity: '4' }] },
    rows: ['MUG@1=10'],
  },
  {
    name: 'subtract_open_orders=yes: subtracted per back-end SKU and location, summed',
    records: [level('MUG', '1', '10'), level('MUG', '2', '10')],
    variables: { subtract_open_orders: 'yes' },
    beside: {
      open_orders: [
        { sku: 'MUG', location: '1', quantity: '4' },
        { sku: 'MUG', location: '1', quantity: 1 },
        { sku: 'MUG', location: '3', quantity: '9' },
      ],
    },
    rows: ['MUG@1=5', 'MUG@2=10'],
  },
  {
    name: 'subtract_open_orders=yes: more committed than held floors at 0',
    records: [level('MUG', '1', '3')],
    variables: { subtract_open_orders: 'yes' },
    beside: { open_orders: [{ sku: 'MUG', location: '1', quantity: '4' }] },
    rows: ['MUG@1=0'],
  },
];

const DELTA_CASES: Case[] = [
  {
    name: 'a row at the level last published is left out: the level passes with no rows, counted unchanged',
    records: [level('MUG', '1', '5'), level('BOWL', '1', '3')],
    beside: { previous: [{ sku: 'MUG', stock_location_external_id: '1', stock_level: 5 }] },
    rows: ['BOWL@1=3'],
    unchanged: 1,
  },
  {
    name: 'a changed level is published',
    records: [level('MUG', '1', '5')],
    beside: { previous: [{ sku: 'MUG', stock_location_external_id: '1', stock_level: 6 }] },
    rows: ['MUG@1=5'],
  },
  {
    name: 'only the changed rows of a record with packs are published',
    records: [level('MUG', '1', '40')],
    variables: { unit_map: UNITS },
    beside: { previous: [{ sku: 'MUG-CASE12', stock_location_external_id: '1', stock_level: 3 }] },
    rows: ['MUG@1=40', 'MUG-CASE6@1=6'],
  },
  {
    name: 'an archived item already at 0 is unchanged',
    records: [level('MUG', '1', '40', { archived: true })],
    beside: { previous: [{ sku: 'MUG', stock_location_external_id: '1', stock_level: '0' }] },
    rows: [],
    unchanged: 1,
  },
];

const GUARD_CASES: Case[] = [
  ...[
    ['text', 'twelve'],
    ['"NaN"', 'NaN'],
    ['"Infinity"', 'Infinity'],
    ['an exponent', '1e3'],
    ['huge text', '1000000001'],
    ['a huge number', 5e15],
    ['blank', ' '],
    ['a plus sign', '+5'],
    ['a plus sign and a point', '+.5'],
    ['a leading space', ' 5'],
    ['a trailing space', '5 '],
    ['an exponent of a decimal', '5e2'],
    ['hex', '0x10'],
    ['digit separators', '1_000'],
    ['a thousands comma', '1,000'],
    ['a bare trailing point', '5.'],
    ['a bare leading point', '.5'],
    ['"-Infinity"', '-Infinity'],
    ['a unicode digit', '٥'],
    ['41 characters', `1.${'0'.repeat(39)}`],
  ].map(([what, value]): Case => ({
    name: `on_hand ${what} is INVALID_QUANTITY`,
    records: [level('MUG', '1', value), level('BOWL', '1', '2')],
    rows: ['BOWL@1=2'],
    exceptions: ['MUG@1:INVALID_QUANTITY'],
  })),
  {
    name: 'a bad available is INVALID_QUANTITY even with a good on_hand',
    records: [level('MUG', '1', '3', { available: 'lots' })],
    rows: [],
    exceptions: ['MUG@1:INVALID_QUANTITY'],
  },
  {
    name: 'on_hand of another type is INVALID_QUANTITY',
    records: [level('MUG', '1', true)],
    rows: [],
    exceptions: ['MUG@1:INVALID_QUANTITY'],
  },
  {
    name: 'no SKU is INVALID_RECORD',
    records: [{ location: '1', on_hand: '3' }],
    rows: [],
    exceptions: ['null:INVALID_RECORD'],
  },
];

const TABLES: Array<[string, Case[]]> = [
  ['the level', LEVEL_CASES],
  ['packs (unit_map, in reverse)', PACK_CASES],
  ['archived, deleted or inactive items, and family parents', ARCHIVED_CASES],
  ['locations (location_map)', LOCATION_CASES],
  ['one row per SKU and location', PAIR_CASES],
  ['open orders', OPEN_ORDER_CASES],
  ['delta against previous', DELTA_CASES],
  ['guards on quantities', GUARD_CASES],
];
const ALL_CASES = TABLES.flatMap(([, cases]) => cases);

const dataFor = (c: Case) => ({
  payload: JSON.stringify({ records: c.records, ...c.beside }),
  variables: c.variables ?? {},
});

function check(c: Case, envelope: ReturnType<typeof run>['envelope'], meta: Record<string, unknown>): void {
  const rows = envelope.records as Array<{ sku: string; stock_location_external_id: string; stock_level: number }>;
  expect(rows.map((r) => `${r.sku}@${r.stock_location_external_id}=${r.stock_level}`)).toEqual(c.rows);
  expect(envelope.skipped.map((s) => `${s.id}:${s.reason}`)).toEqual(c.skipped ?? []);
  expect(envelope.exceptions.map((e) => `${e.id}:${e.code}`)).toEqual(c.exceptions ?? []);
  // What SparkLayer takes: the connector's schema, whole numbers of 0 or more, no pair twice.
  expect(stockUpdateBatchSchema.safeParse(rows).success).toBe(true);
  for (const row of rows) expect(Number.isSafeInteger(row.stock_level) && row.stock_level >= 0).toBe(true);
  const pairs = rows.map((r) => `${r.sku}\u0000${r.stock_location_external_id}`);
  expect(new Set(pairs).size).toBe(pairs.length);
  const summary = envelope.summary['map-stock-to-sparklayer']!;
  expect(summary.in).toBe(c.records.length);
  expect(summary.records + summary.skipped + summary.exceptions).toBe(summary.in);
  expect(meta.map_stock_to_sparklayer_unchanged).toBe(String(c.unchanged ?? 0));
  // The rows last published are read here and handed on to nothing.
  expect(envelope).not.toHaveProperty('previous');
}

describe('map-stock-to-sparklayer', () => {
  describe.each(TABLES)('%s', (_title, cases) => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const { envelope, data } = run(step, { records: c.records, ...c.beside }, { variables: c.variables ?? {} });
      check(c, envelope, data.meta as Record<string, unknown>);
    });
  });

  it('writes exactly the vendor fields, and counts rows apart from stock levels', () => {
    const { envelope, data } = run(step, [level('MUG', '1', '40')], { variables: { unit_map: UNITS } });
    expect(envelope.records[0]).toStrictEqual({ sku: 'MUG', stock_location_external_id: '1', stock_level: 40 });
    expect(data.meta).toMatchObject({ map_stock_to_sparklayer_records: '1', map_stock_to_sparklayer_rows: '3' });
  });

  it('reports ARCHIVED_ITEM as a notice to operations on the 0 row', () => {
    const { envelope } = run(step, [level('MUG', '1', '40', { archived: true })]);
    expect(envelope.notices).toEqual([
      expect.objectContaining({ id: 'MUG@1', code: 'ARCHIVED_ITEM', owner: 'operations' }),
    ]);
  });

  it('names the field in an INVALID_QUANTITY message', () => {
    const { envelope } = run(step, [level('MUG', '1', '3', { available: 'lots' }), level('BOWL', '1', 'NaN')]);
    expect(envelope.exceptions.map((e) => e.message)).toEqual([
      'available is "lots", not a plain decimal number',
      'on_hand is "NaN", not a plain decimal number',
    ]);
    // JSON 1e400 reads as Infinity, a number that is not finite.
    const { envelope: infinite } = run(step, '[{"sku":"MUG","location":"1","on_hand":1e400}]');
    expect(infinite.exceptions[0]).toMatchObject({
      code: 'INVALID_QUANTITY',
      message: expect.stringMatching(/^on_hand/),
    });
    expect(JSON.stringify(infinite.records)).not.toContain('Infinity');
  });

  it.each(['+5', ' 5', '5e2', '0x10', '1_000', 'Infinity'])(
    'names the field and value of %j, and never fails the others',
    (value) => {
      const { envelope } = run(step, [level('MUG', '1', '3', { available: value }), level('BOWL', '1', '2')]);
      expect(envelope.exceptions.map((e) => [e.id, e.code, e.message])).toEqual([
        ['MUG@1', 'INVALID_QUANTITY', `available is ${JSON.stringify(value)}, not a plain decimal number`],
      ]);
      expect(envelope.records).toEqual([{ sku: 'BOWL', stock_location_external_id: '1', stock_level: 2 }]);
    },
  );

  it('names the field and the value of a SKU or location with a control character', () => {
    const { envelope } = run(step, [level('MUG\u0000X', '1', '3'), level('MUG', '1\u0007', '3')]);
    expect(envelope.exceptions.map((e) => e.message)).toEqual([
      'sku: "MUG\\u0000X" contains a control character (U+0000); a SparkLayer SKU or stock location must not',
      'location: "1\\u0007" contains a control character (U+0007); a SparkLayer SKU or stock location must not',
    ]);
  });

  it('says which rows an archived item held back (archived_action=exception)', () => {
    const { envelope } = run(step, [level('MUG', '2', '6', { archived: true })], {
      variables: { location_map: LOCATIONS, archived_action: 'exception', unit_map: UNITS },
    });
    expect(envelope.exceptions[0]!.message).toBe(
      'MUG is archived in the back-end: MUG, MUG-CASE12, MUG-CASE6 at WH-NORTH not published, ' +
        "nor any other location's stock feeding it (SparkLayer keeps the last level)",
    );
  });

  it('refuses a control character in a published name from a setting, naming it', () => {
    expect(() => run(step, [], { variables: { location_map: JSON.stringify({ '1': 'WH\u0000N' }) } })).toThrow(
      /location_map.*"WH\\u0000N" holds a control character/,
    );
    expect(() => run(step, [], { variables: { unit_map: JSON.stringify({ 'MUG\u0000C': 'MUG*12' }) } })).toThrow(
      /unit_map.*"MUG\\u0000C" holds a control character/,
    );
  });

  it('reports an expected SparkLayer SKU with no back-end stock as UNKNOWN_STOCK_SKU, never as a 0 row', () => {
    const { envelope, data } = run(
      step,
      { records: [level('MUG', '1', '40')], expected_skus: ['MUG', 'MUG-CASE12', 'SOAP', 'SOAP', 'MUG-CASE6'] },
      { variables: { unit_map: JSON.stringify({ 'MUG-CASE12': 'MUG*12' }) } },
    );
    expect(envelope.records.map((r) => (r as { sku: string }).sku)).toEqual(['MUG', 'MUG-CASE12']);
    const unknown = (envelope as unknown as { unknown_stock_skus: Array<Record<string, string>> }).unknown_stock_skus;
    expect(unknown.map(({ sku, code, owner }) => ({ sku, code, owner }))).toEqual([
      { sku: 'SOAP', code: 'UNKNOWN_STOCK_SKU', owner: 'operations' },
      { sku: 'MUG-CASE6', code: 'UNKNOWN_STOCK_SKU', owner: 'operations' },
    ]);
    expect(data.meta?.map_stock_to_sparklayer_unknown_stock_skus).toBe('2');
    expect(data.logs?.[0]).toContain('unknown stock skus 2');
    // What rode beside is carried forward.
    expect((envelope as unknown as { expected_skus: string[] }).expected_skus).toHaveLength(5);
  });

  it('fails the whole step, naming the field, for an open order with a negative or unreadable quantity', () => {
    for (const quantity of ['-1', 'x', 1e12]) {
      expect(() =>
        run(step, { records: [level('MUG', '1', '3')], open_orders: [{ sku: 'MUG', location: '1', quantity }] }),
      ).toThrow(/^map-stock-to-sparklayer: the data beside the records is malformed at open_orders\[0\]\.quantity/);
    }
  });

  it('refuses an unknown archived_action or subtract_open_orders, and a bad unit_map row', () => {
    expect(() => run(step, [], { variables: { archived_action: 'hide' } })).toThrow(/archived_action/);
    expect(() => run(step, [], { variables: { subtract_open_orders: 'true' } })).toThrow(/subtract_open_orders/);
    expect(() => run(step, [], { variables: { unit_map: JSON.stringify({ 'MUG-CASE': 'MUG*0' }) } })).toThrow(
      /unit_map/,
    );
  });

  const node18 = findNode18(ROOT);
  const skipNode18 = 'missing' in node18 && !NODE18_PLATFORM_SUPPORTED;
  it.skipIf(skipNode18)(
    `every table case gives the same answer from the built bundle on Node 18 (${ALL_CASES.length} cases)`,
    async () => {
      if ('missing' in node18) throw new Error(node18.missing);
      const bundle = path.join(ROOT, 'dist', 'scripts', 'map-stock-to-sparklayer.js');
      for (const c of ALL_CASES) {
        const result = await runBundle(node18.path, bundle, dataFor(c));
        expect(result.node, c.name).toMatch(/^v18\./);
        expect(result.error, c.name).toBeUndefined();
        expect(result.result, c.name).toEqual(runStep(step, dataFor(c)));
        const bundled = result.result as { payload: string; meta: Record<string, unknown> };
        check(c, JSON.parse(bundled.payload), bundled.meta);
      }
    },
    120_000,
  );
});
