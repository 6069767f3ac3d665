/**
 * The pack's Shopify GraphQL Admin API queries: the documents a consultant pastes into the custom GraphQL endpoints
 * they add to Patchworks' Shopify connector by cloning one of its GraphQL endpoints in the connector builder
 * (https://doc.wearepatchworks.com/product-documentation/connectors-and-instances/patchworks-connectors/shopify-prebuilt-connector/adding-a-custom-graphql-endpoint-for-shopify).
 * The connector's own predefined order queries are not public (UNVERIFIED whether they select these fields), so the
 * pack ships its own. Each selects exactly what order-reader.ts reads (readGraphqlOrder), and no more: a field added
 * to the reader is added here, and the sandbox fake refuses any other document.
 *
 * Both are sent as a POST to /admin/api/<version>/graphql.json with `{ query, variables }`
 * (https://shopify.dev/docs/api/admin-graphql#endpoints-and-queries). `$first` is at most 250 ("You can retrieve up to
 * a maximum of 250 resources": https://shopify.dev/docs/api/usage/pagination-graphql); `pageInfo { hasNextPage
 * endCursor }` and `$after` page through the rest (same page). `$query` is Shopify's search syntax (e.g.
 * `updated_at:>=2026-11-20T00:00:00Z`); UNVERIFIED: the search fields each connection accepts, not read for this.
 *
 * Two documents, because a SparkLayer pay-later order is a Shopify draft order until the merchant completes it, and a
 * card order an order (reference/sparklayer.md §1, §9): a draft and the order it became carry the same sparkCartId.
 */

/** What both nodes share, as order-reader.ts reads them. UNVERIFIED fields are listed in order-reader.ts. */
const MONEY = 'presentmentMoney { amount currencyCode }';
const TAX_LINES = `taxLines { rate priceSet { ${MONEY} } }`;
const SHIPPING_LINE = `title originalPriceSet { ${MONEY} } discountedPriceSet { ${MONEY} } ${TAX_LINES}`;
const COMMON = [
  'id name note taxesIncluded',
  'customAttributes { key value }',
  'customer { id }',
  'purchasingEntity { ... on Customer { id } ... on PurchasingCompany { company { id } } }',
  'lineItems(first: 250) { nodes { sku name quantity customAttributes { key value } ' +
    `originalTotalSet { ${MONEY} } discountedTotalSet { ${MONEY} } ${TAX_LINES} } }`,
].join(' ');

/** Paid orders (SparkLayer card checkout), and draft orders the merchant completed. */
export const ORDERS_QUERY =
  'query SparkLayerOrders($first: Int!, $after: String, $query: String) { ' +
  'orders(first: $first, after: $after, query: $query) { pageInfo { hasNextPage endCursor } ' +
  `nodes { ${COMMON} processedAt shippingLines(first: 10) { nodes { ${SHIPPING_LINE} } } } } }`;

/** Draft orders: SparkLayer's pay-later B2B orders (and its quotes, which filter-live-orders skips). */
export const DRAFT_ORDERS_QUERY =
  'query SparkLayerDraftOrders($first: Int!, $after: String, $query: String) { ' +
  'draftOrders(first: $first, after: $after, query: $query) { pageInfo { hasNextPage endCursor } ' +
  `nodes { ${COMMON} createdAt shippingLine { ${SHIPPING_LINE} } } } }`;

/** Each document by the connection it reads: where its nodes are in the answer is `data.<connection>.nodes`. */
export const SHOPIFY_ORDER_QUERIES = { orders: ORDERS_QUERY, draftOrders: DRAFT_ORDERS_QUERY } as const;
export type ShopifyOrderConnection = keyof typeof SHOPIFY_ORDER_QUERIES;

/** A document with its white space collapsed, as the fake compares them (Shopify ignores it). */
export function normaliseQuery(query: string): string {
  return query
    .replace(/\s+/g, ' ')
    .replace(/\s*([{}():,!$])\s*/g, '$1')
    .trim();
}
