/**
 * lightspeed-r-fulfilments (issue 18): Lightspeed R-Series sales, as GET Sale/{saleID}.json with load_relations
 * ["SaleLines","SaleNotes","ShipTo"] gives them (the `Sale`, or the whole answer; one element of Find sales' `Sale` is
 * the same), in any of R-Series' JSON forms, read into the pack's canonical fulfilments and returns
 * (model/fulfilment.ts) for map-fulfilment-to-sparklayer: one per sale, in order. The reading itself is
 * connectors/lightspeed-r/fulfilment-reader.ts': a completed sale the pack booked is shipped in full (once its ShipTo
 * has shipped, where it has one); a completed refund sale (`isRefundSale`) is a return for the purchase of the sale
 * whose lines it refunds. See the reader's header for what each field is and what is UNVERIFIED.
 *
 * A sale that is neither yet (the reader gives undefined) is skipped: `open` (not completed), `voided`, `archived` or
 * `not-shipped` (its ShipTo has not shipped); a refund's reason is prefixed `refund-`.
 *
 * Beside the records:
 * - `items`: R-Series Item records (GET Item.json; a line's loaded `Item` relation serves too), item ID → SKU by
 *   `sku_fields` (the reader's `itemSkus`), after `product_map` read backwards (below).
 * - `sales`: the sales the pack booked that refunds are made against, with SaleLines and SaleNotes loaded (the
 *   reader's `originalSaleLinks`: original saleLineID → saleID → purchase id). R-Series assigns sale ids, so unlike
 *   X-Series they cannot be derived from the purchase ids: the flow reads them (e.g. GET Sale.json with
 *   referenceNumberSource=SparkLayer and those relations: that filter is UNVERIFIED, no Lightspeed page read shows a
 *   Sale search on referenceNumberSource).
 * Settings: `product_map`, `sku_fields` and `shipping_item_id` are map-order-to-lightspeed-r's own declarations
 * (sale-mapper.ts LIGHTSPEED_R_SETTINGS), so one flow variable or lookup serves both steps: `product_map` read
 * backwards (item ID → the SparkLayer SKU the order flow booked as it, before the item's own SKU by `sku_fields`; its
 * `matrix:` rows book nothing and are left out; an item two SKUs name refuses its sale), `shipping_item_id` (its
 * lines are no goods: left out); `store_currency` is map-order-to-lightspeed-x's declaration (sale-mapper.ts
 * LIGHTSPEED_X_SETTINGS), the same store-currency setting: R-Series sales name no currency, and a refund is in it.
 *
 * Exceptions, each carrying the record whole (one bad sale never fails the others): a sale the reader cannot read (a
 * FulfilmentReadError, naming the field) is INVALID_FULFILMENT, or INVALID_RETURN for a refund:
 * map-fulfilment-to-sparklayer's codes, same owner and meaning. A completed sale the pack did not book
 * (referenceNumberSource not SparkLayer: the store's own sale) is no SparkLayer order, skipped (`not-booked`), so a
 * read of every sale tells no one of walk-in trade; a completed refund whose parent lines are on no sale
 * among `sales`, or on one that names no purchase, is UNLINKED_RETURN.
 */
import * as z from 'zod';
import { REFERENCE_SOURCE } from '../../connectors/lightspeed-r/constants.js';
import {
  fulfilmentFromLightspeedR,
  fulfilmentSaleSchema,
  isRefundSale,
  itemSkus,
  originalSaleLinks,
  returnFromLightspeedR,
} from '../../connectors/lightspeed-r/fulfilment-reader.js';
import { LIGHTSPEED_R_SETTINGS } from '../../connectors/lightspeed-r/sale-mapper.js';
import { LIGHTSPEED_X_SETTINGS } from '../../connectors/lightspeed-x/sale-mapper.js';
import { FulfilmentReadError, type CanonicalReturn, type Fulfilment } from '../../model/fulfilment.js';
import { isJsonObject } from '../../runtime/json-object.js';
import { readBackwards } from '../../runtime/tables.js';
import { defineStep, fail, pass, skip, type ExceptionCode, type Outcome } from '../../runtime/step.js';

const CODES = {
  INVALID_FULFILMENT: {
    owner: 'integration',
    action:
      'An R-Series sale cannot be read as a fulfilment (the message names the sale and the field: no completeTime, ' +
      'a ShipTo not loaded, SaleNotes not loaded, a line whose item has no SKU among the items read). Check the sale ' +
      'in R-Series, the relations and items the flow reads, and the read (connectors/lightspeed-r/' +
      'fulfilment-reader.ts), then replay.',
  },
  INVALID_RETURN: {
    owner: 'integration',
    action:
      'An R-Series refund sale cannot be read as a return (the message names the sale and the field: a refund line ' +
      'with no parent line or a positive quantity, lines refunding two sales, an item with no SKU, a refund with no ' +
      'store_currency). Check the refund in R-Series, the items read and store_currency, then replay.',
  },
  UNLINKED_FULFILMENT: {
    owner: 'operations',
    action:
      'A completed R-Series sale was not booked by the pack (its referenceNumberSource is not SparkLayer), so it ' +
      'names no SparkLayer purchase. If it is a SparkLayer order booked by hand, report its shipment in SparkLayer ' +
      "by hand; otherwise narrow the flow's sale read to the pack's sales.",
  },
  UNLINKED_RETURN: {
    owner: 'operations',
    action:
      'An R-Series refund refunds lines of a sale that is not among the booked sales read beside it (sales), or of ' +
      'one that names no SparkLayer purchase. Check the refund was made against the booked sale and that the flow ' +
      'read that sale with its SaleLines and SaleNotes, then replay.',
  },
} as const satisfies Record<string, ExceptionCode>;
type Code = keyof typeof CODES;

/** A Sale record in any of R-Series' forms, or GET's answer `{Sale: {...}}` (the reader checks the rest). */
const recordSchema = z.looseObject({});

/** Beside the records: the items read, and the booked sales refunds are made against. */
const besideSchema = z.looseObject({ items: z.unknown().optional(), sales: z.unknown().optional() });

/**
 * A collection in R-Series' forms: an array, `{"<Element>": [...]}`, `{"<Element>": {...}}`, a query answer, one
 * record, "" or nothing.
 */
function collection(value: unknown, element: string): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.flatMap((entry) => collection(entry, element));
  if (isJsonObject(value) && element in value && !Object.keys(value).some((key) => /ID$/.test(key)))
    return collection(value[element], element);
  return [value];
}

/** The `Sale` of a single-record answer, or the record itself (as the reader unwraps it). */
function saleOf(record: unknown): unknown {
  return isJsonObject(record) && !Object.hasOwn(record, 'saleID') && isJsonObject(record.Sale) ? record.Sale : record;
}

/** The sale's id in skipped and exceptions. */
function saleId(record: unknown): string | null {
  const sale = saleOf(record);
  const id = isJsonObject(sale) ? sale.saleID : undefined;
  return typeof id === 'number' || (typeof id === 'string' && id.trim() !== '') ? String(id).trim() : null;
}

/** A canonical record as JSON: quantities and money as exact decimal text (a refund as `{number, currency}`). */
function written(record: Fulfilment | CanonicalReturn): Record<string, unknown> {
  const { lines, ...rest } = record;
  const refund = 'refund' in rest ? rest.refund : undefined;
  return {
    ...rest,
    lines: lines.map((line) => ({ ...line, quantity: line.quantity.toFixed() })),
    ...(refund === undefined ? {} : { refund: { number: refund.amount.toFixed(), currency: refund.currency } }),
  };
}

type Sale = z.output<typeof fulfilmentSaleSchema>;

/** Why a sale the reader gives nothing for is not yet a fulfilment or a return. */
function notYet(sale: Sale): string {
  if (sale.voided === true) return 'voided';
  if (sale.archived === true) return 'archived';
  return sale.completed ? 'not-shipped' : 'open';
}

export const step = defineStep({
  key: 'lightspeed-r-fulfilments',
  title: 'Lightspeed R-Series fulfilments and returns',
  purpose:
    'Reads R-Series sales as canonical fulfilments (a completed sale the pack booked, shipped in full) and returns ' +
    '(a ' +
    'completed refund, for the purchase of the sale it refunds) for map-fulfilment-to-sparklayer; sales not ' +
    'completed yet are skipped.',
  settings: {
    product_map: LIGHTSPEED_R_SETTINGS.product_map.describe(
      "map-order-to-lightspeed-r's product_map (SKU after unit_map to R-Series item ID), read backwards: a line's " +
        "item is the SKU that names it, before the item's own SKU by sku_fields (the order flow books a SparkLayer " +
        'SKU as that item); `matrix:` rows book nothing and are left out. An item two SKUs name cannot be told: its ' +
        'sale is INVALID_FULFILMENT / INVALID_RETURN.',
    ),
    sku_fields: LIGHTSPEED_R_SETTINGS.sku_fields.describe(
      "map-order-to-lightspeed-r's sku_fields: the R-Series item fields a line's SKU is read from, in order (the " +
        'first not blank), of the items beside or the Item loaded with the line.',
    ),
    shipping_item_id: LIGHTSPEED_R_SETTINGS.shipping_item_id.describe(
      "map-order-to-lightspeed-r's shipping_item_id: the R-Series item shipping is booked as. Its lines are left " +
        'out of fulfilments and returns.',
    ),
    store_currency: LIGHTSPEED_X_SETTINGS.store_currency.describe(
      "The Lightspeed store's currency (ISO code, as map-order-to-lightspeed-x's store_currency): the currency of " +
        'every refund (R-Series sales name none). Empty: a refund with a total is INVALID_RETURN.',
    ),
  },
  exceptionCodes: CODES,
  record: { schema: recordSchema, id: saleId, checkOnly: true, quick: isJsonObject },
  beside: besideSchema,
  rule: (records, settings, { items, sales }) => {
    const { originalSaleLines, originalSales } = originalSaleLinks(collection(sales, 'Sale'));
    // product_map read backwards (its item rows: a matrix books nothing), over the items' own SKUs; an item two SKUs
    // name is refused, not guessed.
    const booked = [...settings.product_map].flatMap(([sku, target]): Array<[string, string]> =>
      'itemID' in target ? [[sku, String(target.itemID)]] : [],
    );
    const { keys: mappedSkus, twice } = readBackwards(new Map(booked));
    const links = {
      itemSkus: new Map([...itemSkus(collection(items, 'Item'), settings.sku_fields), ...mappedSkus]),
      skuFields: settings.sku_fields,
      originalSaleLines,
      originalSales,
      currency: settings.store_currency === '' ? undefined : settings.store_currency,
      shippingItemId: settings.shipping_item_id === '' ? undefined : settings.shipping_item_id,
    };
    return records.map((record): Outcome<Code> => {
      const isRefund = isRefundSale(record);
      try {
        const parsed = fulfilmentSaleSchema.safeParse(saleOf(record));
        const sale = parsed.success ? parsed.data : undefined;
        const what = `R-Series sale ${sale?.saleID}`;
        const done = sale !== undefined && sale.completed && sale.voided !== true && sale.archived !== true;
        // As X-Series: a sale done whose item product_map names twice is refused, whoever booked it.
        for (const [index, line] of (done ? sale.SaleLines : []).entries()) {
          const skus = line.itemID === undefined ? undefined : twice.get(String(line.itemID));
          if (skus !== undefined)
            return fail(
              isRefund ? 'INVALID_RETURN' : 'INVALID_FULFILMENT',
              `${what}: SaleLines.${index}.itemID: item ${line.itemID} is named by ${skus.join(' and ')} in ` +
                'product_map',
            );
        }
        if (sale !== undefined && done && !isRefund && sale.referenceNumberSource !== REFERENCE_SOURCE)
          return skip('not-booked');
        if (sale !== undefined && done && isRefund) {
          const parents = sale.SaleLines.map((line) => String(line.parentSaleLineID ?? 0)).filter((p) => p !== '0');
          const unknown = parents.find((parent) => !originalSaleLines.has(parent));
          const originals = new Set(parents.map((parent) => originalSaleLines.get(parent)));
          const [original] = originals;
          if (unknown !== undefined)
            return fail(
              'UNLINKED_RETURN',
              `${what}: SaleLines.parentSaleLineID: line ${unknown} is on none of the booked sales beside (sales)`,
            );
          if (originals.size === 1 && original !== undefined && !originalSales.has(original))
            return fail('UNLINKED_RETURN', `${what}: sale ${original} names no SparkLayer purchase`);
        }
        const read = isRefund ? returnFromLightspeedR(record, links) : fulfilmentFromLightspeedR(record, links);
        if (read === undefined) return skip(`${isRefund ? 'refund-' : ''}${notYet(sale!)}`);
        return pass(written(read));
      } catch (error) {
        if (!(error instanceof FulfilmentReadError)) throw error;
        return fail(isRefund ? 'INVALID_RETURN' : 'INVALID_FULFILMENT', error.message);
      }
    });
  },
});
