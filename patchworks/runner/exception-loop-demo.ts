/**
 * The second half of `npm start`: the exception loop as a consultant lives it, on the NetSuite order flow, two
 * scheduled runs apart, with the flow's state (data pool, order queue) kept between them as Patchworks keeps it.
 * Run 1 has one company missing from the account map, so its order waits; between the runs the consultant adds it
 * and a new order with no PO number arrives; run 2 books the waiting order once, flags the new one to customer
 * service, and the queue entry is gone. Prints the lines that matter, not every shape. The state is kept where
 * `npm run flow -- --keep-pools` keeps it, so `npm run queue -- list` afterwards shows what still waits.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { ClientConfig } from '../blueprint/client-config.js';
import { loadFixture } from '../../contracts/fixtures.js';
import { KeptCaches } from './caches.js';
import { keptQueue } from './order-queue-view.js';
import { runDemoFlow } from './demo-run.js';
import { createSandbox, SANDBOX_AS_OF } from './systems.js';

const FLOW = 'sparklayer-orders-to-netsuite';
/** The company of order B2B01128 (fixtures/sparklayer/purchases/list.sandbox-edge-cases.json). */
const FORGOTTEN_COMPANY = 'c9d8e7f6-1a2b-4c3d-8e4f-5a6b7c8d9e0f';
const NEW_ORDER = 'fixtures/sparklayer/purchases/new-order-without-po.json';
const NEXT_RUN = '2026-11-22T09:15:00Z';
/** The run-log lines worth showing: what was written, who was told, and the summary. */
const WORTH_SHOWING =
  /^\s*(created|updated|unchanged|FAILED)\s|^\s*(warning|info|error): |^sparklayer-orders-to-netsuite: /;

export async function showExceptionLoop(root: string, client: ClientConfig, runDir: string): Promise<void> {
  const stateDir = path.join(runDir, 'data-pools');
  await rm(stateDir, { recursive: true, force: true });
  const sandbox = await createSandbox(root);
  const flowConfig = client.flows[FLOW];
  if (!flowConfig) throw new Error(`the example client has no ${FLOW} flow`);
  const { [FORGOTTEN_COMPANY]: _forgotten, ...partialMap } = flowConfig.lookups.account_map as Record<string, string>;
  const forgetful: ClientConfig = {
    ...client,
    flows: { ...client.flows, [FLOW]: { ...flowConfig, lookups: { ...flowConfig.lookups, account_map: partialMap } } },
  };
  const run = async (label: string, config: ClientConfig, asOf: string) => {
    console.log(`\n${label}`);
    await runDemoFlow({ root, client: config, flowKey: FLOW, stateDir, sandbox, asOf, worthShowing: WORTH_SHOWING });
    const entries = keptQueue(await KeptCaches.load(stateDir), FLOW)?.entries ?? [];
    const queued = entries
      .map((entry) => `${entry.label} ${entry.code} (${entry.owner}, since ${entry.first_seen})`)
      .join('; ');
    console.log(`  order queue: ${entries.length === 0 ? 'empty' : queued}`);
  };

  console.log(
    `\n=== The exception loop: ${FLOW}, two scheduled runs, state kept in ${path.relative(root, stateDir)} ===`,
  );
  await run(
    `Run 1, as of ${SANDBOX_AS_OF}: account_map has no entry for company ${FORGOTTEN_COMPANY} (order B2B01128)`,
    forgetful,
    SANDBOX_AS_OF,
  );
  const arrived = (await loadFixture(root, NEW_ORDER)).body as Array<Record<string, unknown>>;
  sandbox.fakes.sparklayer.purchases.push(...arrived);
  console.log(
    '\nBetween the runs: the consultant adds the company to account_map; order B2B01131 arrives with no PO number.',
  );
  await run(
    `Run 2, as of ${NEXT_RUN}: the waiting order is fed in again beside what changed since run 1`,
    client,
    NEXT_RUN,
  );
}
