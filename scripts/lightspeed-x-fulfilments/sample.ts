// A worked example of lightspeed-x-fulfilments, type-checked against the step; the tests run it. Sales as GET
// /api/2026-07/sales/{id} gives them (fixtures/lightspeed-x/fulfilments, trimmed).
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

const OUTLET = 'b1e04bd8-f019-11e3-a0f5-b8ca3a64f8f4';
const P0003 = 'b8ca3a65-0183-11e4-fbb5-9776c5cd0240';
const BLK_S = 'b8ca3a65-0183-11e4-fbb5-7988a6ed80f9';
const SHIPPING = 'b8ca3a65-0183-11e4-fbb5-9776c611d865';
/** saleIdFor('sl-1001') and saleIdFor('sl-1002'): the sale ids the pack gives those purchases. */
const SALE_1001 = 'ad306ec6-f0bf-54a8-a38c-09806b227322';
const SALE_1002 = '64ed38dd-bb4c-5c52-877f-20646a805934';

const booked = (id: string, purchase: string, state: string, lines: Array<[string, number]>) => ({
  id,
  source: { id: purchase, type: 'SparkLayer', outlet_id: OUTLET },
  date: '2026-11-20T09:15:00Z',
  updated_at: '2026-11-21T14:02:11+00:00',
  state,
  attributes: ['onaccount'],
  line_items: lines.map(([product, quantity]) => ({ product: { id: product }, quantity })),
});

export const sample = defineSample(step, {
  variables: { store_currency: 'GBP', shipping_product_id: SHIPPING },
  beside: {
    products: {
      data: [
        { id: P0003, sku: '0003' },
        { id: BLK_S, sku: '787878-blk-s' },
        { id: SHIPPING, sku: '0006' },
      ],
    },
    purchases: [
      { purchase_identifiers: { sparklayer: 'sl-1001' } },
      { purchase_identifiers: { sparklayer: 'sl-1002' } },
    ],
  },
  records: [
    // Closed (ONACCOUNT_CLOSED): shipped in full, the shipping line left out.
    booked(SALE_1001, 'sl-1001', 'closed', [
      [P0003, 3],
      [SHIPPING, 1],
    ]),
    // Still parked: neither shipped nor returned yet.
    booked(SALE_1002, 'sl-1002', 'parked', [[BLK_S, 2]]),
    // A partial return of the first sale, in the documented (legacy) return shape.
    {
      id: '06bf537b-c783-11e6-f6b9-7ea7909ffedd',
      outlet_id: OUTLET,
      state: 'closed',
      return_for: SALE_1001,
      sale_date: '2026-12-01T10:30:00+00:00',
      total_price: -3.34,
      total_tax: -0.67,
      line_items: [{ product_id: P0003, quantity: -1, is_return: true }],
    },
    // A line whose product was not read, and a return of a sale that is none of the purchases beside.
    booked('0b0c0d0e-0000-5000-8000-000000000001', 'sl-1003', 'closed', [['b8ca3a65-0183-11e4-fbb5-000000000000', 1]]),
    {
      id: '06bf537b-c783-11e6-f6b9-7ea7909ffe99',
      state: 'closed',
      return_for: '0b0c0d0e-0000-5000-8000-000000000002',
      sale_date: '2026-12-02T10:30:00+00:00',
      line_items: [{ product_id: P0003, quantity: -1, is_return: true }],
    },
  ],
  expected: {
    passed: [SALE_1001, '06bf537b-c783-11e6-f6b9-7ea7909ffedd'],
    skipped: [{ id: SALE_1002, reason: 'state:parked' }],
    exceptions: [
      { id: '0b0c0d0e-0000-5000-8000-000000000001', code: 'INVALID_FULFILMENT' },
      { id: '06bf537b-c783-11e6-f6b9-7ea7909ffe99', code: 'UNLINKED_RETURN' },
    ],
  },
});
