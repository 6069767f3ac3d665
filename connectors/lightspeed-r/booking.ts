/**
 * R-Series' booking (model/booking.ts): a sale body names its purchase in its internal note's marker (constants.ts),
 * and its create is not safe to repeat, so the flow looks the sale up first. `found` is Find sales' `Sale` (one object
 * for one match, an array for several, none for no match:
 * https://developers.lightspeedhq.com/retail/introduction/introduction/; unwrapped, a match-less answer is
 * `{"@attributes": {"count": "0", …}}`), searched by referenceNumber, referenceNumberSource and customerID with
 * SaleNotes loaded. Find sales answers no match with an empty list, never an error, so its look-up lets no error
 * through. A customer may reuse a PO number, so the sale must also name the same purchase in its internal note
 * (https://developers.lightspeedhq.com/retail/tutorials/salenotes/), exactly (`p-1` is not `p-12`), and be neither
 * voided nor archived. The answer comes a page at a time, so it says how many sales it listed.
 */
import * as z from 'zod';
import { glimpse, type Booking, type Reading } from '../../model/booking.js';
import { isJsonObject } from '../../runtime/json-object.js';
import { purchaseIdOfSale, purchaseMarkerIn } from './constants.js';

/** A flag R-Series sends as text ("true"); anything but true leaves the sale live, so it counts as booked. */
const isTrue = (flag: unknown) => flag === true || flag === 'true';

function readLookUp(marker: string, found: unknown): Reading {
  if (found === null || (Array.isArray(found) && found.length === 0)) return { none: true, sales: 0 };
  if (isJsonObject(found) && isJsonObject(found['@attributes']) && !Object.hasOwn(found, 'Sale'))
    return found['@attributes'].count === '0' || found['@attributes'].count === 0
      ? { none: true, sales: 0 }
      : { unreadable: `an unwrapped Find sales answer with no Sale: ${glimpse(found)}` };
  const sales = Array.isArray(found) ? found : [found];
  if (!sales.every((sale) => isJsonObject(sale) && Object.hasOwn(sale, 'saleID')))
    return { unreadable: `not a list of R-Series sales: ${glimpse(found)}` };
  const match = (sales as Array<Record<string, unknown>>).find((sale) => {
    const notes = sale.SaleNotes as { InternalNote?: { note?: unknown } } | null | undefined;
    const note = notes?.InternalNote?.note;
    return (
      typeof note === 'string' && purchaseMarkerIn(note) === marker && !isTrue(sale.voided) && !isTrue(sale.archived)
    );
  });
  return match === undefined ? { none: true, sales: sales.length } : { booked: `sale ${String(match.saleID)}` };
}

type SaleWithNote = { SaleNotes?: { InternalNote?: { note?: string } } } | null;

export const lightspeedRBooking = {
  purchaseOf: purchaseIdOfSale,
  lookUp: {
    answer: 'Find sales',
    fields: {
      SaleNotes: z.looseObject({ InternalNote: z.looseObject({ note: z.string().optional() }).optional() }).optional(),
    },
    key: (body) => purchaseMarkerIn((body as SaleWithNote)?.SaleNotes?.InternalNote?.note),
    unidentifiable: 'the sale names no SparkLayer purchase in SaleNotes.InternalNote.note',
    read: readLookUp,
  },
} satisfies Booking;
