// Lightspeed X-Series prices to SparkLayer: what the flow is for and its diagram are in README.md beside this.
import { priceFlowBlueprint } from '../../patchworks/blueprint/price-flow.js';
import { promoted } from '../../patchworks/blueprint/promoted.js';
import { step as lightspeedXPriceRows } from '../../scripts/lightspeed-x-price-rows/step.js';

const ROWS = promoted(lightspeedXPriceRows, ['store_currency']);

export default priceFlowBlueprint({
  key: 'lightspeed-x-prices-to-sparklayer',
  system: 'lightspeed-x',
  dismissed: 'lightspeed-x-prices-dismissed',
  title: 'Lightspeed X-Series prices to SparkLayer',
  purpose:
    'Every hour, publishes the prices of each X-Series price book price_book_map names, with their quantity breaks ' +
    '(Min units) and the book’s dates, to that SparkLayer price list (batch-update-pricing), only what changed ' +
    'since the last run; a price that cannot be published is queued and told to its owner, and SparkLayer keeps the ' +
    'last price it had.',
  // Every book's products in one list (ListPriceBookProducts, https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml),
  // paged by the version cursor as ListProducts is (connectors/lightspeed-x/dev/patchworks-connector.ts). Read whole
  // every run, not since a version: every run reads every price, so a problem put right leaves the queue. A read is
  // safe to send again: Patchworks' most retries (a 429 included: https://x-series-api.lightspeedhq.com/docs/rate_limiting).
  read: [
    {
      type: 'connection',
      name: 'Read X-Series price book products',
      connector: 'lightspeed-x',
      endpoint: 'ListPriceBookProducts',
      variables: { page_size: '{{flow.variables.price_page_size}}' },
      retries: 2,
    },
  ],
  beside: [
    // The books give each price its list (by id or name), its dates, and whether the book was deleted: deleted=true,
    // so that a deleted book's prices are skipped, not unreadable.
    {
      field: 'price_books',
      read: [
        {
          type: 'connection',
          name: 'Read X-Series price books',
          connector: 'lightspeed-x',
          endpoint: 'ListPriceBooksV3',
          variables: { deleted: 'true', page_size: '{{flow.variables.price_page_size}}' },
          retries: 2,
        },
      ],
    },
    // A price names its product by id: the products give the SKU (as the stock flow takes it), deleted ones too.
    {
      field: 'products',
      read: [
        {
          type: 'connection',
          name: 'Read X-Series products',
          connector: 'lightspeed-x',
          endpoint: 'ListProducts',
          variables: { deleted: 'true', page_size: '{{flow.variables.product_page_size}}' },
          retries: 2,
        },
      ],
    },
  ],
  rows: {
    name: 'Read the X-Series prices',
    step: lightspeedXPriceRows.key,
    variables: { price_book_map: '{{lookups.price_book_map}}', ...ROWS.placeholders },
  },
  variables: {
    ...ROWS.variables,
    price_page_size: {
      description:
        'Price books and price book products per page from X-Series (page_size; the largest X-Series takes is not ' +
        'in the OpenAPI document: unverified). Every page is read ("Next page token" on after = version.max).',
      default: '1000',
    },
    product_page_size: {
      description: 'Products per page from X-Series (GET /products, page_size); every page is read each run.',
      default: '5000',
    },
  },
  lookups: {
    price_book_map: {
      description:
        'X-Series price book (its id, or its name as X-Series shows it) to the SparkLayer price list slug its ' +
        'prices are published to; a book not listed is not published.',
      required: true,
    },
  },
});
