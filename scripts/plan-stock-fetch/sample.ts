// A worked example of plan-stock-fetch, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

export const sample = defineSample(step, {
  variables: { skus_per_request: '2' },
  records: [
    // Two locations of one SKU: the SKU is asked for once (the read covers every location).
    { sku: 'MUG-ENAMEL-WHT', stock_location_external_id: 'WH-NORTH', stock_level: 38 },
    { sku: 'MUG-ENAMEL-WHT', stock_location_external_id: 'WH-SOUTH', stock_level: 4 },
    { sku: 'MUG-ENAMEL-CASE12', stock_location_external_id: 'WH-NORTH', stock_level: 3 },
    { sku: 'TOWEL-LINEN-NAT', stock_location_external_id: 'WH-SOUTH', stock_level: 0 },
  ],
  expected: {
    passed: [
      'MUG-ENAMEL-WHT@WH-NORTH',
      'MUG-ENAMEL-WHT@WH-SOUTH',
      'MUG-ENAMEL-CASE12@WH-NORTH',
      'TOWEL-LINEN-NAT@WH-SOUTH',
    ],
    skipped: [],
    exceptions: [],
  },
});
