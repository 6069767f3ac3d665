/**
 * The systems a flow's connection shapes talk to, each through the connection engine on its built definition: the
 * sandbox (fakes built from the fixtures, served in-process by msw, no credentials) or, for `--live`, the real systems
 * whose credentials are in the environment (each connector's dev/config.ts names its variables). Which systems there
 * are, and how to make each one's fake and connector instances, each system's registration says
 * (connectors/<key>/index.ts, found by patchworks/systems/registry.ts).
 */
import type { HttpHandler } from 'msw';
import { FaultInjector } from '../../contracts/faults.js';
import { mswHandlers, type FakeApi } from '../../contracts/hosts.js';
import {
  camelKey,
  type AnySystem,
  type Env,
  type FlowVariablesRule,
  type SystemFakes,
} from '../../contracts/system.js';
import { loadSystems, openApiFile, PACK_SYSTEMS } from '../systems/registry.js';
import {
  ConnectionEngine,
  type EngineOptions,
  type InstanceValues,
  type PaginationScriptRunner,
} from './connection-engine.js';
import { builtScripts } from './run-bundle.js';

/** How the sandbox's engine waits: a fault test passes a `sleep` that records the retry pauses. */
export interface SandboxOptions {
  sleep?: (ms: number) => Promise<void>;
}

/** Each system's rule for a flow's variables, by key, where it has one (`pack validate`). */
export function flowVariablesRules(systems: readonly AnySystem[]): Record<string, FlowVariablesRule> {
  return Object.fromEntries(
    systems.flatMap((system) => (system.flowVariablesRule ? [[system.key, system.flowVariablesRule]] : [])),
  );
}

/**
 * The sandbox's clock: every sandbox run is as of this instant (the order flows' `as_of`), just after the fixtures'
 * last purchase, so a look-back reaches the same purchases whatever day the pack is run.
 */
export const SANDBOX_AS_OF = '2026-11-22T09:00:00Z';

/**
 * Each system's fake and its faults, by the system's key as a property name (`lightspeed-x` → `lightspeedX`, the
 * names the tests have always used): typed for the systems registered in this repo, indexable by any.
 */
export type SandboxFakes = SystemFakes & Readonly<Record<string, FakeApi>>;
export type SandboxFaults = { readonly [K in keyof SystemFakes]: FaultInjector } & Readonly<
  Record<string, FaultInjector>
>;

export interface Sandbox {
  /** What the flows' connection shapes run: the built definitions in dist/connectors/, against the fakes. */
  engine: ConnectionEngine;
  handlers: HttpHandler[];
  fakes: SandboxFakes;
  /** Faults to play around each fake (fault-injection tests): instead of its answer, after its work, or a delay. */
  faults: SandboxFaults;
}

/**
 * Every system's fake, from the fixtures under `root`, as its registration makes it (SparkLayer with the edge-case
 * purchases, NetSuite with the sandbox orders' companies…), each behind a fault injector and served by msw at its
 * base URL; the engine on them. No waiting: the engine's retry pauses are skipped, so a run takes as long as its work.
 */
export async function createSandbox(root: string, options: SandboxOptions = {}): Promise<Sandbox> {
  const registered = await loadSystems(root);
  const fakes: Record<string, FakeApi> = {};
  for (const system of registered) fakes[camelKey(system.key)] = await system.sandbox.fake(root);
  const faults: Record<string, FaultInjector> = Object.fromEntries(
    Object.entries(fakes).map(([name, fake]) => [name, new FaultInjector(fake)]),
  );
  const engine = await sandboxEngine(root, options.sleep ?? (async () => undefined), registered);
  return {
    engine,
    fakes: fakes as SandboxFakes,
    faults: faults as SandboxFaults,
    handlers: registered.flatMap((system) => mswHandlers(system.sandbox.baseUrl, faults[camelKey(system.key)]!)),
  };
}

/** The connector instances a consultant would add in Patchworks, with the sandbox's credentials, by system key. */
export function sandboxInstances(systems: readonly AnySystem[]): Record<string, InstanceValues> {
  return Object.fromEntries(systems.map((system) => [system.key, { ...system.sandbox.instance }]));
}

/**
 * The vendors' own origins (fixed in the built definitions) served by the fakes, as a hosts file would route them;
 * systems whose definitions take their base URL from the instance need none.
 */
export function sandboxOrigins(systems: readonly AnySystem[]): Record<string, string> {
  return Object.assign({}, ...systems.map((system) => system.sandbox.origins ?? {})) as Record<string, string>;
}

/**
 * The pagination script a consultant selects on each endpoint paged by "Script", from the systems' facts: its built
 * bundle (dist/scripts/<key>.js under `root`) run on Node 18 as Patchworks runs it, by system key, then operationId.
 */
export function pageScriptSettings(
  root: string,
  systems: readonly AnySystem[],
): Record<string, Record<string, PaginationScriptRunner>> {
  const run = builtScripts(root);
  return Object.fromEntries(
    systems.map((system) => [
      system.key,
      Object.fromEntries(
        Object.entries(system.facts.endpoints).flatMap(([operationId, facts]) => {
          const script = facts.paginationScript;
          if (script === undefined) return [];
          const runner: PaginationScriptRunner = async (payload) => {
            const { payload: next } = await run(script.key, { payload });
            if (typeof next !== 'string') throw new Error(`${script.key}: the script returned no payload text`);
            return next;
          };
          return [[operationId, runner]];
        }),
      ),
    ]),
  );
}

/** The connection engine on the built definitions under `root` (dist/connectors/), against the fakes. */
export async function sandboxEngine(
  root: string,
  sleep?: (ms: number) => Promise<void>,
  systems?: readonly AnySystem[],
): Promise<ConnectionEngine> {
  systems ??= await loadSystems(root);
  return definitionsEngine(root, systems, sandboxInstances(systems), { origins: sandboxOrigins(systems), sleep });
}

/**
 * The connection engine on the built definitions of the systems a flow names, on the real systems: each one's
 * connector instance from the environment (its registration's `live`), which names a missing variable before any
 * request is sent.
 */
export async function liveEngine(
  root: string,
  connectors: readonly string[],
  env: Env,
  systems: readonly AnySystem[] = PACK_SYSTEMS,
): Promise<ConnectionEngine> {
  const used = [...new Set(connectors)].map((connector) => {
    const system = systems.find((candidate) => candidate.key === connector);
    if (!system) throw new Error(`no live connection for connector "${connector}"`);
    return system;
  });
  return definitionsEngine(
    root,
    used,
    Object.fromEntries(used.map((system) => [system.key, { ...system.live(env) }])),
    {},
  );
}

/** The engine on these systems' built definitions and these instances, each endpoint set up as their facts say. */
async function definitionsEngine(
  root: string,
  systems: readonly AnySystem[],
  instances: Record<string, InstanceValues>,
  options: Pick<EngineOptions, 'origins' | 'sleep'>,
): Promise<ConnectionEngine> {
  return ConnectionEngine.fromDist(root, instances, {
    ...options,
    facts: Object.fromEntries(systems.map((system) => [system.key, system.facts])),
    pageScripts: pageScriptSettings(root, systems),
    openApiFiles: Object.fromEntries(systems.map((system) => [system.key, openApiFile(system)])),
  });
}
