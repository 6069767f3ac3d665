// Lightspeed R-Series prices to SparkLayer: what the flow is for and its diagram are in README.md beside this.
import { priceFlowBlueprint } from '../../patchworks/blueprint/price-flow.js';
import { promoted } from '../../patchworks/blueprint/promoted.js';
import { step as lightspeedRPriceRows } from '../../scripts/lightspeed-r-price-rows/step.js';

const ROWS = promoted(lightspeedRPriceRows, ['store_currency']);

export default priceFlowBlueprint({
  key: 'lightspeed-r-prices-to-sparklayer',
  system: 'lightspeed-r',
  dismissed: 'lightspeed-r-prices-dismissed',
  title: 'Lightspeed R-Series prices to SparkLayer',
  purpose:
    "Every hour, publishes each R-Series item's price on every price level price_level_map names to that SparkLayer " +
    'price list (batch-update-pricing), only what changed since the last run; a price that cannot be published is ' +
    'queued and told to its owner, and SparkLayer keeps the last price it had.',
  // Every item not archived (R-Series' default), by itemID: an item's Prices come with it, no relation to load
  // (https://developers.lightspeedhq.com/retail/endpoints/Item/). Pages by the complete URL in @attributes.next, one
  // payload per page; a read is safe to send again: Patchworks' most retries.
  read: [
    {
      type: 'connection',
      name: 'Read R-Series items',
      connector: 'lightspeed-r',
      endpoint: 'listItems',
      variables: { sort: 'itemID', limit: '{{flow.variables.page_size}}' },
      retries: 2,
    },
  ],
  rows: {
    name: 'Read the R-Series prices',
    step: lightspeedRPriceRows.key,
    variables: { price_level_map: '{{lookups.price_level_map}}', ...ROWS.placeholders },
  },
  variables: {
    ...ROWS.variables,
    page_size: {
      description:
        'Items per page from R-Series: 1 to 100 (https://developers.lightspeedhq.com/retail/introduction/parameters/); ' +
        "each page is one read in R-Series' leaky bucket, so the largest page is the fewest drips.",
      default: '100',
    },
  },
  lookups: {
    price_level_map: {
      description:
        'R-Series price level (its useTypeID, or its name as R-Series shows it) to the SparkLayer price list slug ' +
        'its prices are published to; a level not listed is not published.',
      required: true,
    },
  },
});
