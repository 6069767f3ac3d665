// A worked example of compare-stock-levels, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

export const sample = defineSample(step, {
  variables: { tolerance: '1' },
  records: [
    // SparkLayer has 38: matches.
    { sku: 'MUG-ENAMEL-WHT', stock_location_external_id: 'WH-NORTH', stock_level: 38 },
    // SparkLayer has 5, one more than 4: within tolerance 1.
    { sku: 'MUG-ENAMEL-WHT', stock_location_external_id: 'WH-SOUTH', stock_level: 4 },
    // SparkLayer has 9 cases, the back-end gives 3: STOCK_DIFFERS.
    { sku: 'MUG-ENAMEL-CASE12', stock_location_external_id: 'WH-NORTH', stock_level: 3 },
    // SparkLayer holds nothing for the pair.
    { sku: 'TOWEL-LINEN-NAT', stock_location_external_id: 'WH-SOUTH', stock_level: 0 },
  ],
  beside: {
    sparklayer: [
      {
        'MUG-ENAMEL-WHT': [
          { sku: 'MUG-ENAMEL-WHT', stock_location_id: 'a1', stock_location_external_id: 'WH-NORTH', stock_level: 38 },
          { sku: 'MUG-ENAMEL-WHT', stock_location_id: 'a2', stock_location_external_id: 'WH-SOUTH', stock_level: 5 },
        ],
        'MUG-ENAMEL-CASE12': [
          { sku: 'MUG-ENAMEL-CASE12', stock_location_id: 'a1', stock_location_external_id: 'WH-NORTH', stock_level: 9 },
        ],
      },
    ],
  },
  expected: {
    passed: ['MUG-ENAMEL-WHT@WH-NORTH', 'MUG-ENAMEL-WHT@WH-SOUTH'],
    skipped: [],
    exceptions: [
      { id: 'MUG-ENAMEL-CASE12@WH-NORTH', code: 'STOCK_DIFFERS' },
      { id: 'TOWEL-LINEN-NAT@WH-SOUTH', code: 'STOCK_NOT_IN_SPARKLAYER' },
    ],
  },
});
