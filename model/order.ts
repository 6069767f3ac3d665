/**
 * The pack's canonical B2B order: what every order step works on once a vendor's order is read, whatever
 * the source (SparkLayer today) and whatever the back-end (NetSuite, Lightspeed…). Money is `Money`,
 * quantities are decimals; net amounts are before tax, after discounts.
 */
import { Money, type Decimal } from './money.js';

/**
 * One vocabulary for how the customer pays. SparkLayer has three for the same thing (Purchasing API
 * `on_account`, legacy orders and Shopify `paymentOnAccount`, dashboard "Pay on Account"); see
 * connectors/sparklayer/canonical-order.ts for the mapping.
 */
export const PAYMENT_METHODS = ['on_account', 'invoice', 'card', 'quote', 'finance', 'other', 'unknown'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface OrderAddress {
  name?: string;
  company?: string;
  line1?: string;
  line2?: string;
  city?: string;
  region?: string;
  postcode?: string;
  countryCode?: string;
  phone?: string;
}

export interface OrderLine {
  /** 1-based position in the source order, for messages a person can follow. */
  position: number;
  /** The seller's SKU, as the source names it; a back-end may know the product by another. */
  sku: string;
  name?: string;
  /** In `unit`s; a decimal because a pack converted to base units can be, and so a back-end may be. */
  quantity: Decimal;
  /** `each` unless the line was converted from a pack (then the back-end's base unit). */
  unit: string;
  /** Net, after discount, before tax: what the customer agreed for the line. */
  net: Money;
  /** Net discount already taken off `net`. */
  discount: Money;
  tax: Money;
  /** `net + tax`. */
  gross: Money;
  /** Percent, e.g. 20 for 20 % VAT, when the source says. */
  taxRate?: Decimal;
}

export interface OrderShipping {
  method?: string;
  net: Money;
  discount: Money;
  tax: Money;
  gross: Money;
}

/** Several shipping charges (SparkLayer packages, Shopify shipping lines) as one: amounts summed, names joined. */
export function sumShipping(charges: readonly OrderShipping[], currency: string): OrderShipping {
  const sum = (pick: (charge: OrderShipping) => Money) => Money.sum(charges.map(pick), currency);
  const names = [...new Set(charges.map((charge) => charge.method).filter((name) => name !== undefined))];
  return {
    method: names.length > 0 ? names.join(', ') : undefined,
    net: sum((charge) => charge.net),
    discount: sum((charge) => charge.discount),
    tax: sum((charge) => charge.tax),
    gross: sum((charge) => charge.gross),
  };
}

export interface CanonicalOrder {
  /** The source's stable id (SparkLayer: purchase_identifiers.sparklayer). */
  id: string;
  /** The number the customer sees (SparkLayer: purchase_identifiers.visible). */
  reference?: string;
  /** The customer's purchase order number. */
  po?: string;
  currency: string;
  placedAt?: string;
  paymentMethod: PaymentMethod;
  /** The customer in the source system (SparkLayer: the customer_identifiers.sparklayer Company ID). */
  customerId: string;
  /** The back-end account the order is booked to, once resolved. */
  account?: string;
  lines: OrderLine[];
  shipping: OrderShipping;
  billingAddress?: OrderAddress;
  shippingAddress?: OrderAddress;
}

export interface OrderTotals {
  /** Lines and shipping, before tax. */
  net: Money;
  tax: Money;
  /** What the customer pays: net + tax. */
  gross: Money;
  discount: Money;
  shipping: Money;
}

/** Sums the lines and shipping, in decimal. */
export function orderTotals(order: CanonicalOrder): OrderTotals {
  const add = (pick: (part: { net: Money; tax: Money; gross: Money; discount: Money }) => Money) =>
    [...order.lines, order.shipping].map(pick).reduce((total, amount) => total.plus(amount));
  return {
    net: add((part) => part.net),
    tax: add((part) => part.tax),
    gross: add((part) => part.gross),
    discount: add((part) => part.discount),
    shipping: order.shipping.net,
  };
}
