/**
 * What an R-Series request costs in leaky-bucket drips, as Lightspeed documents it. The client paces itself with it
 * (before the answer tells it the real level) and the fake R-Series charges with it, so both read the same rules:
 *
 * - every request costs 1 drip; Sale and SaleLine POST/PUT/DELETE cost 2 (their "Request Cost" tables:
 *   https://developers.lightspeedhq.com/retail/endpoints/Sale/ , https://developers.lightspeedhq.com/retail/endpoints/SaleLine/);
 * - a Sale payload that completes the sale costs 3 more (Sale page: "If complete = true is included the payload, the
 *   request will cost an additional 3 drips");
 * - a POST or PUT costs 0.5 more for each nested relation entity in its payload, e.g. each SaleLine in a Sale POST
 *   (https://developers.lightspeedhq.com/retail/introduction/ratelimits/). The pack counts as an entity every nested
 *   object that holds at least one field of its own (a `SaleLines` wrapper holding only `SaleLine` is not one);
 * - `count=1` makes a request cost 10 (https://developers.lightspeedhq.com/retail/introduction/parameters/);
 * - `load_relations`: an X-to-one relation costs 0.1 more, an X-to-many 0.2, doubled on a query or under an X-to-many
 *   relation (https://developers.lightspeedhq.com/retail/introduction/relations/). Which relations are X-to-one is
 *   read from the endpoint pages (a single object: Contact, CreditAccount, CustomerType, Note, TaxCategory, …); any
 *   other is counted as X-to-many, the dearer case.
 *
 * Lightspeed "reserves the right to modify rate limit allowances and the cost of requests, without notice": the
 * client trusts the answer's `X-LS-Api-Bucket-Level` over this estimate (connectors/http/leaky-bucket.ts).
 */
import { isJsonObject } from '../../../runtime/json-object.js';

/** A connection's bucket with one register: 90 drips, leaking 1 a second (same page). */
export const DEFAULT_BUCKET = { capacity: 90, dripPerSecond: 1 } as const;

/** Relations the endpoint pages show as one object; every other relation is counted as X-to-many. */
const TO_ONE_RELATIONS = new Set([
  'Contact',
  'CreditAccount',
  'CustomerType',
  'Customer',
  'Discount',
  'Note',
  'TaxCategory',
  'TaxClass',
  'Category',
  'Manufacturer',
  'ItemAttributes',
  'ItemAttributeSet',
  'ItemMatrix',
  'ItemECommerce',
  'SaleNotes',
  'ShipTo',
  'Quote',
  'PaymentType',
  'Shop',
  'Item',
]);

const WRITE_COST_2 = new Set(['Sale', 'SaleLine']);

export interface CostedRequest {
  method: string;
  /** The path, e.g. `/API/V3/Account/12345/Sale.json` or `/API/V3/Account/12345/Item/7.json`. */
  path: string;
  query?: URLSearchParams | Record<string, string>;
  body?: unknown;
}

/** The resource a path names (`Sale`, `Item`…) and whether it addresses one record. */
export function resourceOf(path: string): { resource: string; single: boolean } {
  const match = /\/Account\/[^/]+\/([A-Za-z]+)(\/[^/.]+)?(?:\/[A-Za-z]+)?\.json$/.exec(path);
  if (match) return { resource: match[1]!, single: match[2] !== undefined };
  return { resource: /\/Account\.json$/.test(path) ? 'Account' : '', single: false };
}

export function requestCost(request: CostedRequest): number {
  const method = request.method.toUpperCase();
  const query = request.query instanceof URLSearchParams ? request.query : new URLSearchParams(request.query ?? {});
  if (query.get('count') === '1') return 10;
  const { resource, single } = resourceOf(request.path);
  let cost = 1;
  if (method !== 'GET' && WRITE_COST_2.has(resource)) cost = 2;
  if ((method === 'POST' || method === 'PUT') && request.body !== undefined && request.body !== null) {
    if (
      resource === 'Sale' &&
      isJsonObject(request.body) &&
      (request.body.completed === true || request.body.completed === 'true')
    )
      cost += 3;
    cost += 0.5 * nestedEntities(request.body, 0);
  }
  cost += relationCost(query.get('load_relations'), !single || method !== 'GET');
  return round(cost);
}

function relationCost(raw: string | null, multiple: boolean): number {
  if (raw === null || raw.trim() === '') return 0;
  let names: string[];
  try {
    const parsed: unknown = JSON.parse(raw);
    names = Array.isArray(parsed) ? parsed.filter((name): name is string => typeof name === 'string') : [];
  } catch {
    // `all` or something unreadable: the dearest reading is a to-many relation per comma-separated name.
    names = raw.split(',');
  }
  let cost = 0;
  for (const name of names) {
    const segments = name.split('.');
    const last = segments.at(-1)!;
    const underMany = segments.slice(0, -1).some((segment) => !TO_ONE_RELATIONS.has(segment));
    const base = TO_ONE_RELATIONS.has(last) ? 0.1 : 0.2;
    cost += multiple || underMany ? base * 2 : base;
  }
  return cost;
}

/** Nested objects (below the top level) that hold at least one field of their own. */
function nestedEntities(value: unknown, depth: number): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + nestedEntities(item, depth), 0);
  if (!isJsonObject(value)) return 0;
  const own = depth > 0 && Object.values(value).some((field) => field === null || typeof field !== 'object') ? 1 : 0;
  return (
    own +
    Object.values(value).reduce(
      (sum: number, field) =>
        sum + (field !== null && typeof field === 'object' ? nestedEntities(field, depth + 1) : 0),
      0,
    )
  );
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
