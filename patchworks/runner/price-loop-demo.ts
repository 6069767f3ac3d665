/**
 * The prices part of `npm start` (issue 19): the NetSuite price flow publishes the ERP's prices to SparkLayer's price
 * lists (each break, the case of 12 priced from its units), a run an hour later sends nothing, and the NetSuite order
 * flow, with the price check on and the ERP's prices the truth (price_authority=erp), holds the order whose lines
 * SparkLayer priced below the customer's trade prices and tells finance, while the order that prices right is booked.
 * On a fresh sandbox, the flows' state kept between runs as Patchworks keeps it.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { ClientConfig } from '../blueprint/client-config.js';
import { runDemoFlow } from './demo-run.js';
import { createSandbox, SANDBOX_AS_OF, type Sandbox } from './systems.js';

const PRICES = 'netsuite-prices-to-sparklayer';
const ORDERS = 'sparklayer-orders-to-netsuite';
/** The run-log lines worth showing: who was told, each flow's summary, and what the price steps did. */
const WORTH_SHOWING =
  /^\s*(warning|error): |^\S+: \d+ records in|log {2}(map-prices-to-sparklayer|check-order-prices):/;

/** What SparkLayer now holds of the mug, each on every list the flow publishes to. */
function pricesHeld(sandbox: Sandbox): string {
  const spark = sandbox.fakes.sparklayer;
  return ['base-list', 'trade-gbp']
    .flatMap((list) =>
      ['MUG-ENAMEL-WHT', 'MUG-ENAMEL-CASE12'].map((sku) => {
        const breaks = spark.storedPrices(list, sku) ?? [];
        const text = breaks.map((b) => `${b.quantity}+ at ${b.price}`).join(', ') || 'none';
        return `  SparkLayer ${list}: ${sku} ${text}`;
      }),
    )
    .join('\n');
}

/** The order flow's own config with the price check on and the ERP's prices the truth. */
function checkingClient(client: ClientConfig): ClientConfig {
  const copy = structuredClone(client);
  const flow = (copy.flows[ORDERS] ??= { variables: {}, lookups: {} });
  flow.variables = { ...flow.variables, price_check: 'on', price_authority: 'erp' };
  return copy;
}

export async function showPriceLoop(root: string, client: ClientConfig, runDir: string): Promise<void> {
  const state = path.join(runDir, 'price-state');
  await rm(state, { recursive: true, force: true });
  const sandbox = await createSandbox(root);
  console.log(`\n=== Prices: NetSuite's price lists into SparkLayer, orders checked against them ===`);
  const run = async (flowKey: string, asOf: string, what: string, config = client) => {
    console.log(`\n${flowKey}, as of ${asOf}: ${what}`);
    await runDemoFlow({ root, client: config, flowKey, stateDir: state, sandbox, asOf, worthShowing: WORTH_SHOWING });
  };
  // The sandbox's invoice order sold 4 jugs at 14.00 each: NetSuite's Base Price for the jug is set to that, so that
  // order prices right; the Pay on Account order's mugs and towels stay below its customer's Trade prices.
  const jug = sandbox.fakes.netsuite.tables.pricing!.find(
    (row) => row.itemid === 'JUG-STONE-1L' && row.pricelevel === '1',
  )!;
  jug.unitprice = '14.00';
  await run(
    PRICES,
    '2026-11-22T08:30:00Z',
    'the price levels price_level_map names, published (Base Price of the jug 14.00)',
  );
  console.log(pricesHeld(sandbox));
  await run(PRICES, '2026-11-22T09:30:00Z', 'an hour later, nothing changed in NetSuite');
  await run(
    ORDERS,
    SANDBOX_AS_OF,
    'price_check on, price_authority erp: each order line against the customer’s NetSuite price',
    checkingClient(client),
  );
}
