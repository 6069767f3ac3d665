/**
 * `npm start`: the pack's main job on its built-in sandbox, no credentials needed. Builds the pack, then
 * runs the built filter-live-orders script over the SparkLayer purchase fixtures on Node 18 (Patchworks'
 * runtime) and prints what a Patchworks run log would show.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleScripts } from '../build/bundle-scripts.js';
import { loadFixture } from '../sandbox/fixtures.js';
import { findNode18, runBundle } from './run-bundle.js';
import { formatScriptRun } from './run-log.js';
import { purchaseId } from '../../connectors/sparklayer/purchase.js';

const SANDBOX_PURCHASES = [
  'fixtures/sparklayer/purchases/list.all-types.json',
  'fixtures/sparklayer/purchases/list.sandbox-edge-cases.json',
];
const STEP = 'filter-live-orders';

const root = process.cwd();
console.log('SparkLayer pack for Patchworks: sandbox run (fixtures only, no credentials, no network)\n');

const bundles = await bundleScripts(root);
for (const bundle of bundles) console.log(`[build] ${path.relative(root, bundle.file)} (${(bundle.bytes / 1024).toFixed(1)} KiB)`);

const node18 = findNode18(root);
const node = 'path' in node18 ? node18.path : process.execPath;
if ('missing' in node18) console.log(`[runtime] ${node18.missing}; running on this Node instead`);

const purchases: unknown[] = [];
for (const file of SANDBOX_PURCHASES) {
  const fixture = await loadFixture(root, file);
  const body = fixture.body as unknown[];
  purchases.push(...body);
  console.log(`[trigger] ${file}: ${body.length} purchases (${fixture.provenance.origin})`);
}

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
