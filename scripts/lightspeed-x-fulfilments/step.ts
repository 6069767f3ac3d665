/**
 * lightspeed-x-fulfilments (issue 18): Lightspeed X-Series sales, as GET /api/2026-07/sales/{id} gives them (its
 * `data`, or the whole answer `{data: {...}}`; one element of ListSales' `data` is the same), read into the pack's
 * canonical fulfilments and returns (model/fulfilment.ts) for map-fulfilment-to-sparklayer: one per sale, in order.
 * The reading itself is connectors/lightspeed-x/fulfilment-reader.ts': a closed sale the pack booked is shipped in
 * full; a closed return sale (`return.original_sale_id` or `return_for`, or a return line: `isReturnSale`) is a return
 * for its original sale's purchase. See the reader's header for what each field is and what is UNVERIFIED.
 *
 * A sale that is neither yet (parked, pending or voided: the reader gives undefined) is skipped, `state:<state>` (a
 * return: `return-state:<state>`); the next run reads it again once closed.
 *
 * Beside the records:
 * - `products`: X-Series products (GET /api/2026-07/products with deleted=true, so a deleted product's SKU is still
 *   known; pages `{data: [...]}` or arrays), product id → SKU (the reader's `productSkus`).
 * - For returns, the original sale id → purchase id. The pack's sale ids are derived from purchase ids (`saleIdFor`,
 *   sale-id.ts), so no sale need be read: the purchase ids come from the SparkLayer purchases riding beside as
 *   `purchases` (map-fulfilment-to-sparklayer reads them too) and from `purchase_ids` (a list of ids).
 * Settings, map-order-to-lightspeed-x's own declarations (sale-mapper.ts LIGHTSPEED_X_SETTINGS), so one flow variable
 * serves both steps: `product_map` read backwards (product id → the SparkLayer SKU the order flow booked as it, before
 * the product's own sku; a product two SKUs name refuses its sale), `store_currency` (a refund is in it: X-Series
 * sales name no currency) and `shipping_product_id` (its lines are no goods: left out).
 *
 * Exceptions, each carrying the record whole (one bad sale never fails the others): a sale the reader cannot read (a
 * FulfilmentReadError, naming the field) is INVALID_FULFILMENT, or INVALID_RETURN for a return sale:
 * map-fulfilment-to-sparklayer's codes, same owner and meaning. A closed sale the pack did not book (`source.type` not
 * SparkLayer: the store's own sale) is no SparkLayer order, skipped (`not-booked`), so a read of every sale tells no
 * one of walk-in trade; a closed return of a sale that is not one of the purchases beside is
 * UNLINKED_RETURN.
 */
import * as z from 'zod';
import {
  fulfilmentFromLightspeedX,
  fulfilmentSaleSchema,
  isReturnSale,
  productSkus,
  returnFromLightspeedX,
} from '../../connectors/lightspeed-x/fulfilment-reader.js';
import { saleIdFor } from '../../connectors/lightspeed-x/sale-id.js';
import { LIGHTSPEED_X_SETTINGS, SOURCE_TYPE } from '../../connectors/lightspeed-x/sale-mapper.js';
import { purchaseId } from '../../connectors/sparklayer/purchase.js';
import {
  FulfilmentReadError,
  readFulfilmentRecord,
  type CanonicalReturn,
  type Fulfilment,
} from '../../model/fulfilment.js';
import { isJsonObject } from '../../runtime/json-object.js';
import { readBackwards } from '../../runtime/tables.js';
import { defineStep, fail, pass, skip, type ExceptionCode, type Outcome } from '../../runtime/step.js';

const CODES = {
  INVALID_FULFILMENT: {
    owner: 'integration',
    action:
      'An X-Series sale cannot be read as a fulfilment (the message names the sale and the field: no source.id, no ' +
      'updated_at, a line with no product or a negative quantity, a product not among the products read). Check ' +
      'the sale in X-Series, that the flow read its products, and the read (connectors/lightspeed-x/' +
      'fulfilment-reader.ts), then replay.',
  },
  INVALID_RETURN: {
    owner: 'integration',
    action:
      'An X-Series return sale cannot be read as a return (the message names the sale and the field: no date, a ' +
      'return line with a positive quantity, a product not among the products read, a refund with no ' +
      'store_currency). Check the sale in X-Series, the products read and store_currency, then replay.',
  },
  UNLINKED_FULFILMENT: {
    owner: 'operations',
    action:
      'A closed X-Series sale was not booked by the pack (its source.type is not SparkLayer), so it names no ' +
      'SparkLayer purchase. If it is a SparkLayer order booked by hand, report its shipment in SparkLayer by hand; ' +
      "otherwise narrow the flow's sale read to the pack's sales.",
  },
  UNLINKED_RETURN: {
    owner: 'operations',
    action:
      'An X-Series return sale returns goods from a sale that is none of the SparkLayer purchases read beside it ' +
      '(its sale id is not the one the pack gives any of them). Check the return was made against the booked sale ' +
      'and that the flow read that purchase, then replay.',
  },
} as const satisfies Record<string, ExceptionCode>;
type Code = keyof typeof CODES;

/** A sale, or GET's answer `{data: {...}}` (the reader checks the rest). */
const recordSchema = z.looseObject({});

/** Beside the records: the products read, and the SparkLayer purchases (or their ids) the returns belong to. */
const besideSchema = z.looseObject({
  products: z.unknown().optional(),
  purchases: z.unknown().optional(),
  purchase_ids: z.unknown().optional(),
});

/** The objects of a read: pages (`{data: [...]}`) opened, lists flattened, nothing for null. */
function objects(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap(objects);
  if (isJsonObject(value) && Array.isArray(value.data) && !('id' in value)) return value.data;
  return [value];
}

/** The sale of GET's answer (`{data: {...}}`), or the record itself. */
function saleOf(record: unknown): unknown {
  return isJsonObject(record) && !('id' in record) && isJsonObject(record.data) ? record.data : record;
}

/** The sale's id in skipped and exceptions. */
function saleId(record: unknown): string | null {
  const sale = saleOf(record);
  const id = isJsonObject(sale) ? sale.id : undefined;
  return typeof id === 'string' && id.trim() !== '' ? id.trim() : null;
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

export const step = defineStep({
  key: 'lightspeed-x-fulfilments',
  title: 'Lightspeed X-Series fulfilments and returns',
  purpose:
    'Reads X-Series sales as canonical fulfilments (a closed sale the pack booked, shipped in full) and returns (a ' +
    'closed return sale, for its original sale’s purchase) for map-fulfilment-to-sparklayer; sales not closed yet ' +
    'are skipped.',
  settings: {
    store_currency: LIGHTSPEED_X_SETTINGS.store_currency.describe(
      "map-order-to-lightspeed-x's store_currency: the Lightspeed store's currency (ISO code), the currency of every " +
        'refund (X-Series sales name none). Empty: a return with a total is INVALID_RETURN.',
    ),
    product_map: LIGHTSPEED_X_SETTINGS.product_map.describe(
      "map-order-to-lightspeed-x's product_map (SKU after unit_map to X-Series product id), read backwards: a line's " +
        "product is the SKU that names it, before the product's own sku (the order flow books a SparkLayer SKU as " +
        'that product). A product two SKUs name cannot be told: its sale is INVALID_FULFILMENT / INVALID_RETURN.',
    ),
    shipping_product_id: LIGHTSPEED_X_SETTINGS.shipping_product_id.describe(
      "map-order-to-lightspeed-x's shipping_product_id: the X-Series product shipping is booked as. Its lines are " +
        'left out of fulfilments and returns.',
    ),
  },
  exceptionCodes: CODES,
  record: { schema: recordSchema, id: saleId, checkOnly: true, quick: isJsonObject },
  beside: besideSchema,
  rule: (records, settings, { products, purchases, purchase_ids: ids }) => {
    const purchaseIds = [
      ...objects(purchases).map(purchaseId),
      ...objects(ids).map((id) => (typeof id === 'string' ? id.trim() : null)),
    ].filter((id): id is string => id !== null && id !== '');
    // product_map read backwards, over the products' own SKUs; a product two SKUs name is refused, not guessed.
    const { keys: mappedSkus, twice } = readBackwards(settings.product_map);
    const links = {
      productSkus: new Map([...productSkus(objects(products)), ...mappedSkus]),
      originalSales: new Map(purchaseIds.map((id) => [saleIdFor(id), id])),
      currency: settings.store_currency === '' ? undefined : settings.store_currency,
      shippingProductId: settings.shipping_product_id === '' ? undefined : settings.shipping_product_id,
    };
    return records.map((record): Outcome<Code> => {
      const body = saleOf(record);
      const isReturn = isReturnSale(body);
      try {
        const id = isJsonObject(body) ? body.id : undefined;
        const what = `X-Series sale ${typeof id === 'string' ? id : '(no id)'}`;
        const sale = readFulfilmentRecord(fulfilmentSaleSchema, body, what);
        if (sale.state !== 'closed') return skip(`${isReturn ? 'return-state' : 'state'}:${sale.state}`);
        for (const [index, line] of sale.line_items.entries()) {
          const product = line.product?.id ?? line.product_id;
          const skus = product === undefined ? undefined : twice.get(product);
          if (skus !== undefined)
            return fail(
              isReturn ? 'INVALID_RETURN' : 'INVALID_FULFILMENT',
              `${what}: line_items.${index}: product ${product} is named by ${skus.join(' and ')} in product_map`,
            );
        }
        if (!isReturn) {
          const type = sale.source?.type;
          if (type !== SOURCE_TYPE) return skip('not-booked');
          return pass(written(fulfilmentFromLightspeedX(body, links)!));
        }
        const linked = sale.return?.original_sale_id || undefined;
        const original = linked ?? (sale.return_for || undefined);
        // Two different originals, or none: the reader names the field.
        if (
          original !== undefined &&
          !links.originalSales.has(original) &&
          (!linked || !sale.return_for || linked === sale.return_for)
        )
          return fail(
            'UNLINKED_RETURN',
            `${what}: ${linked ? 'return.original_sale_id' : 'return_for'}: sale ${original} is the sale of none of ` +
              'the SparkLayer purchases beside (purchases, purchase_ids)',
          );
        return pass(written(returnFromLightspeedX(body, links)!));
      } catch (error) {
        if (!(error instanceof FulfilmentReadError)) throw error;
        return fail(isReturn ? 'INVALID_RETURN' : 'INVALID_FULFILMENT', error.message);
      }
    });
  },
});
