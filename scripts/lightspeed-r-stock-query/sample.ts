// A worked example of lightspeed-r-stock-query, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

export const sample = defineSample(step, {
  variables: {},
  // Items as lightspeed-r-stock-levels keeps them: the next read asks for ItemShops modified at or after
  // 2026-11-21T10:20:40+00:00, the latest (the shop 0 summary's moves with every shop).
  records: [
    {
      itemID: '41',
      customSku: 'MUG-ENAMEL-WHT',
      archived: 'false',
      itemType: 'default',
      ItemShops: {
        ItemShop: [
          { itemID: '41', shopID: '0', qoh: '126', sellable: '126', timeStamp: '2025-06-18T18:30:09+00:00' },
          { itemID: '41', shopID: '1', qoh: '120', sellable: '120', timeStamp: '2025-06-18T18:30:09+00:00' },
        ],
      },
    },
    {
      itemID: '44',
      systemSku: '210000000044',
      archived: 'false',
      itemType: 'default',
      ItemShops: {
        ItemShop: [
          { itemID: '44', shopID: '0', qoh: '4', sellable: '4', timeStamp: '2026-11-21T10:20:40+00:00' },
          { itemID: '44', shopID: '1', qoh: '4', sellable: '4', timeStamp: '2026-11-21T10:20:40+00:00' },
        ],
      },
    },
  ],
  expected: { passed: ['item 41', 'item 44'], skipped: [], exceptions: [] },
});
