/**
 * A SparkLayer company → the body of X-Series' POST /api/2026-07/customers (official schema `CustomerBase`,
 * https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml). Pure.
 *
 * The input is resolve-erp-account's `erp_customer_create` (scripts/resolve-erp-account/step.ts):
 * sparklayer_customer_id, company_name, contact {first_name, last_name, email}, addresses (SparkLayer address objects)
 * and currency.
 *
 * - `first_name`, `last_name`: required by X-Series, nullable: the contact's, else null.
 * - `customer_code` ("Customer code used for claiming loyalty"): the SparkLayer customer id. X-Series' /search finds a
 * customer by customer_code, so creating is repeatable: client.ensureCustomer looks for the code first. Its id is what
 *   goes back to SparkLayer as the company's accounting_id (the pack's erp_account for X-Series is the customer id).
 * - `company_name`, `email`; `phone` from the first address that has one.
 * - Addresses: the first address as the postal address, the second (else the first) as the physical one, each with
 *   `_address_1`, `_address_2`, `_city`, `_postcode`, `_state` (SparkLayer's region_code) and `_country_id` (the ISO
 *   country code). X-Series validates postcodes for many countries since 2026-07, so a bad postcode is refused there.
 * - `customer_group_id`: from `customerGroupMap`, SparkLayer customer group (left) → X-Series customer group id
 *   (right, an `id` from GET /customer_groups). The group is the request's `group`, which the caller adds from the
 *   SparkLayer customer (resolve-erp-account does not carry it today). A group the map lacks is an error, not the
 *   store's default group; no group leaves X-Series' default ("All Customers").
 * - `note`: where the customer came from, and its currency (an X-Series store has one currency).
 */
import * as z from 'zod';
import { addressSchema } from '../../sparklayer/schemas.js';
import type { CustomerBody } from '../schemas.js';

const text = z.string().nullable().optional();

/** resolve-erp-account's erp_customer_create, plus the SparkLayer customer group when the caller has it. */
export const erpCustomerCreateSchema = z.looseObject({
  sparklayer_customer_id: z.string().trim().min(1),
  company_name: text,
  contact: z.looseObject({ first_name: text, last_name: text, email: text }).optional(),
  addresses: z.array(addressSchema).default([]),
  currency: text,
  group: text,
});
export type ErpCustomerCreate = z.input<typeof erpCustomerCreateSchema>;

/** The request names a SparkLayer customer group that the customer group map does not. */
export class UnmappedCustomerGroupError extends Error {
  override name = 'UnmappedCustomerGroupError';
}

export type CreateCustomerBody = CustomerBody & { customer_code: string };

export function toCreateCustomerBody(
  request: ErpCustomerCreate,
  customerGroupMap: ReadonlyMap<string, string>,
): CreateCustomerBody {
  const parsed = erpCustomerCreateSchema.parse(request);
  const value = (v: string | null | undefined) => (v === undefined || v === null || v.trim() === '' ? null : v.trim());
  const [first, second] = parsed.addresses;
  const body: CreateCustomerBody = {
    first_name: value(parsed.contact?.first_name),
    last_name: value(parsed.contact?.last_name),
    customer_code: parsed.sparklayer_customer_id,
  };
  const company = value(parsed.company_name);
  if (company !== null) body.company_name = company;
  const email = value(parsed.contact?.email);
  if (email !== null) body.email = email;
  const phone = parsed.addresses.map((a) => value(a.phone)).find((p) => p !== null);
  if (phone) body.phone = phone;

  const group = value(parsed.group);
  if (group !== null) {
    const id = customerGroupMap.get(group);
    if (id === undefined)
      throw new UnmappedCustomerGroupError(
        `SparkLayer customer group ${JSON.stringify(group)} is not in customer_group_map`,
      );
    body.customer_group_id = id;
  }
  if (first) Object.assign(body, address('postal', first, value));
  const physical = second ?? first;
  if (physical) Object.assign(body, address('physical', physical, value));
  const currency = value(parsed.currency);
  const currencyNote = currency ? `; currency ${currency.toUpperCase()}` : '';
  body.note = `SparkLayer customer ${parsed.sparklayer_customer_id}${currencyNote}`;
  return body;
}

function address(
  kind: 'postal' | 'physical',
  from: z.output<typeof addressSchema>,
  value: (v: string | null | undefined) => string | null,
): Partial<CustomerBody> {
  const fields: Array<[string, string | null]> = [
    [`${kind}_address_1`, value(from.address_line1)],
    [`${kind}_address_2`, value(from.address_line2)],
    [`${kind}_city`, value(from.city)],
    [`${kind}_postcode`, value(from.postcode)],
    [`${kind}_state`, value(from.region_code)],
    [`${kind}_country_id`, value(from.country_code)?.toUpperCase() ?? null],
  ];
  return Object.fromEntries(fields.filter(([, v]) => v !== null)) as Partial<CustomerBody>;
}
