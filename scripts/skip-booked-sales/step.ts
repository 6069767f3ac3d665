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
 * Each back-end that looks up before creating says in its booking (connectors/<backend>/booking.ts, listed in
 * connectors/backends.ts) what names the sale, and how its look-up's answer reads. Where the answer comes a page at a
 * time, each page reaches this step on its own, so a full page with no match is not taken for "none booked"
 * (LOOK_UP_INCOMPLETE). A match on an earlier page still leaves a later page's copy free to pass: the flow's look-up
 * must not page past one (see docs/steps/skip-booked-sales.md).
 */
import * as z from 'zod';
import { BACKENDS, type LookUpBackend } from '../../connectors/backends.js';
import { orList, type Booking, type LookUp, type Reading } from '../../model/booking.js';
import { choiceSetting, countSetting } from '../../runtime/settings.js';
import { defineStep, fail, pass, skip, type Outcome } from '../../runtime/step.js';

type Code = 'SALE_NOT_IDENTIFIABLE' | 'LOOK_UP_MISSING' | 'LOOK_UP_INCOMPLETE' | 'LOOK_UP_UNREADABLE';

/** The back-ends that look a sale up before creating it, each with how, in the list's order. */
const LOOK_UPS = Object.entries<Booking>(BACKENDS).flatMap(([system, booking]) =>
  booking.lookUp ? [[system as LookUpBackend, booking.lookUp] as const] : [],
);
const lookUpOf = new Map<string, LookUp>(LOOK_UPS);
const LOOK_UP_CHOICES = orList(LOOK_UPS.map(([system, lookUp]) => `${system} (${lookUp.answer})`));

const saleBody = z.looseObject(Object.assign({}, ...LOOK_UPS.map(([, lookUp]) => lookUp.fields)));

/** The id this step reports a sale body by: what the first back-end that can name the sale names it by. */
function bookingId(record: unknown): string | null {
  for (const [, lookUp] of LOOK_UPS) {
    const key = lookUp.key(record);
    if (key !== undefined) return key;
  }
  return null;
}

export const step = defineStep({
  key: 'skip-booked-sales',
  title: 'Skip sales already booked',
  purpose:
    'Passes on a sale body for a back-end whose create is not safe to repeat only when the look-up just before it ' +
    'found no sale booked for the same SparkLayer purchase.',
  settings: {
    page_size: countSetting({
      description:
        "The look-up's page size (R-Series Find sales' limit). A full page may not be the last, and " +
        'Patchworks hands each page on as a payload of its own, so a full page that names no sale for ' +
        'the purchase is LOOK_UP_INCOMPLETE, not a sale to book. 0: no check.',
      default: 100,
    }),
    system: choiceSetting({
      description: `Whose look-up \`found\` holds: ${LOOK_UP_CHOICES}.`,
      default: 'lightspeed-r',
      choices: LOOK_UPS.map(([system]) => system),
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
  rule: (bodies: readonly unknown[], { system, page_size: pageSize }, beside): Outcome<Code>[] =>
    bodies.map((body) => {
      // Absent is not "none found": without the look-up's answer, booking could book the order twice.
      if (!Object.hasOwn(beside, 'found')) return fail('LOOK_UP_MISSING', 'no look-up answer (found) beside the sale');
      const lookUp = lookUpOf.get(system)!;
      const key = lookUp.key(body);
      if (!key) return fail('SALE_NOT_IDENTIFIABLE', lookUp.unidentifiable);
      const reading = lookUp.read(key, beside.found);
      if ('none' in reading && pageSize > 0 && (reading.sales ?? 0) >= pageSize) {
        return fail(
          'LOOK_UP_INCOMPLETE',
          `the look-up gave a full page of ${reading.sales} sales, none for ${key}: there may be more pages`,
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
