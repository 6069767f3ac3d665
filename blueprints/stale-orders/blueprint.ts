// Stale orders: what the flow is for and its diagram are in README.md beside this.
import { defineBlueprint } from '../../patchworks/blueprint/blueprint.js';
import { SPARKLAYER_PURCHASES_PAGE_SIZE } from '../../patchworks/blueprint/common-declarations.js';
import {
  exceptionQueueVariables,
  keepExceptionQueue,
  type KeptQueue,
} from '../../patchworks/blueprint/exception-loop.js';
import { ownerGroupVariables } from '../../patchworks/blueprint/owner-alerts.js';
import { promoted, sharedVariable } from '../../patchworks/blueprint/promoted.js';
import { step as filterLiveOrders } from '../../scripts/filter-live-orders/step.js';
import { step as flagStaleOrders } from '../../scripts/flag-stale-orders/step.js';
import { step as planOrderPull } from '../../scripts/plan-order-pull/step.js';

/**
 * The steps' settings this flow promotes to flow variables. plan-order-pull, given no order queue, says only where the
 * look-back starts (`lookback_days` before `as_of`); one `as_of` is every step's clock.
 */
const LOOKBACK = promoted(planOrderPull, ['lookback_days', 'as_of'], {
  overrides: {
    lookback_days: {
      default: '60',
      why:
        'The flow keeps no order queue: every run reads the orders placed this many days back, and an order placed ' +
        'earlier is no longer read, so no longer reported. Two months keeps a late order in sight long after ' +
        "stale_after_hours; the step's 30 would drop one a month late.",
    },
  },
});
const LIVE = promoted(filterLiveOrders, ['live_types', 'live_statuses']);
const FLAG = promoted(flagStaleOrders, ['stale_after_hours', 'held_after_hours', 'on_account_mode', 'as_of']);

/**
 * The flow's exception queue (flow scope, one key): every order not shipped in time, kept between runs until it ships;
 * and the data pool where an owner imports an order's id to stop hearing of it.
 */
const KEPT: KeptQueue = { cache: 'exception-queue', key: 'state', dismissed: 'stale-orders-dismissed' };
/** Flow-run cache: the purchase pages this run read, gathered so the steps see one payload. */
const CACHE = 'stale-orders';

export default defineBlueprint({
  key: 'stale-orders',
  title: 'Stale orders',
  purpose:
    'Every hour, reads the SparkLayer orders placed within the look-back and tells operations of each one placed ' +
    'more than stale_after_hours ago whose lines are not all shipped (and finance of each Pay on Account order held ' +
    'too long), once, then each reminder; it only reads SparkLayer.',
  variables: {
    page_size: SPARKLAYER_PURCHASES_PAGE_SIZE,
    ...LOOKBACK.variables,
    ...LIVE.variables,
    ...exceptionQueueVariables(),
    ...FLAG.variables,
    // One clock for every step that reads one.
    as_of: sharedVariable(LOOKBACK.variables.as_of, FLAG.variables.as_of, exceptionQueueVariables().as_of!),
    ...ownerGroupVariables(),
  },
  shapes: [
    { type: 'trigger', name: 'Every hour', schedule: '0 * * * *' },
    // No order queue: plan-order-pull says where the look-back starts (meta pull_since) and feeds nothing in.
    { type: 'manual-payload', name: 'No order queue', payload: '{"queue": []}' },
    { type: 'script', name: 'Plan the look-back', step: 'plan-order-pull', variables: LOOKBACK.placeholders },
    {
      type: 'branch',
      name: 'Read and flag',
      branches: [
        {
          name: 'sparklayer',
          shapes: [
            // A read is safe to send again: Patchworks' most retries.
            {
              type: 'connection',
              name: 'Pull SparkLayer purchases',
              connector: 'sparklayer',
              endpoint: 'getPurchases',
              variables: { limit: '{{flow.variables.page_size}}', 'dates[placed][gte]': '[[meta.pull_since]]' },
              retries: 2,
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
          name: 'flag',
          shapes: [
            // Every page in one payload, so an order that offset paging returned twice is skipped as a repeat.
            { type: 'map', name: 'All purchases', fields: { records: { cache: CACHE, key: 'purchases' } } },
            {
              type: 'script',
              name: 'Keep live orders',
              step: 'filter-live-orders',
              variables: LIVE.placeholders,
            },
            // No fulfilments beside: what shipped is each purchase's own shipment packages.
            {
              type: 'script',
              name: 'Flag stale orders',
              step: 'flag-stale-orders',
              variables: FLAG.placeholders,
            },
            // Every order is looked at each run: one shipped since (or no longer live) leaves the queue; one still
            // late is told to its owner once, then each reminder.
            ...keepExceptionQueue(KEPT, {
              problems: { payload: 'exceptions' },
              what: 'stale orders',
              message: 'Stale orders: order [[payload.label]] ([[payload.what]]), [[payload.code]]: [[payload.text]]',
            }),
          ],
        },
      ],
    },
  ],
});
