/**
 * A NetSuite sales order, as GET returns it, read into the pack's target order for reconcile-order-totals.
 * Totals (connectors/netsuite/schemas.ts cites the pages): `total` is what the customer pays, `taxTotal` all
 * tax, so the net is total − taxTotal (shipping and header discounts included, as the pack's net is);
 * `shippingCost` is shipping before tax. The reference is the external ID map-order-to-netsuite set (the
 * SparkLayer purchase id), the PO is `otherRefNum`.
 *
 * `currency.refName` is the account's own name for the currency ("British pound"), not an ISO code, so the
 * currency is kept as NetSuite gives it with its internal ID; the step reads the ISO code through its
 * currency_ids setting (see isoCurrency).
 */
import Big from 'big.js';
import * as z from 'zod';
import type { TargetOrder } from '../../model/reconciliation.js';
import type { LookupTable } from '../../runtime/tables.js';
import { salesOrderSchema } from './schemas.js';

export const netsuiteTargetOrderSchema = salesOrderSchema
  .extend({
    total: z.number({ error: 'total: missing; read the sales order with its header totals' }),
    taxTotal: z.number().optional(),
  })
  .refine((order) => Boolean(order.externalId ?? order.otherRefNum), {
    error: 'the sales order has neither externalId nor otherRefNum to match a SparkLayer order by',
  })
  .transform((order): TargetOrder & { currencyId?: string } => {
    const gross = new Big(String(order.total));
    const tax = new Big(String(order.taxTotal ?? 0));
    return {
      reference: order.externalId ?? order.otherRefNum!,
      po: order.otherRefNum,
      currency: order.currency?.refName ?? '',
      currencyId: order.currency?.id,
      net: gross.minus(tax),
      tax,
      gross,
      shipping: order.shippingCost === undefined ? undefined : new Big(String(order.shippingCost)),
    };
  });

/**
 * The ISO code of a target's currency: as given when it already is one, else through `currencyIds` (ISO code
 * → NetSuite currency internal ID, the same table map-order-to-netsuite takes), looked up by internal ID.
 */
export function isoCurrency(
  target: TargetOrder & { currencyId?: string },
  currencyIds: LookupTable,
): string | undefined {
  if (/^[A-Z]{3}$/.test(target.currency)) return target.currency;
  for (const [iso, id] of currencyIds) if (id === target.currencyId) return iso.toUpperCase();
  return /^[a-z]{3}$/i.test(target.currency) ? target.currency.toUpperCase() : undefined;
}
