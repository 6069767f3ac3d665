// A worked example of keep-stock-queue, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

export const sample = defineSample(step, {
  variables: { reminder_hours: '24', as_of: '2026-11-22T09:15:00Z' },
  // SparkLayer took the mug's new level; the towel's batch was refused.
  records: [{ sku: 'MUG-ENAMEL-WHT', stock_location_external_id: 'warehouse-1', stock_level: 38 }],
  beside: {
    published: [
      { sku: 'MUG-ENAMEL-WHT', stock_location_external_id: 'warehouse-1', stock_level: 40 },
      { sku: 'SOAP-OLIVE-100', stock_location_external_id: 'warehouse-1', stock_level: 5 },
    ],
    queue: [],
    mapped: [
      {
        exceptions: [
          {
            id: 'TSHIRT-WHT-S@9',
            code: 'UNMAPPED_LOCATION',
            owner: 'integration',
            message: 'location "9" is not in location_map',
            record: { sku: 'TSHIRT-WHT-S', location: '9', on_hand: '4' },
          },
        ],
        notices: [],
        unknown_stock_skus: [],
      },
    ],
    refused: [
      {
        error: 'HTTP 400 Bad Request: stock location warehouse-3 does not exist',
        shape: 'Update SparkLayer stock',
        record: [{ sku: 'TOWEL-LINEN-NAT', stock_location_external_id: 'warehouse-3', stock_level: 3 }],
      },
    ],
  },
  expected: { passed: ['MUG-ENAMEL-WHT@warehouse-1'], skipped: [], exceptions: [] },
});
