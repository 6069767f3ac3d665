// R-Series' JSON quirks are normalised at the boundary, on the documentation's own sample answers: strings become
// booleans, integers and decimals, a collection of one becomes an array, an empty collection ("") becomes [], and every
// fixture parses with the schema of its endpoint and cites Lightspeed's pages.
import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  accountListSchema,
  creditAccountListSchema,
  creditAccountSchema,
  customerAnswerSchema,
  customerListSchema,
  customerTypeListSchema,
  priceLevelListSchema,
  itemListSchema,
  itemMatrixAnswerSchema,
  itemSchema,
  itemShopListSchema,
  lsCollection,
  oauthErrorSchema,
  paymentTypeListSchema,
  paymentTypeSchema,
  saleAnswerSchema,
  saleListSchema,
  taxCategoryAnswerSchema,
  taxCategoryListSchema,
  tokenResponseSchema,
} from '../../../connectors/lightspeed-r/schemas.js';
import { loadFixtures } from '../../../contracts/fixtures.js';
import { ROOT } from '../../support/steps.js';

const headersSchema = z.object({ status: z.literal(429), headers: z.record(z.string(), z.string()) });

const FIXTURE_SCHEMAS: Record<string, z.ZodType> = {
  'fixtures/lightspeed-r/auth/token.refresh.json': tokenResponseSchema,
  'fixtures/lightspeed-r/errors/401.access-denied.json': oauthErrorSchema,
  'fixtures/lightspeed-r/errors/429.leaky-bucket.json': headersSchema,
  'fixtures/lightspeed-r/account/list.json': accountListSchema,
  'fixtures/lightspeed-r/customers/get.json': customerAnswerSchema,
  'fixtures/lightspeed-r/customers/post.json': customerAnswerSchema,
  'fixtures/lightspeed-r/customers/list.many.json': customerListSchema,
  'fixtures/lightspeed-r/customers/list.one.with-credit-account.json': customerListSchema,
  'fixtures/lightspeed-r/credit-accounts/get.json': z.looseObject({ CreditAccount: creditAccountSchema }),
  'fixtures/lightspeed-r/credit-accounts/list.one.json': creditAccountListSchema,
  'fixtures/lightspeed-r/customer-types/list.json': customerTypeListSchema,
  'fixtures/lightspeed-r/price-levels/list.json': priceLevelListSchema,
  'fixtures/lightspeed-r/fulfilments/sale.booked-completed.json': saleAnswerSchema,
  'fixtures/lightspeed-r/fulfilments/sale.partial-refund.json': saleAnswerSchema,
  'fixtures/lightspeed-r/sales/post.completed.json': saleAnswerSchema,
  'fixtures/lightspeed-r/sales/post.completed-on-account.json': saleAnswerSchema,
  'fixtures/lightspeed-r/sales/list.one.json': saleListSchema,
  'fixtures/lightspeed-r/sales/get.open-no-payments.json': saleAnswerSchema,
  'fixtures/lightspeed-r/payment-types/get.credit-account.json': z.looseObject({ PaymentType: paymentTypeSchema }),
  'fixtures/lightspeed-r/payment-types/list.json': paymentTypeListSchema,
  'fixtures/lightspeed-r/tax-categories/list.json': taxCategoryListSchema,
  'fixtures/lightspeed-r/tax-categories/list.vat.json': taxCategoryListSchema,
  'fixtures/lightspeed-r/tax-categories/get.with-classes.json': taxCategoryAnswerSchema,
  'fixtures/lightspeed-r/items/get.json': z.looseObject({ Item: itemSchema }),
  'fixtures/lightspeed-r/items/delete.json': z.looseObject({ Item: itemSchema }),
  'fixtures/lightspeed-r/items/list.archived-only.json': itemListSchema,
  'fixtures/lightspeed-r/items/list.catalogue.json': itemListSchema,
  'fixtures/lightspeed-r/items/list.with-item-shops.json': itemListSchema,
  'fixtures/lightspeed-r/items/post.matrix-variant.json': z.looseObject({ Item: itemSchema }),
  'fixtures/lightspeed-r/item-matrices/get.json': itemMatrixAnswerSchema,
  'fixtures/lightspeed-r/item-matrices/get.with-items.json': itemMatrixAnswerSchema,
  'fixtures/lightspeed-r/item-matrices/post.json': itemMatrixAnswerSchema,
  'fixtures/lightspeed-r/item-shops/list.json': itemShopListSchema,
  'fixtures/lightspeed-r/item-shops/list.catalogue.json': itemShopListSchema,
};

const fixtures = (await loadFixtures(ROOT, 'lightspeed-r')).map((f) => ({ ...f, file: f.file.split('\\').join('/') }));
const body = (file: string) => fixtures.find((f) => f.file === `fixtures/lightspeed-r/${file}`)!.body;
const parse = <T>(schema: z.ZodType<T>, file: string): T => schema.parse(body(file));
const text = (value: Big | undefined) => value?.toFixed();

describe('R-Series fixtures', () => {
  it.each(fixtures.map((f) => [f.file, f] as const))('%s parses with its endpoint schema', (file, fixture) => {
    const schema = FIXTURE_SCHEMAS[file];
    expect(schema, `${file} has no schema in FIXTURE_SCHEMAS`).toBeDefined();
    const parsed = schema!.safeParse(fixture.body);
    expect(parsed.error, parsed.error?.message).toBeUndefined();
  });

  it('include every fixture the schema map names', () => {
    expect(fixtures.map((f) => f.file).sort()).toEqual(Object.keys(FIXTURE_SCHEMAS).sort());
  });

  it("cite Lightspeed's developer pages, and derived ones name fixtures that exist", () => {
    const files = new Set(fixtures.map((f) => f.file));
    for (const { file, provenance } of fixtures) {
      if (provenance.origin === 'vendor-docs') {
        for (const source of provenance.sources)
          expect(source.url, file).toMatch(/^https:\/\/developers\.lightspeedhq\.com\/retail\//);
      } else {
        expect(provenance.origin, file).toBe('derived');
        if (provenance.origin === 'derived') for (const from of provenance.from) expect(files, file).toContain(from);
      }
    }
  });

  it('hold nothing token-like: the token sample is placeholders', () => {
    const tokens = tokenResponseSchema.parse(body('auth/token.refresh.json'));
    expect(tokens.access_token).toBe('example-access-token');
    expect(JSON.stringify(fixtures.map((f) => f.body))).not.toMatch(/eyJ[\w-]{5,}|def50[0-9a-f]{10,}/);
  });
});

describe('normalising R-Series quirks', () => {
  it('turns "true"/"false", integer and decimal strings into booleans, numbers and decimals', () => {
    const sale = parse(saleAnswerSchema, 'sales/post.completed.json');
    expect(sale.saleID).toBe(277);
    expect(sale.completed).toBe(true);
    expect(sale.voided).toBe(false);
    expect(sale.customerID).toBe(8);
    expect(text(sale.total)).toBe('34.48');
    expect(text(sale.calcTax1)).toBe('1.5');
    const [first] = sale.SaleLines!;
    expect(first).toMatchObject({ saleLineID: 269, unitQuantity: 1, tax: true, itemID: 12 });
    // Decimal, not binary float: the unrounded line tax keeps every digit.
    expect(text(first!.calcTax2)).toBe('0.9965025');
    expect(first!.unitPrice).toBeInstanceOf(Big);
  });

  it('makes a collection of one, sent as an object, an array', () => {
    const sale = parse(saleAnswerSchema, 'sales/post.completed.json');
    expect(Array.isArray(sale.SalePayments)).toBe(true);
    expect(sale.SalePayments).toHaveLength(1);
    expect(sale.SalePayments![0]).toMatchObject({ salePaymentID: 168, paymentTypeID: 1, creditAccountID: 0 });
    // And a whole query answer with one record.
    const page = parse(creditAccountListSchema, 'credit-accounts/list.one.json');
    expect(page.records).toHaveLength(1);
    expect(page.records[0]).toMatchObject({ creditAccountID: 1, giftCard: false, customerID: 2 });
    const customers = parse(customerListSchema, 'customers/list.many.json');
    expect(customers.records.map((c) => c.Contact?.Emails?.map((e) => e.address))).toEqual([
      ['tamberson@example.com'],
      ['pendleton@example.com'],
    ]);
  });

  it('makes an empty collection, sent as "", an empty array', () => {
    const open = parse(saleAnswerSchema, 'sales/get.open-no-payments.json');
    expect(open.completed).toBe(false);
    expect(open.SalePayments).toEqual([]);
    const created = parse(customerAnswerSchema, 'customers/post.json');
    expect(created.Contact?.Phones).toEqual([]);
    expect(created.Contact?.Emails).toEqual([]);
    expect(created.Contact?.Addresses).toHaveLength(1);
  });

  it('reads a matrix\'s attribute values however they come: an array, one plain string, or ""', () => {
    expect(parse(itemMatrixAnswerSchema, 'item-matrices/get.json').attribute2Values).toEqual([
      'Small',
      'Medium',
      'Large',
    ]);
    const withItems = parse(itemMatrixAnswerSchema, 'item-matrices/get.with-items.json');
    expect(withItems.attribute1Values).toEqual(['White']);
    expect(withItems.Items?.map((item) => [item.itemID, item.itemMatrixID, item.customSku])).toEqual([
      [133, 20, 'TSHIRT-WHT-S'],
    ]);
    expect(parse(itemMatrixAnswerSchema, 'item-matrices/post.json').attribute1Values).toEqual([]);
  });

  it('reads the paging cursor: "" is no next page', () => {
    expect(parse(saleListSchema, 'sales/list.one.json').next).toBeUndefined();
    const next = 'https://api.lightspeedapp.com/API/V3/Account/1/Item.json?sort=itemID&limit=100&after=WzEwMF0%3D';
    expect(itemListSchema.parse({ '@attributes': { next, previous: '' }, Item: [] }).next).toBe(next);
    // Nothing matched: no records key at all, or "".
    expect(itemListSchema.parse({ '@attributes': { next: '', previous: '' } }).records).toEqual([]);
    expect(itemListSchema.parse({ '@attributes': { next: '', previous: '' }, Item: '' }).records).toEqual([]);
  });

  it('reads stock per shop, the shopID 0 summary included, and keeps qoh and sellable apart', () => {
    const page = parse(itemShopListSchema, 'item-shops/list.catalogue.json');
    const towel = page.records.filter((s) => s.itemID === 42);
    expect(towel.map((s) => [s.shopID, s.qoh, s.sellable])).toEqual([
      [0, 3, 3],
      [1, -3, 0],
      [2, 6, 6],
    ]);
  });

  it("reads a tax category's per-tax-class rates (TaxCategoryClasses), however the collection comes", () => {
    const category = parse(taxCategoryAnswerSchema, 'tax-categories/get.with-classes.json');
    expect([category.taxCategoryID, text(category.tax1Rate), text(category.tax2Rate), category.isTaxInclusive]).toEqual(
      [1, '0.05', '0.09975', false],
    );
    expect(
      category.TaxCategoryClasses?.map((c) => [c.taxClassID, text(c.tax1Rate), text(c.tax2Rate), c.taxCategoryID]),
    ).toEqual([
      [2, '0', '0', 1],
      [4, '0.05', '0', 1],
    ]);
    const raw = (body('tax-categories/get.with-classes.json') as { TaxCategory: Record<string, unknown> }).TaxCategory;
    const one = {
      ...raw,
      TaxCategoryClasses: {
        TaxCategoryClass: {
          taxCategoryClassID: '4',
          tax1Rate: '0.05',
          tax2Rate: '0',
          taxCategoryID: '1',
          taxClassID: '4',
        },
      },
    };
    expect(taxCategoryAnswerSchema.parse({ TaxCategory: one }).TaxCategoryClasses?.map((c) => c.taxClassID)).toEqual([
      4,
    ]);
    expect(
      taxCategoryAnswerSchema.parse({ TaxCategory: { ...raw, TaxCategoryClasses: '' } }).TaxCategoryClasses,
    ).toEqual([]);
    // Without the relation loaded, none: the list samples carry no TaxCategoryClasses.
    expect(parse(taxCategoryListSchema, 'tax-categories/list.json').records[0]!.TaxCategoryClasses).toBeUndefined();
  });

  it("reads a sale line's tax class, tax category and note as the SaleLine page names them", () => {
    const [line] = parse(saleAnswerSchema, 'sales/post.completed.json').SaleLines!;
    // The lines inside a Sale answer carry their item's taxClassID and a noteID, and no taxCategoryID (the sale has
    // it).
    expect(line).toMatchObject({ taxClassID: 6, noteID: 0, tax: true });
    expect(line!.taxCategoryID).toBeUndefined();
    expect(parse(saleAnswerSchema, 'sales/post.completed.json').taxCategoryID).toBe(1);
  });

  it('is idempotent: a normalised record, even through JSON, parses to the same thing', () => {
    const item = parse(itemListSchema, 'items/list.catalogue.json').records[0]!;
    const again = itemSchema.parse(JSON.parse(JSON.stringify(item)));
    expect(JSON.stringify(again)).toBe(JSON.stringify(item));
    expect(lsCollection('SaleLine', z.looseObject({ itemID: z.string() })).parse([{ itemID: '1' }])).toEqual([
      { itemID: '1' },
    ]);
  });

  it('refuses what is not what the docs show, naming the field', () => {
    const bad = saleAnswerSchema.safeParse({ Sale: { saleID: 'x', completed: 'maybe' } });
    expect(bad.success).toBe(false);
    expect(z.prettifyError(bad.error!)).toMatch(/saleID/);
    expect(z.prettifyError(bad.error!)).toMatch(/completed/);
  });
});
