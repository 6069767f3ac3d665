/**
 * The SuiteQL a flow runs (runSuiteQL: POST /query/v1/suiteql, Prefer: transient, paged by limit and offset:
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157909186990.html) to feed scripts/netsuite-fulfilments:
 * which item fulfillments, credit memos and return authorizations to GET (getItemFulfillment, getCreditMemo,
 * getReturnAuthorization, each with expandSubResources=true), and the rows that ride beside them (`sales_orders`,
 * `return_authorizations`). Each query is text a flow sends as its manual payload ({"q": …}); a value the flow only
 * knows at run time is a Patchworks placeholder in the text (`[[meta.pull_since_date]]`, plan-order-pull's UTC day;
 * `[[meta.sales_order_ids]]`, `[[meta.return_authorization_ids]]`: reference/patchworks.md, meta variables), filled
 * in before the request is sent. The functions give the same text with the value written in, checked first, for tests
 * and the local runner.
 *
 * Oracle confirms SuiteQL's endpoint and paging (above) and TO_DATE among SuiteQL's functions
 * (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_158513731864.html). UNVERIFIED (no Oracle page
 * read names them): the transaction table's columns id, type, externalid, createdfrom and lastmodifieddate; the type
 * codes 'ItemShip' (item fulfillment), 'CustCred' (credit memo), 'RtnAuth' (return authorization) and 'SalesOrd'
 * (sales order), the prefixes of SuiteScript's transaction status codes as third parties list them (Item Fulfillment
 * ItemShip:A/B/C: https://dreamxtream.wordpress.com/2011/04/18/netsuite-transaction-status-codes/; Credit Memo
 * CustCred:A/B: https://blog.prolecto.com/2013/08/30/netsuite-searchfilter-transaction-internal-status-list/; SalesOrd:B
 * in both; no page read shows RtnAuth), that SuiteQL's transaction.type holds the same codes (the pack's Pending
 * Approval query already assumes 'SalesOrd': stock-reader.ts); createdfrom on the transaction table (it
 * may be on transactionline only); and in which time zone TO_DATE reads a date without one (the account's or the
 * user's). Pull from a day earlier than the last run to be safe: the steps after are idempotent (a record read again
 * changes nothing in SparkLayer).
 */

/** The placeholder for the date to pull from, YYYY-MM-DD: plan-order-pull's `pull_since_date`. */
export const PULL_SINCE_PLACEHOLDER = '[[meta.pull_since_date]]';
/** The placeholder for the sales order internal IDs, comma-separated. */
export const SALES_ORDER_IDS_PLACEHOLDER = '[[meta.sales_order_ids]]';
/** The placeholder for the return authorization internal IDs, comma-separated. */
export const RETURN_AUTHORIZATION_IDS_PLACEHOLDER = '[[meta.return_authorization_ids]]';

/** SuiteQL's transaction type code of each record netsuite-fulfilments reads (UNVERIFIED: see the header). */
export const NETSUITE_FULFILMENT_TRANSACTION_TYPES = {
  ItemShip: 'itemFulfillment',
  CustCred: 'creditMemo',
  RtnAuth: 'returnAuthorization',
} as const;

const INTERNAL_ID = /^\d+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A date to pull from, checked, or the placeholder as it is. */
function sinceDate(since: string): string {
  if (since !== PULL_SINCE_PLACEHOLDER && !(DATE.test(since) && !Number.isNaN(Date.parse(since))))
    throw new RangeError(`the date to pull from is YYYY-MM-DD; ${JSON.stringify(since)} is not one`);
  return since;
}

/**
 * (a) The transactions to read: id and type of every item fulfillment, credit memo and return authorization last
 * modified on or after `since` (YYYY-MM-DD), ordered by id so that limit/offset pages are stable. `type` says which GET
 * reads each (NETSUITE_FULFILMENT_TRANSACTION_TYPES).
 */
export function netsuiteFulfilmentTransactionsQuery(since: string = PULL_SINCE_PLACEHOLDER): string {
  const date = sinceDate(since);
  const types = Object.keys(NETSUITE_FULFILMENT_TRANSACTION_TYPES)
    .map((type) => `'${type}'`)
    .join(', ');
  return (
    `SELECT id, type FROM transaction WHERE type IN (${types}) ` +
    `AND lastmodifieddate >= TO_DATE('${date}', 'YYYY-MM-DD') ORDER BY id`
  );
}

/** Query (a) as the flow sends it: the date is `[[meta.pull_since_date]]`. */
export const NETSUITE_FULFILMENT_TRANSACTIONS_QUERY = netsuiteFulfilmentTransactionsQuery();

/**
 * (b') The sales orders modified on or after `since` (YYYY-MM-DD), as netsuite-fulfilments' `sales_orders` reads rows:
 * id and externalid. Needs no list of IDs, so a flow sends it beside query (a) in one go. UNVERIFIED: that NetSuite
 * modifies a sales order (lastmodifieddate) when it is fulfilled or a return is authorized against it; a record made
 * from a sales order not modified in the window links to no purchase (UNLINKED_FULFILMENT / UNLINKED_RETURN, for
 * operations), which is safe (told, never written wrong), and query (b) by IDs is the exact alternative.
 */
export function netsuiteSalesOrdersSinceQuery(since: string = PULL_SINCE_PLACEHOLDER): string {
  return (
    `SELECT id, externalid FROM transaction WHERE type = 'SalesOrd' ` +
    `AND lastmodifieddate >= TO_DATE('${sinceDate(since)}', 'YYYY-MM-DD') ORDER BY id`
  );
}

/** Query (b') as the flow sends it: the date is `[[meta.pull_since_date]]`. */
export const NETSUITE_SALES_ORDERS_SINCE_QUERY = netsuiteSalesOrdersSinceQuery();

/** Internal IDs as a SuiteQL list, or the placeholder as it is. */
function idList(ids: readonly string[] | string, placeholder: string, what: string): string {
  if (ids === placeholder) return placeholder;
  if (typeof ids === 'string' || ids.length === 0)
    throw new RangeError(`${what}: internal IDs, at least one, or ${placeholder}`);
  for (const id of ids) {
    if (!INTERNAL_ID.test(id))
      throw new RangeError(`a NetSuite internal ID is digits only; ${JSON.stringify(id)} is not one`);
  }
  return [...new Set(ids)].join(', ');
}

/**
 * (b) The sales orders the records were made from, as netsuite-fulfilments' `sales_orders` reads rows: id and
 * externalid (the SparkLayer purchase id the pack booked each with: sales-order-mapper.ts). `ids`: the sales orders'
 * internal IDs (an item fulfillment's or return authorization's createdFrom). A sales order the pack did not book has
 * no externalid: SuiteQL leaves the empty column out (UNVERIFIED, as for the stock query), and the step reads it as not
 * booked.
 */
export function netsuiteBookedSalesOrdersQuery(ids: readonly string[] | string = SALES_ORDER_IDS_PLACEHOLDER): string {
  const list = idList(ids, SALES_ORDER_IDS_PLACEHOLDER, 'the sales orders');
  return `SELECT id, externalid FROM transaction WHERE type = 'SalesOrd' AND id IN (${list}) ORDER BY id`;
}

/** Query (b) as the flow sends it: the IDs are `[[meta.sales_order_ids]]`. */
export const NETSUITE_BOOKED_SALES_ORDERS_QUERY = netsuiteBookedSalesOrdersQuery();

/**
 * The return authorizations credit memos were made from, as netsuite-fulfilments' `return_authorizations` reads rows:
 * id and createdfrom (the sales order). `ids`: the credit memos' createdFrom. UNVERIFIED: createdfrom on the
 * transaction table (see the header); GET returnAuthorization (its createdFrom) is the documented way.
 */
export function netsuiteReturnAuthorizationsQuery(
  ids: readonly string[] | string = RETURN_AUTHORIZATION_IDS_PLACEHOLDER,
): string {
  const list = idList(ids, RETURN_AUTHORIZATION_IDS_PLACEHOLDER, 'the return authorizations');
  return `SELECT id, createdfrom FROM transaction WHERE type = 'RtnAuth' AND id IN (${list}) ORDER BY id`;
}

/** The return authorizations query as the flow sends it: the IDs are `[[meta.return_authorization_ids]]`. */
export const NETSUITE_RETURN_AUTHORIZATIONS_QUERY = netsuiteReturnAuthorizationsQuery();
