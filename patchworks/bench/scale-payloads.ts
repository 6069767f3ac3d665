/**
 * Generated payloads for the jobs benched at their own scale rather than per order: sync-credit-hold's
 * `{accounts, customers}` and resolve-erp-account's minimal records with an account map.
 */
import { tableCsv } from '../../runtime/tables.js';

type Json = Record<string, unknown>;

/**
 * `count` ERP accounts and `count` SparkLayer customers, record shapes as in scripts/sync-credit-hold/sample.ts.
 * Every third customer is a sub-account of the primary before it; each primary holds an account (`ACC-<n>` in
 * accounting_id), so a third of the accounts (those past the last primary) have no customer and are
 * UNKNOWN_CUSTOMER exceptions. Half the accounts are on hold. Half the primaries' companies start held (group
 * credit-hold, limit 0), so the run holds some, releases some and leaves the rest unchanged.
 */
export function creditHoldPayload(count: number): { accounts: Json[]; customers: Json[] } {
  const accounts = Array.from({ length: count }, (_, n) => ({
    account: `ACC-${n}`,
    on_hold: n % 2 === 0,
    credit_limit: '5000.00',
  }));
  const customers: Json[] = [];
  let primaries = 0;
  let held = false;
  for (let i = 0; i < count; i += 1) {
    if (i % 3 === 2) {
      customers.push({ id: `cust-${i}`, parent_customer_id: `cust-${i - 1}`, ...state(held) });
    } else {
      held = primaries % 4 >= 2;
      customers.push({ id: `cust-${i}`, accounting_id: `ACC-${primaries}`, ...state(held) });
      primaries += 1;
    }
  }
  return { accounts, customers };
}

function state(held: boolean): Json {
  return { group: held ? 'credit-hold' : 'trade', payment_on_account: { credit_limit: held ? 0 : 5000 } };
}

export const creditHoldVariables = { hold_action: 'both', release_group: 'trade' };

/** `count` orders carrying only what resolve-erp-account reads, from `companies` companies, all in the account map. */
export function minimalOrders(count: number, companies: number): Json[] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'order',
    purchase_identifiers: { sparklayer: `p-${i}` },
    customer_identifiers: { sparklayer: `CO-${i % companies}` },
  }));
}

export function accountMapVariables(companies: number): { account_map: string } {
  return { account_map: tableCsv(Array.from({ length: companies }, (_, c) => `CO-${c},NS-${c}`)) };
}
