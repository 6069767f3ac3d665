// R-Series shipments and returns to SparkLayer: what the flow is for and its diagram are in README.md beside this.
import { REFERENCE_SOURCE } from '../../connectors/lightspeed-r/constants.js';
import { fulfilmentFlowBlueprint } from '../../patchworks/blueprint/fulfilment-flow.js';
import { promoted } from '../../patchworks/blueprint/promoted.js';
import { step as lightspeedRFulfilments } from '../../scripts/lightspeed-r-fulfilments/step.js';

/**
 * The step's settings are map-order-to-lightspeed-r's (shipping_item_id, product_map) and store_currency: the same flow
 * variables, set alike in both flows. sku_fields is left at its default, as the order flow leaves it.
 */
const FULFILMENTS = promoted(lightspeedRFulfilments, ['store_currency', 'shipping_item_id']);

/**
 * R-Series answers at most 100 records a page (https://developers.lightspeedhq.com/retail/introduction/parameters/);
 * each page is one read in its leaky bucket, so every read takes the largest. Pages by the complete URL in
 * @attributes.next (https://developers.lightspeedhq.com/retail/introduction/pagination/), one payload per page.
 */
const PAGE = '100';

export default fulfilmentFlowBlueprint({
  key: 'lightspeed-r-fulfilment-to-sparklayer',
  dismissed: 'lightspeed-r-fulfilment-dismissed',
  title: 'Lightspeed R-Series shipments and returns to SparkLayer',
  purpose:
    'Every hour, reports to SparkLayer each SparkLayer order R-Series has completed (shipped in full, once its ' +
    'ShipTo has shipped where it has one) and each refund made against one, as a package on the SparkLayer ' +
    'purchase, written once; every shipment or return that cannot be reported is queued whole and told to its owner.',
  // Completed sales (a refund is a sale too) changed in the window: R-Series' search on any field, timeStamp compared
  // (https://developers.lightspeedhq.com/retail/introduction/parameters/), with the relations the step reads.
  read: [
    {
      type: 'connection',
      name: 'Read R-Series completed sales',
      connector: 'lightspeed-r',
      endpoint: 'listSales',
      variables: {
        completed: 'true',
        timeStamp: '>,[[meta.pull_since]]',
        load_relations: JSON.stringify(['SaleLines', 'SaleNotes', 'ShipTo']),
        limit: PAGE,
      },
      retries: 2,
    },
  ],
  beside: [
    // A line names its item by ID: the items give each its SKU (sku_fields), archived ones too.
    {
      field: 'items',
      read: [
        {
          type: 'connection',
          name: 'Read R-Series items',
          connector: 'lightspeed-r',
          endpoint: 'listItems',
          variables: { archived: 'true', limit: PAGE },
          retries: 2,
        },
      ],
    },
    // A refund names only the lines it refunds: the booked sales, with their lines and the note naming the purchase,
    // link each to its purchase. Every booked sale is read (a refund may come long after its sale); the filter on
    // referenceNumberSource is UNVERIFIED (the step's header).
    {
      field: 'sales',
      read: [
        {
          type: 'connection',
          name: 'Read R-Series booked sales',
          connector: 'lightspeed-r',
          endpoint: 'listSales',
          variables: {
            referenceNumberSource: REFERENCE_SOURCE,
            completed: 'true',
            load_relations: JSON.stringify(['SaleLines', 'SaleNotes']),
            limit: PAGE,
          },
          retries: 2,
        },
      ],
    },
  ],
  fulfilments: {
    name: 'Read the R-Series shipments and returns',
    step: 'lightspeed-r-fulfilments',
    variables: { ...FULFILMENTS.placeholders, product_map: '{{lookups.product_map}}' },
  },
  lookups: {
    product_map: {
      description:
        "The R-Series order flow's product_map (SKU after unit_map to the R-Series item ID), read backwards: each " +
        'line is reported as the SKU the order was booked with. Import the same table as that flow.',
      required: true,
    },
  },
  variables: { ...FULFILMENTS.variables },
});
