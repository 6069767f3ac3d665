/**
 * NetSuite, an order back-end: the system's one registration (contracts/system.ts), found by the tools because it
 * sits in connectors/netsuite/. Dev-only: it names the client and the fake.
 */
import { defineSystem } from '../../contracts/system.js';
import { NetSuiteClient } from './dev/client.js';
import { netSuiteConfigFromEnv, netsuiteRealm } from './dev/config.js';
import { netsuiteEndpoints } from './dev/flow-endpoints.js';
import { replaceAgreesWithTaxMode } from './dev/flow-variables.js';
import { netsuiteConnector } from './dev/patchworks-connector.js';
import {
  NetSuiteSandbox,
  SANDBOX_ACCOUNT_ID,
  SANDBOX_BASE_URL,
  SANDBOX_CREDENTIALS,
  sandboxConfig,
  sandboxDataFromFixtures,
} from './dev/sandbox.js';

const system = defineSystem({
  key: 'netsuite',
  order: 2,
  openApi: 'openapi.json',
  facts: netsuiteConnector,
  endpoints: netsuiteEndpoints,
  live: (env) => new NetSuiteClient(netSuiteConfigFromEnv(env)),
  sandbox: {
    /**
     * The fixtures, no sales orders but one keyed in by hand (for the month end to find), and the companies behind the
     * sandbox orders: 1104, over its credit limit, and 420.
     */
    async fake(root) {
      const fake = new NetSuiteSandbox({
        ...(await sandboxDataFromFixtures(root)),
        salesOrders: [],
        customers: [
          {
            id: '1104',
            companyName: 'Example Trading Ltd',
            creditLimit: 5000,
            balance: 5200,
            creditHoldOverride: { id: 'AUTO', refName: 'Auto' },
          },
          {
            id: '420',
            companyName: 'Sample Interiors Ltd',
            creditLimit: 2000,
            balance: 0,
            creditHoldOverride: { id: 'OFF', refName: 'Off' },
          },
        ],
      });
      fake.seedSalesOrder({
        externalId: 'PHONE-0042',
        otherRefNum: 'PHONE ORDER',
        entity: { id: '1104' },
        currency: { id: '1', refName: 'British pound' },
        item: { items: [{ item: { id: '98' }, quantity: 10, rate: 4, amount: 40 }] },
      });
      return fake;
    },
    baseUrl: SANDBOX_BASE_URL,
    client: (options) => new NetSuiteClient(sandboxConfig(), options),
    instance: {
      base_url: SANDBOX_BASE_URL,
      realm: netsuiteRealm(SANDBOX_ACCOUNT_ID),
      consumer_key: SANDBOX_CREDENTIALS.consumerKey,
      consumer_secret: SANDBOX_CREDENTIALS.consumerSecret,
      token_id: SANDBOX_CREDENTIALS.tokenId,
      token_secret: SANDBOX_CREDENTIALS.tokenSecret,
    },
  },
  flowVariablesRule: replaceAgreesWithTaxMode,
});

export default system;

declare module '../../contracts/system.js' {
  interface SystemRegistry {
    netsuite: typeof system;
  }
}
