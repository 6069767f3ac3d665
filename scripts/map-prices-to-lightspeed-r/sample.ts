// A worked example of map-prices-to-lightspeed-r, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { tableCsv } from '../../runtime/tables.js';
import { step } from './step.js';

const price = (amount: string, useTypeID: string, useType: string) => ({ amount, useTypeID, useType });
const row = (sku: string, price: string, extra: Record<string, unknown> = {}) => ({
  price_list: 'trade-gbp',
  sku,
  currency: 'GBP',
  quantity: 1,
  price,
  ...extra,
});

export const sample = defineSample(step, {
  // SparkLayer's trade list feeds the R-Series level "Online" (any case); the web list is not sent to the store.
  variables: {
    list_to_price_level: tableCsv(['trade-gbp,online']),
    store_currency: 'GBP',
    as_of: '2026-12-08T09:00:00Z',
  },
  records: [
    // The mug's trade price moves 4.50 → 4.20: one body, every level of the item (Default and MSRP as they are).
    row('MUG-ENAMEL-WHT', '4.20'),
    // As the item already has it ("3.2" is 3.20): skipped, unchanged.
    row('210000000042', '3.20'),
    // A break above 1: R-Series levels have one price an item.
    row('MUG-ENAMEL-WHT', '4.00', { quantity: 24 }),
    // Another currency than the store's.
    row('TRAY-OAK-L', '14.00', { currency: 'EUR' }),
    // No live item has this SKU (the jug is archived).
    row('JUG-STONE-1L', '9.00'),
    // Not a decimal.
    row('TRAY-OAK-L', '12,00'),
    // A list not mapped to a level.
    { price_list: 'web-gbp', sku: 'MUG-ENAMEL-WHT', currency: 'GBP', quantity: 1, price: '5.00' },
  ],
  // GET PriceLevel.json and GET Item.json records as R-Series answers them (fixtures/lightspeed-r/price-levels/
  // list.json; items cut down from fixtures/lightspeed-r/items/list.catalogue.json), Prices in its forms.
  beside: {
    price_levels: [
      { priceLevelID: '1', name: 'Default', archived: 'false', canBeArchived: 'false', type: 'fixed', Calculation: '' },
      { priceLevelID: '3', name: 'Online', archived: 'false', canBeArchived: 'false', type: 'fixed', Calculation: '' },
    ],
    items: [
      {
        itemID: '41',
        systemSku: '210000000041',
        customSku: 'MUG-ENAMEL-WHT',
        archived: 'false',
        Prices: { ItemPrice: [price('4.50', '1', 'Default'), price('0', '2', 'MSRP'), price('4.50', '3', 'Online')] },
      },
      {
        itemID: '42',
        systemSku: '210000000042',
        customSku: '',
        archived: 'false',
        Prices: { ItemPrice: price('3.2', '3', 'Online') },
      },
      {
        itemID: '43',
        systemSku: '210000000043',
        customSku: 'JUG-STONE-1L',
        archived: 'true',
        Prices: { ItemPrice: [price('400', '1', 'Default'), price('320', '3', 'Online')] },
      },
      {
        itemID: '44',
        systemSku: '210000000044',
        customSku: 'TRAY-OAK-L',
        archived: 'false',
        Prices: { ItemPrice: [price('12.00', '1', 'Default'), price('12.00', '3', 'Online')] },
      },
    ],
  },
  expected: {
    passed: ['MUG-ENAMEL-WHT@trade-gbp'],
    skipped: [
      { id: '210000000042@trade-gbp', reason: 'unchanged' },
      { id: 'MUG-ENAMEL-WHT@web-gbp', reason: 'unmapped-list' },
    ],
    exceptions: [
      { id: 'MUG-ENAMEL-WHT@trade-gbp', code: 'PRICE_BREAK_NOT_SUPPORTED' },
      { id: 'TRAY-OAK-L@trade-gbp', code: 'LIST_CURRENCY_MISMATCH' },
      { id: 'JUG-STONE-1L@trade-gbp', code: 'UNKNOWN_SKU' },
      { id: 'TRAY-OAK-L@trade-gbp', code: 'INVALID_PRICE' },
    ],
  },
});
