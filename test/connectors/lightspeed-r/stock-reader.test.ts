// R-Series stock into the pack's canonical stock levels: the reader item by item (archived items, matrix variants, the
// shopID 0 summary left out, a collection of one sent as an object, quantities kept exactly as they came), the stock
// read paged through the fake R-Series from its fixture (every request through msw, an unplanned one fails), only what
// changed since a time, what the fake refuses, and the levels accepted by map-stock-to-sparklayer.
import { beforeEach, describe, expect, it } from 'vitest';
import { LightspeedRClient } from '../../../connectors/lightspeed-r/dev/client.js';
import { LightspeedRApiError } from '../../../connectors/lightspeed-r/dev/errors.js';
import {
  LightspeedRSandbox,
  SANDBOX_ORIGIN,
  sandboxConfig,
  sandboxDataFromFixtures,
} from '../../../connectors/lightspeed-r/dev/sandbox.js';
import { itemListSchema, itemShopListSchema } from '../../../connectors/lightspeed-r/schemas.js';
import { itemShopWatermark, stockLevelsFromItems, stockQuery } from '../../../connectors/lightspeed-r/stock-reader.js';
import { loadFixture } from '../../../contracts/fixtures.js';
import { mswHandlers } from '../../../contracts/hosts.js';
import { createSandbox } from '../../../patchworks/runner/systems.js';
import type { StockLevel } from '../../../model/stock.js';
import { step } from '../../../scripts/map-stock-to-sparklayer/step.js';
import { server } from '../../support/msw.js';
import { run } from '../../support/run.js';
import { ROOT } from '../../support/steps.js';

const fixtureData = await sandboxDataFromFixtures(ROOT);
const FIXTURE = 'fixtures/lightspeed-r/items/list.with-item-shops.json';

type Json = Record<string, unknown>;
const shop = (shopID: string, qoh: string, sellable: string | null = qoh, extra: Json = {}): Json => ({
  itemShopID: `9${shopID}`,
  qoh,
  ...(sellable === null ? {} : { sellable }),
  onLayaway: '0',
  timeStamp: '2026-11-20T10:00:00+00:00',
  itemID: '41',
  shopID,
  ...extra,
});
const item = (
  extra: Json = {},
  shops: unknown = { ItemShop: [shop('0', '126'), shop('1', '120'), shop('2', '6')] },
) => ({
  itemID: '41',
  systemSku: '210000000041',
  customSku: 'MUG-ENAMEL-WHT',
  archived: 'false',
  itemType: 'default',
  itemMatrixID: '0',
  ItemShops: shops,
  ...extra,
});
const level = (location: string, onHand: string | number, extra: Partial<StockLevel> = {}): StockLevel => ({
  sku: 'MUG-ENAMEL-WHT',
  location,
  on_hand: onHand,
  available: onHand,
  product_id: '41',
  source: 'lightspeed-r',
  archived: false,
  has_variants: false,
  ...extra,
});

describe('R-Series stock reader: items with their ItemShops, one level per item and shop', () => {
  const CASES: Array<[string, unknown, StockLevel[]]> = [
    [
      'a live item: customSku, shopID, qoh and sellable; shopID 0 left out',
      [item()],
      [level('1', '120'), level('2', '6')],
    ],
    [
      'an archived item is archived (its stock zeroed by R-Series)',
      [item({ archived: 'true' }, { ItemShop: [shop('0', '0'), shop('1', '0')] })],
      [level('1', '0', { archived: true })],
    ],
    [
      'a matrix variant is a plain level under its own SKU, never a parent',
      [
        item(
          { itemID: '133', customSku: 'TSHIRT-WHT-S', itemMatrixID: '20' },
          { ItemShop: [shop('1', '7', '7', { itemID: '133' })] },
        ),
      ],
      [level('1', '7', { sku: 'TSHIRT-WHT-S', product_id: '133' })],
    ],
    ['a one-element collection sent as an object', [item({}, { ItemShop: shop('1', '5') })], [level('1', '5')]],
    ['only the shopID 0 summary, as an object: no level', [item({}, { ItemShop: shop('0', '5') })], []],
    ['no ItemShops at all ("")', [item({}, '')], []],
    [
      'a query answer of one item, sent as an object',
      { '@attributes': { next: '', previous: '' }, Item: item({}, { ItemShop: shop('2', '3') }) },
      [level('2', '3')],
    ],
    [
      'negative qoh stays negative; sellable 0 as R-Series sends it',
      [item({}, { ItemShop: [shop('1', '-3', '0')] })],
      [level('1', '-3', { available: '0' })],
    ],
    [
      'decimals stay the exact text that came (never rounded)',
      [item({}, { ItemShop: [shop('1', '12.5', '4.99999999999999999999')] })],
      [level('1', '12.5', { available: '4.99999999999999999999' })],
    ],
    [
      'no sellable: no available, the step reads qoh',
      [item({}, { ItemShop: [shop('1', '8', null)] })],
      [level('1', '8', { available: undefined })],
    ],
    [
      'no customSku: the systemSku (SKU_FIELDS order)',
      [item({ customSku: '' }, { ItemShop: [shop('1', '4')] })],
      [level('1', '4', { sku: '210000000041' })],
    ],
    [
      'shops in shopID order, whatever order they came in',
      [item({}, { ItemShop: [shop('10', '1'), shop('2', '2'), shop('0', '3')] })],
      [level('2', '2'), level('10', '1')],
    ],
    [
      'a non-inventory item gives no level ("Inventory for these items is not tracked")',
      [item({ itemType: 'non_inventory' })],
      [],
    ],
  ];

  it.each(CASES)('%s', (_name, input, expected) => {
    const want = expected.map((l) => Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined)));
    expect(stockLevelsFromItems(input)).toEqual(want);
  });

  it('reads records the client has normalised the same (numbers, booleans, arrays)', () => {
    const [normalised] = itemListSchema.parse({ Item: item({ archived: 'true' }) }).records;
    expect(stockLevelsFromItems([normalised])).toEqual([
      level('1', 120, { archived: true }),
      level('2', 6, { archived: true }),
    ]);
  });

  it('takes another SKU order, and ItemShops read apart (joined by itemID, replacing the relation per shop)', () => {
    expect(stockLevelsFromItems([item()], { skuFields: ['systemSku', 'customSku'] })[0]?.sku).toBe('210000000041');
    const apart = { ItemShop: [shop('2', '9'), shop('3', '1'), shop('1', '4', '4', { itemID: '99' })] };
    expect(stockLevelsFromItems([item()], { itemShops: apart })).toEqual([
      level('1', '120'),
      level('2', '9'),
      level('3', '1'),
    ]);
  });

  it('refuses, naming the record, what means R-Series or the read changed', () => {
    expect(() => stockLevelsFromItems([item(), 'MUG'])).toThrow(/Item 1 is not an object/);
    expect(() => stockLevelsFromItems([item({ itemID: 'x' })])).toThrow(/Item 0: itemID is "x", not an ID/);
    expect(() => stockLevelsFromItems([item({ archived: 'yes' })])).toThrow(/archived is "yes"/);
    expect(() => stockLevelsFromItems([item({}, { ItemShop: [shop('1', '1', '1', { itemID: '42' })] })])).toThrow(
      /ItemShop 0 is item 42's, not this item's/,
    );
    expect(() => stockLevelsFromItems([item({}, { ItemShop: [shop('', '1')] })])).toThrow(/shopID is ""/);
  });

  it('writes the stock query, and the watermark for the next run', () => {
    expect(stockQuery()).toEqual({ load_relations: '["ItemShops"]', archived: 'true', sort: 'itemID', limit: '100' });
    expect(stockQuery({ since: '2026-11-20T00:00:00+00:00', limit: 2 })).toMatchObject({
      'ItemShops.timeStamp': '>=,2026-11-20T00:00:00+00:00',
      limit: '2',
    });
    expect(() => stockQuery({ since: 'yesterday' })).toThrow(RangeError);
    expect(() => stockQuery({ limit: 101 })).toThrow(RangeError);
    const items = [
      item({}, { ItemShop: [shop('1', '1', '1', { timeStamp: '2026-11-21T10:00:00+01:00' })] }),
      item({}, { ItemShop: shop('2', '1', '1', { timeStamp: '2026-11-21T09:30:00+00:00' }) }),
    ];
    expect(itemShopWatermark(items)).toBe('2026-11-21T09:30:00+00:00');
    expect(itemShopWatermark([])).toBeUndefined();
  });
});

describe('R-Series stock through the fake R-Series', () => {
  const clock = Date.parse('2026-11-22T09:00:00Z');
  let sandbox: LightspeedRSandbox;
  let api: LightspeedRClient;
  beforeEach(() => {
    sandbox = new LightspeedRSandbox(fixtureData, { now: () => clock });
    server.use(...mswHandlers(SANDBOX_ORIGIN, sandbox));
    // One client a test: the refresh token rotates, so a second client starting from the first token is refused.
    api = new LightspeedRClient(sandboxConfig(), {
      sleep: async () => {},
      now: () => clock,
      random: () => 1,
      log: () => {},
    });
  });
  const client = () => api;
  const read = async (options: { since?: string; limit?: number } = {}) => {
    const pages: unknown[] = [];
    for await (const [page] of client().stockPages(options)) pages.push(page);
    return pages;
  };
  const show = (levels: StockLevel[]) =>
    levels.map(
      (l) =>
        `${l.sku}@${l.location} ${String(l.on_hand)}/${String(l.available)}${l.archived ? ' archived' : ''}` +
        `${l.has_variants ? ' parent' : ''}`,
    );
  const ALL = [
    'MUG-ENAMEL-WHT@1 120/120',
    'MUG-ENAMEL-WHT@2 6/6',
    'TOWEL-LINEN-NAT@1 -3/0',
    'TOWEL-LINEN-NAT@2 6/6',
    'JUG-STONE-1L@1 0/0 archived',
    'JUG-STONE-1L@2 0/0 archived',
    '210000000044@1 4/4',
    '210000000044@2 0/0',
    'TSHIRT-WHT-S@1 7/7',
    'TSHIRT-WHT-S@2 6/6',
  ];

  it('serves the fixture: the catalogue items with their ItemShops', async () => {
    const fixture = await loadFixture(ROOT, FIXTURE);
    expect(show(stockLevelsFromItems(fixture.body))).toEqual(ALL);
  });

  it('pages by @attributes.next, archived items included, the last page of one item an object', async () => {
    const pages = await read({ limit: 2 });
    // Seven items: the five with ItemShops, and items 22 and 48 (items/get.json, items/delete.json) with none.
    const gets = sandbox.calls.filter((call) => call.startsWith('GET /API'));
    expect(gets).toHaveLength(4);
    expect(gets[0]).toBe(
      'GET /API/V3/Account/12345/Item.json?limit=2&load_relations=%5B%22ItemShops%22%5D&archived=true&sort=itemID',
    );
    expect(gets.slice(1).every((call) => /&after=/.test(call))).toBe(true);
    const last = pages[3] as { Item: unknown; '@attributes': { next: string } };
    expect(Array.isArray(last.Item)).toBe(false);
    expect(last['@attributes'].next).toBe('');
    expect(show(stockLevelsFromItems(pages))).toEqual(ALL);
  });

  it('reads only the items whose ItemShops changed since a time, and gives the next watermark', async () => {
    const pages = await read({ since: '2026-11-20T00:00:00+00:00' });
    expect(sandbox.calls.at(-1)).toContain('ItemShops.timeStamp=%3E%3D%2C2026-11-20T00%3A00%3A00%2B00%3A00');
    expect(show(stockLevelsFromItems(pages))).toEqual(ALL.slice(4, 8));
    const mark = itemShopWatermark(pages);
    expect(mark).toBe('2026-11-21T10:20:40+00:00');
    expect(show(stockLevelsFromItems(await read({ since: mark })))).toEqual(ALL.slice(6, 8));
    expect(stockLevelsFromItems(await read({ since: '2026-11-22T00:00:00+00:00' }))).toEqual([]);
  });

  it("serves it as the flow endpoint listItems, run as built: one page's items a payload", async () => {
    const { engine, handlers } = await createSandbox(ROOT);
    server.use(...handlers);
    const result = await engine.call({
      connector: 'lightspeed-r',
      operationId: 'listItems',
      variables: stockQuery({ since: '2026-11-21T00:00:00+00:00' }),
      body: '',
      retries: 0,
      allowUnsuccessfulStatuses: false,
      timeoutSeconds: 30,
    });
    // One item changed since: one page, its Item (the endpoint's data path) an object, as R-Series sends one.
    expect(result.pages).toHaveLength(1);
    expect(Array.isArray(JSON.parse(result.pages[0]!))).toBe(false);
    expect(show(result.pages.flatMap((page) => stockLevelsFromItems(JSON.parse(page))))).toEqual(ALL.slice(6, 8));
    expect(result.line).toMatch(
      /^GET \/API\/V3\/Account\/12345\/Item\.json\?ItemShops\.timeStamp=%3E%3D%2C2026-11-21T/,
    );
  });

  it('polls ItemShop.json by timeStamp too, joined to the items read apart', async () => {
    const answer = await api.all(
      '/ItemShop.json',
      { sort: 'timeStamp', timeStamp: '>=,2026-11-21T00:00:00+00:00' },
      itemShopListSchema,
    );
    expect(answer.map((s) => s.itemShopID)).toEqual([913, 914, 915]);
    const items = await api.itemsById([44]);
    expect(show(stockLevelsFromItems(items, { itemShops: answer }))).toEqual(ALL.slice(6, 8));
  });

  it('refuses an unsortable field, a search in a relation not loaded, a time that is no date', async () => {
    const get = (query: Record<string, string>) => client().all('/Item.json', query, itemListSchema);
    await expect(get({ sort: 'customSku' })).rejects.toBeInstanceOf(LightspeedRApiError);
    await expect(get({ sort: 'customSku' })).rejects.toThrow(/sort: customSku is not sortable/);
    await expect(get({ 'ItemShops.timeStamp': '>=,2026-11-20T00:00:00+00:00' })).rejects.toThrow(
      /ItemShops relation is not loaded/,
    );
    await expect(get({ ...stockQuery(), 'ItemShops.timeStamp': '>=,yesterday' })).rejects.toThrow(/is not a date/);
    await expect(get({ ...stockQuery(), 'ItemShops.colour': 'red' })).rejects.toThrow(/ItemShop has no field colour/);
  });

  it('gives levels map-stock-to-sparklayer publishes: sellable, archived at 0, variants as themselves', async () => {
    const levels = stockLevelsFromItems(await read());
    const { envelope } = run(step, levels, {
      variables: { location_map: JSON.stringify({ '1': 'SHOP-CITY', '2': 'SHOP-MALL' }) },
    });
    expect(envelope.exceptions).toEqual([]);
    expect(envelope.records).toEqual([
      { sku: 'MUG-ENAMEL-WHT', stock_location_external_id: 'SHOP-CITY', stock_level: 120 },
      { sku: 'MUG-ENAMEL-WHT', stock_location_external_id: 'SHOP-MALL', stock_level: 6 },
      { sku: 'TOWEL-LINEN-NAT', stock_location_external_id: 'SHOP-CITY', stock_level: 0 },
      { sku: 'TOWEL-LINEN-NAT', stock_location_external_id: 'SHOP-MALL', stock_level: 6 },
      { sku: 'JUG-STONE-1L', stock_location_external_id: 'SHOP-CITY', stock_level: 0 },
      { sku: 'JUG-STONE-1L', stock_location_external_id: 'SHOP-MALL', stock_level: 0 },
      { sku: '210000000044', stock_location_external_id: 'SHOP-CITY', stock_level: 4 },
      { sku: '210000000044', stock_location_external_id: 'SHOP-MALL', stock_level: 0 },
      { sku: 'TSHIRT-WHT-S', stock_location_external_id: 'SHOP-CITY', stock_level: 7 },
      { sku: 'TSHIRT-WHT-S', stock_location_external_id: 'SHOP-MALL', stock_level: 6 },
    ]);
    expect(envelope.skipped).toEqual([]);
  });
});
