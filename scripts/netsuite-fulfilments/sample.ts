// A worked example of netsuite-fulfilments, type-checked against the step; the tests run it. Records as GET
// /record/v1/<record>/{id}?expandSubResources=true answers them (fixtures/netsuite/fulfilments, trimmed).
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

const BASE = 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1';
const self = (record: string, id: string) => [{ rel: 'self', href: `${BASE}/${record}/${id}` }];
const line = (id: string, sku: string, quantity: number) => ({
  item: { id, refName: sku },
  location: { id: '6', refName: 'Bristol Warehouse' },
  quantity,
});
const fulfillment = (id: string, salesOrder: string, status: string, date: string) => ({
  links: self('itemFulfillment', id),
  id,
  tranDate: date,
  createdFrom: { id: salesOrder, refName: `Sales Order #SO${salesOrder}` },
  shipStatus: { id: status },
  shipMethod: { id: '4', refName: 'Royal Mail Tracked 24' },
  item: { items: [line('98', 'CHALK-250', 2)] },
  package: { items: [{ packageTrackingNumber: `TT1234567${id}GB` }] },
});

export const sample = defineSample(step, {
  variables: {},
  // The sales orders the pack booked, as the SuiteQL page of `SELECT id, externalid FROM transaction …` answers them,
  // and the return authorization the credit memo was made from.
  beside: {
    sales_orders: { links: [], count: 1, hasMore: false, items: [{ links: [], id: '18', externalid: 'sl-1001' }] },
    return_authorizations: [{ links: [], id: '55', createdfrom: '18' }],
  },
  records: [
    // Shipped, and packed (not yet shipped: passes, map-fulfilment-to-sparklayer skips it).
    fulfillment('41', '18', 'C', '2026-11-21'),
    fulfillment('43', '18', 'B', '2026-11-22'),
    // A partial return: a credit memo made from return authorization 55.
    {
      links: self('creditMemo', '61'),
      id: '61',
      tranDate: '2026-12-01',
      createdFrom: { id: '55', refName: 'Return Authorization #RMA55' },
      currency: { id: '1', refName: 'GBP' },
      location: { id: '6', refName: 'Bristol Warehouse' },
      memo: 'Damaged in transit',
      total: 3.33,
      item: { items: [{ item: { id: '98', refName: 'CHALK-250' }, quantity: 1, rate: 3.33, amount: 3.33 }] },
    },
    // A shipStatus that is not A, B or C, and a fulfillment of a sales order the pack did not book.
    fulfillment('44', '18', 'Z', '2026-11-23'),
    fulfillment('45', '19', 'C', '2026-11-23'),
  ],
  expected: {
    passed: [null, null, null],
    skipped: [],
    exceptions: [
      { id: 'itemFulfillment 44', code: 'INVALID_FULFILMENT' },
      { id: 'itemFulfillment 45', code: 'UNLINKED_FULFILMENT' },
    ],
  },
});
