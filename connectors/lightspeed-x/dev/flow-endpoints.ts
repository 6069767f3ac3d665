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

/** A version cursor variable (`after`): empty for none, else a whole number. */
function versionVariable(request: EndpointRequest, name: string): number | undefined {
  const value = request.variables[name]?.trim() ?? '';
  if (value === '') return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw new Error(
      `the connection shape's variable "${name}" is a version (a whole number), not ${JSON.stringify(value)}`,
    );
  return Number(value);
}

export const lightspeedXEndpoints: ConnectorEndpoints<LightspeedXClient> = {
  /**
   * POST /api/2026-07/inventory (ListInventoryRecords): the stock flow's pull, every record changed after the
   * variable `after` (the cursor the last run kept; empty reads all), deleted products' included, oldest first. One
   * payload per page, each the bare array X-Series answers; connectors/lightspeed-x/stock-reader.ts reads them.
   */
  ListInventoryRecords: {
    access: 'read',
    async call(client, request) {
      const pages: unknown[] = [];
      for await (const page of client.inventoryRecordPages({ after: versionVariable(request, 'after') }))
        pages.push(page.records);
      return pages;
    },
    describe: (request) =>
      `POST /${LIGHTSPEED_X_API_VERSION}/inventory after ${request.variables.after?.trim() || 0} (include_deleted)`,
  },
  /** GET /api/2026-07/products?deleted=true (ListProducts): every product changed after `after`, deleted ones too. */
  ListProducts: {
    access: 'read',
    async call(client, request) {
      return [{ data: (await client.listProducts({ after: versionVariable(request, 'after') })).products }];
    },
    describe: (request) =>
      `GET /${LIGHTSPEED_X_API_VERSION}/products?deleted=true&after=${request.variables.after?.trim() || 0}`,
  },
  /**
   * GET /api/2026-07/search?type=sales&state=… (Search): the stock flow's parked sales, all pages, as one payload
   * `{data: [...]}`; lightspeed-x-stock-levels reads their lines. Only sales by state: no flow searches otherwise.
   */
  Search: {
    access: 'read',
    async call(client, request) {
      const type = requiredVariable(request, 'type');
      const state = requiredVariable(request, 'state');
      if (type !== 'sales' || !['parked', 'pending', 'voided', 'closed'].includes(state))
        throw new Error(
          `the Search shape reads sales by state (parked, pending, voided or closed), not ${type} ${state}`,
        );
      return [{ data: await client.searchSales(state as 'parked' | 'pending' | 'voided' | 'closed') }];
    },
    describe: ({ variables }) =>
      `GET /${LIGHTSPEED_X_API_VERSION}/search?type=${variables.type ?? ''}&state=${variables.state ?? ''}`,
  },
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
