// Lightspeed R-Series stock to SparkLayer: what the flow is for and its diagram are in README.md beside this.
import { stockQuery } from '../../connectors/lightspeed-r/stock-reader.js';
import { stockFlowBlueprint, type StockFlowSpec } from '../../patchworks/blueprint/stock-flow.js';

// Every item, archived ones too (they publish 0), with its ItemShops, by itemID
// (connectors/lightspeed-r/stock-reader.ts); the page size is the flow's page_size.
const READ_QUERY = stockQuery();

/** The flow, declared once: lightspeed-r-stock-check reads the stock as it does. */
export const LIGHTSPEED_R_STOCK_FLOW: StockFlowSpec = {
  key: 'lightspeed-r-stock-to-sparklayer',
  title: 'Lightspeed R-Series stock to SparkLayer',
  purpose:
    "Every 15 minutes, publishes Lightspeed R-Series' sellable stock of every item in every shop to SparkLayer " +
    '(batch-update-stock), only what moved since the last run; a batch SparkLayer refuses is sent again by the next ' +
    'run, and every level that cannot be published is reported to its owner.',
  locationIs: 'R-Series shop ID (shopID)',
  read: [
    // A read is safe to send again: Patchworks' most retries. Pages by the complete URL in @attributes.next
    // (https://developers.lightspeedhq.com/retail/introduction/pagination/), one payload per page.
    {
      type: 'connection',
      name: 'Read R-Series stock',
      connector: 'lightspeed-r',
      endpoint: 'listItems',
      variables: { ...READ_QUERY, limit: '{{flow.variables.page_size}}' },
      retries: 2,
    },
  ],
  levels: { name: 'Read the R-Series stock levels', step: 'lightspeed-r-stock-levels' },
  // Open sales have not lowered qoh: read them with their lines, for the levels step to subtract (its comment says
  // which lines count). The filter on completed is R-Series' search on any field
  // (https://developers.lightspeedhq.com/retail/introduction/parameters/).
  openOrders: {
    read: [
      {
        type: 'connection',
        name: 'Read R-Series open sales',
        connector: 'lightspeed-r',
        endpoint: 'listSales',
        variables: { completed: 'false', load_relations: JSON.stringify(['SaleLines']), limit: '100' },
        retries: 2,
      },
    ],
  },
  subtractOpenOrders: {
    default: 'yes',
    why:
      'An open R-Series sale (completed false: an order booked but not paid and completed) has not lowered qoh or ' +
      'sellable, the figure published ("If the sale is completed the inventory will have been removed": ' +
      'https://developers.lightspeedhq.com/retail/endpoints/Sale/), so the flow reads the open sales and subtracts ' +
      'their lines: yes. no publishes them as still for sale (oversold). Layaway lines are not subtracted: whether a ' +
      'layaway already lowers qoh is unverified (connectors/lightspeed-r/stock-reader.ts).',
  },
  variables: {
    page_size: {
      description:
        'Items per page from R-Series: 1 to 100 ' +
        '(https://developers.lightspeedhq.com/retail/introduction/parameters/); each page' +
        " is one read in R-Series' leaky bucket, so the largest page is the fewest drips.",
      default: '100',
    },
  },
};

export default stockFlowBlueprint(LIGHTSPEED_R_STOCK_FLOW);
