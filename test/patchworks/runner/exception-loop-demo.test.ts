// npm start's exception-loop demo keeps its state where `npm run queue -- list` reads it, so a consultant who runs
// the list right after npm start sees the orders the demo left waiting.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { loadClientConfig } from '../../../patchworks/blueprint/client-config.js';
import { KeptCaches } from '../../../patchworks/runner/caches.js';
import { showExceptionLoop } from '../../../patchworks/runner/exception-loop-demo.js';
import { formatQueue, keptQueue } from '../../../patchworks/runner/order-queue-view.js';
import { ROOT } from '../../support/steps.js';

const FLOW = 'sparklayer-orders-to-netsuite';
const temp: string[] = [];
afterAll(async () => {
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

it('leaves the demo queue in <run dir>/data-pools, as npm run queue -- list reads it', async () => {
  const runDir = await mkdtemp(path.join(tmpdir(), 'demo-run-'));
  temp.push(runDir);
  const client = await loadClientConfig(path.join(ROOT, 'clients', 'example-homewares.json'));
  const quiet = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await showExceptionLoop(ROOT, client, runDir);
  } finally {
    quiet.mockRestore();
  }
  const queue = keptQueue(await KeptCaches.load(path.join(runDir, 'data-pools')), FLOW);
  // B2B01128 was booked by run 2 and cleared; the two purchases the filter refused still wait.
  expect(queue?.watermark).toBe('2026-11-22T09:15:00.000Z');
  expect(queue?.entries.map((entry) => entry.label)).not.toContain('B2B01128');
  expect(queue?.entries).toHaveLength(2);
  expect(formatQueue(FLOW, queue)[0]).toBe(
    `${FLOW}: 2 orders wait (watermark 2026-11-22 09:15 UTC: the next run pulls what changed since, ` +
      'less overlap_minutes)',
  );
});
