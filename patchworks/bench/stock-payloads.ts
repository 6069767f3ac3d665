/**
 * Generated payloads for the stock steps (issue 33) and the order queue at its cache limit (issue 32), benched at
 * their own scale, in the shapes the flows feed them (patchworks/blueprint/stock-flow.ts, order-flow.ts):
 *
 * - a store of `skus` SKUs at `locations` locations (100,000 levels: 25,000 × 4), every tenth SKU also sold in a case
 *   of 12 (unit_map), one in 500 inactive, one in 1,000 a matrix parent, a stock buffer of 2;
 * - `previous`, the rows last published, as the step itself would have published them, except that one level in
 *   `changedEvery` has moved since: a 15-minute run publishes a few thousand rows;
 * - the NetSuite SuiteQL rows of the same store, as the map shape hands netsuite-stock-levels every page read
 *   (`{records: [...rows of every page], previous}`: the connection shape's pages are the `items` of each answer);
 * - keep-stock-queue's `{sent, published, queue, mapped, refused}`;
 * - keep-order-queue's `{considered, queue, mapped, refused, undecided}` with a kept queue of about 50 MB (the
 *   platform's flow cache limit) of orders still waiting, all fed in again and still failing.
 */
import { tableCsv } from '../../runtime/tables.js';

type Json = Record<string, unknown>;

export const STOCK_BUFFER = 2;
const CASE = 12;
const LOCATION_COUNT = 4;

export interface StockStore {
  skus: number;
  locations: number;
  /** One level in this many has moved since `previous` was published. */
  changedEvery: number;
}

export const STOCK_STORE: StockStore = { skus: 25_000, locations: LOCATION_COUNT, changedEvery: 40 };

const isParent = (s: number) => s % 1_000 === 0;
const isArchived = (s: number) => s % 500 === 499;
const hasCase = (s: number) => s % 10 === 3;
const skuOf = (s: number) => `SKU-${String(s).padStart(6, '0')}`;
const available = (s: number, l: number) => (s * 7 + l * 13) % 240;
const onHand = (s: number, l: number) => available(s, l) + (s % 5);

/** Back-end location `l + 1` (text, as NetSuite ids are; `locationId` for another back-end's) to warehouse-<l + 1>. */
export function stockLocationMap(locations = LOCATION_COUNT, locationId = netsuiteLocationId): string {
  return tableCsv(Array.from({ length: locations }, (_, l) => `${locationId(l)},warehouse-${l + 1}`));
}

/** NetSuite's (and R-Series' shopID) location `l + 1`. */
export const netsuiteLocationId = (l: number) => String(l + 1);
/** An X-Series outlet_id (a UUID) for location `l`. */
export const xSeriesOutletId = (l: number) => `0a6f6e36-8b6e-11e4-f8d8-${String(l + 1).padStart(12, '0')}`;

/** Every tenth SKU also sold in cases of 12: `SKU-…-CASE12` → `SKU-…*12` (2,500 rows for 25,000 SKUs). */
export function stockUnitMap(skus: number): string {
  const rows: string[] = [];
  for (let s = 0; s < skus; s += 1) if (hasCase(s)) rows.push(`${skuOf(s)}-CASE${CASE},${skuOf(s)}*${CASE}`);
  return tableCsv(rows);
}

export const stockVariables = (store: StockStore = STOCK_STORE, locationId = netsuiteLocationId) => ({
  location_map: stockLocationMap(store.locations, locationId),
  unit_map: stockUnitMap(store.skus),
  stock_buffer: String(STOCK_BUFFER),
  archived_action: 'zero',
  subtract_open_orders: 'no',
});

function forEachLevel(store: StockStore, body: (s: number, l: number, n: number) => void): void {
  for (let s = 0; s < store.skus; s += 1)
    for (let l = 0; l < store.locations; l += 1) body(s, l, s * store.locations + l);
}

/** The canonical stock levels (model/stock.ts) of the store, as netsuite-stock-levels writes them. */
export function stockLevels(store: StockStore = STOCK_STORE): Json[] {
  const levels: Json[] = [];
  forEachLevel(store, (s, l) => {
    levels.push({
      sku: skuOf(s),
      location: String(l + 1),
      on_hand: String(onHand(s, l)),
      source: 'netsuite',
      archived: isArchived(s),
      has_variants: isParent(s),
      available: String(available(s, l)),
      product_id: String(10_000 + s),
    });
  });
  return levels;
}

/** The SuiteQL rows of the store (the stock query's columns, as fixtures/netsuite/suiteql has them). */
export function suiteQLStockRows(store: StockStore = STOCK_STORE): Json[] {
  const rows: Json[] = [];
  forEachLevel(store, (s, l) => {
    const parent = isParent(s) ? undefined : String(10_000 + s - (s % 1_000));
    rows.push({
      links: [],
      item: String(10_000 + s),
      location: String(l + 1),
      quantityonhand: String(onHand(s, l)),
      quantityavailable: String(available(s, l)),
      quantitycommitted: String(s % 5),
      itemid: skuOf(s),
      isinactive: isArchived(s) ? 'T' : 'F',
      ...(isParent(s) ? { matrixtype: 'PARENT' } : { parent, matrixtype: 'CHILD' }),
    });
  });
  return rows;
}

/**
 * The rows last published: what map-stock-to-sparklayer makes of the store (buffer, cases, inactive at 0, parents
 * never), except that the level of one in `changedEvery` was one higher, so this run publishes those again.
 * `parents: false` for a back-end that has no matrix parents (R-Series lists none as an item): their SKUs are
 * published as any other.
 */
export function publishedStockRows(store: StockStore = STOCK_STORE, options: { parents?: boolean } = {}): Json[] {
  const parents = options.parents ?? true;
  const rows: Json[] = [];
  forEachLevel(store, (s, l, n) => {
    if (parents && isParent(s)) return;
    const moved = n % store.changedEvery === 0 ? 1 : 0;
    const each = isArchived(s) ? 0 : Math.max(0, available(s, l) - STOCK_BUFFER);
    const location = `warehouse-${l + 1}`;
    rows.push({ sku: skuOf(s), stock_location_external_id: location, stock_level: each + moved });
    if (hasCase(s))
      rows.push({
        sku: `${skuOf(s)}-CASE${CASE}`,
        stock_location_external_id: location,
        stock_level: Math.floor(each / CASE) + moved,
      });
  });
  return rows;
}

/** map-stock-to-sparklayer's payload with no levels step before it: the levels beside the rows last published. */
export function mapStockPayload(store: StockStore = STOCK_STORE): Json {
  return { records: stockLevels(store), previous: publishedStockRows(store) };
}

/** netsuite-stock-levels' payload: every page's SuiteQL rows beside the rows last published. */
export function netsuiteStockPayload(store: StockStore = STOCK_STORE): Json {
  return { records: suiteQLStockRows(store), previous: publishedStockRows(store) };
}

/** Whether level `n` moved since the rows last published (the last run's read). */
const movedLevel = (store: StockStore, n: number) => n % store.changedEvery === 0;

/**
 * The X-Series store (lightspeed-x-stock-to-sparklayer), as ListInventoryRecords and ListProducts answer it: one
 * product per SKU (`p-<s>`; every thousandth a variant family's parent, `has_variants`, the others its variants; one in
 * 500 inactive), one inventory record per product and outlet. `when: 'last run'` is the store as the last run read it
 * (a moved level one higher, every record at its old version, 1,000,000 + n); `'now'` is the store now, the moved
 * records at a version above every old one (2,000,000 + their order), so a read after the last run's highest version
 * returns exactly them. `current_inventory_level` is the NetSuite store's available figure, so what is published
 * matches publishedStockRows.
 */
export function xSeriesStock(store: StockStore, when: 'last run' | 'now'): { records: Json[]; products: Json[] } {
  const records: Json[] = [];
  let moved = 0;
  forEachLevel(store, (s, l, n) => {
    const changed = movedLevel(store, n);
    const later = changed && when === 'now';
    records.push({
      id: `i-${n}`,
      outlet_id: xSeriesOutletId(l),
      product_id: `p-${s}`,
      current_inventory_level: available(s, l) + (changed && when === 'last run' ? 1 : 0),
      deleted_at: null,
      version: later ? 2_000_000 + moved++ : 1_000_000 + n,
    });
  });
  const products = Array.from({ length: store.skus }, (_, s) => ({
    id: `p-${s}`,
    sku: skuOf(s),
    active: !isArchived(s),
    is_active: !isArchived(s),
    has_variants: isParent(s),
    ...(isParent(s) ? {} : { variant_parent_id: `p-${s - (s % 1_000)}` }),
    version: 500_000 + s,
  }));
  return { records, products };
}

const R_LAST_RUN_FROM = Date.parse('2026-11-21T00:00:00+00:00');
const R_MOVED_AT = Date.parse('2026-11-22T09:05:00+00:00');
const rTime = (ms: number) => new Date(ms).toISOString().replace('.000Z', '+00:00');

/**
 * The R-Series store (lightspeed-r-stock-to-sparklayer), as GET Item.json with the ItemShops relation answers it: one
 * item per SKU (itemID s + 1, customSku the SKU; one in 500 archived; R-Series has no matrix parent items), an
 * ItemShop per shop (shopID l + 1, qoh and sellable) beside the shopID 0 summary. `when: 'last run'`: a moved level
 * one higher, item s's ItemShops last modified s seconds after 2026-11-21T00:00:00 (so the latest, the watermark, is
 * the last item's alone); `'now'`: the moved ItemShops (and their item's summary) modified at 2026-11-22T09:05:00.
 */
export function rSeriesItems(store: StockStore, when: 'last run' | 'now'): Json[] {
  return Array.from({ length: store.skus }, (_, s) => {
    const before = R_LAST_RUN_FROM + s * 1_000;
    const shops: Json[] = [];
    let qoh = 0;
    let latest = before;
    for (let l = 0; l < store.locations; l += 1) {
      const changed = movedLevel(store, s * store.locations + l);
      const bump = changed && when === 'last run' ? 1 : 0;
      const at = changed && when === 'now' ? R_MOVED_AT : before;
      latest = Math.max(latest, at);
      qoh += onHand(s, l) + bump;
      shops.push({
        itemShopID: String(s * (store.locations + 1) + l + 2),
        itemID: String(s + 1),
        shopID: String(l + 1),
        qoh: String(onHand(s, l) + bump),
        sellable: String(available(s, l) + bump),
        timeStamp: rTime(at),
      });
    }
    const summary = {
      itemShopID: String(s * (store.locations + 1) + 1),
      itemID: String(s + 1),
      shopID: '0',
      qoh: String(qoh),
      sellable: String(qoh),
      timeStamp: rTime(latest),
    };
    return {
      itemID: String(s + 1),
      systemSku: String(210_000_000_000 + s + 1),
      customSku: skuOf(s),
      archived: isArchived(s) ? 'true' : 'false',
      itemType: 'default',
      timeStamp: rTime(before),
      ItemShops: { ItemShop: [summary, ...shops] },
    };
  });
}

const AS_OF = '2026-11-22T09:15:00.000Z';
const YESTERDAY = '2026-11-21T09:15:00.000Z';
export const stockQueueVariables = { reminder_hours: '24', as_of: AS_OF };

/**
 * keep-stock-queue's payload after a run of the store: `published` (the rows before), `sent` (the rows SparkLayer
 * took: those that moved, less one refused batch of 500), the last run's queue (`queueEntries` problems, first seen
 * yesterday), and what became of the levels (the inactive items' notices, a few unmapped levels, unknown SKUs).
 */
export function keepStockPayload(store: StockStore = STOCK_STORE, queueEntries = 300): Json {
  const published = publishedStockRows(store);
  const moved: Json[] = [];
  forEachLevel(store, (s, l, n) => {
    if (isParent(s) || n % store.changedEvery !== 0) return;
    moved.push({ sku: skuOf(s), stock_location_external_id: `warehouse-${l + 1}`, stock_level: available(s, l) });
  });
  const refusedBatch = moved.slice(0, 500);
  const notices: Json[] = [];
  forEachLevel(store, (s, l) => {
    if (!isArchived(s) || l !== 0) return;
    notices.push({
      id: `${skuOf(s)}@${l + 1}`,
      step: 'map-stock-to-sparklayer',
      code: 'ARCHIVED_ITEM',
      owner: 'operations',
      message: `archived in the back-end: published as 0 (${skuOf(s)} at warehouse-1)`,
    });
  });
  const exceptions = Array.from({ length: queueEntries }, (_, i) => {
    const record = { sku: skuOf(i * 7), location: '9', on_hand: '4', available: '4', source: 'netsuite' };
    return {
      id: `${record.sku}@9`,
      step: 'map-stock-to-sparklayer',
      code: 'UNMAPPED_LOCATION',
      owner: 'integration',
      message: 'location "9" is not in location_map',
      record,
    };
  });
  const unknown = Array.from({ length: 20 }, (_, i) => ({
    sku: `GONE-${i}`,
    code: 'UNKNOWN_STOCK_SKU',
    owner: 'operations',
    message: `SparkLayer expects stock for GONE-${i} but no back-end stock level backs it: not published`,
  }));
  const entries = exceptions.map((failure) => ({
    key: `level:${failure.id}`,
    label: failure.id,
    code: failure.code,
    owner: failure.owner,
    message: failure.message,
    record: failure.record,
    replay: false,
    first_seen: YESTERDAY,
    last_seen: YESTERDAY,
    notified_at: YESTERDAY,
  }));
  return {
    sent: moved.slice(500),
    published,
    queue: [{ watermark: YESTERDAY, entries }],
    mapped: [{ exceptions, notices, unknown_stock_skus: unknown }],
    refused: [
      {
        error: 'HTTP 400 Bad Request: stock location warehouse-4 does not exist',
        shape: 'Update SparkLayer stock',
        record: refusedBatch,
      },
    ],
  };
}

/** A documented order made larger: `lines` line items (B2B orders run to tens of lines), about 9 KB at 30. */
export function largeOrder(template: Json, lines: number): Json {
  const packages = template.packages as Json[];
  const items = packages[0]!.line_items as Json[];
  const lineItems = Array.from({ length: lines }, (_, i) => ({
    ...items[i % items.length]!,
    identifiers: { sku: `SKU-${String(i).padStart(6, '0')}` },
  }));
  return { ...template, packages: [{ ...packages[0]!, line_items: lineItems }] };
}

/**
 * keep-order-queue's payload with `waiting` orders kept in the queue (each `order` with its own ids), all fed in again
 * (considered) beside `pulled` new ones, the waiting ones still failing (resolve-erp-account's UNMAPPED_ACCOUNT, the
 * exception carrying the purchase), the new ones booked (a body each naming its purchase, as NetSuite's do).
 */
export function keepOrderPayload(order: Json, waiting: number, pulled = 50): Json {
  const purchase = (i: number) => ({
    ...order,
    type: 'order',
    purchase_identifiers: { sparklayer: `queued-${i}`, visible: `Q${i}` },
  });
  const waitingOrders = Array.from({ length: waiting }, (_, i) => purchase(i));
  const newOrders = Array.from({ length: pulled }, (_, i) => purchase(waiting + i));
  const message = 'company c9d8e7f6-… is not in account_map';
  const entries = waitingOrders.map((record, i) => ({
    key: `queued-${i}`,
    label: `Q${i}`,
    code: 'UNMAPPED_ACCOUNT',
    owner: 'customer service',
    message,
    record,
    replay: true,
    first_seen: YESTERDAY,
    last_seen: YESTERDAY,
    notified_at: YESTERDAY,
  }));
  return {
    considered: [...newOrders, ...waitingOrders],
    queue: [{ watermark: YESTERDAY, entries }],
    mapped: [
      {
        bodies: newOrders.map((_, i) => ({ externalId: `queued-${waiting + i}` })),
        exceptions: waitingOrders.map((record, i) => ({
          id: `queued-${i}`,
          step: 'resolve-erp-account',
          code: 'UNMAPPED_ACCOUNT',
          owner: 'customer service',
          message,
          record,
        })),
        notices: [],
      },
    ],
    refused: [],
    undecided: [],
  };
}

export const orderQueueVariables = {
  system: 'netsuite',
  reminder_hours: '24',
  digest_above: '10',
  max_entries: '5000',
  as_of: AS_OF,
};
