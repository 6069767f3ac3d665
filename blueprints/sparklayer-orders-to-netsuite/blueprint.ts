// SparkLayer orders into NetSuite as sales orders: what the flow is for and its diagram are in README.md beside this.
import { defineBlueprint } from '../../patchworks/blueprint/blueprint.js';

const POOL = 'sparklayer-orders-netsuite';

export default defineBlueprint({
  key: 'sparklayer-orders-to-netsuite',
  title: 'SparkLayer orders to NetSuite',
  purpose: 'Every 15 minutes, books each new live SparkLayer order into NetSuite once, as a sales order on the right customer, with SparkLayer prices; anything that cannot be booked is reported and queued whole.',
  variables: {
    page_size: { description: 'Purchases per page from SparkLayer (1 to 500).', default: '500' },
    live_types: { description: 'filter-live-orders live_types: the purchase types that are orders to book.', default: 'order' },
    live_statuses: { description: 'filter-live-orders live_statuses: empty books every status.', default: '' },
    unmapped_action: { description: 'resolve-erp-account unmapped_action: exception or create.', default: 'exception' },
    on_account_mode: { description: 'map-order-to-netsuite on_account_mode: release or hold Pay on Account orders.', default: 'hold' },
    tax_mode: { description: 'map-order-to-netsuite tax_mode: override (SparkLayer\'s tax) or netsuite (SuiteTax calculates).', default: 'override' },
    notify_email_group: { description: 'Who hears about an order that was not booked (a Patchworks notification group).', default: 'Order desk' },
  },
  lookups: {
    account_map: { description: 'SparkLayer Company ID to the NetSuite customer internal ID.', required: true },
    item_ids: { description: 'SKU to NetSuite item internal ID.', required: true },
    unit_map: { description: 'Pack SKU to base SKU and pack size, e.g. MUG-CASE12 -> MUG*12.', required: false },
    tax_codes: { description: 'SparkLayer tax rate to NetSuite tax code internal ID.', required: false },
    currency_ids: { description: 'ISO currency code to NetSuite currency internal ID.', required: true },
    ship_methods: { description: 'SparkLayer shipping method name to NetSuite ship item internal ID.', required: false },
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
      name: 'Find the NetSuite customer',
      step: 'resolve-erp-account',
      variables: { account_map: '{{lookups.account_map}}', unmapped_action: '{{flow.variables.unmapped_action}}' },
    },
    {
      type: 'script',
      name: 'Build NetSuite sales orders',
      step: 'map-order-to-netsuite',
      variables: {
        on_account_mode: '{{flow.variables.on_account_mode}}',
        tax_mode: '{{flow.variables.tax_mode}}',
        item_ids: '{{lookups.item_ids}}',
        unit_map: '{{lookups.unit_map}}',
        tax_codes: '{{lookups.tax_codes}}',
        currency_ids: '{{lookups.currency_ids}}',
        ship_methods: '{{lookups.ship_methods}}',
      },
    },
    {
      type: 'branch',
      name: 'Book or report',
      branches: [
        {
          name: 'book',
          shapes: [
            { type: 'flow-control', name: 'One sales order per payload', path: 'records', size: 1 },
            {
              type: 'try-catch',
              name: 'Catch refused orders',
              try: [
                { type: 'connection', name: 'Upsert NetSuite sales order', connector: 'netsuite', endpoint: 'upsertSalesOrder', variables: { externalId: '[[payload.externalId]]' } },
              ],
              catch: [
                { type: 'notify', name: 'Tell the order desk (refused)', level: 'error', message: 'NetSuite refused SparkLayer order [[payload.externalId]]: [[meta.error_message]] ({{flow.variables.notify_email_group}})' },
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
