// npm start's stock demo, as a consultant reads it: for each stock flow of the example client, a batch SparkLayer
// refuses is kept for the next run, which sends it; a quiet third run sends nothing; the archived item is at 0 and the
// pack SKU in whole packs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { loadClientConfig } from '../../../patchworks/blueprint/client-config.js';
import { showStockLoop } from '../../../patchworks/runner/stock-loop-demo.js';
import { ROOT } from '../../support/steps.js';

const temp: string[] = [];
afterAll(async () => {
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

it('shows per stock flow the refused batch kept, sent by the next run, and a quiet run sending nothing', async () => {
  const runDir = await mkdtemp(path.join(tmpdir(), 'stock-demo-'));
  temp.push(runDir);
  const client = await loadClientConfig(path.join(ROOT, 'clients', 'example-homewares.json'));
  const lines: string[] = [];
  const capture = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  try {
    await showStockLoop(ROOT, client, runDir);
  } finally {
    capture.mockRestore();
  }
  const flows = lines.filter((line) => line.startsWith('\n=== ')).map((line) => line.split(':')[0]!.slice(5));
  expect(flows).toEqual([
    'lightspeed-r-stock-to-sparklayer',
    'lightspeed-x-stock-to-sparklayer',
    'netsuite-stock-to-sparklayer',
  ]);
  const runs = lines.filter((line) => line.startsWith('  batches sent: '));
  expect(runs).toHaveLength(9);
  for (const [index, flow] of flows.entries()) {
    const [refused, sent, quiet] = runs.slice(index * 3, index * 3 + 3);
    expect(refused, flow).toMatch(
      /^ {2}batches sent: HTTP 400; rows recorded as published: 0; rows waiting for the next run: [1-9]/,
    );
    const waiting = refused!.split(': ').at(-1);
    expect(sent, flow).toBe(
      `  batches sent: HTTP 200; rows recorded as published: ${waiting}; rows waiting for the next run: 0`,
    );
    expect(quiet, flow).toBe(
      `  batches sent: none; rows recorded as published: ${waiting}; rows waiting for the next run: 0`,
    );
  }
  // NetSuite: the inactive jug at 0, the case of 12 in whole cases of the 34 and 12.5 mugs.
  const held = lines.filter((line) => line.startsWith('  SparkLayer now holds: '));
  expect(held).toHaveLength(3);
  expect(held[2]).toContain(
    'JUG-STONE-1L@warehouse-1 0, MUG-ENAMEL-CASE12@warehouse-1 2, MUG-ENAMEL-CASE12@warehouse-2 1',
  );
}, 180_000);
