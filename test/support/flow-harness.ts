// Runs a blueprint on the sandbox, as `npm start` does, for flow tests that assert each shape's output (n8n-style).
import path from 'node:path';
import { expect } from 'vitest';
import { loadBlueprints } from '../../patchworks/blueprint/catalog.js';
import { loadClientConfig, type ClientConfig } from '../../patchworks/blueprint/client-config.js';
import { DataPools } from '../../patchworks/runner/data-pool.js';
import type { Envelope } from '../../patchworks/runtime/envelope.js';
import type { FlowRunResult, ShapeRun } from '../../patchworks/runner/flow-runner.js';
import type { ConnectionEngine } from '../../patchworks/runner/connection-engine.js';
import { runBlueprint } from '../../patchworks/runner/run-blueprint.js';
import { createSandbox, type Sandbox, type SandboxClientOptions } from '../../patchworks/runner/systems.js';
import { server } from './msw.js';

export const ROOT = process.cwd();
export const EXAMPLE_CLIENT = path.join(ROOT, 'clients', 'example-homewares.json');

export interface SandboxFlows {
  sandbox: Sandbox;
  client: ClientConfig;
  pools: DataPools;
  run(flowKey: string, options?: { client?: ClientConfig; live?: boolean; pools?: DataPools; engine?: ConnectionEngine }): Promise<FlowRunResult>;
}

/** Fresh fakes (served by the suite's msw server) and a fresh data pool; runs share both, as reruns do. */
export async function sandboxFlows(clientOptions: SandboxClientOptions = {}): Promise<SandboxFlows> {
  const sandbox = await createSandbox(ROOT, clientOptions);
  server.use(...sandbox.handlers);
  const client = await loadClientConfig(EXAMPLE_CLIENT);
  const blueprints = await loadBlueprints(ROOT);
  const pools = new DataPools();
  return {
    sandbox,
    client,
    pools,
    run(flowKey, options = {}) {
      const blueprint = blueprints.find((b) => b.key === flowKey);
      if (!blueprint) throw new Error(`no blueprint ${flowKey}`);
      // A --live run reads through the pack's clients and holds every write; otherwise the built definitions run.
      const connections = options.live ? { systems: sandbox.systems, holdWrites: true } : { engine: options.engine ?? sandbox.engine };
      return runBlueprint({ root: ROOT, blueprint, client: options.client ?? client, connections, pools: options.pools ?? pools });
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
export function withFlowVariables(client: ClientConfig, flowKey: string, variables: Record<string, string>): ClientConfig {
  const copy = structuredClone(client);
  const flow = (copy.flows[flowKey] ??= { variables: {}, lookups: {} });
  flow.variables = { ...flow.variables, ...variables };
  return copy;
}

/** A copy of the client's config with one flow's lookup replaced. */
export function withFlowLookup(client: ClientConfig, flowKey: string, lookup: string, table: Record<string, string>): ClientConfig {
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
  return envelope.records.map((r) => (r as { purchase_identifiers?: { sparklayer?: string } }).purchase_identifiers?.sparklayer);
}

/**
 * What every order flow's shared spine (patchworks/blueprint/order-flow.ts) outputs on the sandbox, shape by shape:
 * the 9 purchases in pages of 5 (the example client's page_size); one live order on page 1 and two on page 2, with
 * the quote, cart, awaiting_approval and order_unconfirmed skipped and the draft_order and the order with no id as
 * exceptions; the example order dropped by the de-dupe on page 2, where it shows up again; both ids in the pool.
 */
export function expectOrderSpine(result: FlowRunResult, pools: DataPools, pool: string): void {
  expect((outputsOf(result, 'Pull SparkLayer purchases') as unknown[][]).map((page) => page.length)).toEqual([5, 4]);
  const live = outputsOf(result, 'Keep live orders') as Envelope[];
  expect(live.map(purchaseIds)).toEqual([[EXAMPLE_ORDER], [EXAMPLE_ORDER, SAMPLE_ORDER]]);
  expect(live.flatMap((e) => e.skipped.map((s) => s.reason))).toEqual(['type:quote', 'type:cart', 'type:awaiting_approval', 'type:order_unconfirmed']);
  expect(live.flatMap((e) => e.exceptions.map((x) => x.code)).sort()).toEqual(['MISSING_PURCHASE_ID', 'UNKNOWN_PURCHASE_TYPE']);
  expect((outputsOf(result, 'Drop orders already handled') as Envelope[]).map(purchaseIds)).toEqual([[EXAMPLE_ORDER], [SAMPLE_ORDER]]);
  expect(shapeRun(result, 'Drop orders already handled').notes).toEqual(['1 checked, none seen before', `1 filtered out: already in data pool "${pool}"`]);
  expect(pools.values(pool)).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER]);
}
