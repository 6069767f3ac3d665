/**
 * filter-live-orders: only confirmed SparkLayer orders continue down the flow. A quote or cart that
 * became a pick would waste labour and misallocate stock (pack-contract §4).
 */
import {
  PURCHASE_TYPES,
  purchaseHeaderSchema,
  purchaseId,
  purchaseStatus,
  type PurchaseHeader,
} from '../../connectors/sparklayer/purchase.js';
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
  },
  exceptionCodes: {
    MISSING_PURCHASE_ID: {
      owner: 'integration',
      action:
        'The purchase has no sparklayer, platform or visible identifier, so it could be created twice ' +
        'downstream. Check the SparkLayer export or mapping that produced it.',
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
  },
  rule: (purchases: readonly PurchaseHeader[], { live_types, live_statuses }): Outcome<Code>[] => {
    const seen = new Set<string>();
    return purchases.map((purchase) => {
      // The schema guarantees an id; a repeat (offset paging can return one purchase twice) is never sold twice.
      const id = purchaseId(purchase)!;
      if (seen.has(id)) return skip('duplicate');
      seen.add(id);
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
