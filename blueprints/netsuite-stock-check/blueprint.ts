// The daily NetSuite stock check: what the flow is for and its diagram are in README.md beside this.
import { defineBlueprint } from '../../patchworks/blueprint/blueprint.js';
import {
  exceptionQueueVariables,
  keepExceptionQueue,
  type KeptQueue,
} from '../../patchworks/blueprint/exception-loop.js';
import { ownerGroupVariable, ownerGroupVariables } from '../../patchworks/blueprint/owner-alerts.js';
import { promoted } from '../../patchworks/blueprint/promoted.js';
import { mapStockScript, STOCK_SETTINGS } from '../../patchworks/blueprint/stock-flow.js';
import { step as compareStockLevels } from '../../scripts/compare-stock-levels/step.js';
import { step as planStockFetch } from '../../scripts/plan-stock-fetch/step.js';
import netsuiteStock, {
  NETSUITE_OPEN_ORDERS_READ,
  NETSUITE_STOCK_READ,
} from '../netsuite-stock-to-sparklayer/blueprint.js';

/**
 * The flow's exception queue (flow scope, one key): every SKU and location whose SparkLayer level differs, kept
 * between runs until it matches; and the data pool where operations imports a `SKU@location` key to stop hearing of it.
 */
const KEPT: KeptQueue = { cache: 'exception-queue', key: 'state', dismissed: 'netsuite-stock-check-dismissed' };
/** Flow-run cache: what this run read and planned, gathered so each step sees one payload. */
const CACHE = 'stock-check';

/**
 * The stock flow's own flow variables for map-stock-to-sparklayer (description, default and its reason), so the check
 * publishes-in-thought exactly as it does.
 */
const asInStockFlow = Object.fromEntries(
  STOCK_SETTINGS.map((name) => {
    const variable = netsuiteStock.variables[name];
    if (!variable) throw new Error(`netsuite-stock-to-sparklayer has no variable ${name}`);
    return [
      name,
      { ...variable, description: `As in netsuite-stock-to-sparklayer (set them the same): ${variable.description}` },
    ];
  }),
);
const compare = promoted(compareStockLevels, ['tolerance']);
const plan = promoted(planStockFetch, ['skus_per_request']);

export default defineBlueprint({
  key: 'netsuite-stock-check',
  title: 'NetSuite stock check',
  purpose:
    "Once a day, reads SparkLayer's stock levels back (batch-fetch-stock, every stock location) and compares them " +
    'with what the NetSuite stock flow would publish now; each SKU and location that differs by more than the ' +
    'tolerance, or that SparkLayer does not hold, is reported to operations once. It only reads, on both systems.',
  variables: {
    page_size: { description: 'SuiteQL rows per page from NetSuite (1 to 1000).', default: '1000' },
    ...asInStockFlow,
    ...compare.variables,
    ...plan.variables,
    ...exceptionQueueVariables(),
    ...ownerGroupVariables(),
  },
  lookups: {
    location_map: {
      description:
        'As in netsuite-stock-to-sparklayer (the same table): NetSuite location internal ID to the SparkLayer stock ' +
        'location external ID; empty: the NetSuite location is the external ID.',
      required: false,
    },
    unit_map: {
      description: 'As in netsuite-stock-to-sparklayer: pack SKU to base SKU and pack size, e.g. MUG-CASE12 -> MUG*12.',
      required: false,
    },
  },
  shapes: [
    { type: 'trigger', name: 'Every morning', schedule: '0 6 * * *' },
    {
      type: 'branch',
      name: 'Read, compare and keep',
      branches: [
        {
          name: 'read',
          // The stock flow's read: every item at every location, paged; each page kept.
          shapes: [
            ...NETSUITE_STOCK_READ,
            {
              type: 'add-to-cache',
              name: 'Keep the stock read',
              cache: CACHE,
              key: 'pages',
              scope: 'flow-run',
              append: true,
            },
          ],
        },
        {
          name: 'read open orders',
          // Pending Approval lines, as the stock flow reads them for subtract_open_orders.
          shapes: [
            ...NETSUITE_OPEN_ORDERS_READ,
            {
              type: 'add-to-cache',
              name: 'Keep the open orders read',
              cache: CACHE,
              key: 'open-orders',
              scope: 'flow-run',
              append: true,
            },
          ],
        },
        {
          name: 'compare',
          shapes: [
            // No `previous`: every row the stock flow would publish now comes out, to compare with SparkLayer's.
            {
              type: 'map',
              name: 'The stock read',
              fields: {
                records: { cache: CACHE, key: 'pages' },
                open_order_records: { cache: CACHE, key: 'open-orders' },
              },
            },
            { type: 'script', name: 'Read the NetSuite stock levels', step: 'netsuite-stock-levels' },
            mapStockScript('What the stock flow would publish'),
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
              key: 'rows',
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
                      key: 'sparklayer',
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
                        records: { cache: CACHE, key: 'rows' },
                        sparklayer: { cache: CACHE, key: 'sparklayer' },
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
                    // Each difference is kept and told to operations once (a re-run the same day tells nothing new),
                    // then again each reminder; one that matches now, or that operations dismissed, leaves the queue.
                    ...keepExceptionQueue(KEPT, {
                      problems: { payload: 'exceptions' },
                      what: 'differs',
                      message:
                        'SparkLayer stock [[payload.label]] [[payload.what]], [[payload.code]]: [[payload.text]]',
                    }),
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
