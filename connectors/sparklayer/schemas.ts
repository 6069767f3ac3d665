/**
 * zod schemas for SparkLayer API bodies, parsed once at the client boundary. Loose objects: SparkLayer may add
 * fields, and they are kept. Every field named here was seen on a docs.sparklayer.io page cited in the schema's
 * comment (the same pages connectors/sparklayer/openapi.json cites); where the docs are silent or contradict
 * themselves the schema is permissive (optional, nullable, or a union) rather than a guess.
 *
 * Money stays as SparkLayer sends it, a decimal string or a number: nothing here converts it to a float.
 *
 * Each parsed type is checked at compile time against the OpenAPI types generated from openapi.json
 * (`npm run gen:types`): `Conforms<Vendor, Parsed>` only compiles if what the schema parses to is a valid value of the
 * documented type.
 */
import * as z from 'zod';
import type { components } from './openapi.js';
import { withoutNulls } from '../../runtime/nulls.js';
import { purchaseIdentifierFields } from './purchase.js';

type Schemas = components['schemas'];
/** Compiles only if `Parsed` (a schema's output) is assignable to `Vendor` (the OpenAPI type). */
type Conforms<Vendor, Parsed extends Vendor> = Parsed;

/** A string the docs show but whose presence or nullness they do not promise. */
const optionalString = z.string().nullable().optional();
/** Money as sent: SparkLayer's examples use decimal strings ("15.99") and numbers (credit_limit 1000, price 10.4). */
const money = z.union([z.string(), z.number()]);

/** POST /api/auth/token: https://docs.sparklayer.io/tech-docs/api-authentication */
export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().int().positive(),
});
export type TokenResponse = Conforms<Schemas['TokenResponse'], z.infer<typeof tokenResponseSchema>>;

/** RFC 7807 problem details: https://docs.sparklayer.io/developers/errors.md */
export const problemDetailsSchema = z.looseObject({
  title: z.string().optional(),
  status: z.number().int().optional(),
  detail: z.string().optional(),
  errors: z
    .array(
      z.looseObject({ code: z.string().optional(), message: z.string().optional(), property: z.string().optional() }),
    )
    .optional(),
});
export type ProblemDetails = Conforms<Schemas['ProblemDetails'], z.infer<typeof problemDetailsSchema>>;

// ---------------------------------------------------------------------------------------------------- purchases

/**
 * MonetaryObject `{number, currency}`: https://docs.sparklayer.io/tech-docs/createupdate-purchase (example
 * `{"number": "15.99", "currency": "gbp"}`). The spec type of `number` and the case of `currency` are not confirmed.
 */
export const monetaryObjectSchema = z.looseObject({ number: money.optional(), currency: z.string().optional() });

/** Address keys in the purchase examples (address_line1, city, country_code) and on customers (the rest):
 * https://docs.sparklayer.io/tech-docs/createupdate-purchase, https://docs.sparklayer.io/integrations/shopify-introduction/shopify-data-sync */
export const addressSchema = z.looseObject({
  external_id: optionalString,
  first_name: optionalString,
  last_name: optionalString,
  company: optionalString,
  address_line1: optionalString,
  address_line2: optionalString,
  city: optionalString,
  region_code: optionalString,
  postcode: optionalString,
  country_code: optionalString,
  phone: optionalString,
});

/** LineTotal: total_net and discount_net in the API example (https://docs.sparklayer.io/tech-docs/createupdate-purchase);
 * total_gross, discount_gross and tax_rate from SparkLayer's LineTotal template object
 * (https://docs.sparklayer.io/developers/templates/template-objects), not yet seen in an API example. */
const lineTotalSchema = z.looseObject({
  total_net: monetaryObjectSchema.optional(),
  total_gross: monetaryObjectSchema.optional(),
  discount_net: monetaryObjectSchema.optional(),
  discount_gross: monetaryObjectSchema.optional(),
  tax_rate: z.number().optional(),
});

const accountingFileSchema = z.looseObject({
  identifiers: z.looseObject({ visible: z.string().optional() }).optional(),
  data: z.looseObject({ type: z.string().optional() }).optional(),
  file_type: z.string().optional(),
});

const packageSchema = z.looseObject({
  identifiers: z.looseObject({ sparklayer_package_id: z.string().optional() }).optional(),
  type: z.string().optional(),
  accounting_files: z.array(accountingFileSchema).optional(),
  line_items: z
    .array(
      z.looseObject({
        // identifiers.sku: SparkLayer's LineItem template object (https://docs.sparklayer.io/developers/templates/template-objects).
        identifiers: z.looseObject({ sku: optionalString }).optional(),
        name_parent: optionalString,
        quantity: z.number().optional(),
        custom_attributes: z
          .array(z.looseObject({ key: z.string().optional(), value: z.string().optional() }))
          .optional(),
        line_total: lineTotalSchema.optional(),
      }),
    )
    .optional(),
  shipping_method: z.looseObject({ name: z.string().optional(), line_total: lineTotalSchema.optional() }).optional(),
  shipping_address: addressSchema.optional(),
  shipments: z.array(z.looseObject({ carrier: z.string().optional(), carrier_id: z.string().optional() })).optional(),
});

/**
 * A whole purchase (cart, quote, awaiting approval, unconfirmed or confirmed order), extending the pack's
 * `purchaseHeaderSchema` (identity, type, status). Field names from the legacy pages, the only ones with full field
 * lists: https://docs.sparklayer.io/tech-docs/gm4P-get-purchase (PurchaseBase), https://docs.sparklayer.io/tech-docs/lMM2-get-purchase
 * (example response), https://docs.sparklayer.io/tech-docs/createupdate-purchase (PUT schema and example).
 *
 * Permissive where the docs disagree: `packages` is an array or one object (the PUT example shows an object);
 * `dates` keys are those of the example response (created_at, updated_at, placed_at, calculated_submitted_at) although
 * the list filters say placed/last_updated; `payment_method` is any string (legacy enum invoice | on_account |
 * platform_upfront, example ""). Every field is optional, `type` and `purchase_identifiers` included: the PUT page
 * stars more fields, but for requests, and a reader must not lose a page to one odd purchase. Not checked against the
 * OpenAPI `Purchase` type: the pack's identifier parser also
 * accepts numeric ids, which the docs never show.
 */
export const purchaseSchema = z.looseObject({
  // Deliberately not the strict enum and required id of purchaseHeaderSchema: one purchase of a type SparkLayer
  // adds later must not fail a whole page. The steps judge each purchase and make exceptions of what they cannot.
  type: z.string().optional(),
  purchase_identifiers: z.looseObject(purchaseIdentifierFields).optional(),
  status: z.string().optional(),
  customer_identifiers: z
    .looseObject({
      sparklayer: z.string().optional(),
      sparklayer_impersonator: z.string().optional(),
      sparklayer_child: z.string().optional(),
      sparklayer_sales_rep: z.string().optional(),
    })
    .optional(),
  payment_method: z.string().optional(),
  dates: z
    .looseObject({
      created_at: z.string().optional(),
      updated_at: z.string().optional(),
      placed_at: z.string().optional(),
      calculated_submitted_at: z.string().optional(),
    })
    .optional(),
  customer_reference: z.string().optional(),
  currency_code: z.string().optional(),
  calculated_shipping_address: z.string().optional(),
  calculated_total: monetaryObjectSchema.optional(),
  calculated_total_usd: monetaryObjectSchema.optional(),
  calculated_fulfilment_status: z.string().optional(),
  revision_date: z.string().optional(),
  billing_address: addressSchema.optional(),
  packages: z.union([z.array(packageSchema), packageSchema]).optional(),
  accounting_files: z.array(accountingFileSchema).optional(),
  custom_fields: z.array(z.looseObject({ name: z.string().optional() })).optional(),
  metadata: z.array(z.looseObject({ name: z.string().optional(), value: z.string().optional() })).optional(),
});
export type Purchase = z.infer<typeof purchaseSchema>;

/**
 * GET /api/v1/purchases: a bare JSON array (PurchaseBase[], https://docs.sparklayer.io/tech-docs/gm4P-get-purchase). A
 * null field is read as absent, as the steps read it (runtime/nulls.ts): one purchase with
 * `customer_reference: null` must not lose the page.
 */
export const purchaseListSchema = z.preprocess(withoutNulls, z.array(purchaseSchema));

/**
 * A purchase transaction: https://docs.sparklayer.io/developers/api/purchasing/create-or-update-a-purchase-transaction.md
 * (platform_id, total, apply_to_balance, full_transaction). The type of `total` is not documented (positive for a
 * payment, negative for a refund): a decimal string, a number or a MonetaryObject, kept as sent.
 */
export const transactionSchema = z.looseObject({
  platform_id: z.string().optional(),
  total: z.union([money, monetaryObjectSchema]).optional(),
  apply_to_balance: z.boolean().optional(),
  full_transaction: z.unknown().optional(),
});
export type Transaction = Conforms<Schemas['Transaction'], z.infer<typeof transactionSchema>>;

/** GET …/transactions (https://docs.sparklayer.io/developers/api/purchasing/get-purchase-transactions.md). The docs
 * read do not show the envelope; a bare array is assumed, like the purchase list. */
export const transactionListSchema = z.array(transactionSchema);

// ---------------------------------------------------------------------------------------------------- customers

/**
 * `payment_on_account` keys: credit_limit and balance (metafield example `{"credit_limit":1000,"balance":250}`,
 * https://docs.sparklayer.io/credit-net-terms-and-invoicing), currency_code (its multi-currency variant, and the
 * Ignite checkout customer https://docs.sparklayer.io/ignite/api/complete-checkout.md), balance_date (v2 upsert,
 * https://docs.sparklayer.io/developers/api/customers/create-or-update-a-customer.md). Net terms also live here but
 * their key was cut off on every page read; it is kept as an unknown key.
 */
export const paymentOnAccountSchema = z.looseObject({
  credit_limit: money.optional(),
  balance: money.optional(),
  currency_code: optionalString,
  balance_date: optionalString,
});

/**
 * A v2 customer: https://docs.sparklayer.io/developers/api/customers/create-or-update-a-customer.md (id as UUID,
 * legacy_id, parent_customer_id, full-replace rules) and the legacy customer schema
 * https://docs.sparklayer.io/tech-docs/update-a-customer (accounting_id, external_id, group, role, status, price_lists,
 * addresses, …). A company is a primary customer plus sub-accounts pointing at it with `parent_customer_id`; the
 * ERP account code belongs in `accounting_id`. The v2 GET response schema itself could not be read, so every field
 * is optional and nullable.
 */
export const customerSchema = z.looseObject({
  id: optionalString,
  legacy_id: optionalString,
  external_id: optionalString,
  accounting_id: optionalString,
  email: optionalString,
  title: optionalString,
  first_name: optionalString,
  last_name: optionalString,
  company_name: optionalString,
  status: optionalString,
  group: optionalString,
  role: optionalString,
  parent_customer_id: optionalString,
  default_billing_address_id: optionalString,
  default_shipping_address_id: optionalString,
  available_shipping_addresses: z.array(z.string()).optional(),
  currency_code: optionalString,
  sales_agent_groups: z.array(z.string()).optional(),
  price_lists: z.array(z.string()).optional(),
  discount_percentage: money.nullable().optional(),
  tax_exempt: z.boolean().nullable().optional(),
  payment_on_account: paymentOnAccountSchema.nullable().optional(),
  addresses: z.array(addressSchema).optional(),
  created_at: optionalString,
  updated_at: optionalString,
});
export type Customer = Conforms<Schemas['Customer'], z.infer<typeof customerSchema>>;

/**
 * Body of POST /api/v2/customers/{lookupBy}/{identifier}/credit, keys `amount`, `type`, `date`:
 * https://docs.sparklayer.io/developers/api/customers/adjust-a-customers-account-balance.md. Stricter than the
 * vendor on one point: `date` is required here, because without it SparkLayer dates the entry 1 January 0001.
 * The docs do not give the types of amount and date.
 */
export const creditAdjustmentSchema = z.looseObject({
  amount: money,
  type: z.enum(['order', 'transaction', 'opening_balance', 'default']),
  date: z.string().min(1),
});
export type CreditAdjustment = Conforms<Schemas['CreditAdjustment'], z.infer<typeof creditAdjustmentSchema>>;

// ---------------------------------------------------------------------------------------------------- pricing

/**
 * A price list: slug, name, currency_code, source (custom | platform | integration) and rules (shape not shown),
 * from the legacy PriceList https://docs.sparklayer.io/tech-docs/create-a-price-list. `source` is kept as any string.
 */
export const priceListSchema = z.looseObject({
  slug: z.string().min(1),
  name: optionalString,
  currency_code: optionalString,
  source: optionalString,
  rules: z.unknown().optional(),
});
export type PriceList = Conforms<Schemas['PriceList'], z.infer<typeof priceListSchema>>;

const vendorPriceListPageSchema = z.looseObject({
  data: z.array(priceListSchema),
  pagination: z.looseObject({
    total: z.number().int().nonnegative().optional(),
    per_page: z.number().int().positive().optional(),
    current_page: z.number().int().positive(),
    total_pages: z.number().int().nonnegative(),
  }),
});
type VendorPriceListPage = Conforms<Schemas['PriceListPage'], z.infer<typeof vendorPriceListPageSchema>>;

/**
 * One page of GET /api/v2/price-lists, normalised. SparkLayer puts the lists under `data` and the paging under
 * `pagination` {total, per_page, current_page, total_pages}
 * (https://docs.sparklayer.io/developers/api/pricing/get-price-lists-v2.md); the parsed output is always
 * `{ items, pagination: { current_page, total_pages } }`, so callers loop until current_page equals total_pages
 * (https://docs.sparklayer.io/developers/pagination.md) without knowing the vendor's key.
 */
export const priceListPageSchema = vendorPriceListPageSchema.transform((page: VendorPriceListPage) => ({
  items: page.data,
  pagination: { current_page: page.pagination.current_page, total_pages: page.pagination.total_pages },
}));
export type PriceListPage = z.output<typeof priceListPageSchema>;

/**
 * One entry of GET /api/v1/price-lists/{slug}/pricing (getPriceListPricingData): "one entry per SKU and quantity
 * break, ordered by SKU" (https://docs.sparklayer.io/developers/api/pricing/get-pricing-by-price-list.md).
 * UNVERIFIED: the docs read do not show the entry's fields; `sku`, `quantity` and `price` are those of the update rows
 * (https://docs.sparklayer.io/developers/api/pricing/update-pricing-for-multiple-price-lists.md), assumed flat. Their types
 * are not documented either: a figure may be a number or decimal text, and is kept as sent (never a float). In a
 * flow the answer goes to scripts/sparklayer-price-rows as it came, which reads each entry on its own.
 */
export const priceListPricingEntrySchema = z.looseObject({
  sku: z.string(),
  quantity: z.union([z.number(), z.string()]),
  price: money,
});
/** The 200 body of GET /api/v1/price-lists/{slug}/pricing: a bare array of entries. */
export const priceListPricingSchema = z.array(priceListPricingEntrySchema);
export type PriceListPricingEntry = Conforms<
  Schemas['PriceListPricingEntry'],
  z.infer<typeof priceListPricingEntrySchema>
>;

/**
 * The 400 body of PATCH /api/v1/price-lists/{slug}/pricing: "usually" an array of `{line, field, message}`
 * (https://docs.sparklayer.io/developers/api/pricing/update-pricing-by-price-list.md); otherwise expect problem
 * details. What `line` counts (CSV line or array entry) and its type are not documented.
 */
export const pricingValidationErrorSchema = z.array(
  z.looseObject({
    line: z.union([z.number().int(), z.string()]).nullable().optional(),
    field: optionalString,
    message: z.string(),
  }),
);
export type PricingValidationError = Conforms<
  Schemas['PricingValidationErrors'],
  z.infer<typeof pricingValidationErrorSchema>
>;

// ---------------------------------------------------------------------------------------------------- stock, sync log

/**
 * One entry of the POST /api/v1/batch-update-stock body: sku and a location given by `stock_location_id` or
 * `stock_location_external_id` (one, not both), with stock_level, restock_date (e.g. "2020-01-01") and
 * min_stock_level: https://docs.sparklayer.io/developers/api/stock/update-stock-levels.md. The body is an array
 * (`stockUpdateBatchSchema`).
 */
export const stockUpdateSchema = z
  .looseObject({
    stock_location_id: z.string().min(1).optional(),
    stock_location_external_id: z.string().min(1).optional(),
    sku: z.string().min(1),
    stock_level: z.number().optional(),
    restock_date: z.string().optional(),
    min_stock_level: z.number().optional(),
  })
  .refine((row) => (row.stock_location_id === undefined) !== (row.stock_location_external_id === undefined), {
    error: 'give exactly one of stock_location_id and stock_location_external_id',
  });
export type StockUpdate = Conforms<Schemas['StockUpdate'], z.infer<typeof stockUpdateSchema>>;
export const stockUpdateBatchSchema = z.array(stockUpdateSchema);

/**
 * The sync status of one integration and data type: the GET /api/v1/sync-log/{integration}/{data_type} body and
 * the PUT (full sync) body. Keys started_full_sync, last_full_sync, last_full_sync_succeeded and
 * errors[{external_id, external_url}]: https://docs.sparklayer.io/developers/api/sync-log/update-sync-logs-with-a-full-sync.md.
 * The GET also returns "the number of logged errors" (https://docs.sparklayer.io/developers/api/sync-log/get-sync-logging-status.md)
 * under a key the docs read do not show; it is kept as an unknown key.
 */
export const syncLogSchema = z.looseObject({
  started_full_sync: optionalString,
  last_full_sync: optionalString,
  last_full_sync_succeeded: z.boolean().nullable().optional(),
  errors: z.array(z.looseObject({ external_id: z.string().min(1), external_url: z.string().optional() })).optional(),
});
export type SyncLog = Conforms<Schemas['SyncLog'], z.infer<typeof syncLogSchema>>;
