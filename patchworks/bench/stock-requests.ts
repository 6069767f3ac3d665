/**
 * Requests per run of a stock flow (issue 33 item 4): the API requests one 15-minute run of
 * netsuite-stock-to-sparklayer makes for a store of 100,000 levels with 1 % of them moved since the last run.
 *
 * - Back-end reads: the flow's 'Read NetSuite stock' shape pages SuiteQL by limit (the flow's page_size) and offset
 *   until hasMore is false, so one request per page of the store's SuiteQL rows (a last, short or exactly full, page
 *   ends it; an empty store still asks once).
 * - SparkLayer writes: the flow's 'Batches of stock rows' flow control splits map-stock-to-sparklayer's records into
 *   batches of its size (STOCK_BATCH_SIZE), one batch-update-stock request each (none when nothing moved).
 *
 * Computed, not re-typed: the records are what the steps as built (dist/scripts: netsuite-stock-levels, then
 * map-stock-to-sparklayer, on Node 18 when tools/node18 has it, as the local runner runs them) make of the generated
 * SuiteQL rows beside the rows last published (stock-payloads.ts), and the page and batch sizes are read from the
 * built blueprint's shapes and variables. No request is sent: retries (a 429 or 5xx) would add to these.
 *
 * The same for lightspeed-x-stock-to-sparklayer and lightspeed-r-stock-to-sparklayer on the same store, which keep
 * the records they read (flow cache stock-state, key kept) and read only what changed since: a steady run (the
 * records the last run kept, the rows it published, 1 % moved since) and the first run (nothing kept or published).
 * The kept records are what the built levels step kept of the store as the last run read it; the read is planned by
 * the built request/query step from them; what X-Series or R-Series answers is taken from the generated store as the
 * vendor documents its filter (records after the version; items with an ItemShop at or after since). X-Series'
 * inventory pages are counted by running the built pagination script page by page; its products, R-Series' items
 * and both open-order reads by the vendor's documented paging (the notes say which).
 */
import path from 'node:path';
import { walkShapes, type Blueprint, type Shape } from '../blueprint/blueprint.js';
import { loadBlueprints } from '../blueprint/catalog.js';
import type { PatchworksData } from '../../runtime/contract.js';
import { findNode18, runBundle } from '../runner/run-bundle.js';
import {
  netsuiteStockPayload,
  publishedStockRows,
  rSeriesItems,
  stockVariables,
  xSeriesOutletId,
  xSeriesStock,
  type StockStore,
} from './stock-payloads.js';

type Json = Record<string, unknown>;

const FLOW = 'netsuite-stock-to-sparklayer';
const READ_SHAPE = 'Read NetSuite stock';
const LEVELS_SHAPE = 'Read the NetSuite stock levels';
const MAP_SHAPE = 'Map stock to SparkLayer';
const BATCH_SHAPE = 'Batches of stock rows';
const SEND_SHAPE = 'Update SparkLayer stock';

/** 25,000 SKUs × 4 locations, one level in 100 moved since the rows last published. */
export const STOCK_REQUESTS_STORE: StockStore = { skus: 25_000, locations: 4, changedEvery: 100 };

export const STOCK_REQUESTS_NOTE =
  "Computed from the steps' output, not sent: netsuite-stock-levels and map-stock-to-sparklayer as built on the " +
  "generated SuiteQL rows beside the rows last published; one SuiteQL request per page of the flow's page_size, " +
  "one batch-update-stock request per batch of the flow's 'Batches of stock rows' size; retries would add to these.";

export interface StockRequestsResult {
  flow: string;
  /** Levels in the store (SuiteQL rows read). */
  levels: number;
  /** Levels whose published figure moved since the last run. */
  movedLevels: number;
  /** The flow's page_size (SuiteQL rows per read request). */
  pageSize: number;
  /** The flow's batch size (rows per batch-update-stock request). */
  batchSize: number;
  /** SuiteQL requests (POST /services/rest/query/v1/suiteql) one run makes. */
  readRequests: number;
  /** Rows map-stock-to-sparklayer publishes (what moved, cases included). */
  rowsPublished: number;
  /** batch-update-stock requests one run makes. */
  writeRequests: number;
  /** Levels the step found as last published (meta map_stock_to_sparklayer_unchanged). */
  unchanged: number;
  /** How the steps were run: Node 18 (dist/scripts), or this Node when tools/node18 is absent. */
  ranOn: string;
  note: string;
}

export async function measureStockRequests(
  root: string,
  store: StockStore = STOCK_REQUESTS_STORE,
): Promise<StockRequestsResult> {
  const blueprint = (await loadBlueprints(root)).find((candidate) => candidate.key === FLOW);
  if (!blueprint) throw new Error(`no blueprint ${FLOW}`);
  const read = shapeNamed(blueprint, READ_SHAPE, 'connection');
  const levels = shapeNamed(blueprint, LEVELS_SHAPE, 'script');
  const map = shapeNamed(blueprint, MAP_SHAPE, 'script');
  const batches = shapeNamed(blueprint, BATCH_SHAPE, 'flow-control');
  shapeNamed(blueprint, SEND_SHAPE, 'connection');
  if (batches.path !== 'records') throw new Error(`${FLOW} "${BATCH_SHAPE}" splits ${batches.path}, not records`);
  const pageSize = Number(filledFlowVariable(read.variables.limit, blueprint));
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error(`${FLOW} "${READ_SHAPE}" has no page size`);

  const node18 = findNode18(root);
  const run = stepRunner(root);
  const payload = netsuiteStockPayload(store);
  const rows = (payload.records as unknown[]).length;
  const levelled = await run(levels.step, JSON.stringify(payload), {});
  const mappedData = await run(map.step, String(levelled.payload), stockVariables(store));
  const mapped = JSON.parse(mappedData.payload as string) as { records: unknown[]; exceptions: unknown[] };
  if (mapped.exceptions.length > 0)
    throw new Error(`${map.step} raised ${mapped.exceptions.length} exceptions on the generated store`);
  const unchanged = Number((mappedData.meta as Record<string, unknown>).map_stock_to_sparklayer_unchanged);
  const levelCount = store.skus * store.locations;
  return {
    flow: FLOW,
    levels: rows,
    movedLevels: Math.floor((levelCount - 1) / store.changedEvery) + 1,
    pageSize,
    batchSize: batches.size,
    readRequests: Math.max(1, Math.ceil(rows / pageSize)),
    rowsPublished: mapped.records.length,
    writeRequests: Math.ceil(mapped.records.length / batches.size),
    unchanged,
    ranOn: ranOn(node18),
    note: STOCK_REQUESTS_NOTE,
  };
}

const ranOn = (node18: ReturnType<typeof findNode18>) =>
  'path' in node18 ? 'Node 18 (dist/scripts)' : `Node ${process.version} (dist/scripts; no tools/node18)`;

type RunStep = (step: string, input: string, variables: Record<string, string>) => Promise<PatchworksData>;

/** Runs a built script (dist/scripts/<step>.js) on Node 18 when tools/node18 has it, as the local runner does. */
function stepRunner(root: string): RunStep {
  const node18 = findNode18(root);
  const node = 'path' in node18 ? node18.path : process.execPath;
  return async (step, input, variables) => {
    const bundle = path.join(root, 'dist', 'scripts', `${step}.js`);
    const data: PatchworksData = { payload: input, variables, meta: {}, flow: { variables: {} } };
    const result = await runBundle(node, bundle, data);
    if (result.error !== undefined || !result.result)
      throw new Error(`${step}: ${result.error ?? 'the script returned nothing'}`);
    return result.result;
  };
}

function shapeNamed<T extends Shape['type']>(blueprint: Blueprint, name: string, type: T): Extract<Shape, { type: T }> {
  const shape = [...walkShapes(blueprint.shapes)].find((candidate) => candidate.name === name);
  if (shape?.type !== type) throw new Error(`${blueprint.key} has no ${type} shape "${name}"`);
  return shape as Extract<Shape, { type: T }>;
}

/** `{{flow.variables.x}}` as the flow's default fills it; any other text as it is. */
function filledFlowVariable(text: string | undefined, blueprint: Blueprint): string {
  if (text === undefined) return '';
  const match = /^\{\{\s*flow\.variables\.(\w+)\s*\}\}$/.exec(text.trim());
  if (!match) return text;
  return blueprint.variables[match[1]!]?.default ?? '';
}

/** The figures as the bench prints them. */
export function stockRequestsTable(result: StockRequestsResult): Json[] {
  return [
    {
      requests: 'NetSuite SuiteQL reads (POST /services/rest/query/v1/suiteql)',
      count: result.readRequests,
      'rows each': result.pageSize,
      rows: result.levels,
    },
    {
      requests: 'SparkLayer batch-update-stock (POST /api/v1/batch-update-stock)',
      count: result.writeRequests,
      'rows each': result.batchSize,
      rows: result.rowsPublished,
    },
  ];
}

/*
 * The Lightspeed stock flows, which keep what they read (flow cache stock-state, key kept) and read only what changed
 * since the last run: lightspeed-x-stock-to-sparklayer and lightspeed-r-stock-to-sparklayer, for the same store.
 */

/** One back-end read of a run: its requests, the records each page holds at most, and the records read. */
export interface StockRead {
  requests: string;
  count: number;
  pageSize: number;
  records: number;
  /** How the count was had: the built pagination script run page by page, or the vendor's documented paging. */
  counted: 'pagination script' | 'documented paging';
}

/** One run of a kept-read stock flow. */
export interface KeptStockRun {
  /** What the run's read asked for: the X-Series body's `after`, the R-Series item_shops_time_stamp ("" for all). */
  cursor: string;
  reads: StockRead[];
  /** Rows map-stock-to-sparklayer publishes. */
  rowsPublished: number;
  /** batch-update-stock requests. */
  writeRequests: number;
  /** Levels the map step found as last published. */
  unchanged: number;
}

export interface KeptStockRequestsResult {
  flow: string;
  levels: number;
  movedLevels: number;
  batchSize: number;
  /** The first run: nothing kept and nothing published (a new flow, or its stock-state cache cleared). */
  first: KeptStockRun;
  /** A steady run: the records the last run kept, the rows it published, 1 level in changedEvery moved since. */
  steady: KeptStockRun;
  ranOn: string;
  note: string;
}

export const LIGHTSPEED_X_STOCK_REQUESTS_NOTE =
  "Computed, not sent: the last run's kept records are what lightspeed-x-stock-levels (keep_records=yes) kept of the " +
  'store as it read it; lightspeed-x-inventory-request writes the body from them (after = their highest version, ' +
  "size the flow's inventory_page_size), and the inventory pages are what X-Series answers that body from the " +
  'generated records (those after the version, oldest first), paged by the built lightspeed-x-inventory-pages script ' +
  'until a page comes back empty; the products are read in full every run, one ListProducts request per ' +
  'product_page_size and the empty page that ends the version cursor (documented paging, ' +
  'https://x-series-api.lightspeedhq.com/docs/pagination, not run); the parked sales are one Search page (the store ' +
  'has none here: a page more per 1,000). Then lightspeed-x-stock-levels and map-stock-to-sparklayer as built, and ' +
  "one batch-update-stock per batch of the flow's batch size; retries would add to these.";

export const LIGHTSPEED_R_STOCK_REQUESTS_NOTE =
  "Computed, not sent: the last run's kept items are what lightspeed-r-stock-levels (keep_records=yes) kept of the " +
  'store as it read it; lightspeed-r-stock-query writes ItemShops.timeStamp=>=,<since> from them, and the items read ' +
  'are the generated items with an ItemShop modified at or after since (the relation search R-Series documents; ' +
  "the >= reads the items at the watermark again), one GET Item.json per page of the flow's page_size " +
  '(R-Series pages ' +
  'by @attributes.next until it is empty: documented paging, ' +
  'https://developers.lightspeedhq.com/retail/introduction/pagination/, not run); the open sales are one Sale.json ' +
  'page (none here: a page more per 100). Then lightspeed-r-stock-levels and map-stock-to-sparklayer as built, and ' +
  "one batch-update-stock per batch of the flow's batch size; retries would add to these.";

/** The X-Series inventory URL the pagination script is given back (any; it keeps it as it came). */
const X_INVENTORY_URL = 'https://example.retail.lightspeed.app/api/2026-07/inventory';

async function flowShapes(root: string, key: string) {
  const blueprint = (await loadBlueprints(root)).find((candidate) => candidate.key === key);
  if (!blueprint) throw new Error(`no blueprint ${key}`);
  const batches = shapeNamed(blueprint, BATCH_SHAPE, 'flow-control');
  shapeNamed(blueprint, SEND_SHAPE, 'connection');
  if (batches.path !== 'records') throw new Error(`${key} "${BATCH_SHAPE}" splits ${batches.path}, not records`);
  const filled = (variables: Record<string, string>) =>
    Object.fromEntries(Object.entries(variables).map(([name, text]) => [name, filledFlowVariable(text, blueprint)]));
  const count = (shape: { name: string; variables: Record<string, string> }, variable: string) => {
    const value = Number(filledFlowVariable(shape.variables[variable], blueprint));
    if (!Number.isInteger(value) || value < 1) throw new Error(`${key} "${shape.name}" has no ${variable}`);
    return value;
  };
  return { blueprint, batchSize: batches.size, map: shapeNamed(blueprint, MAP_SHAPE, 'script'), filled, count };
}

/** The rows and unchanged levels map-stock-to-sparklayer as built makes of the levels step's output. */
async function publish(run: RunStep, mapStep: string, levelled: PatchworksData, variables: Record<string, string>) {
  const mappedData = await run(mapStep, String(levelled.payload), variables);
  const mapped = JSON.parse(mappedData.payload as string) as { records: unknown[]; exceptions: unknown[] };
  if (mapped.exceptions.length > 0)
    throw new Error(`${mapStep} raised ${mapped.exceptions.length} exceptions on the generated store`);
  return {
    rows: mapped.records.length,
    unchanged: Number((mappedData.meta as Record<string, unknown>).map_stock_to_sparklayer_unchanged),
  };
}

function keptOf(levelled: PatchworksData, step: string): Json[] {
  const written = JSON.parse(levelled.payload as string) as { kept?: { records?: Json[] }; exceptions?: unknown[] };
  if (!written.kept?.records) throw new Error(`${step} wrote nothing to keep`);
  if ((written.exceptions ?? []).length > 0) throw new Error(`${step} raised exceptions on the generated store`);
  return written.kept.records;
}

const movedLevels = (store: StockStore) => Math.floor((store.skus * store.locations - 1) / store.changedEvery) + 1;

export async function measureLightspeedXStockRequests(
  root: string,
  store: StockStore = STOCK_REQUESTS_STORE,
): Promise<KeptStockRequestsResult> {
  const flow = 'lightspeed-x-stock-to-sparklayer';
  const { blueprint, batchSize, map, filled, count } = await flowShapes(root, flow);
  const plan = shapeNamed(blueprint, 'Plan the X-Series inventory read', 'script');
  const control = shapeNamed(blueprint, 'The X-Series inventory request', 'flow-control');
  const inventory = shapeNamed(blueprint, 'Read X-Series inventory', 'connection');
  const productsRead = shapeNamed(blueprint, 'Read X-Series products', 'connection');
  const parked = shapeNamed(blueprint, 'Read X-Series parked sales', 'connection');
  const levels = shapeNamed(blueprint, 'Read the X-Series stock levels', 'script');
  if (control.path !== 'requests' || control.size !== 1)
    throw new Error(`${flow}: "${control.name}" does not send the planned requests one by one`);
  const productPageSize = count(productsRead, 'page_size');
  const parkedPageSize = count(parked, 'page_size');
  const run = stepRunner(root);
  const mapVariables = stockVariables(store, xSeriesOutletId);
  const last = xSeriesStock(store, 'last run');
  const now = xSeriesStock(store, 'now');
  const byVersion = [...now.records].sort((a, b) => (a.version as number) - (b.version as number));

  // The inventory pages X-Series answers the planned body with, paged by the built pagination script.
  const readInventory = async (first: Json) => {
    let body = first;
    const read: Json[] = [];
    for (let requests = 1; ; requests += 1) {
      const after = typeof body.after === 'number' ? body.after : -1;
      const start = byVersion.findIndex((record) => (record.version as number) > after);
      const page = start < 0 ? [] : byVersion.slice(start, start + (body.size as number));
      read.push(...page);
      const request = { body: JSON.stringify(body), headers: {}, method: 'POST', url: X_INVENTORY_URL };
      const input = { request, response: { headers: {}, status_code: 200 }, payload: page };
      const next = JSON.parse((await run('lightspeed-x-inventory-pages', JSON.stringify(input), {})).payload as string);
      if (!next.has_next_page) return { read, requests };
      if (requests > 100_000) throw new Error('lightspeed-x-inventory-pages never ended the read');
      body = JSON.parse(next.body as string) as Json;
    }
  };

  const levelsVariables = filled(levels.variables);
  if (levelsVariables.keep_records !== 'yes') throw new Error(`${flow}: "${levels.name}" does not keep its records`);
  const products = [{ data: now.products }];
  const oneRun = async (kept: Json[], previous: Json[]): Promise<KeptStockRun> => {
    const planned = JSON.parse(
      (await run(plan.step, JSON.stringify({ records: kept }), filled(plan.variables))).payload as string,
    ) as { requests: Json[] };
    if (planned.requests.length !== 1) throw new Error(`${plan.step} planned ${planned.requests.length} reads`);
    const { read, requests } = await readInventory(planned.requests[0]!);
    const input = { records: [...kept, ...read], previous, products };
    const levelled = await run(levels.step, JSON.stringify(input), levelsVariables);
    keptOf(levelled, levels.step);
    const { rows, unchanged } = await publish(run, map.step, levelled, mapVariables);
    return {
      cursor: JSON.stringify(planned.requests[0]!.after ?? null),
      reads: [
        {
          requests: `X-Series ${inventory.endpoint} (POST /api/2026-07/inventory)`,
          count: requests,
          pageSize: planned.requests[0]!.size as number,
          records: read.length,
          counted: 'pagination script',
        },
        {
          requests: `X-Series ${productsRead.endpoint} (GET /api/2026-07/products, deleted=true)`,
          // Every page, a short one too, then the page after the last, which carries no version.max.
          count: Math.ceil(now.products.length / productPageSize) + 1,
          pageSize: productPageSize,
          records: now.products.length,
          counted: 'documented paging',
        },
        {
          requests: `X-Series ${parked.endpoint} (GET /api/2026-07/search, type=sales, state=parked)`,
          count: 1,
          pageSize: parkedPageSize,
          records: 0,
          counted: 'documented paging',
        },
      ],
      rowsPublished: rows,
      writeRequests: Math.ceil(rows / batchSize),
      unchanged,
    };
  };
  // The last run's kept records: what the levels step kept of the store as that run read it, nothing kept before.
  const lastRun = await run(
    levels.step,
    JSON.stringify({ records: last.records, previous: [], products: [{ data: last.products }] }),
    levelsVariables,
  );
  const first = await oneRun([], []);
  const steady = await oneRun(keptOf(lastRun, levels.step), publishedStockRows(store));
  return {
    flow,
    levels: now.records.length,
    movedLevels: movedLevels(store),
    batchSize,
    first,
    steady,
    ranOn: ranOn(findNode18(root)),
    note: LIGHTSPEED_X_STOCK_REQUESTS_NOTE,
  };
}

export async function measureLightspeedRStockRequests(
  root: string,
  store: StockStore = STOCK_REQUESTS_STORE,
): Promise<KeptStockRequestsResult> {
  const flow = 'lightspeed-r-stock-to-sparklayer';
  const { blueprint, batchSize, map, filled, count } = await flowShapes(root, flow);
  const plan = shapeNamed(blueprint, 'Plan the R-Series stock read', 'script');
  const items = shapeNamed(blueprint, 'Read R-Series stock', 'connection');
  const sales = shapeNamed(blueprint, 'Read R-Series open sales', 'connection');
  const levels = shapeNamed(blueprint, 'Read the R-Series stock levels', 'script');
  if (!/payload\.item_shops_time_stamp/.test(items.variables['ItemShops.timeStamp'] ?? ''))
    throw new Error(`${flow}: "${items.name}" does not search ItemShops.timeStamp by the planned query`);
  const pageSize = count(items, 'limit');
  const salesPageSize = count(sales, 'limit');
  const run = stepRunner(root);
  const mapVariables = stockVariables(store);
  const levelsVariables = filled(levels.variables);
  if (levelsVariables.keep_records !== 'yes') throw new Error(`${flow}: "${levels.name}" does not keep its records`);
  const now = rSeriesItems(store, 'now');
  const shopTimes = (item: Json) =>
    ((item.ItemShops as { ItemShop: Json[] }).ItemShop ?? []).map((shop) => Date.parse(shop.timeStamp as string));

  const oneRun = async (kept: Json[], previous: Json[]): Promise<KeptStockRun> => {
    const planned = JSON.parse(
      (await run(plan.step, JSON.stringify({ records: kept }), filled(plan.variables))).payload as string,
    ) as { item_shops_time_stamp: string };
    const search = planned.item_shops_time_stamp;
    // "" leaves the search out: every item. Else R-Series answers the items with an ItemShop at or after since.
    const match = /^>=,(.+)$/.exec(search);
    if (search !== '' && !match) throw new Error(`${plan.step} wrote an unexpected search ${search}`);
    const since = match ? Date.parse(match[1]!) : undefined;
    const read = since === undefined ? now : now.filter((item) => shopTimes(item).some((at) => at >= since));
    const levelled = await run(levels.step, JSON.stringify({ records: [...kept, ...read], previous }), levelsVariables);
    keptOf(levelled, levels.step);
    const { rows, unchanged } = await publish(run, map.step, levelled, mapVariables);
    return {
      cursor: search,
      reads: [
        {
          requests: `R-Series ${items.endpoint} (GET Item.json, load_relations ItemShops)`,
          count: Math.max(1, Math.ceil(read.length / pageSize)),
          pageSize,
          records: read.length,
          counted: 'documented paging',
        },
        {
          requests: `R-Series ${sales.endpoint} (GET Sale.json, completed=false)`,
          count: 1,
          pageSize: salesPageSize,
          records: 0,
          counted: 'documented paging',
        },
      ],
      rowsPublished: rows,
      writeRequests: Math.ceil(rows / batchSize),
      unchanged,
    };
  };
  const lastRun = await run(
    levels.step,
    JSON.stringify({ records: rSeriesItems(store, 'last run'), previous: [] }),
    levelsVariables,
  );
  const first = await oneRun([], []);
  const steady = await oneRun(keptOf(lastRun, levels.step), publishedStockRows(store, { parents: false }));
  return {
    flow,
    levels: store.skus * store.locations,
    movedLevels: movedLevels(store),
    batchSize,
    first,
    steady,
    ranOn: ranOn(findNode18(root)),
    note: LIGHTSPEED_R_STOCK_REQUESTS_NOTE,
  };
}

/** A kept-read flow's figures as the bench prints them: each run's reads, then its batch-update-stock requests. */
export function keptStockRequestsTable(result: KeptStockRequestsResult): Json[] {
  return (
    [
      ['steady state', result.steady],
      ['first run (nothing kept)', result.first],
    ] as const
  ).flatMap(([run, figures]) => [
    ...figures.reads.map((read) => ({
      run,
      requests: read.requests,
      count: read.count,
      'rows each': read.pageSize,
      rows: read.records,
    })),
    {
      run,
      requests: 'SparkLayer batch-update-stock (POST /api/v1/batch-update-stock)',
      count: figures.writeRequests,
      'rows each': result.batchSize,
      rows: figures.rowsPublished,
    },
  ]);
}
