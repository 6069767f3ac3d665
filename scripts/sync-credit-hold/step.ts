/**
 * sync-credit-hold: an ERP credit hold flows back to SparkLayer, so a held company cannot keep ordering on
 * account (pack-contract §4). Input `{accounts, customers}`: the ERP's accounts (the pack's credit account
 * records, or NetSuite customer records) and the SparkLayer customers. Output: one whole customer body per
 * customer whose state must change, ready for SparkLayer's full-replace PUT. The summary counts accounts.
 */
import * as z from 'zod';
import { netsuiteCreditAccount, netsuiteCreditCustomerSchema } from '../../connectors/netsuite/credit-account.js';
import { planCreditHold } from '../../connectors/sparklayer/credit-hold.js';
import { indexCustomers, resolveErpAccount } from '../../connectors/sparklayer/erp-account.js';
import { customerSchema, type Customer } from '../../connectors/sparklayer/schemas.js';
import type { LookupTable } from '../../runtime/tables.js';
import { creditAccountSchema, type CreditAccount } from '../../model/credit-account.js';
import { choiceSetting, tableSetting, textSetting } from '../../runtime/settings.js';
import { defineStep, fail, passMany, skip, type Outcome } from '../../runtime/step.js';

type Code = 'UNKNOWN_CUSTOMER' | 'MISSING_RELEASE_GROUP' | 'DUPLICATE_ACCOUNT' | 'UNREADABLE_CREDIT_LIMIT';

const accountRecord = z.union([creditAccountSchema, netsuiteCreditCustomerSchema.transform(netsuiteCreditAccount)], {
  error:
    'expected a credit account {account, on_hold, credit_limit, …} ' +
    'or a NetSuite customer with id and creditHoldOverride',
});

function accountId(record: unknown): string | null {
  if (record === null || typeof record !== 'object') return null;
  const { account, id } = record as { account?: unknown; id?: unknown };
  const value = account ?? id;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

export const step = defineStep({
  key: 'sync-credit-hold',
  title: 'Sync credit hold',
  purpose:
    "Holds a company's SparkLayer customers (primary and sub-accounts) when the ERP puts its account on " +
    'credit hold, and releases them when it lifts it.',
  recordsField: 'accounts',
  settings: {
    hold_group: textSetting({
      description:
        'The SparkLayer customer group for held customers; its payment-methods rule should not offer Pay on Account.',
      default: 'credit-hold',
    }),
    hold_action: choiceSetting({
      description:
        '`group`: move held customers to hold_group. `credit_limit`: set their Pay on Account credit ' +
        'limit to 0. `both`.',
      default: 'group',
      choices: ['group', 'credit_limit', 'both'],
    }),
    release_group: textSetting({
      description: "The group a released customer returns to when the account names none (the account's `group` wins).",
      default: '',
    }),
    account_map: tableSetting({
      description:
        "The same Company ID to ERP account table as resolve-erp-account's, for companies whose account " +
        'is not in accounting_id.',
    }),
  },
  exceptionCodes: {
    UNKNOWN_CUSTOMER: {
      owner: 'finance',
      action:
        'No SparkLayer customer belongs to the ERP account (no accounting_id or account_map entry leads ' +
        'to it). Link the company in SparkLayer (accounting_id) or account_map, or ignore it if the ' +
        'company does not order through SparkLayer.',
    },
    MISSING_RELEASE_GROUP: {
      owner: 'finance',
      action:
        'A released customer is still in the hold group and nothing says which group it goes back to. ' +
        'Give the account a group, or set release_group, then replay.',
    },
    DUPLICATE_ACCOUNT: {
      owner: 'integration',
      action:
        'The same account came twice in one payload; only the first was applied. Check the ERP export for duplicates.',
    },
    UNREADABLE_CREDIT_LIMIT: {
      owner: 'finance',
      action:
        'A SparkLayer customer of the account has a Pay on Account credit limit that is not a decimal ' +
        'amount (the message names the customer and the value, e.g. "n/a" or "1,000.00"). Correct the ' +
        "limit in SparkLayer, then replay; the account's other customers are not changed until then.",
    },
  },
  record: { schema: accountRecord, id: accountId },
  beside: z.looseObject({ customers: z.array(customerSchema).default([]) }),
  rule: (accounts: readonly CreditAccount[], settings, { customers }): Outcome<Code>[] => {
    const byAccount = customersByAccount(customers, settings.account_map);
    const seen = new Set<string>();
    return accounts.map((account) => {
      if (seen.has(account.account))
        return fail('DUPLICATE_ACCOUNT', `account ${account.account} appears more than once`);
      seen.add(account.account);
      const covered = byAccount.get(account.account) ?? [];
      if (covered.length === 0)
        return fail('UNKNOWN_CUSTOMER', `no SparkLayer customer has account ${account.account}`);
      const plan = planCreditHold(account, covered, {
        holdGroup: settings.hold_group,
        holdAction: settings.hold_action,
        releaseGroup: settings.release_group || undefined,
      });
      if (!plan.ok) return fail(plan.code, plan.message);
      if (plan.changed.length > 0) return passMany(plan.changed);
      // A limit-only hold with no Pay on Account limit among the customers has nothing to hold: say so, not
      // "unchanged".
      return skip(
        account.on_hold && settings.hold_action === 'credit_limit' && plan.limitsHeld === 0
          ? 'no_credit_limit_to_hold'
          : 'unchanged',
      );
    });
  },
  counters: (results) => ({ customers_written: results.records.length }),
});

/** Every customer under the ERP account it resolves to, each resolved once: linear in customers, whatever the accounts.
 */
function customersByAccount(customers: readonly Customer[], accountMap: LookupTable): ReadonlyMap<string, Customer[]> {
  const index = indexCustomers(customers);
  const byAccount = new Map<string, Customer[]>();
  for (const customer of customers) {
    const resolution = customer.id ? resolveErpAccount(customer.id, index, accountMap) : undefined;
    if (!resolution?.resolved) continue;
    const covered = byAccount.get(resolution.account);
    if (covered) covered.push(customer);
    else byAccount.set(resolution.account, [customer]);
  }
  return byAccount;
}
