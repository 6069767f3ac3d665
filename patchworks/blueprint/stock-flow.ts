/**
 * The spine every back-end-stock-to-SparkLayer flow shares, so that each stock blueprint differs only in how it reads
 * its back-end's stock. Each scheduled run (every 15 minutes):
 *
 * 1. reads the back-end's stock, every page kept in one flow-run cache (`stock-read`); where the back-end's figure
 *    still holds what open orders promise (R-Series' qoh before a sale completes), a second read of those orders, kept
 *    beside it (`open_order_records`) for the levels step to turn into map-stock-to-sparklayer's `open_orders`; and
 *    any further read the levels step needs (`beside`: X-Series' products, for its inventory records' SKUs);
 * 2. a step of the back-end's turns what was read into the pack's stock levels where it is not already (NetSuite:
 *    netsuite-stock-levels over the SuiteQL rows), and map-stock-to-sparklayer turns the levels into batch-update-stock
 *    rows against `previous`, the rows last published (flow cache `stock-state`, key `published`), so a quiet run sends
 *    nothing; the rows go in batches of STOCK_BATCH_SIZE, each sent inside the flow's try/catch with Patchworks' most
 *    retries (a 429 or 5xx is tried again; batch-update-stock overwrites each pair sent, so sending again is safe); a
 *    batch still refused goes down the catch route whole, with SparkLayer's answer;
 *    Where the spec says `kept` (X-Series, R-Series), the flow also keeps the stock records it read (flow cache
 *    `stock-state`, key `kept`) and reads only those changed since: the kept records go first into the read, then what
 *    changed; the levels step (keep_records=yes) lets the later of a record win, computes the levels from the whole set
 *    (so a changed open order or product still moves a level whose record did not) and writes the set to keep, from
 *    which alone the next run's read works out where it starts;
 * 3. keep-stock-queue writes what SparkLayer now holds (the rows published before, overlaid with the batches taken: a
 *    refused batch's rows are not in it, so the next run sends them again) and this run's problems, and says which to
 *    tell: each new problem goes to its owner's group once, then again every `reminder_hours`, one alert per code,
 *    owner and kind; an entry whose key an owner imported into the flow's `dismissed` pool is neither saved nor told
 *    (exception-loop.ts: saveQueueBranch, tellDueEntriesBranch).
 */
import type * as z from 'zod';
import {
  appendToRunCache,
  defineBlueprint,
  type Blueprint,
  type blueprintSchema,
  type ShapeInput,
} from './blueprint.js';
import { keepReasonWith, type KeptQueue, saveQueueBranch, tellDueEntriesBranch } from './exception-loop.js';
import { ownerGroupVariables } from './owner-alerts.js';
import { promoted } from './promoted.js';
import { step as keepStockQueue } from '../../scripts/keep-stock-queue/step.js';
import { step as mapStockToSparkLayer } from '../../scripts/map-stock-to-sparklayer/step.js';
import { UNIT_MAP_LOOKUP } from './common-declarations.js';

type BlueprintInput = z.input<typeof blueprintSchema>;

/**
 * Rows per batch-update-stock request. SparkLayer's page documents no limit on the array
 * (https://docs.sparklayer.io/developers/api/stock/update-stock-levels.md; unverified either way); 500 matches its
 * purchases page size and keeps what one refusal holds back small.
 */
export const STOCK_BATCH_SIZE = 500;

/**
 * The flow cache (flow scope) of what outlives a run: the rows published, the stock queue and, where the spec says
 * `kept`, the stock records read (`{records}`), one key each.
 */
export const STOCK_STATE = { cache: 'stock-state', published: 'published', queue: 'queue', kept: 'kept' } as const;
/** Flow-run caches: what was read, and what became of the rows (mapped, sent, refused). */
const READ_CACHE = 'stock-read';
const OUTCOMES = 'stock-outcomes';

export interface StockFlowSpec {
  key: string;
  title: string;
  purpose: string;
  /** What a back-end location is, for location_map's description, e.g. `NetSuite location internal ID`. */
  locationIs: string;
  /** The read: its shapes, ending in the connection shape whose pages are the stock (or what the levels step reads). */
  read: ShapeInput[];
  /** The back-end's step that turns a page's rows into stock levels, when they are not already. */
  levels?: { name: string; step: string };
  /**
   * The open orders' read, where the back-end's figure still holds them: its shapes, ending in the connection shape
   * whose pages are the orders. They ride beside the stock as `open_order_records`; the levels step (required then)
   * turns them into open_orders (back-end SKU, location, quantity), which map-stock-to-sparklayer subtracts.
   */
  openOrders?: { read: ShapeInput[] };
  /**
   * Further reads the levels step (required then) needs beside the stock, e.g. X-Series' products for the SKU and
   * flags of its inventory records: each in a branch of its own (inside the stock read, a connection shape would run
   * once per page), kept in the read cache under its field and given to the levels step as that field.
   */
  beside?: Array<{ field: string; read: ShapeInput[] }>;
  /**
   * Read only what changed: the stock flow's read in place of `read` (the stock check keeps `read`, the whole store).
   * Its first shape gets the records kept from the last run as `{records}` (none: the first run, or a cache cleared)
   * and works out from them where the read starts (X-Series: after their highest `version`; R-Series: at their latest
   * ItemShop timeStamp); it reads those changed since, and the levels step (required then, with a keep_records
   * setting) writes `kept`: `{records}`, saved as the next run's. A cache an older pack saved with a cursor beside the
   * records (`{records, version}`, `{records, since}`) reads the same: only its records are read.
   */
  kept?: { read: ShapeInput[] };
  /** subtract_open_orders' default, and why: `no` where the back-end's figure already leaves open orders out. */
  subtractOpenOrders: { default: 'yes' | 'no'; why: string };
  /**
   * The data pool an owner imports a stock queue entry's key into (`row:SKU@location`, `level:<id>`, `sku:<SKU>`; a
   * notice's `notice:<id>`) to stop hearing of it: `<flow key>-dismissed`, as the stock checks name theirs.
   */
  dismissed: string;
  /** The back-end's own flow variables, used by its read. */
  variables?: NonNullable<BlueprintInput['variables']>;
}

/**
 * map-stock-to-sparklayer's settings a stock flow promotes to flow variables; the stock check promotes the same, so it
 * computes what the stock flow would publish.
 */
export const STOCK_SETTINGS = ['stock_buffer', 'archived_action', 'subtract_open_orders'] as const;

/** STOCK_SETTINGS as flow variables, subtract_open_orders with the back-end's default and reason. */
export function promotedStockSettings(spec: Pick<StockFlowSpec, 'subtractOpenOrders'>) {
  return promoted(mapStockToSparkLayer, STOCK_SETTINGS, {
    overrides:
      spec.subtractOpenOrders.default === 'no'
        ? {}
        : { subtract_open_orders: { default: spec.subtractOpenOrders.default, why: spec.subtractOpenOrders.why } },
  });
}

type Branch = { name: string; shapes: ShapeInput[] };
type CacheKey = { cache: string; key: string };

/**
 * The back-end's stock read, as the stock flow and its daily check both run it: the stock, the open orders and each
 * read beside them, each in a branch of its own whose pages are kept in the flow-run cache `cache`; and the map
 * shape's fields that give them to the levels step: `records`, and `alongside` (`open_order_records` and each beside
 * field).
 */
export function stockReadBranches(
  spec: StockFlowSpec,
  cache: string,
): { branches: Branch[]; records: CacheKey; alongside: Record<string, CacheKey> } {
  if (spec.openOrders && !spec.levels)
    throw new Error(`stock flow ${spec.key}: open orders are read, but no levels step turns them into open_orders`);
  const beside = spec.beside ?? [];
  if (beside.length > 0 && !spec.levels)
    throw new Error(`stock flow ${spec.key}: reads beside the stock, but no levels step reads them`);
  for (const { field } of beside)
    if (['records', 'previous', 'open_order_records'].includes(field))
      throw new Error(`stock flow ${spec.key}: a read beside the stock cannot be named ${field}`);
  const keep = (name: string, key: string) => appendToRunCache(name, cache, key);
  return {
    branches: [
      // A connection shape outputs one payload per page: each is kept, and a later branch reads them all.
      { name: 'read', shapes: [...spec.read, keep('Keep the stock read', 'pages')] },
      // Its own branch: inside the stock read, the connection shape would run once per page of stock.
      ...(spec.openOrders
        ? [
            {
              name: 'read open orders',
              shapes: [...spec.openOrders.read, keep('Keep the open orders read', 'open-orders')],
            },
          ]
        : []),
      ...beside.map(({ field, read }) => ({
        name: `read ${field}`,
        shapes: [...read, keep(`Keep the ${field} read`, field)],
      })),
    ],
    records: { cache, key: 'pages' },
    alongside: {
      ...(spec.openOrders ? { open_order_records: { cache, key: 'open-orders' } } : {}),
      ...Object.fromEntries(beside.map(({ field }) => [field, { cache, key: field }])),
    },
  };
}

/**
 * The back-end's levels step, if it has one, then map-stock-to-sparklayer (named `name`) with the client's location
 * and unit maps and STOCK_SETTINGS' variables: what turns the read into batch-update-stock rows.
 */
export function stockRowsShapes(spec: StockFlowSpec, name: string): ShapeInput[] {
  return [
    ...(spec.levels ? [{ type: 'script' as const, name: spec.levels.name, step: spec.levels.step }] : []),
    {
      type: 'script',
      name,
      step: 'map-stock-to-sparklayer',
      variables: {
        location_map: '{{lookups.location_map}}',
        unit_map: '{{lookups.unit_map}}',
        ...promoted(mapStockToSparkLayer, STOCK_SETTINGS).placeholders,
      },
    },
  ];
}

export function stockFlowBlueprint(spec: StockFlowSpec): Blueprint {
  const outcome = (name: string, key: 'mapped' | 'sent' | 'refused') => appendToRunCache(name, OUTCOMES, key);
  const kept = { cache: STOCK_STATE.cache, key: STOCK_STATE.kept } as const;
  if (spec.kept && !spec.levels) throw new Error(`stock flow ${spec.key}: keeps its read, but has no levels step`);
  const read = stockReadBranches(
    spec.kept
      ? {
          ...spec,
          read: [
            // First into the read, so that a record read again (later) wins in the levels step.
            { type: 'map', name: 'The stock kept from the last run', fields: { records: kept } },
            {
              type: 'add-to-cache',
              name: 'Keep the stock kept',
              cache: READ_CACHE,
              key: 'pages',
              scope: 'flow-run',
              append: true,
            },
            ...spec.kept.read,
          ],
        }
      : spec,
    READ_CACHE,
  );
  const [levels, ...toRows] = stockRowsShapes(spec, 'Map stock to SparkLayer');
  // The levels step keeps the records only in the stock flow: the check reads the whole store every time.
  const keepingLevels: ShapeInput =
    levels?.type === 'script' ? { ...levels, variables: { ...levels.variables, keep_records: 'yes' } } : levels!;
  const sendOrReport: ShapeInput = {
    type: 'branch',
    name: 'Send or report',
    branches: [
      {
        name: 'report',
        shapes: [
          {
            type: 'map',
            name: 'What became of each level',
            fields: {
              exceptions: { payload: 'exceptions' },
              notices: { payload: 'notices' },
              unknown_stock_skus: { payload: 'unknown_stock_skus' },
            },
          },
          outcome('Keep what became of each level', 'mapped'),
        ],
      },
      {
        name: 'send',
        shapes: [
          { type: 'flow-control', name: 'Batches of stock rows', path: 'records', size: STOCK_BATCH_SIZE },
          {
            type: 'try-catch',
            name: 'Catch refused batches',
            try: [
              // batch-update-stock overwrites each pair sent: safe to send again, so Patchworks' most
              // retries (a 429 or 5xx, or no answer).
              {
                type: 'connection',
                name: 'Update SparkLayer stock',
                connector: 'sparklayer',
                endpoint: 'updateBatchStock',
                retries: 2,
              },
              // The shape passes on the batch it sent: only a batch SparkLayer took is recorded.
              outcome('Keep the batch SparkLayer took', 'sent'),
            ],
            catch: [keepReasonWith('batch'), outcome('Keep the refused batch', 'refused')],
          },
        ],
      },
    ],
  };
  const published = { cache: STOCK_STATE.cache, key: STOCK_STATE.published } as const;
  const stockQueue: KeptQueue = { cache: STOCK_STATE.cache, key: STOCK_STATE.queue, dismissed: spec.dismissed };
  const mapStock = promotedStockSettings(spec);
  const keepQueue = promoted(keepStockQueue, ['reminder_hours', 'as_of']);
  return defineBlueprint({
    key: spec.key,
    title: spec.title,
    purpose: spec.purpose,
    variables: {
      ...mapStock.variables,
      ...keepQueue.variables,
      ...spec.variables,
      ...ownerGroupVariables(),
    },
    lookups: {
      location_map: {
        description:
          `${spec.locationIs} to the SparkLayer stock location external ID; several may feed one. Empty: the ` +
          'back-end location is the external ID.',
        required: false,
      },
      unit_map: UNIT_MAP_LOOKUP,
    },
    shapes: [
      { type: 'trigger', name: 'Schedule', schedule: '*/15 * * * *' },
      {
        type: 'branch',
        name: 'Read, publish and keep',
        branches: [
          ...read.branches,
          {
            name: 'publish',
            shapes: [
              {
                type: 'map',
                name: 'The stock beside what was published',
                fields: { records: read.records, previous: published, ...read.alongside },
              },
              ...(spec.kept
                ? [
                    keepingLevels,
                    {
                      type: 'branch' as const,
                      name: 'Keep the read and publish',
                      branches: [
                        {
                          name: 'kept',
                          shapes: [
                            {
                              type: 'map' as const,
                              name: 'The stock to keep',
                              fields: { records: { payload: 'kept.records' } },
                            },
                            {
                              type: 'add-to-cache' as const,
                              name: 'Save the stock kept',
                              ...kept,
                              scope: 'flow' as const,
                              append: false,
                            },
                          ],
                        },
                        { name: 'publish', shapes: [...toRows, sendOrReport] },
                      ],
                    },
                  ]
                : [levels!, ...toRows, sendOrReport]),
            ],
          },
          {
            name: 'keep',
            shapes: [
              {
                type: 'map',
                name: 'The run beside what was published',
                fields: {
                  sent: { cache: OUTCOMES, key: 'sent' },
                  published,
                  queue: { cache: stockQueue.cache, key: stockQueue.key },
                  mapped: { cache: OUTCOMES, key: 'mapped' },
                  refused: { cache: OUTCOMES, key: 'refused' },
                },
              },
              {
                type: 'script',
                name: 'Keep the stock queue',
                step: 'keep-stock-queue',
                variables: keepQueue.placeholders,
              },
              {
                type: 'branch',
                name: 'Save and tell',
                branches: [
                  {
                    name: 'published',
                    shapes: [
                      { type: 'map', name: 'What SparkLayer holds', fields: { records: { payload: 'published' } } },
                      {
                        type: 'add-to-cache',
                        name: 'Save the published rows',
                        ...published,
                        scope: 'flow',
                        append: false,
                      },
                    ],
                  },
                  saveQueueBranch(stockQueue, 'Save the stock queue'),
                  tellDueEntriesBranch(stockQueue, {
                    what: 'stock',
                    message: 'SparkLayer stock [[payload.label]] [[payload.what]], [[payload.code]]: [[payload.text]]',
                  }),
                ],
              },
            ],
          },
        ],
      },
    ],
  });
}
