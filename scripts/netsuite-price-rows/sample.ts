// A worked example of netsuite-price-rows, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

export const sample = defineSample(step, {
  // Base Price by its name, Trade by its internal ID; Online Price (level 5) is not mapped.
  variables: { price_level_map: 'left_value,right_value\r\nBase Price,retail-gbp\r\n2,trade-gbp\r\n' },
  // Rows as the price query answers them (the sandbox's own, fixtures/netsuite/suiteql/item-prices.json): a base price
  // and a break from 24 on Trade, a level not mapped, and a price that is not a number.
  records: [
    {
      item: '98',
      itemid: 'MUG-ENAMEL-WHT',
      pricelevel: '1',
      pricelevelname: 'Base Price',
      currency: '2',
      currencysymbol: 'GBP',
      quantity: '0',
      unitprice: '6.00',
    },
    {
      item: '98',
      itemid: 'MUG-ENAMEL-WHT',
      pricelevel: '2',
      pricelevelname: 'Trade',
      currency: '2',
      currencysymbol: 'GBP',
      quantity: '0',
      unitprice: '4.50',
    },
    {
      item: '98',
      itemid: 'MUG-ENAMEL-WHT',
      pricelevel: '2',
      pricelevelname: 'Trade',
      currency: '2',
      currencysymbol: 'GBP',
      quantity: '24',
      unitprice: '4.2',
    },
    {
      item: '98',
      itemid: 'MUG-ENAMEL-WHT',
      pricelevel: '5',
      pricelevelname: 'Online Price',
      currency: '2',
      currencysymbol: 'GBP',
      quantity: '0',
      unitprice: '5.75',
    },
    {
      item: '77',
      itemid: 'TOWEL-LINEN-NAT',
      pricelevel: '2',
      pricelevelname: 'Trade',
      currency: '2',
      currencysymbol: 'GBP',
      quantity: '0',
      unitprice: 'twelve',
    },
  ],
  expected: {
    passed: ['MUG-ENAMEL-WHT@Base Price GBP x0', 'MUG-ENAMEL-WHT@Trade GBP x0', 'MUG-ENAMEL-WHT@Trade GBP x24'],
    skipped: [{ id: 'MUG-ENAMEL-WHT@Online Price GBP x0', reason: 'unmapped-price-level' }],
    exceptions: [{ id: 'TOWEL-LINEN-NAT@Trade GBP x0', code: 'INVALID_PRICE' }],
  },
});
