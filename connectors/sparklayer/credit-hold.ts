/**
 * What an ERP credit hold does to SparkLayer customers. SparkLayer has no "on hold" flag; its levers
 * (reference/sparklayer.md §16) are the customer group, whose payment-methods rule decides who may pay on
 * account, and the Pay on Account credit limit (https://docs.sparklayer.io/credit-net-terms-and-invoicing:
 * Pay on Account is disabled for an order over the limit). Pure. Every body returned is the whole customer,
 * because SparkLayer's customer PUT replaces the record and clears what it leaves out.
 *
 * The limit lever only moves limits that exist: a customer with no `payment_on_account` never gains Pay on
 * Account from a sync, so a hold and its release give back exactly what was there. Limits are written with the
 * currency's minor units, or every decimal the ERP gave (100.125 in a 3-decimal currency stays 100.125).
 */
import Big from 'big.js';
import { amountText, exactJsonNumber, toDecimal } from '../../model/money.js';
import type { CreditAccount } from '../../model/credit-account.js';
import type { Customer } from './schemas.js';

export type HoldAction = 'group' | 'credit_limit' | 'both';

export interface HoldSettings {
  holdGroup: string;
  holdAction: HoldAction;
  releaseGroup?: string;
}

export type HoldPlan =
  | { ok: true; changed: Customer[]; state: 'held' | 'released'; limitsHeld: number }
  | { ok: false; code: 'MISSING_RELEASE_GROUP' | 'UNREADABLE_CREDIT_LIMIT'; message: string };

class PlanFailure extends Error {
  constructor(
    readonly code: 'MISSING_RELEASE_GROUP' | 'UNREADABLE_CREDIT_LIMIT',
    message: string,
  ) {
    super(message);
  }
}

/** The customers the account covers, changed where they are not yet as the ERP says; unchanged ones are left out. */
export function planCreditHold(
  account: CreditAccount,
  customers: readonly Customer[],
  settings: HoldSettings,
): HoldPlan {
  try {
    return plan(account, customers, settings);
  } catch (error) {
    if (error instanceof PlanFailure) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

function plan(account: CreditAccount, customers: readonly Customer[], settings: HoldSettings): HoldPlan {
  const useGroup = settings.holdAction !== 'credit_limit';
  const useLimit = settings.holdAction !== 'group';
  const erpLimit =
    account.credit_limit === null || account.credit_limit === undefined
      ? undefined
      : toDecimal(account.credit_limit, 'credit_limit');
  const changed: Customer[] = [];
  let limitsHeld = 0;
  for (const customer of customers) {
    const next = structuredClone(customer);
    // Only a customer that has a Pay on Account facility has a limit to hold or give back.
    const hasFacility = customer.payment_on_account !== null && customer.payment_on_account !== undefined;
    if (account.on_hold) {
      if (useGroup) next.group = settings.holdGroup;
      const limit = useLimit ? new Big(0) : erpLimit;
      if (hasFacility && limit !== undefined) setCreditLimit(next, limit, account.currency);
      if (hasFacility && useLimit) limitsHeld += 1;
    } else {
      const normal = account.group ?? undefined;
      if (normal) next.group = normal;
      else if (customer.group === settings.holdGroup) {
        if (!settings.releaseGroup) {
          throw new PlanFailure(
            'MISSING_RELEASE_GROUP',
            `customer ${customer.id ?? '?'} is in "${settings.holdGroup}" and the account names no group ` +
              `to release it to: give the account a group or set release_group`,
          );
        }
        next.group = settings.releaseGroup;
      }
      if (hasFacility && erpLimit !== undefined) setCreditLimit(next, erpLimit, account.currency);
    }
    if (!sameCustomer(customer, next)) changed.push(next);
  }
  return { ok: true, changed, state: account.on_hold ? 'held' : 'released', limitsHeld };
}

/** Sets payment_on_account.credit_limit, keeping the rest of payment_on_account (balance, currency, net terms). */
function setCreditLimit(customer: Customer, limit: Big, accountCurrency: string | null | undefined): void {
  const facility = customer.payment_on_account!;
  const current = currentLimit(customer);
  if (current !== undefined && current.eq(limit)) return;
  const currency = accountCurrency ?? facility.currency_code ?? customer.currency_code ?? '';
  const text = amountText(limit, currency);
  // Written as the customer already had it: a number stays a number (SparkLayer's examples use numbers).
  const value = typeof facility.credit_limit === 'string' ? text : (exactJsonNumber(limit) ?? text);
  customer.payment_on_account = { ...facility, credit_limit: value };
}

/** The customer's limit as SparkLayer holds it; undefined when none is set; a PlanFailure naming it when unreadable. */
function currentLimit(customer: Customer): Big | undefined {
  const raw = customer.payment_on_account?.credit_limit;
  if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return undefined;
  try {
    return toDecimal(raw, 'credit_limit');
  } catch {
    throw new PlanFailure(
      'UNREADABLE_CREDIT_LIMIT',
      `customer ${customer.id ?? '?'} has payment_on_account.credit_limit ${JSON.stringify(raw)}, which ` +
        `is not a decimal amount`,
    );
  }
}

function sameCustomer(a: Customer, b: Customer): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
