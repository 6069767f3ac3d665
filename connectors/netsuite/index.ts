/**
 * NetSuite, an order back-end: the system's one registration (contracts/system.ts), found by the tools because it
 * sits in connectors/netsuite/. Dev-only: it names the fake.
 */
import { defineSystem } from '../../contracts/system.js';
import { netSuiteConfigFromEnv, type NetSuiteConfig } from './dev/config.js';
import { replaceAgreesWithTaxMode } from './dev/flow-variables.js';
import { netsuiteConnector } from './dev/patchworks-connector.js';
import { NetSuiteSandbox, SANDBOX_BASE_URL, sandboxConfig, sandboxDataFromFixtures } from './dev/sandbox.js';

/** The connector instance a consultant adds in Patchworks for these settings. */
const instance = (config: NetSuiteConfig) => ({
  base_url: config.baseUrl,
  realm: config.realm,
  consumer_key: config.consumerKey,
  consumer_secret: config.consumerSecret,
  token_id: config.tokenId,
  token_secret: config.tokenSecret,
});

const system = defineSystem({
  key: 'netsuite',
  order: 2,
  openApi: 'openapi.json',
  facts: netsuiteConnector,
  live: (env) => instance(netSuiteConfigFromEnv(env)),
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
    instance: instance(sandboxConfig()),
  },
  flowVariablesRule: replaceAgreesWithTaxMode,
});

export default system;

declare module '../../contracts/system.js' {
  interface SystemRegistry {
    netsuite: typeof system;
  }
}
