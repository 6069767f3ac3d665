/**
 * SparkLayer Purchasing API: the purchase fields the pack's steps read.
 * Sources: https://docs.sparklayer.io/tech-docs/purchasing-api (types, identifiers),
 * https://docs.sparklayer.io/tech-docs/lMM2-get-purchase (example response),
 * https://docs.sparklayer.io/developers/api/purchasing/get-purchase.md (lookupBy values).
 * Schemas are loose: SparkLayer may add fields, and steps pass records on unchanged.
 */
import * as z from 'zod';
import { parseInstant } from '../../runtime/instant.js';

/** Every purchase `type` SparkLayer documents. Only `order` is a confirmed sale. */
export const PURCHASE_TYPES = ['cart', 'quote', 'awaiting_approval', 'order_unconfirmed', 'order'] as const;
export type PurchaseType = (typeof PURCHASE_TYPES)[number];

/** The identifiers that name a purchase, in the order pack-contract §2 prefers them. */
const ID_PREFERENCE = ['sparklayer', 'platform', 'visible'] as const;

const identifierValue = z.union([z.string(), z.number()]).optional();

/** The four documented keys of `purchase_identifiers`; each is also a `lookupBy` value. */
export const purchaseIdentifierFields = {
  sparklayer: identifierValue,
  platform: identifierValue,
  internal: identifierValue,
  visible: identifierValue,
};

export const purchaseIdentifiersSchema = z
  .looseObject(purchaseIdentifierFields, {
    error: 'missing; a SparkLayer purchase carries purchase_identifiers.sparklayer',
  })
  .refine((ids) => ID_PREFERENCE.some((key) => nonBlank(ids[key]) !== undefined), {
    error: 'has none of sparklayer, platform or visible, so the purchase cannot be told apart from others',
  });

export const purchaseTypeSchema = z.enum(PURCHASE_TYPES, {
  error: (issue) =>
    issue.input === undefined
      ? `missing; every SparkLayer purchase has a type (one of ${PURCHASE_TYPES.join(', ')})`
      : `${JSON.stringify(issue.input)} is not a SparkLayer purchase type ` +
        `(expected one of ${PURCHASE_TYPES.join(', ')})`,
});

/** The part of a purchase that says what it is: identity, type and status. */
export const purchaseHeaderSchema = z.looseObject({
  purchase_identifiers: purchaseIdentifiersSchema,
  type: purchaseTypeSchema,
  status: z.string().optional(),
  calculated_fulfilment_status: z.string().optional(),
});
export type PurchaseHeader = z.infer<typeof purchaseHeaderSchema>;

/**
 * A purchase's stable id: `purchase_identifiers.sparklayer`, falling back to `platform`, then `visible`
 * (pack-contract §2). Total: any value, however malformed, gets an id or null.
 */
export function purchaseId(record: unknown): string | null {
  return purchaseLookup(record)?.id ?? null;
}

/** The identifier purchaseId takes, as the `{lookupBy}` of SparkLayer's purchase paths. */
export type PurchaseIdKind = (typeof ID_PREFERENCE)[number];

/** purchaseId with which identifier it is: the `{lookupBy}/{identifier}` a PUT of the purchase goes to. */
export function purchaseLookup(record: unknown): { id: string; lookupBy: PurchaseIdKind } | null {
  if (record === null || typeof record !== 'object') return null;
  const ids = (record as { purchase_identifiers?: unknown }).purchase_identifiers;
  if (ids === null || typeof ids !== 'object') return null;
  for (const key of ID_PREFERENCE) {
    const value = nonBlank((ids as Record<string, unknown>)[key]);
    if (value !== undefined) return { id: value, lookupBy: key };
  }
  return null;
}

/** A purchase's packages as a list: one object (as the docs' PUT example shows it) is a list of one; none, empty. */
export function packagesOf(held: unknown): unknown[] {
  return Array.isArray(held) ? [...held] : held === undefined || held === null ? [] : [held];
}

/** Trimmed text, or a finite number as text; undefined for anything blank or not a scalar. */
export function nonBlank(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

/**
 * The status a purchase reports. SparkLayer's docs name a status filter on the purchase list but show no
 * top-level `status` field on a purchase; the computed `calculated_fulfilment_status` is the only status
 * in their example response (https://docs.sparklayer.io/tech-docs/lMM2-get-purchase). Read `status` first
 * in case the current API carries one, then that.
 */
export function purchaseStatus(purchase: PurchaseHeader): string | undefined {
  return purchase.status ?? purchase.calculated_fulfilment_status;
}

/**
 * Where a purchase says when it last changed, in the order they are read. The only documented response that spells
 * its dates out (https://docs.sparklayer.io/tech-docs/lMM2-get-purchase) carries `dates.updated_at` and a top-level
 * `revision_date`, both ISO 8601 date-times with an offset. `dates.last_updated` is in no documented response, only in
 * the legacy list filter names (https://docs.sparklayer.io/tech-docs/gm4P-get-purchase); it is read last, for records
 * kept before the pack read the documented fields, until a real response is recorded.
 */
export const PURCHASE_CHANGE_TIME_FIELDS = ['dates.updated_at', 'revision_date', 'dates.last_updated'] as const;

/**
 * When a purchase last changed, as epoch milliseconds: the first of PURCHASE_CHANGE_TIME_FIELDS that reads as an
 * instant through runtime/instant.ts (the same on every host; no offset is UTC; an impossible date is refused and the
 * next field read). Undefined when none reads: the time is unknown, and a caller must not take that to mean
 * "unchanged" (nor "older" than anything). Total: any value, however malformed, gets an instant or undefined.
 */
export function purchaseChangedAt(record: unknown): number | undefined {
  if (record === null || typeof record !== 'object') return undefined;
  const { dates, revision_date: revisionDate } = record as { dates?: unknown; revision_date?: unknown };
  const dated = dates !== null && typeof dates === 'object' ? (dates as Record<string, unknown>) : {};
  return parseInstant(dated.updated_at) ?? parseInstant(revisionDate) ?? parseInstant(dated.last_updated);
}

/**
 * A purchase (or any part of one) as a PUT sends it: every `calculated_*` key left out, at any depth (the top-level
 * calculated_total…, and `dates.calculated_submitted_at`). SparkLayer computes them: "Omit calculated fields"
 * (https://docs.sparklayer.io/developers/api/purchasing/create-update-purchase.md). Everything else is kept as it
 * came, in its order, nulls included.
 */
export function withoutCalculated(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCalculated);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith('calculated_'))
      .map(([key, field]) => [key, withoutCalculated(field)]),
  );
}
