// A worked example of lightspeed-x-inventory-request, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

const OUTLET = 'b8ca3a65-0183-11e4-fbb5-2816d2677218';

export const sample = defineSample(step, {
  variables: { inventory_page_size: '1000' },
  // Records as lightspeed-x-stock-levels keeps them (version as text): the next read starts after 3630064816.
  records: [
    { id: 'i-1', outlet_id: OUTLET, product_id: 'p-0003', current_inventory_level: 21, version: '3630064812' },
    { id: 'i-2', outlet_id: OUTLET, product_id: 'p-0005', current_inventory_level: 4, version: '3630064816' },
    { id: 'i-3', outlet_id: OUTLET, product_id: 'p-blk-s', current_inventory_level: 7, version: '3630064810' },
  ],
  expected: {
    passed: ['p-0003@' + OUTLET, 'p-0005@' + OUTLET, 'p-blk-s@' + OUTLET],
    skipped: [],
    exceptions: [],
  },
});
