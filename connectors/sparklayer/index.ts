/**
 * SparkLayer, where the orders come from: the system's one registration (contracts/system.ts), found by the tools
 * because it sits in connectors/sparklayer/. Dev-only: it names the fake.
 */
import { loadFixture } from '../../contracts/fixtures.js';
import { defineSystem } from '../../contracts/system.js';
import { sparkLayerConfigFromEnv, type SparkLayerConfig } from './dev/config.js';
import { sparkLayerConnector } from './dev/patchworks-connector.js';
import { SANDBOX_BASE_URL, SANDBOX_CREDENTIALS, SparkLayerSandbox, sandboxDataFromFixtures } from './dev/sandbox.js';

/**
 * The deliberate edge cases (a quote, a cart, an unknown type…) the sandbox serves beside the documented purchases.
 */
const EDGE_CASES = 'fixtures/sparklayer/purchases/list.sandbox-edge-cases.json';

/** The connector instance a consultant adds in Patchworks for these settings. */
const instance = (config: Pick<SparkLayerConfig, 'baseUrl' | 'siteId' | 'clientId' | 'clientSecret'>) => ({
  base_url: config.baseUrl,
  site_id: config.siteId,
  client_id: config.clientId,
  client_secret: config.clientSecret,
});

const system = defineSystem({
  key: 'sparklayer',
  order: 1,
  openApi: 'openapi.json',
  facts: sparkLayerConnector,
  live: (env) => instance(sparkLayerConfigFromEnv(env)),
  sandbox: {
    async fake(root) {
      const data = await sandboxDataFromFixtures(root);
      const edgeCases = (await loadFixture(root, EDGE_CASES)).body as Array<Record<string, unknown>>;
      return new SparkLayerSandbox({ ...data, purchases: [...data.purchases, ...edgeCases] });
    },
    baseUrl: SANDBOX_BASE_URL,
    instance: instance({ baseUrl: SANDBOX_BASE_URL, ...SANDBOX_CREDENTIALS }),
  },
});

export default system;

declare module '../../contracts/system.js' {
  interface SystemRegistry {
    sparklayer: typeof system;
  }
}
