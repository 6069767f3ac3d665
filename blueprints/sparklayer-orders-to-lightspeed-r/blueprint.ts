// SparkLayer orders into Lightspeed R-Series as sales: what the flow is for and its diagram are in README.md beside this.
import { defineBlueprint } from '../../patchworks/blueprint/blueprint.js';

const POOL = 'sparklayer-orders-lightspeed-r';

export default defineBlueprint({
  key: 'sparklayer-orders-to-lightspeed-r',
  title: 'SparkLayer orders to Lightspeed R-Series',
  purpose:
    'Every 15 minutes, books each new live SparkLayer order into Lightspeed Retail (R-Series) once, as a sale on the right customer, with SparkLayer prices; anything that cannot be booked is reported and queued whole.',
  variables: {
    page_size: { description: 'Purchases per page from SparkLayer (1 to 500).', default: '500' },
    live_types: { description: 'filter-live-orders live_types: the purchase types that are orders to book.', default: 'order' },
    live_statuses: { description: 'filter-live-orders live_statuses: empty books every status.', default: '' },
    on_account_mode: {
      description: 'map-order-to-lightspeed-r on_account_mode: release (a completed sale charged to the customer\'s credit account) or hold (an open sale noted ON HOLD) for Pay on Account orders.',
      default: 'hold',
    },
    shop_id: { description: 'map-order-to-lightspeed-r shop_id: the R-Series shop the sales are booked in (shopID). No default: R-Series requires it.' },
    register_id: { description: 'map-order-to-lightspeed-r register_id: the register the sales are booked on (registerID). No default: R-Series requires it.' },
    employee_id: { description: 'map-order-to-lightspeed-r employee_id: the employee the sales are booked by (employeeID), e.g. an "API" employee. No default: R-Series requires it.' },
    shipping_item_id: {
      description: 'map-order-to-lightspeed-r shipping_item_id: the R-Series (non-inventory) item shipping is booked as; empty books shipping as a miscellaneous line.',
      default: '',
    },
    tax_tolerance: {
      description: 'map-order-to-lightspeed-r tax_tolerance: the largest difference between SparkLayer\'s tax and the tax R-Series will compute that still books the order.',
      default: '0.01',
    },
    notify_email_group: { description: 'Who hears about an order that was not booked (a Patchworks notification group).', default: 'Order desk' },
  },
  lookups: {
    account_map: { description: 'SparkLayer Company ID to the R-Series customer ID (customerID, a number).', required: true },
    product_map: { description: 'SKU (after unit_map) to the R-Series item ID (itemID, a number; a matrix\'s variant, never the matrix).', required: true },
    tax_categories: { description: 'Tax rate in percent (20) to the R-Series tax category with that rate (taxCategoryID); untaxed lines need none.', required: true },
    unit_map: { description: 'Pack SKU to base SKU and pack size, e.g. MUG-CASE12 -> MUG*12.', required: false },
    payment_types: { description: 'SparkLayer payment method (card, invoice, finance…) to the R-Series payment type (paymentTypeID) that settles it; an order paid another way is booked as an open sale.', required: false },
    credit_accounts: { description: 'R-Series customer ID to its credit account ID (creditAccountID): needed to release Pay on Account orders.', required: false },
  },
  shapes: [
    { type: 'trigger', name: 'Schedule', schedule: '*/15 * * * *' },
    { type: 'connection', name: 'Pull SparkLayer purchases', connector: 'sparklayer', endpoint: 'getPurchases', variables: { limit: '{{flow.variables.page_size}}' } },
    {
      type: 'script',
      name: 'Keep live orders',
      step: 'filter-live-orders',
      variables: { live_types: '{{flow.variables.live_types}}', live_statuses: '{{flow.variables.live_statuses}}' },
    },
    { type: 'de-dupe', name: 'Drop orders already handled', behaviour: 'filter_and_track', pool: POOL, key: 'records.*.purchase_identifiers.sparklayer' },
    {
      type: 'script',
      name: 'Find the R-Series customer',
      step: 'resolve-erp-account',
      // This flow has no shape that creates R-Series customers, so an unmapped company is always an exception.
      variables: { account_map: '{{lookups.account_map}}', unmapped_action: 'exception' },
    },
    {
      type: 'script',
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
        unit_map: '{{lookups.unit_map}}',
        payment_types: '{{lookups.payment_types}}',
        credit_accounts: '{{lookups.credit_accounts}}',
      },
    },
    {
      type: 'branch',
      name: 'Book or report',
      branches: [
        {
          name: 'book',
          shapes: [
            { type: 'flow-control', name: 'One sale per payload', path: 'records', size: 1 },
            {
              type: 'try-catch',
              name: 'Catch refused orders',
              // createSale looks for a sale naming the purchase before it posts: a retry or a re-run books nothing twice.
              try: [{ type: 'connection', name: 'Create R-Series sale', connector: 'lightspeed-r', endpoint: 'createSale' }],
              catch: [
                {
                  type: 'notify',
                  name: 'Tell the order desk (refused)',
                  level: 'error',
                  message: 'Lightspeed R-Series refused the sale [[payload.referenceNumber]] for customer [[payload.customerID]]: [[meta.error_message]] ({{flow.variables.notify_email_group}})',
                },
                { type: 'map', name: 'Keep the reason with the order', fields: { error: { meta: 'error_message' }, shape: { meta: 'error_shape' }, record: { payload: '' } } },
                { type: 'add-to-cache', name: 'Queue the refused order', cache: 'exceptions-queue', key: POOL, scope: 'company', append: true },
              ],
            },
          ],
        },
        {
          name: 'report',
          shapes: [
            { type: 'flow-control', name: 'One exception per payload', path: 'exceptions', size: 1 },
            { type: 'notify', name: 'Tell the order desk (not booked)', level: 'warning', message: 'SparkLayer order [[payload.id]] not booked, [[payload.code]]: [[payload.message]] ({{flow.variables.notify_email_group}})' },
            { type: 'add-to-cache', name: 'Queue the order not booked', cache: 'exceptions-queue', key: POOL, scope: 'company', append: true },
          ],
        },
      ],
    },
  ],
});
