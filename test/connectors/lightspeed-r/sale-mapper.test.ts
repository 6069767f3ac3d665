// map-order-to-lightspeed-r as a whole: the shared map-order step with the R-Series mapper, its settings and the
// R-Series items and customers riding beside the orders; the bodies it writes booked in the fake R-Series; and the
// customer an order resolves to, through resolve-erp-account (the account is the R-Series customerID) or created from
// erp_customer_create.
import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { LightspeedRClient } from '../../../connectors/lightspeed-r/dev/client.js';
import { toCreateCustomerBody } from '../../../connectors/lightspeed-r/dev/customer.js';
import {
  inProcessAdapter,
  LightspeedRSandbox,
  sandboxConfig,
  sandboxDataFromFixtures,
} from '../../../connectors/lightspeed-r/dev/sandbox.js';
import type { SaleCreate } from '../../../connectors/lightspeed-r/schemas.js';
import { toCanonicalOrder } from '../../../connectors/sparklayer/canonical-order.js';
import { purchaseSchema } from '../../../connectors/sparklayer/schemas.js';
import { orderTotals } from '../../../model/order.js';
import { toPatchworksHandler } from '../../../runtime/step.js';
import { step } from '../../../connectors/lightspeed-r/map-order/step.js';
import { step as resolveStep } from '../../../scripts/resolve-erp-account/step.js';
import { fixtureBody } from '../../support/fixtures.js';
import { fixturePurchases } from '../../support/purchases.js';
import { run } from '../../support/run.js';
import { ROOT } from '../../support/steps.js';

const records = (file: string, key: string) => {
  const value = (fixtureBody(`fixtures/lightspeed-r/${file}`) as Record<string, unknown>)[key];
  return (Array.isArray(value) ? value : [value]) as Array<Record<string, unknown>>;
};
// As GET Item.json and GET Customer.json answer them: strings, single objects, "" and all.
const catalogue = records('items/list.catalogue.json', 'Item');
const matrixWithItems = records('item-matrices/get.with-items.json', 'ItemMatrix');
const customer7 = records('customers/list.one.with-credit-account.json', 'Customer');

const documented = fixturePurchases().find((p) => p.type === 'order')!;
const PURCHASE_ID = (documented.purchase_identifiers as { sparklayer: string }).sparklayer;
const VARIABLES = {
  shop_id: '1',
  register_id: '1',
  employee_id: '1',
  unit_map: 'left_value,right_value\r\nMUG-ENAMEL-CASE12,MUG-ENAMEL-WHT*12\r\n',
  tax_categories: 'left_value,right_value\r\n20,3\r\n5,4\r\n',
};
const order = (fields: Record<string, unknown> = {}) => ({
  ...structuredClone(documented),
  erp_account: '7',
  ...fields,
});
const beside = { products: catalogue, lightspeed_customers: customer7 };

function mapAll(
  input: unknown[],
  variables: Record<string, string> = VARIABLES,
  side: Record<string, unknown> = beside,
) {
  return run(step, { records: input, ...side }, { variables }).envelope;
}
function mapOne(
  input: Record<string, unknown>,
  variables: Record<string, string> = VARIABLES,
  side: Record<string, unknown> = beside,
): SaleCreate {
  const envelope = mapAll([input], variables, side);
  expect(envelope.exceptions.map((e) => [e.code, e.message])).toEqual([]);
  return envelope.records[0] as SaleCreate;
}
function failure(
  input: Record<string, unknown>,
  variables: Record<string, string> = VARIABLES,
  side: Record<string, unknown> = beside,
) {
  const envelope = mapAll([input], variables, side);
  expect(envelope.records).toEqual([]);
  return envelope.exceptions[0]!;
}
const lineRows = (body: SaleCreate) =>
  body.SaleLines.SaleLine.map((l) => [l.itemID, l.unitQuantity, l.unitPrice, l.tax]);
const sum = (values: Array<string | Big>) => values.reduce<Big>((total, v) => total.plus(v), new Big(0));

describe('map-order-to-lightspeed-r: the sale', () => {
  it(
    'books the order to the customer, with the PO as referenceNumber, SparkLayer as its source and the ' +
      'purchase in the note',
    () => {
      const body = mapOne(order());
      expect(body).toMatchObject({
        customerID: 7,
        employeeID: 1,
        registerID: 1,
        shopID: 1,
        enablePromotions: false,
        referenceNumber: 'PO-4471',
        referenceNumberSource: 'SparkLayer',
        taxCategoryID: 3,
      });
      expect(body.SaleNotes?.InternalNote?.note).toContain(`SparkLayer purchase ${PURCHASE_ID}`);
      expect(body.SaleNotes?.InternalNote?.note).toContain('SparkLayer order B2B01123');
      expect(body.SaleNotes?.InternalNote?.note).toContain('PO PO-4471');
    },
  );

  it(
    'writes only the SaleLine fields Lightspeed documents for a line: the sale, not the line, names the ' +
      'tax category',
    () => {
      const body = mapOne(order());
      // SaleLine page: itemID, unitQuantity, unitPrice, tax; `note` only on the miscellaneous line (Credit Accounts
      // tutorial).
      for (const line of body.SaleLines.SaleLine) {
        expect(Object.keys(line).sort(), JSON.stringify(line)).toEqual(
          line.itemID === 0
            ? ['itemID', 'note', 'tax', 'unitPrice', 'unitQuantity']
            : ['itemID', 'tax', 'unitPrice', 'unitQuantity'],
        );
      }
      expect(body.taxCategoryID).toBe(3);
      // What the shipping line's note says is in the internal note too, beside the purchase marker and the PO.
      expect(body.SaleNotes?.InternalNote?.note).toContain('Shipping method: Standard Shipping');
      expect(JSON.stringify(body.SaleLines)).not.toMatch(/PO-4471|SparkLayer purchase/);
    },
  );

  it('uses the SparkLayer purchase id as referenceNumber when there is no PO', () => {
    expect(mapOne(order({ customer_reference: '' })).referenceNumber).toBe(PURCHASE_ID);
  });

  it(
    "keeps SparkLayer's prices and tax to the penny: the case of 12 is 24 eaches at 4.00, shipping a line " +
      'of its own',
    () => {
      const body = mapOne(order());
      expect(lineRows(body)).toEqual([
        [41, 24, '4.00', true],
        [42, 12, '4.50', true],
        [0, 1, '7.50', true],
      ]);
      expect(body.SaleLines.SaleLine[2]!.note).toBe('Shipping: Standard Shipping');
      const totals = orderTotals(toCanonicalOrder(purchaseSchema.parse(documented)));
      const net = sum(body.SaleLines.SaleLine.map((l) => new Big(l.unitPrice!).times(l.unitQuantity)));
      expect(net.toFixed(2)).toBe(totals.net.toFixed(2));
      // R-Series' tax: every line at the 20 % of tax category 3, the sale rounded to the cent.
      const tax = sum(
        body.SaleLines.SaleLine.map((l) => new Big(l.unitPrice!).times(l.unitQuantity).times('0.2')),
      ).round(2);
      expect(tax.toFixed(2)).toBe(totals.tax.toFixed(2));
      expect(body.SalePayments?.SalePayment[0]?.amount).toBe('189.00');
      expect(totals.gross.toFixed(2)).toBe('189.00');
    },
  );

  it('uses the shipping item when one is set', () => {
    const body = mapOne(order(), { ...VARIABLES, shipping_item_id: '99' });
    expect(body.SaleLines.SaleLine.at(-1)).toEqual({ itemID: 99, unitQuantity: 1, unitPrice: '7.50', tax: true });
  });

  it('sends a line whose net does not divide into cents as two lines of the item, so the total stays exact', () => {
    const lines = [
      {
        identifiers: { sku: 'TOWEL-LINEN-NAT' },
        quantity: 3,
        line_total: {
          total_net: { number: '10.00', currency: 'gbp' },
          total_gross: { number: '12.00', currency: 'gbp' },
          tax_rate: 20,
        },
      },
    ];
    const body = mapOne(order({ packages: [{ line_items: lines }] }));
    expect(lineRows(body)).toEqual([
      [42, 2, '3.33', true],
      [42, 1, '3.34', true],
    ]);
    expect(body.SalePayments?.SalePayment[0]?.amount).toBe('12.00');
  });

  it('marks an untaxed line tax: false, with no tax category', () => {
    const lines = [
      {
        identifiers: { sku: 'TOWEL-LINEN-NAT' },
        quantity: 2,
        line_total: {
          total_net: { number: '9.00', currency: 'gbp' },
          total_gross: { number: '9.00', currency: 'gbp' },
          tax_rate: 0,
        },
      },
    ];
    const body = mapOne(order({ packages: [{ line_items: lines }] }));
    expect(lineRows(body)).toEqual([[42, 2, '4.50', false]]);
    expect(body.taxCategoryID).toBeUndefined();
  });
});

describe('map-order-to-lightspeed-r: Pay on Account', () => {
  const hold = { ...VARIABLES, on_account_mode: 'hold' };
  const release = { ...VARIABLES, on_account_mode: 'release' };

  it("release: a completed sale paid with the credit-account payment type 4 on the customer's credit account", () => {
    const body = mapOne(order(), release);
    expect(body.completed).toBe(true);
    expect(body.SalePayments).toEqual({
      SalePayment: [
        { paymentTypeID: 4, amount: '189.00', creditAccountID: 2, remoteReference: `sparklayer:${PURCHASE_ID}` },
      ],
    });
    expect(body.SaleNotes?.InternalNote?.note).toContain(
      'Pay on Account: released for fulfilment, charged to credit account 2',
    );
  });

  it('hold: a sale left open, with no payment, its internal note telling fulfilment not to fulfil it', () => {
    const body = mapOne(order(), hold);
    expect(body.completed).toBe(false);
    expect(body.SalePayments).toBeUndefined();
    expect(body.SaleNotes?.InternalNote?.note).toMatch(
      /ON HOLD - Pay on Account order held for finance: do not fulfil/,
    );
    // Everything else is the released sale's.
    const { completed: _c, SalePayments: _p, SaleNotes: _n, ...rest } = mapOne(order(), release);
    const { completed: _c2, SaleNotes: _n2, ...held } = body;
    expect(held).toEqual(rest);
  });

  it('maps every other order the same in both modes', () => {
    for (const method of ['invoice', 'platform_upfront', 'paymentByInvoice', '']) {
      const other = order({ payment_method: method });
      expect(mapOne(other, hold)).toEqual(mapOne(other, release));
      expect(mapOne(other, hold).completed).toBe(false);
      expect(mapOne(other, hold).SaleNotes?.InternalNote?.note).not.toMatch(/ON HOLD/);
    }
  });

  it('settles a card order with the payment type payment_types names, in both modes', () => {
    const variables = { ...VARIABLES, payment_types: 'left_value,right_value\ncard,12' };
    const card = order({ payment_method: 'platform_upfront' });
    const body = mapOne(card, variables);
    expect(body.completed).toBe(true);
    expect(body.SalePayments?.SalePayment).toEqual([
      { paymentTypeID: 12, amount: '189.00', remoteReference: `sparklayer:${PURCHASE_ID}` },
    ]);
    expect(mapOne(card, { ...variables, on_account_mode: 'hold' })).toEqual(body);
  });

  it('finds the credit account in credit_accounts when the customers do not ride beside the orders', () => {
    const body = mapOne(order(), { ...VARIABLES, credit_accounts: '{"7": "55"}' }, { products: catalogue });
    expect(body.SalePayments?.SalePayment[0]?.creditAccountID).toBe(55);
  });

  it('refuses to release an order whose customer has no credit account: NO_CREDIT_ACCOUNT', () => {
    expect(failure(order(), VARIABLES, { products: catalogue })).toMatchObject({ code: 'NO_CREDIT_ACCOUNT' });
    const noAccount = [{ ...customer7[0], creditAccountID: '0', CreditAccount: undefined }];
    expect(failure(order(), VARIABLES, { products: catalogue, lightspeed_customers: noAccount }).message).toBe(
      'customer 7 has no credit account in R-Series',
    );
    // Held orders need none.
    expect(mapOne(order(), { ...VARIABLES, on_account_mode: 'hold' }, { products: catalogue }).completed).toBe(false);
  });
});

describe('map-order-to-lightspeed-r: SKUs', () => {
  const tshirt = (sku = 'TSHIRT-WHT-S') => [
    {
      identifiers: { sku },
      quantity: 2,
      line_total: {
        total_net: { number: '30.00', currency: 'gbp' },
        total_gross: { number: '36.00', currency: 'gbp' },
        tax_rate: 20,
      },
    },
  ];

  it('resolves a matrix variant to itself, from a matrix riding beside the orders with its Items', () => {
    const body = mapOne(order({ packages: [{ line_items: tshirt() }] }), VARIABLES, {
      products: matrixWithItems,
      lightspeed_customers: customer7,
    });
    expect(lineRows(body)).toEqual([[133, 2, '15.00', true]]);
  });

  it('refuses a SKU mapped to a matrix: a matrix is not an item (MATRIX_NOT_SELLABLE)', () => {
    const variables = { ...VARIABLES, product_map: 'left_value,right_value\nTSHIRT,matrix:20' };
    expect(failure(order({ packages: [{ line_items: tshirt('TSHIRT') }] }), variables)).toMatchObject({
      code: 'MATRIX_NOT_SELLABLE',
      message: 'line 1: SKU TSHIRT is mapped to matrix 20, which is not an item',
    });
  });

  it('makes an archived item an ARCHIVED_ITEM exception naming the line, whole order kept', () => {
    const lines = [
      ...(documented.packages as Array<{ line_items: unknown[] }>)[0]!.line_items,
      {
        identifiers: { sku: 'JUG-STONE-1L' },
        quantity: 1,
        line_total: {
          total_net: { number: '9.00', currency: 'gbp' },
          total_gross: { number: '10.80', currency: 'gbp' },
          tax_rate: 20,
        },
      },
    ];
    const input = order({ packages: [{ line_items: lines }] });
    const exception = failure(input);
    expect(exception).toMatchObject({
      code: 'ARCHIVED_ITEM',
      message: 'line 3: SKU JUG-STONE-1L matches only archived item 43 (by customSku)',
      record: input,
    });
    // Through product_map too.
    expect(failure(order(), { ...VARIABLES, product_map: 'left_value,right_value\nTOWEL-LINEN-NAT,43' })).toMatchObject(
      { code: 'ARCHIVED_ITEM', message: 'line 2: SKU TOWEL-LINEN-NAT is mapped to item 43, which is archived' },
    );
  });

  it('prefers the live item when an archived one shares its SKU', () => {
    const live = records('items/get.json', 'Item');
    const archived = records('items/delete.json', 'Item');
    expect(live[0]!.customSku).toBe(archived[0]!.customSku);
    const body = mapOne(order({ packages: [{ line_items: tshirt('12341234') }] }), VARIABLES, {
      products: [...archived, ...live],
      lightspeed_customers: customer7,
    });
    expect(lineRows(body)[0]![0]).toBe(22);
  });

  it('makes an unknown SKU an UNMAPPED_SKU exception naming the line: never a dropped line', () => {
    const envelope = mapAll([
      order(),
      order({ purchase_identifiers: { sparklayer: 'sl-x' }, packages: [{ line_items: tshirt('NOPE') }] }),
    ]);
    expect(envelope.records).toHaveLength(1);
    expect(envelope.exceptions.map((e) => [e.id, e.code, e.message])).toEqual([
      [
        'sl-x',
        'UNMAPPED_SKU',
        'line 1: SKU NOPE is not in product_map and matches no R-Series item beside the orders (by ' +
          'customSku, systemSku, upc, ean, manufacturerSku; 4 items given)',
      ],
    ]);
    expect(envelope.summary['map-order-to-lightspeed-r']).toEqual({ in: 2, records: 1, skipped: 0, exceptions: 1 });
  });

  it('matches the other documented SKU fields, and product_map first', () => {
    const byUpc = mapOne(order({ packages: [{ line_items: tshirt('5012345678900') }] }));
    expect(lineRows(byUpc)[0]![0]).toBe(42);
    const byManufacturer = mapOne(order({ packages: [{ line_items: tshirt('EM-100-W') }] }));
    expect(lineRows(byManufacturer)[0]![0]).toBe(41);
    const mapped = mapOne(order(), { ...VARIABLES, product_map: '{"TOWEL-LINEN-NAT": "77"}' });
    expect(lineRows(mapped).map((r) => r[0])).toEqual([41, 77, 0]);
    // Matching on customSku only.
    expect(
      failure(order({ packages: [{ line_items: tshirt('EM-100-W') }] }), { ...VARIABLES, sku_fields: 'customSku' }),
    ).toMatchObject({ code: 'UNMAPPED_SKU' });
  });

  it('refuses a SKU two live items share: AMBIGUOUS_SKU', () => {
    const twin = { ...catalogue[0], itemID: '99' };
    expect(
      failure(order(), VARIABLES, { products: [...catalogue, twin], lightspeed_customers: customer7 }),
    ).toMatchObject({
      code: 'AMBIGUOUS_SKU',
      message: 'line 1: SKU MUG-ENAMEL-WHT matches 2 live items by customSku: 41, 99',
    });
  });

  it('refuses a fractional quantity after pack conversion: FRACTIONAL_QUANTITY', () => {
    const variables = { ...VARIABLES, unit_map: 'left_value,right_value\nMUG-ENAMEL-CASE12,MUG-ENAMEL-WHT*1.25' };
    expect(failure(order(), variables)).toMatchObject({
      code: 'FRACTIONAL_QUANTITY',
      message: 'line 1: 2.5 of SKU MUG-ENAMEL-WHT is not a whole number of units',
    });
  });
});

describe('map-order-to-lightspeed-r: tax and settings', () => {
  it('needs a tax category for every rate charged: UNMAPPED_TAX_RATE', () => {
    expect(failure(order(), { ...VARIABLES, tax_categories: 'left_value,right_value\n5,4' })).toMatchObject({
      code: 'UNMAPPED_TAX_RATE',
      message: 'line 1: tax rate 20% has no R-Series tax category in tax_categories',
    });
  });

  it(
    "refuses an order whose tax R-Series would compute differently from SparkLayer's beyond tax_tolerance: " +
      'TAX_MISMATCH',
    () => {
      // Three lines of 9.99 at 20 %: SparkLayer rounds each line's tax (2.00 each, 6.00); R-Series rounds the sale
      // (5.99).
      const line = {
        identifiers: { sku: 'TOWEL-LINEN-NAT' },
        quantity: 1,
        line_total: {
          total_net: { number: '9.99', currency: 'gbp' },
          total_gross: { number: '11.99', currency: 'gbp' },
          tax_rate: 20,
        },
      };
      const input = order({ packages: [{ line_items: [line, line, line] }] });
      expect(failure(input, { ...VARIABLES, tax_tolerance: '0' })).toMatchObject({
        code: 'TAX_MISMATCH',
        message: 'R-Series would charge tax 5.99 where SparkLayer charged 6.00 (tolerance 0)',
      });
      // Within the default tolerance of 0.01 it is booked, paid at the total R-Series will require.
      expect(mapOne(input).SalePayments?.SalePayment[0]?.amount).toBe('35.96');
    },
  );

  // A line of `net` at `rate` %, SparkLayer's tax rounded to the cent on the line.
  const taxedLine = (sku: string, net: string, rate: number) => {
    const gross = new Big(net)
      .times(100 + rate)
      .div(100)
      .round(2, Big.roundHalfUp)
      .toFixed(2);
    return {
      identifiers: { sku },
      quantity: 1,
      line_total: {
        total_net: { number: net, currency: 'gbp' },
        total_gross: { number: gross, currency: 'gbp' },
        tax_rate: rate,
      },
    };
  };
  const taxOrder = (...lines: unknown[]) => order({ packages: [{ line_items: lines }] });
  const vatCategories = records('tax-categories/list.vat.json', 'TaxCategory');
  const salesTutorialCategory = records('tax-categories/get.with-classes.json', 'TaxCategory');
  const withTaxCategories = (categories: unknown[], products: unknown[] = catalogue) => ({
    products,
    lightspeed_customers: customer7,
    lightspeed_tax_categories: categories,
  });
  const towelOfClass = (taxClassID: string) =>
    catalogue.map((item) => (item.itemID === '42' ? { ...item, taxClassID } : item));

  it(
    'books an order on ONE tax category: rates that map to two are TAX_MISMATCH, ' +
      'since a sale has one taxCategoryID',
    () => {
      const mixed = taxOrder(taxedLine('MUG-ENAMEL-WHT', '10.00', 20), taxedLine('TOWEL-LINEN-NAT', '10.00', 5));
      expect(failure(mixed)).toMatchObject({
        code: 'TAX_MISMATCH',
        message:
          "the order's tax rates map to 2 tax categories (20% to 3; 5% to 4), but an R-Series sale has one " +
          'taxCategoryID, whose rates tax all its lines',
      });
    },
  );

  it(
    "predicts from the sale's tax category as R-Series keeps it: an item's tax class rate in the category, " +
      "else the category's default",
    () => {
      const mixed = taxOrder(taxedLine('MUG-ENAMEL-WHT', '10.00', 20), taxedLine('TOWEL-LINEN-NAT', '10.00', 5));
      const oneCategory = { ...VARIABLES, tax_categories: 'left_value,right_value\n20,3\n5,3' };
      // Category 3 charges the towel's tax class 2 at 5 % (a TaxCategoryClass); the mug (class 1) at the default 20 %.
      const classRates = vatCategories.map((c) =>
        c.taxCategoryID === '3'
          ? {
              ...c,
              TaxCategoryClasses: {
                TaxCategoryClass: {
                  taxCategoryClassID: '9',
                  tax1Rate: '0.05',
                  tax2Rate: '0',
                  taxCategoryID: '3',
                  taxClassID: '2',
                },
              },
            }
          : c,
      );
      const body = mapOne(mixed, oneCategory, withTaxCategories(classRates, towelOfClass('2')));
      expect(body.taxCategoryID).toBe(3);
      expect(body.SalePayments?.SalePayment[0]?.amount).toBe('22.50');
      // The same category without that class rate taxes the towel at 20 % too: 4.00, not SparkLayer's 2.50.
      expect(failure(mixed, oneCategory, withTaxCategories(vatCategories, towelOfClass('2')))).toMatchObject({
        code: 'TAX_MISMATCH',
        message: 'R-Series would charge tax 4.00 where SparkLayer charged 2.50 (tolerance 0.01)',
      });
      // With no tax category beside the orders, the rates tax_categories says the category has.
      expect(mapOne(mixed, oneCategory).taxCategoryID).toBe(3);
    },
  );

  it(
    "reproduces the Sales tutorial's own answer: both rates of the category, each summed and rounded to " +
      'the cent on the sale',
    () => {
      // The tutorial's lines, 9.99 and 20.00, of a tax class with no rate of its own in category 1 (0.05 + 0.09975):
      // calcTax1 0.4995 + 1 = 1.50, calcTax2 0.9965025 + 1.995 = 2.99, total 34.48, as its answer shows.
      const variables = { ...VARIABLES, tax_categories: 'left_value,right_value\n14.975,1' };
      const tutorial = taxOrder(
        taxedLine('MUG-ENAMEL-WHT', '9.99', 14.975),
        taxedLine('TOWEL-LINEN-NAT', '20.00', 14.975),
      );
      const body = mapOne(tutorial, variables, withTaxCategories(salesTutorialCategory));
      expect(body.taxCategoryID).toBe(1);
      expect(body.SalePayments?.SalePayment[0]?.amount).toBe('34.48');
      // SparkLayer rounds each line (1.50 + 3.00): a cent apart.
      expect(
        failure(tutorial, { ...variables, tax_tolerance: '0' }, withTaxCategories(salesTutorialCategory)),
      ).toMatchObject({
        code: 'TAX_MISMATCH',
        message: 'R-Series would charge tax 4.49 where SparkLayer charged 4.50 (tolerance 0)',
      });
      // Tax class 4 has its own rates in category 1 (0.05 and 0): an item of that class is taxed at 5 % only.
      const reduced = taxOrder(taxedLine('MUG-ENAMEL-WHT', '9.99', 14.975), taxedLine('TOWEL-LINEN-NAT', '20.00', 5));
      const both = { ...variables, tax_categories: 'left_value,right_value\n14.975,1\n5,1', tax_tolerance: '0' };
      expect(
        mapOne(reduced, both, withTaxCategories(salesTutorialCategory, towelOfClass('4'))).SalePayments?.SalePayment[0]
          ?.amount,
      ).toBe('32.49');
    },
  );

  it('rounds the first and second rates apart, as the sale does, not their sum', () => {
    // 10.07 at 5 % + 5 %: 0.5035 → 0.50 twice, 1.00, where 10 % of 10.07 rounds to SparkLayer's 1.01.
    const split = [
      { taxCategoryID: '9', isTaxInclusive: 'false', tax1Name: 'A', tax2Name: 'B', tax1Rate: '0.05', tax2Rate: '0.05' },
    ];
    const variables = { ...VARIABLES, tax_categories: 'left_value,right_value\n10,9', tax_tolerance: '0' };
    expect(
      failure(taxOrder(taxedLine('MUG-ENAMEL-WHT', '10.07', 10)), variables, withTaxCategories(split)),
    ).toMatchObject({
      code: 'TAX_MISMATCH',
      message: 'R-Series would charge tax 1.00 where SparkLayer charged 1.01 (tolerance 0)',
    });
  });

  it(
    'refuses a tax-inclusive category (the pack sends net prices), ' + 'and a mapped category R-Series does not have',
    () => {
      const inclusive = vatCategories.map((c) => (c.taxCategoryID === '3' ? { ...c, isTaxInclusive: 'true' } : c));
      expect(failure(order(), VARIABLES, withTaxCategories(inclusive))).toMatchObject({
        code: 'TAX_MISMATCH',
        message: "tax category 3 is tax-inclusive: R-Series would take SparkLayer's net prices as including tax",
      });
      expect(
        failure(
          order(),
          { ...VARIABLES, tax_categories: 'left_value,right_value\n20,7' },
          withTaxCategories(vatCategories),
        ),
      ).toMatchObject({
        code: 'UNMAPPED_TAX_RATE',
        message:
          'tax_categories maps 20% to tax category 7, which is not among the 3 R-Series tax categories ' +
          'beside the orders',
      });
      // The categories as R-Series has them, category 3 at 20 %: the documented order books as before.
      expect(mapOne(order(), VARIABLES, withTaxCategories(vatCategories)).SalePayments?.SalePayment[0]?.amount).toBe(
        '189.00',
      );
    },
  );

  it('refuses an erp_account that is not an R-Series customer ID, or an archived customer: UNRESOLVED_ACCOUNT', () => {
    expect(failure(order({ erp_account: 'ACME001' }))).toMatchObject({ code: 'UNRESOLVED_ACCOUNT' });
    const archived = [{ ...customer7[0], archived: 'true' }];
    expect(failure(order(), VARIABLES, { products: catalogue, lightspeed_customers: archived })).toMatchObject({
      code: 'UNRESOLVED_ACCOUNT',
      message: 'R-Series customer 7 is archived',
    });
  });

  it('fails the whole step, naming the setting, when the shop, register or employee is not set', async () => {
    const { shop_id: _shop, ...withoutShop } = VARIABLES;
    await expect(
      toPatchworksHandler(step)({ payload: JSON.stringify({ records: [order()], ...beside }), variables: withoutShop }),
    ).rejects.toThrow(
      'map-order-to-lightspeed-r: setting "shop_id" is required: The R-Series shop the sales are booked in (shopID).',
    );
    // Once, before any order (none at all here), naming every required setting that is missing.
    const { register_id: _register, employee_id: _employee, ...withShopOnly } = VARIABLES;
    await expect(
      toPatchworksHandler(step)({ payload: '[]', variables: { ...withShopOnly, employee_id: '' } }),
    ).rejects.toThrow(
      new RegExp(
        /^map-order-to-lightspeed-r: setting "register_id" is required: /.source +
          /The register the sales are booked on \(registerID\)\. Also required and not set: "employee_id"\.$/.source,
      ),
    );
    // An id that is not a number fails when the settings are read, as shipping_item_id does.
    await expect(
      toPatchworksHandler(step)({ payload: '[]', variables: { ...VARIABLES, shop_id: 'main' } }),
    ).rejects.toThrow(
      'map-order-to-lightspeed-r: setting "shop_id" is not valid: must be an R-Series ID (a whole ' +
        'number) (from variables: "main").',
    );
    await expect(
      toPatchworksHandler(step)({ payload: '[]', variables: { ...VARIABLES, shipping_item_id: 'ship' } }),
    ).rejects.toThrow(/setting "shipping_item_id" is not valid: must be an R-Series ID/);
    expect(run(step, [], { variables: VARIABLES }).envelope.summary[step.key]).toEqual({
      in: 0,
      records: 0,
      skipped: 0,
      exceptions: 0,
    });
    await expect(
      toPatchworksHandler(step)({ payload: '[]', variables: { tax_categories: 'left_value,right_value\n20,VAT' } }),
    ).rejects.toThrow(/setting "tax_categories".*write RATE,taxCategoryID/);
  });

  it('is deterministic: the same order gives byte-identical JSON', () => {
    expect(JSON.stringify(mapOne(order()))).toBe(JSON.stringify(mapOne(order())));
  });
});

describe('the mapped sale in the fake R-Series', () => {
  async function booked(variables: Record<string, string>) {
    const sandbox = new LightspeedRSandbox(await sandboxDataFromFixtures(ROOT));
    const client = new LightspeedRClient(sandboxConfig(), {
      adapter: inProcessAdapter(sandbox),
      sleep: async () => undefined,
    });
    const body = mapOne(order(), variables);
    return { sandbox, client, body, result: await client.createSaleOnce(body) };
  }

  it('is accepted and totals exactly what SparkLayer charged; released, it debits the credit account', async () => {
    const { sandbox, result } = await booked(VARIABLES);
    expect(result.created).toBe(true);
    expect(result.sale.completed).toBe(true);
    expect(
      [result.sale.calcSubtotal, result.sale.taxTotal, result.sale.total, result.sale.balance].map((v) =>
        v?.toFixed(2),
      ),
    ).toEqual(['157.50', '31.50', '189.00', '0.00']);
    expect(sandbox.creditAccounts.find((a) => a.creditAccountID === '2')?.balance).toBe('-189');
  });

  it('held, is an open sale with nothing paid', async () => {
    const { result } = await booked({ ...VARIABLES, on_account_mode: 'hold' });
    expect(result.sale.completed).toBe(false);
    expect(result.sale.SalePayments).toEqual([]);
    expect(result.sale.balance?.toFixed(2)).toBe('189.00');
  });

  it('is booked once: a re-run finds the sale by its reference and purchase marker', async () => {
    const { sandbox, client, body, result } = await booked(VARIABLES);
    const again = await client.createSaleOnce(body);
    expect(again).toMatchObject({ created: false, sale: { saleID: result.sale.saleID } });
    expect(sandbox.sales).toHaveLength(1);
    // Another order with the same PO from the same customer is a sale of its own.
    const other = mapOne(order({ purchase_identifiers: { sparklayer: 'sl-other', visible: 'B2B01124' } }));
    expect((await client.createSaleOnce(other)).created).toBe(true);
    expect(sandbox.sales).toHaveLength(2);
  });
});

describe('the customer behind an order', () => {
  const primary = fixtureBody('fixtures/sparklayer/customers/get.primary.json') as Record<string, unknown>;

  it("is the R-Series customerID resolve-erp-account finds in the company's accounting_id", () => {
    const company = { ...primary, accounting_id: '7' };
    const resolved = run(resolveStep, { records: [structuredClone(documented)], customers: [company] }).envelope;
    expect(resolved.records[0]).toMatchObject({ erp_account: '7', erp_account_source: 'accounting_id' });
    const envelope = run(
      step,
      { ...resolved, products: catalogue, lightspeed_customers: customer7 },
      { variables: VARIABLES },
    ).envelope;
    expect(envelope.exceptions).toEqual([]);
    expect((envelope.records[0] as SaleCreate).customerID).toBe(7);
  });

  it('is created from erp_customer_create when the company has none, then the order books against it', async () => {
    const company: Record<string, unknown> = { ...primary, accounting_id: null };
    const resolved = run(
      resolveStep,
      { records: [structuredClone(documented)], customers: [company] },
      { variables: { unmapped_action: 'create' } },
    ).envelope;
    const request = (resolved.records[0] as { erp_customer_create: unknown }).erp_customer_create;
    const created = toCreateCustomerBody(request, 'left_value,right_value\nbase,2', {
      group: company.group as string,
      creditLimit: '5000',
    });
    expect(created).toEqual({
      ok: true,
      body: {
        firstName: 'Sam',
        lastName: 'Sample',
        company: 'Example Trading Ltd',
        customerTypeID: 2,
        Contact: {
          Addresses: {
            ContactAddress: [
              {
                address1: 'Unit 4, Example Trade Park',
                address2: 'Sample Road',
                city: 'Leeds',
                zip: 'LS1 1AA',
                countryCode: 'GB',
              },
            ],
          },
          Phones: { ContactPhone: [{ number: '+44 113 496 0123', useType: 'Work' }] },
          Emails: { ContactEmail: [{ address: 'sam.sample@example.com', useType: 'Primary' }] },
        },
        Note: { note: `SparkLayer customer ${primary.id as string}`, isPublic: false },
      },
      creditAccount: { name: 'Example Trading Ltd', creditLimit: 5000 },
    });
    if (!created.ok) return;

    const sandbox = new LightspeedRSandbox(await sandboxDataFromFixtures(ROOT));
    const client = new LightspeedRClient(sandboxConfig(), {
      adapter: inProcessAdapter(sandbox),
      sleep: async () => undefined,
    });
    const customer = await client.createCustomer(created.body, created.creditAccount);
    expect(customer.CreditAccount).toMatchObject({ name: 'Example Trading Ltd' });
    expect(customer.CreditAccount?.creditLimit?.toFixed()).toBe('5000');
    expect((await client.findCustomersByEmail('sam.sample@example.com')).map((c) => c.customerID)).toEqual([
      customer.customerID,
    ]);

    const withAccount = {
      ...(resolved.records[0] as Record<string, unknown>),
      erp_account: String(customer.customerID),
    };
    const body = mapOne(withAccount, VARIABLES, { products: catalogue, lightspeed_customers: [customer] });
    expect(body.SalePayments?.SalePayment[0]?.creditAccountID).toBe(customer.creditAccountID);
    expect((await client.createSaleOnce(body)).sale.completed).toBe(true);
  });

  it('is refused when its group is not in customer_group_map, or when nothing names it', () => {
    const request = {
      sparklayer_customer_id: 'c-1',
      company_name: 'Acme',
      contact: { first_name: null, last_name: null, email: null },
      addresses: [],
      currency: 'GBP',
    };
    expect(toCreateCustomerBody(request, 'left_value,right_value\ntrade,2', { group: 'retail' })).toMatchObject({
      ok: false,
      code: 'UNMAPPED_CUSTOMER_GROUP',
    });
    expect(toCreateCustomerBody({ ...request, company_name: null })).toMatchObject({
      ok: false,
      code: 'INVALID_CUSTOMER_REQUEST',
    });
    expect(toCreateCustomerBody(request, new Map(), { accountCurrency: 'USD' })).toMatchObject({
      ok: false,
      code: 'CURRENCY_MISMATCH',
    });
    // No credit limit given: no credit account is opened.
    expect(toCreateCustomerBody(request)).toEqual({
      ok: true,
      body: {
        firstName: '',
        lastName: '',
        company: 'Acme',
        Note: { note: 'SparkLayer customer c-1', isPublic: false },
      },
    });
  });
});
