// npm start's price demo, as a consultant reads it (issue 19's "npm start shows"): a price-list sync and an order held
// for a price mismatch.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { loadClientConfig } from '../../../patchworks/blueprint/client-config.js';
import { showPriceLoop } from '../../../patchworks/runner/price-loop-demo.js';
import { ROOT } from '../../support/steps.js';

const temp: string[] = [];
afterAll(async () => {
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

it('shows the prices SparkLayer holds after the sync, a quiet re-run, and the order held for finance', async () => {
  const runDir = await mkdtemp(path.join(tmpdir(), 'price-demo-'));
  temp.push(runDir);
  const client = await loadClientConfig(path.join(ROOT, 'clients', 'example-homewares.json'));
  const lines: string[] = [];
  const capture = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(...line.split('\n')));
  try {
    await showPriceLoop(ROOT, client, runDir);
  } finally {
    capture.mockRestore();
  }
  const text = lines.join('\n');
  // NetSuite's breaks on both lists, the case of 12 priced from its units (12 × 4.50; 24 units from 2 cases).
  expect(lines).toContain('  SparkLayer trade-gbp: MUG-ENAMEL-WHT 1+ at 4.5, 24+ at 4.2');
  expect(lines).toContain('  SparkLayer trade-gbp: MUG-ENAMEL-CASE12 1+ at 54, 2+ at 50.4');
  expect(lines).toContain('  SparkLayer base-list: MUG-ENAMEL-WHT 1+ at 6, 24+ at 5.4');
  // The hour after: every entry as published, nothing sent.
  expect(text).toMatch(/map-prices-to-sparklayer: 8 in, 8 passed, 0 skipped, 0 exceptions; unchanged 8, rows 0/);
  // The Pay on Account order priced below its customer's Trade prices: held, finance told; the invoice order booked.
  expect(text).toContain(
    'warning: SparkLayer order B2B01123 not booked, PRICE_MISMATCH: line 1 MUG-ENAMEL-CASE12 (MUG-ENAMEL-WHT): ' +
      'expected 4.20, actual 4.00, difference -0.20 per unit',
  );
  expect(text).toMatch(/check-order-prices: 2 in, 1 passed, 0 skipped, 1 exceptions/);
});
