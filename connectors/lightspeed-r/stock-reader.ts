/**
 * Lightspeed Retail (R-Series) stock, read into the pack's canonical stock levels (model/stock.ts) for
 * map-stock-to-sparklayer: one level per item and shop, from the items with their ItemShops. Shipped (bundled into
 * steps): pure, no client, no I/O.
 *
 * The read: GET /API/V3/Account/{accountID}/Item.json with load_relations=["ItemShops"] and archived=true (listItems in
 * connectors/lightspeed-r/openapi.json): "Inventory levels for each item in each shop is stored in the ItemShops
 * entity … It is also possible to view the ItemShop details from the Item endpoint by loading the ItemShops relation"
 * (https://developers.lightspeedhq.com/retail/tutorials/inventory/), and archived=true returns archived items too
 * (https://developers.lightspeedhq.com/retail/introduction/parameters/). Paged by the complete URL in
 * `@attributes.next`, "" on the last page (https://developers.lightspeedhq.com/retail/introduction/pagination/).
 *
 * Reading only what changed: an item's own `timeStamp` "doesn't include changes to related records (e.g., ItemShops)"
 * (https://developers.lightspeedhq.com/retail/endpoints/Item/), so it cannot say whose stock moved; an ItemShop's
 * `timeStamp` is the "Date/time the ItemShop was last modified", and the ItemShop page polls on it
 * (`ItemShop.json?sort=timeStamp&timeStamp=>=,{LastPollTime}`: https://developers.lightspeedhq.com/retail/endpoints/ItemShop/).
 * On Item.json the same filter is `ItemShops.timeStamp=>=,<since>`, a search in the loaded relation, which returns
 * "all Items that have at least one related ItemShop record that satisfies the condition"
 * (https://developers.lightspeedhq.com/retail/introduction/relations/, "Searching in Relations"). `stockQuery` writes
 * that query; `itemShopWatermark` gives the latest ItemShop timeStamp read, the next run's `since`. The stock flow
 * keeps the items read (flow cache `stock-state`) and lays each run's over them (scripts/lightspeed-r-stock-levels).
 * The reader also takes ItemShops read apart (GET ItemShop.json, polled as above), joined to the items by itemID.
 *
 * R-Series' JSON quirks, read whatever form comes (every sample on the endpoint pages; openapi.json's description):
 * every scalar a string ("true", "12"), a collection of one an object (`"ItemShop": {…}`, and a query answer of one
 * record `"Item": {…}`), an empty collection "". Records the client has already normalised (schemas.ts: numbers,
 * booleans, arrays) read the same.
 *
 * Each level:
 * - `sku`: the first of the item's SKU fields, in the pack's order (constants.ts SKU_FIELDS: customSku, then systemSku,
 *   "the SKU for the item created by Retail POS", which every item has; then upc, ean, manufacturerSku), that is not
 *   blank; `skuFields` changes the order, as the order mapper's sku_fields setting does. None: "" (the step
 *   reports it);
 * - `location`: the ItemShop's `shopID`, as text. The ItemShop with shopID 0 is left out: it is "a summary record that
 *   includes the QOH for all shops" (ItemShop page), and as a location of its own would count every unit twice;
 * - `on_hand`: `qoh`, "the current quantity on hand … A negative value indicates the presence of negative inventory";
 *   `available`: `sellable`, "the amount that is available for sale. This value will match QOH unless it is negative,
 *   in which case it will display 0" (ItemShop page). Both kept exactly as they came (text stays text, a number stays a
 *   number): the docs say integer, and a decimal is not rounded here either;
 * - `product_id`: the `itemID`; `source`: `lightspeed-r`;
 * - `archived`: the item's `archived` flag. "Items can not be deleted, only archived … If you archive an item with
 *   inventory, the inventory will be zeroed out" (Item page): its levels are 0 anyway, and the step publishes 0;
 * - `has_variants`: always false. R-Series does not list a matrix as an item: the ItemMatrix is its own record (GET
 *   ItemMatrix.json, https://developers.lightspeedhq.com/retail/endpoints/ItemMatrix/), and each variant is an item
 *   carrying the matrix's `itemMatrixID` with stock of its own
 *   (https://developers.lightspeedhq.com/retail/tutorials/itemmatrix/). So a variant (itemMatrixID not 0) is a plain
 *   level under its own SKU, and there is no parent level to skip.
 *
 * Items with `itemType` non_inventory give no levels: "Inventory for these items is not tracked" (Item page).
 *
 * Reservations, what the flow must subtract itself (map-stock-to-sparklayer subtract_open_orders):
 * - an OPEN sale (completed false: what map-order-to-lightspeed-r books for a held or not-yet-paid order) has NOT
 *   lowered `qoh` or `sellable`: "completed: Whether this sale is completed. If the sale is completed the inventory
 *   will have been removed" (https://developers.lightspeedhq.com/retail/endpoints/Sale/), and a reservation's units
 *   "will be removed from inventory" when "the sale is paid and completed"
 *   (https://developers.lightspeedhq.com/retail/tutorials/reservations/). So the flow subtracts the open sales' lines
 *   (subtract_open_orders=yes, with those lines as open_orders) or oversells them. That nothing before completion moves
 *   `qoh` is read from those pages by implication, not stated in so many words;
 * - a LAYAWAY (and a work order line, which "by default … behave like layaways") reserves units "from available
 *   inventory" when it is created (reservations tutorial) and is counted in the ItemShop's `onLayaway` ("units that are
 *   currently reserved for layaways in the shop"; `onWorkorder`, `onSpecialOrder` likewise). Whether that reservation
 *   lowers `qoh` and `sellable` is UNVERIFIED: `sellable`'s documented definition (qoh, or 0 when negative) does not
 *   subtract it; the InventoryLog reasons RemoveForLayaway and CreateAndRemoveInventoryForLayaway
 *   (https://developers.lightspeedhq.com/retail/endpoints/InventoryLog/) suggest it does, as a merchant reports on
 *   Lightspeed's forum ("When a layaway is created, inventory will be deducted if it exists":
 *   https://community.lightspeedhq.com/en/discussion/4588/inventory-on-hand-accuracy-is-flawed), while the tutorial's
 *   "will be removed from inventory" at completion suggests not. Until a real account settles it, a flow should not
 *   subtract `onLayaway` again without checking one layaway's effect on `qoh`;
 * - a special order reserves nothing when created: "no units are reserved right away, even if some are on hand"
 *   (reservations tutorial).
 *
 * Unverified (no Lightspeed page read says so): that `ItemShops.timeStamp` is accepted as a relation search as
 * `ItemShops.qoh` is in the docs' example; whether the loaded ItemShops are then all the item's or only the matching
 * ones (the reader takes either); that archiving an item moves its ItemShops' timeStamp (an archived item whose stock
 * was already 0 may then not be read again, which publishes nothing wrong); whether an ItemShop ever sends a decimal
 * `qoh`.
 */
import { SKU_FIELDS, type SkuField } from './constants.js';
import type { StockLevel } from '../../model/stock.js';
import { isJsonObject } from '../../runtime/json-object.js';

/** The `source` of every level this reader gives. */
export const LIGHTSPEED_R_STOCK_SOURCE = 'lightspeed-r';

type Json = Record<string, unknown>;

export interface LightspeedRStockOptions {
  /** The SKU fields, in order; the first not blank is the level's SKU (default: SKU_FIELDS, customSku first). */
  skuFields?: readonly SkuField[];
  /**
   * ItemShops read apart (GET ItemShop.json records or answers), joined to the items by itemID; for the same item and
   * shop they replace the item's own ItemShops relation.
   */
  itemShops?: unknown;
}

/**
 * The query of one stock read (GET Item.json): every item, archived ones too, with its ItemShops, by itemID; with
 * `since` (an ISO 8601 time, e.g. the last run's `itemShopWatermark`), only the items with an ItemShop modified at or
 * after it (>=: a change in the same second as the last one read is read again, never missed).
 */
export function stockQuery(options: { since?: string; limit?: number } = {}): Record<string, string> {
  const limit = options.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new RangeError(`limit is a whole number from 1 to 100 (R-Series' page limit), not ${limit}`);
  const query: Record<string, string> = {
    load_relations: JSON.stringify(['ItemShops']),
    archived: 'true',
    sort: 'itemID',
    limit: String(limit),
  };
  if (options.since !== undefined) {
    if (!ISO_TIME.test(options.since) || Number.isNaN(Date.parse(options.since)))
      throw new RangeError(`since is an ISO 8601 time such as 2026-11-20T09:00:00+00:00, not ${options.since}`);
    query['ItemShops.timeStamp'] = `>=,${options.since}`;
  }
  return query;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * The canonical stock levels of these items: one per item and shop, in item order then shopID order, the shopID 0
 * summary left out. `items`: Item records, one Item, a query answer (`{"@attributes": …, "Item": …}`) or an array of
 * answers (one per page), in any of R-Series' forms.
 */
export function stockLevelsFromItems(items: unknown, options: LightspeedRStockOptions = {}): StockLevel[] {
  const skuFields = options.skuFields ?? SKU_FIELDS;
  const joined = new Map<string, Json[]>();
  collection(options.itemShops, 'ItemShop').forEach((shop, index) => {
    const record = asRecord(shop, `ItemShop ${index} (given apart)`);
    const itemID = id(record.itemID, `ItemShop ${index} (given apart): itemID`);
    joined.set(itemID, [...(joined.get(itemID) ?? []), record]);
  });

  const levels: StockLevel[] = [];
  collection(items, 'Item').forEach((raw, index) => {
    const item = asRecord(raw, `Item ${index}`);
    const itemID = id(item.itemID, `Item ${index}: itemID`);
    const where = `Item ${index} (itemID ${itemID})`;
    const archived = flag(item.archived, `${where}: archived`);
    if (text(item.itemType) === 'non_inventory') return;
    const sku = itemSku(item, skuFields);

    const byShop = new Map<string, Json>();
    for (const [n, shop] of [...collection(item.ItemShops, 'ItemShop'), ...(joined.get(itemID) ?? [])].entries()) {
      const record = asRecord(shop, `${where}: ItemShop ${n}`);
      const shopID = id(record.shopID, `${where}: ItemShop ${n}: shopID`);
      const owner = record.itemID === undefined ? itemID : id(record.itemID, `${where}: ItemShop ${n}: itemID`);
      if (owner !== itemID) throw new TypeError(`${where}: ItemShop ${n} is item ${owner}'s, not this item's`);
      if (shopID !== '0') byShop.set(shopID, record);
    }
    for (const [shopID, shop] of [...byShop].sort(([a], [b]) => Number(a) - Number(b))) {
      const level: StockLevel = {
        sku: sku ?? '',
        location: shopID,
        on_hand: quantity(shop.qoh) ?? '',
        product_id: itemID,
        source: LIGHTSPEED_R_STOCK_SOURCE,
        archived,
        has_variants: false,
      };
      const sellable = quantity(shop.sellable);
      if (sellable !== undefined) level.available = sellable;
      levels.push(level);
    }
  });
  return levels;
}

/**
 * An item's SKU as every R-Series read of the pack takes it (stock levels here, prices in lightspeed-r-price-rows): the
 * first of `skuFields` (default SKU_FIELDS, customSku first) whose value, as text (a number as its text), is not blank;
 * as it came, not trimmed. None: undefined.
 */
export function itemSku(item: Readonly<Record<string, unknown>>, skuFields: readonly SkuField[] = SKU_FIELDS) {
  return skuFields.map((field) => text(item[field])).find((value) => value !== undefined && value.trim() !== '');
}

/**
 * The latest ItemShop `timeStamp` among these items' ItemShops (the shopID 0 summary included: it moves with every
 * shop), as R-Series wrote it, or undefined when there is none: the `since` of the next run's `stockQuery`.
 */
export function itemShopWatermark(items: unknown, options: Pick<LightspeedRStockOptions, 'itemShops'> = {}) {
  let latest: { text: string; at: number } | undefined;
  const shops = [
    ...collection(items, 'Item').flatMap((item) =>
      collection(isJsonObject(item) ? item.ItemShops : undefined, 'ItemShop'),
    ),
    ...collection(options.itemShops, 'ItemShop'),
  ];
  for (const shop of shops) {
    const stamp = isJsonObject(shop) ? text(shop.timeStamp) : undefined;
    const at = stamp === undefined ? NaN : Date.parse(stamp);
    if (!Number.isNaN(at) && (latest === undefined || at > latest.at)) latest = { text: stamp!, at };
  }
  return latest?.text;
}

/**
 * An item's id in a step's skipped and exceptions (lightspeed-r-stock-levels, lightspeed-r-stock-query): its SKU (the
 * first of SKU_FIELDS that is text and not blank, trimmed), else `item <itemID>`, else null.
 */
export function stockItemId(item: unknown): string | null {
  if (item === null || typeof item !== 'object') return null;
  const fields = item as Json;
  const sku = SKU_FIELDS.map((field) => fields[field]).find(
    (value) => typeof value === 'string' && value.trim() !== '',
  );
  if (typeof sku === 'string') return sku.trim();
  const { itemID } = fields;
  return typeof itemID === 'string' || typeof itemID === 'number' ? `item ${itemID}` : null;
}

/**
 * A collection in any of its forms: an array (of records, or of query answers), `{"<Element>": [...]}`,
 * `{"<Element>": {...}}`, a query answer (`{"@attributes": …, "<Element>": …}`), one record, "" or nothing.
 */
function collection(value: unknown, element: string): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value))
    return value.flatMap((entry) => (wraps(entry, element) ? collection(entry, element) : [entry]));
  if (wraps(value, element)) return collection((value as Json)[element], element);
  return [value];
}

/**
 * A wrapper or a query answer: an object holding `<element>` or `@attributes` (an answer with no records has no
 * `<element>`) and no record ID of its own.
 */
function wraps(value: unknown, element: string): boolean {
  if (!isJsonObject(value) || !(element in value || '@attributes' in value)) return false;
  return !Object.keys(value).some((key) => /ID$/.test(key));
}

function asRecord(value: unknown, what: string): Json {
  if (!isJsonObject(value)) throw new TypeError(`R-Series stock: ${what} is not an object (${JSON.stringify(value)})`);
  return value;
}

/** An R-Series ID: digits, as text or a number. Anything else throws: a record that cannot be placed. */
function id(value: unknown, what: string): string {
  const read = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
  if (typeof read === 'string' && /^\d+$/.test(read)) return read;
  throw new TypeError(`R-Series stock: ${what} is ${JSON.stringify(value)}, not an ID`);
}

/** "true"/"false" or a boolean; left out is false. Anything else throws. */
function flag(value: unknown, what: string): boolean {
  if (value === undefined || value === null || value === '' || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw new TypeError(`R-Series stock: ${what} is ${JSON.stringify(value)}, not "true" or "false"`);
}

/** Text as it came; a number as its text; anything else undefined. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/**
 * A quantity exactly as it came: text stays the same text (map-stock-to-sparklayer reads plain decimal text and reports
 * anything else, naming the value), a number stays the number; a Big (schemas.ts' lsDecimal) becomes its exact text;
 * "" or nothing is undefined.
 */
function quantity(value: unknown): string | number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (isJsonObject(value) && typeof (value as { toFixed?: unknown }).toFixed === 'function' && 'cmp' in value)
    return (value as { toFixed: () => string }).toFixed();
  return undefined;
}
