/**
 * Lightspeed Retail (X-Series) endpoints as connection shapes (patchworks/runner/flow-endpoint.ts), by operationId in
 * openapi.json (trimmed from https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml).
 */
import { objectPayload, type ConnectorEndpoints, type EndpointRequest } from '../../patchworks/runner/flow-endpoint.js';
import type { LightspeedXClient } from './client.js';
import { LIGHTSPEED_X_API_VERSION } from './config.js';
import { isXSeriesId } from './sale-id.js';
import type { SaleRequest } from './schemas.js';

/** The sale body a CreateSale shape sends, with the client-supplied id it is upserted under. */
function saleBody(request: EndpointRequest): SaleRequest & { id: string } {
  const body = objectPayload(request);
  const id = typeof body.id === 'string' ? body.id.trim() : '';
  if (!isXSeriesId(id)) {
    throw new Error(
      `the sale has no id (a UUID), got ${JSON.stringify(body.id) ?? 'none'}: send the body map-order-to-lightspeed-x makes, whose id is derived from the SparkLayer purchase id so that a re-run updates the sale instead of booking the order twice`,
    );
  }
  return body as SaleRequest & { id: string };
}

export const lightspeedXEndpoints: ConnectorEndpoints<LightspeedXClient> = {
  /**
   * POST /api/2026-07/sales (https://x-series-api.lightspeedhq.com/docs/sales_101_date_versioned; CreateSale in
   * https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml), sent idempotently through the client's
   * upsertSale: the body's client-supplied sale id ("User-provided sale ID") is looked up first
   * (GET /api/2026-07/sales/{id}), and a sale already there is updated with PUT /api/2026-07/sales/{id} (UpdateSale)
   * instead of being created again. A Patchworks retry or a re-run of the same order never makes a second sale.
   */
  CreateSale: {
    access: 'write',
    async call(client, request) {
      return (await client.upsertSale(saleBody(request))).created ? 'created' : 'updated';
    },
    describe: (request) => {
      const id = saleBody(request).id;
      return `POST /${LIGHTSPEED_X_API_VERSION}/sales id ${id} (PUT /${LIGHTSPEED_X_API_VERSION}/sales/${id} when it exists)`;
    },
  },
};
