/**
 * The spine every back-end-fulfilment-to-SparkLayer flow shares (issue 18, item 5), so that each blueprint differs
 * only in how it reads its back-end's shipments and returns. Each scheduled run (hourly):
 *
 * 1. plan-order-pull, given no queue, says where the read starts (meta `pull_since`): `lookback_days` before the run.
 *    Every run reads the whole window again, so the flow "looks at everything each run" as keep-exception-queue needs:
 *    a problem still there is seen again and kept, one put right is cleared;
 * 2. reads, each into one flow-run cache (`fulfilment-read`): the back-end's records of the window (the spec's
 *    `read`), whatever else its fulfilments step reads beside them (`beside`: products, items, booked sales…), and the
 *    SparkLayer purchases changed in the window (getPurchases, paged), which every step after reads as `purchases`;
 * 3. the back-end's fulfilments step reads the records into canonical fulfilments and returns;
 *    map-fulfilment-to-sparklayer turns each into one package for its purchase (counting what the purchase's packages
 *    already hold, unit_map packs, OVER_FULFILLED / OVER_RETURNED); add-packages-to-purchases puts the packages into
 *    the purchases, skipping each the purchase already holds as it is, so a re-read of the window writes nothing
 *    twice and sends nothing at all when nothing changed; each purchase changed is PUT whole (SparkLayer's
 *    full-replace createUpdatePurchase) inside the flow's try/catch, a refusal kept with SparkLayer's answer;
 * 4. every step's exceptions and every refused PUT go to keep-exception-queue, each owner told once, then each
 *    reminder, none an owner dismissed (exception-loop.ts).
 *
 * Not kept between runs: where the last run stopped. A record older than the window is not read again, so a problem
 * outliving `lookback_days` leaves the queue with no further reminder (its first alert was sent).
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
import { promoted, sharedVariable } from './promoted.js';
import { SPARKLAYER_PURCHASES_PAGE_SIZE, UNIT_MAP_LOOKUP } from './common-declarations.js';
import { step as planOrderPull } from '../../scripts/plan-order-pull/step.js';

type BlueprintInput = z.input<typeof blueprintSchema>;
type Branch = { name: string; shapes: ShapeInput[] };

/** The flow-run cache of what the run read, one key per read. */
const READ = 'fulfilment-read';
/** The flow-run cache of this run's problems: each step's exceptions and each refused PUT. */
const PROBLEMS = { cache: 'fulfilment-problems', key: 'problems' } as const;
/** The window read each run, from plan-order-pull's own look-back, which with no queue applies to every run. */
const WINDOW = promoted(planOrderPull, ['lookback_days', 'as_of'], {
  overrides: {
    lookback_days: {
      default: '14',
      why:
        'The flow keeps no watermark: every run reads this many days of shipments and returns again, so a problem ' +
        'is seen (and kept) for as long as it is in the window. Two weeks covers a B2B order shipped in parts; the ' +
        "step's 30 would read twice as much every hour.",
    },
  },
});

/** One as_of for both steps that read the clock: the window's end, and the queue's now. */
const AS_OF = sharedVariable(WINDOW.variables.as_of, exceptionQueueVariables().as_of!);

export interface FulfilmentFlowSpec {
  key: string;
  title: string;
  purpose: string;
  /** The data pool an owner imports a queue entry's key into to stop hearing of it. */
  dismissed: string;
  /**
   * The back-end read of the window: its shapes, ending in the connection shape whose pages are the records (the spine
   * keeps them), unless `readKeeps` is given.
   */
  read: ShapeInput[];
  /**
   * For a read that branches (one branch per record type, say), so that no one shape ends it: each branch ends in its
   * own `keepRead`, under `records` or one of these further keys, each given to the fulfilments step beside the
   * records as a field of that name. Unset: the spine keeps the read's pages as the records.
   */
  readKeeps?: string[];
  /** Further reads the fulfilments step takes beside the records, each kept under its field name. */
  beside: Array<{ field: string; read: ShapeInput[] }>;
  /** The back-end's fulfilments step and its settings' placeholders. */
  fulfilments: { name: string; step: string; variables: Record<string, string> };
  /** The flow variables the back-end's read and step name. */
  variables: NonNullable<BlueprintInput['variables']>;
  /** The lookups its step reads besides unit_map (the order flow's tables, read backwards). */
  lookups: NonNullable<BlueprintInput['lookups']>;
}

/** An add-to-cache of this run's read, under `key`: the records, a beside field or a further key of `readKeeps`. */
export const keepRead = (name: string, key: string) => appendToRunCache(name, READ, key);

/** A step's exceptions, one payload each, into this run's problems. */
function problemsBranch(name: string): Branch {
  return {
    name: 'problems',
    shapes: [
      { type: 'flow-control', name: `${name}: one exception per payload`, path: 'exceptions', size: 1 },
      { type: 'add-to-cache', name: `${name}: keep the exception`, ...PROBLEMS, scope: 'flow-run', append: true },
    ],
  };
}

/** Each purchase changed, PUT whole; a refusal kept with SparkLayer's answer. */
const WRITE: ShapeInput[] = [
  { type: 'flow-control', name: 'One purchase per payload', path: 'records', size: 1 },
  {
    type: 'try-catch',
    name: 'Catch refused purchases',
    try: [
      // The whole purchase, so sending it again is safe: Patchworks' most retries.
      {
        type: 'connection',
        name: 'Put SparkLayer purchase',
        connector: 'sparklayer',
        endpoint: 'createUpdatePurchase',
        variables: { lookupBy: '[[payload.lookup_by]]', identifier: '[[payload.purchase_id]]' },
        retries: 2,
      },
    ],
    catch: [
      keepReasonWith('purchase'),
      { type: 'add-to-cache', name: 'Keep the refused purchase', ...PROBLEMS, scope: 'flow-run', append: true },
    ],
  },
];

/** A script shape over the last step's records, the purchases read beside them. */
function withPurchases(mapName: string, name: string, step: string, variables: Record<string, string> = {}) {
  return [
    {
      type: 'map' as const,
      name: mapName,
      fields: { records: { payload: 'records' }, purchases: { cache: READ, key: 'purchases' } },
    },
    { type: 'script' as const, name, step, variables },
  ];
}

export function fulfilmentFlowBlueprint(spec: FulfilmentFlowSpec): Blueprint {
  const kept: KeptQueue = { cache: 'exception-queue', key: 'state', dismissed: spec.dismissed };
  const read: Branch[] = [
    {
      name: 'read',
      shapes: spec.readKeeps ? spec.read : [...spec.read, keepRead('Keep the records read', 'records')],
    },
    ...spec.beside.map(({ field, read: shapes }) => ({
      name: `read ${field}`,
      shapes: [...shapes, keepRead(`Keep the ${field} read`, field)],
    })),
    {
      name: 'read purchases',
      shapes: [
        {
          type: 'connection',
          name: 'Read SparkLayer purchases',
          connector: 'sparklayer',
          endpoint: 'getPurchases',
          variables: { limit: '{{flow.variables.page_size}}', 'dates[last_updated][gte]': '[[meta.pull_since]]' },
          retries: 2,
        },
        keepRead('Keep the purchases read', 'purchases'),
      ],
    },
  ];
  const report: Branch = {
    name: 'report',
    shapes: [
      {
        type: 'map',
        name: 'The records beside the purchases',
        fields: {
          records: { cache: READ, key: 'records' },
          purchases: { cache: READ, key: 'purchases' },
          ...Object.fromEntries(
            [...(spec.readKeeps ?? []), ...spec.beside.map(({ field }) => field)].map((field) => [
              field,
              { cache: READ, key: field },
            ]),
          ),
        },
      },
      {
        type: 'script',
        name: spec.fulfilments.name,
        step: spec.fulfilments.step,
        variables: spec.fulfilments.variables,
      },
      {
        type: 'branch',
        name: 'Map or report the records',
        branches: [
          problemsBranch('Records'),
          {
            name: 'packages',
            shapes: [
              ...withPurchases(
                'The fulfilments beside the purchases',
                'Map to packages',
                'map-fulfilment-to-sparklayer',
                {
                  unit_map: '{{lookups.unit_map}}',
                },
              ),
              {
                type: 'branch',
                name: 'Add or report the packages',
                branches: [
                  problemsBranch('Packages'),
                  {
                    name: 'purchases',
                    shapes: [
                      ...withPurchases(
                        'The packages beside the purchases',
                        'Add the packages to the purchases',
                        'add-packages-to-purchases',
                      ),
                      {
                        type: 'branch',
                        name: 'Write or report the purchases',
                        branches: [problemsBranch('Purchases'), { name: 'write', shapes: WRITE }],
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
  return defineBlueprint({
    key: spec.key,
    title: spec.title,
    purpose: spec.purpose,
    variables: {
      page_size: SPARKLAYER_PURCHASES_PAGE_SIZE,
      ...WINDOW.variables,
      ...spec.variables,
      ...exceptionQueueVariables(),
      as_of: AS_OF,
      ...ownerGroupVariables(),
    },
    lookups: { ...spec.lookups, unit_map: UNIT_MAP_LOOKUP },
    shapes: [
      { type: 'trigger', name: 'Every hour', schedule: '0 * * * *' },
      // No queue given: plan-order-pull's look-back, every run (see the header).
      { type: 'manual-payload', name: 'No kept watermark', payload: '{}' },
      { type: 'script', name: 'Plan the read', step: 'plan-order-pull', variables: WINDOW.placeholders },
      {
        type: 'branch',
        name: 'Read, report and keep',
        branches: [
          ...read,
          report,
          {
            name: 'keep',
            shapes: keepExceptionQueue(kept, {
              problems: PROBLEMS,
              what: 'not reported to SparkLayer',
              message:
                'Shipment or return [[payload.label]] not reported to SparkLayer ([[payload.what]]), ' +
                '[[payload.code]]: [[payload.text]]',
            }),
          },
        ],
      },
    ],
  });
}
