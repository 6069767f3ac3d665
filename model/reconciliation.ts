/**
 * Order total reconciliation (pack-contract §4, reconcile-order-totals): the source's totals are the truth,
 * compared field by field with what the back-end booked, in decimal, within a tolerance. Pure.
 */
import Big from 'big.js';
import * as z from 'zod';
import { amountText, type Decimal } from './money.js';
import type { OrderTotals } from './order.js';

const amount = z
  .union([z.string().regex(/^\s*[+-]?\d+(\.\d+)?\s*$/, 'must be a decimal amount such as "120.00"'), z.number()])
  .transform((value) => new Big(String(value).trim()));

/**
 * A back-end's order totals in the pack's shape: `net` is the whole order before tax, shipping included;
 * `tax` all tax; `gross` what the customer pays; `shipping` shipping before tax (already in `net`).
 */
export const targetOrderSchema = z.looseObject({
  /** The SparkLayer purchase id the back-end keeps (its external id), or another purchase identifier. */
  reference: z.union([z.string().trim().min(1, 'is empty'), z.number()]).transform(String),
  /** The customer's PO number, when that is all the back-end carries to find the order by. */
  po: z.string().trim().min(1).optional(),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code such as GBP')
    .transform((code) => code.toUpperCase()),
  net: amount,
  tax: amount,
  gross: amount,
  shipping: amount.optional(),
});
export type TargetOrder = z.infer<typeof targetOrderSchema>;

export const RECONCILED_FIELDS = ['net', 'tax', 'gross', 'shipping'] as const;
export type ReconciledField = (typeof RECONCILED_FIELDS)[number];

export interface FieldDifference {
  field: ReconciledField;
  expected: string;
  actual: string;
  /** actual − expected. */
  difference: string;
}

export type TotalsComparison =
  | { kind: 'matched'; totals: Record<ReconciledField, string | undefined> }
  | { kind: 'currency'; expected: string; actual: string }
  | { kind: 'mismatch'; differences: FieldDifference[] };

/** Each field the target carries, compared with the source's; differences larger than the tolerance are reported. */
export function compareTotals(
  source: OrderTotals,
  currency: string,
  target: TargetOrder,
  tolerance: Decimal,
): TotalsComparison {
  if (target.currency !== currency) return { kind: 'currency', expected: currency, actual: target.currency };
  const differences: FieldDifference[] = [];
  const totals = {} as Record<ReconciledField, string | undefined>;
  for (const field of RECONCILED_FIELDS) {
    const actual = target[field];
    const expected = source[field === 'shipping' ? 'shipping' : field].amount;
    totals[field] = amountText(expected, currency);
    if (actual === undefined) continue;
    const difference = actual.minus(expected);
    if (difference.abs().gt(tolerance)) {
      differences.push({
        field,
        expected: amountText(expected, currency),
        actual: amountText(actual, currency),
        difference: signed(difference, currency),
      });
    }
  }
  return differences.length > 0 ? { kind: 'mismatch', differences } : { kind: 'matched', totals };
}

function signed(value: Decimal, currency: string): string {
  return value.gt(0) ? `+${amountText(value, currency)}` : amountText(value, currency);
}

export function describeDifferences(differences: readonly FieldDifference[]): string {
  return differences
    .map((d) => `${d.field}: expected ${d.expected}, actual ${d.actual}, difference ${d.difference}`)
    .join('; ');
}
