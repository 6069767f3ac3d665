// netsuite-stock-levels: the stock query's rows as stock levels, and the Pending Approval sales order lines read
// beside them (SuiteQL pages or rows) as map-stock-to-sparklayer's open_orders, which that step then subtracts.
import { describe, expect, it } from 'vitest';
import { step as mapStock } from '../../scripts/map-stock-to-sparklayer/step.js';
import { step } from '../../scripts/netsuite-stock-levels/step.js';
import { run } from '../support/run.js';

type Row = Record<string, unknown>;
const stock = (item: string, itemid: string, location: string, onHand: string, available: string): Row => ({
  item,
  location,
  quantityonhand: onHand,
  quantityavailable: available,
  itemid,
  isinactive: 'F',
});
const ROWS = [stock('98', 'MUG-ENAMEL-WHT', '1', '40', '34'), stock('98', 'MUG-ENAMEL-WHT', '2', '12', '12')];
const line = (id: string, itemid: string, location: string, quantity: unknown, extra: Row = {}): Row => ({
  links: [],
  transaction: '302',
  id,
  itemid,
  location,
  quantity,
  ...extra,
});
const page = (items: Row[], extra: Row = {}) => ({ links: [], count: items.length, hasMore: false, items, ...extra });

describe('netsuite-stock-levels: open orders', () => {
  const CASES: Array<[string, unknown, Array<{ sku: string; location: string; quantity: string }>]> = [
    [
      'rows as the connection shape gives them',
      [line('1', 'MUG-ENAMEL-WHT', '1', '-4')],
      [{ sku: 'MUG-ENAMEL-WHT', location: '1', quantity: '4' }],
    ],
    [
      'SuiteQL pages, each opened, in order',
      [
        page([line('1', 'MUG-ENAMEL-WHT', '1', '-4')], { hasMore: true }),
        page([line('2', 'MUG-ENAMEL-WHT', '2', '-1')]),
      ],
      [
        { sku: 'MUG-ENAMEL-WHT', location: '1', quantity: '4' },
        { sku: 'MUG-ENAMEL-WHT', location: '2', quantity: '1' },
      ],
    ],
    [
      'one page on its own',
      page([line('1', 'JUG-STONE-1L', '1', '-2')]),
      [{ sku: 'JUG-STONE-1L', location: '1', quantity: '2' }],
    ],
    ['no lines (nothing Pending Approval)', [], []],
    ['an empty page', page([]), []],
    ['null (the read cache held nothing)', null, []],
    ['a line of 0 units, left out', [line('1', 'MUG-ENAMEL-WHT', '1', '0')], []],
  ];
  it.each(CASES)('turns %s into open_orders', (_name, open_order_records, expected) => {
    const { envelope } = run(step, { records: ROWS, open_order_records, previous: [] });
    const beside = envelope as unknown as Row;
    expect(beside.open_orders).toEqual(expected);
    // The read does not ride on; what else rode beside does.
    expect(beside.open_order_records).toBeUndefined();
    expect(beside.previous).toEqual([]);
    expect(envelope.records).toHaveLength(2);
    expect(envelope.exceptions).toEqual([]);
  });

  it('reports an unreadable line as UNREADABLE_OPEN_ORDER_ROW (integration), kept whole, and reads on', () => {
    const bad = line('2', 'MUG-ENAMEL-WHT', '', '-3');
    const { envelope } = run(step, {
      records: ROWS,
      open_order_records: [line('1', 'MUG-ENAMEL-WHT', '1', '-4'), bad, line('3', 'MUG-ENAMEL-WHT', '2', 'lots')],
    });
    expect((envelope as unknown as Row).open_orders).toEqual([{ sku: 'MUG-ENAMEL-WHT', location: '1', quantity: '4' }]);
    expect(envelope.exceptions.map((e) => [e.id, e.code, e.message])).toEqual([
      [
        'sales order 302 line 2',
        'UNREADABLE_OPEN_ORDER_ROW',
        'NetSuite open order row 1 (sales order "302", line "2"): no location on the line',
      ],
      [
        'sales order 302 line 3',
        'UNREADABLE_OPEN_ORDER_ROW',
        'NetSuite open order row 2 (sales order "302", line "3"): quantity is "lots", not a number',
      ],
    ]);
    expect(envelope.exceptions[0]!.record).toEqual(bad);
    // The stock levels themselves are untouched by it.
    expect(envelope.records).toHaveLength(2);
  });

  it('without an open-order read, hands on what rode beside as it came (no open_orders)', () => {
    const { envelope } = run(step, { records: ROWS, previous: [] });
    expect((envelope as unknown as Row).open_orders).toBeUndefined();
    expect((envelope as unknown as Row).previous).toEqual([]);
  });

  it('feeds map-stock-to-sparklayer: the Pending Approval units subtracted at their location only', () => {
    const levels = run(step, { records: ROWS, open_order_records: [line('1', 'MUG-ENAMEL-WHT', '1', '-4')] });
    const { envelope } = run(mapStock, levels.data.payload!, { variables: { subtract_open_orders: 'yes' } });
    // 34 available (approved orders already out) less the 4 Pending Approval: 30; location 2 keeps its 12.
    expect(envelope.records).toEqual([
      { sku: 'MUG-ENAMEL-WHT', stock_location_external_id: '1', stock_level: 30 },
      { sku: 'MUG-ENAMEL-WHT', stock_location_external_id: '2', stock_level: 12 },
    ]);
  });
});
