// A worked example of keep-order-queue, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

const booked = {
  type: 'order',
  purchase_identifiers: { sparklayer: '6301bbfc-a0c5-454e-8ff9-bb510944fe0c', visible: 'B2B01123' },
};
const unmapped = {
  type: 'order',
  purchase_identifiers: { sparklayer: '8df08078-a22e-4180-85c2-c2af3977a654', visible: 'B2B01128' },
};
const quote = {
  type: 'quote',
  purchase_identifiers: { sparklayer: '3a124c64-7e02-4f05-b7c1-dce27f7695f5', visible: 'B2B01124' },
};

export const sample = defineSample(step, {
  variables: { system: 'netsuite', reminder_hours: '24', as_of: '2026-11-22T09:15:00Z' },
  records: [booked, unmapped, quote],
  beside: {
    queue: [],
    mapped: [
      {
        bodies: [{ externalId: '6301bbfc-a0c5-454e-8ff9-bb510944fe0c' }],
        exceptions: [
          {
            id: '8df08078-a22e-4180-85c2-c2af3977a654',
            step: 'resolve-erp-account',
            code: 'UNMAPPED_ACCOUNT',
            owner: 'customer service',
            message: 'company c9d8… is not in account_map',
            record: unmapped,
          },
        ],
        notices: [
          {
            id: '6301bbfc-a0c5-454e-8ff9-bb510944fe0c',
            step: 'map-order-to-netsuite',
            code: 'ON_ACCOUNT_HELD',
            owner: 'finance',
            message: 'B2B01123 held for finance: GBP 189.00, account 1104',
          },
        ],
      },
    ],
    refused: [],
    undecided: [],
  },
  // All three are dealt with: the booked one continues (records), the others are in the queue or not orders.
  expected: {
    passed: [
      '6301bbfc-a0c5-454e-8ff9-bb510944fe0c',
      '8df08078-a22e-4180-85c2-c2af3977a654',
      '3a124c64-7e02-4f05-b7c1-dce27f7695f5',
    ],
    skipped: [],
    exceptions: [],
  },
});
