/**
 * The Patchworks side of the Lightspeed R-Series connector: what `openapi.json` beside this file cannot say. The
 * exporters in patchworks/exporters/ combine the two into a Postman collection and Core-API JSON.
 *
 * Sources: OAuth 2 authorization code with JSON or multipart token requests and rotating refresh tokens
 * (https://developers.lightspeedhq.com/retail/authentication/authorization-code-grant/,
 * https://developers.lightspeedhq.com/retail/authentication/refresh-token/); scopes
 * (https://developers.lightspeedhq.com/retail/authentication/scopes/); the leaky bucket
 * (https://developers.lightspeedhq.com/retail/introduction/ratelimits/); paging by complete next-page URLs
 * (https://developers.lightspeedhq.com/retail/introduction/pagination/). Patchworks' field values and its redirect URI
 * from ../../../shared/reference/patchworks.md §2.1 and §2.4.
 */
import type { PatchworksConnectorFacts } from '../../../contracts/connector-source.js';
import { LIGHTSPEED_R_API_ORIGIN, LIGHTSPEED_R_AUTHORIZE_URL, LIGHTSPEED_R_TOKEN_URL } from './config.js';

/**
 * A query answer's records sit under the resource's name; the next page is the complete URL in @attributes.next. One
 * record comes as an object rather than an array of one: a flow reading these endpoints should expect either.
 */
const list = (dataPath: string) => ({
  returnsMultipleRecords: true,
  dataPath,
  paginationMethod: 'Next Page URL' as const,
  nextPageUrl: { field: '@attributes.next' },
});

export const lightspeedRConnector: PatchworksConnectorFacts = {
  system: {
    name: 'Lightspeed Retail (R-Series)',
    label:
      'Lightspeed Retail POS (R-Series) API V3: sales with lines and payments, customers and credit ' +
      'accounts, items and stock per shop.',
    systemType: 'POS',
    protocol: 'HTTP',
    // ISO 8601: R-Series writes times as 2021-06-06T15:19:18+00:00.
    dateFormat: 'c',
    // The bucket leaks 1 drip a second with one register (+0.5/s per extra register); a read costs 1 drip, a sale 2 to
    // 5 and more, so 60 a minute is the sustained ceiling for reads on a one-register account. Raise it per instance
    // for accounts with more registers; a flow that books sales should stay well below it.
    rateLimit: { requests: 60, per: 'minute' },
    helpLink: 'https://developers.lightspeedhq.com/retail/',
  },
  baseUrl: '{{base_url}}',
  variables: [
    {
      key: 'base_url',
      label: 'API host',
      description:
        `The R-Series API host, ${LIGHTSPEED_R_API_ORIGIN}. ` + `Every path starts /API/V3/Account/{account_id}/.`,
      required: true,
      secret: false,
      value: LIGHTSPEED_R_API_ORIGIN,
    },
    {
      key: 'account_id',
      label: 'Account ID',
      description:
        'The R-Series account ID: run "The account the token reaches" (GET /API/V3/Account.json) once ' +
        'connected; it is its accountID.',
      required: true,
      secret: false,
      // No default: every merchant has their own account.
      value: null,
    },
  ],
  authentication: {
    kind: 'oauth2-authorization-code',
    name: 'OAuth 2 (Lightspeed R-Series authorization code)',
    authorizeUrl: LIGHTSPEED_R_AUTHORIZE_URL,
    tokenUrl: LIGHTSPEED_R_TOKEN_URL,
    redirectUri: 'https://app.wearepatchworks.com/oauth/authenticate',
    // "The request may be sent with a Content-Type of either application/json or multi-part/form-data".
    tokenBodyFormat: 'json',
    scope: 'employee:register employee:customers employee:inventory_read',
    // PKCE is required for publicly distributed clients only; Patchworks holds a client secret.
    pkce: false,
    // "After a refresh token has been used, a new access token and a new refresh token will be issued."
    refreshTokenRotates: true,
    headers: [],
    clientId: {
      key: 'client_id',
      label: 'Client ID',
      description:
        'From the API client registered with Lightspeed for this integration, whose redirect URI must be https://app.wearepatchworks.com/oauth/authenticate. An account user then authorises it once.',
      required: true,
      secret: true,
    },
    clientSecret: {
      key: 'client_secret',
      label: 'Client secret',
      description: 'From the same API client.',
      required: true,
      secret: true,
    },
    responseTokenKey: 'access_token',
  },
  endpoints: {
    listAccounts: { returnsMultipleRecords: true, dataPath: 'Account', paginationMethod: null },
    listSales: list('Sale'),
    listCustomers: list('Customer'),
    listCustomerTypes: list('CustomerType'),
    listItems: list('Item'),
    listItemShops: list('ItemShop'),
    listTaxCategories: list('TaxCategory'),
    listPaymentTypes: list('PaymentType'),
    listPriceLevels: list('PriceLevel'),
  },
};
