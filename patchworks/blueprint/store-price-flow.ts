/**
 * The spine every SparkLayer-prices-to-store flow shares (issue "Prices", item 5: trade buyers pay their contract
 * prices in store), so that each store's blueprint differs only in what it reads beside the prices and how it writes
 * them. The price lists pushed are the ones made in SparkLayer (`source` custom); a list the pack's own price flows
 * created from the back-end is `source` integration and never comes back (no loop between the two directions), nor
 * does a platform list. Each scheduled run:
 *
 * 1. reads SparkLayer's price lists (getPriceLists, paged) and, one custom list at a time, its prices
 *    (getPriceListPricingData, the list's slug kept in meta `price_list` across the read); sparklayer-price-rows turns
 *    each list's answer into the pack's canonical price rows (model/price.ts), kept in the flow-run cache `store-read`
 *    under `records`, its exceptions among the run's problems. Every custom list is read, mapped or not (a filter
 *    shape cannot test a lookup table): the store's step skips the lists its table does not name;
 * 2. reads what the store's step takes beside the rows (`beside`: its price books or levels, its products or items),
 *    each kept under its field name, then the store's step turns the rows into the store's writes, only what differs
 *    from what the store holds (read back each run: the store's own data is the delta's `previous`, so a write the
 *    store refused is simply written again next run, and nothing is kept between runs but the exception queue);
 * 3. every exception of the steps goes to the run's problems; the writes go inside the flow's try/catch (Patchworks
 *    allows one per flow), a refused one kept whole with the store's answer;
 * 4. keep-exception-queue keeps the problems between runs and tells each owner once, then each reminder, none an owner
 *    dismissed (exception-loop.ts). Every run reads every price, so a problem put right is cleared.
 */
import type * as z from 'zod';
import {
  appendToRunCache,
  defineBlueprint,
  type Blueprint,
  type blueprintSchema,
  type ShapeInput,
} from './blueprint.js';
import { exceptionQueueVariables, keepExceptionQueue, keepReasonWith, type KeptQueue } from './exception-loop.js';
import { ownerGroupVariables } from './owner-alerts.js';
import { step as sparkLayerPriceRows } from '../../scripts/sparklayer-price-rows/step.js';

type BlueprintInput = z.input<typeof blueprintSchema>;

/** Price lists per page of getPriceLists: the most SparkLayer serves (https://docs.sparklayer.io/developers/pagination.md). */
const PRICE_LISTS_PAGE_SIZE = '250';
/** The flow cache (flow scope) of what outlives a run: the exception queue only. */
export const STORE_PRICE_STATE = { cache: 'store-price-state', queue: 'queue' } as const;
/** The flow-run cache of what the run read, one key per read. */
const READ = 'store-read';
/** The flow-run cache of this run's problems: each step's exceptions, each refused write. */
const PROBLEMS = { cache: 'store-price-problems', key: 'problems' } as const;

export interface StorePriceFlowSpec {
  key: string;
  title: string;
  purpose: string;
  /** The data pool an owner imports a queue entry's key into to stop hearing of it. */
  dismissed: string;
  /** The store's reads its step takes beside the rows, each kept under, and given to it as, its field name. */
  beside: Array<{ field: string; read: ShapeInput[] }>;
  /** The store's step that turns the rows into its writes, and its settings' placeholders. */
  map: { name: string; step: string; variables: Record<string, string> };
  /** The store's writes, each a branch over the step's envelope (inside the flow's try/catch). */
  write: Array<{ name: string; shapes: ShapeInput[] }>;
  /** The flow variables the store's reads and step name, as_of among them (shared with the queue's). */
  variables: NonNullable<BlueprintInput['variables']>;
  /** The lookups its step reads. */
  lookups: NonNullable<BlueprintInput['lookups']>;
}

const keep = (name: string, key: string) => appendToRunCache(name, READ, key);
const problem = (name: string) => appendToRunCache(name, PROBLEMS.cache, PROBLEMS.key);
/** A step's exceptions, one a payload, to the run's problems. */
const problems = (what: string) => ({
  name: 'problems',
  shapes: [
    { type: 'flow-control', name: `${what}: one exception per payload`, path: 'exceptions', size: 1 },
    problem(`${what}: keep the exception`),
  ] satisfies ShapeInput[],
});

export function storePriceFlowBlueprint(spec: StorePriceFlowSpec): Blueprint {
  const kept: KeptQueue = { cache: STORE_PRICE_STATE.cache, key: STORE_PRICE_STATE.queue, dismissed: spec.dismissed };
  const readPrices: ShapeInput[] = [
    { type: 'map', name: 'The price lists read', fields: { lists: { cache: READ, key: 'price_lists' } } },
    { type: 'flow-control', name: 'One price list per payload', path: 'lists', size: 1 },
    // Only the lists made in SparkLayer: the back-end's own (integration) came from the store or the ERP.
    {
      type: 'filter',
      name: 'Only lists made in SparkLayer',
      rules: [{ field: 'source', operator: 'equals', value: 'custom' }],
    },
    { type: 'set-variables', name: 'Remember the list', meta: { price_list: '[[payload.slug]]' } },
    // A read: safe to send again, so Patchworks' most retries. An empty list answers 204, no prices.
    {
      type: 'connection',
      name: 'Read the list’s SparkLayer prices',
      connector: 'sparklayer',
      endpoint: 'getPriceListPricingData',
      variables: { slug: '[[meta.price_list]]' },
      retries: 2,
    },
    {
      type: 'map',
      name: 'The list’s prices beside the lists',
      fields: {
        records: { payload: '' },
        price_list: { meta: 'price_list' },
        price_lists: { cache: READ, key: 'price_lists' },
      },
    },
    { type: 'script', name: 'Read the SparkLayer prices', step: sparkLayerPriceRows.key, variables: {} },
    {
      type: 'branch',
      name: 'Keep the rows and the problems',
      branches: [problems('SparkLayer prices'), { name: 'rows', shapes: [keep('Keep the price rows', 'records')] }],
    },
  ];
  const push: ShapeInput[] = [
    {
      type: 'map',
      name: 'The price rows beside the store',
      fields: {
        records: { cache: READ, key: 'records' },
        ...Object.fromEntries(spec.beside.map(({ field }) => [field, { cache: READ, key: field }])),
      },
    },
    { type: 'script', name: spec.map.name, step: spec.map.step, variables: spec.map.variables },
    {
      type: 'branch',
      name: 'Report and write',
      branches: [
        problems('Store prices'),
        {
          name: 'write',
          shapes: [
            {
              type: 'try-catch',
              name: 'Catch refused writes',
              try:
                spec.write.length === 1
                  ? spec.write[0]!.shapes
                  : [{ type: 'branch', name: 'Write to the store', branches: spec.write }],
              // A refused write, whole, with the store's answer.
              catch: [keepReasonWith('write'), problem('Keep the refused write')],
            },
          ],
        },
      ],
    },
  ];
  return defineBlueprint({
    key: spec.key,
    title: spec.title,
    purpose: spec.purpose,
    // The store's step and the queue read the one clock: the blueprint shares as_of between them (sharedVariable).
    variables: { ...exceptionQueueVariables(), ...spec.variables, ...ownerGroupVariables() },
    lookups: spec.lookups,
    shapes: [
      { type: 'trigger', name: 'Every hour', schedule: '45 * * * *' },
      {
        type: 'branch',
        name: 'Read, write and keep',
        branches: [
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
          { name: 'prices', shapes: readPrices },
          ...spec.beside.map(({ field, read }) => ({
            name: `read ${field}`,
            shapes: [...read, keep(`Keep the ${field} read`, field)],
          })),
          { name: 'write', shapes: push },
          {
            name: 'keep',
            shapes: keepExceptionQueue(kept, {
              problems: PROBLEMS,
              what: 'not written to the store',
              message:
                'Price [[payload.label]] not written to the store ([[payload.what]]), ' +
                '[[payload.code]]: [[payload.text]]',
            }),
          },
        ],
      },
    ],
  });
}
