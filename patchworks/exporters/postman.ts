/**
 * OpenAPI document + Patchworks connector facts → a Postman Collection v2.1, the connector import path
 * Patchworks documents (reference/patchworks.md §2.3: "Postman importer"). One folder per tag (or path
 * group), one request per operation; credentials only ever as `{{variables}}` with empty values.
 *
 * Every variable is declared at collection level: Postman honours `variable` on the collection (and a URL's `:name`
 * path variables), but drops it from a request item when it loads the collection.
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
  type ApiParameter,
  type OAuth1TokenBased,
  type OAuth2AuthorizationCode,
  type OAuth2ClientCredentials,
  type PatchworksConnectorFacts,
} from '../../contracts/connector-source.js';
import {
  POSTMAN_COLLECTION_V2_1_SCHEMA_URL,
  type PostmanAuth,
  type PostmanCollection,
  type PostmanRequest,
  type PostmanRequestItem,
  type PostmanVariable,
} from './postman-collection-schema.js';

/** Where a JSON token flow keeps its bearer token and when the token expires (epoch milliseconds). */
const ACCESS_TOKEN_VARIABLE = 'access_token';
const ACCESS_TOKEN_EXPIRY_VARIABLE = 'access_token_expires_at';

/** OAuth 2 client credentials whose token endpoint takes JSON only (SparkLayer's), which Postman's OAuth 2 helper
 * cannot send. */
type JsonClientCredentials = OAuth2ClientCredentials & { tokenBodyFormat: 'json' };

export function exportPostmanCollection(openApi: unknown, connector: PatchworksConnectorFacts): PostmanCollection {
  const api = readOpenApi(openApi);
  assertEndpointFactsMatch(api, connector);
  const variables = allVariables(connector);
  const variableKeys = new Set(variables.map((variable) => variable.key));
  const jsonToken = jsonClientCredentials(connector);
  if (jsonToken) {
    for (const key of [ACCESS_TOKEN_VARIABLE, ACCESS_TOKEN_EXPIRY_VARIABLE]) {
      if (variableKeys.has(key))
        throw new Error(
          `${connector.system.name}: the variable ${key} holds the Postman collection's bearer token; ` +
            `rename the connector's own`,
        );
    }
  }

  const groups = new Map<string, ApiOperation[]>();
  for (const operation of api.operations)
    groups.set(operation.group, [...(groups.get(operation.group) ?? []), operation]);

  const connectorVariables: PostmanVariable[] = variables.map((variable) => ({
    key: variable.key,
    // Secrets stay empty: the consultant enters them in Patchworks or a Postman environment.
    value: variable.secret ? '' : (variable.value ?? ''),
    type: 'string',
    description:
      `${variable.label}${variable.secret ? ' (secret: enter it, never commit it)' : ''}. ` + `${variable.description}`,
  }));
  const tokenVariables: PostmanVariable[] = jsonToken
    ? [
        {
          key: ACCESS_TOKEN_VARIABLE,
          value: '',
          type: 'string',
          description:
            `Access token (secret: set by the collection's pre-request ` +
            `script${tokenRequestName(api, connector)}, never commit it). Sent as Authorization: Bearer on ` +
            `every request; clear it after changing the credentials or the environment.`,
        },
        {
          key: ACCESS_TOKEN_EXPIRY_VARIABLE,
          value: '',
          type: 'string',
          description:
            'When the access token expires (milliseconds since 1970), set with it: the pre-request ' +
            'script gets a new token a minute before.',
        },
      ]
    : [];
  // Path parameters inside a segment (eid:{{externalId}}), each once: the first operation's description wins.
  const pathVariables: PostmanVariable[] = api.operations.flatMap((operation) =>
    operation.parameters.path
      .filter((parameter) => inSegmentParameters(operation).has(parameter.name))
      .map((parameter) => ({ ...pathVariable(parameter), type: 'string' as const })),
  );

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
    ...(jsonToken ? { event: [script('prerequest', fetchTokenScript(connector, jsonToken))] } : {}),
    auth: collectionAuth(connector),
    variable: firstOfEachKey([...connectorVariables, ...tokenVariables, ...pathVariables]),
  };
}

function firstOfEachKey(variables: PostmanVariable[]): PostmanVariable[] {
  const seen = new Set<string | undefined>();
  return variables.filter((variable) => !seen.has(variable.key) && seen.add(variable.key));
}

function jsonClientCredentials(connector: PatchworksConnectorFacts): JsonClientCredentials | undefined {
  const { authentication } = connector;
  return authentication.kind === 'oauth2-client-credentials' && authentication.tokenBodyFormat === 'json'
    ? (authentication as JsonClientCredentials)
    : undefined;
}

/** The operation that is the token request: unauthenticated, at the authentication's token URL. */
function isTokenOperation(operation: ApiOperation, connector: PatchworksConnectorFacts): boolean {
  const { authentication } = connector;
  return (
    authentication.kind !== 'oauth1-token-based' &&
    authentication.kind !== 'api-key-header' &&
    !operation.authenticated &&
    `${operation.server ?? connector.baseUrl}${operation.path}` === authentication.tokenUrl
  );
}

/** ` and by "<the token request's name>"` when the document has the token request, else nothing. */
function tokenRequestName(api: ReturnType<typeof readOpenApi>, connector: PatchworksConnectorFacts): string {
  const name = api.operations.find((operation) => isTokenOperation(operation, connector))?.name;
  return name === undefined ? '' : ` and by "${name}"`;
}

function collectionDescription(apiDescription: string | undefined, connector: PatchworksConnectorFacts): string {
  const { authentication } = connector;
  const credentials = authenticationVariables(authentication).map((variable) => variable.label);
  const notes = [
    `Generated from the OpenAPI document and the pack's Patchworks connector facts. ` +
      `${credentials.slice(0, -1).join(', ')} and ${credentials.at(-1)} are left empty on purpose.`,
  ];
  if (authentication.kind === 'oauth1-token-based') {
    notes.push(
      `Every request is signed with OAuth 1.0 (${authentication.signatureMethod}, realm ` +
        `${authentication.realm}): Postman and Patchworks compute the signature, a fresh nonce and the ` +
        `timestamp for each request.`,
    );
  }
  if (authentication.kind === 'oauth2-authorization-code') {
    notes.push(
      `OAuth 2 authorization code: register ${authentication.redirectUri} as the redirect URI of the ` +
        `app, then connect the store once through ${authentication.authorizeUrl}; ` +
        `the code is exchanged at ${authentication.tokenUrl}.`,
    );
    if (authentication.refreshTokenRotates) {
      notes.push(
        'Refresh tokens rotate: every refresh returns a new refresh token and revokes the one used, so ' +
          'whatever stores it must keep the latest.',
      );
    }
  }
  if (jsonClientCredentials(connector)) {
    notes.push(
      `The token request must be JSON, and Postman's OAuth 2 helper can only send a form. So this ` +
        `collection sends Authorization: Bearer {{${ACCESS_TOKEN_VARIABLE}}}, and its pre-request script ` +
        `gets that token with a JSON body whenever it is empty or about to expire (sending the token ` +
        `request by hand stores it too). In Patchworks the authentication is OAuth 2 client credentials ` +
        `with a raw JSON body, as the Core-API export has it: a connector imported from this collection ` +
        `comes in with bearer token authentication, so set that there.`,
    );
  }
  return [apiDescription, ...notes].filter(Boolean).join('\n\n');
}

function collectionAuth(connector: PatchworksConnectorFacts): PostmanAuth {
  const { authentication } = connector;
  if (jsonClientCredentials(connector))
    return { type: 'bearer', bearer: [{ key: 'token', value: `{{${ACCESS_TOKEN_VARIABLE}}}`, type: 'string' }] };
  if (authentication.kind === 'oauth2-client-credentials') return oauth2Auth(connector, authentication);
  if (authentication.kind === 'oauth2-authorization-code') return oauth2CodeAuth(connector, authentication);
  if (authentication.kind === 'api-key-header') {
    // Postman's API key helper: the key in a header of every request.
    const attribute = (key: string, value: string) => ({ key, value, type: 'string' });
    return {
      type: 'apikey',
      apikey: [
        attribute('key', authentication.header),
        attribute('value', `{{${authentication.key.key}}}`),
        attribute('in', 'header'),
      ],
    };
  }
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

/** Postman's OAuth 2.0 helper for client credentials: it sends the token request form-encoded. */
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

/** The token request's JSON body: the grant and the credentials, as variables. */
function tokenRequestBody(authentication: JsonClientCredentials): Record<string, string> {
  return {
    grant_type: 'client_credentials',
    client_id: `{{${authentication.clientId.key}}}`,
    client_secret: `{{${authentication.clientSecret.key}}}`,
  };
}

/** Script lines that keep the token of a token response (`response`) and its expiry in the collection variables. */
function storeTokenLines(authentication: JsonClientCredentials): string[] {
  const tokenKey = JSON.stringify(authentication.responseTokenKey);
  return [
    `const issued = response.json();`,
    `pm.collectionVariables.set(${JSON.stringify(ACCESS_TOKEN_VARIABLE)}, issued[${tokenKey}]);`,
    `pm.collectionVariables.set(${JSON.stringify(ACCESS_TOKEN_EXPIRY_VARIABLE)}, ` +
      `String(issued.expires_in ? Date.now() + 1000 * Number(issued.expires_in) : 0));`,
  ];
}

/**
 * The collection's pre-request script: before any request but the token request itself (`noauth`), gets a token with
 * a JSON body when there is none or it expires within a minute. Variables resolve from any scope, so the credentials
 * may sit in a Postman environment.
 */
function fetchTokenScript(connector: PatchworksConnectorFacts, authentication: JsonClientCredentials): string[] {
  const resolved = (value: string) =>
    value.includes('{{') ? `pm.variables.replaceIn(${JSON.stringify(value)})` : JSON.stringify(value);
  const headers = [...authentication.headers, { key: 'Content-Type', value: 'application/json' }].map(
    ({ key, value }) => `${JSON.stringify(key)}: ${resolved(value)}`,
  );
  const body = Object.entries(tokenRequestBody(authentication)).map(
    ([key, value]) => `${JSON.stringify(key)}: ${resolved(value)}`,
  );
  return [
    `// ${connector.system.name} takes the token request as JSON only, which Postman's OAuth 2 helper ` +
      `cannot send: get the token here.`,
    `const expiresAt = Number(pm.collectionVariables.get(${JSON.stringify(ACCESS_TOKEN_EXPIRY_VARIABLE)})) || 0;`,
    `const tokenRequest = pm.request.auth && pm.request.auth.type === 'noauth';`,
    `if (!tokenRequest && (!pm.collectionVariables.get(${JSON.stringify(ACCESS_TOKEN_VARIABLE)}) || ` +
      `Date.now() > expiresAt - 60000)) {`,
    `  pm.sendRequest({`,
    `    url: ${resolved(authentication.tokenUrl)},`,
    `    method: 'POST',`,
    `    header: { ${headers.join(', ')} },`,
    `    body: { mode: 'raw', raw: JSON.stringify({ ${body.join(', ')} }) },`,
    `  }, (error, response) => {`,
    `    if (error) throw error;`,
    `    if (response.code !== 200) throw new Error(\`${connector.system.name} token request: HTTP ` +
      `\${response.code} \${response.text()}\`);`,
    ...storeTokenLines(authentication).map((line) => `    ${line}`),
    `  });`,
    `}`,
  ];
}

function script(listen: 'prerequest' | 'test', exec: string[]) {
  return { listen, script: { type: 'text/javascript', exec } };
}

function requestItem(
  operation: ApiOperation,
  connector: PatchworksConnectorFacts,
  variableKeys: ReadonlySet<string>,
): PostmanRequestItem {
  const jsonToken = isTokenOperation(operation, connector) ? jsonClientCredentials(connector) : undefined;
  const header = headers(operation, connector, variableKeys);
  const request: PostmanRequest = {
    method: operation.method,
    // The token request's body is the JSON the token endpoint takes, whatever the document's example.
    header: jsonToken
      ? [
          ...header.filter(({ key }) => key.toLowerCase() !== 'content-type'),
          { key: 'Content-Type', value: 'application/json' },
        ]
      : header,
    url: url(operation, connector, variableKeys),
    description: requestDescription(operation),
  };
  if (jsonToken)
    request.body = {
      mode: 'raw',
      raw: JSON.stringify(tokenRequestBody(jsonToken), null, 2),
      options: { raw: { language: 'json' } },
    };
  else if (operation.requestBody) request.body = body(operation.requestBody, variableKeys);
  // The token request itself goes out without a token.
  if (!operation.authenticated) request.auth = { type: 'noauth' };
  const item: PostmanRequestItem = { id: operation.operationId, name: operation.name, request, response: [] };
  // Sent by hand, the token request keeps its token for the other requests.
  if (jsonToken)
    item.event = [
      script('test', [
        'if (pm.response.code === 200) {',
        '  const response = pm.response;',
        ...storeTokenLines(jsonToken).map((line) => `  ${line}`),
        '}',
      ]),
    ];
  return item;
}

function requestDescription(operation: ApiOperation): string {
  return [operation.description, `operationId: ${operation.operationId}`, operation.helpLink]
    .filter(Boolean)
    .join('\n\n');
}

function headers(
  operation: ApiOperation,
  connector: PatchworksConnectorFacts,
  variableKeys: ReadonlySet<string>,
): Exclude<PostmanRequest['header'], string | undefined> {
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
  // Headers the facts require of this endpoint (NetSuite's Prefer: transient on SuiteQL): sent, with the facts' value,
  // on this request only (a Postman request has its own headers), in place of the document's.
  const facts = Object.entries(endpointFacts(connector, operation.operationId).headers ?? {});
  const required = facts
    .filter(([key]) => !named.has(key.toLowerCase()))
    .map(([key, value]) => {
      const description = documented.find((header) => header.key.toLowerCase() === key.toLowerCase())?.description;
      return { key, value, disabled: false, ...(description === undefined ? {} : { description }) };
    });
  const requiredKeys = new Set(required.map(({ key }) => key.toLowerCase()));
  const contentType = operation.requestBody ? [{ key: 'Content-Type', value: operation.requestBody.mediaType }] : [];
  return [
    ...connectorHeaders,
    ...documented.filter(({ key }) => !requiredKeys.has(key.toLowerCase())),
    ...required,
    ...contentType,
  ];
}

/**
 * Path parameters that are not a whole segment (NetSuite's `eid:{externalId}`): Postman only reads `:name` as a
 * path variable when it is the whole segment, so these are written `{{name}}` and declared at collection level.
 */
function inSegmentParameters(operation: ApiOperation): Set<string> {
  const names = new Set<string>();
  for (const segment of operation.path.split('/')) {
    if (/^\{[^}]+\}$/.test(segment)) continue;
    for (const match of segment.matchAll(/\{([^}]+)\}/g)) names.add(match[1]!);
  }
  return names;
}

function url(
  operation: ApiOperation,
  connector: PatchworksConnectorFacts,
  variableKeys: ReadonlySet<string>,
): PostmanRequest['url'] {
  const inSegment = inSegmentParameters(operation);
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    inSegment.has(name) ? `{{${name}}}` : `:${name}`,
  );
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

function body(
  requestBody: NonNullable<ApiOperation['requestBody']>,
  variableKeys: ReadonlySet<string>,
): PostmanRequest['body'] {
  const json = /\bjson\b/i.test(requestBody.mediaType);
  const sample = withoutCredentials(requestBody.sample, variableKeys);
  // A form body (an OAuth token request) as Postman's urlencoded fields, each value as the example gives it.
  if (
    /^application\/x-www-form-urlencoded\b/i.test(requestBody.mediaType) &&
    sample !== null &&
    typeof sample === 'object' &&
    !Array.isArray(sample)
  ) {
    const urlencoded = Object.entries(sample).map(([key, value]) => ({
      key,
      value: typeof value === 'string' ? value : JSON.stringify(value),
      type: 'text' as const,
    }));
    return { mode: 'urlencoded', urlencoded };
  }
  const raw = sample === undefined ? '' : typeof sample === 'string' ? sample : JSON.stringify(sample, null, 2);
  return { mode: 'raw', raw, options: { raw: { language: json ? 'json' : 'text' } } };
}
