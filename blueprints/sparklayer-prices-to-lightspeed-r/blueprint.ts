// SparkLayer prices to Lightspeed R-Series: what the flow is for and its diagram are in README.md beside this.
import { exceptionQueueVariables } from '../../patchworks/blueprint/exception-loop.js';
import { promoted, sharedVariable } from '../../patchworks/blueprint/promoted.js';
import { storePriceFlowBlueprint } from '../../patchworks/blueprint/store-price-flow.js';
import { step as mapPricesToLightspeedR } from '../../scripts/map-prices-to-lightspeed-r/step.js';

const MAP = promoted(mapPricesToLightspeedR, ['store_currency', 'as_of']);

export default storePriceFlowBlueprint({
  key: 'sparklayer-prices-to-lightspeed-r',
  dismissed: 'sparklayer-prices-to-lightspeed-r-dismissed',
  title: 'SparkLayer prices to Lightspeed R-Series',
  purpose:
    'Every hour, sets each item’s price on the R-Series price level list_to_price_level names for each SparkLayer ' +
    'price list made in SparkLayer, so trade buyers pay their contract prices in store (R-Series levels have one ' +
    'price an item: quantity breaks stay in SparkLayer); only items whose price differs are written, and a price ' +
    'that cannot be written is queued and told to its owner.',
  // R-Series' side, read whole each run: the price levels (a list's level by name) and every live item with its
  // Prices (https://developers.lightspeedhq.com/retail/endpoints/Item/: an item's Prices come with it), by itemID,
  // paged by @attributes.next. Reads: safe to send again, so Patchworks' most retries.
  beside: [
    {
      field: 'price_levels',
      read: [
        {
          type: 'connection',
          name: 'Read R-Series price levels',
          connector: 'lightspeed-r',
          endpoint: 'listPriceLevels',
          retries: 2,
        },
      ],
    },
    {
      field: 'items',
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
    },
  ],
  map: {
    name: 'Map prices to R-Series price levels',
    step: mapPricesToLightspeedR.key,
    variables: { list_to_price_level: '{{lookups.list_to_price_level}}', ...MAP.placeholders },
  },
  write: [
    // One PUT an item, carrying every level it has (the changed ones set): the same whole body sent again changes
    // nothing, so Patchworks' most retries.
    {
      name: 'items',
      shapes: [
        { type: 'flow-control', name: 'One item per payload', path: 'records', size: 1 },
        { type: 'set-variables', name: 'The item to update', meta: { item_id: '[[payload.itemID]]' } },
        { type: 'map', name: 'The item’s prices', fields: { Prices: { payload: 'body.Prices' } } },
        {
          type: 'connection',
          name: 'Update the R-Series item’s prices',
          connector: 'lightspeed-r',
          endpoint: 'updateItem',
          variables: { itemID: '[[meta.item_id]]' },
          retries: 2,
        },
      ],
    },
  ],
  variables: {
    ...MAP.variables,
    as_of: sharedVariable(MAP.variables.as_of, exceptionQueueVariables().as_of!),
    page_size: {
      description:
        'Items per page from R-Series: 1 to 100 (https://developers.lightspeedhq.com/retail/introduction/parameters/); ' +
        "each page is one read in R-Series' leaky bucket, so the largest page is the fewest drips.",
      default: '100',
    },
  },
  lookups: {
    list_to_price_level: {
      description:
        'SparkLayer price list slug (a list made in SparkLayer) to the R-Series price level its prices are set on, ' +
        'by name; a list not listed is not written.',
      required: true,
    },
  },
});
