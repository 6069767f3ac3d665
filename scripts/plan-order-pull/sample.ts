// A worked example of plan-order-pull, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

const waiting = {
  type: 'order',
  purchase_identifiers: { sparklayer: '8df08078-a22e-4180-85c2-c2af3977a654', visible: 'B2B01128' },
};

export const sample = defineSample(step, {
  variables: { lookback_days: '30', overlap_minutes: '30', as_of: '2026-11-22T09:15:00Z' },
  records: [
    {
      watermark: '2026-11-22T09:00:00Z',
      entries: [
        {
          key: '8df08078-a22e-4180-85c2-c2af3977a654',
          label: 'B2B01128',
          code: 'UNMAPPED_ACCOUNT',
          owner: 'customer service',
          message: 'company c9d8… is not in account_map',
          record: waiting,
          replay: true,
          first_seen: '2026-11-22T09:00:00Z',
          last_seen: '2026-11-22T09:00:00Z',
          notified_at: '2026-11-22T09:00:00Z',
        },
      ],
    },
  ],
  expected: { passed: [null], skipped: [], exceptions: [] },
});
