// NetSuite stock to SparkLayer: what the flow is for and its diagram are in README.md beside this.
import { NETSUITE_PENDING_APPROVAL_QUERY, NETSUITE_STOCK_QUERY } from '../../connectors/netsuite/stock-reader.js';
import { suiteQLRead } from '../../patchworks/blueprint/suiteql-read.js';
import { stockFlowBlueprint, type StockFlowSpec } from '../../patchworks/blueprint/stock-flow.js';

/** Every item at every location (connectors/netsuite/stock-reader.ts). */
const NETSUITE_STOCK_READ = suiteQLRead(
  'The NetSuite stock query',
  NETSUITE_STOCK_QUERY,
  'Read NetSuite stock',
  'page_size',
);
/** The lines of orders Pending Approval, for subtract_open_orders. */
const NETSUITE_OPEN_ORDERS_READ = suiteQLRead(
  'The NetSuite Pending Approval query',
  NETSUITE_PENDING_APPROVAL_QUERY,
  'Read NetSuite Pending Approval order lines',
  'page_size',
);

/** The flow, declared once: netsuite-stock-check reads the stock as it does. */
export const NETSUITE_STOCK_FLOW: StockFlowSpec = {
  key: 'netsuite-stock-to-sparklayer',
  dismissed: 'netsuite-stock-to-sparklayer-dismissed',
  title: 'NetSuite stock to SparkLayer',
  purpose:
    "Every 15 minutes, publishes NetSuite's available stock of every item at every location to SparkLayer " +
    '(batch-update-stock), only what moved since the last run; a batch SparkLayer refuses is sent again by the next ' +
    'run, and every level that cannot be published is reported to its owner.',
  locationIs: 'NetSuite location internal ID',
  read: NETSUITE_STOCK_READ,
  levels: { name: 'Read the NetSuite stock levels', step: 'netsuite-stock-levels' },
  // quantityavailable leaves out what approved sales orders commit, not what an order Pending Approval holds (a held
  // Pay on Account order): read those lines, for the levels step to turn into open_orders
  // (connectors/netsuite/stock-reader.ts, NETSUITE_PENDING_APPROVAL_QUERY, says which lines and why).
  openOrders: { read: NETSUITE_OPEN_ORDERS_READ },
  subtractOpenOrders: {
    default: 'yes',
    why:
      "NetSuite's quantityavailable, the figure published, is on hand less what APPROVED sales orders commit " +
      '(Oracle, Assessing Stock Levels: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/' +
      'section_N2262573.html), so approved orders are already out of it and are not read. A sales order still ' +
      'Pending Approval (a held Pay on Account order) commits nothing, so the flow reads those lines and subtracts ' +
      'them: yes. no publishes their units as still for sale (one unit sold twice) until the order is approved ' +
      '(connectors/netsuite/stock-reader.ts says which lines are read, and what is unverified).',
  },
  variables: {
    page_size: { description: 'SuiteQL rows per page from NetSuite (1 to 1000).', default: '1000' },
  },
};

export default stockFlowBlueprint(NETSUITE_STOCK_FLOW);
