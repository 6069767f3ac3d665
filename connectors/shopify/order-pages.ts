/**
 * The Patchworks pagination script of getShopifyOrders (the pack's custom GraphQL endpoint): every page of the orders
 * or draft orders changed since the flow's last run, in that run, not only the first 250. Shipped: bundled into
 * `dist/scripts/shopify-order-pages.js` (declared in connectors/shopify/dev/patchworks-connector.ts)
 * and selected, with its version, on the endpoint's pagination tab. Pure: no clock, no environment, no I/O.
 *
 * Why it matters: the flow's watermark moves to the run's start once the run is done, so an order left on a page not
 * read would never be read. Why a script: Shopify pages a GraphQL connection by cursor, `pageInfo { hasNextPage
 * endCursor }` and the next page `after` the end cursor (https://shopify.dev/docs/api/usage/pagination-graphql), a
 * variable in the POST body; Patchworks' "GraphQL Cursor" method exists but its options are documented nowhere
 * (reference/patchworks.md §2.4), while a script returns the whole next request, body included
 * (https://doc.wearepatchworks.com/product-documentation/developer-hub/custom-scripting/pagination-scripts). The
 * contract and what the pack's pagination scripts share: runtime/pagination-script.ts.
 */
import {
  describe,
  pageContent,
  paginationScript,
  requestBody,
  type NextPageRequest,
  type PageRequest,
} from '../../runtime/pagination-script.js';
import { isJsonObject } from '../../runtime/json-object.js';
import { SHOPIFY_ORDER_QUERIES, type ShopifyOrderConnection } from './graphql-queries.js';

/** The Patchworks script name and bundle key. */
export const ORDER_PAGES_SCRIPT = 'shopify-order-pages';

const CONNECTIONS = Object.keys(SHOPIFY_ORDER_QUERIES) as ShopifyOrderConnection[];

/**
 * The request for the page after this one: the same url, method and headers, and the same body with
 * `variables.after` set to the page's `endCursor`, while `hasNextPage` is true. No next page on the last page, and
 * none on an answer of GraphQL errors (THROTTLED among them): shopify-order-nodes fails the run on that page, before
 * anything is booked or the watermark moves. A page that says there is more but gives no end cursor, or the cursor it
 * was asked after, throws: stopping quietly would book part of the orders and move the watermark past the rest, and
 * asking again would read the same page forever.
 */
export function nextOrderPage(request: PageRequest, page: unknown): NextPageRequest {
  const stop = { ...request, has_next_page: false };
  const answer = pageContent(ORDER_PAGES_SCRIPT, page);
  if (!isJsonObject(answer))
    throw new TypeError(
      `${ORDER_PAGES_SCRIPT}: the page (payload.payload) is ${describe(answer)}, not a GraphQL answer`,
    );
  if (answer.errors !== undefined && answer.errors !== null) return stop;
  const data = isJsonObject(answer.data) ? answer.data : {};
  const connection = CONNECTIONS.find((name) => isJsonObject(data[name]));
  if (connection === undefined)
    throw new TypeError(
      `${ORDER_PAGES_SCRIPT}: the page (payload.payload) has no data.${CONNECTIONS.join(' or data.')}: not an ` +
        "answer to one of the pack's queries (connectors/shopify/graphql-queries.ts)",
    );
  const pageInfo = (data[connection] as Record<string, unknown>).pageInfo;
  if (!isJsonObject(pageInfo) || typeof pageInfo.hasNextPage !== 'boolean')
    throw new TypeError(
      `${ORDER_PAGES_SCRIPT}: data.${connection}.pageInfo.hasNextPage is missing; the pack's query selects it`,
    );
  if (!pageInfo.hasNextPage) return stop;
  const body = requestBody(ORDER_PAGES_SCRIPT, request.body);
  const variables = isJsonObject(body.variables) ? body.variables : {};
  const { endCursor } = pageInfo;
  if (typeof endCursor !== 'string' || endCursor === '')
    throw new TypeError(
      `${ORDER_PAGES_SCRIPT}: data.${connection}.pageInfo says there is a next page but gives no endCursor ` +
        `(${describe(endCursor)}); the orders after this page cannot be read`,
    );
  if (endCursor === variables.after)
    throw new Error(
      `${ORDER_PAGES_SCRIPT}: data.${connection}.pageInfo.endCursor is the cursor this page was read after ` +
        `(${JSON.stringify(endCursor)}); asking again would read the same page forever`,
    );
  return {
    ...request,
    body: JSON.stringify({ ...body, variables: { ...variables, after: endCursor } }),
    has_next_page: true,
  };
}

/** The Patchworks handler: `data.payload` in (the request, the response, the page), the next request out. */
export default paginationScript(ORDER_PAGES_SCRIPT, nextOrderPage);
