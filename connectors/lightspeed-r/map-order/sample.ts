// A worked example of map-order-to-lightspeed-r, type-checked against the step; the tests run it.
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

export const sample = defineSample(step, {
  variables: {
    on_account_mode: 'hold',
    shop_id: '1',
    register_id: '1',
    employee_id: '1',
    unit_map: 'left_value,right_value\r\nMUG-ENAMEL-CASE12,MUG-ENAMEL-WHT*12\r\n',
    tax_categories: 'left_value,right_value\r\n20,3\r\n',
  },
  // R-Series items as GET Item.json returns them, riding beside the orders (strings and all).
  beside: {
    products: [
      { itemID: '41', customSku: 'MUG-ENAMEL-WHT', archived: 'false' },
      { itemID: '43', customSku: 'JUG-STONE-1L', archived: 'true' },
    ],
  },
  records: [
    order('sl-2001', '7'),
    order('sl-2002', null),
    order('sl-2003', '7', 'JUG-STONE-1L'),
    order('sl-2004', '7', 'NO-SUCH-SKU'),
  ],
  expected: {
    passed: ['sl-2001'],
    skipped: [],
    exceptions: [
      { id: 'sl-2002', code: 'MISSING_ACCOUNT' },
      { id: 'sl-2003', code: 'ARCHIVED_ITEM' },
      { id: 'sl-2004', code: 'UNMAPPED_SKU' },
    ],
  },
});
