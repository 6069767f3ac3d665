// The X-Series account of an order, through resolve-erp-account's rules (the account is the X-Series customer id),
// and the customer created when a company has none: toCreateCustomerBody, then the client against the fake X-Series.
import { describe, expect, it } from 'vitest';
import { LightspeedXClient } from '../../../../connectors/lightspeed-x/dev/client.js';
import { toCreateCustomerBody, UnmappedCustomerGroupError } from '../../../../connectors/lightspeed-x/dev/customer.js';
import {
  inProcessFetch,
  LightspeedXSandbox,
  sandboxConfig,
  sandboxDataFromFixtures,
} from '../../../../connectors/lightspeed-x/dev/sandbox.js';
import type { SaleRequest } from '../../../../connectors/lightspeed-x/schemas.js';
import { parseTable } from '../../../../runtime/tables.js';
import { step as mapOrder } from '../../../../connectors/lightspeed-x/map-order/step.js';
import { step as resolveAccount } from '../../../../scripts/resolve-erp-account/step.js';
import { purchase } from '../../../support/purchases.js';
import { run } from '../../../support/run.js';
import { ROOT } from '../../../support/steps.js';

const STARK = 'b8ca3a65-0183-11e4-fbb5-4f73f02a9d1c';
const VIP = 'dc85058a-a683-11e5-e112-46b9bd1f069e';
const COMPANY = '0b5e4d3c-2a19-4f08-9e7d-6c5b4a392817';
const MAP_VARIABLES = {
  user_id: '020b2c2a-4661-11f0-e88b-1afde45e0728',
  unit_map: '{"MUG-ENAMEL-CASE12": "0003*12", "TOWEL-LINEN-NAT": "0006"}',
  tax_ids: '{"20": "b1d192bc-f019-11e3-a0f5-b8ca3a64f8f4"}',
  shipping_product_id: 'b8ca3a65-0183-11e4-fbb5-9776c611d865',
};
const data = await sandboxDataFromFixtures(ROOT);
const products = data.products;

const company = (fields: Record<string, unknown> = {}) => ({
  id: COMPANY,
  company_name: 'Birchwood Interiors Ltd',
  first_name: 'Harriet',
  last_name: 'Oakfield',
  email: 'harriet@birchwood.example.com',
  group: 'trade',
  addresses: [
    {
      address_line1: '3 Tannery Yard',
      city: 'York',
      postcode: 'YO1 7HB',
      region_code: 'YOR',
      country_code: 'gb',
      phone: '01904 000000',
    },
    { address_line1: 'Unit 4, Example Trade Park', city: 'Leeds', postcode: 'LS1 1AA', country_code: 'GB' },
  ],
  ...fields,
});

describe('the X-Series account through resolve-erp-account', () => {
  it('books the order to the X-Series customer id kept in the company’s accounting_id', () => {
    const resolved = run(resolveAccount, {
      records: [purchase({ id: 'sl-1' })],
      customers: [company({ accounting_id: STARK })],
    }).envelope;
    expect(resolved.records[0]).toMatchObject({ erp_account: STARK, erp_account_source: 'accounting_id' });
    const mapped = run(mapOrder, { ...resolved, products }, { variables: MAP_VARIABLES }).envelope;
    expect(mapped.exceptions).toEqual([]);
    expect((mapped.records[0] as SaleRequest).customer_id).toBe(STARK);
  });

  it('or in account_map; a code that is not an X-Series id is refused at mapping, never guessed', () => {
    const byMap = run(resolveAccount, [purchase({ id: 'sl-1' })], {
      variables: { account_map: `{"${COMPANY}": "${STARK}"}` },
    }).envelope;
    expect(run(mapOrder, { ...byMap, products }, { variables: MAP_VARIABLES }).envelope.records).toHaveLength(1);
    const byCode = run(resolveAccount, [purchase({ id: 'sl-2' })], {
      variables: { account_map: `{"${COMPANY}": "Tony-N4ZJ"}` },
    }).envelope;
    expect(
      run(mapOrder, { ...byCode, products }, { variables: MAP_VARIABLES }).envelope.exceptions.map((e) => e.code),
    ).toEqual(['UNRESOLVED_ACCOUNT']);
  });

  it('creates the customer a new company lacks, once, and the order maps to it', async () => {
    const sandbox = new LightspeedXSandbox(data);
    const lightspeed = new LightspeedXClient(sandboxConfig(), { fetch: inProcessFetch(sandbox) });
    const resolved = run(
      resolveAccount,
      { records: [purchase({ id: 'sl-3' })], customers: [company()] },
      { variables: { unmapped_action: 'create' } },
    ).envelope;
    const order = resolved.records[0] as Record<string, unknown> & { erp_customer_create: Record<string, unknown> };
    expect(order.erp_account).toBeNull();

    const groups = parseTable('left_value,right_value\ntrade,' + VIP);
    const body = toCreateCustomerBody({ ...order.erp_customer_create, group: 'trade' } as never, groups);
    const first = await lightspeed.ensureCustomer(body);
    const again = await lightspeed.ensureCustomer(body);
    expect(first.created).toBe(true);
    expect(again).toEqual({ customer: first.customer, created: false });
    expect(first.customer).toMatchObject({
      customer_code: COMPANY,
      customer_group_id: VIP,
      company_name: 'Birchwood Interiors Ltd',
    });

    const mapped = run(
      mapOrder,
      { records: [{ ...order, erp_account: first.customer.id }], products },
      { variables: MAP_VARIABLES },
    ).envelope;
    expect((mapped.records[0] as SaleRequest).customer_id).toBe(first.customer.id);
  });
});

describe('toCreateCustomerBody', () => {
  const groups = parseTable({ trade: VIP });

  it('writes the company, its contact, the SparkLayer id as customer_code, both addresses and the group', () => {
    expect(
      toCreateCustomerBody(
        {
          sparklayer_customer_id: COMPANY,
          company_name: 'Birchwood Interiors Ltd',
          contact: { first_name: 'Harriet', last_name: 'Oakfield', email: 'harriet@birchwood.example.com' },
          addresses: company().addresses,
          currency: 'gbp',
          group: 'trade',
        },
        groups,
      ),
    ).toEqual({
      first_name: 'Harriet',
      last_name: 'Oakfield',
      customer_code: COMPANY,
      company_name: 'Birchwood Interiors Ltd',
      email: 'harriet@birchwood.example.com',
      phone: '01904 000000',
      customer_group_id: VIP,
      postal_address_1: '3 Tannery Yard',
      postal_city: 'York',
      postal_postcode: 'YO1 7HB',
      postal_state: 'YOR',
      postal_country_id: 'GB',
      physical_address_1: 'Unit 4, Example Trade Park',
      physical_city: 'Leeds',
      physical_postcode: 'LS1 1AA',
      physical_country_id: 'GB',
      note: `SparkLayer customer ${COMPANY}; currency GBP`,
    });
  });

  it(
    'sends null names when SparkLayer has none (X-Series requires the keys, allows null), and no group ' +
      'without one',
    () => {
      const body = toCreateCustomerBody(
        {
          sparklayer_customer_id: 'c-1',
          company_name: null,
          contact: { first_name: null, last_name: ' ', email: null },
          addresses: [],
          currency: null,
        },
        groups,
      );
      expect(body).toEqual({
        first_name: null,
        last_name: null,
        customer_code: 'c-1',
        note: 'SparkLayer customer c-1',
      });
    },
  );

  it('refuses a group the map lacks instead of the store’s default group', () => {
    expect(() => toCreateCustomerBody({ sparklayer_customer_id: 'c-1', group: 'wholesale' }, groups)).toThrow(
      UnmappedCustomerGroupError,
    );
  });
});
