// NetSuite stock to SparkLayer on the sandbox, on the built artefacts: the scripts from dist/scripts/ (on Node 18 when
// tools/node18 has it), the SparkLayer write through the built definition (dist/connectors/sparklayer.core-api.json).
//
// The SuiteQL read too runs as built: runSuiteQL exports as a Receive that sends the query as its body, paged by limit
// and offset, with Prefer: transient on the NetSuite authentication (connectors/netsuite/dev/patchworks-connector.ts).
import { describe, expect, it } from 'vitest';
import type { FlowRunResult } from '../../patchworks/runner/flow-runner.js';
import { STOCK_BATCH_SIZE, STOCK_STATE } from '../../patchworks/blueprint/stock-flow.js';
import type { Envelope } from '../../runtime/envelope.js';
import { outputsOf, sandboxFlows, shapeRun, warnings } from '../support/flow-harness.js';

const FLOW = 'netsuite-stock-to-sparklayer';
const DISMISSED = 'netsuite-stock-to-sparklayer-dismissed';
const BATCH = 'POST /api/v1/batch-update-stock';
type Flows = Awaited<ReturnType<typeof sandboxFlows>>;

// The example client's location_map (clients/example-homewares.json) sends NetSuite locations 1 and 2 to the fake's two
// stock locations, warehouse-1 and warehouse-2.
const run = (flows: Flows, asOf?: string) => flows.run(FLOW, asOf ? { asOf } : {});

/** What the SparkLayer fake holds, as `SKU@external id level`. */
const held = (flows: Flows) =>
  [...flows.sandbox.fakes.sparklayer.stockLevels.values()]
    .map((level) => `${level.sku}@${level.stock_location_external_id} ${level.stock_level}`)
    .sort();
const sparklayerBatches = (flows: Flows) =>
  flows.sandbox.engine.sent
    .filter((r) => r.connector === 'sparklayer' && r.url.endsWith('/batch-update-stock'))
    .map((r) => r.status);
const published = (flows: Flows) =>
  flows.caches
    .read('flow', FLOW, STOCK_STATE.cache, STOCK_STATE.published)
    .flatMap((body) => (JSON.parse(body) as { records: unknown[] }).records);
const queued = (flows: Flows) =>
  flows.caches
    .read('flow', FLOW, STOCK_STATE.cache, STOCK_STATE.queue)
    .flatMap((body) => (JSON.parse(body) as { entries: Array<{ key: string; code: string }> }).entries);
const sentRows = (result: FlowRunResult) => outputsOf(result, 'Batches of stock rows') as unknown[][];

/**
 * The sandbox's NetSuite stock (fixtures) as SparkLayer must hold it: quantityavailable per item and location, less
 * the lines of sales order 302, Pending Approval (fixtures/netsuite/suiteql/sales-order-lines.json): MUG-ENAMEL-WHT 34
 * available at location 1 less 4 is 30, APRON-LINEN-NAT-S 5 less 2 is 3 (approved order 301's 6 mugs are already out
 * of the 34 and are not subtracted again; 302's closed line of APRON-LINEN-NAT-M is not read);
 * JUG-STONE-1L is inactive, so 0; TOWEL-LINEN-NAT is at -3 on hand, 0 available; MUG-ENAMEL-WHT's 12.5 at location 2 is
 * 12 whole units; the case of 12 (unit_map MUG-ENAMEL-CASE12 = MUG-ENAMEL-WHT*12) holds floor(30 / 12) = 2 and
 * floor(12.5 / 12) = 1; the matrix parent APRON-LINEN holds nothing and is not published.
 */
const EXPECTED = [
  'APRON-LINEN-NAT-M@warehouse-1 3',
  'APRON-LINEN-NAT-S@warehouse-1 3',
  'JUG-STONE-1L@warehouse-1 0',
  'MUG-ENAMEL-CASE12@warehouse-1 2',
  'MUG-ENAMEL-CASE12@warehouse-2 1',
  'MUG-ENAMEL-WHT@warehouse-1 30',
  'MUG-ENAMEL-WHT@warehouse-2 12',
  'TOWEL-LINEN-NAT@warehouse-1 0',
];

describe(`blueprint ${FLOW}`, () => {
  it('publishes the available stock on a first run, and a second run with nothing moved sends nothing', async () => {
    const flows = await sandboxFlows();
    const first = await run(flows);

    expect(first.status).toBe('success');
    // Read: one page of the seven SuiteQL rows; the levels step reads each as a stock level, available from NetSuite.
    const levels = (outputsOf(first, 'Read the NetSuite stock levels') as Envelope[]).flatMap((e) => e.records);
    expect(levels).toHaveLength(7);
    expect(levels).toContainEqual(
      expect.objectContaining({ sku: 'MUG-ENAMEL-WHT', location: '1', on_hand: '40', available: '34' }),
    );
    // Map: eight rows in one batch (of up to STOCK_BATCH_SIZE), the matrix parent skipped.
    const mapped = outputsOf(first, 'Map stock to SparkLayer') as Envelope[];
    expect(mapped.flatMap((e) => e.skipped.map((s) => [s.id, s.reason]))).toEqual([
      ['APRON-LINEN@1', 'variant-parent'],
    ]);
    expect(STOCK_BATCH_SIZE).toBe(500);
    expect(sentRows(first).map((batch) => batch.length)).toEqual([8]);
    expect(sparklayerBatches(flows)).toEqual([200]);
    expect(held(flows)).toEqual(EXPECTED);
    // Kept: what SparkLayer holds, for the next run's previous; no problem waits.
    expect(published(flows)).toHaveLength(8);
    expect(queued(flows)).toEqual([]);
    // The inactive item's 0 is a notice to operations, once.
    expect(warnings(first)).toEqual([
      'SparkLayer stock 1 row (JUG-STONE-1L@1) notice, ARCHIVED_ITEM: archived in the back-end: published as 0 ' +
        '(JUG-STONE-1L at warehouse-1) (Operations)',
    ]);

    const second = await run(flows, '2026-11-22T09:15:00Z');
    expect(second.status).toBe('success');
    // Every row equals what was published: each level counted unchanged, no batch, no request, nobody told.
    expect(sentRows(second)).toEqual([]);
    expect(sparklayerBatches(flows)).toEqual([200]);
    expect(
      (outputsOf(second, 'Map stock to SparkLayer') as Envelope[]).map(
        (e) => e.summary['map-stock-to-sparklayer']?.records,
      ),
    ).toEqual([6]);
    expect(warnings(second)).toEqual([]);
    expect(held(flows)).toEqual(EXPECTED);
    expect(published(flows)).toHaveLength(8);
  });

  it('subtracts a Pending Approval sales order at its location, and not an approved order again', async () => {
    const flows = await sandboxFlows();
    const result = await run(flows);
    expect(result.status).toBe('success');

    // The second read: one page of the Pending Approval lines (the sandbox filters every sales order line by the
    // query's WHERE: approved order 301, the main lines and 302's closed line are not answered).
    const read = outputsOf(result, 'Read NetSuite Pending Approval order lines') as unknown[];
    expect(read.flat()).toEqual([
      expect.objectContaining({ transaction: '302', id: '1', itemid: 'MUG-ENAMEL-WHT', location: '1', quantity: '-4' }),
      expect.objectContaining({
        transaction: '302',
        id: '2',
        itemid: 'APRON-LINEN-NAT-S',
        location: '1',
        quantity: '-2',
      }),
    ]);
    // The levels step hands them on as open_orders (their magnitude), in place of the records read.
    const [levels] = outputsOf(result, 'Read the NetSuite stock levels') as Array<Envelope & Record<string, unknown>>;
    expect(levels!.open_orders).toEqual([
      { sku: 'MUG-ENAMEL-WHT', location: '1', quantity: '4' },
      { sku: 'APRON-LINEN-NAT-S', location: '1', quantity: '2' },
    ]);
    expect(levels!.open_order_records).toBeUndefined();
    expect(levels!.exceptions).toEqual([]);
    // MUG-ENAMEL-WHT at location 1: 40 on hand, 6 committed to approved order 301, so 34 available; published 30
    // (the Pending Approval 4 out), not 24 (the approved 6 out twice). Location 2 has no open line: 12 as before.
    expect(levels!.records).toContainEqual(
      expect.objectContaining({ sku: 'MUG-ENAMEL-WHT', location: '1', on_hand: '40', available: '34' }),
    );
    expect(held(flows)).toContain('MUG-ENAMEL-WHT@warehouse-1 30');
    expect(held(flows)).toContain('MUG-ENAMEL-WHT@warehouse-2 12');
    expect(held(flows)).toContain('APRON-LINEN-NAT-S@warehouse-1 3');
    // The closed line's item keeps its available 3.
    expect(held(flows)).toContain('APRON-LINEN-NAT-M@warehouse-1 3');
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
    expect(queued(flows).map((e) => e.code)).toEqual(Array(8).fill('STOCK_BATCH_REFUSED'));
    expect(warnings(first)).toContainEqual(
      expect.stringMatching(
        new RegExp(
          '^SparkLayer stock 8 rows \\(.*, …\\) not published, STOCK_BATCH_REFUSED: ' +
            'Update SparkLayer stock: HTTP 400 .*\\(Integration\\)$',
        ),
      ),
    );

    const second = await run(flows, '2026-11-22T09:15:00Z');
    expect(second.status).toBe('success');
    expect(sentRows(second).map((batch) => batch.length)).toEqual([8]);
    expect(sparklayerBatches(flows)).toEqual([400, 200]);
    expect(held(flows)).toEqual(EXPECTED);
    expect(queued(flows)).toEqual([]);
    expect(published(flows)).toHaveLength(8);

    const third = await run(flows, '2026-11-22T09:30:00Z');
    expect(sentRows(third)).toEqual([]);
    expect(sparklayerBatches(flows)).toEqual([400, 200]);
  });

  it('never tells or saves a row whose key was dismissed, while the rest of its batch is still told', async () => {
    const flows = await sandboxFlows();
    // Refused on both runs: every stock run reads all the stock, so the dismissed row is found again, as new.
    flows.sandbox.faults.sparklayer.add(
      BATCH,
      { status: 400, body: { title: 'Bad Request', detail: 'Stock location external ID warehouse-2 does not exist.' } },
      { times: 2 },
    );
    const DROPPED = 'row:JUG-STONE-1L@warehouse-1';
    flows.pools.track(DISMISSED, DROPPED);
    const refusedAlerts = (result: FlowRunResult) =>
      warnings(result).filter((warning) => warning.includes('STOCK_BATCH_REFUSED'));

    // The same day, then a day later (the others' reminder due, the dismissed row new again): never told or saved.
    for (const [asOf, what] of [
      ['2026-11-22T09:15:00Z', 'not published'],
      ['2026-11-23T09:15:00Z', 'still not published \\(since 2026-11-22\\)'],
    ] as const) {
      const result = await run(flows, asOf);
      expect(result.status).toBe('partial_success');
      expect(sentRows(result).map((batch) => batch.length)).toEqual([8]);
      expect(shapeRun(result, 'Drop dismissed entries').notes).toEqual([
        `1 filtered out: already in data pool "${DISMISSED}"`,
      ]);
      expect(shapeRun(result, 'Tell no one of dismissed entries').notes).toEqual([
        `1 filtered out: already in data pool "${DISMISSED}"`,
      ]);
      expect(queued(flows)).toHaveLength(7);
      expect(queued(flows).map((e) => e.key)).not.toContain(DROPPED);
      // Still one alert for the batch, naming the seven rows left (not the batch's first, the row dismissed).
      const alerts = refusedAlerts(result);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatch(
        new RegExp(
          '^SparkLayer stock 7 rows \\(TOWEL-LINEN-NAT@warehouse-1, MUG-ENAMEL-WHT@warehouse-1, [^,]+, …\\) ' +
            `${what}, STOCK_BATCH_REFUSED: `,
        ),
      );
      // The item's own notice (another key) is still told.
      expect(warnings(result)).toContainEqual(
        expect.stringMatching(/^SparkLayer stock 1 row \(JUG-STONE-1L@1\) notice/),
      );
    }
  });

  it('retries a 429 burst on the batch and publishes it', async () => {
    const flows = await sandboxFlows();
    flows.sandbox.faults.sparklayer.add(BATCH, { status: 429, headers: { 'Retry-After': '0' } }, { times: 2 });
    const result = await run(flows);

    expect(result.status).toBe('success');
    expect(sparklayerBatches(flows)).toEqual([429, 429, 200]);
    expect(held(flows)).toEqual(EXPECTED);
    expect(published(flows)).toHaveLength(8);
    expect(queued(flows)).toEqual([]);
  });
});
