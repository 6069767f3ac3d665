/**
 * lightspeed-r-stock-levels: the items of the pack's R-Series stock read (GET Item.json with the ItemShops relation,
 * archived items too, run by the connection shape listItems: connectors/lightspeed-r/stock-reader.ts, `stockQuery`)
 * as the pack's canonical stock levels (model/stock.ts), which map-stock-to-sparklayer reads: one level per item and
 * shop, the shopID 0 all-shops summary left out. The reading itself is `stockLevelsFromItems`': `on_hand` is the
 * ItemShop's qoh, `available` its sellable (qoh, or 0 when negative), `archived` the item's archived flag; R-Series
 * lists no matrix parent as an item, so nothing is marked as one. Each item is read on its own, so R-Series'
 * one-element-object quirk (an item with one ItemShop, a page of one item) reads as any other.
 *
 * Anything wrong with a SKU or a quantity is left for map-stock-to-sparklayer to report on that level, naming the
 * field; an item the reader cannot read at all (an itemID, shopID or archived flag that is not one, an ItemShop that
 * is not an object or is another item's: the read or R-Series changed) is this step's UNREADABLE_STOCK_ITEM, kept
 * whole, and none of its levels is published (SparkLayer keeps the last ones). A non-inventory item ("Inventory for
 * these items is not tracked", https://developers.lightspeedhq.com/retail/endpoints/Item/) and an item with no shop
 * stock give no level and are skipped.
 *
 * Open sales: an R-Series sale not yet completed has not taken its units out of qoh ("If the sale is completed the
 * inventory will have been removed": https://developers.lightspeedhq.com/retail/endpoints/Sale/), so the flow reads the
 * open sales with their SaleLines (GET Sale.json, completed=false, load_relations ["SaleLines"]) and they ride beside
 * the items as `open_order_records`. This step turns them into map-stock-to-sparklayer's `open_orders`: per line, the
 * SKU of its item as read in this run, the sale's shop (the line's own shopID first), and its unitQuantity. Left out:
 * a sale completed, voided or archived; a line with no positive quantity (a refund); a layaway line, whose reservation
 * may already have lowered qoh (unverified: connectors/lightspeed-r/stock-reader.ts), so it is not subtracted twice;
 * and a line whose item was not read (no level to subtract from).
 *
 * Reading only what changed: the stock flow keeps the items it read (flow cache `stock-state`, key `kept`) and reads
 * only the items with an ItemShop modified at or after the latest ItemShop timeStamp kept (lightspeed-r-stock-query);
 * it gives this step the kept items and then those read, with keep_records=yes. Of two items with one itemID the later
 * given wins: the kept items come first, and what R-Series answered this run is its stock now, so the order says which
 * is newer without comparing times (an item's own timeStamp leaves out its ItemShops: Item page). The winner's
 * ItemShops are laid over the loser's shop by shop, so that a kept shop stays if R-Series loaded only the ItemShops
 * that matched the search (whether it does is unverified: connectors/lightspeed-r/stock-reader.ts); a shop that
 * R-Series stops listing for an item would then stay as kept. The levels are computed from the whole merged set, so
 * an open sale that changed moves a level whose item did not (the open sales are read in full every run). This step
 * then writes `kept`: the items (only the fields read here, their ItemShops the shop 0 summary included, which moves
 * with every shop); the next read starts at their latest ItemShop timeStamp, which lightspeed-r-stock-query reads
 * from them. An item with no readable itemID cannot be replaced
 * by a later read: it is reported, not kept. The daily stock check leaves keep_records at no: it reads, and compares,
 * the whole store.
 */
import * as z from 'zod';
import { SKU_FIELDS } from '../../connectors/lightspeed-r/constants.js';
import { stockItemId, stockLevelsFromItems } from '../../connectors/lightspeed-r/stock-reader.js';
import { choiceSetting } from '../../runtime/settings.js';
import { defineStep, fail, passMany, skip, type ExceptionCode } from '../../runtime/step.js';
import { isJsonObject, pickFields } from '../../runtime/json-object.js';

const CODES = {
  UNREADABLE_STOCK_ITEM: {
    owner: 'integration',
    action:
      'An item of the R-Series stock read could not be read as stock levels (the message names the item and the ' +
      'field): its itemID, archived flag or an ItemShop shopID is not what R-Series documents, or an ItemShop is ' +
      "another item's, so the read or R-Series' API changed. None of its stock is published and SparkLayer keeps " +
      'the last levels. Check the item in R-Series and the read in connectors/lightspeed-r/stock-reader.ts, then ' +
      'let the next run read it again.',
  },
} as const satisfies Record<string, ExceptionCode>;

/** An Item record with its ItemShops relation, in any of R-Series' forms (the reader reads them all). */
const itemSchema = z.looseObject({});

/** Beside the items: the open sales read (Sale records in any of R-Series' forms), and whatever else rides there. */
const besideSchema = z.looseObject({ open_order_records: z.unknown().optional() });

/**
 * A collection in R-Series' forms: an array, `{"<Element>": [...]}`, `{"<Element>": {...}}`, a query answer, one
 * record, "" or nothing.
 */
function collection(value: unknown, element: string): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.flatMap((entry) => collection(entry, element));
  // A wrapper or a query answer holds the element and no record ID of its own (stock-reader.ts reads them alike).
  if (isJsonObject(value) && element in value && !Object.keys(value).some((key) => /ID$/.test(key)))
    return collection(value[element], element);
  return [value];
}
const yes = (value: unknown) => value === true || value === 'true';
const idText = (value: unknown) =>
  typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';

/** The open sales' lines as open_orders: back-end SKU (by the item's level this run), shop, units. */
function openOrders(sales: unknown, skuOf: ReadonlyMap<string, string>) {
  const orders: Array<{ sku: string; location: string; quantity: string }> = [];
  for (const sale of collection(sales, 'Sale')) {
    if (!isJsonObject(sale) || yes(sale.completed) || yes(sale.voided) || yes(sale.archived)) continue;
    for (const line of collection(sale.SaleLines, 'SaleLine')) {
      if (!isJsonObject(line) || yes(line.isLayaway)) continue;
      const sku = skuOf.get(idText(line.itemID));
      const location = idText(line.shopID) || idText(sale.shopID);
      const quantity = idText(line.unitQuantity);
      if (sku === undefined || location === '' || location === '0') continue;
      if (!/^\d+(\.\d+)?$/.test(quantity) || Number(quantity) === 0) continue;
      orders.push({ sku, location, quantity });
    }
  }
  return orders;
}

/** The fields of an item, and of each of its ItemShops, that this step reads: all the stock flow keeps of them. */
const KEPT_ITEM_FIELDS = ['itemID', 'archived', 'itemType', ...SKU_FIELDS] as const;
const KEPT_SHOP_FIELDS = ['itemID', 'shopID', 'qoh', 'sellable', 'timeStamp'] as const;

/** An item as kept: the fields read, its ItemShops as `{ItemShop: [...]}` with theirs (a non-object as it came). */
function keptItem(item: Record<string, unknown>): Record<string, unknown> {
  const shops = collection(item.ItemShops, 'ItemShop').map((shop) =>
    isJsonObject(shop) ? pickFields(shop, KEPT_SHOP_FIELDS) : shop,
  );
  return { ...pickFields(item, KEPT_ITEM_FIELDS), ItemShops: { ItemShop: shops } };
}

/** The itemID that merges an item with a later one, as text; undefined when it is not a whole number. */
function mergeKey(item: Record<string, unknown>): string | undefined {
  const key = idText(item.itemID);
  return /^\d+$/.test(key) ? key : undefined;
}

/**
 * The items given, one per itemID: the later given wins, its ItemShops laid over the earlier's by shopID (an ItemShop
 * with no readable shopID goes as it came, for the reader to report). Returns, per item, the merged item or undefined
 * when a later one supersedes it; an item with no readable itemID is left as it is.
 */
function merged(items: readonly Record<string, unknown>[]): Array<Record<string, unknown> | undefined> {
  const result: Array<Record<string, unknown> | undefined> = [...items];
  const at = new Map<string, number>();
  items.forEach((item, index) => {
    const key = mergeKey(item);
    if (key === undefined) return;
    const before = at.get(key);
    at.set(key, index);
    if (before === undefined) return;
    const shops = new Map<string, unknown>();
    const odd: unknown[] = [];
    for (const shop of [
      ...collection(result[before]!.ItemShops, 'ItemShop'),
      ...collection(item.ItemShops, 'ItemShop'),
    ]) {
      const shopID = isJsonObject(shop) ? idText(shop.shopID) : '';
      if (shopID === '') odd.push(shop);
      else shops.set(shopID, shop);
    }
    result[index] = { ...item, ItemShops: { ItemShop: [...shops.values(), ...odd] } };
    result[before] = undefined;
  });
  return result;
}

export const step = defineStep({
  key: 'lightspeed-r-stock-levels',
  title: 'Lightspeed R-Series stock levels',
  purpose:
    "Reads the items of the pack's R-Series stock read (Item.json with its ItemShops) as stock levels for " +
    'map-stock-to-sparklayer: one per item and shop, available is sellable, archived items marked, the shop 0 ' +
    'summary left out; the open sales beside them become open_orders.',
  settings: {
    keep_records: choiceSetting({
      description:
        'yes (the stock flow): the items given are those kept from the last run, then those read since; of one ' +
        "itemID the later wins (its ItemShops laid over the earlier's by shop), and the items to keep are written " +
        'as kept {records}. no (the stock check): every item given is read as it is.',
      default: 'no',
      choices: ['yes', 'no'],
    }),
  },
  exceptionCodes: CODES,
  record: { schema: itemSchema, id: stockItemId },
  beside: besideSchema,
  rule: (given, settings, { open_order_records: sales, ...rest }) => {
    const skuOf = new Map<string, string>();
    const keeping = settings.keep_records === 'yes';
    const items = keeping ? merged(given) : given;
    const outcomes = items.map((item, index) => {
      if (item === undefined) return skip('superseded');
      try {
        const levels = stockLevelsFromItems(item);
        for (const level of levels) if (level.product_id !== undefined) skuOf.set(level.product_id, level.sku);
        if (levels.length > 0) return passMany(levels);
        return skip(item.itemType === 'non_inventory' ? 'non-inventory' : 'no-shop-stock');
      } catch (error) {
        // The reader names the item by its place in what it was given (0 here): name it by its place in the run,
        // and say whose read it is where the reader's message does not.
        const message = (error instanceof Error ? error.message : String(error)).replace(/\bItem 0\b/, `Item ${index}`);
        return fail(
          'UNREADABLE_STOCK_ITEM',
          /^R-Series stock: /.test(message) ? message : `R-Series stock: ${message}`,
        );
      }
    });
    const winners = keeping ? items.filter((item) => item !== undefined && mergeKey(item) !== undefined) : [];
    const keep = keeping ? { kept: { records: winners.map((item) => keptItem(item!)) } } : {};
    // No open sales read (none beside) and nothing kept: what rides beside goes on as it came.
    if (sales === undefined && !keeping) return { outcomes };
    return {
      outcomes,
      write: { ...rest, ...(sales === undefined ? {} : { open_orders: openOrders(sales, skuOf) }), ...keep },
    };
  },
});
