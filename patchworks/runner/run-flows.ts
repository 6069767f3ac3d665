/**
 * Runs a client's blueprints one after the other, as `npm start` and `npm run flow` do: on the sandbox (the fakes,
 * served in-process by msw; nothing leaves the machine) or `live` (real systems, their connector instances from the
 * environment, read-only), the connection shapes running the built definitions through the connection engine either
 * way.
 * Prints each flow's run log, with a progress line for long shapes on a terminal, and writes the HTML run report.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setupServer } from 'msw/node';
import { connectorsUsed } from '../blueprint/blueprint.js';
import { loadBlueprints } from '../blueprint/catalog.js';
import type { ClientConfig } from '../blueprint/client-config.js';
import { runLog, runReportHtml } from '../report/flow-run-report.js';
import { KeptCaches } from './caches.js';
import { DataPools } from './data-pool.js';
import type { FlowRunOptions, FlowRunResult } from './flow-runner.js';
import { runBlueprint } from './run-blueprint.js';
import { loadSystems } from '../systems/registry.js';
import type { Env } from '../../contracts/system.js';
import { createSandbox, liveEngine, SANDBOX_AS_OF, type Sandbox } from './systems.js';

export interface RunFlowsOptions {
  root: string;
  client: ClientConfig;
  /** Which of the client's flows; all of them, in the config's order, when empty. */
  flowKeys?: readonly string[];
  live?: boolean;
  /** Where a `live` run reads each connector instance's variables: process.env unless a test says otherwise. */
  env?: Env;
  /** Where the data pools (CSV) and the flow and company caches (JSON) are kept between runs; fresh each run when
   * absent. */
  poolsDir?: string;
  /** Flow variables set for every flow of this run (the sandbox's clock), where the flow has them. */
  overrides?: Record<string, string>;
  /** The fakes to run against, when runs must share them (a run, then the next); fresh fakes when absent. */
  sandbox?: Sandbox;
  reportFile: string;
  log: (line: string) => void;
}

export async function runClientFlows(options: RunFlowsOptions): Promise<FlowRunResult[]> {
  const { root, client, log } = options;
  const all = await loadBlueprints(root);
  const keys = options.flowKeys?.length ? options.flowKeys : Object.keys(client.flows);
  const blueprints = keys.map((key) => {
    const blueprint = all.find((b) => b.key === key);
    if (!blueprint) throw new Error(`no blueprint "${key}" (there are ${all.map((b) => b.key).join(', ')})`);
    return blueprint;
  });
  const pools = options.poolsDir ? await DataPools.load(options.poolsDir) : new DataPools();
  const caches = options.poolsDir ? await KeptCaches.load(options.poolsDir) : new KeptCaches();
  const { connections, close } = options.live
    ? await liveConnections(
        root,
        blueprints.flatMap((blueprint) => connectorsUsed(blueprint.shapes)),
        options.env ?? process.env,
      )
    : await sandboxConnections(options.sandbox ?? (await createSandbox(root)));

  const results: FlowRunResult[] = [];
  try {
    for (const blueprint of blueprints) {
      log(`\n=== ${blueprint.key}: ${blueprint.title}${options.live ? ' (LIVE, read-only)' : ' (sandbox)'} ===`);
      const result = await runBlueprint({
        root,
        blueprint,
        client,
        connections,
        pools,
        caches,
        overrides: options.live ? options.overrides : { as_of: SANDBOX_AS_OF, ...options.overrides },
        onProgress: progressLine,
      });
      clearProgress();
      for (const line of runLog(result)) log(line);
      results.push(result);
    }
  } finally {
    close();
  }
  // A --live run sent no write, so what it would mark booked or clear from the queue is not so: its state is not kept.
  if (options.poolsDir && options.live)
    log(
      `\nstate not saved: a --live run sends no write, so ${path.relative(root, options.poolsDir)} is left as it was`,
    );
  else if (options.poolsDir) {
    await pools.save(options.poolsDir);
    await caches.save(options.poolsDir);
  }
  await mkdir(path.dirname(options.reportFile), { recursive: true });
  await writeFile(
    options.reportFile,
    runReportHtml(results, `${client.name}: flow run${options.live ? ' (live, read-only)' : ' (sandbox)'}`),
  );
  return results;
}

/** The fakes behind msw, and the connection engine running the built definitions against them. */
async function sandboxConnections(
  sandbox: Sandbox,
): Promise<{ connections: FlowRunOptions['connections']; close: () => void }> {
  const server = setupServer(...sandbox.handlers);
  server.listen({ onUnhandledRequest: 'error' });
  return { connections: { engine: sandbox.engine }, close: () => server.close() };
}

/** The engine on the real systems the flows name, every write held (printed by the request line it would send). */
async function liveConnections(
  root: string,
  connectors: readonly string[],
  env: Env,
): Promise<{ connections: FlowRunOptions['connections']; close: () => void }> {
  const systems = await loadSystems(root);
  const engine = await liveEngine(root, connectors, env, systems);
  return { connections: { engine, holdWrites: true }, close: () => undefined };
}

/** A shape working through many payloads shows how far it is, on a terminal only (a CI log gets the run log). */
function progressLine(progress: { shape: string; done: number; of: number }): void {
  if (!process.stdout.isTTY || progress.of < 10) return;
  const percent = Math.round((100 * progress.done) / progress.of);
  process.stdout.write(`\r  ${progress.shape}: ${progress.done}/${progress.of} payloads (${percent}%)\u001b[K`);
}

function clearProgress(): void {
  if (process.stdout.isTTY) process.stdout.write('\r\u001b[K');
}
