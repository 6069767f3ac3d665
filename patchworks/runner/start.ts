/**
 * `npm start`: the pack's main job on its built-in sandbox, no credentials needed. Builds the pack, renders the
 * example client's blueprints (dist/blueprints/example-homewares/), validates every blueprint and client config, then
 * runs every blueprint of the example client, in order, against the fakes (fixtures served in-process by msw), each
 * connection shape as its built definition says (the connection engine), every script as built on Node 18. Prints
 * each flow's run log and one summary line per flow; writes the HTML run report and the month-end reconciliation
 * report. Then runs the same client on a Shopify site (clients/example-homewares-on-shopify.json: SparkLayer's orders
 * read from Shopify by shopify-orders-to-netsuite). Then shows the exception loop: two scheduled runs of the NetSuite
 * order flow, an order waiting on the account map booked by the second; and each stock flow's three runs: a batch
 * SparkLayer refuses kept for the next run, sent by it, and a quiet run that sends nothing; and what happens after
 * booking: a partial shipment and the second one, a stale order told to operations, a return in store linked to its
 * order and an unlinked return queued (fulfilment-loop-demo.ts); and prices: NetSuite's price lists published to
 * SparkLayer, a quiet re-run, and an order held for finance for its prices (price-loop-demo.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadClientConfig } from '../blueprint/client-config.js';
import { validatePack } from '../blueprint/validate-pack.js';
import { buildPack } from '../build/build-pack.js';
import { renderClient } from '../build/render-client.js';
import { summaryLine } from '../report/flow-run-report.js';
import { reportRows, toCsv, toHtml } from '../report/reconciliation-report.js';
import type { Envelope } from '../../runtime/envelope.js';
import { showExceptionLoop } from './exception-loop-demo.js';
import { showStockLoop } from './stock-loop-demo.js';
import { showFulfilmentLoop } from './fulfilment-loop-demo.js';
import { showPriceLoop } from './price-loop-demo.js';
import type { FlowRunResult } from './flow-runner.js';
import { findNode18 } from './run-bundle.js';
import { runClientFlows } from './run-flows.js';

const root = process.cwd();
const clientFile = path.join(root, 'clients', 'example-homewares.json');
/** The same client on a Shopify site (issue 36): SparkLayer's orders read from Shopify, order_source platform. */
const shopifyClientFile = path.join(root, 'clients', 'example-homewares-on-shopify.json');
console.log('SparkLayer pack for Patchworks: sandbox run (fixtures only, no credentials, no network)\n');
for (const artefact of await buildPack(root)) {
  console.log(`[build] ${path.relative(root, artefact.file)} (${(artefact.bytes / 1024).toFixed(1)} KiB)`);
}
const rendered = [...(await renderClient(root, clientFile)), ...(await renderClient(root, shopifyClientFile))];
console.log(
  `[blueprints] ${rendered
    .filter((a) => a.file.endsWith('.json'))
    .map((a) => path.relative(root, a.file))
    .join(', ')}`,
);
const validation = await validatePack(root);
for (const problem of validation.problems) console.error(`[validate] ${problem.where}: ${problem.message}`);
console.log(
  `[validate] ${validation.blueprints} blueprints, ${validation.clients} client configs, ` +
    `${validation.problems.length} problems`,
);
if (validation.problems.length > 0) process.exit(1);
const node18 = findNode18(root);
console.log(
  'path' in node18
    ? `[runtime] scripts run on ${path.relative(root, node18.path)} (Node 18, as Patchworks)`
    : `[runtime] ${node18.missing}; running on this Node instead`,
);

const client = await loadClientConfig(clientFile);
const runDir = path.join(root, 'dist', 'run', client.client);
const results = await runClientFlows({
  root,
  client,
  reportFile: path.join(runDir, 'run-report.html'),
  log: (line) => console.log(line),
});
await writeReconciliationReport(results);
const shopifyClient = await loadClientConfig(shopifyClientFile);
const shopifyRunDir = path.join(root, 'dist', 'run', shopifyClient.client);
console.log(`\n=== ${shopifyClient.name} ===`);
const shopifyResults = await runClientFlows({
  root,
  client: shopifyClient,
  reportFile: path.join(shopifyRunDir, 'run-report.html'),
  log: (line) => console.log(line),
});

console.log('\n=== Summary ===');
for (const result of [...results, ...shopifyResults]) console.log(summaryLine(result));
console.log(`run report: ${path.relative(root, path.join(runDir, 'run-report.html'))}`);
console.log(`run report: ${path.relative(root, path.join(shopifyRunDir, 'run-report.html'))}`);
if ([...results, ...shopifyResults].some((r) => r.status === 'failure')) process.exitCode = 1;
await showExceptionLoop(root, client, runDir);
await showStockLoop(root, client, runDir);
await showFulfilmentLoop(root, client, runDir);
await showPriceLoop(root, client, runDir);

/** The month-end report finance reads, from what the reconcile-order-totals shape output. */
async function writeReconciliationReport(runs: readonly FlowRunResult[]): Promise<void> {
  const shape = runs.flatMap((run) => run.shapes).find((s) => s.step === 'reconcile-order-totals');
  const envelope = shape?.outputs[0] ? (JSON.parse(shape.outputs[0].body) as Envelope) : undefined;
  if (!envelope) return;
  const rows = reportRows(envelope);
  await mkdir(runDir, { recursive: true });
  await writeFile(path.join(runDir, 'reconciliation.csv'), toCsv(rows));
  await writeFile(
    path.join(runDir, 'reconciliation.html'),
    toHtml(rows, envelope.summary, `${client.name}: order reconciliation (sandbox)`),
  );
  console.log(`\n[report] ${path.relative(root, runDir)}/reconciliation.csv and .html (${rows.length} rows)`);
}
