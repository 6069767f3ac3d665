// Month-end order totals, SparkLayer against NetSuite: what the flow is for and its diagram are in README.md beside
// this.
import { defineBlueprint } from '../../patchworks/blueprint/blueprint.js';
import {
  exceptionQueueVariables,
  keepExceptionQueue,
  type KeptQueue,
} from '../../patchworks/blueprint/exception-loop.js';
import { ownerGroupVariable, ownerGroupVariables } from '../../patchworks/blueprint/owner-alerts.js';
import { promoted } from '../../patchworks/blueprint/promoted.js';
import { step as filterLiveOrders } from '../../scripts/filter-live-orders/step.js';
import { step as reconcileOrderTotals } from '../../scripts/reconcile-order-totals/step.js';
import { SPARKLAYER_PURCHASES_PAGE_SIZE } from '../../patchworks/blueprint/common-declarations.js';

/** The steps' settings this flow promotes to flow variables (live_types and live_statuses as in the orders flow). */
const LIVE = promoted(filterLiveOrders, ['live_types', 'live_statuses']);
const RECONCILE = promoted(reconcileOrderTotals, ['tolerance']);

/**
 * The flow's exception queue (flow scope, one key): every order that does not reconcile, kept between runs until it
 * does; and the data pool where finance imports an order's id to stop hearing of it.
 */
const KEPT: KeptQueue = { cache: 'exception-queue', key: 'state', dismissed: 'order-totals-reconciliation-dismissed' };
/** Flow-run cache: what this run read, gathered so each step sees one payload. */
const CACHE = 'order-totals-reconciliation';

export default defineBlueprint({
  key: 'order-totals-reconciliation',
  title: 'Order totals reconciliation',
  purpose:
    "Once a month, compares each live SparkLayer order's totals with the NetSuite sales order booked for " +
    'it and reports every order whose totals differ or that NetSuite does not have; it only reads, on ' +
    'both systems.',
  variables: {
    page_size: SPARKLAYER_PURCHASES_PAGE_SIZE,
    placed_from: {
      description:
        'Only SparkLayer purchases placed at or after this ISO 8601 date-time with its offset ' +
        '(dates[placed][gte], e.g. 2026-11-01T00:00:00Z); empty: from the first.',
      default: '',
    },
    placed_to: {
      description:
        'Only SparkLayer purchases placed at or before this ISO 8601 date-time with its offset ' +
        '(dates[placed][lte], e.g. 2026-11-30T23:59:59Z); empty: up to now.',
      default: '',
    },
    ...LIVE.variables,
    ...RECONCILE.variables,
    ...exceptionQueueVariables(),
    ...ownerGroupVariables(),
  },
  lookups: {
    currency_ids: {
      description:
        "ISO currency code to NetSuite currency internal ID (the orders flow's table), to read the " +
        'currency of NetSuite sales orders.',
      required: true,
    },
  },
  shapes: [
    { type: 'trigger', name: 'First of the month', schedule: '0 6 1 * *' },
    {
      type: 'branch',
      name: 'Read and reconcile',
      branches: [
        {
          name: 'sparklayer',
          shapes: [
            {
              type: 'connection',
              name: 'Pull SparkLayer purchases',
              connector: 'sparklayer',
              endpoint: 'getPurchases',
              variables: {
                limit: '{{flow.variables.page_size}}',
                'dates[placed][gte]': '{{flow.variables.placed_from}}',
                'dates[placed][lte]': '{{flow.variables.placed_to}}',
              },
            },
            {
              type: 'add-to-cache',
              name: 'Keep the purchase pages',
              cache: CACHE,
              key: 'purchases',
              scope: 'flow-run',
              append: true,
            },
          ],
        },
        {
          name: 'reconcile',
          shapes: [
            // Every page in one payload, so an order that offset paging returned twice is skipped as a repeat.
            { type: 'map', name: 'All purchases', fields: { records: { cache: CACHE, key: 'purchases' } } },
            {
              type: 'script',
              name: 'Keep live orders',
              step: 'filter-live-orders',
              variables: LIVE.placeholders,
            },
            {
              type: 'add-to-cache',
              name: 'Keep the live orders',
              cache: CACHE,
              key: 'source',
              scope: 'flow-run',
              append: false,
            },
            {
              type: 'branch',
              name: 'Read NetSuite, then compare',
              branches: [
                {
                  name: 'netsuite',
                  shapes: [
                    { type: 'flow-control', name: 'One live order per payload', path: 'records', size: 1 },
                    {
                      type: 'connection',
                      name: 'Read NetSuite sales order',
                      connector: 'netsuite',
                      endpoint: 'getSalesOrderByExternalId',
                      variables: { externalId: '[[payload.purchase_identifiers.sparklayer]]' },
                      // An order NetSuite does not have (404) is dropped here; reconcile-order-totals reports it
                      // missing.
                      allow_unsuccessful_statuses: true,
                    },
                    {
                      type: 'filter',
                      name: 'Only orders NetSuite has',
                      rules: [{ field: 'externalId', operator: 'exists' }],
                    },
                    {
                      type: 'add-to-cache',
                      name: 'Keep the NetSuite orders',
                      cache: CACHE,
                      key: 'target',
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
                      name: 'Source beside target',
                      fields: { source: { cache: CACHE, key: 'source' }, target: { cache: CACHE, key: 'target' } },
                    },
                    {
                      type: 'script',
                      name: 'Reconcile totals',
                      step: 'reconcile-order-totals',
                      variables: {
                        ...RECONCILE.placeholders,
                        currency_ids: '{{lookups.currency_ids}}',
                      },
                    },
                    {
                      type: 'notify',
                      name: 'Tell finance: summary',
                      level: 'info',
                      message:
                        'Order totals reconciliation: [[payload.summary.reconcile-order-totals.records]] ' +
                        'orders match NetSuite, [[payload.summary.reconcile-order-totals.exceptions]] to ' +
                        `check ({{flow.variables.${ownerGroupVariable('finance')}}})`,
                    },
                    // Each order that does not reconcile is kept and told to its code's owner once (a re-run tells
                    // nothing new), then again each reminder; one that reconciles now, or that finance dismissed,
                    // leaves the queue.
                    ...keepExceptionQueue(KEPT, {
                      problems: { payload: 'exceptions' },
                      what: 'does not reconcile',
                      message:
                        'Order [[payload.label]] does not reconcile ([[payload.what]]), ' +
                        '[[payload.code]]: [[payload.text]]',
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
