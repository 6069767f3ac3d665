// The bench's stock requests per run (patchworks/bench/stock-requests.ts), on a small store: one run of
// netsuite-stock-to-sparklayer reads the store in SuiteQL pages of the flow's page_size and sends only what moved, in
// batches of the flow's batch size, as the built steps publish it.
import { beforeAll, describe, expect, it } from 'vitest';
import { STOCK_BATCH_SIZE } from '../../../patchworks/blueprint/stock-flow.js';
import {
  measureStockRequests,
  stockRequestsTable,
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
