// A worked example of lightspeed-r-stock-levels, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

export const sample = defineSample(step, {
  variables: {},
  // Items as GET Item.json with load_relations ["ItemShops"] answers them (the sandbox's own, fixtures/lightspeed-r/
  // items/list.with-item-shops.json, cut down): an item in two shops beside the shop 0 summary, an archived item with
  // one ItemShop (R-Series sends a collection of one as an object), a non-inventory item, and an item whose archived
  // flag is neither "true" nor "false".
  records: [
    {
      itemID: '41',
      systemSku: '210000000041',
      customSku: 'MUG-ENAMEL-WHT',
      archived: 'false',
      itemType: 'default',
      ItemShops: {
        ItemShop: [
          { itemShopID: '901', qoh: '126', sellable: '126', itemID: '41', shopID: '0' },
          { itemShopID: '902', qoh: '120', sellable: '120', itemID: '41', shopID: '1' },
          { itemShopID: '903', qoh: '-2', sellable: '0', itemID: '41', shopID: '2' },
        ],
      },
    },
    {
      itemID: '43',
      systemSku: '210000000043',
      customSku: 'JUG-STONE-1L',
      archived: 'true',
      itemType: 'default',
      ItemShops: { ItemShop: { itemShopID: '911', qoh: '0', sellable: '0', itemID: '43', shopID: '1' } },
    },
    { itemID: '60', systemSku: '210000000060', customSku: 'GIFT-WRAP', archived: 'false', itemType: 'non_inventory' },
    {
      itemID: '42',
      systemSku: '210000000042',
      customSku: 'TOWEL-LINEN-NAT',
      archived: 'maybe',
      itemType: 'default',
      ItemShops: { ItemShop: { itemShopID: '905', qoh: '3', sellable: '3', itemID: '42', shopID: '1' } },
    },
  ],
  expected: {
    passed: ['MUG-ENAMEL-WHT', 'JUG-STONE-1L'],
    skipped: [{ id: 'GIFT-WRAP', reason: 'non-inventory' }],
    exceptions: [{ id: 'TOWEL-LINEN-NAT', code: 'UNREADABLE_STOCK_ITEM' }],
  },
});
