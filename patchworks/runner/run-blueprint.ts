/** Runs one blueprint for one client: its variables and lookups from the client's config, its scripts as built. */
import path from 'node:path';
import type { Blueprint } from '../blueprint/blueprint.js';
import { resolveFlow, type ClientConfig } from '../blueprint/client-config.js';
import type { PatchworksData } from '../../runtime/contract.js';
import type { KeptCaches } from './caches.js';
import type { DataPools } from './data-pool.js';
import { runFlow, type FlowRunOptions, type FlowRunResult } from './flow-runner.js';
import { findNode18, runBundle } from './run-bundle.js';

export interface BlueprintRun {
  root: string;
  blueprint: Blueprint;
  client: ClientConfig;
  connections: FlowRunOptions['connections'];
  pools: DataPools;
  caches?: KeptCaches;
  /** Flow variables set for this run only, as when a flow is started by hand or through the API (the sandbox's clock).
   */
  overrides?: Record<string, string>;
  onProgress?: FlowRunOptions['onProgress'];
}

/** A script shape's runner: the built bundle `dist/scripts/<step>.js`, on Node 18 when tools/node18 has it. */
function builtScripts(root: string): FlowRunOptions['runScript'] {
  const node18 = findNode18(root);
  const node = 'path' in node18 ? node18.path : process.execPath;
  return async (step: string, data: PatchworksData) => {
    const run = await runBundle(node, path.join(root, 'dist', 'scripts', `${step}.js`), data);
    if (run.error !== undefined || !run.result) throw new Error(run.error ?? `${step}: the script returned nothing`);
    return run.result;
  };
}

export function runBlueprint(run: BlueprintRun): Promise<FlowRunResult> {
  const { variables, lookups } = resolveFlow(run.blueprint, run.client);
  const overrides = Object.fromEntries(
    Object.entries(run.overrides ?? {}).filter(([name]) => Object.hasOwn(variables, name)),
  );
  return runFlow({
    blueprint: run.blueprint,
    variables: { ...variables, ...overrides },
    lookups,
    connections: run.connections,
    runScript: builtScripts(run.root),
    pools: run.pools,
    caches: run.caches,
    onProgress: run.onProgress,
  });
}
