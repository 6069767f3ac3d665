/**
 * lightspeed-x-stock-levels: the inventory records of the pack's X-Series stock read (POST /2026-07/inventory,
 * include_deleted, run by the connection shape ListInventoryRecords) with the products read beside them (GET
 * /2026-07/products, deleted=true, ListProducts) as the pack's canonical stock levels (model/stock.ts), which
 * map-stock-to-sparklayer reads: one level per record (one product at one outlet). The reading itself is
 * `stockLevelsFromXSeries`' (connectors/lightspeed-x/stock-reader.ts): `sku` the product's, `location` the outlet_id,
 * `on_hand` current_inventory_level, `archived` a deleted or inactive product, `has_variants` a variant family's parent
 * (map-stock-to-sparklayer never publishes one).
 *
 * Each record is read on its own, with only its product and that product's variants, so one record the reader cannot
 * read (no product_id, its product not among those read, a product flag or deleted_at that is not what X-Series
 * documents) is this step's UNREADABLE_STOCK_RECORD, kept whole, and the others are still published.
 *
 * Parked sales: an on-account sale (state pending, attribute onaccount) "will reduce the inventory" when it is made,
 * so it is already out of the level; a parked sale (legacy SAVED, state parked) lowers it only "once the sale is
 * marked as closed" (https://x-series-api.lightspeedhq.com/docs/sales_statuses, with the state mapping of
 * https://x-series-api.lightspeedhq.com/docs/sales_states_and_attributes; read by implication: unverified). So the
 * flow reads the parked sales (GET /2026-07/search?type=sales&state=parked) and they ride beside the records as
 * `open_order_records`; this step turns their lines into map-stock-to-sparklayer's `open_orders`: per line, the SKU of
 * its product (`product.id`) as read in this run, the sale's outlet (`source.outlet_id`: "The ID of the outlet where
 * the sale was created", the Sale schema of https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml), and its
 * `quantity`. Left out: a sale not parked or deleted; a line with no positive quantity (a return's lines are negative:
 * https://x-series-api.lightspeedhq.com/docs/sales_returns); a line whose product no record of this run holds; a sale
 * with no outlet. That the parked sale's outlet is where its units would leave (rather than a fulfilment outlet) is
 * unverified.
 *
 * Reading only what changed: the stock flow keeps the records it read (flow cache `stock-state`, key `kept`) and
 * reads only the records changed since their highest `version` (lightspeed-x-inventory-request); it gives this step
 * the kept records and then those read, with keep_records=yes. Of two records of one product and
 * outlet the later `version` wins (the other is skipped, `superseded`), so the levels are the whole store's: a parked
 * sale or a product that changed moves a level whose record did not. This step then writes `kept`, the records to
 * keep (the winners, only the fields read here, `version` as decimal text: 64-bit); the next read starts after their
 * highest `version`, which lightspeed-x-inventory-request reads from them. A record whose version is not a whole
 * number is UNREADABLE_STOCK_RECORD and kept until a readable one replaces it.
 * The daily stock check leaves keep_records at no: it reads, and compares, the whole store.
 */
import * as z from 'zod';
import { choiceSetting } from '../../runtime/settings.js';
import {
  inventoryRecordId,
  isLaterVersion,
  stockLevelsFromXSeries,
  versionText,
} from '../../connectors/lightspeed-x/stock-reader.js';
import { defineStep, fail, pass, skip, type ExceptionCode, type Outcome } from '../../runtime/step.js';
import { isJsonObject, pickFields } from '../../runtime/json-object.js';

const CODES = {
  UNREADABLE_STOCK_RECORD: {
    owner: 'integration',
    action:
      'An inventory record of the X-Series stock read could not be read as a stock level (the message names the ' +
      'record and the field): it has no product_id, its product was not among the products read, or a product ' +
      "flag or deleted_at is not what X-Series documents, so the read or X-Series' API changed. Its level is not " +
      'published and SparkLayer keeps the last one. Check the product in X-Series and the read in ' +
      'connectors/lightspeed-x/stock-reader.ts, then let the next run read it again.',
  },
} as const satisfies Record<string, ExceptionCode>;

/** An inventory record as POST /inventory answers it (the reader checks it). */
const recordSchema = z.looseObject({});

/** Beside the records: the products read (ListProducts pages), the parked sales read (/search pages), and the rest. */
const besideSchema = z.looseObject({ products: z.unknown().optional(), open_order_records: z.unknown().optional() });

/** The fields of a record this step reads: all the stock flow keeps of it. */
const KEPT_FIELDS = ['id', 'product_id', 'outlet_id', 'current_inventory_level', 'deleted_at', 'version'] as const;

/**
 * Of the records of one product and outlet, the one with the later version (of equals, the later given); the others
 * are superseded. Returns, per record, whether it is the one kept.
 */
function latest(records: readonly Record<string, unknown>[]): { wins: boolean[] } {
  const winner = new Map<string, number>();
  const wins = records.map(() => true);
  records.forEach((record, index) => {
    const version = versionText(record.version);
    const key = inventoryRecordId(record);
    if (key === null) return;
    const before = winner.get(key);
    if (before !== undefined) {
      const was = versionText(records[before]!.version);
      if (version === undefined && was !== undefined) return void (wins[index] = false);
      if (version !== undefined && was !== undefined && isLaterVersion(was, version)) return void (wins[index] = false);
      wins[before] = false;
    }
    winner.set(key, index);
  });
  return { wins };
}

/** A record as kept: the fields read, the version as decimal text (an unreadable one as it came, to be reported). */
function keptRecord(record: Record<string, unknown>): Record<string, unknown> {
  const kept = pickFields(record, KEPT_FIELDS);
  const version = versionText(record.version);
  if (version !== undefined) kept.version = version;
  return kept;
}

/** The objects of a read: its pages (`{data: [...]}`, a bare array) flattened; a lone object is one. */
function objects(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.flatMap(objects);
  if (isJsonObject(value) && Array.isArray(value.data) && !('id' in value)) return value.data;
  return [value];
}

const idText = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** The parked sales' lines as open_orders: back-end SKU (by the product's level this run), outlet, units. */
function openOrders(sales: unknown, skuOf: ReadonlyMap<string, string>) {
  const orders: Array<{ sku: string; location: string; quantity: string }> = [];
  for (const sale of objects(sales)) {
    if (!isJsonObject(sale) || sale.state !== 'parked' || idText(sale.deleted_at) !== '') continue;
    const location = isJsonObject(sale.source) ? idText(sale.source.outlet_id) : '';
    if (location === '' || !Array.isArray(sale.line_items)) continue;
    for (const line of sale.line_items) {
      if (!isJsonObject(line)) continue;
      const sku = skuOf.get(isJsonObject(line.product) ? idText(line.product.id) : '');
      const { quantity } = line;
      if (sku === undefined || typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity <= 0) continue;
      orders.push({ sku, location, quantity: String(quantity) });
    }
  }
  return orders;
}

export const step = defineStep({
  key: 'lightspeed-x-stock-levels',
  title: 'Lightspeed X-Series stock levels',
  purpose:
    "Reads the inventory records of the pack's X-Series stock read, with the products read beside them, as stock " +
    'levels for map-stock-to-sparklayer: one per product and outlet, deleted or inactive products marked archived, ' +
    'variant parents marked; the parked sales beside them become open_orders.',
  settings: {
    keep_records: choiceSetting({
      description:
        'yes (the stock flow): the records given are those kept from the last run, then those read since; of one ' +
        'product and outlet the later version wins, and the records to keep are written as kept {records}. ' +
        'no (the stock check): every record given is read as it is.',
      default: 'no',
      choices: ['yes', 'no'],
    }),
  },
  exceptionCodes: CODES,
  record: { schema: recordSchema, id: inventoryRecordId },
  beside: besideSchema,
  rule: (records, settings, { products: productPages, open_order_records: sales, ...rest }) => {
    // Each record's product and its variants (to know a parent), so each record is read on its own in one pass.
    const byId = new Map<string, unknown[]>();
    const add = (id: string, product: unknown) => byId.set(id, [...(byId.get(id) ?? []), product]);
    for (const product of objects(productPages)) {
      if (!isJsonObject(product)) continue;
      if (idText(product.id) !== '') add(idText(product.id), product);
      const parent = idText(product.variant_parent_id);
      if (parent !== '' && parent !== idText(product.id)) add(parent, product);
    }
    const skuOf = new Map<string, string>();
    const merge = settings.keep_records === 'yes' ? latest(records) : undefined;
    const outcomes = records.map((record, index): Outcome<keyof typeof CODES> => {
      if (merge && !merge.wins[index]) return skip('superseded');
      if (merge && versionText(record.version) === undefined)
        return fail(
          'UNREADABLE_STOCK_RECORD',
          `X-Series inventory record ${index} (${inventoryRecordId(record) ?? 'no product_id or id'}): version ` +
            `${JSON.stringify(record.version) ?? 'undefined'} is not a whole number, so a later read cannot replace it`,
        );
      try {
        const [level] = stockLevelsFromXSeries([record], byId.get(idText(record.product_id)) ?? []);
        if (level!.product_id !== undefined) skuOf.set(level!.product_id, level!.sku);
        return pass(level);
      } catch (error) {
        // The reader names the record by its place in what it was given (0 here): name it by its place in the run.
        const message = (error instanceof Error ? error.message : String(error)).replace(
          /^X-Series inventory record 0\b/,
          `X-Series inventory record ${index}`,
        );
        return fail('UNREADABLE_STOCK_RECORD', message);
      }
    });
    // The reads beside go no further (the levels carry what they said); the rest goes on as it came.
    const keep = merge && {
      kept: {
        // A record that names neither product nor id cannot be replaced by a later read: it is reported, not kept.
        records: records
          .filter((record, index) => merge.wins[index] && inventoryRecordId(record) !== null)
          .map(keptRecord),
      },
    };
    return {
      outcomes,
      write: { ...rest, ...(sales === undefined ? {} : { open_orders: openOrders(sales, skuOf) }), ...keep },
    };
  },
});
