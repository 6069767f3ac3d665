// npm start's fulfilment demo, as a consultant reads it (issue 18's "npm start shows"): a partial shipment and the
// second one written onto the SparkLayer order, a stale order told to operations, a return in store linked to its
// order, an unlinked return queued and told, and a run that reads the same window again writing nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { loadClientConfig } from '../../../patchworks/blueprint/client-config.js';
import { showFulfilmentLoop } from '../../../patchworks/runner/fulfilment-loop-demo.js';
import { ROOT } from '../../support/steps.js';

const temp: string[] = [];
afterAll(async () => {
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

const ORDER = 'SparkLayer order 6301bbfc-a0c5-454e-8ff9-bb510944fe0c';

it('shows the shipments, the stale order, the return linked and the unlinked return queued', async () => {
  const runDir = await mkdtemp(path.join(tmpdir(), 'fulfilment-demo-'));
  temp.push(runDir);
  const client = await loadClientConfig(path.join(ROOT, 'clients', 'example-homewares.json'));
  const lines: string[] = [];
  const capture = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(...line.split('\n')));
  try {
    await showFulfilmentLoop(ROOT, client, runDir);
  } finally {
    capture.mockRestore();
  }
  const text = lines.join('\n');
  const held = (after: string) => {
    const from = lines.findIndex((line) => line.includes(after));
    const next = lines.slice(from + 1).findIndex((line) => !line.startsWith('  '));
    return lines.slice(from + 1, next < 0 ? undefined : from + 1 + next).filter((line) => line.includes(ORDER));
  };
  // The partial shipment, alone; then the second shipment and the credited return beside it; then the same again.
  expect(held('(a partial shipment)')).toEqual([
    `  ${ORDER}: shipment 41: 1 × MUG-ENAMEL-CASE12, 12 × TOWEL-LINEN-NAT`,
  ]);
  const after = [
    `  ${ORDER}: shipment 41: 1 × MUG-ENAMEL-CASE12, 12 × TOWEL-LINEN-NAT`,
    `  ${ORDER}: shipment 42: 1 × MUG-ENAMEL-CASE12`,
    `  ${ORDER}: return 61: 2 × TOWEL-LINEN-NAT`,
  ];
  expect(held('item fulfillment 42 shipped the second case')).toEqual(after);
  expect(held('the same window read again')).toEqual(after);
  expect(text).toContain(
    'netsuite-fulfilment-to-sparklayer: 3 records in, 0 created, 3 skipped, 0 exceptions (success)',
  );
  // The invoice order that shipped nothing: STALE_ORDER, told to operations.
  expect(text).toMatch(
    /warning: Stale orders: order 8df08078-a22e-4180-85c2-c2af3977a654 \(new\), STALE_ORDER: .*\(Operations\)/,
  );
  // X-Series: the return in store linked to the order; the return of a sale never booked, queued and told.
  expect(held('names a sale the pack never booked')).toEqual([
    `  ${ORDER}: shipment 4ded8d99-8670-51de-806b-8590fcc09374: 2 × MUG-ENAMEL-CASE12, 12 × TOWEL-LINEN-NAT`,
    `  ${ORDER}: return 06bf537b-c783-11e6-f6b9-7ea7909ffe77: 2 × TOWEL-LINEN-NAT`,
  ]);
  expect(text).toMatch(
    new RegExp(
      'warning: Shipment or return 06bf537b-c783-11e6-f6b9-7ea7909ffedd not reported to SparkLayer \\(new\\), ' +
        'UNLINKED_RETURN: .*\\(Operations\\)',
    ),
  );
}, 180_000);
