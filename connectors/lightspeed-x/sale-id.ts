/**
 * The X-Series sale id the pack gives a SparkLayer order. X-Series lets the client supply a sale's id ("User-provided
 * sale ID. If not included, one will be generated.", SaleRequest in
 * https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml), a UUID. The pack derives it from the SparkLayer
 * purchase id with a name-based UUID, version 5 (SHA-1; RFC 9562 §5.5, https://www.rfc-editor.org/rfc/rfc9562#section-5.5):
 * the same purchase always gets the same sale id, so a re-run finds and updates its sale instead of creating another,
 * and the mapper stays pure (no clock, no randomness, no lookup). Node's own crypto does the hashing.
 */
import { createHash } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The RFC 9562 URL namespace (Appendix C). */
export const NAMESPACE_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** A name-based (SHA-1) UUID, version 5, of `name` in `namespace`. */
export function uuidV5(namespace: string, name: string): string {
  if (!UUID.test(namespace)) throw new RangeError(`${namespace} is not a UUID`);
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The pack's own namespace for X-Series sale ids. */
export const SALE_ID_NAMESPACE = uuidV5(NAMESPACE_URL, 'urn:sparklayer-patchworks-pack:lightspeed-x:sale');

/** The X-Series sale id of a SparkLayer purchase (its purchase_identifiers.sparklayer). */
export function saleIdFor(purchaseId: string): string {
  return uuidV5(SALE_ID_NAMESPACE, purchaseId);
}

/** X-Series ids are UUIDs (customers, products, taxes, users, registers). */
export function isXSeriesId(value: string): boolean {
  return UUID.test(value);
}

/** The SparkLayer purchase a sale body the pack made is for: its `source.id` (sale-mapper.ts writes it). */
export function purchaseIdOfSale(body: unknown): string | undefined {
  const id = (body as { source?: { id?: unknown } } | null)?.source?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * X-Series' answer to GET /sales/{id} for a sale it does not hold: a 404 with its error body, `{error, message}`
 * (the shape of every X-Series error, https://x-series-api.lightspeedhq.com/docs/rate_limiting). The title "Not Found"
 * is unverified: no recorded 404 yet. The look-up before a create passes a sale on only on this answer.
 */
export const SALE_NOT_FOUND = { error: 'Not Found', message: 'Sale not found' } as const;
