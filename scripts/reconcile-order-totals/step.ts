/**
 * reconcile-order-totals: SparkLayer's order totals against what the back-end booked (pack-contract §4), so
 * month-end close does not stall on manual matching. Input `{source, target}`: SparkLayer purchases, and the
 * back-end's orders (the pack's target shape, or native NetSuite sales orders). SparkLayer is the truth: its
 * totals are summed from its line and shipping totals, in decimal.
 */
import Big from 'big.js';
import * as z from 'zod';
import { isoCurrency, netsuiteTargetOrderSchema } from '../../connectors/netsuite/reconcile-target.js';
import { canonicalOrderSourceSchema, OrderReadError } from '../../connectors/sparklayer/canonical-order.js';
import {
  CUSTOMER_NOT_LOOKED_UP,
  canonicalOrderOf,
  orderFormatSetting,
  shopifyOrderReader,
} from '../../connectors/shopify/order-format.js';
import { purchaseHeader } from '../../connectors/shopify/order-reader.js';
import { nonBlank, purchaseId } from '../../connectors/sparklayer/purchase.js';
import { purchaseSchema } from '../../connectors/sparklayer/schemas.js';
import { orderTotals, type CanonicalOrder } from '../../model/order.js';
import { compareTotals, describeDifferences, targetOrderSchema, type TargetOrder } from '../../model/reconciliation.js';
import { formatPath } from '../../runtime/envelope.js';
import { withoutNulls } from '../../runtime/nulls.js';
import { tableSetting } from '../../runtime/settings.js';
import { defineStep, fail, passWith, skip, type Outcome, type Unmatched } from '../../runtime/step.js';

type Code =
  | 'TOTAL_MISMATCH'
  | 'CURRENCY_MISMATCH'
  | 'MISSING_IN_TARGET'
  | 'UNKNOWN_TARGET_ORDER'
  | 'DUPLICATE_TARGET_ORDER'
  | 'INVALID_TARGET_ORDER'
  | 'UNRECONCILED_TARGET_ORDER'
  | 'INVALID_ORDER';

const sourceOrder = canonicalOrderSourceSchema.extend({ type: purchaseSchema.shape.type });
type SparkLayerSource = z.infer<typeof sourceOrder>;

/**
 * A Shopify order (order_format), read whole at the boundary: its purchase ids (the sparkCartId, and the Shopify name
 * as the visible one), its PO and type as filter-live-orders reads them (purchaseHeader: a quote draft is a quote),
 * and the canonical order. Its customer is not looked up: totals do not depend on it. One that cannot be read is its
 * INVALID_ORDER exception there, so a back-end order naming it is UNKNOWN_TARGET_ORDER.
 */
interface ShopifySource {
  purchase_identifiers: SparkLayerSource['purchase_identifiers'];
  customer_reference?: string;
  type: 'order' | 'quote';
  canonical: CanonicalOrder;
}
type SourceOrder = SparkLayerSource | ShopifySource;

function shopifySource(canonical: CanonicalOrder): ShopifySource {
  const { purchase_identifiers, type } = purchaseHeader(canonical);
  return {
    purchase_identifiers,
    type: type === 'quote' ? 'quote' : 'order',
    customer_reference: canonical.po,
    canonical,
  };
}

/** Every shape a target order may come in, read into the pack's: its own, then each back-end's native one. */
const anyTargetOrder = z.union([targetOrderSchema, netsuiteTargetOrderSchema], {
  error:
    'expected {reference, currency, net, tax, gross, shipping} or a NetSuite sales order with externalId ' +
    'and its totals',
});

const tolerance = z
  .union([z.string(), z.number()], { error: 'must be a decimal amount such as 0.01' })
  .transform((value) => String(value).trim())
  .refine((value) => /^\d+(\.\d+)?$/.test(value), 'must be a decimal amount of 0 or more, such as 0.01')
  .transform((value) => new Big(value))
  .default(new Big('0.01') as never)
  .describe('The largest difference, per total, that still counts as matching. 0: exact to the last decimal.');

function targetId(target: unknown): string | null {
  if (target === null || typeof target !== 'object') return null;
  const { reference, externalId, id } = target as Record<string, unknown>;
  const value = reference ?? externalId ?? id;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

/**
 * Which source order each target belongs to: by any purchase identifier, else by a PO that only one order has. A
 * purchase given twice (`repeats`) is matched through its first copy.
 */
function matchTargets(orders: readonly SourceOrder[], repeats: ReadonlySet<number>, targets: readonly TargetOrder[]) {
  const byId = new Map<string, number>();
  const byPo = new Map<string, number | 'ambiguous'>();
  orders.forEach((order, index) => {
    if (repeats.has(index)) return;
    for (const value of Object.values(order.purchase_identifiers)) {
      const id = nonBlank(value);
      if (id !== undefined && !byId.has(id)) byId.set(id, index);
    }
    const po = order.customer_reference?.trim();
    if (po) byPo.set(po, byPo.has(po) ? 'ambiguous' : index);
  });
  return targets.map((target) => {
    const direct = byId.get(target.reference);
    if (direct !== undefined) return direct;
    const viaPo = byPo.get(target.po ?? target.reference);
    return typeof viaPo === 'number' ? viaPo : undefined;
  });
}

export const step = defineStep({
  key: 'reconcile-order-totals',
  title: 'Reconcile order totals',
  purpose:
    "Compares each SparkLayer order's totals with the back-end's order, naming every total that differs; " +
    'reports orders missing on either side.',
  recordsField: 'source',
  settings: {
    tolerance,
    currency_ids: tableSetting({
      description:
        "ISO currency code to NetSuite currency internal ID (map-order-to-netsuite's table), to read the " +
        "currency of native NetSuite sales orders, whose currency is the account's own name for it.",
    }),
    order_format: orderFormatSetting,
  },
  exceptionCodes: {
    TOTAL_MISMATCH: {
      owner: 'finance',
      action:
        'The back-end booked different totals (the message names each field, expected, actual and ' +
        'difference). Usually VAT rounded per line against per order, a discount applied twice, or ' +
        'shipping taxed differently: correct the back-end order or raise it with finance.',
    },
    CURRENCY_MISMATCH: {
      owner: 'finance',
      action:
        "The back-end booked the order in another currency. Correct the order (or the customer's " +
        'currency) in the back-end.',
    },
    MISSING_IN_TARGET: {
      owner: 'finance',
      action:
        "The SparkLayer order is not in the back-end: check the order flow's exceptions for it and " +
        'replay, or create it.',
    },
    UNKNOWN_TARGET_ORDER: {
      owner: 'finance',
      action:
        'A back-end order matches no SparkLayer order in this period: check whether it was entered by ' +
        'hand, or belongs to another period.',
    },
    DUPLICATE_TARGET_ORDER: {
      owner: 'finance',
      action: 'More than one back-end order matches this SparkLayer order: one is probably a duplicate to cancel.',
    },
    INVALID_TARGET_ORDER: {
      owner: 'finance',
      action: 'The back-end order could not be read (the message says which field). Check the back-end export.',
    },
    UNRECONCILED_TARGET_ORDER: {
      owner: 'finance',
      action:
        'A back-end order names a SparkLayer purchase that is not a live order (a quote or cart was ' +
        "booked: cancel the back-end order) or that could not be read (see that purchase's INVALID_ORDER " +
        'exception: fix it in SparkLayer, then reconcile again).',
    },
    INVALID_ORDER: {
      owner: 'customer service',
      action: 'The SparkLayer order could not be read (the message names the field). Check the order in SparkLayer.',
    },
  },
  record: {
    schema: sourceOrder as z.ZodType<SourceOrder>,
    id: purchaseId,
    checkOnly: true,
    readerFor: ({ order_format }) =>
      shopifyOrderReader<SourceOrder, Code>(
        order_format,
        () => CUSTOMER_NOT_LOOKED_UP,
        shopifySource,
        () => 'INVALID_ORDER',
      ),
  },
  beside: z.looseObject({ target: z.array(z.unknown(), { error: 'target must be a list of orders' }).default([]) }),
  rule: (orders: readonly SourceOrder[], settings, { target }) => {
    const canonicalOf = canonicalOrderOf<SourceOrder>(settings.order_format);
    const unmatched: Unmatched<Code>[] = [];
    const readable: Array<{ raw: unknown; order: TargetOrder }> = [];
    for (const raw of target) {
      const parsed = anyTargetOrder.safeParse(withoutNulls(raw));
      if (!parsed.success) {
        const message = parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ');
        unmatched.push({ id: targetId(raw), record: raw, code: 'INVALID_TARGET_ORDER', message });
        continue;
      }
      const currency = isoCurrency(parsed.data, settings.currency_ids);
      if (currency === undefined) {
        unmatched.push({
          id: parsed.data.reference,
          record: raw,
          code: 'INVALID_TARGET_ORDER',
          message:
            `currency ${JSON.stringify(parsed.data.currency)} is not an ISO code: add its NetSuite ` +
            `currency internal ID to currency_ids`,
        });
        continue;
      }
      readable.push({ raw, order: { ...parsed.data, currency } });
    }

    const firstCopy = new Set<string>();
    const repeats = new Set<number>();
    orders.forEach((order, index) => {
      const id = purchaseId(order)!;
      if (firstCopy.has(id)) repeats.add(index);
      else firstCopy.add(id);
    });
    const matches = matchTargets(
      orders,
      repeats,
      readable.map((entry) => entry.order),
    );
    const targetOf = new Map<number, { raw: unknown; order: TargetOrder }>();
    readable.forEach(({ raw, order }, t) => {
      const source = matches[t];
      if (source === undefined) {
        unmatched.push({
          id: order.reference,
          record: raw,
          code: 'UNKNOWN_TARGET_ORDER',
          message: `back-end order ${order.reference} matches no SparkLayer order`,
        });
      } else if (targetOf.has(source)) {
        unmatched.push({
          id: order.reference,
          record: raw,
          code: 'DUPLICATE_TARGET_ORDER',
          message:
            `back-end order ${order.reference} matches SparkLayer order ${purchaseId(orders[source])}, ` +
            `which another back-end order already matches`,
        });
      } else targetOf.set(source, { raw, order });
    });

    // A target whose purchase is not reconciled here (not an order, or unreadable) is an exception of its own: every
    // target given is accounted for.
    const unreconciled = (index: number, why: string) => {
      const entry = targetOf.get(index);
      if (!entry) return;
      unmatched.push({
        id: entry.order.reference,
        record: entry.raw,
        code: 'UNRECONCILED_TARGET_ORDER',
        message:
          `back-end order ${entry.order.reference} names SparkLayer purchase ${purchaseId(orders[index])}, ` +
          `which ${why}`,
      });
    };
    const outcomes = orders.map((order, index): Outcome<Code> => {
      if (repeats.has(index)) return skip('duplicate');
      if (order.type !== undefined && order.type !== 'order') {
        unreconciled(index, `is a ${order.type}, not a live order: a back-end order for it should not exist`);
        return skip(`type:${order.type}`);
      }
      let canonical;
      try {
        canonical = canonicalOf(order);
      } catch (error) {
        if (!(error instanceof OrderReadError)) throw error;
        unreconciled(index, `cannot be read (${error.message}), so its totals cannot be compared`);
        return fail('INVALID_ORDER', error.message);
      }
      const entry = targetOf.get(index);
      if (!entry) return fail('MISSING_IN_TARGET', `SparkLayer order ${canonical.id} has no back-end order`);
      const matched = entry.order;
      const comparison = compareTotals(orderTotals(canonical), canonical.currency, matched, settings.tolerance);
      if (comparison.kind === 'currency') {
        return fail('CURRENCY_MISMATCH', `currency: expected ${comparison.expected}, actual ${comparison.actual}`, {
          target: matched.reference,
          expected: comparison.expected,
          actual: comparison.actual,
        });
      }
      if (comparison.kind === 'mismatch') {
        return fail('TOTAL_MISMATCH', describeDifferences(comparison.differences), {
          target: matched.reference,
          currency: canonical.currency,
          differences: comparison.differences,
        });
      }
      return passWith({
        reconciliation: { target: matched.reference, currency: canonical.currency, ...comparison.totals },
      });
    });
    return { outcomes, unmatched };
  },
});
