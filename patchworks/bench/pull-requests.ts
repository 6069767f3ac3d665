/**
 * Requests per run of an order flow's SparkLayer pull, for a store with a long history: how many list calls
 * (`GET /api/v1/purchases?…`) one run makes as a first run with no state (the look-back), as a steady-state run
 * (changed since the watermark, less the overlap), and, for contrast, as a pull with no since filter (the whole
 * history). Counted, not computed: the requests are really sent and the SparkLayer fake's `calls` are counted.
 *
 * What runs is the request path of the flow's pull, not the whole flow: plan-order-pull as built (dist/scripts, on
 * Node 18 when tools/node18 has it, as the local runner runs it) on the order queue a run would read, for meta
 * `pull_since`; then the flow's 'Pull SparkLayer purchases' connection shape, its variables filled from the flow's
 * variables and that meta, through the connection engine on the built definition (dist/connectors), against a
 * SparkLayerSandbox served by msw holding the generated purchases. Booking tens of thousands of orders through the
 * Node 18 script bundles would take the bench minutes and is not what is measured here.
 */
import path from 'node:path';
import type { HttpHandler } from 'msw';
import { setupServer } from 'msw/node';
import {
  SANDBOX_BASE_URL,
  SparkLayerSandbox,
  sandboxDataFromFixtures,
} from '../../connectors/sparklayer/dev/sandbox.js';
import type { OrderQueue } from '../../model/order-queue.js';
import { fillPlaceholders, walkShapes, type Blueprint, type Placeholder, type Shape } from '../blueprint/blueprint.js';
import { loadBlueprints } from '../blueprint/catalog.js';
import type { PatchworksData } from '../../runtime/contract.js';
import { findNode18, runBundle } from '../runner/run-bundle.js';
import { SANDBOX_AS_OF, sandboxEngine } from '../runner/systems.js';
import { mswHandlers } from '../../contracts/hosts.js';
import { orderTemplate } from './order-payloads.js';

type Json = Record<string, unknown>;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** The order flow whose shapes are read (the three order blueprints share order-flow.ts's pull). */
const FLOW = 'sparklayer-orders-to-netsuite';
const PLAN_SHAPE = 'Plan the pull';
const PULL_SHAPE = 'Pull SparkLayer purchases';
const SINCE_VARIABLE = 'dates[last_updated][gte]';
/** A list call, as the fake records it. */
export const LIST_CALL = 'GET /api/v1/purchases?';

export const PULL_REQUESTS_NOTE =
  "The pull's request path only: plan-order-pull as built, then the flow's 'Pull SparkLayer purchases' " +
  'shape through the connection engine on the built definition against the SparkLayer fake (msw); the ' +
  'rest of the flow is not run.';

export interface PullRequestsOptions {
  /** Purchases last updated before the watermark, spread evenly over `historyDays` up to it. */
  historical: number;
  /** Purchases updated after the watermark (between it and `asOf`). */
  changed: number;
  /** Flow variable page_size; the flow's default when absent. */
  pageSize?: number;
  /** How far back the history goes (days); 365 unless given. */
  historyDays?: number;
  /** This run's instant; the sandbox's clock unless given. */
  asOf?: string;
  /** The last finished run's start; one schedule tick (15 minutes) before `asOf` unless given. */
  watermark?: string;
  /** Puts the fake's handlers in front of the requests and returns how to take them away: a server of its own unless
   * given. */
  serve?: (handlers: HttpHandler[]) => () => void;
}

export interface PullRun {
  run: string;
  /** What the steady-state and first runs pull from (meta pull_since); null for the unfiltered contrast. */
  pullSince: string | null;
  /** plan-order-pull's meta pull_from: `lookback` or `watermark`; null when it was not run. */
  pullFrom: string | null;
  /** SparkLayer list calls (`GET /api/v1/purchases?…`) the pull made. */
  listCalls: number;
  /** The payloads the shape output (one per page). */
  payloads: number;
  /** Purchases in those payloads. */
  purchases: number;
  /** How many of them were changed after the watermark. */
  changed: number;
  /** The first list call, as the fake saw it. */
  firstCall: string;
}

export interface PullRequestsResult {
  flow: string;
  historical: number;
  changed: number;
  pageSize: number;
  historyDays: number;
  asOf: string;
  watermark: string;
  lookbackDays: number;
  overlapMinutes: number;
  /** How `pull_since` was planned: plan-order-pull's built bundle on Node 18, or on this Node when tools/node18 is
   * absent. */
  planRanOn: string;
  runs: PullRun[];
  note: string;
}

export async function measurePullRequests(root: string, options: PullRequestsOptions): Promise<PullRequestsResult> {
  const blueprint = (await loadBlueprints(root)).find((candidate) => candidate.key === FLOW);
  if (!blueprint) throw new Error(`no blueprint ${FLOW}`);
  const plan = shapeNamed(blueprint, PLAN_SHAPE, 'script');
  const pull = shapeNamed(blueprint, PULL_SHAPE, 'connection');
  if (pull.variables[SINCE_VARIABLE] === undefined)
    throw new Error(`${FLOW} "${PULL_SHAPE}" sends no ${SINCE_VARIABLE}`);

  const asOf = options.asOf ?? SANDBOX_AS_OF;
  const asOfAt = Date.parse(asOf);
  const watermarkAt = options.watermark === undefined ? asOfAt - 15 * MINUTE : Date.parse(options.watermark);
  const historyDays = options.historyDays ?? 365;
  const flowVariables: Record<string, string> = {
    ...Object.fromEntries(
      Object.entries(blueprint.variables).map(([name, variable]) => [name, variable.default ?? '']),
    ),
    as_of: asOf,
    ...(options.pageSize === undefined ? {} : { page_size: String(options.pageSize) }),
  };

  const template = (await orderTemplate(root)).order;
  const purchases = [
    ...Array.from({ length: options.historical }, (_, i) =>
      purchaseAt(
        template,
        `history-${i}`,
        watermarkAt - ((options.historical - i) * historyDays * DAY) / options.historical,
      ),
    ),
    ...Array.from({ length: options.changed }, (_, i) =>
      purchaseAt(template, `changed-${i}`, watermarkAt + ((i + 1) * (asOfAt - watermarkAt)) / (options.changed + 1)),
    ),
  ];
  const fake = new SparkLayerSandbox({ ...(await sandboxDataFromFixtures(root)), purchases });
  const engine = await sandboxEngine(root, async () => undefined);
  const node18 = findNode18(root);
  const node = 'path' in node18 ? node18.path : process.execPath;
  const bundle = path.join(root, 'dist', 'scripts', `${plan.step}.js`);

  /** plan-order-pull as the flow runs it, on the order queue `states` (what 'Read the order queue' maps in). */
  const planned = async (states: OrderQueue[]): Promise<Record<string, string>> => {
    const variables = Object.fromEntries(
      Object.entries(plan.variables).map(([key, text]) => [key, filled(text, flowVariables, {})]),
    );
    const data: PatchworksData = {
      payload: JSON.stringify({ queue: states }),
      variables,
      meta: {},
      flow: { variables: { ...flowVariables } },
    };
    const run = await runBundle(node, bundle, data);
    if (run.error !== undefined || !run.result)
      throw new Error(`${plan.step}: ${run.error ?? 'the script returned nothing'}`);
    return Object.fromEntries(Object.entries(run.result.meta ?? {}).map(([key, value]) => [key, String(value)]));
  };

  const pulled = async (name: string, meta: Record<string, string> | null): Promise<PullRun> => {
    const variables = Object.fromEntries(
      Object.entries(pull.variables).map(([key, text]) => [key, filled(text, flowVariables, meta ?? {})]),
    );
    // No since filter: the engine sends no empty variable, so this is the same shape without it.
    if (meta === null) variables[SINCE_VARIABLE] = '';
    const before = fake.calls.length;
    const result = await engine.call({
      connector: pull.connector,
      operationId: pull.endpoint,
      variables,
      body: '',
      retries: pull.retries,
      allowUnsuccessfulStatuses: pull.allow_unsuccessful_statuses,
      timeoutSeconds: pull.timeout_seconds,
    });
    const calls = fake.calls.slice(before).filter((call) => call.startsWith(LIST_CALL));
    const records = result.pages.flatMap((page) => JSON.parse(page) as Json[]);
    return {
      run: name,
      pullSince: meta === null ? null : (variables[SINCE_VARIABLE] ?? null),
      pullFrom: meta?.pull_from ?? null,
      listCalls: calls.length,
      payloads: result.pages.length,
      purchases: records.length,
      changed: records.filter((record) =>
        String((record.purchase_identifiers as Json | undefined)?.sparklayer).startsWith('changed-'),
      ).length,
      firstCall: calls[0] ?? '',
    };
  };

  const unserve = (options.serve ?? ownServer)(mswHandlers(SANDBOX_BASE_URL, fake));
  const runs: PullRun[] = [];
  try {
    runs.push(await pulled('first run, no state (look-back)', await planned([])));
    const kept: OrderQueue = { watermark: new Date(watermarkAt).toISOString(), entries: [] };
    runs.push(await pulled('steady state (since the watermark)', await planned([kept])));
    runs.push(await pulled('no since filter (whole history)', null));
  } finally {
    unserve();
  }
  return {
    flow: FLOW,
    historical: options.historical,
    changed: options.changed,
    pageSize: Number(flowVariables.page_size),
    historyDays,
    asOf,
    watermark: new Date(watermarkAt).toISOString(),
    lookbackDays: Number(flowVariables.lookback_days),
    overlapMinutes: Number(flowVariables.overlap_minutes),
    planRanOn: 'path' in node18 ? 'Node 18 (dist/scripts)' : `Node ${process.version} (dist/scripts; no tools/node18)`,
    runs,
    note: PULL_REQUESTS_NOTE,
  };
}

/** The documented order with its own ids, every date at `at` (whole seconds, as SparkLayer writes them). */
function purchaseAt(template: Json, id: string, at: number): Json {
  const stamp = new Date(Math.floor(at / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
  const dates = Object.fromEntries(Object.keys((template.dates as Json | undefined) ?? {}).map((key) => [key, stamp]));
  return {
    ...template,
    purchase_identifiers: {
      ...(template.purchase_identifiers as Json),
      sparklayer: id,
      platform: '',
      visible: id.toUpperCase(),
    },
    dates: { ...dates, last_updated: stamp },
    revision_date: stamp,
  };
}

function shapeNamed<T extends Shape['type']>(blueprint: Blueprint, name: string, type: T): Extract<Shape, { type: T }> {
  const shape = [...walkShapes(blueprint.shapes)].find((candidate) => candidate.name === name);
  if (shape?.type !== type) throw new Error(`${blueprint.key} has no ${type} shape "${name}"`);
  return shape as Extract<Shape, { type: T }>;
}

/** A shape's text with its flow variables and meta filled, as the flow runner fills them; anything else fails. */
function filled(text: string, variables: Record<string, string>, meta: Record<string, string>): string {
  return fillPlaceholders(text, (placeholder: Placeholder) => {
    if (placeholder.kind === 'flow.variables' && variables[placeholder.name] !== undefined)
      return variables[placeholder.name];
    if (placeholder.kind === 'meta') return meta[placeholder.name] ?? '';
    throw new Error(`the bench cannot fill ${placeholder.kind}.${placeholder.name} in ${JSON.stringify(text)}`);
  });
}

function ownServer(handlers: HttpHandler[]): () => void {
  const server = setupServer(...handlers);
  server.listen({ onUnhandledRequest: 'error' });
  return () => server.close();
}

/** The figures as the bench prints them. */
export function pullRequestsTable(result: PullRequestsResult): Json[] {
  return result.runs.map((run) => ({
    run: run.run,
    'pull since': run.pullSince ?? '(none)',
    'list calls': run.listCalls,
    purchases: run.purchases,
    'changed since watermark': run.changed,
    // The steady state's: last updated in the overlap before the watermark, pulled again (the de-dupe pool drops any
    // booked).
    'older than watermark': run.purchases - run.changed,
  }));
}
