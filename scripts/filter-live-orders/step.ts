/**
 * filter-live-orders: only confirmed SparkLayer orders continue down the flow. A quote or cart that
 * became a pick would waste labour and misallocate stock (pack-contract §4).
 */
import {
  PURCHASE_TYPES,
  purchaseChangedAt,
  purchaseHeaderSchema,
  purchaseId,
  purchaseStatus,
  type PurchaseHeader,
} from '../../connectors/sparklayer/purchase.js';
import {
  CUSTOMER_NOT_LOOKED_UP,
  orderFormatSetting,
  shopifyOrderReader,
} from '../../connectors/shopify/order-format.js';
import { NoCartIdError, purchaseHeader } from '../../connectors/shopify/order-reader.js';
import { listSetting } from '../../runtime/settings.js';
import { defineStep, fail, pass, skip, type Outcome } from '../../runtime/step.js';

type Code = 'MISSING_PURCHASE_ID' | 'UNKNOWN_PURCHASE_TYPE' | 'MISSING_STATUS';

export const step = defineStep({
  key: 'filter-live-orders',
  title: 'Filter live orders',
  purpose:
    'Passes only confirmed SparkLayer orders; skips quotes, carts, purchases awaiting approval or ' +
    'confirmation, and repeats.',
  settings: {
    live_types: listSetting({
      description: 'Purchase types that count as live orders, comma-separated.',
      default: ['order'],
      allowed: PURCHASE_TYPES,
      allowedLabel: 'a SparkLayer purchase type',
    }),
    live_statuses: listSetting({
      description:
        'If set, only purchases with one of these statuses pass (`status`, else ' +
        '`calculated_fulfilment_status`). Empty: no status check.',
      default: [],
    }),
    order_format: orderFormatSetting,
  },
  exceptionCodes: {
    MISSING_PURCHASE_ID: {
      owner: 'integration',
      action:
        'The purchase has no sparklayer, platform or visible identifier, so it could be created twice ' +
        'downstream. Check the SparkLayer export or mapping that produced it. A Shopify order (order_format) ' +
        'without the sparkCartId note attribute was not booked by SparkLayer checkout: leave it out of the flow.',
    },
    UNKNOWN_PURCHASE_TYPE: {
      owner: 'integration',
      action:
        'The purchase type is missing or not one SparkLayer documents. Check the purchase in SparkLayer; ' +
        'if SparkLayer added a type, decide whether it is live and add it to live_types.',
    },
    MISSING_STATUS: {
      owner: 'integration',
      action:
        'live_statuses is set but the purchase carries no status. Check the field names in the ' +
        'SparkLayer feed, or clear live_statuses.',
    },
  },
  record: {
    schema: purchaseHeaderSchema,
    id: purchaseId,
    fieldCodes: { purchase_identifiers: 'MISSING_PURCHASE_ID', type: 'UNKNOWN_PURCHASE_TYPE' },
    // A Shopify order is read whole, then judged by its header (purchaseHeader): its sparkCartId is the purchase id,
    // a quote draft is type quote, any other order or draft order type order. Its customer is not looked up here.
    readerFor: ({ order_format }) =>
      shopifyOrderReader<PurchaseHeader, Code>(
        order_format,
        () => CUSTOMER_NOT_LOOKED_UP,
        purchaseHeader,
        (error) => (error instanceof NoCartIdError ? 'MISSING_PURCHASE_ID' : 'INVALID_RECORD'),
      ),
  },
  rule: (purchases: readonly PurchaseHeader[], { live_types, live_statuses }): Outcome<Code>[] => {
    // The schema guarantees an id; a repeat (offset paging can return one purchase twice, and the flow adds the
    // orders still waiting after the pull) is never sold twice: one copy per id goes on, the others are skipped.
    const kept = keptCopies(purchases);
    return purchases.map((purchase, index) => {
      if (kept.get(purchaseId(purchase)!) !== index) return skip('duplicate');
      if (!live_types.includes(purchase.type)) return skip(`type:${purchase.type}`);
      if (live_statuses.length === 0) return pass();
      const status = purchaseStatus(purchase);
      if (status === undefined) {
        return fail(
          'MISSING_STATUS',
          `live_statuses is set (${live_statuses.join(', ')}) ` +
            'but the purchase has no status or calculated_fulfilment_status',
        );
      }
      return live_statuses.includes(status) ? pass() : skip(`status:${status}`);
    });
  },
});

/**
 * Which copy of each purchase goes on, by index: the first, unless a later copy changed later by the time SparkLayer
 * gives it (purchaseChangedAt: `dates.updated_at`, then `revision_date`, then the legacy `dates.last_updated`). A
 * purchase that changes while the list is paged can come back on a later page, fresher; the flow puts the pull before
 * the orders still waiting, so the first copy is the freshest when the times cannot tell. A copy whose time is missing
 * or unreadable is never taken as unchanged, older or newer: only two readable times are compared.
 */
function keptCopies(purchases: readonly PurchaseHeader[]): Map<string, number> {
  const kept = new Map<string, { index: number; at: number | undefined }>();
  purchases.forEach((purchase, index) => {
    const id = purchaseId(purchase)!;
    const at = purchaseChangedAt(purchase);
    const first = kept.get(id);
    if (first === undefined || (at !== undefined && first.at !== undefined && at > first.at))
      kept.set(id, { index, at });
  });
  return new Map([...kept].map(([id, { index }]) => [id, index]));
}
