// Lightspeed R-Series stock to SparkLayer: what the flow is for and its diagram are in README.md beside this.
import { stockQuery } from '../../connectors/lightspeed-r/stock-reader.js';
import type { ShapeInput } from '../../patchworks/blueprint/blueprint.js';
import { stockFlowBlueprint, type StockFlowSpec } from '../../patchworks/blueprint/stock-flow.js';

// Every item, archived ones too (they publish 0), with its ItemShops, by itemID
// (connectors/lightspeed-r/stock-reader.ts); the page size is the flow's page_size.
const READ_QUERY = stockQuery();

/**
 * The item read, with `search` on top of READ_QUERY. A read is safe to send again: Patchworks' most retries. Pages by
 * the complete URL in @attributes.next (https://developers.lightspeedhq.com/retail/introduction/pagination/), one
 * payload per page.
 */
const readItems = (search: Record<string, string> = {}): ShapeInput => ({
  type: 'connection',
  name: 'Read R-Series stock',
  connector: 'lightspeed-r',
  endpoint: 'listItems',
  variables: { ...READ_QUERY, limit: '{{flow.variables.page_size}}', ...search },
  retries: 2,
});

/** The flow, declared once: lightspeed-r-stock-check reads the stock as it does. */
export const LIGHTSPEED_R_STOCK_FLOW: StockFlowSpec = {
  key: 'lightspeed-r-stock-to-sparklayer',
  dismissed: 'lightspeed-r-stock-to-sparklayer-dismissed',
  title: 'Lightspeed R-Series stock to SparkLayer',
  purpose:
    "Every 15 minutes, publishes Lightspeed R-Series' sellable stock of every item in every shop to SparkLayer " +
    '(batch-update-stock), only what moved since the last run; a batch SparkLayer refuses is sent again by the next ' +
    'run, and every level that cannot be published is reported to its owner.',
  locationIs: 'R-Series shop ID (shopID)',
  read: [readItems()],
  // Each run reads only the items with an ItemShop modified at or after the latest ItemShop timeStamp of the items kept
  // (lightspeed-r-stock-query writes the search, "" when none are kept: every item), then pages as above. The query
  // is the connection shape's variables, so the search reaches it through the payload: one payload, one read.
  kept: {
    read: [
      { type: 'script', name: 'Plan the R-Series stock read', step: 'lightspeed-r-stock-query' },
      readItems({ 'ItemShops.timeStamp': '[[payload.item_shops_time_stamp]]' }),
    ],
  },
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
        " is one read in R-Series' leaky bucket, so the largest page is the fewest drips." +
        ' The stock flow reads only the items with an ItemShop modified at or after the latest ItemShop timeStamp ' +
        'of the items kept from its last run (flow cache stock-state, key kept; none kept: every item); the ' +
        'stock check reads every item.',
      default: '100',
    },
  },
};

export default stockFlowBlueprint(LIGHTSPEED_R_STOCK_FLOW);
