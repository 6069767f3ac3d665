// A worked example of lightspeed-r-fulfilments, type-checked against the step; the tests run it. Sales as GET
// Sale/{saleID}.json with SaleLines and SaleNotes gives them (fixtures/lightspeed-r/fulfilments, trimmed).
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

const NOTE = { InternalNote: { note: 'SparkLayer order SO-1001; SparkLayer purchase sl-1001; PO PO-7731' } };
const booked = (saleID: string, completed: string) => ({
  saleID,
  completed,
  voided: 'false',
  archived: 'false',
  completeTime: '2026-11-20T09:15:04+00:00',
  referenceNumber: 'PO-7731',
  referenceNumberSource: 'SparkLayer',
  shipToID: '0',
  shopID: '1',
  SaleNotes: NOTE,
  SaleLines: {
    SaleLine: [
      { saleLineID: '301', saleID, itemID: '12', unitQuantity: '3', parentSaleLineID: '0' },
      { saleLineID: '303', saleID, itemID: '45', unitQuantity: '1', parentSaleLineID: '0' },
    ],
  },
});
const refund = (saleID: string, parent: string) => ({
  saleID,
  completed: 'true',
  voided: 'false',
  archived: 'false',
  completeTime: '2026-12-01T10:34:12+00:00',
  shopID: '1',
  total: '-11.49',
  SaleLines: { SaleLine: { saleLineID: '311', saleID, itemID: '12', unitQuantity: '-1', parentSaleLineID: parent } },
});

export const sample = defineSample(step, {
  variables: { store_currency: 'USD', shipping_item_id: '45' },
  beside: {
    items: { Item: [{ itemID: '12', customSku: 'CHALK-250' }] },
    // The booked sale refunds are made against, with its SaleLines and SaleNotes.
    sales: { Sale: [booked('281', 'true')] },
  },
  records: [
    booked('281', 'true'),
    booked('283', 'false'),
    refund('282', '301'),
    // A refund of a line on no booked sale read, and a sale with an item that has no SKU.
    refund('284', '999'),
    { ...booked('285', 'true'), SaleLines: { SaleLine: { saleLineID: '321', itemID: '77', unitQuantity: '1' } } },
  ],
  expected: {
    passed: ['281', '282'],
    skipped: [{ id: '283', reason: 'open' }],
    exceptions: [
      { id: '284', code: 'UNLINKED_RETURN' },
      { id: '285', code: 'INVALID_FULFILMENT' },
    ],
  },
});
