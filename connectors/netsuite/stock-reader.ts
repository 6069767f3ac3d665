/**
 * NetSuite stock, read into the pack's canonical stock levels (model/stock.ts) for map-stock-to-sparklayer: one level
 * per item and location, from one SuiteQL query (`netsuiteStockQuery`) run through runSuiteQL (POST
 * /query/v1/suiteql with Prefer: transient, paged by limit and offset until hasMore is false:
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157909186990.html,
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156414087576.html). Shipped (bundled into
 * steps): pure, no client, no I/O.
 *
 * Each level:
 * - `sku`: the item's `itemid` (its name/number; a matrix child has its own);
 * - `location`: the location's internal ID, as text (location_map maps it to a SparkLayer stock location);
 * - `on_hand`: `quantityonhand`, `available`: `quantityavailable`, both kept as the decimal text NetSuite sends;
 * - `product_id`: the item's internal ID; `source`: `netsuite`;
 * - `archived`: the item is inactive (`isinactive` T);
 * - `has_variants`: the item is a matrix parent (`matrixtype` PARENT), which holds no stock of its own.
 *
 * Reservations: Oracle's "Assessing Stock Levels"
 * (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N2262573.html) defines Quantity Available as
 * Quantity On Hand less Quantity Committed, never negative, and Quantity Committed as the quantity promised to
 * customers on APPROVED sales orders not yet fulfilled; "Tracking Inventory Balances By Status"
 * (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1515699529.html) says the same (on hand
 * includes what is committed; available is on hand less committed). So `available` already leaves out what open,
 * approved sales orders (Pending Fulfillment, partly fulfilled) hold: the stock flow publishes `available` and must
 * not subtract those orders again (map-stock-to-sparklayer subtract_open_orders=no). Two limits, from the same
 * definition: a sales order still Pending Approval commits nothing (map-order-to-netsuite books a held Pay on Account
 * order as A, Pending Approval), and a line NetSuite could not commit (no stock, or set not to commit) is not counted
 * either; their quantities are still in `available` until the order is approved and committed.
 *
 * Unverified (no Oracle page read says so; from public integration code and CData's SuiteQL schema): the table and
 * column names (inventoryitemlocations.item, location, quantityonhand, quantityavailable, quantitycommitted;
 * item.itemid, isinactive, parent, matrixtype), matrixtype's values PARENT and CHILD (SOAP's matrixType is _parent and
 * _child: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N3705423.html), booleans as T and F,
 * numbers as text, and empty (null) columns left out of a row. The reader is written not to depend on the last three:
 * see `readRow`.
 */
import Big from 'big.js';
import type { StockLevel } from '../../model/stock.js';

/** The `source` of every level this reader gives. */
export const NETSUITE_STOCK_SOURCE = 'netsuite';

/** An internal ID: digits only. */
const INTERNAL_ID = /^\d+$/;

/**
 * The stock query: every item at every location it has a row for, with the item's SKU, inactive flag and matrix
 * facts; `locations` (internal IDs) limits it to those locations. Ordered by item and location, so that limit/offset
 * pages are stable. quantitycommitted is read for the record (and for `available` when NetSuite leaves that out).
 * One query gives at most 100,000 rows (section_157909186990, above): an account with more item-location rows than
 * that needs the query split, by location here.
 */
export function netsuiteStockQuery(options: { locations?: readonly string[] } = {}): string {
  const locations = options.locations ?? [];
  for (const id of locations) {
    if (!INTERNAL_ID.test(id))
      throw new RangeError(`a NetSuite location internal ID is digits only; ${JSON.stringify(id)} is not one`);
  }
  return [
    'SELECT iil.item, iil.location, iil.quantityonhand, iil.quantityavailable, iil.quantitycommitted,',
    'item.itemid, item.isinactive, item.parent, item.matrixtype',
    'FROM inventoryitemlocations iil INNER JOIN item ON item.id = iil.item',
    ...(locations.length > 0 ? [`WHERE iil.location IN (${[...new Set(locations)].join(', ')})`] : []),
    'ORDER BY iil.item, iil.location',
  ].join(' ');
}

/** The stock query with no location filter. */
export const NETSUITE_STOCK_QUERY = netsuiteStockQuery();

/** The canonical stock levels of every row of the stock query, in order: one level a row. */
export function stockLevelsFromSuiteQL(rows: readonly unknown[]): StockLevel[] {
  return rows.map((row, index) => readRow(row, index));
}

/**
 * One row as a stock level. A row that is not an object, or whose T/F flag or matrixtype is something else, means
 * the query or NetSuite changed: it throws, naming the row, rather than guess. Anything wrong with the SKU, the
 * location or a quantity is left for map-stock-to-sparklayer to report on that record (INVALID_RECORD,
 * INVALID_QUANTITY): a blank SKU stays blank, a malformed quantity stays as it came.
 */
function readRow(row: unknown, index: number): StockLevel {
  if (row === null || typeof row !== 'object' || Array.isArray(row))
    throw new TypeError(`NetSuite stock row ${index}: not an object (${JSON.stringify(row)})`);
  const r = row as Record<string, unknown>;
  const where = `NetSuite stock row ${index} (item ${JSON.stringify(r.item ?? null)})`;
  // An empty column (null, or left out) on hand is 0: nothing on hand.
  const onHand = quantity(r.quantityonhand) ?? '0';
  const level: StockLevel = {
    sku: text(r.itemid) ?? '',
    location: text(r.location) ?? '',
    on_hand: onHand,
    source: NETSUITE_STOCK_SOURCE,
    archived: flag(r.isinactive, `${where}: isinactive`),
    has_variants: matrixParent(r.matrixtype, `${where}: matrixtype`),
  };
  const available = quantity(r.quantityavailable) ?? availableFrom(onHand, quantity(r.quantitycommitted));
  if (available !== undefined) level.available = available;
  const productId = text(r.item);
  if (productId !== undefined) level.product_id = productId;
  return level;
}

/** Text as it came; a number as its decimal text; null, undefined or '' as undefined. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

/**
 * A quantity, exact: text exactly as it came (map-stock-to-sparklayer reads plain decimal text and reports anything
 * else, naming the value), a JSON number as it came (the step reads its shortest decimal text), an empty column as
 * undefined. One change only: Oracle Database's number-to-text leaves out the 0 before the point ("-.5"), a form
 * the step refuses, so a leading point gets its 0 back ("-.5" → "-0.5"), the same number. Whether NetSuite's SuiteQL
 * ever writes that form is unverified.
 */
function quantity(value: unknown): string | number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value === '') return undefined;
  const bare = /^(-?)\.(\d+)$/.exec(value);
  return bare === null ? value : `${bare[1]}0.${bare[2]}`;
}

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * `available` when NetSuite leaves quantityavailable out: Oracle's own definition, on hand less committed and never
 * below 0 (section_N2262573, above), computed exactly. When on hand or committed is not plain decimal text, nothing is
 * computed: the step then reads on hand and reports it.
 */
function availableFrom(onHand: string | number, committed: string | number | undefined): string | undefined {
  const read = (value: string | number) =>
    typeof value === 'number'
      ? Number.isFinite(value)
        ? new Big(value)
        : undefined
      : PLAIN_DECIMAL.test(value)
        ? new Big(value)
        : undefined;
  const hand = read(onHand);
  const held = committed === undefined ? new Big(0) : read(committed);
  if (hand === undefined || held === undefined) return undefined;
  const available = hand.minus(held);
  return available.lt(0) ? '0' : available.toFixed();
}

/** A T/F checkbox (booleans and 'true'/'false' too); empty is F. Anything else throws. */
function flag(value: unknown, what: string): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (value === true || value === 'T' || value === 't' || value === 'true') return true;
  if (value === false || value === 'F' || value === 'f' || value === 'false') return false;
  throw new TypeError(`${what} is ${JSON.stringify(value)}, not T or F`);
}

/** True for a matrix parent (PARENT, any case); false for a child (CHILD) or a plain item (empty). */
function matrixParent(value: unknown, what: string): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'string' && /^_?parent$/i.test(value)) return true;
  if (typeof value === 'string' && /^_?child$/i.test(value)) return false;
  throw new TypeError(`${what} is ${JSON.stringify(value)}, not PARENT or CHILD`);
}
