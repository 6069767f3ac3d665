// NetSuite prices to SparkLayer: what the flow is for and its diagram are in README.md beside this.
import { NETSUITE_PRICE_QUERY } from '../../connectors/netsuite/price-reader.js';
import { priceFlowBlueprint } from '../../patchworks/blueprint/price-flow.js';
import { suiteQLRead } from '../../patchworks/blueprint/suiteql-read.js';
import { step as netsuitePriceRows } from '../../scripts/netsuite-price-rows/step.js';

export default priceFlowBlueprint({
  key: 'netsuite-prices-to-sparklayer',
  system: 'netsuite',
  dismissed: 'netsuite-prices-dismissed',
  title: 'NetSuite prices to SparkLayer',
  purpose:
    "Every hour, publishes NetSuite's item prices, each quantity break of every price level price_level_map names, " +
    'to ' +
    'that SparkLayer price list (batch-update-pricing), only what changed since the last run; a price that cannot be ' +
    'published is queued and told to its owner, and SparkLayer keeps the last price it had.',
  // Every price of every item per level, currency and break (connectors/netsuite/price-reader.ts), paged.
  read: suiteQLRead('The NetSuite price query', NETSUITE_PRICE_QUERY, 'Read NetSuite prices', 'page_size'),
  rows: {
    name: 'Read the NetSuite prices',
    step: netsuitePriceRows.key,
    variables: { price_level_map: '{{lookups.price_level_map}}' },
  },
  variables: {
    page_size: { description: 'SuiteQL rows per page from NetSuite (1 to 1000).', default: '1000' },
  },
  lookups: {
    price_level_map: {
      description:
        'NetSuite price level (its internal ID, or its name) to the SparkLayer price list slug its prices are ' +
        'published to; a level not listed is not published.',
      required: true,
    },
  },
});
