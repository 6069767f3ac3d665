/**
 * What a back-end tells the order flow's generic steps about a booking, beside its mapper (model/order-mapper.ts):
 * which SparkLayer purchase a body built for it is for (keep-order-queue), and, where its create is not safe to
 * repeat, how the look-up before the create is read (skip-booked-sales). Each back-end declares its own in
 * `connectors/<backend>/booking.ts`; connectors/backends.ts lists them.
 */
import type * as z from 'zod';

/** What a look-up answer says: a sale booked (named), no such sale (of how many listed), or nothing readable (why). */
export type Reading = { booked: string } | { none: true; sales?: number } | { unreadable: string };

/** How a back-end whose create is not safe to repeat is asked whether the sale is booked already. */
export interface LookUp {
  /** What the look-up is (`found` holds its answer), for the step's setting: e.g. `GET /sales/{id}`. */
  answer: string;
  /** The body's fields `key` reads, as the step checks them. */
  fields: Record<string, z.ZodType>;
  /** What names the sale in the body the flow means to create; undefined or empty: nothing does. */
  key(body: unknown): string | undefined;
  /** Why a body gives no key, for SALE_NOT_IDENTIFIABLE. */
  unidentifiable: string;
  /** The look-up's answer about the sale `key` names. A count of sales only where the answer comes in pages. */
  read(key: string, found: unknown): Reading;
}

export interface Booking {
  /** The SparkLayer purchase a body the pack built is for (where the mapper wrote it); undefined when it names none. */
  purchaseOf(body: unknown): string | undefined;
  /** Only for a create that is not safe to repeat: the flow then looks each sale up before creating it. */
  lookUp?: LookUp;
}

/** A short, safe picture of an answer for an exception message: its kind and first characters, never the whole. */
export function glimpse(found: unknown): string {
  const text = typeof found === 'string' ? found : JSON.stringify(found);
  const kind =
    found === null ? 'null' : Array.isArray(found) ? 'a list' : typeof found === 'string' ? 'text' : typeof found;
  return `${kind} ${JSON.stringify((text ?? '').slice(0, 60))}`;
}

/** Names as a setting's description lists its choices: `a, b or c`. */
export function orList(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)!}`;
}
