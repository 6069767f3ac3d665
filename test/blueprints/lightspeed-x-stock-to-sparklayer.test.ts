// Lightspeed X-Series stock to SparkLayer on the sandbox, on the built artefacts: the scripts from dist/scripts/ (on
// Node 18 when tools/node18 has it), the X-Series reads and the SparkLayer write through the built definitions
// (dist/connectors/lightspeed-x.core-api.json, dist/connectors/sparklayer.core-api.json), on the fakes.
//
// The reads run as built: ListInventoryRecords exports as a Receive that POSTs the flow's payload (the inventory
// request) as its body (reads: true in connectors/lightspeed-x/dev/patchworks-connector.ts); ListProducts and Search
// (type=sales, state=parked) are GETs with the shape's query, ListProducts paged by "Next page token" (after =
// version.max). ListInventoryRecords pages by "Script": the built pagination script lightspeed-x-inventory-pages, on
// Node 18, sets the body's after to the highest version read, to the empty page.
import { describe, expect, it } from 'vitest';
import type { FlowRunResult } from '../../patchworks/runner/flow-runner.js';
import { STOCK_STATE } from '../../patchworks/blueprint/stock-flow.js';
import type { Envelope } from '../../runtime/envelope.js';
import { outputsOf, sandboxFlows, shapeRun, warnings } from '../support/flow-harness.js';
import { server } from '../support/msw.js';

const FLOW = 'lightspeed-x-stock-to-sparklayer';
const BATCH = 'POST /api/v1/batch-update-stock';
type Flows = Awaited<ReturnType<typeof sandboxFlows>>;

// The example client's location_map (clients/example-homewares.json) sends the sandbox's outlets A and B to the fake's
// two stock locations; outlet C holds only the variant parent's record, which is never published.
const OUTLET_A = 'b8ca3a65-0183-11e4-fbb5-2816d2677218';
const P0003 = 'b8ca3a65-0183-11e4-fbb5-9776c5cd0240';
const BLK_S = 'b8ca3a65-0183-11e4-fbb5-7988a6ed80f9';
const run = (flows: Flows, options: { asOf?: string; variables?: Record<string, string> } = {}) =>
  flows.run(FLOW, options);

/** What the SparkLayer fake holds, as `SKU@external id level`. */
const held = (flows: Flows) =>
  [...flows.sandbox.fakes.sparklayer.stockLevels.values()]
    .map((level) => `${level.sku}@${level.stock_location_external_id} ${level.stock_level}`)
    .sort();
const sent = (flows: Flows, connector: string, path: string) =>
  flows.sandbox.engine.sent.filter((r) => r.connector === connector && new URL(r.url).pathname.endsWith(path));
const sparklayerBatches = (flows: Flows) => sent(flows, 'sparklayer', '/batch-update-stock').map((r) => r.status);
const published = (flows: Flows) =>
  flows.caches
    .read('flow', FLOW, STOCK_STATE.cache, STOCK_STATE.published)
    .flatMap((body) => (JSON.parse(body) as { records: unknown[] }).records);
const queued = (flows: Flows) =>
  flows.caches
    .read('flow', FLOW, STOCK_STATE.cache, STOCK_STATE.queue)
    .flatMap((body) => (JSON.parse(body) as { entries: Array<{ key: string; code: string }> }).entries);
const sentRows = (result: FlowRunResult) => outputsOf(result, 'Batches of stock rows') as unknown[][];
/** The query of each ListProducts request. */
const productQueries = (flows: Flows) =>
  sent(flows, 'lightspeed-x', '/products').map((r) => Object.fromEntries(new URL(r.url).searchParams));
const newestProductVersion = (flows: Flows) =>
  Math.max(...flows.sandbox.fakes.lightspeedX.products.map((product) => Number(product.version)));
const levelsOf = (result: FlowRunResult) =>
  (outputsOf(result, 'Read the X-Series stock levels') as Envelope[]).flatMap((e) => e.records);

/**
 * The sandbox's X-Series stock (fixtures/lightspeed-x/inventory/records.json, products/*.json) as SparkLayer must hold
 * it: one row per product and outlet; 0005 is deleted, so 0 (with a notice); 0003 is at -3 at outlet B, so 0; the
 * variant family 787878 publishes its variants (787878-blk-s, 787878-blk-m) and never the parent; a fraction is
 * floored to whole units (2.5 and 12.75); the case of 12 (unit_map MUG-ENAMEL-CASE12 = 0003*12) holds floor(21 / 12).
 */
const EXPECTED = [
  '0003@warehouse-1 21',
  '0003@warehouse-2 0',
  '0005@warehouse-1 0',
  '0006@warehouse-1 12',
  '787878-blk-m@warehouse-1 2',
  '787878-blk-s@warehouse-1 7',
  'MUG-ENAMEL-CASE12@warehouse-1 1',
  'MUG-ENAMEL-CASE12@warehouse-2 0',
];

describe(`blueprint ${FLOW}`, () => {
  it('publishes the stock on a first run, and a second run with nothing moved sends nothing', async () => {
    const flows = await sandboxFlows();
    const first = await run(flows);

    expect(first.status).toBe('success');
    // Read: POST /inventory with the request as its body, then again after its highest version (the pagination
    // script) to the empty page; the products (deleted ones too) by "Next page token" to the empty page after the last;
    // one search of the parked sales.
    const inventory = sent(flows, 'lightspeed-x', '/inventory');
    expect(inventory.map((r) => r.status)).toEqual([200, 200]);
    expect(productQueries(flows)).toEqual([
      { deleted: 'true', page_size: '5000' },
      { deleted: 'true', page_size: '5000', after: String(newestProductVersion(flows)) },
    ]);
    const search = sent(flows, 'lightspeed-x', '/search').map((r) => Object.fromEntries(new URL(r.url).searchParams));
    expect(search).toEqual([expect.objectContaining({ type: 'sales', state: 'parked' })]);
    // Levels: one per record (nine), the parent's three marked as such, the deleted product's archived.
    const levels = levelsOf(first);
    expect(levels).toHaveLength(9);
    expect(levels.filter((l) => (l as { has_variants: boolean }).has_variants)).toHaveLength(3);
    expect(levels).toContainEqual(expect.objectContaining({ sku: '0005', location: OUTLET_A, archived: true }));
    // Map: the parent's three records are skipped, never published.
    const mapped = outputsOf(first, 'Map stock to SparkLayer') as Envelope[];
    expect(mapped.flatMap((e) => e.skipped.map((s) => s.reason))).toEqual(Array(3).fill('variant-parent'));
    expect(sentRows(first).map((batch) => batch.length)).toEqual([8]);
    expect(sparklayerBatches(flows)).toEqual([200]);
    expect(held(flows)).toEqual(EXPECTED);
    expect(held(flows).some((row) => row.startsWith('787878@'))).toBe(false);
    expect(published(flows)).toHaveLength(8);
    expect(queued(flows)).toEqual([]);
    // The deleted product's 0 is a notice to operations.
    expect(warnings(first)).toEqual([
      `SparkLayer stock 1 row (0005@${OUTLET_A}) notice, ARCHIVED_ITEM: archived in the back-end: published as 0 ` +
        '(0005 at warehouse-1) (Operations)',
    ]);

    const second = await run(flows, { asOf: '2026-11-22T09:15:00Z' });
    expect(second.status).toBe('success');
    // Every row equals what was published: no batch, no request, nobody told.
    expect(sentRows(second)).toEqual([]);
    expect(sparklayerBatches(flows)).toEqual([200]);
    expect(warnings(second)).toEqual([]);
    expect(held(flows)).toEqual(EXPECTED);
  });

  it('reads every page of inventory records, inventory_page_size a page, after = the last version read', async () => {
    const flows = await sandboxFlows();
    const bodies: Array<Promise<string>> = [];
    const listener = ({ request }: { request: Request }) => {
      if (request.method === 'POST' && new URL(request.url).pathname.endsWith('/2026-07/inventory'))
        bodies.push(request.clone().text());
    };
    server.events.on('request:start', listener);
    const result = await run(flows, { variables: { inventory_page_size: '4' } }).finally(() =>
      server.events.removeListener('request:start', listener),
    );

    expect(result.status).toBe('success');
    const versions = flows.sandbox.fakes.lightspeedX.inventoryRecords.map((record) => Number(record.version));
    const ascending = [...versions].sort((a, b) => a - b);
    // The fixtures' nine records: 4, 4, 1, then the empty page that ends the read.
    const first = { size: 4, include_deleted: true, sort_direction: 'asc' };
    expect((await Promise.all(bodies)).map((body) => JSON.parse(body) as unknown)).toEqual([
      first,
      { ...first, after: ascending[3] },
      { ...first, after: ascending[7] },
      { ...first, after: ascending[8] },
    ]);
    // Every record read, every level published, as from one page.
    expect(levelsOf(result)).toHaveLength(9);
    expect(held(flows)).toEqual(EXPECTED);
  });

  it("subtracts the parked sales' lines from their outlet's stock, and not the on-account sales again", async () => {
    const flows = await sandboxFlows();
    const line = (productId: string, quantity: number) => ({ product: { id: productId }, quantity });
    const sale = (id: string, state: string, lines: object[], extra: Record<string, unknown> = {}) => ({
      id,
      state,
      attributes: [],
      source: { outlet_id: OUTLET_A },
      line_items: lines,
      ...extra,
    });
    flows.sandbox.fakes.lightspeedX.sales.push(
      // Parked: 5 of 0003 and 2 of 787878-blk-s at outlet A; a return line (negative) is not a reservation.
      sale('9a0c1e2d-0000-4000-8000-000000000001', 'parked', [line(P0003, 5), line(BLK_S, 2), line(P0003, -1)]),
      // On account: already out of current_inventory_level ("will reduce the inventory"), so not subtracted again.
      sale('9a0c1e2d-0000-4000-8000-000000000002', 'pending', [line(P0003, 10)], { attributes: ['onaccount'] }),
      // Closed, and a deleted parked sale: neither holds stock.
      sale('9a0c1e2d-0000-4000-8000-000000000003', 'closed', [line(P0003, 7)]),
      sale('9a0c1e2d-0000-4000-8000-000000000004', 'parked', [line(P0003, 9)], {
        deleted_at: '2026-11-01T00:00:00Z',
      }),
    );
    const result = await run(flows);

    expect(result.status).toBe('success');
    // 21 - 5 = 16 of 0003 at outlet A (one case of 12), 7 - 2 = 5 of 787878-blk-s; the rest as it was.
    const moved = ['0003@warehouse-1 16', '787878-blk-s@warehouse-1 5', 'MUG-ENAMEL-CASE12@warehouse-1 1'];
    const unmoved = EXPECTED.filter((row) => !moved.some((m) => m.split(' ')[0] === row.split(' ')[0]));
    expect(held(flows)).toEqual([...unmoved, ...moved].sort());
  });

  it('keeps a refused batch whole, tells integration once, and the next run sends it', async () => {
    const flows = await sandboxFlows();
    flows.sandbox.faults.sparklayer.add(BATCH, {
      status: 400,
      body: { title: 'Bad Request', detail: 'Stock location external ID warehouse-2 does not exist.' },
    });
    const first = await run(flows);

    expect(first.status).toBe('partial_success');
    expect(shapeRun(first, 'Catch refused batches').failed).toBe(1);
    expect(held(flows)).toEqual([]);
    expect(published(flows)).toEqual([]);
    expect(queued(flows).map((e) => e.code)).toEqual(Array(8).fill('STOCK_BATCH_REFUSED'));
    expect(warnings(first)).toContainEqual(
      expect.stringMatching(
        new RegExp(
          '^SparkLayer stock 8 rows \\(.*, …\\) not published, STOCK_BATCH_REFUSED: ' +
            'Update SparkLayer stock: HTTP 400 .*\\(Integration\\)$',
        ),
      ),
    );

    const second = await run(flows, { asOf: '2026-11-22T09:15:00Z' });
    expect(second.status).toBe('success');
    expect(sentRows(second).map((batch) => batch.length)).toEqual([8]);
    expect(sparklayerBatches(flows)).toEqual([400, 200]);
    expect(held(flows)).toEqual(EXPECTED);
    expect(queued(flows)).toEqual([]);

    const third = await run(flows, { asOf: '2026-11-22T09:30:00Z' });
    expect(sentRows(third)).toEqual([]);
    expect(sparklayerBatches(flows)).toEqual([400, 200]);
  });

  it('reads products that span pages: each page after the last version.max, to the empty page', async () => {
    const flows = await sandboxFlows();
    const result = await run(flows, { variables: { product_page_size: '2' } });

    expect(result.status).toBe('success');
    const queries = productQueries(flows);
    const products = new Set(flows.sandbox.fakes.lightspeedX.products.map((product) => product.id)).size;
    expect(queries).toHaveLength(Math.ceil(products / 2) + 1);
    expect(queries[0]).not.toHaveProperty('after');
    const cursors = queries.slice(1).map((query) => Number(query.after));
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    expect(cursors.at(-1)).toBe(newestProductVersion(flows));
    expect(held(flows)).toEqual(EXPECTED);
  });

  it('retries a 429 on the X-Series inventory read and a 429 burst on the batch, and publishes', async () => {
    const flows = await sandboxFlows();
    // X-Series sends Retry-After as an HTTP date (https://x-series-api.lightspeedhq.com/docs/rate_limiting).
    const retryAfter = { 'Retry-After': new Date(0).toUTCString() };
    flows.sandbox.faults.lightspeedX.add('POST /2026-07/inventory', { status: 429, headers: retryAfter });
    flows.sandbox.faults.sparklayer.add(BATCH, { status: 429, headers: { 'Retry-After': '0' } }, { times: 2 });
    const result = await run(flows);

    expect(result.status).toBe('success');
    // The first page after one 429, then the empty page after it.
    expect(sent(flows, 'lightspeed-x', '/inventory').map((r) => r.status)).toEqual([429, 200, 200]);
    expect(sparklayerBatches(flows)).toEqual([429, 429, 200]);
    expect(held(flows)).toEqual(EXPECTED);
    expect(queued(flows)).toEqual([]);
  });

  it('keeps a record whose product was not read as UNREADABLE_STOCK_RECORD, and publishes the rest', async () => {
    const flows = await sandboxFlows();
    flows.sandbox.fakes.lightspeedX.inventoryRecords.push({
      id: 'c0ffee00-0000-4000-8000-000000000001',
      outlet_id: OUTLET_A,
      product_id: 'c0ffee00-0000-4000-8000-0000000000ff',
      current_inventory_level: 3,
      deleted_at: null,
      version: 3630064900,
    });
    const result = await run(flows);

    expect(result.status).toBe('success');
    const read = outputsOf(result, 'Read the X-Series stock levels') as Envelope[];
    expect(read.flatMap((e) => e.exceptions.map(({ code }) => code))).toEqual(['UNREADABLE_STOCK_RECORD']);
    expect(held(flows)).toEqual(EXPECTED);
    expect(queued(flows).map((e) => e.code)).toEqual(['UNREADABLE_STOCK_RECORD']);
  });
});

describe(`blueprint ${FLOW}: reading only what changed`, () => {
  /** The bodies of the ListInventoryRecords requests the fake saw during `act`. */
  async function inventoryBodies(act: () => Promise<FlowRunResult>) {
    const bodies: Array<Promise<string>> = [];
    const listener = ({ request }: { request: Request }) => {
      if (request.method === 'POST' && new URL(request.url).pathname.endsWith('/2026-07/inventory'))
        bodies.push(request.clone().text());
    };
    server.events.on('request:start', listener);
    const result = await act().finally(() => server.events.removeListener('request:start', listener));
    return { result, bodies: (await Promise.all(bodies)).map((body) => JSON.parse(body) as unknown) };
  }
  const kept = (flows: Flows) =>
    flows.caches
      .read('flow', FLOW, STOCK_STATE.cache, STOCK_STATE.kept)
      .map((body) => JSON.parse(body) as { records: Array<Record<string, unknown>> });
  const full = { size: 5000, include_deleted: true, sort_direction: 'asc' };
  const highest = (flows: Flows) =>
    Math.max(...flows.sandbox.fakes.lightspeedX.inventoryRecords.map((record) => Number(record.version)));
  const recordOf = (flows: Flows, productId: string) =>
    flows.sandbox.fakes.lightspeedX.inventoryRecords.find(
      (r) => r.product_id === productId && r.outlet_id === OUTLET_A,
    )!;

  it('keeps the records read, and the next run reads and publishes only what changed', async () => {
    const flows = await sandboxFlows();
    const first = await inventoryBodies(() => run(flows));
    expect(first.result.status).toBe('success');
    expect(first.bodies[0]).toEqual(full);
    const [state] = kept(flows);
    // The records alone: the next read starts after their highest version (lightspeed-x-inventory-request).
    expect(Object.keys(state!)).toEqual(['records']);
    expect(state!.records).toHaveLength(9);
    expect(state!.records.every((record) => typeof record.version === 'string')).toBe(true);

    // One record moves in X-Series: a new level and a later version.
    const before = highest(flows);
    Object.assign(recordOf(flows, P0003), { current_inventory_level: 30, version: before + 10 });
    const second = await inventoryBodies(() => run(flows, { asOf: '2026-11-22T09:15:00Z' }));
    expect(second.result.status).toBe('success');
    expect(second.bodies).toEqual([
      { ...full, after: before },
      { ...full, after: before + 10 },
    ]);
    expect(sentRows(second.result)).toEqual([
      [
        expect.objectContaining({ sku: '0003', stock_location_external_id: 'warehouse-1', stock_level: 30 }),
        expect.objectContaining({
          sku: 'MUG-ENAMEL-CASE12',
          stock_location_external_id: 'warehouse-1',
          stock_level: 2,
        }),
      ],
    ]);
    expect(kept(flows)[0]!.records).toHaveLength(9);
    expect(kept(flows)[0]!.records.map((record) => record.version)).toContain(String(before + 10));

    const third = await run(flows, { asOf: '2026-11-22T09:30:00Z' });
    expect(sentRows(third)).toEqual([]);
  });

  it('publishes a parked sale and a deleted product that came with no inventory change', async () => {
    const flows = await sandboxFlows();
    await run(flows);
    flows.sandbox.fakes.lightspeedX.sales.push({
      id: '9a0c1e2d-0000-4000-8000-000000000001',
      state: 'parked',
      attributes: [],
      source: { outlet_id: OUTLET_A },
      line_items: [{ product: { id: BLK_S }, quantity: 2 }],
    });
    const product = flows.sandbox.fakes.lightspeedX.products.find((p) => p.id === P0003)!;
    Object.assign(product, { deleted_at: '2026-11-22T09:00:00+00:00', version: newestProductVersion(flows) + 1 });
    const second = await inventoryBodies(() => run(flows, { asOf: '2026-11-22T09:15:00Z' }));

    expect(second.bodies).toEqual([{ ...full, after: highest(flows) }]);
    expect(held(flows)).toEqual(
      expect.arrayContaining(['787878-blk-s@warehouse-1 5', '0003@warehouse-1 0', '0003@warehouse-2 0']),
    );
    expect(warnings(second.result)).toContainEqual(expect.stringContaining('ARCHIVED_ITEM'));
  });

  it("reads a cache an older pack kept with its version beside the records: the records' version counts", async () => {
    const flows = await sandboxFlows();
    await run(flows);
    const [state] = kept(flows);
    // {records, version}, as the pack saved it before the version went; a version that disagrees with the records.
    flows.caches.write(
      'flow',
      FLOW,
      STOCK_STATE.cache,
      STOCK_STATE.kept,
      JSON.stringify({ records: state!.records, version: '1' }),
      false,
    );
    const again = await inventoryBodies(() => run(flows, { asOf: '2026-11-22T09:15:00Z' }));
    expect(again.result.status).toBe('success');
    expect(again.bodies).toEqual([{ ...full, after: highest(flows) }]);
    expect(levelsOf(again.result)).toHaveLength(9);
    expect(sentRows(again.result)).toEqual([]);
    expect(kept(flows)).toEqual([{ records: state!.records }]);
  });

  it('reads everything again when the cache is lost', async () => {
    const flows = await sandboxFlows();
    await run(flows);
    flows.caches.forget();
    const again = await inventoryBodies(() => run(flows, { asOf: '2026-11-22T09:15:00Z' }));
    expect(again.bodies).toEqual([full, { ...full, after: highest(flows) }]);
    expect(levelsOf(again.result)).toHaveLength(9);
    expect(held(flows)).toEqual(EXPECTED);
    expect(kept(flows)[0]!.records).toHaveLength(9);
  });
});
