/**
 * Lightspeed X-Series sales read into the pack's canonical fulfilments and returns (model/fulfilment.ts) for the flows
 * that report dispatch and returns back to SparkLayer. Pure: it reads a sale as GET /api/2026-07/sales/{id} gives it
 * (its `data`; one element of ListSales' `data` is the same object) and the links the caller already holds; no
 * client, no I/O, no clock.
 *
 * Lightspeed's pages, and what each confirms:
 * - The official 2026-07 document (https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml; Sales tag mirrored
 *   at https://github.com/api-evangelist/lightspeed/blob/main/openapi/lightspeed-sales-api-openapi.yml): `Sale` has
 *   `id`, `state` (parked, pending, voided, closed), `attributes`, `date` ("Sale timestamp in UTC"), `updated_at`
 *   ("Last update timestamp in UTC"), `source` {id, type, outlet_id}, `totals.price_incl_tax`, `line_items`, and
 *   `return` (SaleReturn: `is_return`, `original_sale_id` "Reference ID to a different sale if this sale was created
 *   as a return", `return_sale_ids`); a line has `product.id`, `quantity` and `return` (LineItemReturn: `is_return`,
 *   `reason` "Return reason"). No currency on a sale, and no carrier, tracking or shipment field on a sale or a line.
 * - initReturnSale (https://x-series-api.lightspeedhq.com/reference/initreturnsale, the same document's 200 example)
 *   and Returns (https://x-series-api.lightspeedhq.com/docs/sales_returns): a return is a new parked sale for a closed
 *   one, linked by `return_for`, with negative quantities and `is_return: true` lines (the example's legacy line shape:
 *   `product_id`, `quantity`, `is_return`; sale-level `outlet_id`, `sale_date`, `total_price`, `total_tax`); refund
 *   payments are added and the return closed. Both shapes are read: the 2026-07 field first, the legacy one after.
 * - States and attributes (https://x-series-api.lightspeedhq.com/docs/sales_states_and_attributes) and Statuses
 *   (https://x-series-api.lightspeedhq.com/docs/sales_statuses): CLOSED, ONACCOUNT_CLOSED, LAYBY_CLOSED,
 *   DISPATCHED_CLOSED, PICKED_UP_CLOSED are `state: closed` with no attribute or onaccount, layby, delivery, pickup;
 *   "Once the sale is marked as closed the inventory count for products associated with it will be decreased"; VOIDED
 *   returns stock.
 * - The pack books a SparkLayer order as a sale with `source.id` = the purchase id and `source.type` = SparkLayer
 *   (sale-mapper.ts, sale-id.ts), so a sale reaches its purchase through `source`, a return through its original sale.
 *
 * Fulfilments. X-Series keeps no shipment on a sale: a closed sale (any of the closed statuses above) is read as
 * shipped in full, every line, from its outlet, at `updated_at`; a parked, pending or voided sale is no fulfilment
 * (`undefined`). The Fulfillments API (https://x-series-api.lightspeedhq.com/docs/fulfillments_partial_fulfillment:
 * picking, packing, fulfilling per line) is a separate resource and is not read here. No carrier, tracking number or
 * tracking URL is ever set.
 *
 * Returns. A return sale is read when closed (a parked return is not yet completed, a voided one undone: `undefined`).
 * Its purchase is its original sale's: the caller passes `originalSales`, original sale id → purchase id, rather than
 * the original bodies, because the pack can build it without reading them (its sale ids are derived, `saleIdFor`) and
 * a return never needs more of the original than that; `salePurchaseIds` builds it from sale bodies when they are read.
 * The refund is the return's tax-inclusive total, negated, in the store's currency (`currency`: a sale names none).
 *
 * UNVERIFIED (no Lightspeed page read shows it; each is read as written, nothing else guessed):
 * - that GET echoes `source.id` and `source.type` as the pack wrote them (the Sale schema lists both, no example);
 * - `updated_at` as the time a sale was closed (no closed-at field exists; a later edit moves it), and a closed sale as
 *   dispatched in full from `source.outlet_id` (a sale can name another fulfilment outlet when created);
 * - which shape GET /api/2026-07/sales/{id} gives a return (`return.original_sale_id` per the schema or `return_for`
 *   per the example), and `return.original_sale_id` and `return_for` naming the same sale when both are present;
 * - a return line as one flagged `is_return` or with a negative quantity, and an unflagged line with a positive
 *   quantity as an exchange's new goods (left out);
 * - the legacy `total_price` as tax-exclusive (the example's numbers say so: unit price 200, tax 30, total -200, -30);
 * - `return.reason` on a line as what the canonical reason is (several lines' reasons are joined with "; ").
 *
 * A record that cannot be read throws a FulfilmentReadError naming the sale and the field.
 */
import * as z from 'zod';
import {
  FulfilmentReadError,
  readFulfilmentRecord,
  type CanonicalReturn,
  type Fulfilment,
  type FulfilmentLine,
} from '../../model/fulfilment.js';
import { Money, MoneyError, toDecimal, type Decimal } from '../../model/money.js';
import type { LookupTable } from '../../runtime/tables.js';
import { SOURCE_TYPE } from './sale-mapper.js';
import { productSchema } from './schemas.js';

/** The `source` of every record this reader gives. */
export const LIGHTSPEED_X_FULFILMENT_SOURCE = 'lightspeed-x';

/** What links an X-Series sale to its SparkLayer purchase and its lines to SKUs. */
export interface LightspeedXFulfilmentLinks {
  /** Product id → SparkLayer SKU: see `productSkus`. A line whose product is not in it cannot be read. */
  productSkus: LookupTable;
  /**
   * Original sale id → SparkLayer purchase id, for returns: see `salePurchaseIds`, or, without reading the sales,
   * `new Map(purchaseIds.map((id) => [saleIdFor(id), id]))` (the pack's sale ids are derived from purchase ids).
   */
  originalSales?: LookupTable;
  /** The store's currency, an ISO code (map-order-to-lightspeed-x's store_currency): a refund is in it. */
  currency?: string;
  /** The product shipping is booked as (map-order-to-lightspeed-x's shipping_product_id): its lines are left out. */
  shippingProductId?: string;
}

const optionalText = z.string().nullable().optional();
const quantitySchema = z.union([z.number(), z.string()]);
const lineSchema = z.looseObject({
  product: z.looseObject({ id: z.string().min(1) }).optional(),
  product_id: z.string().min(1).optional(),
  quantity: quantitySchema,
  is_return: z.boolean().optional(),
  return: z.looseObject({ is_return: z.boolean().optional(), reason: optionalText }).nullable().optional(),
});

/** A sale as this reader needs it: the 2026-07 fields, and the legacy ones the documented return example carries. */
export const fulfilmentSaleSchema = z.looseObject({
  id: z.string().min(1),
  state: z.enum(['parked', 'pending', 'voided', 'closed']),
  attributes: z.array(z.string()).optional(),
  date: optionalText,
  sale_date: optionalText,
  updated_at: optionalText,
  source: z.looseObject({ id: optionalText, type: optionalText, outlet_id: optionalText }).nullable().optional(),
  outlet_id: optionalText,
  return: z
    .looseObject({ is_return: z.boolean().nullable().optional(), original_sale_id: optionalText })
    .nullable()
    .optional(),
  return_for: optionalText,
  line_items: z.array(lineSchema),
  totals: z.looseObject({ price_incl_tax: z.number().optional() }).nullable().optional(),
  total_price: z.number().optional(),
  total_tax: z.number().optional(),
});
type Sale = z.infer<typeof fulfilmentSaleSchema>;
type Line = z.infer<typeof lineSchema>;

/** Product id → SKU, from X-Series product bodies (GET /products, /search?type=products). */
export function productSkus(products: readonly unknown[]): Map<string, string> {
  const skus = new Map<string, string>();
  for (const product of products) {
    const parsed = productSchema.safeParse(product);
    if (parsed.success && parsed.data.sku.trim() !== '') skus.set(parsed.data.id, parsed.data.sku.trim());
  }
  return skus;
}

/** Sale id → SparkLayer purchase id, from sale bodies the pack booked (`source.type` SparkLayer, `source.id`). */
export function salePurchaseIds(sales: readonly unknown[]): Map<string, string> {
  const ids = new Map<string, string>();
  for (const sale of sales) {
    const parsed = z
      .looseObject({
        id: z.string().min(1),
        source: z.looseObject({ id: z.string().min(1), type: z.literal(SOURCE_TYPE) }),
      })
      .safeParse(sale);
    if (parsed.success) ids.set(parsed.data.id, parsed.data.source.id);
  }
  return ids;
}

/** The sale this one returns goods from, and the field that says so; undefined for a sale that is not a return. */
function originalOf(sale: Sale, what: string): { id: string; field: string } | undefined {
  const linked = sale.return?.original_sale_id || undefined;
  const legacy = sale.return_for || undefined;
  if (linked !== undefined && legacy !== undefined && linked !== legacy)
    throw new FulfilmentReadError(
      `${what}: return.original_sale_id: ${linked} is not the sale return_for names (${legacy})`,
    );
  if (linked !== undefined) return { id: linked, field: 'return.original_sale_id' };
  if (legacy !== undefined) return { id: legacy, field: 'return_for' };
  return undefined;
}

const isReturnLine = (line: Line): boolean => (line.return?.is_return ?? line.is_return) === true;

/** Whether an X-Series sale body is a return (linked to an original sale, flagged, or with a return line). */
export function isReturnSale(body: unknown): boolean {
  const parsed = fulfilmentSaleSchema.safeParse(body);
  if (!parsed.success) return false;
  const sale = parsed.data;
  return (
    sale.return?.is_return === true ||
    Boolean(sale.return?.original_sale_id || sale.return_for) ||
    sale.line_items.some(isReturnLine)
  );
}

/**
 * A closed sale (the `data` of GET /sales/{id}) as a canonical fulfilment: shipped in full at `updated_at`. A sale not
 * closed gives `undefined`: X-Series says nothing was dispatched. A return sale throws (read it with
 * `returnFromLightspeedX`).
 */
export function fulfilmentFromLightspeedX(body: unknown, links: LightspeedXFulfilmentLinks): Fulfilment | undefined {
  const sale = parse(body);
  const what = `X-Series sale ${sale.id}`;
  const original = originalOf(sale, what);
  if (original !== undefined)
    throw new FulfilmentReadError(
      `${what}: ${original.field}: it is a return of sale ${original.id}, not a fulfilment (read it as a return)`,
    );
  if (sale.state !== 'closed') return undefined;
  const shippedAt = sale.updated_at?.trim();
  if (!shippedAt) throw new FulfilmentReadError(`${what}: updated_at: missing (the closed sale's time)`);
  const fulfilment: Fulfilment = {
    purchase_id: purchaseOfSale(sale, what),
    transaction_id: sale.id,
    source: LIGHTSPEED_X_FULFILMENT_SOURCE,
    status: 'shipped',
    shipped_at: shippedAt,
    lines: readLines(sale, links, what, 'sold'),
  };
  const outlet = outletOf(sale);
  if (outlet !== undefined) fulfilment.location = outlet;
  return fulfilment;
}

/**
 * A closed return sale (the `data` of GET /sales/{id}) as a canonical return, for the purchase of the sale it returns
 * goods from. A parked or voided return gives `undefined`.
 */
export function returnFromLightspeedX(body: unknown, links: LightspeedXFulfilmentLinks): CanonicalReturn | undefined {
  const sale = parse(body);
  const what = `X-Series sale ${sale.id}`;
  const original = originalOf(sale, what);
  if (original === undefined)
    throw new FulfilmentReadError(
      `${what}: return.original_sale_id: missing (no return_for either: a return not linked to a sale has no purchase)`,
    );
  if (sale.state !== 'closed') return undefined;
  const purchase = links.originalSales?.get(original.id);
  if (purchase === undefined)
    throw new FulfilmentReadError(
      `${what}: ${original.field}: sale ${original.id} has no SparkLayer purchase (not a sale the pack booked)`,
    );
  const returnedAt = (sale.date || sale.sale_date)?.trim();
  if (!returnedAt) throw new FulfilmentReadError(`${what}: date: missing (no sale_date either)`);
  const ret: CanonicalReturn = {
    purchase_id: purchase,
    transaction_id: sale.id,
    original_transaction_id: original.id,
    source: LIGHTSPEED_X_FULFILMENT_SOURCE,
    returned_at: returnedAt,
    lines: readLines(sale, links, what, 'returned'),
  };
  const outlet = outletOf(sale);
  if (outlet !== undefined) ret.location = outlet;
  const refund = refundOf(sale, links, what);
  if (refund !== undefined) ret.refund = refund;
  const reasons = [
    ...new Set(
      sale.line_items
        .filter(isReturnLine)
        .map((line) => line.return?.reason?.trim() ?? '')
        .filter((reason) => reason !== ''),
    ),
  ];
  if (reasons.length > 0) ret.reason = reasons.join('; ');
  return ret;
}

function parse(body: unknown): Sale {
  const id = (body as { id?: unknown } | null)?.id;
  return readFulfilmentRecord(fulfilmentSaleSchema, body, `X-Series sale ${typeof id === 'string' ? id : '(no id)'}`);
}

function purchaseOfSale(sale: Sale, what: string): string {
  const type = sale.source?.type;
  if (type !== SOURCE_TYPE)
    throw new FulfilmentReadError(
      `${what}: source.type: ${type == null ? 'missing' : `${JSON.stringify(type)} is not ${SOURCE_TYPE}`} ` +
        '(not a sale the pack booked)',
    );
  const purchase = sale.source?.id?.trim();
  if (!purchase) throw new FulfilmentReadError(`${what}: source.id: missing (the SparkLayer purchase id)`);
  return purchase;
}

function outletOf(sale: Sale): string | undefined {
  return (sale.source?.outlet_id || sale.outlet_id)?.trim() || undefined;
}

/**
 * The lines as SKUs and positive quantities. `sold`: every line, none negative. `returned`: the return lines (flagged,
 * or with a negative quantity), none positive, as positive quantities; other lines (an exchange's) are left out.
 * Shipping lines are left out of both.
 */
function readLines(
  sale: Sale,
  links: LightspeedXFulfilmentLinks,
  what: string,
  kind: 'sold' | 'returned',
): FulfilmentLine[] {
  const lines: FulfilmentLine[] = [];
  sale.line_items.forEach((item, index) => {
    const field = `line_items.${index}`;
    const productField = item.product !== undefined ? `${field}.product.id` : `${field}.product_id`;
    const productId = item.product?.id ?? item.product_id;
    if (productId === undefined) throw new FulfilmentReadError(`${what}: ${field}.product.id: missing`);
    const quantity = decimal(item.quantity, `${what}: ${field}.quantity`);
    if (kind === 'sold' && quantity.lt(0))
      throw new FulfilmentReadError(`${what}: ${field}.quantity: ${quantity.toFixed()} is negative`);
    if (kind === 'returned') {
      const flagged = isReturnLine(item);
      if (flagged && quantity.gt(0))
        throw new FulfilmentReadError(`${what}: ${field}.quantity: ${quantity.toFixed()} is positive on a return line`);
      if (!flagged && !quantity.lt(0)) return;
    }
    if (productId === links.shippingProductId) return;
    const sku = links.productSkus.get(productId);
    if (sku === undefined || sku === '')
      throw new FulfilmentReadError(`${what}: ${productField}: product ${productId} has no SKU (not in product_skus)`);
    lines.push({ sku, quantity: quantity.abs() });
  });
  return lines;
}

/** The return's tax-inclusive total, negated: `totals.price_incl_tax`, else the legacy `total_price` + `total_tax`. */
function refundOf(sale: Sale, links: LightspeedXFulfilmentLinks, what: string): Money | undefined {
  const inclusive = sale.totals?.price_incl_tax;
  const legacy = sale.total_price !== undefined && sale.total_tax !== undefined;
  if (inclusive === undefined && !legacy) return undefined;
  const field = inclusive !== undefined ? 'totals.price_incl_tax' : 'total_price';
  if (links.currency === undefined || links.currency.trim() === '')
    throw new FulfilmentReadError(
      `${what}: ${field}: the refund has no currency (X-Series sales carry none; pass the store's currency)`,
    );
  let total: Money;
  try {
    total =
      inclusive !== undefined
        ? Money.of(inclusive, links.currency, `${what}: ${field}`)
        : Money.of(sale.total_price, links.currency, `${what}: total_price`).plus(
            Money.of(sale.total_tax, links.currency, `${what}: total_tax`),
          );
  } catch (error) {
    throw new FulfilmentReadError(error instanceof MoneyError ? error.message : String(error));
  }
  if (total.amount.gt(0))
    throw new FulfilmentReadError(
      `${what}: ${field}: ${total.amount.toFixed()} is positive (the return charges the customer, it refunds nothing)`,
    );
  return total.isZero() ? total.abs() : total.negated();
}

function decimal(value: unknown, what: string): Decimal {
  try {
    return toDecimal(value, what);
  } catch (error) {
    throw new FulfilmentReadError(error instanceof MoneyError ? error.message : String(error));
  }
}
