// A worked example of add-packages-to-purchases, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

const money = (number: string) => ({ number, currency: 'GBP' });
const shipment = (transaction: string, sku: string, quantity: number) => ({
  type: 'shipment',
  identifiers: { internal: transaction },
  line_items: [{ identifiers: { sku }, quantity }],
});

export const sample = defineSample(step, {
  variables: {},
  beside: {
    purchases: [
      // As SparkLayer's GET returned it: the order's package, shipment 41 already written, and the computed fields.
      {
        type: 'order',
        purchase_identifiers: { sparklayer: 'sl-1001' },
        customer_identifiers: { sparklayer: '0b5e4d3c-2a19-4f08-9e7d-6c5b4a392817' },
        currency_code: 'GBP',
        calculated_total: money('150.00'),
        calculated_fulfilment_status: 'partially_fulfilled',
        packages: [
          {
            line_items: [
              { identifiers: { sku: 'MUG-ENAMEL-CASE12' }, quantity: 2, line_total: { total_net: money('96.00') } },
              { identifiers: { sku: 'TOWEL-LINEN-NAT' }, quantity: 12, line_total: { total_net: money('54.00') } },
            ],
          },
          shipment('41', 'MUG-ENAMEL-CASE12', 2),
        ],
      },
      // Its packages are not packages: it cannot be written back whole.
      { type: 'order', purchase_identifiers: { sparklayer: 'sl-1002' }, packages: 'none' },
    ],
  },
  records: [
    // Shipment 41 again (a re-run): the purchase already holds it as it is, so it is skipped (unchanged).
    {
      purchase_id: 'sl-1001',
      lookup_by: 'sparklayer',
      transaction_id: '41',
      kind: 'shipment',
      shipped_at: '2026-11-21',
      tracking_number: 'TT123456785GB',
      package: shipment('41', 'MUG-ENAMEL-CASE12', 2),
    },
    // 10 of the 12 towels: added to the same purchase, which goes out once with both.
    {
      purchase_id: 'sl-1001',
      lookup_by: 'sparklayer',
      transaction_id: '42',
      kind: 'shipment',
      shipped_at: '2026-11-22',
      package: shipment('42', 'TOWEL-LINEN-NAT', 10),
    },
    // One case comes back.
    {
      purchase_id: 'sl-1001',
      lookup_by: 'sparklayer',
      transaction_id: 'CM-7',
      kind: 'return',
      returned_at: '2026-11-25',
      original_transaction_id: '41',
      package: {
        type: 'return',
        identifiers: { internal: 'CM-7' },
        line_items: [{ identifiers: { sku: 'MUG-ENAMEL-CASE12' }, quantity: 1 }],
      },
    },
    // A purchase not fetched beside the records.
    {
      purchase_id: 'sl-9999',
      lookup_by: 'sparklayer',
      transaction_id: '45',
      kind: 'shipment',
      shipped_at: '2026-11-23',
      package: shipment('45', 'TOWEL-LINEN-NAT', 1),
    },
    // A purchase that cannot be read.
    {
      purchase_id: 'sl-1002',
      lookup_by: 'sparklayer',
      transaction_id: '46',
      kind: 'shipment',
      shipped_at: '2026-11-23',
      package: shipment('46', 'TOWEL-LINEN-NAT', 1),
    },
  ],
  expected: {
    passed: ['42', 'CM-7'],
    skipped: [{ id: '41', reason: 'unchanged' }],
    exceptions: [
      { id: '45', code: 'UNLINKED_FULFILMENT' },
      { id: '46', code: 'INVALID_ORDER' },
    ],
  },
});
