// X-Series shipments and returns to SparkLayer: what the flow is for and its diagram are in README.md beside this.
import { fulfilmentFlowBlueprint } from '../../patchworks/blueprint/fulfilment-flow.js';
import { promoted } from '../../patchworks/blueprint/promoted.js';
import { step as lightspeedXFulfilments } from '../../scripts/lightspeed-x-fulfilments/step.js';

/** The step's settings are map-order-to-lightspeed-x's: the same flow variables, set alike in both flows. */
const FULFILMENTS = promoted(lightspeedXFulfilments, ['store_currency', 'shipping_product_id']);

export default fulfilmentFlowBlueprint({
  key: 'lightspeed-x-fulfilment-to-sparklayer',
  dismissed: 'lightspeed-x-fulfilment-dismissed',
  title: 'Lightspeed X-Series shipments and returns to SparkLayer',
  purpose:
    'Every hour, reports to SparkLayer each SparkLayer order X-Series has closed (dispatched in full) and each ' +
    'return made against one, as a package on the SparkLayer purchase, written once; every shipment or return that ' +
    'cannot be reported is queued whole and told to its owner.',
  // Closed sales (a return is a sale too) dated in the window: Search by state and date_from (openapi.json; date_from
  // is UNVERIFIED). Offset paging, every page.
  read: [
    {
      type: 'connection',
      name: 'Read X-Series closed sales',
      connector: 'lightspeed-x',
      endpoint: 'Search',
      variables: {
        type: 'sales',
        state: 'closed',
        date_from: '[[meta.pull_since]]',
        page_size: '{{flow.variables.sale_page_size}}',
      },
      retries: 2,
    },
  ],
  // A line names its product by id: the products give each its SKU, deleted ones too.
  beside: [
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
  fulfilments: {
    name: 'Read the X-Series shipments and returns',
    step: 'lightspeed-x-fulfilments',
    variables: { ...FULFILMENTS.placeholders, product_map: '{{lookups.product_map}}' },
  },
  lookups: {
    product_map: {
      description:
        "The X-Series order flow's product_map (SKU after unit_map to the X-Series product id), read backwards: " +
        'each line is reported as the SKU the order was booked with. Import the same table as that flow.',
      required: true,
    },
  },
  variables: {
    ...FULFILMENTS.variables,
    sale_page_size: { description: 'Sales per page from X-Series search (1 to 1000).', default: '1000' },
    product_page_size: {
      description: 'Products per page from X-Series (GET /products, page_size); every page is read each run.',
      default: '5000',
    },
  },
});
