// A worked example of check-order-prices, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

/** A SparkLayer purchase of 2 cases of 12 mugs at 96.00 and 12 towels at 54.00, for ERP account `account`. */
const purchase = (id: string, account: string | null, currency = 'GBP') => {
  const money = (number: string) => ({ number, currency });
  return {
    type: 'order',
    purchase_identifiers: { sparklayer: id },
    customer_identifiers: { sparklayer: '0b5e4d3c-2a19-4f08-9e7d-6c5b4a392817' },
    currency_code: currency,
    dates: { created_at: '2026-11-20T09:12:44+00:00', placed_at: '2026-11-20T09:15:02+00:00' },
    erp_account: account,
    packages: [
      {
        line_items: [
          { identifiers: { sku: 'MUG-ENAMEL-CASE12' }, quantity: 2, line_total: { total_net: money('96.00') } },
          { identifiers: { sku: 'TOWEL-LINEN-NAT' }, quantity: 12, line_total: { total_net: money('54.00') } },
        ],
      },
    ],
  };
};
const row = (price_list: string, sku: string, quantity: number, price: string, more = {}) => ({
  price_list,
  sku,
  currency: 'GBP',
  quantity,
  price,
  ...more,
});

export const sample = defineSample(step, {
  variables: {
    price_check: 'on',
    price_authority: 'erp',
    price_tolerance: '0.00',
    price_list_map: 'left_value,right_value\r\nC-1001,TRADE',
    default_price_list: 'RETAIL',
    // The ERP prices mugs by the each: a case of 12 is 12 MUG-ENAMEL.
    unit_map: 'left_value,right_value\r\nMUG-ENAMEL-CASE12,MUG-ENAMEL*12',
  },
  beside: {
    prices: [
      row('TRADE', 'MUG-ENAMEL', 1, '4.00'),
      row('TRADE', 'TOWEL-LINEN-NAT', 1, '4.80'),
      row('TRADE', 'TOWEL-LINEN-NAT', 12, '4.50'),
      row('RETAIL', 'MUG-ENAMEL', 1, '4.00'),
      row('RETAIL', 'TOWEL-LINEN-NAT', 1, '5.00', { valid_from: '2026-01-01', valid_to: '2026-12-31' }),
      // C-1104's own towel price.
      row('CUSTOMER', 'TOWEL-LINEN-NAT', 1, '4.25', { erp_account: 'C-1104' }),
    ],
  },
  records: [
    // TRADE: 24 mugs at 4.00, and 12 towels at the 12 break, 4.50: as SparkLayer priced them.
    purchase('sl-1001', 'C-1001'),
    // C-1104 pays 4.25 a towel, SparkLayer charged 4.50: PRICE_MISMATCH.
    purchase('sl-1002', 'C-1104'),
    // No account, and the ERP has no EUR prices: NO_ERP_PRICE.
    purchase('sl-1003', null, 'EUR'),
  ],
  expected: {
    passed: ['sl-1001'],
    skipped: [],
    exceptions: [
      { id: 'sl-1002', code: 'PRICE_MISMATCH' },
      { id: 'sl-1003', code: 'NO_ERP_PRICE' },
    ],
  },
});
