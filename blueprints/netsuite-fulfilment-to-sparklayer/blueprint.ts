// NetSuite shipments and returns to SparkLayer: what the flow is for and its diagram are in README.md beside this.
import {
  NETSUITE_FULFILMENT_TRANSACTIONS_QUERY,
  NETSUITE_SALES_ORDERS_SINCE_QUERY,
} from '../../connectors/netsuite/fulfilment-queries.js';
import { fulfilmentFlowBlueprint, keepRead } from '../../patchworks/blueprint/fulfilment-flow.js';
import type { ShapeInput } from '../../patchworks/blueprint/blueprint.js';
import { suiteQLRead } from '../../patchworks/blueprint/suiteql-read.js';

/**
 * One branch per record type: the rows of that SuiteQL type, each read whole by its GET (expandSubResources, true by
 * default in openapi.json), kept under `key`.
 */
function recordBranch(
  type: string,
  what: string,
  endpoint: string,
  key: string,
): { name: string; shapes: ShapeInput[] } {
  return {
    name: what,
    shapes: [
      { type: 'filter', name: `Only ${what}`, rules: [{ field: 'type', operator: 'equals', value: type }] },
      {
        type: 'connection',
        name: `Read the NetSuite ${what.replace(/s$/, '')}`,
        connector: 'netsuite',
        endpoint,
        variables: { id: '[[payload.id]]' },
        retries: 2,
      },
      keepRead(`Keep the ${what} read`, key),
    ],
  };
}

export default fulfilmentFlowBlueprint({
  key: 'netsuite-fulfilment-to-sparklayer',
  dismissed: 'netsuite-fulfilment-dismissed',
  title: 'NetSuite shipments and returns to SparkLayer',
  purpose:
    'Every hour, reports to SparkLayer each item fulfillment NetSuite has shipped and each credit memo made against ' +
    'a SparkLayer order the pack booked, as a package on the SparkLayer purchase, written once; every shipment or ' +
    'return that cannot be reported is queued whole and told to its owner.',
  // The item fulfillments, credit memos and return authorizations last modified since the window's day
  // (fulfilment-queries.ts, plan-order-pull's pull_since_date), one row per payload, each read whole by its own GET.
  // A return authorization is kept beside, not as a return: the credit memo made from it is the return (reading both
  // would write the same goods back twice).
  read: [
    ...suiteQLRead(
      'The NetSuite fulfilments query',
      NETSUITE_FULFILMENT_TRANSACTIONS_QUERY,
      'Read NetSuite fulfilment transactions',
      'suiteql_page_size',
    ),
    { type: 'map', name: 'The transactions as rows', fields: { rows: { payload: '' } } },
    { type: 'flow-control', name: 'One transaction per payload', path: 'rows', size: 1 },
    {
      type: 'branch',
      name: 'Read each by its type',
      branches: [
        recordBranch('ItemShip', 'item fulfillments', 'getItemFulfillment', 'records'),
        recordBranch('CustCred', 'credit memos', 'getCreditMemo', 'records'),
        recordBranch('RtnAuth', 'return authorizations', 'getReturnAuthorization', 'return_authorizations'),
      ],
    },
  ],
  readKeeps: ['return_authorizations'],
  // The sales orders modified since the same day, with the SparkLayer purchase id the pack booked each by (externalid).
  beside: [
    {
      field: 'sales_orders',
      read: suiteQLRead(
        'The NetSuite sales orders query',
        NETSUITE_SALES_ORDERS_SINCE_QUERY,
        'Read NetSuite sales orders',
        'suiteql_page_size',
      ),
    },
  ],
  fulfilments: {
    name: 'Read the NetSuite shipments and returns',
    step: 'netsuite-fulfilments',
    variables: { item_ids: '{{lookups.item_ids}}', currency_ids: '{{lookups.currency_ids}}' },
  },
  lookups: {
    item_ids: {
      description:
        "The NetSuite order flow's item_ids (SKU to NetSuite item internal ID), read backwards: each line is " +
        "reported as the SKU that names its item (else the item's name). Import the same table as that flow.",
      required: true,
    },
    currency_ids: {
      description:
        "The NetSuite order flow's currency_ids (ISO currency code to NetSuite currency internal ID), for a credit " +
        'memo whose currency is not named by its ISO code. Import the same table as that flow.',
      required: true,
    },
  },
  variables: {
    suiteql_page_size: {
      description: 'Rows per page from NetSuite SuiteQL (limit, at most 1000); every page is read each run.',
      default: '1000',
    },
  },
});
