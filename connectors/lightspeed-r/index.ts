/**
 * Lightspeed Retail R-Series, an order back-end: the system's one registration (contracts/system.ts), found by the
 * tools because it sits in connectors/lightspeed-r/. Dev-only: it names the fake.
 */
import { defineSystem } from '../../contracts/system.js';
import { lightspeedRConfigFromEnv, type LightspeedRConfig } from './dev/config.js';
import { lightspeedRConnector } from './dev/patchworks-connector.js';
import { LightspeedRSandbox, SANDBOX_ORIGIN, sandboxConfig, sandboxDataFromFixtures } from './dev/sandbox.js';

/**
 * The connector instance a consultant adds in Patchworks for these settings. The built definition fixes the token
 * endpoint at Lightspeed's cloud origin: LIGHTSPEED_R_BASE_URL moves the API only.
 */
const instance = (config: LightspeedRConfig) => ({
  base_url: config.apiOrigin,
  account_id: config.accountId,
  client_id: config.clientId,
  client_secret: config.clientSecret,
  refresh_token: config.refreshToken,
});

const system = defineSystem({
  key: 'lightspeed-r',
  order: 4,
  openApi: 'openapi.json',
  facts: lightspeedRConnector,
  live: (env) => instance(lightspeedRConfigFromEnv(env)),
  sandbox: {
    fake: async (root) => new LightspeedRSandbox(await sandboxDataFromFixtures(root)),
    baseUrl: SANDBOX_ORIGIN,
    instance: instance(sandboxConfig()),
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
