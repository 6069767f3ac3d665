/**
 * Lightspeed Retail (X-Series) endpoints as connection shapes (contracts/flow-endpoint.ts), by operationId in
 * openapi.json (trimmed from https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml).
 */
import { objectPayload, type ConnectorEndpoints, type EndpointRequest } from '../../../contracts/flow-endpoint.js';
import { LIGHTSPEED_X_API_VERSION } from './config.js';
import { isXSeriesId } from '../sale-id.js';
import type { SaleRequest } from '../schemas.js';

/** The sale body a CreateSale shape sends, with the client-supplied id it is upserted under. */
function saleBody(request: EndpointRequest): SaleRequest & { id: string } {
  const body = objectPayload(request);
  const id = typeof body.id === 'string' ? body.id.trim() : '';
  if (!isXSeriesId(id)) {
    throw new Error(
      `the sale has no id (a UUID), got ${JSON.stringify(body.id) ?? 'none'}: send the body ` +
        `map-order-to-lightspeed-x makes, whose id is derived from the SparkLayer purchase id so that a ` +
        `re-run updates the sale instead of booking the order twice`,
    );
  }
  return body as SaleRequest & { id: string };
}

export const lightspeedXEndpoints: ConnectorEndpoints = {
  /**
   * POST /api/2026-07/inventory (ListInventoryRecords): the stock flow's pull, every record changed after the
   * variable `after` (the cursor the last run kept; empty reads all), deleted products' included, oldest first. One
   * payload per page, each the bare array X-Series answers; connectors/lightspeed-x/stock-reader.ts reads them.
   */
  ListInventoryRecords: {
    access: 'read',
    describe: (request) =>
      `POST /${LIGHTSPEED_X_API_VERSION}/inventory after ${request.variables.after?.trim() || 0} (include_deleted)`,
  },
  /** GET /api/2026-07/products?deleted=true (ListProducts): every product changed after `after`, deleted ones too. */
  ListProducts: {
    access: 'read',
    describe: (request) =>
      `GET /${LIGHTSPEED_X_API_VERSION}/products?deleted=true&after=${request.variables.after?.trim() || 0}`,
  },
  /**
   * GET /api/2026-07/search?type=sales&state=… (Search): the stock flow's parked sales, all pages, as one payload
   * `{data: [...]}`; lightspeed-x-stock-levels reads their lines. Only sales by state: no flow searches otherwise.
   */
  Search: {
    access: 'read',
    describe: ({ variables }) =>
      `GET /${LIGHTSPEED_X_API_VERSION}/search?type=${variables.type ?? ''}&state=${variables.state ?? ''}`,
  },
  /** GET /sales/{id}: the order flow's look-up before create; a sale not there outputs the 404's error body, as the
   * shape lets it through (allow_unsuccessful_statuses). */
  GetSaleByID: {
    access: 'read',
    describe: (request) => `GET /${LIGHTSPEED_X_API_VERSION}/sales/${request.variables.sale_id ?? ''}`,
  },
  /**
   * POST /api/2026-07/sales (https://x-series-api.lightspeedhq.com/docs/sales_101_date_versioned; CreateSale in
   * https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml), described for `--live`, which holds it. The flow
   * sends it only after its look-up (GetSaleByID on the body's derived sale id, then skip-booked-sales) finds none.
   */
  CreateSale: {
    access: 'write',
    describe: (request) => {
      const id = saleBody(request).id;
      return (
        `POST /${LIGHTSPEED_X_API_VERSION}/sales id ${id} (sent by the flow only when its look-up finds no ` +
        `sale with that id)`
      );
    },
  },
};
