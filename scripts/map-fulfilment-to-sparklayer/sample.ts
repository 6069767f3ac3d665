// A worked example of map-fulfilment-to-sparklayer, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

const money = (number: string) => ({ number, currency: 'GBP' });

export const sample = defineSample(step, {
  variables: {
    // SparkLayer sells the mug by the case of 12; the back-end ships eaches.
    unit_map: 'left_value,right_value\r\nMUG-ENAMEL-CASE12,MUG-ENAMEL-WHT*12\r\n',
  },
  beside: {
    purchases: [
      {
        type: 'order',
        purchase_identifiers: { sparklayer: 'sl-1001' },
        customer_identifiers: { sparklayer: '0b5e4d3c-2a19-4f08-9e7d-6c5b4a392817' },
        currency_code: 'GBP',
        packages: [
          {
            line_items: [
              { identifiers: { sku: 'MUG-ENAMEL-CASE12' }, quantity: 2, line_total: { total_net: money('96.00') } },
              { identifiers: { sku: 'TOWEL-LINEN-NAT' }, quantity: 12, line_total: { total_net: money('54.00') } },
            ],
          },
        ],
      },
    ],
  },
  records: [
    // Both cases of mugs (24 eaches), with the tracking number: a shipment package of 2 MUG-ENAMEL-CASE12.
    {
      purchase_id: 'sl-1001',
      transaction_id: '41',
      shipped_at: '2026-11-21',
      carrier: 'Royal Mail',
      tracking_number: 'TT123456785GB',
      lines: [{ sku: 'MUG-ENAMEL-WHT', quantity: '24' }],
    },
    // 10 of the 12 towels: a partial shipment.
    {
      purchase_id: 'sl-1001',
      transaction_id: '42',
      shipped_at: '2026-11-22',
      tracking_number: 'TT123456799GB',
      lines: [{ sku: 'TOWEL-LINEN-NAT', quantity: 10 }],
    },
    // One case comes back; the return names no purchase, but its original transaction is shipment 41.
    {
      transaction_id: 'CM-7',
      original_transaction_id: '41',
      returned_at: '2026-11-25',
      lines: [{ sku: 'MUG-ENAMEL-WHT', quantity: '12' }],
      refund: { number: '48.00', currency: 'GBP' },
      reason: 'damaged',
    },
    // 5 more towels: 15 of the 12 ordered.
    {
      purchase_id: 'sl-1001',
      transaction_id: '44',
      shipped_at: '2026-11-23',
      lines: [{ sku: 'TOWEL-LINEN-NAT', quantity: '5' }],
    },
    // A purchase not fetched beside the records.
    {
      purchase_id: 'sl-9999',
      transaction_id: '45',
      shipped_at: '2026-11-23',
      lines: [{ sku: 'TOWEL-LINEN-NAT', quantity: '1' }],
    },
    // 13 eaches are not whole cases of 12: never rounded.
    {
      purchase_id: 'sl-1001',
      transaction_id: '46',
      shipped_at: '2026-11-23',
      lines: [{ sku: 'MUG-ENAMEL-WHT', quantity: '13' }],
    },
    // Picked, not yet shipped.
    {
      purchase_id: 'sl-1001',
      transaction_id: '47',
      status: 'picked',
      shipped_at: '2026-11-23',
      lines: [{ sku: 'TOWEL-LINEN-NAT', quantity: '2' }],
    },
  ],
  expected: {
    passed: ['41', '42', 'CM-7'],
    skipped: [{ id: '47', reason: 'status:picked' }],
    exceptions: [
      { id: '44', code: 'OVER_FULFILLED' },
      { id: '45', code: 'UNLINKED_FULFILMENT' },
      { id: '46', code: 'PART_PACK' },
    ],
  },
});
