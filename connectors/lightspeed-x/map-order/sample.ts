// A worked example of map-order-to-lightspeed-x, type-checked against the step; the tests run it.
import { defineSample } from '../../../runtime/step.js';
import { step } from './step.js';

const money = (number: string) => ({ number, currency: 'gbp' });
const order = (id: string, erpAccount: string | null, sku = 'MUG-ENAMEL-CASE12') => ({
  type: 'order',
  purchase_identifiers: { sparklayer: id, visible: 'B2B01123' },
  customer_identifiers: { sparklayer: '0b5e4d3c-2a19-4f08-9e7d-6c5b4a392817' },
  payment_method: 'on_account',
  customer_reference: 'PO-4471',
  currency_code: 'GBP',
  dates: { placed_at: '2026-11-20T09:15:02+00:00' },
  packages: [
    {
      line_items: [
        {
          identifiers: { sku },
          name_parent: 'Enamel Mug, case of 12',
          quantity: 2,
          line_total: {
            total_net: money('96.00'),
            total_gross: money('115.20'),
            discount_net: money('0.00'),
            tax_rate: 20,
          },
        },
      ],
      shipping_method: {
        name: 'Standard Shipping',
        line_total: { total_net: money('7.50'), total_gross: money('9.00') },
      },
    },
  ],
  erp_account: erpAccount,
});

// X-Series ids from Lightspeed's documentation examples (connectors/lightspeed-x/openapi.json).
const STARK = 'b8ca3a65-0183-11e4-fbb5-4f73f02a9d1c';
const product = (id: string, sku: string, fields: Record<string, unknown> = {}) => ({
  id,
  sku,
  active: true,
  is_active: true,
  has_variants: false,
  ...fields,
});

export const sample = defineSample(step, {
  variables: {
    on_account_mode: 'hold',
    unit_map: 'left_value,right_value\r\nMUG-ENAMEL-CASE12,0003*12\r\n',
    user_id: '020b2c2a-4661-11f0-e88b-1afde45e0728',
    register_id: 'b1e198a9-f019-11e3-a0f5-b8ca3a64f8f4',
    tax_ids:
      'left_value,right_value\r\n20,b1d192bc-f019-11e3-a0f5-b8ca3a64f8f4\r\n0,b1d192bc-f019-11e3-a0f5-b8ca3a64f8f5\r\n',
    shipping_product_id: 'b8ca3a65-0183-11e4-fbb5-9776c611d865',
    store_currency: 'GBP',
  },
  records: [order('sl-1001', STARK), order('sl-1002', null), order('sl-1003', STARK, 'RETIRED-MUG')],
  beside: {
    products: [
      product('b8ca3a65-0183-11e4-fbb5-9776c5cd0240', '0003'),
      product('b8ca3a65-0183-11e4-fbb5-9776c5faaed2', 'retired-mug', {
        deleted_at: '2016-02-03T01:02:03+00:00',
        active: false,
        is_active: false,
      }),
    ],
  },
  expected: {
    passed: ['sl-1001'],
    skipped: [],
    exceptions: [
      { id: 'sl-1002', code: 'MISSING_ACCOUNT' },
      { id: 'sl-1003', code: 'ARCHIVED_ITEM' },
    ],
  },
});
