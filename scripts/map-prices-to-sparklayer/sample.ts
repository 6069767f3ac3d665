// A worked example of map-prices-to-sparklayer, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

export const sample = defineSample(step, {
  variables: {
    as_of: '2026-12-08T09:00:00Z',
    missing_list_action: 'exception',
    unit_map: 'left_value,right_value\r\nMUG-ENAMEL-CASE12,MUG-ENAMEL-WHT*12\r\n',
  },
  records: [
    // The mug's base price and a break at 24: one entry for the each, and one for the case of 12 (54.00, and 50.40
    // from 2 cases), both carried by the first record; the second passes with none of its own.
    { price_list: 'trade-gbp', sku: 'MUG-ENAMEL-WHT', currency: 'GBP', quantity: 1, price: '4.50' },
    { price_list: 'trade-gbp', sku: 'MUG-ENAMEL-WHT', currency: 'GBP', quantity: '24', price: '4.20' },
    // As last published (previous): passes with no entry.
    { price_list: 'trade-gbp', sku: 'TOWEL-LINEN-NAT', currency: 'GBP', quantity: 1, price: '12.00' },
    // Next year's price: not yet.
    {
      price_list: 'trade-gbp',
      sku: 'TOWEL-LINEN-NAT',
      currency: 'GBP',
      quantity: 1,
      price: '12.60',
      valid_from: '2027-01-01',
    },
    // A break with no base price.
    { price_list: 'trade-gbp', sku: 'JUG-STONE-1L', currency: 'GBP', quantity: 6, price: '9.00' },
    // A list SparkLayer does not have.
    { price_list: 'trade-usd', sku: 'JUG-STONE-1L', currency: 'USD', quantity: 1, price: '11.00' },
    // A negative price withholds the apron's entry: its base price is skipped with it.
    { price_list: 'trade-gbp', sku: 'APRON-CANVAS', currency: 'GBP', quantity: 1, price: '14.00' },
    { price_list: 'trade-gbp', sku: 'APRON-CANVAS', currency: 'GBP', quantity: 10, price: '-1' },
  ],
  beside: {
    price_lists: [{ slug: 'trade-gbp', currency_code: 'gbp' }],
    previous: [{ sku: 'TOWEL-LINEN-NAT', price_list_slug: 'trade-gbp', pricing: [{ quantity: 1, price: 12 }] }],
  },
  expected: {
    passed: ['MUG-ENAMEL-WHT@trade-gbp', 'MUG-ENAMEL-WHT@trade-gbp', 'TOWEL-LINEN-NAT@trade-gbp'],
    skipped: [
      { id: 'TOWEL-LINEN-NAT@trade-gbp', reason: 'not-yet-valid' },
      { id: 'APRON-CANVAS@trade-gbp', reason: 'withheld' },
    ],
    exceptions: [
      { id: 'JUG-STONE-1L@trade-gbp', code: 'MISSING_BASE_PRICE' },
      { id: 'JUG-STONE-1L@trade-usd', code: 'UNKNOWN_PRICE_LIST' },
      { id: 'APRON-CANVAS@trade-gbp', code: 'INVALID_PRICE' },
    ],
  },
});
