// connectors/lightspeed-x/openapi.json: the operations the pack calls, under Lightspeed's operationIds; and its exports
// as a Postman collection and Core-API JSON: OAuth 2 authorization code with Patchworks' redirect URI, the form-encoded
// token request, one request per operation, and no credential anywhere.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lightspeedXConnector } from '../../../../connectors/lightspeed-x/dev/patchworks-connector.js';
import { readOpenApi } from '../../../../contracts/connector-source.js';
import { exportCoreApiConnector } from '../../../../patchworks/exporters/core-api.js';
import {
  postmanCollectionSchema,
  type PostmanFolder,
  type PostmanRequestItem,
} from '../../../../patchworks/exporters/postman-collection-schema.js';
import { exportPostmanCollection } from '../../../../patchworks/exporters/postman.js';
import { CONNECTOR_SOURCES } from '../../../../patchworks/exporters/write-connectors.js';
import { ROOT } from '../../../support/steps.js';

const openApi: unknown = JSON.parse(
  readFileSync(path.join(ROOT, 'connectors', 'lightspeed-x', 'openapi.json'), 'utf8'),
);
const document = openApi as {
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, { operationId?: string; security?: unknown[] }>>;
};

/** The operations the client calls: method, path, Lightspeed's operationId. */
const OPERATIONS = [
  ['post', '/1.0/token', 'RefreshAccessToken'],
  ['post', '/2026-07/sales', 'CreateSale'],
  ['get', '/2026-07/sales/{sale_id}', 'GetSaleByID'],
  ['put', '/2026-07/sales/{sale_id}', 'UpdateSale'],
  ['get', '/2026-07/customers', 'ListCustomers'],
  ['post', '/2026-07/customers', 'CreateCustomer'],
  ['get', '/2026-07/customers/{customer_id}', 'GetCustomerByID'],
  ['get', '/2026-07/customer_groups', 'ListCustomerGroups'],
  ['get', '/2026-07/products', 'ListProducts'],
  ['get', '/2026-07/price_books', 'ListPriceBooksV3'],
  ['get', '/2026-07/price_book_products', 'ListPriceBookProducts'],
  ['post', '/2026-07/price_books', 'CreatePriceBookV3'],
  ['put', '/2026-07/price_books/{id}', 'UpdatePriceBookV3'],
  ['post', '/2026-07/price_books/{price_book_id}/products', 'AddPriceBookProducts'],
  ['patch', '/2026-07/price_books/{price_book_id}/products', 'UpdatePriceBookProducts'],
  ['delete', '/2026-07/price_books/{price_book_id}/products', 'DeletePriceBookProducts'],
  ['get', '/2026-07/search', 'Search'],
  ['post', '/2026-07/inventory_levels', 'ListInventoryLevels'],
  ['post', '/2026-07/inventory', 'ListInventoryRecords'],
] as const;

function requestItems(items: Array<PostmanRequestItem | PostmanFolder>): PostmanRequestItem[] {
  return items.flatMap((item) => ('request' in item ? [item] : requestItems(item.item)));
}

/** Values that look like credentials: a sensitive key with a value, a bearer token, a long mixed-case key. */
function leaks(output: unknown): string[] {
  const found: string[] = [];
  const sensitive = /secret|password|client_?id|(^|_)(access_|refresh_)?token$|^accessToken$/i;
  const placeholder = (v: unknown) => v === '' || v === null || (typeof v === 'string' && /^\{\{\w+\}\}$/.test(v));
  const visit = (node: unknown, where: string): void => {
    if (Array.isArray(node)) return node.forEach((child, i) => visit(child, `${where}[${i}]`));
    if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.key === 'string' && sensitive.test(record.key) && !placeholder(record.value))
        found.push(`${where}: ${record.key}`);
      for (const [key, value] of Object.entries(record)) {
        if (sensitive.test(key) && typeof value === 'string' && !placeholder(value)) found.push(`${where}.${key}`);
        visit(value, `${where}.${key}`);
      }
      return;
    }
    if (typeof node === 'string' && /^\s*[[{]/.test(node)) {
      try {
        visit(JSON.parse(node), `${where}(json)`);
      } catch {
        // plain text
      }
    }
    if (
      typeof node === 'string' &&
      (/Bearer\s+(?!\{\{)[\w.~+/-]{8,}/.test(node) ||
        /\b(?=[\w-]*\d)(?=[\w-]*[a-z])(?=[\w-]*[A-Z])[\w-]{20,}\b/.test(node))
    ) {
      found.push(`${where}: ${node.slice(0, 40)}`);
    }
  };
  visit(output, '$');
  return found;
}

describe('connectors/lightspeed-x/openapi.json', () => {
  it.each(OPERATIONS)('has %s %s as %s', (method, route, operationId) => {
    expect(document.paths[route]?.[method]?.operationId).toBe(operationId);
  });

  it('serves the retailer’s host with /api, and asks no bearer token of the token request only', () => {
    expect(document.servers.map((s) => s.url)).toEqual(['https://{domain_prefix}.retail.lightspeed.app/api']);
    for (const [method, route, operationId] of OPERATIONS)
      expect(document.paths[route]?.[method]?.security, operationId).toEqual(
        operationId === 'RefreshAccessToken' ? [] : undefined,
      );
  });

  it('cites Lightspeed in every description that states a fact about the API', () => {
    const text = JSON.stringify(openApi);
    for (const url of [
      'https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml',
      'https://x-series-api.lightspeedhq.com/docs/rate_limiting',
      'https://x-series-api.lightspeedhq.com/changelog/2025-03-refresh-token-flow-update',
      'https://x-series-api.lightspeedhq.com/docs/sales_101_date_versioned',
      'https://x-series-api.lightspeedhq.com/docs/sales_states_and_attributes',
    ]) {
      expect(text).toContain(url);
    }
  });
});

describe('exports of the Lightspeed X-Series connector', () => {
  const api = readOpenApi(openApi);
  const collection = exportPostmanCollection(openApi, lightspeedXConnector);
  const coreApi = exportCoreApiConnector(openApi, lightspeedXConnector);
  const items = requestItems(collection.item);

  it('is written by the build beside the other connectors', () => {
    expect(CONNECTOR_SOURCES.find((s) => s.key === 'lightspeed-x')).toMatchObject({
      openApiFile: path.join('connectors', 'lightspeed-x', 'openapi.json'),
    });
  });

  it('passes the Postman v2.1 structure check, one request and one Core-API endpoint per operation', () => {
    expect(postmanCollectionSchema.safeParse(collection).error).toBeUndefined();
    expect(items.map((i) => i.id).sort()).toEqual(api.operations.map((o) => o.operationId).sort());
    expect(coreApi.endpoints).toHaveLength(api.operations.length);
  });

  it(
    'authenticates with Postman’s OAuth 2 authorization code helper: the authorize page, the token URL, ' +
      'Patchworks’ redirect URI',
    () => {
      const attribute = (key: string) => collection.auth?.oauth2?.find((a) => a.key === key)?.value;
      expect(collection.auth?.type).toBe('oauth2');
      expect(attribute('grant_type')).toBe('authorization_code');
      expect(attribute('authUrl')).toBe('https://secure.retail.lightspeed.app/connect');
      expect(attribute('accessTokenUrl')).toBe('https://{{domain_prefix}}.retail.lightspeed.app/api/1.0/token');
      expect(attribute('redirect_uri')).toBe('https://app.wearepatchworks.com/oauth/authenticate');
      expect([attribute('clientId'), attribute('clientSecret')]).toEqual(['{{client_id}}', '{{client_secret}}']);
      expect(collection.info.description).toContain('Refresh tokens rotate');
    },
  );

  it('sends the token request form-encoded, without a token, and every other request under {{domain_prefix}}', () => {
    const token = items.find((i) => i.id === 'RefreshAccessToken')!;
    const request = token.request as Exclude<PostmanRequestItem['request'], string>;
    expect(request.auth).toEqual({ type: 'noauth' });
    expect(request.body).toEqual({
      mode: 'urlencoded',
      urlencoded: [
        { key: 'grant_type', value: 'refresh_token', type: 'text' },
        { key: 'refresh_token', value: '', type: 'text' },
        { key: 'client_id', value: '{{client_id}}', type: 'text' },
        { key: 'client_secret', value: '{{client_secret}}', type: 'text' },
      ],
    });
    for (const item of items) {
      const url = (item.request as Exclude<PostmanRequestItem['request'], string>).url;
      expect(typeof url === 'string' ? url : url?.raw).toMatch(
        /^https:\/\/\{\{domain_prefix\}\}\.retail\.lightspeed\.app\/api\/(2026-07|1\.0)\//,
      );
    }
  });

  it('declares domain_prefix and the two credentials, the secrets empty', () => {
    expect(collection.variable?.map((v) => [v.key, v.value])).toEqual([
      ['domain_prefix', ''],
      ['client_id', ''],
      ['client_secret', ''],
    ]);
  });

  it(
    'gives the Core-API authentication as an authorization code implementation with the token URL and ' +
      'empty secrets',
    () => {
      const [auth] = coreApi.authentication_implementations;
      expect(auth).toMatchObject({
        authentication_type: 'OAuth 2 authorisation code',
        endpoint: 'https://{{domain_prefix}}.retail.lightspeed.app/api/1.0/token',
        body_format: 'form-data',
      });
      const values = Object.fromEntries(auth!.variables.map((v) => [v.key, v.value]));
      expect(values).toMatchObject({
        authorization_code_grant_type: 'authorization_code',
        redirect_uri: 'https://app.wearepatchworks.com/oauth/authenticate',
        refresh_token_rotates: 'true',
        client_id: null,
        client_secret: null,
      });
      expect(coreApi.system).toMatchObject({ system_type: 'POS', rate_limit_unit: 'minute', rate_limit_duration: 70 });
      expect(coreApi.endpoints.find((e) => e.name === 'Search for resources')).toMatchObject({
        returns_multiple_records: true,
        data_path: 'data',
        pagination_method: 'Limit offset',
      });
    },
  );

  it('holds no credential anywhere, in either output', () => {
    expect(leaks(collection)).toEqual([]);
    expect(leaks(coreApi)).toEqual([]);
  });
});
