/**
 * Lightspeed R-Series (Retail POS API V3) endpoints as connection shapes (contracts/flow-endpoint.ts), by
 * operationId in openapi.json, which cites each operation's page under https://developers.lightspeedhq.com/retail/.
 */
import { objectPayload, type ConnectorEndpoints, type EndpointRequest } from '../../../contracts/flow-endpoint.js';
import { purchaseMarkerIn } from '../constants.js';
import type { SaleCreate } from '../schemas.js';

/**
 * The sale body a createSale shape sends. It must name its SparkLayer purchase in the internal note and carry a
 * referenceNumber: that is all the flow's look-up (and the client's `createSaleOnce`) has to find a sale already
 * booked, since R-Series has no external-id
 * upsert. A body without them could be booked twice, so it is refused before anything is sent.
 */
function saleBody(request: EndpointRequest): { body: SaleCreate; marker: string } {
  const body = objectPayload(request) as Partial<SaleCreate>;
  const marker = purchaseMarkerIn(
    typeof body.SaleNotes?.InternalNote?.note === 'string' ? body.SaleNotes.InternalNote.note : undefined,
  );
  const reference = typeof body.referenceNumber === 'string' ? body.referenceNumber.trim() : '';
  if (marker === undefined || reference === '') {
    throw new Error(
      `the sale names no ` +
        `${marker === undefined ? 'SparkLayer purchase in SaleNotes.InternalNote' : 'referenceNumber'}: ` +
        `send the body map-order-to-lightspeed-r makes, so that a retry or a re-run finds the sale it ` +
        `already booked instead of booking the order twice`,
    );
  }
  return { body: body as SaleCreate, marker };
}

export const lightspeedREndpoints: ConnectorEndpoints = {
  /** Sales by referenceNumber (and source, and customer), with their notes: the order flow's look-up before create. */
  listSales: {
    access: 'read',
    describe: (request) => `GET /Sale.json referenceNumber ${request.variables.referenceNumber ?? ''}`,
  },
  /**
   * The stock read for the stock flow: GET /Item.json with load_relations ["ItemShops"], archived=true, every page
   * (one payload per page, each the answer as R-Series sends it: stock-reader.ts reads it), and with the `since`
   * variable only the items with an ItemShop modified since (ItemShops.timeStamp >=,since;
   * https://developers.lightspeedhq.com/retail/introduction/relations/, https://developers.lightspeedhq.com/retail/endpoints/ItemShop/).
   */
  listItems: {
    access: 'read',
    describe: (request) =>
      `GET /Item.json load_relations ["ItemShops"], archived=true` +
      (request.variables.since ? `, ItemShops.timeStamp >= ${request.variables.since}` : ''),
  },
  /**
   * POST /API/V3/Account/{accountID}/Sale.json with its SaleLines, SalePayments and SaleNotes in one payload
   * (https://developers.lightspeedhq.com/retail/endpoints/Sale/,
   * https://developers.lightspeedhq.com/retail/tutorials/sales/), described for `--live`, which holds it. The flow
   * sends it only after its look-up (listSales, then
   * skip-booked-sales) finds no sale naming the same SparkLayer purchase.
   */
  createSale: {
    access: 'write',
    describe: (request) => {
      const { body, marker } = saleBody(request);
      return (
        `POST /Sale.json for ${marker}, customer ${String(body.customerID)}, referenceNumber ` +
        `${body.referenceNumber ?? ''} (not sent when a sale already names the purchase)`
      );
    },
  },
};
