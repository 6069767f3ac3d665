// For arbitrary records and settings, the envelope accounts for every input record exactly once (pack-contract §2).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PURCHASE_TYPES } from '../../connectors/sparklayer/purchase.js';
import { runStep } from '../../runtime/step.js';
import type { Envelope } from '../../runtime/envelope.js';
import { step } from '../../scripts/filter-live-orders/step.js';

const idValue = fc.oneof(fc.constantFrom('a', 'b', 'c', ''), fc.string(), fc.integer(), fc.constant(null));
const purchaseLike = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...PURCHASE_TYPES), fc.string(), fc.anything()),
    purchase_identifiers: fc.oneof(
      fc.record({ sparklayer: idValue, platform: idValue, visible: idValue }, { requiredKeys: [] }),
      fc.anything(),
    ),
    status: fc.oneof(fc.constantFrom('processing', 'cancelled'), fc.anything()),
    calculated_fulfilment_status: fc.constantFrom('processing', 'shipped'),
  },
  { requiredKeys: [] },
);
const record = fc.oneof({ weight: 4, arbitrary: purchaseLike }, { weight: 1, arbitrary: fc.jsonValue() });
const listVariable = (values: readonly string[]) => fc.subarray([...values]).map((items) => items.join(','));

describe('filter-live-orders conserves every record', () => {
  it('in = records + skipped + exceptions, and each input is in exactly one place', () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 40 }),
        listVariable(PURCHASE_TYPES),
        listVariable(['processing', 'shipped', 'cancelled']),
        (records, liveTypes, liveStatuses) => {
          // The payload is JSON, so compare against what JSON makes of the records.
          const input = JSON.parse(JSON.stringify(records)) as unknown[];
          const out = runStep(step, {
            payload: JSON.stringify(input),
            variables: { live_types: liveTypes, live_statuses: liveStatuses },
          });
          const envelope = JSON.parse(out.payload!) as Envelope;
          const summary = envelope.summary['filter-live-orders']!;

          expect(summary.in).toBe(input.length);
          expect(summary.records + summary.skipped + summary.exceptions).toBe(summary.in);
          expect([envelope.records.length, envelope.skipped.length, envelope.exceptions.length]).toEqual([
            summary.records,
            summary.skipped,
            summary.exceptions,
          ]);

          // Every passed record and every exception's record is an input record; skips name a real id.
          const remaining = input.map((value) => JSON.stringify(value));
          const take = (value: unknown) => {
            const index = remaining.indexOf(JSON.stringify(value));
            expect(index).toBeGreaterThanOrEqual(0);
            remaining.splice(index, 1);
          };
          envelope.records.forEach(take);
          envelope.exceptions.forEach((exception) => take(exception.record));
          expect(remaining).toHaveLength(envelope.skipped.length);
          for (const skipped of envelope.skipped) expect(skipped.reason).toMatch(/^(type:|status:|duplicate$)/);
        },
      ),
      { seed: 20261122, numRuns: 300 },
    );
  });
});

describe('every step conserves every record, whatever it is given', async () => {
  const { loadSteps } = await import('../support/steps.js');
  const steps = await loadSteps();
  const anyRecord = fc.oneof(purchaseLike, fc.jsonValue(), fc.constant({ account: '1104', on_hold: true }));

  it.each(steps.map((s) => [s.key, s] as const))(
    '%s: in = records + skipped + exceptions, and it never throws for a record',
    (key, { step, sample }) => {
      fc.assert(
        fc.property(
          fc.array(anyRecord, { maxLength: 25 }),
          fc.array(fc.jsonValue(), { maxLength: 5 }),
          (records, besides) => {
            const input = JSON.parse(JSON.stringify(records)) as unknown[];
            const payload = { [step.recordsField ?? 'records']: input, ...sample.beside };
            // A step that reconciles against a target also accounts for each target it could not match.
            if (step.recordsField === 'source') payload.target = JSON.parse(JSON.stringify(besides));
            const out = runStep(step, { payload: JSON.stringify(payload), variables: sample.variables });
            const summary = (JSON.parse(out.payload!) as Envelope).summary[key]!;
            const targets = step.recordsField === 'source' ? (payload.target as unknown[]).length : 0;
            expect(summary.in).toBeGreaterThanOrEqual(input.length);
            expect(summary.in).toBeLessThanOrEqual(input.length + targets);
            expect(summary.records + summary.skipped + summary.exceptions).toBe(summary.in);
          },
        ),
        { seed: 20261122, numRuns: 150 },
      );
    },
  );
});
