/**
 * SparkLayer's endpoints as connection shapes (contracts/flow-endpoint.ts), by operationId in openapi.json.
 * Paths and parameters: https://docs.sparklayer.io/developers/api (cited per operation in openapi.json).
 */
import { objectPayload, type ConnectorEndpoints, type EndpointRequest } from '../../../contracts/flow-endpoint.js';
import type { SparkLayerClient } from './client.js';

type CustomerLookup = Parameters<SparkLayerClient['getCustomer']>[0];
const CUSTOMER_LOOKUPS: readonly CustomerLookup[] = ['sparklayer', 'platform', 'email'];

function customerLookup(request: EndpointRequest): CustomerLookup {
  const lookupBy = request.variables.lookupBy?.trim() || 'sparklayer';
  if (!CUSTOMER_LOOKUPS.includes(lookupBy as CustomerLookup))
    throw new Error(`lookupBy must be one of ${CUSTOMER_LOOKUPS.join(', ')}, not ${JSON.stringify(lookupBy)}`);
  return lookupBy as CustomerLookup;
}

export const sparklayerEndpoints: ConnectorEndpoints = {
  getPurchases: {
    access: 'read',
    describe: () => 'GET /api/v1/purchases',
  },
  /**
   * One customer; a 404, let through by the shape (allow_unsuccessful_statuses), tells a step downstream of the
   * account it could not match.
   */
  getCustomer: {
    access: 'read',
    describe: (request) => `GET /api/v2/customers/${customerLookup(request)}/${request.variables.identifier ?? ''}`,
  },
  /** A full customer body (sync-credit-hold writes every field), PUT as it is: SparkLayer replaces the record. */
  upsertCustomer: {
    access: 'write',
    describe: (request) =>
      `PUT /api/v2/customers/${customerLookup(request)}/${request.variables.identifier ?? ''} ` +
      `${JSON.stringify(objectPayload(request)).length} bytes`,
  },
  /**
   * A POST that reads: the payload is the request body, {skus, filter: {all_stock_locations: true}}, as
   * plan-stock-fetch writes each one; one answer (the levels grouped by SKU) per request.
   */
  getBatchStock: {
    access: 'read',
    describe: (request) => `POST /api/v1/batch-fetch-stock ${JSON.stringify(objectPayload(request)).length} bytes`,
  },
  /**
   * The rows of map-stock-to-sparklayer, the payload sent as it is: one JSON array of { sku,
   * stock_location_external_id | stock_location_id, stock_level, … }. SparkLayer overwrites each SKU and location pair
   * sent and leaves the rest; a missing location external id or a repeated pair is a 400 for the whole request.
   */
  updateBatchStock: {
    access: 'write',
    describe: (request) => `POST /api/v1/batch-update-stock ${stockRows(request).length} rows`,
  },
};

/** A batch stock update's payload: the one JSON array it sends. */
function stockRows(request: EndpointRequest): unknown[] {
  if (!Array.isArray(request.payload)) {
    throw new Error(
      `updateBatchStock sends one JSON array of stock rows per payload, got ` +
        `${JSON.stringify(request.payload)?.slice(0, 80)}: pass map-stock-to-sparklayer's rows on as they are`,
    );
  }
  return request.payload;
}
