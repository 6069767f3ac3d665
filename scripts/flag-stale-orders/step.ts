/**
 * flag-stale-orders (pack-contract §5; issue 18, item 3): the SparkLayer orders still not shipped long after they were
 * placed, each told to its owner once a run. Input: SparkLayer purchases, with the canonical fulfilments (pack-contract
 * §5, model/fulfilment.ts) beside as `fulfilments`. Output: the orders on time, as they came.
 *
 * The rule, per purchase:
 * - Only a live order (purchase `type` `order`, as filter-live-orders reads it) is judged; every other purchase (a
 *   cart, a quote…) continues.
 * - It is read with the pack's purchase readers: its id (connectors/sparklayer/purchase.ts purchaseId) and its placed
 *   time, lines and payment method (connectors/sparklayer/canonical-order.ts toCanonicalOrder: `placedAt` is
 *   `dates.placed_at`, else `dates.created_at`).
 * - "Lines not all shipped": model/fulfilment.ts purchaseProgress adds up, per SKU, what shipped against what the
 *   order's lines ordered; an order is all shipped when every ordered SKU has shipped at least its ordered quantity.
 *   What shipped comes from two places, each back-end transaction counted once:
 *   - the purchase's own shipment packages, as the fulfilment flows write them (connectors/sparklayer/packages.ts
 *     readPackages: a package of `type` `shipment`, its back-end transaction id as `identifiers.internal`; UNVERIFIED);
 *   - the fulfilments beside naming this purchase (`purchase_id`). A fulfilment and a shipment package with the same
 *     transaction id are one shipment: the fulfilment, read from the back-end, is counted in its place.
 *   What the order ordered is the line items of its packages other than shipment and return packages (as every
 *   purchase reader counts them: toCanonicalOrder), so a shipment written back never counts as more ordered.
 *   Only a fulfilment whose `status` is `shipped` counts as shipped: one `picked` or `packed` is still in the
 *   warehouse. A fulfilment with no `status` is a shipment (the canonical fulfilment of pack-contract §5 has no status
 *   field; the NetSuite reader reads a missing shipStatus the same). Returns do not unship: an entry with
 *   `returned_at` (a canonical return) and a return package are not read here. `fulfilments` absent or empty (the
 *   stale-orders flow passes none) leaves the shipment packages alone to say what shipped.
 * - Its age is `as_of` − placed time, in hours. An order not all shipped whose age is MORE than the threshold is
 *   flagged (pack-contract §5: "placed more than `stale_after_hours` before `as_of`"); exactly at it, it is still on
 *   time; one placed after `as_of` (a replay pinned earlier) is young. A threshold of 0 turns its check off (as
 *   countSetting's 0 means "no limit" elsewhere).
 * - Held orders (issue 18): a Pay on Account order (canonical paymentMethod `on_account`) that the order flows book
 *   held for finance is not expected to ship until finance releases it. This step cannot see the back-end's hold, so
 *   it follows the same setting the map-order steps book by, `on_account_mode` (scripts/map-order-step.ts raises
 *   ON_ACCOUNT_HELD for a Pay on Account order with on_account_mode=hold). Its default here is `hold`, as the order
 *   flows book them (patchworks/blueprint/order-flow.ts ON_ACCOUNT_HELD_BY_DEFAULT; a test keeps the two the same):
 *   with `hold`, a Pay on Account order not all shipped is judged by `held_after_hours` and is HELD_TOO_LONG (finance)
 *   instead of STALE_ORDER; with `release`, it is judged like any other order.
 * - The message names the placed time, the threshold and what is still to ship, never the age: it stays the same
 *   from run to run until something ships, so a flow's exception loop tells it once, not every run (the age in hours,
 *   the placed time and as_of are in the exception's `details`).
 * - The clock is the `as_of` setting (ISO 8601; empty: the moment the step runs, logged), so the rule stays pure: a
 *   given input and `as_of` always give the same output.
 *
 * What cannot be read: a purchase without an id or a documented type is the runtime's INVALID_RECORD; a live order
 * the canonical reader refuses (no lines, a line without SKU or quantity, no currency…), a shipment package line
 * without SKU or quantity, or no placed time is INVALID_ORDER naming the field; each carries the whole record and the
 * others go on. A fulfilment beside that cannot be read fails only the judgement of the purchase it names: that
 * purchase is INVALID_FULFILMENT, naming the fulfilment's index and field (`fulfilments[3].lines[0].quantity: …`),
 * since its shipped quantities cannot be known; one whose purchase cannot be told is an INVALID_FULFILMENT exception
 * of its own. A `fulfilments` that is not a list fails the step (the runtime's rule for data beside).
 *
 * Not done: the issue's optional "working hours" (ages are wall-clock hours, weekends included); a Shopify
 * order_format (the purchases are SparkLayer's).
 */
import * as z from 'zod';
import {
  canonicalOrderSourceSchema,
  OrderReadError,
  toCanonicalOrder,
} from '../../connectors/sparklayer/canonical-order.js';
import { readPackages } from '../../connectors/sparklayer/packages.js';
import { purchaseId, purchaseIdentifiersSchema, purchaseTypeSchema } from '../../connectors/sparklayer/purchase.js';
import type { Purchase } from '../../connectors/sparklayer/schemas.js';
import { FULFILMENT_STATUSES, purchaseProgress, type Fulfilment } from '../../model/fulfilment.js';
import { MoneyError, toDecimal } from '../../model/money.js';
import { formatPath } from '../../runtime/envelope.js';
import { parseInstant } from '../../runtime/instant.js';
import { withoutNulls } from '../../runtime/nulls.js';
import { countSetting, instantSetting } from '../../runtime/settings.js';
import { onAccountModeSetting } from '../order-settings.js';
import {
  defineStep,
  fail,
  pass,
  type ExceptionCode,
  type Outcome,
  type RuleResult,
  type Unmatched,
} from '../../runtime/step.js';

const HOUR = 3_600_000;

const CODES = {
  STALE_ORDER: {
    owner: 'operations',
    action:
      'The order was placed in SparkLayer more than stale_after_hours ago and its lines are not all shipped (the ' +
      'message gives when it was placed and what is still to ship). Find it in the back-end by the SparkLayer ' +
      'purchase id: pick and ship it, or, if it cannot ship (no stock, an address problem), tell customer service ' +
      'so the customer hears; cancel it in both systems if it will not ship. It is flagged again each run until ' +
      'shipped.',
  },
  HELD_TOO_LONG: {
    owner: 'finance',
    action:
      'A Pay on Account order, booked held for finance (on_account_mode=hold), was placed more than held_after_hours ' +
      'ago and is still not all shipped (the message gives when it was placed). Check ' +
      "the company's credit and release the order in the back-end for fulfilment, or cancel it with the customer. " +
      'It is flagged again each run until shipped.',
  },
  INVALID_ORDER: {
    owner: 'customer service',
    action:
      'The SparkLayer order cannot be read (the message names the field: no placed time, a line without SKU or ' +
      'quantity, no currency…), so whether it is stale cannot be told. Check the order in SparkLayer, then replay.',
  },
  INVALID_FULFILMENT: {
    owner: 'integration',
    action:
      'A fulfilment beside the orders cannot be read (the message names its index in `fulfilments` and the ' +
      "field), so the order's shipped quantities cannot be known. Fix the flow that reads the back-end's " +
      'fulfilments, then replay.',
  },
} as const satisfies Record<string, ExceptionCode>;
type Code = keyof typeof CODES;

/** Only what says which purchase it is and whether it is a live order; the rest is read for live orders alone. */
const purchaseRecordSchema = z.looseObject({
  purchase_identifiers: purchaseIdentifiersSchema,
  type: purchaseTypeSchema,
});
type PurchaseRecord = z.infer<typeof purchaseRecordSchema>;

const text = z.string().trim().min(1, 'must not be blank');
const quantity = z
  .union([z.string(), z.number()], { error: 'must be a decimal quantity such as 2 or "2.5"' })
  .transform((value, ctx) => {
    try {
      const decimal = toDecimal(value, 'quantity');
      if (decimal.lt(0)) ctx.addIssue({ code: 'custom', message: `${String(value)} is below 0` });
      return decimal;
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not a decimal quantity` });
      return z.NEVER;
    }
  });

/**
 * A canonical fulfilment as JSON (pack-contract §5): read into model/fulfilment.ts's Fulfilment. `status` absent is a
 * shipment; `source` and `shipped_at` are not read by this step and default to empty.
 */
const fulfilmentSchema = z.looseObject({
  purchase_id: text,
  transaction_id: z.union([text, z.number().transform(String)]),
  source: z.string().default(''),
  status: z.enum(FULFILMENT_STATUSES).default('shipped'),
  shipped_at: z.string().default(''),
  carrier: z.string().optional(),
  tracking_number: z.string().optional(),
  tracking_url: z.string().optional(),
  location: z.string().optional(),
  lines: z.array(z.looseObject({ sku: text, quantity, location: z.string().optional() })),
});

/** Each fulfilment beside, read; or the purchases whose judgement an unreadable one spoils. */
function readFulfilments(raw: readonly unknown[]) {
  const shipped: Fulfilment[] = [];
  const unreadable = new Map<string, string[]>();
  const orphans: Unmatched<Code>[] = [];
  raw.forEach((entry, index) => {
    const value = withoutNulls(entry);
    if (value !== null && typeof value === 'object' && 'returned_at' in value) return;
    const parsed = fulfilmentSchema.safeParse(value);
    if (parsed.success) {
      if (parsed.data.status === 'shipped') shipped.push(parsed.data);
      return;
    }
    const message = parsed.error.issues
      .map((issue) => `${formatPath(['fulfilments', index, ...issue.path])}: ${issue.message}`)
      .join('; ');
    const owner = text.safeParse((value as { purchase_id?: unknown } | null)?.purchase_id);
    if (owner.success) unreadable.set(owner.data, [...(unreadable.get(owner.data) ?? []), message]);
    else orphans.push({ id: null, record: entry, code: 'INVALID_FULFILMENT', message });
  });
  return { shipped, unreadable, orphans };
}

export const step = defineStep({
  key: 'flag-stale-orders',
  title: 'Flag stale orders',
  purpose:
    'Flags the SparkLayer orders placed long ago whose lines are not all shipped (to operations), and the Pay on ' +
    'Account orders held for finance too long (to finance); every other purchase continues.',
  settings: {
    stale_after_hours: countSetting({
      description: 'Hours after an order was placed after which, not all shipped, it is STALE_ORDER; 0: never.',
      default: 48,
    }),
    held_after_hours: countSetting({
      description:
        'Hours after a held Pay on Account order was placed after which, not all shipped, it is HELD_TOO_LONG; ' +
        '0: never.',
      default: 24,
    }),
    on_account_mode: onAccountModeSetting(
      'Held: judged by held_after_hours (HELD_TOO_LONG); released: like any order. Set it as the flow books them.',
      'hold',
    ),
    as_of: instantSetting({ description: "This run's instant, that ages are counted to. Empty: the clock." }),
  },
  exceptionCodes: CODES,
  record: { schema: purchaseRecordSchema, id: purchaseId, checkOnly: true },
  beside: z.looseObject({
    fulfilments: z.array(z.unknown(), { error: 'fulfilments must be a list of canonical fulfilments' }).default([]),
  }),
  rule: (
    purchases: readonly PurchaseRecord[],
    { stale_after_hours: staleHours, held_after_hours: heldHours, on_account_mode: onAccountMode, as_of: asOf },
    { fulfilments },
  ): RuleResult<Code> => {
    const { shipped, unreadable, orphans } = readFulfilments(fulfilments);
    const outcomes = purchases.map((purchase): Outcome<Code> => {
      if (purchase.type !== 'order') return pass();
      const source = canonicalOrderSourceSchema.safeParse(purchase);
      if (!source.success)
        return fail(
          'INVALID_ORDER',
          source.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; '),
        );
      const packages = readPackages(purchaseId(purchase)!, source.data.packages);
      if (typeof packages === 'string') return fail('INVALID_ORDER', packages);
      let order;
      try {
        order = toCanonicalOrder(source.data as Purchase);
      } catch (error) {
        if (!(error instanceof OrderReadError)) throw error;
        return fail('INVALID_ORDER', error.message);
      }
      const placedAt = parseInstant(order.placedAt);
      if (placedAt === undefined)
        return fail(
          'INVALID_ORDER',
          order.placedAt === undefined
            ? 'dates.placed_at: missing (and no dates.created_at), so its age cannot be told'
            : `dates.placed_at: ${JSON.stringify(order.placedAt)} is not an ISO 8601 date-time`,
        );
      const spoilt = unreadable.get(order.id);
      if (spoilt !== undefined)
        return fail('INVALID_FULFILMENT', `${order.id}: ${spoilt.join('; ')}; its shipped quantities are unknown`);

      // Packages first, then the fulfilments beside: of one transaction, the last fed (the back-end's read) counts.
      const progress = purchaseProgress(order.id, order.lines, [...packages.shipped, ...shipped], []);
      const toShip = progress.lines.filter((line) => line.fulfilled.lt(line.ordered));
      if (toShip.length === 0) return pass();

      const held = order.paymentMethod === 'on_account' && onAccountMode === 'hold';
      const limit = held ? heldHours : staleHours;
      const age = asOf - placedAt;
      if (limit === 0 || age <= limit * HOUR) return pass();
      const ageHours = Number((age / HOUR).toFixed(2));
      const unshipped = toShip.map(({ sku, ordered, fulfilled }) => ({
        sku,
        ordered: ordered.toFixed(),
        shipped: fulfilled.toFixed(),
      }));
      const still = unshipped.map((line) => `${line.sku} ${line.shipped} of ${line.ordered}`).join(', ');
      // No age in the message: it stays the same from run to run while nothing ships, so the exception loop tells it
      // once (keep-exception-queue tells again when a code or message changes); the age is in the details.
      const since = `placed ${new Date(placedAt).toISOString()}`;
      const details = {
        age_hours: ageHours,
        placed_at: new Date(placedAt).toISOString(),
        as_of: new Date(asOf).toISOString(),
        unshipped,
      };
      return held
        ? fail(
            'HELD_TOO_LONG',
            `Pay on Account order held for finance, ${since}, more than held_after_hours ${limit} before as_of; ` +
              `shipped ${still}`,
            details,
          )
        : fail(
            'STALE_ORDER',
            `not all shipped, ${since}, more than stale_after_hours ${limit} before as_of; shipped ${still}`,
            details,
          );
    });
    return { outcomes, unmatched: orphans };
  },
});
