/**
 * The last part of `npm start`: each stock flow of the example client as operations lives it, three scheduled runs 15
 * minutes apart on a fresh sandbox, with the flow's state (rows published, stock queue) kept between them as
 * Patchworks keeps a flow cache. Run 1: SparkLayer refuses the batch (HTTP 400), so nothing is recorded as published
 * and its rows wait in the stock queue; run 2 sends them; run 3 finds nothing moved and sends nothing. After run 2 it
 * shows every row SparkLayer holds: the archived item at 0, the pack SKU (the client's unit_map) in whole packs.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { ClientConfig } from '../blueprint/client-config.js';
import { loadBlueprints } from '../blueprint/catalog.js';
import { STOCK_STATE } from '../blueprint/stock-flow.js';
import { stepsUsed } from '../blueprint/blueprint.js';
import { KeptCaches } from './caches.js';
import { runDemoFlow } from './demo-run.js';
import { createSandbox, SANDBOX_AS_OF } from './systems.js';

const BATCH = 'POST /api/v1/batch-update-stock';
const RUNS = [SANDBOX_AS_OF, '2026-11-22T09:15:00Z', '2026-11-22T09:30:00Z'];
/** The run-log lines worth showing: who was told, and the flow's summary. */
const WORTH_SHOWING = /^\s*(warning|error): |^\S+: \d+ records in/;

export async function showStockLoop(root: string, client: ClientConfig, runDir: string): Promise<void> {
  const stockFlows = (await loadBlueprints(root)).filter(
    (blueprint) => client.flows[blueprint.key] && stepsUsed(blueprint.shapes).includes('keep-stock-queue'),
  );
  for (const blueprint of stockFlows) {
    const stateDir = path.join(runDir, 'stock-state', blueprint.key);
    await rm(stateDir, { recursive: true, force: true });
    const sandbox = await createSandbox(root);
    const spark = sandbox.fakes.sparklayer;
    console.log(
      `\n=== ${blueprint.key}: three runs 15 minutes apart, state kept in ${path.relative(root, stateDir)} ===`,
    );
    for (const [index, asOf] of RUNS.entries()) {
      if (index === 0)
        sandbox.faults.sparklayer.add(BATCH, {
          status: 400,
          body: { title: 'Bad Request', detail: 'Stock location external ID warehouse-2 does not exist.' },
        });
      const sentBefore = sandbox.engine.sent.length;
      console.log(
        `\nRun ${index + 1}, as of ${asOf}` +
          (index === 0 ? ': SparkLayer refuses the batch (HTTP 400)' : index === 1 ? ': the fault is gone' : ''),
      );
      await runDemoFlow({ root, client, flowKey: blueprint.key, stateDir, sandbox, asOf, worthShowing: WORTH_SHOWING });
      const batches = sandbox.engine.sent
        .slice(sentBefore)
        .filter((request) => request.connector === 'sparklayer' && request.url.endsWith('/batch-update-stock'))
        .map((request) => `HTTP ${request.status}`);
      const caches = await KeptCaches.load(stateDir);
      const waiting = caches
        .read('flow', blueprint.key, STOCK_STATE.cache, STOCK_STATE.queue)
        .flatMap((body) => (JSON.parse(body) as { entries: Array<{ code: string }> }).entries);
      const published = caches
        .read('flow', blueprint.key, STOCK_STATE.cache, STOCK_STATE.published)
        .flatMap((body) => (JSON.parse(body) as { records: unknown[] }).records);
      console.log(
        `  batches sent: ${batches.join(', ') || 'none'}; rows recorded as published: ${published.length}; ` +
          `rows waiting for the next run: ${waiting.filter((entry) => entry.code === 'STOCK_BATCH_REFUSED').length}`,
      );
      if (index === 1) {
        const held = [...spark.stockLevels.values()]
          .map((level) => `${level.sku}@${level.stock_location_external_id} ${level.stock_level}`)
          .sort();
        console.log(`  SparkLayer now holds: ${held.join(', ')}`);
      }
    }
  }
}
