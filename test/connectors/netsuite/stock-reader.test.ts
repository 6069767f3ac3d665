// NetSuite stock into the pack's canonical stock levels: the reader row by row (inactive items, matrix parents,
// quantities kept as the exact text NetSuite sends), the stock query paged through the fake NetSuite from its fixture
// (every request through msw, an unplanned one fails), and the levels accepted by map-stock-to-sparklayer.
import { beforeEach, describe, expect, it } from 'vitest';
import { NetSuiteClient } from '../../../connectors/netsuite/dev/client.js';
import { NetSuiteApiError } from '../../../connectors/netsuite/dev/errors.js';
import {
  NetSuiteSandbox,
  SANDBOX_ACCOUNT_ID,
  SANDBOX_BASE_URL,
  SANDBOX_CREDENTIALS,
  sandboxConfig,
  sandboxDataFromFixtures,
} from '../../../connectors/netsuite/dev/sandbox.js';
import {
  NETSUITE_PENDING_APPROVAL_QUERY,
  NETSUITE_STOCK_QUERY,
  netsuiteStockQuery,
  openOrdersFromSuiteQL,
  stockLevelsFromSuiteQL,
} from '../../../connectors/netsuite/stock-reader.js';
import { mswHandlers } from '../../../contracts/hosts.js';
import type { StockLevel } from '../../../model/stock.js';
import { step } from '../../../scripts/map-stock-to-sparklayer/step.js';
import { server } from '../../support/msw.js';
import { run } from '../../support/run.js';
import { ROOT } from '../../support/steps.js';

const fixtureData = await sandboxDataFromFixtures(ROOT);

type Row = Record<string, unknown>;
const row = (extra: Row = {}): Row => ({
  links: [],
  item: '98',
  location: '1',
  quantityonhand: '40',
  quantityavailable: '34',
  quantitycommitted: '6',
  itemid: 'MUG-ENAMEL-WHT',
  isinactive: 'F',
  ...extra,
});
const without = (...keys: string[]): Row => {
  const r = row();
  for (const key of keys) delete r[key];
  return r;
};
const level = (extra: Partial<StockLevel> = {}): StockLevel => ({
  sku: 'MUG-ENAMEL-WHT',
  location: '1',
  on_hand: '40',
  available: '34',
  product_id: '98',
  source: 'netsuite',
  archived: false,
  has_variants: false,
  ...extra,
});

describe('NetSuite stock reader: one row, one stock level', () => {
  const CASES: Array<[string, Row, StockLevel]> = [
    ['an active item: itemid, location ID, on hand and available as given', row(), level()],
    ['an inactive item is archived', row({ isinactive: 'T' }), level({ archived: true })],
    [
      'a matrix parent has variants',
      row({ item: '200', itemid: 'APRON-LINEN', matrixtype: 'PARENT', quantityonhand: '0', quantityavailable: '0' }),
      level({ sku: 'APRON-LINEN', product_id: '200', on_hand: '0', available: '0', has_variants: true }),
    ],
    [
      'a matrix child is a plain stock level (its parent is only a reference)',
      row({ item: '201', itemid: 'APRON-LINEN-NAT-S', parent: '200', matrixtype: 'CHILD' }),
      level({ sku: 'APRON-LINEN-NAT-S', product_id: '201' }),
    ],
    [
      'decimals stay the exact text NetSuite sent',
      row({ quantityonhand: '12.5', quantityavailable: '4.99999999999999999999' }),
      level({ on_hand: '12.5', available: '4.99999999999999999999' }),
    ],
    [
      'a leading point gets its 0 back, the same number',
      row({ quantityonhand: '-.5', quantityavailable: '.25' }),
      level({ on_hand: '-0.5', available: '0.25' }),
    ],
    [
      'a negative on hand stays negative',
      row({ quantityonhand: '-3', quantityavailable: '0' }),
      level({ on_hand: '-3', available: '0' }),
    ],
    [
      'a JSON number stays a number',
      row({ quantityonhand: 7, quantityavailable: 5 }),
      level({ on_hand: 7, available: 5 }),
    ],
    [
      'available left out: on hand less committed, exactly (Oracle’s definition)',
      without('quantityavailable'),
      level({ available: '34' }),
    ],
    [
      'available and committed left out: all on hand is available',
      without('quantityavailable', 'quantitycommitted'),
      level({ available: '40' }),
    ],
    [
      'available left out, more committed than on hand: 0, never negative',
      row({ quantityonhand: '2.5', quantityavailable: undefined, quantitycommitted: '4' }),
      level({ on_hand: '2.5', available: '0' }),
    ],
    [
      'on hand left out (null) is 0',
      row({ quantityonhand: null, quantityavailable: null, quantitycommitted: null }),
      level({ on_hand: '0', available: '0' }),
    ],
    [
      'a malformed quantity is kept as it came, for the step to report',
      row({ quantityonhand: '1,000', quantityavailable: undefined }),
      level({ on_hand: '1,000', available: undefined }),
    ],
    ['a blank SKU stays blank, for the step to report', row({ itemid: '' }), level({ sku: '' })],
    [
      'booleans and lower case are read too',
      row({ isinactive: true, matrixtype: 'parent' }),
      level({ archived: true, has_variants: true }),
    ],
  ];

  it.each(CASES)('%s', (_name, input, expected) => {
    const [read] = stockLevelsFromSuiteQL([input]);
    const want: Row = { ...expected };
    for (const key of Object.keys(want)) if (want[key] === undefined) delete want[key];
    expect(read).toEqual(want);
  });

  it('refuses, naming the row, what means the query or NetSuite changed', () => {
    expect(() => stockLevelsFromSuiteQL([row(), 'MUG'])).toThrow(/stock row 1: not an object/);
    expect(() => stockLevelsFromSuiteQL([row({ isinactive: 'Y' })])).toThrow(
      /stock row 0 \(item "98"\): isinactive is "Y", not T or F/,
    );
    expect(() => stockLevelsFromSuiteQL([row({ matrixtype: 'KIT' })])).toThrow(/matrixtype is "KIT"/);
  });

  it('builds the stock query, limited to locations by internal ID when asked', () => {
    expect(NETSUITE_STOCK_QUERY).toMatch(/^SELECT iil\.item, iil\.location, .* FROM inventoryitemlocations iil /);
    expect(NETSUITE_STOCK_QUERY).toMatch(/INNER JOIN item ON item\.id = iil\.item ORDER BY iil\.item, iil\.location$/);
    expect(netsuiteStockQuery({ locations: ['2', '1', '2'] })).toContain(
      'WHERE iil.location IN (2, 1) ORDER BY iil.item, iil.location',
    );
    expect(() => netsuiteStockQuery({ locations: ['1 OR 1=1'] })).toThrow(RangeError);
  });
});

describe('NetSuite Pending Approval lines: one row, one open order (or one unreadable row)', () => {
  const line = (extra: Row = {}): Row => ({
    links: [],
    transaction: '302',
    id: '1',
    item: '98',
    itemid: 'MUG-ENAMEL-WHT',
    location: '1',
    quantity: '-4',
    ...extra,
  });
  const READ: Array<[string, Row, { sku: string; location: string; quantity: string } | null]> = [
    [
      'a negative quantity (stock going out) as its magnitude',
      line(),
      { sku: 'MUG-ENAMEL-WHT', location: '1', quantity: '4' },
    ],
    [
      'a positive quantity as it came (the sign is unverified)',
      line({ quantity: '4' }),
      { sku: 'MUG-ENAMEL-WHT', location: '1', quantity: '4' },
    ],
    [
      'a decimal quantity, exactly',
      line({ quantity: '-2.5' }),
      { sku: 'MUG-ENAMEL-WHT', location: '1', quantity: '2.5' },
    ],
    [
      'a leading point ("-.5") as -0.5',
      line({ quantity: '-.5' }),
      { sku: 'MUG-ENAMEL-WHT', location: '1', quantity: '0.5' },
    ],
    [
      'numbers as numbers',
      line({ location: 2, quantity: -3 }),
      { sku: 'MUG-ENAMEL-WHT', location: '2', quantity: '3' },
    ],
    [
      'a padded SKU and location, trimmed',
      line({ itemid: ' MUG-ENAMEL-WHT ', location: ' 1 ' }),
      { sku: 'MUG-ENAMEL-WHT', location: '1', quantity: '4' },
    ],
    ['a line of 0 units: nothing reserved, left out', line({ quantity: '0' }), null],
  ];
  it.each(READ)('reads %s', (_name, row, expected) => {
    expect(openOrdersFromSuiteQL([row])).toEqual({ orders: expected === null ? [] : [expected], unreadable: [] });
  });

  const UNREADABLE: Array<[string, unknown, RegExp]> = [
    ['a row that is not an object', 'MUG', /^NetSuite open order row 0: not an object \("MUG"\)$/],
    ['null', null, /^NetSuite open order row 0: not an object \(null\)$/],
    ['no itemid', line({ itemid: undefined }), /^NetSuite open order row 0 \(sales order "302", line "1"\): no itemid/],
    ['a blank itemid', line({ itemid: '  ' }), /: no itemid/],
    ['no location', line({ location: null }), /: no location on the line$/],
    ['no quantity', line({ quantity: undefined }), /: quantity is null, not a number$/],
    ['a quantity that is not a number', line({ quantity: 'four' }), /: quantity is "four", not a number$/],
    ['an infinite quantity', line({ quantity: Infinity }), /: quantity is null, not a number$/],
  ];
  it.each(UNREADABLE)('reports, never throws, %s', (_name, row, message) => {
    const { orders, unreadable } = openOrdersFromSuiteQL([row]);
    expect(orders).toEqual([]);
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]!.index).toBe(0);
    expect(unreadable[0]!.row).toBe(row);
    expect(unreadable[0]!.message).toMatch(message);
  });

  it('reads every row on, past an unreadable one, naming each by its place', () => {
    const { orders, unreadable } = openOrdersFromSuiteQL([
      line(),
      line({ id: '2', location: '' }),
      line({ id: '3', itemid: 'JUG-STONE-1L', quantity: '-1' }),
    ]);
    expect(orders).toEqual([
      { sku: 'MUG-ENAMEL-WHT', location: '1', quantity: '4' },
      { sku: 'JUG-STONE-1L', location: '1', quantity: '1' },
    ]);
    expect(unreadable.map((u) => [u.index, u.message])).toEqual([
      [1, 'NetSuite open order row 1 (sales order "302", line "2"): no location on the line'],
    ]);
  });

  it('asks for sales orders Pending Approval, their item lines only, not the approved ones', () => {
    expect(NETSUITE_PENDING_APPROVAL_QUERY).toMatch(
      /^SELECT tl\.transaction, tl\.id, tl\.item, item\.itemid, tl\.location, tl\.quantity FROM transactionline tl /,
    );
    expect(NETSUITE_PENDING_APPROVAL_QUERY).toContain(
      "WHERE t.type = 'SalesOrd' AND t.status = 'A' AND tl.mainline = 'F'",
    );
    expect(NETSUITE_PENDING_APPROVAL_QUERY).not.toMatch(/status IN|'B'/);
  });
});

describe('NetSuite stock through the fake NetSuite', () => {
  const clock = Date.parse('2026-11-22T09:00:00Z');
  let sandbox: NetSuiteSandbox;
  beforeEach(() => {
    sandbox = new NetSuiteSandbox(fixtureData, SANDBOX_ACCOUNT_ID, SANDBOX_CREDENTIALS, () => clock);
    server.use(...mswHandlers(SANDBOX_BASE_URL, sandbox));
  });
  const client = () =>
    new NetSuiteClient(sandboxConfig(), { sleep: async () => {}, now: () => clock, random: () => 1, log: () => {} });

  const EXPECTED = [
    'JUG-STONE-1L@1 5/5 archived',
    'TOWEL-LINEN-NAT@1 -3/0',
    'MUG-ENAMEL-WHT@1 40/34',
    'MUG-ENAMEL-WHT@2 12.5/12.5',
    'APRON-LINEN@1 0/0 parent',
    'APRON-LINEN-NAT-S@1 7/5',
    'APRON-LINEN-NAT-M@1 3/3',
  ];
  const show = (levels: StockLevel[]) =>
    levels.map(
      (l) =>
        `${l.sku}@${l.location} ${String(l.on_hand)}/${String(l.available)}` +
        `${l.archived ? ' archived' : ''}${l.has_variants ? ' parent' : ''}`,
    );

  it('pages through every row with limit and offset, and reads each into a stock level', async () => {
    const rows = await client().suiteql(NETSUITE_STOCK_QUERY, 3);
    expect(sandbox.calls).toEqual([
      'POST /query/v1/suiteql?limit=3&offset=0',
      'POST /query/v1/suiteql?limit=3&offset=3',
      'POST /query/v1/suiteql?limit=3&offset=6',
    ]);
    // Only the columns selected, an empty column left out (parent and matrixtype on plain items).
    expect(Object.keys(rows[1]!).sort()).toEqual(
      [
        'links',
        'item',
        'location',
        'quantityonhand',
        'quantityavailable',
        'quantitycommitted',
        'itemid',
        'isinactive',
      ].sort(),
    );
    const levels = stockLevelsFromSuiteQL(rows);
    expect(show(levels)).toEqual(EXPECTED);
    expect(levels.every((l) => l.source === 'netsuite' && typeof l.on_hand === 'string')).toBe(true);
  });

  it('answers one page when it all fits, and filters by location', async () => {
    expect(show(stockLevelsFromSuiteQL(await client().suiteql(NETSUITE_STOCK_QUERY)))).toEqual(EXPECTED);
    const at2 = await client().suiteql(netsuiteStockQuery({ locations: ['2'] }));
    expect(show(stockLevelsFromSuiteQL(at2))).toEqual(['MUG-ENAMEL-WHT@2 12.5/12.5']);
  });

  it('refuses what NetSuite refuses: a column the table does not have, a query that is not a SELECT', async () => {
    const unknown = client().suiteql(NETSUITE_STOCK_QUERY.replace('item.matrixtype', 'item.ismatrixparent'));
    await expect(unknown).rejects.toBeInstanceOf(NetSuiteApiError);
    await expect(unknown).rejects.toThrow(/Field 'ismatrixparent' for record 'inventoryitemlocations' was not found/);
    await expect(client().suiteql('DELETE FROM inventoryitemlocations')).rejects.toThrow(/Only a SELECT query/);
    await expect(client().suiteql('SELECT item FROM inventoryitemlocations WHERE quantityonhand > 0')).rejects.toThrow(
      /cannot evaluate this WHERE/,
    );
  });

  it('answers the Pending Approval query from its fixture: order 302, its open item lines only', async () => {
    const rows = await client().suiteql(NETSUITE_PENDING_APPROVAL_QUERY, 1);
    expect(sandbox.calls).toEqual([
      'POST /query/v1/suiteql?limit=1&offset=0',
      'POST /query/v1/suiteql?limit=1&offset=1',
    ]);
    // Only the columns selected: not the type, status or flags it was filtered by.
    expect(Object.keys(rows[0]!).sort()).toEqual(
      ['links', 'transaction', 'id', 'item', 'itemid', 'location', 'quantity'].sort(),
    );
    // Approved order 301, both main lines and 302's closed line (APRON-LINEN-NAT-M) are not answered.
    expect(openOrdersFromSuiteQL(rows)).toEqual({
      orders: [
        { sku: 'MUG-ENAMEL-WHT', location: '1', quantity: '4' },
        { sku: 'APRON-LINEN-NAT-S', location: '1', quantity: '2' },
      ],
      unreadable: [],
    });
    // It still refuses what it does not know: a column the lines do not have, a WHERE it cannot evaluate.
    await expect(
      client().suiteql(NETSUITE_PENDING_APPROVAL_QUERY.replace('tl.quantity', 'tl.quantitybackordered')),
    ).rejects.toThrow(/Field 'quantitybackordered' for record 'transactionline' was not found/);
    await expect(
      client().suiteql(NETSUITE_PENDING_APPROVAL_QUERY.replace("t.status = 'A'", "t.status <> 'B'")),
    ).rejects.toThrow(/cannot evaluate this WHERE/);
    await expect(client().suiteql('SELECT id FROM salesorder')).rejects.toThrow(
      /The sandbox has no table "salesorder"/,
    );
  });

  it('gives levels map-stock-to-sparklayer publishes: available, inactive at 0, matrix parent skipped', async () => {
    const levels = stockLevelsFromSuiteQL(await client().suiteql(NETSUITE_STOCK_QUERY));
    const { envelope } = run(step, levels, {
      variables: { location_map: JSON.stringify({ '1': 'WH-NORTH', '2': 'WH-SOUTH' }) },
    });
    expect(envelope.exceptions).toEqual([]);
    expect(envelope.records).toEqual([
      { sku: 'JUG-STONE-1L', stock_location_external_id: 'WH-NORTH', stock_level: 0 },
      { sku: 'TOWEL-LINEN-NAT', stock_location_external_id: 'WH-NORTH', stock_level: 0 },
      { sku: 'MUG-ENAMEL-WHT', stock_location_external_id: 'WH-NORTH', stock_level: 34 },
      { sku: 'MUG-ENAMEL-WHT', stock_location_external_id: 'WH-SOUTH', stock_level: 12 },
      { sku: 'APRON-LINEN-NAT-S', stock_location_external_id: 'WH-NORTH', stock_level: 5 },
      { sku: 'APRON-LINEN-NAT-M', stock_location_external_id: 'WH-NORTH', stock_level: 3 },
    ]);
    expect(envelope.skipped).toEqual([expect.objectContaining({ id: 'APRON-LINEN@1', reason: 'variant-parent' })]);
  });
});
