/**
 * Lightspeed Retail R-Series, an order back-end: the system's one registration (contracts/system.ts), found by the
 * tools because it sits in connectors/lightspeed-r/. Dev-only: it names the client and the fake.
 */
import { defineSystem } from '../../contracts/system.js';
import { LightspeedRClient } from './dev/client.js';
import { lightspeedRConfigFromEnv } from './dev/config.js';
import { lightspeedREndpoints } from './dev/flow-endpoints.js';
import { lightspeedRConnector } from './dev/patchworks-connector.js';
import {
  LightspeedRSandbox,
  SANDBOX_ACCOUNT_ID,
  SANDBOX_CLIENT,
  SANDBOX_ORIGIN,
  SANDBOX_REFRESH_TOKEN,
  sandboxConfig,
  sandboxDataFromFixtures,
} from './dev/sandbox.js';

const system = defineSystem({
  key: 'lightspeed-r',
  order: 4,
  openApi: 'openapi.json',
  facts: lightspeedRConnector,
  endpoints: lightspeedREndpoints,
  live: (env) => new LightspeedRClient(lightspeedRConfigFromEnv(env)),
  sandbox: {
    fake: async (root) => new LightspeedRSandbox(await sandboxDataFromFixtures(root)),
    baseUrl: SANDBOX_ORIGIN,
    client: (options) => new LightspeedRClient(sandboxConfig(), options),
    instance: {
      base_url: SANDBOX_ORIGIN,
      account_id: SANDBOX_ACCOUNT_ID,
      client_id: SANDBOX_CLIENT.clientId,
      client_secret: SANDBOX_CLIENT.clientSecret,
      refresh_token: SANDBOX_REFRESH_TOKEN,
    },
    // The API takes its origin from the instance; the token endpoint is fixed at Lightspeed's cloud origin.
    origins: { 'https://cloud.lightspeedapp.com': SANDBOX_ORIGIN },
  },
  throughput: {
    client: 'Lightspeed R-Series',
    limit: 'leaky bucket: 90 capacity, drip 1 request/s',
    measure: async () =>
      (await import('./dev/throughput.js')).measureThroughput({
        requests: 500,
        capacity: 90,
        dripPerSecond: 1,
        virtualTime: true,
      }),
  },
});

export default system;

declare module '../../contracts/system.js' {
  interface SystemRegistry {
    'lightspeed-r': typeof system;
  }
}
