// A worked example of flag-stale-orders, type-checked against the step; the tests run it.
import type { PurchaseType } from '../../connectors/sparklayer/purchase.js';
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

const money = (number: string) => ({ number, currency: 'GBP' });
/** A SparkLayer purchase: 2 mugs and 12 towels, placed at `placedAt`, paid as `paymentMethod`. */
const purchase = (id: string, placedAt: string, paymentMethod = 'invoice', type: PurchaseType = 'order') => ({
  type,
  purchase_identifiers: { sparklayer: id },
  customer_identifiers: { sparklayer: '0b5e4d3c-2a19-4f08-9e7d-6c5b4a392817' },
  currency_code: 'GBP',
  payment_method: paymentMethod,
  dates: { created_at: placedAt, placed_at: placedAt },
  packages: [
    {
      line_items: [
        { identifiers: { sku: 'MUG-ENAMEL-CASE12' }, quantity: 2, line_total: { total_net: money('96.00') } },
        { identifiers: { sku: 'TOWEL-LINEN-NAT' }, quantity: 12, line_total: { total_net: money('54.00') } },
      ],
    },
  ],
});

export const sample = defineSample(step, {
  variables: {
    stale_after_hours: '48',
    held_after_hours: '24',
    on_account_mode: 'hold',
    as_of: '2026-11-23T09:00:00Z',
  },
  beside: {
    fulfilments: [
      // sl-1001: the mugs shipped, the towels not yet.
      {
        purchase_id: 'sl-1001',
        transaction_id: '41',
        shipped_at: '2026-11-21',
        tracking_number: 'TT123456785GB',
        lines: [{ sku: 'MUG-ENAMEL-CASE12', quantity: '2' }],
      },
      // sl-1003: everything shipped, in one package.
      {
        purchase_id: 'sl-1003',
        transaction_id: '42',
        shipped_at: '2026-11-19',
        lines: [
          { sku: 'MUG-ENAMEL-CASE12', quantity: 2 },
          { sku: 'TOWEL-LINEN-NAT', quantity: '12' },
        ],
      },
    ],
  },
  records: [
    // Placed Friday morning, towels still to ship on Monday: 72 hours, over 48.
    purchase('sl-1001', '2026-11-20T09:00:00+00:00'),
    // Placed yesterday afternoon: young.
    purchase('sl-1002', '2026-11-22T15:30:00+00:00'),
    // Placed long ago, and all shipped.
    purchase('sl-1003', '2026-11-18T10:00:00+00:00'),
    // Pay on Account, held for finance, placed 30 hours ago and nothing shipped: over 24.
    purchase('sl-1004', '2026-11-22T03:00:00+00:00', 'on_account'),
    // A quote is not a live order: it continues, however old.
    purchase('sl-1005', '2026-11-01T09:00:00+00:00', 'invoice', 'quote'),
  ],
  expected: {
    passed: ['sl-1002', 'sl-1003', 'sl-1005'],
    skipped: [],
    exceptions: [
      { id: 'sl-1001', code: 'STALE_ORDER' },
      { id: 'sl-1004', code: 'HELD_TOO_LONG' },
    ],
  },
});
