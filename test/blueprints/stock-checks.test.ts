// The daily stock checks (netsuite-, lightspeed-x- and lightspeed-r-stock-check) on the sandbox, on the built
// artefacts: the scripts from dist/scripts/, the back-end and SparkLayer reads through the built definitions
// (dist/connectors/*.core-api.json); every request is answered by the fakes (test/support/msw.ts:
// onUnhandledRequest 'error'). batch-fetch-stock exports as a Receive that sends its body (reads: true in
// connectors/sparklayer/dev/patchworks-connector.ts). Each back-end's stock flow publishes first, as it would have.
import { describe, expect, it } from 'vitest';
import type { OrderQueue } from '../../model/order-queue.js';
import type { Envelope } from '../../runtime/envelope.js';
import { outputsOf, sandboxFlows, shapeRun, warnings } from '../support/flow-harness.js';

const HOUR_LATER = '2026-11-22T10:00:00Z';
const DAY_LATER = '2026-11-23T09:00:00Z';
type Flows = Awaited<ReturnType<typeof sandboxFlows>>;
/** A SparkLayer SKU at a stock location (external id), with the level its stock flow publishes from the sandbox. */
type Pair = { sku: string; location: string; level: number };

/**
 * Each back-end's sandbox stock as its stock flow publishes it (the stock flows' tests say why each row is so): the
 * rows, each SKU once, a pair whose SparkLayer level the tests change and one they delete.
 */
const BACK_ENDS: Array<{ backEnd: string; rows: number; skus: string[]; changed: Pair; missing: Pair }> = [
  {
    backEnd: 'netsuite',
    rows: 8,
    skus: [
      'APRON-LINEN-NAT-M',
      'APRON-LINEN-NAT-S',
      'JUG-STONE-1L',
      'MUG-ENAMEL-CASE12',
      'MUG-ENAMEL-WHT',
      'TOWEL-LINEN-NAT',
    ],
    changed: { sku: 'MUG-ENAMEL-WHT', location: 'warehouse-1', level: 30 },
    missing: { sku: 'TOWEL-LINEN-NAT', location: 'warehouse-1', level: 0 },
  },
  {
    backEnd: 'lightspeed-x',
    rows: 8,
    skus: ['0003', '0005', '0006', '787878-blk-m', '787878-blk-s', 'MUG-ENAMEL-CASE12'],
    changed: { sku: '0003', location: 'warehouse-1', level: 21 },
    missing: { sku: '0006', location: 'warehouse-1', level: 12 },
  },
  {
    backEnd: 'lightspeed-r',
    rows: 12,
    skus: ['210000000044', 'JUG-STONE-1L', 'MUG-ENAMEL-CASE12', 'MUG-ENAMEL-WHT', 'TOWEL-LINEN-NAT', 'TSHIRT-WHT-S'],
    changed: { sku: 'MUG-ENAMEL-WHT', location: 'warehouse-1', level: 120 },
    missing: { sku: 'TOWEL-LINEN-NAT', location: 'warehouse-2', level: 6 },
  },
];

const compared = (result: Awaited<ReturnType<Flows['run']>>) =>
  (outputsOf(result, 'Compare stock levels') as Envelope[])[0]!;
const fetches = (flows: Flows) =>
  flows.sandbox.engine.sent
    .filter((r) => r.connector === 'sparklayer' && r.url.endsWith('/batch-fetch-stock'))
    .map((r) => `${r.method} ${r.status}`);
/** Sets the level the SparkLayer fake holds for a SKU at a stock location (by external id), as a Dashboard edit. */
const setLevel = (flows: Flows, { sku, location }: Pair, level: number) => {
  const stored = flows.sandbox.fakes.sparklayer.stockLevel(sku, location);
  if (!stored) throw new Error(`the fake holds no ${sku}@${location}`);
  stored.stock_level = level;
};

describe.each(BACK_ENDS)('blueprint $backEnd-stock-check', ({ backEnd, rows, skus, changed, missing }) => {
  const FLOW = `${backEnd}-stock-check`;
  const STOCK_FLOW = `${backEnd}-stock-to-sparklayer`;
  const DISMISSED = `${backEnd}-stock-check-dismissed`;
  const CHANGED = `${changed.sku}@${changed.location}`;
  const DIFFERS =
    `SparkLayer stock ${CHANGED} new, STOCK_DIFFERS: SparkLayer has ${changed.level - 5}, the back-end would ` +
    `publish ${changed.level} (difference -5, tolerance 0) (Operations)`;
  const keptQueue = (flows: Flows): OrderQueue | undefined => {
    const [body] = flows.caches.read('flow', FLOW, 'exception-queue', 'state');
    return body === undefined ? undefined : (JSON.parse(body) as OrderQueue);
  };
  /** The sandbox after the stock flow published, with the changed pair's SparkLayer level 5 below it. */
  const publishedThenChanged = async () => {
    const flows = await sandboxFlows();
    expect((await flows.run(STOCK_FLOW)).status).toBe('success');
    setLevel(flows, changed, changed.level - 5);
    return flows;
  };

  it('finds nothing after the stock flow published: one batch-fetch-stock read at every location', async () => {
    const flows = await sandboxFlows();
    expect((await flows.run(STOCK_FLOW)).status).toBe('success');
    const check = await flows.run(FLOW, { asOf: HOUR_LATER });

    expect(check.status).toBe('success');
    // The rows the stock flow would publish now (no previous): all of them, the same as it published.
    const [planned] = outputsOf(check, 'Plan the SparkLayer stock read') as Array<Envelope & { requests: unknown[] }>;
    expect(planned!.records).toHaveLength(rows);
    // One request: each SKU once (SparkLayer answers every location of it), filter.all_stock_locations set.
    const requests = planned!.requests as Array<{ skus: string[]; filter: unknown }>;
    expect(requests).toHaveLength(1);
    expect([...requests[0]!.skus].sort()).toEqual(skus);
    expect(requests[0]!.filter).toEqual({ all_stock_locations: true });
    expect(fetches(flows)).toEqual(['POST 200']);
    // The fake answered every stored level of those SKUs, grouped by SKU.
    const [answer] = outputsOf(check, 'Read SparkLayer stock') as Array<Record<string, unknown[]>>;
    expect(Object.values(answer!).flat()).toHaveLength(rows);

    const envelope = compared(check);
    expect(envelope.summary['compare-stock-levels']).toEqual({ in: rows, records: rows, skipped: 0, exceptions: 0 });
    expect(warnings(check)).toEqual([]);
    expect(check.notifications).toEqual([
      {
        shape: 'Tell operations: summary',
        level: 'info',
        message: `Stock check: ${rows} SKU and location levels match SparkLayer, 0 to check (Operations)`,
      },
    ]);
    expect(keptQueue(flows)!.entries).toEqual([]);
  });

  it('raises STOCK_DIFFERS for a changed SparkLayer level, tells operations once, not again that day', async () => {
    const flows = await publishedThenChanged();

    const first = await flows.run(FLOW, { asOf: HOUR_LATER });
    expect(first.status).toBe('success');
    expect(compared(first).exceptions.map((e) => [e.id, e.code, e.owner, e.details])).toEqual([
      [
        CHANGED,
        'STOCK_DIFFERS',
        'operations',
        { sparklayer_level: changed.level - 5, expected_level: changed.level, difference: -5 },
      ],
    ]);
    expect(warnings(first)).toEqual([DIFFERS]);
    expect(first.notifications.filter((n) => n.level === 'warning').map((n) => n.shape)).toEqual([
      'Tell operations (differs)',
    ]);
    expect(keptQueue(flows)!.entries.map((q) => [q.key, q.code])).toEqual([[CHANGED, 'STOCK_DIFFERS']]);

    // A second run the same day: still different, still kept, nobody told.
    const second = await flows.run(FLOW, { asOf: '2026-11-22T11:00:00Z' });
    expect(compared(second).exceptions.map((e) => e.code)).toEqual(['STOCK_DIFFERS']);
    expect(shapeRun(second, 'One alert per payload').payloadsOut).toBe(0);
    expect(warnings(second)).toEqual([]);
    expect(keptQueue(flows)!.entries.map((q) => q.key)).toEqual([CHANGED]);

    // Once the stock flow publishes again (SparkLayer's level back, as a full re-publish does), it clears.
    setLevel(flows, changed, changed.level);
    const fixed = await flows.run(FLOW, { asOf: DAY_LATER });
    expect(compared(fixed).exceptions).toEqual([]);
    expect(warnings(fixed)).toEqual([]);
    expect(keptQueue(flows)!.entries).toEqual([]);
  });

  it('reports a pair SparkLayer does not hold as STOCK_NOT_IN_SPARKLAYER', async () => {
    const flows = await sandboxFlows();
    await flows.run(STOCK_FLOW);
    const spark = flows.sandbox.fakes.sparklayer;
    const stored = spark.stockLevel(missing.sku, missing.location)!;
    spark.stockLevels.delete([...spark.stockLevels].find(([, level]) => level === stored)![0]);

    const check = await flows.run(FLOW, { asOf: HOUR_LATER });
    expect(compared(check).exceptions.map((e) => [e.id, e.code])).toEqual([
      [`${missing.sku}@${missing.location}`, 'STOCK_NOT_IN_SPARKLAYER'],
    ]);
    expect(warnings(check)).toEqual([
      `SparkLayer stock ${missing.sku}@${missing.location} new, STOCK_NOT_IN_SPARKLAYER: SparkLayer holds no level; ` +
        `the back-end would publish ${missing.level} (Operations)`,
    ]);
  });

  it('never tells or keeps again a key operations imported into the dismissed pool', async () => {
    const flows = await publishedThenChanged();
    expect(warnings(await flows.run(FLOW, { asOf: HOUR_LATER }))).toEqual([DIFFERS]);

    flows.pools.track(DISMISSED, CHANGED);
    // The same day, and a day later (past reminder_hours): neither told nor kept.
    for (const asOf of ['2026-11-22T11:00:00Z', DAY_LATER]) {
      const run = await flows.run(FLOW, { asOf });
      expect(compared(run).exceptions.map((e) => e.code)).toEqual(['STOCK_DIFFERS']);
      expect(shapeRun(run, 'Drop dismissed entries').notes).toEqual([
        `1 filtered out: already in data pool "${DISMISSED}"`,
      ]);
      expect(warnings(run)).toEqual([]);
      expect(keptQueue(flows)!.entries).toEqual([]);
    }
  });
});
