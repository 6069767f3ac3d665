/**
 * skip-booked-sales: the decision in a Lightspeed order flow's look-up-before-create. The flow looks the sale up just
 * before booking it (connection shape, allow_unsuccessful_statuses) and hands this step the sale body it means to
 * POST (`records`, from the flow-run cache) beside what the look-up answered (`found`). A sale already booked for the
 * same SparkLayer purchase is skipped as `already_booked`, so a re-run, a replay or a lost data pool never books the
 * order twice; any other passes on to the POST.
 *
 * A sale passes on only on an answer the step recognises as "no such sale"; anything else (an error body the shape let
 * through, an HTML page, an answer about another sale, a whole unwrapped list) is LOOK_UP_UNREADABLE, the sale kept
 * whole for the order queue: under allow_unsuccessful_statuses a 401, 429 or 5xx body would otherwise read as "not
 * booked" and a create that is not idempotent would book the order twice.
 *
 * - lightspeed-x: `found` is GET /sales/{id}'s answer: `{data: {id}}` when the sale with the derived id exists
 *   (https://x-series-api.lightspeedhq.com/docs/sales_101_date_versioned); when it does not, the 404's error body
 *   (SALE_NOT_FOUND, whose title is unverified). An error body with another title is not "no such sale".
 * - lightspeed-r: `found` is Find sales' `Sale` (one object for one match, an array for several, none for no match:
 *   https://developers.lightspeedhq.com/retail/introduction/introduction/; unwrapped, a match-less answer is
 *   `{"@attributes": {"count": "0", …}}`), searched by referenceNumber, referenceNumberSource and customerID with
 *   SaleNotes loaded. Find sales answers no match with an empty list, never an error, so its look-up lets no error
 *   through. A customer may reuse a PO number, so the sale must also name the same purchase in its internal note
 *   (https://developers.lightspeedhq.com/retail/tutorials/salenotes/), exactly (`p-1` is not `p-12`), and be neither
 *   voided nor archived. Each page of the look-up reaches this step on its own, so a full page with no match is not
 *   taken for "none booked" (LOOK_UP_INCOMPLETE). A match on an earlier page still leaves a later page's copy free to
 *   pass: the flow's look-up must not page past one (see docs/steps/skip-booked-sales.md).
 */
import * as z from 'zod';
import { purchaseMarkerIn } from '../../connectors/lightspeed-r/constants.js';
import { SALE_NOT_FOUND } from '../../connectors/lightspeed-x/sale-id.js';
import { choiceSetting, countSetting } from '../../runtime/settings.js';
import { defineStep, fail, pass, skip, type Outcome } from '../../runtime/step.js';

type Code = 'SALE_NOT_IDENTIFIABLE' | 'LOOK_UP_MISSING' | 'LOOK_UP_INCOMPLETE' | 'LOOK_UP_UNREADABLE';

const saleBody = z.looseObject({
  id: z.string().optional(),
  SaleNotes: z.looseObject({ InternalNote: z.looseObject({ note: z.string().optional() }).optional() }).optional(),
});
type SaleBody = z.infer<typeof saleBody>;

/** The id this step reports a sale body by: the X-Series sale id, else the R-Series purchase marker. */
function bookingId(record: unknown): string | null {
  const body = record as SaleBody | null;
  if (typeof body?.id === 'string') return body.id;
  return purchaseMarkerIn(body?.SaleNotes?.InternalNote?.note) ?? null;
}

/** What a look-up answer says: a sale booked (its id), no such sale, or nothing this step can read (and why). */
type Reading = { booked: string } | { none: true; sales?: number } | { unreadable: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** A short, safe picture of an answer for the exception message: its kind and first characters, never the whole. */
function glimpse(found: unknown): string {
  const text = typeof found === 'string' ? found : JSON.stringify(found);
  const kind =
    found === null ? 'null' : Array.isArray(found) ? 'a list' : typeof found === 'string' ? 'text' : typeof found;
  return `${kind} ${JSON.stringify((text ?? '').slice(0, 60))}`;
}

function readX(body: SaleBody, found: unknown): Reading {
  if (isObject(found) && isObject(found.data)) {
    const id = found.data.id;
    if (id === body.id) return { booked: String(id) };
    return { unreadable: `the answer is for sale ${JSON.stringify(id)}, not ${body.id}` };
  }
  if (isObject(found) && !Object.hasOwn(found, 'data') && typeof found.error === 'string') {
    if (found.error === SALE_NOT_FOUND.error) return { none: true };
    return { unreadable: `X-Series answered an error: ${found.error.slice(0, 60)}` };
  }
  return { unreadable: `not a sale or a "Not Found" answer: ${glimpse(found)}` };
}

/** A flag R-Series sends as text ("true"); anything but true leaves the sale live, so it counts as booked. */
const isTrue = (flag: unknown) => flag === true || flag === 'true';

function readR(marker: string, found: unknown): Reading {
  if (found === null || (Array.isArray(found) && found.length === 0)) return { none: true, sales: 0 };
  if (isObject(found) && isObject(found['@attributes']) && !Object.hasOwn(found, 'Sale'))
    return found['@attributes'].count === '0' || found['@attributes'].count === 0
      ? { none: true, sales: 0 }
      : { unreadable: `an unwrapped Find sales answer with no Sale: ${glimpse(found)}` };
  const sales = Array.isArray(found) ? found : [found];
  if (!sales.every((sale) => isObject(sale) && Object.hasOwn(sale, 'saleID')))
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
    LOOK_UP_UNREADABLE: {
      owner: 'integration',
      action:
        'The look-up answered something that is neither a sale nor "no such sale" (an error the shape let ' +
        'through such as a 401 or 429, an HTML page, an answer about another sale), so the sale is not ' +
        'booked: it waits in the order queue and the next run looks it up again. If it repeats, check the ' +
        "connector's credentials and the back-end's status page.",
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
      const found = beside.found;
      if (system === 'lightspeed-x') {
        if (typeof body.id !== 'string' || body.id === '')
          return fail('SALE_NOT_IDENTIFIABLE', 'the sale body has no id');
        return decide(readX(body, found));
      }
      const marker = purchaseMarkerIn(body.SaleNotes?.InternalNote?.note);
      if (marker === undefined)
        return fail('SALE_NOT_IDENTIFIABLE', 'the sale names no SparkLayer purchase in SaleNotes.InternalNote.note');
      const reading = readR(marker, found);
      if ('none' in reading && pageSize > 0 && (reading.sales ?? 0) >= pageSize) {
        return fail(
          'LOOK_UP_INCOMPLETE',
          `the look-up gave a full page of ${reading.sales} sales, none for ${marker}: there may be more pages`,
        );
      }
      return decide(reading);
    }),
});

function decide(reading: Reading): Outcome<Code> {
  if ('booked' in reading) return skip(`already_booked:${reading.booked}`);
  if ('none' in reading) return pass();
  return fail(
    'LOOK_UP_UNREADABLE',
    `the look-up's answer is not readable, so the sale is not booked: ${reading.unreadable}`,
  );
}
