/**
 * A NetSuite customer record read as the pack's credit account. `creditHoldOverride` (Oracle:
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_4103800262.html): ON is held, OFF is
 * not, AUTO leaves it to NetSuite, which holds a customer whose balance is over the credit limit; the pack
 * applies that rule (NetSuite's own AUTO can also weigh overdue days, per the account's preferences).
 * The account is the customer's internal ID, the key map-order-to-netsuite books orders to.
 */
import Big from 'big.js';
import * as z from 'zod';
import type { CreditAccount } from '../../model/credit-account.js';
import { customerSchema } from './schemas.js';

export const netsuiteCreditCustomerSchema = customerSchema.extend({
  id: z.string().min(1),
  creditHoldOverride: z.looseObject({ id: z.enum(['AUTO', 'ON', 'OFF']), refName: z.string().optional() }),
});

export function netsuiteCreditAccount(customer: z.infer<typeof netsuiteCreditCustomerSchema>): CreditAccount {
  const limit = customer.creditLimit;
  const balance = customer.balance ?? 0;
  const overLimit = limit !== undefined && new Big(String(balance)).gt(new Big(String(limit)));
  return {
    account: customer.id,
    on_hold: customer.creditHoldOverride.id === 'ON' || (customer.creditHoldOverride.id === 'AUTO' && overLimit),
    credit_limit: limit ?? null,
    balance,
    currency: customer.currency?.refName ?? null,
  };
}
