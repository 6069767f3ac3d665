// Every order flow as it ships: scripts from dist/scripts on Node 18, connection shapes from the built definitions in
// dist/connectors, against fakes that apply the vendors' write semantics (NetSuite appends a re-sent order's lines
// unless `replace` names the sublist; R-Series books a new sale for every POST). Under each way Patchworks can send a
// write again, the fake's own record must hold exactly one sales order or sale per purchase, with SparkLayer's lines
// and total.
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CoreApiConnector } from '../../patchworks/exporters/core-api.js';
import { saleIdFor } from '../../connectors/lightspeed-x/sale-id.js';
import { loadBlueprints } from '../../patchworks/blueprint/catalog.js';
import { walkShapes } from '../../patchworks/blueprint/blueprint.js';
import { DataPools } from '../../patchworks/runner/data-pool.js';
import { runBlueprint } from '../../patchworks/runner/run-blueprint.js';
import type { FlowRunResult } from '../../patchworks/runner/flow-runner.js';
import { sandboxEngine } from '../../patchworks/runner/systems.js';
import { EXAMPLE_ORDER, ROOT, sandboxFlows, SAMPLE_ORDER, shapeRun } from '../support/flow-harness.js';

type Flows = Awaited<ReturnType<typeof sandboxFlows>>;
type Json = Record<string, unknown>;
const PURCHASES = [EXAMPLE_ORDER, SAMPLE_ORDER];

/** SparkLayer's own figures for the sandbox's two live orders: line items across packages, and calculated_total. */
async function sparkLayerOrders(): Promise<Map<string, { lines: number; total: number }>> {
  const fixture = JSON.parse(await readFile(path.join(ROOT, 'fixtures/sparklayer/purchases/list.sandbox-edge-cases.json'), 'utf8')) as { body: Json[] };
  const orders = new Map<string, { lines: number; total: number }>();
  for (const purchase of fixture.body) {
    const id = (purchase.purchase_identifiers as Json | undefined)?.sparklayer as string;
    if (!PURCHASES.includes(id)) continue;
    const packages = (purchase.packages as Array<{ line_items: unknown[] }>) ?? [];
    orders.set(id, { lines: packages.reduce((n, pkg) => n + pkg.line_items.length, 0), total: Number((purchase.calculated_total as Json).number) });
  }
  return orders;
}

interface Back {
  flow: string;
  /** The write's route, as the fault injector matches it (the end of the path). */
  write: (flows: Flows, purchase: string) => string;
  fault: (flows: Flows) => Flows['sandbox']['faults'][keyof Flows['sandbox']['faults']];
  /** What the fake holds per purchase: how many records name it, and (NetSuite) the one's lines and total. */
  held: (flows: Flows, purchase: string) => { count: number; lines?: number; total?: number };
  /** The request a shape retries in this flow: the upsert itself, or the look-up before a create. */
  retried: (purchase: string) => string;
  /** Whether the write is an upsert a shape retry may repeat (NetSuite), or a create sent once (0 retries). */
  upsert: boolean;
}

const BACKS: Back[] = [
  {
    flow: 'sparklayer-orders-to-netsuite',
    write: (_, purchase) => `PUT /record/v1/salesOrder/eid:${purchase}`,
    fault: (flows) => flows.sandbox.faults.netsuite,
    held: (flows, purchase) => {
      const orders = flows.sandbox.fakes.netsuite.salesOrders.filter((order) => order.externalId === purchase);
      const one = orders[0] as { item?: { items?: unknown[] }; total?: number } | undefined;
      return { count: orders.length, lines: one?.item?.items?.length, total: one?.total };
    },
    retried: (purchase) => `PUT /record/v1/salesOrder/eid:${purchase}`,
    upsert: true,
  },
  {
    flow: 'sparklayer-orders-to-lightspeed-r',
    write: () => 'POST /API/V3/Account/12345/Sale.json',
    fault: (flows) => flows.sandbox.faults.lightspeedR,
    held: (flows, purchase) => ({
      count: (flows.sandbox.fakes.lightspeedR.sales as Json[]).filter((sale) => JSON.stringify(sale.SaleNotes ?? '').includes(`SparkLayer purchase ${purchase}`)).length,
    }),
    retried: () => 'GET /API/V3/Account/12345/Sale.json',
    upsert: false,
  },
  {
    flow: 'sparklayer-orders-to-lightspeed-x',
    write: () => 'POST /2026-07/sales',
    fault: (flows) => flows.sandbox.faults.lightspeedX,
    held: (flows, purchase) => ({
      count: (flows.sandbox.fakes.lightspeedX.sales as Json[]).filter((sale) => sale.id === saleIdFor(purchase)).length,
    }),
    retried: (purchase) => `GET /2026-07/sales/${saleIdFor(purchase)}`,
    upsert: false,
  },
];

/** Exactly one record per purchase in the fake; NetSuite's with SparkLayer's line count and total. */
async function expectBookedOnce(back: Back, flows: Flows): Promise<void> {
  const spark = await sparkLayerOrders();
  for (const purchase of PURCHASES) {
    const held = back.held(flows, purchase);
    expect(held.count, `${back.flow}: records for ${purchase}`).toBe(1);
    if (back.upsert) expect({ lines: held.lines, total: held.total }, `${back.flow}: ${purchase}`).toEqual(spark.get(purchase));
  }
}

const writesSent = (flows: Flows, back: Back, purchase: string) => {
  const route = back.write(flows, purchase);
  const [method, suffix] = route.split(' ') as [string, string];
  return flows.sandbox.engine.sent.filter((request) => request.method === method && new URL(request.url).pathname.endsWith(suffix)).length;
};

describe.each(BACKS)('$flow as built, sent again every way Patchworks can', (back) => {
  it('books each purchase once after a 5xx that came after the write was applied', async () => {
    const flows = await sandboxFlows();
    back.fault(flows).add(back.write(flows, EXAMPLE_ORDER), { status: 503 }, { when: 'after' });
    const first = await flows.run(back.flow);
    if (back.upsert) {
      // The shape's own retry (2 allowed) sends the upsert again; replace keeps one set of lines.
      expect(first.status).toBe('success');
      expect(writesSent(flows, back, EXAMPLE_ORDER)).toBe(2);
    } else {
      // A create has no shape retry: the order is caught and queued whole, booked but unconfirmed.
      expect(first.status).toBe('partial_success');
      expect(first.failed.map((f) => f.error)).toEqual([expect.stringMatching(/HTTP 503/)]);
      // One POST per purchase (the route is the collection's): the failed one was not sent again.
      expect(writesSent(flows, back, EXAMPLE_ORDER)).toBe(PURCHASES.length);
    }
    // Its replay (the data pool already holds it, so a replay is a run without the pool) finds it booked.
    const replay = await flows.run(back.flow, { pools: new DataPools() });
    expect(replay.status).toBe('success');
    await expectBookedOnce(back, flows);
    if (!back.upsert) expect(skippedAsBooked(replay)).toBe(2);
  });

  it('books each purchase once when the answer to an applied write is lost', async () => {
    const flows = await sandboxFlows();
    back.fault(flows).add(back.write(flows, SAMPLE_ORDER), { network: 'reset' }, { when: 'after' });
    const first = await flows.run(back.flow);
    expect(first.status).toBe(back.upsert ? 'success' : 'partial_success');
    await flows.run(back.flow, { pools: new DataPools() });
    await expectBookedOnce(back, flows);
  });

  it('retries a failed shape as Patchworks does, and the retry books nothing twice', async () => {
    const flows = await sandboxFlows();
    // A 5xx instead of an answer: the write (NetSuite) or the look-up before the create (Lightspeed) is retried.
    back.fault(flows).add(back.retried(EXAMPLE_ORDER), { status: 502 });
    const result = await flows.run(back.flow);
    expect(result.status).toBe('success');
    expect(back.fault(flows).played).toHaveLength(1);
    await expectBookedOnce(back, flows);
  });

  it('books nothing twice when the whole flow runs again, or runs again with its de-dupe pool lost', async () => {
    const flows = await sandboxFlows();
    await flows.run(back.flow);
    const writes = PURCHASES.map((p) => writesSent(flows, back, p));
    const rerun = await flows.run(back.flow);
    expect(rerun.status).toBe('success');
    expect(PURCHASES.map((p) => writesSent(flows, back, p))).toEqual(writes);
    const poolLost = await flows.run(back.flow, { pools: new DataPools() });
    expect(poolLost.status).toBe('success');
    await expectBookedOnce(back, flows);
    if (!back.upsert) expect(skippedAsBooked(poolLost)).toBe(2);
  });
});

function skippedAsBooked(result: FlowRunResult): number {
  return shapeRun(result, 'Skip sales already booked').notes.filter((note) => /^skipped .* already_booked:/.test(note)).length;
}

describe('the local run follows the built definition', () => {
  const temp: string[] = [];
  afterAll(async () => {
    for (const dir of temp) await rm(dir, { recursive: true, force: true });
  });

  it('sends what dist/connectors says: without replace on the NetSuite upsert, a re-sent order doubles its lines', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'pack-dist-'));
    temp.push(root);
    await cp(path.join(ROOT, 'dist', 'connectors'), path.join(root, 'dist', 'connectors'), { recursive: true });
    await symlink(path.join(ROOT, 'connectors'), path.join(root, 'connectors'));
    const file = path.join(root, 'dist', 'connectors', 'netsuite.core-api.json');
    const definition = JSON.parse(await readFile(file, 'utf8')) as CoreApiConnector;
    const upsert = definition.endpoints.find((endpoint) => endpoint.name === 'Create or update a sales order by external ID')!;
    expect(upsert.endpoint).toBe('{{base_url}}/record/v1/salesOrder/eid:{{externalId}}?replace={{replace}}');
    upsert.endpoint = '{{base_url}}/record/v1/salesOrder/eid:{{externalId}}';
    upsert.variables = upsert.variables.filter((variable) => variable.key !== 'replace');
    await writeFile(file, JSON.stringify(definition));

    const flows = await sandboxFlows();
    const engine = await sandboxEngine(root);
    await flows.run('sparklayer-orders-to-netsuite', { engine });
    await flows.run('sparklayer-orders-to-netsuite', { engine, pools: new DataPools() });
    const puts = engine.sent.filter((request) => request.method === 'PUT').map((request) => new URL(request.url).search);
    expect(puts).toEqual(['', '', '', '']);
    const spark = await sparkLayerOrders();
    const held = flows.sandbox.fakes.netsuite.salesOrders.find((order) => order.externalId === EXAMPLE_ORDER) as { item: { items: unknown[] } };
    expect(held.item.items).toHaveLength(2 * spark.get(EXAMPLE_ORDER)!.lines);
  });

  it('books a second R-Series sale for every POST: without the look-up before create, a lost pool books each order twice', async () => {
    const flows = await sandboxFlows();
    const blueprint = (await loadBlueprints(ROOT)).find((b) => b.key === 'sparklayer-orders-to-lightspeed-r')!;
    const withoutLookUp = structuredClone(blueprint);
    const create = [...walkShapes(withoutLookUp.shapes)].find((shape) => shape.name === 'Create R-Series sale')!;
    for (const shape of walkShapes(withoutLookUp.shapes)) if (shape.type === 'try-catch') shape.try = [create];
    expect([...walkShapes(withoutLookUp.shapes)].some((shape) => shape.name === 'Find the R-Series sale')).toBe(false);
    const run = (pools: DataPools) => runBlueprint({ root: ROOT, blueprint: withoutLookUp, client: flows.client, connections: { engine: flows.sandbox.engine }, pools });
    await run(new DataPools());
    await run(new DataPools());
    for (const purchase of PURCHASES) expect(BACKS[1]!.held(flows, purchase).count, purchase).toBe(2);
  });
});
