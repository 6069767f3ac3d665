/**
 * zod schemas for Lightspeed X-Series bodies, parsed once at the client boundary. Loose objects: X-Series answers carry
 * many more fields than the pack reads, and they are kept. Every field named here is in connectors/lightspeed-x/
 * openapi.json, trimmed from Lightspeed's official 2026-07 document
 * (https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml); each parsed type is checked at compile time
 * against the types generated from it (`Conforms`).
 *
 * X-Series numbers (prices, inventory levels, balances) are JSON numbers; they are read into decimals with
 * model/money.ts `toDecimal` before any arithmetic, never added as floats. Ids are strings (UUIDs); `version` numbers
 * can exceed 2^53 and are kept only as the cursor the server sent.
 */
import * as z from 'zod';
import type { components } from './openapi.js';

type Schemas = components['schemas'];
/** Compiles only if `Parsed` (a schema's output) is assignable to `Vendor` (the OpenAPI type). */
type Conforms<Vendor, Parsed extends Vendor> = Parsed;

const nullableString = z.string().nullable().optional();

/** {"error", "message"} (https://x-series-api.lightspeedhq.com/docs/rate_limiting). */
export const errorBodySchema = z.looseObject({ error: z.string().optional(), message: z.string().optional() });
export type ErrorBody = Conforms<Schemas['Error'], z.infer<typeof errorBodySchema>>;

/** The version cursor of a list (https://x-series-api.lightspeedhq.com/docs/pagination). */
export const versionSchema = z.looseObject({
  max: z.number().int().nullable().optional(),
  min: z.number().int().nullable().optional(),
});
export type Version = Conforms<Schemas['Version'], z.infer<typeof versionSchema>>;

// ---------------------------------------------------------------------------------------------------- OAuth

/** The token answer (https://x-series-api.lightspeedhq.com/changelog/2025-03-refresh-token-flow-update). */
export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  /** Unix seconds. */
  expires: z.number().int().optional(),
  expires_in: z.number().int().optional(),
  refresh_token: z.string().min(1).optional(),
  domain_prefix: z.string().optional(),
  scope: z.string().optional(),
});
export type TokenResponse = Conforms<Schemas['TokenResponse'], z.infer<typeof tokenResponseSchema>>;

// ---------------------------------------------------------------------------------------------------- customers

/** A customer (official schema `Customer`): the fields the pack reads; the rest is kept. */
export const customerSchema = z.looseObject({
  id: z.string().min(1),
  first_name: nullableString,
  last_name: nullableString,
  company_name: nullableString,
  customer_code: z.string().optional(),
  customer_group_id: z.string().optional(),
  email: nullableString,
  balance: z.number().optional(),
  on_account_limit: z.number().nullable().optional(),
  deleted_at: nullableString,
  version: z.number().int().optional(),
});
export type Customer = Conforms<Schemas['Customer'], z.infer<typeof customerSchema>>;

export const customerResponseSchema = z.looseObject({ data: customerSchema });
export const customerCollectionSchema = z.looseObject({
  data: z.array(customerSchema),
  version: versionSchema.optional(),
});

/** What createCustomer sends (official schema `CustomerBase`; first_name and last_name are required, may be null). */
export type CustomerBody = Schemas['CustomerBase'];

export const customerGroupSchema = z.looseObject({
  id: z.string().min(1),
  group_id: z.string().optional(),
  name: z.string(),
  deleted_at: nullableString,
  version: z.number().int().optional(),
});
export type CustomerGroup = Conforms<Schemas['CustomerGroup'], z.infer<typeof customerGroupSchema>>;
export const customerGroupCollectionSchema = z.looseObject({
  data: z.array(customerGroupSchema),
  version: versionSchema.optional(),
});

// ---------------------------------------------------------------------------------------------------- products

/**
 * A product (official schema `Product`). Variants (https://x-series-api.lightspeedhq.com/docs/products_variants): the
 * family's parent has `has_variants: true`; each child has `variant_parent_id`. Deleted products carry `deleted_at`;
 * `is_active: false` is "Sell on POS" switched off.
 */
export const productSchema = z.looseObject({
  id: z.string().min(1),
  sku: z.string(),
  name: z.string().optional(),
  variant_name: nullableString,
  active: z.boolean().optional(),
  is_active: z.boolean().optional(),
  has_variants: z.boolean().optional(),
  variant_parent_id: nullableString,
  family_id: z.string().optional(),
  deleted_at: nullableString,
  price_excluding_tax: z.number().optional(),
  version: z.number().int().optional(),
});
export type Product = Conforms<Schemas['Product'], z.infer<typeof productSchema>>;

/** Deleted, or not for sale (`active` / `is_active` false). */
export function isArchived(product: Product): boolean {
  return (
    (product.deleted_at !== undefined && product.deleted_at !== null && product.deleted_at !== '') ||
    product.active === false ||
    product.is_active === false
  );
}

// ---------------------------------------------------------------------------------------------------- price books

/**
 * A price book (official schema `PriceBook`, https://x-series-api.lightspeedhq.com/docs/pricebooks): its name, its
 * dates, and whom it is for (customer groups, outlets, a platform). Dates are text whose format no page shows
 * (UNVERIFIED); scripts/lightspeed-x-price-rows reads them.
 */
export const priceBookSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  type: z.string().optional(),
  customer_group_ids: z.array(z.string()).nullable().optional(),
  outlets: z
    .array(z.looseObject({ id: z.string(), name: z.string(), currency: z.string().optional() }))
    .nullable()
    .optional(),
  restrict_to_platform_key: nullableString,
  valid_from: nullableString,
  valid_to: nullableString,
  deleted_at: nullableString,
  version: z.number().int().optional(),
});
export type PriceBook = Conforms<Schemas['PriceBook'], z.infer<typeof priceBookSchema>>;
export const priceBookCollectionSchema = z.looseObject({
  data: z.array(priceBookSchema),
  version: versionSchema.optional(),
});

/** A product's price in a price book (official schema `PriceBookProduct`): `price` tax exclusive, a JSON number. */
export const priceBookProductSchema = z.looseObject({
  id: z.string().optional(),
  price_book_id: z.string().optional(),
  product_id: z.string().min(1),
  price: z.number(),
  tax_id: z.string(),
  min_units: z.number().nullable().optional(),
  max_units: z.number().nullable().optional(),
  loyalty_value: z.number().nullable().optional(),
  deleted_at: nullableString,
  version: z.number().int().optional(),
});
export type PriceBookProduct = Conforms<Schemas['PriceBookProduct'], z.infer<typeof priceBookProductSchema>>;
export const priceBookProductCollectionSchema = z.looseObject({
  data: z.array(priceBookProductSchema),
  version: versionSchema.optional(),
});

/** POST /price_books (CreatePriceBookV3) and PUT /price_books/{id} (UpdatePriceBookV3): name, customer_group_ids and
 * outlet_ids required. */
export type PriceBookCreateRequest = Schemas['PriceBookCreateRequest'];
export type PriceBookUpdateRequest = Schemas['PriceBookUpdateRequest'];
/** The answer to a create or update: the book (official `PriceBookCreateResponseData`), its id at least. */
export const priceBookCreateResponseSchema = z.looseObject({
  data: z.looseObject({
    id: z.string().min(1),
    name: z.string().optional(),
    type: z.string().optional(),
    valid_from: nullableString,
    valid_to: nullableString,
  }),
});
export type PriceBookCreateResponse = Conforms<
  Schemas['PriceBookCreateResponse'],
  z.infer<typeof priceBookCreateResponseSchema>
>;
/**
 * The body of AddPriceBookProducts (POST), and UpdatePriceBookProducts (PATCH)
 * on /price_books/{price_book_id}/products: `{data: [...]}`, each entry product_id, price and tax_id, at most 100.
 */
export type PriceBookProductsBody = Schemas['PriceBookProductCollection'];
/** The most price book products one add, update or delete may carry (https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml). */
export const PRICE_BOOK_PRODUCTS_MAX = 100;
/** The answer to an add, update or delete of price book products: `{data: {message}}`. */
export const priceBookProductsUpdateResponseSchema = z.looseObject({
  data: z.looseObject({ message: z.string().optional() }).optional(),
});
export type PriceBookProductsUpdateResponse = Conforms<
  Schemas['PriceBookProductsUpdateResponse'],
  z.infer<typeof priceBookProductsUpdateResponseSchema>
>;

// ---------------------------------------------------------------------------------------------------- search

/** GET /search: `data` holds objects of the type asked for; each is parsed with that type's schema. */
export const searchResponseSchema = z.looseObject({ data: z.array(z.looseObject({})) });

// ---------------------------------------------------------------------------------------------------- sales

const saleLineResponseSchema = z.looseObject({
  id: z.string().optional(),
  product: z.looseObject({ id: z.string().optional() }).optional(),
  quantity: z.number().optional(),
  pricing: z.looseObject({ price: z.number().optional(), total: z.number().optional() }).optional(),
  // An object per the schema; a number in the official return example (the legacy line shape).
  tax: z
    .union([
      z.looseObject({ id: z.string().optional(), amount: z.number().optional(), total: z.number().optional() }),
      z.number(),
    ])
    .optional(),
  note: z.string().optional(),
});

/** A sale as X-Series returns it (official schema `Sale`). */
export const saleSchema = z.looseObject({
  id: z.string().min(1),
  customer_id: z.string().optional(),
  date: z.string().optional(),
  state: z.enum(['parked', 'pending', 'voided', 'closed']).optional(),
  attributes: z.array(z.string()).optional(),
  note: z.string().optional(),
  invoice_number: z.string().optional(),
  source: z
    .looseObject({
      id: z.string().optional(),
      type: z.string().optional(),
      register_id: z.string().optional(),
      outlet_id: z.string().optional(),
    })
    .optional(),
  line_items: z.array(saleLineResponseSchema).optional(),
  totals: z
    .looseObject({ price: z.number().optional(), tax: z.number().optional(), price_incl_tax: z.number().optional() })
    .optional(),
  deleted_at: z.string().optional(),
});
export type Sale = Conforms<Schemas['Sale'], z.infer<typeof saleSchema>>;
export const saleResponseSchema = z.looseObject({ data: saleSchema });

/** What the mapper writes and createSale sends (official schema `SaleRequest`); see sale-mapper.ts for each field. */
export type SaleRequest = Schemas['SaleRequest'];

/** The create-sale body, checked (tests parse the mapper's output and the documented example with it). */
export const saleRequestSchema = z.object({
  id: z.string().optional(),
  source: z.object({
    author_id: z.string().min(1),
    id: z.string().optional(),
    register_id: z.string().optional(),
    type: z.string().optional(),
  }),
  state: z.enum(['parked', 'pending', 'voided', 'closed']),
  attributes: z.array(z.string()).optional(),
  customer_id: z.string().optional(),
  date: z.string().optional(),
  note: z.string().optional(),
  invoice_number: z.string().optional(),
  line_items: z
    .array(
      z.object({
        id: z.string().optional(),
        product: z.object({ id: z.string().min(1) }),
        quantity: z.number(),
        pricing: z.object({ price: z.number(), discount: z.number().optional() }),
        tax: z.object({ id: z.string().min(1), amount: z.number() }),
        attributes: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
        status: z.string().optional(),
        _metadata: z
          .object({ is_price_override: z.boolean().optional(), sequence: z.number().int().optional() })
          .optional(),
      }),
    )
    .optional(),
});
export type CheckedSaleRequest = Conforms<SaleRequest, z.infer<typeof saleRequestSchema>>;
export type SaleUpdateRequest = Schemas['SaleUpdateRequest'];
export type SaleLineItem = Schemas['SaleLineItem'];

// ---------------------------------------------------------------------------------------------------- inventory

/** One product at one outlet (`location_id`) from POST /inventory_levels (official schema `InventoryLevel`). */
export const inventoryLevelSchema = z.looseObject({
  product_id: z.string().min(1),
  location_id: z.string().min(1),
  current_inventory_level: z.number(),
  root_product_id: z.string().optional(),
  name: z.string().optional(),
});
export type InventoryLevel = Conforms<Schemas['InventoryLevel'], z.infer<typeof inventoryLevelSchema>>;
export const inventoryLevelsSchema = z.array(inventoryLevelSchema);

/**
 * One product at one outlet (`outlet_id`) from POST /inventory (official schema `Inventory`), the version-cursor
 * list the stock flow reads. `current_inventory_level` and `version` as the client requires them; `deleted_at` is the
 * record's own deletion. The shipped stock reader (stock-reader.ts) reads records without this schema, so that one bad
 * record is that record's exception, not the whole page's.
 */
export const inventoryRecordSchema = z.looseObject({
  id: z.string().optional(),
  product_id: z.string().min(1),
  outlet_id: z.string().min(1),
  current_inventory_level: z.number(),
  deleted_at: nullableString,
  version: z.number().int(),
});
export type InventoryRecord = Conforms<Schemas['Inventory'], z.infer<typeof inventoryRecordSchema>>;
/** POST /inventory answers a bare array (official document: `type: array` of `Inventory`). */
export const inventoryRecordsSchema = z.array(inventoryRecordSchema);
/** What ListInventoryRecords takes (official schema `InventoryRequest`). */
export type InventoryRequest = Schemas['InventoryRequest'];

/** GET /products: a version-cursor collection (official schema `ProductCollection`). */
export const productCollectionSchema = z.looseObject({
  data: z.array(productSchema),
  version: versionSchema.optional(),
});
