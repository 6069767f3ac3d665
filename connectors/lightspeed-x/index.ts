/**
 * Lightspeed Retail X-Series, an order back-end: the system's one registration (contracts/system.ts), found by the
 * tools because it sits in connectors/lightspeed-x/. Dev-only: it names the client and the fake.
 */
import { defineSystem } from '../../contracts/system.js';
import { LightspeedXClient } from './dev/client.js';
import { lightspeedXConfigFromEnv } from './dev/config.js';
import { lightspeedXEndpoints } from './dev/flow-endpoints.js';
import { lightspeedXConnector } from './dev/patchworks-connector.js';
import {
  LightspeedXSandbox,
  SANDBOX_BASE_URL,
  SANDBOX_CREDENTIALS,
  SANDBOX_DOMAIN_PREFIX,
  sandboxConfig,
  sandboxDataFromFixtures,
} from './dev/sandbox.js';

const system = defineSystem({
  key: 'lightspeed-x',
  order: 3,
  openApi: 'openapi.json',
  facts: lightspeedXConnector,
  endpoints: lightspeedXEndpoints,
  live: (env) => new LightspeedXClient(lightspeedXConfigFromEnv(env)),
  sandbox: {
    fake: async (root) => new LightspeedXSandbox(await sandboxDataFromFixtures(root)),
    baseUrl: SANDBOX_BASE_URL,
    client: (options) => new LightspeedXClient(sandboxConfig(), options),
    instance: {
      domain_prefix: SANDBOX_DOMAIN_PREFIX,
      client_id: SANDBOX_CREDENTIALS.clientId,
      client_secret: SANDBOX_CREDENTIALS.clientSecret,
      refresh_token: SANDBOX_CREDENTIALS.refreshToken,
    },
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
