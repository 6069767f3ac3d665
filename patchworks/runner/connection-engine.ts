/**
 * The local stand-in for Patchworks' connection shape: it runs an endpoint exactly as the built connector definition
 * in `dist/connectors/<key>.core-api.json` describes it, so a flow test proves what ships, not what a TypeScript
 * client would have done. Per request it takes from the definition:
 *
 * - the URL template, `{{vars}}` filled from the shape's variables, then the endpoint's, the instance's and the
 *   definition's defaults (reference/patchworks.md §2.1 "connector variables … usable in both auth and endpoints");
 * - the method, the body (an endpoint with a raw body and an empty `raw_body` sends the incoming payload as it is: a
 *   Send its record, a Receive that reads by POST, such as NetSuite's SuiteQL, its query, on every page);
 * - the authentication implementation: its headers go on every request (§2.1: "any header/body parameters specified
 *   for the authentication method are also sent in the endpoint requests"); OAuth 2 client credentials posts the
 *   token request as the definition's body format says; OAuth 2 authorisation code refreshes with the instance's
 *   refresh token (the consent itself happens in Patchworks' dashboard) and keeps a rotated one; OAuth 1 signs each
 *   request (HMAC-SHA256, the definition's realm);
 * - the pagination method, one payload per page (§2.1 "Each page becomes its own payload"); "Script" runs the
 *   endpoint's pagination script after each page, given {request, response, payload} and sending the request it
 *   returns until `has_next_page` is false
 *   (https://doc.wearepatchworks.com/product-documentation/developer-hub/custom-scripting/pagination-scripts);
 * - and from the shape: retries (0 to 2, §3.3) on no answer, 429 and 5xx, and `allow_unsuccessful_statuses`, under
 *   which a 4xx answer is output as the payload instead of failing the shape (the connector step config in
 *   gopatchworks/patchworks-mcp defaults/schemas.py, reference/patchworks.md §3.6).
 *
 * [I] marks what Patchworks does not document and the engine infers: an endpoint variable that is not in the URL
 * template and has a value is sent as a query parameter under its alias; "Next Page URL" fails the shape on a next
 * page URL naming the page just read, and "Next page token" on a token that does not advance (either would read the
 * same page forever), while a token that is null or "" stops as one left out; a token is fetched once per run and
 * again after a 401; a 429 or 5xx fails the shape even under `allow_unsuccessful_statuses` (the pack's safe reading:
 * Patchworks does not say); a script is given the page's content as the answer's text, the request's headers as sent
 * (authorisation included), and its next request is sent with a fresh authorisation; a read still paging after
 * MAX_PAGES pages fails the shape rather than stop short. The options set by hand in the connector builder ("Next
 * page token", "Next page field") and where a vendor puts its reason in an error body come from the connector facts.
 *
 * The sandbox routes the vendors' real origins to their fakes (`origins`), like a hosts file: path, query, headers
 * and body are what the definition says.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import axios, { type AxiosInstance } from 'axios';
import { parseRetryAfter } from '../../connectors/http/retry.js';
import { signRequest } from '../../connectors/http/oauth1.js';
import type { CoreApiConnector, CoreApiEndpoint, CoreApiVariable } from '../exporters/core-api.js';
import {
  endpointFacts,
  readOpenApi,
  type EndpointFacts,
  type PatchworksConnectorFacts,
} from '../../contracts/connector-source.js';
import { valueAt } from './json-path.js';

/**
 * What a write did: made a record, changed one that was there, or found it already there and sent nothing. An upsert
 * whose answer does not say which (NetSuite's PUT by external id) reports `created`.
 */
export type WriteOutcome = 'created' | 'updated' | 'unchanged';

/** A connector instance: the values a consultant enters in Patchworks (connector and auth variables, credentials). */
export type InstanceValues = Record<string, string>;

export interface ConnectionRequest {
  connector: string;
  /** The operationId the blueprint names; the definition's endpoint of that operation's name runs. */
  operationId: string;
  /** The shape's variables, placeholders filled. */
  variables: Record<string, string>;
  /** The incoming payload (sent by an endpoint with a raw body: a Send, or a Receive that reads by POST). */
  body: string;
  retries: number;
  allowUnsuccessfulStatuses: boolean;
  timeoutSeconds: number;
}

export interface ConnectionResult {
  direction: 'Send' | 'Receive';
  /** What the shape outputs: one payload per page (Receive), the answer's body (Send). */
  pages: string[];
  /** The last answer's status. */
  status: number;
  /** A 4xx the shape allowed through (`allow_unsuccessful_statuses`). */
  unsuccessful: boolean;
  /**
   * What a write did, when the answer says: 201 made a record, 200 on a PUT or PATCH changed one; NetSuite's upsert
   * answers 204 either way, counted as created. Absent for a read, or an unsuccessful answer.
   */
  outcome?: Extract<WriteOutcome, 'created' | 'updated'>;
  /** `METHOD path?query` of the first request, for the run log. */
  line: string;
}

/** One request as sent, for tests: every attempt, the token requests included. */
export interface SentRequest {
  connector: string;
  method: string;
  url: string;
  status: number | 'no answer';
}

/**
 * An endpoint's pagination script: the `payload` it is given, a JSON string of {request, response, payload}, to the
 * `payload` it returns, a JSON string of {has_next_page, url, headers, method, body}.
 */
export type PaginationScriptRunner = (payload: string) => Promise<string>;

export interface EngineOptions {
  /** The built definitions, `dist/connectors/<key>.core-api.json`, by connector key. */
  definitions: Record<string, CoreApiConnector>;
  /** operationId → endpoint name, per connector (from the OpenAPI document the definition was built from). */
  endpointNames: Record<string, Record<string, string>>;
  instances: Record<string, InstanceValues>;
  /**
   * Each connector's facts, by key: the pagination options the consultant sets in the connector builder ("Next page
   * token", "Next page field": the Core-API definition carries only the method, since no Patchworks page gives the
   * keys of its options), and where the vendor puts its reason in an error body.
   */
  facts?: Record<string, Pick<PatchworksConnectorFacts, 'endpoints' | 'errorReasonPath'>>;
  /**
   * The pagination script the consultant selects on each endpoint paged by "Script", per connector and operationId:
   * the definition carries only the method.
   */
  pageScripts?: Record<string, Record<string, PaginationScriptRunner>>;
  /** How many pages a read may take before it fails the shape: MAX_PAGES unless a test lowers it. */
  maxPages?: number;
  /** Real origin → where the sandbox serves it. */
  origins?: Record<string, string>;
  sleep?: (ms: number) => Promise<void>;
}

const MAX_PAGES = 10_000;

/** One page's request: the definition's for the first page, the pagination method's after it. */
interface PageRequest {
  method: string;
  url: string;
  body: string | undefined;
  /** Beside the authorisation and the engine's own: a pagination script's. */
  headers: Record<string, string>;
}

export class ConnectionEngine {
  readonly sent: SentRequest[] = [];
  private readonly tokens = new Map<string, string>();
  private readonly http: AxiosInstance;

  constructor(private readonly options: EngineOptions) {
    // Statuses are the engine's to judge, bodies its to read: no throwing, no parsing.
    this.http = axios.create({
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: (data: unknown) => data,
      maxRedirects: 0,
    });
  }

  /**
   * The definitions as built in `dist/`, and the endpoint names from each connector's OpenAPI document: `openApiFiles`
   * (relative to `root`, from each system's registration), else connectors/<key>/openapi.json.
   */
  static async fromDist(
    root: string,
    instances: Record<string, InstanceValues>,
    {
      openApiFiles = {},
      ...options
    }: Pick<EngineOptions, 'origins' | 'sleep' | 'facts' | 'pageScripts' | 'maxPages'> & {
      openApiFiles?: Record<string, string>;
    } = {},
  ): Promise<ConnectionEngine> {
    const definitions: Record<string, CoreApiConnector> = {};
    const endpointNames: Record<string, Record<string, string>> = {};
    for (const key of Object.keys(instances)) {
      const file = path.join(root, 'dist', 'connectors', `${key}.core-api.json`);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        throw new Error(`${path.relative(root, file)} is missing: run npm run build first`);
      }
      definitions[key] = JSON.parse(text) as CoreApiConnector;
      const api = readOpenApi(
        JSON.parse(
          await readFile(path.join(root, openApiFiles[key] ?? path.join('connectors', key, 'openapi.json')), 'utf8'),
        ),
      );
      endpointNames[key] = Object.fromEntries(
        api.operations.map((operation) => [operation.operationId, operation.name]),
      );
    }
    return new ConnectionEngine({ definitions, endpointNames, instances, ...options });
  }

  /** The endpoint a shape runs, and whether it writes. */
  endpoint(connector: string, operationId: string): CoreApiEndpoint {
    const definition = this.options.definitions[connector];
    if (!definition) throw new Error(`no connector instance for "${connector}"`);
    const name = this.options.endpointNames[connector]?.[operationId];
    const endpoint = definition.endpoints.find((candidate) => candidate.name === name);
    if (!endpoint)
      throw new Error(
        `connector "${connector}" has no endpoint for ` +
          `"${operationId}"${name ? ` (named "${name}")` : ''} in its built definition`,
      );
    return endpoint;
  }

  /**
   * The line `call` logs the request by, `METHOD path?query` (no origin, nothing secret), without sending it: how a
   * `--live` run shows a write it holds.
   */
  describeRequest(request: Pick<ConnectionRequest, 'connector' | 'operationId' | 'variables'>): string {
    return this.target(request).line;
  }

  async call(request: ConnectionRequest): Promise<ConnectionResult> {
    const { endpoint, values, url, line } = this.target(request);
    // A Send sends its record; a Receive with a body (a POST that reads, NetSuite's SuiteQL) sends its query, the same
    // body on every page (the page is in the URL).
    const body =
      endpoint.body_format === 'raw'
        ? endpoint.raw_body === ''
          ? request.body
          : fill(endpoint.raw_body, values, `${request.connector} raw body`)
        : undefined;
    const connectorFacts = this.options.facts?.[request.connector];
    const pageOptions = connectorFacts ? endpointFacts(connectorFacts, request.operationId) : {};
    const maxPages = this.options.maxPages ?? MAX_PAGES;
    const pages: string[] = [];
    let next: PageRequest | undefined = { method: endpoint.http_method, url, body, headers: {} };
    let status = 0;
    for (let page = 0; next !== undefined; page += 1) {
      if (page === maxPages)
        throw new Error(
          `"${endpoint.name}" (${line}) still has a next page after ${maxPages} pages: stopping the read rather than ` +
            'outputting a part of it as the whole',
        );
      const answer = await this.send(request, next, values);
      status = answer.status;
      if (!ok(status)) {
        // The vendor's reason first: Patchworks cuts [[meta.error_message]] to 100 characters in a notify message.
        // Only a 4xx answer is output as the payload: a 429 or 5xx left after the retries fails the shape even where
        // unsuccessful statuses are allowed, since a look-up that read "unavailable" as "not there" would book twice.
        if (!request.allowUnsuccessfulStatuses || status === 429 || status >= 500)
          throw new Error(`HTTP ${status} ${reasonOf(answer.body, connectorFacts?.errorReasonPath)} (${line})`);
        pages.push(answer.body === '' ? '{}' : answer.body);
        break;
      }
      if (endpoint.direction === 'Send') {
        pages.push(answer.body === '' ? '{}' : answer.body);
        break;
      }
      const json = parseAnswer(answer.body, line);
      const records = endpoint.data_path ? valueAt(json, endpoint.data_path) : json;
      pages.push(JSON.stringify(records ?? []));
      if (endpoint.pagination_method === 'Script') {
        next = await this.scriptedPage(request, endpoint, { ...next, headers: answer.sentHeaders }, answer);
      } else {
        const nextUrl = nextPage(endpoint, next.url, json, records, values, pageOptions);
        next = nextUrl === undefined ? undefined : { ...next, url: nextUrl };
      }
    }
    const unsuccessful = !ok(status);
    const outcome =
      endpoint.direction === 'Receive' || unsuccessful
        ? undefined
        : status === 200 && endpoint.http_method !== 'POST'
          ? 'updated'
          : 'created';
    return { direction: endpoint.direction, pages, status, line, unsuccessful, ...(outcome ? { outcome } : {}) };
  }

  /**
   * The request after this page, from the endpoint's pagination script (the one selected on the endpoint: here, the
   * connector facts'): undefined when it says there is no next page. What it returns is checked, naming the endpoint.
   */
  private async scriptedPage(
    request: ConnectionRequest,
    endpoint: CoreApiEndpoint,
    sent: PageRequest,
    answer: { status: number; body: string; headers: Record<string, string> },
  ): Promise<PageRequest | undefined> {
    const script = this.options.pageScripts?.[request.connector]?.[request.operationId];
    if (script === undefined)
      throw new Error(`"${endpoint.name}" pages by "Script", but no pagination script is selected for it`);
    const output = await script(
      JSON.stringify({
        request: { body: sent.body ?? '', headers: sent.headers, method: sent.method, url: sent.url },
        response: { headers: answer.headers, status_code: answer.status },
        payload: answer.body,
      }),
    );
    let next: unknown;
    try {
      next = JSON.parse(output);
    } catch {
      throw new Error(`"${endpoint.name}": its pagination script returned a payload that is not JSON`);
    }
    const { has_next_page, url, method, body, headers } = (next ?? {}) as Record<string, unknown>;
    if (typeof has_next_page !== 'boolean')
      throw new Error(`"${endpoint.name}": its pagination script returned no has_next_page (true or false)`);
    if (!has_next_page) return undefined;
    if (typeof url !== 'string' || typeof method !== 'string' || (body !== undefined && typeof body !== 'string'))
      throw new Error(
        `"${endpoint.name}": its pagination script's next request has no url and method, or a body not text`,
      );
    const kept =
      headers !== null && typeof headers === 'object' && !Array.isArray(headers)
        ? Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, String(value)]))
        : {};
    return { url, method: method.toUpperCase(), body: body === '' ? undefined : body, headers: kept };
  }

  /** The endpoint a request runs, its variables' values, and its first URL with the line that names it. */
  private target(request: Pick<ConnectionRequest, 'connector' | 'operationId' | 'variables'>) {
    const endpoint = this.endpoint(request.connector, request.operationId);
    const values = this.values(request.connector, endpoint, request.variables);
    const url = this.url(request.connector, endpoint, values);
    return { endpoint, values, url, line: `${endpoint.http_method} ${displayPath(url)}` };
  }

  /** Every `{{var}}` the endpoint may use: the shape's, then the endpoint's defaults, the instance's, the definition's.
   */
  private values(connector: string, endpoint: CoreApiEndpoint, shape: Record<string, string>): Record<string, string> {
    const definition = this.options.definitions[connector]!;
    const values: Record<string, string> = {};
    const defaults = (variables: readonly CoreApiVariable[]) => {
      for (const variable of variables)
        if (variable.value !== null && !Object.hasOwn(values, variable.key)) values[variable.key] = variable.value;
    };
    for (const [key, value] of Object.entries(shape)) if (value !== '') values[key] = value;
    defaults(endpoint.variables);
    for (const [key, value] of Object.entries(this.options.instances[connector] ?? {}))
      if (!Object.hasOwn(values, key)) values[key] = value;
    defaults(definition.variables);
    for (const auth of definition.authentication_implementations) defaults(auth.variables);
    return values;
  }

  private url(connector: string, endpoint: CoreApiEndpoint, values: Record<string, string>): string {
    const template = endpoint.endpoint;
    const inTemplate = new Set([...template.matchAll(/\{\{([^}]+)\}\}/g)].map((match) => match[1]!));
    const url = new URL(fill(template, values, `${connector} "${endpoint.name}" URL`, encodeURIComponent));
    // [I] An endpoint variable outside the URL template, given a value, goes as a query parameter under its alias.
    for (const variable of endpoint.variables) {
      const value = values[variable.key];
      if (inTemplate.has(variable.key) || value === undefined || value === '') continue;
      url.searchParams.set(variable.pivot.alias, value);
    }
    return url.toString();
  }

  private async send(
    request: ConnectionRequest,
    { method, url, body, headers: given }: PageRequest,
    values: Record<string, string>,
  ): Promise<{ status: number; body: string; headers: Record<string, string>; sentHeaders: Record<string, string> }> {
    let authRetried = false;
    for (let attempt = 0; ; attempt += 1) {
      // A pagination script's headers first (Authorization among them, as it was given them): a fresh authorisation
      // and the engine's own go over them.
      const headers = {
        ...given,
        ...(await this.authHeaders(request.connector, method, url, values)),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        Accept: 'application/json',
      };
      const answer = await this.transport(request.connector, method, url, headers, body, request.timeoutSeconds);
      if (answer.status === 401 && !authRetried && this.tokens.has(request.connector)) {
        // An expired token: Patchworks gets a fresh one and tries again ("auth retries are not caught", §3.1).
        authRetried = true;
        this.tokens.delete(request.connector);
        attempt -= 1;
        continue;
      }
      const retryable = answer.status === 'no answer' || answer.status === 429 || answer.status >= 500;
      if (retryable && attempt < request.retries) {
        // The vendor's Retry-After when it gives one (capped at a minute), else 1 s, 2 s.
        const asked = parseRetryAfter(answer.retryAfter, Date.now());
        await (this.options.sleep ?? defaultSleep)(Math.min(asked ?? 1000 * 2 ** attempt, 60_000));
        continue;
      }
      if (answer.status === 'no answer')
        throw new Error(
          `${method} ${displayPath(url)}: no answer (${answer.body}) ` +
            `after ${attempt + 1} ${attempt === 0 ? 'attempt' : 'attempts'}`,
        );
      return { status: answer.status, body: answer.body, headers: answer.headers, sentHeaders: headers };
    }
  }

  private async transport(
    connector: string,
    method: string,
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
    timeoutSeconds: number,
  ): Promise<{ status: number | 'no answer'; body: string; headers: Record<string, string>; retryAfter?: string }> {
    try {
      const response = await this.http.request<string>({
        method,
        url: this.routed(url),
        headers,
        data: body,
        timeout: timeoutSeconds * 1000,
      });
      this.sent.push({ connector, method, url, status: response.status });
      const retryAfter = response.headers['retry-after'] as string | undefined;
      return {
        status: response.status,
        body: typeof response.data === 'string' ? response.data : '',
        headers: Object.fromEntries(
          Object.entries(response.headers).flatMap(([key, value]) =>
            value === undefined || value === null
              ? []
              : [[key, Array.isArray(value) ? value.join(', ') : String(value)]],
          ),
        ),
        ...(retryAfter === undefined ? {} : { retryAfter }),
      };
    } catch (error) {
      this.sent.push({ connector, method, url, status: 'no answer' });
      // The axios error holds the request headers (credentials): only its code travels on.
      return {
        status: 'no answer',
        body: axios.isAxiosError(error) ? (error.code ?? 'network error') : 'network error',
        headers: {},
      };
    }
  }

  private routed(url: string): string {
    const { origin } = new URL(url);
    const to = this.options.origins?.[origin];
    return to === undefined ? url : `${to}${url.slice(origin.length)}`;
  }

  private async authHeaders(
    connector: string,
    method: string,
    url: string,
    values: Record<string, string>,
  ): Promise<Record<string, string>> {
    const auth = this.options.definitions[connector]!.authentication_implementations[0];
    if (!auth) return {};
    const where = `${connector} authentication`;
    const headers = Object.fromEntries(auth.headers.map((header) => [header.key, fill(header.value, values, where)]));
    // API key: the key is one of the implementation's headers, filled from the instance; no token to get.
    if (auth.authentication_type_id === null && auth.authentication_type === 'API key') return headers;
    if (auth.authentication_type_id === null && auth.authentication_type === 'OAuth 1') {
      const signed = signRequest({
        method,
        url,
        realm: fill('{{oauth_realm}}', values, where),
        credentials: {
          consumerKey: required(values, 'consumer_key', where),
          consumerSecret: required(values, 'consumer_secret', where),
          tokenId: required(values, 'token_id', where),
          tokenSecret: required(values, 'token_secret', where),
        },
      });
      return { ...headers, Authorization: signed.authorization };
    }
    let token = this.tokens.get(connector);
    if (token === undefined) {
      token = await this.fetchToken(connector, auth, headers, values);
      this.tokens.set(connector, token);
    }
    return { ...headers, Authorization: `Bearer ${token}` };
  }

  private async fetchToken(
    connector: string,
    auth: CoreApiConnector['authentication_implementations'][number],
    headers: Record<string, string>,
    values: Record<string, string>,
  ): Promise<string> {
    const where = `${connector} authentication`;
    const tokenUrl = fill(auth.endpoint!, values, where);
    const codeGrant = auth.authentication_type_id === null;
    // Client credentials: the definition's own body. Authorisation code: the refresh grant, in the definition's format.
    const fields: Record<string, string> = codeGrant
      ? {
          grant_type: 'refresh_token',
          refresh_token: required(values, 'refresh_token', where),
          client_id: required(values, 'client_id', where),
          client_secret: required(values, 'client_secret', where),
        }
      : {};
    let body: string;
    let contentType: string;
    if (auth.body_format === 'raw') {
      body = codeGrant ? JSON.stringify(fields) : fill(auth.raw_body ?? '', values, where);
      contentType = 'application/json';
    } else {
      const form = codeGrant
        ? fields
        : {
            grant_type: required(values, 'client_credentials_grant_type', where),
            client_id: required(values, 'client_id', where),
            client_secret: required(values, 'client_secret', where),
          };
      body = new URLSearchParams(form).toString();
      contentType = 'application/x-www-form-urlencoded';
    }
    const answer = await this.transport(
      connector,
      'POST',
      tokenUrl,
      { ...headers, 'Content-Type': contentType, Accept: 'application/json' },
      body,
      30,
    );
    if (answer.status === 'no answer' || !ok(answer.status))
      throw new Error(
        `${connector}: the token request to ${displayPath(tokenUrl)} failed: ` +
          `${answer.status === 'no answer' ? 'no answer' : `HTTP ${answer.status}`}`,
      );
    const json = parseAnswer(answer.body, `${connector} token request`) as Record<string, unknown>;
    const key = values.response_authentication_token_key ?? 'access_token';
    const token = json[key];
    if (typeof token !== 'string' || token === '') throw new Error(`${connector}: the token answer has no "${key}"`);
    // A rotating refresh token is spent once used: keep the new one, as Patchworks keeps it on the instance.
    if (codeGrant && typeof json.refresh_token === 'string')
      this.options.instances[connector] = { ...this.options.instances[connector], refresh_token: json.refresh_token };
    return token;
  }
}

function ok(status: number): boolean {
  return status >= 200 && status < 300;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `{{key}}` filled from `values` (defaults may name other variables); a key with no value fails, naming it. */
function fill(
  template: string,
  values: Record<string, string>,
  where: string,
  encode: (value: string) => string = (value) => value,
  depth = 0,
): string {
  return template.replace(/\{\{([^}]+)\}\}/g, (_, key: string) => {
    const value = Object.hasOwn(values, key) ? values[key] : undefined;
    if (value === undefined)
      throw new Error(`${where}: {{${key}}} has no value (set it on the shape, or on the connector instance)`);
    const inner = depth < 4 && value.includes('{{') ? fill(value, values, where, (v) => v, depth + 1) : value;
    // A variable holding a base URL fills whole; a path or query value is encoded.
    return /^https?:\/\//.test(inner) ? inner : encode(inner);
  });
}

function required(values: Record<string, string>, key: string, where: string): string {
  const value = Object.hasOwn(values, key) ? values[key] : undefined;
  if (value === undefined || value === '') throw new Error(`${where}: "${key}" is not set on the connector instance`);
  return value;
}

function parseAnswer(body: string, where: string): unknown {
  if (body === '') return null;
  try {
    return JSON.parse(body);
  } catch {
    throw new Error(`${where}: the answer is not JSON (starts ${JSON.stringify(body.slice(0, 40))})`);
  }
}

/** The next page's URL, by the endpoint's pagination method; undefined on the last page. */
function nextPage(
  endpoint: CoreApiEndpoint,
  url: string,
  json: unknown,
  records: unknown,
  values: Record<string, string>,
  { nextPageToken: pageToken, nextPageUrl }: Pick<EndpointFacts, 'nextPageToken' | 'nextPageUrl'>,
): string | undefined {
  const method = endpoint.pagination_method;
  if (method === null || method === 'default') return undefined;
  const count = Array.isArray(records) ? records.length : records === undefined || records === null ? 0 : 1;
  const current = new URL(url);
  if (method === 'Limit offset') {
    const sizeName = current.searchParams.has('limit') || values.limit !== undefined ? 'limit' : 'page_size';
    const size = Number(current.searchParams.get(sizeName) ?? values[sizeName]);
    if (!Number.isSafeInteger(size) || size <= 0)
      throw new Error(`"${endpoint.name}" pages by limit and offset, but the shape sets no ${sizeName}`);
    if ((json as { hasMore?: unknown } | null)?.hasMore === false || count < size) return undefined;
    current.searchParams.set(sizeName, String(size));
    current.searchParams.set('offset', String(Number(current.searchParams.get('offset') ?? 0) + size));
    return current.toString();
  }
  if (method === 'Page number parameter') {
    const size = Number(current.searchParams.get('page_size') ?? values.page_size);
    if (count === 0 || (Number.isSafeInteger(size) && count < size)) return undefined;
    current.searchParams.set('page', String(Number(current.searchParams.get('page') ?? 1) + 1));
    return current.toString();
  }
  if (method === 'Next Page URL') {
    if (nextPageUrl === undefined)
      throw new Error(`"${endpoint.name}" pages by "Next Page URL", but no next page field is set for it`);
    const next = valueAt(json, nextPageUrl.field);
    if (next === undefined || next === null || next === '') return undefined;
    if (typeof next !== 'string')
      throw new Error(`"${endpoint.name}": the next page field (${nextPageUrl.field}) is not a URL but ${typeof next}`);
    // A URL that starts with ? is relative: the previous request's base URL before it.
    const nextUrl = next.startsWith('?') ? `${current.origin}${current.pathname}${next}` : next;
    if (nextUrl === url)
      throw new Error(
        `"${endpoint.name}": the next page field (${nextPageUrl.field}) names the page just read; stopping rather ` +
          'than reading it forever',
      );
    return nextUrl;
  }
  if (method === 'Next page token') {
    if (pageToken === undefined)
      throw new Error(`"${endpoint.name}" pages by "Next page token", but no token parameter and path are set for it`);
    const token = valueAt(json, pageToken.path);
    if (token === undefined || token === null || token === '') return undefined;
    const text = typeof token === 'string' ? token : JSON.stringify(token);
    if (text === current.searchParams.get(pageToken.parameter))
      throw new Error(
        `"${endpoint.name}": the next page token (${pageToken.path}) is ${text} again, the page just read; ` +
          'stopping rather than reading it forever',
      );
    current.searchParams.set(pageToken.parameter, text);
    return current.toString();
  }
  throw new Error(`"${endpoint.name}" pages by "${method}", which the local runner does not model`);
}

/** The path and query, for the run log: no origin, nothing secret (credentials travel in headers and bodies). */
function displayPath(url: string): string {
  const parsed = new URL(url);
  return `${decodeURIComponent(parsed.pathname)}${parsed.search}`;
}

/**
 * The vendor's own words from an error body: at the connector's errorReasonPath (NetSuite's o:errorDetails detail),
 * else a `message`, `detail`, `error_description` or `error` field (SparkLayer, Lightspeed); else the body's start.
 */
function reasonOf(body: string, errorReasonPath: string | undefined): string {
  if (body === '') return 'no body';
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const vendors = errorReasonPath === undefined ? undefined : valueAt(json, errorReasonPath);
    const reason = [vendors, json.message, json.detail, json.error_description, json.error, json.title].find(
      (value) => typeof value === 'string' && value.trim() !== '',
    );
    if (typeof reason === 'string') return reason.replace(/\s+/g, ' ').slice(0, 300);
  } catch {
    // not JSON: its text
  }
  return body.replace(/\s+/g, ' ').slice(0, 300);
}
