// NetSuite stock to SparkLayer: what the flow is for and its diagram are in README.md beside this.
import { NETSUITE_STOCK_QUERY } from '../../connectors/netsuite/stock-reader.js';
import { stockFlowBlueprint } from '../../patchworks/blueprint/stock-flow.js';

export default stockFlowBlueprint({
  key: 'netsuite-stock-to-sparklayer',
  title: 'NetSuite stock to SparkLayer',
  purpose:
    "Every 15 minutes, publishes NetSuite's available stock of every item at every location to SparkLayer " +
    '(batch-update-stock), only what moved since the last run; a batch SparkLayer refuses is sent again by the next ' +
    'run, and every level that cannot be published is reported to its owner.',
  locationIs: 'NetSuite location internal ID',
  read: [
    // The query as the body runSuiteQL sends (connectors/netsuite/stock-reader.ts: every item at every location).
    { type: 'manual-payload', name: 'The NetSuite stock query', payload: JSON.stringify({ q: NETSUITE_STOCK_QUERY }) },
    // A read is safe to send again: Patchworks' most retries. Pages by limit and offset until hasMore is false.
    {
      type: 'connection',
      name: 'Read NetSuite stock',
      connector: 'netsuite',
      endpoint: 'runSuiteQL',
      variables: { limit: '{{flow.variables.page_size}}' },
      retries: 2,
    },
  ],
  levels: { name: 'Read the NetSuite stock levels', step: 'netsuite-stock-levels' },
  subtractOpenOrders: {
    default: 'no',
    why:
      "NetSuite's quantityavailable, the figure published, is on hand less what approved sales orders commit, so " +
      'the open orders are already out of it: leave it no (connectors/netsuite/stock-reader.ts says why, and what ' +
      'it does not count: an order still Pending Approval).',
  },
  variables: {
    page_size: { description: 'SuiteQL rows per page from NetSuite (1 to 1000).', default: '1000' },
  },
});
