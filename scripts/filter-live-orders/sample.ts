// A worked example of filter-live-orders, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

export const sample = defineSample(step, {
  variables: { live_types: 'order', live_statuses: 'processing' },
  records: [
    {
      type: 'order',
      purchase_identifiers: { sparklayer: '0b8c5d8e-3f0a-4d0c-9a53-1d1f5c7e2a10', visible: 'B2B01123' },
      calculated_fulfilment_status: 'processing',
    },
    {
      type: 'quote',
      purchase_identifiers: { sparklayer: '5a0f0d44-8a6b-4d52-bb7e-0e6f2a4c9b21', visible: 'B2B01124' },
    },
    {
      type: 'order',
      purchase_identifiers: { sparklayer: '0b8c5d8e-3f0a-4d0c-9a53-1d1f5c7e2a10', visible: 'B2B01123' },
      calculated_fulfilment_status: 'processing',
    },
    { type: 'order', purchase_identifiers: { platform: '5123456789013' }, calculated_fulfilment_status: 'cancelled' },
    { type: 'order', purchase_identifiers: { visible: 'B2B01130' } },
  ],
  expected: {
    passed: ['0b8c5d8e-3f0a-4d0c-9a53-1d1f5c7e2a10'],
    skipped: [
      { id: '5a0f0d44-8a6b-4d52-bb7e-0e6f2a4c9b21', reason: 'type:quote' },
      { id: '0b8c5d8e-3f0a-4d0c-9a53-1d1f5c7e2a10', reason: 'duplicate' },
      { id: '5123456789013', reason: 'status:cancelled' },
    ],
    exceptions: [{ id: 'B2B01130', code: 'MISSING_STATUS' }],
  },
});
