/**
 * Shopify orders and draft orders read into the pack's canonical order, for SparkLayer on Shopify. SparkLayer's
 * checkout books a pay-later B2B order (Pay on Account, Pay by Invoice) as a Shopify draft order, a card order as a
 * paid order, and tags both with note attributes: `sparkCartId` (the SparkLayer purchase id) and `sparkPaymentType`
 * (reference/sparklayer.md §1, §6.4, §9; https://docs.sparklayer.io/integrations/shopify-introduction/shopify-data-sync).
 * The order `note` is the PO number (§10). Pure; money read as decimals in the presentment currency, which "is the
 * source of truth for what a customer is going to be charged" (https://shopify.dev/docs/api/admin-graphql/latest/objects/DraftOrder).
 *
 * Where the records come from (reference/patchworks.md, "Shopify in Patchworks"): Patchworks' prebuilt Shopify
 * connector has GraphQL endpoints with predefined queries per entity, and REST endpoints prefixed `LEGACY`
 * (https://doc.wearepatchworks.com/product-documentation/connectors-and-instances/patchworks-connectors/shopify-prebuilt-connector/adding-a-custom-graphql-endpoint-for-shopify).
 * `readGraphqlOrder` takes one `Order` or `DraftOrder` node as its orders / draft orders GraphQL queries return it;
 * `readRestOrder` one `order` or `draft_order` of the LEGACY endpoints. UNVERIFIED: the text of the predefined queries
 * is not public, so whether they select every field below is not known; where one does not, a custom GraphQL endpoint
 * (cloned per the page above) selecting these fields does. Connections are read as `nodes` or `edges[].node`.
 *
 * GraphQL fields, confirmed on shopify.dev:
 * - `customAttributes` ([Attribute] `key`, `value`: https://shopify.dev/docs/api/admin-graphql/latest/objects/Attribute;
 *   "a note attribute for an order": https://shopify.dev/docs/api/admin-graphql/latest/input-objects/OrderCreateCustomAttributeInput).
 * - Line items (https://shopify.dev/docs/api/admin-graphql/2027-01/objects/LineItem,
 *   https://shopify.dev/docs/api/admin-graphql/2024-07/objects/DraftOrderLineItem): `name`, `quantity`,
 *   `customAttributes`, `originalTotalSet` (before discounts), `discountedTotalSet` (after line discounts).
 * - MoneyBag `presentmentMoney` / `shopMoney` (https://shopify.dev/docs/api/admin-graphql/latest/objects/MoneyBag),
 *   MoneyV2 `amount`, `currencyCode`, the Decimal "serialized as a string" (https://shopify.dev/docs/api/admin-graphql/latest/scalars/decimal).
 * - TaxLine `priceSet`, `rate` ("as a decimal"), `title` (https://shopify.dev/docs/api/admin-graphql/2025-10/objects/taxline).
 * - ShippingLine `title`, `originalPriceSet`, `discountedPriceSet` ("If the parent order.taxesIncluded field is true,
 *   then this price includes taxes"; https://shopify.dev/docs/api/admin-graphql/2023-04/objects/ShippingLine);
 *   `Order.shippingLines` (https://shopify.dev/docs/api/admin-graphql/2025-01/connections/ShippingLineConnection).
 * - `purchasingEntity`: `Customer` or `PurchasingCompany` (`company`, `contact`, `location`:
 *   https://shopify.dev/docs/api/admin-graphql/latest/objects/PurchasingCompany).
 * UNVERIFIED (in the GraphQL Admin API, but not on the pages read): `id`, `name`, `note`, `processedAt`, `createdAt`,
 * `taxesIncluded`, `customer { id }`, `DraftOrder.shippingLine`, line item `sku` and `taxLines`, shipping line
 * `taxLines`. `paymentTerms` is documented on Order and DraftOrder
 * (https://shopify.dev/changelog/draftorder-and-order-fields-added-to-the-paymentterms-graphql-object) but not read:
 * `sparkPaymentType` already says how the customer pays.
 *
 * REST fields (https://shopify.dev/api/admin-rest/2025-07/resources/draftorder; note_attributes on orders and draft
 * orders, `properties` on line items: https://community.shopify.com/t/properties-vs-customattributes-can-someone-help-me-understand-the-difference/15536/4)
 * are read as Shopify's REST library names them (https://rubydoc.info/gems/shopify_api/ShopifyAPI/DraftOrder,
 * https://rubydoc.info/github/Shopify/shopify_api/ShopifyAPI/Order). UNVERIFIED on shopify.dev: the line item fields
 * `price`, `total_discount`, `applied_discount.amount` (read as the line's discount), `tax_lines[].price` and `rate`,
 * the `*_set.presentment_money` bags, `presentment_currency`, `shipping_lines` / `shipping_line`, and the B2B
 * `company.id`.
 *
 * Not read: order-level discounts not allocated to lines, the `Charged Price` line attribute (SparkLayer's doc does not
 * say whether it is per unit or per line, with or without tax), addresses.
 */
import * as z from 'zod';
import { Money, toDecimal, type Decimal } from '../../model/money.js';
import { sumShipping, type CanonicalOrder, type OrderLine, type OrderShipping } from '../../model/order.js';
import { formatPath } from '../../runtime/envelope.js';
import { guard, normalisePaymentMethod, OrderReadError } from '../sparklayer/canonical-order.js';
import { nonBlank, type PurchaseHeader } from '../sparklayer/purchase.js';
import type { Customer } from '../sparklayer/schemas.js';

/** SparkLayer's note attributes on a Shopify order (https://docs.sparklayer.io/integrations/shopify-introduction/shopify-data-sync). */
export const CART_ID_ATTRIBUTE = 'sparkCartId';
const PAYMENT_TYPE_ATTRIBUTE = 'sparkPaymentType';

/**
 * The order's customer in SparkLayer, by the Shopify company id or customer id (numeric, as REST gives it): a Map from
 * sparkLayerCustomerIds, or a lookup of one's own (order-format.ts reads an order whose customer is not needed).
 */
export type SparkLayerCustomerIds = { get(shopifyId: string): string | undefined };

/** An order without SparkLayer's `sparkCartId`: not booked by SparkLayer checkout, so it has no purchase id. */
export class NoCartIdError extends OrderReadError {
  override name = 'NoCartIdError';
}

/**
 * SparkLayer customers by their Shopify customer id: on a Shopify site SparkLayer syncs customers from Shopify and
 * keeps the Shopify id as `external_id` (reference/sparklayer.md §5, §8; https://docs.sparklayer.io/metafields). How a
 * Shopify B2B company maps to a SparkLayer customer is not documented (UNVERIFIED): add those ids to the map from a
 * table.
 */
export function sparkLayerCustomerIds(customers: readonly Customer[]): Map<string, string> {
  const ids = new Map<string, string>();
  for (const customer of customers) {
    const shopifyId = nonBlank(customer.external_id);
    const sparkLayerId = nonBlank(customer.id);
    if (shopifyId && sparkLayerId) ids.set(shopifyId, sparkLayerId);
  }
  return ids;
}

/**
 * What `filter-live-orders` reads, for a Shopify order: it decides liveness by the SparkLayer purchase `type` only. A
 * draft order is a live B2B pay-later order unless SparkLayer booked it as a quote (`sparkPaymentType=quote`), so a
 * quote becomes type `quote` (skipped), everything else `order`. The id is the SparkLayer cart id, so a draft order and
 * the order it became are one purchase: the filter skips the second as a `duplicate`.
 */
export function purchaseHeader(order: CanonicalOrder): PurchaseHeader {
  return {
    purchase_identifiers: { sparklayer: order.id, visible: order.reference },
    type: order.paymentMethod === 'quote' ? 'quote' : 'order',
  };
}

const optionalText = z.string().nullable().optional();
const optionalId = z.union([z.string(), z.number()]).nullable().optional();
const decimalValue = z.union([z.string(), z.number()]);

const graphqlMoney = z.looseObject({
  presentmentMoney: z.looseObject({ amount: decimalValue, currencyCode: z.string() }),
});
const graphqlAttributes = z
  .array(z.looseObject({ key: z.string(), value: optionalText }))
  .nullable()
  .optional();
const graphqlTaxLines = z
  .array(z.looseObject({ priceSet: graphqlMoney, rate: decimalValue.nullable().optional() }))
  .optional();
type GraphqlTaxLines = z.infer<typeof graphqlTaxLines>;
/** A connection as a query returns it: `nodes`, or `edges` of `node`. */
const connection = <T extends z.ZodType>(node: T, error?: string) =>
  z.looseObject({ nodes: z.array(node).optional(), edges: z.array(z.looseObject({ node })).optional() }, { error });
const graphqlShippingLine = z.looseObject({
  title: optionalText,
  originalPriceSet: graphqlMoney.optional(),
  discountedPriceSet: graphqlMoney,
  taxLines: graphqlTaxLines,
});

const graphqlOrderSchema = z.looseObject({
  id: z.string({ error: 'missing; every Shopify order has an id' }),
  name: optionalText,
  note: optionalText,
  processedAt: optionalText,
  createdAt: optionalText,
  taxesIncluded: z.boolean().nullable().optional(),
  customAttributes: graphqlAttributes,
  customer: z.looseObject({ id: optionalId }).nullable().optional(),
  purchasingEntity: z
    .looseObject({ company: z.looseObject({ id: optionalId }).optional(), id: optionalId })
    .nullable()
    .optional(),
  lineItems: connection(
    z.looseObject({
      sku: optionalText,
      name: optionalText,
      quantity: decimalValue,
      customAttributes: graphqlAttributes,
      originalTotalSet: graphqlMoney.optional(),
      discountedTotalSet: graphqlMoney,
      taxLines: graphqlTaxLines,
    }),
    'missing; the query must select lineItems (nodes or edges)',
  ),
  shippingLines: connection(graphqlShippingLine).nullable().optional(),
  shippingLine: graphqlShippingLine.nullable().optional(),
});

const restSet = z
  .looseObject({ presentment_money: z.looseObject({ amount: decimalValue, currency_code: z.string() }) })
  .optional();
const restAttributes = z
  .array(z.looseObject({ name: z.string(), value: optionalText }))
  .nullable()
  .optional();
const restTaxLines = z
  .array(
    z.looseObject({ price: decimalValue.optional(), price_set: restSet, rate: decimalValue.nullable().optional() }),
  )
  .optional();
const restShippingLine = z.looseObject({
  title: optionalText,
  price: decimalValue.optional(),
  price_set: restSet,
  discounted_price: decimalValue.optional(),
  discounted_price_set: restSet,
  tax_lines: restTaxLines,
});

const restOrderSchema = z.looseObject({
  id: z.union([z.string(), z.number()], { error: 'missing; every Shopify order has an id' }),
  name: optionalText,
  note: optionalText,
  processed_at: optionalText,
  created_at: optionalText,
  currency: z.string({ error: 'missing; a Shopify order names its currency' }),
  presentment_currency: optionalText,
  taxes_included: z.boolean().nullable().optional(),
  note_attributes: restAttributes,
  customer: z.looseObject({ id: optionalId }).nullable().optional(),
  company: z.looseObject({ id: optionalId }).nullable().optional(),
  line_items: z.array(
    z.looseObject({
      sku: optionalText,
      name: optionalText,
      quantity: decimalValue,
      properties: restAttributes,
      price: decimalValue.optional(),
      price_set: restSet,
      total_discount: decimalValue.optional(),
      total_discount_set: restSet,
      applied_discount: z.looseObject({ amount: decimalValue.optional() }).nullable().optional(),
      tax_lines: restTaxLines,
    }),
    { error: 'missing; a Shopify order has line_items' },
  ),
  shipping_lines: z.array(restShippingLine).nullable().optional(),
  shipping_line: restShippingLine.nullable().optional(),
});
type RestOrder = z.infer<typeof restOrderSchema>;

/** One line's amounts before they become canonical: tax is added on top unless the order's prices include it. */
interface LineAmounts {
  original: Money;
  discounted: Money;
  tax: Money;
  taxRate?: Decimal;
}

/** An order as both shapes read it, with each field's name in its own shape for messages. */
interface ShopifyOrderParts {
  attributes: ReadonlyMap<string, string>;
  attributesField: string;
  reference?: string;
  po?: string;
  placedAt?: string;
  currency: string;
  taxesIncluded: boolean;
  buyer: Array<{ field: string; shopifyId: string | undefined }>;
  lines: Array<{ sku?: string; name?: string; quantity: Decimal; where: string; amounts: LineAmounts }>;
  shipping: Array<{ title?: string; amounts: LineAmounts }>;
}

/** A GraphQL Admin API `Order` or `DraftOrder` node, or an OrderReadError naming the field. */
export function readGraphqlOrder(record: unknown, customers: SparkLayerCustomerIds): CanonicalOrder {
  const order = parse(graphqlOrderSchema, record);
  const nodes = <T>(list: { nodes?: T[]; edges?: Array<{ node: T }> } | null | undefined) =>
    list?.nodes ?? list?.edges?.map((edge) => edge.node) ?? [];
  const lineItems = nodes(order.lineItems);
  const currency = lineItems[0]?.discountedTotalSet.presentmentMoney.currencyCode;
  if (!currency) throw new OrderReadError('lineItems: none; the order has no line items');
  const money = graphqlMoneyReader(currency);
  const taxOf = (taxLines: GraphqlTaxLines, where: string) =>
    taxAmounts(taxLines ?? [], where, currency, (line, at) => money(line.priceSet, `${at}.priceSet`));
  const shippingLines = order.shippingLine ? [order.shippingLine] : nodes(order.shippingLines);
  return toCanonical(
    {
      attributes: attributeMap(order.customAttributes, NOTE_ATTRIBUTES.shopify_graphql.key),
      attributesField: 'customAttributes',
      reference: nonBlank(order.name),
      po: nonBlank(order.note),
      placedAt: nonBlank(order.processedAt) ?? nonBlank(order.createdAt),
      currency,
      taxesIncluded: order.taxesIncluded === true,
      buyer: [
        { field: 'purchasingEntity.company.id', shopifyId: legacyId(order.purchasingEntity?.company?.id) },
        { field: 'customer.id', shopifyId: legacyId(order.customer?.id ?? order.purchasingEntity?.id) },
      ],
      lines: lineItems.map((line, index) => {
        const where = `lineItems[${index}]`;
        const discounted = money(line.discountedTotalSet, `${where}.discountedTotalSet`);
        return {
          sku: nonBlank(line.sku),
          name: nonBlank(line.name),
          quantity: decimal(line.quantity, `${where}.quantity`),
          where,
          amounts: {
            original: line.originalTotalSet ? money(line.originalTotalSet, `${where}.originalTotalSet`) : discounted,
            discounted,
            ...taxOf(line.taxLines, `${where}.taxLines`),
          },
        };
      }),
      shipping: shippingLines.map((line, index) => {
        const where = order.shippingLine ? 'shippingLine' : `shippingLines[${index}]`;
        const discounted = money(line.discountedPriceSet, `${where}.discountedPriceSet`);
        return {
          title: nonBlank(line.title),
          amounts: {
            original: line.originalPriceSet ? money(line.originalPriceSet, `${where}.originalPriceSet`) : discounted,
            discounted,
            ...taxOf(line.taxLines, `${where}.taxLines`),
          },
        };
      }),
    },
    customers,
  );
}

/** A REST Admin API (Patchworks `LEGACY`) `order` or `draft_order`, or an OrderReadError naming the field. */
export function readRestOrder(record: unknown, customers: SparkLayerCustomerIds): CanonicalOrder {
  const order = parse(restOrderSchema, record);
  const currency = guard(() => Money.zero(order.presentment_currency ?? order.currency).currency);
  const money = restMoneyReader(currency, order.currency.trim().toUpperCase());
  const taxOf = (taxLines: RestOrder['line_items'][number]['tax_lines'], where: string) =>
    taxAmounts(taxLines ?? [], where, currency, (line, at) => money(line.price, line.price_set, `${at}.price`));
  const shippingLines = order.shipping_line ? [order.shipping_line] : (order.shipping_lines ?? []);
  return toCanonical(
    {
      attributes: attributeMap(order.note_attributes, NOTE_ATTRIBUTES.shopify_rest.key),
      attributesField: 'note_attributes',
      reference: nonBlank(order.name),
      po: nonBlank(order.note),
      placedAt: nonBlank(order.processed_at) ?? nonBlank(order.created_at),
      currency,
      taxesIncluded: order.taxes_included === true,
      buyer: [
        { field: 'company.id', shopifyId: nonBlank(order.company?.id) },
        { field: 'customer.id', shopifyId: nonBlank(order.customer?.id) },
      ],
      lines: order.line_items.map((line, index) => {
        const where = `line_items[${index}]`;
        const quantity = decimal(line.quantity, `${where}.quantity`);
        const original = money(line.price, line.price_set, `${where}.price`).times(quantity);
        const discount = line.applied_discount
          ? money(line.applied_discount.amount, undefined, `${where}.applied_discount.amount`)
          : money(line.total_discount ?? 0, line.total_discount_set, `${where}.total_discount`);
        return {
          sku: nonBlank(line.sku),
          name: nonBlank(line.name),
          quantity,
          where,
          amounts: { original, discounted: original.minus(discount), ...taxOf(line.tax_lines, `${where}.tax_lines`) },
        };
      }),
      shipping: shippingLines.map((line, index) => {
        const where = order.shipping_line ? 'shipping_line' : `shipping_lines[${index}]`;
        const original = money(line.price, line.price_set, `${where}.price`);
        const discounted =
          line.discounted_price === undefined && line.discounted_price_set === undefined
            ? original
            : money(line.discounted_price, line.discounted_price_set, `${where}.discounted_price`);
        return {
          title: nonBlank(line.title),
          amounts: { original, discounted, ...taxOf(line.tax_lines, `${where}.tax_lines`) },
        };
      }),
    },
    customers,
  );
}

function toCanonical(parts: ShopifyOrderParts, customers: SparkLayerCustomerIds): CanonicalOrder {
  const id = parts.attributes.get(CART_ID_ATTRIBUTE);
  if (!id) {
    throw new NoCartIdError(
      `${parts.attributesField}: no ${CART_ID_ATTRIBUTE}; SparkLayer tags every order it books, so this order did ` +
        'not come from SparkLayer checkout',
    );
  }
  if (parts.lines.length === 0) throw new OrderReadError('the order has no line items');
  return {
    id,
    reference: parts.reference,
    po: parts.po,
    currency: parts.currency,
    placedAt: parts.placedAt,
    paymentMethod: normalisePaymentMethod(parts.attributes.get(PAYMENT_TYPE_ATTRIBUTE)),
    customerId: sparkLayerCustomer(parts.buyer, customers),
    lines: parts.lines.map(({ sku, name, quantity, where, amounts }, index): OrderLine => {
      if (!sku) {
        throw new OrderReadError(`${where}.sku: missing; without a SKU the line cannot be matched to a product`);
      }
      if (quantity.lte(0)) throw new OrderReadError(`${where}.quantity: ${quantity} is not a positive quantity`);
      return { position: index + 1, sku, name, quantity, unit: 'each', ...canonicalAmounts(amounts, parts) };
    }),
    shipping: shippingTotals(parts),
  };
}

/** Net is after discount and before tax; where Shopify's prices include tax, the tax comes out of them. */
function canonicalAmounts({ original, discounted, tax, taxRate }: LineAmounts, parts: ShopifyOrderParts) {
  const net = parts.taxesIncluded ? discounted.minus(tax) : discounted;
  return { net, discount: original.minus(discounted), tax, gross: net.plus(tax), taxRate };
}

function shippingTotals(parts: ShopifyOrderParts): OrderShipping {
  const charges = parts.shipping.map(({ title, amounts }) => ({ method: title, ...canonicalAmounts(amounts, parts) }));
  return sumShipping(charges, parts.currency);
}

/** The company's SparkLayer customer when the order names a B2B company that is mapped, else the customer's. */
function sparkLayerCustomer(buyer: ShopifyOrderParts['buyer'], customers: SparkLayerCustomerIds): string {
  for (const { shopifyId } of buyer) {
    const found = shopifyId === undefined ? undefined : customers.get(shopifyId);
    if (found) return found;
  }
  const named = buyer.filter(({ shopifyId }) => shopifyId !== undefined);
  if (named.length === 0) {
    throw new OrderReadError(`${buyer.map(({ field }) => field).join(', ')}: missing; the order names no customer`);
  }
  throw new OrderReadError(
    named.map(({ field, shopifyId }) => `${field} ${shopifyId}`).join(', ') +
      ': no SparkLayer customer has this Shopify id (external_id), so the order has no SparkLayer company',
  );
}

/** Tax is the sum of the tax lines; the rate (a fraction, 0.2) is kept as a percent when there is one tax line. */
function taxAmounts<T extends { rate?: string | number | null }>(
  taxLines: readonly T[],
  where: string,
  currency: string,
  amountOf: (line: T, at: string) => Money,
): { tax: Money; taxRate?: Decimal } {
  const tax = Money.sum(
    taxLines.map((line, index) => amountOf(line, `${where}[${index}]`)),
    currency,
  );
  const rate = taxLines.length === 1 ? taxLines[0]!.rate : undefined;
  return {
    tax,
    taxRate: rate === undefined || rate === null ? undefined : decimal(rate, `${where}[0].rate`).times(100),
  };
}

function graphqlMoneyReader(currency: string) {
  return (bag: z.infer<typeof graphqlMoney>, where: string): Money => {
    const { amount: value, currencyCode } = bag.presentmentMoney;
    if (currencyCode.trim().toUpperCase() !== currency) {
      throw new OrderReadError(`${where}.presentmentMoney: in ${currencyCode}, the order is in ${currency}`);
    }
    return guard(() => Money.of(value, currency, `${where}.presentmentMoney.amount`));
  };
}

/**
 * REST amounts: the `_set` bag's presentment money when there is one; the plain amount (in the shop's currency) only
 * when the order is in the shop's currency, since it would otherwise be in another currency than the customer paid in.
 */
function restMoneyReader(currency: string, shopCurrency: string) {
  return (plain: unknown, set: z.infer<typeof restSet>, where: string): Money => {
    if (set) {
      const { amount: value, currency_code: code } = set.presentment_money;
      if (code.trim().toUpperCase() !== currency) {
        throw new OrderReadError(`${where}_set.presentment_money: in ${code}, the order is in ${currency}`);
      }
      return guard(() => Money.of(value, currency, `${where}_set.presentment_money.amount`));
    }
    if (plain === undefined) throw new OrderReadError(`${where}: missing`);
    if (shopCurrency !== currency) {
      throw new OrderReadError(
        `${where}_set: missing; ${where} is in the shop's ${shopCurrency}, the customer paid in ${currency}`,
      );
    }
    return guard(() => Money.of(plain, currency, where));
  };
}

/** Where each Shopify shape keeps its note attributes, and the field naming each (GraphQL `key`, REST `name`). */
export const NOTE_ATTRIBUTES = {
  shopify_graphql: { field: 'customAttributes', key: 'key' },
  shopify_rest: { field: 'note_attributes', key: 'name' },
} as const;

/**
 * A list of attributes by name (trimmed), each the last non-blank value given; an entry that is not an object with a
 * text name is passed over. Lenient, so that it also reads a record before the schema does (sparkCartId).
 */
export function attributeMap(attributes: unknown, keyField: 'key' | 'name'): Map<string, string> {
  const map = new Map<string, string>();
  for (const attribute of Array.isArray(attributes) ? attributes : []) {
    if (attribute === null || typeof attribute !== 'object') continue;
    const { [keyField]: key, value } = attribute as Record<string, unknown>;
    const text = nonBlank(value);
    if (typeof key === 'string' && text !== undefined) map.set(key.trim(), text);
  }
  return map;
}

/** The numeric id at the end of a GraphQL global id (gid://shopify/Customer/123 → 123), as REST gives it. */
export function legacyId(value: string | number | null | undefined): string | undefined {
  const id = nonBlank(value);
  return id?.startsWith('gid://') ? id.slice(id.lastIndexOf('/') + 1) : id;
}

function decimal(value: unknown, where: string): Decimal {
  return guard(() => toDecimal(value, where));
}

function parse<T extends z.ZodType>(schema: T, record: unknown): z.infer<T> {
  const parsed = schema.safeParse(record);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new OrderReadError(`${formatPath(issue.path)}: ${issue.message}`);
}
