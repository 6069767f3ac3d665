/**
 * `npm start`: the pack's main jobs on its built-in sandbox, no credentials needed. Builds the pack, then runs
 * the flows a client buys it for against a fake SparkLayer and a fake NetSuite (fixtures, served in-process by
 * msw), talking to them through the pack's real clients and running every script as built, one after the
 * other on Node 18 (Patchworks' runtime), each taking the payload and meta the last one returned:
 *
 * 1. order to cash: pull orders, filter-live-orders, resolve-erp-account, map-order-to-netsuite, upsert;
 * 2. month-end: read the orders back from NetSuite, reconcile-order-totals, write the CSV and HTML report;
 * 3. credit hold: read the company's NetSuite customer, sync-credit-hold, put the customers to SparkLayer.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setupServer } from 'msw/node';
import { NetSuiteClient } from '../../connectors/netsuite/client.js';
import * as netsuite from '../../connectors/netsuite/sandbox.js';
import { SparkLayerClient } from '../../connectors/sparklayer/client.js';
import { SparkLayerApiError } from '../../connectors/sparklayer/errors.js';
import { purchaseId } from '../../connectors/sparklayer/purchase.js';
import * as sparklayer from '../../connectors/sparklayer/sandbox.js';
import { buildPack } from '../build/build-pack.js';
import { reportRows, toCsv, toHtml } from '../report/reconciliation-report.js';
import type { PatchworksData } from '../runtime/contract.js';
import type { Envelope } from '../runtime/envelope.js';
import { loadFixture } from '../sandbox/fixtures.js';
import { mswHandlers } from '../sandbox/hosts.js';
import { findNode18, runBundle } from './run-bundle.js';
import { formatScriptRun } from './run-log.js';
import { tableCsv } from '../runtime/tables.js';

type Json = Record<string, unknown>;

const EDGE_CASES = 'fixtures/sparklayer/purchases/list.sandbox-edge-cases.json';
/** Small on purpose, so the run shows the client paging; SparkLayer allows up to 500. */
const PAGE_LIMIT = 5;
const CURRENCY_IDS = tableCsv(['GBP,1']);

const root = process.cwd();
const outDir = path.join(root, 'dist', 'sandbox');
console.log('SparkLayer pack for Patchworks: sandbox run (fixtures only, no credentials, no network)\n');
for (const artefact of await buildPack(root)) {
  console.log(`[build] ${path.relative(root, artefact.file)} (${(artefact.bytes / 1024).toFixed(1)} KiB)`);
}
const node18 = findNode18(root);
const node = 'path' in node18 ? node18.path : process.execPath;
if ('missing' in node18) console.log(`[runtime] ${node18.missing}; running on this Node instead`);

// The fakes: SparkLayer with the documented purchases and the deliberate edge cases; NetSuite with the
// companies behind the sandbox orders (1104, over its credit limit; 420), and one order keyed in by hand.
const sparkData = await sparklayer.sandboxDataFromFixtures(root);
const edgeCases = (await loadFixture(root, EDGE_CASES)).body as Json[];
const fakeSparkLayer = new sparklayer.SparkLayerSandbox({ ...sparkData, purchases: [...sparkData.purchases, ...edgeCases] });
const fakeNetSuite = new netsuite.NetSuiteSandbox({
  ...(await netsuite.sandboxDataFromFixtures(root)),
  salesOrders: [],
  customers: [
    { id: '1104', companyName: 'Example Trading Ltd', creditLimit: 5000, balance: 5200, creditHoldOverride: { id: 'AUTO', refName: 'Auto' } },
    { id: '420', companyName: 'Sample Interiors Ltd', creditLimit: 2000, balance: 0, creditHoldOverride: { id: 'OFF', refName: 'Off' } },
  ],
});
fakeNetSuite.seedSalesOrder({
  externalId: 'PHONE-0042',
  otherRefNum: 'PHONE ORDER',
  entity: { id: '1104' },
  currency: { id: '1', refName: 'British pound' },
  item: { items: [{ item: { id: '98' }, quantity: 10, rate: 4, amount: 40 }] },
});
const server = setupServer(
  ...mswHandlers(sparklayer.SANDBOX_BASE_URL, fakeSparkLayer),
  ...mswHandlers(netsuite.SANDBOX_BASE_URL, fakeNetSuite),
);
server.listen({ onUnhandledRequest: 'error' });
const spark = new SparkLayerClient({ baseUrl: sparklayer.SANDBOX_BASE_URL, environment: 'custom', ...sparklayer.SANDBOX_CREDENTIALS });
const ns = new NetSuiteClient(netsuite.sandboxConfig());

try {
  heading('1. Order to cash: SparkLayer orders into NetSuite');
  const { purchases, customers } = await pullOrders();
  const live = await script('filter-live-orders', { payload: JSON.stringify({ records: purchases, customers }) }, { live_types: 'order' }, describePurchase);
  const resolved = await script('resolve-erp-account', live, { account_map: tableCsv(['c9d8e7f6-1a2b-4c3d-8e4f-5a6b7c8d9e0f,420']) }, (p) =>
    `${purchaseId(p)}  erp_account ${String(p.erp_account)} (${String(p.erp_account_source)})`,
  );
  const mapped = await script(
    'map-order-to-netsuite',
    resolved,
    {
      on_account_mode: 'hold',
      unit_map: tableCsv(['MUG-ENAMEL-CASE12,MUG-ENAMEL-WHT*12']),
      item_ids: tableCsv(['MUG-ENAMEL-WHT,98', 'TOWEL-LINEN-NAT,77', 'JUG-STONE-1L,55']),
      tax_codes: tableCsv(['20,2:15']),
      currency_ids: CURRENCY_IDS,
    },
    describeSalesOrder,
  );
  const bodies = envelopeOf(mapped).records as Json[];
  for (const body of bodies) await ns.upsertSalesOrder(String(body.externalId), body as never);
  console.log(`\n[connection] NetSuite PUT /record/v1/salesOrder/eid:<purchase id>: ${bodies.length} sales orders upserted`);
  await save('order-to-cash.output.json', mapped);

  heading('2. Month end: SparkLayer order totals against NetSuite');
  const externalIds = [...bodies.map((body) => String(body.externalId)), 'PHONE-0042'];
  const target = await Promise.all(externalIds.map((id) => ns.getSalesOrderByExternalId(id)));
  console.log(`[connection] NetSuite GET /record/v1/salesOrder/eid:<id>: ${target.length} sales orders with their totals`);
  const source = envelopeOf(live).records;
  const reconciled = await script(
    'reconcile-order-totals',
    { payload: JSON.stringify({ source, target }), meta: live.meta },
    { tolerance: '0.01', currency_ids: CURRENCY_IDS },
    (p) => `${purchaseId(p)}  ${JSON.stringify(p.reconciliation)}`,
  );
  const reportEnvelope = envelopeOf(reconciled);
  const rows = reportRows(reportEnvelope);
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, 'reconciliation.csv'), toCsv(rows));
  await writeFile(path.join(outDir, 'reconciliation.html'), toHtml(rows, reportEnvelope.summary, 'Sandbox order reconciliation'));
  console.log(`\n[report] dist/sandbox/reconciliation.csv and reconciliation.html (${rows.length} rows)`);

  heading('3. Credit hold: NetSuite back to SparkLayer');
  const account = await ns.getCustomer('1104');
  console.log(`[connection] NetSuite GET /record/v1/customer/1104: creditHoldOverride ${account.creditHoldOverride?.id}, balance ${account.balance} of ${account.creditLimit}`);
  const synced = await script(
    'sync-credit-hold',
    { payload: JSON.stringify({ accounts: [account], customers }) },
    { hold_group: 'credit-hold', hold_action: 'group' },
    (c) => `${String(c.id)}  group ${String(c.group)}`,
  );
  const updates = envelopeOf(synced).records as Json[];
  for (const customer of updates) await spark.putCustomer('sparklayer', String(customer.id), customer as never);
  console.log(`\n[connection] SparkLayer PUT /api/v2/customers/sparklayer/<id>: ${updates.length} customers updated, every other field as it was`);
} finally {
  server.close();
}

function heading(title: string): void {
  console.log(`\n=== ${title} ===`);
}

/** Runs one built script on Node 18 with these variables and prints it as a Patchworks run log would. */
async function script(step: string, input: Partial<PatchworksData>, variables: Record<string, string>, describe: (record: Json) => string): Promise<PatchworksData> {
  const data = { meta: {}, flow: { variables: {} }, ...input, payload: input.payload ?? null, variables };
  const run = await runBundle(node, path.join(root, 'dist', 'scripts', `${step}.js`), data);
  if (run.error || !run.result) throw new Error(`[script] ${step} failed on Node ${run.node}: ${run.error ?? 'no result'}`);
  const settingsText = Object.entries(variables).map(([key, value]) => `${key}=${describeSetting(value)}`).join(', ');
  console.log(`\n[runtime] Node ${run.node}; the script required ${run.requires.length === 0 ? 'nothing' : run.requires.join(', ')}`);
  for (const line of formatScriptRun(step, settingsText, run.result, (record) => describe(record as Json))) console.log(line);
  return run.result;
}

/** A table setting as its row count, anything else as typed. */
function describeSetting(value: string): string {
  const rows = value.trim().split(/\r?\n/);
  return rows[0] === 'left_value,right_value' ? `(${rows.length - 1} ${rows.length === 2 ? 'row' : 'rows'})` : value || '(empty)';
}

function envelopeOf(data: PatchworksData): Envelope {
  return JSON.parse(data.payload ?? 'null') as Envelope;
}

async function save(file: string, data: PatchworksData): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, file), `${JSON.stringify(envelopeOf(data), null, 2)}\n`);
  console.log(`[output] the payload the NetSuite connection shape would receive: dist/sandbox/${file}`);
}

function describePurchase(p: Json): string {
  return `${purchaseId(p)}  ${String(p.type)}  PO ${String(p.customer_reference || '-')}`;
}

function describeSalesOrder(order: Json): string {
  const lines = ((order.item as { items?: Json[] } | undefined)?.items ?? []).map((l) => `${String(l.quantity)} x ${String(l.amount)}`);
  return `externalId ${String(order.externalId)}  PO ${String(order.otherRefNum ?? '-')}  orderStatus ${JSON.stringify(order.orderStatus)}  lines [${lines.join(', ')}]`;
}

/** Every purchase (all pages) and the customer behind each, through the pack's SparkLayer client. */
async function pullOrders(): Promise<{ purchases: Json[]; customers: Json[] }> {
  const purchases: Json[] = [];
  let pages = 0;
  for await (const page of spark.purchasePages({}, PAGE_LIMIT)) {
    pages += 1;
    purchases.push(...page);
  }
  const companyIds = [...new Set(purchases.map((p) => (p.customer_identifiers as { sparklayer?: string } | undefined)?.sparklayer))];
  const customers: Json[] = [];
  for (const id of companyIds.filter((id): id is string => Boolean(id))) {
    const customer = await spark.getCustomer('sparklayer', id).catch((error: unknown) => {
      if (error instanceof SparkLayerApiError && error.details.status === 404) return undefined;
      throw error;
    });
    if (!customer) continue;
    customers.push(customer);
    const parent = customer.parent_customer_id;
    if (parent && !companyIds.includes(parent)) customers.push(await spark.getCustomer('sparklayer', parent));
  }
  console.log(
    `[connection] SparkLayer GET /api/v1/purchases: ${purchases.length} purchases over ${pages} pages of ${PAGE_LIMIT}; ` +
      `GET /api/v2/customers: ${customers.length} customers; ${spark.tokensIssued} token`,
  );
  return { purchases, customers };
}
