import { describe, expect, it } from 'vitest';
import { toPatchworksHandler } from '../../runtime/step.js';
import { step } from '../../scripts/resolve-erp-account/step.js';
import { purchase } from '../support/purchases.js';
import { ids, run } from '../support/run.js';
import { fixtureBody } from '../support/fixtures.js';
import { CART_IDS, shopify, shopifyCustomers, withoutFirstSku } from '../support/shopify-orders.js';

const primary = fixtureBody('fixtures/sparklayer/customers/get.primary.json') as Record<string, unknown>;
const subAccount = fixtureBody('fixtures/sparklayer/customers/get.sub-account.json') as Record<string, unknown>;
const orderFor = (id: string, companyId: string) =>
  purchase({ id, fields: { customer_identifiers: { sparklayer: companyId } } });
const MAP = 'left_value,right_value\r\n mapped-co , NS-0420 \r\n';

describe('resolve-erp-account', () => {
  it("uses the customer's own accounting_id when the customers ride beside the orders", () => {
    const { envelope } = run(step, {
      records: [orderFor('a', primary.id as string)],
      customers: [primary, subAccount],
    });
    expect(envelope.records).toEqual([
      {
        ...orderFor('a', primary.id as string),
        erp_account: primary.accounting_id,
        erp_account_source: 'accounting_id',
      },
    ]);
  });

  it("resolves a sub-account's order to its company's account, walking parent_customer_id", () => {
    expect(subAccount.parent_customer_id).toBe(primary.id);
    expect(subAccount.accounting_id).toBeUndefined();
    const { envelope } = run(step, {
      records: [orderFor('a', subAccount.id as string)],
      customers: [subAccount, primary],
    });
    expect(envelope.records[0]).toMatchObject({
      erp_account: primary.accounting_id,
      erp_account_source: 'company_accounting_id',
    });
  });

  it('finds a customer by its legacy cu_ id too', () => {
    const { envelope } = run(step, { records: [orderFor('a', primary.legacy_id as string)], customers: [primary] });
    expect(envelope.records[0]).toMatchObject({ erp_account: primary.accounting_id });
  });

  it('falls back to account_map (a CRLF CSV with stray spaces) for a company with no accounting_id', () => {
    const { envelope } = run(step, [orderFor('a', 'mapped-co')], { variables: { account_map: MAP } });
    expect(envelope.records[0]).toMatchObject({ erp_account: 'NS-0420', erp_account_source: 'account_map' });
  });

  it("looks up a sub-account's company in account_map when no one in the company has an accounting_id", () => {
    const company = { ...primary, id: 'mapped-co', accounting_id: null };
    const user = { ...subAccount, parent_customer_id: 'mapped-co' };
    const { envelope } = run(
      step,
      { records: [orderFor('a', subAccount.id as string)], customers: [user, company] },
      { variables: { account_map: MAP } },
    );
    expect(envelope.records[0]).toMatchObject({ erp_account: 'NS-0420', erp_account_source: 'account_map' });
  });

  it('prefers accounting_id over account_map', () => {
    const map = `left_value,right_value\n${primary.id as string},OTHER`;
    const { envelope } = run(
      step,
      { records: [orderFor('a', primary.id as string)], customers: [primary] },
      { variables: { account_map: map } },
    );
    expect(envelope.records[0]).toMatchObject({ erp_account: primary.accounting_id });
  });

  it(
    'never gives a default account: ' + 'an unmapped company is an UNMAPPED_ACCOUNT exception holding the whole order',
    () => {
      const order = orderFor('a', 'unknown-co');
      const { envelope } = run(step, [order], { variables: { account_map: MAP } });
      expect(envelope.records).toEqual([]);
      expect(envelope.exceptions).toEqual([
        {
          id: 'a',
          step: 'resolve-erp-account',
          code: 'UNMAPPED_ACCOUNT',
          message:
            'Company ID unknown-co has no ERP account: no SparkLayer customer record beside the order; ' +
            'unknown-co not in account_map',
          record: order,
          // The code's declared owner rides with the exception, for the flow to notify that team.
          owner: 'finance',
        },
      ]);
    },
  );

  it(
    'with unmapped_action=create, ' + 'continues with erp_account null and a customer-create request from the company',
    () => {
      const company = { ...primary, accounting_id: null };
      const { envelope } = run(
        step,
        { records: [orderFor('a', subAccount.id as string)], customers: [subAccount, company] },
        {
          variables: { unmapped_action: 'create' },
        },
      );
      expect(envelope.exceptions).toEqual([]);
      expect(envelope.records[0]).toMatchObject({
        erp_account: null,
        erp_customer_create: {
          sparklayer_customer_id: primary.id,
          company_name: primary.company_name,
          contact: { first_name: primary.first_name, last_name: primary.last_name, email: primary.email },
          addresses: primary.addresses,
          currency: 'GBP',
        },
      });
    },
  );

  it('with unmapped_action=create and no customer beside, builds the request from the order itself', () => {
    const order = orderFor('a', 'new-co');
    const { envelope } = run(step, [order], { variables: { unmapped_action: 'create' } });
    expect(envelope.records[0]).toMatchObject({
      erp_account: null,
      erp_customer_create: { sparklayer_customer_id: 'new-co', company_name: null, currency: 'GBP' },
    });
    expect(
      (envelope.records[0] as { erp_customer_create: { addresses: unknown[] } }).erp_customer_create.addresses,
    ).toEqual([order.billing_address, (order.packages as Array<{ shipping_address: unknown }>)[0]!.shipping_address]);
  });

  it('keeps the customers beside the records for later steps', () => {
    const { envelope } = run(step, { records: [orderFor('a', primary.id as string)], customers: [primary] });
    expect(envelope.customers).toEqual([primary]);
  });

  it('makes an order without a Company ID an INVALID_RECORD exception', () => {
    const { envelope } = run(step, [purchase({ id: 'a', fields: { customer_identifiers: {} } })]);
    expect(envelope.exceptions[0]).toMatchObject({
      code: 'INVALID_RECORD',
      message: expect.stringContaining('customer_identifiers.sparklayer: missing'),
    });
  });

  it.each([
    [
      'an unreadable account_map',
      { account_map: 'company,account\nCO-1,A' },
      'resolve-erp-account: setting "account_map" is not valid: the table cannot be read: the first line ' +
        'must be the header',
    ],
    [
      'an unknown unmapped_action',
      { unmapped_action: 'default' },
      'resolve-erp-account: setting "unmapped_action" is not valid: "default" is not one of exception, ' +
        'create (from variables: "default").',
    ],
  ])('fails the whole step on %s', async (_, variables, message) => {
    await expect(toPatchworksHandler(step)({ payload: '[]', variables })).rejects.toThrow(message);
  });

  it('fails the whole step when the customers beside the records are malformed', async () => {
    const payload = JSON.stringify({ records: [], customers: [{ id: 7 }] });
    await expect(toPatchworksHandler(step)({ payload })).rejects.toThrow(
      /^resolve-erp-account: the data beside the records is malformed at customers\[0\]\.id/,
    );
  });

  it('leaves every order unchanged but for the fields it adds', () => {
    const order = orderFor('a', primary.id as string);
    const { data } = run(step, { records: [order], customers: [primary] });
    const out = JSON.parse(data.payload!).records[0];
    const { erp_account: _account, erp_account_source: _source, ...rest } = out;
    expect(JSON.stringify(rest)).toBe(JSON.stringify(order));
    expect(ids([out])).toEqual(['a']);
  });
});

describe('resolve-erp-account with order_format (Shopify orders booked by SparkLayer checkout)', () => {
  const { graphql, rest } = shopify;
  it.each([
    ['shopify_graphql', 'the on-account draft', graphql.b2bDraft, 'NS-7701'],
    ['shopify_graphql', 'the paid card order', graphql.cardOrder, 'NS-7702'],
    ['shopify_rest', 'the on-account draft', rest.b2bDraft, 'NS-7701'],
    ['shopify_rest', 'the paid card order', rest.cardOrder, 'NS-7702'],
  ] as const)(
    '%s: %s gets the account of the SparkLayer customer whose external_id is its Shopify customer',
    (format, _, record, account) => {
      const { envelope } = run(
        step,
        { records: [record], customers: shopifyCustomers },
        { variables: { order_format: format } },
      );
      expect(envelope.exceptions).toEqual([]);
      // The Shopify record as it came, with the account added.
      expect(envelope.records).toEqual([{ ...record, erp_account: account, erp_account_source: 'accounting_id' }]);
      expect(envelope.customers).toEqual(shopifyCustomers);
    },
  );

  it.each([
    ['shopify_graphql', graphql.cardOrder, graphql.b2bDraft, 'lineItems[0].sku: missing'],
    ['shopify_rest', rest.cardOrder, rest.b2bDraft, 'line_items[0].sku: missing'],
  ] as const)(
    '%s: a record that cannot be read is an INVALID_RECORD exception naming the field; its neighbour passes',
    (format, record, neighbour, field) => {
      const broken = withoutFirstSku(record);
      const { envelope } = run(
        step,
        { records: [broken, neighbour], customers: shopifyCustomers },
        { variables: { order_format: format } },
      );
      expect(envelope.records).toEqual([{ ...neighbour, erp_account: 'NS-7701', erp_account_source: 'accounting_id' }]);
      expect(envelope.exceptions).toEqual([
        expect.objectContaining({ id: CART_IDS.cardOrder, code: 'INVALID_RECORD', record: broken }),
      ]);
      expect(envelope.exceptions[0]!.message).toContain(field);
    },
  );

  it('an order whose Shopify customer is no SparkLayer customer is an exception naming the Shopify id', () => {
    const { envelope } = run(
      step,
      { records: [graphql.cardOrder, graphql.b2bDraft], customers: [shopifyCustomers[0]] },
      { variables: { order_format: 'shopify_graphql', unmapped_action: 'create' } },
    );
    expect(envelope.records).toHaveLength(1);
    expect(envelope.exceptions).toEqual([expect.objectContaining({ id: CART_IDS.cardOrder, code: 'INVALID_RECORD' })]);
    expect(envelope.exceptions[0]!.message).toContain('customer.id 7702: no SparkLayer customer');
  });

  it('an order of a customer with no ERP account is UNMAPPED_ACCOUNT, or an account to create', () => {
    const customers = [{ id: 'a1b2c3d4-0000-4000-8000-000000007701', external_id: '7701' }];
    const exception = run(
      step,
      { records: [rest.b2bDraft], customers },
      { variables: { order_format: 'shopify_rest' } },
    );
    expect(exception.envelope.exceptions).toEqual([
      expect.objectContaining({ id: CART_IDS.b2bDraft, code: 'UNMAPPED_ACCOUNT', record: rest.b2bDraft }),
    ]);
    const created = run(
      step,
      { records: [rest.b2bDraft], customers },
      { variables: { order_format: 'shopify_rest', unmapped_action: 'create' } },
    );
    expect(created.envelope.records[0]).toMatchObject({
      erp_account: null,
      erp_customer_create: { sparklayer_customer_id: customers[0]!.id, currency: 'GBP' },
    });
  });
});
