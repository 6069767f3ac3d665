/**
 * Lightspeed Retail (X-Series) stock, read into the pack's canonical stock levels (model/stock.ts) for
 * map-stock-to-sparklayer: one level per inventory record (one product at one outlet), with the products beside it for
 * the SKU, the deleted or inactive flags and the variant family. Shipped (bundled into steps): pure, no client, no I/O.
 *
 * The read: POST /api/2026-07/inventory (ListInventoryRecords in connectors/lightspeed-x/openapi.json, from
 * https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml), the date-versioned replacement of the deprecated
 * GET /api/2.0/inventory ("Please use POST /api/2026-04/inventory instead":
 * https://x-series-api.lightspeedhq.com/reference/listinventoryrecords-1). Its JSON body takes `after`, `before`,
 * `size` (at most 5000), `include_deleted` ("whether to include inventory records for deleted products"),
 * `sort_direction`, `product_id` and `variants`; it answers a bare array of records (`id`, `outlet_id`, `product_id`,
 * `current_inventory_level`, `deleted_at`, `version`, reorder and cost fields). `inventoryRequest` writes the body.
 * Those are body parameters only: the reference lists them as "Body Params" and the operation takes no query
 * parameter (https://x-series-api.lightspeedhq.com/v2026.04/reference/listinventoryrecords), so none of Patchworks'
 * URL-parameter pagination methods can move `after`: the pack's pagination script does
 * (connectors/lightspeed-x/inventory-pages.ts), and a Patchworks flow reads every page.
 * The products: GET /api/2026-07/products with `deleted=true` (ListProducts, a version-cursor list of `data` and
 * `version`), so that deleted products are seen too.
 *
 * Paging and reading only what changed (https://x-series-api.lightspeedhq.com/docs/pagination): `version` is a global
 * number that grows every time a record changes. The reader asks for `after` = the highest `version` it has received,
 * in ascending order, until a page comes back empty; the answer has no `version.max` (a bare array), so
 * `inventoryCursor` takes the highest `version` of the records themselves. The stock flow keeps that cursor between
 * runs (flow cache `stock-state`), with the records read, as the next run's `after`: the next run reads only the
 * records changed since (a sale, a count, a receipt moves the level and so the version) and lays them over the kept
 * ones (scripts/lightspeed-x-stock-levels). The first run, with no cursor, reads all. The products are read the same
 * way (`after` = the previous page's `version.max`, `deleted=true`), all of them every run; given the same product
 * twice, the reader takes the higher `version`. Whether deleting or deactivating a product also changes the
 * `version` of its inventory records is unverified: the stock flow sees it from the products, read in full every run.
 *
 * Each level:
 * - `sku`: the product's `sku`, as X-Series has it (a variant child has its own);
 * - `location`: the record's `outlet_id` (location_map maps it to a SparkLayer stock location);
 * - `on_hand`: `current_inventory_level` ("Current inventory level"), the JSON number as it came (the step reads its
 *   shortest decimal text: 2.5 stays 2.5, never rounded); `available`: never set, no X-Series source defines one for
 *   an inventory record;
 * - `product_id`: the record's `product_id`; `source`: `lightspeed-x`;
 * - `archived`: the product is deleted (`deleted_at` set) or inactive (`active` or `is_active` false: "Sell on POS"
 *   off, https://x-series-api.lightspeedhq.com/docs/products_variants and the Product schema), or the record itself
 *   carries `deleted_at`;
 * - `has_variants`: the product is a variant family's parent (`has_variants` true, or another product names it as
 *   its `variant_parent_id`): it has no stock of its own to publish, even where X-Series answers a record for it.
 *
 * Reservations (https://x-series-api.lightspeedhq.com/docs/sales_statuses, with the state mapping of
 * https://x-series-api.lightspeedhq.com/docs/sales_states_and_attributes): an on-account sale (legacy ONACCOUNT,
 * `state: pending` + `attributes: ["onaccount"]`, what map-order-to-lightspeed-x books with on_account_mode=release)
 * "will reduce the inventory" when it is made, so the level read here already leaves it out: do not subtract it
 * again. A parked sale (legacy SAVED, `state: parked`, what the mapper books for every other order and for a held
 * on-account order) is a "pending" sale that lines can still be added to; the same page says the inventory count is
 * decreased "once the sale is marked as closed", and says nothing of a parked sale moving stock. So a parked sale is
 * still in the level until it is closed or made on account: the stock flow subtracts the open parked sales' lines
 * (map-stock-to-sparklayer subtract_open_orders=yes, with those lines as open_orders) or oversells them. That a parked
 * sale never lowers the level is read from that page by implication, not stated in so many words: unverified. A
 * layby (legacy LAYBY) and a plain pending sale (legacy OPEN) are not said either way: unverified.
 *
 * Unverified (no Lightspeed page read says so): that `sort_direction` orders by `version` (the deprecated GET's
 * `order_direction` did: https://x-series-api.lightspeedhq.com/v2026.01/reference/inventory); that an empty page is
 * the end here as it is for the enveloped lists; whether X-Series ever answers a record for a variant parent outside
 * the documentation's example (ListProductInventoryRecords gives three for the parent "Bravo"); whether a record's
 * `deleted_at` is ever set while its product is not deleted.
 */
import type { StockLevel } from '../../model/stock.js';
import { isJsonObject } from '../../runtime/json-object.js';

/** The `source` of every level this reader gives. */
export const LIGHTSPEED_X_STOCK_SOURCE = 'lightspeed-x';

/** ListInventoryRecords' largest `size` (official `InventoryRequest`: maximum 5000, default 1000). */
export const INVENTORY_MAX_PAGE_SIZE = 5000;

/** The body of one POST /inventory page: every record (deleted products' too) changed after `after`, oldest first. */
export function inventoryRequest(options: { after?: number; size?: number } = {}): {
  after?: number;
  size: number;
  include_deleted: true;
  sort_direction: 'asc';
} {
  const size = options.size ?? 1000;
  if (!Number.isInteger(size) || size < 1 || size > INVENTORY_MAX_PAGE_SIZE)
    throw new RangeError(`size is a whole number from 1 to ${INVENTORY_MAX_PAGE_SIZE}, not ${size}`);
  if (options.after !== undefined && !(Number.isSafeInteger(options.after) && options.after >= 0))
    throw new RangeError(`after is a version, a whole number of 0 or more, not ${options.after}`);
  return {
    ...(options.after === undefined || options.after === 0 ? {} : { after: options.after }),
    size,
    include_deleted: true,
    sort_direction: 'asc',
  };
}

/**
 * The cursor to continue from: the highest `version` among the records and the cursor before (`after`), so an empty
 * page leaves it as it was. A `version` that is not a whole number, or too large to hold exactly in a JavaScript
 * number (over 2^53 - 1), throws: continuing from a rounded cursor could skip records.
 */
export function inventoryCursor(records: readonly unknown[], after?: number): number | undefined {
  let cursor = after;
  records.forEach((record, index) => {
    const version = (record as { version?: unknown } | null)?.version;
    if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0)
      throw new TypeError(
        `X-Series inventory record ${index}: version ${JSON.stringify(version) ?? 'undefined'} is not a whole ` +
          'number the cursor can hold exactly',
      );
    if (cursor === undefined || version > cursor) cursor = version;
  });
  return cursor;
}

/**
 * An inventory record's id (and its level's), as the stock steps name it: `<product_id>@<outlet_id>` (a level's
 * `location`), else the record's own id; null for a record that names neither.
 */
export function inventoryRecordId(record: unknown): string | null {
  if (!isJsonObject(record)) return null;
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const product = text(record.product_id);
  if (product !== '') return `${product}@${text(record.outlet_id) || text(record.location)}`;
  return text(record.id) || null;
}

/**
 * A `version` as decimal text, the form the stock flow keeps it in: versions are 64-bit
 * (../shared/reference/backends.md §1.1), so they are compared as text, never as JavaScript numbers. A JSON number is
 * taken only while it is exact (2^53 - 1 at most); undefined for anything else.
 */
export function versionText(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
  return typeof value === 'string' && /^(0|[1-9]\d*)$/.test(value) ? value : undefined;
}

/** Whether version text `a` (versionText's) is later than `b`: the longer is larger, else the later in order. */
export function isLaterVersion(a: string, b: string): boolean {
  return a.length !== b.length ? a.length > b.length : a > b;
}

type Json = Record<string, unknown>;

interface ProductFacts {
  sku: string;
  archived: boolean;
  parent: boolean;
}

/**
 * The canonical stock levels of these inventory records, in order: one level a record. `products` are X-Series
 * products (GET /products or /search objects) and must hold every record's product, deleted ones included.
 *
 * A record or product that is not an object, a record without a `product_id` or whose product is not among
 * `products`, or a product whose flags are not what X-Series documents, means the read changed: it throws, naming
 * it, rather than guess. Anything wrong with the outlet or the level is left for map-stock-to-sparklayer to report on
 * that record (INVALID_RECORD, INVALID_QUANTITY): a blank outlet stays blank, a level that is not a number stays as
 * it came, a missing one is "".
 */
export function stockLevelsFromXSeries(records: readonly unknown[], products: readonly unknown[]): StockLevel[] {
  const byId = readProducts(products);
  return records.map((record, index) => {
    if (record === null || typeof record !== 'object' || Array.isArray(record))
      throw new TypeError(`X-Series inventory record ${index}: not an object (${JSON.stringify(record)})`);
    const r = record as Json;
    const productId = r.product_id;
    if (typeof productId !== 'string' || productId === '')
      throw new TypeError(`X-Series inventory record ${index}: no product_id (${JSON.stringify(productId ?? null)})`);
    const product = byId.get(productId);
    if (product === undefined)
      throw new TypeError(
        `X-Series inventory record ${index}: product ${productId} is not among the products read; read them with ` +
          'deleted=true so that deleted products are there too',
      );
    const deleted = timestamp(r.deleted_at, `X-Series inventory record ${index} (product ${productId}): deleted_at`);
    return {
      sku: product.sku,
      location: typeof r.outlet_id === 'string' ? r.outlet_id : '',
      on_hand: quantity(r.current_inventory_level),
      product_id: productId,
      source: LIGHTSPEED_X_STOCK_SOURCE,
      archived: product.archived || deleted,
      has_variants: product.parent,
    };
  });
}

/** The products by id; of two with one id, the higher `version` (the later state). */
function readProducts(products: readonly unknown[]): Map<string, ProductFacts> {
  const latest = new Map<string, { version: number; product: Json; index: number }>();
  products.forEach((product, index) => {
    if (product === null || typeof product !== 'object' || Array.isArray(product))
      throw new TypeError(`X-Series product ${index}: not an object (${JSON.stringify(product)})`);
    const p = product as Json;
    if (typeof p.id !== 'string' || p.id === '')
      throw new TypeError(`X-Series product ${index}: no id (${JSON.stringify(p.id ?? null)})`);
    const version = typeof p.version === 'number' ? p.version : -1;
    const kept = latest.get(p.id);
    if (kept === undefined || version >= kept.version) latest.set(p.id, { version, product: p, index });
  });
  const parents = new Set<string>();
  for (const { product } of latest.values()) {
    const parent = product.variant_parent_id;
    if (typeof parent === 'string' && parent !== '') parents.add(parent);
  }
  const facts = new Map<string, ProductFacts>();
  for (const [id, { product: p, index }] of latest) {
    const where = `X-Series product ${index} (${id})`;
    const deleted = timestamp(p.deleted_at, `${where}: deleted_at`);
    const inactive = flag(p.active, `${where}: active`) === false || flag(p.is_active, `${where}: is_active`) === false;
    facts.set(id, {
      sku: typeof p.sku === 'string' ? p.sku : '',
      archived: deleted || inactive,
      parent: flag(p.has_variants, `${where}: has_variants`) === true || parents.has(id),
    });
  }
  return facts;
}

/** A level as it came: a JSON number, or text for the step to read or report; anything else as "" (reported). */
function quantity(value: unknown): string | number {
  if (typeof value === 'number' || typeof value === 'string') return value;
  return '';
}

/** True when a `deleted_at` is set (a non-empty string); false when null, empty or left out. Anything else throws. */
function timestamp(value: unknown, what: string): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'string') return true;
  throw new TypeError(`${what} is ${JSON.stringify(value)}, not a timestamp or null`);
}

/** A JSON boolean, or undefined when left out (or null). Anything else throws. */
function flag(value: unknown, what: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  throw new TypeError(`${what} is ${JSON.stringify(value)}, not true or false`);
}
