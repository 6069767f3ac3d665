/**
 * The Patchworks side of the NetSuite connector: what `openapi.json` beside this file cannot say. The exporters
 * in patchworks/exporters/ combine the two into a Postman collection and Core-API JSON.
 *
 * Sources: token-based authentication, OAuth 1.0 with HMAC-SHA256 and the account ID as realm
 * (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1534941295.html,
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1534941088.html); the account-specific
 * REST domain (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1498251763.html); SuiteQL
 * paging (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157909186990.html); concurrency
 * governance (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/subsect_1559222360.html). Patchworks' field
 * values from ../../../shared/reference/patchworks.md §2.1 and §2.4.
 */
import type { PatchworksConnectorFacts } from '../../../contracts/connector-source.js';

const COMPANY_URLS = 'Setup > Company > Company Information, Company URLs subtab';

export const netsuiteConnector: PatchworksConnectorFacts = {
  system: {
    name: 'NetSuite',
    label: 'NetSuite (SuiteTalk REST web services): sales orders and customers by external ID, and SuiteQL.',
    systemType: 'ERP',
    protocol: 'HTTP',
    // ISO 8601: NetSuite's datetimes (createdDate) are ISO 8601; dates are YYYY-MM-DD.
    dateFormat: 'c',
    // NetSuite limits concurrent requests per account (from 5 on a developer account, more by service tier and
    // SuiteCloud Plus licences), not requests per minute; over the limit it answers 429. 60 a minute is a
    // cautious default for one flow; an instance can raise it.
    rateLimit: { requests: 60, per: 'minute' },
    helpLink: 'https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/chapter_1540809676.html',
  },
  baseUrl: '{{base_url}}',
  variables: [
    {
      key: 'base_url',
      label: 'REST base URL',
      description: `The account's SuiteTalk REST domain followed by /services/rest, e.g. https://1234567-sb1.suitetalk.api.netsuite.com/services/rest. Copy the SuiteTalk (SOAP and REST web services) URL from ${COMPANY_URLS}.`,
      required: true,
      secret: false,
      // No default: a NetSuite account has no shared host, and a guessed one would send to the wrong account.
      value: null,
    },
    {
      key: 'realm',
      label: 'Account ID (realm)',
      description:
        `The account ID as NetSuite writes it in the OAuth realm: upper case, sandbox suffix after _ ` +
        `(1234567_SB1). ${COMPANY_URLS} shows it as Account ID.`,
      required: true,
      secret: false,
      value: null,
    },
  ],
  authentication: {
    kind: 'oauth1-token-based',
    name: 'OAuth 1 (NetSuite token-based authentication)',
    signatureMethod: 'HMAC-SHA256',
    realm: '{{realm}}',
    headers: [],
    consumerKey: {
      key: 'consumer_key',
      label: 'Consumer key',
      description:
        'From the integration record (Setup > Integration > Manage Integrations), shown once when ' +
        'token-based authentication is enabled on it.',
      required: true,
      secret: true,
    },
    consumerSecret: {
      key: 'consumer_secret',
      label: 'Consumer secret',
      description: 'From the integration record, shown once with the consumer key.',
      required: true,
      secret: true,
    },
    token: {
      key: 'token_id',
      label: 'Token ID',
      description:
        'From the access token created for the integration, a user and a role (Setup > Users/Roles > Access Tokens).',
      required: true,
      secret: true,
    },
    tokenSecret: {
      key: 'token_secret',
      label: 'Token secret',
      description: 'From the access token, shown once with the token ID.',
      required: true,
      secret: true,
    },
  },
  endpoints: {
    // Rows in `items`; limit (≤ 1000) and offset until hasMore is false. A POST that reads: its body is the query
    // ({"q": ...}), so it exports as a Receive that sends the flow's payload. NetSuite refuses SuiteQL without
    // Prefer: transient (section_157909186990.html). Patchworks documents no endpoint-level headers, so the Core-API
    // export puts it on the authentication implementation, whose headers go on every request (reference/patchworks.md
    // §2.1): the record endpoints get it too. A server ignores a preference it does not apply rather than failing
    // (RFC 7240 §2, https://www.rfc-editor.org/rfc/rfc7240#section-2), and NetSuite documents Prefer on its other
    // requests only as respond-async
    // (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/chapter_161251386312.html).
    runSuiteQL: {
      returnsMultipleRecords: true,
      dataPath: 'items',
      paginationMethod: 'Limit offset',
      reads: true,
      headers: { Prefer: 'transient' },
    },
  },
  // An error answer's reason is the first o:errorDetails detail (Error Handling in REST Web Services,
  // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156570709583.html).
  errorReasonPath: 'o:errorDetails.0.detail',
};
