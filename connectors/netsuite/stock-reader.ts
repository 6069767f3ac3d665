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
 * not subtract those orders again (it never reads them). Two limits, from the same definition: a sales order still
 * Pending Approval commits nothing (map-order-to-netsuite books a held Pay on Account order as A, Pending Approval),
 * and a line NetSuite could not commit (no stock, or set not to commit) is not counted either; their quantities are
 * still in `available` until the order is approved and committed. The first is read and subtracted (the flow's
 * subtract_open_orders is yes): NETSUITE_PENDING_APPROVAL_QUERY and openOrdersFromSuiteQL, below. The second is not
 * (an approved line NetSuite did not commit is not told apart by this reader).
 *
 * Unverified (no Oracle page read says so; from public integration code and CData's SuiteQL schema): the table and
 * column names (inventoryitemlocations.item, location, quantityonhand, quantityavailable, quantitycommitted;
 * item.itemid, isinactive, parent, matrixtype), matrixtype's values PARENT and CHILD (SOAP's matrixType is _parent and
 * _child: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N3705423.html), booleans as T and F,
 * numbers as text, and empty (null) columns left out of a row. The reader is written not to depend on the last three:
 * see `stockLevelFromSuiteQL`.
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
  return rows.map((row, index) => stockLevelFromSuiteQL(row, index));
}

/**
 * One row as a stock level. A row that is not an object, or whose T/F flag or matrixtype is something else, means
 * the query or NetSuite changed: it throws, naming the row, rather than guess. Anything wrong with the SKU, the
 * location or a quantity is left for map-stock-to-sparklayer to report on that record (INVALID_RECORD,
 * INVALID_QUANTITY): a blank SKU stays blank, a malformed quantity stays as it came.
 */
export function stockLevelFromSuiteQL(row: unknown, index: number): StockLevel {
  if (row === null || typeof row !== 'object' || Array.isArray(row))
    throw new TypeError(`NetSuite stock row ${index}: not an object (${JSON.stringify(row)})`);
  const r = row as Record<string, unknown>;
  // An empty column (null, or left out) on hand is 0: nothing on hand.
  const onHand = quantity(r.quantityonhand) ?? '0';
  const level: StockLevel = {
    sku: text(r.itemid) ?? '',
    location: text(r.location) ?? '',
    on_hand: onHand,
    source: NETSUITE_STOCK_SOURCE,
    archived: flag(r.isinactive, r, index, 'isinactive'),
    has_variants: matrixParent(r.matrixtype, r, index, 'matrixtype'),
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
function flag(value: unknown, row: Record<string, unknown>, index: number, column: string): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (value === true || value === 'T' || value === 't' || value === 'true') return true;
  if (value === false || value === 'F' || value === 'f' || value === 'false') return false;
  throw new TypeError(`${rowColumn(row, index, column)} is ${JSON.stringify(value)}, not T or F`);
}

/** Where a column's value is, for an error: worded only when one is thrown (not for each of 100,000 rows). */
function rowColumn(row: Record<string, unknown>, index: number, column: string): string {
  return `NetSuite stock row ${index} (item ${JSON.stringify(row.item ?? null)}): ${column}`;
}

/** True for a matrix parent (PARENT, any case); false for a child (CHILD) or a plain item (empty). */
function matrixParent(value: unknown, row: Record<string, unknown>, index: number, column: string): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'string' && /^_?parent$/i.test(value)) return true;
  if (typeof value === 'string' && /^_?child$/i.test(value)) return false;
  throw new TypeError(`${rowColumn(row, index, column)} is ${JSON.stringify(value)}, not PARENT or CHILD`);
}

/**
 * Open orders NetSuite's `available` still holds: the lines of sales orders Pending Approval.
 *
 * Why: quantityavailable leaves out only what APPROVED sales orders commit (section_N2262573, above), and the pack
 * books a held Pay on Account order Pending Approval (orderStatus A: connectors/netsuite/sales-order-mapper.ts; "A
 * Pending Approval, B Pending Fulfillment":
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_159795516182.html). Until it is approved its
 * units are still in `available`, so the flow reads these lines and map-stock-to-sparklayer subtracts them
 * (subtract_open_orders yes). An approved order's lines are NOT read: they are already out of quantityavailable, and
 * subtracting them would count them twice.
 *
 * The query's facts and their sources:
 * - `transaction.type` 'SalesOrd' for a sales order, and `transaction.status` 'A' for Sales Order : Pending Approval:
 *   the TransactionStatus table as SuiteQL lists it (id A, trantype SalesOrd, "Sales Order : Pending Approval":
 *   https://cnblogs.com/backuper/p/7450278.html, third party); Oracle's REST page above gives A as Pending Approval
 *   for orderStatus. That SuiteQL's transaction.status holds the bare letter (not 'SalesOrd:A', the saved-search
 *   form) is unverified: no Oracle page read says so.
 * - `transactionline.transaction` joins a line to its transaction (`transaction.id`), and each transaction has exactly
 *   one main line (`mainline` T; on a sales order it has no item), the item lines being mainline F:
 *   https://netsuitediagnostics.com/posts/suiteql-transactionline-mainline (third party; the join as in
 *   https://blog.prolecto.com/2024/02/03/netsuite-id-references-for-generating-related-child-transactions/, third
 *   party). Unverified by Oracle.
 * - `transactionline.taxline` and `transactionline.isclosed` (a tax line; a line closed, which reserves nothing):
 *   unverified, from public SuiteQL code only.
 * - `transactionline.location`, the line's location (a sales order line's own, for Multi-Location Inventory):
 *   unverified; no Oracle page read names the column.
 * - `transactionline.quantity`'s sign on a sales order: UNVERIFIED. Lines that take stock out are negative in
 *   transactionline on an assembly build (netsuitediagnostics above), and public code reads sales order lines as
 *   negative too, but no source read says so for a sales order. The reader reads the magnitude either way, so the
 *   sign does not matter: a sales order line never puts stock back.
 * - `item.itemid`: the item's name/number, as in the stock query (its SKU; unverified likewise, above).
 * Quantities are in the line's units; whether transactionline.quantity is in the item's stock unit when the line uses
 * another unit of measure is unverified (the pack books lines in the stock unit).
 */
export const NETSUITE_PENDING_APPROVAL_QUERY = [
  'SELECT tl.transaction, tl.id, tl.item, item.itemid, tl.location, tl.quantity',
  'FROM transactionline tl INNER JOIN transaction t ON t.id = tl.transaction INNER JOIN item ON item.id = tl.item',
  "WHERE t.type = 'SalesOrd' AND t.status = 'A' AND tl.mainline = 'F' AND tl.taxline = 'F' AND tl.isclosed = 'F'",
  'ORDER BY tl.transaction, tl.id',
].join(' ');

/** One open-order line as map-stock-to-sparklayer's `open_orders` takes it: back-end SKU, location, units. */
export interface OpenOrderLine {
  sku: string;
  location: string;
  quantity: string;
}

/** A row of the Pending Approval query that could not be read: its place, the row as it came, and why. */
export interface UnreadableOpenOrderRow {
  index: number;
  row: unknown;
  message: string;
}

/**
 * The open-order lines of the Pending Approval query's rows, in order, and the rows that could not be read (reported,
 * never thrown): a row that is not an object, has no SKU (itemid) or no location, or whose quantity is not a number. A
 * line of 0 units reserves nothing and is left out. `quantity` is the magnitude of transactionline.quantity, as
 * decimal text (its sign on a sales order is unverified: see NETSUITE_PENDING_APPROVAL_QUERY).
 */
export function openOrdersFromSuiteQL(rows: readonly unknown[]): {
  orders: OpenOrderLine[];
  unreadable: UnreadableOpenOrderRow[];
} {
  const orders: OpenOrderLine[] = [];
  const unreadable: UnreadableOpenOrderRow[] = [];
  rows.forEach((row, index) => {
    const problem = (message: string) => unreadable.push({ index, row, message });
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      problem(`NetSuite open order row ${index}: not an object (${JSON.stringify(row) ?? String(row)})`);
      return;
    }
    const r = row as Record<string, unknown>;
    const order = JSON.stringify(r.transaction ?? null);
    const where = `NetSuite open order row ${index} (sales order ${order}, line ${JSON.stringify(r.id ?? null)})`;
    const sku = text(r.itemid)?.trim();
    const location = text(r.location)?.trim();
    if (sku === undefined || sku === '') return void problem(`${where}: no itemid (the item's SKU)`);
    if (location === undefined || location === '') return void problem(`${where}: no location on the line`);
    const read = quantity(r.quantity);
    const value = typeof read === 'number' ? (Number.isFinite(read) ? new Big(read).toFixed() : undefined) : read;
    if (value === undefined || !PLAIN_DECIMAL.test(value))
      return void problem(`${where}: quantity is ${JSON.stringify(r.quantity ?? null)}, not a number`);
    const magnitude = new Big(value).abs();
    if (magnitude.eq(0)) return;
    orders.push({ sku, location, quantity: magnitude.toFixed() });
  });
  return { orders, unreadable };
}
