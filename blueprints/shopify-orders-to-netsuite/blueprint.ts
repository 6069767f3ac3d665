// SparkLayer's orders on a Shopify site, read from Shopify, into NetSuite as sales orders: what the flow is for and its
// diagram are in README.md beside this.
import { orderFlowBlueprint } from '../../patchworks/blueprint/order-flow.js';
import { NETSUITE_BOOKING } from '../sparklayer-orders-to-netsuite/blueprint.js';

export default orderFlowBlueprint({
  key: 'shopify-orders-to-netsuite',
  title: 'Shopify orders to NetSuite (SparkLayer on Shopify)',
  purpose:
    "Every 15 minutes, books each order SparkLayer's checkout booked into Shopify (a pay-later draft order or a paid " +
    'order) into NetSuite once, as a sales order on the right customer, with the prices SparkLayer charged; ' +
    'anything that cannot be booked is reported and queued whole.',
  source: 'shopify',
  // NETSUITE_BOOKING's pool, sparklayer-orders-netsuite: the one sparklayer-orders-to-netsuite keeps.
  ...NETSUITE_BOOKING,
});
