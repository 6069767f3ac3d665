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
 */
import path from 'node:path';
import { walkShapes, type Blueprint, type Shape } from '../blueprint/blueprint.js';
import { loadBlueprints } from '../blueprint/catalog.js';
import type { PatchworksData } from '../../runtime/contract.js';
import { findNode18, runBundle } from '../runner/run-bundle.js';
import { netsuiteStockPayload, stockVariables, type StockStore } from './stock-payloads.js';

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
  const node = 'path' in node18 ? node18.path : process.execPath;
  const payload = netsuiteStockPayload(store);
  const rows = (payload.records as unknown[]).length;
  const run = async (step: string, input: string, variables: Record<string, string>): Promise<PatchworksData> => {
    const bundle = path.join(root, 'dist', 'scripts', `${step}.js`);
    const data: PatchworksData = { payload: input, variables, meta: {}, flow: { variables: {} } };
    const result = await runBundle(node, bundle, data);
    if (result.error !== undefined || !result.result)
      throw new Error(`${step}: ${result.error ?? 'the script returned nothing'}`);
    return result.result;
  };
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
    ranOn: 'path' in node18 ? 'Node 18 (dist/scripts)' : `Node ${process.version} (dist/scripts; no tools/node18)`,
    note: STOCK_REQUESTS_NOTE,
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
