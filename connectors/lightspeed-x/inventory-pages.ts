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
 * The contract (that page; ../shared/reference/patchworks.md §1.3, §7.1): the script's input `payload` is a JSON
 * string of `request` {body (a string), headers, method, url}, `response` {headers, status_code} and `payload` (the
 * page's content); its output `payload` is a JSON string of {has_next_page, url, headers, method, body} for the next
 * request. UNVERIFIED (no page says): whether the page's content arrives as the answer's text or already parsed (both
 * are read); that `has_next_page: false` alone ends the paging, whatever else the output holds.
 */
import type { PatchworksData } from '../../runtime/contract.js';
import { isJsonObject } from '../../runtime/json-object.js';
import { inventoryCursor } from './stock-reader.js';

/** The Patchworks script name and bundle key. */
export const INVENTORY_PAGES_SCRIPT = 'lightspeed-x-inventory-pages';

/** The request Patchworks sent for the page just read, as the script receives it. */
export interface PageRequest {
  /** The JSON body, as text. */
  body: string;
  headers: Record<string, string>;
  method: string;
  url: string;
}

/** What the script tells Patchworks: whether to ask again, and the request to send. */
export interface NextPageRequest extends PageRequest {
  has_next_page: boolean;
}

type Json = Record<string, unknown>;

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
  const body = requestBody(request.body);
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
  const parsed = typeof page === 'string' ? parseJson(page, 'the page (payload.payload)') : page;
  if (!Array.isArray(parsed))
    throw new TypeError(
      `${INVENTORY_PAGES_SCRIPT}: the page (payload.payload) is ${describe(parsed)}, not the array of inventory ` +
        'records ListInventoryRecords answers',
    );
  return parsed;
}

/** The request's JSON body, an object (inventoryRequest in stock-reader.ts writes it). */
function requestBody(text: unknown): Json {
  if (typeof text !== 'string')
    throw new TypeError(
      `${INVENTORY_PAGES_SCRIPT}: the request body (payload.request.body) is ${describe(text)}, not text`,
    );
  const body = parseJson(text, 'the request body (payload.request.body)');
  if (!isJsonObject(body))
    throw new TypeError(
      `${INVENTORY_PAGES_SCRIPT}: the request body (payload.request.body) is ${describe(body)}, not a JSON object`,
    );
  return body;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new SyntaxError(
      `${INVENTORY_PAGES_SCRIPT}: ${what} is not JSON (starts ${JSON.stringify(text.slice(0, 40))})`,
    );
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null || value === undefined) return String(value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}

/** The request parts as Patchworks gives them: `body` text, `headers` an object, `method` and `url` text. */
function pageRequest(value: unknown): PageRequest {
  if (!isJsonObject(value))
    throw new TypeError(`${INVENTORY_PAGES_SCRIPT}: payload.request is ${describe(value)}, not the request sent`);
  const { body, headers, method, url } = value;
  if (typeof method !== 'string' || typeof url !== 'string')
    throw new TypeError(`${INVENTORY_PAGES_SCRIPT}: payload.request has no method and url`);
  return {
    body: body as string,
    headers: isJsonObject(headers) ? (headers as Record<string, string>) : {},
    method,
    url,
  };
}

/** The Patchworks handler: `data.payload` in (the request, the response, the page), the next request out. */
export default async function inventoryPages(data: PatchworksData): Promise<PatchworksData> {
  if (typeof data?.payload !== 'string')
    throw new TypeError(`${INVENTORY_PAGES_SCRIPT}: payload is ${describe(data?.payload)}, not the pagination input`);
  const input = parseJson(data.payload, 'payload');
  if (!isJsonObject(input))
    throw new TypeError(`${INVENTORY_PAGES_SCRIPT}: payload is ${describe(input)}, not {request, response, payload}`);
  const next = nextInventoryPage(pageRequest(input.request), input.payload);
  return { ...data, payload: JSON.stringify(next) };
}
