// Lightspeed R-Series stock to SparkLayer on the sandbox, on the built artefacts: the scripts from dist/scripts/ (on
// Node 18 when tools/node18 has it), the R-Series read and the SparkLayer write through the built definitions
// (dist/connectors/lightspeed-r.core-api.json, dist/connectors/sparklayer.core-api.json).
//
// The read runs as built: listItems exports as a Receive of GET Item.json with the shape's query (load_relations
// ["ItemShops"], archived=true, sort, limit), paged by the complete URL in @attributes.next
// (connectors/lightspeed-r/dev/patchworks-connector.ts), on the R-Series fake, which answers as R-Series does (every
// scalar a string, a collection of one an object).
import { describe, expect, it } from 'vitest';
import type { FlowRunResult } from '../../patchworks/runner/flow-runner.js';
import { STOCK_BATCH_SIZE, STOCK_STATE } from '../../patchworks/blueprint/stock-flow.js';
import type { Envelope } from '../../runtime/envelope.js';
import { outputsOf, sandboxFlows, shapeRun, warnings } from '../support/flow-harness.js';

const FLOW = 'lightspeed-r-stock-to-sparklayer';
const BATCH = 'POST /api/v1/batch-update-stock';
type Flows = Awaited<ReturnType<typeof sandboxFlows>>;

// The example client's location_map (clients/example-homewares.json) sends R-Series shops 1 and 2 to the fake's two
// stock locations, warehouse-1 and warehouse-2.
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
const levelsOf = (result: FlowRunResult) =>
  (outputsOf(result, 'Read the R-Series stock levels') as Envelope[]).flatMap((e) => e.records);

/**
 * The sandbox's R-Series stock (fixtures/lightspeed-r/items/list.with-item-shops.json) as SparkLayer must hold it:
 * sellable per item and shop, the shop 0 summary left out; JUG-STONE-1L is archived, so 0; TOWEL-LINEN-NAT is at -3 on
 * hand in shop 1, sellable 0; item 44 has no customSku, so its SKU is its systemSku; TSHIRT-WHT-S, a variant of matrix
 * 20, is a plain item; the case of 12 (unit_map MUG-ENAMEL-CASE12 = MUG-ENAMEL-WHT*12) holds floor(120 / 12) = 10 and
 * floor(6 / 12) = 0.
 */
const EXPECTED = [
  '210000000044@warehouse-1 4',
  '210000000044@warehouse-2 0',
  'JUG-STONE-1L@warehouse-1 0',
  'JUG-STONE-1L@warehouse-2 0',
  'MUG-ENAMEL-CASE12@warehouse-1 10',
  'MUG-ENAMEL-CASE12@warehouse-2 0',
  'MUG-ENAMEL-WHT@warehouse-1 120',
  'MUG-ENAMEL-WHT@warehouse-2 6',
  'TOWEL-LINEN-NAT@warehouse-1 0',
  'TOWEL-LINEN-NAT@warehouse-2 6',
  'TSHIRT-WHT-S@warehouse-1 7',
  'TSHIRT-WHT-S@warehouse-2 6',
];

describe(`blueprint ${FLOW}`, () => {
  it('publishes the sellable stock on a first run, and a second run with nothing moved sends nothing', async () => {
    const flows = await sandboxFlows();
    const first = await run(flows);

    expect(first.status).toBe('success');
    // Read: one page of items with their ItemShops; the levels step reads each item's shops (not shop 0) as levels.
    expect(sent(flows, 'lightspeed-r', '/Item.json')).toHaveLength(1);
    const item = new URL(sent(flows, 'lightspeed-r', '/Item.json')[0]!.url).searchParams;
    expect(Object.fromEntries(item)).toMatchObject({ load_relations: '["ItemShops"]', archived: 'true', limit: '100' });
    const levels = levelsOf(first);
    expect(levels).toHaveLength(10);
    expect(levels.filter((level) => (level as { location: string }).location === '0')).toEqual([]);
    expect(levels).toContainEqual(
      expect.objectContaining({ sku: 'TOWEL-LINEN-NAT', location: '1', on_hand: '-3', available: '0' }),
    );
    expect(levels).toContainEqual(expect.objectContaining({ sku: 'JUG-STONE-1L', location: '2', archived: true }));
    // Items with no shop stock (no ItemShops, or non-inventory) give no level, skipped by name.
    expect(
      (outputsOf(first, 'Read the R-Series stock levels') as Envelope[]).flatMap((e) => e.skipped.map((s) => s.reason)),
    ).toEqual(['no-shop-stock', 'non-inventory']);
    // Map: twelve rows in one batch (of up to STOCK_BATCH_SIZE).
    expect(STOCK_BATCH_SIZE).toBe(500);
    expect(sentRows(first).map((batch) => batch.length)).toEqual([12]);
    expect(sparklayerBatches(flows)).toEqual([200]);
    expect(held(flows)).toEqual(EXPECTED);
    // Kept: what SparkLayer holds, for the next run's previous; no problem waits.
    expect(published(flows)).toHaveLength(12);
    expect(queued(flows)).toEqual([]);
    // The archived item's 0 is a notice to operations, once for its two rows.
    expect(warnings(first)).toEqual([
      'SparkLayer stock 2 rows (JUG-STONE-1L@1, JUG-STONE-1L@2) notice, ARCHIVED_ITEM: archived in the back-end: ' +
        'published as 0 (JUG-STONE-1L at warehouse-1) (and 1 more) (Operations)',
    ]);

    const second = await run(flows, { asOf: '2026-11-22T09:15:00Z' });
    expect(second.status).toBe('success');
    // Every row equals what was published: no batch, no request, nobody told.
    expect(sentRows(second)).toEqual([]);
    expect(sparklayerBatches(flows)).toEqual([200]);
    expect(warnings(second)).toEqual([]);
    expect(held(flows)).toEqual(EXPECTED);
    expect(published(flows)).toHaveLength(12);
  });

  it("subtracts the open sales' lines (not a layaway line nor a completed sale) from their shop's stock", async () => {
    const flows = await sandboxFlows();
    const line = (itemID: string, unitQuantity: string, extra: Record<string, string> = {}) => ({
      itemID,
      unitQuantity,
      ...extra,
    });
    const sale = (saleID: string, shopID: string, completed: string, lines: object[]) => ({
      saleID,
      shopID,
      completed,
      archived: 'false',
      voided: 'false',
      SaleLines: { SaleLine: lines },
    });
    flows.sandbox.fakes.lightspeedR.sales.push(
      // Open: 20 mugs and 1 T-shirt in shop 1, a layaway towel (its reservation may already be out of qoh).
      sale('9001', '1', 'false', [line('41', '20'), line('133', '1'), line('42', '2', { isLayaway: 'true' })]),
      // Open, one line (R-Series sends it as an object): 2 mugs in shop 2.
      sale('9002', '2', 'false', [line('41', '2')]),
      // Completed: its units are already out of qoh, and the read does not ask for it.
      sale('9003', '1', 'true', [line('41', '50')]),
    );
    const result = await run(flows);

    expect(result.status).toBe('success');
    const read = sent(flows, 'lightspeed-r', '/Sale.json').map((r) => Object.fromEntries(new URL(r.url).searchParams));
    expect(read).toEqual([expect.objectContaining({ completed: 'false', load_relations: '["SaleLines"]' })]);
    // 120 - 20 = 100 mugs in shop 1 (8 cases of 12), 6 - 2 = 4 in shop 2; 7 - 1 = 6 T-shirts; towels as they were.
    const moved = [
      'MUG-ENAMEL-CASE12@warehouse-1 8',
      'MUG-ENAMEL-WHT@warehouse-1 100',
      'MUG-ENAMEL-WHT@warehouse-2 4',
      'TSHIRT-WHT-S@warehouse-1 6',
    ];
    const unmoved = EXPECTED.filter((row) => !moved.some((m) => m.split(' ')[0] === row.split(' ')[0]));
    expect(held(flows)).toEqual([...unmoved, ...moved].sort());
    expect(held(flows)).toContain('TOWEL-LINEN-NAT@warehouse-2 6');
  });

  it('reads every page by @attributes.next, a last page of one item (an object, not an array) too', async () => {
    const flows = await sandboxFlows();
    // Seven items two to a page: four pages, the last holding one item.
    const result = await run(flows, { variables: { page_size: '2' } });

    expect(result.status).toBe('success');
    expect(sent(flows, 'lightspeed-r', '/Item.json').map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(shapeRun(result, 'Read R-Series stock').outputs).toHaveLength(4);
    expect(levelsOf(result)).toHaveLength(10);
    expect(held(flows)).toEqual(EXPECTED);
  });

  it('keeps a refused batch whole, tells integration once, and the next run sends it', async () => {
    const flows = await sandboxFlows();
    flows.sandbox.faults.sparklayer.add(BATCH, {
      status: 400,
      body: { title: 'Bad Request', detail: 'Stock location external ID warehouse-2 does not exist.' },
    });
    const first = await run(flows);

    expect(first.status).toBe('partial_success');
    // The batch went down the catch route whole: SparkLayer holds nothing, nothing is recorded as published.
    expect(shapeRun(first, 'Catch refused batches').failed).toBe(1);
    expect(held(flows)).toEqual([]);
    expect(published(flows)).toEqual([]);
    // Every row of it waits, for integration, told once for the batch (not once per row).
    expect(queued(flows).map((e) => e.code)).toEqual(Array(12).fill('STOCK_BATCH_REFUSED'));
    expect(warnings(first)).toContainEqual(
      expect.stringMatching(
        new RegExp(
          '^SparkLayer stock 12 rows \\(.*, …\\) not published, STOCK_BATCH_REFUSED: ' +
            'Update SparkLayer stock: HTTP 400 .*\\(Integration\\)$',
        ),
      ),
    );

    const second = await run(flows, { asOf: '2026-11-22T09:15:00Z' });
    expect(second.status).toBe('success');
    expect(sentRows(second).map((batch) => batch.length)).toEqual([12]);
    expect(sparklayerBatches(flows)).toEqual([400, 200]);
    expect(held(flows)).toEqual(EXPECTED);
    expect(queued(flows)).toEqual([]);
    expect(published(flows)).toHaveLength(12);

    const third = await run(flows, { asOf: '2026-11-22T09:30:00Z' });
    expect(sentRows(third)).toEqual([]);
    expect(sparklayerBatches(flows)).toEqual([400, 200]);
  });

  it('retries a 429 on the R-Series read and a 429 burst on the batch, and publishes', async () => {
    const flows = await sandboxFlows();
    flows.sandbox.faults.lightspeedR.add('GET /Item.json', { status: 429, headers: { 'Retry-After': '0' } });
    flows.sandbox.faults.sparklayer.add(BATCH, { status: 429, headers: { 'Retry-After': '0' } }, { times: 2 });
    const result = await run(flows);

    expect(result.status).toBe('success');
    expect(sent(flows, 'lightspeed-r', '/Item.json').map((r) => r.status)).toEqual([429, 200]);
    expect(sparklayerBatches(flows)).toEqual([429, 429, 200]);
    expect(held(flows)).toEqual(EXPECTED);
    expect(published(flows)).toHaveLength(12);
    expect(queued(flows)).toEqual([]);
  });
});

describe(`blueprint ${FLOW}: reading only what changed`, () => {
  const kept = (flows: Flows) =>
    flows.caches
      .read('flow', FLOW, STOCK_STATE.cache, STOCK_STATE.kept)
      .map((body) => JSON.parse(body) as { records: Array<Record<string, unknown>> });
  /** The query of each Item.json request the fake saw, from the `from`th on. */
  const itemQueries = (flows: Flows, from = 0) =>
    sent(flows, 'lightspeed-r', '/Item.json')
      .slice(from)
      .map((r) => Object.fromEntries(new URL(r.url).searchParams));
  const everything = { load_relations: '["ItemShops"]', archived: 'true', sort: 'itemID', limit: '100' };
  /** The itemIDs the read gave this run, page by page flattened (a page of one item is an object). */
  const itemsRead = (result: FlowRunResult) =>
    outputsOf(result, 'Read R-Series stock').flatMap((page) =>
      (Array.isArray(page) ? page : [page]).map((item) => (item as { itemID: string }).itemID),
    );
  // The latest ItemShop timeStamp of the sandbox (item 44's, fixtures/lightspeed-r/items/list.with-item-shops.json).
  const WATERMARK = '2026-11-21T10:20:40+00:00';
  const shopOf = (flows: Flows, itemID: string, shopID: string) =>
    flows.sandbox.fakes.lightspeedR.itemShops.find((s) => s.itemID === itemID && s.shopID === shopID)!;

  it('keeps the items read; the next run reads those whose ItemShops changed and publishes only theirs', async () => {
    const flows = await sandboxFlows();
    const first = await run(flows);
    expect(first.status).toBe('success');
    expect(itemQueries(flows)).toEqual([everything]);
    const [state] = kept(flows);
    // The items alone: the next read starts at their latest ItemShop timeStamp (lightspeed-r-stock-query).
    expect(Object.keys(state!)).toEqual(['records']);
    expect(state!.records.map((item) => item.itemID)).toEqual(itemsRead(first));
    // Only the fields the levels step reads, with the ItemShops' (the shop 0 summary too).
    const mug = state!.records.find((item) => item.itemID === '41')!;
    expect(Object.keys(mug).sort()).toEqual(
      ['ItemShops', 'archived', 'customSku', 'ean', 'itemID', 'itemType', 'manufacturerSku', 'systemSku', 'upc'].sort(),
    );
    expect(mug.ItemShops).toEqual({
      ItemShop: [
        { itemID: '41', shopID: '0', qoh: '126', sellable: '126', timeStamp: '2025-06-18T18:30:09+00:00' },
        { itemID: '41', shopID: '1', qoh: '120', sellable: '120', timeStamp: '2025-06-18T18:30:09+00:00' },
        { itemID: '41', shopID: '2', qoh: '6', sellable: '6', timeStamp: '2025-06-18T18:30:09+00:00' },
      ],
    });

    // 10 mugs sold in shop 1: R-Series moves that ItemShop's qoh, sellable and timeStamp.
    Object.assign(shopOf(flows, '41', '1'), { qoh: '110', sellable: '110', timeStamp: '2026-11-22T09:10:00+00:00' });
    const second = await run(flows, { asOf: '2026-11-22T09:15:00Z' });
    expect(second.status).toBe('success');
    expect(itemQueries(flows, 1)).toEqual([{ ...everything, 'ItemShops.timeStamp': `>=,${WATERMARK}` }]);
    // The changed item, and item 44 again: >= reads the items at the watermark every run (the merge makes it harmless).
    expect(itemsRead(second)).toEqual(['41', '44']);
    // The levels are the whole store's; only the mug's moved, so only its rows (and its case's) are sent.
    expect(levelsOf(second)).toHaveLength(10);
    expect(sentRows(second)).toEqual([
      [
        expect.objectContaining({ sku: 'MUG-ENAMEL-WHT', stock_location_external_id: 'warehouse-1', stock_level: 110 }),
        expect.objectContaining({
          sku: 'MUG-ENAMEL-CASE12',
          stock_location_external_id: 'warehouse-1',
          stock_level: 9,
        }),
      ],
    ]);
    expect(kept(flows)[0]!.records).toHaveLength(state!.records.length);

    const third = await run(flows, { asOf: '2026-11-22T09:30:00Z' });
    expect(itemQueries(flows, 2)).toEqual([{ ...everything, 'ItemShops.timeStamp': '>=,2026-11-22T09:10:00+00:00' }]);
    expect(itemsRead(third)).toEqual(['41']);
    expect(sentRows(third)).toEqual([]);
  });

  it('subtracts a new open sale whose items did not change: the open sales are read in full every run', async () => {
    const flows = await sandboxFlows();
    await run(flows);
    flows.sandbox.fakes.lightspeedR.sales.push({
      saleID: '9101',
      shopID: '1',
      completed: 'false',
      archived: 'false',
      voided: 'false',
      SaleLines: { SaleLine: [{ itemID: '41', unitQuantity: '20' }] },
    });
    const second = await run(flows, { asOf: '2026-11-22T09:15:00Z' });

    expect(itemQueries(flows, 1)).toEqual([{ ...everything, 'ItemShops.timeStamp': `>=,${WATERMARK}` }]);
    expect(itemsRead(second)).toEqual(['44']);
    expect(held(flows)).toEqual(
      expect.arrayContaining(['MUG-ENAMEL-CASE12@warehouse-1 8', 'MUG-ENAMEL-WHT@warehouse-1 100']),
    );
    expect(sentRows(second).flat()).toHaveLength(2);
  });

  it('reads everything again when the cache is lost', async () => {
    const flows = await sandboxFlows();
    const first = await run(flows);
    flows.caches.forget();
    const again = await run(flows, { asOf: '2026-11-22T09:15:00Z' });

    expect(itemQueries(flows, 1)).toEqual([everything]);
    expect(itemsRead(again)).toEqual(itemsRead(first));
    expect(levelsOf(again)).toHaveLength(10);
    expect(held(flows)).toEqual(EXPECTED);
    expect(kept(flows)[0]!.records.map((item) => item.itemID)).toEqual(itemsRead(first));
  });

  it("reads a cache an older pack kept with its since beside the items: the items' timeStamps count", async () => {
    const flows = await sandboxFlows();
    await run(flows);
    const [state] = kept(flows);
    // {records, since}, as the pack saved it before since went; a since that disagrees with the items.
    flows.caches.write(
      'flow',
      FLOW,
      STOCK_STATE.cache,
      STOCK_STATE.kept,
      JSON.stringify({ records: state!.records, since: '2020-01-01T00:00:00+00:00' }),
      false,
    );
    const again = await run(flows, { asOf: '2026-11-22T09:15:00Z' });
    expect(again.status).toBe('success');
    expect(itemQueries(flows, 1)).toEqual([{ ...everything, 'ItemShops.timeStamp': `>=,${WATERMARK}` }]);
    expect(itemsRead(again)).toEqual(['44']);
    expect(levelsOf(again)).toHaveLength(10);
    expect(sentRows(again)).toEqual([]);
    // Saved anew as the items alone, the same items (item 44, read again, now last).
    const [saved] = kept(flows);
    expect(Object.keys(saved!)).toEqual(['records']);
    expect(saved!.records).toEqual(expect.arrayContaining(state!.records));
    expect(saved!.records).toHaveLength(state!.records.length);
  });
});
