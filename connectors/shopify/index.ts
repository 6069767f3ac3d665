/**
 * Shopify, where SparkLayer's checkout books its orders on a Shopify site (issue 36): the system's one registration
 * (contracts/system.ts), found by the tools because it sits in connectors/shopify/. Its one operation is the pack's
 * custom GraphQL endpoint on Patchworks' Shopify connector (dev/patchworks-connector.ts, graphql-queries.ts).
 * Dev-only: it names the fake.
 */
import { defineSystem } from '../../contracts/system.js';
import { shopifyConfigFromEnv, type ShopifyConfig } from './dev/config.js';
import { shopifyConnector } from './dev/patchworks-connector.js';
import { SANDBOX_ACCESS_TOKEN, SANDBOX_BASE_URL, ShopifySandbox, sandboxDataFromFixtures } from './dev/sandbox.js';

/** The connector instance a consultant adds in Patchworks for these settings. */
const instance = (config: ShopifyConfig) => ({ store_url: config.baseUrl, access_token: config.accessToken });

const system = defineSystem({
  key: 'shopify',
  order: 5,
  openApi: 'openapi.json',
  facts: shopifyConnector,
  live: (env) => instance(shopifyConfigFromEnv(env)),
  sandbox: {
    fake: async (root) => new ShopifySandbox(await sandboxDataFromFixtures(root)),
    baseUrl: SANDBOX_BASE_URL,
    instance: instance({ baseUrl: SANDBOX_BASE_URL, accessToken: SANDBOX_ACCESS_TOKEN }),
  },
});

export default system;

declare module '../../contracts/system.js' {
  interface SystemRegistry {
    shopify: typeof system;
  }
}
