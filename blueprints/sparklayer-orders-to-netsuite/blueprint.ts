// SparkLayer orders into NetSuite as sales orders: what the flow is for and its diagram are in README.md beside this.
import {
  ON_ACCOUNT_HELD_BY_DEFAULT,
  orderFlowBlueprint,
  type OrderFlowSpec,
} from '../../patchworks/blueprint/order-flow.js';
import { promoted } from '../../patchworks/blueprint/promoted.js';
import { step as mapOrder } from '../../connectors/netsuite/map-order/step.js';

/** The map step's settings this flow promotes to flow variables: on_account_mode held, as in every order flow. */
const MAP = promoted(mapOrder, ['on_account_mode', 'tax_mode'], {
  overrides: { on_account_mode: ON_ACCOUNT_HELD_BY_DEFAULT },
});

/**
 * The de-dupe pool of the orders booked into NetSuite, keyed by SparkLayer purchase id: shared with
 * shopify-orders-to-netsuite, so that an order is booked once whichever source saw it.
 */
export const NETSUITE_ORDERS_POOL = 'sparklayer-orders-netsuite';

/** How an order flow books into NetSuite, whatever its source: shared with shopify-orders-to-netsuite. */
export const NETSUITE_BOOKING = {
  system: 'netsuite',
  pool: NETSUITE_ORDERS_POOL,
  accountMapHolds: 'the NetSuite customer internal ID',
  variables: {
    replace_sublists: {
      description:
        "The sublists the upsert replaces (NetSuite's replace parameter): item,taxDetails when tax_mode " +
        'is override (the orders carry tax details), item when it is netsuite.',
      default: 'item,taxDetails',
    },
    ...MAP.variables,
  },
  lookups: {
    item_ids: { description: 'SKU to NetSuite item internal ID.', required: true },
    tax_codes: { description: 'SparkLayer tax rate to NetSuite tax code internal ID.', required: false },
    currency_ids: { description: 'ISO currency code to NetSuite currency internal ID.', required: true },
    ship_methods: {
      description: 'SparkLayer shipping method name to NetSuite ship item internal ID.',
      required: false,
    },
  },
  resolveName: 'Find the NetSuite customer',
  map: {
    name: 'Build NetSuite sales orders',
    step: 'map-order-to-netsuite',
    variables: {
      ...MAP.placeholders,
      item_ids: '{{lookups.item_ids}}',
      tax_codes: '{{lookups.tax_codes}}',
      currency_ids: '{{lookups.currency_ids}}',
      ship_methods: '{{lookups.ship_methods}}',
    },
  },
  book: {
    splitName: 'One sales order per payload',
    // PUT …/salesOrder/eid:<purchase id>: a retry, a replay or a lost data pool updates the order it made.
    // replace names the sublists the body carries: without it NetSuite appends the lines of a re-sent order to the ones
    // there ("Updating a Sublist", https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545295601.html).
    write: {
      type: 'connection',
      name: 'Upsert NetSuite sales order',
      connector: 'netsuite',
      endpoint: 'upsertSalesOrder',
      retries: 2,
      variables: { externalId: '[[payload.externalId]]', replace: '{{flow.variables.replace_sublists}}' },
    },
  },
} as const satisfies Omit<OrderFlowSpec, 'key' | 'title' | 'purpose'>;

export default orderFlowBlueprint({
  key: 'sparklayer-orders-to-netsuite',
  title: 'SparkLayer orders to NetSuite',
  purpose:
    'Every 15 minutes, books each new live SparkLayer order into NetSuite once, as a sales order on the ' +
    'right customer, with SparkLayer prices; anything that cannot be booked is reported and queued whole.',
  ...NETSUITE_BOOKING,
});
