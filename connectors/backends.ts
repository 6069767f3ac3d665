/**
 * The back-ends orders are booked into, one entry each, and the one place the order flow's generic steps
 * (keep-order-queue, skip-booked-sales), the spine (patchworks/blueprint/order-flow.ts) and `pack validate` learn their
 * names. Adding a back-end is its folder and its entry here (docs/guide/adding-an-erp.md); a test checks every entry
 * is a registered system. Shipped in the steps' bundles: it names each back-end's booking only, never its mapper.
 */
import type { Booking, LookUp } from '../model/booking.js';
import { lightspeedRBooking } from './lightspeed-r/booking.js';
import { lightspeedXBooking } from './lightspeed-x/booking.js';
import { netsuiteBooking } from './netsuite/booking.js';

export const BACKENDS = {
  netsuite: netsuiteBooking,
  'lightspeed-x': lightspeedXBooking,
  'lightspeed-r': lightspeedRBooking,
} as const satisfies Record<string, Booking>;

export type Backend = keyof typeof BACKENDS;
/** The back-ends whose create is not safe to repeat: the flow looks a sale up before creating it. */
export type LookUpBackend = { [K in Backend]: (typeof BACKENDS)[K] extends { lookUp: LookUp } ? K : never }[Backend];
