/**
 * Creating the R-Series customer behind a SparkLayer company, from resolve-erp-account's `erp_customer_create`
 * (unmapped_action=create: sparklayer_customer_id, company_name, contact {first_name, last_name, email}, addresses,
 * currency). Pure. The account it yields is the new customer's customerID, which is what erp_account must hold for
 * map-order-to-lightspeed-r.
 *
 * The body is a Customer POST (https://developers.lightspeedhq.com/retail/endpoints/Customer/): firstName, lastName,
 * company, customerTypeID, and the Contact relation written nested (Addresses.ContactAddress, Emails.ContactEmail with
 * useType Primary, Phones.ContactPhone with useType Work: https://developers.lightspeedhq.com/retail/introduction/relations/,
 * field names from the Customer page's Contact Fields and https://developers.lightspeedhq.com/retail/tutorials/searching/).
 * The customer group is R-Series' CustomerType (https://developers.lightspeedhq.com/retail/endpoints/CustomerType/),
 * from `customer_group_map` (SparkLayer group → customerTypeID). R-Series customers have no external-id field, so the
 * SparkLayer customer id goes in the customer's Note ("SparkLayer customer <id>"), and a re-run finds the customer by
 * its primary email (`findCustomersByEmail`) before creating it again.
 *
 * A credit account (for Pay on Account) is a second call, a Customer PUT {"CreditAccount": {name, creditLimit}}
 * (https://developers.lightspeedhq.com/retail/tutorials/creditacounts/: "the credit limit must be specified (use 0 for
 * unlimited)"), so it is returned apart, and only when a credit limit is given: an unlimited account is never opened by
 * default.
 */
import * as z from 'zod';
import { toDecimal } from '../../../model/money.js';
import { parseTable, type LookupTable } from '../../../runtime/tables.js';
import type { CustomerCreate } from '../schemas.js';

const text = z.string().trim().nullable().optional();

/** resolve-erp-account's erp_customer_create (scripts/resolve-erp-account/step.ts), plus an optional SparkLayer group.
 */
export const erpCustomerCreateSchema = z.looseObject({
  sparklayer_customer_id: z.string().trim().min(1),
  company_name: text,
  contact: z.looseObject({ first_name: text, last_name: text, email: text }).optional(),
  addresses: z
    .array(
      z.looseObject({
        first_name: text,
        last_name: text,
        company: text,
        address_line1: text,
        address_line2: text,
        city: text,
        region_code: text,
        postcode: text,
        country_code: text,
        phone: text,
      }),
    )
    .default([]),
  currency: text,
  /** The SparkLayer customer group (a SparkLayer customer's `group`), when the flow adds it. */
  group: text,
});
export type ErpCustomerCreate = z.output<typeof erpCustomerCreateSchema>;

export const CUSTOMER_CREATE_CODES = {
  INVALID_CUSTOMER_REQUEST:
    'erp_customer_create cannot be read, or names no person and no company. Check the SparkLayer company, then replay.',
  UNMAPPED_CUSTOMER_GROUP:
    "The company's SparkLayer group has no R-Series customer type in customer_group_map. Add " +
    '`GROUP,customerTypeID`, then replay.',
  CURRENCY_MISMATCH:
    "The company buys in a currency other than the R-Series account's; an R-Series account has one " +
    'currency. Book the company elsewhere, or change its currency in SparkLayer.',
} as const;
export type CustomerCreateCode = keyof typeof CUSTOMER_CREATE_CODES;

export type CustomerCreateResult =
  | { ok: true; body: CustomerCreate; creditAccount?: { name: string; creditLimit: number } }
  | { ok: false; code: CustomerCreateCode; message: string };

export interface CustomerCreateOptions {
  /** The group, when erp_customer_create does not carry it. */
  group?: string;
  /** Open a credit account with this limit (0 = unlimited, as R-Series reads it). */
  creditLimit?: string | number;
  /** The R-Series account's currency (GET Account/{id}.json defaultCurrency.code): a request in another is refused. */
  accountCurrency?: string;
}

export function toCreateCustomerBody(
  request: unknown,
  customerTypeMap: LookupTable | string | Record<string, string> = new Map(),
  options: CustomerCreateOptions = {},
): CustomerCreateResult {
  const parsed = erpCustomerCreateSchema.safeParse(request);
  if (!parsed.success)
    return {
      ok: false,
      code: 'INVALID_CUSTOMER_REQUEST',
      message: `erp_customer_create: ${z.prettifyError(parsed.error)}`,
    };
  const customer = parsed.data;
  const types = customerTypeMap instanceof Map ? customerTypeMap : parseTable(customerTypeMap);

  const firstName = customer.contact?.first_name || customer.addresses[0]?.first_name || '';
  const lastName = customer.contact?.last_name || customer.addresses[0]?.last_name || '';
  const company = customer.company_name || '';
  if (firstName === '' && lastName === '' && company === '') {
    return {
      ok: false,
      code: 'INVALID_CUSTOMER_REQUEST',
      message: `SparkLayer customer ${customer.sparklayer_customer_id}: no name and no company name`,
    };
  }
  const currency = customer.currency?.toUpperCase();
  if (options.accountCurrency !== undefined && currency && currency !== options.accountCurrency.toUpperCase()) {
    return {
      ok: false,
      code: 'CURRENCY_MISMATCH',
      message:
        `SparkLayer customer ${customer.sparklayer_customer_id} buys in ${currency}; the R-Series account ` +
        `is in ${options.accountCurrency.toUpperCase()}`,
    };
  }

  const body: CustomerCreate = { firstName, lastName, company };
  const group = customer.group || options.group;
  if (group) {
    const typeId = types.get(group);
    if (typeId === undefined && types.size > 0) {
      return {
        ok: false,
        code: 'UNMAPPED_CUSTOMER_GROUP',
        message: `SparkLayer group ${JSON.stringify(group)} is not in customer_group_map`,
      };
    }
    if (typeId !== undefined) {
      if (!/^\d+$/.test(typeId))
        return {
          ok: false,
          code: 'UNMAPPED_CUSTOMER_GROUP',
          message:
            `customer_group_map maps ${JSON.stringify(group)} to ${JSON.stringify(typeId)}, ` + 'not a customerTypeID',
        };
      body.customerTypeID = Number(typeId);
    }
  }

  const contact: NonNullable<CustomerCreate['Contact']> = {};
  const addresses = customer.addresses
    .filter((address) => address.address_line1 || address.city || address.postcode)
    .map((address) =>
      dropEmpty({
        address1: address.address_line1 ?? '',
        address2: address.address_line2 ?? '',
        city: address.city ?? '',
        stateCode: address.region_code ?? '',
        zip: address.postcode ?? '',
        countryCode: address.country_code?.toUpperCase() ?? '',
      }),
    );
  if (addresses.length > 0) contact.Addresses = { ContactAddress: addresses };
  const phone = customer.addresses.map((address) => address.phone).find((number): number is string => Boolean(number));
  // One phone per useType (Customer page: "There can be one each of useType = Home, Work, Mobile, Pager, Fax").
  if (phone) contact.Phones = { ContactPhone: [{ number: phone, useType: 'Work' }] };
  const email = customer.contact?.email;
  if (email) contact.Emails = { ContactEmail: [{ address: email, useType: 'Primary' }] };
  if (Object.keys(contact).length > 0) body.Contact = contact;
  body.Note = { note: `SparkLayer customer ${customer.sparklayer_customer_id}`, isPublic: false };

  if (options.creditLimit === undefined) return { ok: true, body };
  const limit = toDecimal(options.creditLimit, 'creditLimit');
  const name = company || [firstName, lastName].filter(Boolean).join(' ');
  return { ok: true, body, creditAccount: { name, creditLimit: limit.toNumber() } };
}

function dropEmpty<T extends Record<string, string>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== '')) as T;
}
