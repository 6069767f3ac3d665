/**
 * The pack's canonical fulfilments (what a back-end shipped) and returns (what came back, and what was refunded),
 * whatever the back-end, for the flows that report dispatch and returns back to SparkLayer (issue 18). Each names
 * the SparkLayer purchase it belongs to (`purchase_id`: purchase_identifiers.sparklayer, the id the pack booked the
 * order under) and the back-end transaction it was read from.
 * Quantities are decimals (model/money.ts), money is `Money`.
 *
 * The rules here are pure: `purchaseProgress` adds up, per SKU, what several transactions fulfilled and returned
 * against what the purchase ordered (partial shipments, partial returns), counting each back-end transaction once,
 * and names the lines that went past what they may: OVER_FULFILLED (more shipped than ordered), OVER_RETURNED (more
 * returned than shipped, or than ordered).
 */
import Big from 'big.js';
import type * as z from 'zod';
import type { Decimal, Money } from './money.js';

/** A back-end record that cannot be read as a fulfilment or return: the message names the record and the field. */
export class FulfilmentReadError extends Error {
  override name = 'FulfilmentReadError';
}

/**
 * A back-end record read with a reader's schema, or a FulfilmentReadError naming the record (`name`, e.g. `NetSuite
 * itemFulfillment 41`) and the first field wrong: `<field>: missing`, or the schema's message and the value found.
 * `valueAt` finds the raw value at the field's path (a back-end whose collections come wrapped reads through them).
 */
export function readFulfilmentRecord<T extends z.ZodType>(
  schema: T,
  body: unknown,
  name: string,
  valueAt: (body: unknown, path: readonly PropertyKey[]) => unknown = plainValueAt,
): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join('.') : '(the body)';
  const value = valueAt(body, issue.path);
  const found = value === undefined ? 'missing' : `${issue.message} (${JSON.stringify(value)})`;
  throw new FulfilmentReadError(`${name}: ${field}: ${found}`);
}

function plainValueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (at, key) => (at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key] : undefined),
    body,
  );
}

/** One SKU's quantity on a fulfilment or a return. */
export interface FulfilmentLine {
  /** The SKU as SparkLayer knows it (the back-end reader maps its item to it). */
  sku: string;
  /** In the order line's unit; a decimal, exact. */
  quantity: Decimal;
  /** The back-end location the line shipped from or came back to, where the back-end says per line. */
  location?: string;
}

/** Where a fulfilment stands in the back-end's pick, pack and ship process. Only `shipped` has left the warehouse. */
export const FULFILMENT_STATUSES = ['picked', 'packed', 'shipped'] as const;
export type FulfilmentStatus = (typeof FULFILMENT_STATUSES)[number];

/** One shipment (a back-end fulfilment transaction) of some or all of a purchase's lines. */
export interface Fulfilment {
  /** The SparkLayer purchase id. */
  purchase_id: string;
  /** The back-end's id of this fulfilment transaction (NetSuite: the item fulfillment's internal ID). */
  transaction_id: string;
  /** Which back-end: `netsuite`, … */
  source: string;
  status: FulfilmentStatus;
  /** When it shipped, as the back-end gives it (NetSuite: the transaction date, YYYY-MM-DD). */
  shipped_at: string;
  /** The carrier or ship method, where the back-end names one. */
  carrier?: string;
  /**
   * The shipment's tracking number (pack-contract §5 names it `tracking_number`, one string): every package's number
   * the back-end holds, in its order, joined by ", "; absent when it holds none.
   */
  tracking_number?: string;
  /** A tracking URL, where the back-end gives one. */
  tracking_url?: string;
  /** The location it shipped from, when every line shipped from the same one. */
  location?: string;
  lines: FulfilmentLine[];
}

/** One return (a back-end return or credit transaction) of some of a purchase's lines, and what was refunded for it. */
export interface CanonicalReturn {
  /** The SparkLayer purchase id. */
  purchase_id: string;
  /** The back-end's id of this return transaction (NetSuite: a credit memo's or return authorization's internal ID). */
  transaction_id: string;
  /** The back-end's id of the original order transaction the goods were sold on (NetSuite: the sales order). */
  original_transaction_id: string;
  /**
   * The back-end transaction this one was made from, when not the original order (NetSuite: the return authorization a
   * credit memo was made from). A return whose `transaction_id` another return names here is superseded by it: the
   * goods are counted once, on the later transaction.
   */
  created_from?: string;
  source: string;
  /** When it was returned or credited, as the back-end gives it. */
  returned_at: string;
  location?: string;
  lines: FulfilmentLine[];
  /** The amount refunded or credited, where the back-end says. */
  refund?: Money;
  /** Why, where the back-end says. */
  reason?: string;
}

/** What the purchase ordered of one SKU (an order line; several lines of one SKU are added up). */
export interface OrderedLine {
  sku: string;
  quantity: Decimal;
}

export const FULFILMENT_ISSUE_CODES = ['OVER_FULFILLED', 'OVER_RETURNED'] as const;
export type FulfilmentIssueCode = (typeof FULFILMENT_ISSUE_CODES)[number];

/** One SKU's totals across every transaction counted. */
export interface LineProgress {
  sku: string;
  ordered: Decimal;
  fulfilled: Decimal;
  returned: Decimal;
}

/** A line that went past what it may, naming the SKU and every quantity. */
export interface FulfilmentIssue extends LineProgress {
  code: FulfilmentIssueCode;
  purchase_id: string;
  message: string;
}

export interface PurchaseProgress {
  purchase_id: string;
  /** One per SKU, ordered SKUs first in order, then any SKU shipped or returned that was never ordered. */
  lines: LineProgress[];
  issues: FulfilmentIssue[];
  /** The fulfilment transactions counted, each once, in the order first seen. */
  fulfilments: string[];
  /** The return transactions counted, each once, in the order first seen (superseded ones left out). */
  returns: string[];
  /** True when every ordered SKU is fulfilled in full (and no issue). */
  complete: boolean;
}

/**
 * One purchase's fulfilled and returned quantities per SKU, against what it ordered. Only transactions whose
 * `purchase_id` is this purchase's are counted. A transaction fed twice (the same `transaction_id`) is counted once:
 * the last one fed, as the latest read of it. A return superseded by a later one (its id is another return's
 * `created_from`) is not counted. The status of a fulfilment is not looked at: the caller passes what it counts
 * (shipped, or picked and packed too).
 */
export function purchaseProgress(
  purchaseId: string,
  ordered: readonly OrderedLine[],
  fulfilments: readonly Fulfilment[],
  returns: readonly CanonicalReturn[],
): PurchaseProgress {
  const lines = new Map<string, LineProgress>();
  const line = (sku: string): LineProgress => {
    let found = lines.get(sku);
    if (found === undefined) {
      found = { sku, ordered: new Big(0), fulfilled: new Big(0), returned: new Big(0) };
      lines.set(sku, found);
    }
    return found;
  };
  for (const { sku, quantity } of ordered) line(sku).ordered = line(sku).ordered.plus(quantity);

  const countedFulfilments = lastOfEach(fulfilments.filter((f) => f.purchase_id === purchaseId));
  const ownReturns = returns.filter((r) => r.purchase_id === purchaseId);
  const superseded = new Set(ownReturns.map((r) => r.created_from).filter((id) => id !== undefined));
  const countedReturns = lastOfEach(ownReturns.filter((r) => !superseded.has(r.transaction_id)));

  for (const fulfilment of countedFulfilments)
    for (const { sku, quantity } of fulfilment.lines) line(sku).fulfilled = line(sku).fulfilled.plus(quantity);
  for (const ret of countedReturns)
    for (const { sku, quantity } of ret.lines) line(sku).returned = line(sku).returned.plus(quantity);

  const progress = [...lines.values()];
  const issues: FulfilmentIssue[] = [];
  for (const p of progress) {
    if (p.fulfilled.gt(p.ordered))
      issues.push({
        ...p,
        code: 'OVER_FULFILLED',
        purchase_id: purchaseId,
        message:
          `${purchaseId} ${p.sku}: fulfilled ${p.fulfilled.toFixed()}, ` +
          `more than the ${p.ordered.toFixed()} ordered`,
      });
    const limit = p.fulfilled.lt(p.ordered) ? p.fulfilled : p.ordered;
    if (p.returned.gt(limit))
      issues.push({
        ...p,
        code: 'OVER_RETURNED',
        purchase_id: purchaseId,
        message:
          `${purchaseId} ${p.sku}: returned ${p.returned.toFixed()}, more than the ` +
          (p.fulfilled.lt(p.ordered)
            ? `${p.fulfilled.toFixed()} fulfilled`
            : `${p.ordered.toFixed()} ordered (${p.fulfilled.toFixed()} fulfilled)`),
      });
  }
  return {
    purchase_id: purchaseId,
    lines: progress,
    issues,
    fulfilments: countedFulfilments.map((f) => f.transaction_id),
    returns: countedReturns.map((r) => r.transaction_id),
    complete: issues.length === 0 && progress.every((p) => p.fulfilled.gte(p.ordered)),
  };
}

/** Each transaction once, keyed by its id: the last one fed wins, in the position its id was first seen. */
function lastOfEach<T extends { transaction_id: string }>(transactions: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const transaction of transactions) byId.set(transaction.transaction_id, transaction);
  return [...byId.values()];
}
