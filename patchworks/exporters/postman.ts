/**
 * OpenAPI document + Patchworks connector facts → a Postman Collection v2.1, the connector import path
 * Patchworks documents (reference/patchworks.md §2.3: "Postman importer"). One folder per tag (or path
 * group), one request per operation; credentials only ever as `{{variables}}` with empty values.
 */
import {
  allVariables,
  assertEndpointFactsMatch,
  authenticationVariables,
  isSensitiveName,
  readOpenApi,
  withoutCredentials,
  type ApiOperation,
  type ApiParameter,
  type OAuth1TokenBased,
  type OAuth2AuthorizationCode,
  type OAuth2ClientCredentials,
  type PatchworksConnectorFacts,
} from './connector-source.js';
import {
  POSTMAN_COLLECTION_V2_1_SCHEMA_URL,
  type PostmanAuth,
  type PostmanCollection,
  type PostmanRequest,
  type PostmanRequestItem,
} from './postman-collection-schema.js';

export function exportPostmanCollection(openApi: unknown, connector: PatchworksConnectorFacts): PostmanCollection {
  const api = readOpenApi(openApi);
  assertEndpointFactsMatch(api, connector);
  const variables = allVariables(connector);
  const variableKeys = new Set(variables.map((variable) => variable.key));

  const groups = new Map<string, ApiOperation[]>();
  for (const operation of api.operations) groups.set(operation.group, [...(groups.get(operation.group) ?? []), operation]);

  return {
    info: {
      name: connector.system.name,
      description: collectionDescription(api.description, connector),
      version: api.version,
      schema: POSTMAN_COLLECTION_V2_1_SCHEMA_URL,
    },
    item: [...groups].map(([group, operations]) => ({
      name: group,
      description: api.tagDescriptions.get(group),
      item: operations.map((operation) => requestItem(operation, connector, variableKeys)),
    })),
    auth: collectionAuth(connector),
    variable: variables.map((variable) => ({
      key: variable.key,
      // Secrets stay empty: the consultant enters them in Patchworks or a Postman environment.
      value: variable.secret ? '' : (variable.value ?? ''),
      type: 'string',
      description: `${variable.label}${variable.secret ? ' (secret: enter it, never commit it)' : ''}. ${variable.description}`,
    })),
  };
}

function collectionDescription(apiDescription: string | undefined, connector: PatchworksConnectorFacts): string {
  const { authentication } = connector;
  const credentials = authenticationVariables(authentication).map((variable) => variable.label);
  const notes = [
    `Generated from the OpenAPI document and the pack's Patchworks connector facts. ${credentials.slice(0, -1).join(', ')} and ${credentials.at(-1)} are left empty on purpose.`,
  ];
  if (authentication.kind === 'oauth1-token-based') {
    notes.push(
      `Every request is signed with OAuth 1.0 (${authentication.signatureMethod}, realm ${authentication.realm}): Postman and Patchworks compute the signature, a fresh nonce and the timestamp for each request.`,
    );
  }
  if (authentication.kind === 'oauth2-authorization-code') {
    notes.push(
      `OAuth 2 authorization code: register ${authentication.redirectUri} as the redirect URI of the app, then connect the store once through ${authentication.authorizeUrl}; the code is exchanged at ${authentication.tokenUrl}.`,
    );
    if (authentication.refreshTokenRotates) {
      notes.push('Refresh tokens rotate: every refresh returns a new refresh token and revokes the one used, so whatever stores it must keep the latest.');
    }
  }
  if (authentication.kind === 'oauth2-client-credentials' && authentication.tokenBodyFormat === 'json') {
    notes.push(
      `The token request must be JSON. Postman's OAuth 2 helper sends a form, so in Postman use the token request in this collection; in Patchworks set the authentication body to raw JSON.`,
    );
  }
  return [apiDescription, ...notes].filter(Boolean).join('\n\n');
}

function collectionAuth(connector: PatchworksConnectorFacts): PostmanAuth {
  const { authentication } = connector;
  if (authentication.kind === 'oauth2-client-credentials') return oauth2Auth(connector, authentication);
  if (authentication.kind === 'oauth2-authorization-code') return oauth2CodeAuth(connector, authentication);
  return oauth1Auth(authentication);
}

/**
 * Postman's OAuth 2.0 helper for the authorization code grant ("Get New Access Token" opens the authorize page). PKCE
 * is Postman's `authorization_code_with_pkce` grant with an S256 challenge.
 */
function oauth2CodeAuth(connector: PatchworksConnectorFacts, authentication: OAuth2AuthorizationCode): PostmanAuth {
  const attribute = (key: string, value: unknown, type = 'string') => ({ key, value, type });
  return {
    type: 'oauth2',
    oauth2: [
      attribute('grant_type', authentication.pkce ? 'authorization_code_with_pkce' : 'authorization_code'),
      attribute('authUrl', authentication.authorizeUrl),
      attribute('accessTokenUrl', authentication.tokenUrl),
      attribute('redirect_uri', authentication.redirectUri),
      attribute('clientId', `{{${authentication.clientId.key}}}`),
      attribute('clientSecret', `{{${authentication.clientSecret.key}}}`),
      ...(authentication.scope === '' ? [] : [attribute('scope', authentication.scope)]),
      ...(authentication.pkce ? [attribute('challengeAlgorithm', 'S256')] : []),
      attribute('client_authentication', 'body'),
      attribute('addTokenTo', 'header'),
      attribute('headerPrefix', 'Bearer'),
      attribute('tokenName', `${connector.system.name} access token`),
      attribute(
        'tokenRequestParams',
        authentication.headers.map(({ key, value }) => ({ key, value, enabled: true, send_as: 'request_header' })),
        'any',
      ),
    ],
  };
}

function oauth2Auth(connector: PatchworksConnectorFacts, authentication: OAuth2ClientCredentials): PostmanAuth {
  const attribute = (key: string, value: unknown, type = 'string') => ({ key, value, type });
  return {
    type: 'oauth2',
    oauth2: [
      attribute('grant_type', 'client_credentials'),
      attribute('accessTokenUrl', authentication.tokenUrl),
      attribute('clientId', `{{${authentication.clientId.key}}}`),
      attribute('clientSecret', `{{${authentication.clientSecret.key}}}`),
      attribute('client_authentication', 'body'),
      attribute('addTokenTo', 'header'),
      attribute('headerPrefix', 'Bearer'),
      attribute('tokenName', `${connector.system.name} access token`),
      attribute(
        'tokenRequestParams',
        authentication.headers.map(({ key, value }) => ({ key, value, enabled: true, send_as: 'request_header' })),
        'any',
      ),
    ],
  };
}

/** Postman's OAuth 1.0 helper: it signs each request itself, adding the parameters to the Authorization header. */
function oauth1Auth(authentication: OAuth1TokenBased): PostmanAuth {
  const attribute = (key: string, value: unknown, type = 'string') => ({ key, value, type });
  return {
    type: 'oauth1',
    oauth1: [
      attribute('signatureMethod', authentication.signatureMethod),
      attribute('consumerKey', `{{${authentication.consumerKey.key}}}`),
      attribute('consumerSecret', `{{${authentication.consumerSecret.key}}}`),
      attribute('token', `{{${authentication.token.key}}}`),
      attribute('tokenSecret', `{{${authentication.tokenSecret.key}}}`),
      attribute('realm', authentication.realm),
      attribute('version', '1.0'),
      attribute('addParamsToHeader', true, 'boolean'),
      attribute('addEmptyParamsToSign', false, 'boolean'),
    ],
  };
}

function requestItem(operation: ApiOperation, connector: PatchworksConnectorFacts, variableKeys: ReadonlySet<string>): PostmanRequestItem {
  const request: PostmanRequest = {
    method: operation.method,
    header: headers(operation, connector, variableKeys),
    url: url(operation, connector, variableKeys),
    description: requestDescription(operation),
  };
  if (operation.requestBody) request.body = body(operation.requestBody, variableKeys);
  // The token request itself goes out without a token.
  if (!operation.authenticated) request.auth = { type: 'noauth' };
  const inSegment = operation.parameters.path.filter((parameter) => inSegmentParameters(operation).has(parameter.name));
  const item: PostmanRequestItem = { id: operation.operationId, name: operation.name, request, response: [] };
  if (inSegment.length > 0) item.variable = inSegment.map(pathVariable);
  return item;
}

function requestDescription(operation: ApiOperation): string {
  return [operation.description, `operationId: ${operation.operationId}`, operation.helpLink].filter(Boolean).join('\n\n');
}

function headers(operation: ApiOperation, connector: PatchworksConnectorFacts, variableKeys: ReadonlySet<string>): PostmanRequest['header'] {
  const connectorHeaders = connector.authentication.headers.map(({ key, value }) => ({ key, value }));
  const named = new Set(connectorHeaders.map(({ key }) => key.toLowerCase()));
  const documented = operation.parameters.header
    // Authorization comes from the collection's auth.
    .filter((parameter) => !named.has(parameter.name.toLowerCase()) && parameter.name.toLowerCase() !== 'authorization')
    .map((parameter) => ({
      key: parameter.name,
      value: parameterValue(parameter, variableKeys),
      disabled: !parameter.required,
      description: parameter.description,
    }));
  const contentType = operation.requestBody ? [{ key: 'Content-Type', value: operation.requestBody.mediaType }] : [];
  return [...connectorHeaders, ...documented, ...contentType];
}

/**
 * Path parameters that are not a whole segment (NetSuite's `eid:{externalId}`): Postman only reads `:name` as a
 * path variable when it is the whole segment, so these are written `{{name}}` and declared on the request item.
 */
function inSegmentParameters(operation: ApiOperation): Set<string> {
  const names = new Set<string>();
  for (const segment of operation.path.split('/')) {
    if (/^\{[^}]+\}$/.test(segment)) continue;
    for (const match of segment.matchAll(/\{([^}]+)\}/g)) names.add(match[1]!);
  }
  return names;
}

function url(operation: ApiOperation, connector: PatchworksConnectorFacts, variableKeys: ReadonlySet<string>): PostmanRequest['url'] {
  const inSegment = inSegmentParameters(operation);
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => (inSegment.has(name) ? `{{${name}}}` : `:${name}`));
  const query = operation.parameters.query.map((parameter) => ({
    key: parameter.name,
    value: parameterValue(parameter, variableKeys),
    // Optional filters are there to switch on, not sent empty.
    disabled: !parameter.required,
    description: parameter.description,
  }));
  const sent = query.filter((parameter) => !parameter.disabled);
  const queryString = sent.length === 0 ? '' : `?${sent.map(({ key, value }) => `${key}=${value}`).join('&')}`;
  return {
    raw: `${operation.server ?? connector.baseUrl}${path}${queryString}`,
    host: [operation.server ?? connector.baseUrl],
    path: path.split('/').filter((segment) => segment !== ''),
    query,
    variable: operation.parameters.path.filter((parameter) => !inSegment.has(parameter.name)).map(pathVariable),
  };
}

function pathVariable(parameter: ApiParameter) {
  return {
    key: parameter.name,
    value: '',
    description: [parameter.description, parameter.example && `e.g. ${parameter.example}`].filter(Boolean).join(' '),
  };
}

function parameterValue(parameter: ApiParameter, variableKeys: ReadonlySet<string>): string {
  if (!isSensitiveName(parameter.name)) return parameter.example ?? '';
  return variableKeys.has(parameter.name) ? `{{${parameter.name}}}` : '';
}

function body(requestBody: NonNullable<ApiOperation['requestBody']>, variableKeys: ReadonlySet<string>): PostmanRequest['body'] {
  const json = /\bjson\b/i.test(requestBody.mediaType);
  const sample = withoutCredentials(requestBody.sample, variableKeys);
  // A form body (an OAuth token request) as Postman's urlencoded fields, each value as the example gives it.
  if (/^application\/x-www-form-urlencoded\b/i.test(requestBody.mediaType) && sample !== null && typeof sample === 'object' && !Array.isArray(sample)) {
    const urlencoded = Object.entries(sample).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value), type: 'text' as const }));
    return { mode: 'urlencoded', urlencoded };
  }
  const raw = sample === undefined ? '' : typeof sample === 'string' ? sample : JSON.stringify(sample, null, 2);
  return { mode: 'raw', raw, options: { raw: { language: json ? 'json' : 'text' } } };
}
