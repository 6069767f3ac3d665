/**
 * What an ERP credit hold does to SparkLayer customers. SparkLayer has no "on hold" flag; its levers
 * (reference/sparklayer.md §16) are the customer group, whose payment-methods rule decides who may pay on
 * account, and the Pay on Account credit limit (https://docs.sparklayer.io/credit-net-terms-and-invoicing:
 * Pay on Account is disabled for an order over the limit). Pure. Every body returned is the whole customer,
 * because SparkLayer's customer PUT replaces the record and clears what it leaves out.
 */
import Big from 'big.js';
import { exactJsonNumber } from '../../model/money.js';
import type { CreditAccount } from '../../model/credit-account.js';
import type { Customer } from './schemas.js';

export type HoldAction = 'group' | 'credit_limit' | 'both';

export interface HoldSettings {
  holdGroup: string;
  holdAction: HoldAction;
  releaseGroup?: string;
}

export type HoldPlan =
  | { ok: true; changed: Customer[]; state: 'held' | 'released' }
  | { ok: false; message: string };

/** The customers the account covers, changed where they are not yet as the ERP says; unchanged ones are left out. */
export function planCreditHold(account: CreditAccount, customers: readonly Customer[], settings: HoldSettings): HoldPlan {
  const useGroup = settings.holdAction !== 'credit_limit';
  const useLimit = settings.holdAction !== 'group';
  const erpLimit = account.credit_limit === null || account.credit_limit === undefined ? undefined : new Big(String(account.credit_limit).trim());
  const changed: Customer[] = [];
  for (const customer of customers) {
    const next = structuredClone(customer);
    // The ERP's limit goes where a credit facility exists: on the account holder, or a customer that has one.
    // A sub-account that never had Pay on Account does not get one from a sync.
    const hasFacility = customer.payment_on_account != null || customer.accounting_id?.trim() === account.account;
    const syncedLimit = hasFacility ? erpLimit : undefined;
    if (account.on_hold) {
      if (useGroup) next.group = settings.holdGroup;
      const limit = useLimit ? new Big(0) : syncedLimit;
      if (limit !== undefined) setCreditLimit(next, limit);
    } else {
      const normal = account.group ?? undefined;
      if (normal) next.group = normal;
      else if (customer.group === settings.holdGroup) {
        if (!settings.releaseGroup) {
          return {
            ok: false,
            message: `customer ${customer.id ?? '?'} is in "${settings.holdGroup}" and the account names no group to release it to: give the account a group or set release_group`,
          };
        }
        next.group = settings.releaseGroup;
      }
      if (syncedLimit !== undefined) setCreditLimit(next, syncedLimit);
    }
    if (!sameCustomer(customer, next)) changed.push(next);
  }
  return { ok: true, changed, state: account.on_hold ? 'held' : 'released' };
}

/** Sets payment_on_account.credit_limit, keeping the rest of payment_on_account (balance, currency, net terms). */
function setCreditLimit(customer: Customer, limit: Big): void {
  const current = customer.payment_on_account?.credit_limit;
  if (current !== undefined && current !== null && new Big(String(current)).eq(limit)) return;
  // Written as the customer already had it: a number stays a number (SparkLayer's examples use numbers).
  const value = typeof current === 'string' ? limit.toFixed(2) : (exactJsonNumber(limit) ?? limit.toFixed(2));
  customer.payment_on_account = { ...customer.payment_on_account, credit_limit: value };
}

function sameCustomer(a: Customer, b: Customer): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
