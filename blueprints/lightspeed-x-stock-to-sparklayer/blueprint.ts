// Lightspeed X-Series stock to SparkLayer: what the flow is for and its diagram are in README.md beside this.
import { INVENTORY_MAX_PAGE_SIZE, inventoryRequest } from '../../connectors/lightspeed-x/stock-reader.js';
import { promoted } from '../../patchworks/blueprint/promoted.js';
import { stockFlowBlueprint, type StockFlowSpec } from '../../patchworks/blueprint/stock-flow.js';
import { step as inventoryRequestStep } from '../../scripts/lightspeed-x-inventory-request/step.js';

// The first body's page size, the request step's setting; the stock check's manual payload reads the same variable.
const inventoryPageSize = promoted(inventoryRequestStep, ['inventory_page_size']);

/** The flow, declared once: lightspeed-x-stock-check reads the stock as it does. */
export const LIGHTSPEED_X_STOCK_FLOW: StockFlowSpec = {
  key: 'lightspeed-x-stock-to-sparklayer',
  dismissed: 'lightspeed-x-stock-to-sparklayer-dismissed',
  title: 'Lightspeed X-Series stock to SparkLayer',
  purpose:
    "Every 15 minutes, publishes Lightspeed X-Series' stock of every product at every outlet to SparkLayer " +
    '(batch-update-stock), less what open parked sales hold, only what moved since the last run; a batch SparkLayer ' +
    'refuses is sent again by the next run, and every level that cannot be published is reported to its owner.',
  locationIs: 'X-Series outlet ID (outlet_id)',
  read: [
    // The body of ListInventoryRecords' first page (connectors/lightspeed-x/stock-reader.ts): every record, deleted
    // products' too, oldest version first, inventory_page_size a page. Its pagination script
    // (connectors/lightspeed-x/inventory-pages.ts) sends it again with `after` = the highest version read, until a page
    // comes back empty: every record is read. `size` is the flow variable, a JSON number once filled.
    {
      type: 'manual-payload',
      name: 'The X-Series inventory request',
      payload: JSON.stringify(inventoryRequest({ size: INVENTORY_MAX_PAGE_SIZE })).replace(
        `"size":${INVENTORY_MAX_PAGE_SIZE}`,
        '"size":{{flow.variables.inventory_page_size}}',
      ),
    },
    // A read is safe to send again: Patchworks' most retries (a 429 included:
    // https://x-series-api.lightspeedhq.com/docs/rate_limiting).
    {
      type: 'connection',
      name: 'Read X-Series inventory',
      connector: 'lightspeed-x',
      endpoint: 'ListInventoryRecords',
      retries: 2,
    },
  ],
  // Each run reads only the records changed since the last: the body after the highest version of the records kept
  // (lightspeed-x-inventory-request; everything when none are kept), sent by a flow-control shape, then paged as
  // above.
  kept: {
    read: [
      {
        type: 'script',
        name: 'Plan the X-Series inventory read',
        step: 'lightspeed-x-inventory-request',
        variables: inventoryPageSize.placeholders,
      },
      { type: 'flow-control', name: 'The X-Series inventory request', path: 'requests', size: 1 },
      {
        type: 'connection',
        name: 'Read X-Series inventory',
        connector: 'lightspeed-x',
        endpoint: 'ListInventoryRecords',
        retries: 2,
      },
    ],
  },
  // The records name only their product: the products give the SKU, deleted or inactive, and the variant family.
  // deleted=true so that a deleted product's records are read as archived (publish 0), not as unknown. Read in full
  // every run, not since a version: a kept record's product must be there, and whether deleting a product changes its
  // records' version is unverified (connectors/lightspeed-x/stock-reader.ts), so a deletion is seen from the product.
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
  levels: { name: 'Read the X-Series stock levels', step: 'lightspeed-x-stock-levels' },
  // Parked sales have not lowered the level: read them with their lines, for the levels step to subtract. Sales are
  // searchable by state (Search in https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml).
  openOrders: {
    read: [
      {
        type: 'connection',
        name: 'Read X-Series parked sales',
        connector: 'lightspeed-x',
        endpoint: 'Search',
        variables: { type: 'sales', state: 'parked', page_size: '1000' },
        retries: 2,
      },
    ],
  },
  subtractOpenOrders: {
    default: 'yes',
    why:
      'A parked X-Series sale (state parked, legacy SAVED: what sparklayer-orders-to-lightspeed-x books for an order ' +
      'not released on account) lowers the inventory only "once the sale is marked as closed", while an on-account ' +
      'sale "will reduce the inventory" when it is made (https://x-series-api.lightspeedhq.com/docs/sales_statuses). ' +
      'So the flow reads the parked sales and subtracts their lines: yes (on-account sales are already out of the ' +
      'level and are not read). no publishes parked sales as still for sale (oversold). That a parked sale never ' +
      'lowers the level is read from that page by implication: unverified (connectors/lightspeed-x/stock-reader.ts).',
  },
  variables: {
    product_page_size: {
      description:
        'Products per page from X-Series (GET /products, page_size; the largest X-Series takes is not in the ' +
        'OpenAPI document: unverified). Every page is read ("Next page token" on after = version.max), every run: ' +
        'the products are not kept between runs.',
      default: '5000',
    },
    ...inventoryPageSize.variables,
  },
};

export default stockFlowBlueprint(LIGHTSPEED_X_STOCK_FLOW);
