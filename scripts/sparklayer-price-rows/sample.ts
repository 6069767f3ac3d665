// A worked example of sparklayer-price-rows, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

export const sample = defineSample(step, {
  variables: {},
  // The trade-gbp list's answer to GET /api/v1/price-lists/trade-gbp/pricing, one entry per SKU and break, ordered by
  // SKU (the entry's fields are UNVERIFIED: sku, quantity and price, as the update rows have them): the jug's base
  // price as decimal text, the mug's base price and a break from 24, a towel priced "0.10" (kept as that text), and a
  // mug break whose price is not a number.
  records: [
    { sku: 'JUG-STONE-1L', quantity: 1, price: '9.00' },
    { sku: 'MUG-ENAMEL-WHT', quantity: 1, price: 4.5 },
    { sku: 'MUG-ENAMEL-WHT', quantity: 24, price: 4.2 },
    { sku: 'MUG-ENAMEL-WHT', quantity: 48, price: 'n/a' },
    { sku: 'TOWEL-LINEN-NAT', quantity: 1, price: '0.10' },
  ],
  beside: {
    price_list: 'trade-gbp',
    // GET /api/v2/price-lists `data`, as fixtures/sparklayer/price-lists/list.page-*.json give it.
    price_lists: [
      { slug: 'base-list', name: 'Base Price List', currency_code: 'gbp', source: 'custom' },
      { slug: 'trade-gbp', name: 'Trade GBP', currency_code: 'gbp', source: 'integration' },
    ],
  },
  expected: {
    passed: ['JUG-STONE-1L x1', 'MUG-ENAMEL-WHT x1', 'MUG-ENAMEL-WHT x24', 'TOWEL-LINEN-NAT x1'],
    skipped: [],
    exceptions: [{ id: 'MUG-ENAMEL-WHT x48', code: 'INVALID_PRICE' }],
  },
});
