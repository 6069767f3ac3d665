// The bench's stock requests per run (patchworks/bench/stock-requests.ts), on a small store: one run of
// netsuite-stock-to-sparklayer reads the store in SuiteQL pages of the flow's page_size and sends only what moved, in
// batches of the flow's batch size, as the built steps publish it.
import { beforeAll, describe, expect, it } from 'vitest';
import { STOCK_BATCH_SIZE } from '../../../patchworks/blueprint/stock-flow.js';
import {
  keptStockRequestsTable,
  measureLightspeedRStockRequests,
  measureLightspeedXStockRequests,
  measureStockRequests,
  stockRequestsTable,
  type KeptStockRequestsResult,
  type StockRequestsResult,
} from '../../../patchworks/bench/stock-requests.js';
import { ROOT } from '../../support/steps.js';

// 2,000 SKUs × 4 locations, one level in 100 moved: 80 levels, of which 2 are matrix parents' (never published).
const STORE = { skus: 2_000, locations: 4, changedEvery: 100 };
const LEVELS = STORE.skus * STORE.locations;

let result: StockRequestsResult;

beforeAll(async () => {
  result = await measureStockRequests(ROOT, STORE);
}, 60_000);

describe('requests per run: netsuite-stock-to-sparklayer for 8,000 levels with 1 % moved', () => {
  it("reads every level in SuiteQL pages of the flow's page_size (1,000): 8 requests", () => {
    expect(result.pageSize).toBe(1_000);
    expect(result.levels).toBe(LEVELS);
    expect(result.readRequests).toBe(8);
  });

  it('publishes only what moved (80 levels less 2 matrix parents) in one batch-update-stock request', () => {
    expect(result.batchSize).toBe(STOCK_BATCH_SIZE);
    expect(result.movedLevels).toBe(80);
    expect(result.rowsPublished).toBe(78);
    expect(result.writeRequests).toBe(1);
    // Every other level but the parents' is unchanged.
    expect(result.unchanged).toBe(LEVELS - 80 - 2 * (STORE.locations - 1));
  });

  it('prints a row per API', () => {
    expect(stockRequestsTable(result).map((row) => row.count)).toEqual([8, 1]);
  });
});

// The Lightspeed flows keep what they read and read only what changed since: on the same 8,000 levels, 80 moved (one
// shop of 80 SKUs), a steady run reads those and the whole product list (X-Series), or the items changed (R-Series).
describe('requests per run: the Lightspeed stock flows for 8,000 levels with 1 % moved, kept records beside', () => {
  let x: KeptStockRequestsResult;
  let r: KeptStockRequestsResult;
  beforeAll(async () => {
    [x, r] = await Promise.all([
      measureLightspeedXStockRequests(ROOT, STORE),
      measureLightspeedRStockRequests(ROOT, STORE),
    ]);
  }, 120_000);

  const counts = (run: KeptStockRequestsResult['first']) => run.reads.map((read) => read.count);

  it('X-Series, steady: the 80 records after the kept version in one inventory page (and the empty page after)', () => {
    expect(x.steady.cursor).toMatch(/^\d+$/);
    const [inventory, products, parked] = x.steady.reads;
    expect(inventory).toMatchObject({ count: 2, pageSize: 5_000, records: 80, counted: 'pagination script' });
    // The products are read in full every run: 2,000 in one page of 5,000, then the empty page.
    expect(products).toMatchObject({ count: 2, pageSize: 5_000, records: STORE.skus });
    expect(parked).toMatchObject({ count: 1, pageSize: 1_000 });
  });

  it('X-Series, first run: every record (8,000 in two pages of 5,000) and every row published', () => {
    expect(x.first.cursor).toBe('null');
    expect(x.first.reads[0]).toMatchObject({ count: 3, records: LEVELS });
    // 8,000 levels less the 2 parents' 8, and 200 SKUs' cases at 4 locations.
    expect(x.first.rowsPublished).toBe(LEVELS - 8 + 800);
    expect(x.first.writeRequests).toBe(Math.ceil((LEVELS - 8 + 800) / STOCK_BATCH_SIZE));
  });

  it('X-Series publishes what moved, as the NetSuite flow does: 78 rows in one request', () => {
    expect(x.steady.rowsPublished).toBe(78);
    expect(x.steady.writeRequests).toBe(1);
    expect(x.steady.unchanged).toBe(LEVELS - 80 - 2 * (STORE.locations - 1));
  });

  it("R-Series, steady: the 80 changed items and the one at the watermark, in the flow's pages (100)", () => {
    expect(r.steady.cursor).toMatch(/^>=,2026-11-21T/);
    const [items, sales] = r.steady.reads;
    expect(items).toMatchObject({ count: 1, pageSize: 100, records: 81 });
    expect(sales).toMatchObject({ count: 1, pageSize: 100 });
    // No matrix parents in R-Series: every moved level is published.
    expect(r.steady.rowsPublished).toBe(80);
    expect(r.steady.writeRequests).toBe(1);
    expect(r.steady.unchanged).toBe(LEVELS - 80);
  });

  it('R-Series, first run: every item (2,000 in 20 pages) and every row published', () => {
    expect(r.first.cursor).toBe('');
    expect(r.first.reads[0]).toMatchObject({ count: 20, records: STORE.skus });
    expect(r.first.rowsPublished).toBe(LEVELS + 800);
    expect(r.first.writeRequests).toBe(Math.ceil((LEVELS + 800) / STOCK_BATCH_SIZE));
  });

  it('a steady run reads far less than the first', () => {
    for (const result of [x, r]) {
      const [firstRead] = result.first.reads;
      const [steadyRead] = result.steady.reads;
      expect(steadyRead!.records * 20).toBeLessThan(firstRead!.records);
      expect(result.steady.writeRequests).toBeLessThan(result.first.writeRequests);
    }
    expect(counts(r.steady)[0]! * 10).toBeLessThanOrEqual(counts(r.first)[0]!);
  });

  it('prints each run: reads, then batch-update-stock', () => {
    expect(keptStockRequestsTable(x).map((row) => row.count)).toEqual([...counts(x.steady), 1, ...counts(x.first), 18]);
    expect(keptStockRequestsTable(r).map((row) => row.count)).toEqual([...counts(r.steady), 1, ...counts(r.first), 18]);
  });
});
