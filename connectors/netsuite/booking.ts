/**
 * NetSuite's booking (model/booking.ts): the sales order body names its purchase in `externalId`, and the upsert by
 * external ID is safe to repeat, so the flow books without looking up first.
 */
import type { Booking } from '../../model/booking.js';

/** The SparkLayer purchase a sales order body the pack made is for: its `externalId` (sales-order-mapper.ts). */
export function purchaseIdOfSalesOrder(body: unknown): string | undefined {
  const id = (body as { externalId?: unknown } | null)?.externalId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

export const netsuiteBooking = { purchaseOf: purchaseIdOfSalesOrder } satisfies Booking;
