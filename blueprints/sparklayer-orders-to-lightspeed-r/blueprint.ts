// SparkLayer orders into Lightspeed R-Series as sales: what the flow is for and its diagram are in README.md beside
// this.
import { orderFlowBlueprint } from '../../patchworks/blueprint/order-flow.js';

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
    on_account_mode: {
      description:
        "map-order-to-lightspeed-r on_account_mode: release (a completed sale charged to the customer's " +
        'credit account) or hold (an open sale noted ON HOLD) for Pay on Account orders.',
      default: 'hold',
    },
    shop_id: {
      description:
        'map-order-to-lightspeed-r shop_id: the R-Series shop the sales are booked in (shopID). No ' +
        'default: R-Series requires it.',
    },
    register_id: {
      description:
        'map-order-to-lightspeed-r register_id: the register the sales are booked on (registerID). No ' +
        'default: R-Series requires it.',
    },
    employee_id: {
      description:
        'map-order-to-lightspeed-r employee_id: the employee the sales are booked by (employeeID), e.g. ' +
        'an "API" employee. No default: R-Series requires it.',
    },
    shipping_item_id: {
      description:
        'map-order-to-lightspeed-r shipping_item_id: the R-Series (non-inventory) item shipping is ' +
        'booked as; empty books shipping as a miscellaneous line.',
      default: '',
    },
    tax_tolerance: {
      description:
        "map-order-to-lightspeed-r tax_tolerance: the largest difference between SparkLayer's tax and " +
        'the tax R-Series will compute that still books the order.',
      default: '0.01',
    },
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
      on_account_mode: '{{flow.variables.on_account_mode}}',
      shop_id: '{{flow.variables.shop_id}}',
      register_id: '{{flow.variables.register_id}}',
      employee_id: '{{flow.variables.employee_id}}',
      shipping_item_id: '{{flow.variables.shipping_item_id}}',
      tax_tolerance: '{{flow.variables.tax_tolerance}}',
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
      system: 'lightspeed-r',
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
