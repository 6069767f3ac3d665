// A worked example of lightspeed-x-stock-levels, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

const OUTLET = 'b8ca3a65-0183-11e4-fbb5-2816d2677218';
const rec = (id: string, product_id: string, current_inventory_level: number, version: number) => ({
  id,
  outlet_id: OUTLET,
  product_id,
  current_inventory_level,
  deleted_at: null,
  version,
});

export const sample = defineSample(step, {
  variables: {},
  // Inventory records and products as the sandbox's X-Series answers them (fixtures/lightspeed-x/inventory/
  // records.json, products/*.json, cut down): a plain product, a deleted one, a variant and its parent, and a record
  // whose product was not read.
  records: [
    rec('i-1', 'p-0003', 21, 3630064812),
    rec('i-2', 'p-0005', 4, 3630064814),
    rec('i-3', 'p-blk-s', 7, 3630064810),
    rec('i-4', 'p-parent', 21, 2398817047),
    rec('i-5', 'p-gone', 1, 3630064816),
  ],
  beside: {
    products: [
      {
        data: [
          { id: 'p-0003', sku: '0003', active: true, is_active: true, has_variants: false, version: 59780745 },
          {
            id: 'p-0005',
            sku: '0005',
            active: false,
            is_active: false,
            deleted_at: '2016-02-03T01:02:03+00:00',
            version: 59780900,
          },
          { id: 'p-parent', sku: '787878', active: true, has_variants: true, version: 4284638488 },
          { id: 'p-blk-s', sku: '787878-blk-s', active: true, variant_parent_id: 'p-parent', version: 4284638490 },
        ],
      },
    ],
  },
  expected: {
    skipped: [],
    passed: ['p-0003@' + OUTLET, 'p-0005@' + OUTLET, 'p-blk-s@' + OUTLET, 'p-parent@' + OUTLET],
    exceptions: [{ id: 'p-gone@' + OUTLET, code: 'UNREADABLE_STOCK_RECORD' }],
  },
});
