/**
 * Lightspeed R-Series (Retail POS API V3) endpoints as connection shapes (patchworks/runner/flow-endpoint.ts), by
 * operationId in openapi.json, which cites each operation's page under https://developers.lightspeedhq.com/retail/.
 */
import { objectPayload, type ConnectorEndpoints, type EndpointRequest } from '../../patchworks/runner/flow-endpoint.js';
import type { LightspeedRClient } from './client.js';
import { purchaseMarkerIn } from './constants.js';
import { LightspeedRApiError, LightspeedRAuthError } from './errors.js';
import type { SaleCreate } from './schemas.js';

/**
 * The sale body a createSale shape sends. It must name its SparkLayer purchase in the internal note and carry a
 * referenceNumber: that is all `createSaleOnce` has to find a sale already booked, since R-Series has no external-id
 * upsert. A body without them could be booked twice, so it is refused before anything is sent.
 */
function saleBody(request: EndpointRequest): { body: SaleCreate; marker: string } {
  const body = objectPayload(request) as Partial<SaleCreate>;
  const marker = purchaseMarkerIn(typeof body.SaleNotes?.InternalNote?.note === 'string' ? body.SaleNotes.InternalNote.note : undefined);
  const reference = typeof body.referenceNumber === 'string' ? body.referenceNumber.trim() : '';
  if (marker === undefined || reference === '') {
    throw new Error(
      `the sale names no ${marker === undefined ? 'SparkLayer purchase in SaleNotes.InternalNote' : 'referenceNumber'}: send the body map-order-to-lightspeed-r makes, so that a retry or a re-run finds the sale it already booked instead of booking the order twice`,
    );
  }
  return { body: body as SaleCreate, marker };
}

/**
 * R-Series' refusal with its reason first: Patchworks cuts `[[meta.error_message]]` to 100 characters in a notify
 * message, and the request line ("POST /API/V3/Account/<id>/Sale.json failed: …") would use most of them. Auth
 * failures, rate limits and 5xx answers (whose message says whether the request may have been applied) pass as they are.
 */
function reasonFirst(error: unknown): unknown {
  if (!(error instanceof LightspeedRApiError) || error instanceof LightspeedRAuthError) return error;
  const { status, body, method, path } = error.details;
  if (status === 429 || status >= 500) return error;
  const reason = body === undefined ? 'no body' : typeof body === 'string' ? body : JSON.stringify(body);
  return new Error(`HTTP ${status} ${reason.slice(0, 300)} (${method} ${path.replace(/^\/API\/V3\/Account\/[^/]+/, '')})`, { cause: error });
}

export const lightspeedREndpoints: ConnectorEndpoints<LightspeedRClient> = {
  /**
   * POST /API/V3/Account/{accountID}/Sale.json with its SaleLines, SalePayments and SaleNotes in one payload
   * (https://developers.lightspeedhq.com/retail/endpoints/Sale/, https://developers.lightspeedhq.com/retail/tutorials/sales/),
   * sent through the client's `createSaleOnce`: GET Sale.json?referenceNumber=…&referenceNumberSource=…&customerID=…
   * first, and no POST when a sale there (not voided or archived) names the same SparkLayer purchase in its internal
   * note (https://developers.lightspeedhq.com/retail/tutorials/salenotes/). A Patchworks retry or a re-run of the
   * same order never books a second sale.
   */
  createSale: {
    access: 'write',
    async call(client, request) {
      const { body } = saleBody(request);
      try {
        return (await client.createSaleOnce(body)).created ? 'created' : 'unchanged';
      } catch (error) {
        throw reasonFirst(error);
      }
    },
    describe: (request) => {
      const { body, marker } = saleBody(request);
      return `POST /Sale.json for ${marker}, customer ${String(body.customerID)}, referenceNumber ${body.referenceNumber ?? ''} (not sent when a sale already names the purchase)`;
    },
  },
};
