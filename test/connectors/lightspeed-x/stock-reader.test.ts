// X-Series stock into the pack's canonical stock levels: the reader record by record (deleted and inactive products,
// variant parents, levels kept exact), the request body and version cursor, the inventory records paged through the
// fake X-Series from its fixture (every request through msw, an unplanned one fails) and read again from a cursor, what
// the fake refuses, and the levels accepted by map-stock-to-sparklayer.
import { beforeEach, describe, expect, it } from 'vitest';
import { LightspeedXClient } from '../../../connectors/lightspeed-x/dev/client.js';
import {
  LightspeedXSandbox,
  SANDBOX_BASE_URL,
  SANDBOX_CREDENTIALS,
  sandboxConfig,
  sandboxDataFromFixtures,
} from '../../../connectors/lightspeed-x/dev/sandbox.js';
import {
  inventoryCursor,
  inventoryRequest,
  stockLevelsFromXSeries,
} from '../../../connectors/lightspeed-x/stock-reader.js';
import { mswHandlers } from '../../../contracts/hosts.js';
import { createSandbox } from '../../../patchworks/runner/systems.js';
import type { StockLevel } from '../../../model/stock.js';
import { step } from '../../../scripts/map-stock-to-sparklayer/step.js';
import { server } from '../../support/msw.js';
import { run } from '../../support/run.js';
import { ROOT } from '../../support/steps.js';

const fixtureData = await sandboxDataFromFixtures(ROOT);

type Json = Record<string, unknown>;
const OUTLET = 'b8ca3a65-0183-11e4-fbb5-2816d2677218';
const product = (extra: Json = {}): Json => ({
  id: 'p-mug',
  sku: 'MUG-ENAMEL-WHT',
  active: true,
  is_active: true,
  has_variants: false,
  variant_parent_id: null,
  deleted_at: null,
  version: 10,
  ...extra,
});
const record = (extra: Json = {}): Json => ({
  id: 'i-1',
  outlet_id: OUTLET,
  product_id: 'p-mug',
  current_inventory_level: 40,
  deleted_at: null,
  version: 100,
  ...extra,
});
const level = (extra: Partial<StockLevel> = {}): StockLevel => ({
  sku: 'MUG-ENAMEL-WHT',
  location: OUTLET,
  on_hand: 40,
  product_id: 'p-mug',
  source: 'lightspeed-x',
  archived: false,
  has_variants: false,
  ...extra,
});

describe('X-Series stock reader: one inventory record, one stock level', () => {
  const CASES: Array<[string, Json, Json[], StockLevel]> = [
    ['a live product: its SKU, the outlet, the level as given', record(), [product()], level()],
    [
      'a deleted product (deleted_at set) is archived',
      record(),
      [product({ deleted_at: '2016-02-03T01:02:03+00:00', active: false, is_active: false })],
      level({ archived: true }),
    ],
    [
      'a product not sold on POS (is_active false) is archived',
      record(),
      [product({ is_active: false })],
      level({ archived: true }),
    ],
    [
      'an inactive product (active false) is archived',
      record(),
      [product({ active: false })],
      level({ archived: true }),
    ],
    [
      'a record with its own deleted_at is archived',
      record({ deleted_at: '2026-01-01T00:00:00+00:00' }),
      [product()],
      level({ archived: true }),
    ],
    [
      'a variant parent (has_variants) has variants',
      record({ product_id: 'p-apron' }),
      [product({ id: 'p-apron', sku: 'APRON-LINEN', has_variants: true })],
      level({ sku: 'APRON-LINEN', product_id: 'p-apron', has_variants: true }),
    ],
    [
      'a parent named only by its child’s variant_parent_id has variants too',
      record({ product_id: 'p-apron' }),
      [
        product({ id: 'p-apron', sku: 'APRON-LINEN' }),
        product({ id: 'p-apron-s', sku: 'APRON-S', variant_parent_id: 'p-apron' }),
      ],
      level({ sku: 'APRON-LINEN', product_id: 'p-apron', has_variants: true }),
    ],
    [
      'a variant child is a plain stock level',
      record({ product_id: 'p-apron-s' }),
      [product({ id: 'p-apron-s', sku: 'APRON-S', variant_parent_id: 'p-apron' })],
      level({ sku: 'APRON-S', product_id: 'p-apron-s' }),
    ],
    [
      'a fractional level stays the exact number',
      record({ current_inventory_level: 2.5 }),
      [product()],
      level({ on_hand: 2.5 }),
    ],
    [
      'a long decimal stays the number X-Series sent',
      record({ current_inventory_level: 4.99999 }),
      [product()],
      level({ on_hand: 4.99999 }),
    ],
    ['a negative level stays negative', record({ current_inventory_level: -3 }), [product()], level({ on_hand: -3 })],
    [
      'a level sent as text stays the text, for the step to read or report',
      record({ current_inventory_level: '12.50' }),
      [product()],
      level({ on_hand: '12.50' }),
    ],
    [
      'a missing level is "", for the step to report',
      record({ current_inventory_level: null }),
      [product()],
      level({ on_hand: '' }),
    ],
    [
      'a missing outlet stays blank, for the step to report',
      record({ outlet_id: undefined }),
      [product()],
      level({ location: '' }),
    ],
    [
      'of two versions of one product, the later counts (a delta laid over an earlier read)',
      record(),
      [product({ version: 12, deleted_at: '2026-01-01T00:00:00+00:00' }), product({ version: 11 })],
      level({ archived: true }),
    ],
  ];

  it.each(CASES)('%s', (_name, input, products, expected) => {
    expect(stockLevelsFromXSeries([input], products)).toEqual([expected]);
  });

  it('refuses, naming the record or product, what means the read changed', () => {
    expect(() => stockLevelsFromXSeries([record(), 'MUG'], [product()])).toThrow(/inventory record 1: not an object/);
    expect(() => stockLevelsFromXSeries([record({ product_id: '' })], [product()])).toThrow(/record 0: no product_id/);
    expect(() => stockLevelsFromXSeries([record({ product_id: 'p-gone' })], [product()])).toThrow(
      /product p-gone is not among the products read; read them with deleted=true/,
    );
    expect(() => stockLevelsFromXSeries([record()], [product({ is_active: 'no' })])).toThrow(
      /product 0 \(p-mug\): is_active is "no", not true or false/,
    );
    expect(() => stockLevelsFromXSeries([record({ deleted_at: 1 })], [product()])).toThrow(/deleted_at is 1/);
    expect(() => stockLevelsFromXSeries([record()], [{ sku: 'X' }])).toThrow(/product 0: no id/);
  });

  it('writes the request body: deleted products included, oldest first, from a cursor', () => {
    expect(inventoryRequest()).toEqual({ size: 1000, include_deleted: true, sort_direction: 'asc' });
    expect(inventoryRequest({ after: 3630064812, size: 5000 })).toEqual({
      after: 3630064812,
      size: 5000,
      include_deleted: true,
      sort_direction: 'asc',
    });
    expect(() => inventoryRequest({ size: 5001 })).toThrow(RangeError);
    expect(() => inventoryRequest({ after: -1 })).toThrow(RangeError);
  });

  it('keeps the cursor: the highest version, the one before when nothing came, and refuses one it cannot hold', () => {
    expect(inventoryCursor([record({ version: 7 }), record({ version: 9 }), record({ version: 8 })])).toBe(9);
    expect(inventoryCursor([], 42)).toBe(42);
    expect(inventoryCursor([record({ version: 3 })], 42)).toBe(42);
    expect(() => inventoryCursor([record({ version: 2 ** 53 })])).toThrow(/record 0: version 9007199254740992/);
    expect(() => inventoryCursor([record({ version: '5' })])).toThrow(/not a whole number/);
  });
});

describe('X-Series stock through the fake X-Series', () => {
  const clock = Date.parse('2026-11-22T09:00:00Z');
  let sandbox: LightspeedXSandbox;
  beforeEach(() => {
    sandbox = new LightspeedXSandbox(fixtureData, { now: () => clock });
    server.use(...mswHandlers(SANDBOX_BASE_URL, sandbox));
  });
  const client = () =>
    new LightspeedXClient(sandboxConfig(), { sleep: async () => {}, now: () => clock, random: () => 1, log: () => {} });
  const inventoryCalls = () => sandbox.calls.filter((call) => call.startsWith('POST /2026-07/inventory'));

  const A = 'b8ca3a65-0183-11e4-fbb5-2816d2677218';
  const B = '06bf537b-c783-11e6-f6b9-53a81bd6b215';
  const C = 'b1e04bd8-f019-11e3-a0f5-b8ca3a64f8f4';
  const NAMES: Record<string, string> = { [A]: 'A', [B]: 'B', [C]: 'C' };
  const show = (levels: StockLevel[]) =>
    levels.map(
      (l) =>
        `${l.sku}@${NAMES[l.location] ?? l.location} ${String(l.on_hand)}` +
        `${l.archived ? ' archived' : ''}${l.has_variants ? ' parent' : ''}`,
    );
  const EXPECTED = [
    '787878@A 21 parent',
    '787878@B 42 parent',
    '787878@C 19 parent',
    '787878-blk-s@A 7',
    '787878-blk-m@A 2.5',
    '0003@A 21',
    '0003@B -3',
    '0005@A 4 archived',
    '0006@A 12.75',
  ];

  it('pages through every record by version cursor, and reads each with the products into a stock level', async () => {
    const api = client();
    const { records, cursor } = await api.inventoryRecords({ size: 4 });
    expect(inventoryCalls()).toHaveLength(4); // 4 + 4 + 1 records, then an empty page
    expect(cursor).toBe(3630064815);
    const { products } = await api.listProducts();
    const levels = stockLevelsFromXSeries(records, products);
    expect(show(levels)).toEqual(EXPECTED);
    expect(levels.every((l) => l.source === 'lightspeed-x' && l.available === undefined)).toBe(true);
  });

  it('reads only what changed since the cursor the last run kept', async () => {
    // One client, as one run has: each token refresh revokes the refresh token used (rotation).
    const api = client();
    const first = await api.inventoryRecords();
    expect(first.records).toHaveLength(9);
    const mug = sandbox.inventoryRecords.find((r) => r.id === 'a020eed7-7f96-3b50-e133-a435dfbc2503')!;
    Object.assign(mug, { current_inventory_level: 20, version: 3630064900 });
    const next = await api.inventoryRecords({ after: first.cursor });
    expect(next.records.map((r) => [r.id, r.current_inventory_level])).toEqual([[mug.id, 20]]);
    expect(next.cursor).toBe(3630064900);
    const none = await api.inventoryRecords({ after: next.cursor });
    expect(none).toEqual({ records: [], cursor: 3630064900 });
    const { products } = await api.listProducts();
    expect(show(stockLevelsFromXSeries(next.records, products))).toEqual(['0003@A 20']);
  });

  it('serves the flow endpoints, run as built: one payload a page from after, and the products', async () => {
    const { engine, handlers } = await createSandbox(ROOT);
    server.use(...handlers);
    const request = { retries: 0, allowUnsuccessfulStatuses: false, timeoutSeconds: 30 };
    const inventory = await engine.call({
      ...request,
      connector: 'lightspeed-x',
      operationId: 'ListInventoryRecords',
      variables: {},
      body: JSON.stringify(inventoryRequest({ after: 3630064812 })),
    });
    // The records after the cursor, then the empty page that ends the read (the pagination script stops there).
    const pages = inventory.pages.map((page) => JSON.parse(page) as Json[]);
    expect(pages.map((page) => page.map((r) => r.version))).toEqual([[3630064813, 3630064814, 3630064815], []]);
    const products = await engine.call({
      ...request,
      connector: 'lightspeed-x',
      operationId: 'ListProducts',
      variables: { deleted: 'true' },
      body: '',
    });
    const productList = products.pages.flatMap((page) => JSON.parse(page) as Json[]);
    expect(show(stockLevelsFromXSeries(pages.flat(), productList))).toEqual(EXPECTED.slice(6));
    // A cursor that is no version never reaches the body.
    expect(() => inventoryRequest({ after: Number('yesterday') })).toThrow(/after is a version/);
  });

  it('answers deleted products’ records only with include_deleted, and refuses what X-Series refuses', async () => {
    const token = await fetch(`${SANDBOX_BASE_URL}/1.0/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: SANDBOX_CREDENTIALS.refreshToken,
        client_id: SANDBOX_CREDENTIALS.clientId,
        client_secret: SANDBOX_CREDENTIALS.clientSecret,
      }),
    }).then(async (answer) => ((await answer.json()) as { access_token: string }).access_token);
    const post = (body: unknown, path = '/2026-07/inventory', method = 'POST') =>
      fetch(`${SANDBOX_BASE_URL}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        ...(method === 'POST' ? { body: JSON.stringify(body) } : {}),
      });

    const live = (await (await post({ sort_direction: 'asc' })).json()) as Json[];
    expect(live.map((r) => r.product_id)).not.toContain('b8ca3a65-0183-11e4-fbb5-9776c5faaed2');
    expect(live).toHaveLength(8);
    const newestFirst = (await (await post({ include_deleted: true, size: 2 })).json()) as Json[];
    expect(newestFirst.map((r) => r.version)).toEqual([3630064815, 3630064814]);
    const family = (await (
      await post({ product_id: 'b8ca3a65-0183-11e4-fbb5-7988a6ed80f8', variants: true, sort_direction: 'asc' })
    ).json()) as Json[];
    expect(family).toHaveLength(5);

    for (const [body, message] of [
      [{ size: 5001 }, /size must be a whole number from 1 to 5000/],
      [{ size: 0 }, /size must be/],
      [{ after: 'latest' }, /after and before must be whole numbers/],
      [{ sort_direction: 'up' }, /sort_direction must be asc or desc/],
      [{ include_deleted: 'yes' }, /include_deleted must be true or false/],
      [{ offset: 100 }, /Unknown field\(s\): offset/],
      [[], /must be a JSON object/],
    ] as const) {
      const answer = await post(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(((await answer.json()) as { message: string }).message).toMatch(message);
    }
    expect((await post(undefined, '/2026-07/inventory', 'GET')).status).toBe(404);
  });

  it('gives levels map-stock-to-sparklayer publishes: decimals floored, deleted at 0, parents skipped', async () => {
    const api = client();
    const levels = stockLevelsFromXSeries((await api.inventoryRecords()).records, (await api.listProducts()).products);
    const { envelope } = run(step, levels, {
      variables: { location_map: JSON.stringify({ [A]: 'WH-A', [B]: 'WH-B', [C]: 'WH-C' }) },
    });
    expect(envelope.exceptions).toEqual([]);
    expect(envelope.records).toEqual([
      { sku: '787878-blk-s', stock_location_external_id: 'WH-A', stock_level: 7 },
      { sku: '787878-blk-m', stock_location_external_id: 'WH-A', stock_level: 2 },
      { sku: '0003', stock_location_external_id: 'WH-A', stock_level: 21 },
      { sku: '0003', stock_location_external_id: 'WH-B', stock_level: 0 },
      { sku: '0005', stock_location_external_id: 'WH-A', stock_level: 0 },
      { sku: '0006', stock_location_external_id: 'WH-A', stock_level: 12 },
    ]);
    expect(envelope.skipped.map((s) => [s.id, s.reason])).toEqual([
      [`787878@${A}`, 'variant-parent'],
      [`787878@${B}`, 'variant-parent'],
      [`787878@${C}`, 'variant-parent'],
    ]);
  });
});
