// A worked example of map-stock-to-sparklayer, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

export const sample = defineSample(step, {
  variables: {
    stock_buffer: '2',
    unit_map: 'left_value,right_value\r\nMUG-ENAMEL-CASE12,MUG-ENAMEL-WHT*12\r\nMUG-ENAMEL-CASE6,MUG-ENAMEL-WHT*6\r\n',
    location_map: 'left_value,right_value\r\n1,WH-NORTH\r\n2,WH-NORTH\r\n3,WH-SOUTH\r\n',
  },
  records: [
    // 30 at shop 1 and 10 sellable at shop 2 feed WH-NORTH: 40 − 2 = 38 eaches, 3 cases of 12, 6 of 6.
    // Four rows from two records: the first carries them, the second passes with none of its own.
    { sku: 'MUG-ENAMEL-WHT', location: '1', on_hand: '30', product_id: '41', source: 'lightspeed-r' },
    { sku: 'MUG-ENAMEL-WHT', location: '2', on_hand: '12', available: '10', product_id: '41', source: 'lightspeed-r' },
    // −3 on hand publishes 0; unchanged since the last run (previous), so it passes with no row.
    { sku: 'TOWEL-LINEN-NAT', location: '3', on_hand: '-3', product_id: '42', source: 'lightspeed-r' },
    // Archived: published as 0, with an ARCHIVED_ITEM notice for operations.
    { sku: 'TSHIRT-WHT-S', location: '1', on_hand: 7, product_id: '133', source: 'lightspeed-r', archived: true },
    // A shop not in location_map.
    { sku: 'TSHIRT-WHT-S', location: '9', on_hand: '4', product_id: '133', source: 'lightspeed-r' },
    { sku: 'APRON-CANVAS', location: '1', on_hand: 'twelve', product_id: '150', source: 'lightspeed-r' },
    // A family parent has no stock of its own.
    { sku: 'TSHIRT-WHT', location: '1', on_hand: '0', product_id: '130', source: 'lightspeed-r', has_variants: true },
  ],
  beside: {
    previous: [{ sku: 'TOWEL-LINEN-NAT', stock_location_external_id: 'WH-SOUTH', stock_level: 0 }],
    expected_skus: ['MUG-ENAMEL-WHT', 'MUG-ENAMEL-CASE12', 'TOWEL-LINEN-NAT', 'SOAP-OLIVE-100'],
  },
  expected: {
    passed: ['MUG-ENAMEL-WHT@1', 'MUG-ENAMEL-WHT@2', 'TOWEL-LINEN-NAT@3', 'TSHIRT-WHT-S@1'],
    skipped: [{ id: 'TSHIRT-WHT@1', reason: 'variant-parent' }],
    exceptions: [
      { id: 'TSHIRT-WHT-S@9', code: 'UNMAPPED_LOCATION' },
      { id: 'APRON-CANVAS@1', code: 'INVALID_QUANTITY' },
    ],
  },
});
