/**
 * plan-stock-fetch: the request bodies of SparkLayer's batch stock read for the rows map-stock-to-sparklayer would
 * publish, so a daily stock check (blueprints/*-stock-check) reads back exactly the SKUs it compares.
 *
 * Vendor facts, from https://docs.sparklayer.io/developers/api/stock/get-stock-levels.md (POST
 * /api/v1/batch-fetch-stock, operationId getBatchStock; connectors/sparklayer/openapi.json `StockFetchRequest`): the
 * body is `{skus: [...], filter}`; without a filter only the stock location with external ID `default` is read, so
 * each request sets `filter.all_stock_locations: true`. The page documents no largest `skus` array (unverified):
 * `skus_per_request` (default 500, as batch-update-stock's batches in patchworks/blueprint/stock-flow.ts) keeps
 * each request small.
 *
 * Input: the rows (`records`: `{sku, stock_location_external_id, stock_level}`). Output: the rows unchanged, and
 * `requests`, one body per `skus_per_request` distinct SKUs in the order first seen, for a flow-control shape of
 * size 1 to send one by one. A row without a SKU is an INVALID_RECORD, kept whole.
 */
import * as z from 'zod';
import { countSetting } from '../../runtime/settings.js';
import { defineStep, pass, type ExceptionCode } from '../../runtime/step.js';

const CODES = {} as const satisfies Record<string, ExceptionCode>;

const rowSchema = z.looseObject({ sku: z.string().refine((value) => value.trim() !== '', 'must not be blank') });
type Row = z.infer<typeof rowSchema>;

/** The batch-fetch-stock body for these SKUs at every stock location. */
export interface StockFetchRequest {
  skus: string[];
  filter: { all_stock_locations: true };
}

function rowId(record: unknown): string | null {
  if (record === null || typeof record !== 'object') return null;
  const { sku, stock_location_external_id: location } = record as Record<string, unknown>;
  return typeof sku === 'string' ? `${sku}@${typeof location === 'string' ? location : ''}` : null;
}

export const step = defineStep({
  key: 'plan-stock-fetch',
  title: 'Plan stock fetch',
  purpose:
    "Writes the bodies of SparkLayer's batch stock read (batch-fetch-stock, every stock location) for the SKUs of " +
    'the stock rows given, so a stock check reads back exactly what it compares.',
  settings: {
    skus_per_request: countSetting({
      description:
        'Distinct SKUs per batch-fetch-stock request (SparkLayer documents no limit: unverified). 0 is read as 1.',
      default: 500,
    }),
  },
  exceptionCodes: CODES,
  record: { schema: rowSchema, id: rowId },
  rule: (rows: readonly Row[], settings) => {
    const size = Math.max(1, settings.skus_per_request);
    const skus = [...new Set(rows.map((row) => row.sku))];
    const requests: StockFetchRequest[] = [];
    for (let at = 0; at < skus.length; at += size)
      requests.push({ skus: skus.slice(at, at + size), filter: { all_stock_locations: true } });
    return { outcomes: rows.map(() => pass()), write: { requests } };
  },
  counters: (results) => ({ stock_fetch_requests: ((results.written?.requests as unknown[]) ?? []).length }),
});
