// map-fulfilment-to-sparklayer, table by table: canonical fulfilments and returns (pack-contract §5) against one
// SparkLayer order of 2 MUG-ENAMEL-CASE12 (cases of 12 MUG-ENAMEL-WHT, unit_map) and 12 TOWEL-LINEN-NAT riding beside
// as `purchases`; each record's verdict, and the purchase update each passing one becomes.
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/envelope.js';
import { PACKAGE_TYPES } from '../../connectors/sparklayer/packages.js';
import { step } from '../../scripts/map-fulfilment-to-sparklayer/step.js';
import { run } from '../support/run.js';

const UNIT_MAP = 'left_value,right_value\r\nMUG-ENAMEL-CASE12,MUG-ENAMEL-WHT*12\r\n';
const item = (sku: string, quantity: number) => ({ identifiers: { sku }, quantity });
const order = (id: string, extraPackages: unknown[] = []) => ({
  type: 'order',
  purchase_identifiers: { sparklayer: id },
  customer_identifiers: { sparklayer: 'c-1' },
  currency_code: 'GBP',
  packages: [{ line_items: [item('MUG-ENAMEL-CASE12', 2), item('TOWEL-LINEN-NAT', 12)] }, ...extraPackages],
});
const PURCHASES = [order('sl-1')];

type Lines = Record<string, string | number>;
const asLines = (lines: Lines) => Object.entries(lines).map(([sku, quantity]) => ({ sku, quantity }));
const shipment = (id: string, lines: Lines, more: Record<string, unknown> = {}) => ({
  purchase_id: 'sl-1',
  transaction_id: id,
  shipped_at: '2026-11-21',
  tracking_number: `TT${id}GB`,
  lines: asLines(lines),
  ...more,
});
const giveBack = (id: string, lines: Lines, more: Record<string, unknown> = {}) => ({
  purchase_id: 'sl-1',
  transaction_id: id,
  original_transaction_id: 'SO-1',
  returned_at: '2026-11-25',
  lines: asLines(lines),
  ...more,
});

const map = (records: unknown[], purchases: unknown[] = PURCHASES, unitMap = UNIT_MAP): Envelope =>
  run(step, { records, purchases }, { variables: { unit_map: unitMap } }).envelope;
const verdicts = (envelope: Envelope) => [
  ...envelope.records.map((record) => [(record as { transaction_id: string }).transaction_id, 'pass']),
  ...envelope.skipped.map((entry) => [entry.id, `skip:${entry.reason}`]),
  ...envelope.exceptions.map((entry) => [entry.id, entry.code, entry.owner]),
];

describe('map-fulfilment-to-sparklayer', () => {
  type Row = [what: string, records: unknown[], expected: Array<[string, string] | [string, string, string]>];
  const table: Row[] = [
    ['a full shipment passes', [shipment('1', { 'MUG-ENAMEL-WHT': 24, 'TOWEL-LINEN-NAT': '12' })], [['1', 'pass']]],
    ['a partial shipment passes', [shipment('1', { 'TOWEL-LINEN-NAT': 5 })], [['1', 'pass']]],
    [
      'two shipments that add up to the order pass',
      [shipment('1', { 'TOWEL-LINEN-NAT': 5 }), shipment('2', { 'TOWEL-LINEN-NAT': 7, 'MUG-ENAMEL-WHT': 24 })],
      [
        ['1', 'pass'],
        ['2', 'pass'],
      ],
    ],
    [
      'the shipment that goes past the order is OVER_FULFILLED, the earlier one passes',
      [shipment('1', { 'TOWEL-LINEN-NAT': 10 }), shipment('2', { 'TOWEL-LINEN-NAT': 3 })],
      [
        ['1', 'pass'],
        ['2', 'OVER_FULFILLED', 'operations'],
      ],
    ],
    [
      'a SKU never ordered is OVER_FULFILLED',
      [shipment('1', { 'SOAP-OLIVE-100': 1 })],
      [['1', 'OVER_FULFILLED', 'operations']],
    ],
    [
      'a return of what shipped passes, whatever the input order',
      [giveBack('R1', { 'MUG-ENAMEL-WHT': 12 }), shipment('1', { 'MUG-ENAMEL-WHT': 24 })],
      [
        ['R1', 'pass'],
        ['1', 'pass'],
      ],
    ],
    [
      'a return of more than shipped is OVER_RETURNED',
      [shipment('1', { 'TOWEL-LINEN-NAT': 2 }), giveBack('R1', { 'TOWEL-LINEN-NAT': 3 })],
      [
        ['1', 'pass'],
        ['R1', 'OVER_RETURNED', 'customer service'],
      ],
    ],
    [
      'a shipment of a purchase not beside is UNLINKED_FULFILMENT',
      [shipment('1', { 'TOWEL-LINEN-NAT': 1 }, { purchase_id: 'sl-404' })],
      [['1', 'UNLINKED_FULFILMENT', 'operations']],
    ],
    [
      'a return of a purchase not beside is UNLINKED_RETURN',
      [giveBack('R1', { 'TOWEL-LINEN-NAT': 1 }, { purchase_id: 'sl-404' })],
      [['R1', 'UNLINKED_RETURN', 'operations']],
    ],
    [
      'a return with no purchase_id links through original_transaction_id to a fulfilment',
      [
        shipment('1', { 'TOWEL-LINEN-NAT': 4 }),
        giveBack('R1', { 'TOWEL-LINEN-NAT': 1 }, { purchase_id: undefined, original_transaction_id: '1' }),
      ],
      [
        ['1', 'pass'],
        ['R1', 'pass'],
      ],
    ],
    [
      'a return with no purchase_id whose original transaction is no fulfilment is UNLINKED_RETURN',
      [giveBack('R1', { 'TOWEL-LINEN-NAT': 1 }, { purchase_id: undefined, original_transaction_id: 'SO-1' })],
      [['R1', 'UNLINKED_RETURN', 'operations']],
    ],
    [
      'a quantity that is not whole packs is PART_PACK, never rounded',
      [shipment('1', { 'MUG-ENAMEL-WHT': 13 })],
      [['1', 'PART_PACK', 'operations']],
    ],
    [
      'a picked fulfilment is skipped',
      [shipment('1', { 'TOWEL-LINEN-NAT': 1 }, { status: 'picked' })],
      [['1', 'skip:status:picked']],
    ],
    [
      'a fulfilment without purchase_id is INVALID_FULFILMENT',
      [shipment('1', { 'TOWEL-LINEN-NAT': 1 }, { purchase_id: undefined })],
      [['1', 'INVALID_FULFILMENT', 'integration']],
    ],
  ];
  it.each(table)('%s', (_what, records, expected) => {
    const envelope = map(records);
    expect(verdicts(envelope)).toEqual(expected);
    const { in: count, records: passed, skipped, exceptions } = envelope.summary[step.key]!;
    expect(passed + skipped + exceptions).toBe(count);
    expect(count).toBe(records.length);
  });

  it('writes one update per record: purchase id, transaction id, tracking number, a package in packs', () => {
    const envelope = map([
      shipment('41', { 'MUG-ENAMEL-WHT': '24', 'TOWEL-LINEN-NAT': 6 }, { carrier: 'Royal Mail' }),
      giveBack('CM-7', { 'MUG-ENAMEL-WHT': 12 }),
    ]);
    expect(envelope.records).toEqual([
      {
        purchase_id: 'sl-1',
        lookup_by: 'sparklayer',
        transaction_id: '41',
        kind: 'shipment',
        shipped_at: '2026-11-21',
        tracking_number: 'TT41GB',
        package: {
          type: PACKAGE_TYPES.shipment,
          identifiers: { internal: '41' },
          line_items: [item('MUG-ENAMEL-CASE12', 2), item('TOWEL-LINEN-NAT', 6)],
          shipments: [{ carrier: 'Royal Mail' }],
        },
      },
      {
        purchase_id: 'sl-1',
        lookup_by: 'sparklayer',
        transaction_id: 'CM-7',
        kind: 'return',
        returned_at: '2026-11-25',
        original_transaction_id: 'SO-1',
        package: {
          type: PACKAGE_TYPES.return,
          identifiers: { internal: 'CM-7' },
          line_items: [item('MUG-ENAMEL-CASE12', 1)],
        },
      },
    ]);
  });

  it('counts what the purchase packages already hold, each transaction once (a re-run replaces, not adds)', () => {
    const shipped = {
      type: PACKAGE_TYPES.shipment,
      identifiers: { internal: '1' },
      line_items: [item('TOWEL-LINEN-NAT', 10)],
    };
    const purchases = [order('sl-1', [shipped])];
    // The same transaction again: counted once, so it passes.
    expect(verdicts(map([shipment('1', { 'TOWEL-LINEN-NAT': 10 })], purchases))).toEqual([['1', 'pass']]);
    // A new one on top of the 10 already shipped: 13 of 12.
    expect(verdicts(map([shipment('2', { 'TOWEL-LINEN-NAT': 3 })], purchases))).toEqual([
      ['2', 'OVER_FULFILLED', 'operations'],
    ]);
    // A return against the shipment a package holds, linked through it.
    expect(
      verdicts(
        map(
          [giveBack('R1', { 'TOWEL-LINEN-NAT': 2 }, { purchase_id: undefined, original_transaction_id: '1' })],
          purchases,
        ),
      ),
    ).toEqual([['R1', 'pass']]);
    // Returns already in packages count too: 9 + 2 returned of 10 shipped.
    const returned = {
      type: PACKAGE_TYPES.return,
      identifiers: { internal: 'R0' },
      line_items: [item('TOWEL-LINEN-NAT', 9)],
    };
    expect(verdicts(map([giveBack('R1', { 'TOWEL-LINEN-NAT': 2 })], [order('sl-1', [shipped, returned])]))).toEqual([
      ['R1', 'OVER_RETURNED', 'customer service'],
    ]);
  });

  it('an each and a case of one back-end SKU on the order are AMBIGUOUS_PACK', () => {
    const purchases = [
      { ...order('sl-1'), packages: [{ line_items: [item('MUG-ENAMEL-CASE12', 1), item('MUG-ENAMEL-WHT', 3)] }] },
    ];
    expect(verdicts(map([shipment('1', { 'MUG-ENAMEL-WHT': 12 })], purchases))).toEqual([
      ['1', 'AMBIGUOUS_PACK', 'integration'],
    ]);
  });

  it('bad records fail alone, naming the field, whole, beside good ones', () => {
    const bad = [
      shipment('B1', { 'TOWEL-LINEN-NAT': 'lots' }),
      giveBack('B2', {}),
      { transaction_id: 'B3', returned_at: '2026-11-25', lines: asLines({ 'TOWEL-LINEN-NAT': 1 }) },
      'not a record',
    ];
    const good = shipment('G1', { 'TOWEL-LINEN-NAT': 1 });
    const envelope = map([bad[0], good, ...bad.slice(1)]);
    expect(envelope.records.map((r) => (r as { transaction_id: string }).transaction_id)).toEqual(['G1']);
    expect(envelope.exceptions.map(({ id, code, message }) => [id, code, message])).toEqual([
      ['B1', 'INVALID_FULFILMENT', 'lines[0].quantity: "lots" is not a decimal quantity'],
      ['B2', 'INVALID_RETURN', 'lines: has no lines'],
      ['B3', 'UNLINKED_RETURN', 'no purchase_id and no original_transaction_id: its purchase cannot be found'],
      [null, 'INVALID_RECORD', expect.any(String)],
    ]);
    expect(envelope.exceptions.map((entry) => entry.record)).toEqual([bad[0], ...bad.slice(1)]);
  });

  it('a purchase beside that cannot be read fails only the records linked to it', () => {
    const broken = { ...order('sl-2'), packages: [{ line_items: [{ identifiers: {}, quantity: 1 }] }] };
    const envelope = map(
      [shipment('1', { 'TOWEL-LINEN-NAT': 1 }, { purchase_id: 'sl-2' }), shipment('2', { 'TOWEL-LINEN-NAT': 1 })],
      [order('sl-1'), broken],
    );
    expect(verdicts(envelope)).toEqual([
      ['2', 'pass'],
      ['1', 'INVALID_ORDER', 'customer service'],
    ]);
    expect(envelope.exceptions[0]!.message).toContain(
      'purchases[1].packages[0].line_items[0].identifiers.sku: missing',
    );
  });

  it('fails the step when purchases is not a list', () => {
    expect(() => map([], 'nope' as unknown as unknown[])).toThrow(/^map-fulfilment-to-sparklayer: /);
  });
});
