/**
 * zod schemas for NetSuite REST bodies, parsed once at the client boundary. Loose objects: every NetSuite account
 * adds its own fields (custbody_*, custentity_*), and they are kept. Every field named here is in
 * connectors/netsuite/openapi.json, whose schema descriptions cite the Oracle page each was seen on; each parsed
 * type is checked at compile time against the types generated from it (`Conforms`).
 *
 * Money stays as NetSuite sends it (a JSON number) and is never used in arithmetic here.
 */
import * as z from 'zod';
import type { components } from './openapi.js';

type Schemas = components['schemas'];
/** Compiles only if `Parsed` (a schema's output) is assignable to `Vendor` (the OpenAPI type). */
type Conforms<Vendor, Parsed extends Vendor> = Parsed;

/** A HATEOAS link (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545142037.html). */
export const linkSchema = z.looseObject({ rel: z.string().optional(), href: z.string().optional() });
export type Link = Conforms<Schemas['Link'], z.infer<typeof linkSchema>>;

/** A select or reference as REST returns it: {id, refName, links} (same page). */
export const referenceSchema = z.looseObject({
  id: z.string().optional(),
  refName: z.string().optional(),
  links: z.array(linkSchema).optional(),
});
export type Reference = Conforms<Schemas['Reference'], z.infer<typeof referenceSchema>>;

/** External IDs: letters, digits, _ and - (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156334828635.html). */
export const EXTERNAL_ID = /^[A-Za-z0-9_-]+$/;

// ---------------------------------------------------------------------------------------------------- errors

/** One o:errorDetails entry (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156570709583.html). */
export const errorDetailSchema = z.looseObject({
  detail: z.string(),
  'o:errorCode': z.string().optional(),
  'o:errorPath': z.string().optional(),
  'o:urlPath': z.string().optional(),
  'o:errorHeader': z.string().optional(),
  'o:errorQueryParam': z.string().optional(),
});
export type ErrorDetail = Conforms<Schemas['ErrorDetail'], z.infer<typeof errorDetailSchema>>;

/** NetSuite's REST error body (same page): status and o:errorDetails, beside type and title. */
export const errorEnvelopeSchema = z.looseObject({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().int().optional(),
  'o:errorDetails': z.array(errorDetailSchema).optional(),
});
export type ErrorEnvelope = Conforms<Schemas['Error'], z.infer<typeof errorEnvelopeSchema>>;

// ---------------------------------------------------------------------------------------------------- records

const sublistLineSchema = z.looseObject({
  item: z.looseObject({ id: z.string() }),
  quantity: z.number(),
  rate: z.number().optional(),
  amount: z.number().optional(),
  description: z.string().optional(),
  taxDetailsReference: z.string().optional(),
});

/**
 * A sales order as GET returns it (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_159795471905.html):
 * references as {id, refName, links}; the item sublist as links, or its lines with expandSubResources=true.
 *
 * Header totals, read-only, as REST names them in that page's example (subtotal, discountTotal, taxTotal, total; the
 * full example body: https://github.com/oracle-devrel/netsuite.devo.build/blob/main/tutorials/suitetalk-rest-tutorials/sales-order-use-cases/case-3-retrieve-sales-order.md)
 * and as public code reads them from REST transactions (https://github.com/invopop/gobl.netsuite/blob/main/records.go):
 * `subtotal` the item lines before tax, shipping and header discount; `discountTotal` the header discount, negative or
 * 0; `shippingCost`; `taxTotal`; `total` the grand total. Compare them as decimals (model/money.ts toDecimal).
 * `currency.refName` is the account's own name for its currency record ("USA", "US Dollar", "ESP" in public
 * examples), not an ISO code: the ISO code is the currency record's `symbol` (GET /record/v1/currency/{id}). See
 * openapi.json.
 */
export const salesOrderSchema = z.looseObject({
  links: z.array(linkSchema).optional(),
  id: z.string().optional(),
  externalId: z.string().optional(),
  tranId: z.string().optional(),
  tranDate: z.string().optional(),
  createdDate: z.string().optional(),
  entity: referenceSchema.optional(),
  currency: referenceSchema.optional(),
  memo: z.string().optional(),
  otherRefNum: z.string().optional(),
  orderStatus: z.union([referenceSchema, z.string()]).optional(),
  shipMethod: referenceSchema.optional(),
  shippingCost: z.number().optional(),
  subtotal: z.number().optional(),
  discountTotal: z.number().optional(),
  taxTotal: z.number().optional(),
  total: z.number().optional(),
  taxDetailsOverride: z.boolean().optional(),
  item: z
    .looseObject({ links: z.array(linkSchema).optional(), items: z.array(sublistLineSchema).optional() })
    .optional(),
});
export type SalesOrder = Conforms<Schemas['SalesOrder'], z.infer<typeof salesOrderSchema>>;

/**
 * A customer as GET returns it (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/article_161581923822.html).
 * creditHoldOverride is the Hold field, AUTO (NetSuite decides from the credit limit and overdue balance), ON or
 * OFF (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_4103800262.html).
 */
export const customerSchema = z.looseObject({
  links: z.array(linkSchema).optional(),
  id: z.string().optional(),
  externalId: z.string().optional(),
  entityId: z.string().optional(),
  companyName: z.string().optional(),
  email: z.string().optional(),
  isPerson: z.boolean().optional(),
  isInactive: z.boolean().optional(),
  creditLimit: z.number().optional(),
  balance: z.number().optional(),
  overdueBalance: z.number().optional(),
  daysOverdue: z.number().int().optional(),
  creditHoldOverride: z.looseObject({ id: z.enum(['AUTO', 'ON', 'OFF']), refName: z.string().optional() }).optional(),
  currency: referenceSchema.optional(),
  subsidiary: referenceSchema.optional(),
  terms: referenceSchema.optional(),
});
export type Customer = Conforms<Schemas['Customer'], z.infer<typeof customerSchema>>;

/** What createCustomer sends: companyName, email, externalId, isPerson, subsidiary {id}. */
export type CustomerBody = Schemas['CustomerBody'];

// ---------------------------------------------------------------------------------------------------- SuiteQL

/**
 * One SuiteQL page: items, hasMore, count, offset, totalResults, links
 * (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157909186990.html,
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156414087576.html). Row columns come back
 * in lower case, as SuiteQL names them; each row also carries its own `links`.
 */
export const suiteQLPageSchema = z.looseObject({
  links: z.array(linkSchema).optional(),
  count: z.number().int().optional(),
  hasMore: z.boolean(),
  items: z.array(z.record(z.string(), z.unknown())),
  offset: z.number().int().optional(),
  totalResults: z.number().int().optional(),
});
export type SuiteQLPage = Conforms<Schemas['SuiteQLPage'], z.infer<typeof suiteQLPageSchema>>;
export type SuiteQLRow = SuiteQLPage['items'][number];

/**
 * One row of the pack's stock query (stock-reader.ts), as openapi.json's `StockLevelRow` describes it: every value
 * text, empty columns left out, the inactive flag as T or F. What is unverified is listed there. The reader itself
 * reads rows more leniently (a number or a boolean where text is expected); this schema is what the fixtures hold.
 */
export const stockLevelRowSchema = z.looseObject({
  item: z.string().optional(),
  location: z.string().optional(),
  quantityonhand: z.string().optional(),
  quantityavailable: z.string().optional(),
  quantitycommitted: z.string().optional(),
  itemid: z.string().optional(),
  isinactive: z.enum(['T', 'F']).optional(),
  parent: z.string().optional(),
  matrixtype: z.string().optional(),
});
export type StockLevelRow = Conforms<Schemas['StockLevelRow'], z.infer<typeof stockLevelRowSchema>>;

// ---------------------------------------------------------------------------------------------------- what the pack
// sends

/** The sales order body the mapper writes and the client sends (see sales-order-mapper.ts for each field's source). */
export type SalesOrderBody = Schemas['SalesOrderBody'];
export type SalesOrderItemLine = Schemas['SalesOrderItemLine'];
export type TaxDetailLine = Schemas['TaxDetailLine'];
