/**
 * An ERP's view of a customer account's credit (pack-contract §4, sync-credit-hold): whether it is on hold,
 * and the credit limit the ERP grants. The ERP is the master of both.
 */
import * as z from 'zod';

const decimalText = z.union([
  z.string().regex(/^\s*[+-]?\d+(\.\d+)?\s*$/, 'must be a decimal amount such as "5000.00"'),
  z.number(),
]);

export const creditAccountSchema = z.looseObject({
  /** The ERP account code, as SparkLayer customers hold it in accounting_id (or account_map maps to it). */
  account: z.union([z.string().trim().min(1, 'is empty'), z.number()]).transform(String),
  on_hold: z.boolean({ error: 'must be true or false' }),
  credit_limit: decimalText.nullable().optional(),
  balance: decimalText.nullable().optional(),
  currency: z.string().nullable().optional(),
  /** The SparkLayer customer group a released customer returns to. */
  group: z.string().trim().min(1).nullable().optional(),
});
export type CreditAccount = z.infer<typeof creditAccountSchema>;
