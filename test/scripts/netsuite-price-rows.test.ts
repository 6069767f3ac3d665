// netsuite-price-rows: the NetSuite item price query's rows as canonical price rows (model/price.ts): the query text,
// row by row (a level mapped by ID or name, a level not mapped skipped, prices kept as exact decimal text, NetSuite's
// base break 0 read as 1, unreadable prices and breaks kept whole as exceptions), and the query paged through the fake
// NetSuite from its fixture into map-prices-to-sparklayer.
import { beforeEach, describe, expect, it } from 'vitest';
import { NetSuiteClient } from '../../connectors/netsuite/dev/client.js';
import {
  NetSuiteSandbox,
  SANDBOX_ACCOUNT_ID,
  SANDBOX_BASE_URL,
  SANDBOX_CREDENTIALS,
  sandboxConfig,
  sandboxDataFromFixtures,
} from '../../connectors/netsuite/dev/sandbox.js';
import { NETSUITE_PRICE_QUERY, netsuitePriceQuery } from '../../connectors/netsuite/price-reader.js';
import { mswHandlers } from '../../contracts/hosts.js';
import type { PriceRow } from '../../model/price.js';
import { step as mapPrices } from '../../scripts/map-prices-to-sparklayer/step.js';
import { step } from '../../scripts/netsuite-price-rows/step.js';
import { server } from '../support/msw.js';
import { run } from '../support/run.js';
import { ROOT } from '../support/steps.js';

type Row = Record<string, unknown>;
const row = (extra: Row = {}): Row => ({
  links: [],
  item: '98',
  itemid: 'MUG-ENAMEL-WHT',
  pricelevel: '2',
  pricelevelname: 'Trade',
  currency: '2',
  currencysymbol: 'GBP',
  quantity: '0',
  unitprice: '4.50',
  ...extra,
});
const MAP = 'left_value,right_value\r\nBase Price,retail-gbp\r\n2,trade-gbp\r\n';
const variables = (map = MAP) => ({ variables: { price_level_map: map } });

describe('the NetSuite price query', () => {
  it('reads pricing joined to the item, the level and the currency, in a stable order', () => {
    expect(NETSUITE_PRICE_QUERY).toBe(
      'SELECT pricing.item, item.itemid, pricing.pricelevel, pricelevel.name AS pricelevelname, ' +
        'pricing.currency, currency.symbol AS currencysymbol, pricing.quantity, pricing.unitprice ' +
        'FROM pricing INNER JOIN item ON item.id = pricing.item ' +
        'INNER JOIN pricelevel ON pricelevel.id = pricing.pricelevel ' +
        'INNER JOIN currency ON currency.id = pricing.currency ' +
        'ORDER BY pricing.item, pricing.pricelevel, pricing.currency, pricing.quantity',
    );
  });

  it('filters by level and currency internal IDs, each once, and refuses anything else', () => {
    expect(netsuitePriceQuery({ levels: ['1', '2', '2'], currencies: ['2'] })).toContain(
      'WHERE pricing.pricelevel IN (1, 2) AND pricing.currency IN (2) ORDER BY',
    );
    expect(netsuitePriceQuery({ levels: [] })).toBe(NETSUITE_PRICE_QUERY);
    expect(() => netsuitePriceQuery({ levels: ['1) OR (1=1'] })).toThrow(/price level internal ID is digits only/);
    expect(() => netsuitePriceQuery({ currencies: ['GBP'] })).toThrow(/currency internal ID is digits only/);
  });
});

describe('netsuite-price-rows: one row, one price row', () => {
  const CASES: Array<[string, Row, string, Partial<PriceRow>]> = [
    ['a level mapped by internal ID', row(), MAP, { price_list: 'trade-gbp', quantity: '1', price: '4.50' }],
    [
      'a level mapped by name',
      row({ pricelevel: '1', pricelevelname: 'Base Price', unitprice: '6.00' }),
      MAP,
      { price_list: 'retail-gbp', quantity: '1', price: '6.00' },
    ],
    [
      'the internal ID before the name',
      row(),
      'left_value,right_value\r\nTrade,by-name\r\n2,by-id\r\n',
      { price_list: 'by-id' },
    ],
    ['a level with no name, by its ID', row({ pricelevelname: undefined }), MAP, { price_list: 'trade-gbp' }],
    [
      'a break kept as NetSuite holds it',
      row({ quantity: '24', unitprice: '4.2' }),
      MAP,
      { quantity: '24', price: '4.2' },
    ],
    ['a break of 0 (the base) as 1', row({ quantity: '0.0' }), MAP, { quantity: '1' }],
    ['a price with many places, exact', row({ unitprice: '0.012345678901' }), MAP, { price: '0.012345678901' }],
    [
      'a price sent as a JSON number, as decimal text',
      row({ unitprice: 4.1, quantity: 48 }),
      MAP,
      { price: '4.1', quantity: '48' },
    ],
    ['a price with no 0 before the point', row({ unitprice: '.5' }), MAP, { price: '0.5' }],
    ['a price of 0 (free, left to map-prices-to-sparklayer)', row({ unitprice: '0' }), MAP, { price: '0' }],
  ];
  it.each(CASES)('reads %s', (_name, record, map, expected) => {
    const { envelope } = run(step, { records: [record] }, variables(map));
    expect(envelope.exceptions).toEqual([]);
    expect(envelope.records).toEqual([
      {
        price_list: 'trade-gbp',
        sku: 'MUG-ENAMEL-WHT',
        currency: 'GBP',
        quantity: '1',
        price: '4.50',
        source: 'netsuite',
        ...expected,
      },
    ]);
    // Nothing a NetSuite item price does not have: no dates, no account, no tax flag.
    const out = envelope.records[0] as Row;
    expect(Object.keys(out).sort()).toEqual(['currency', 'price', 'price_list', 'quantity', 'sku', 'source']);
  });

  it('skips a level the map does not name (and every level when the map is empty)', () => {
    const online = row({ pricelevel: '5', pricelevelname: 'Online Price' });
    const { envelope } = run(step, { records: [online, row()] }, variables());
    expect(envelope.records).toHaveLength(1);
    expect(envelope.skipped.map((s) => [s.id, s.reason])).toEqual([
      ['MUG-ENAMEL-WHT@Online Price GBP x0', 'unmapped-price-level'],
    ]);
    const none = run(step, { records: [row()] }, { variables: {} }).envelope;
    expect(none.records).toEqual([]);
    expect(none.skipped.map((s) => s.reason)).toEqual(['unmapped-price-level']);
  });

  const BAD: Array<[string, Row, string, string]> = [
    ['a price that is not a number', row({ unitprice: 'n/a' }), 'INVALID_PRICE', 'unitprice is "n/a", not a decimal'],
    ['a price with a decimal comma', row({ unitprice: '4,50' }), 'INVALID_PRICE', 'unitprice is "4,50"'],
    ['a price in exponent form', row({ unitprice: '4.5E0' }), 'INVALID_PRICE', 'unitprice is "4.5E0"'],
    ['no price', row({ unitprice: undefined }), 'INVALID_PRICE', 'unitprice is null'],
    ['a break that is not a number', row({ quantity: 'ten' }), 'INVALID_PRICE_BREAK', 'quantity is "ten"'],
    ['a negative break', row({ quantity: '-1' }), 'INVALID_PRICE_BREAK', 'quantity is "-1"'],
    ['no break', row({ quantity: undefined }), 'INVALID_PRICE_BREAK', 'quantity is null'],
    ['no SKU', row({ itemid: ' ' }), 'UNREADABLE_PRICE_ROW', 'no itemid'],
    ['no currency symbol', row({ currencysymbol: undefined }), 'UNREADABLE_PRICE_ROW', 'no currency symbol'],
    [
      'no price level',
      row({ pricelevel: undefined, pricelevelname: undefined }),
      'UNREADABLE_PRICE_ROW',
      'no price level',
    ],
  ];
  it.each(BAD)('keeps %s whole as an exception, and reads on', (_name, bad, code, message) => {
    const { envelope } = run(step, { records: [bad, row()] }, variables());
    expect(envelope.records).toHaveLength(1);
    expect(envelope.exceptions).toHaveLength(1);
    const [exception] = envelope.exceptions;
    expect(exception!.code).toBe(code);
    expect(exception!.message).toContain(message);
    expect(exception!.message).toContain('NetSuite price row 0 (item "98")');
    // The whole row, as it came (less its absent columns).
    expect(exception!.record).toEqual(JSON.parse(JSON.stringify(bad)));
  });

  it('declares the finance codes with finance, as map-prices-to-sparklayer does', () => {
    expect(step.exceptionCodes.INVALID_PRICE.owner).toBe(mapPrices.exceptionCodes.INVALID_PRICE.owner);
    expect(step.exceptionCodes.INVALID_PRICE_BREAK.owner).toBe(mapPrices.exceptionCodes.INVALID_PRICE_BREAK.owner);
    expect(step.exceptionCodes.UNREADABLE_PRICE_ROW.owner).toBe('integration');
  });

  it('finds a level by its name in any case, and refuses two levels feeding one list, naming both', () => {
    const byName = run(step, { records: [row({ pricelevel: '7', pricelevelname: 'BASE PRICE' })] }, variables());
    expect(byName.envelope.records).toMatchObject([{ price_list: 'retail-gbp', sku: 'MUG-ENAMEL-WHT' }]);
    const twice = 'left_value,right_value\r\n1,trade-gbp\r\nTrade,trade-gbp\r\n';
    expect(() => run(step, { records: [row()] }, variables(twice))).toThrow(
      /setting "price_level_map" is not valid[\s\S]*levels 1 and trade both feed price list "trade-gbp"/,
    );
  });

  it('refuses a price_level_map row with no slug, naming it', () => {
    expect(() => run(step, { records: [row()] }, variables('left_value,right_value\r\n2, \r\n'))).toThrow(
      /setting "price_level_map" is not valid[\s\S]*line 2[\s\S]*empty/,
    );
  });
});

const fixtureData = await sandboxDataFromFixtures(ROOT);

describe('NetSuite prices through the fake NetSuite', () => {
  const clock = Date.parse('2026-12-08T09:00:00Z');
  let sandbox: NetSuiteSandbox;
  beforeEach(() => {
    sandbox = new NetSuiteSandbox(fixtureData, SANDBOX_ACCOUNT_ID, SANDBOX_CREDENTIALS, () => clock);
    server.use(...mswHandlers(SANDBOX_BASE_URL, sandbox));
  });
  const client = () =>
    new NetSuiteClient(sandboxConfig(), { sleep: async () => {}, now: () => clock, random: () => 1, log: () => {} });
  const show = (rows: unknown[]) =>
    (rows as PriceRow[]).map((r) => `${r.price_list} ${r.sku} ${r.currency} ${String(r.quantity)}:${String(r.price)}`);

  it('pages through the price query and gives a price row for each mapped level', async () => {
    const rows = await client().suiteql(NETSUITE_PRICE_QUERY, 4);
    expect(sandbox.calls).toEqual([
      'POST /query/v1/suiteql?limit=4&offset=0',
      'POST /query/v1/suiteql?limit=4&offset=4',
      'POST /query/v1/suiteql?limit=4&offset=8',
    ]);
    // The columns selected, by their output names.
    expect(Object.keys(rows[0]!).sort()).toEqual(
      [
        'links',
        'item',
        'itemid',
        'pricelevel',
        'pricelevelname',
        'currency',
        'currencysymbol',
        'quantity',
        'unitprice',
      ].sort(),
    );
    const { envelope } = run(step, { records: rows }, variables());
    expect(show(envelope.records)).toEqual([
      'retail-gbp JUG-STONE-1L GBP 1:11.00',
      'trade-gbp JUG-STONE-1L GBP 1:9.00',
      'retail-gbp TOWEL-LINEN-NAT GBP 1:15.00',
      'trade-gbp TOWEL-LINEN-NAT GBP 1:12.00',
      'retail-gbp MUG-ENAMEL-WHT GBP 1:6.00',
      'retail-gbp MUG-ENAMEL-WHT GBP 24:5.40',
      'trade-gbp MUG-ENAMEL-WHT GBP 1:4.50',
      'trade-gbp MUG-ENAMEL-WHT GBP 24:4.2',
    ]);
    expect(envelope.skipped.map((s) => `${s.id}:${s.reason}`)).toEqual([
      'MUG-ENAMEL-WHT@Online Price GBP x0:unmapped-price-level',
    ]);
    expect(envelope.exceptions).toEqual([]);
  });

  it('filters by price level, and refuses a column the table does not have', async () => {
    const trade = await client().suiteql(netsuitePriceQuery({ levels: ['2'] }));
    expect(trade.map((r) => `${String(r.itemid)}@${String(r.pricelevelname)}`)).toEqual([
      'JUG-STONE-1L@Trade',
      'TOWEL-LINEN-NAT@Trade',
      'MUG-ENAMEL-WHT@Trade',
      'MUG-ENAMEL-WHT@Trade',
    ]);
    await expect(client().suiteql(NETSUITE_PRICE_QUERY.replace('pricing.unitprice', 'pricing.price'))).rejects.toThrow(
      /Field 'price' for record 'pricing' was not found/,
    );
  });

  it('gives rows map-prices-to-sparklayer publishes: each SKU, its base price and breaks, on each list', async () => {
    const rows = await client().suiteql(NETSUITE_PRICE_QUERY);
    const prices = run(step, { records: rows }, variables());
    const lists = [
      { slug: 'retail-gbp', currency_code: 'GBP' },
      { slug: 'trade-gbp', currency_code: 'GBP' },
    ];
    const { envelope } = run(
      mapPrices,
      { records: prices.envelope.records, price_lists: lists },
      { variables: { as_of: '2026-12-08T09:00:00Z' } },
    );
    expect(envelope.exceptions).toEqual([]);
    const entries = (envelope.records as Array<{ sku: string; price_list_slug: string; pricing: unknown[] }>).map(
      (e) => `${e.sku}@${e.price_list_slug}=${JSON.stringify(e.pricing)}`,
    );
    expect(entries).toEqual([
      'JUG-STONE-1L@retail-gbp=[{"quantity":1,"price":11}]',
      'JUG-STONE-1L@trade-gbp=[{"quantity":1,"price":9}]',
      'TOWEL-LINEN-NAT@retail-gbp=[{"quantity":1,"price":15}]',
      'TOWEL-LINEN-NAT@trade-gbp=[{"quantity":1,"price":12}]',
      'MUG-ENAMEL-WHT@retail-gbp=[{"quantity":1,"price":6},{"quantity":24,"price":5.4}]',
      'MUG-ENAMEL-WHT@trade-gbp=[{"quantity":1,"price":4.5},{"quantity":24,"price":4.2}]',
    ]);
  });
});
