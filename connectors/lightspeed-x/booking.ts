/**
 * X-Series' booking (model/booking.ts): a sale body names its purchase in `source.id`, and its create is not safe to
 * repeat, so the flow looks the sale up first by the id the pack derived for it (sale-id.ts). `found` is GET
 * /sales/{id}'s answer: `{data: {id}}` when the sale with the derived id exists
 * (https://x-series-api.lightspeedhq.com/docs/sales_101_date_versioned); when it does not, the 404's error body
 * (SALE_NOT_FOUND, whose title is unverified). An error body with another title is not "no such sale".
 */
import * as z from 'zod';
import { glimpse, type Booking, type Reading } from '../../model/booking.js';
import { isJsonObject } from '../../runtime/json-object.js';
import { purchaseIdOfSale, SALE_NOT_FOUND } from './sale-id.js';

function readLookUp(saleId: string, found: unknown): Reading {
  if (isJsonObject(found) && isJsonObject(found.data)) {
    const id = found.data.id;
    if (id === saleId) return { booked: String(id) };
    return { unreadable: `the answer is for sale ${JSON.stringify(id)}, not ${saleId}` };
  }
  if (isJsonObject(found) && !Object.hasOwn(found, 'data') && typeof found.error === 'string') {
    if (found.error === SALE_NOT_FOUND.error) return { none: true };
    return { unreadable: `X-Series answered an error: ${found.error.slice(0, 60)}` };
  }
  return { unreadable: `not a sale or a "Not Found" answer: ${glimpse(found)}` };
}

export const lightspeedXBooking = {
  purchaseOf: purchaseIdOfSale,
  lookUp: {
    answer: 'GET /sales/{id}',
    fields: { id: z.string().optional() },
    key: (body) => {
      const id = (body as { id?: unknown } | null)?.id;
      return typeof id === 'string' ? id : undefined;
    },
    unidentifiable: 'the sale body has no id',
    read: readLookUp,
  },
} satisfies Booking;
