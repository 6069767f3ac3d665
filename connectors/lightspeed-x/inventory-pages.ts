/**
 * The Patchworks pagination script of ListInventoryRecords (POST /api/2026-07/inventory): every page of X-Series
 * inventory records, not only the first. Shipped: bundled into `dist/scripts/lightspeed-x-inventory-pages.js` (the
 * connector facts declare it, connectors/lightspeed-x/dev/patchworks-connector.ts) and selected, with its version, on
 * the endpoint's pagination tab. Pure: no clock, no environment, no I/O.
 *
 * Why a script: X-Series pages by version cursor, `after` = the highest version received, oldest first, until a page
 * comes back empty (https://x-series-api.lightspeedhq.com/docs/pagination), and on this operation `after` is a body
 * parameter only (https://x-series-api.lightspeedhq.com/v2026.04/reference/listinventoryrecords). Patchworks' built-in
 * methods move URL parameters; a script returns the whole next request, body included
 * (https://doc.wearepatchworks.com/product-documentation/developer-hub/custom-scripting/pagination-scripts).
 *
 * The contract and what all the pack's pagination scripts share: runtime/pagination-script.ts.
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
import { inventoryCursor } from './stock-reader.js';

export type { PageRequest } from '../../runtime/pagination-script.js';

/** The Patchworks script name and bundle key. */
export const INVENTORY_PAGES_SCRIPT = 'lightspeed-x-inventory-pages';

/**
 * The request for the page after this one: the same url, method and headers, and the same body with `after` set to
 * the highest `version` of the page's records. No next page on an empty page (the end, as the pagination page says)
 * or on one whose records carry no `version` (nothing to continue from). A `version` that is not a whole number
 * throws (inventoryCursor), and so does a highest version that does not pass the body's `after`: X-Series would
 * answer the same page again, and the read would loop until Patchworks' limits stopped it; failing names it, where
 * stopping quietly would publish a part of the stock as if it were all, every run.
 */
export function nextInventoryPage(request: PageRequest, page: unknown): NextPageRequest {
  const records = pageRecords(page);
  const body = requestBody(INVENTORY_PAGES_SCRIPT, request.body);
  const versioned = records.filter(
    (record) => isJsonObject(record) && record.version !== undefined && record.version !== null,
  );
  const stop = { ...request, has_next_page: false };
  if (versioned.length === 0) return stop;
  const after = typeof body.after === 'number' ? body.after : undefined;
  const highest = inventoryCursor(versioned)!;
  if (after !== undefined && highest <= after)
    throw new Error(
      `${INVENTORY_PAGES_SCRIPT}: the page read after version ${after} holds no later version (the highest is ` +
        `${highest}); asking again would read the same page forever`,
    );
  return { ...request, body: JSON.stringify({ ...body, after: highest }), has_next_page: true };
}

/** The page's records: a bare array (ListInventoryRecords' answer), as text or already parsed. */
function pageRecords(page: unknown): unknown[] {
  const parsed = pageContent(INVENTORY_PAGES_SCRIPT, page);
  if (!Array.isArray(parsed))
    throw new TypeError(
      `${INVENTORY_PAGES_SCRIPT}: the page (payload.payload) is ${describe(parsed)}, not the array of inventory ` +
        'records ListInventoryRecords answers',
    );
  return parsed;
}

/** The Patchworks handler: `data.payload` in (the request, the response, the page), the next request out. */
export default paginationScript(INVENTORY_PAGES_SCRIPT, nextInventoryPage);
