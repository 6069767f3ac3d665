// A worked example of lightspeed-r-price-rows, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { tableCsv } from '../../runtime/tables.js';
import { step } from './step.js';

const price = (amount: string, useTypeID: string, useType: string) => ({ amount, useTypeID, useType });

export const sample = defineSample(step, {
  // Default (by its useTypeID) to the trade list, Online and a custom Wholesale level by name (any case).
  variables: { price_level_map: tableCsv(['1,trade', 'Online,web', 'wholesale,wholesale']), store_currency: 'GBP' },
  // Items as GET Item.json answers them (fixtures/lightspeed-r/items/list.catalogue.json, cut down): an item with
  // Default, MSRP (0: not set) and Online; an item with a blank customSku (its systemSku is the SKU) and one
  // ItemPrice, sent as an object; the archived item; a matrix variant whose levels are all 0; an item whose Default
  // amount is not a decimal.
  records: [
    {
      itemID: '41',
      systemSku: '210000000041',
      customSku: 'MUG-ENAMEL-WHT',
      archived: 'false',
      itemMatrixID: '0',
      Prices: { ItemPrice: [price('4.50', '1', 'Default'), price('0', '2', 'MSRP'), price('4.50', '3', 'Online')] },
    },
    {
      itemID: '42',
      systemSku: '210000000042',
      customSku: '',
      archived: 'false',
      itemMatrixID: '0',
      Prices: { ItemPrice: price('3.2', '4', 'Wholesale') },
    },
    {
      itemID: '43',
      systemSku: '210000000043',
      customSku: 'JUG-STONE-1L',
      archived: 'true',
      itemMatrixID: '0',
      Prices: { ItemPrice: [price('400', '1', 'Default'), price('320', '3', 'Online')] },
    },
    {
      itemID: '133',
      systemSku: '210000000133',
      customSku: 'TSHIRT-WHT-S',
      archived: 'false',
      itemMatrixID: '20',
      Prices: { ItemPrice: [price('0', '1', 'Default'), price('0', '2', 'MSRP'), price('0', '5', 'Online')] },
    },
    {
      itemID: '44',
      systemSku: '210000000044',
      customSku: 'TRAY-OAK-L',
      archived: 'false',
      itemMatrixID: '0',
      Prices: { ItemPrice: [price('12,00', '1', 'Default'), price('12.00', '3', 'Online')] },
    },
  ],
  expected: {
    passed: ['MUG-ENAMEL-WHT', '210000000042'],
    skipped: [
      { id: 'JUG-STONE-1L', reason: 'archived' },
      { id: 'TSHIRT-WHT-S', reason: 'zero-price' },
    ],
    exceptions: [{ id: 'TRAY-OAK-L', code: 'INVALID_PRICE' }],
  },
});
