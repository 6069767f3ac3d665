/**
 * What every Patchworks pagination script the pack ships shares: the contract's input and output, and the clear
 * failures when the input is not what the contract says. A script is a pure rule (the next request from the request
 * just sent and the page it answered) wrapped by `paginationScript`.
 *
 * The contract (https://doc.wearepatchworks.com/product-documentation/developer-hub/custom-scripting/pagination-scripts;
 * ../shared/reference/patchworks.md §1.3, §7.1): the script's input `payload` is a JSON string of `request` {body (a
 * string), headers, method, url}, `response` {headers, status_code} and `payload` (the page's content); its output
 * `payload` is a JSON string of {has_next_page, url, headers, method, body} for the next request. UNVERIFIED (no page
 * says): whether the page's content arrives as the answer's text or already parsed (both are read); that
 * `has_next_page: false` alone ends the paging, whatever else the output holds.
 */
import type { PatchworksData } from './contract.js';
import { isJsonObject } from './json-object.js';

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

/** The rule of one script: the next request from the request just sent and the page it answered. */
export type NextPageRule = (request: PageRequest, page: unknown) => NextPageRequest;

/** The text parsed as JSON, or a SyntaxError naming the script, what it is and how it starts. */
export function parseJson(script: string, text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new SyntaxError(`${script}: ${what} is not JSON (starts ${JSON.stringify(text.slice(0, 40))})`);
  }
}

/** A value as an error message names it: "an array", "an object", "null", `number 3`. */
export function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null || value === undefined) return String(value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}

/** The page's content parsed: the answer's text, or the content already parsed. */
export function pageContent(script: string, page: unknown): unknown {
  return typeof page === 'string' ? parseJson(script, page, 'the page (payload.payload)') : page;
}

/** The request's JSON body, an object. */
export function requestBody(script: string, text: unknown): Json {
  if (typeof text !== 'string')
    throw new TypeError(`${script}: the request body (payload.request.body) is ${describe(text)}, not text`);
  const body = parseJson(script, text, 'the request body (payload.request.body)');
  if (!isJsonObject(body))
    throw new TypeError(`${script}: the request body (payload.request.body) is ${describe(body)}, not a JSON object`);
  return body;
}

/** The request parts as Patchworks gives them: `body` text, `headers` an object, `method` and `url` text. */
function pageRequest(script: string, value: unknown): PageRequest {
  if (!isJsonObject(value))
    throw new TypeError(`${script}: payload.request is ${describe(value)}, not the request sent`);
  const { body, headers, method, url } = value;
  if (typeof method !== 'string' || typeof url !== 'string')
    throw new TypeError(`${script}: payload.request has no method and url`);
  return {
    body: body as string,
    headers: isJsonObject(headers) ? (headers as Record<string, string>) : {},
    method,
    url,
  };
}

/** A script's Patchworks handler: `data.payload` in (the request, the response, the page), the next request out. */
export function paginationScript(script: string, next: NextPageRule) {
  return async function handler(data: PatchworksData): Promise<PatchworksData> {
    if (typeof data?.payload !== 'string')
      throw new TypeError(`${script}: payload is ${describe(data?.payload)}, not the pagination input`);
    const input = parseJson(script, data.payload, 'payload');
    if (!isJsonObject(input))
      throw new TypeError(`${script}: payload is ${describe(input)}, not {request, response, payload}`);
    return { ...data, payload: JSON.stringify(next(pageRequest(script, input.request), input.payload)) };
  };
}
