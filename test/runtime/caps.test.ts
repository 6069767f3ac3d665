// meta and logs stay within Patchworks' caps on the largest fixture and on a payload built to overflow them.
import { describe, expect, it } from 'vitest';
import { PATCHWORKS_LIMITS } from '../../runtime/contract.js';
import { metaBytes } from '../../runtime/caps.js';
import { runStep } from '../../runtime/step.js';
import { loadFixtures } from '../../contracts/fixtures.js';
import { step } from '../../scripts/filter-live-orders/step.js';
import { purchase } from '../support/purchases.js';
import { ROOT } from '../support/steps.js';

const withinCaps = (out: ReturnType<typeof runStep>) => {
  expect(metaBytes(out.meta!)).toBeLessThanOrEqual(PATCHWORKS_LIMITS.metaBytes);
  expect(out.logs!.join('').length).toBeLessThanOrEqual(PATCHWORKS_LIMITS.logsChars);
};

describe('Patchworks caps', () => {
  it('hold on the largest purchase fixture', async () => {
    const fixtures = (await loadFixtures(ROOT, 'sparklayer')).filter((f) => Array.isArray(f.body));
    const largest = fixtures.reduce((a, b) => (JSON.stringify(b.body).length > JSON.stringify(a.body).length ? b : a));
    const out = runStep(step, { payload: JSON.stringify(largest.body), variables: { live_statuses: 'processing' } });
    withinCaps(out);
    expect(out.logs![0]).toMatch(/^filter-live-orders: \d+ in/);
  });

  it('hold on 5,000 purchases with hundreds of distinct skip reasons and exception codes', () => {
    const records = Array.from({ length: 5_000 }, (_, i) =>
      i % 3 === 0
        ? purchase({ id: `u-${i}`, type: `undocumented_${i}` })
        : purchase({ id: `s-${i}`, fields: { calculated_fulfilment_status: `status_${i}` } }),
    );
    const out = runStep(step, {
      payload: JSON.stringify(records),
      variables: { live_statuses: 'processing' },
      meta: { upstream: 'y'.repeat(9_000) },
    });
    withinCaps(out);
    expect(out.logs!.join('')).toMatch(/…$/);
    const envelope = JSON.parse(out.payload!);
    expect(envelope.summary['filter-live-orders']).toEqual({
      in: 5_000,
      records: 0,
      skipped: 3_333,
      exceptions: 1_667,
    });
  });
});
