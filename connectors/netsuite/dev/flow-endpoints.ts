/**
 * NetSuite REST endpoints as connection shapes (contracts/flow-endpoint.ts), by operationId in openapi.json
 * (https://system.netsuite.com/help/helpcenter/en_US/APIs/REST_API_Browser/record/v1/2025.1/index.html).
 */
import type { ConnectorEndpoints } from '../../../contracts/flow-endpoint.js';

export const netsuiteEndpoints: ConnectorEndpoints = {
  /** PUT …/salesOrder/eid:<externalId>: creates the order or updates the one a re-run already made. */
  upsertSalesOrder: {
    access: 'write',
    describe: (request) => `PUT /record/v1/salesOrder/eid:${request.variables.externalId ?? ''}`,
  },
  getSalesOrder: {
    access: 'read',
    describe: (request) => `GET /record/v1/salesOrder/${request.variables.id ?? ''}`,
  },
  /**
   * GET …/salesOrder/eid:<externalId>, with the header totals NetSuite computed. A 404, let through by the shape
   * (allow_unsuccessful_statuses), tells a step downstream of the order it could not find (reconcile-order-totals:
   * MISSING_IN_TARGET).
   */
  getSalesOrderByExternalId: {
    access: 'read',
    describe: (request) => `GET /record/v1/salesOrder/eid:${request.variables.externalId ?? ''}`,
  },
  getCustomer: {
    access: 'read',
    describe: (request) => `GET /record/v1/customer/${request.variables.id ?? ''}`,
  },
  /** Every page of the query `q`, one payload per page of rows. */
  runSuiteQL: {
    access: 'read',
    describe: (request) => `POST /query/v1/suiteql ${request.variables.q ?? ''}`,
  },
};
