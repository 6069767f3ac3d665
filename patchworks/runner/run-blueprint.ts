/**
 * Runs one blueprint for one client as Patchworks would run it once imported: rendered for the client as the build
 * renders it, read back from that flow import JSON (imported-flow.ts), and run with its scripts as built.
 */
import type { Blueprint } from '../blueprint/blueprint.js';
import type { ClientConfig } from '../blueprint/client-config.js';
import { loadRenderContext, renderClientFlow } from '../build/render-client.js';
import type { KeptCaches } from './caches.js';
import type { DataPools } from './data-pool.js';
import { runFlow, type FlowRunOptions, type FlowRunResult } from './flow-runner.js';
import { readImportedFlow } from './imported-flow.js';
import { builtScripts } from './run-bundle.js';

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
  /** A change made to the rendered flow after import, as a consultant may: a test's way to run a rendering mistake. */
  editImported?: (rendered: Record<string, unknown>) => unknown;
  onProgress?: FlowRunOptions['onProgress'];
}

export async function runBlueprint(run: BlueprintRun): Promise<FlowRunResult> {
  const { blueprint } = run;
  // Rendered here, by the function the build writes dist/blueprints/<client>/ with, rather than read from there: a
  // file can be stale, and rendering fills flow variables into script settings, so this run's own values (the
  // sandbox's clock) must be the client's before it renders.
  const client = withVariables(run.client, blueprint, run.overrides ?? {});
  const context = await loadRenderContext(run.root);
  const { flow: rendered } = renderClientFlow(blueprint, client, context, new Date().toISOString());
  const flow = readImportedFlow(
    run.editImported ? run.editImported(rendered) : rendered,
    { key: blueprint.key, source: `flow ${blueprint.key} rendered for ${client.client}` },
    context.connectors,
  );
  return runFlow({
    flow,
    variables: flow.variables,
    // Rendering filled every lookup in: the flow reads its lookups from its script settings and payloads.
    lookups: {},
    connections: run.connections,
    runScript: builtScripts(run.root),
    pools: run.pools,
    caches: run.caches,
    onProgress: run.onProgress,
  });
}

/** The client's config with this run's values for the flow's variables; a run's values reach every flow it runs, so
 * those for variables this flow lacks are left out. */
function withVariables(client: ClientConfig, blueprint: Blueprint, overrides: Record<string, string>): ClientConfig {
  const own = Object.fromEntries(
    Object.entries(overrides).filter(([name]) => Object.hasOwn(blueprint.variables, name)),
  );
  const flow = client.flows[blueprint.key];
  if (!flow || Object.keys(own).length === 0) return client;
  return {
    ...client,
    flows: { ...client.flows, [blueprint.key]: { ...flow, variables: { ...flow.variables, ...own } } },
  };
}
