/**
 * add-packages-to-purchases (pack-contract §5; issue 18): the purchase updates map-fulfilment-to-sparklayer makes (one
 * package each: `{ purchase_id, lookup_by, transaction_id, kind, shipped_at | returned_at, tracking_number?,
 * original_transaction_id?, package }`) become the whole SparkLayer purchases to PUT. SparkLayer's
 * `PUT /api/v1/purchases/{lookupBy}/{identifier}` replaces the whole purchase: "Send the whole purchase on every PUT",
 * and "calculated_* fields are computed by SparkLayer. Don't send them" (../shared/reference/sparklayer.md §6.1, §6.3,
 * §19; https://docs.sparklayer.io/developers/api/purchasing/create-update-purchase.md). The purchases, as SparkLayer's
 * GET returned them, ride beside the records as `purchases`.
 *
 * Each update, in input order:
 * - Linked by `purchase_id` to the purchase beside whose id (connectors/sparklayer/purchase.ts purchaseId) it is, the
 *   first of an id winning, as map-fulfilment-to-sparklayer links it. None: UNLINKED_FULFILMENT (a shipment) or
 *   UNLINKED_RETURN (a return). A purchase that cannot be read (purchaseSchema: `packages` not a package or a list of
 *   them…): INVALID_ORDER for each update linked to it. The update whole is kept in the exception; the others go on.
 * - Its package goes into the purchase's `packages`: one with the same `identifiers.internal` (the back-end
 *   transaction id, map-fulfilment-to-sparklayer packageOf) is replaced where it stands, never added twice; else it
 *   is added at the end. Several updates of one purchase: all their packages, in input order. An update whose package
 *   the purchase already holds as it is (every field the update gives equal; what SparkLayer adds to a package of its
 *   own is no change) is skipped `unchanged` and touches nothing, so a re-run of transactions already written sends
 *   no PUT at all.
 *
 * Output: one record per purchase touched, in the order of its first update that changes it: the purchase as it came
 * (field order and nulls kept), less every `calculated_*` key (withoutCalculated), with `packages` as above, plus two
 * fields that are not SparkLayer's: `lookup_by` (the `purchase_identifiers` key holding the purchase's id:
 * sparklayer, platform or visible, as map-fulfilment-to-sparklayer derives it) and `purchase_id`, the PUT's path
 * variables, read by the connection shape as `[[payload.lookup_by]]` and `[[payload.purchase_id]]` (as the
 * credit-hold flow's customer PUT reads `[[payload.id]]`). UNVERIFIED: whether SparkLayer ignores those two keys in
 * the body; a flow that finds it does not maps them out before the PUT.
 *
 * UNVERIFIED: `packages` is sent as an array. The PUT example (https://docs.sparklayer.io/tech-docs/createupdate-purchase,
 * legacy) shows it as one object though the field reads like a list (reference §6.3); the current page's body was not
 * read. A purchase that holds `packages` as one object is read as a one-element list.
 *
 * Counting (pack-contract §2, §5): the summary counts updates. `in` is the updates, `records` those whose package went
 * into a purchase; the purchase goes out with the first of them (passMany of one record), the others pass with no
 * record of their own (passMany of none), as plan-order-pull hands its feed on with its first record. So
 * records + skipped + exceptions = in holds per update, and the envelope's `records` list holds fewer entries than
 * the summary's `records` whenever a purchase had several updates; `purchases` in meta and the log counts them.
 *
 * Pure: no clock, no I/O.
 */
import * as z from 'zod';
import {
  nonBlank,
  packagesOf,
  purchaseId,
  purchaseLookup,
  withoutCalculated,
  type PurchaseIdKind,
} from '../../connectors/sparklayer/purchase.js';
import { purchaseSchema } from '../../connectors/sparklayer/schemas.js';
import { formatPath } from '../../runtime/envelope.js';
import { withoutNulls } from '../../runtime/nulls.js';
import { defineStep, fail, passMany, skip, type ExceptionCode, type Outcome } from '../../runtime/step.js';

const CODES = {
  UNLINKED_FULFILMENT: {
    owner: 'operations',
    action:
      'The shipment names no SparkLayer purchase among those fetched beside it (the message gives its purchase_id). ' +
      'Check the back-end order carries the SparkLayer purchase id and that the order exists in SparkLayer (or that ' +
      'the flow fetched it), then replay; SparkLayer is not told of the shipment until then.',
  },
  UNLINKED_RETURN: {
    owner: 'operations',
    action:
      'The return names no SparkLayer purchase among those fetched beside it (the message gives its purchase_id). ' +
      'Find the order it came back from, set the SparkLayer purchase id on the back-end return (or have the flow ' +
      'fetch that purchase), then replay.',
  },
  INVALID_ORDER: {
    owner: 'customer service',
    action:
      'The SparkLayer order a shipment or return belongs to cannot be read (the message names the field: packages ' +
      'that are not packages…), so it cannot be written back whole with the package added. Check the order in ' +
      'SparkLayer, then replay.',
  },
} as const satisfies Record<string, ExceptionCode>;
type Code = keyof typeof CODES;

/** An id: text with something in it, or a number. Checks only (the rule gets the record as it came). */
const id = (what: string) =>
  z.union([z.string().regex(/\S/, 'must not be blank'), z.number()], { error: `must be ${what}` });

/** A purchase update as map-fulfilment-to-sparklayer writes it; only what this step reads is checked. */
const recordSchema = z.looseObject({
  purchase_id: id('the SparkLayer purchase id'),
  transaction_id: id('the back-end transaction id'),
  kind: z.enum(['shipment', 'return'], { error: 'must be shipment or return' }),
  package: z.looseObject(
    { identifiers: z.looseObject({ internal: id("the back-end transaction id (the package's key)") }) },
    { error: 'must be the package to add' },
  ),
});
type Update = z.infer<typeof recordSchema>;

/** An update's id in skipped and exceptions: its back-end transaction id, as map-fulfilment-to-sparklayer's. */
function recordId(record: unknown): string | null {
  if (record === null || typeof record !== 'object') return null;
  return nonBlank((record as { transaction_id?: unknown }).transaction_id) ?? null;
}

/** A package's key: its `identifiers.internal`, as text; undefined for a package written without one. */
function packageKey(pkg: unknown): string | undefined {
  if (pkg === null || typeof pkg !== 'object') return undefined;
  const identifiers = (pkg as { identifiers?: unknown }).identifiers;
  if (identifiers === null || typeof identifiers !== 'object') return undefined;
  return nonBlank((identifiers as { internal?: unknown }).internal);
}

/**
 * Whether what SparkLayer holds already says all the update says: every key the update has, equal at any depth (a
 * list item by item, as long). What SparkLayer adds of its own (a sparklayer_package_id, calculated_* totals) is not
 * a change.
 */
function holds(stored: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted))
    return Array.isArray(stored) && stored.length === wanted.length && wanted.every((w, i) => holds(stored[i], w));
  if (wanted !== null && typeof wanted === 'object') {
    if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return false;
    return Object.entries(wanted).every(
      ([key, value]) => Object.hasOwn(stored, key) && holds((stored as Record<string, unknown>)[key], value),
    );
  }
  return Object.is(stored, wanted);
}

/** A purchase beside, being written: as it came, and its packages so far. */
interface Touched {
  id: string;
  lookupBy: PurchaseIdKind;
  raw: Record<string, unknown>;
  packages: unknown[];
}

/** A purchase beside, read: ready to take packages, or what cannot be read. */
function readPurchase(raw: unknown, index: number, id: string): Touched | string {
  const parsed = purchaseSchema.safeParse(withoutNulls(raw));
  if (!parsed.success)
    return parsed.error.issues
      .map((issue) => `${formatPath(['purchases', index, ...issue.path])}: ${issue.message}`)
      .join('; ');
  const purchase = raw as Record<string, unknown>;
  const { lookupBy } = purchaseLookup(purchase)!;
  const packages = packagesOf(purchase.packages);
  return { id, lookupBy, raw: purchase, packages };
}

/** The purchase to PUT: as it came less calculated_*, `packages` in its place (or last), and the PUT's path. */
function written({ id, lookupBy, raw, packages }: Touched): Record<string, unknown> {
  // UNVERIFIED: sent as an array (the legacy PUT example shows one object; see the header).
  const whole = { ...raw, packages };
  return { ...(withoutCalculated(whole) as Record<string, unknown>), lookup_by: lookupBy, purchase_id: id };
}

export const step = defineStep({
  key: 'add-packages-to-purchases',
  title: 'Add packages to purchases',
  purpose:
    'Puts each shipment or return package into the SparkLayer purchase it belongs to (replacing one with the same ' +
    'back-end transaction id), and hands on each purchase touched whole, less the fields SparkLayer computes, for ' +
    "SparkLayer's full-replace purchase PUT.",
  settings: {},
  exceptionCodes: CODES,
  record: { schema: recordSchema, id: recordId, checkOnly: true },
  beside: z.looseObject({
    purchases: z.array(z.unknown(), { error: 'purchases must be a list of SparkLayer purchases' }).default([]),
  }),
  rule: (records: readonly Update[], _settings, { purchases }) => {
    // The purchases beside, by id (the first of an id wins), read when an update first needs one.
    const byId = new Map<string, number>();
    purchases.forEach((raw, index) => {
      const found = purchaseId(raw);
      if (found !== null && !byId.has(found)) byId.set(found, index);
    });
    const reads = new Map<number, Touched | string>();
    /** Per purchase touched, the index of the update it goes out with. */
    const firstOf = new Map<Touched, number>();

    const outcomes = records.map((update, index): Outcome<Code> => {
      const wanted = nonBlank(update.purchase_id)!;
      const at = byId.get(wanted);
      if (at === undefined)
        return fail(
          update.kind === 'shipment' ? 'UNLINKED_FULFILMENT' : 'UNLINKED_RETURN',
          `purchase ${wanted} is not among the purchases beside the records`,
        );
      let purchase = reads.get(at);
      if (purchase === undefined) reads.set(at, (purchase = readPurchase(purchases[at], at, wanted)));
      if (typeof purchase === 'string') return fail('INVALID_ORDER', `purchase ${wanted}: ${purchase}`);
      const key = nonBlank(update.package.identifiers.internal)!;
      const same = purchase.packages.findIndex((pkg) => packageKey(pkg) === key);
      // Already there as the update has it: nothing to write (a re-run sends no PUT).
      if (same >= 0 && holds(purchase.packages[same], update.package)) return skip('unchanged');
      if (same >= 0) purchase.packages[same] = update.package;
      else purchase.packages.push(update.package);
      if (!firstOf.has(purchase)) firstOf.set(purchase, index);
      return passMany([]);
    });
    // Each purchase whole, once every update has added its package, with the first of its updates.
    for (const [purchase, index] of firstOf) outcomes[index] = passMany([written(purchase)]);
    return { outcomes, counts: { purchases: firstOf.size } };
  },
});
