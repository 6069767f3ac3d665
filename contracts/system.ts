/**
 * One system's registration: `connectors/<key>/index.ts` default-exports `defineSystem({...})`, the one place that
 * says what the pack knows about the system: its OpenAPI document, its Patchworks facts, its
 * connector instance from the environment (`--live`) and on the sandbox, and how to make its sandbox fake from the
 * fixtures. The tools find the
 * systems by folder (patchworks/systems/registry.ts), as they find steps (patchworks/build/step-sources.ts) and
 * blueprints (blueprints/<key>/); no tool keeps a list of them.
 *
 * Dev-only: a registration names the system's fake and config, which never ship in a script bundle.
 */
import type { PatchworksConnectorFacts } from './connector-source.js';
import type { FakeApi } from './hosts.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** A connector instance: the values a consultant enters in Patchworks, variable → value. */
export type ConnectorInstance = Readonly<Record<string, string>>;

export interface SystemSandbox<Fake extends FakeApi> {
  /** The fake, from the fixtures under `root` (fixtures/<key>/), with whatever else the sandbox's flows need in it. */
  fake(root: string): Promise<Fake>;
  /** Where the fake answers: every request under this URL goes to it (msw in-process). */
  baseUrl: string;
  /** The connector instance a consultant would add in Patchworks, with the sandbox's credentials. */
  instance: ConnectorInstance;
  /** Vendor origins fixed in the built definition → the origin the fake serves them on, as a hosts file would route
   * them. */
  origins?: Readonly<Record<string, string>>;
}

/** How close the system's rate-limited client runs to the vendor's limit (`npm run bench`), when it has one to measure.
 */
export interface SystemThroughput {
  /** The client, as the bench table names it. */
  client: string;
  /** The limit measured against, in words. */
  limit: string;
  measure(): Promise<{
    requests: number;
    elapsedMs: number;
    allowedPerSecond: number;
    achievedPerSecond: number;
    ratio: number;
    rejected: number;
  }>;
}

export interface SystemDefinition<Key extends string = string, Fake extends FakeApi = FakeApi> {
  /** The folder under connectors/: the one name blueprints, the build (dist/connectors/<key>.*) and every tool use. */
  key: Key;
  /**
   * Where the system is listed among the pack's (the build's output, "there are …" messages): lower first, then by
   * key. Systems that set none come after those that do.
   */
  order?: number;
  /** The OpenAPI 3.x document, a file in the system's folder (`openapi.json`). */
  openApi: string;
  /** What the OpenAPI document cannot say: system type, rate limit, variables, authentication, paging. */
  facts: PatchworksConnectorFacts;
  /**
   * The connector instance on the real system, from the environment (the variables its dev/config.ts names), for
   * `--live`; a missing or invalid variable throws before any request, naming it and never a value.
   */
  live(env: Env): ConnectorInstance;
  sandbox: SystemSandbox<Fake>;
  throughput?: SystemThroughput;
  /** What a client's variables for a flow with this system's shapes must agree on, beyond each setting alone. */
  flowVariablesRule?: FlowVariablesRule;
}

/** `pack validate`'s check of a flow's variables, filled in for a client: the problem in words, or undefined. */
export type FlowVariablesRule = (variables: Readonly<Record<string, string>>) => string | undefined;

/** Any system, as the registry holds them. */
export type AnySystem = SystemDefinition<string, FakeApi>;

const KEY = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** A system's registration, checked: the default export of connectors/<key>/index.ts. */
export function defineSystem<const Key extends string, Fake extends FakeApi>(
  definition: SystemDefinition<Key, Fake>,
): SystemDefinition<Key, Fake> {
  if (!KEY.test(definition.key))
    throw new Error(`system "${definition.key}": a key is a lower-case folder name, words joined by "-"`);
  if (!definition.openApi.endsWith('.json'))
    throw new Error(
      `system "${definition.key}": openApi names the JSON document in its folder, ` +
        `not ${JSON.stringify(definition.openApi)}`,
    );
  for (const [variable, value] of Object.entries(definition.sandbox.instance)) {
    if (typeof value !== 'string')
      throw new Error(`system "${definition.key}": sandbox instance variable ${variable} is not a string`);
  }
  return Object.freeze(definition);
}

/**
 * The systems registered in this repo, by key, for their types: each connectors/<key>/index.ts adds itself
 * (`declare module '../../contracts/system.js' { interface SystemRegistry { '<key>': typeof system } }`). The values
 * are found at run time by folder; this only carries each one's fake type to the tools and tests.
 */
export interface SystemRegistry {}

/** `lightspeed-x` → `lightspeedX`: a key as a property name (the sandbox's `fakes` and `faults`). */
export type CamelKey<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelKey<Tail>>}`
  : S;

export function camelKey<S extends string>(key: S): CamelKey<S> {
  return key.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase()) as CamelKey<S>;
}

export type FakeOf<S> = S extends SystemDefinition<string, infer Fake> ? Fake : never;

/** Each registered system's fake, by its key as a property name (`fakes.lightspeedX`). */
export type SystemFakes = { [K in keyof SystemRegistry & string as CamelKey<K>]: FakeOf<SystemRegistry[K]> };
