// A worked example of netsuite-stock-levels, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

export const sample = defineSample(step, {
  variables: {},
  // Rows as the stock query answers them (the sandbox's own, connectors/netsuite fixtures): an inactive item, a
  // matrix parent, an item with stock committed, and a row whose isinactive is neither T nor F.
  records: [
    {
      item: '55',
      location: '1',
      quantityonhand: '5',
      quantityavailable: '5',
      itemid: 'JUG-STONE-1L',
      isinactive: 'T',
    },
    {
      item: '200',
      location: '1',
      quantityonhand: '0',
      quantityavailable: '0',
      itemid: 'APRON-LINEN',
      isinactive: 'F',
      matrixtype: 'PARENT',
    },
    {
      item: '98',
      location: '1',
      quantityonhand: '40',
      quantityavailable: '34',
      quantitycommitted: '6',
      itemid: 'MUG-ENAMEL-WHT',
      isinactive: 'F',
    },
    { item: '77', location: '1', quantityonhand: '3', itemid: 'TOWEL-LINEN-NAT', isinactive: 'maybe' },
  ],
  expected: {
    passed: ['JUG-STONE-1L@1', 'APRON-LINEN@1', 'MUG-ENAMEL-WHT@1'],
    skipped: [],
    exceptions: [{ id: 'TOWEL-LINEN-NAT@1', code: 'UNREADABLE_STOCK_ROW' }],
  },
});
