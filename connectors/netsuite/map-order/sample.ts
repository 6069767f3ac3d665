// A worked example of map-order-to-netsuite, type-checked against the step; the tests run it.
import { defineSample } from '../../../runtime/step.js';
import { step } from './step.js';

const money = (number: string) => ({ number, currency: 'gbp' });
const order = (id: string, erpAccount: string | null) => ({
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
          identifiers: { sku: 'MUG-ENAMEL-CASE12' },
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

export const sample = defineSample(step, {
  variables: {
    on_account_mode: 'hold',
    unit_map: 'left_value,right_value\r\nMUG-ENAMEL-CASE12,id:98*12\r\n',
    tax_codes: 'left_value,right_value\r\n20,2:15\r\n',
  },
  records: [order('sl-1001', '110'), order('sl-1002', null)],
  expected: {
    passed: ['sl-1001'],
    skipped: [],
    exceptions: [{ id: 'sl-1002', code: 'MISSING_ACCOUNT' }],
  },
});
