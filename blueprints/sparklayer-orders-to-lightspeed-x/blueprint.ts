// SparkLayer orders into Lightspeed Retail (X-Series) as sales: what the flow is for and its diagram are in README.md beside this.
import { defineBlueprint } from '../../patchworks/blueprint/blueprint.js';

const POOL = 'sparklayer-orders-lightspeed-x';

export default defineBlueprint({
  key: 'sparklayer-orders-to-lightspeed-x',
  title: 'SparkLayer orders to Lightspeed X-Series',
  purpose:
    'Every 15 minutes, books each new live SparkLayer order into Lightspeed Retail (X-Series) once, as a sale on the right customer, with SparkLayer prices; anything that cannot be booked is reported and queued whole.',
  variables: {
    page_size: { description: 'Purchases per page from SparkLayer (1 to 500).', default: '500' },
    live_types: { description: 'filter-live-orders live_types: the purchase types that are orders to book.', default: 'order' },
    live_statuses: { description: 'filter-live-orders live_statuses: empty books every status.', default: '' },
    on_account_mode: { description: 'map-order-to-lightspeed-x on_account_mode: release (an on-account sale) or hold (a parked sale) for Pay on Account orders.', default: 'hold' },
    user_id: { description: 'map-order-to-lightspeed-x user_id: the X-Series user (cashier) every sale is booked by, a UUID. No default: X-Series requires it.' },
    register_id: { description: 'map-order-to-lightspeed-x register_id: the X-Series register the sales are booked on; empty lets X-Series decide.', default: '' },
    shipping_product_id: { description: 'map-order-to-lightspeed-x shipping_product_id: the X-Series product shipping is booked as; empty makes every order that charges shipping an exception.', default: '' },
    store_currency: { description: 'map-order-to-lightspeed-x store_currency: the store\'s ISO currency; an order in another is an exception. Empty: not checked.', default: '' },
    notify_email_group: { description: 'Who hears about an order that was not booked (a Patchworks notification group).', default: 'Order desk' },
  },
  lookups: {
    account_map: { description: 'SparkLayer Company ID to the X-Series customer id (a UUID, not the customer code).', required: true },
    product_map: { description: 'SKU (after unit_map) to the X-Series product id (a UUID).', required: true },
    tax_ids: { description: 'Tax rate in percent (20; 0 for untaxed lines) to the X-Series tax id (the tax named No Tax for 0).', required: true },
    unit_map: { description: 'Pack SKU to base SKU and pack size, e.g. MUG-CASE12 -> MUG*12.', required: false },
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
      name: 'Find the X-Series customer',
      step: 'resolve-erp-account',
      // This flow has no shape that creates X-Series customers, so an unmapped company is always an exception.
      variables: { account_map: '{{lookups.account_map}}', unmapped_action: 'exception' },
    },
    {
      type: 'script',
      name: 'Build X-Series sales',
      step: 'map-order-to-lightspeed-x',
      variables: {
        on_account_mode: '{{flow.variables.on_account_mode}}',
        user_id: '{{flow.variables.user_id}}',
        register_id: '{{flow.variables.register_id}}',
        shipping_product_id: '{{flow.variables.shipping_product_id}}',
        store_currency: '{{flow.variables.store_currency}}',
        product_map: '{{lookups.product_map}}',
        tax_ids: '{{lookups.tax_ids}}',
        unit_map: '{{lookups.unit_map}}',
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
              try: [{ type: 'connection', name: 'Upsert X-Series sale', connector: 'lightspeed-x', endpoint: 'CreateSale' }],
              catch: [
                {
                  type: 'notify',
                  name: 'Tell the order desk (refused)',
                  level: 'error',
                  message: 'Lightspeed X-Series refused SparkLayer order [[payload.source.id]] (sale [[payload.id]]): [[meta.error_message]] ({{flow.variables.notify_email_group}})',
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
