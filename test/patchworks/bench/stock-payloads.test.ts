// The bench's stock and order-queue payloads (patchworks/bench/stock-payloads.ts), on a small store, run through the
// steps in-process: each is the shape its flow feeds, every step reads it whole (no exception from the generator's
// own data), and a run publishes only what moved. No timing: the figures are `npm run bench`'s.
import { describe, expect, it } from 'vitest';
import {
  keepOrderPayload,
  keepStockPayload,
  largeOrder,
  mapStockPayload,
  netsuiteStockPayload,
  orderQueueVariables,
  publishedStockRows,
  stockLevels,
  stockQueueVariables,
  stockVariables,
  type StockStore,
} from '../../../patchworks/bench/stock-payloads.js';
import { QUEUED_ORDER_LINES, QUEUED_ORDERS } from '../../../patchworks/bench/steps.js';
import { orderTemplate } from '../../../patchworks/bench/order-payloads.js';
import { step as keepOrderQueue } from '../../../scripts/keep-order-queue/step.js';
import { step as keepStockQueue } from '../../../scripts/keep-stock-queue/step.js';
import { step as mapStock } from '../../../scripts/map-stock-to-sparklayer/step.js';
import { step as netsuiteLevels } from '../../../scripts/netsuite-stock-levels/step.js';
import type { Envelope } from '../../../runtime/envelope.js';
import { run } from '../../support/run.js';
import { ROOT } from '../../support/steps.js';

// 2,000 SKUs: an inactive item (every 500th) and matrix parents (every 1,000th) among them.
const STORE: StockStore = { skus: 2_000, locations: 4, changedEvery: 40 };
const LEVELS = STORE.skus * STORE.locations;
const PARENTS = 2;
const CASES = STORE.skus / 10;

describe('bench stock payloads', () => {
  it('map-stock-to-sparklayer publishes only the levels that moved, with no exception', () => {
    const { envelope, data } = run(mapStock, mapStockPayload(STORE), { variables: stockVariables(STORE) });
    expect(envelope.exceptions).toEqual([]);
    // One level in 40 moved; those of an every-tenth SKU also move its case.
    const moved = LEVELS / STORE.changedEvery;
    expect(envelope.records.length).toBeGreaterThanOrEqual(moved - PARENTS * STORE.locations);
    expect(envelope.records.length).toBeLessThan(moved * 2);
    expect(envelope.skipped.filter((s) => s.reason === 'variant-parent')).toHaveLength(PARENTS * STORE.locations);
    expect(Number(data.meta?.map_stock_to_sparklayer_unchanged)).toBeGreaterThan(LEVELS * 0.9);
    // previous is the step's own output but for what moved: every row, cases included.
    expect(publishedStockRows(STORE)).toHaveLength((STORE.skus - PARENTS) * STORE.locations + CASES * STORE.locations);
  });

  it('netsuite-stock-levels reads every SuiteQL row as the level map-stock-to-sparklayer is benched on', () => {
    const { envelope } = run(netsuiteLevels, netsuiteStockPayload(STORE));
    expect(envelope.exceptions).toEqual([]);
    expect(envelope.records).toEqual(stockLevels(STORE));
    // The rows last published ride beside, for map-stock-to-sparklayer after it.
    expect((envelope as unknown as { previous: unknown[] }).previous).toHaveLength(publishedStockRows(STORE).length);
  });

  it('keep-stock-queue reads the published rows, the queue and the outcomes whole', () => {
    const payload = keepStockPayload(STORE, 30);
    const { envelope } = run(keepStockQueue, payload, { variables: stockQueueVariables });
    const written = envelope as unknown as { published: unknown[]; queue: { entries: unknown[] } };
    expect(envelope.exceptions).toEqual([]);
    expect(written.published).toHaveLength((payload.published as unknown[]).length);
    // The 30 unmapped levels, the refused batch's 500 rows (fewer when fewer moved), the 20 unknown SKUs.
    const refused = Math.min(500, LEVELS / STORE.changedEvery);
    expect(written.queue.entries.length).toBeGreaterThanOrEqual(30 + 20 + refused - PARENTS * STORE.locations);
  });

  it('keep-order-queue keeps the waiting orders, a queue of about 50 MB at the bench scale', async () => {
    const { order } = await orderTemplate(ROOT);
    const big = largeOrder(order, QUEUED_ORDER_LINES);
    const payload = keepOrderPayload(big, 200, 5) as { queue: unknown[] };
    const { envelope } = run(keepOrderQueue, payload, { variables: orderQueueVariables });
    const written = envelope as unknown as Envelope & { queue: { entries: unknown[] } };
    expect(written.queue.entries).toHaveLength(200);
    expect(written.records).toHaveLength(5);
    // At the bench's 5,000 orders the kept queue is about 50 MB, under the flow cache's limit.
    const mb = (JSON.stringify(payload.queue[0]).length / 200) * (QUEUED_ORDERS / 1e6);
    expect(mb).toBeGreaterThan(40);
    expect(mb).toBeLessThan(50);
  });
});
