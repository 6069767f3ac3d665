/**
 * `npm start`: the pack's main job on its built-in sandbox, no credentials needed. Builds the pack, pulls
 * every purchase from a fake SparkLayer (the fixtures, served in-process by msw) through the pack's real
 * SparkLayer client, then runs the built filter-live-orders script over them on Node 18 (Patchworks'
 * runtime) and prints what a Patchworks run log would show.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildPack } from '../build/build-pack.js';
import { setupServer } from 'msw/node';
import { SparkLayerClient } from '../../connectors/sparklayer/client.js';
import { purchaseId } from '../../connectors/sparklayer/purchase.js';
import {
  SANDBOX_BASE_URL,
  SANDBOX_CREDENTIALS,
  SparkLayerSandbox,
  sandboxDataFromFixtures,
} from '../../connectors/sparklayer/sandbox.js';
import { loadFixture } from '../sandbox/fixtures.js';
import { mswHandlers } from '../sandbox/hosts.js';
import { findNode18, runBundle } from './run-bundle.js';
import { formatScriptRun } from './run-log.js';

const EDGE_CASES = 'fixtures/sparklayer/purchases/list.sandbox-edge-cases.json';
const STEP = 'filter-live-orders';
/** Small on purpose, so the run shows the client paging; SparkLayer allows up to 500. */
const PAGE_LIMIT = 5;

const root = process.cwd();
console.log('SparkLayer pack for Patchworks: sandbox run (fixtures only, no credentials, no network)\n');

for (const artefact of await buildPack(root)) {
  console.log(`[build] ${path.relative(root, artefact.file)} (${(artefact.bytes / 1024).toFixed(1)} KiB)`);
}

const node18 = findNode18(root);
const node = 'path' in node18 ? node18.path : process.execPath;
if ('missing' in node18) console.log(`[runtime] ${node18.missing}; running on this Node instead`);

const data = await sandboxDataFromFixtures(root);
const edgeCases = (await loadFixture(root, EDGE_CASES)).body as typeof data.purchases;
const sandbox = new SparkLayerSandbox({ ...data, purchases: [...data.purchases, ...edgeCases] });
const server = setupServer(...mswHandlers(SANDBOX_BASE_URL, sandbox));
server.listen({ onUnhandledRequest: 'error' });
const client = new SparkLayerClient({ baseUrl: SANDBOX_BASE_URL, environment: 'custom', ...SANDBOX_CREDENTIALS });
const purchases: unknown[] = [];
let pages = 0;
for await (const page of client.purchasePages({}, PAGE_LIMIT)) {
  pages += 1;
  purchases.push(...page);
}
server.close();
console.log(
  `[connection] SparkLayer GET /api/v1/purchases (fake SparkLayer from fixtures/sparklayer): ${purchases.length} purchases ` +
    `over ${pages} pages of ${PAGE_LIMIT}, ${client.tokensIssued} token`,
);

const variables = { live_types: 'order', live_statuses: '' };
const run = await runBundle(node, path.join(root, 'dist', 'scripts', `${STEP}.js`), {
  payload: JSON.stringify(purchases),
  variables,
  meta: {},
  flow: { variables: {} },
});
console.log(`[runtime] Node ${run.node}; the script required ${run.requires.length === 0 ? 'nothing' : run.requires.join(', ')}\n`);
if (run.error || !run.result) {
  console.error(`[script] ${STEP} failed: ${run.error ?? 'no result'}`);
  process.exit(1);
}

const describe = (record: unknown): string => {
  const purchase = record as { type?: string; customer_reference?: string; calculated_total?: { number?: string } };
  return `${purchaseId(record)}  ${purchase.type}  PO ${purchase.customer_reference || '-'}  total ${purchase.calculated_total?.number ?? '?'}`;
};
const settingsText = Object.entries(variables).map(([k, v]) => `${k}=${v || '(empty)'}`).join(', ');
for (const line of formatScriptRun(STEP, settingsText, run.result, describe)) console.log(line);

const outDir = path.join(root, 'dist', 'sandbox');
await mkdir(outDir, { recursive: true });
const outFile = path.join(outDir, `${STEP}.output.json`);
await writeFile(outFile, `${JSON.stringify(JSON.parse(run.result.payload ?? 'null'), null, 2)}\n`);
console.log(`\n[output] the payload the next shape would receive: ${path.relative(root, outFile)}`);
