/**
 * The fulfilment part of `npm start` (issue 18): what happens after booking, as operations and customer service live
 * it, each back-end on a fresh sandbox with the flows' state kept between runs as Patchworks keeps it
 * (fulfilment-scenarios.ts stages what the back-ends do):
 * - NetSuite: the order flow books the SparkLayer order; the warehouse ships part of it and the fulfilment flow writes
 *   that shipment onto the SparkLayer purchase; the stale-orders flow, two days later, tells operations of the order
 *   that has shipped nothing (and finance of the Pay on Account order held with a case still to ship); then the rest
 *   ships and finance credits two towels, and the next run writes the second shipment and the return; a run after
 *   that writes nothing.
 * - X-Series: the store closes the booked sale and takes two towels back in store; the flow writes the shipment and the
 *   return linked to its order, and a return of a sale the pack never booked is queued and told to operations.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { ClientConfig } from '../blueprint/client-config.js';
import { runDemoFlow } from './demo-run.js';
import {
  netSuiteShipmentsAndReturn,
  NETSUITE_TRANSACTIONS,
  xSeriesDispatchAndReturns,
} from './fulfilment-scenarios.js';
import { createSandbox, SANDBOX_AS_OF, type Sandbox } from './systems.js';

/** The sandbox's Pay on Account order: 2 cases of mugs and 12 towels. */
const ORDER = '6301bbfc-a0c5-454e-8ff9-bb510944fe0c';
/** The run-log lines worth showing: who was told, and each flow's summary. */
const WORTH_SHOWING = /^\s*(warning|error): |^\S+: \d+ records in/;

/** The packages the pack wrote back onto the order, as SparkLayer now holds them. */
function packagesHeld(sandbox: Sandbox): string {
  const purchase = (sandbox.fakes.sparklayer.purchases as Array<Record<string, unknown>>).find(
    (p) => (p.purchase_identifiers as { sparklayer?: string }).sparklayer === ORDER,
  );
  const packages = (purchase?.packages ?? []) as Array<{
    type?: string;
    identifiers?: { internal?: string };
    line_items?: Array<{ identifiers: { sku: string }; quantity: number }>;
  }>;
  const written = packages.filter((pkg) => pkg.type === 'shipment' || pkg.type === 'return');
  if (written.length === 0) return '  SparkLayer holds no shipment or return on the order yet';
  return written
    .map(
      (pkg) =>
        `  SparkLayer order ${ORDER}: ${pkg.type} ${pkg.identifiers?.internal}: ` +
        (pkg.line_items ?? []).map((line) => `${line.quantity} × ${line.identifiers.sku}`).join(', '),
    )
    .join('\n');
}

export async function showFulfilmentLoop(root: string, client: ClientConfig, runDir: string): Promise<void> {
  const run = async (sandbox: Sandbox, stateDir: string, flowKey: string, asOf: string, what: string) => {
    console.log(`\n${flowKey}, as of ${asOf}: ${what}`);
    await runDemoFlow({ root, client, flowKey, stateDir, sandbox, asOf, worthShowing: WORTH_SHOWING });
  };

  const netsuiteState = path.join(runDir, 'fulfilment-state', 'netsuite');
  await rm(netsuiteState, { recursive: true, force: true });
  const netsuite = await createSandbox(root);
  console.log(
    `\n=== After booking, NetSuite: shipments, a stale order, a return ` +
      `(state in ${path.relative(root, netsuiteState)}) ===`,
  );
  await run(netsuite, netsuiteState, 'sparklayer-orders-to-netsuite', SANDBOX_AS_OF, 'the order is booked');
  const records = netSuiteShipmentsAndReturn(netsuite, ORDER);
  records.happen([NETSUITE_TRANSACTIONS.partialShipment]);
  await run(
    netsuite,
    netsuiteState,
    'netsuite-fulfilment-to-sparklayer',
    '2026-11-22T10:00:00Z',
    'item fulfillment 41 shipped one case of mugs and the towels (a partial shipment)',
  );
  console.log(packagesHeld(netsuite));
  await run(
    netsuite,
    netsuiteState,
    'stale-orders',
    '2026-11-24T10:00:00Z',
    'the invoice order of the 22nd has shipped nothing; a case of the Pay on Account order is still to ship',
  );
  records.happen([
    NETSUITE_TRANSACTIONS.secondShipment,
    NETSUITE_TRANSACTIONS.returnAuthorization,
    NETSUITE_TRANSACTIONS.creditMemo,
  ]);
  const after = '2026-12-02T09:00:00Z';
  await run(
    netsuite,
    netsuiteState,
    'netsuite-fulfilment-to-sparklayer',
    after,
    'item fulfillment 42 shipped the second case; credit memo 61 credits two towels (return authorization 55)',
  );
  console.log(packagesHeld(netsuite));
  await run(netsuite, netsuiteState, 'netsuite-fulfilment-to-sparklayer', after, 'the same window read again');
  console.log(packagesHeld(netsuite));

  const xState = path.join(runDir, 'fulfilment-state', 'lightspeed-x');
  await rm(xState, { recursive: true, force: true });
  const xSeries = await createSandbox(root);
  console.log(
    `\n=== After booking, X-Series: dispatch and returns in store (state in ${path.relative(root, xState)}) ===`,
  );
  await run(xSeries, xState, 'sparklayer-orders-to-lightspeed-x', SANDBOX_AS_OF, 'the order is booked');
  const unlinked = await xSeriesDispatchAndReturns(root, xSeries, ORDER);
  await run(
    xSeries,
    xState,
    'lightspeed-x-fulfilment-to-sparklayer',
    '2026-12-02T09:00:00Z',
    `the store closed the sale, took two towels back, and return ${unlinked} names a sale the pack never booked`,
  );
  console.log(packagesHeld(xSeries));
}
