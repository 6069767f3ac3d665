// Every SparkLayer fixture parses with the schema of the endpoint it stands for. A fixture without a schema here
// fails, unless it is derived from another fixture with deliberate defects (to show a step's exceptions).
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import {
  customerSchema,
  priceListPageSchema,
  pricingValidationErrorSchema,
  problemDetailsSchema,
  purchaseListSchema,
  syncLogSchema,
  tokenResponseSchema,
  transactionListSchema,
} from '../../../connectors/sparklayer/schemas.js';
import { type Fixture, loadFixtures } from '../../../contracts/fixtures.js';
import { ROOT } from '../../support/steps.js';

const FIXTURE_SCHEMAS: Record<string, z.ZodType> = {
  'fixtures/sparklayer/auth/token.success.json': tokenResponseSchema,
  'fixtures/sparklayer/purchases/list.all-types.json': purchaseListSchema,
  'fixtures/sparklayer/purchases/new-order-without-po.json': purchaseListSchema,
  'fixtures/sparklayer/purchases/transactions.list.json': transactionListSchema,
  'fixtures/sparklayer/customers/get.primary.json': customerSchema,
  'fixtures/sparklayer/customers/get.sub-account.json': customerSchema,
  'fixtures/sparklayer/price-lists/list.page-1.json': priceListPageSchema,
  'fixtures/sparklayer/price-lists/list.page-2.json': priceListPageSchema,
  'fixtures/sparklayer/pricing/patch.validation-error.json': pricingValidationErrorSchema,
  'fixtures/sparklayer/stock/batch-update.bad-request.json': problemDetailsSchema,
  'fixtures/sparklayer/sync-log/get.json': syncLogSchema,
  'fixtures/sparklayer/errors/problem-details.validation.json': problemDetailsSchema,
  'fixtures/sparklayer/errors/problem-details.conflict.json': problemDetailsSchema,
};

const fixtures = (await loadFixtures(ROOT, 'sparklayer')).map((f) => ({ ...f, file: f.file.split('\\').join('/') }));
const byFile = new Map(fixtures.map((f) => [f.file, f]));

/** Derived on purpose to be wrong: its provenance says the defects are deliberate. The existing sandbox fixture
 * says so in its notes, so both `changes` and `notes` are read. */
function deliberatelyDefective(fixture: Fixture): boolean {
  const { provenance } = fixture;
  return (
    provenance.origin === 'derived' &&
    [...provenance.changes, ...provenance.notes].some((line) => /deliberate/i.test(line))
  );
}

describe('SparkLayer fixtures', () => {
  it.each(fixtures.map((f) => [f.file, f] as const))('%s parses with its endpoint schema', (file, fixture) => {
    const schema = FIXTURE_SCHEMAS[file];
    if (schema === undefined) {
      expect(
        deliberatelyDefective(fixture),
        `${file} has no schema in FIXTURE_SCHEMAS and is not a deliberately defective derived fixture`,
      ).toBe(true);
      return;
    }
    const parsed = schema.safeParse(fixture.body);
    expect(parsed.error, parsed.error?.message).toBeUndefined();
  });

  it('include every fixture the schema map names', () => {
    for (const file of Object.keys(FIXTURE_SCHEMAS)) expect(byFile.has(file), file).toBe(true);
  });

  it('give a two-page price-list listing: page 1 full, page 2 short, normalised to items and pagination', () => {
    const [page1, page2] = ['list.page-1', 'list.page-2'].map((name) => {
      const fixture = byFile.get(`fixtures/sparklayer/price-lists/${name}.json`);
      return {
        raw: fixture?.body as { pagination: { per_page: number } },
        parsed: priceListPageSchema.parse(fixture?.body),
      };
    });
    expect(page1?.parsed.pagination).toEqual({ current_page: 1, total_pages: 2 });
    expect(page2?.parsed.pagination).toEqual({ current_page: 2, total_pages: 2 });
    expect(page1?.parsed.items).toHaveLength(page1?.raw.pagination.per_page ?? -1);
    expect(page2?.parsed.items.length).toBeLessThan(page2?.raw.pagination.per_page ?? 0);
    expect(Object.keys(page1?.parsed ?? {}).sort()).toEqual(['items', 'pagination']);
  });

  it('tie the sub-account to the primary customer, which carries the accounting id and credit', () => {
    const primary = customerSchema.parse(byFile.get('fixtures/sparklayer/customers/get.primary.json')?.body);
    const sub = customerSchema.parse(byFile.get('fixtures/sparklayer/customers/get.sub-account.json')?.body);
    expect(sub.parent_customer_id).toBe(primary.id);
    expect(primary.accounting_id).toBeTruthy();
    expect(primary.payment_on_account?.credit_limit).toBeDefined();
    expect(primary.price_lists?.length).toBeGreaterThan(0);
    expect(primary.addresses?.length).toBeGreaterThan(0);
  });

  it('keep personal data sanitised: example.com emails only', () => {
    const emails = JSON.stringify(fixtures.map((f) => f.body)).match(/[\w.+-]+@[\w-]+(?:\.[\w-]+)*/g) ?? [];
    for (const email of emails) expect(email).toMatch(/@example\.com$/);
  });
});
