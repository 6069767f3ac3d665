// Every order flow as it ships: scripts from dist/scripts on Node 18, connection shapes from the built definitions in
// dist/connectors, against fakes that apply the vendors' write semantics (NetSuite appends a re-sent order's lines
// unless `replace` names the sublist; R-Series books a new sale for every POST). Under each way Patchworks can send a
// write again, the fake's own record must hold exactly one sales order or sale per purchase, with SparkLayer's lines
// and total. A write that failed is kept in the flow's order queue and sent again by the next scheduled run by itself;
// only what the back-end took is tracked in the de-dupe pool (book, then track).
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
import { SANDBOX_AS_OF, sandboxEngine } from '../../patchworks/runner/systems.js';
import { EXAMPLE_ORDER, keptQueue, ROOT, sandboxFlows, SAMPLE_ORDER, shapeRun } from '../support/flow-harness.js';

type Flows = Awaited<ReturnType<typeof sandboxFlows>>;
type Json = Record<string, unknown>;
const PURCHASES = [EXAMPLE_ORDER, SAMPLE_ORDER];
/** The next scheduled run: fifteen minutes after the sandbox's clock. */
const NEXT_RUN = new Date(Date.parse(SANDBOX_AS_OF) + 15 * 60_000).toISOString();

/** SparkLayer's own figures for the sandbox's two live orders: line items across packages, and calculated_total. */
async function sparkLayerOrders(): Promise<Map<string, { lines: number; total: number }>> {
  const fixture = JSON.parse(
    await readFile(path.join(ROOT, 'fixtures/sparklayer/purchases/list.sandbox-edge-cases.json'), 'utf8'),
  ) as { body: Json[] };
  const orders = new Map<string, { lines: number; total: number }>();
  for (const purchase of fixture.body) {
    const id = (purchase.purchase_identifiers as Json | undefined)?.sparklayer as string;
    if (!PURCHASES.includes(id)) continue;
    const packages = (purchase.packages as Array<{ line_items: unknown[] }>) ?? [];
    orders.set(id, {
      lines: packages.reduce((n, pkg) => n + pkg.line_items.length, 0),
      total: Number((purchase.calculated_total as Json).number),
    });
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
  pool: string;
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
    pool: 'sparklayer-orders-netsuite',
  },
  {
    flow: 'sparklayer-orders-to-lightspeed-r',
    write: () => 'POST /API/V3/Account/12345/Sale.json',
    fault: (flows) => flows.sandbox.faults.lightspeedR,
    held: (flows, purchase) => ({
      count: (flows.sandbox.fakes.lightspeedR.sales as Json[]).filter((sale) =>
        JSON.stringify(sale.SaleNotes ?? '').includes(`SparkLayer purchase ${purchase}`),
      ).length,
    }),
    retried: () => 'GET /API/V3/Account/12345/Sale.json',
    upsert: false,
    pool: 'sparklayer-orders-lightspeed-r',
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
    pool: 'sparklayer-orders-lightspeed-x',
  },
];

/** Exactly one record per purchase in the fake; NetSuite's with SparkLayer's line count and total. */
async function expectBookedOnce(back: Back, flows: Flows): Promise<void> {
  const spark = await sparkLayerOrders();
  for (const purchase of PURCHASES) {
    const held = back.held(flows, purchase);
    expect(held.count, `${back.flow}: records for ${purchase}`).toBe(1);
    if (back.upsert)
      expect({ lines: held.lines, total: held.total }, `${back.flow}: ${purchase}`).toEqual(spark.get(purchase));
  }
}

const writesSent = (flows: Flows, back: Back, purchase: string) => {
  const route = back.write(flows, purchase);
  const [method, suffix] = route.split(' ') as [string, string];
  return flows.sandbox.engine.sent.filter(
    (request) => request.method === method && new URL(request.url).pathname.endsWith(suffix),
  ).length;
};
/** The purchases the flow's order queue holds, waiting for the next run. */
const waiting = (flows: Flows, back: Back) =>
  (keptQueue(flows, back.flow)?.entries ?? []).map((entry) => entry.key).filter((key) => PURCHASES.includes(key));

describe.each(BACKS)('$flow as built, sent again every way Patchworks can', (back) => {
  it('books each purchase once after a 5xx that came after the write was applied', async () => {
    const flows = await sandboxFlows();
    back.fault(flows).add(back.write(flows, EXAMPLE_ORDER), { status: 503 }, { when: 'after' });
    const first = await flows.run(back.flow);
    if (back.upsert) {
      // The shape's own retry (2 allowed) sends the upsert again; replace keeps one set of lines.
      expect(first.status).toBe('success');
      expect(writesSent(flows, back, EXAMPLE_ORDER)).toBe(2);
      expect(waiting(flows, back)).toEqual([]);
    } else {
      // A create has no shape retry: the order is caught and kept in the queue, booked but unconfirmed, and not
      // tracked in the pool (only what the back-end confirmed is).
      expect(first.status).toBe('partial_success');
      expect(first.failed.map((f) => f.error)).toEqual([expect.stringMatching(/HTTP 503/)]);
      // One POST per purchase (the route is the collection's): the failed one was not sent again.
      expect(writesSent(flows, back, EXAMPLE_ORDER)).toBe(PURCHASES.length);
      expect(waiting(flows, back)).toEqual([EXAMPLE_ORDER]);
      expect(flows.pools.values(back.pool)).toEqual([SAMPLE_ORDER]);
    }
    // The next scheduled run feeds the caught order in again by itself (no pool cleared), and finds it booked.
    const replay = await flows.run(back.flow, { asOf: NEXT_RUN });
    expect(replay.status).toBe('success');
    await expectBookedOnce(back, flows);
    if (!back.upsert) expect(skippedAsBooked(replay)).toBe(1);
    expect(writesSent(flows, back, EXAMPLE_ORDER)).toBe(back.upsert ? 2 : PURCHASES.length);
    expect(waiting(flows, back)).toEqual([]);
    expect([...flows.pools.values(back.pool)].sort()).toEqual([...PURCHASES].sort());
  });

  it('books each purchase once when the answer to an applied write is lost', async () => {
    const flows = await sandboxFlows();
    back.fault(flows).add(back.write(flows, SAMPLE_ORDER), { network: 'reset' }, { when: 'after' });
    const first = await flows.run(back.flow);
    expect(first.status).toBe(back.upsert ? 'success' : 'partial_success');
    // A create whose answer was lost waits in the queue; the upsert's retry got its answer.
    expect(waiting(flows, back)).toHaveLength(back.upsert ? 0 : 1);
    const next = await flows.run(back.flow, { asOf: NEXT_RUN });
    expect(next.status).toBe('success');
    if (!back.upsert) expect(skippedAsBooked(next)).toBe(1);
    await expectBookedOnce(back, flows);
    expect(waiting(flows, back)).toEqual([]);
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

  it(
    'books nothing twice when the whole flow runs again, with its queue cache lost, or with its de-dupe ' +
      'pool lost as well',
    async () => {
      const flows = await sandboxFlows();
      await flows.run(back.flow);
      const writes = PURCHASES.map((p) => writesSent(flows, back, p));
      // The next scheduled run: the booked orders are not pulled again.
      const rerun = await flows.run(back.flow, { asOf: NEXT_RUN });
      expect(rerun.status).toBe('success');
      expect(PURCHASES.map((p) => writesSent(flows, back, p))).toEqual(writes);
      // The queue cache lost: the look-back pulls both again, and the de-dupe pool drops them.
      flows.caches.forget();
      const queueLost = await flows.run(back.flow);
      expect(queueLost.status).toBe('success');
      expect(shapeRun(queueLost, 'Drop orders already booked').notes).toEqual([
        `2 filtered out: already in data pool "${back.pool}"`,
      ]);
      expect(PURCHASES.map((p) => writesSent(flows, back, p))).toEqual(writes);
      // The pool lost too: both reach the back-end again, and are booked once (upserted again, or found and skipped).
      flows.forgetState();
      const poolLost = await flows.run(back.flow);
      expect(poolLost.status).toBe('success');
      await expectBookedOnce(back, flows);
      if (back.upsert) expect(PURCHASES.map((p) => writesSent(flows, back, p))).toEqual(writes.map((n) => n + 1));
      else expect(skippedAsBooked(poolLost)).toBe(2);
    },
  );
});

const LOOK_UP_ERRORS = [
  {
    name: '401 (after the token refresh)',
    fault: { status: 401, body: { error: 'Unauthorized', message: 'expired' } },
  },
  { name: '429', fault: { status: 429, body: { error: 'Too Many Requests', message: 'Rate limiting enforced' } } },
  { name: 'HTML 502', fault: { status: 502, html: '<html><body><h1>502 Bad Gateway</h1></body></html>' } },
];

describe.each(BACKS.filter((back) => !back.upsert))('$flow: the look-up before the create answers an error', (back) => {
  it('books no second sale on a 401, a 429 or an HTML 502, keeps the order waiting, books it once after', async () => {
    const flows = await sandboxFlows();
    // Run 1: the create is applied but its answer is lost, so the order waits, booked but unconfirmed.
    back.fault(flows).add(back.write(flows, EXAMPLE_ORDER), { network: 'reset' }, { when: 'after' });
    await flows.run(back.flow);
    expect(waiting(flows, back)).toEqual([EXAMPLE_ORDER]);
    let asOf = Date.parse(NEXT_RUN);
    for (const { name, fault } of LOOK_UP_ERRORS) {
      // Every attempt of the look-up (a token refresh after a 401, two shape retries) gets the error.
      back.fault(flows).add(back.retried(EXAMPLE_ORDER), fault, { times: 3 });
      const run = await flows.run(back.flow, { asOf: new Date(asOf).toISOString() });
      asOf += 15 * 60_000;
      expect(back.held(flows, EXAMPLE_ORDER).count, `${name}: sales for ${EXAMPLE_ORDER}`).toBe(1);
      expect(writesSent(flows, back, EXAMPLE_ORDER), name).toBe(PURCHASES.length);
      expect(waiting(flows, back), name).toEqual([EXAMPLE_ORDER]);
      expect(run.status, name).not.toBe('failure');
    }
    // The back-end answers again: the next run finds the sale and skips it.
    const healed = await flows.run(back.flow, { asOf: new Date(asOf).toISOString() });
    expect(skippedAsBooked(healed)).toBe(1);
    await expectBookedOnce(back, flows);
    expect(waiting(flows, back)).toEqual([]);
  });
});

function skippedAsBooked(result: FlowRunResult): number {
  return shapeRun(result, 'Skip sales already booked').notes.filter((note) => /^skipped .* already_booked:/.test(note))
    .length;
}

describe('the local run follows the built definition', () => {
  const temp: string[] = [];
  afterAll(async () => {
    for (const dir of temp) await rm(dir, { recursive: true, force: true });
  });

  it(
    'sends what dist/connectors says: without replace on ' + 'the NetSuite upsert, a re-sent order doubles its lines',
    async () => {
      const root = await mkdtemp(path.join(tmpdir(), 'pack-dist-'));
      temp.push(root);
      await cp(path.join(ROOT, 'dist', 'connectors'), path.join(root, 'dist', 'connectors'), { recursive: true });
      await symlink(path.join(ROOT, 'connectors'), path.join(root, 'connectors'));
      const file = path.join(root, 'dist', 'connectors', 'netsuite.core-api.json');
      const definition = JSON.parse(await readFile(file, 'utf8')) as CoreApiConnector;
      const upsert = definition.endpoints.find(
        (endpoint) => endpoint.name === 'Create or update a sales order by external ID',
      )!;
      expect(upsert.endpoint).toBe('{{base_url}}/record/v1/salesOrder/eid:{{externalId}}?replace={{replace}}');
      upsert.endpoint = '{{base_url}}/record/v1/salesOrder/eid:{{externalId}}';
      upsert.variables = upsert.variables.filter((variable) => variable.key !== 'replace');
      await writeFile(file, JSON.stringify(definition));

      const flows = await sandboxFlows();
      const engine = await sandboxEngine(root);
      await flows.run('sparklayer-orders-to-netsuite', { engine });
      // Sent again: the pool and the queue lost, so the look-back pulls both orders and neither is dropped.
      flows.forgetState();
      await flows.run('sparklayer-orders-to-netsuite', { engine });
      const puts = engine.sent
        .filter((request) => request.method === 'PUT')
        .map((request) => new URL(request.url).search);
      expect(puts).toEqual(['', '', '', '']);
      const spark = await sparkLayerOrders();
      const held = flows.sandbox.fakes.netsuite.salesOrders.find((order) => order.externalId === EXAMPLE_ORDER) as {
        item: { items: unknown[] };
      };
      expect(held.item.items).toHaveLength(2 * spark.get(EXAMPLE_ORDER)!.lines);
    },
  );

  it(
    'books a second R-Series sale for every POST: without the look-up before create, a lost pool and queue ' +
      'book each order twice',
    async () => {
      const flows = await sandboxFlows();
      const blueprint = (await loadBlueprints(ROOT)).find((b) => b.key === 'sparklayer-orders-to-lightspeed-r')!;
      const withoutLookUp = structuredClone(blueprint);
      const create = [...walkShapes(withoutLookUp.shapes)].find((shape) => shape.name === 'Create R-Series sale')!;
      for (const shape of walkShapes(withoutLookUp.shapes)) if (shape.type === 'try-catch') shape.try = [create];
      expect([...walkShapes(withoutLookUp.shapes)].some((shape) => shape.name === 'Find the R-Series sale')).toBe(
        false,
      );
      // Each run with a fresh pool and no kept caches (no queue: the look-back pulls both orders), as of the sandbox's
      // clock.
      const run = (pools: DataPools) =>
        runBlueprint({
          root: ROOT,
          blueprint: withoutLookUp,
          client: flows.client,
          connections: { engine: flows.sandbox.engine },
          pools,
          overrides: { as_of: SANDBOX_AS_OF },
        });
      await run(new DataPools());
      await run(new DataPools());
      for (const purchase of PURCHASES) expect(BACKS[1]!.held(flows, purchase).count, purchase).toBe(2);
    },
  );
});
