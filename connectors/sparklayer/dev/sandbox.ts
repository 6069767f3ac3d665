/**
 * A fake SparkLayer for tests, the recorder's proof and the local runner: it serves fixture data with the
 * behaviour SparkLayer documents (https://docs.sparklayer.io/developers/api): a JSON-body token request
 * carrying Site-Id, bearer tokens that expire, Site-Id on every call, limit/offset and page/page_size
 * paging, problem-details errors (and bodiless ones), full-replace PUTs. The purchase list takes only the query
 * parameters openapi.json documents and filters by type and date range. The batch stock update keeps a level per SKU
 * and stock location and refuses the requests its docs say are a 400. A price list can be created (then listed), and
 * the batch pricing update keeps the prices of each SKU and list pair, refusing a request whole (404, 400) as its
 * docs say; a list's stored prices are read back one entry per SKU and break (204 when none, 404 for no such list).
 * Faults can be queued per route.
 * It speaks the Fetch API (Request in, Response out) so msw and a loopback HTTP server can both host it.
 */
import { FaultPlan, type InjectedFault, type SandboxAnswer } from '../../../contracts/faults.js';
import { readOpenApi } from '../../../contracts/connector-source.js';
import { loadFixture } from '../../../contracts/fixtures.js';
import { PURCHASES_MAX_LIMIT, PRICE_LISTS_MAX_PAGE_SIZE } from './client.js';
import openapi from '../openapi.json' with { type: 'json' };
import { priceListPageSchema } from '../schemas.js';

export interface SandboxCredentials {
  siteId: string;
  clientId: string;
  clientSecret: string;
}

/** Not secrets: the sandbox's own made-up credentials, so tests and `npm start` need none. */
export const SANDBOX_CREDENTIALS: SandboxCredentials = {
  siteId: 'sandbox-site',
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-client-secret',
};

export const SANDBOX_BASE_URL = 'https://sandbox.sparklayer.invalid';

type Json = Record<string, unknown>;

export interface SandboxData {
  purchases: Json[];
  customers: Json[];
  priceLists: Json[];
  transactions: Json[];
  syncLogs?: Record<string, Json>;
  /** The site's stock locations; SANDBOX_STOCK_LOCATIONS when left out. */
  stockLocations?: StockLocation[];
}

/** A stock location as GET /api/v1/stock-locations lists it (https://docs.sparklayer.io/developers/api/stock/list-stock-locations.md). */
export interface StockLocation {
  id: string;
  name: string;
  external_id: string;
}

/**
 * The fake's stock locations. Not a fixture: no stock-location fixture exists, and every SparkLayer fixture needs an
 * endpoint schema in test/connectors/sparklayer/fixtures.test.ts. `warehouse-1` and "Stock Warehouse 1" are the
 * example of https://docs.sparklayer.io/developers/api/stock/create-a-stock-location.md; the second location and both
 * ids are illustrative (the list page types `id` as a uuid).
 */
export const SANDBOX_STOCK_LOCATIONS: readonly StockLocation[] = [
  { id: '123e4567-e89b-12d3-a456-426614174000', name: 'Stock Warehouse 1', external_id: 'warehouse-1' },
  { id: '123e4567-e89b-12d3-a456-426614174001', name: 'Stock Warehouse 2', external_id: 'warehouse-2' },
];

/** One stored stock level: the SKU and location pair, and the values last sent for it. */
export interface StoredStockLevel {
  sku: string;
  stock_location_id: string;
  stock_location_external_id: string;
  stock_level: number;
  [field: string]: unknown;
}

/** One price break as PATCH /api/v1/batch-update-pricing stored it: the values sent for it. */
export interface StoredPriceBreak {
  quantity: number;
  price: number;
  [field: string]: unknown;
}

/** One entry of a 400 from the pricing updates: PriceUpdateError (https://docs.sparklayer.io/tech-docs/update-pricing-for-multiple-price-lists). */
export interface PriceUpdateError {
  line: number;
  field: string | null;
  message: string;
}

export class SparkLayerSandbox {
  readonly purchases: Json[];
  readonly customers: Json[];
  readonly priceLists: Json[];
  readonly transactions: Json[];
  readonly syncLogs: Record<string, Json>;
  readonly stockLocations: StockLocation[];
  /** Stored stock levels by `pairKey(sku, stock_location_id)`, as POST /api/v1/batch-update-stock left them. */
  readonly stockLevels = new Map<string, StoredStockLevel>();
  /** Stored prices by `pairKey(sku, price_list_slug)`, as PATCH /api/v1/batch-update-pricing left them. */
  readonly prices = new Map<string, StoredPriceBreak[]>();
  /** Every call as `METHOD /path?query`, in order. */
  readonly calls: string[] = [];
  tokenLifetimeSeconds = 3600;
  private readonly tokens = new Map<string, number>();
  /** Faults to play (contracts/faults.ts); `failNext` is the shorthand. */
  readonly faults = new FaultPlan();
  private issued = 0;
  private expireAtCall?: number;

  constructor(
    data: SandboxData,
    readonly credentials: SandboxCredentials = SANDBOX_CREDENTIALS,
    private readonly now: () => number = Date.now,
  ) {
    this.purchases = structuredClone(data.purchases);
    this.customers = structuredClone(data.customers);
    this.priceLists = structuredClone(data.priceLists);
    this.transactions = structuredClone(data.transactions);
    this.syncLogs = structuredClone(data.syncLogs ?? {});
    this.stockLocations = structuredClone(data.stockLocations ?? [...SANDBOX_STOCK_LOCATIONS]);
  }

  /** The stored level of a SKU at a location (its SparkLayer id or external id), or undefined. */
  stockLevel(sku: string, location: string): StoredStockLevel | undefined {
    const found = this.stockLocations.find((l) => l.id === location || l.external_id === location);
    return found && this.stockLevels.get(pairKey(sku, found.id));
  }

  /** The stored price breaks of a SKU on a price list (copies), or undefined when it has none. */
  storedPrices(priceListSlug: string, sku: string): StoredPriceBreak[] | undefined {
    const breaks = this.prices.get(pairKey(sku, priceListSlug));
    return breaks && structuredClone(breaks);
  }

  /** Plays a fault for the next `times` calls of a route, e.g. `GET /api/v1/purchases`. */
  failNext(route: string, fault: InjectedFault, times = 1): void {
    this.faults.add(route, fault, { times });
  }

  /** Every token issued so far stops working, as if an hour had passed. */
  expireTokens(): void {
    this.tokens.clear();
  }

  /** Expire every token when the n-th call arrives: a token that runs out in the middle of a long run. */
  expireTokensAtCall(n: number): void {
    this.expireAtCall = n;
  }

  get tokensIssued(): number {
    return this.issued;
  }

  async handle(request: Request): Promise<SandboxAnswer> {
    const url = new URL(request.url);
    const route = `${request.method} ${url.pathname}`;
    this.calls.push(`${route}${url.search}`);
    if (this.calls.length === this.expireAtCall) this.expireTokens();

    return this.faults.play(request.method, url.pathname, () => this.answer(request, url, route));
  }

  private async answer(request: Request, url: URL, route: string): Promise<Response> {
    if (request.headers.get('site-id') !== this.credentials.siteId) {
      return problem(
        400,
        'Site-Id header missing or unknown',
        'Send the Site-Id header with the site ID from Settings > API.',
      );
    }
    if (route === 'POST /api/auth/token') return this.issueToken(request);
    if (!this.authorised(request)) return new Response(null, { status: 401 });
    return this.route(request, url);
  }

  private async issueToken(request: Request): Promise<Response> {
    if (!(request.headers.get('content-type') ?? '').includes('application/json')) {
      return problem(400, 'Invalid request', 'The token request body must be JSON.');
    }
    const body = (await request.json().catch(() => ({}))) as Json;
    const valid =
      body.grant_type === 'client_credentials' &&
      body.client_id === this.credentials.clientId &&
      body.client_secret === this.credentials.clientSecret;
    // SparkLayer answers bad credentials without a body.
    if (!valid) return new Response(null, { status: 401 });
    this.issued += 1;
    const token = `sandbox-token-${this.issued}-${Math.random().toString(36).slice(2)}`;
    this.tokens.set(token, this.now() + this.tokenLifetimeSeconds * 1000);
    return json({ token_type: 'bearer', expires_in: this.tokenLifetimeSeconds, access_token: token });
  }

  private authorised(request: Request): boolean {
    const match = /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '');
    const expiresAt = match ? this.tokens.get(match[1]!) : undefined;
    return expiresAt !== undefined && expiresAt > this.now();
  }

  private async route(request: Request, url: URL): Promise<Response> {
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const [api, version, resource, first, second, sub] = segments;
    if (api !== 'api') return notFound(url);
    const method = request.method;

    if (version === 'v1' && resource === 'purchases') {
      if (first === undefined && method === 'GET') return this.listPurchases(url);
      if (first === undefined || second === undefined) return notFound(url);
      const index = this.purchases.findIndex((p) => identifiers(p)[first] === second && second !== '');
      if (sub === 'transactions') {
        if (index < 0) return notFound(url);
        if (method === 'GET') return json(this.transactions);
        if (method === 'PUT') return json(await request.json());
      }
      if (sub === undefined && method === 'GET') return index < 0 ? notFound(url) : json(this.purchases[index]);
      if (sub === undefined && method === 'PUT') {
        const body = (await request.json()) as Json;
        if (index < 0) this.purchases.push(body);
        else this.purchases[index] = body;
        return json(body, index < 0 ? 201 : 200);
      }
    }

    if (version === 'v2' && resource === 'customers' && first !== undefined && second !== undefined) {
      const key = CUSTOMER_LOOKUP_FIELDS[first];
      if (key === undefined) return problem(400, 'Invalid lookupBy', `lookupBy must be sparklayer, platform or email.`);
      const index = this.customers.findIndex((c) => c[key] === second);
      if (sub === 'credit' && method === 'POST') return index < 0 ? notFound(url) : json(await request.json(), 201);
      if (sub === undefined && method === 'GET') return index < 0 ? notFound(url) : json(this.customers[index]);
      if (sub === undefined && method === 'PUT') {
        const body = (await request.json()) as Json;
        if (body[key] !== second)
          return problem(400, 'idMismatch', `The body must contain ${key} = the identifier in the URL.`);
        if (index < 0) this.customers.push(body);
        else this.customers[index] = body;
        return json(body, index < 0 ? 201 : 200);
      }
    }

    if (version === 'v2' && resource === 'price-lists' && first === undefined && method === 'GET')
      return this.listPriceLists(url);
    if (version === 'v1' && resource === 'price-lists' && first === undefined && method === 'POST')
      return this.createPriceList(request);
    if (version === 'v1' && resource === 'batch-update-pricing' && first === undefined && method === 'PATCH')
      return this.batchUpdatePricing(request);
    if (
      version === 'v1' &&
      resource === 'price-lists' &&
      first !== undefined &&
      second === 'pricing' &&
      method === 'GET'
    )
      return sub === undefined ? this.priceListPricing(first) : notFound(url);
    if (version === 'v1' && resource === 'price-lists' && second === 'pricing' && method === 'PATCH')
      return json(await request.json());
    if (version === 'v1' && resource === 'batch-update-stock' && first === undefined && method === 'POST')
      return this.batchUpdateStock(request);
    if (version === 'v1' && resource === 'batch-fetch-stock' && first === undefined && method === 'POST')
      return this.batchFetchStock(request);
    if (version === 'v1' && resource === 'sync-log' && first !== undefined && second !== undefined) {
      const key = `${first}/${second}`;
      if (method === 'GET') return this.syncLogs[key] ? json(this.syncLogs[key]) : notFound(url);
      if (method === 'PUT') return json((this.syncLogs[key] = (await request.json()) as Json));
    }
    return notFound(url);
  }

  /**
   * GET /api/v1/purchases: only the query parameters openapi.json documents for it (a typo such as the legacy
   * page's `dates[last_updated[gte]` is refused, not ignored), paged with limit/offset, filtered by `type` and the
   * date ranges. Each date filter compares instants: a value must be an ISO 8601 date-time with an offset, and it is
   * compared with the documented date of the purchase (DATE_FILTER_FIELDS: `dates[last_updated]` with
   * `dates.updated_at`). `order_by` is accepted and ignored (its values are not documented): the list comes in the
   * fixtures' order, not SparkLayer's default newest first.
   */
  private listPurchases(url: URL): Response {
    const names = [...new Set(url.searchParams.keys())];
    const unknown = names.filter((name) => !PURCHASE_LIST_PARAMETERS.includes(name));
    if (unknown.length > 0) {
      return problem(
        400,
        'Invalid query',
        `Unknown query parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; GET ` +
          `/api/v1/purchases accepts ${PURCHASE_LIST_PARAMETERS.join(', ')}.`,
        unknown.map((property) => ({ code: 'unknown', message: 'This is not a purchase list parameter.', property })),
      );
    }
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    if (
      !Number.isInteger(limit) ||
      limit < 1 ||
      limit > PURCHASES_MAX_LIMIT ||
      !Number.isInteger(offset) ||
      offset < 0
    ) {
      return problem(400, 'Invalid query', `limit must be 1 to ${PURCHASES_MAX_LIMIT} and offset a whole number.`, [
        { property: 'limit', code: 'range', message: 'out of range' },
      ]);
    }
    const type = url.searchParams.get('type');
    let matching = type === null ? this.purchases : this.purchases.filter((p) => p.type === type);
    for (const [name, { field, bound }] of Object.entries(DATE_FILTERS)) {
      for (const value of url.searchParams.getAll(name)) {
        const at = parseDateTime(value);
        if (at === undefined) {
          return problem(
            400,
            'Invalid query',
            `${name} must be an ISO 8601 date-time with an offset, e.g. 2026-11-21T00:00:00+00:00, ` +
              `not ${JSON.stringify(value)}.`,
            [{ code: 'format', message: 'This is not an ISO 8601 date-time.', property: name }],
          );
        }
        // A purchase without the date (a cart has not been placed) matches no range on it.
        matching = matching.filter((purchase) => {
          const stamp = parseDateTime((purchase.dates as Json | undefined)?.[field]);
          return stamp !== undefined && (bound === 'gte' ? stamp >= at : stamp <= at);
        });
      }
    }
    return json(matching.slice(offset, offset + limit));
  }

  /**
   * POST /api/v1/batch-update-stock (https://docs.sparklayer.io/developers/api/stock/update-stock-levels.md): an array
   * of rows, each a SKU and a stock location given by `stock_location_id` or `stock_location_external_id`, not both.
   * The whole request is a 400 when a `stock_location_external_id` does not exist or a SKU and location pair appears
   * twice (the docs), and here also when a row is not an object, has no SKU, names both location fields or neither,
   * names a `stock_location_id` the site does not have (the docs are silent on that), or has a `stock_level` that is
   * not a number. Otherwise every row's pair is overwritten with the values sent; pairs not sent are unchanged. The
   * docs read show neither the success status nor a body: the fake answers 200 with the rows it stored.
   */
  private async batchUpdateStock(request: Request): Promise<Response> {
    const body = (await request.json().catch(() => undefined)) as unknown;
    if (!Array.isArray(body))
      return problem(400, 'Bad Request', 'The body must be a JSON array of stock level rows.', [
        { code: 'type', message: 'This is not an array.', property: '' },
      ]);
    const stored: StoredStockLevel[] = [];
    const seen = new Set<string>();
    for (const [index, row] of body.entries()) {
      const at = `[${index}]`;
      const refuse = (detail: string, property: string, code = 'invalid') =>
        problem(400, 'Bad Request', `Row ${index}: ${detail}`, [
          { code, message: detail, property: `${at}${property}` },
        ]);
      if (!isJsonObject(row)) return refuse('is not an object.', '');
      const { sku, stock_location_id: id, stock_location_external_id: externalId, stock_level: level } = row;
      if (typeof sku !== 'string' || sku.trim() === '') return refuse('sku is missing or not a string.', '.sku');
      if ((id === undefined) === (externalId === undefined))
        return refuse('give stock_location_id or stock_location_external_id, not both and not neither.', '');
      const location =
        id !== undefined
          ? this.stockLocations.find((candidate) => candidate.id === id)
          : this.stockLocations.find((candidate) => candidate.external_id === externalId);
      if (location === undefined) {
        return id !== undefined
          ? refuse(`Stock location ID ${String(id)} does not exist.`, '.stock_location_id', 'not_found')
          : refuse(
              `Stock location external ID ${String(externalId)} does not exist.`,
              '.stock_location_external_id',
              'not_found',
            );
      }
      if (!isFiniteNumber(level)) return refuse('stock_level must be a number.', '.stock_level', 'type');
      const key = pairKey(sku, location.id);
      if (seen.has(key))
        return refuse(`SKU ${sku} at stock location ${location.external_id} appears more than once.`, '', 'duplicate');
      seen.add(key);
      const values: Json = { ...row };
      delete values.stock_location_id;
      delete values.stock_location_external_id;
      stored.push({
        ...values,
        sku,
        stock_location_id: location.id,
        stock_location_external_id: location.external_id,
        stock_level: level,
      });
    }
    // All or nothing: a refused request stores no row.
    for (const level of stored) this.stockLevels.set(pairKey(level.sku, level.stock_location_id), level);
    return json(stored);
  }

  /**
   * POST /api/v1/batch-fetch-stock (https://docs.sparklayer.io/developers/api/stock/get-stock-levels.md): the levels
   * of the SKUs in `skus`, grouped by SKU; only the location with external ID `default` unless
   * `filter.all_stock_locations` is true or `filter.stock_location_ids` names locations (by id); a SKU with no
   * matching level is left out. The page's response schema is past its stored opening: the fake answers an object
   * keyed by SKU, each an array of the stored levels (unverified shape), and a 400 for a body without `skus`.
   */
  private async batchFetchStock(request: Request): Promise<Response> {
    const body = (await request.json().catch(() => undefined)) as Json | undefined;
    const skus = body?.skus;
    if (!Array.isArray(skus) || skus.some((sku) => typeof sku !== 'string'))
      return problem(400, 'Bad Request', 'skus must be an array of strings.', [
        { code: 'type', message: 'This is not an array of strings.', property: '.skus' },
      ]);
    const filter = (body?.filter ?? {}) as Json;
    const ids = Array.isArray(filter.stock_location_ids) ? (filter.stock_location_ids as unknown[]) : undefined;
    const included = (level: StoredStockLevel): boolean =>
      filter.all_stock_locations === true
        ? true
        : ids !== undefined
          ? ids.includes(level.stock_location_id)
          : level.stock_location_external_id === 'default';
    const grouped: Record<string, StoredStockLevel[]> = {};
    for (const sku of skus as string[]) {
      const levels = [...this.stockLevels.values()].filter((level) => level.sku === sku && included(level));
      if (levels.length > 0) grouped[sku] = levels.map((level) => structuredClone(level));
    }
    return json(grouped);
  }

  /**
   * POST /api/v1/price-lists (https://docs.sparklayer.io/developers/api/pricing/create-a-price-list.md): the fields
   * openapi.json marks required (slug, name, currency_code) must be non-blank strings and currency_code a valid ISO
   * 4217 code (any letter case here: the docs' request sends GBP, the legacy response shows gbp); `source`, when sent,
   * one of the document's values, else `custom`. A 400 problem when a list with the slug already exists or a rule's
   * `source_price_list_slug` names no list (the docs), and here also for a `tax_inclusive_display` that is not a
   * boolean or `rules` that is not an array of objects. Otherwise the list is stored as sent, so GET
   * /api/v2/price-lists lists it, and answered 200 with it (the legacy page's PriceList). The shape of the vendor's
   * 400 body is not documented: the fake answers problem details, as its other errors.
   */
  private async createPriceList(request: Request): Promise<Response> {
    const body = (await request.json().catch(() => undefined)) as unknown;
    const refuse = (detail: string, property: string, code = 'invalid') =>
      problem(400, 'Bad Request', detail, [{ code, message: detail, property }]);
    if (!isJsonObject(body)) return refuse('The body must be a JSON object.', '', 'type');
    for (const field of PRICE_LIST_CREATE.required) {
      const value = body[field];
      if (typeof value !== 'string' || value.trim() === '')
        return refuse(`${field} is required and must be a non-empty string.`, field, 'required');
    }
    const { slug, currency_code: currency, source, tax_inclusive_display: taxInclusive, rules } = body;
    if (!ISO_4217_CODES.has(String(currency).toUpperCase()))
      return refuse(`currency_code ${JSON.stringify(currency)} is not a valid ISO 4217 code.`, 'currency_code');
    if (source !== undefined && !PRICE_LIST_CREATE.properties.source.enum.includes(source as string))
      return refuse(
        `source must be one of ${PRICE_LIST_CREATE.properties.source.enum.join(', ')}, not ${JSON.stringify(source)}.`,
        'source',
      );
    if (taxInclusive !== undefined && typeof taxInclusive !== 'boolean')
      return refuse('tax_inclusive_display must be a boolean.', 'tax_inclusive_display', 'type');
    if (this.priceLists.some((list) => list.slug === slug))
      return refuse(`A price list with slug ${String(slug)} already exists.`, 'slug', 'duplicate');
    if (rules !== undefined) {
      if (!Array.isArray(rules) || !rules.every(isJsonObject))
        return refuse('rules must be an array of objects.', 'rules', 'type');
      for (const [index, rule] of rules.entries()) {
        const from = rule.source_price_list_slug;
        if (from !== undefined && !this.priceLists.some((list) => list.slug === from))
          return refuse(
            `Rule ${index}: source price list ${String(from)} does not exist.`,
            `rules[${index}].source_price_list_slug`,
            'not_found',
          );
      }
    }
    const list: Json = { ...body, source: source ?? PRICE_LIST_CREATE.properties.source.default };
    this.priceLists.push(list);
    return json(list);
  }

  /**
   * PATCH /api/v1/batch-update-pricing (https://docs.sparklayer.io/developers/api/pricing/update-pricing-for-multiple-price-lists.md,
   * fields from https://docs.sparklayer.io/tech-docs/update-pricing-for-multiple-price-lists): an array of
   * `{sku, price_list_slug, pricing: [{quantity, price}]}`. All or nothing: a 400 array of `{line, field, message}`
   * (PriceUpdateError[]) for every entry that is not an object, has no sku or price_list_slug (the legacy page does not
   * mark the slug required; the fake does), no pricing array, a break whose quantity or price is not a JSON number, or
   * breaks without one for quantity 1 (required by https://docs.sparklayer.io/developers/api/pricing/update-pricing-by-price-list.md);
   * then a 404 problem when a price_list_slug names no list (the docs). Otherwise each SKU and list pair's prices are
   * replaced by the ones sent ("existing prices are deleted then the supplied prices are inserted"), an empty pricing
   * removing them all (the docs' "quantity and price are blank", as JSON: unverified), pairs not sent unchanged. `line`
   * counts entries from 1 (the docs do not say: unverified). The legacy page answers 200 with a PriceList without
   * saying which: the fake answers the first entry's list, and 204 to an empty array (nothing to name).
   */
  private async batchUpdatePricing(request: Request): Promise<Response> {
    const body = (await request.json().catch(() => undefined)) as unknown;
    if (!Array.isArray(body))
      return problem(400, 'Bad Request', 'The body must be a JSON array of pricing entries.', [
        { code: 'type', message: 'This is not an array.', property: '' },
      ]);
    const errors: PriceUpdateError[] = [];
    const updates: Array<{ sku: string; slug: string; breaks: StoredPriceBreak[] }> = [];
    for (const [index, entry] of body.entries()) {
      const line = index + 1;
      const refuse = (field: string | null, message: string) => errors.push({ line, field, message });
      if (!isJsonObject(entry)) {
        refuse(null, 'The entry is not an object.');
        continue;
      }
      const { sku, price_list_slug: slug, pricing } = entry;
      if (typeof sku !== 'string' || sku.trim() === '') refuse('sku', 'sku is required.');
      if (typeof slug !== 'string' || slug.trim() === '') refuse('price_list_slug', 'price_list_slug is required.');
      if (!Array.isArray(pricing)) {
        refuse('pricing', 'pricing is required and must be an array.');
        continue;
      }
      const breaks: StoredPriceBreak[] = [];
      for (const [at, tier] of pricing.entries()) {
        if (!isJsonObject(tier)) {
          refuse(`pricing[${at}]`, 'The price break is not an object.');
          continue;
        }
        const { quantity, price } = tier;
        if (!isFiniteNumber(quantity)) refuse(`pricing[${at}].quantity`, 'quantity must be a number.');
        if (!isFiniteNumber(price)) refuse(`pricing[${at}].price`, 'price must be a number.');
        if (isFiniteNumber(quantity) && isFiniteNumber(price)) breaks.push({ ...tier, quantity, price });
      }
      if (pricing.length > 0 && !pricing.some((tier) => isJsonObject(tier) && tier.quantity === 1))
        refuse('pricing', 'A price for quantity 1 is required.');
      if (typeof sku === 'string' && typeof slug === 'string') updates.push({ sku, slug, breaks });
    }
    if (errors.length > 0) return json(errors, 400);
    const missing = [...new Set(updates.map((update) => update.slug))].filter(
      (slug) => !this.priceLists.some((list) => list.slug === slug),
    );
    if (missing.length > 0)
      return problem(404, 'Not Found', `No price list with slug ${missing.join(', ')}; no price was changed.`);
    for (const { sku, slug, breaks } of updates) {
      if (breaks.length === 0) this.prices.delete(pairKey(sku, slug));
      else this.prices.set(pairKey(sku, slug), breaks);
    }
    const [first] = updates;
    if (first === undefined) return new Response(null, { status: 204 });
    return json(this.priceLists.find((list) => list.slug === first.slug));
  }

  /**
   * GET /api/v1/price-lists/{slug}/pricing (https://docs.sparklayer.io/developers/api/pricing/get-pricing-by-price-list.md):
   * the prices PATCH /api/v1/batch-update-pricing stored on the list, "one entry per SKU and quantity break, ordered
   * by SKU" (here by code unit, then by break: SparkLayer's collation is not documented); 204 with no body when the
   * list has none, and 404 when it does not exist. The fake has no list rules, so nothing derived is left out.
   * UNVERIFIED: the docs read do not show an entry's fields; the fake answers `{sku, quantity, price}` (the fields of
   * the update rows, flat), each figure as it was sent.
   */
  private priceListPricing(slug: string): Response {
    if (!this.priceLists.some((list) => list.slug === slug))
      return problem(404, 'Not Found', `No price list with slug ${slug}.`);
    const entries: Array<{ sku: string; quantity: number; price: number }> = [];
    for (const [key, breaks] of this.prices) {
      const [sku, listSlug] = key.split('\u0000') as [string, string];
      if (listSlug !== slug) continue;
      for (const { quantity, price } of breaks) entries.push({ sku, quantity, price });
    }
    if (entries.length === 0) return new Response(null, { status: 204 });
    entries.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.quantity - b.quantity));
    return json(entries);
  }

  /** Shaped as https://docs.sparklayer.io/developers/api/pricing/get-price-lists-v2.md: lists in `data`, and `pagination`. */
  private listPriceLists(url: URL): Response {
    const page = Number(url.searchParams.get('page') ?? 1);
    const pageSize = Number(url.searchParams.get('page_size') ?? 50);
    if (
      !Number.isInteger(page) ||
      page < 1 ||
      !Number.isInteger(pageSize) ||
      pageSize < 1 ||
      pageSize > PRICE_LISTS_MAX_PAGE_SIZE
    ) {
      return problem(400, 'Invalid query', `page must be 1 or more and page_size 1 to ${PRICE_LISTS_MAX_PAGE_SIZE}.`);
    }
    const totalPages = Math.max(1, Math.ceil(this.priceLists.length / pageSize));
    return json({
      data: this.priceLists.slice((page - 1) * pageSize, page * pageSize),
      pagination: { total: this.priceLists.length, per_page: pageSize, current_page: page, total_pages: totalPages },
    });
  }
}

/**
 * The query parameters openapi.json documents for GET /api/v1/purchases (getPurchases), read through the exporters'
 * reader so a `$ref` parameter counts too; Site-Id is a header. Read once, when this module loads: the fake enforces
 * whatever names the document holds, nothing typed again here.
 */
const PURCHASE_LIST_PARAMETERS: readonly string[] = (() => {
  const operation = readOpenApi(openapi).operations.find((candidate) => candidate.operationId === 'getPurchases');
  if (operation === undefined) throw new Error('connectors/sparklayer/openapi.json has no getPurchases operation');
  return operation.parameters.query.map((parameter) => parameter.name);
})();

/**
 * The date a filter name ranges over, as a purchase carries it. The only documented response that spells its dates out
 * (https://docs.sparklayer.io/tech-docs/lMM2-get-purchase) has `dates.updated_at` and `dates.placed_at`; the legacy
 * filter names (https://docs.sparklayer.io/tech-docs/gm4P-get-purchase) say `last_updated` and `placed`, keys no
 * documented response carries. So `dates[last_updated][…]` ranges over `dates.updated_at` and `dates[placed][…]` over
 * `dates.placed_at` (which date SparkLayer itself compares is not documented: unverified), and a purchase carrying only
 * the legacy keys matches no range, as it would not in the documented responses.
 */
export const DATE_FILTER_FIELDS: Readonly<Record<string, string>> = { last_updated: 'updated_at', placed: 'placed_at' };

/**
 * The date filters openapi.json documents, each with the purchase date it compares (DATE_FILTER_FIELDS) and its
 * bound; a purchase without that date (a cart has not been placed) matches no range on it. A documented filter name
 * with no field here fails when this module loads, rather than filtering on a key no purchase has.
 */
const DATE_FILTERS: Record<string, { field: string; bound: 'gte' | 'lte' }> = Object.fromEntries(
  PURCHASE_LIST_PARAMETERS.flatMap((name) => {
    const match = /^dates\[(\w+)\]\[(gte|lte)\]$/.exec(name);
    if (!match) return [];
    const field = DATE_FILTER_FIELDS[match[1]!];
    if (field === undefined)
      throw new Error(`the fake SparkLayer does not know which purchase date ${name} ranges over`);
    return [[name, { field, bound: match[2] as 'gte' | 'lte' }]];
  }),
);

/** ISO 8601 date-time with an offset (Z or ±hh:mm), a real calendar date and time: the instant, else undefined. */
function parseDateTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))$/i.exec(
    value,
  );
  if (!match) return undefined;
  // Seconds and a Z offset are optional in the pattern: an absent part counts as 0.
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match
    .slice(1)
    .map((part) => Number(part ?? 0)) as [number, number, number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const valid =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59;
  const at = Date.parse(value);
  return valid && !Number.isNaN(at) ? at : undefined;
}

/** The key of a SKU and a stock location id (`stockLevels`) or a price list slug (`prices`). */
export function pairKey(sku: string, other: string): string {
  return `${sku}\u0000${other}`;
}

/**
 * The body of POST /api/v1/price-lists as openapi.json declares it (PriceListCreate): the fake requires its
 * `required` fields and takes its `source` values and default, nothing typed again here.
 */
const PRICE_LIST_CREATE = openapi.components.schemas.PriceListCreate;

/** ISO 4217 codes, as the runtime knows them (Intl), upper case. */
const ISO_4217_CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

function isJsonObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

const CUSTOMER_LOOKUP_FIELDS: Record<string, string> = { sparklayer: 'id', platform: 'external_id', email: 'email' };

function identifiers(purchase: Json): Record<string, unknown> {
  return (purchase.purchase_identifiers ?? {}) as Record<string, unknown>;
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

function problem(status: number, title: string, detail: string, errors?: Json[]): Response {
  return new Response(JSON.stringify({ title, status, detail, ...(errors ? { errors } : {}) }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}

function notFound(url: URL): Response {
  return problem(404, 'Not Found', `Nothing at ${url.pathname}.`);
}

/** The sandbox's data: the SparkLayer fixtures under fixtures/sparklayer (their provenance is checked on load). */
export async function sandboxDataFromFixtures(root: string): Promise<SandboxData> {
  const body = async (file: string) => (await loadFixture(root, `fixtures/sparklayer/${file}`)).body;
  const pages = [
    (await body('price-lists/list.page-1.json')) as unknown,
    (await body('price-lists/list.page-2.json')) as unknown,
  ];
  return {
    purchases: (await body('purchases/list.all-types.json')) as Json[],
    customers: [
      (await body('customers/get.primary.json')) as Json,
      (await body('customers/get.sub-account.json')) as Json,
    ],
    priceLists: pages.flatMap((page) => priceListPageSchema.parse(page).items as Json[]),
    transactions: (await body('purchases/transactions.list.json')) as Json[],
  };
}
