/**
 * The Patchworks side of the Lightspeed Retail (X-Series) connector: what `openapi.json` beside this file cannot say.
 * The exporters in patchworks/exporters/ combine the two into a Postman collection and Core-API JSON.
 *
 * Sources: OAuth 2.0 authorization code, the only grant X-Series offers, with client ID and secret from the developer
 * portal and a redirect URI registered in the app (https://x-series-api.lightspeedhq.com/docs/authorization); the
 * token endpoint on the retailer's host, form-encoded, with rotating refresh tokens
 * (https://x-series-api.lightspeedhq.com/changelog/2025-03-refresh-token-flow-update,
 * https://x-series-api.lightspeedhq.com/docs/request_format); the authorize page https://secure.retail.lightspeed.app/connect
 * is as a public summary of the authorization page gives it (github.com/api-evangelist/lightspeed,
 * overlays/lightspeed-x-series-overlay.yaml), not read on Lightspeed's page itself; the rate limit, 300 × registers +
 * 50
 * requests per 5 minutes (https://x-series-api.lightspeedhq.com/docs/rate_limiting); paging
 * (https://x-series-api.lightspeedhq.com/docs/pagination). Patchworks' field values and its authorization-code redirect
 * URI from ../../../shared/reference/patchworks.md §2.1 and §2.4.
 */
import type { EndpointFacts, PatchworksConnectorFacts } from '../../../contracts/connector-source.js';
import { INVENTORY_PAGES_SCRIPT } from '../inventory-pages.js';

/** A version-cursor list as Patchworks pages it (see ListProducts below). */
const BY_VERSION_CURSOR: Pick<EndpointFacts, 'paginationMethod' | 'nextPageToken'> = {
  paginationMethod: 'Next page token',
  nextPageToken: { parameter: 'after', path: 'version.max' },
};

export const lightspeedXConnector: PatchworksConnectorFacts = {
  system: {
    name: 'Lightspeed Retail (X-Series)',
    label:
      'Lightspeed Retail X-Series (formerly Vend), API 2026-07: sales, customers and customer groups, ' +
      'products by SKU, inventory levels and inventory records, price books and their products.',
    systemType: 'POS',
    protocol: 'HTTP',
    // ISO 8601: X-Series dates are RFC 3339 (sales' `date`, `created_at`).
    dateFormat: 'c',
    // 300 × registers + 50 per 5 minutes: 350 for one register, i.e. 70 a minute. An instance of a store with more
    // registers can raise it by 60 a minute per register. The pack's own client paces itself from the headers.
    rateLimit: { requests: 70, per: 'minute' },
    helpLink: 'https://x-series-api.lightspeedhq.com/docs/introduction',
  },
  baseUrl: 'https://{{domain_prefix}}.retail.lightspeed.app/api',
  variables: [
    {
      key: 'domain_prefix',
      label: 'Store domain prefix',
      description:
        "The first part of the store's address: example for example.retail.lightspeed.app. The token " +
        'answer also returns it as domain_prefix.',
      required: true,
      secret: false,
      // No default: every store has its own host.
      value: null,
    },
  ],
  authentication: {
    kind: 'oauth2-authorization-code',
    name: 'OAuth 2 (Lightspeed X-Series authorization code)',
    authorizeUrl: 'https://secure.retail.lightspeed.app/connect',
    tokenUrl: 'https://{{domain_prefix}}.retail.lightspeed.app/api/1.0/token',
    redirectUri: 'https://app.wearepatchworks.com/oauth/authenticate',
    tokenBodyFormat: 'form-data',
    // X-Series scopes are per operation in its OpenAPI document (sales:write, customers:read…); an app is granted
    // them when it is set up, and the authorize request names none here.
    scope: '',
    pkce: false,
    refreshTokenRotates: true,
    headers: [],
    clientId: {
      key: 'client_id',
      label: 'Client ID',
      description:
        'From the application at the Lightspeed X-Series developer portal (developers.retail.lightspeed.app), whose redirect URI must be https://app.wearepatchworks.com/oauth/authenticate.',
      required: true,
      secret: true,
    },
    clientSecret: {
      key: 'client_secret',
      label: 'Client secret',
      description: 'From the same application.',
      required: true,
      secret: true,
    },
    responseTokenKey: 'access_token',
  },
  endpoints: {
    // Version cursor: the next page is `after` = this page's `version.max`, "the lowest and highest version number
    // of resources included in the response" (https://x-series-api.lightspeedhq.com/docs/pagination): Patchworks'
    // "Next page token" with that URL parameter and path. UNVERIFIED (no page shows an empty page): that the page
    // after the last carries no `version.max` (absent or null), which is where "Next page token" stops.
    ListCustomers: { returnsMultipleRecords: true, dataPath: 'data', ...BY_VERSION_CURSOR },
    ListCustomerGroups: { returnsMultipleRecords: true, dataPath: 'data', ...BY_VERSION_CURSOR },
    ListProducts: { returnsMultipleRecords: true, dataPath: 'data', ...BY_VERSION_CURSOR },
    // The 3.0 price books "use the same pagination/versioning concepts as 2.0"
    // (https://x-series-api.lightspeedhq.com/changelog/2023-06-3-0-price-books-api).
    ListPriceBooksV3: { returnsMultipleRecords: true, dataPath: 'data', ...BY_VERSION_CURSOR },
    ListPriceBookProducts: { returnsMultipleRecords: true, dataPath: 'data', ...BY_VERSION_CURSOR },
    // offset and page_size (≤ 1000).
    Search: { returnsMultipleRecords: true, dataPath: 'data', paginationMethod: 'Limit offset' },
    // A bare array; offset and size travel in the JSON body.
    ListInventoryLevels: { returnsMultipleRecords: true, dataPath: null, paginationMethod: null },
    // A bare array (no version.max to read a token from) whose version cursor, `after` = the highest version
    // received, is a body parameter only (https://x-series-api.lightspeedhq.com/v2026.04/reference/listinventoryrecords):
    // no URL-parameter method fits, so the pack's pagination script rewrites the body page by page
    // (connectors/lightspeed-x/inventory-pages.ts). A POST that only reads ("read-only despite POST"): a Receive that
    // sends the flow's payload (the first page's request body) as its body.
    ListInventoryRecords: {
      returnsMultipleRecords: true,
      dataPath: null,
      paginationMethod: 'Script',
      paginationScript: { key: INVENTORY_PAGES_SCRIPT, entry: 'connectors/lightspeed-x/inventory-pages.ts' },
      reads: true,
    },
  },
};
