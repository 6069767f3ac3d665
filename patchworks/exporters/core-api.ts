/**
 * OpenAPI document + Patchworks connector facts → the connector as Patchworks Core-API JSON: the system,
 * its variables, its authentication implementation and one endpoint per operation.
 *
 * Field names and value forms follow the one public connector definition, saved Core-API responses in
 * github.com/Crownpeak/fhr-patchworks-data-connector (systems/system.json,
 * systems/authentication-implementations/*.json, systems/variables/variables.json, systems/endpoints/endpoints.json;
 * reference/patchworks.md §2.4). Ids the platform assigns (`id`, `system_id`, `entity_type_id`, `system_template_id`,
 * variable ULIDs) are left out: Patchworks gives them on creation. Three fields have no example there and are named
 * after the builder's tabs (reference/patchworks.md §2.1): `system_type` (the export holds a tenant's
 * `system_type_id`), the authentication's `headers` and `raw_body`, and an endpoint's `schema` (the sample payload).
 */
import {
  allVariables,
  assertEndpointFactsMatch,
  authenticationVariables,
  endpointFacts,
  isSensitiveName,
  readOpenApi,
  withoutCredentials,
  type ApiOperation,
  type ConnectorAuthentication,
  type ConnectorVariable,
  type EndpointFacts,
  type HeaderTemplate,
  type PatchworksConnectorFacts,
  type PatchworksPaginationMethod,
  type PatchworksSystemType,
  type RateLimitUnit,
} from '../../contracts/connector-source.js';

export interface CoreApiVariable {
  key: string;
  value: string | null;
  label: string;
  secret: boolean;
  locked: boolean;
  pivot: { configurable: boolean; required: boolean; advanced: boolean; alias: string };
}

export type CoreApiDataType = 'json' | 'csv' | 'xml' | 'txt';

export interface CoreApiEndpoint {
  name: string;
  endpoint: string;
  http_method: ApiOperation['method'];
  data_type: CoreApiDataType;
  direction: 'Send' | 'Receive';
  returns_multiple_records: boolean;
  data_path: string | null;
  body_format: 'raw' | 'none';
  raw_body: string;
  pagination_method: PatchworksPaginationMethod | null;
  help_link: string | null;
  variables: CoreApiVariable[];
  /** A sample payload as a string: the request for a Send endpoint, the response for a Receive one. */
  schema: string | null;
}

export interface CoreApiConnector {
  system: {
    name: string;
    label: string;
    system_type: PatchworksSystemType;
    protocol: 'HTTP';
    rate_limit_unit: RateLimitUnit;
    /** The number of requests allowed per `rate_limit_unit` (the builder's "rate limit"). */
    rate_limit_duration: number;
    date_format: string;
    help_link: string;
  };
  variables: CoreApiVariable[];
  authentication_implementations: Array<
    | CoreApiOAuth2Implementation
    | CoreApiOAuth1Implementation
    | CoreApiOAuth2CodeImplementation
    | CoreApiApiKeyImplementation
  >;
  endpoints: CoreApiEndpoint[];
}

export interface CoreApiOAuth2Implementation {
  name: string;
  /** 3 is OAuth 2 client credentials in the Crownpeak export. */
  authentication_type_id: 3;
  endpoint: string;
  method: 'POST';
  body_format: 'raw' | 'form-data';
  data_type: 'json' | null;
  raw_body: string | null;
  headers: HeaderTemplate[];
  pre_script_version_id: null;
  post_script_version_id: null;
  variables: CoreApiVariable[];
}

/**
 * OAuth 1 (token-based): no token request, so no endpoint or body; the credentials, the realm and the signature
 * method are the implementation's variables. Patchworks offers OAuth 1 (reference/patchworks.md §2.1) but no
 * public export shows its `authentication_type_id`, so it is left null with the type named in
 * `authentication_type`, for Patchworks (or the consultant) to assign.
 */
export interface CoreApiOAuth1Implementation {
  name: string;
  authentication_type_id: null;
  authentication_type: 'OAuth 1';
  endpoint: null;
  method: null;
  body_format: 'none';
  data_type: null;
  raw_body: null;
  headers: HeaderTemplate[];
  pre_script_version_id: null;
  post_script_version_id: null;
  variables: CoreApiVariable[];
}

/**
 * OAuth 2 authorization code: the token request as for client credentials, plus the authorize page and the redirect
 * URI. No public export shows an authorisation-code implementation, so its `authentication_type_id` is left null with
 * the type named in `authentication_type`, and its fixed variables are named after the client-credentials ones.
 */
export interface CoreApiOAuth2CodeImplementation {
  name: string;
  authentication_type_id: null;
  authentication_type: 'OAuth 2 authorisation code';
  endpoint: string;
  method: 'POST';
  body_format: 'raw' | 'form-data';
  data_type: 'json' | null;
  raw_body: string | null;
  headers: HeaderTemplate[];
  pre_script_version_id: null;
  post_script_version_id: null;
  variables: CoreApiVariable[];
}

/**
 * API key: a fixed token in a header of every request (the header is the implementation's, filled from its variable),
 * no token request. No public export shows its `authentication_type_id`, so it is left null with the type named.
 */
export interface CoreApiApiKeyImplementation {
  name: string;
  authentication_type_id: null;
  authentication_type: 'API key';
  endpoint: null;
  method: null;
  body_format: 'none';
  data_type: null;
  raw_body: null;
  headers: HeaderTemplate[];
  pre_script_version_id: null;
  post_script_version_id: null;
  variables: CoreApiVariable[];
}

/** The keys of an authorization-code implementation's fixed variables. */
const CODE_GRANT_TYPE_VARIABLE = 'authorization_code_grant_type';
const AUTHORIZE_URL_VARIABLE = 'authorize_url';
const REDIRECT_URI_VARIABLE = 'redirect_uri';
const SCOPE_VARIABLE = 'scope';
const PKCE_VARIABLE = 'pkce_challenge_method';
const ROTATES_VARIABLE = 'refresh_token_rotates';

/** The keys of an OAuth 1 implementation's fixed variables. */
const SIGNATURE_METHOD_VARIABLE = 'signature_method';
const REALM_VARIABLE = 'oauth_realm';

/** The Crownpeak export's keys for the grant type and the token key of an OAuth 2 client-credentials auth. */
const GRANT_TYPE_VARIABLE = 'client_credentials_grant_type';
const TOKEN_KEY_VARIABLE = 'response_authentication_token_key';

export function exportCoreApiConnector(openApi: unknown, connector: PatchworksConnectorFacts): CoreApiConnector {
  const api = readOpenApi(openApi);
  assertEndpointFactsMatch(api, connector);
  const variableKeys = new Set(allVariables(connector).map((variable) => variable.key));
  const { system, authentication } = connector;

  return {
    system: {
      name: system.name,
      label: system.label,
      system_type: system.systemType,
      protocol: system.protocol,
      rate_limit_unit: system.rateLimit.per,
      rate_limit_duration: system.rateLimit.requests,
      date_format: system.dateFormat,
      help_link: system.helpLink,
    },
    variables: connector.variables.map(coreApiVariable),
    authentication_implementations: [
      withEndpointHeaders(authenticationImplementation(authentication), endpointHeaders(api.operations, connector)),
    ],
    endpoints: api.operations.map((operation) =>
      coreApiEndpoint(operation, endpointFacts(connector, operation.operationId), connector, variableKeys),
    ),
  };
}

function authenticationImplementation(
  authentication: ConnectorAuthentication,
):
  | CoreApiOAuth2Implementation
  | CoreApiOAuth1Implementation
  | CoreApiOAuth2CodeImplementation
  | CoreApiApiKeyImplementation {
  if (authentication.kind === 'api-key-header') {
    return {
      name: authentication.name,
      authentication_type_id: null,
      authentication_type: 'API key',
      endpoint: null,
      method: null,
      body_format: 'none',
      data_type: null,
      raw_body: null,
      headers: [...authentication.headers, { key: authentication.header, value: `{{${authentication.key.key}}}` }],
      pre_script_version_id: null,
      post_script_version_id: null,
      variables: [coreApiVariable(authentication.key)],
    };
  }
  if (authentication.kind === 'oauth2-authorization-code') {
    const json = authentication.tokenBodyFormat === 'json';
    return {
      name: authentication.name,
      authentication_type_id: null,
      authentication_type: 'OAuth 2 authorisation code',
      endpoint: authentication.tokenUrl,
      method: 'POST',
      body_format: json ? 'raw' : 'form-data',
      data_type: json ? 'json' : null,
      raw_body: json
        ? JSON.stringify({
            grant_type: `{{${CODE_GRANT_TYPE_VARIABLE}}}`,
            client_id: `{{${authentication.clientId.key}}}`,
            client_secret: `{{${authentication.clientSecret.key}}}`,
            redirect_uri: `{{${REDIRECT_URI_VARIABLE}}}`,
          })
        : null,
      headers: authentication.headers,
      pre_script_version_id: null,
      post_script_version_id: null,
      variables: [
        fixedVariable(CODE_GRANT_TYPE_VARIABLE, 'Grant type', 'authorization_code'),
        fixedVariable(AUTHORIZE_URL_VARIABLE, 'Authorize URL', authentication.authorizeUrl),
        fixedVariable(REDIRECT_URI_VARIABLE, 'Redirect URI', authentication.redirectUri),
        ...(authentication.scope === '' ? [] : [fixedVariable(SCOPE_VARIABLE, 'Scope', authentication.scope)]),
        ...(authentication.pkce ? [fixedVariable(PKCE_VARIABLE, 'PKCE challenge method', 'S256')] : []),
        fixedVariable(ROTATES_VARIABLE, 'Refresh token rotates', authentication.refreshTokenRotates ? 'true' : 'false'),
        coreApiVariable(authentication.clientId),
        coreApiVariable(authentication.clientSecret),
        fixedVariable(TOKEN_KEY_VARIABLE, 'Response Authentication Token Key', authentication.responseTokenKey),
      ],
    };
  }
  if (authentication.kind === 'oauth1-token-based') {
    return {
      name: authentication.name,
      authentication_type_id: null,
      authentication_type: 'OAuth 1',
      endpoint: null,
      method: null,
      body_format: 'none',
      data_type: null,
      raw_body: null,
      headers: authentication.headers,
      pre_script_version_id: null,
      post_script_version_id: null,
      variables: [
        fixedVariable(SIGNATURE_METHOD_VARIABLE, 'Signature method', authentication.signatureMethod),
        fixedVariable(REALM_VARIABLE, 'Realm', authentication.realm),
        ...authenticationVariables(authentication).map(coreApiVariable),
      ],
    };
  }
  return {
    name: authentication.name,
    authentication_type_id: 3,
    endpoint: authentication.tokenUrl,
    method: 'POST',
    body_format: authentication.tokenBodyFormat === 'json' ? 'raw' : 'form-data',
    data_type: authentication.tokenBodyFormat === 'json' ? 'json' : null,
    // A form body is built from the variables; a JSON one needs its template.
    raw_body:
      authentication.tokenBodyFormat === 'json'
        ? JSON.stringify({
            grant_type: `{{${GRANT_TYPE_VARIABLE}}}`,
            client_id: `{{${authentication.clientId.key}}}`,
            client_secret: `{{${authentication.clientSecret.key}}}`,
          })
        : null,
    headers: authentication.headers,
    pre_script_version_id: null,
    post_script_version_id: null,
    variables: [
      fixedVariable(GRANT_TYPE_VARIABLE, 'Grant type', 'client_credentials'),
      coreApiVariable(authentication.clientId),
      coreApiVariable(authentication.clientSecret),
      fixedVariable(TOKEN_KEY_VARIABLE, 'Response Authentication Token Key', authentication.responseTokenKey),
    ],
  };
}

function coreApiEndpoint(
  operation: ApiOperation,
  facts: EndpointFacts,
  connector: PatchworksConnectorFacts,
  variableKeys: ReadonlySet<string>,
): CoreApiEndpoint {
  const direction = endpointDirection(operation, facts);
  const required = operation.parameters.query.filter((parameter) => parameter.required);
  const queryString = required.length === 0 ? '' : `?${required.map(({ name }) => `${name}={{${name}}}`).join('&')}`;
  const payload = direction === 'Send' ? operation.requestBody : operation.response;
  const sample = withoutCredentials(payload?.sample, variableKeys);
  const endpointPath = operation.path.replace(/\{([^}]+)\}/g, '{{$1}}');
  return {
    name: operation.name,
    endpoint: `${operation.server ?? connector.baseUrl}${endpointPath}${queryString}`,
    http_method: operation.method,
    data_type: dataType(payload?.mediaType),
    direction,
    returns_multiple_records: facts.returnsMultipleRecords,
    data_path: facts.dataPath,
    body_format: operation.requestBody ? 'raw' : 'none',
    // Empty: the endpoint sends the flow's payload as its body (a Send's record, a reading POST's query). A template
    // here would replace it.
    raw_body: '',
    // The "Next page token" and "Next Page URL" options and the pagination script are left out: no Patchworks page
    // gives their keys (see handSetPagination).
    pagination_method: facts.paginationMethod,
    help_link: operation.helpLink ?? null,
    variables: [
      ...operation.parameters.path.map(({ name }) => endpointVariable(name, null, { required: true, advanced: false })),
      // Optional query parameters are offered, not sent: only required ones are in the URL.
      ...operation.parameters.query.map(({ name, example, required }) =>
        endpointVariable(name, example ?? null, { required, advanced: !required }),
      ),
    ],
    schema: sample === undefined ? null : typeof sample === 'string' ? sample : JSON.stringify(sample, null, 2),
  };
}

/**
 * What the consultant sets by hand on an endpoint, in the builder's words; undefined when nothing. The Core-API
 * definition carries the pagination method only: the JSON keys of its options are documented nowhere, and a guessed
 * key would be dropped or refused on import (UNVERIFIED either way), so they travel as this text.
 * - "Next page token": its two options
 *   (https://doc.wearepatchworks.com/product-documentation/developer-hub/connector-builder/building-your-own-connector/4-endpoints/endpoint-options/pagination/next-page-token-pagination-method);
 * - "Next Page URL": its "Next page field"
 *   (https://doc.wearepatchworks.com/product-documentation/developer-hub/connector-builder/building-your-own-connector/4-endpoints/endpoint-options/pagination/next-page-url-pagination-method);
 * - "Script": the pagination script and its version, selected on the endpoint's pagination tab once the script is
 *   saved and deployed
 *   (https://doc.wearepatchworks.com/product-documentation/developer-hub/connector-builder/building-your-own-connector/4-endpoints/endpoint-options/pagination/script-pagination).
 */
export function handSetPagination(
  facts: Pick<EndpointFacts, 'nextPageToken' | 'nextPageUrl' | 'paginationScript'>,
): string | undefined {
  if (facts.nextPageUrl !== undefined) return `Next page field "${facts.nextPageUrl.field}"`;
  if (facts.nextPageToken !== undefined)
    return (
      `Token parameter name "${facts.nextPageToken.parameter}", ` +
      `Path to token in payload "${facts.nextPageToken.path}"`
    );
  if (facts.paginationScript !== undefined)
    return (
      `on its pagination tab, the script "${facts.paginationScript.key}" and its deployed version (save and deploy ` +
      `scripts/${facts.paginationScript.key}.js as that script first)`
    );
  return undefined;
}

/**
 * A GET receives, and so does an endpoint the facts say reads (a POST whose body is a query, NetSuite's SuiteQL); every
 * other method sends. The flow import's connector endpoint uses the same rule.
 */
export function endpointDirection(
  operation: Pick<ApiOperation, 'method'>,
  facts: Pick<EndpointFacts, 'reads'> | undefined,
): CoreApiEndpoint['direction'] {
  return operation.method === 'GET' || facts?.reads === true ? 'Receive' : 'Send';
}

/**
 * The headers the endpoint facts require, in operation order. Patchworks' endpoint has no headers field
 * (reference/patchworks.md §2.1 lists an endpoint's fields, §2.4 the stored ones: none is headers), while the
 * authentication method's headers "are also sent in the endpoint requests" (§2.1): so they go there, on every
 * request. Two endpoints asking for different values of one header cannot both be met that way: an error.
 */
function endpointHeaders(operations: readonly ApiOperation[], connector: PatchworksConnectorFacts): HeaderTemplate[] {
  const headers = new Map<string, HeaderTemplate & { operationId: string }>();
  for (const operation of operations) {
    for (const [key, value] of Object.entries(endpointFacts(connector, operation.operationId).headers ?? {})) {
      const seen = headers.get(key.toLowerCase());
      if (seen && seen.value !== value)
        throw new Error(
          `${connector.system.name}: ${seen.operationId} needs the header ${key}: ${seen.value} and ` +
            `${operation.operationId} ${key}: ${value}; Patchworks sends one set of headers on every endpoint`,
        );
      headers.set(key.toLowerCase(), { key, value, operationId: operation.operationId });
    }
  }
  return [...headers.values()].map(({ key, value }) => ({ key, value }));
}

function withEndpointHeaders<T extends { headers: HeaderTemplate[] }>(implementation: T, extra: HeaderTemplate[]): T {
  const own = new Set(implementation.headers.map((header) => header.key.toLowerCase()));
  const clash = extra.find((header) => own.has(header.key.toLowerCase()));
  if (clash) throw new Error(`the authentication already sends the header ${clash.key} an endpoint asks for`);
  return { ...implementation, headers: [...implementation.headers, ...extra] };
}

function coreApiVariable(variable: ConnectorVariable): CoreApiVariable {
  return {
    key: variable.key,
    // Never a value for a secret: Patchworks asks for it when the connector is instanced.
    value: variable.secret ? null : variable.value,
    label: variable.label,
    secret: variable.secret,
    locked: false,
    pivot: { configurable: true, required: variable.required, advanced: false, alias: variable.key },
  };
}

function fixedVariable(key: string, label: string, value: string): CoreApiVariable {
  return {
    key,
    value,
    label,
    secret: false,
    locked: true,
    pivot: { configurable: true, required: true, advanced: false, alias: key },
  };
}

function endpointVariable(
  name: string,
  value: string | null,
  flags: { required: boolean; advanced: boolean },
): CoreApiVariable {
  const secret = isSensitiveName(name);
  return {
    key: name,
    value: secret ? null : value,
    label: name,
    secret,
    locked: false,
    pivot: { configurable: true, ...flags, alias: name },
  };
}

function dataType(mediaType: string | undefined): CoreApiDataType {
  if (mediaType === undefined || /\bjson\b/i.test(mediaType)) return 'json';
  if (/csv/i.test(mediaType)) return 'csv';
  if (/xml/i.test(mediaType)) return 'xml';
  return 'txt';
}
