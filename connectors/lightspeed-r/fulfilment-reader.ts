/**
 * Lightspeed Retail R-Series sales read into the pack's canonical fulfilments and returns (model/fulfilment.ts) for the
 * flows that report dispatch and returns back to SparkLayer. Pure: it reads a sale as GET
 * /API/V3/Account/{accountID}/Sale/{saleID}.json with load_relations=["SaleLines","SaleNotes"] gives it (its `Sale`, or
 * the whole answer; one element of Find sales' `Sale` is the same record), in any of R-Series' JSON forms (schemas.ts
 * normalises them), and the links the caller already holds; no client, no I/O, no clock.
 *
 * Lightspeed's pages, and what each confirms:
 * - Sale (https://developers.lightspeedhq.com/retail/endpoints/Sale/): `completed` ("If the sale is completed the
 *   inventory will have been removed and the payments will be equal to the total"), `completeTime` ("The date/time that
 *   the sale was completed"), `voided` ("All inventory is restocked"), `archived`, `referenceNumber` and
 *   `referenceNumberSource`, `total` ("calcSubtotal minus calcDiscount plus calcTax1 plus calcTax2"), `calcTotal`,
 *   `shopID` ("the shop where this sale was processed"), `shipToID` ("the shipment record for this sale") and the
 *   relations SaleLines, SaleNotes, ShipTo. No currency, carrier or tracking field on a sale.
 * - SaleLine (https://developers.lightspeedhq.com/retail/endpoints/SaleLine/): `saleLineID`, `itemID`, `unitQuantity`
 *   ("Is negative for refunds"), `saleID`, and `parentSaleLineID` ("The foreign ID for the line this refund line
 *   originated from. Only for refund lines"). No reason field on a line or a sale.
 * - Sale Refund (https://developers.lightspeedhq.com/retail/endpoints/Sale-refund/): "Refunds are expressed as a Sale
 *   whose SaleLines have a negative unitQuantity and whose SalePayments have negative amount"; POST
 *   Sale/{saleID}/refund makes one, its lines naming the original's by `parentSaleLineID`, `completed` by default. The
 *   page shows no answer.
 * - ShipTo (https://developers.lightspeedhq.com/retail/endpoints/ShipTo/): "When Sales need to be shipped to the
 *   customer a ShipTo record is created to track the shipping process": `shipped` ("Whether this shipment has been
 *   shipped out"), `timeStamp` ("The last date/time the shipment was modified"), `saleID`. No carrier or tracking.
 * - Item (https://developers.lightspeedhq.com/retail/endpoints/Item/): the SKU fields (constants.ts SKU_FIELDS). The
 *   pack knows an item by the first of them not blank, customSku first (stock-reader.ts; sale-mapper.ts sku_fields).
 * - The pack books a SparkLayer order as a sale with `referenceNumberSource` SparkLayer, `referenceNumber` the PO
 *   number (else the purchase id) and the purchase id in its internal note's marker (sale-mapper.ts, constants.ts,
 *   booking.ts). A PO number can repeat, so a sale reaches its purchase through the marker (`purchaseIdOfSale`), as the
 *   booking look-up does: SaleNotes must be loaded.
 *
 * Fulfilments. R-Series keeps no shipment with a carrier or tracking on a sale (Shipment is purchase-order receiving:
 * https://developers.lightspeedhq.com/retail/endpoints/Shipment/). A completed sale, neither voided nor archived, is
 * read as shipped in full, every item line, from its shop, at `completeTime`; a sale with a ShipTo (shipToID not 0) is
 * shipped only once its ShipTo says `shipped`, at the ShipTo's `timeStamp`. An open, voided or archived sale, or one
 * whose ShipTo has not shipped, is no fulfilment (`undefined`). No carrier, tracking number or tracking URL is ever
 * set.
 *
 * Returns. A refund sale is read when completed (an open refund is not done, a voided or archived one undone:
 * `undefined`). A refund names no original sale, only original lines: its purchase is reached through
 * `originalSaleLines` (original saleLineID → its saleID) and `originalSales` (saleID → purchase id), lookups rather
 * than the original bodies because R-Series assigns sale ids (the pack cannot derive them as it does for X-Series), so
 * the caller reads its booked sales once (with SaleLines and SaleNotes: `originalSaleLinks` builds both) and keeps the
 * two small tables; a refund never needs more of the original than that. The refund is the refund sale's `total` (else
 * `calcTotal`), negated, in the store's currency (`currency`: a sale names none). No reason: R-Series has no field for
 * one.
 *
 * UNVERIFIED (no Lightspeed page read shows it; each is read as written, nothing else guessed):
 * - what GET gives for a refund sale (the Sale-refund page shows no answer): negative `unitQuantity`,
 *   `parentSaleLineID` on each refund line and a negative `total` are read from the field descriptions above;
 * - `completeTime` as the time goods left (a completed sale has removed its stock; no ship time exists), a completed
 *   sale as dispatched in full from its `shopID`, and the ShipTo's `timeStamp` (its last change) as its ship time;
 * - an archived sale as undone (booking.ts counts it as not booked too);
 * - a refund line with a positive quantity (an exchange's new goods) as not returned (left out), and a refund's
 *   `shopID` as where the goods came back to;
 * - `total` before `calcTotal` (the Sale page: "The Sale total" and "The total").
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
import { Money, MoneyError, toDecimal } from '../../model/money.js';
import { isJsonObject } from '../../runtime/json-object.js';
import type { LookupTable } from '../../runtime/tables.js';
import { purchaseIdOfSale, REFERENCE_SOURCE, SKU_FIELDS, type SkuField } from './constants.js';
import {
  itemSchema,
  lsBoolean,
  lsCollection,
  lsInteger,
  lsText,
  saleLineSchema,
  saleSchema,
  type Item,
} from './schemas.js';

/** The `source` of every record this reader gives. */
export const LIGHTSPEED_R_FULFILMENT_SOURCE = 'lightspeed-r';

/** What links an R-Series sale to its SparkLayer purchase and its lines to SKUs. */
export interface LightspeedRFulfilmentLinks {
  /**
   * Item ID → SparkLayer SKU: see `itemSkus` (or map-order-to-lightspeed-r's product_map, inverted). An item not in it
   * is known by its loaded `Item` relation (SaleLines.Item), by `skuFields`; neither: the line cannot be read.
   */
  itemSkus?: LookupTable;
  /** The SKU fields, in order, for an item read from a line's `Item` (default SKU_FIELDS, as sku_fields). */
  skuFields?: readonly SkuField[];
  /** Original saleLineID → the saleID it is on, for refunds: see `originalSaleLinks`. */
  originalSaleLines?: LookupTable;
  /** Original saleID → SparkLayer purchase id, for refunds: see `originalSaleLinks`. */
  originalSales?: LookupTable;
  /** The store's currency, an ISO code: a refund is in it. */
  currency?: string;
  /** The item shipping is booked as (map-order-to-lightspeed-r's shipping_item_id): its lines are left out. */
  shippingItemId?: string;
}

/** A ShipTo as this reader needs it (https://developers.lightspeedhq.com/retail/endpoints/ShipTo/). */
const shipToSchema = z.looseObject({
  shipToID: lsInteger.optional(),
  shipped: lsBoolean.optional(),
  timeStamp: lsText.optional(),
});
const lineSchema = saleLineSchema.extend({
  unitQuantity: lsInteger,
  parentSaleLineID: lsInteger.optional(),
  Item: itemSchema.optional(),
});

/** A sale as this reader needs it: schemas.ts' Sale, with its lines, `completed` and the ShipTo. */
export const fulfilmentSaleSchema = saleSchema.extend({
  completed: lsBoolean,
  shipToID: lsInteger.optional(),
  ShipTo: shipToSchema.optional(),
  SaleLines: lsCollection('SaleLine', lineSchema),
});
type Sale = z.output<typeof fulfilmentSaleSchema>;
type Line = z.output<typeof lineSchema>;

/** The pack's SKU of an item: the first of `skuFields` not blank, trimmed. */
function skuOf(item: Item, skuFields: readonly SkuField[]): string | undefined {
  return skuFields.map((field) => item[field]?.trim()).find((sku) => sku !== undefined && sku !== '');
}

/** Item ID → SKU, from R-Series Item records (GET Item.json), by the first of `skuFields` not blank. */
export function itemSkus(items: readonly unknown[], skuFields: readonly SkuField[] = SKU_FIELDS): Map<string, string> {
  const skus = new Map<string, string>();
  for (const item of items) {
    const parsed = itemSchema.safeParse(item);
    const sku = parsed.success ? skuOf(parsed.data, skuFields) : undefined;
    if (parsed.success && sku !== undefined) skus.set(String(parsed.data.itemID), sku);
  }
  return skus;
}

/**
 * From sales the pack booked (with SaleLines and SaleNotes loaded; any that name no purchase are left out): saleLineID
 * → saleID, and saleID → SparkLayer purchase id.
 */
export function originalSaleLinks(sales: readonly unknown[]): {
  originalSaleLines: Map<string, string>;
  originalSales: Map<string, string>;
} {
  const originalSaleLines = new Map<string, string>();
  const originalSales = new Map<string, string>();
  for (const body of sales) {
    const parsed = saleSchema.safeParse(unwrap(body));
    const purchase = parsed.success ? purchaseIdOfSale(parsed.data) : undefined;
    if (!parsed.success || purchase === undefined) continue;
    const saleId = String(parsed.data.saleID);
    originalSales.set(saleId, purchase);
    for (const line of parsed.data.SaleLines ?? [])
      if (line.saleLineID !== undefined && line.saleLineID > 0) originalSaleLines.set(String(line.saleLineID), saleId);
  }
  return { originalSaleLines, originalSales };
}

const isRefundLine = (line: Line): boolean => (line.parentSaleLineID ?? 0) > 0 || line.unitQuantity < 0;

/** Whether an R-Series sale body is a refund (a line naming a parent line, or with a negative quantity). */
export function isRefundSale(body: unknown): boolean {
  const parsed = fulfilmentSaleSchema.safeParse(unwrap(body));
  return parsed.success && parsed.data.SaleLines.some(isRefundLine);
}

/** Completed, and neither voided nor archived. */
const done = (sale: Sale): boolean => sale.completed && sale.voided !== true && sale.archived !== true;

/**
 * A completed sale as a canonical fulfilment: shipped in full at `completeTime`, or at its ShipTo's `timeStamp` once
 * that has shipped. A sale not completed, voided, archived, or whose ShipTo has not shipped gives `undefined`. A refund
 * throws (read it with `returnFromLightspeedR`).
 */
export function fulfilmentFromLightspeedR(body: unknown, links: LightspeedRFulfilmentLinks): Fulfilment | undefined {
  const sale = parse(body);
  const what = `R-Series sale ${sale.saleID}`;
  sale.SaleLines.forEach((line, index) => {
    const parent = line.parentSaleLineID ?? 0;
    if (parent > 0)
      throw new FulfilmentReadError(
        `${what}: SaleLines.${index}.parentSaleLineID: it refunds line ${parent}, ` +
          'not a fulfilment (read it as a return)',
      );
  });
  if (!done(sale)) return undefined;
  let shippedAt: string | undefined;
  if ((sale.shipToID ?? 0) > 0) {
    if (sale.ShipTo === undefined)
      throw new FulfilmentReadError(
        `${what}: ShipTo: missing (shipToID ${sale.shipToID}: load the ShipTo relation to know whether it shipped)`,
      );
    if (sale.ShipTo.shipped !== true) return undefined;
    shippedAt = sale.ShipTo.timeStamp?.trim();
    if (!shippedAt) throw new FulfilmentReadError(`${what}: ShipTo.timeStamp: missing (the shipped ShipTo's time)`);
  } else {
    shippedAt = sale.completeTime?.trim();
    if (!shippedAt) throw new FulfilmentReadError(`${what}: completeTime: missing (the completed sale's time)`);
  }
  const fulfilment: Fulfilment = {
    purchase_id: purchaseOfSale(sale, what),
    transaction_id: String(sale.saleID),
    source: LIGHTSPEED_R_FULFILMENT_SOURCE,
    status: 'shipped',
    shipped_at: shippedAt,
    lines: readLines(sale, links, what, 'sold'),
  };
  const shop = shopOf(sale);
  if (shop !== undefined) fulfilment.location = shop;
  return fulfilment;
}

/**
 * A completed refund sale as a canonical return, for the purchase of the sale whose lines it refunds. A refund not
 * completed, voided or archived gives `undefined`.
 */
export function returnFromLightspeedR(body: unknown, links: LightspeedRFulfilmentLinks): CanonicalReturn | undefined {
  const sale = parse(body);
  const what = `R-Series sale ${sale.saleID}`;
  const parents = sale.SaleLines.flatMap((line, index) =>
    (line.parentSaleLineID ?? 0) > 0 ? [{ index, parent: String(line.parentSaleLineID) }] : [],
  );
  if (parents.length === 0)
    throw new FulfilmentReadError(
      `${what}: SaleLines.parentSaleLineID: missing on every line (a refund not linked to a sale has no purchase)`,
    );
  if (!done(sale)) return undefined;

  let original: { id: string; index: number } | undefined;
  for (const { index, parent } of parents) {
    const field = `SaleLines.${index}.parentSaleLineID`;
    const saleId = links.originalSaleLines?.get(parent);
    if (saleId === undefined)
      throw new FulfilmentReadError(
        `${what}: ${field}: line ${parent} is on no sale the pack booked (not in original_sale_lines)`,
      );
    if (original !== undefined && original.id !== saleId)
      throw new FulfilmentReadError(
        `${what}: ${field}: line ${parent} is on sale ${saleId}, ` +
          `SaleLines.${original.index} refunds sale ${original.id}`,
      );
    original ??= { id: saleId, index };
  }
  const { id: originalId, index: originalIndex } = original!;
  const purchase = links.originalSales?.get(originalId);
  if (purchase === undefined)
    throw new FulfilmentReadError(
      `${what}: SaleLines.${originalIndex}.parentSaleLineID: sale ${originalId} has no SparkLayer purchase ` +
        '(not a sale the pack booked)',
    );
  const returnedAt = sale.completeTime?.trim();
  if (!returnedAt) throw new FulfilmentReadError(`${what}: completeTime: missing (the completed refund's time)`);
  const ret: CanonicalReturn = {
    purchase_id: purchase,
    transaction_id: String(sale.saleID),
    original_transaction_id: originalId,
    source: LIGHTSPEED_R_FULFILMENT_SOURCE,
    returned_at: returnedAt,
    lines: readLines(sale, links, what, 'returned'),
  };
  const shop = shopOf(sale);
  if (shop !== undefined) ret.location = shop;
  const refund = refundOf(sale, links, what);
  if (refund !== undefined) ret.refund = refund;
  return ret;
}

/** The `Sale` of a single-record answer, or the record itself. */
function unwrap(body: unknown): unknown {
  return isJsonObject(body) && !Object.hasOwn(body, 'saleID') && isJsonObject(body.Sale) ? body.Sale : body;
}

function parse(body: unknown): Sale {
  const record = unwrap(body);
  const id = (record as { saleID?: unknown } | null)?.saleID;
  const name = typeof id === 'string' || typeof id === 'number' ? String(id) : '(no id)';
  return readFulfilmentRecord(fulfilmentSaleSchema, record, `R-Series sale ${name}`, valueAt);
}

/**
 * The raw value at a normalised path: an index into a collection R-Series sent wrapped (`{"SaleLine": [...]}`) or as
 * one object (`{"SaleLine": {...}}`) is read through its wrapper.
 */
function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((at, key) => {
    if (!isJsonObject(at) && !Array.isArray(at)) return undefined;
    if (typeof key === 'number' && !Array.isArray(at)) {
      const inner = Object.values(at)[0];
      return Array.isArray(inner) ? inner[key] : key === 0 ? inner : undefined;
    }
    return (at as Record<PropertyKey, unknown>)[key];
  }, body);
}

function purchaseOfSale(sale: Sale, what: string): string {
  const source = sale.referenceNumberSource;
  if (source !== REFERENCE_SOURCE) {
    const found =
      source === undefined || source === '' ? 'missing' : `${JSON.stringify(source)} is not ${REFERENCE_SOURCE}`;
    throw new FulfilmentReadError(`${what}: referenceNumberSource: ${found} (not a sale the pack booked)`);
  }
  const note = sale.SaleNotes?.InternalNote?.note;
  if (note === undefined)
    throw new FulfilmentReadError(
      `${what}: SaleNotes.InternalNote.note: missing (load SaleNotes: it names the purchase)`,
    );
  const purchase = purchaseIdOfSale(sale);
  if (purchase === undefined)
    throw new FulfilmentReadError(
      `${what}: SaleNotes.InternalNote.note: names no SparkLayer purchase (not a sale the pack booked)`,
    );
  return purchase;
}

function shopOf(sale: Sale): string | undefined {
  return sale.shopID !== undefined && sale.shopID > 0 ? String(sale.shopID) : undefined;
}

/**
 * The lines as SKUs and positive quantities. `sold`: every item line, none negative. `returned`: the refund lines (a
 * parent line, or a negative quantity), none positive, as positive quantities; other lines (an exchange's) are left
 * out. Miscellaneous lines (itemID 0) and shipping lines are left out of both.
 */
function readLines(
  sale: Sale,
  links: LightspeedRFulfilmentLinks,
  what: string,
  kind: 'sold' | 'returned',
): FulfilmentLine[] {
  const lines: FulfilmentLine[] = [];
  sale.SaleLines.forEach((line, index) => {
    const field = `SaleLines.${index}`;
    const quantity = line.unitQuantity;
    if (kind === 'sold' && quantity < 0)
      throw new FulfilmentReadError(`${what}: ${field}.unitQuantity: ${quantity} is negative`);
    if (kind === 'returned') {
      if (!isRefundLine(line)) return;
      if (quantity > 0)
        throw new FulfilmentReadError(`${what}: ${field}.unitQuantity: ${quantity} is positive on a refund line`);
      if ((line.parentSaleLineID ?? 0) === 0)
        throw new FulfilmentReadError(
          `${what}: ${field}.parentSaleLineID: missing (a refund line not linked to the original sale's line)`,
        );
    }
    if (line.itemID === undefined) throw new FulfilmentReadError(`${what}: ${field}.itemID: missing`);
    const itemId = String(line.itemID);
    if (itemId === '0' || itemId === links.shippingItemId) return;
    const sku =
      links.itemSkus?.get(itemId) ?? (line.Item ? skuOf(line.Item, links.skuFields ?? SKU_FIELDS) : undefined);
    if (sku === undefined || sku === '')
      throw new FulfilmentReadError(
        `${what}: ${field}.itemID: item ${itemId} has no SKU (not in item_skus, and no Item loaded with one)`,
      );
    lines.push({ sku, quantity: toDecimal(Math.abs(quantity), `${what}: ${field}.unitQuantity`) });
  });
  return lines;
}

/** The refund sale's total (`total`, else `calcTotal`), negated. */
function refundOf(sale: Sale, links: LightspeedRFulfilmentLinks, what: string): Money | undefined {
  const field = sale.total !== undefined ? 'total' : 'calcTotal';
  const total = sale.total ?? sale.calcTotal;
  if (total === undefined) return undefined;
  if (links.currency === undefined || links.currency.trim() === '')
    throw new FulfilmentReadError(
      `${what}: ${field}: the refund has no currency (R-Series sales carry none; pass the store's currency)`,
    );
  let amount: Money;
  try {
    amount = Money.of(total.toFixed(), links.currency, `${what}: ${field}`);
  } catch (error) {
    throw new FulfilmentReadError(error instanceof MoneyError ? error.message : String(error));
  }
  if (amount.amount.gt(0))
    throw new FulfilmentReadError(
      `${what}: ${field}: ${amount.amount.toFixed()} is positive (the sale charges the customer, it refunds nothing)`,
    );
  return amount.isZero() ? amount.abs() : amount.negated();
}
