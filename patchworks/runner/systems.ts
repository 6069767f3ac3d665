/**
 * The systems a flow's connection shapes talk to, each through the pack's real client: the sandbox (fakes built from
 * the fixtures, served in-process by msw, no credentials) or, for `--live`, the real systems whose credentials are in
 * the environment (each connector's config.ts names its variables).
 */
import type { HttpHandler } from 'msw';
import { LightspeedRClient } from '../../connectors/lightspeed-r/dev/client.js';
import { lightspeedRConfigFromEnv } from '../../connectors/lightspeed-r/dev/config.js';
import { lightspeedREndpoints } from '../../connectors/lightspeed-r/dev/flow-endpoints.js';
import * as lightspeedR from '../../connectors/lightspeed-r/dev/sandbox.js';
import { LightspeedXClient } from '../../connectors/lightspeed-x/dev/client.js';
import { lightspeedXConfigFromEnv } from '../../connectors/lightspeed-x/dev/config.js';
import { lightspeedXEndpoints } from '../../connectors/lightspeed-x/dev/flow-endpoints.js';
import * as lightspeedX from '../../connectors/lightspeed-x/dev/sandbox.js';
import { NetSuiteClient } from '../../connectors/netsuite/dev/client.js';
import { netSuiteConfigFromEnv } from '../../connectors/netsuite/dev/config.js';
import { netsuiteEndpoints } from '../../connectors/netsuite/dev/flow-endpoints.js';
import * as netsuite from '../../connectors/netsuite/dev/sandbox.js';
import { SparkLayerClient } from '../../connectors/sparklayer/dev/client.js';
import { sparkLayerConfigFromEnv } from '../../connectors/sparklayer/dev/config.js';
import { sparklayerEndpoints } from '../../connectors/sparklayer/dev/flow-endpoints.js';
import * as sparklayer from '../../connectors/sparklayer/dev/sandbox.js';
import type { ClientTimingOptions } from '../../connectors/http/client-options.js';
import { FaultInjector } from '../../contracts/faults.js';
import { loadFixture } from '../../contracts/fixtures.js';
import { mswHandlers } from '../../contracts/hosts.js';
import { netsuiteRealm } from '../../connectors/netsuite/dev/oauth1.js';
import { ConnectionEngine, type InstanceValues } from './connection-engine.js';
import type { FlowSystems } from './flow-runner.js';

type Json = Record<string, unknown>;

/**
 * The connectors a blueprint may name: their endpoints (`pack validate` checks blueprints against these) and the real
 * client built from the environment for `--live` (a missing variable fails before any request, naming it).
 */
const CONNECTORS = {
  sparklayer: { endpoints: sparklayerEndpoints, live: (env: Env) => new SparkLayerClient(sparkLayerConfigFromEnv(env)) },
  netsuite: { endpoints: netsuiteEndpoints, live: (env: Env) => new NetSuiteClient(netSuiteConfigFromEnv(env)) },
  'lightspeed-x': { endpoints: lightspeedXEndpoints, live: (env: Env) => new LightspeedXClient(lightspeedXConfigFromEnv(env)) },
  'lightspeed-r': { endpoints: lightspeedREndpoints, live: (env: Env) => new LightspeedRClient(lightspeedRConfigFromEnv(env)) },
};

type Env = Record<string, string | undefined>;

export const CONNECTOR_ENDPOINTS = Object.fromEntries(Object.entries(CONNECTORS).map(([key, { endpoints }]) => [key, endpoints])) as {
  [K in keyof typeof CONNECTORS]: (typeof CONNECTORS)[K]['endpoints'];
};

/** The deliberate edge cases (a quote, a cart, an unknown type…) served beside the documented purchases. */
const EDGE_CASES = 'fixtures/sparklayer/purchases/list.sandbox-edge-cases.json';

type FakeKey = 'sparklayer' | 'netsuite' | 'lightspeedX' | 'lightspeedR';

export interface Sandbox {
  /** What the flows' connection shapes run: the built definitions in dist/connectors/, against the fakes. */
  engine: ConnectionEngine;
  /** The pack's clients on the same fakes, for tests of the clients and of `--live` reads; no flow writes through them. */
  systems: FlowSystems;
  handlers: HttpHandler[];
  fakes: {
    sparklayer: sparklayer.SparkLayerSandbox;
    netsuite: netsuite.NetSuiteSandbox;
    lightspeedX: lightspeedX.LightspeedXSandbox;
    lightspeedR: lightspeedR.LightspeedRSandbox;
  };
  /** Faults to play around each fake (fault-injection tests): instead of its answer, after its work, or a delay. */
  faults: Record<FakeKey, FaultInjector>;
}

/** How the sandbox's clients wait and time out; by default they skip their retry pauses, so a run takes its work's time. */
/**
 * The sandbox's clock: every sandbox run is as of this instant (the order flows' `as_of`), just after the fixtures'
 * last purchase, so a look-back reaches the same purchases whatever day the pack is run.
 */
export const SANDBOX_AS_OF = '2026-11-22T09:00:00Z';

export interface SandboxClientOptions {
  sleep?: ClientTimingOptions['sleep'];
  timeoutMs?: number;
}

/**
 * The fakes, from the fixtures: SparkLayer with the documented purchases and the edge cases; NetSuite with the
 * companies behind the sandbox orders (1104, over its credit limit; 420) and one order keyed in by hand, for the
 * month end to find; Lightspeed X-Series and R-Series with their documented stores. No waiting: the clients' retry
 * pauses are skipped, so a run takes as long as its work.
 */
export async function createSandbox(root: string, clientOptions: SandboxClientOptions = {}): Promise<Sandbox> {
  const sparkData = await sparklayer.sandboxDataFromFixtures(root);
  const edgeCases = (await loadFixture(root, EDGE_CASES)).body as Json[];
  const fakes = {
    sparklayer: new sparklayer.SparkLayerSandbox({ ...sparkData, purchases: [...sparkData.purchases, ...edgeCases] }),
    netsuite: new netsuite.NetSuiteSandbox({
      ...(await netsuite.sandboxDataFromFixtures(root)),
      salesOrders: [],
      customers: [
        { id: '1104', companyName: 'Example Trading Ltd', creditLimit: 5000, balance: 5200, creditHoldOverride: { id: 'AUTO', refName: 'Auto' } },
        { id: '420', companyName: 'Sample Interiors Ltd', creditLimit: 2000, balance: 0, creditHoldOverride: { id: 'OFF', refName: 'Off' } },
      ],
    }),
    lightspeedX: new lightspeedX.LightspeedXSandbox(await lightspeedX.sandboxDataFromFixtures(root)),
    lightspeedR: new lightspeedR.LightspeedRSandbox(await lightspeedR.sandboxDataFromFixtures(root)),
  };
  fakes.netsuite.seedSalesOrder({
    externalId: 'PHONE-0042',
    otherRefNum: 'PHONE ORDER',
    entity: { id: '1104' },
    currency: { id: '1', refName: 'British pound' },
    item: { items: [{ item: { id: '98' }, quantity: 10, rate: 4, amount: 40 }] },
  });
  const noWait = { sleep: async () => undefined, ...clientOptions };
  const faults = {
    sparklayer: new FaultInjector(fakes.sparklayer),
    netsuite: new FaultInjector(fakes.netsuite),
    lightspeedX: new FaultInjector(fakes.lightspeedX),
    lightspeedR: new FaultInjector(fakes.lightspeedR),
  };
  const engine = await sandboxEngine(root, noWait.sleep);
  return {
    engine,
    fakes,
    faults,
    handlers: [
      ...mswHandlers(sparklayer.SANDBOX_BASE_URL, faults.sparklayer),
      ...mswHandlers(netsuite.SANDBOX_BASE_URL, faults.netsuite),
      ...mswHandlers(lightspeedX.SANDBOX_BASE_URL, faults.lightspeedX),
      ...mswHandlers(lightspeedR.SANDBOX_ORIGIN, faults.lightspeedR),
    ],
    systems: {
      sparklayer: {
        client: new SparkLayerClient({ baseUrl: sparklayer.SANDBOX_BASE_URL, environment: 'custom', ...sparklayer.SANDBOX_CREDENTIALS }, noWait),
        endpoints: sparklayerEndpoints,
      },
      netsuite: { client: new NetSuiteClient(netsuite.sandboxConfig(), noWait), endpoints: netsuiteEndpoints },
      'lightspeed-x': { client: new LightspeedXClient(lightspeedX.sandboxConfig(), noWait), endpoints: lightspeedXEndpoints },
      'lightspeed-r': { client: new LightspeedRClient(lightspeedR.sandboxConfig(), noWait), endpoints: lightspeedREndpoints },
    } as FlowSystems,
  };
}

/** The connector instances a consultant would add in Patchworks, with the sandbox's credentials. */
export function sandboxInstances(): Record<string, InstanceValues> {
  return {
    sparklayer: {
      base_url: sparklayer.SANDBOX_BASE_URL,
      site_id: sparklayer.SANDBOX_CREDENTIALS.siteId,
      client_id: sparklayer.SANDBOX_CREDENTIALS.clientId,
      client_secret: sparklayer.SANDBOX_CREDENTIALS.clientSecret,
    },
    netsuite: {
      base_url: netsuite.SANDBOX_BASE_URL,
      realm: netsuiteRealm(netsuite.SANDBOX_ACCOUNT_ID),
      consumer_key: netsuite.SANDBOX_CREDENTIALS.consumerKey,
      consumer_secret: netsuite.SANDBOX_CREDENTIALS.consumerSecret,
      token_id: netsuite.SANDBOX_CREDENTIALS.tokenId,
      token_secret: netsuite.SANDBOX_CREDENTIALS.tokenSecret,
    },
    'lightspeed-x': {
      domain_prefix: lightspeedX.SANDBOX_DOMAIN_PREFIX,
      client_id: lightspeedX.SANDBOX_CREDENTIALS.clientId,
      client_secret: lightspeedX.SANDBOX_CREDENTIALS.clientSecret,
      refresh_token: lightspeedX.SANDBOX_CREDENTIALS.refreshToken,
    },
    'lightspeed-r': {
      base_url: lightspeedR.SANDBOX_ORIGIN,
      account_id: lightspeedR.SANDBOX_ACCOUNT_ID,
      client_id: lightspeedR.SANDBOX_CLIENT.clientId,
      client_secret: lightspeedR.SANDBOX_CLIENT.clientSecret,
      refresh_token: lightspeedR.SANDBOX_REFRESH_TOKEN,
    },
  };
}

/**
 * The vendors' own origins (fixed in the built definitions) served by the fakes, as a hosts file would route them;
 * SparkLayer, NetSuite and R-Series' API take their base URL from the instance.
 */
export const SANDBOX_ORIGINS: Record<string, string> = {
  [`https://${lightspeedX.SANDBOX_DOMAIN_PREFIX}.retail.lightspeed.app`]: new URL(lightspeedX.SANDBOX_BASE_URL).origin,
  'https://cloud.lightspeedapp.com': lightspeedR.SANDBOX_ORIGIN,
};

/** The connection engine on the built definitions under `root` (dist/connectors/), against the fakes. */
export function sandboxEngine(root: string, sleep?: (ms: number) => Promise<void>): Promise<ConnectionEngine> {
  return ConnectionEngine.fromDist(root, sandboxInstances(), { origins: SANDBOX_ORIGINS, sleep });
}

/** The real systems a flow names, from the environment. */
export function liveSystems(connectors: readonly string[], env: Env): FlowSystems {
  const systems: FlowSystems = {};
  for (const connector of new Set(connectors)) {
    const known = CONNECTORS[connector as keyof typeof CONNECTORS];
    if (!known) throw new Error(`no live connection for connector "${connector}"`);
    systems[connector] = { client: known.live(env), endpoints: known.endpoints as FlowSystems[string]['endpoints'] };
  }
  return systems;
}
