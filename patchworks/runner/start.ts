/**
 * `npm start`: the pack's main job on its built-in sandbox, no credentials needed. Builds the pack, pulls
 * every purchase and the customers behind them from a fake SparkLayer (the fixtures, served in-process by
 * msw) through the pack's real SparkLayer client, then runs the order-to-cash scripts as built, one after
 * the other on Node 18 (Patchworks' runtime), each taking the payload and meta the last one returned, and
 * prints what a Patchworks run log would show.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setupServer } from 'msw/node';
import { SparkLayerClient } from '../../connectors/sparklayer/client.js';
import { SparkLayerApiError } from '../../connectors/sparklayer/errors.js';
import { purchaseId } from '../../connectors/sparklayer/purchase.js';
import {
  SANDBOX_BASE_URL,
  SANDBOX_CREDENTIALS,
  SparkLayerSandbox,
  sandboxDataFromFixtures,
} from '../../connectors/sparklayer/sandbox.js';
import { buildPack } from '../build/build-pack.js';
import type { PatchworksData } from '../runtime/contract.js';
import { loadFixture } from '../sandbox/fixtures.js';
import { mswHandlers } from '../sandbox/hosts.js';
import { findNode18, runBundle } from './run-bundle.js';
import { formatScriptRun } from './run-log.js';

const EDGE_CASES = 'fixtures/sparklayer/purchases/list.sandbox-edge-cases.json';
/** Small on purpose, so the run shows the client paging; SparkLayer allows up to 500. */
const PAGE_LIMIT = 5;

type Json = Record<string, unknown>;

/** The script shapes of the order-to-cash flow, with the variables a consultant would set. */
const SHAPES: Array<{ step: string; variables: Record<string, string>; describe: (record: Json) => string }> = [
  {
    step: 'filter-live-orders',
    variables: { live_types: 'order' },
    describe: (p) => `${purchaseId(p)}  ${String(p.type)}  PO ${String(p.customer_reference || '-')}`,
  },
  {
    step: 'resolve-erp-account',
    variables: { account_map: 'left_value,right_value\r\nc9d8e7f6-1a2b-4c3d-8e4f-5a6b7c8d9e0f,420\r\n' },
    describe: (p) => `${purchaseId(p)}  erp_account ${String(p.erp_account)} (${String(p.erp_account_source)})`,
  },
  {
    step: 'map-order-to-netsuite',
    variables: {
      on_account_mode: 'hold',
      unit_map: 'left_value,right_value\r\nMUG-ENAMEL-CASE12,MUG-ENAMEL-WHT*12\r\n',
      item_ids: 'left_value,right_value\r\nMUG-ENAMEL-WHT,98\r\nTOWEL-LINEN-NAT,77\r\nJUG-STONE-1L,55\r\n',
      tax_codes: 'left_value,right_value\r\n20,2:15\r\n',
    },
    describe: (order) => {
      const lines = ((order.item as { items?: Json[] } | undefined)?.items ?? []).map((l) => `${String(l.quantity)} x ${String(l.amount)}`);
      return `externalId ${String(order.externalId)}  PO ${String(order.otherRefNum ?? '-')}  orderStatus ${JSON.stringify(order.orderStatus)}  lines [${lines.join(', ')}]`;
    },
  },
];

const root = process.cwd();
console.log('SparkLayer pack for Patchworks: sandbox run (fixtures only, no credentials, no network)\n');

for (const artefact of await buildPack(root)) {
  console.log(`[build] ${path.relative(root, artefact.file)} (${(artefact.bytes / 1024).toFixed(1)} KiB)`);
}

const node18 = findNode18(root);
const node = 'path' in node18 ? node18.path : process.execPath;
if ('missing' in node18) console.log(`[runtime] ${node18.missing}; running on this Node instead`);

const { purchases, customers } = await pullFromFakeSparkLayer();

let data: PatchworksData = { payload: JSON.stringify({ records: purchases, customers }), meta: {}, flow: { variables: {} } };
for (const shape of SHAPES) {
  const run = await runBundle(node, path.join(root, 'dist', 'scripts', `${shape.step}.js`), { ...data, variables: shape.variables });
  if (run.error || !run.result) {
    console.error(`[script] ${shape.step} failed on Node ${run.node}: ${run.error ?? 'no result'}`);
    process.exit(1);
  }
  const settingsText = Object.entries(shape.variables).map(([key, value]) => `${key}=${describeSetting(value)}`).join(', ');
  console.log(`\n[runtime] Node ${run.node}; the script required ${run.requires.length === 0 ? 'nothing' : run.requires.join(', ')}`);
  for (const line of formatScriptRun(shape.step, settingsText, run.result, (record) => shape.describe(record as Json))) console.log(line);
  data = run.result;
}

const outDir = path.join(root, 'dist', 'sandbox');
await mkdir(outDir, { recursive: true });
const outFile = path.join(outDir, 'order-to-cash.output.json');
await writeFile(outFile, `${JSON.stringify(JSON.parse(data.payload ?? 'null'), null, 2)}\n`);
console.log(`\n[output] the payload the NetSuite connection shape would receive: ${path.relative(root, outFile)}`);

/** A table setting as its row count, anything else as typed. */
function describeSetting(value: string): string {
  const rows = value.trim().split(/\r?\n/);
  return rows[0] === 'left_value,right_value' ? `(${rows.length - 1} ${rows.length === 2 ? 'row' : 'rows'})` : value || '(empty)';
}

/** Every purchase (all pages) and the customer behind each, through the pack's SparkLayer client. */
async function pullFromFakeSparkLayer(): Promise<{ purchases: unknown[]; customers: unknown[] }> {
  const fixtures = await sandboxDataFromFixtures(root);
  const edgeCases = (await loadFixture(root, EDGE_CASES)).body as Json[];
  const sandbox = new SparkLayerSandbox({ ...fixtures, purchases: [...fixtures.purchases, ...edgeCases] });
  const server = setupServer(...mswHandlers(SANDBOX_BASE_URL, sandbox));
  server.listen({ onUnhandledRequest: 'error' });
  try {
    const client = new SparkLayerClient({ baseUrl: SANDBOX_BASE_URL, environment: 'custom', ...SANDBOX_CREDENTIALS });
    const purchases: Json[] = [];
    let pages = 0;
    for await (const page of client.purchasePages({}, PAGE_LIMIT)) {
      pages += 1;
      purchases.push(...page);
    }
    const companyIds = [...new Set(purchases.map((p) => (p.customer_identifiers as { sparklayer?: string } | undefined)?.sparklayer))];
    const customers: unknown[] = [];
    for (const id of companyIds.filter((id): id is string => Boolean(id))) {
      const customer = await client.getCustomer('sparklayer', id).catch((error: unknown) => {
        if (error instanceof SparkLayerApiError && error.details.status === 404) return undefined;
        throw error;
      });
      if (!customer) continue;
      customers.push(customer);
      const parent = customer.parent_customer_id;
      if (parent && !companyIds.includes(parent)) customers.push(await client.getCustomer('sparklayer', parent));
    }
    console.log(
      `[connection] SparkLayer GET /api/v1/purchases (fake SparkLayer from fixtures/sparklayer): ${purchases.length} purchases ` +
        `over ${pages} pages of ${PAGE_LIMIT}; GET /api/v2/customers: ${customers.length} customers; ${client.tokensIssued} token`,
    );
    return { purchases, customers };
  } finally {
    server.close();
  }
}
