/**
 * The pack's canonical customer (issue 20, "Customers"): one customer account as SparkLayer or a back-end (NetSuite,
 * Lightspeed X-Series, Lightspeed R-Series) holds it, in one shape, so link-customers can pair the two sides and say
 * what differs. A reader (not in this file) fills it from the vendor's record; each field names the vendor fields it is
 * read from and where that field is documented. Field names are the pack's, not a vendor's: a writer maps them back.
 *
 * Sources (the pack's research, with its own links):
 * - SparkLayer customers v2: ../shared/reference/sparklayer.md §5 and §8,
 *   https://docs.sparklayer.io/developers/api/customers/ (create-or-update-a-customer.md).
 * - NetSuite customer: ../shared/reference/backends.md §3.4 (SuiteTalk REST `customer` record).
 * - Lightspeed X-Series customer: backends.md §1.4 (Customers API, api-2026-07.yaml).
 * - Lightspeed R-Series Customer: backends.md §2.4, https://developers.lightspeedhq.com/retail/endpoints/Customer/ and
 *   https://developers.lightspeedhq.com/retail/endpoints/CreditAccount/
 * Every field is optional but `source` and `id`: a vendor that has no such field leaves it out, and absent is
 * "unknown", never "empty" (link-customers never clears a field because the other side lacks it).
 */
export interface CanonicalCustomer {
  /** Which system the record is from: `sparklayer`, `netsuite`, `lightspeed-x`, `lightspeed-r`. */
  source: string;
  /**
   * The record's own id in its system: SparkLayer `id` (UUID, §5); NetSuite record id; X-Series `customer_id`
   * (`/customers/{customer_id}`, §1.4); R-Series `customerID` (`/Customer/{id}.json`, §2.4).
   */
  id: string | number;
  /**
   * The account code the client shares between the systems: SparkLayer `accounting_id` ("the natural home for the ERP
   * account code", §5); NetSuite `entityId` (§3.4); X-Series `customer_code` (§1.4). R-Series: no code field is cited
   * (UNVERIFIED: a custom field, CustomFieldValues §2.4, if the client keeps one).
   */
  account_code?: string;
  /**
   * An external id: SparkLayer `external_id` (the platform's customer id, unique, §5); NetSuite `externalId` (§3.4).
   * X-Series and R-Series: none cited.
   */
  external_id?: string;
  /**
   * Back-end records only: the SparkLayer customer id as the back-end keeps it, so each side names the other. No
   * standard field for it is cited in any back-end: the connector keeps it in a custom field (X-Series
   * `custom_field_1..4` §1.4, R-Series `CustomFieldValues` §2.4, a NetSuite `custentity_*` field §3.4). Which one
   * is the connector's choice: UNVERIFIED per client.
   */
  sparklayer_id?: string;
  /**
   * SparkLayer records only: the parent (company) customer of a company user, SparkLayer `parent_customer_id` (§5). A
   * user is not an account of its own: link-customers leaves it out.
   */
  parent_id?: string;
  /**
   * SparkLayer `company_name` (§8); NetSuite `companyName` (§3.4); X-Series `company_name` (§1.4); R-Series `company`
   * (§2.4).
   */
  company_name?: string;
  /** SparkLayer `email` (unique, §5); NetSuite `email`; X-Series `email`; R-Series `Contact.Emails` (§2.4). */
  email?: string;
  /**
   * The VAT / tax registration number, only to find duplicates (never written: SparkLayer has no such field in the
   * docs we have). R-Series `vatNumber` (§2.4). X-Series `tax_id` (§1.4: UNVERIFIED that it is a registration number
   * and not a tax rate's id). NetSuite: none cited.
   */
  tax_number?: string;
  /** Whether the customer is tax exempt: SparkLayer `tax_exempt` (§8). Back-ends: UNVERIFIED (none cited). */
  tax_exempt?: boolean;
  /**
   * Payment terms, as text the connector writes the same on both sides (e.g. `Net 30`): SparkLayer
   * `payment_on_account` net terms (§8, §9; exact key UNVERIFIED, §18 item 5); NetSuite `terms` (§3.4, a record
   * reference: its refName).
   */
  payment_terms?: string;
  /**
   * The credit limit, decimal text ("5000.00") or a number, compared exactly (never as a float): SparkLayer
   * `payment_on_account.credit_limit` (§8); NetSuite `creditLimit` (§3.4); X-Series `on_account_limit` (§1.4);
   * R-Series `CreditAccount.creditLimit` (§2.4).
   */
  credit_limit?: string | number;
  /**
   * The customer group, as a SparkLayer group handle (the connector maps a back-end's own group to it): SparkLayer
   * `group` (§5); NetSuite `category` (§3.4); X-Series `customer_group_id` (§1.4); R-Series `customerTypeID` (§2.4).
   */
  group?: string;
  /**
   * The main (billing) address, kept minimal: SparkLayer address fields `address_line1`, `city`, `postcode`,
   * `country_code` (§8). X-Series `physical_*`/`postal_*` (§1.4; exact keys UNVERIFIED), R-Series `Contact`
   * Addresses (§2.4).
   */
  address?: CustomerAddress;
}

/** An address as model/customer.ts keeps it: SparkLayer's address field names (sparklayer.md §8). */
export interface CustomerAddress {
  address_line1?: string;
  city?: string;
  postcode?: string;
  country_code?: string;
}

/** The fields one side's master wins on, in the order updates name them (issue 20 item 1). */
export const MASTERED_FIELDS = [
  'company_name',
  'address',
  'group',
  'tax_exempt',
  'payment_terms',
  'credit_limit',
] as const satisfies ReadonlyArray<keyof CanonicalCustomer>;
export type MasteredField = (typeof MASTERED_FIELDS)[number];
