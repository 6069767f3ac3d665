/**
 * The Patchworks side of the SparkLayer connector: what `openapi.json` beside this file cannot say.
 * The exporters in patchworks/exporters/ combine the two into a Postman collection and Core-API JSON.
 *
 * Sources: SparkLayer authentication, environments, rate limits and pagination from
 * ../../../shared/reference/sparklayer.md §2 and §4 (https://docs.sparklayer.io/developers/authentication.md,
 * https://docs.sparklayer.io/developers/pagination.md); Patchworks' field values from
 * ../../../shared/reference/patchworks.md §2.1 and §2.4.
 */
import type { PatchworksConnectorFacts } from '../../../contracts/connector-source.js';
import { SPARKLAYER_BASE_URLS } from './config.js';

export const sparkLayerConnector: PatchworksConnectorFacts = {
  system: {
    name: 'SparkLayer',
    label: 'SparkLayer B2B: purchases, transactions, customers and credit, price lists, stock and the sync log.',
    // SparkLayer is a B2B ordering layer on top of an online store.
    systemType: 'eCommerce',
    protocol: 'HTTP',
    // ISO 8601 (PHP `c`), as SparkLayer's dates are; the one public Patchworks connector export uses it too.
    dateFormat: 'c',
    // SparkLayer publishes no numeric rate limit, only 429 with Retry-After (reference/sparklayer.md §4).
    // 60 a minute is a conservative default: a full 500-per-page purchase export still reads 30,000
    // purchases a minute. Each Patchworks instance may raise it once SparkLayer confirms the site's limit.
    rateLimit: { requests: 60, per: 'minute' },
    helpLink: 'https://docs.sparklayer.io/developers/api',
  },
  baseUrl: '{{base_url}}',
  variables: [
    {
      key: 'base_url',
      label: 'Environment base URL',
      description:
        `SparkLayer environment: live ${SPARKLAYER_BASE_URLS.live} or test ${SPARKLAYER_BASE_URLS.test}. ` +
        `Each has its own data and API keys.`,
      required: true,
      secret: false,
      // Test by default: an instance left unconfigured then fails at the token (live keys are refused)
      // instead of writing to a live site.
      value: SPARKLAYER_BASE_URLS.test,
    },
    {
      key: 'site_id',
      label: 'Site ID',
      description: 'The SparkLayer Site ID (e.g. jones-climbing), sent as the Site-Id header on every request.',
      required: true,
      secret: false,
      value: null,
    },
  ],
  authentication: {
    kind: 'oauth2-client-credentials',
    name: 'OAuth 2',
    tokenUrl: '{{base_url}}/api/auth/token',
    // SparkLayer refuses a form-encoded token request.
    tokenBodyFormat: 'json',
    headers: [{ key: 'Site-Id', value: '{{site_id}}' }],
    clientId: {
      key: 'client_id',
      label: 'Client ID',
      description: 'From the SparkLayer Dashboard, Settings > API, for the environment in base_url.',
      required: true,
      secret: true,
    },
    clientSecret: {
      key: 'client_secret',
      label: 'Client secret',
      description: 'From the SparkLayer Dashboard, Settings > API, for the environment in base_url.',
      required: true,
      secret: true,
    },
    responseTokenKey: 'access_token',
  },
  endpoints: {
    // A bare array of purchases; `limit` (1–500) and `offset`, until a page comes back short.
    getPurchases: { returnsMultipleRecords: true, dataPath: null, paginationMethod: 'Limit offset' },
    // Paged by `page` and `page_size` (≤ 250) until pagination.current_page reaches total_pages.
    getPriceLists: { returnsMultipleRecords: true, dataPath: 'data', paginationMethod: 'Page number parameter' },
    // One price list's stored prices: a bare array, one entry per SKU and quantity break, ordered by SKU; `slug` is
    // the path variable. No paging documented; 204 with no body when the list has no prices
    // (https://docs.sparklayer.io/developers/api/pricing/get-pricing-by-price-list.md).
    getPriceListPricingData: { returnsMultipleRecords: true, dataPath: null, paginationMethod: null },
    // Every payment and refund of one purchase, in one response.
    getTransactions: { returnsMultipleRecords: true, dataPath: null, paginationMethod: null },
    // A POST that reads: its body is {skus, filter} (the flow's payload), so it exports as a Receive that sends it.
    // One answer per request, the levels grouped by SKU; no paging documented
    // (https://docs.sparklayer.io/developers/api/stock/get-stock-levels.md).
    getBatchStock: { returnsMultipleRecords: false, dataPath: null, paginationMethod: null, reads: true },
  },
};
