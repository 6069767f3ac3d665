// The connector exporters: OpenAPI + Patchworks facts → a Postman v2.1 collection and Core-API JSON, first on
// a small document written here, then on connectors/sparklayer/openapi.json; and the build step that writes both.
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { netsuiteConnector } from '../../../connectors/netsuite/dev/patchworks-connector.js';
import { sparkLayerConnector } from '../../../connectors/sparklayer/dev/patchworks-connector.js';
import { readOpenApi, type EndpointFacts, type PatchworksConnectorFacts } from '../../../contracts/connector-source.js';
import { exportCoreApiConnector } from '../../../patchworks/exporters/core-api.js';
import {
  postmanCollectionSchema,
  type PostmanCollection,
  type PostmanFolder,
  type PostmanRequest,
  type PostmanRequestItem,
} from '../../../patchworks/exporters/postman-collection-schema.js';
import { exportPostmanCollection } from '../../../patchworks/exporters/postman.js';
import {
  CONNECTOR_SOURCES,
  CONNECTORS_DIST_DIR,
  writeConnectors,
} from '../../../patchworks/exporters/write-connectors.js';
import { ROOT } from '../../support/steps.js';

// Credentials planted in the inline document's examples, as vendor docs often carry them: none may survive.
const PLANTED = {
  clientId: 'cid_7Hq2LmP9xR4tV8wZ',
  clientSecret: 'csk_live_9fK2mQ7pX4rT8vW1zY6bN3cD',
  accessToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ3aWRnZXRzIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ',
};

const inlineOpenApi = {
  openapi: '3.1.0',
  info: { title: 'Widgets API', version: '2.0.0', description: 'A small API of the SparkLayer kind.' },
  tags: [{ name: 'widgets', description: 'Widget records.' }],
  security: [{ bearerAuth: [] }],
  paths: {
    '/api/auth/token': {
      post: {
        operationId: 'getAccessToken',
        summary: 'Get an access token',
        security: [],
        parameters: [{ $ref: '#/components/parameters/SiteId' }],
        requestBody: {
          content: {
            'application/json': {
              example: {
                grant_type: 'client_credentials',
                client_id: PLANTED.clientId,
                client_secret: PLANTED.clientSecret,
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'A token.',
            content: {
              'application/json': {
                example: { access_token: PLANTED.accessToken, token_type: 'bearer', expires_in: 3600 },
              },
            },
          },
        },
      },
    },
    '/api/v1/widgets': {
      parameters: [{ $ref: '#/components/parameters/SiteId' }],
      get: {
        operationId: 'listWidgets',
        summary: 'List widgets',
        tags: ['widgets'],
        parameters: [
          { name: 'limit', in: 'query', required: true, schema: { type: 'integer', default: 100 } },
          { name: 'offset', in: 'query', schema: { type: 'integer' } },
          { name: 'colour', in: 'query', description: 'Only widgets of this colour.', schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'Widgets.',
            content: {
              'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Widget' } } },
            },
          },
        },
      },
    },
    '/api/v1/widgets/{id}': {
      parameters: [
        { $ref: '#/components/parameters/SiteId' },
        {
          name: 'id',
          in: 'path',
          required: true,
          description: 'The widget id.',
          schema: { type: 'string', examples: ['w-1'] },
        },
      ],
      get: {
        operationId: 'getWidget',
        tags: ['widgets'],
        responses: {
          '200': {
            description: 'A widget.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Widget' } } },
          },
        },
      },
      put: {
        operationId: 'putWidget',
        summary: 'Create or replace a widget',
        tags: ['widgets'],
        requestBody: {
          content: { 'application/json': { examples: { full: { $ref: '#/components/examples/FullWidget' } } } },
        },
        responses: { '204': { description: 'Stored.' } },
      },
    },
    '/api/v2/stock-levels': {
      patch: {
        operationId: 'updateStockLevels',
        summary: 'Update stock levels',
        parameters: [{ $ref: '#/components/parameters/SiteId' }],
        requestBody: {
          content: {
            'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/StockLevel' } } },
          },
        },
        responses: { '200': { description: 'Done.' } },
      },
    },
  },
  components: {
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
    parameters: {
      SiteId: { name: 'Site-Id', in: 'header', required: true, schema: { type: 'string', examples: ['demo-site'] } },
    },
    schemas: {
      Widget: {
        type: 'object',
        properties: {
          id: { type: 'string', examples: ['w-1'] },
          colour: { type: 'string', enum: ['red', 'blue'] },
          parts: { type: 'array', items: { $ref: '#/components/schemas/Widget' } },
        },
      },
      StockLevel: {
        type: 'object',
        properties: {
          sku: { type: 'string', examples: ['SKU-1'] },
          quantity: { type: 'integer' },
          in_stock: { type: 'boolean' },
        },
      },
    },
    examples: { FullWidget: { value: { id: 'w-1', colour: 'red', api_key: PLANTED.clientSecret } } },
  },
};

const inlineFacts: PatchworksConnectorFacts = {
  system: {
    name: 'Widgets',
    label: 'Widgets test system',
    systemType: 'Other',
    protocol: 'HTTP',
    dateFormat: 'c',
    rateLimit: { requests: 10, per: 'second' },
    helpLink: 'https://widgets.example/docs',
  },
  baseUrl: '{{base_url}}',
  variables: [
    {
      key: 'base_url',
      label: 'Base URL',
      description: 'The environment.',
      required: true,
      secret: false,
      value: 'https://widgets.example',
    },
    { key: 'site_id', label: 'Site ID', description: 'The site.', required: true, secret: false, value: null },
  ],
  authentication: {
    kind: 'oauth2-client-credentials',
    name: 'OAuth 2',
    tokenUrl: '{{base_url}}/api/auth/token',
    tokenBodyFormat: 'json',
    headers: [{ key: 'Site-Id', value: '{{site_id}}' }],
    clientId: { key: 'client_id', label: 'Client ID', description: 'The key.', required: true, secret: true },
    clientSecret: {
      key: 'client_secret',
      label: 'Client secret',
      description: 'The secret.',
      required: true,
      secret: true,
    },
    responseTokenKey: 'access_token',
  },
  endpoints: { listWidgets: { returnsMultipleRecords: true, dataPath: null, paginationMethod: 'Limit offset' } },
};

const realOpenApiPath = path.join(ROOT, 'connectors', 'sparklayer', 'openapi.json');
const realOpenApi: unknown = JSON.parse(readFileSync(realOpenApiPath, 'utf8'));

function requestItems(items: Array<PostmanRequestItem | PostmanFolder>): PostmanRequestItem[] {
  return items.flatMap((item) => ('request' in item ? [item] : requestItems(item.item)));
}

function objectRequest(item: PostmanRequestItem): PostmanRequest {
  if (typeof item.request === 'string') throw new Error(`${item.name}: request is a bare URL`);
  return item.request;
}

function oauth2Attribute(collection: PostmanCollection, key: string): unknown {
  return collection.auth?.oauth2?.find((attribute) => attribute.key === key)?.value;
}

/** The script of an event list (a collection's or an item's) for `listen`, as one text. */
function scriptOf(events: PostmanCollection['event'], listen: string): string {
  const event = events?.find((candidate) => candidate.listen === listen) as
    { script?: { type?: string; exec?: string[] } } | undefined;
  expect(event?.script?.type, listen).toBe('text/javascript');
  return (event?.script?.exec ?? []).join('\n');
}

/** Every `{{name}}` in a request's URL: raw, host, path and query values. */
function urlVariables(request: PostmanRequest): string[] {
  const url = request.url;
  const text =
    typeof url === 'string'
      ? url
      : JSON.stringify([url?.raw, url?.host, url?.path, url?.query?.map((parameter) => parameter.value)]);
  return [...new Set([...(text ?? '').matchAll(/\{\{([^{}]+)\}\}/g)].map((match) => match[1]!))];
}

const SENSITIVE_KEY = /secret|password|api_?key|client_?id|(^|_)(access_|refresh_)?token$|^accessToken$/i;
const PLACEHOLDER_OR_EMPTY = (value: unknown) =>
  value === '' || value === null || (typeof value === 'string' && /^\{\{\w+\}\}$/.test(value));

/** Everything in the output that looks like a credential: a sensitive key with a value, a JWT, a bearer token, a long
 * mixed-case key. */
function credentialLeaks(output: unknown): string[] {
  const leaks: string[] = [];
  const visit = (node: unknown, where: string) => {
    if (Array.isArray(node)) return node.forEach((child, index) => visit(child, `${where}[${index}]`));
    if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      // Postman and Core-API hold pairs as {key, value}: the key names what the value is.
      if (typeof record.key === 'string' && SENSITIVE_KEY.test(record.key) && !PLACEHOLDER_OR_EMPTY(record.value))
        leaks.push(`${where}: ${record.key}`);
      for (const [key, value] of Object.entries(record)) {
        if (SENSITIVE_KEY.test(key) && typeof value === 'string' && !PLACEHOLDER_OR_EMPTY(value))
          leaks.push(`${where}.${key}`);
        visit(value, `${where}.${key}`);
      }
      return;
    }
    if (typeof node !== 'string') return;
    // Strings may themselves be serialised JSON (raw bodies, Core-API schemas).
    if (/^\s*[[{]/.test(node)) {
      try {
        visit(JSON.parse(node), `${where}(json)`);
      } catch {
        // not JSON: scanned as text below
      }
    }
    const tokenLike = [
      /eyJ[\w-]{8,}\.[\w-]{8,}/,
      /Bearer\s+(?!\{\{)[\w.~+/-]{8,}/,
      /\b(?=[\w-]*\d)(?=[\w-]*[a-z])(?=[\w-]*[A-Z])[\w-]{20,}\b/,
    ];
    for (const pattern of tokenLike) if (pattern.test(node)) leaks.push(`${where}: ${node.slice(0, 60)}`);
  };
  visit(output, '$');
  return leaks;
}

it('the credential scan finds what was planted in the inline document, by key and by look alike', () => {
  const leaks = credentialLeaks(inlineOpenApi).join('\n');
  for (const key of ['client_id', 'client_secret', 'access_token', 'api_key']) expect(leaks).toContain(`.${key}\n`);
  for (const planted of Object.values(PLANTED)) expect(leaks).toContain(`: ${planted.slice(0, 40)}`);
});

const cases = [
  { name: 'the inline OpenAPI document', openApi: inlineOpenApi as unknown, facts: inlineFacts },
  { name: 'connectors/sparklayer/openapi.json', openApi: realOpenApi, facts: sparkLayerConnector },
];

describe.each(cases)('exports of $name', ({ openApi, facts }) => {
  const api = readOpenApi(openApi);
  const operationIds = api.operations.map((operation) => operation.operationId).sort();
  const collection = exportPostmanCollection(openApi, facts);
  const requests = requestItems(collection.item);
  const coreApi = exportCoreApiConnector(openApi, facts);

  it('the collection passes the Postman v2.1 structure check', () => {
    expect(postmanCollectionSchema.safeParse(collection).error).toBeUndefined();
    expect(collection.info.schema).toBe('https://schema.getpostman.com/json/collection/v2.1.0/collection.json');
  });

  it('has one request per operation, and nothing else', () => {
    expect(requests.map((item) => item.id).sort()).toEqual(operationIds);
    expect(requests.map((item) => item.name)).toEqual(
      expect.arrayContaining(api.operations.map((operation) => operation.name)),
    );
  });

  it('folds the requests into one folder per tag or path group', () => {
    for (const folder of collection.item) expect('item' in folder && folder.item.length > 0).toBe(true);
    expect(collection.item.map((folder) => folder.name).sort()).toEqual(
      [...new Set(api.operations.map((operation) => operation.group))].sort(),
    );
  });

  it('sends Site-Id: {{site_id}} on every request', () => {
    for (const item of requests) {
      expect(objectRequest(item).header, item.id).toContainEqual(
        expect.objectContaining({ key: 'Site-Id', value: '{{site_id}}' }),
      );
    }
  });

  it(
    'keeps each request to its operation: method, {{base_url}} URL with :path variables, ' +
      'documented query parameters',
    () => {
      for (const operation of api.operations) {
        const request = objectRequest(requests.find((item) => item.id === operation.operationId)!);
        expect(request.method).toBe(operation.method);
        const url = request.url;
        if (typeof url !== 'object') throw new Error('url should be an object');
        expect(url.raw).toMatch(/^\{\{base_url\}\}\//);
        expect(url.raw).toContain(operation.path.replace(/\{([^}]+)\}/g, ':$1'));
        expect(url.variable?.map((variable) => variable.key)).toEqual(
          operation.parameters.path.map((parameter) => parameter.name),
        );
        expect(url.query?.map((parameter) => parameter.key)).toEqual(
          operation.parameters.query.map((parameter) => parameter.name),
        );
        expect(request.body !== undefined).toBe(operation.requestBody !== undefined);
      }
    },
  );

  // The token endpoint takes JSON only, and Postman's OAuth 2 helper sends a form: no helper, a bearer token instead.
  it(
    'authenticates with a bearer {{access_token}} at collection level, not the OAuth 2 helper, which can ' +
      'only send a form',
    () => {
      expect(collection.auth).toEqual({
        type: 'bearer',
        bearer: [{ key: 'token', value: '{{access_token}}', type: 'string' }],
      });
      expect(JSON.stringify(collection)).not.toMatch(/urlencoded|formdata|x-www-form-urlencoded/);
    },
  );

  it(
    'sends the token request as JSON to /api/auth/token: Content-Type application/json, Site-Id, no token, ' +
      'no form, and keeps the token',
    () => {
      const token = requests.find((item) => item.id === 'getAccessToken')!;
      const request = objectRequest(token);
      expect(request.method).toBe('POST');
      expect(request.url).toMatchObject({ raw: '{{base_url}}/api/auth/token' });
      expect(request.auth).toEqual({ type: 'noauth' });
      const header = Array.isArray(request.header) ? request.header : [];
      expect(header.filter(({ key }) => key.toLowerCase() === 'content-type')).toEqual([
        { key: 'Content-Type', value: 'application/json' },
      ]);
      expect(header).toContainEqual(expect.objectContaining({ key: 'Site-Id', value: '{{site_id}}' }));
      expect(request.body).toEqual({ mode: 'raw', raw: expect.any(String), options: { raw: { language: 'json' } } });
      expect(JSON.parse(request.body?.raw ?? '')).toEqual({
        grant_type: 'client_credentials',
        client_id: '{{client_id}}',
        client_secret: '{{client_secret}}',
      });
      const test = scriptOf(token.event, 'test');
      expect(test).toContain('pm.collectionVariables.set("access_token", issued["access_token"]);');
    },
  );

  it(
    'gets the token in a collection pre-request script, as JSON with Site-Id, before any request but the ' +
      'token request',
    () => {
      const prerequest = scriptOf(collection.event, 'prerequest');
      expect(prerequest).toContain('pm.sendRequest({');
      expect(prerequest).toContain('url: pm.variables.replaceIn("{{base_url}}/api/auth/token"),');
      expect(prerequest).toContain(`method: 'POST',`);
      expect(prerequest).toContain(
        'header: { "Site-Id": pm.variables.replaceIn("{{site_id}}"), "Content-Type": "application/json" },',
      );
      expect(prerequest).toContain(
        `body: { mode: 'raw', raw: JSON.stringify({ "grant_type": "client_credentials", "client_id": ` +
          `pm.variables.replaceIn("{{client_id}}"), "client_secret": ` +
          `pm.variables.replaceIn("{{client_secret}}") }) },`,
      );
      expect(prerequest).toContain(`pm.request.auth.type === 'noauth'`);
      expect(prerequest).toContain('pm.collectionVariables.set("access_token", issued["access_token"]);');
      // The script parses as JavaScript (Postman runs it as the body of a function).
      expect(() => new Function('pm', prerequest)).not.toThrow();
      expect(
        () => new Function('pm', scriptOf(requests.find((item) => item.id === 'getAccessToken')!.event, 'test')),
      ).not.toThrow();
    },
  );

  it(
    'declares base_url, site_id, client_id, client_secret and the access token, the secrets ' + 'and the token empty',
    () => {
      const values = Object.fromEntries((collection.variable ?? []).map((variable) => [variable.key, variable.value]));
      expect(Object.keys(values).sort()).toEqual([
        'access_token',
        'access_token_expires_at',
        'base_url',
        'client_id',
        'client_secret',
        'site_id',
      ]);
      for (const key of ['client_id', 'client_secret', 'access_token', 'access_token_expires_at'])
        expect(values[key], key).toBe('');
    },
  );

  it('holds no credential anywhere, in either output', () => {
    expect(credentialLeaks(collection)).toEqual([]);
    expect(credentialLeaks(coreApi)).toEqual([]);
    const serialised = JSON.stringify([collection, coreApi]);
    for (const planted of Object.values(PLANTED)) expect(serialised).not.toContain(planted);
  });

  it('has one Core-API endpoint per operation: GET receives, a POST that reads receives, everything else sends', () => {
    expect(coreApi.endpoints).toHaveLength(api.operations.length);
    for (const operation of api.operations) {
      const endpoint = coreApi.endpoints.find((candidate) => candidate.name === operation.name);
      expect(endpoint, operation.operationId).toBeDefined();
      expect(endpoint!.http_method).toBe(operation.method);
      const endpointFacts = facts.endpoints[operation.operationId];
      expect(endpoint!.direction).toBe(operation.method === 'GET' || endpointFacts?.reads ? 'Receive' : 'Send');
      expect(endpoint!.endpoint.split('?')[0]).toBe(`{{base_url}}${operation.path.replace(/\{([^}]+)\}/g, '{{$1}}')}`);
      expect([endpoint!.returns_multiple_records, endpoint!.data_path, endpoint!.pagination_method]).toEqual(
        endpointFacts
          ? [endpointFacts.returnsMultipleRecords, endpointFacts.dataPath, endpointFacts.paginationMethod]
          : [false, null, null],
      );
    }
  });

  it('gives the Core-API authentication the token URL, a JSON body, the Site-Id header and empty secrets', () => {
    const [authentication] = coreApi.authentication_implementations;
    expect(authentication?.endpoint).toBe('{{base_url}}/api/auth/token');
    expect(authentication?.body_format).toBe('raw');
    expect(JSON.parse(authentication?.raw_body ?? '')).toEqual({
      grant_type: '{{client_credentials_grant_type}}',
      client_id: '{{client_id}}',
      client_secret: '{{client_secret}}',
    });
    expect(authentication?.headers).toEqual([{ key: 'Site-Id', value: '{{site_id}}' }]);
    const byKey = new Map(authentication?.variables.map((variable) => [variable.key, variable]));
    expect(byKey.get('response_authentication_token_key')?.value).toBe('access_token');
    for (const key of ['client_id', 'client_secret'])
      expect(byKey.get(key)).toMatchObject({ secret: true, value: null });
  });
});

describe('the inline document specifically', () => {
  const collection = exportPostmanCollection(inlineOpenApi, inlineFacts);
  const request = (id: string) => objectRequest(requestItems(collection.item).find((item) => item.id === id)!);

  it('sends required query parameters with their default and offers optional ones switched off', () => {
    const url = request('listWidgets').url;
    if (typeof url !== 'object') throw new Error('url should be an object');
    expect(url.raw).toBe('{{base_url}}/api/v1/widgets?limit=100');
    expect(url.query).toEqual([
      { key: 'limit', value: '100', disabled: false, description: undefined },
      { key: 'offset', value: '', disabled: true, description: undefined },
      { key: 'colour', value: '', disabled: true, description: 'Only widgets of this colour.' },
    ]);
  });

  it('names path variables as :name with their description', () => {
    const url = request('getWidget').url;
    if (typeof url !== 'object') throw new Error('url should be an object');
    expect(url.raw).toBe('{{base_url}}/api/v1/widgets/:id');
    expect(url.variable).toEqual([{ key: 'id', value: '', description: 'The widget id. e.g. w-1' }]);
  });

  it('uses the documented example as the JSON body, credentials replaced', () => {
    const body = request('putWidget').body;
    expect(body?.options).toEqual({ raw: { language: 'json' } });
    expect(JSON.parse(body?.raw ?? '')).toEqual({ id: 'w-1', colour: 'red', api_key: '' });
    expect(JSON.parse(request('getAccessToken').body?.raw ?? '')).toEqual({
      grant_type: 'client_credentials',
      client_id: '{{client_id}}',
      client_secret: '{{client_secret}}',
    });
  });

  it('builds a body from the schema where the document gives no example', () => {
    expect(JSON.parse(request('updateStockLevels').body?.raw ?? '')).toEqual([
      { sku: 'SKU-1', quantity: 0, in_stock: false },
    ]);
    const coreApi = exportCoreApiConnector(inlineOpenApi, inlineFacts);
    // A recursive schema stops at the first repeat.
    expect(JSON.parse(coreApi.endpoints.find((endpoint) => endpoint.name === 'getWidget')?.schema ?? '')).toEqual({
      id: 'w-1',
      colour: 'red',
      parts: [],
    });
  });

  it('refuses facts about an operation the document lacks, and a document that is not OpenAPI 3', () => {
    const stale = { ...inlineFacts, endpoints: { listGadgets: inlineFacts.endpoints.listWidgets! } };
    expect(() => exportPostmanCollection(inlineOpenApi, stale)).toThrow(/listGadgets/);
    expect(() => exportCoreApiConnector(inlineOpenApi, stale)).toThrow(/listGadgets/);
    expect(() => exportPostmanCollection({ ...inlineOpenApi, openapi: '2.0' }, inlineFacts)).toThrow(/OpenAPI 3/);
  });

  it('exports "Next page token" as the method alone; refuses it without its options, or on no query parameter', () => {
    const byToken = (endpoint: EndpointFacts) => ({ ...inlineFacts, endpoints: { listWidgets: endpoint } });
    const listing = { returnsMultipleRecords: true, dataPath: null } as const;
    const exported = exportCoreApiConnector(
      inlineOpenApi,
      byToken({
        ...listing,
        paginationMethod: 'Next page token',
        nextPageToken: { parameter: 'offset', path: 'next' },
      }),
    ).endpoints.find((endpoint) => endpoint.name === 'List widgets')!;
    // The options' Core-API keys are undocumented: none is guessed (render.ts lists them in next_steps instead).
    expect(exported.pagination_method).toBe('Next page token');
    expect(JSON.stringify(exported)).not.toContain('"next"');
    expect(() =>
      exportCoreApiConnector(inlineOpenApi, byToken({ ...listing, paginationMethod: 'Next page token' })),
    ).toThrow('listWidgets needs nextPageToken with the "Next page token" pagination method, and only with it');
    expect(() =>
      exportCoreApiConnector(
        inlineOpenApi,
        byToken({ ...listing, paginationMethod: 'Limit offset', nextPageToken: { parameter: 'offset', path: 'x' } }),
      ),
    ).toThrow('and only with it');
    expect(() =>
      exportCoreApiConnector(
        inlineOpenApi,
        byToken({ ...listing, paginationMethod: 'Next page token', nextPageToken: { parameter: 'cursor', path: 'x' } }),
      ),
    ).toThrow('listWidgets sends its page token as cursor, which is not one of its query parameters');
  });

  it('exports "Next Page URL" as the method alone; refuses it without its next page field, and the converse', () => {
    const byUrl = (endpoint: EndpointFacts) => ({ ...inlineFacts, endpoints: { listWidgets: endpoint } });
    const listing = { returnsMultipleRecords: true, dataPath: null } as const;
    const exported = exportCoreApiConnector(
      inlineOpenApi,
      byUrl({ ...listing, paginationMethod: 'Next Page URL', nextPageUrl: { field: 'links.next' } }),
    ).endpoints.find((endpoint) => endpoint.name === 'List widgets')!;
    expect(exported.pagination_method).toBe('Next Page URL');
    expect(JSON.stringify(exported)).not.toContain('links.next');
    expect(() =>
      exportCoreApiConnector(inlineOpenApi, byUrl({ ...listing, paginationMethod: 'Next Page URL' })),
    ).toThrow('listWidgets needs nextPageUrl with the "Next Page URL" pagination method, and only with it');
    expect(() =>
      exportCoreApiConnector(
        inlineOpenApi,
        byUrl({ ...listing, paginationMethod: 'Limit offset', nextPageUrl: { field: 'links.next' } }),
      ),
    ).toThrow('and only with it');
  });
});

describe('a form-encoded OAuth 2 client credentials token request', () => {
  const formFacts: PatchworksConnectorFacts = {
    ...inlineFacts,
    authentication: {
      ...inlineFacts.authentication,
      tokenBodyFormat: 'form-data',
    } as PatchworksConnectorFacts['authentication'],
  };
  const collection = exportPostmanCollection(inlineOpenApi, formFacts);

  it('keeps Postman’s OAuth 2 helper, which sends the form itself, and no token script or token variable', () => {
    expect(postmanCollectionSchema.safeParse(collection).error).toBeUndefined();
    expect(collection.auth?.type).toBe('oauth2');
    expect(oauth2Attribute(collection, 'grant_type')).toBe('client_credentials');
    expect(oauth2Attribute(collection, 'accessTokenUrl')).toBe('{{base_url}}/api/auth/token');
    expect(oauth2Attribute(collection, 'clientId')).toBe('{{client_id}}');
    expect(oauth2Attribute(collection, 'clientSecret')).toBe('{{client_secret}}');
    expect(oauth2Attribute(collection, 'tokenRequestParams')).toContainEqual(
      expect.objectContaining({ key: 'Site-Id', value: '{{site_id}}', send_as: 'request_header' }),
    );
    expect(collection.event).toBeUndefined();
    expect(requestItems(collection.item).find((item) => item.id === 'getAccessToken')?.event).toBeUndefined();
    expect(collection.variable?.map((variable) => variable.key)).toEqual([
      'base_url',
      'site_id',
      'client_id',
      'client_secret',
    ]);
  });
});

describe('every exported collection', () => {
  const all = [
    { key: 'inline', openApi: inlineOpenApi as unknown, facts: inlineFacts },
    ...CONNECTOR_SOURCES.map((source) => ({
      key: source.key,
      openApi: JSON.parse(readFileSync(path.join(ROOT, source.openApiFile), 'utf8')) as unknown,
      facts: source.facts,
    })),
  ];

  it.each(all)(
    '$key: no folder or request carries `variable` (Postman drops it), and the collection declares each key once',
    ({ openApi, facts }) => {
      const collection = exportPostmanCollection(openApi, facts);
      const folders = (items: Array<PostmanRequestItem | PostmanFolder>): PostmanFolder[] =>
        items.flatMap((item) => ('request' in item ? [] : [item, ...folders(item.item)]));
      for (const item of [...requestItems(collection.item), ...folders(collection.item)])
        expect(item.variable, item.name).toBeUndefined();
      const keys = (collection.variable ?? []).map((variable) => variable.key);
      expect(keys).toEqual([...new Set(keys)]);
    },
  );

  it.each(all)('$key: declares at collection level every {{variable}} an item URL uses', ({ openApi, facts }) => {
    const collection = exportPostmanCollection(openApi, facts);
    const declared = new Set((collection.variable ?? []).map((variable) => variable.key));
    const used = requestItems(collection.item).flatMap((item) =>
      urlVariables(objectRequest(item)).map((name) => `${item.id}: ${name}`),
    );
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((entry) => !declared.has(entry.split(': ')[1]))).toEqual([]);
  });

  it.each(all)('$key: gives no secret a value', ({ openApi, facts }) => {
    const collection = exportPostmanCollection(openApi, facts);
    const secrets = new Set(
      [...facts.variables, ...Object.values(facts.authentication)]
        .filter(
          (v): v is { key: string; secret: true } =>
            typeof v === 'object' && v !== null && 'secret' in v && v.secret === true,
        )
        .map((v) => v.key),
    );
    expect(secrets.size).toBeGreaterThan(0);
    for (const variable of collection.variable ?? []) {
      if (secrets.has(variable.key!) || /token/.test(variable.key!)) expect(variable.value, variable.key).toBe('');
    }
    expect(credentialLeaks(collection)).toEqual([]);
  });
});

describe("the SparkLayer connector's facts", () => {
  const api = readOpenApi(realOpenApi);

  it('put each multi-record endpoint’s records where openapi.json says they are', () => {
    for (const [operationId, facts] of Object.entries(sparkLayerConnector.endpoints)) {
      if (!facts.returnsMultipleRecords) continue;
      const schema = api.resolve(
        api.operations.find((operation) => operation.operationId === operationId)?.response?.schema,
      ) as {
        type?: string;
        properties?: Record<string, unknown>;
      };
      const records =
        facts.dataPath === null ? schema : (api.resolve(schema.properties?.[facts.dataPath]) as { type?: string });
      expect(records?.type, operationId).toBe('array');
    }
  });

  it('send Site-Id wherever openapi.json asks for it', () => {
    for (const operation of api.operations) {
      expect(
        operation.parameters.header.map((parameter) => parameter.name),
        operation.operationId,
      ).toContain('Site-Id');
    }
  });
});

describe('the build’s connector step', () => {
  async function inTemporaryRoot(run: (root: string) => Promise<void>) {
    const root = await mkdtemp(path.join(tmpdir(), 'connector-exports-'));
    try {
      await run(root);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }

  it('writes the SparkLayer collection and Core-API JSON under dist/connectors', async () => {
    await inTemporaryRoot(async (root) => {
      // Every listed system's document is needed; the SparkLayer pair comes first.
      for (const source of CONNECTOR_SOURCES) {
        await mkdir(path.dirname(path.join(root, source.openApiFile)), { recursive: true });
        await cp(path.join(ROOT, source.openApiFile), path.join(root, source.openApiFile));
      }
      const written = await writeConnectors(root, CONNECTOR_SOURCES);
      const expected = ['sparklayer.postman_collection.json', 'sparklayer.core-api.json'].map((name) =>
        path.join(root, CONNECTORS_DIST_DIR, name),
      );
      expect(written.map((entry) => entry.file).slice(0, 2)).toEqual(expected);
      for (const file of expected) expect(existsSync(file)).toBe(true);
      const collection: unknown = JSON.parse(readFileSync(expected[0]!, 'utf8'));
      expect(postmanCollectionSchema.safeParse(collection).error).toBeUndefined();
      expect(JSON.parse(readFileSync(expected[1]!, 'utf8')).endpoints).toHaveLength(
        readOpenApi(realOpenApi).operations.length,
      );
    });
  });

  it(
    'writes the collection and Core-API JSON of every registered connector, each valid and ' + 'with no credential',
    async () => {
      await inTemporaryRoot(async (root) => {
        for (const source of CONNECTOR_SOURCES) {
          await mkdir(path.dirname(path.join(root, source.openApiFile)), { recursive: true });
          await cp(path.join(ROOT, source.openApiFile), path.join(root, source.openApiFile));
        }
        const written = (await writeConnectors(root, CONNECTOR_SOURCES)).map((entry) => path.basename(entry.file));
        expect(CONNECTOR_SOURCES.map((source) => source.key)).toEqual(
          expect.arrayContaining(['sparklayer', 'netsuite']),
        );
        expect(written).toEqual(
          CONNECTOR_SOURCES.flatMap(({ key }) => [`${key}.postman_collection.json`, `${key}.core-api.json`]),
        );
        for (const { key } of CONNECTOR_SOURCES) {
          const collection: unknown = JSON.parse(
            readFileSync(path.join(root, CONNECTORS_DIST_DIR, `${key}.postman_collection.json`), 'utf8'),
          );
          expect(postmanCollectionSchema.safeParse(collection).error, key).toBeUndefined();
          expect(credentialLeaks(collection), key).toEqual([]);
        }
      });
    },
  );

  it('writes one pair per listed system', async () => {
    await inTemporaryRoot(async (root) => {
      await writeFile(path.join(root, 'widgets.json'), JSON.stringify(inlineOpenApi));
      const written = await writeConnectors(root, [
        { key: 'widgets', openApiFile: 'widgets.json', facts: inlineFacts },
      ]);
      expect(written.map((entry) => path.basename(entry.file))).toEqual([
        'widgets.postman_collection.json',
        'widgets.core-api.json',
      ]);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// NetSuite: OAuth 1.0 (token-based authentication), external-ID paths, SuiteQL.

describe('exports of connectors/netsuite/openapi.json', () => {
  const netsuiteOpenApi: unknown = JSON.parse(
    readFileSync(path.join(ROOT, 'connectors', 'netsuite', 'openapi.json'), 'utf8'),
  );
  const api = readOpenApi(netsuiteOpenApi);
  const collection = exportPostmanCollection(netsuiteOpenApi, netsuiteConnector);
  const requests = requestItems(collection.item);
  const coreApi = exportCoreApiConnector(netsuiteOpenApi, netsuiteConnector);
  const request = (id: string) => objectRequest(requests.find((item) => item.id === id)!);
  const oauth1 = (key: string) => collection.auth?.oauth1?.find((attribute) => attribute.key === key)?.value;

  it('the collection passes the Postman v2.1 structure check', () => {
    expect(postmanCollectionSchema.safeParse(collection).error).toBeUndefined();
  });

  it('has one request and one Core-API endpoint for every operation the pack uses', () => {
    const operations = [
      'createSalesOrder',
      'getSalesOrder',
      'getSalesOrderByExternalId',
      'upsertSalesOrder',
      'createCustomer',
      'getCustomer',
      'getCustomerByExternalId',
      'upsertCustomer',
      'getItemFulfillment',
      'getCreditMemo',
      'getReturnAuthorization',
      'runSuiteQL',
    ];
    expect(api.operations.map((operation) => operation.operationId).sort()).toEqual([...operations].sort());
    expect(requests.map((item) => item.id).sort()).toEqual([...operations].sort());
    expect(coreApi.endpoints).toHaveLength(operations.length);
    expect(collection.item.map((folder) => folder.name)).toEqual([
      'salesOrder',
      'customer',
      'itemFulfillment',
      'creditMemo',
      'returnAuthorization',
      'query',
    ]);
  });

  it(
    'authenticates with Postman’s OAuth 1.0 helper: HMAC-SHA256, the realm, credentials as variables, in ' +
      'the header',
    () => {
      expect(collection.auth?.type).toBe('oauth1');
      expect(oauth1('signatureMethod')).toBe('HMAC-SHA256');
      expect(oauth1('realm')).toBe('{{realm}}');
      expect(oauth1('consumerKey')).toBe('{{consumer_key}}');
      expect(oauth1('consumerSecret')).toBe('{{consumer_secret}}');
      expect(oauth1('token')).toBe('{{token_id}}');
      expect(oauth1('tokenSecret')).toBe('{{token_secret}}');
      expect(oauth1('version')).toBe('1.0');
      expect(oauth1('addParamsToHeader')).toBe(true);
      for (const item of requests) expect(objectRequest(item).auth, item.id).toBeUndefined();
    },
  );

  it('declares base_url, realm, the four credentials and the eid: path parameter, the secrets empty', () => {
    const values = Object.fromEntries((collection.variable ?? []).map((variable) => [variable.key, variable.value]));
    expect(Object.keys(values)).toEqual([
      'base_url',
      'realm',
      'consumer_key',
      'consumer_secret',
      'token_id',
      'token_secret',
      'externalId',
    ]);
    for (const key of ['consumer_key', 'consumer_secret', 'token_id', 'token_secret'])
      expect(values[key], key).toBe('');
  });

  it(
    'writes eid: paths with {{externalId}} (Postman reads :name only as a whole segment) and declares it ' +
      'once, at collection level',
    () => {
      const upsert = requests.find((item) => item.id === 'upsertSalesOrder')!;
      const url = objectRequest(upsert).url;
      if (typeof url !== 'object') throw new Error('url should be an object');
      // replace is required (the flow sets it); Postman shows it empty, for whoever tries the request to fill in.
      expect(url.raw).toBe('{{base_url}}/record/v1/salesOrder/eid:{{externalId}}?replace=');
      expect(url.variable).toEqual([]);
      // Postman drops a request item's `variable` when it loads the collection.
      expect(upsert.variable).toBeUndefined();
      const externalIds = (collection.variable ?? []).filter((variable) => variable.key === 'externalId');
      expect(externalIds).toEqual([
        {
          key: 'externalId',
          value: '',
          type: 'string',
          description: expect.stringMatching(/^The record's external ID: .* e\.g\. sl-1001$/),
        },
      ]);
      expect(url.query?.map((parameter) => [parameter.key, parameter.disabled])).toEqual([['replace', false]]);
      const byId = request('getSalesOrder').url;
      if (typeof byId !== 'object') throw new Error('url should be an object');
      expect(byId.raw).toBe('{{base_url}}/record/v1/salesOrder/:id');
      expect(byId.variable?.map((variable) => variable.key)).toEqual(['id']);
    },
  );

  it('sends SuiteQL with Prefer: transient and the query in q, paged by limit and offset', () => {
    const suiteql = request('runSuiteQL');
    expect(suiteql.method).toBe('POST');
    expect(suiteql.header).toContainEqual(
      expect.objectContaining({ key: 'Prefer', value: 'transient', disabled: false }),
    );
    expect(JSON.parse(suiteql.body?.raw ?? '')).toEqual({
      q: 'SELECT id, entityid, companyname FROM customer ORDER BY id',
    });
    const url = suiteql.url;
    if (typeof url !== 'object') throw new Error('url should be an object');
    expect(url.query?.map((parameter) => parameter.key)).toEqual(['limit', 'offset']);
  });

  it('holds no credential anywhere, in either output', () => {
    expect(credentialLeaks(collection)).toEqual([]);
    expect(credentialLeaks(coreApi)).toEqual([]);
  });

  it(
    'gives the Core-API authentication as OAuth 1: no token request, the signature method, the realm and ' +
      'empty secrets',
    () => {
      const [authentication] = coreApi.authentication_implementations;
      expect(authentication).toMatchObject({
        authentication_type: 'OAuth 1',
        authentication_type_id: null,
        endpoint: null,
        body_format: 'none',
      });
      const byKey = new Map(authentication?.variables.map((variable) => [variable.key, variable]));
      expect(byKey.get('signature_method')?.value).toBe('HMAC-SHA256');
      expect(byKey.get('oauth_realm')?.value).toBe('{{realm}}');
      for (const key of ['consumer_key', 'consumer_secret', 'token_id', 'token_secret'])
        expect(byKey.get(key), key).toMatchObject({ secret: true, value: null });
    },
  );

  it('gives Core-API endpoints with {{variables}} in eid: paths, and SuiteQL as a paged multi-record endpoint', () => {
    const endpoint = (name: string) =>
      coreApi.endpoints.find(
        (candidate) => candidate.name === api.operations.find((op) => op.operationId === name)?.name,
      );
    // replace is required, so it is in the URL and the flow must set it: NetSuite appends sublist lines it does not
    // name.
    expect(endpoint('upsertSalesOrder')).toMatchObject({
      endpoint: '{{base_url}}/record/v1/salesOrder/eid:{{externalId}}?replace={{replace}}',
      http_method: 'PUT',
      direction: 'Send',
    });
    expect(endpoint('upsertSalesOrder')!.variables.find((v) => v.key === 'replace')).toMatchObject({
      value: null,
      pivot: { required: true },
    });
    expect(endpoint('runSuiteQL')).toMatchObject({
      returns_multiple_records: true,
      data_path: 'items',
      pagination_method: 'Limit offset',
      direction: 'Receive',
    });
    expect(endpoint('getCustomerByExternalId')).toMatchObject({
      endpoint: '{{base_url}}/record/v1/customer/eid:{{externalId}}',
      direction: 'Receive',
    });
  });

  it(
    'exports SuiteQL as a Receive that sends the flow payload (the query) as its body, its schema the page read, ' +
      'and Prefer: transient on the authentication (Patchworks has no endpoint headers)',
    () => {
      const suiteql = coreApi.endpoints.find(
        (candidate) => candidate.name === api.operations.find((op) => op.operationId === 'runSuiteQL')?.name,
      )!;
      expect(suiteql).toMatchObject({ http_method: 'POST', direction: 'Receive', body_format: 'raw', raw_body: '' });
      expect(Object.keys(JSON.parse(suiteql.schema ?? '{}') as object)).toEqual(
        expect.arrayContaining(['items', 'hasMore']),
      );
      expect(suiteql.variables.map((variable) => variable.key)).toEqual(['limit', 'offset']);
      expect(suiteql).not.toHaveProperty('headers');
      expect(coreApi.authentication_implementations[0]?.headers).toEqual([{ key: 'Prefer', value: 'transient' }]);
      // Every other write stays a Send.
      for (const operation of api.operations.filter((op) => op.method !== 'GET' && op.operationId !== 'runSuiteQL'))
        expect(coreApi.endpoints.find((e) => e.name === operation.name)?.direction, operation.operationId).toBe('Send');
      // Postman has request headers: Prefer goes on the SuiteQL request only, once.
      const suiteqlHeaders = request('runSuiteQL').header;
      if (!Array.isArray(suiteqlHeaders)) throw new Error('headers should be a list');
      expect(suiteqlHeaders.filter((header) => header.key === 'Prefer')).toHaveLength(1);
      expect(request('getCustomer').header ?? []).not.toContainEqual(expect.objectContaining({ key: 'Prefer' }));
    },
  );

  it('refuses facts whose endpoint headers contradict the document, or each other', () => {
    const withHeaders = (headers: Record<string, Record<string, string>>) => ({
      ...netsuiteConnector,
      endpoints: Object.fromEntries(
        Object.entries(headers).map(([operationId, header]) => [
          operationId,
          { returnsMultipleRecords: false, dataPath: null, paginationMethod: null, headers: header },
        ]),
      ),
    });
    expect(() =>
      exportCoreApiConnector(netsuiteOpenApi, withHeaders({ runSuiteQL: { Prefer: 'respond-async' } })),
    ).toThrow(/runSuiteQL the header Prefer: respond-async, where the OpenAPI document gives transient/);
    expect(() =>
      exportCoreApiConnector(netsuiteOpenApi, withHeaders({ runSuiteQL: { 'X-A': '1' }, getCustomer: { 'X-A': '2' } })),
    ).toThrow(/Patchworks sends one set of headers on every endpoint/);
  });
});
