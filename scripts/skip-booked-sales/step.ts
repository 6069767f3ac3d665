/**
 * skip-booked-sales: the decision in a Lightspeed order flow's look-up-before-create. The flow looks the sale up just
 * before booking it (connection shape, allow_unsuccessful_statuses) and hands this step the sale body it means to
 * POST (`records`, from the flow-run cache) beside what the look-up answered (`found`). A sale already booked for the
 * same SparkLayer purchase is skipped as `already_booked`, so a re-run, a replay or a lost data pool never books the
 * order twice; any other passes on to the POST.
 *
 * - lightspeed-x: `found` is GET /sales/{id}'s answer: `{data: {id}}` when the sale with the derived id exists
 *   (https://x-series-api.lightspeedhq.com/docs/sales_101_date_versioned), a 404 problem when it does not.
 * - lightspeed-r: `found` is Find sales' `Sale` (one object for one match, an array for several, none for no match:
 *   https://developers.lightspeedhq.com/retail/introduction/introduction/), searched by referenceNumber,
 *   referenceNumberSource and customerID with SaleNotes loaded. A customer may reuse a PO number, so the sale must
 *   also name the same purchase in its internal note (https://developers.lightspeedhq.com/retail/tutorials/salenotes/)
 *   and be neither voided nor archived. Each page of the look-up reaches this step on its own, so a full page with no
 *   match is not taken for "none booked" (LOOK_UP_INCOMPLETE). A match on an earlier page still leaves a later page's
 *   copy free to pass: the flow's look-up must not page past one (see docs/steps/skip-booked-sales.md).
 */
import * as z from 'zod';
import { purchaseMarkerIn } from '../../connectors/lightspeed-r/constants.js';
import { choiceSetting, countSetting } from '../../runtime/settings.js';
import { defineStep, fail, pass, skip, type Outcome } from '../../runtime/step.js';

type Code = 'SALE_NOT_IDENTIFIABLE' | 'LOOK_UP_MISSING' | 'LOOK_UP_INCOMPLETE';

const saleBody = z.looseObject({
  id: z.string().optional(),
  SaleNotes: z.looseObject({ InternalNote: z.looseObject({ note: z.string().optional() }).optional() }).optional(),
});
type SaleBody = z.infer<typeof saleBody>;

type Found = Record<string, unknown> | unknown[] | null | undefined;

/** The id this step reports a sale body by: the X-Series sale id, else the R-Series purchase marker. */
function bookingId(record: unknown): string | null {
  const body = record as SaleBody | null;
  if (typeof body?.id === 'string') return body.id;
  return purchaseMarkerIn(body?.SaleNotes?.InternalNote?.note) ?? null;
}

function bookedInX(body: SaleBody, found: Found): string | undefined {
  const data = found && typeof found === 'object' && !Array.isArray(found) ? found.data : undefined;
  const id = data !== null && typeof data === 'object' ? (data as { id?: unknown }).id : undefined;
  return id !== undefined && id === body.id ? String(id) : undefined;
}

function bookedInR(marker: string, found: Found): string | undefined {
  const sales: unknown[] = Array.isArray(found)
    ? found
    : found && typeof found === 'object' && Object.keys(found).length > 0
      ? [found]
      : [];
  const match = sales.find((sale) => {
    if (sale === null || typeof sale !== 'object') return false;
    const s = sale as {
      voided?: unknown;
      archived?: unknown;
      SaleNotes?: { InternalNote?: { note?: unknown } } | null;
    };
    const note = s.SaleNotes?.InternalNote?.note;
    return (
      typeof note === 'string' &&
      note.includes(marker) &&
      s.voided !== true &&
      s.voided !== 'true' &&
      s.archived !== true &&
      s.archived !== 'true'
    );
  }) as { saleID?: unknown } | undefined;
  return match === undefined ? undefined : String(match.saleID ?? '?');
}

export const step = defineStep({
  key: 'skip-booked-sales',
  title: 'Skip sales already booked',
  purpose:
    'Passes on a Lightspeed sale body only when the look-up just before it found no sale booked for the ' +
    'same SparkLayer purchase.',
  settings: {
    page_size: countSetting({
      description:
        "The look-up's page size (R-Series Find sales' limit). A full page may not be the last, and " +
        'Patchworks hands each page on as a payload of its own, so a full page that names no sale for ' +
        'the purchase is LOOK_UP_INCOMPLETE, not a sale to book. 0: no check.',
      default: 100,
    }),
    system: choiceSetting({
      description: 'Whose look-up `found` holds: lightspeed-x (GET /sales/{id}) or lightspeed-r (Find sales).',
      default: 'lightspeed-r',
      choices: ['lightspeed-r', 'lightspeed-x'],
    }),
  },
  exceptionCodes: {
    SALE_NOT_IDENTIFIABLE: {
      owner: 'integration',
      action:
        'The sale body names no X-Series sale id or SparkLayer purchase (internal note), so a sale ' +
        'already booked cannot be found: send the body the map-order step makes, then replay the order.',
    },
    LOOK_UP_INCOMPLETE: {
      owner: 'customer service',
      action:
        'The look-up found a full page of sales with the same reference and customer, none naming this ' +
        'purchase, and there may be more pages: the sale is not booked. Check in R-Series whether the ' +
        'order is there (its internal note names the SparkLayer purchase); book it by hand or replay it ' +
        "once the customer's older sales with that PO are archived.",
    },
    LOOK_UP_MISSING: {
      owner: 'integration',
      action:
        'Nothing beside the sale says what the look-up found (`found`), so the sale is not booked: the ' +
        'flow must run the look-up and the map shape before this step. Fix the flow, then replay the order.',
    },
  },
  record: { schema: saleBody, id: bookingId, checkOnly: true },
  beside: z.looseObject({ found: z.unknown().optional() }),
  rule: (bodies: readonly SaleBody[], { system, page_size: pageSize }, beside): Outcome<Code>[] =>
    bodies.map((body) => {
      // Absent is not "none found": without the look-up's answer, booking could book the order twice.
      if (!Object.hasOwn(beside, 'found')) return fail('LOOK_UP_MISSING', 'no look-up answer (found) beside the sale');
      const found = beside.found as Found;
      if (system === 'lightspeed-x') {
        if (typeof body.id !== 'string' || body.id === '')
          return fail('SALE_NOT_IDENTIFIABLE', 'the sale body has no id');
        const booked = bookedInX(body, found);
        return booked === undefined ? pass() : skip(`already_booked:${booked}`);
      }
      const marker = purchaseMarkerIn(body.SaleNotes?.InternalNote?.note);
      if (marker === undefined)
        return fail('SALE_NOT_IDENTIFIABLE', 'the sale names no SparkLayer purchase in SaleNotes.InternalNote.note');
      const booked = bookedInR(marker, found);
      if (booked !== undefined) return skip(`already_booked:sale ${booked}`);
      if (pageSize > 0 && Array.isArray(found) && found.length >= pageSize) {
        return fail(
          'LOOK_UP_INCOMPLETE',
          `the look-up gave a full page of ${found.length} sales, none for ${marker}: there may be more pages`,
        );
      }
      return pass();
    }),
});
