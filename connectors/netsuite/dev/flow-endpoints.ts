/**
 * NetSuite REST endpoints as connection shapes (contracts/flow-endpoint.ts), by operationId in openapi.json
 * (https://system.netsuite.com/help/helpcenter/en_US/APIs/REST_API_Browser/record/v1/2025.1/index.html).
 */
import { requiredVariable, type ConnectorEndpoints } from '../../../contracts/flow-endpoint.js';
import type { NetSuiteClient } from './client.js';
import { NetSuiteApiError } from './errors.js';

export const netsuiteEndpoints: ConnectorEndpoints<NetSuiteClient> = {
  /** PUT …/salesOrder/eid:<externalId>: creates the order or updates the one a re-run already made. */
  upsertSalesOrder: {
    access: 'write',
    describe: (request) => `PUT /record/v1/salesOrder/eid:${request.variables.externalId ?? ''}`,
  },
  getSalesOrder: {
    access: 'read',
    call: async (client, request) => [await client.getSalesOrder(requiredVariable(request, 'id'))],
    describe: (request) => `GET /record/v1/salesOrder/${request.variables.id ?? ''}`,
  },
  /**
   * GET …/salesOrder/eid:<externalId>, with the header totals NetSuite computed. A 404 outputs nothing, so a step
   * downstream reports the order it could not find (reconcile-order-totals: MISSING_IN_TARGET).
   */
  getSalesOrderByExternalId: {
    access: 'read',
    async call(client, request) {
      try {
        return [await client.getSalesOrderByExternalId(requiredVariable(request, 'externalId'))];
      } catch (error) {
        if (error instanceof NetSuiteApiError && error.details.status === 404) return [];
        throw error;
      }
    },
    describe: (request) => `GET /record/v1/salesOrder/eid:${request.variables.externalId ?? ''}`,
  },
  getCustomer: {
    access: 'read',
    call: async (client, request) => [await client.getCustomer(requiredVariable(request, 'id'))],
    describe: (request) => `GET /record/v1/customer/${request.variables.id ?? ''}`,
  },
  /** Every page of the query `q`, one payload per page of rows. */
  runSuiteQL: {
    access: 'read',
    async call(client, request) {
      const pages: unknown[] = [];
      for await (const page of client.suiteqlPages(requiredVariable(request, 'q'))) pages.push(page);
      return pages;
    },
    describe: (request) => `POST /query/v1/suiteql ${request.variables.q ?? ''}`,
  },
};
