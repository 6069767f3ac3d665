/**
 * Which ERP account a SparkLayer order belongs to. SparkLayer models a company as a primary customer with
 * sub-accounts (`parent_customer_id`), and its docs name `accounting_id` as the place for the ERP account
 * code (https://docs.sparklayer.io/tech-docs/update-a-customer). Pure: the customers and the account map are passed in.
 */
import type { LookupTable } from '../../runtime/tables.js';
import type { Customer } from './schemas.js';

export type AccountSource = 'accounting_id' | 'company_accounting_id' | 'account_map';

export type AccountResolution =
  | { resolved: true; account: string; source: AccountSource; via: string }
  | { resolved: false; tried: string[]; customer?: Customer; company?: Customer };

/** Customers by every id SparkLayer may name them by: the UUID `id` and the legacy `cu_` id. */
export function indexCustomers(customers: readonly Customer[]): ReadonlyMap<string, Customer> {
  const index = new Map<string, Customer>();
  for (const customer of customers) {
    for (const id of [customer.id, customer.legacy_id]) if (id) index.set(id, customer);
  }
  return index;
}

/**
 * The customer and its line of parents up to the company's primary customer (last). Stops at a parent
 * that is not in the index, and at a loop.
 */
export function companyChain(customerId: string, customers: ReadonlyMap<string, Customer>): Customer[] {
  const chain: Customer[] = [];
  const seen = new Set<string>();
  let next: string | null | undefined = customerId;
  while (next && !seen.has(next)) {
    seen.add(next);
    const customer = customers.get(next);
    if (!customer) break;
    chain.push(customer);
    next = customer.parent_customer_id;
  }
  return chain;
}

/**
 * In order: the `accounting_id` of the customer, or of a parent up to its company's primary customer
 * (when the customers ride beside the orders); then the account map, by the customer's id or a parent's.
 */
export function resolveErpAccount(
  companyId: string,
  customers: ReadonlyMap<string, Customer>,
  accountMap: LookupTable,
): AccountResolution {
  const chain = companyChain(companyId, customers);
  for (const [depth, customer] of chain.entries()) {
    const code = customer.accounting_id?.trim();
    if (code) {
      return {
        resolved: true,
        account: code,
        source: depth === 0 ? 'accounting_id' : 'company_accounting_id',
        via: customer.id ?? companyId,
      };
    }
  }
  const ids = [
    companyId,
    ...chain
      .slice(1)
      .map((customer) => customer.id)
      .filter((id): id is string => Boolean(id)),
  ];
  for (const id of ids) {
    const account = accountMap.get(id);
    if (account !== undefined) return { resolved: true, account, source: 'account_map', via: id };
  }
  const tried = [
    chain.length > 0
      ? `no accounting_id on ${chain.map((c) => c.id).join(' or its company ')}`
      : 'no SparkLayer customer record beside the order',
    `${ids.join(', ')} not in account_map`,
  ];
  return { resolved: false, tried, customer: chain[0], company: chain.at(-1) };
}
