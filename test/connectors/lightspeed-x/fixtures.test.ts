// Every X-Series fixture parses with the schema of the endpoint it stands for, says where it came from (Lightspeed's
// documentation or its official OpenAPI document, or another fixture), holds no credential, and holds the cases the
// client, the mapper and the sandbox rely on.
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import {
  customerCollectionSchema,
  customerGroupCollectionSchema,
  customerResponseSchema,
  errorBodySchema,
  inventoryLevelsSchema,
  inventoryRecordsSchema,
  isArchived,
  priceBookCollectionSchema,
  priceBookProductCollectionSchema,
  productSchema,
  saleRequestSchema,
  saleResponseSchema,
  searchResponseSchema,
  tokenResponseSchema,
} from '../../../connectors/lightspeed-x/schemas.js';
import { loadFixtures } from '../../../contracts/fixtures.js';
import { ROOT } from '../../support/steps.js';

const productResponseSchema = customerResponseSchema.extend({ data: productSchema });
const FIXTURE_SCHEMAS: Record<string, z.ZodType> = {
  'fixtures/lightspeed-x/auth/token.refresh.json': tokenResponseSchema,
  'fixtures/lightspeed-x/customers/list.json': customerCollectionSchema,
  'fixtures/lightspeed-x/customers/get.json': customerResponseSchema,
  'fixtures/lightspeed-x/customers/create.json': customerResponseSchema,
  'fixtures/lightspeed-x/customer-groups/list.json': customerGroupCollectionSchema,
  'fixtures/lightspeed-x/products/list.json': customerCollectionSchema.extend({ data: productSchema.array() }),
  'fixtures/lightspeed-x/products/get.variant-parent.json': productResponseSchema,
  'fixtures/lightspeed-x/products/get.variant-child.json': productResponseSchema,
  'fixtures/lightspeed-x/products/search.variants-and-deleted.json': searchResponseSchema.extend({
    data: productSchema.array(),
  }),
  'fixtures/lightspeed-x/price-books/list.json': priceBookCollectionSchema,
  'fixtures/lightspeed-x/price-books/products.json': priceBookProductCollectionSchema,
  'fixtures/lightspeed-x/inventory/levels.json': inventoryLevelsSchema,
  'fixtures/lightspeed-x/inventory/records.json': inventoryRecordsSchema,
  'fixtures/lightspeed-x/sales/return.response.json': saleResponseSchema,
  'fixtures/lightspeed-x/fulfilments/sale.booked-closed.json': saleResponseSchema,
  'fixtures/lightspeed-x/fulfilments/sale.closed-delivery.json': saleResponseSchema,
  'fixtures/lightspeed-x/fulfilments/sale.partial-return.json': saleResponseSchema,
  'fixtures/lightspeed-x/sales/create.request.minimal.json': saleRequestSchema,
  'fixtures/lightspeed-x/errors/429.rate-limited.json': errorBodySchema,
};

const fixtures = (await loadFixtures(ROOT, 'lightspeed-x')).map((f) => ({ ...f, file: f.file.split('\\').join('/') }));
const body = (file: string) =>
  fixtures.find((f) => f.file === `fixtures/lightspeed-x/${file}`)?.body as Record<string, unknown>;

describe('Lightspeed X-Series fixtures', () => {
  it.each(fixtures.map((f) => [f.file, f] as const))('%s parses with its endpoint schema', (file, fixture) => {
    const schema = FIXTURE_SCHEMAS[file];
    expect(schema, `${file} has no schema in FIXTURE_SCHEMAS`).toBeDefined();
    const parsed = schema!.safeParse(fixture.body);
    expect(parsed.error, parsed.error?.message).toBeUndefined();
  });

  it('include every fixture the schema map names', () => {
    expect(fixtures.map((f) => f.file).sort()).toEqual(Object.keys(FIXTURE_SCHEMAS).sort());
  });

  it(
    'cite Lightspeed’s documentation or official OpenAPI document first, ' + 'or are derived from fixtures that do',
    () => {
      for (const { file, provenance } of fixtures) {
        if (provenance.origin === 'derived') {
          for (const from of provenance.from) expect(from).toMatch(/^fixtures\/lightspeed-x\//);
          continue;
        }
        expect(provenance.origin, file).toBe('vendor-docs');
        if (provenance.origin !== 'vendor-docs') continue;
        expect(provenance.sources[0]?.url, file).toMatch(/^https:\/\/x-series-api\.lightspeedhq\.com\//);
        for (const source of provenance.sources)
          expect(source.url, file).toMatch(
            /^https:\/\/(x-series-api\.lightspeedhq\.com|github\.com\/api-evangelist\/lightspeed)\//,
          );
      }
    },
  );

  it('hold no token or secret', () => {
    const token = tokenResponseSchema.parse(body('auth/token.refresh.json'));
    expect(token.access_token).toBe('example-access-token');
    const text = JSON.stringify(fixtures.map((f) => f.body));
    expect(text).not.toMatch(/KD7gspXvfAmOsspC65YDqqJQ6FcAYbRROc4zPIMZ/);
    expect(text).not.toMatch(/"client_secret"/);
  });

  it('give a variant family (parent and children), a deleted product, and stock at two outlets, one negative', () => {
    expect(productSchema.parse((body('products/get.variant-parent.json') as { data: unknown }).data).has_variants).toBe(
      true,
    );
    const found = (body('products/search.variants-and-deleted.json') as { data: unknown[] }).data.map((p) =>
      productSchema.parse(p),
    );
    expect(found.filter((p) => p.variant_parent_id === 'b8ca3a65-0183-11e4-fbb5-7988a6ed80f8')).toHaveLength(2);
    expect(found.filter(isArchived).map((p) => p.sku)).toEqual(['0005']);
    const levels = inventoryLevelsSchema
      .parse(body('inventory/levels.json'))
      .filter((l) => l.product_id === 'b8ca3a65-0183-11e4-fbb5-9776c5cd0240');
    expect(levels.map((l) => l.current_inventory_level)).toEqual([21, -3]);
  });

  it('give the documented rate-limit body, and customers with and without an on-account limit', () => {
    expect(errorBodySchema.parse(body('errors/429.rate-limited.json'))).toEqual({
      error: 'Too Many Requests',
      message: 'Rate limiting enforced',
    });
    const customers = customerCollectionSchema.parse(body('customers/list.json')).data;
    expect(customers.map((c) => c.on_account_limit)).toEqual([1000, null]);
  });
});
