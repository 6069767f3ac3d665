/**
 * Which shape the order steps read their records in (issue 36, SparkLayer on Shopify): SparkLayer purchases, as the
 * pack has always read them, or the Shopify orders and draft orders SparkLayer's checkout books on a Shopify site, as
 * Patchworks' Shopify connector gives them (GraphQL `Order` / `DraftOrder` nodes, or the `LEGACY` REST `order` /
 * `draft_order`: https://shopify.dev/docs/api/admin-graphql/latest/objects/DraftOrder,
 * https://shopify.dev/api/admin-rest/2025-07/resources/draftorder; order-reader.ts cites the shopify.dev page of every
 * field read, and says which are UNVERIFIED). One setting, `order_format`, declared here once and shared by
 * filter-live-orders, resolve-erp-account, the map-order-to-<backend> steps and reconcile-order-totals; one boundary,
 * `readShopifyOrder`, reads a Shopify record into the canonical order; `shopifyOrderReader` makes it the step's record
 * reader (runtime/step.ts `readerFor`). With `sparklayer` there is no reader: the step's own schema reads its records
 * exactly as before, with no work per record added.
 */
import type { CanonicalOrder } from '../../model/order.js';
import { choiceSetting } from '../../runtime/settings.js';
import { INVALID_RECORD, type RecordReader } from '../../runtime/step.js';
import { OrderReadError, toCanonicalOrder } from '../sparklayer/canonical-order.js';
import { nonBlank } from '../sparklayer/purchase.js';
import type { Customer, Purchase } from '../sparklayer/schemas.js';
import {
  attributeMap,
  CART_ID_ATTRIBUTE,
  NOTE_ATTRIBUTES,
  readGraphqlOrder,
  readRestOrder,
  sparkLayerCustomerIds,
  type SparkLayerCustomerIds,
} from './order-reader.js';

export const ORDER_FORMATS = ['sparklayer', 'shopify_graphql', 'shopify_rest'] as const;
export type OrderFormat = (typeof ORDER_FORMATS)[number];
export type ShopifyOrderFormat = Exclude<OrderFormat, 'sparklayer'>;

/** The same in every order step: an order flow sets it once for all of them. */
export const orderFormatSetting = choiceSetting({
  description:
    'What each record is: `sparklayer`, a SparkLayer purchase. On a Shopify site, the Shopify order or draft order ' +
    "SparkLayer's checkout booked (tagged with the sparkCartId note attribute): `shopify_graphql`, an Order or " +
    "DraftOrder node of the Shopify connector's GraphQL endpoints; `shopify_rest`, an order or draft_order of its " +
    'LEGACY REST endpoints.',
  default: 'sparklayer',
  choices: ORDER_FORMATS,
});

/**
 * The boundary: a Shopify record in the chosen format read into the canonical order, or an OrderReadError naming the
 * field (a NoCartIdError when SparkLayer did not book it). `customers` finds the SparkLayer customer of the order's
 * Shopify company or customer id.
 */
export function readShopifyOrder(
  format: ShopifyOrderFormat,
  record: unknown,
  customers: SparkLayerCustomerIds,
): CanonicalOrder {
  return format === 'shopify_graphql' ? readGraphqlOrder(record, customers) : readRestOrder(record, customers);
}

/**
 * For a step that does not need the order's SparkLayer customer (filter-live-orders decides by purchase id and type):
 * the Shopify id stands in for it, so an order is not refused for a customer that another step looks up.
 */
export const CUSTOMER_NOT_LOOKED_UP: SparkLayerCustomerIds = { get: (shopifyId) => shopifyId };

/**
 * SparkLayer customers by Shopify id, from the `customers` list riding beside the records (resolve-erp-account reads
 * and carries them on); none when there is no such list. Only `id` and `external_id` are read, each as text.
 */
export function customerIdsBeside(beside: Record<string, unknown>): SparkLayerCustomerIds {
  const { customers } = beside;
  if (!Array.isArray(customers)) return new Map();
  return sparkLayerCustomerIds(
    customers.filter((customer): customer is Customer => customer !== null && typeof customer === 'object'),
  );
}

/**
 * The step's record reader for a Shopify format, or undefined for `sparklayer` (the step's schema reads those).
 * `view` turns the canonical order (and the record as it came) into what the step's rule reads; `codeOf` gives the
 * exception code of an order that cannot be read, whose message names the field.
 */
export function shopifyOrderReader<R, Code extends string>(
  format: OrderFormat,
  customers: () => SparkLayerCustomerIds,
  view: (order: CanonicalOrder, record: unknown) => R,
  codeOf: (error: OrderReadError) => Code | typeof INVALID_RECORD = () => INVALID_RECORD,
): RecordReader<R, Code> | undefined {
  if (format === 'sparklayer') return undefined;
  const lookup = customers();
  return {
    read: (record) => {
      try {
        return { ok: true, value: view(readShopifyOrder(format, record, lookup), record) };
      } catch (error) {
        if (error instanceof OrderReadError) return { ok: false, code: codeOf(error), message: error.message };
        throw error;
      }
    },
    id: (record) => shopifyOrderId(format, record),
  };
}

/**
 * A Shopify record's id for `skipped` and `exceptions`: its sparkCartId, as the purchase id the canonical order has
 * (so a draft and the order it became share it); else its `name` (`#1001`, `#D11`) or `id`. Total, like purchaseId.
 */
export function shopifyOrderId(format: ShopifyOrderFormat, record: unknown): string | null {
  if (record === null || typeof record !== 'object') return null;
  const order = record as Record<string, unknown>;
  return sparkCartId(format, record) ?? nonBlank(order.name) ?? nonBlank(order.id) ?? null;
}

/** The record's sparkCartId note attribute (the SparkLayer purchase id), the last one given; undefined without. */
export function sparkCartId(format: ShopifyOrderFormat, record: unknown): string | undefined {
  if (record === null || typeof record !== 'object') return undefined;
  const { field, key } = NOTE_ATTRIBUTES[format];
  return attributeMap((record as Record<string, unknown>)[field], key).get(CART_ID_ATTRIBUTE);
}

/**
 * The canonical order of a record as an order step's rule holds it, chosen once per run: a SparkLayer purchase is
 * read here, a Shopify order was read at the boundary (shopifyOrderReader) and carries it as `canonical`.
 */
export function canonicalOrderOf<R>(format: OrderFormat): (record: R) => CanonicalOrder {
  return format === 'sparklayer'
    ? (record) => toCanonicalOrder(record as Purchase)
    : (record) => (record as { canonical: CanonicalOrder }).canonical;
}
