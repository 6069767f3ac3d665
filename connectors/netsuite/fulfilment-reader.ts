/**
 * NetSuite item fulfillments, credit memos and return authorizations, read into the pack's canonical fulfilments and
 * returns (model/fulfilment.ts) for the flows that report dispatch and returns back to SparkLayer. Pure: it reads
 * bodies as GET /record/v1/<record>/{id}?expandSubResources=true returns them, and the links the caller already holds;
 * no client, no I/O, no clock.
 *
 * Oracle's pages, and what each confirms:
 * - Item Fulfillment REST record (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_161425629582.html):
 *   record ID ItemFulfillment; records the shipment of some or all items on an order.
 * - Use Case For Fulfilling Your Sales Order
 *   (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_159795518068.html): a fulfillment is made
 *   from a sales order (POST salesorder/{id}/!transform/itemfulfillment), may be partial, and its `item.items` lines
 *   carry `orderLine`, `location` and `quantity`; a line sent with `itemreceive: false` is left unfulfilled.
 * - SuiteScript's item fulfillment (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N3195884.html):
 *   pick, pack and ship are its stages.
 * - Credit Memo REST record (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/article_164460021767.html,
 *   record ID creditmemo; https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_0404042133.html: `entity`,
 *   `location`, `item.items[item, amount]`).
 * - Return Authorization REST record (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/article_0718011926.html,
 *   record ID returnAuthorization); SOAP's page (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N3688557.html):
 *   it records the expected return's items, quantities and prices. Returns are a return authorization linked to
 *   its order by `createdFrom`, then a credit memo (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157901123882.html:
 *   transforms; /work/shared/reference/backends.md §3.6).
 * - The GET shape of a transaction (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_159795471905.html):
 *   references as {id, refName, links}, `tranDate` YYYY-MM-DD, `currency`, `total`, sublists as {links, items}.
 *   `externalId` (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156334828635.html): the pack
 *   books each sales order with externalId = the SparkLayer purchase id (sales-order-mapper.ts, booking.ts), so a
 *   transaction reaches its purchase through the sales order it was created from.
 *
 * UNVERIFIED (no Oracle page read shows it on these REST records; each is read as written, nothing else guessed):
 * - `createdFrom` as a reference on item fulfillments, credit memos and return authorizations (SOAP's records have
 *   createdFrom; a third-party NetSuite connector reads it on item fulfillments);
 * - `shipStatus` as a reference whose id is A (Picked), B (Packed) or C (Shipped) (Jitterbit's status table gives
 *   Shipped as ItemShip:C; SOAP's enum is _picked, _packed, _shipped, also accepted here). A fulfillment without
 *   shipStatus is read as shipped (accounts without pick, pack and ship: also UNVERIFIED);
 * - `shipMethod` on an item fulfillment, read as the carrier (its refName);
 * - the `package` sublist and its `packageTrackingNumber` (SOAP's ItemFulfillmentPackage). The carrier-specific
 *   package sublists (UPS, FedEx, USPS) are not read;
 * - `item` on a fulfillment's or credit memo's line (confirmed on sales order lines), `quantity` on a credit memo or
 *   return authorization line, `total` on a credit memo or return authorization (confirmed on sales orders), `memo`
 *   read as the return's reason, and the lowercase or camelCase spelling of `itemreceive` on a GET line.
 * No NetSuite field gives a tracking URL: `tracking_url` is never set.
 *
 * A record that cannot be read throws a FulfilmentReadError naming the record and the field.
 */
import * as z from 'zod';
import {
  FulfilmentReadError,
  readFulfilmentRecord,
  type CanonicalReturn,
  type Fulfilment,
  type FulfilmentLine,
  type FulfilmentStatus,
} from '../../model/fulfilment.js';
import { Money, MoneyError, toDecimal } from '../../model/money.js';
import type { LookupTable } from '../../runtime/tables.js';
import { purchaseIdOfSalesOrder } from './booking.js';

/** The `source` of every record this reader gives. */
export const NETSUITE_FULFILMENT_SOURCE = 'netsuite';

/** What links a NetSuite transaction to its SparkLayer purchase and its lines to SKUs. */
export interface NetSuiteFulfilmentLinks {
  /** Sales order internal ID → SparkLayer purchase id (its externalId): see `salesOrderPurchaseIds`. */
  salesOrders: LookupTable;
  /** Return authorization internal ID → the sales order it was made from: see `returnAuthorizationOrders`. */
  returnAuthorizations?: LookupTable;
  /**
   * Item internal ID → SparkLayer SKU, where the two differ (the inverse of map-order-to-netsuite's item_ids). An
   * item not in it is known by its reference's refName, its Item Name/Number.
   */
  itemSkus?: LookupTable;
  /** ISO code → NetSuite currency internal ID (map-order-to-netsuite's currency_ids), for a refName that is not ISO. */
  currencyIds?: LookupTable;
}

const referenceSchema = z.looseObject({ id: z.string().min(1), refName: z.string().optional() });
const optionalReference = z.union([referenceSchema, z.string().min(1)]).optional();
const lineSchema = z.looseObject({
  item: referenceSchema,
  quantity: z.union([z.number(), z.string()]),
  location: optionalReference,
  itemreceive: z.boolean().optional(),
  itemReceive: z.boolean().optional(),
});
const sublist = <T extends z.ZodType>(line: T) => z.looseObject({ items: z.array(line) });
const transactionSchema = z.looseObject({
  id: z.string().min(1),
  createdFrom: referenceSchema,
  tranDate: z.string().regex(/^\d{4}-\d{2}-\d{2}/),
});

/** An item fulfillment as this reader needs it. */
export const itemFulfillmentSchema = transactionSchema.extend({
  shipStatus: z.union([referenceSchema, z.string()]).optional(),
  shipMethod: referenceSchema.optional(),
  item: sublist(lineSchema),
  package: sublist(z.looseObject({ packageTrackingNumber: z.string().optional() })).optional(),
});

/** A credit memo or return authorization as this reader needs it. */
export const returnTransactionSchema = transactionSchema.extend({
  currency: referenceSchema.optional(),
  location: optionalReference,
  total: z.number().optional(),
  memo: z.string().optional(),
  item: sublist(lineSchema),
});

/** Sales order internal ID → SparkLayer purchase id, from sales order bodies (GET salesOrder) the pack booked. */
export function salesOrderPurchaseIds(salesOrders: readonly unknown[]): Map<string, string> {
  const ids = new Map<string, string>();
  for (const order of salesOrders) {
    const id = (order as { id?: unknown } | null)?.id;
    const purchase = purchaseIdOfSalesOrder(order);
    if (typeof id === 'string' && purchase !== undefined) ids.set(id, purchase);
  }
  return ids;
}

/** Return authorization internal ID → the internal ID of the transaction it was made from (`createdFrom`). */
export function returnAuthorizationOrders(returnAuthorizations: readonly unknown[]): Map<string, string> {
  const ids = new Map<string, string>();
  for (const ra of returnAuthorizations) {
    const parsed = z.looseObject({ id: z.string(), createdFrom: referenceSchema }).safeParse(ra);
    if (parsed.success) ids.set(parsed.data.id, parsed.data.createdFrom.id);
  }
  return ids;
}

const SHIP_STATUSES: Record<string, FulfilmentStatus> = {
  A: 'picked',
  B: 'packed',
  C: 'shipped',
  _picked: 'picked',
  _packed: 'packed',
  _shipped: 'shipped',
};

/** An item fulfillment (GET itemFulfillment) as a canonical fulfilment. */
export function fulfilmentFromNetSuite(body: unknown, links: NetSuiteFulfilmentLinks): Fulfilment {
  const record = parse(itemFulfillmentSchema, body, 'itemFulfillment');
  const what = `NetSuite itemFulfillment ${record.id}`;
  const statusValue = typeof record.shipStatus === 'string' ? record.shipStatus : record.shipStatus?.id;
  const status =
    statusValue === undefined
      ? 'shipped'
      : Object.hasOwn(SHIP_STATUSES, statusValue)
        ? SHIP_STATUSES[statusValue]
        : undefined;
  if (status === undefined)
    throw new FulfilmentReadError(`${what}: shipStatus: ${JSON.stringify(statusValue)} is not A, B or C`);
  const lines = readLines(record.item.items, links, what);
  const locations = new Set(lines.map((line) => line.location));
  const fulfilment: Fulfilment = {
    purchase_id: purchaseOf(record.createdFrom.id, links, what),
    transaction_id: record.id,
    source: NETSUITE_FULFILMENT_SOURCE,
    status,
    shipped_at: record.tranDate,
    lines,
  };
  const tracking = (record.package?.items ?? [])
    .map((pkg) => pkg.packageTrackingNumber?.trim() ?? '')
    .filter((number) => number !== '');
  if (tracking.length > 0) fulfilment.tracking_number = tracking.join(', ');
  const carrier = record.shipMethod?.refName;
  if (carrier !== undefined && carrier !== '') fulfilment.carrier = carrier;
  const [location] = locations;
  if (locations.size === 1 && location !== undefined) fulfilment.location = location;
  return fulfilment;
}

/**
 * A credit memo (GET creditMemo) or return authorization (GET returnAuthorization) as a canonical return. It reaches
 * its sales order directly (`createdFrom` a sales order) or through the return authorization it was made from.
 */
export function returnFromNetSuite(
  body: unknown,
  links: NetSuiteFulfilmentLinks,
  recordType: 'creditMemo' | 'returnAuthorization' = 'creditMemo',
): CanonicalReturn {
  const record = parse(returnTransactionSchema, body, recordType);
  const what = `NetSuite ${recordType} ${record.id}`;
  const from = record.createdFrom.id;
  const fromAuthorization = links.returnAuthorizations?.get(from);
  const salesOrder = links.salesOrders.has(from) ? from : fromAuthorization;
  if (salesOrder === undefined)
    throw new FulfilmentReadError(
      `${what}: createdFrom: ${from} is neither a sales order the pack booked nor a return authorization made from one`,
    );
  const ret: CanonicalReturn = {
    purchase_id: purchaseOf(salesOrder, links, what),
    transaction_id: record.id,
    original_transaction_id: salesOrder,
    source: NETSUITE_FULFILMENT_SOURCE,
    returned_at: record.tranDate,
    lines: readLines(record.item.items, links, what),
  };
  if (salesOrder !== from) ret.created_from = from;
  const location = referenceId(record.location);
  if (location !== undefined) ret.location = location;
  if (record.total !== undefined) ret.refund = refund(record.total, record.currency, links, what);
  const reason = record.memo?.trim();
  if (reason) ret.reason = reason;
  return ret;
}

function parse<T extends z.ZodType>(schema: T, body: unknown, recordType: string): z.infer<T> {
  const id = (body as { id?: unknown } | null)?.id;
  return readFulfilmentRecord(schema, body, `NetSuite ${recordType} ${typeof id === 'string' ? id : '(no id)'}`);
}

function purchaseOf(salesOrder: string, links: NetSuiteFulfilmentLinks, what: string): string {
  const purchase = links.salesOrders.get(salesOrder);
  if (purchase === undefined)
    throw new FulfilmentReadError(
      `${what}: createdFrom: sales order ${salesOrder} has no SparkLayer purchase (externalId) the pack booked`,
    );
  return purchase;
}

function readLines(
  items: readonly z.infer<typeof lineSchema>[],
  links: NetSuiteFulfilmentLinks,
  what: string,
): FulfilmentLine[] {
  const lines: FulfilmentLine[] = [];
  items.forEach((item, index) => {
    if (item.itemreceive === false || item.itemReceive === false) return;
    const field = `item.items.${index}`;
    const sku = links.itemSkus?.get(item.item.id) ?? item.item.refName;
    if (sku === undefined || sku === '')
      throw new FulfilmentReadError(
        `${what}: ${field}.item: item ${item.item.id} has no SKU (no refName, not in item_skus)`,
      );
    let quantity;
    try {
      quantity = toDecimal(item.quantity, `${what}: ${field}.quantity`);
    } catch (error) {
      throw new FulfilmentReadError(error instanceof MoneyError ? error.message : String(error));
    }
    if (quantity.lt(0)) throw new FulfilmentReadError(`${what}: ${field}.quantity: ${quantity.toFixed()} is negative`);
    const line: FulfilmentLine = { sku, quantity };
    const location = referenceId(item.location);
    if (location !== undefined) line.location = location;
    lines.push(line);
  });
  return lines;
}

function referenceId(reference: z.infer<typeof optionalReference>): string | undefined {
  return typeof reference === 'string' ? reference : reference?.id;
}

function refund(
  total: number,
  currency: z.infer<typeof referenceSchema> | undefined,
  links: NetSuiteFulfilmentLinks,
  what: string,
): Money {
  if (currency === undefined) throw new FulfilmentReadError(`${what}: currency: missing (the refund has a total)`);
  const name = currency.refName ?? '';
  let iso = /^[A-Z]{3}$/.test(name) ? name : undefined;
  for (const [code, id] of links.currencyIds ?? []) if (iso === undefined && id === currency.id) iso = code;
  if (iso === undefined)
    throw new FulfilmentReadError(
      `${what}: currency: ${currency.id} (${JSON.stringify(name)}) is not an ISO code and not in currency_ids`,
    );
  try {
    return Money.of(total, iso, `${what}: total`);
  } catch (error) {
    throw new FulfilmentReadError(error instanceof MoneyError ? error.message : String(error));
  }
}
