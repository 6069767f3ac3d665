/**
 * The daily stock check every back-end's stock flow has, made from what its stock flow declares (StockFlowSpec), so
 * the check computes exactly what the stock flow would publish. Each morning it:
 *
 * 1. reads the back-end's stock as the stock flow does (its read, open orders and reads beside them:
 *    stockReadBranches), and runs its levels step and map-stock-to-sparklayer with the stock flow's settings but no
 *    `previous`, so every row the stock flow would publish now comes out;
 * 2. plans SparkLayer batch-fetch-stock reads of those rows' SKUs (plan-stock-fetch), reads them, and compares each row
 *    with the level SparkLayer holds (compare-stock-levels);
 * 3. keeps each difference in its exception queue and tells operations once, then each reminder (keepExceptionQueue).
 *
 * It only reads, on both systems.
 */
import { defineBlueprint, type Blueprint } from './blueprint.js';
import { exceptionQueueVariables, keepExceptionQueue } from './exception-loop.js';
import { ownerGroupVariable, ownerGroupVariables } from './owner-alerts.js';
import { promoted } from './promoted.js';
import {
  STOCK_SETTINGS,
  stockFlowBlueprint,
  stockReadBranches,
  stockRowsShapes,
  type StockFlowSpec,
} from './stock-flow.js';
import { step as compareStockLevels } from '../../scripts/compare-stock-levels/step.js';
import { step as planStockFetch } from '../../scripts/plan-stock-fetch/step.js';

export interface StockCheckSpec {
  key: string;
  /** The back-end as the title and purpose name it, e.g. `NetSuite`. */
  backEnd: string;
  /** The data pool where operations imports a `SKU@location` key to stop hearing of it. */
  dismissed: string;
}

/** Flow-run cache: what this run read and planned, gathered so each step sees one payload. */
const CACHE = 'stock-check';
/** The cache keys the check writes beside the stock flow's reads. */
const ROWS = 'rows';
const SPARKLAYER = 'sparklayer';

const compare = promoted(compareStockLevels, ['tolerance']);
const plan = promoted(planStockFetch, ['skus_per_request']);

export function stockCheckBlueprint(stockFlowSpec: StockFlowSpec, check: StockCheckSpec): Blueprint {
  const read = stockReadBranches(stockFlowSpec, CACHE);
  for (const field of Object.keys(read.alongside))
    if ([ROWS, SPARKLAYER].includes(field))
      throw new Error(`stock check ${check.key}: a read beside the stock cannot be named ${field}`);
  const stockFlow = stockFlowBlueprint(stockFlowSpec);
  /** A variable or lookup as the stock flow declares it, its description saying so: the two must be set the same. */
  const asInStockFlow = <T extends { description: string }>(declared: T | undefined, name: string, same: string) => {
    if (!declared) throw new Error(`${stockFlow.key} has no ${name}`);
    return { ...declared, description: `As in ${stockFlow.key} (${same}): ${declared.description}` };
  };
  return defineBlueprint({
    key: check.key,
    title: `${check.backEnd} stock check`,
    purpose:
      "Once a day, reads SparkLayer's stock levels back (batch-fetch-stock, every stock location) and compares them " +
      `with what the ${check.backEnd} stock flow would publish now; each SKU and location that differs by more than ` +
      'the tolerance, or that SparkLayer does not hold, is reported to operations once. It only reads, on both ' +
      'systems.',
    variables: {
      // The read's own variables (page sizes), as the stock flow declares them.
      ...stockFlowSpec.variables,
      ...Object.fromEntries(
        STOCK_SETTINGS.map((name) => [
          name,
          asInStockFlow(stockFlow.variables[name], `variable ${name}`, 'set them the same'),
        ]),
      ),
      ...compare.variables,
      ...plan.variables,
      ...exceptionQueueVariables(),
      ...ownerGroupVariables(),
    },
    lookups: Object.fromEntries(
      Object.entries(stockFlow.lookups).map(([name, lookup]) => [
        name,
        asInStockFlow(lookup, `lookup ${name}`, 'the same table'),
      ]),
    ),
    shapes: [
      { type: 'trigger', name: 'Every morning', schedule: '0 6 * * *' },
      {
        type: 'branch',
        name: 'Read, compare and keep',
        branches: [
          ...read.branches,
          {
            name: 'compare',
            shapes: [
              // No `previous`: every row the stock flow would publish now comes out, to compare with SparkLayer's.
              { type: 'map', name: 'The stock read', fields: { records: read.records, ...read.alongside } },
              ...stockRowsShapes(stockFlowSpec, 'What the stock flow would publish'),
              // Only the rows: what map-stock-to-sparklayer reports (an unmapped location, a bad figure) the stock
              // flow already tells its owner every run.
              { type: 'map', name: 'Only the rows', fields: { records: { payload: 'records' } } },
              {
                type: 'script',
                name: 'Plan the SparkLayer stock read',
                step: 'plan-stock-fetch',
                variables: plan.placeholders,
              },
              {
                type: 'add-to-cache',
                name: 'Keep the rows',
                cache: CACHE,
                key: ROWS,
                scope: 'flow-run',
                append: false,
              },
              {
                type: 'branch',
                name: 'Read SparkLayer, then compare',
                branches: [
                  {
                    name: 'sparklayer',
                    shapes: [
                      { type: 'flow-control', name: 'One stock read per payload', path: 'requests', size: 1 },
                      // A read: safe to send again, so Patchworks' most retries.
                      {
                        type: 'connection',
                        name: 'Read SparkLayer stock',
                        connector: 'sparklayer',
                        endpoint: 'getBatchStock',
                        retries: 2,
                      },
                      {
                        type: 'add-to-cache',
                        name: 'Keep the SparkLayer stock',
                        cache: CACHE,
                        key: SPARKLAYER,
                        scope: 'flow-run',
                        append: true,
                      },
                    ],
                  },
                  {
                    name: 'compare',
                    shapes: [
                      {
                        type: 'map',
                        name: 'The rows beside SparkLayer',
                        fields: {
                          records: { cache: CACHE, key: ROWS },
                          sparklayer: { cache: CACHE, key: SPARKLAYER },
                        },
                      },
                      {
                        type: 'script',
                        name: 'Compare stock levels',
                        step: 'compare-stock-levels',
                        variables: compare.placeholders,
                      },
                      {
                        type: 'notify',
                        name: 'Tell operations: summary',
                        level: 'info',
                        message:
                          'Stock check: [[payload.summary.compare-stock-levels.records]] SKU and location levels ' +
                          'match SparkLayer, [[payload.summary.compare-stock-levels.exceptions]] to check ' +
                          `({{flow.variables.${ownerGroupVariable('operations')}}})`,
                      },
                      // Each difference is kept and told to operations once (a re-run the same day tells nothing
                      // new), then again each reminder; one that matches now, or that operations dismissed, leaves
                      // the queue.
                      ...keepExceptionQueue(
                        { cache: 'exception-queue', key: 'state', dismissed: check.dismissed },
                        {
                          problems: { payload: 'exceptions' },
                          what: 'differs',
                          message:
                            'SparkLayer stock [[payload.label]] [[payload.what]], [[payload.code]]: [[payload.text]]',
                        },
                      ),
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  });
}
