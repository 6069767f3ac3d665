// Every connector's openapi.d.ts is what `npm run gen:types` makes from its openapi.json today, and the SparkLayer
// document carries every operation the pack calls, under the operationIds the client and docs use.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { genTypes, listSpecs } from '../../../patchworks/build/gen-types.js';
import { ROOT } from '../../support/steps.js';

const specs = await listSpecs(ROOT);

describe('generated OpenAPI types', () => {
  it('exist for at least the SparkLayer connector', () => {
    expect(specs.map((s) => s.system)).toContain('sparklayer');
  });

  it.each(specs.map((s) => [s.types, s] as const))('%s is up to date with its openapi.json', async (_, spec) => {
    const [generated] = (await genTypes(ROOT, { write: false })).filter((g) => g.system === spec.system);
    const onDisk = await readFile(path.join(ROOT, spec.types), 'utf8').catch(() => undefined);
    expect(onDisk, `${spec.types} is missing: run npm run gen:types`).toBeDefined();
    expect(
      onDisk === generated?.text,
      `${spec.types} is stale: it is not what ${spec.spec} generates; run npm run gen:types`,
    ).toBe(true);
  });

  it('are deterministic: generating twice gives the same text', async () => {
    const [first, second] = await Promise.all([genTypes(ROOT, { write: false }), genTypes(ROOT, { write: false })]);
    expect(second.map((g) => g.text)).toEqual(first.map((g) => g.text));
  });
});

/** The SparkLayer operations the pack calls: method, path, operationId. */
const SPARKLAYER_OPERATIONS = [
  ['post', '/api/auth/token', 'getAccessToken'],
  ['get', '/api/v1/purchases', 'getPurchases'],
  ['get', '/api/v1/purchases/{lookupBy}/{identifier}', 'getPurchase'],
  ['put', '/api/v1/purchases/{lookupBy}/{identifier}', 'createUpdatePurchase'],
  ['get', '/api/v1/purchases/{lookupBy}/{identifier}/transactions', 'getTransactions'],
  ['put', '/api/v1/purchases/{lookupBy}/{identifier}/transactions', 'createTransaction'],
  ['get', '/api/v2/customers/{lookupBy}/{identifier}', 'getCustomer'],
  ['put', '/api/v2/customers/{lookupBy}/{identifier}', 'upsertCustomer'],
  ['post', '/api/v2/customers/{lookupBy}/{identifier}/credit', 'createCustomerCreditAdjustment'],
  ['get', '/api/v2/price-lists', 'getPriceLists'],
  ['post', '/api/v1/price-lists', 'createPriceList'],
  ['get', '/api/v1/price-lists/{slug}/pricing', 'getPriceListPricingData'],
  ['patch', '/api/v1/price-lists/{slug}/pricing', 'updatePriceListPricing'],
  ['patch', '/api/v1/batch-update-pricing', 'updateMultiplePriceListPricing'],
  ['post', '/api/v1/batch-update-stock', 'updateBatchStock'],
  ['get', '/api/v1/sync-log/{integration}/{data_type}', 'getSyncLog'],
  ['put', '/api/v1/sync-log/{integration}/{data_type}', 'updateSyncLog'],
] as const;

interface Operation {
  operationId?: string;
  security?: unknown[];
  parameters?: Array<{ $ref?: string; name?: string; in?: string }>;
}
interface Document {
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { parameters: Record<string, { name: string; in: string; required?: boolean }> };
}

const sparklayer = JSON.parse(
  await readFile(path.join(ROOT, 'connectors/sparklayer/openapi.json'), 'utf8'),
) as Document;
const operation = (method: string, route: string) => sparklayer.paths[route]?.[method];

describe('connectors/sparklayer/openapi.json', () => {
  it.each(SPARKLAYER_OPERATIONS)('has %s %s as %s', (method, route, operationId) => {
    expect(operation(method, route)?.operationId).toBe(operationId);
  });

  it('has no operationId twice', () => {
    const ids = Object.values(sparklayer.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('serves live and test', () => {
    expect(sparklayer.servers.map((s) => s.url)).toEqual([
      'https://app.sparklayer.io',
      'https://test.app.sparklayer.io',
    ]);
  });

  it('sends the required Site-Id header, a reusable parameter, on every operation', () => {
    const siteId = sparklayer.components.parameters.SiteId;
    expect(siteId).toMatchObject({ name: 'Site-Id', in: 'header', required: true });
    for (const [method, route] of SPARKLAYER_OPERATIONS) {
      expect(
        operation(method, route)?.parameters?.map((p) => p.$ref),
        `${method} ${route}`,
      ).toContain('#/components/parameters/SiteId');
    }
  });

  it('needs no bearer token for the token call only', () => {
    for (const [method, route, operationId] of SPARKLAYER_OPERATIONS) {
      expect(operation(method, route)?.security, operationId).toEqual(
        operationId === 'getAccessToken' ? [] : undefined,
      );
    }
  });
});
