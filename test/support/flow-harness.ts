// Runs a blueprint on the sandbox, as `npm start` does, for flow tests that assert each shape's output (n8n-style).
import path from 'node:path';
import { loadBlueprints } from '../../patchworks/blueprint/catalog.js';
import { loadClientConfig, type ClientConfig } from '../../patchworks/blueprint/client-config.js';
import { DataPools } from '../../patchworks/runner/data-pool.js';
import type { FlowRunResult, ShapeRun } from '../../patchworks/runner/flow-runner.js';
import { runBlueprint } from '../../patchworks/runner/run-blueprint.js';
import { createSandbox, type Sandbox } from '../../patchworks/runner/systems.js';
import { server } from './msw.js';

export const ROOT = process.cwd();
export const EXAMPLE_CLIENT = path.join(ROOT, 'clients', 'example-homewares.json');

export interface SandboxFlows {
  sandbox: Sandbox;
  client: ClientConfig;
  pools: DataPools;
  run(flowKey: string, options?: { client?: ClientConfig; live?: boolean }): Promise<FlowRunResult>;
}

/** Fresh fakes (served by the suite's msw server) and a fresh data pool; runs share both, as reruns do. */
export async function sandboxFlows(): Promise<SandboxFlows> {
  const sandbox = await createSandbox(ROOT);
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
      return runBlueprint({ root: ROOT, blueprint, client: options.client ?? client, systems: sandbox.systems, pools, live: options.live });
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

/** A copy of the client's config with one flow's lookup replaced. */
export function withFlowLookup(client: ClientConfig, flowKey: string, lookup: string, table: Record<string, string>): ClientConfig {
  const copy = structuredClone(client);
  const flow = (copy.flows[flowKey] ??= { variables: {}, lookups: {} });
  flow.lookups[lookup] = table;
  return copy;
}
