// The R-Series connector definition `npm run build` writes: a Postman collection that passes the v2.1 structure check
// and a Core-API JSON, OAuth 2 authorization code with Lightspeed's authorize and token URLs, the token request on
// Lightspeed's authorization server, every list endpoint paged by its next URL, and no credential anywhere.
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lightspeedRConnector } from '../../../../connectors/lightspeed-r/dev/patchworks-connector.js';
import { readOpenApi } from '../../../../contracts/connector-source.js';
import { exportCoreApiConnector } from '../../../../patchworks/exporters/core-api.js';
import {
  postmanCollectionSchema,
  type PostmanFolder,
  type PostmanRequestItem,
} from '../../../../patchworks/exporters/postman-collection-schema.js';
import { exportPostmanCollection } from '../../../../patchworks/exporters/postman.js';
import {
  CONNECTOR_SOURCES,
  CONNECTORS_DIST_DIR,
  writeConnectors,
} from '../../../../patchworks/exporters/write-connectors.js';
import { ROOT } from '../../../support/steps.js';

const openApi: unknown = JSON.parse(readFileSync(path.join(ROOT, 'connectors/lightspeed-r/openapi.json'), 'utf8'));
const api = readOpenApi(openApi);
const collection = postmanCollectionSchema.parse(exportPostmanCollection(openApi, lightspeedRConnector));
const core = exportCoreApiConnector(openApi, lightspeedRConnector);

function requests(items: Array<PostmanRequestItem | PostmanFolder>): PostmanRequestItem[] {
  return items.flatMap((item) => ('request' in item ? [item] : requests(item.item)));
}

/** Values under credential-like keys that are neither empty nor a {{variable}}, and token-like strings anywhere. */
function leaks(output: unknown): string[] {
  const found: string[] = [];
  const sensitive = /secret|password|api_?key|client_?id|(^|_)(access_|refresh_)?token$|^accessToken$/i;
  const placeholder = (value: unknown) =>
    value === '' || value === null || (typeof value === 'string' && /^\{\{\w+\}\}$/.test(value));
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
    if (typeof node !== 'string') return;
    if (/^\s*[[{]/.test(node)) {
      try {
        visit(JSON.parse(node), `${where}(json)`);
      } catch {
        // plain text
      }
    }
    if (/eyJ[\w-]{8,}\.[\w-]{8,}|Bearer\s+(?!\{\{)[\w.~+/-]{8,}/.test(node))
      found.push(`${where}: ${node.slice(0, 60)}`);
  };
  visit(output, '$');
  return found;
}

describe('connectors/lightspeed-r/openapi.json', () => {
  it('has every operation the pack calls', () => {
    expect(api.operations.map((op) => `${op.method} ${op.path} ${op.operationId}`).sort()).toEqual(
      [
        'POST /auth/oauth/token getAccessToken',
        'GET /API/V3/Account.json listAccounts',
        'GET /API/V3/Account/{account_id}/Sale.json listSales',
        'POST /API/V3/Account/{account_id}/Sale.json createSale',
        'GET /API/V3/Account/{account_id}/Sale/{saleID}.json getSale',
        'PUT /API/V3/Account/{account_id}/Sale/{saleID}.json updateSale',
        'GET /API/V3/Account/{account_id}/Customer.json listCustomers',
        'POST /API/V3/Account/{account_id}/Customer.json createCustomer',
        'GET /API/V3/Account/{account_id}/Customer/{customerID}.json getCustomer',
        'PUT /API/V3/Account/{account_id}/Customer/{customerID}.json updateCustomer',
        'GET /API/V3/Account/{account_id}/CustomerType.json listCustomerTypes',
        'GET /API/V3/Account/{account_id}/Item.json listItems',
        'PUT /API/V3/Account/{account_id}/Item/{itemID}.json updateItem',
        'GET /API/V3/Account/{account_id}/ItemMatrix/{itemMatrixID}.json getItemMatrix',
        'GET /API/V3/Account/{account_id}/PriceLevel.json listPriceLevels',
        'GET /API/V3/Account/{account_id}/ItemShop.json listItemShops',
        'GET /API/V3/Account/{account_id}/TaxCategory.json listTaxCategories',
        'GET /API/V3/Account/{account_id}/PaymentType.json listPaymentTypes',
      ].sort(),
    );
  });

  it("cites Lightspeed's developer pages for every operation", () => {
    for (const op of api.operations)
      expect(op.helpLink, op.operationId).toMatch(/^https:\/\/developers\.lightspeedhq\.com\/retail\//);
  });
});

describe('exports of the R-Series connector', () => {
  it("authenticate with OAuth 2 authorization code at Lightspeed, the redirect URI Patchworks' own", () => {
    const value = (key: string) => collection.auth?.oauth2?.find((a) => a.key === key)?.value;
    expect(value('grant_type')).toBe('authorization_code');
    expect(value('authUrl')).toBe('https://cloud.lightspeedapp.com/auth/oauth/authorize');
    expect(value('accessTokenUrl')).toBe('https://cloud.lightspeedapp.com/auth/oauth/token');
    expect(value('redirect_uri')).toBe('https://app.wearepatchworks.com/oauth/authenticate');
    expect(value('clientSecret')).toBe('{{client_secret}}');
    expect(collection.info.description).toMatch(/Refresh tokens rotate/);
  });

  it(
    "send the token request to Lightspeed's authorization server, without a token, and every other request " +
      'to {{base_url}}',
    () => {
      const all = requests(collection.item);
      const token = all.find((item) => item.id === 'getAccessToken')!;
      expect(typeof token.request === 'string' ? token.request : token.request.url).toMatchObject({
        raw: 'https://cloud.lightspeedapp.com/auth/oauth/token',
      });
      expect(typeof token.request !== 'string' && token.request.auth).toEqual({ type: 'noauth' });
      for (const item of all.filter((i) => i.id !== 'getAccessToken')) {
        if (typeof item.request === 'string') throw new Error('bare URL');
        expect(typeof item.request.url === 'string' ? item.request.url : item.request.url?.raw, item.id).toMatch(
          /^\{\{base_url\}\}\/API\/V3\//,
        );
      }
      expect(core.endpoints.find((e) => e.name === 'Get or refresh an access token')?.endpoint).toBe(
        'https://cloud.lightspeedapp.com/auth/oauth/token',
      );
    },
  );

  it(
    "declare base_url (with Lightspeed's host), account_id, the client credentials empty, and the IDs " +
      'inside path segments',
    () => {
      expect(collection.variable?.map((v) => [v.key, v.value])).toEqual([
        ['base_url', 'https://api.lightspeedapp.com'],
        ['account_id', ''],
        ['client_id', ''],
        ['client_secret', ''],
        // Sale/{{saleID}}.json: not a whole segment, so not a :path variable; at collection level, as Postman keeps no
        // item's.
        ['saleID', ''],
        ['customerID', ''],
        ['itemID', ''],
        ['itemMatrixID', ''],
      ]);
      expect(collection.variable?.find((v) => v.key === 'saleID')?.description).toBe('The sale.');
      for (const item of requests(collection.item)) expect(item.variable, item.id).toBeUndefined();
    },
  );

  it('give Core API one endpoint per operation, lists paged by their next URL under the resource name', () => {
    expect(core.endpoints).toHaveLength(api.operations.length);
    expect(core.endpoints.find((e) => e.endpoint.endsWith('/Item.json'))).toMatchObject({
      returns_multiple_records: true,
      data_path: 'Item',
      pagination_method: 'Next Page URL',
      direction: 'Receive',
    });
    expect(core.endpoints.find((e) => e.http_method === 'POST' && e.endpoint.endsWith('/Sale.json'))).toMatchObject({
      direction: 'Send',
      endpoint: '{{base_url}}/API/V3/Account/{{account_id}}/Sale.json',
    });
    expect(core.authentication_implementations[0]).toMatchObject({
      authentication_type: 'OAuth 2 authorisation code',
      endpoint: 'https://cloud.lightspeedapp.com/auth/oauth/token',
      body_format: 'raw',
    });
    expect(core.system).toMatchObject({ system_type: 'POS', rate_limit_unit: 'minute', rate_limit_duration: 60 });
  });

  it('hold no credential anywhere, in either output', () => {
    expect(leaks(collection)).toEqual([]);
    expect(leaks(core)).toEqual([]);
  });

  it("are written by the build beside the other systems'", async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'lightspeed-r-exports-'));
    try {
      for (const source of CONNECTOR_SOURCES) {
        await mkdir(path.dirname(path.join(root, source.openApiFile)), { recursive: true });
        await cp(path.join(ROOT, source.openApiFile), path.join(root, source.openApiFile));
      }
      const written = (await writeConnectors(root, CONNECTOR_SOURCES)).map((entry) => path.basename(entry.file));
      expect(written).toContain('lightspeed-r.postman_collection.json');
      expect(written).toContain('lightspeed-r.core-api.json');
      const text = await readFile(path.join(root, CONNECTORS_DIST_DIR, 'lightspeed-r.postman_collection.json'), 'utf8');
      expect(postmanCollectionSchema.safeParse(JSON.parse(text)).error).toBeUndefined();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("leave the other systems' operations on their base URL (no operation of theirs names a server of its own)", () => {
    for (const source of CONNECTOR_SOURCES.filter((s) => s.key !== 'lightspeed-r')) {
      const document: unknown = JSON.parse(readFileSync(path.join(ROOT, source.openApiFile), 'utf8'));
      expect(
        readOpenApi(document)
          .operations.filter((op) => op.server !== undefined)
          .map((op) => op.operationId),
        source.key,
      ).toEqual([]);
    }
  });
});
