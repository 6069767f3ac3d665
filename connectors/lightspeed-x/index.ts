/**
 * Lightspeed Retail X-Series, an order back-end: the system's one registration (contracts/system.ts), found by the
 * tools because it sits in connectors/lightspeed-x/. Dev-only: it names the fake.
 */
import { defineSystem } from '../../contracts/system.js';
import { lightspeedXConfigFromEnv, type LightspeedXConfig } from './dev/config.js';
import { lightspeedXConnector } from './dev/patchworks-connector.js';
import {
  LightspeedXSandbox,
  SANDBOX_BASE_URL,
  SANDBOX_DOMAIN_PREFIX,
  sandboxConfig,
  sandboxDataFromFixtures,
} from './dev/sandbox.js';

/**
 * The connector instance a consultant adds in Patchworks for these settings. The built definition fixes the store's
 * origin, so LIGHTSPEED_X_BASE_URL (the client's override) has no part in it.
 */
const instance = (config: LightspeedXConfig) => ({
  domain_prefix: config.domainPrefix,
  client_id: config.clientId,
  client_secret: config.clientSecret,
  refresh_token: config.refreshToken,
});

const system = defineSystem({
  key: 'lightspeed-x',
  order: 3,
  openApi: 'openapi.json',
  facts: lightspeedXConnector,
  live: (env) => instance(lightspeedXConfigFromEnv(env)),
  sandbox: {
    fake: async (root) => new LightspeedXSandbox(await sandboxDataFromFixtures(root)),
    baseUrl: SANDBOX_BASE_URL,
    instance: instance(sandboxConfig()),
    // The built definition fixes the store's own origin (https://<domain_prefix>.retail.lightspeed.app).
    origins: { [`https://${SANDBOX_DOMAIN_PREFIX}.retail.lightspeed.app`]: new URL(SANDBOX_BASE_URL).origin },
  },
  throughput: {
    client: 'Lightspeed X-Series',
    limit: '350 requests per 5 minutes (300 per register + 50, one register)',
    measure: async () =>
      (await import('./dev/throughput.js')).measureThroughput({
        requests: 1_000,
        budget: 350,
        windowMs: 300_000,
        virtualTime: true,
      }),
  },
});

export default system;

declare module '../../contracts/system.js' {
  interface SystemRegistry {
    'lightspeed-x': typeof system;
  }
}
