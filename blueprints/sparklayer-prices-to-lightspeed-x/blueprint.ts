// SparkLayer prices to Lightspeed X-Series: what the flow is for and its diagram are in README.md beside this.
import { exceptionQueueVariables } from '../../patchworks/blueprint/exception-loop.js';
import { promoted, sharedVariable } from '../../patchworks/blueprint/promoted.js';
import { storePriceFlowBlueprint } from '../../patchworks/blueprint/store-price-flow.js';
import { step as mapPricesToLightspeedX } from '../../scripts/map-prices-to-lightspeed-x/step.js';

const MAP = promoted(mapPricesToLightspeedX, [
  'store_currency',
  'tax_id',
  'outlet_ids',
  'restrict_to_platform',
  'as_of',
]);

/** One write of the step's: the book's id kept in meta, the entries sent as the body X-Series takes. */
const bookWrite = (method: 'add' | 'patch', endpoint: string, retries: 0 | 2) => ({
  name: method,
  shapes: [
    { type: 'flow-control' as const, name: `One ${method} per payload`, path: 'records', size: 1 },
    {
      type: 'filter' as const,
      name: `Only ${method} writes`,
      rules: [{ field: 'method', operator: 'equals' as const, value: method }],
    },
    {
      type: 'set-variables' as const,
      name: `The book to ${method} to`,
      meta: { price_book_id: '[[payload.price_book_id]]' },
    },
    { type: 'map' as const, name: `The entries to ${method}`, fields: { data: { payload: 'body.data' } } },
    {
      type: 'connection' as const,
      name: method === 'add' ? 'Add X-Series price book products' : 'Update X-Series price book products',
      connector: 'lightspeed-x',
      endpoint,
      variables: { price_book_id: '[[meta.price_book_id]]' },
      retries,
    },
  ],
});

export default storePriceFlowBlueprint({
  key: 'sparklayer-prices-to-lightspeed-x',
  dismissed: 'sparklayer-prices-to-lightspeed-x-dismissed',
  title: 'SparkLayer prices to Lightspeed X-Series',
  purpose:
    'Every hour, writes the prices of each SparkLayer price list made in SparkLayer that list_to_price_book names ' +
    'to that X-Series price book (restricted to the customer groups price_book_customer_groups names, created when ' +
    'missing), with quantity breaks as Min units, so trade buyers pay their contract prices in store; only what ' +
    'differs from the book is written, and a price that cannot be written is queued and told to its owner.',
  // X-Series' side, read whole each run (version cursor, as the X-Series price flow reads it): the books (live only:
  // a price is never written to a deleted book), every book's products (the delta), the products (a row's SKU to its
  // product id; deleted ones too, so a deleted product is skipped, not unknown) and the customer groups (a created
  // book's groups by name). Reads: safe to send again, so Patchworks' most retries.
  beside: [
    {
      field: 'price_books',
      read: [
        {
          type: 'connection',
          name: 'Read X-Series price books',
          connector: 'lightspeed-x',
          endpoint: 'ListPriceBooksV3',
          variables: { page_size: '{{flow.variables.price_page_size}}' },
          retries: 2,
        },
      ],
    },
    {
      field: 'price_book_products',
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
    },
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
    {
      field: 'customer_groups',
      read: [
        {
          type: 'connection',
          name: 'Read X-Series customer groups',
          connector: 'lightspeed-x',
          endpoint: 'ListCustomerGroups',
          retries: 2,
        },
      ],
    },
  ],
  map: {
    name: 'Map prices to X-Series price books',
    step: mapPricesToLightspeedX.key,
    variables: {
      list_to_price_book: '{{lookups.list_to_price_book}}',
      price_book_customer_groups: '{{lookups.price_book_customer_groups}}',
      ...MAP.placeholders,
    },
  },
  write: [
    // A book is created before any price is written; its prices follow on the next run, once it is read. Not sent
    // again by Patchworks: a creation that reached X-Series would make a second book of the name.
    {
      name: 'create',
      shapes: [
        { type: 'flow-control', name: 'One book to create per payload', path: 'price_books_to_create', size: 1 },
        {
          type: 'connection',
          name: 'Create the X-Series price book',
          connector: 'lightspeed-x',
          endpoint: 'CreatePriceBookV3',
        },
      ],
    },
    // New entries are added once (a second add of the same entry is refused); changed ones are updated in place,
    // safe to send again.
    bookWrite('add', 'AddPriceBookProducts', 0),
    bookWrite('patch', 'UpdatePriceBookProducts', 2),
  ],
  variables: {
    ...MAP.variables,
    as_of: sharedVariable(MAP.variables.as_of, exceptionQueueVariables().as_of!),
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
    list_to_price_book: {
      description:
        'SparkLayer price list slug (a list made in SparkLayer) to the X-Series price book its prices are written ' +
        'to, by name; a list not listed is not written.',
      required: true,
    },
    price_book_customer_groups: {
      description:
        'SparkLayer price list slug to the X-Series customer groups (names or ids, separated by ;) a book created ' +
        'for it is restricted to; a list not listed gets no book created.',
      required: false,
    },
  },
});
