/**
 * The spine every SparkLayer-orders-to-a-back-end flow shares, so that the three order blueprints differ only where
 * their back-ends do: a scheduled pull of purchases → filter-live-orders → de-dupe on the purchase id → resolve the
 * account → the back-end's map-order step → a branch that books each order inside the flow's try/catch and reports
 * each step exception. Anything not booked goes to a notify shape and to the `exceptions-queue` cache, whole.
 */
import type * as z from 'zod';
import { OWNERS, type Owner } from '../runtime/step.js';
import { defineBlueprint, type Blueprint, type blueprintSchema, type ShapeInput } from './blueprint.js';

type BlueprintInput = z.input<typeof blueprintSchema>;

export interface OrderFlowSpec {
  key: string;
  title: string;
  purpose: string;
  /** The de-dupe data pool, also the flow's key in the exceptions queue. */
  pool: string;
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
    /** The order desk's message for an order the back-end refused; `[[meta.error_message]]` holds why. */
    refusedMessage: string;
  };
}

/**
 * Look up, then create only what is not there, in shapes Patchworks has (reference/patchworks.md §3.1): the sale body
 * is kept in the flow-run cache under its own key (a meta variable), the back-end is asked for a sale booked for the
 * same purchase (a 404 passes, allow_unsuccessful_statuses), and skip-booked-sales decides from the body beside the
 * answer. The create runs only on what passes, with no shape retry: a POST whose answer was lost may have been
 * applied, and only the look-up of the next run can tell.
 */
export interface LookUpBeforeCreate {
  /** The text that names one sale body among the run's, e.g. `[[payload.id]]`. */
  key: string;
  /** The back-end's look-up, reading the body through `[[payload.*]]`. */
  find: Extract<ShapeInput, { type: 'connection' }>;
  system: 'lightspeed-r' | 'lightspeed-x';
}

function lookUpShapes(lookUp: LookUpBeforeCreate, splitName: string, write: ShapeInput, queue: QueueSettings): ShapeInput[] {
  const cache = { cache: 'sales-to-book', key: '[[meta.sale_key]]' };
  return [
    { type: 'set-variables', name: 'Name the sale', meta: { sale_key: lookUp.key } },
    { type: 'add-to-cache', name: 'Keep the sale to book', ...cache, scope: 'flow-run', append: false },
    { ...lookUp.find, retries: 2, allow_unsuccessful_statuses: true },
    { type: 'map', name: 'The sale beside what was found', fields: { records: cache, found: { payload: '' } } },
    { type: 'script', name: 'Skip sales already booked', step: 'skip-booked-sales', variables: { system: lookUp.system } },
    {
      type: 'branch',
      name: 'Create or report',
      branches: [
        { name: 'create', shapes: [{ type: 'flow-control', name: `${splitName}, not yet booked`, path: 'records', size: 1 }, write] },
        {
          // A sale the look-up could not decide on is not booked, and not lost: reported and queued whole.
          name: 'undecided',
          shapes: [
            { type: 'flow-control', name: 'One undecided sale per payload', path: 'exceptions', size: 1 },
            {
              type: 'notify',
              name: 'Tell the order desk (not checked)',
              level: 'warning',
              message: 'Sale [[payload.id]] not booked, [[payload.code]]: [[payload.message]] ({{flow.variables.notify_email_group}})',
            },
            { type: 'add-to-cache', name: 'Queue the sale not checked', ...queue },
          ],
        },
      ],
    },
  ];
}

/** Where a flow queues what it could not book: the company cache, one key per flow. */
type QueueSettings = Omit<Extract<ShapeInput, { type: 'add-to-cache' }>, 'type' | 'name'>;

/** The flow variable naming an owner's notification group, e.g. notify_customer_service_group. */
export function ownerGroupVariable(owner: Owner): string {
  return `notify_${owner.replaceAll(' ', '_')}_group`;
}

/** A branch with a route per owner: a filter on the payload's `owner`, then a notify shape to that owner's group. */
function tellEachOwner(tell: { branch: string; filter: string; what: string; level: 'info' | 'warning'; message: string }): ShapeInput {
  return {
    type: 'branch',
    name: tell.branch,
    branches: OWNERS.map((owner) => ({
      name: owner,
      shapes: [
        { type: 'filter', name: `${tell.filter} ${owner}`, rules: [{ field: 'owner', operator: 'equals', value: owner }] },
        { type: 'notify', name: `Tell ${owner} (${tell.what})`, level: tell.level, message: `${tell.message} ({{flow.variables.${ownerGroupVariable(owner)}}})` },
      ],
    })),
  };
}

const OWNER_GROUPS: Record<Owner, string> = { finance: 'Finance', operations: 'Operations', 'customer service': 'Customer service', integration: 'Integration' };

export function orderFlowBlueprint(spec: OrderFlowSpec): Blueprint {
  const queue = { cache: 'exceptions-queue', key: spec.pool, scope: 'company', append: true } as const;
  return defineBlueprint({
    key: spec.key,
    title: spec.title,
    purpose: spec.purpose,
    variables: {
      page_size: { description: 'Purchases per page from SparkLayer (1 to 500).', default: '500' },
      live_types: { description: 'filter-live-orders live_types: the purchase types that are orders to book.', default: 'order' },
      live_statuses: { description: 'filter-live-orders live_statuses: empty books every status.', default: '' },
      po_required: {
        description: `${spec.map.step} po_required: an order with no PO number is booked and flagged to customer service (flag), not booked (exception), or booked silently (ignore).`,
        default: 'flag',
      },
      ...spec.variables,
      notify_email_group: { description: 'Who hears about an order a back-end refused (a Patchworks notification group).', default: 'Order desk' },
      ...Object.fromEntries(
        OWNERS.map((owner) => [ownerGroupVariable(owner), { description: `The notification group for exceptions ${owner} owns (the exception table names each code's owner).`, default: OWNER_GROUPS[owner] }]),
      ),
    },
    lookups: {
      account_map: { description: `SparkLayer Company ID to ${spec.accountMapHolds}.`, required: true },
      ...spec.lookups,
      unit_map: { description: 'Pack SKU to base SKU and pack size, e.g. MUG-CASE12 -> MUG*12.', required: false },
    },
    shapes: [
      { type: 'trigger', name: 'Schedule', schedule: '*/15 * * * *' },
      // A read is safe to send again: Patchworks' most retries.
      { type: 'connection', name: 'Pull SparkLayer purchases', connector: 'sparklayer', endpoint: 'getPurchases', variables: { limit: '{{flow.variables.page_size}}' }, retries: 2 },
      {
        type: 'script',
        name: 'Keep live orders',
        step: 'filter-live-orders',
        variables: { live_types: '{{flow.variables.live_types}}', live_statuses: '{{flow.variables.live_statuses}}' },
      },
      // Tracked as it passes: an order that then fails is queued whole and replayed from there, not re-pulled.
      { type: 'de-dupe', name: 'Drop orders already handled', behaviour: 'filter_and_track', pool: spec.pool, key: 'records.*.purchase_identifiers.sparklayer' },
      {
        type: 'script',
        name: spec.resolveName,
        step: 'resolve-erp-account',
        // No shape here creates back-end customers, so an unmapped company is always an exception.
        variables: { account_map: '{{lookups.account_map}}', unmapped_action: 'exception' },
      },
      { type: 'script', name: spec.map.name, step: spec.map.step, variables: { ...spec.map.variables, po_required: '{{flow.variables.po_required}}', unit_map: '{{lookups.unit_map}}' } },
      {
        type: 'branch',
        name: 'Book or report',
        branches: [
          {
            name: 'book',
            shapes: [
              { type: 'flow-control', name: spec.book.splitName, path: 'records', size: 1 },
              {
                type: 'try-catch',
                name: 'Catch refused orders',
                try: spec.book.lookUp ? lookUpShapes(spec.book.lookUp, spec.book.splitName, spec.book.write, queue) : [spec.book.write],
                catch: [
                  { type: 'notify', name: 'Tell the order desk (refused)', level: 'error', message: `${spec.book.refusedMessage} ({{flow.variables.notify_email_group}})` },
                  { type: 'map', name: 'Keep the reason with the order', fields: { error: { meta: 'error_message' }, shape: { meta: 'error_shape' }, record: { payload: '' } } },
                  { type: 'add-to-cache', name: 'Queue the refused order', ...queue },
                ],
              },
            ],
          },
          {
            name: 'report',
            shapes: [
              { type: 'flow-control', name: 'One exception per payload', path: 'exceptions', size: 1 },
              { type: 'add-to-cache', name: 'Queue the order not booked', ...queue },
              // Each exception carries its code's owner; a notify shape notifies one group, so one per owner.
              tellEachOwner({ branch: 'Tell the owner', filter: 'Owned by', what: 'not booked', level: 'warning', message: 'SparkLayer order [[payload.id]] not booked, [[payload.code]]: [[payload.message]]' }),
            ],
          },
          {
            // Orders that continue but that an owner must act on (held for finance, no PO): map-order's notices.
            // The book branch has run by now; a notice on an order the back-end refused goes out beside its refusal.
            name: 'notices',
            shapes: [
              { type: 'flow-control', name: 'One notice per payload', path: 'notices', size: 1 },
              tellEachOwner({ branch: 'Tell the owner of the notice', filter: 'Notice for', what: 'notice', level: 'info', message: 'SparkLayer order [[payload.code]]: [[payload.message]]' }),
            ],
          },
        ],
      },
    ],
  });
}
