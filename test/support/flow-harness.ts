// Runs a blueprint on the sandbox, as `npm start` does, for flow tests that assert each shape's output (n8n-style).
import path from 'node:path';
import { expect } from 'vitest';
import { loadBlueprints } from '../../patchworks/blueprint/catalog.js';
import { loadClientConfig, type ClientConfig } from '../../patchworks/blueprint/client-config.js';
import { keptQueue as keptQueueIn, type KeptQueue } from '../../patchworks/runner/order-queue-view.js';
import { KeptCaches } from '../../patchworks/runner/caches.js';
import { DataPools } from '../../patchworks/runner/data-pool.js';
import type { Envelope } from '../../runtime/envelope.js';
import type { FlowRunResult, ShapeRun } from '../../patchworks/runner/flow-runner.js';
import type { ConnectionEngine } from '../../patchworks/runner/connection-engine.js';
import { runBlueprint } from '../../patchworks/runner/run-blueprint.js';
import { createSandbox, SANDBOX_AS_OF, type Sandbox, type SandboxOptions } from '../../patchworks/runner/systems.js';
import { server } from './msw.js';

export const ROOT = process.cwd();
export const EXAMPLE_CLIENT = path.join(ROOT, 'clients', 'example-homewares.json');

export interface SandboxFlows {
  sandbox: Sandbox;
  client: ClientConfig;
  pools: DataPools;
  /** The flow- and company-scope caches (each order flow's queue and watermark), shared by the runs. */
  caches: KeptCaches;
  /** Loses every data pool value and cache, as Patchworks may (pools after 90 days, caches after at most 7). */
  forgetState(): void;
  run(
    flowKey: string,
    options?: {
      client?: ClientConfig;
      live?: boolean;
      pools?: DataPools;
      engine?: ConnectionEngine;
      asOf?: string;
      variables?: Record<string, string>;
      /** Changes the rendered flow before it runs, as an edit after import would. */
      editImported?: (rendered: Record<string, unknown>) => unknown;
    },
  ): Promise<FlowRunResult>;
}

/**
 * Fresh fakes (served by the suite's msw server), a fresh data pool and fresh caches; runs share them, as reruns
 * do. Each run is as of the sandbox's clock unless `asOf` says otherwise.
 */
export async function sandboxFlows(sandboxOptions: SandboxOptions = {}): Promise<SandboxFlows> {
  const sandbox = await createSandbox(ROOT, sandboxOptions);
  server.use(...sandbox.handlers);
  const client = await loadClientConfig(EXAMPLE_CLIENT);
  const blueprints = await loadBlueprints(ROOT);
  const pools = new DataPools();
  const caches = new KeptCaches();
  return {
    sandbox,
    client,
    pools,
    caches,
    forgetState() {
      for (const name of pools.names()) pools.forget(name);
      caches.forget();
    },
    run(flowKey, options = {}) {
      const blueprint = blueprints.find((b) => b.key === flowKey);
      if (!blueprint) throw new Error(`no blueprint ${flowKey}`);
      // The built definitions run; a --live run holds every write, as `npm run flow -- --live` does.
      const engine = options.engine ?? sandbox.engine;
      const connections = options.live ? { engine, holdWrites: true } : { engine };
      const overrides = { as_of: options.asOf ?? SANDBOX_AS_OF, ...options.variables };
      return runBlueprint({
        root: ROOT,
        blueprint,
        client: options.client ?? client,
        connections,
        pools: options.pools ?? pools,
        caches,
        overrides,
        editImported: options.editImported,
      });
    },
  };
}

/** The shape with this name; fails the test with the names there are when it is missing. */
export function shapeRun(result: FlowRunResult, name: string): ShapeRun {
  const found = result.shapes.find((shape) => shape.name === name);
  if (!found) throw new Error(`no shape "${name}" in ${result.flow}: ${result.shapes.map((s) => s.name).join(', ')}`);
  return found;
}

/** What a shape output, each payload parsed. */
export function outputsOf(result: FlowRunResult, name: string): unknown[] {
  return shapeRun(result, name).outputs.map((payload) => JSON.parse(payload.body) as unknown);
}

/** A copy of the client's config with some of one flow's variables set. */
export function withFlowVariables(
  client: ClientConfig,
  flowKey: string,
  variables: Record<string, string>,
): ClientConfig {
  const copy = structuredClone(client);
  const flow = (copy.flows[flowKey] ??= { variables: {}, lookups: {} });
  flow.variables = { ...flow.variables, ...variables };
  return copy;
}

/** A copy of the client's config with one flow's lookup replaced. */
export function withFlowLookup(
  client: ClientConfig,
  flowKey: string,
  lookup: string,
  table: Record<string, string>,
): ClientConfig {
  const copy = structuredClone(client);
  const flow = (copy.flows[flowKey] ??= { variables: {}, lookups: {} });
  flow.lookups[lookup] = table;
  return copy;
}

/** The sandbox's two live orders (pack fixtures): company 0b5e… (the sandbox company) and company c9d8…. */
export const EXAMPLE_ORDER = '6301bbfc-a0c5-454e-8ff9-bb510944fe0c';
export const SAMPLE_ORDER = '8df08078-a22e-4180-85c2-c2af3977a654';

/** The purchase ids of an envelope's records. */
export function purchaseIds(envelope: Envelope): Array<string | undefined> {
  return envelope.records.map(
    (r) => (r as { purchase_identifiers?: { sparklayer?: string } }).purchase_identifiers?.sparklayer,
  );
}

/**
 * What every order flow's shared spine (patchworks/blueprint/order-flow.ts) outputs on a first sandbox run, shape by
 * shape: the pull since the look-back (30 days before the sandbox's clock) gives the 9 purchases in pages of 5 (the
 * example client's page_size); nothing waits yet; all 9 in one payload to filter-live-orders, which keeps the two live
 * orders, skips the quote, cart, awaiting_approval, order_unconfirmed and the example order's second copy, and makes
 * the draft_order and the order with no id exceptions; the de-dupe pool, empty, drops nothing; once booked, both ids
 * are tracked.
 */
export function expectOrderSpine(result: FlowRunResult, pools: DataPools, pool: string): void {
  expect(shapeRun(result, 'Pull SparkLayer purchases').notes).toEqual([
    'sparklayer getPurchases: GET ' +
      '/api/v1/purchases?limit=5&dates%5Blast_updated%5D%5Bgte%5D=2026-10-23T09%3A00%3A00.000Z: 2 payloads',
  ]);
  expect((outputsOf(result, 'Pull SparkLayer purchases') as unknown[][]).map((page) => page.length)).toEqual([5, 4]);
  expect((outputsOf(result, 'Plan the pull') as Envelope[]).map((e) => e.records)).toEqual([[]]);
  const live = outputsOf(result, 'Keep live orders') as Envelope[];
  expect(live.map(purchaseIds)).toEqual([[EXAMPLE_ORDER, SAMPLE_ORDER]]);
  expect(live.flatMap((e) => e.skipped.map((s) => s.reason))).toEqual([
    'type:quote',
    'type:cart',
    'type:awaiting_approval',
    'type:order_unconfirmed',
    'duplicate',
  ]);
  expect(live.flatMap((e) => e.exceptions.map((x) => x.code)).sort()).toEqual([
    'MISSING_PURCHASE_ID',
    'UNKNOWN_PURCHASE_TYPE',
  ]);
  expect(shapeRun(result, 'Drop orders already booked').notes).toEqual(['2 checked, none seen before']);
  expect((outputsOf(result, 'Keep the order queue') as Envelope[]).map(purchaseIds)).toEqual([
    [EXAMPLE_ORDER, SAMPLE_ORDER],
  ]);
  expect(pools.values(pool)).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER]);
}

/** The order queue a flow kept (its flow cache order-queue), parsed as the next run's plan-order-pull reads it. */
export function keptQueue(flows: SandboxFlows, flowKey: string): KeptQueue | undefined {
  return keptQueueIn(flows.caches, flowKey);
}

/** The warnings a run's notify shapes sent (each message ends with the owner's group). */
export function warnings(result: FlowRunResult): string[] {
  return result.notifications.filter((n) => n.level === 'warning').map((n) => n.message);
}
