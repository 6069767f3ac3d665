/**
 * Small facts shared by the client, the mapper and the fake R-Series; kept apart from client.ts so that the bundled
 * script step (which must not carry axios) can use them.
 */

/** The SKU fields an item can be found by (https://developers.lightspeedhq.com/retail/endpoints/Item/). */
export const SKU_FIELDS = ['customSku', 'systemSku', 'upc', 'ean', 'manufacturerSku'] as const;
export type SkuField = (typeof SKU_FIELDS)[number];

/** The external system the pack names in a sale's referenceNumberSource (https://developers.lightspeedhq.com/retail/endpoints/Sale/). */
export const REFERENCE_SOURCE = 'SparkLayer';

/** The Credit Account payment type: "always 4" (https://developers.lightspeedhq.com/retail/tutorials/creditacounts/). */
export const CREDIT_ACCOUNT_PAYMENT_TYPE = 4;

/** The marker a sale's internal note carries for its SparkLayer purchase: what a re-run looks for. */
export function purchaseMarker(purchaseId: string): string {
  return `SparkLayer purchase ${purchaseId}`;
}

/** The marker read back from a note: `SparkLayer purchase <id>`. */
export function purchaseMarkerIn(note: string | undefined): string | undefined {
  const match = note === undefined ? null : /SparkLayer purchase [^\s;]+/.exec(note);
  return match?.[0];
}

/** The SparkLayer purchase a sale body the pack made is for: the id in its internal note's marker. */
export function purchaseIdOfSale(body: unknown): string | undefined {
  const note = (body as { SaleNotes?: { InternalNote?: { note?: unknown } } } | null)?.SaleNotes?.InternalNote?.note;
  return purchaseMarkerIn(typeof note === 'string' ? note : undefined)?.slice(purchaseMarker('').length);
}
