/**
 * The spine every SparkLayer-orders-to-a-back-end flow shares, so that the three order blueprints differ only where
 * their back-ends do. Each scheduled run:
 *
 * 1. reads the order queue the last finished run kept (flow cache `order-queue`), and plan-order-pull says what to
 *    pull: purchases changed since that run less an overlap, or `lookback_days` back when there is no queue;
 * 2. gathers the pulled purchases and the orders still waiting into one flow-run cache, and books them: filter-live-
 *    orders → drop what the de-dupe pool says is booked → resolve the account → check the prices → the back-end's
 *    map-order step → each order booked inside the flow's try/catch; what each step and the back-end said is cached
 *    for the last step;
 * 3. keep-order-queue writes the new queue (every order not booked, whole, first and last seen) and the watermark,
 *    the de-dupe pool tracks what was booked (book, then track), and each problem and notice goes to its owner once.
 *
 * The price check (check-order-prices, its settings promoted as flow variables, `price_check` off by default) reads
 * the ERP's price rows beside the orders from the company cache its back-end's price flow keeps (price-flow.ts
 * ERP_PRICES, key: the flow's `system`), never from the ERP itself: one read of the prices an hour, shared. Off, every
 * order passes as it came and nothing is read. On, with price_authority=erp an order whose price differs is
 * PRICE_MISMATCH or NO_ERP_PRICE, an exception carried to keep-order-queue like resolve-erp-account's: queued whole,
 * finance told once, replayed when put right; with sparklayer it is booked carrying `price_differences`. A back-end
 * whose price flow has not run (or not for 7 days: a cache lasts at most that) has nothing under its key: turned on
 * then, every line is NO_ERP_PRICE, seen at once.
 */
import type * as z from 'zod';
import { BACKENDS, type Backend } from '../../connectors/backends.js';
import { ORDER_QUEUE_CACHE, ORDER_QUEUE_KEY } from '../../model/order-queue.js';
import { defineBlueprint, walkShapes, type Blueprint, type blueprintSchema, type ShapeInput } from './blueprint.js';
import { keepReasonWith, type KeptQueue, saveQueueBranch, tellDueAlertsBranch } from './exception-loop.js';
import { ownerGroupVariables, tellEachOwner } from './owner-alerts.js';
import { promoted } from './promoted.js';
import { erpPrices, ERP_PRICES } from './price-flow.js';
import { step as checkOrderPrices } from '../../scripts/check-order-prices/step.js';
import { step as filterLiveOrders } from '../../scripts/filter-live-orders/step.js';
import { step as keepOrderQueue } from '../../scripts/keep-order-queue/step.js';
import { mapOrderStepKey, poRequiredSetting } from '../../scripts/map-order-step.js';
import { step as planOrderPull } from '../../scripts/plan-order-pull/step.js';
import { SPARKLAYER_PURCHASES_PAGE_SIZE, UNIT_MAP_LOOKUP } from './common-declarations.js';
import { SHOPIFY_ORDER_QUERIES, type ShopifyOrderConnection } from '../../connectors/shopify/graphql-queries.js';

type BlueprintInput = z.input<typeof blueprintSchema>;

/** The settings every order flow promotes to flow variables, each step's once. */
const PULL = promoted(planOrderPull, ['lookback_days', 'overlap_minutes', 'as_of']);
const LIVE = promoted(filterLiveOrders, ['live_types', 'live_statuses']);
const KEEP = promoted(keepOrderQueue, ['reminder_hours', 'digest_above', 'max_entries']);
const PRICES = promoted(checkOrderPrices, [
  'price_check',
  'price_authority',
  'price_tolerance',
  'price_list_map',
  'default_price_list',
]);
/** What the spine promotes from the back-end's map-order step. */
const mapOrderPromoted = (spec: OrderFlowSpec) =>
  promoted({ key: mapOrderStepKey(spec.system), settings: { po_required: poRequiredSetting } }, ['po_required']);
type Branch = Extract<ShapeInput, { type: 'branch' }>['branches'][number];

/**
 * Where the flow reads its orders: SparkLayer's purchases (the default), or, on a Shopify site, the Shopify orders and
 * draft orders SparkLayer's checkout booked, read by the pack's own GraphQL query (issue 36). A Shopify-source flow is
 * the pack's steps inserted into a platform-to-back-end flow: its records are Shopify nodes (order_format
 * shopify_graphql in every order step), keyed by the SparkLayer purchase id they carry (shopify-order-nodes adds
 * `purchase_identifiers.sparklayer`), so that it shares its de-dupe pool with the SparkLayer flow into the same
 * back-end and one order is booked once whichever source saw it.
 */
export type OrderSource = 'sparklayer' | 'shopify';

export interface OrderFlowSpec {
  key: string;
  /** Where the orders are read: `sparklayer` when not given. */
  source?: OrderSource;
  title: string;
  purpose: string;
  /** The de-dupe data pool of the purchases booked. */
  pool: string;
  /** The back-end (connectors/backends.ts), for keep-order-queue and skip-booked-sales: how to read its bodies. */
  system: Backend;
  /** What the account map's right value is in this back-end, e.g. `the NetSuite customer internal ID`. */
  accountMapHolds: string;
  /** The back-end's own flow variables (on_account_mode among them: its meaning differs per back-end). */
  variables: NonNullable<BlueprintInput['variables']>;
  /** The back-end's own lookups, beside account_map and unit_map. */
  lookups: NonNullable<BlueprintInput['lookups']>;
  resolveName: string;
  map: { name: string; step: string; variables: Record<string, string> };
  book: {
    splitName: string;
    /**
     * The write: an upsert safe to repeat (NetSuite), or a create that is not, which then has 0 retries and comes after
     * `lookUp`, so that a retry, a replay or a lost data pool never books twice.
     */
    write: Extract<ShapeInput, { type: 'connection' }>;
    lookUp?: LookUpBeforeCreate;
  };
}

/**
 * Look up, then create only what is not there, in shapes Patchworks has (reference/patchworks.md §3.1): the sale body
 * is kept in the flow-run cache under its own key (a meta variable), the back-end is asked for a sale booked for the
 * same purchase, and skip-booked-sales decides from the body beside the answer. Only a back-end that answers "no
 * such sale" with a 404 lets an unsuccessful status through (allow_unsuccessful_statuses); even then the step passes
 * the sale on only on the 404's own body, never on another error. The create runs only on what passes, with no shape
 * retry: a POST whose answer was lost may have been applied, and only the look-up of the next run can tell.
 */
export interface LookUpBeforeCreate {
  /** The text that names one sale body among the run's, e.g. `[[payload.id]]`. */
  key: string;
  /** The back-end's look-up, reading the body through `[[payload.*]]`. */
  find: Extract<ShapeInput, { type: 'connection' }>;
  /** How the back-end answers when no sale matches: a 404 (let through to the step), or an empty list. */
  noSuchSale: '404' | 'empty list';
}

/** The pull of SparkLayer purchases: what makes an order flow a SparkLayer one (sparkLayerOrderBackend). */
const PULL_PURCHASES = { connector: 'sparklayer', endpoint: 'getPurchases' } as const;

/**
 * The back-end a SparkLayer order flow books into: a flow that pulls SparkLayer purchases and maps them with a
 * back-end's map-order step (orderFlowBlueprint checks it is its own back-end's). None for any other flow, so that
 * `pack validate` learns the order flows from the blueprints, not from a list of names.
 */
export function sparkLayerOrderBackend(blueprint: Blueprint): Backend | undefined {
  return orderBackend(blueprint, PULL_PURCHASES);
}

/** The Shopify order read: what makes an order flow a Shopify-source one (shopifyOrderBackend). */
const PULL_SHOPIFY_ORDERS = { connector: 'shopify', endpoint: 'getShopifyOrders' } as const;

/**
 * The back-end a Shopify-source order flow books into: a flow that reads Shopify orders with the pack's query and maps
 * them with a back-end's map-order step. None for any other flow.
 */
export function shopifyOrderBackend(blueprint: Blueprint): Backend | undefined {
  return orderBackend(blueprint, PULL_SHOPIFY_ORDERS);
}

function orderBackend(blueprint: Blueprint, pull: { connector: string; endpoint: string }): Backend | undefined {
  const shapes = [...walkShapes(blueprint.shapes)];
  const pulls = shapes.some(
    (shape) => shape.type === 'connection' && shape.connector === pull.connector && shape.endpoint === pull.endpoint,
  );
  if (!pulls) return undefined;
  return (Object.keys(BACKENDS) as Backend[]).find((backend) =>
    shapes.some((shape) => shape.type === 'script' && shape.step === mapOrderStepKey(backend)),
  );
}

/** The order queue the last finished run kept, which this run reads and keeps anew. */
const ORDER_QUEUE = { cache: ORDER_QUEUE_CACHE, key: ORDER_QUEUE_KEY } as const;

/**
 * The order flows' default for the map step's on_account_mode (the step's own is release), with why: each flow
 * promotes it with this override.
 */
export const ON_ACCOUNT_HELD_BY_DEFAULT = {
  default: 'hold',
  why:
    'the flow books unattended every 15 minutes, so a Pay on Account order waits for finance (told once, ' +
    "ON_ACCOUNT_HELD) to check the company's credit before it ships. Set release where credit is checked before " +
    'checkout (SparkLayer credit holds, kept by netsuite-credit-hold-to-sparklayer).',
} as const;

/** The flow-run caches the run gathers into: the purchases it considers, and what became of them. */
const CONSIDERED = { cache: 'orders-to-consider', key: 'orders' } as const;
const OUTCOMES = 'order-outcomes';
const keepOutcome = (name: string, key: 'mapped' | 'refused' | 'undecided'): ShapeInput => ({
  type: 'add-to-cache',
  name,
  cache: OUTCOMES,
  key,
  scope: 'flow-run',
  append: true,
});

function lookUpShapes(spec: OrderFlowSpec, lookUp: LookUpBeforeCreate): ShapeInput[] {
  const { splitName, write } = spec.book;
  const cache = { cache: 'sales-to-book', key: '[[meta.sale_key]]' };
  return [
    { type: 'set-variables', name: 'Name the sale', meta: { sale_key: lookUp.key } },
    { type: 'add-to-cache', name: 'Keep the sale to book', ...cache, scope: 'flow-run', append: false },
    { ...lookUp.find, retries: 2, allow_unsuccessful_statuses: lookUp.noSuchSale === '404' },
    { type: 'map', name: 'The sale beside what was found', fields: { records: cache, found: { payload: '' } } },
    {
      type: 'script',
      name: 'Skip sales already booked',
      step: 'skip-booked-sales',
      variables: { system: spec.system },
    },
    {
      type: 'branch',
      name: 'Create or report',
      branches: [
        {
          name: 'create',
          shapes: [{ type: 'flow-control', name: `${splitName}, not yet booked`, path: 'records', size: 1 }, write],
        },
        {
          // A sale the look-up could not decide on is not booked, and not lost: keep-order-queue queues it whole.
          name: 'undecided',
          shapes: [
            {
              type: 'map',
              name: 'What the look-up could not decide',
              fields: { exceptions: { payload: 'exceptions' } },
            },
            keepOutcome('Keep the sale not checked', 'undecided'),
          ],
        },
      ],
    },
  ];
}

export function orderFlowBlueprint(spec: OrderFlowSpec): Blueprint {
  // An order an owner dismisses is marked as if booked: its key into the flow's own de-dupe pool.
  const kept: KeptQueue = { ...ORDER_QUEUE, dismissed: spec.pool };
  if (spec.map.step !== mapOrderStepKey(spec.system))
    throw new Error(`order flow ${spec.key}: a ${spec.system} flow maps with ${mapOrderStepKey(spec.system)}`);
  if (spec.book.lookUp && !('lookUp' in BACKENDS[spec.system]))
    throw new Error(
      `order flow ${spec.key}: ${spec.system} declares no look-up (connectors/${spec.system}/booking.ts)`,
    );
  return defineBlueprint({
    key: spec.key,
    title: spec.title,
    purpose: spec.purpose,
    variables: orderFlowVariables(spec),
    lookups: {
      account_map: { description: `SparkLayer Company ID to ${spec.accountMapHolds}.`, required: true },
      ...spec.lookups,
      unit_map: UNIT_MAP_LOOKUP,
    },
    shapes: [
      { type: 'trigger', name: 'Schedule', schedule: '*/15 * * * *' },
      { type: 'map', name: 'Read the order queue', fields: { queue: ORDER_QUEUE } },
      {
        type: 'script',
        name: 'Plan the pull',
        step: 'plan-order-pull',
        variables: PULL.placeholders,
      },
      {
        type: 'branch',
        name: 'Gather, book and keep',
        branches: [
          ...(source(spec) === 'shopify'
            ? [shopifyPullBranch('orders'), shopifyPullBranch('draftOrders')]
            : [pullBranch()]),
          // After the pull, so that a purchase pulled fresh is the copy filter-live-orders keeps.
          waitingBranch(),
          bookBranch(spec),
          keepBranch(spec, kept),
        ],
      },
    ],
  });
}

function orderFlowVariables(spec: OrderFlowSpec): NonNullable<BlueprintInput['variables']> {
  return {
    page_size: source(spec) === 'shopify' ? SHOPIFY_ORDERS_PAGE_SIZE : SPARKLAYER_PURCHASES_PAGE_SIZE,
    ...PULL.variables,
    ...KEEP.variables,
    ...LIVE.variables,
    ...PRICES.variables,
    ...mapOrderPromoted(spec).variables,
    ...spec.variables,
    ...ownerGroupVariables(),
  };
}

const source = (spec: OrderFlowSpec): OrderSource => spec.source ?? 'sparklayer';

/** The order steps' order_format for the flow's source: set on each, never promoted (the flow's source is fixed). */
const orderFormat = (spec: OrderFlowSpec): Record<string, string> =>
  source(spec) === 'shopify' ? { order_format: 'shopify_graphql' } : {};

/** At most 250 nodes a page (https://shopify.dev/docs/api/usage/pagination-graphql). */
const SHOPIFY_ORDERS_PAGE_SIZE = {
  description: 'Orders (and draft orders) per page read from Shopify (1 to 250); every page is read each run.',
  default: '250',
} as const;

/**
 * One Shopify connection read: the pack's query as the payload (a POST that reads sends it as its body), the orders
 * changed since plan-order-pull's `pull_since`, then shopify-order-nodes keeps those SparkLayer booked, keyed by
 * their SparkLayer purchase id. UNVERIFIED: that Shopify's `updated_at` search takes the quoted ISO time as written.
 */
function shopifyPullBranch(connection: ShopifyOrderConnection): Branch {
  const what = connection === 'orders' ? 'orders' : 'draft orders';
  const query = JSON.stringify(SHOPIFY_ORDER_QUERIES[connection]);
  return {
    name: `pull ${what}`,
    shapes: [
      {
        type: 'manual-payload',
        name: `The Shopify ${what} query`,
        payload:
          `{"query": ${query}, "variables": {"first": {{flow.variables.page_size}}, ` +
          `"query": "updated_at:>='[[meta.pull_since]]'"}}`,
      },
      { type: 'connection', name: `Read Shopify ${what}`, ...PULL_SHOPIFY_ORDERS, variables: {}, retries: 2 },
      { type: 'script', name: `Keep the ${what} SparkLayer booked`, step: 'shopify-order-nodes', variables: {} },
      {
        type: 'add-to-cache',
        name: `Keep the pulled ${what}`,
        ...CONSIDERED,
        scope: 'flow-run',
        append: true,
      },
    ],
  };
}

/**
 * A Shopify order's SparkLayer customer, read by its Shopify customer id (SparkLayer keeps it as the customer's
 * external_id: lookupBy platform), one order at a time, kept for resolve-erp-account and the map step, which read
 * `customers` beside the records. An order whose customer SparkLayer does not have (404) goes on without: the step that
 * needs it reports it.
 */
const SHOPIFY_CUSTOMERS = { cache: 'sparklayer-customers', key: 'customers' } as const;
function readCustomersBranch(): Branch {
  return {
    name: 'customers',
    shapes: [
      { type: 'flow-control', name: 'One order per payload', path: 'records', size: 1 },
      {
        type: 'filter',
        name: 'Only orders with a Shopify customer',
        rules: [{ field: 'customer_identifiers.platform', operator: 'exists' }],
      },
      {
        type: 'connection',
        name: 'Read the SparkLayer customer',
        connector: 'sparklayer',
        endpoint: 'getCustomer',
        variables: { identifier: '[[payload.customer_identifiers.platform]]', lookupBy: 'platform' },
        retries: 2,
        allow_unsuccessful_statuses: true,
      },
      { type: 'filter', name: 'Only customers SparkLayer has', rules: [{ field: 'id', operator: 'exists' }] },
      {
        type: 'add-to-cache',
        name: 'Keep the SparkLayer customers',
        ...SHOPIFY_CUSTOMERS,
        scope: 'flow-run',
        append: true,
      },
    ],
  };
}

function pullBranch(): Branch {
  return {
    name: 'pull',
    shapes: [
      // A read is safe to send again: Patchworks' most retries.
      {
        type: 'connection',
        name: 'Pull SparkLayer purchases',
        ...PULL_PURCHASES,
        variables: { limit: '{{flow.variables.page_size}}', 'dates[last_updated][gte]': '[[meta.pull_since]]' },
        retries: 2,
      },
      {
        type: 'add-to-cache',
        name: 'Keep the pulled purchases',
        ...CONSIDERED,
        scope: 'flow-run',
        append: true,
      },
    ],
  };
}

function waitingBranch(): Branch {
  return {
    name: 'waiting',
    shapes: [
      {
        type: 'add-to-cache',
        name: 'Keep the orders still waiting',
        ...CONSIDERED,
        scope: 'flow-run',
        append: true,
      },
    ],
  };
}

function bookBranch(spec: OrderFlowSpec): Branch {
  const considered: ShapeInput[] = [
    { type: 'map', name: 'Every purchase to consider', fields: { records: CONSIDERED } },
    {
      type: 'script',
      name: 'Keep live orders',
      step: 'filter-live-orders',
      variables: { ...LIVE.placeholders, ...orderFormat(spec) },
    },
    // Filter only: the pool is tracked at the end, from what the back-end took.
    {
      type: 'de-dupe',
      name: 'Drop orders already booked',
      behaviour: 'filter',
      pool: spec.pool,
      key: 'records.*.purchase_identifiers.sparklayer',
    },
  ];
  const book: ShapeInput[] = [
    {
      type: 'script',
      name: spec.resolveName,
      step: 'resolve-erp-account',
      // No shape here creates back-end customers, so an unmapped company is always an exception.
      variables: { account_map: '{{lookups.account_map}}', unmapped_action: 'exception', ...orderFormat(spec) },
    },
    // The envelope laid out again with the ERP's prices beside (price-flow.ts keeps them), its skipped, exceptions
    // and summary kept (and, on a Shopify site, the customers the later steps read).
    {
      type: 'map',
      name: 'The orders beside the ERP prices',
      fields: {
        records: { payload: 'records' },
        skipped: { payload: 'skipped' },
        exceptions: { payload: 'exceptions' },
        summary: { payload: 'summary' },
        ...(source(spec) === 'shopify' ? { customers: { payload: 'customers' } } : {}),
        prices: { ...erpPrices(spec.system), scope: ERP_PRICES.scope },
      },
    },
    {
      type: 'script',
      name: 'Check the order prices',
      step: checkOrderPrices.key,
      variables: { ...PRICES.placeholders, unit_map: '{{lookups.unit_map}}', ...orderFormat(spec) },
    },
    {
      type: 'script',
      name: spec.map.name,
      step: spec.map.step,
      variables: {
        ...spec.map.variables,
        ...mapOrderPromoted(spec).placeholders,
        unit_map: '{{lookups.unit_map}}',
        ...orderFormat(spec),
      },
    },
    {
      type: 'branch',
      name: 'Book or report',
      branches: [
        {
          name: 'report',
          shapes: [
            {
              type: 'map',
              name: 'What became of each order',
              fields: {
                bodies: { payload: 'records' },
                exceptions: { payload: 'exceptions' },
                notices: { payload: 'notices' },
              },
            },
            keepOutcome('Keep what became of each order', 'mapped'),
          ],
        },
        {
          name: 'book',
          shapes: [
            { type: 'flow-control', name: spec.book.splitName, path: 'records', size: 1 },
            {
              type: 'try-catch',
              name: 'Catch refused orders',
              try: spec.book.lookUp ? lookUpShapes(spec, spec.book.lookUp) : [spec.book.write],
              catch: [keepReasonWith('order'), keepOutcome('Keep the refused order', 'refused')],
            },
          ],
        },
      ],
    },
  ];
  return {
    name: 'book',
    shapes: source(spec) === 'shopify' ? [...considered, withCustomers(book)] : [...considered, ...book],
  };
}

/**
 * The orders left to book with their SparkLayer customers beside (a Shopify-source flow): the customers are read in a
 * branch of their own, then the envelope is laid out again with them, its skipped, exceptions and summary kept, and
 * booked as a SparkLayer flow books its purchases.
 */
function withCustomers(book: ShapeInput[]): ShapeInput {
  return {
    type: 'branch',
    name: 'Read the customers',
    branches: [
      readCustomersBranch(),
      {
        name: 'orders',
        shapes: [
          {
            type: 'map',
            name: 'The orders beside their customers',
            fields: {
              records: { payload: 'records' },
              skipped: { payload: 'skipped' },
              exceptions: { payload: 'exceptions' },
              summary: { payload: 'summary' },
              customers: SHOPIFY_CUSTOMERS,
            },
          },
          ...book,
        ],
      },
    ],
  };
}

function keepBranch(spec: OrderFlowSpec, kept: KeptQueue): Branch {
  return {
    name: 'keep',
    shapes: [
      {
        type: 'map',
        name: 'The run beside the queue',
        fields: {
          considered: CONSIDERED,
          queue: ORDER_QUEUE,
          mapped: { cache: OUTCOMES, key: 'mapped' },
          refused: { cache: OUTCOMES, key: 'refused' },
          undecided: { cache: OUTCOMES, key: 'undecided' },
        },
      },
      {
        type: 'script',
        name: 'Keep the order queue',
        step: 'keep-order-queue',
        // Its as_of is the run's start, meta pull_started_at from the plan: the next pull's watermark.
        variables: {
          system: spec.system,
          ...KEEP.placeholders,
        },
      },
      {
        type: 'branch',
        name: 'Track, save and tell',
        branches: [
          // Book, then track: only what the back-end took (or already had) is marked handled.
          {
            name: 'track',
            shapes: [
              {
                type: 'de-dupe',
                name: 'Mark the orders booked',
                behaviour: 'track',
                pool: spec.pool,
                key: 'records.*.purchase_identifiers.sparklayer',
              },
            ],
          },
          saveQueueBranch(kept, 'Save the order queue'),
          tellDueAlertsBranch(kept, {
            what: 'not booked',
            message: 'SparkLayer order [[payload.label]] [[payload.what]], [[payload.code]]: [[payload.text]]',
          }),
          {
            // Orders booked that an owner must act on (held for finance, no PO): never one the back-end
            // refused.
            name: 'notices',
            shapes: [
              { type: 'flow-control', name: 'One notice per payload', path: 'due_notices', size: 1 },
              tellEachOwner({
                branch: 'Tell the owner of the notice',
                filter: 'Notice for',
                what: 'notice',
                level: 'info',
                message: 'SparkLayer order [[payload.text]]',
              }),
            ],
          },
        ],
      },
    ],
  };
}
