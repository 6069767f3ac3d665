/**
 * A SparkLayer purchase read into the pack's canonical order. Pure; money read as decimals.
 *
 * Line fields: `identifiers.sku`, `name_parent`, `quantity`, and `line_total` with `total_net`,
 * `total_gross`, `discount_net` and `tax_rate` (https://docs.sparklayer.io/developers/templates/template-objects,
 * LineItem and LineTotal; the API example https://docs.sparklayer.io/tech-docs/createupdate-purchase shows
 * total_net and discount_net). SparkLayer's prices are net ("SparkLayer will always output the prices in the
 * Net amounts": https://docs.sparklayer.io/tax-and-shipping); `total_net` is read as the line's net after
 * discount, since the docs do not say. Tax is `total_gross - total_net` where SparkLayer gives a gross.
 */
import * as z from 'zod';
import { Money, MoneyError, toDecimal } from '../../model/money.js';
import { isWrittenBack } from './packages.js';
import {
  sumShipping,
  type CanonicalOrder,
  type OrderAddress,
  type OrderLine,
  type OrderShipping,
  type PaymentMethod,
} from '../../model/order.js';
import { nonBlank, purchaseId, purchaseIdentifiersSchema } from './purchase.js';
import { purchaseSchema, type addressSchema, type monetaryObjectSchema, type Purchase } from './schemas.js';

/**
 * SparkLayer's three payment-method vocabularies (https://docs.sparklayer.io/payment-methods;
 * reference/sparklayer.md §9): the Purchasing API (`invoice | on_account | platform_upfront`), legacy
 * orders and Shopify's `sparkPaymentType` (`upfrontPayment | paymentByInvoice | paymentOnAccount |
 * hokodoPayment | quote | other`), and the names customers see ("Pay on Account"…).
 */
const PAYMENT_METHOD_NAMES: ReadonlyMap<string, PaymentMethod> = new Map([
  ['on_account', 'on_account'],
  ['paymentonaccount', 'on_account'],
  ['pay on account', 'on_account'],
  ['invoice', 'invoice'],
  ['paymentbyinvoice', 'invoice'],
  ['pay by invoice', 'invoice'],
  ['platform_upfront', 'card'],
  ['upfrontpayment', 'card'],
  ['pay online by card', 'card'],
  ['quote', 'quote'],
  ['request for quote', 'quote'],
  ['hokodopayment', 'finance'],
  ['other', 'other'],
]);

/** A Map, not an object: a payment method named `constructor` must not read Object.prototype's. */
export function normalisePaymentMethod(value: unknown): PaymentMethod {
  if (typeof value !== 'string') return 'unknown';
  return PAYMENT_METHOD_NAMES.get(value.trim().toLowerCase()) ?? 'unknown';
}

type Monetary = z.infer<typeof monetaryObjectSchema>;
type LineTotal = { total_net?: Monetary; total_gross?: Monetary; discount_net?: Monetary; tax_rate?: number };

export class OrderReadError extends Error {
  override name = 'OrderReadError';
}

/**
 * The purchase fields toCanonicalOrder reads, for a step's boundary schema: checked there once; the rest (status,
 * accounting files, custom fields, metadata…) rides along unread and uncopied, which matters at tens of thousands of
 * orders (npm run bench).
 */
export const canonicalOrderSourceSchema = purchaseSchema
  .pick({
    customer_identifiers: true,
    payment_method: true,
    dates: true,
    customer_reference: true,
    currency_code: true,
    calculated_total: true,
    billing_address: true,
    packages: true,
  })
  .extend({ purchase_identifiers: purchaseIdentifiersSchema });

/** Reads the purchase or throws an OrderReadError naming the field, for the step to make an exception of. */
export function toCanonicalOrder(purchase: Purchase): CanonicalOrder {
  const id = purchaseId(purchase);
  if (id === null) throw new OrderReadError('purchase_identifiers: none of sparklayer, platform or visible');
  const currency = orderCurrency(purchase);
  const packages = Array.isArray(purchase.packages) ? purchase.packages : purchase.packages ? [purchase.packages] : [];
  // What was ordered: a shipment or return package the pack wrote back holds no order line (packages.ts).
  const lines = packages.flatMap((pkg, p) =>
    isWrittenBack(pkg)
      ? []
      : (pkg.line_items ?? []).map((line, l) => ({ line, where: `packages[${p}].line_items[${l}]` })),
  );
  if (lines.length === 0) throw new OrderReadError('the purchase has no line items');

  const customerId = purchase.customer_identifiers?.sparklayer;
  if (!customerId) throw new OrderReadError('customer_identifiers.sparklayer: missing');

  return {
    id,
    reference: nonBlank(purchase.purchase_identifiers?.visible),
    po: nonBlank(purchase.customer_reference),
    currency,
    placedAt: nonBlank(purchase.dates?.placed_at) ?? nonBlank(purchase.dates?.created_at),
    paymentMethod: normalisePaymentMethod(purchase.payment_method),
    customerId,
    account: nonBlank((purchase as { erp_account?: unknown }).erp_account),
    lines: lines.map(({ line, where }, index) => readLine(line, where, index + 1, currency)),
    shipping: readShipping(packages, currency),
    billingAddress: readAddress(purchase.billing_address),
    shippingAddress: readAddress(packages[0]?.shipping_address),
  };
}

function orderCurrency(purchase: Purchase): string {
  const code = purchase.currency_code ?? purchase.calculated_total?.currency;
  if (!code) throw new OrderReadError('currency_code: missing, and calculated_total names no currency');
  return code.trim().toUpperCase();
}

function readLine(
  line: {
    identifiers?: { sku?: string | null };
    name_parent?: string | null;
    quantity?: number;
    line_total?: LineTotal;
  },
  where: string,
  position: number,
  currency: string,
): OrderLine {
  const sku = nonBlank(line.identifiers?.sku);
  if (!sku)
    throw new OrderReadError(
      `${where}.identifiers.sku: missing; without a SKU the line cannot be matched to a product`,
    );
  if (line.quantity === undefined) throw new OrderReadError(`${where}.quantity: missing`);
  const quantity = guard(() => toDecimal(line.quantity, `${where}.quantity`));
  if (quantity.lte(0)) throw new OrderReadError(`${where}.quantity: ${line.quantity} is not a positive quantity`);
  const totals = readTotals(line.line_total, `${where}.line_total`, currency, true);
  return {
    position,
    sku,
    name: nonBlank(line.name_parent),
    quantity,
    unit: 'each',
    ...totals,
    taxRate:
      line.line_total?.tax_rate === undefined
        ? undefined
        : guard(() => toDecimal(line.line_total!.tax_rate, `${where}.line_total.tax_rate`)),
  };
}

function readShipping(
  packages: Array<{ shipping_method?: { name?: string; line_total?: LineTotal } }>,
  currency: string,
): OrderShipping {
  const charges = packages.map((pkg, p) => ({
    method: nonBlank(pkg.shipping_method?.name),
    ...readTotals(pkg.shipping_method?.line_total, `packages[${p}].shipping_method.line_total`, currency, false),
  }));
  return sumShipping(charges, currency);
}

function readTotals(total: LineTotal | undefined, where: string, currency: string, required: boolean) {
  if (total?.total_net === undefined && required) throw new OrderReadError(`${where}.total_net: missing`);
  const money = (value: Monetary | undefined, field: string) => {
    if (value === undefined) return Money.zero(currency);
    if (value.currency && value.currency.toUpperCase() !== currency) {
      throw new OrderReadError(`${where}.${field}: in ${value.currency.toUpperCase()}, the order is in ${currency}`);
    }
    return guard(() => Money.of(value.number, currency, `${where}.${field}.number`));
  };
  const net = money(total?.total_net, 'total_net');
  const gross = total?.total_gross === undefined ? net : money(total.total_gross, 'total_gross');
  return { net, discount: money(total?.discount_net, 'discount_net'), tax: gross.minus(net), gross };
}

function readAddress(address: z.infer<typeof addressSchema> | undefined): OrderAddress | undefined {
  if (!address) return undefined;
  const name = [address.first_name, address.last_name].filter(Boolean).join(' ');
  return {
    name: nonBlank(name),
    company: nonBlank(address.company),
    line1: nonBlank(address.address_line1),
    line2: nonBlank(address.address_line2),
    city: nonBlank(address.city),
    region: nonBlank(address.region_code),
    postcode: nonBlank(address.postcode),
    countryCode: nonBlank(address.country_code)?.toUpperCase(),
    phone: nonBlank(address.phone),
  };
}

/** Runs a read, turning a MoneyError (an amount that is not a number, an unknown currency) into an OrderReadError. */
export function guard<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof MoneyError) throw new OrderReadError(error.message);
    throw error;
  }
}
