// SparkLayer orders into Lightspeed Retail (X-Series) as sales: what the flow is for and its diagram are in README.md
// beside this.
import { ON_ACCOUNT_HELD_BY_DEFAULT, orderFlowBlueprint } from '../../patchworks/blueprint/order-flow.js';
import { promoted } from '../../patchworks/blueprint/promoted.js';
import { step as mapOrder } from '../../connectors/lightspeed-x/map-order/step.js';

/** The map step's settings this flow promotes to flow variables: on_account_mode held, as in every order flow. */
const MAP = promoted(mapOrder, ['on_account_mode', 'user_id', 'register_id', 'shipping_product_id', 'store_currency'], {
  overrides: { on_account_mode: ON_ACCOUNT_HELD_BY_DEFAULT },
});

export default orderFlowBlueprint({
  key: 'sparklayer-orders-to-lightspeed-x',
  title: 'SparkLayer orders to Lightspeed X-Series',
  purpose:
    'Every 15 minutes, books each new live SparkLayer order into Lightspeed Retail (X-Series) once, as a ' +
    'sale on the right customer, with SparkLayer prices; anything that cannot be booked is reported and ' +
    'queued whole.',
  system: 'lightspeed-x',
  pool: 'sparklayer-orders-lightspeed-x',
  accountMapHolds: 'the X-Series customer id (a UUID, not the customer code)',
  variables: {
    ...MAP.variables,
  },
  lookups: {
    product_map: { description: 'SKU (after unit_map) to the X-Series product id (a UUID).', required: true },
    tax_ids: {
      description: 'Tax rate in percent (20; 0 for untaxed lines) to the X-Series tax id (the tax named No Tax for 0).',
      required: true,
    },
  },
  resolveName: 'Find the X-Series customer',
  map: {
    name: 'Build X-Series sales',
    step: 'map-order-to-lightspeed-x',
    variables: {
      ...MAP.placeholders,
      product_map: '{{lookups.product_map}}',
      tax_ids: '{{lookups.tax_ids}}',
    },
  },
  book: {
    splitName: 'One sale per payload',
    // What a second POST of the same sale id does is not documented: look the derived id up, then create once.
    lookUp: {
      key: '[[payload.id]]',
      find: {
        type: 'connection',
        name: 'Find the X-Series sale',
        connector: 'lightspeed-x',
        endpoint: 'GetSaleByID',
        variables: { sale_id: '[[payload.id]]' },
      },
      // GET /sales/{id} answers 404 for a sale id it does not hold.
      noSuchSale: '404',
    },
    write: {
      type: 'connection',
      name: 'Create X-Series sale',
      connector: 'lightspeed-x',
      endpoint: 'CreateSale',
      retries: 0,
    },
  },
});
