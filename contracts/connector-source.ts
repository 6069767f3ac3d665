/**
 * What a connector export is built from: an OpenAPI 3.x document (the operations, their parameters and
 * examples) and the Patchworks-side facts that no OpenAPI document holds (system type, rate limit,
 * variables, authentication, which endpoints page and how). Field names of the facts follow Patchworks'
 * connector builder (reference/patchworks.md §2.1).
 */
import * as z from 'zod';
import { isJsonObject } from '../runtime/json-object.js';

// --------------------------------------------------------------------------------------------------------- The
// Patchworks-side facts

/** The system types Patchworks' connector builder offers. */
export type PatchworksSystemType =
  'Accounting' | 'CRM' | 'eCommerce' | 'ERP' | 'Marketplaces' | 'Other' | 'PIM' | 'POS' | '3PL' | 'WMS' | 'Database';

/** Patchworks' `pagination_method` values, as the API enum spells them. */
export type PatchworksPaginationMethod =
  | 'Custom relative URI'
  | 'Link Header'
  | 'Next page token'
  | 'Next Page URL'
  | 'Page number parameter'
  | 'Limit offset'
  | 'default'
  | 'PeopleVox'
  | 'NetSuite SOAP'
  | 'GraphQL Cursor'
  | 'Database limit offset'
  | 'Script';

export type RateLimitUnit = 'second' | 'minute' | 'hour' | 'day';

interface VariableBase {
  /** The `{{key}}` that URLs, headers and bodies refer to. */
  key: string;
  label: string;
  /** What the consultant should enter, shown beside the variable. */
  description: string;
  required: boolean;
}

/** A secret variable never carries a value in the pack: the consultant enters it in Patchworks. */
export type ConnectorVariable =
  (VariableBase & { secret: true }) | (VariableBase & { secret: false; value: string | null });

export interface HeaderTemplate {
  key: string;
  /** May refer to variables, e.g. `{{site_id}}`. */
  value: string;
}

export interface OAuth2ClientCredentials {
  kind: 'oauth2-client-credentials';
  name: string;
  /** The token URL, with variables, e.g. `{{base_url}}/api/auth/token`. */
  tokenUrl: string;
  /** How grant_type, client_id and client_secret travel to the token URL. */
  tokenBodyFormat: 'json' | 'form-data';
  /** Sent on the token request and on every endpoint request (Patchworks does so for auth headers). */
  headers: HeaderTemplate[];
  clientId: ConnectorVariable & { secret: true };
  clientSecret: ConnectorVariable & { secret: true };
  /** The token response's key that holds the access token. */
  responseTokenKey: string;
}

/**
 * OAuth 1.0a with tokens issued ahead of time (NetSuite's token-based authentication): every request is signed with
 * the consumer key and secret and the token and its secret; there is no token request. Patchworks' connector
 * builder and Postman importer both offer OAuth 1 (reference/patchworks.md §2.1).
 */
export interface OAuth1TokenBased {
  kind: 'oauth1-token-based';
  name: string;
  signatureMethod: 'HMAC-SHA256';
  /** The realm written in the Authorization header, with variables, e.g. `{{realm}}`. */
  realm: string;
  /** Sent on every endpoint request. */
  headers: HeaderTemplate[];
  consumerKey: ConnectorVariable & { secret: true };
  consumerSecret: ConnectorVariable & { secret: true };
  token: ConnectorVariable & { secret: true };
  tokenSecret: ConnectorVariable & { secret: true };
}

/**
 * OAuth 2 authorization code: the store owner approves the connection once on the vendor's authorize page, the code is
 * exchanged at the token URL, and the access token is renewed with the refresh token. Patchworks offers it, with its
 * own redirect URI to register in the vendor's app (reference/patchworks.md §2.1), and so does the Postman importer
 * ("OAuth 1 & 2"). Lightspeed X-Series uses it.
 */
export interface OAuth2AuthorizationCode {
  kind: 'oauth2-authorization-code';
  name: string;
  /** The vendor's authorize page, with variables. */
  authorizeUrl: string;
  /** The token URL, with variables, e.g. `https://{{domain_prefix}}.retail.lightspeed.app/api/1.0/token`. */
  tokenUrl: string;
  /** The redirect URI to register in the vendor's app: Patchworks' own. */
  redirectUri: string;
  /** How the token request's fields travel. */
  tokenBodyFormat: 'json' | 'form-data';
  /** Space-separated scopes to ask for; empty when the vendor asks for none. */
  scope: string;
  /** Whether the authorize request and the code exchange carry a PKCE challenge (S256). */
  pkce: boolean;
  /** Whether each refresh returns a new refresh token and revokes the one used (whoever stores it must keep the
   * latest). */
  refreshTokenRotates: boolean;
  /** Sent on the token request and on every endpoint request. */
  headers: HeaderTemplate[];
  clientId: ConnectorVariable & { secret: true };
  clientSecret: ConnectorVariable & { secret: true };
  /** The token response's key that holds the access token. */
  responseTokenKey: string;
}

/**
 * A fixed token sent in a header of every request, with no token request: Patchworks' "API key" authentication
 * (reference/patchworks.md §2.1). Shopify's Admin API access token, sent as X-Shopify-Access-Token
 * (https://shopify.dev/docs/api/admin-graphql#authentication).
 */
export interface ApiKeyHeader {
  kind: 'api-key-header';
  name: string;
  /** The header that carries the key, e.g. `X-Shopify-Access-Token`. */
  header: string;
  /** Other headers sent on every request. */
  headers: HeaderTemplate[];
  key: ConnectorVariable & { secret: true };
}

export type ConnectorAuthentication =
  OAuth2ClientCredentials | OAuth1TokenBased | OAuth2AuthorizationCode | ApiKeyHeader;

export interface EndpointFacts {
  returnsMultipleRecords: boolean;
  /** Where the records sit in the response; null when the response is the array itself. */
  dataPath: string | null;
  paginationMethod: PatchworksPaginationMethod | null;
  /** The "Next page token" method's options: required with that method, and only with it. */
  nextPageToken?: NextPageTokenOptions;
  /** The "Next Page URL" method's option: required with that method, and only with it. */
  nextPageUrl?: NextPageUrlOptions;
  /** The "Script" method's script: required with that method, and only with it. */
  paginationScript?: PaginationScript;
  /**
   * A method other than GET that reads (NetSuite's SuiteQL: a POST whose body is the query): exported as a Receive
   * endpoint that still sends the flow's payload as its body. Absent: GET receives, every other method sends.
   */
  reads?: true;
  /**
   * Headers the vendor requires on this endpoint's requests (NetSuite's `Prefer: transient` on SuiteQL). Patchworks'
   * endpoint fields (reference/patchworks.md §2.1, §2.4) have no headers: the Core-API export carries them on the
   * authentication implementation, whose headers go on every endpoint request (§2.1), so they must be safe on the
   * connector's other endpoints too.
   */
  headers?: Readonly<Record<string, string>>;
}

/**
 * Patchworks' "Next page token" options (https://doc.wearepatchworks.com/product-documentation/developer-hub/connector-builder/building-your-own-connector/4-endpoints/endpoint-options/pagination/next-page-token-pagination-method):
 * the next request sets the URL parameter `parameter` to the token found at `path` in this page's payload, and
 * "pagination continues until the token is no longer included in the payload". The page size is the endpoint's own
 * query parameter, set on the shape.
 */
export interface NextPageTokenOptions {
  /** "Token parameter name": the URL parameter that carries the token; a query parameter of the operation. */
  parameter: string;
  /** "Path to token in payload": its dot-notation path in the answer. */
  path: string;
}

/**
 * Patchworks' "Next page URL" option (https://doc.wearepatchworks.com/product-documentation/developer-hub/connector-builder/building-your-own-connector/4-endpoints/endpoint-options/pagination/next-page-url-pagination-method):
 * the next request is the URL found at `field` in this page's payload; one that starts with `?` is relative, taken on
 * the previous request's base URL; "pagination continues until the next page URL is no longer included in the
 * payload".
 */
export interface NextPageUrlOptions {
  /** "Next page field": the next page URL's location in the payload, in dot notation. */
  field: string;
}

/**
 * A pagination script the pack ships for an endpoint paged by "Script"
 * (https://doc.wearepatchworks.com/product-documentation/developer-hub/connector-builder/building-your-own-connector/4-endpoints/endpoint-options/pagination/script-pagination):
 * built like a step into `dist/scripts/<key>.js`, deployed as a Patchworks script, and selected with its version on
 * the endpoint's pagination tab by hand (the Core-API key that would name it is documented nowhere).
 */
export interface PaginationScript {
  /** Its bundle `dist/scripts/<key>.js` and its Patchworks script name; must not be a step's key. */
  key: string;
  /** Its source, relative to the root: a module whose default export is the Patchworks handler. */
  entry: string;
}

export interface PatchworksConnectorFacts {
  system: {
    name: string;
    label: string;
    systemType: PatchworksSystemType;
    protocol: 'HTTP';
    /** A PHP date() format, as Patchworks stores it (`c` is ISO 8601). */
    dateFormat: string;
    rateLimit: { requests: number; per: RateLimitUnit };
    helpLink: string;
  };
  /** What every endpoint URL starts with, e.g. `{{base_url}}`: the OpenAPI path follows it. */
  baseUrl: string;
  /** Connector-level variables, usable in the authentication and every endpoint. */
  variables: ConnectorVariable[];
  authentication: ConnectorAuthentication;
  /** Endpoints that differ from the default (one record, no data path, no pagination), by operationId. */
  endpoints: Record<string, EndpointFacts>;
  /**
   * Where the vendor puts its own reason in an error body, in dot notation, where it is not one of the common fields
   * (`message`, `detail`, `error_description`, `error`, `title`): NetSuite's `o:errorDetails.0.detail`. The local
   * runner puts that reason first in a failed shape's message, as Patchworks cuts the message it shows.
   */
  errorReasonPath?: string;
}

const SINGLE_RECORD_ENDPOINT: EndpointFacts = { returnsMultipleRecords: false, dataPath: null, paginationMethod: null };

/** The authentication's own credentials, in the order they are shown. */
export function authenticationVariables(
  authentication: ConnectorAuthentication,
): Array<ConnectorVariable & { secret: true }> {
  if (authentication.kind === 'api-key-header') return [authentication.key];
  return authentication.kind === 'oauth2-client-credentials' || authentication.kind === 'oauth2-authorization-code'
    ? [authentication.clientId, authentication.clientSecret]
    : [authentication.consumerKey, authentication.consumerSecret, authentication.token, authentication.tokenSecret];
}

export function allVariables(connector: PatchworksConnectorFacts): ConnectorVariable[] {
  return [...connector.variables, ...authenticationVariables(connector.authentication)];
}

// --------------------------------------------------------------------------------------------------------- The OpenAPI
// document

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = Uppercase<(typeof HTTP_METHODS)[number]>;

export interface ApiParameter {
  name: string;
  description: string | undefined;
  required: boolean;
  /** The documented example or default, as text; undefined when the document gives neither. */
  example: string | undefined;
}

export interface ApiOperation {
  operationId: string;
  /** The summary, else the operationId: what a person sees in Postman and Patchworks. */
  name: string;
  description: string | undefined;
  method: HttpMethod;
  /** The OpenAPI path template, e.g. `/api/v1/purchases/{lookupBy}/{identifier}`. */
  path: string;
  /** The first tag, else the path's first resource segment: the Postman folder. */
  group: string;
  parameters: { path: ApiParameter[]; query: ApiParameter[]; header: ApiParameter[] };
  /** `sample`: the documented example, else one built from the schema (see sampleFromSchema). */
  requestBody: { mediaType: string; sample: unknown } | undefined;
  response: { mediaType: string; sample: unknown; schema: unknown } | undefined;
  /** False for an operation that opts out of security (`security: []`), such as the token request. */
  authenticated: boolean;
  helpLink: string | undefined;
  /**
   * An absolute server URL the operation declares for itself (OpenAPI operation-level `servers`), when it is served
   * by another host than the connector's base URL (Lightspeed R-Series' token endpoint); undefined otherwise.
   */
  server?: string;
}

export interface ApiDocument {
  version: string;
  description: string | undefined;
  tagDescriptions: Map<string, string | undefined>;
  operations: ApiOperation[];
  /** Follows local `$ref`s (`#/components/...`) until it reaches a node that is not a reference. */
  resolve(node: unknown): unknown;
}

const documentSchema = z.looseObject({
  openapi: z.string().regex(/^3\./, 'must be an OpenAPI 3.x document'),
  info: z.looseObject({ title: z.string(), version: z.string(), description: z.string().optional() }),
  tags: z.array(z.looseObject({ name: z.string(), description: z.string().optional() })).optional(),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

const operationSchema = z.looseObject({
  operationId: z.string().min(1),
  summary: z.string().optional(),
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
  parameters: z.array(z.unknown()).optional(),
  requestBody: z.unknown().optional(),
  responses: z.record(z.string(), z.unknown()).optional(),
  security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
  externalDocs: z.looseObject({ url: z.string() }).optional(),
  servers: z.array(z.looseObject({ url: z.string() })).optional(),
});

const parameterSchema = z.looseObject({
  name: z.string(),
  in: z.enum(['path', 'query', 'header', 'cookie']),
  description: z.string().optional(),
  required: z.boolean().optional(),
  example: z.unknown().optional(),
  examples: z.record(z.string(), z.unknown()).optional(),
  schema: z.unknown().optional(),
});

const mediaTypeSchema = z.looseObject({
  schema: z.unknown().optional(),
  example: z.unknown().optional(),
  examples: z.record(z.string(), z.unknown()).optional(),
});
const contentSchema = z.looseObject({ content: z.record(z.string(), mediaTypeSchema).optional() });
const exampleHolderSchema = z.looseObject({
  example: z.unknown().optional(),
  examples: z.array(z.unknown()).optional(),
  default: z.unknown().optional(),
});

/** Reads the operations of an OpenAPI 3.x document; throws, naming the place, on what it cannot use. */
export function readOpenApi(input: unknown): ApiDocument {
  const parsed = documentSchema.safeParse(input);
  if (!parsed.success) throw new Error(`OpenAPI document: ${z.prettifyError(parsed.error)}`);
  const document = parsed.data;
  const resolve = (node: unknown) => resolveReference(input, node);

  const operations: ApiOperation[] = [];
  for (const [path, pathItem] of Object.entries(document.paths)) {
    const pathParameters = Array.isArray(pathItem.parameters) ? pathItem.parameters : [];
    for (const method of HTTP_METHODS) {
      if (pathItem[method] === undefined) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const operation = operationSchema.safeParse(resolve(pathItem[method]));
      if (!operation.success) throw new Error(`OpenAPI operation ${where}: ${z.prettifyError(operation.error)}`);
      operations.push(readOperation(operation.data, method, path, pathParameters, resolve, where));
    }
  }
  const duplicate = operations.find(
    (op, index) => operations.findIndex((other) => other.operationId === op.operationId) !== index,
  );
  if (duplicate) throw new Error(`OpenAPI document: operationId ${duplicate.operationId} is used twice`);

  return {
    version: document.info.version,
    description: document.info.description,
    tagDescriptions: new Map((document.tags ?? []).map((tag) => [tag.name, tag.description])),
    operations,
    resolve,
  };
}

function readOperation(
  operation: z.infer<typeof operationSchema>,
  method: (typeof HTTP_METHODS)[number],
  path: string,
  pathLevelParameters: unknown[],
  resolve: (node: unknown) => unknown,
  where: string,
): ApiOperation {
  // Operation-level parameters override path-level ones with the same name and location.
  const byLocation = new Map<string, z.infer<typeof parameterSchema>>();
  for (const raw of [...pathLevelParameters, ...(operation.parameters ?? [])]) {
    const parameter = parameterSchema.safeParse(resolve(raw));
    if (!parameter.success)
      throw new Error(`OpenAPI operation ${where}, a parameter: ${z.prettifyError(parameter.error)}`);
    byLocation.set(`${parameter.data.in}:${parameter.data.name}`, parameter.data);
  }
  const parametersIn = (location: 'path' | 'query' | 'header') =>
    [...byLocation.values()]
      .filter((parameter) => parameter.in === location)
      .map((parameter): ApiParameter => ({
        name: parameter.name,
        description: parameter.description,
        required: parameter.in === 'path' || parameter.required === true,
        example: asText(
          parameter.example ??
            firstExampleValue(parameter.examples, resolve) ??
            schemaExample(parameter.schema, resolve),
        ),
      }));

  return {
    operationId: operation.operationId,
    name: operation.summary?.trim() || operation.operationId,
    description: operation.description,
    method: method.toUpperCase() as HttpMethod,
    path,
    group: operation.tags?.[0] ?? pathGroup(path),
    parameters: { path: parametersIn('path'), query: parametersIn('query'), header: parametersIn('header') },
    requestBody: readRequestBody(operation.requestBody, resolve),
    response: readSuccessResponse(operation.responses ?? {}, resolve),
    authenticated: !(operation.security !== undefined && operation.security.length === 0),
    helpLink: operation.externalDocs?.url,
    ...(operation.servers?.[0] && /^https?:\/\//.test(operation.servers[0].url)
      ? { server: operation.servers[0].url.replace(/\/+$/, '') }
      : {}),
  };
}

function readRequestBody(requestBody: unknown, resolve: (node: unknown) => unknown): ApiOperation['requestBody'] {
  if (requestBody === undefined) return undefined;
  const media = preferredMediaType(contentSchema.parse(resolve(requestBody)).content);
  return media && { mediaType: media.mediaType, sample: mediaSample(media.body, resolve) };
}

/** The first 2xx response that has a body. */
function readSuccessResponse(
  responses: Record<string, unknown>,
  resolve: (node: unknown) => unknown,
): ApiOperation['response'] {
  for (const [status, response] of Object.entries(responses).sort(([a], [b]) => a.localeCompare(b))) {
    if (!/^2(\d\d|XX)$/.test(status)) continue;
    const media = preferredMediaType(contentSchema.parse(resolve(response)).content);
    if (media) {
      return {
        mediaType: media.mediaType,
        sample: mediaSample(media.body, resolve),
        schema: resolve(media.body.schema),
      };
    }
  }
  return undefined;
}

type MediaType = z.infer<typeof mediaTypeSchema>;

function preferredMediaType(
  content: Record<string, MediaType> | undefined,
): { mediaType: string; body: MediaType } | undefined {
  const entries = Object.entries(content ?? {});
  const [mediaType, body] = entries.find(([type]) => /\bjson\b/i.test(type)) ?? entries[0] ?? [];
  return mediaType === undefined || body === undefined ? undefined : { mediaType, body };
}

function mediaSample(media: MediaType, resolve: (node: unknown) => unknown): unknown {
  return (
    media.example ?? firstExampleValue(media.examples, resolve) ?? sampleFromSchema(media.schema, resolve, new Set())
  );
}

function firstExampleValue(
  examples: Record<string, unknown> | undefined,
  resolve: (node: unknown) => unknown,
): unknown {
  const first = Object.values(examples ?? {})[0];
  if (first === undefined) return undefined;
  const example = resolve(first);
  return isJsonObject(example) ? example.value : undefined;
}

function schemaExample(schema: unknown, resolve: (node: unknown) => unknown): unknown {
  const holder = exampleHolderSchema.safeParse(resolve(schema));
  if (!holder.success) return undefined;
  return holder.data.example ?? holder.data.examples?.[0] ?? holder.data.default;
}

/**
 * A sample body built from a schema, for documents that give examples per property only: a schema's own
 * example where it has one, else the first enum value, else an empty value of its type. A schema already
 * being expanded higher up (a recursive type) is left out.
 */
function sampleFromSchema(
  node: unknown,
  resolve: (node: unknown) => unknown,
  expanding: ReadonlySet<unknown>,
): unknown {
  const schema = resolve(node);
  if (!isJsonObject(schema) || expanding.has(schema)) return undefined;
  const explicit = schemaExample(schema, resolve);
  if (explicit !== undefined) return explicit;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const inner = new Set(expanding).add(schema);
  const sampleOf = (child: unknown) => sampleFromSchema(child, resolve, inner);
  if (Array.isArray(schema.allOf)) return Object.assign({}, ...schema.allOf.map(sampleOf).filter(isJsonObject));
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(alternatives)) return sampleOf(alternatives[0]);
  const type = Array.isArray(schema.type) ? schema.type.find((name) => name !== 'null') : schema.type;
  switch (type ?? (isJsonObject(schema.properties) ? 'object' : undefined)) {
    case 'object':
      return Object.fromEntries(
        Object.entries(isJsonObject(schema.properties) ? schema.properties : {})
          .map(([key, property]) => [key, sampleOf(property)])
          .filter(([, value]) => value !== undefined),
      );
    case 'array': {
      const item = sampleOf(schema.items);
      return item === undefined ? [] : [item];
    }
    case 'string':
      return '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    default:
      return undefined;
  }
}

/** `/api/v1/purchases/{id}` → `purchases`: the first segment that is neither a prefix nor a parameter. */
function pathGroup(path: string): string {
  const segments = path.split('/').filter((segment) => segment !== '' && !segment.startsWith('{'));
  return segments.find((segment) => segment !== 'api' && !/^v\d+$/i.test(segment)) ?? 'root';
}

function resolveReference(document: unknown, node: unknown): unknown {
  const seen = new Set<string>();
  let current = node;
  while (isJsonObject(current) && typeof current.$ref === 'string') {
    const reference = current.$ref;
    if (!reference.startsWith('#/'))
      throw new Error(`OpenAPI document: only local references are supported, not ${reference}`);
    if (seen.has(reference)) throw new Error(`OpenAPI document: circular reference ${reference}`);
    seen.add(reference);
    current = reference
      .slice(2)
      .split('/')
      .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce<unknown>((parent, segment) => (isJsonObject(parent) ? parent[segment] : undefined), document);
    if (current === undefined) throw new Error(`OpenAPI document: ${reference} does not exist`);
  }
  return current;
}

function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

// --------------------------------------------------------------------------------------------------------- Both
// together

/** Facts naming an operation the document lacks are an error: the operation was renamed or removed. */
export function assertEndpointFactsMatch(api: ApiDocument, connector: PatchworksConnectorFacts): void {
  const known = new Set(api.operations.map((operation) => operation.operationId));
  const unknown = Object.keys(connector.endpoints).filter((operationId) => !known.has(operationId));
  if (unknown.length > 0) {
    throw new Error(
      `${connector.system.name} connector facts name operations the OpenAPI document lacks: ${unknown.join(', ')}`,
    );
  }
  for (const operation of api.operations) {
    const facts = connector.endpoints[operation.operationId];
    const byToken = facts?.paginationMethod === 'Next page token';
    if (byToken !== (facts?.nextPageToken !== undefined))
      throw new Error(
        `${connector.system.name} connector facts: ${operation.operationId} needs nextPageToken with the ` +
          '"Next page token" pagination method, and only with it',
      );
    if ((facts?.paginationMethod === 'Next Page URL') !== (facts?.nextPageUrl !== undefined))
      throw new Error(
        `${connector.system.name} connector facts: ${operation.operationId} needs nextPageUrl with the ` +
          '"Next Page URL" pagination method, and only with it',
      );
    if ((facts?.paginationMethod === 'Script') !== (facts?.paginationScript !== undefined))
      throw new Error(
        `${connector.system.name} connector facts: ${operation.operationId} needs paginationScript with the ` +
          '"Script" pagination method, and only with it',
      );
    const parameter = facts?.nextPageToken?.parameter;
    if (parameter !== undefined && !operation.parameters.query.some((p) => p.name === parameter))
      throw new Error(
        `${connector.system.name} connector facts: ${operation.operationId} sends its page token as ${parameter}, ` +
          'which is not one of its query parameters',
      );
    // A header the facts require must not contradict the one the document gives the operation.
    for (const [name, value] of Object.entries(connector.endpoints[operation.operationId]?.headers ?? {})) {
      const documented = operation.parameters.header.find((p) => p.name.toLowerCase() === name.toLowerCase());
      if (documented?.example !== undefined && documented.example !== value)
        throw new Error(
          `${connector.system.name} connector facts give ${operation.operationId} the header ${name}: ${value}, ` +
            `where the OpenAPI document gives ${documented.example}`,
        );
    }
  }
}

/** The pagination scripts the connector's endpoints page by, once each, by key. */
export function paginationScripts(connector: PatchworksConnectorFacts): PaginationScript[] {
  const byKey = new Map<string, PaginationScript>();
  for (const facts of Object.values(connector.endpoints))
    if (facts.paginationScript !== undefined) byKey.set(facts.paginationScript.key, facts.paginationScript);
  return [...byKey.values()];
}

export function endpointFacts(
  connector: Pick<PatchworksConnectorFacts, 'endpoints'>,
  operationId: string,
): EndpointFacts {
  return connector.endpoints[operationId] ?? SINGLE_RECORD_ENDPOINT;
}

/** Keys whose values are credentials or tokens wherever they appear in an example. */
const SENSITIVE_KEY = /secret|password|passwd|token(?!_type)|api_?key|client_?id|authori[sz]ation|credential/i;

/**
 * A copy of a documented example safe to ship: every sensitive value becomes the matching `{{variable}}`
 * when the connector has one (client_id → `{{client_id}}`), else an empty string. Vendor examples often
 * carry real-looking credentials and tokens, and an exported connector must hold none.
 */
export function withoutCredentials(example: unknown, variableKeys: ReadonlySet<string>): unknown {
  if (Array.isArray(example)) return example.map((item) => withoutCredentials(item, variableKeys));
  if (!isJsonObject(example)) return example;
  return Object.fromEntries(
    Object.entries(example).map(([key, value]) => {
      if (!SENSITIVE_KEY.test(key) || isJsonObject(value) || Array.isArray(value))
        return [key, withoutCredentials(value, variableKeys)];
      return [key, variableKeys.has(key) ? `{{${key}}}` : ''];
    }),
  );
}

export function isSensitiveName(name: string): boolean {
  return SENSITIVE_KEY.test(name);
}
