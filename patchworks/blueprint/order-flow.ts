/**
 * The spine every SparkLayer-orders-to-a-back-end flow shares, so that the three order blueprints differ only where
 * their back-ends do. Each scheduled run:
 *
 * 1. reads the order queue the last finished run kept (flow cache `order-queue`), and plan-order-pull says what to
 *    pull: purchases changed since that run less an overlap, or `lookback_days` back when there is no queue;
 * 2. gathers the pulled purchases and the orders still waiting into one flow-run cache, and books them: filter-live-
 *    orders → drop what the de-dupe pool says is booked → resolve the account → the back-end's map-order step →
 *    each order booked inside the flow's try/catch; what each step and the back-end said is cached for the last step;
 * 3. keep-order-queue writes the new queue (every order not booked, whole, first and last seen) and the watermark,
 *    the de-dupe pool tracks what was booked (book, then track), and each problem and notice goes to its owner once.
 */
import type * as z from 'zod';
import { BACKENDS, type Backend } from '../../connectors/backends.js';
import { ORDER_QUEUE_CACHE, ORDER_QUEUE_KEY } from '../../model/order-queue.js';
import { defineBlueprint, walkShapes, type Blueprint, type blueprintSchema, type ShapeInput } from './blueprint.js';
import { saveQueueBranch, tellDueAlertsBranch, type KeptQueue } from './exception-loop.js';
import { ownerGroupVariables, tellEachOwner } from './owner-alerts.js';
import { promoted } from './promoted.js';
import { step as filterLiveOrders } from '../../scripts/filter-live-orders/step.js';
import { step as keepOrderQueue } from '../../scripts/keep-order-queue/step.js';
import { mapOrderStepKey, poRequiredSetting } from '../../scripts/map-order-step.js';
import { step as planOrderPull } from '../../scripts/plan-order-pull/step.js';
import { SPARKLAYER_PURCHASES_PAGE_SIZE, UNIT_MAP_LOOKUP } from './common-declarations.js';

type BlueprintInput = z.input<typeof blueprintSchema>;

/** The settings every order flow promotes to flow variables, each step's once. */
const PULL = promoted(planOrderPull, ['lookback_days', 'overlap_minutes', 'as_of']);
const LIVE = promoted(filterLiveOrders, ['live_types', 'live_statuses']);
const KEEP = promoted(keepOrderQueue, ['reminder_hours', 'digest_above', 'max_entries']);
/** What the spine promotes from the back-end's map-order step. */
const mapOrderPromoted = (spec: OrderFlowSpec) =>
  promoted({ key: mapOrderStepKey(spec.system), settings: { po_required: poRequiredSetting } }, ['po_required']);
type Branch = Extract<ShapeInput, { type: 'branch' }>['branches'][number];

export interface OrderFlowSpec {
  key: string;
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
  const shapes = [...walkShapes(blueprint.shapes)];
  const pullsPurchases = shapes.some(
    (shape) =>
      shape.type === 'connection' &&
      shape.connector === PULL_PURCHASES.connector &&
      shape.endpoint === PULL_PURCHASES.endpoint,
  );
  if (!pullsPurchases) return undefined;
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
          pullBranch(),
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
    page_size: SPARKLAYER_PURCHASES_PAGE_SIZE,
    ...PULL.variables,
    ...KEEP.variables,
    ...LIVE.variables,
    ...mapOrderPromoted(spec).variables,
    ...spec.variables,
    ...ownerGroupVariables(),
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
  return {
    name: 'book',
    shapes: [
      { type: 'map', name: 'Every purchase to consider', fields: { records: CONSIDERED } },
      {
        type: 'script',
        name: 'Keep live orders',
        step: 'filter-live-orders',
        variables: LIVE.placeholders,
      },
      // Filter only: the pool is tracked at the end, from what the back-end took.
      {
        type: 'de-dupe',
        name: 'Drop orders already booked',
        behaviour: 'filter',
        pool: spec.pool,
        key: 'records.*.purchase_identifiers.sparklayer',
      },
      {
        type: 'script',
        name: spec.resolveName,
        step: 'resolve-erp-account',
        // No shape here creates back-end customers, so an unmapped company is always an exception.
        variables: { account_map: '{{lookups.account_map}}', unmapped_action: 'exception' },
      },
      {
        type: 'script',
        name: spec.map.name,
        step: spec.map.step,
        variables: {
          ...spec.map.variables,
          ...mapOrderPromoted(spec).placeholders,
          unit_map: '{{lookups.unit_map}}',
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
                catch: [
                  {
                    type: 'map',
                    name: 'Keep the reason with the order',
                    fields: {
                      error: { meta: 'error_message' },
                      shape: { meta: 'error_shape' },
                      record: { payload: '' },
                    },
                  },
                  keepOutcome('Keep the refused order', 'refused'),
                ],
              },
            ],
          },
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
