/**
 * The spine every back-end-prices-to-SparkLayer flow shares, so that each price blueprint differs only in how it reads
 * its back-end's prices. SparkLayer's own integration guide is the sequence (https://docs.sparklayer.io/tech-docs/pricing-api:
 * fetch the source's lists, fetch SparkLayer's, create the missing ones, then push the pricing). Each scheduled run:
 *
 * 1. reads the back-end's prices, every page kept in one flow-run cache (`price-read`, key `records`), whatever else
 *    its rows step reads beside them (`beside`: X-Series' price books and products, each under its field name), and
 *    SparkLayer's price lists (getPriceLists, paged, key `price_lists`);
 * 2. the back-end's step turns what was read into the pack's price rows (model/price.ts), which are saved whole in the
 *    company cache ERP_PRICES (below), and map-prices-to-sparklayer turns the rows into batch-update-pricing entries
 *    against `previous`, the entries last published (flow cache `price-state`, key `published`), so a quiet run sends
 *    nothing;
 * 3. in this order: every exception of both steps goes to the run's problems; the entries published before are saved
 *    back, one a SKU and list; each list to create (missing_list_action=create) is created before any price is sent;
 *    the entries go in batches of PRICE_BATCH_SIZE, each inside the flow's try/catch, and each batch SparkLayer took is
 *    appended to what was published (the next run's `previous`, the later winning). A refused batch is not, so the
 *    next run sends it again; it goes to the problems whole with SparkLayer's answer;
 * 4. keep-exception-queue keeps the problems between runs and tells each owner once, then each reminder, none an owner
 *    dismissed (exception-loop.ts). Every run reads every price, so a problem put right is cleared.
 *
 * Hourly, not near real time: no back-end announces a price change. X-Series' webhook types are sale.update,
 * product.update, customer.update, inventory.update, register_closure.create, consignment.send and
 * consignment.receive (WebhookType in https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml), none for price
 * books, and its own guide says "polling APIs is the right way to keep systems in sync"
 * (https://x-series-api.lightspeedhq.com/docs/webhooks); no R-Series or NetSuite page shows a price change feed
 * (unverified). The version cursor could read only the X-Series entries changed since the last run, but an entry sent
 * to SparkLayer replaces all of a SKU's breaks on its list, so the flow reads them all.
 *
 * Why the price rows are saved for the company (ERP_PRICES): the order flows' check-order-prices compares each order
 * line with the ERP's price. Reading the ERP's whole price list every 15 minutes in each order flow would multiply the
 * heaviest read the pack makes; this flow already reads it once an hour, so it leaves the canonical rows it read in a
 * company-scope cache, keyed by its back-end, and an order flow of the same company into the same back-end reads them
 * there (order-flow.ts). They are at most an hour old, as SparkLayer's own prices are. Saved over (append false), and
 * only from a run that read prices: a run whose read or rows step fails stops before the save, and one whose rows step
 * passed no row at all (an empty answer, every row refused or unmapped) is filtered out before it, so a bad run never
 * saves an empty set over the last good rows. What the rows step refused is not among them (the order check then
 * finds no ERP price for that SKU, NO_ERP_PRICE, until the price is corrected). Patchworks keeps a cache at most 7
 * days: a price flow stopped longer leaves the order check with no prices, every line NO_ERP_PRICE, seen at once.
 */
import type * as z from 'zod';
import type { Backend } from '../../connectors/backends.js';
import {
  appendToRunCache,
  defineBlueprint,
  type Blueprint,
  type blueprintSchema,
  type ShapeInput,
} from './blueprint.js';
import { exceptionQueueVariables, keepExceptionQueue, keepReasonWith, type KeptQueue } from './exception-loop.js';
import { ownerGroupVariables } from './owner-alerts.js';
import { promoted, sharedVariable } from './promoted.js';
import { UNIT_MAP_LOOKUP } from './common-declarations.js';
import { step as mapPricesToSparkLayer } from '../../scripts/map-prices-to-sparklayer/step.js';

type BlueprintInput = z.input<typeof blueprintSchema>;

/**
 * Entries per batch-update-pricing request. SparkLayer's pages document no limit on the array (unverified either way);
 * 500 matches the stock batches and keeps what one refusal holds back small.
 */
export const PRICE_BATCH_SIZE = 500;
/** Price lists per page of getPriceLists: the most SparkLayer serves (https://docs.sparklayer.io/developers/pagination.md). */
const PRICE_LISTS_PAGE_SIZE = '250';

/** The flow cache (flow scope) of what outlives a run: the entries published and the exception queue. */
export const PRICE_STATE = { cache: 'price-state', published: 'published', queue: 'queue' } as const;
/** The flow-run cache of what the run read, one key per read. */
const READ = 'price-read';
/** The flow-run cache of this run's problems: each step's exceptions, each refused creation or batch. */
const PROBLEMS = { cache: 'price-problems', key: 'problems' } as const;

/**
 * The ERP's canonical price rows, as the last price flow run of a back-end read them: a company cache, one key per
 * back-end (`erpPrices(backend)`), written by that back-end's price flow, read by its order flows (the header says
 * why).
 */
export const ERP_PRICES = { cache: 'erp-prices', scope: 'company' } as const;
/** Where a back-end's ERP price rows are kept: its key in ERP_PRICES. */
export const erpPrices = (backend: Backend) => ({ cache: ERP_PRICES.cache, key: backend }) as const;

const MAP_PRICES = promoted(mapPricesToSparkLayer, ['missing_list_action', 'as_of']);
/** One as_of for both steps that read the clock: which prices are valid, and the queue's now. */
const AS_OF = sharedVariable(MAP_PRICES.variables.as_of, exceptionQueueVariables().as_of!);

export interface PriceFlowSpec {
  key: string;
  /** The back-end read: the key its price rows are kept under in ERP_PRICES, for its order flows. */
  system: Backend;
  title: string;
  purpose: string;
  /** The data pool an owner imports a queue entry's key into to stop hearing of it. */
  dismissed: string;
  /** The back-end read: its shapes, ending in the connection shape whose pages the rows step reads. */
  read: ShapeInput[];
  /** Further reads the rows step takes beside the prices, each kept under, and given to it as, its field name. */
  beside?: Array<{ field: string; read: ShapeInput[] }>;
  /** The back-end's step that turns the pages into price rows, and its settings' placeholders. */
  rows: { name: string; step: string; variables: Record<string, string> };
  /** The flow variables the back-end's read and step name. */
  variables: NonNullable<BlueprintInput['variables']>;
  /** The lookups its step reads (price_level_map), besides unit_map. */
  lookups: NonNullable<BlueprintInput['lookups']>;
}

const keep = (name: string, key: string) => appendToRunCache(name, READ, key);
const problem = (name: string) => appendToRunCache(name, PROBLEMS.cache, PROBLEMS.key);
const published = { cache: PRICE_STATE.cache, key: PRICE_STATE.published } as const;

export function priceFlowBlueprint(spec: PriceFlowSpec): Blueprint {
  const kept: KeptQueue = { cache: PRICE_STATE.cache, key: PRICE_STATE.queue, dismissed: spec.dismissed };
  const publish: ShapeInput[] = [
    {
      type: 'map',
      name: 'The prices beside what was published',
      fields: {
        records: { cache: READ, key: 'records' },
        ...Object.fromEntries((spec.beside ?? []).map(({ field }) => [field, { cache: READ, key: field }])),
        price_lists: { cache: READ, key: 'price_lists' },
        previous: published,
      },
    },
    { type: 'script', name: spec.rows.name, step: spec.rows.step, variables: spec.rows.variables },
    {
      type: 'branch',
      name: 'Keep the ERP prices, then publish',
      branches: [
        {
          // The order flows' price check reads these: only a run that read a price saves over them (the header).
          name: 'erp prices',
          shapes: [
            {
              type: 'filter',
              name: 'Only a run that read prices',
              rules: [{ field: 'records.0.sku', operator: 'exists' }],
            },
            { type: 'map', name: 'The ERP prices read', fields: { records: { payload: 'records' } } },
            {
              type: 'add-to-cache',
              name: 'Save the ERP prices for the order flows',
              ...erpPrices(spec.system),
              scope: ERP_PRICES.scope,
              append: false,
            },
          ],
        },
        { name: 'publish', shapes: publishRows() },
      ],
    },
  ];
  return defineBlueprint({
    key: spec.key,
    title: spec.title,
    purpose: spec.purpose,
    variables: {
      ...MAP_PRICES.variables,
      ...spec.variables,
      ...exceptionQueueVariables(),
      as_of: AS_OF,
      ...ownerGroupVariables(),
    },
    lookups: { ...spec.lookups, unit_map: UNIT_MAP_LOOKUP },
    shapes: [
      { type: 'trigger', name: 'Every hour', schedule: '30 * * * *' },
      {
        type: 'branch',
        name: 'Read, publish and keep',
        branches: [
          { name: 'prices', shapes: [...spec.read, keep('Keep the prices read', 'records')] },
          ...(spec.beside ?? []).map(({ field, read }) => ({
            name: `read ${field}`,
            shapes: [...read, keep(`Keep the ${field} read`, field)],
          })),
          {
            name: 'price lists',
            shapes: [
              {
                type: 'connection',
                name: 'Read SparkLayer price lists',
                connector: 'sparklayer',
                endpoint: 'getPriceLists',
                variables: { page_size: PRICE_LISTS_PAGE_SIZE },
                retries: 2,
              },
              keep('Keep the price lists read', 'price_lists'),
            ],
          },
          { name: 'publish', shapes: publish },
          {
            name: 'keep',
            shapes: keepExceptionQueue(kept, {
              problems: PROBLEMS,
              what: 'not published to SparkLayer',
              message:
                'Price [[payload.label]] not published to SparkLayer ([[payload.what]]), ' +
                '[[payload.code]]: [[payload.text]]',
            }),
          },
        ],
      },
    ],
  });
}

/** The rows, mapped to SparkLayer's entries, then reported, kept, created and sent. */
function publishRows(): ShapeInput[] {
  return [
    {
      type: 'script',
      name: 'Map prices to SparkLayer',
      step: mapPricesToSparkLayer.key,
      variables: { unit_map: '{{lookups.unit_map}}', ...MAP_PRICES.placeholders },
    },
    {
      type: 'branch',
      name: 'Report, keep, create and send',
      branches: [
        {
          name: 'problems',
          shapes: [
            { type: 'flow-control', name: 'One exception per payload', path: 'exceptions', size: 1 },
            problem('Keep the exception'),
          ],
        },
        {
          name: 'published',
          shapes: [
            { type: 'map', name: 'What SparkLayer held', fields: { records: { payload: 'published' } } },
            { type: 'add-to-cache', name: 'Save what was published', ...published, scope: 'flow', append: false },
          ],
        },
        {
          name: 'write',
          shapes: [
            {
              type: 'try-catch',
              name: 'Catch refused writes',
              try: [
                {
                  type: 'branch',
                  name: 'Create the lists, then send the prices',
                  branches: [
                    {
                      name: 'create',
                      shapes: [
                        {
                          type: 'flow-control',
                          name: 'One list to create per payload',
                          path: 'price_lists_to_create',
                          size: 1,
                        },
                        // Not sent again by Patchworks: a creation that reached SparkLayer would come back refused as
                        // a duplicate slug.
                        {
                          type: 'connection',
                          name: 'Create the price list',
                          connector: 'sparklayer',
                          endpoint: 'createPriceList',
                        },
                      ],
                    },
                    {
                      name: 'send',
                      shapes: [
                        {
                          type: 'flow-control',
                          name: 'Batches of price entries',
                          path: 'records',
                          size: PRICE_BATCH_SIZE,
                        },
                        // Each pair sent has its prices replaced: safe to send again, so Patchworks' most retries.
                        {
                          type: 'connection',
                          name: 'Update SparkLayer prices',
                          connector: 'sparklayer',
                          endpoint: 'updateMultiplePriceListPricing',
                          retries: 2,
                        },
                        // The shape passes on the batch it sent: only a batch SparkLayer took is recorded as published.
                        {
                          type: 'add-to-cache',
                          name: 'Keep the batch SparkLayer took',
                          ...published,
                          scope: 'flow',
                          append: true,
                        },
                      ],
                    },
                  ],
                },
              ],
              // A refused list or batch, whole, with SparkLayer's answer.
              catch: [keepReasonWith('write'), problem('Keep the refused write')],
            },
          ],
        },
      ],
    },
  ];
}
