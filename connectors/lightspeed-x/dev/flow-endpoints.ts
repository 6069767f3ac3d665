/**
 * Lightspeed Retail (X-Series) endpoints as connection shapes (contracts/flow-endpoint.ts), by operationId in
 * openapi.json (trimmed from https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml).
 */
import {
  objectPayload,
  requiredVariable,
  type ConnectorEndpoints,
  type EndpointRequest,
} from '../../../contracts/flow-endpoint.js';
import type { LightspeedXClient } from './client.js';
import { LIGHTSPEED_X_API_VERSION } from './config.js';
import { isXSeriesId, SALE_NOT_FOUND } from '../sale-id.js';
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

export const lightspeedXEndpoints: ConnectorEndpoints<LightspeedXClient> = {
  /** GET /sales/{id}: the order flow's look-up before create; a sale not there outputs the 404's error body, as the
   * shape lets it through (allow_unsuccessful_statuses). */
  GetSaleByID: {
    access: 'read',
    async call(client, request) {
      const sale = await client.getSale(requiredVariable(request, 'sale_id'));
      return [sale === undefined ? SALE_NOT_FOUND : { data: sale }];
    },
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
