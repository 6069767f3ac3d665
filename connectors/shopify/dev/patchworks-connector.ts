/**
 * The Patchworks side of the pack's Shopify endpoint: what `openapi.json` beside this file cannot say. In
 * Patchworks the endpoint is a custom GraphQL endpoint the consultant adds to Patchworks' own prebuilt Shopify
 * connector by cloning one of its GraphQL endpoints in the connector builder, pasting the pack's query
 * (graphql-queries.ts)
 * (https://doc.wearepatchworks.com/product-documentation/connectors-and-instances/patchworks-connectors/shopify-prebuilt-connector/adding-a-custom-graphql-endpoint-for-shopify;
 * reference/patchworks.md "Shopify in Patchworks"). These facts describe that endpoint for the pack's exports and its
 * local runner; the prebuilt connector's own authentication and rate limit are what run in Patchworks (UNVERIFIED:
 * its settings are not public).
 *
 * Sources: authentication, an access token in the X-Shopify-Access-Token header of every request
 * (https://shopify.dev/docs/api/admin-graphql#authentication); rate limit, calculated query cost, 100 points a second
 * on the Standard plan, a leaky bucket (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits); paging,
 * cursors (`pageInfo { hasNextPage endCursor }`, `after`: https://shopify.dev/docs/api/usage/pagination-graphql).
 */
import type { PatchworksConnectorFacts } from '../../../contracts/connector-source.js';
import { ORDER_PAGES_SCRIPT } from '../order-pages.js';

export const shopifyConnector: PatchworksConnectorFacts = {
  system: {
    name: 'Shopify (SparkLayer orders)',
    label:
      "The pack's custom GraphQL endpoint on Patchworks' Shopify connector: the orders and draft orders SparkLayer's " +
      'checkout booked, with the fields the pack reads.',
    systemType: 'eCommerce',
    protocol: 'HTTP',
    dateFormat: 'c',
    // Shopify limits by query cost, not by request count: 100 points a second on Standard. The pack's query costs at
    // most a few hundred points a page (UNVERIFIED: its requestedQueryCost is not measured against a real store), so
    // one request a second keeps well inside the bucket.
    rateLimit: { requests: 60, per: 'minute' },
    helpLink: 'https://shopify.dev/docs/api/admin-graphql',
  },
  baseUrl: '{{store_url}}',
  variables: [
    {
      key: 'store_url',
      label: 'Store URL',
      description: "The store's admin API origin, https://<store>.myshopify.com.",
      required: true,
      secret: false,
      value: null,
    },
  ],
  authentication: {
    kind: 'api-key-header',
    name: 'Admin API access token',
    header: 'X-Shopify-Access-Token',
    headers: [],
    key: {
      key: 'access_token',
      label: 'Admin API access token',
      description:
        "The access token of the store's custom app (Shopify admin, Settings > Apps and sales channels > Develop " +
        'apps), with access to orders and draft orders.',
      required: true,
      secret: true,
    },
  },
  endpoints: {
    // A POST that reads: its body is {query, variables}, the flow's payload. Up to 250 nodes a page; Patchworks'
    // "GraphQL Cursor" pagination method exists (reference/patchworks.md §2.4) but its options are documented nowhere,
    // so the pack's pagination script sets `variables.after` to each page's end cursor until Shopify says there is no
    // next page: every order changed since the last run is read in the run.
    getShopifyOrders: {
      returnsMultipleRecords: false,
      dataPath: null,
      paginationMethod: 'Script',
      paginationScript: { key: ORDER_PAGES_SCRIPT, entry: 'connectors/shopify/order-pages.ts' },
      reads: true,
    },
  },
};
