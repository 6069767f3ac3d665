// SparkLayer orders into Lightspeed R-Series as sales: what the flow is for and its diagram are in README.md beside
// this.
import { ON_ACCOUNT_HELD_BY_DEFAULT, orderFlowBlueprint } from '../../patchworks/blueprint/order-flow.js';
import { promoted } from '../../patchworks/blueprint/promoted.js';
import { step as mapOrder } from '../../connectors/lightspeed-r/map-order/step.js';

/** The map step's settings this flow promotes to flow variables: on_account_mode held, as in every order flow. */
const MAP = promoted(
  mapOrder,
  ['on_account_mode', 'shop_id', 'register_id', 'employee_id', 'shipping_item_id', 'tax_tolerance'],
  { overrides: { on_account_mode: ON_ACCOUNT_HELD_BY_DEFAULT } },
);

export default orderFlowBlueprint({
  key: 'sparklayer-orders-to-lightspeed-r',
  title: 'SparkLayer orders to Lightspeed R-Series',
  purpose:
    'Every 15 minutes, books each new live SparkLayer order into Lightspeed Retail (R-Series) once, as a ' +
    'sale on the right customer, with SparkLayer prices; anything that cannot be booked is reported and ' +
    'queued whole.',
  system: 'lightspeed-r',
  pool: 'sparklayer-orders-lightspeed-r',
  accountMapHolds: 'the R-Series customer ID (customerID, a number)',
  variables: {
    ...MAP.variables,
  },
  lookups: {
    product_map: {
      description:
        "SKU (after unit_map) to the R-Series item ID (itemID, a number; a matrix's variant, never the matrix).",
      required: true,
    },
    tax_categories: {
      description:
        'Tax rate in percent (20) to the R-Series tax category with that rate (taxCategoryID); untaxed ' +
        'lines need none.',
      required: true,
    },
    payment_types: {
      description:
        'SparkLayer payment method (card, invoice, finance…) to the R-Series payment type ' +
        '(paymentTypeID) that settles it; an order paid another way is booked as an open sale.',
      required: false,
    },
    credit_accounts: {
      description:
        'R-Series customer ID to its credit account ID (creditAccountID): needed to release Pay on Account orders.',
      required: false,
    },
  },
  resolveName: 'Find the R-Series customer',
  map: {
    name: 'Build R-Series sales',
    step: 'map-order-to-lightspeed-r',
    variables: {
      ...MAP.placeholders,
      product_map: '{{lookups.product_map}}',
      tax_categories: '{{lookups.tax_categories}}',
      payment_types: '{{lookups.payment_types}}',
      credit_accounts: '{{lookups.credit_accounts}}',
    },
  },
  book: {
    splitName: 'One sale per payload',
    // R-Series has no upsert by external id, and a POST books a new sale each time: look up, then create once.
    lookUp: {
      // The internal note names the purchase ("SparkLayer purchase <id>"): unique per order, unlike a PO number.
      key: '[[payload.SaleNotes.InternalNote.note]]',
      find: {
        type: 'connection',
        name: 'Find the R-Series sale',
        connector: 'lightspeed-r',
        endpoint: 'listSales',
        variables: {
          referenceNumber: '[[payload.referenceNumber]]',
          referenceNumberSource: '[[payload.referenceNumberSource]]',
          customerID: '[[payload.customerID]]',
          load_relations: '["SaleNotes"]',
        },
      },
      // Find sales answers no match with an empty list.
      noSuchSale: 'empty list',
    },
    write: {
      type: 'connection',
      name: 'Create R-Series sale',
      connector: 'lightspeed-r',
      endpoint: 'createSale',
      retries: 0,
    },
  },
});
