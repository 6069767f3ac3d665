/**
 * zod schemas for R-Series answers, parsed once at the client boundary, that NORMALISE R-Series' JSON quirks so that
 * nothing past the boundary sees them. Every sample in Lightspeed's docs shows them
 * (https://developers.lightspeedhq.com/retail/endpoints/Sale/ and the other endpoint pages):
 *
 * - scalars come as strings: "true"/"false" become booleans, integer fields ("0", "12") numbers, money and rates
 *   ("12.5", "0.099475") decimals (model/money.ts, never binary floats);
 * - a collection with one element comes as an object, not an array (`"SaleLine": {…}`, and a whole query answer with
 *   one record: `"CreditAccount": {…}` in https://developers.lightspeedhq.com/retail/endpoints/CreditAccount/): it
 *   becomes an array;
 * - an empty collection comes as "" (`"SalePayments": ""`, `"Phones": ""`): it becomes [];
 * - a collection's wrapper (`"SaleLines": {"SaleLine": [...]}`) becomes the array itself (`SaleLines: [...]`);
 * - a matrix's attribute values come as an array, one plain string, or "": always an array.
 *
 * Parsing is idempotent: a normalised record (or its JSON, decimals written as text) parses again to the same thing, so
 * records the client returns can ride beside a step's records and be read there with the same schemas.
 *
 * Loose objects: fields the pack does not name are kept. Every field named here is in openapi.json, whose schema
 * descriptions cite the page each was seen on.
 */
import * as z from 'zod';
import { toDecimal, type Decimal } from '../../model/money.js';
import type { components } from './openapi.js';
import { isJsonObject } from '../../runtime/json-object.js';

type Schemas = components['schemas'];

// ---------------------------------------------------------------------------------------------------- scalars

/** "true"/"false" (or a real boolean) → boolean. */
export const lsBoolean = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean({ error: 'must be "true" or "false"' }),
);

/** "12", "-3" (or a number) → an integer. */
export const lsInteger = z.preprocess(
  (value) => (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value),
  z.number({ error: 'must be an integer' }).int(),
);

/** "12.5" (or a number) → a decimal; "" → undefined (R-Series leaves some numbers blank). */
export const lsDecimal = z
  .union([
    z.string(),
    z.number(),
    z.custom<Decimal>((value) => value !== null && typeof value === 'object' && 'cmp' in (value as object)),
  ])
  .transform((value, ctx): Decimal | undefined => {
    if (typeof value === 'object') return value;
    if (typeof value === 'string' && value.trim() === '') return undefined;
    try {
      return toDecimal(value, 'value');
    } catch {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not a decimal number` });
      return z.NEVER;
    }
  });

/** Text; a number sent where text is documented is kept as its text. */
export const lsText = z.union([z.string(), z.number()]).transform(String);

/**
 * A collection: `{"<Element>": [...]}`, `{"<Element>": {...}}` for one, `""` for none, or (already normalised) an array
 * → an array of elements.
 */
export function lsCollection<T extends z.ZodType>(element: string, schema: T) {
  return z.preprocess((value) => {
    if (value === '' || value === null) return [];
    if (Array.isArray(value)) return value;
    if (isJsonObject(value)) {
      const inner = value[element];
      if (inner === undefined || inner === '') return [];
      return Array.isArray(inner) ? inner : [inner];
    }
    return value;
  }, z.array(schema));
}

/** A query answer's records: one object, an array, "" or absent (nothing matched) → an array. */
function lsRecords<T extends z.ZodType>(schema: T) {
  return z.preprocess(
    (value) => (value === undefined || value === '' || value === null ? [] : Array.isArray(value) ? value : [value]),
    z.array(schema),
  );
}

/** A matrix attribute's values: an array, one plain string, or "" → an array of strings. */
const lsStringList = z.preprocess(
  (value) => (value === '' ? [] : typeof value === 'string' ? [value] : value),
  z.array(lsText),
);

// ---------------------------------------------------------------------------------------------------- paging

/**
 * `@attributes` of a query answer: `next` and `previous` are the complete URLs of the adjacent pages, "" at either end
 * (https://developers.lightspeedhq.com/retail/introduction/pagination/). "" becomes undefined.
 */
export const listAttributesSchema = z.looseObject({
  next: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? undefined : value)),
  previous: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? undefined : value)),
  count: lsInteger.optional(),
});
export type ListAttributes = z.output<typeof listAttributesSchema>;

/** A query answer: the records under `key`, and the paging cursor. */
export function listSchema<T extends z.ZodType>(
  key: string,
  record: T,
): z.ZodType<{ records: z.output<T>[]; next?: string }> {
  const attributes = z.looseObject({ '@attributes': listAttributesSchema.optional() });
  const records = lsRecords(record);
  return z.unknown().transform((input, ctx) => {
    const head = attributes.safeParse(input);
    const body = records.safeParse(isJsonObject(input) ? input[key] : undefined);
    for (const [issues, prefix] of [
      [head.error?.issues ?? [], []],
      [body.error?.issues ?? [], [key]],
    ] as const) {
      for (const issue of issues)
        ctx.addIssue({ code: 'custom', message: issue.message, path: [...prefix, ...issue.path] });
    }
    if (!head.success || !body.success) return z.NEVER;
    return { records: body.data, next: head.data['@attributes']?.next };
  });
}

/**
 * A query answer kept as R-Series sent it (its quirks and all, for a reader downstream that takes them:
 * stock-reader.ts), as the one record of its page, with the paging cursor read from its `@attributes`.
 */
export function rawPageSchema(key: string): z.ZodType<{ records: unknown[]; next?: string }> {
  const attributes = z.looseObject({ '@attributes': listAttributesSchema.optional() });
  return z.unknown().transform((input, ctx) => {
    const head = attributes.safeParse(input);
    if (
      !head.success ||
      (isJsonObject(input) && input[key] !== undefined && typeof input[key] !== 'object' && input[key] !== '')
    ) {
      ctx.addIssue({ code: 'custom', message: `not a query answer of ${key} records` });
      return z.NEVER;
    }
    return { records: [input], next: head.data['@attributes']?.next };
  });
}

/** A single-record answer (`{"@attributes": {"count": "1"}, "<Key>": {...}}`) → the record. */
export function singleSchema<T extends z.ZodType>(key: string, record: T) {
  return z.looseObject({ [key]: record }).transform((answer) => answer[key] as z.output<T>);
}

// ---------------------------------------------------------------------------------------------------- records

const id = lsInteger.optional();

/** https://developers.lightspeedhq.com/retail/endpoints/Account/ */
export const accountSchema = z.looseObject({ accountID: lsInteger, name: lsText.optional() });
export type Account = z.output<typeof accountSchema>;

/** https://developers.lightspeedhq.com/retail/endpoints/Sale/ (Note Fields); https://developers.lightspeedhq.com/retail/tutorials/salenotes/ */
export const noteSchema = z.looseObject({ noteID: id, note: lsText.optional(), isPublic: lsBoolean.optional() });
export const saleNotesSchema = z.looseObject({
  InternalNote: noteSchema.optional(),
  PrintedNote: noteSchema.optional(),
});

/**
 * https://developers.lightspeedhq.com/retail/endpoints/SaleLine/ (SaleLine Fields). `taxClassID` is the line's (its
 * item's) tax class, which "Determines specific tax rates"; `taxCategoryID` is "the TaxCategory that applies to this
 * line", shown by GET SaleLine and left out of the lines inside a Sale answer
 * (https://developers.lightspeedhq.com/retail/tutorials/sales/); a line's note is the `Note` relation (`noteID`).
 */
export const saleLineSchema = z.looseObject({
  saleLineID: id,
  unitQuantity: lsInteger.optional(),
  unitPrice: lsDecimal.optional(),
  discountAmount: lsDecimal.optional(),
  discountPercent: lsDecimal.optional(),
  tax: lsBoolean.optional(),
  tax1Rate: lsDecimal.optional(),
  tax2Rate: lsDecimal.optional(),
  calcSubtotal: lsDecimal.optional(),
  calcTotal: lsDecimal.optional(),
  calcTax1: lsDecimal.optional(),
  calcTax2: lsDecimal.optional(),
  itemID: id,
  taxClassID: id,
  taxCategoryID: id,
  saleID: id,
  shopID: id,
  noteID: id,
  Note: noteSchema.optional(),
});
export type SaleLine = z.output<typeof saleLineSchema>;

/** https://developers.lightspeedhq.com/retail/endpoints/PaymentType/ */
export const paymentTypeSchema = z.looseObject({
  paymentTypeID: lsInteger,
  name: lsText.optional(),
  requireCustomer: lsBoolean.optional(),
  archived: lsBoolean.optional(),
  internalReserved: lsBoolean.optional(),
  type: z.enum(['cash', 'gift card', 'credit account', 'credit card', 'user defined']).optional(),
  refundAsPaymentTypeID: id,
});
export type PaymentType = z.output<typeof paymentTypeSchema>;

/** https://developers.lightspeedhq.com/retail/endpoints/SalePayment/ */
export const salePaymentSchema = z.looseObject({
  salePaymentID: id,
  amount: lsDecimal.optional(),
  tipAmount: lsDecimal.optional(),
  archived: lsBoolean.optional(),
  remoteReference: lsText.optional(),
  saleID: id,
  paymentTypeID: id,
  creditAccountID: id,
  registerID: id,
  employeeID: id,
  PaymentType: paymentTypeSchema.optional(),
});
export type SalePayment = z.output<typeof salePaymentSchema>;

/** https://developers.lightspeedhq.com/retail/endpoints/Sale/ ; lines and payments as in https://developers.lightspeedhq.com/retail/tutorials/sales/ */
export const saleSchema = z.looseObject({
  saleID: lsInteger,
  completed: lsBoolean.optional(),
  archived: lsBoolean.optional(),
  voided: lsBoolean.optional(),
  enablePromotions: lsBoolean.optional(),
  isTaxInclusive: lsBoolean.optional(),
  referenceNumber: lsText.optional(),
  referenceNumberSource: lsText.optional(),
  ticketNumber: lsText.optional(),
  createTime: lsText.optional(),
  completeTime: lsText.optional(),
  calcSubtotal: lsDecimal.optional(),
  calcDiscount: lsDecimal.optional(),
  calcTax1: lsDecimal.optional(),
  calcTax2: lsDecimal.optional(),
  calcPayments: lsDecimal.optional(),
  calcTotal: lsDecimal.optional(),
  total: lsDecimal.optional(),
  taxTotal: lsDecimal.optional(),
  balance: lsDecimal.optional(),
  customerID: id,
  employeeID: id,
  registerID: id,
  shopID: id,
  taxCategoryID: id,
  SaleLines: lsCollection('SaleLine', saleLineSchema).optional(),
  SalePayments: lsCollection('SalePayment', salePaymentSchema).optional(),
  SaleNotes: saleNotesSchema.optional(),
});
export type Sale = z.output<typeof saleSchema>;

/** https://developers.lightspeedhq.com/retail/endpoints/Customer/ (Contact Fields) and https://developers.lightspeedhq.com/retail/tutorials/searching/ */
export const contactAddressSchema = z.looseObject({
  address1: lsText.optional(),
  address2: lsText.optional(),
  city: lsText.optional(),
  state: lsText.optional(),
  stateCode: lsText.optional(),
  zip: lsText.optional(),
  country: lsText.optional(),
  countryCode: lsText.optional(),
});
export const contactEmailSchema = z.looseObject({ address: lsText.optional(), useType: lsText.optional() });
export const contactPhoneSchema = z.looseObject({ number: lsText.optional(), useType: lsText.optional() });
export const contactSchema = z.looseObject({
  contactID: id,
  noEmail: lsBoolean.optional(),
  noPhone: lsBoolean.optional(),
  noMail: lsBoolean.optional(),
  Addresses: lsCollection('ContactAddress', contactAddressSchema).optional(),
  Phones: lsCollection('ContactPhone', contactPhoneSchema).optional(),
  Emails: lsCollection('ContactEmail', contactEmailSchema).optional(),
  Websites: lsCollection('ContactWebsite', z.looseObject({ url: lsText.optional() })).optional(),
});
export type Contact = z.output<typeof contactSchema>;

/** https://developers.lightspeedhq.com/retail/endpoints/CreditAccount/ */
export const creditAccountSchema = z.looseObject({
  creditAccountID: lsInteger,
  name: lsText.optional(),
  code: lsText.optional(),
  creditLimit: lsDecimal.optional(),
  description: lsText.optional(),
  giftCard: lsBoolean.optional(),
  archived: lsBoolean.optional(),
  customerID: id,
  balance: lsDecimal.optional(),
});
export type CreditAccount = z.output<typeof creditAccountSchema>;

/** https://developers.lightspeedhq.com/retail/endpoints/CustomerType/ */
export const customerTypeSchema = z.looseObject({
  customerTypeID: lsInteger,
  name: lsText.optional(),
  taxCategoryID: id,
  discountID: id,
});
export type CustomerType = z.output<typeof customerTypeSchema>;

/**
 * https://developers.lightspeedhq.com/retail/endpoints/PriceLevel/ (PriceLevel Fields): a level's ID is the useTypeID,
 * and its name the useType, of an item's ItemPrice at that level (https://developers.lightspeedhq.com/retail/endpoints/Item/).
 */
export const priceLevelSchema = z.looseObject({
  priceLevelID: lsInteger,
  name: lsText.optional(),
  archived: lsBoolean.optional(),
  canBeArchived: lsBoolean.optional(),
  type: lsText.optional(),
});
export type PriceLevel = z.output<typeof priceLevelSchema>;

/** https://developers.lightspeedhq.com/retail/endpoints/Customer/ */
export const customerSchema = z.looseObject({
  customerID: lsInteger,
  firstName: lsText.optional(),
  lastName: lsText.optional(),
  company: lsText.optional(),
  title: lsText.optional(),
  vatNumber: lsText.optional(),
  archived: lsBoolean.optional(),
  creditAccountID: id,
  customerTypeID: id,
  discountID: id,
  taxCategoryID: id,
  Contact: contactSchema.optional(),
  CreditAccount: creditAccountSchema.optional(),
  CustomerType: customerTypeSchema.optional(),
  Note: noteSchema.optional(),
});
export type Customer = z.output<typeof customerSchema>;

/** https://developers.lightspeedhq.com/retail/endpoints/ItemShop/ : shopID 0 is the all-shops summary. */
export const itemShopSchema = z.looseObject({
  itemShopID: id,
  qoh: lsInteger.optional(),
  sellable: lsInteger.optional(),
  backorder: lsInteger.optional(),
  reorderPoint: lsInteger.optional(),
  reorderLevel: lsInteger.optional(),
  timeStamp: lsText.optional(),
  itemID: lsInteger,
  shopID: lsInteger,
});
export type ItemShop = z.output<typeof itemShopSchema>;

/** https://developers.lightspeedhq.com/retail/endpoints/Item/ (ItemPrice Fields) */
export const itemPriceSchema = z.looseObject({
  amount: lsDecimal.optional(),
  useTypeID: id,
  useType: lsText.optional(),
});

/** https://developers.lightspeedhq.com/retail/endpoints/Item/ (ItemAttributes Fields); https://developers.lightspeedhq.com/retail/tutorials/itemmatrix/ */
export const itemAttributesSchema = z.looseObject({
  attribute1: lsText.optional(),
  attribute2: lsText.optional(),
  attribute3: lsText.optional(),
  itemAttributeSetID: id,
});

/** https://developers.lightspeedhq.com/retail/endpoints/Item/ */
export const itemSchema = z.looseObject({
  itemID: lsInteger,
  systemSku: lsText.optional(),
  customSku: lsText.optional(),
  manufacturerSku: lsText.optional(),
  upc: lsText.optional(),
  ean: lsText.optional(),
  description: lsText.optional(),
  tax: lsBoolean.optional(),
  archived: lsBoolean.optional(),
  discountable: lsBoolean.optional(),
  itemType: lsText.optional(),
  taxClassID: id,
  itemMatrixID: id,
  ItemAttributes: itemAttributesSchema.optional(),
  ItemShops: lsCollection('ItemShop', itemShopSchema).optional(),
  Prices: lsCollection('ItemPrice', itemPriceSchema).optional(),
});
export type Item = z.output<typeof itemSchema>;

/** https://developers.lightspeedhq.com/retail/endpoints/ItemMatrix/ : the parent of variant items, itself not an item. */
export const itemMatrixSchema = z.looseObject({
  itemMatrixID: lsInteger,
  description: lsText.optional(),
  tax: lsBoolean.optional(),
  archived: lsBoolean.optional(),
  itemType: lsText.optional(),
  taxClassID: id,
  itemAttributeSetID: id,
  attribute1Values: lsStringList.optional(),
  attribute2Values: lsStringList.optional(),
  attribute3Values: lsStringList.optional(),
  Prices: lsCollection('ItemPrice', itemPriceSchema).optional(),
  Items: lsCollection('Item', itemSchema).optional(),
});
export type ItemMatrix = z.output<typeof itemMatrixSchema>;

/**
 * A TaxCategory's own rates for one TaxClass ("Provides a custom rate for the TaxClass in this TaxCategory":
 * https://developers.lightspeedhq.com/retail/endpoints/TaxCategory/). The TaxCategoryClass page lists only timeStamp;
 * these fields are the Sales tutorial's TaxCategory relation's (https://developers.lightspeedhq.com/retail/tutorials/sales/).
 */
export const taxCategoryClassSchema = z.looseObject({
  taxCategoryClassID: id,
  tax1Rate: lsDecimal.optional(),
  tax2Rate: lsDecimal.optional(),
  taxCategoryID: id,
  taxClassID: id,
});
export type TaxCategoryClass = z.output<typeof taxCategoryClassSchema>;

/**
 * https://developers.lightspeedhq.com/retail/endpoints/TaxCategory/ : rates as fractions (0.2 = 20 %), "default and per
 * TaxClass rates" (the per-class ones in TaxCategoryClasses, read with load_relations=["TaxCategoryClasses"]).
 */
export const taxCategorySchema = z.looseObject({
  taxCategoryID: lsInteger,
  isTaxInclusive: lsBoolean.optional(),
  tax1Name: lsText.optional(),
  tax2Name: lsText.optional(),
  tax1Rate: lsDecimal.optional(),
  tax2Rate: lsDecimal.optional(),
  TaxCategoryClasses: lsCollection('TaxCategoryClass', taxCategoryClassSchema).optional(),
});
export type TaxCategory = z.output<typeof taxCategorySchema>;

// ---------------------------------------------------------------------------------------------------- answers

export const accountListSchema = listSchema('Account', accountSchema);
export const saleAnswerSchema = singleSchema('Sale', saleSchema);
export const saleListSchema = listSchema('Sale', saleSchema);
export const customerAnswerSchema = singleSchema('Customer', customerSchema);
export const customerListSchema = listSchema('Customer', customerSchema);
export const customerTypeListSchema = listSchema('CustomerType', customerTypeSchema);
export const creditAccountListSchema = listSchema('CreditAccount', creditAccountSchema);
export const itemListSchema = listSchema('Item', itemSchema);
export const itemAnswerSchema = singleSchema('Item', itemSchema);
export const priceLevelListSchema = listSchema('PriceLevel', priceLevelSchema);
export const itemMatrixAnswerSchema = singleSchema('ItemMatrix', itemMatrixSchema);
export const itemShopListSchema = listSchema('ItemShop', itemShopSchema);
export const taxCategoryListSchema = listSchema('TaxCategory', taxCategorySchema);
export const taxCategoryAnswerSchema = singleSchema('TaxCategory', taxCategorySchema);
export const paymentTypeListSchema = listSchema('PaymentType', paymentTypeSchema);

// ---------------------------------------------------------------------------------------------------- OAuth

/** https://developers.lightspeedhq.com/retail/authentication/refresh-token/ : expires_in is read, never assumed. */
export const tokenResponseSchema = z.looseObject({
  token_type: z.string().optional(),
  expires_in: lsInteger.pipe(z.number().positive()),
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
});
export type TokenResponse = z.output<typeof tokenResponseSchema>;

/**
 * Same page: `{"error": "access_denied", "error_description": "…", "hint": "Access token could not be verified"}`.
 */
export const oauthErrorSchema = z.looseObject({
  error: z.string().optional(),
  error_description: z.string().optional(),
  hint: z.string().optional(),
});
export type OAuthError = z.output<typeof oauthErrorSchema>;

// ---------------------------------------------------------------------------------------------------- what the pack
// sends

/** The Sale POST body the mapper writes (sale-mapper.ts and openapi.json's SaleCreate cite each field's source). */
export type SaleCreate = Schemas['SaleCreate'];
export type SaleLineCreate = Schemas['SaleLineCreate'];
export type SalePaymentCreate = Schemas['SalePaymentCreate'];
export type SaleUpdate = Schemas['SaleUpdate'];
export type CustomerCreate = Schemas['CustomerCreate'];
export type CustomerCreditAccountUpdate = Schemas['CustomerCreditAccountUpdate'];
/** The Item PUT body scripts/map-prices-to-lightspeed-r writes: Prices only, every level of the item. */
export type ItemPricesUpdate = Schemas['ItemPricesUpdate'];
export type TokenRequest = Schemas['TokenRequest'];
