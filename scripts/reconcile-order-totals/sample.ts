// A worked example of reconcile-order-totals, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

const money = (number: string) => ({ number, currency: 'gbp' });
const order = (id: string, po: string) => ({
  type: 'order',
  purchase_identifiers: { sparklayer: id },
  customer_identifiers: { sparklayer: '0b5e4d3c-2a19-4f08-9e7d-6c5b4a392817' },
  customer_reference: po,
  currency_code: 'GBP',
  packages: [
    {
      line_items: [
        {
          identifiers: { sku: 'MUG-ENAMEL-CASE12' },
          quantity: 2,
          line_total: { total_net: money('96.00'), total_gross: money('115.20') },
        },
        {
          identifiers: { sku: 'TOWEL-LINEN-NAT' },
          quantity: 12,
          line_total: { total_net: money('54.00'), total_gross: money('64.80') },
        },
      ],
      shipping_method: {
        name: 'Standard Shipping',
        line_total: { total_net: money('7.50'), total_gross: money('9.00') },
      },
    },
  ],
});

export const sample = defineSample(step, {
  variables: { tolerance: '0.01' },
  beside: {
    target: [
      { reference: 'sl-1001', currency: 'GBP', net: '157.50', tax: '31.50', gross: '189.00', shipping: '7.50' },
      // VAT rounded per line in the ERP: 2 pence more tax.
      { reference: 'sl-1002', currency: 'GBP', net: '157.50', tax: '31.52', gross: '189.02', shipping: '7.50' },
      { reference: 'erp-only-7', currency: 'GBP', net: '10.00', tax: '2.00', gross: '12.00' },
    ],
  },
  records: [order('sl-1001', 'PO-4471'), order('sl-1002', 'PO-4472'), order('sl-1003', 'PO-4473')],
  expected: {
    passed: ['sl-1001'],
    skipped: [],
    exceptions: [
      { id: 'sl-1002', code: 'TOTAL_MISMATCH' },
      { id: 'sl-1003', code: 'MISSING_IN_TARGET' },
      { id: 'erp-only-7', code: 'UNKNOWN_TARGET_ORDER' },
    ],
  },
});
