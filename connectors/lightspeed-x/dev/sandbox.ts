/**
 * A fake Lightspeed Retail (X-Series) for tests, the local runner and the throughput benchmark. It speaks the Fetch
 * API (Request in, Response out), so msw, a loopback HTTP server (contracts/hosts.ts) or an in-process
 * `fetch` (`inProcessFetch`) can all host it.
 *
 * What it enforces, as X-Series documents it:
 * - OAuth 2.0 refresh with ROTATION: POST /api/1.0/token, form-encoded, grant_type=refresh_token with the client ID and
 *   secret; each success issues a new access token and a new refresh token and revokes the refresh token used, so
 *   sending it again is refused (https://x-series-api.lightspeedhq.com/changelog/2025-03-refresh-token-flow-update,
 *   https://x-series-api.lightspeedhq.com/docs/request_format).
 * - Bearer access tokens on every API request, expiring after `accessTokenTtlSeconds` by the sandbox clock; 401
 * otherwise.
 * - The rate limit (https://x-series-api.lightspeedhq.com/docs/rate_limiting): a request budget per window (350 per
 *   300 s by default: one register; both configurable so a test can scale them down), fixed windows on the sandbox
 *   clock, X-RateLimit-Limit and X-RateLimit-Remaining on every counted answer, and beyond the budget a 429
 *   {"error":"Too Many Requests","message":"Rate limiting enforced"} whose Retry-After is the HTTP date (RFC 1123) the
 *   window ends, rounded up to the whole second an HTTP date can express. Only authorized requests count.
 * - Sales (https://x-series-api.lightspeedhq.com/docs/sales_101_date_versioned): source.author_id and state required;
 *   line items need product.id (a live product), quantity, pricing.price, tax.id and tax.amount (unit tax); a client
 *   may supply the sale id; states parked|pending|voided|closed; onaccount/layby and pickup/delivery are mutually
 *   exclusive (https://x-series-api.lightspeedhq.com/docs/sales_states_and_attributes). Totals are computed in decimal.
 * - /search for customers (customer_code, email), products (sku values compared lower-cased, as X-Series asks the
 *   caller to send them; variant_parent_id; deleted) and sales (state, date_from: UNVERIFIED, openapi.json), paged
 *   by offset and page_size (≤ 1000); customer groups paged by version cursor; POST /inventory_levels paged by offset
 *   and size.
 * - Inventory records, POST /inventory (ListInventoryRecords in https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml,
 *   the replacement of the deprecated GET /api/2.0/inventory): a JSON body of `after` and `before` (versions),
 *   `size` (1 to 5000, default 1000), `include_deleted` (records of deleted products only when true), `sort_direction`
 *   (asc|desc, default desc), `product_id` and `variants` (the whole family of a root product id); a bare array of
 *   records in `version` order (https://x-series-api.lightspeedhq.com/docs/pagination). A `size` over 5000, or a
 *   field of the wrong type or out of its enum, is a 400. Products, GET /products: version cursor (`after`,
 *   `page_size`, `deleted`), or the products with one `sku`, every other parameter ignored.
 * - Price books, GET /price_books (ListPriceBooksV3: version cursor, `deleted`, `customer_group_id` matched against a
 *   book's customer_group_ids), and their products, GET /price_book_products (ListPriceBookProducts: version cursor
 *   over every book's products), in https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml; the 3.0 price
 *   books "use the same pagination/versioning concepts as 2.0"
 *   (https://x-series-api.lightspeedhq.com/changelog/2023-06-3-0-price-books-api). Illustrative: the price book
 *   products' list leaves out none with a deleted_at (the document gives it no `deleted` parameter: UNVERIFIED).
 * - Price book writes (same document): POST /price_books (CreatePriceBookV3) and PUT /price_books/{id}
 *   (UpdatePriceBookV3) need name, customer_group_ids and outlet_ids; POST and PATCH
 *   /price_books/{price_book_id}/products (AddPriceBookProducts, UpdatePriceBookProducts,
 *   UpdatePriceBookProductsWithPutOp) take `{data: [...]}` of at most 100 entries, each with product_id, price and
 *   tax_id; DELETE there takes `{data: {price_book_product_ids}}`, at most 100. An unknown book is a 404; what is
 *   written is read back through GET /price_book_products. What the document leaves open is marked where it happens.
 *
 * What X-Series does not document, and the sandbox decides (illustrative, marked where it happens): the error bodies'
 * wording; POST /inventory refuses a body field ListInventoryRecords does not take (e.g. inventory_levels' `offset`),
 * sorts by `version`, and treats a record as deleted when its product is; POST /sales with an id that already exists
 * is refused with 409; PUT /sales/{id} keeps existing line items the body does not mention and adds lines without an
 * id. Queued faults (429, 5xx, a dropped connection) play after authorization and the limiter.
 */
import Big from 'big.js';
import { exactJsonNumber, toDecimal, type Decimal } from '../../../model/money.js';
import { FaultPlan, type InjectedFault, type SandboxAnswer } from '../../../contracts/faults.js';
import { loadFixture } from '../../../contracts/fixtures.js';
import type { FakeApi } from '../../../contracts/hosts.js';
import { LIGHTSPEED_X_API_VERSION, type LightspeedXConfig } from './config.js';
import { SALE_NOT_FOUND } from '../sale-id.js';
import { isJsonObject } from '../../../runtime/json-object.js';

/** Not secrets: the sandbox's own made-up store and credentials, so tests and `npm start` need none. */
export const SANDBOX_DOMAIN_PREFIX = 'sandbox-store';
export const SANDBOX_BASE_URL = 'https://sandbox-store.retail.lightspeed.invalid/api';
export const SANDBOX_CREDENTIALS = {
  clientId: 'sandbox-client-id',
  clientSecret: 'sandbox-client-secret',
  refreshToken: 'sandbox-refresh-token-0',
};

export function sandboxConfig(overrides: Partial<LightspeedXConfig> = {}): LightspeedXConfig {
  return {
    domainPrefix: SANDBOX_DOMAIN_PREFIX,
    baseUrl: SANDBOX_BASE_URL,
    environment: 'custom',
    ...SANDBOX_CREDENTIALS,
    apiVersion: LIGHTSPEED_X_API_VERSION,
    ...overrides,
  };
}

type Json = Record<string, unknown>;

export interface SandboxData {
  customers: Json[];
  customerGroups?: Json[];
  /** Products as X-Series returns them (id, sku, has_variants, variant_parent_id, deleted_at, is_active…). */
  products: Json[];
  /** Inventory levels (product_id, location_id, current_inventory_level). */
  inventory?: Json[];
  /** Inventory records, POST /inventory (id, product_id, outlet_id, current_inventory_level, deleted_at, version). */
  inventoryRecords?: Json[];
  sales?: Json[];
  /** Price books, GET /price_books (id, name, customer_group_ids, valid_from, valid_to, deleted_at, version). */
  priceBooks?: Json[];
  /** Price book products, GET /price_book_products (price_book_id, product_id, price, min_units, version). */
  priceBookProducts?: Json[];
  /** Tax ids the store has; a line naming another is refused. Empty: any tax id. */
  taxIds?: string[];
}

export interface SandboxOptions {
  credentials?: { clientId: string; clientSecret: string; refreshToken: string };
  now?: () => number;
  /** Requests per window; default 350 per 300 000 ms (one register). */
  rateLimit?: { budget: number; windowMs: number };
  accessTokenTtlSeconds?: number;
  baseUrl?: string;
}

export class LightspeedXSandbox implements FakeApi {
  readonly customers: Json[];
  readonly customerGroups: Json[];
  readonly products: Json[];
  readonly inventory: Json[];
  readonly inventoryRecords: Json[];
  readonly sales: Json[];
  readonly priceBooks: Json[];
  readonly priceBookProducts: Json[];
  /** Every call as `METHOD /path?query`, the path under /api, in order. */
  readonly calls: string[] = [];
  /** Refresh tokens as they were presented to the token endpoint, in order (for rotation tests). */
  readonly presentedRefreshTokens: string[] = [];
  /** Requests the limiter refused with 429. */
  rejected = 0;
  /** Requests the limiter counted. */
  accepted = 0;
  readonly budget: number;
  readonly windowMs: number;
  private readonly taxIds: ReadonlySet<string>;
  /** Faults to play (contracts/faults.ts); `failNext` is the shorthand. */
  readonly faults = new FaultPlan();
  private readonly windows = new Map<number, number>();
  private readonly accessTokens = new Map<string, number>();
  private readonly revokedRefreshTokens = new Set<string>();
  private refreshToken: string;
  private readonly credentials: { clientId: string; clientSecret: string };
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly basePath: string;
  private tokenCount = 0;
  private idCount = 0;
  private version = 5_000_000;

  constructor(data: SandboxData, options: SandboxOptions = {}) {
    this.customers = structuredClone(data.customers);
    this.customerGroups = structuredClone(data.customerGroups ?? []);
    this.products = structuredClone(data.products);
    this.inventory = structuredClone(data.inventory ?? []);
    this.inventoryRecords = structuredClone(data.inventoryRecords ?? []);
    this.sales = structuredClone(data.sales ?? []);
    this.priceBooks = structuredClone(data.priceBooks ?? []);
    this.priceBookProducts = structuredClone(data.priceBookProducts ?? []);
    this.taxIds = new Set(data.taxIds ?? []);
    const credentials = options.credentials ?? SANDBOX_CREDENTIALS;
    this.credentials = { clientId: credentials.clientId, clientSecret: credentials.clientSecret };
    this.refreshToken = credentials.refreshToken;
    this.now = options.now ?? Date.now;
    this.budget = options.rateLimit?.budget ?? 350;
    this.windowMs = options.rateLimit?.windowMs ?? 300_000;
    this.ttlMs = (options.accessTokenTtlSeconds ?? 86_400) * 1000;
    this.basePath = new URL(options.baseUrl ?? SANDBOX_BASE_URL).pathname.replace(/\/+$/, '');
  }

  /** Plays a fault for the next `times` calls of a route, e.g. `POST /2026-07/sales`. */
  failNext(route: string, fault: InjectedFault, times = 1): void {
    this.faults.add(route, fault, { times });
  }

  /** Every access token issued so far stops working (the next API call answers 401). */
  expireAccessTokens(): void {
    for (const token of this.accessTokens.keys()) this.accessTokens.set(token, Number.NEGATIVE_INFINITY);
  }

  /** The refresh token the store would accept now. */
  get currentRefreshToken(): string {
    return this.refreshToken;
  }

  /** The most requests the limiter counted in any one window. */
  maxInWindow(): number {
    return Math.max(0, ...this.windows.values());
  }

  saleById(id: string): Json | undefined {
    return this.sales.find((sale) => sale.id === id);
  }

  async handle(request: Request): Promise<SandboxAnswer> {
    const url = new URL(request.url);
    const path = url.pathname.startsWith(this.basePath) ? url.pathname.slice(this.basePath.length) : url.pathname;
    const route = `${request.method} ${path}`;
    this.calls.push(`${route}${url.search}`);
    if (path === '/1.0/token') return request.method === 'POST' ? this.token(request) : notFound(path);

    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    const expiresAt = token === undefined ? undefined : this.accessTokens.get(token);
    if (expiresAt === undefined || this.now() >= expiresAt) {
      return error(401, 'Unauthorized', 'Authentication information is missing or invalid.');
    }

    const limited = this.count();
    if (limited.refused) return limited.refused;
    const answer = await this.faults.play(request.method, path, () => this.route(request, url, path));
    if (answer === 'network-error') return answer;
    answer.headers.set('X-RateLimit-Limit', String(this.budget));
    answer.headers.set('X-RateLimit-Remaining', String(limited.remaining));
    return answer;
  }

  // The limiter -----------------------------------------------------------------------------------------

  private count(): { refused?: Response; remaining: number } {
    const index = Math.floor(this.now() / this.windowMs);
    const used = this.windows.get(index) ?? 0;
    if (used >= this.budget) {
      this.rejected += 1;
      // An HTTP date has whole seconds: round the window's end up so a client waiting until then is in the next one.
      const retryAt = Math.ceil(((index + 1) * this.windowMs) / 1000) * 1000;
      return {
        refused: json({ error: 'Too Many Requests', message: 'Rate limiting enforced' }, 429, {
          'Retry-After': new Date(retryAt).toUTCString(),
          'X-RateLimit-Limit': String(this.budget),
          'X-RateLimit-Remaining': '0',
        }),
        remaining: 0,
      };
    }
    this.windows.set(index, used + 1);
    this.accepted += 1;
    return { remaining: this.budget - used - 1 };
  }

  // OAuth -----------------------------------------------------------------------------------------------

  private async token(request: Request): Promise<Response> {
    const form = new URLSearchParams(await request.text());
    const presented = form.get('refresh_token') ?? '';
    this.presentedRefreshTokens.push(presented);
    if (!/^application\/x-www-form-urlencoded/i.test(request.headers.get('content-type') ?? '')) {
      return json({ error: 'invalid_request', message: 'OAuth requests are application/x-www-form-urlencoded.' }, 400);
    }
    if (
      form.get('client_id') !== this.credentials.clientId ||
      form.get('client_secret') !== this.credentials.clientSecret
    ) {
      return json({ error: 'invalid_client', message: 'Unknown client or wrong secret.' }, 401);
    }
    if (form.get('grant_type') !== 'refresh_token')
      return json({ error: 'unsupported_grant_type', message: 'Use grant_type=refresh_token.' }, 400);
    if (this.revokedRefreshTokens.has(presented)) {
      return json(
        { error: 'invalid_grant', message: 'The refresh token has been revoked: a newer one was issued.' },
        400,
      );
    }
    if (presented !== this.refreshToken)
      return json({ error: 'invalid_grant', message: 'Unknown refresh token.' }, 400);

    this.tokenCount += 1;
    const accessToken = `sandbox-access-token-${this.tokenCount}`;
    const refreshToken = `sandbox-refresh-token-${this.tokenCount}`;
    this.revokedRefreshTokens.add(presented);
    this.refreshToken = refreshToken;
    this.accessTokens.set(accessToken, this.now() + this.ttlMs);
    return json({
      access_token: accessToken,
      token_type: 'Bearer',
      expires: Math.floor((this.now() + this.ttlMs) / 1000),
      expires_in: Math.floor(this.ttlMs / 1000),
      refresh_token: refreshToken,
      domain_prefix: SANDBOX_DOMAIN_PREFIX,
      scope: '',
    });
  }

  // Routes ----------------------------------------------------------------------------------------------

  private async route(request: Request, url: URL, path: string): Promise<Response> {
    const prefix = `/${LIGHTSPEED_X_API_VERSION}/`;
    if (!path.startsWith(prefix)) return notFound(path);
    const [resource, id, extra] = path.slice(prefix.length).split('/');
    const method = request.method;
    if (resource === 'price_books' && id !== undefined && extra === 'products')
      return this.priceBookProductsWrite(request, decodeURIComponent(id));
    if (extra !== undefined) return notFound(path);
    if (resource === 'search' && method === 'GET' && id === undefined) return this.search(url);
    if (resource === 'customer_groups' && method === 'GET' && id === undefined)
      return this.byVersion(this.customerGroups, url);
    if (resource === 'inventory_levels' && method === 'POST' && id === undefined) return this.inventoryLevels(request);
    if (resource === 'inventory' && method === 'POST' && id === undefined) return this.inventoryRecordsPage(request);
    if (resource === 'products' && method === 'GET' && id === undefined) return this.listProducts(url);
    if (resource === 'price_books' && method === 'GET' && id === undefined) return this.listPriceBooks(url);
    if (resource === 'price_books' && method === 'POST' && id === undefined)
      return this.writePriceBook(await readJson(request), undefined);
    if (resource === 'price_books' && method === 'PUT' && id !== undefined)
      return this.writePriceBook(await readJson(request), decodeURIComponent(id));
    if (resource === 'price_book_products' && method === 'GET' && id === undefined) {
      // No `deleted` parameter on this list: every product of every book, deleted ones too (illustrative).
      const all = new URL(url);
      all.searchParams.set('deleted', 'true');
      return this.byVersion(this.priceBookProducts, all);
    }
    if (resource === 'customers') {
      if (method === 'GET' && id !== undefined) {
        const customer = this.customers.find((c) => c.id === id);
        return customer ? json({ data: customer }) : error(404, 'Not Found', 'Customer not found');
      }
      if (method === 'POST' && id === undefined) return this.createCustomer(request);
    }
    if (resource === 'sales') {
      if (method === 'POST' && id === undefined) return this.writeSale(await readJson(request), undefined);
      const stored = id === undefined ? undefined : this.saleById(decodeURIComponent(id));
      if (method === 'GET' && id !== undefined) return stored ? json({ data: stored }) : json(SALE_NOT_FOUND, 404);
      if (method === 'PUT' && id !== undefined)
        return stored ? this.writeSale(await readJson(request), stored) : json(SALE_NOT_FOUND, 404);
    }
    return notFound(path);
  }

  private search(url: URL): Response {
    const params = url.searchParams;
    const type = params.get('type');
    const pageSize = Math.min(1000, Number(params.get('page_size') ?? 1000));
    const offset = Number(params.get('offset') ?? 0);
    if (!Number.isInteger(pageSize) || pageSize < 1 || !Number.isInteger(offset) || offset < 0)
      return error(400, 'Bad Request', 'page_size and offset must be whole numbers.');
    const withDeleted = params.get('deleted') === 'true';
    const live = (record: Json) => withDeleted || record.deleted_at === undefined || record.deleted_at === null;
    let found: Json[];
    if (type === 'customers') {
      const code = params.get('customer_code');
      const email = params.get('email')?.toLowerCase();
      found = this.customers.filter(
        (c) =>
          live(c) &&
          (code === null || c.customer_code === code) &&
          (email === undefined || String(c.email ?? '').toLowerCase() === email),
      );
    } else if (type === 'products') {
      const skus = params.getAll('sku');
      const parents = params.getAll('variant_parent_id');
      // X-Series asks for lower-cased SKU values: an upper-case value matches nothing.
      found = this.products.filter(
        (p) =>
          live(p) &&
          (skus.length === 0 || skus.includes(String(p.sku ?? '').toLowerCase())) &&
          (parents.length === 0 || parents.includes(String(p.variant_parent_id ?? ''))),
      );
    } else if (type === 'sales') {
      // Sales by state (the stock flow's open parked sales) and date_from (the fulfilment flow's recent sales: the
      // sale's `date`, a legacy return's `sale_date`, on or after it); the other sale criteria are not played. An
      // unreadable date_from is refused (X-Series' answer to one is not documented).
      const state = params.get('state');
      const dateFrom = params.get('date_from');
      const from = dateFrom === null ? undefined : Date.parse(dateFrom);
      if (from !== undefined && Number.isNaN(from))
        return error(400, 'Bad Request', 'date_from must be an ISO 8601 date-time.');
      found = this.sales.filter(
        (sale) =>
          live(sale) &&
          (state === null || sale.state === state) &&
          (from === undefined || Date.parse(String(sale.date ?? sale.sale_date)) >= from),
      );
    } else {
      return error(400, 'Bad Request', 'type must be sales, products or customers.');
    }
    return json({ data: found.slice(offset, offset + pageSize) });
  }

  /**
   * A version-cursor page (https://x-series-api.lightspeedhq.com/docs/pagination): the records of a version above
   * `after` (0 when left out), oldest first, at most `page_size`; `version` holds "the lowest and highest version
   * number of resources included in the response". Illustrative: the default page_size of 100 (the OpenAPI document
   * gives none), the 400 for an `after` or `page_size` that is not a whole number, and, UNVERIFIED (no page shows an
   * empty page), `version` min and max null on a page with no resources.
   */
  private byVersion(records: Json[], url: URL): Response {
    const after = Number(url.searchParams.get('after') ?? 0);
    const pageSize = Number(url.searchParams.get('page_size') ?? 100);
    if (!Number.isSafeInteger(after) || after < 0 || !Number.isSafeInteger(pageSize) || pageSize < 1)
      return error(400, 'Bad Request', 'after and page_size must be whole numbers.');
    const withDeleted = url.searchParams.get('deleted') === 'true';
    const page = records
      .filter(
        (r) => Number(r.version ?? 0) > after && (withDeleted || r.deleted_at === undefined || r.deleted_at === null),
      )
      .sort((a, b) => Number(a.version) - Number(b.version))
      .slice(0, pageSize);
    const versions = page.map((r) => Number(r.version));
    return json({
      data: page,
      version: {
        max: versions.length ? Math.max(...versions) : null,
        min: versions.length ? Math.min(...versions) : null,
      },
    });
  }

  private async inventoryLevels(request: Request): Promise<Response> {
    const body = await readJson(request);
    const ids = Array.isArray(body.product_ids) ? (body.product_ids as unknown[]).map(String) : undefined;
    if (ids !== undefined && ids.length > 1000) return error(400, 'Bad Request', 'At most 1000 product_ids.');
    const offset = Number(body.offset ?? 0);
    const size = Math.min(10_000, Number(body.size ?? 100));
    const rows = this.inventory.filter((row) => ids === undefined || ids.includes(String(row.product_id)));
    return json(rows.slice(offset, offset + size));
  }

  /** The products as ListProducts sees them: one per id, its latest version (the fixtures hold 0005 before and after
   * its deletion). */
  private latestProducts(): Json[] {
    const latest = new Map<unknown, Json>();
    for (const product of this.products) {
      const kept = latest.get(product.id);
      if (kept === undefined || Number(product.version ?? 0) >= Number(kept.version ?? 0))
        latest.set(product.id, product);
    }
    return [...latest.values()];
  }

  private listProducts(url: URL): Response {
    const sku = url.searchParams.get('sku');
    // "sku ... Note that all other query params are ignored if this is provided."
    if (sku !== null) return json({ data: this.latestProducts().filter((p) => p.sku === sku) });
    return this.byVersion(this.latestProducts(), url);
  }

  private listPriceBooks(url: URL): Response {
    const group = url.searchParams.get('customer_group_id');
    const books =
      group === null
        ? this.priceBooks
        : this.priceBooks.filter(
            (book) => Array.isArray(book.customer_group_ids) && book.customer_group_ids.includes(group),
          );
    return this.byVersion(books, url);
  }

  /** A live (not deleted) price book by id. */
  private livePriceBook(id: string): Json | undefined {
    return this.priceBooks.find(
      (book) => book.id === id && (book.deleted_at === undefined || book.deleted_at === null),
    );
  }

  /**
   * POST /price_books (CreatePriceBookV3) or PUT /price_books/{id} (UpdatePriceBookV3): name, customer_group_ids and
   * outlet_ids required (PriceBookCreateRequest, PriceBookUpdateRequest). Illustrative: a customer group id the
   * store does not have is refused, an unknown book is a 404, a new book's type is GENERAL (as the vendor's example of
   * a book that is not the store's base book) and the answer is 200 with the book, as the document says.
   */
  private writePriceBook(body: Json, id: string | undefined): Response {
    const existing = id === undefined ? undefined : this.livePriceBook(id);
    if (id !== undefined && existing === undefined) return error(404, 'Not Found', 'Price book not found');
    if (typeof body.name !== 'string' || body.name.trim() === '') return error(400, 'Bad Request', 'name is required.');
    const strings = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string');
    for (const key of ['customer_group_ids', 'outlet_ids'])
      if (!strings(body[key])) return error(400, 'Bad Request', `${key} is required: an array of ids.`);
    const unknownGroup = (body.customer_group_ids as string[]).find(
      (g) => !this.customerGroups.some((c) => c.id === g),
    );
    if (unknownGroup !== undefined) return error(400, 'Bad Request', `Unknown customer group ${unknownGroup}.`);
    for (const key of ['restrict_to_platform', 'valid_from', 'valid_to'])
      if (body[key] !== undefined && body[key] !== null && typeof body[key] !== 'string')
        return error(400, 'Bad Request', `${key} must be text or null.`);
    if (body.restrict_to_platform !== undefined && body.restrict_to_platform !== null)
      if (!['0', '1', '2'].includes(body.restrict_to_platform as string))
        return error(400, 'Bad Request', 'restrict_to_platform must be "0", "1" or "2".');
    const book: Json = {
      ...(existing ?? { id: this.newId(), type: 'GENERAL' }),
      name: body.name,
      customer_group_ids: [...(body.customer_group_ids as string[])],
      customer_groups: this.customerGroups.filter((g) =>
        (body.customer_group_ids as string[]).includes(g.id as string),
      ),
      outlets: (body.outlet_ids as string[]).map((outlet) => ({ id: outlet })),
      restrict_to_platform_key: body.restrict_to_platform ?? existing?.restrict_to_platform_key ?? '0',
      valid_from: body.valid_from ?? null,
      valid_to: body.valid_to ?? null,
      version: this.nextVersion(),
    };
    if (existing === undefined) this.priceBooks.push(book);
    else this.priceBooks.splice(this.priceBooks.indexOf(existing), 1, book);
    return json({ data: book });
  }

  /**
   * /price_books/{price_book_id}/products: POST adds (AddPriceBookProducts), PATCH updates
   * (UpdatePriceBookProducts), DELETE deletes by price_book_product_ids
   * (DeletePriceBookProducts). At most 100 entries or ids a request; each entry needs product_id, price (a number) and
   * tax_id; an unknown book is a 404. Stored entries are read back through GET /price_book_products with a new
   * version. Illustrative (the document does not say): a product that is not a live product is refused; adding a
   * second entry for the same product and min_units is refused; an update finds its entry by `id`, else by product_id
   * and min_units, and one it cannot find is refused; min_units / max_units must be numbers or null; a delete sets
   * deleted_at.
   */
  private async priceBookProductsWrite(request: Request, bookId: string): Promise<Response> {
    const method = request.method;
    if (!['POST', 'PATCH', 'DELETE'].includes(method)) return notFound(`/price_books/${bookId}/products`);
    if (this.livePriceBook(bookId) === undefined) return error(404, 'Not Found', 'Price book not found');
    const body = await readJson(request);
    const live = (entry: Json) => entry.price_book_id === bookId && (entry.deleted_at ?? null) === null;
    const done = (what: string) => json({ data: { message: `Price book products ${what} successfully.` } });
    if (method === 'DELETE') {
      const ids = isJsonObject(body.data) ? body.data.price_book_product_ids : undefined;
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string'))
        return error(400, 'Bad Request', 'data.price_book_product_ids is required.');
      if (ids.length > 100)
        return error(400, 'Bad Request', 'You may not delete more than 100 price book products at a time.');
      const found = ids.map((id) => this.priceBookProducts.find((entry) => entry.id === id && live(entry)));
      const missing = ids.filter((_id, at) => found[at] === undefined);
      if (missing.length > 0) return error(400, 'Bad Request', `Unknown price book product(s): ${missing.join(', ')}.`);
      const at = new Date(this.now()).toISOString();
      for (const entry of found as Json[]) Object.assign(entry, { deleted_at: at, version: this.nextVersion() });
      return done('deleted');
    }
    if (!Array.isArray(body.data))
      return error(400, 'Bad Request', 'data is required: an array of price book products.');
    if (body.data.length > 100)
      return error(400, 'Bad Request', 'The request body may not contain more than 100 price book products.');
    const products = new Map(this.latestProducts().map((p) => [p.id, p]));
    // Illustrative: min_units absent, null, 0 or 1 all price from the first unit.
    const units = (value: unknown) => (value === undefined || value === null || value === 0 ? 1 : value);
    const problems: string[] = [];
    const writes: Array<{ entry: Json; target: Json | undefined }> = [];
    for (const [index, entry] of (body.data as unknown[]).entries()) {
      const where = `data[${index}]`;
      if (!isJsonObject(entry)) {
        problems.push(`${where} is not an object`);
        continue;
      }
      if (typeof entry.product_id !== 'string' || entry.product_id === '')
        problems.push(`${where}.product_id is required`);
      else {
        const product = products.get(entry.product_id);
        if (product === undefined || (product.deleted_at ?? null) !== null)
          problems.push(`${where}.product_id ${entry.product_id} is not a product`);
      }
      if (typeof entry.price !== 'number' || !Number.isFinite(entry.price)) problems.push(`${where}.price is required`);
      if (typeof entry.tax_id !== 'string' || entry.tax_id === '') problems.push(`${where}.tax_id is required`);
      else if (this.taxIds.size > 0 && !this.taxIds.has(entry.tax_id))
        problems.push(`${where}.tax_id ${entry.tax_id} is not a tax`);
      for (const key of ['min_units', 'max_units'])
        if (entry[key] !== undefined && entry[key] !== null && typeof entry[key] !== 'number')
          problems.push(`${where}.${key} must be a number or null`);
      const same = (stored: Json) =>
        live(stored) && stored.product_id === entry.product_id && units(stored.min_units) === units(entry.min_units);
      const target =
        method === 'POST'
          ? undefined
          : typeof entry.id === 'string'
            ? this.priceBookProducts.find((stored) => stored.id === entry.id && live(stored))
            : this.priceBookProducts.find(same);
      if (method === 'POST' && this.priceBookProducts.some(same))
        problems.push(`${where}: product ${String(entry.product_id)} already has a price from these min_units`);
      if (method !== 'POST' && target === undefined) problems.push(`${where} is not in the price book`);
      writes.push({ entry, target });
    }
    if (problems.length > 0) return error(400, 'Bad Request', `${problems.join('; ')}.`);
    for (const { entry, target } of writes) {
      const stored: Json = {
        ...(target ?? { id: this.newId(), created_at: new Date(this.now()).toISOString() }),
        ...entry,
        price_book_id: bookId,
        updated_at: new Date(this.now()).toISOString(),
        version: this.nextVersion(),
      };
      if (target === undefined) this.priceBookProducts.push(stored);
      else Object.assign(target, stored);
    }
    return done(method === 'POST' ? 'added' : 'updated');
  }

  private async inventoryRecordsPage(request: Request): Promise<Response> {
    const parsed = (await request.json().catch(() => undefined)) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      return error(400, 'Bad Request', 'The body must be a JSON object.');
    const body = parsed as Json;
    const known = ['after', 'before', 'include_deleted', 'product_id', 'size', 'sort_direction', 'variants'];
    // Illustrative: X-Series does not document its answer to a field the operation does not take.
    const unknown = Object.keys(body).filter((key) => !known.includes(key));
    if (unknown.length > 0) return error(400, 'Bad Request', `Unknown field(s): ${unknown.join(', ')}.`);
    const version = (key: string) =>
      body[key] === undefined || (Number.isSafeInteger(body[key]) && (body[key] as number) >= 0);
    if (!version('after') || !version('before'))
      return error(400, 'Bad Request', 'after and before must be whole numbers (versions).');
    const size = body.size ?? 1000;
    if (!Number.isInteger(size) || (size as number) < 1 || (size as number) > 5000)
      return error(400, 'Bad Request', 'size must be a whole number from 1 to 5000.');
    for (const key of ['include_deleted', 'variants'])
      if (body[key] !== undefined && typeof body[key] !== 'boolean')
        return error(400, 'Bad Request', `${key} must be true or false.`);
    const direction = body.sort_direction ?? 'desc';
    if (direction !== 'asc' && direction !== 'desc')
      return error(400, 'Bad Request', 'sort_direction must be asc or desc.');
    if (body.product_id !== undefined && typeof body.product_id !== 'string')
      return error(400, 'Bad Request', 'product_id must be a product id.');

    const products = new Map(this.latestProducts().map((p) => [p.id, p]));
    const deleted = (value: unknown) => value !== undefined && value !== null && value !== '';
    const root = (id: unknown) => {
      const parent = products.get(id)?.variant_parent_id;
      return typeof parent === 'string' && parent !== '' ? parent : id;
    };
    const after = (body.after as number | undefined) ?? 0;
    const before = body.before as number | undefined;
    const rows = this.inventoryRecords
      .filter((row) => {
        const at = Number(row.version);
        if (at <= after || (before !== undefined && at >= before)) return false;
        if (body.product_id !== undefined) {
          const matches =
            body.variants === true ? root(row.product_id) === body.product_id : row.product_id === body.product_id;
          if (!matches) return false;
        }
        return (
          body.include_deleted === true ||
          !(deleted(row.deleted_at) || deleted(products.get(row.product_id)?.deleted_at))
        );
      })
      .sort((a, b) => (Number(a.version) - Number(b.version)) * (direction === 'asc' ? 1 : -1));
    return json(rows.slice(0, size as number));
  }

  private async createCustomer(request: Request): Promise<Response> {
    const body = await readJson(request);
    if (!('first_name' in body) || !('last_name' in body))
      return error(400, 'Bad Request', 'first_name and last_name are required.');
    if (body.customer_group_id !== undefined && !this.customerGroups.some((g) => g.id === body.customer_group_id)) {
      return error(400, 'Bad Request', 'Unknown customer_group_id.');
    }
    const customer: Json = {
      ...body,
      id: this.newId(),
      customer_code:
        typeof body.customer_code === 'string' && body.customer_code !== ''
          ? body.customer_code
          : `CUST-${this.idCount}`,
      customer_group_id: body.customer_group_id ?? this.customerGroups[0]?.id,
      balance: 0,
      year_to_date: 0,
      created_at: new Date(this.now()).toISOString(),
      version: this.nextVersion(),
    };
    this.customers.push(customer);
    return json({ data: customer }, 201);
  }

  /** Creates (stored undefined) or updates a sale; answers {data: the sale}. */
  private writeSale(body: Json, stored: Json | undefined): Response {
    const invalid = this.invalidSale(body);
    if (invalid) return error(400, 'Bad Request', invalid);
    if (stored === undefined && typeof body.id === 'string' && this.saleById(body.id)) {
      // Undocumented: the sandbox refuses a second create with the same id (illustrative).
      return error(409, 'Conflict', `A sale with id ${body.id} already exists; update it with PUT /sales/{id}.`);
    }
    const source = body.source as Json;
    const lines = (body.line_items as Json[] | undefined) ?? [];
    const previous = (stored?.line_items as Json[] | undefined) ?? [];
    const kept = previous.filter((line) => !lines.some((l) => l.id === line.id));
    const written = lines.map((line) => {
      const existing = previous.find((p) => p.id === line.id);
      return this.responseLine(line, typeof existing?.id === 'string' ? existing.id : this.newId());
    });
    const allLines = [...kept, ...written];
    const sale: Json = {
      ...(stored ?? {}),
      id: stored?.id ?? (typeof body.id === 'string' ? body.id : this.newId()),
      customer_id: body.customer_id ?? stored?.customer_id,
      date: body.date ?? stored?.date ?? new Date(this.now()).toISOString(),
      state: body.state,
      attributes: body.attributes ?? [],
      note: body.note ?? '',
      invoice_number: stored?.invoice_number ?? String(1000 + this.sales.length),
      source: { id: source.id, type: source.type, register_id: source.register_id, author: { id: source.author_id } },
      line_items: allLines,
      totals: saleTotals(allLines),
      updated_at: new Date(this.now()).toISOString(),
      version: this.nextVersion(),
    };
    if (stored) Object.assign(stored, sale);
    else this.sales.push(sale);
    return json({ data: sale });
  }

  private invalidSale(body: Json): string | undefined {
    const source = body.source as Json | undefined;
    if (typeof source?.author_id !== 'string' || source.author_id === '') return 'source.author_id is required.';
    if (!['parked', 'pending', 'voided', 'closed'].includes(String(body.state)))
      return 'state must be parked, pending, voided or closed.';
    const attributes = Array.isArray(body.attributes) ? (body.attributes as unknown[]).map(String) : [];
    if (attributes.includes('onaccount') && attributes.includes('layby'))
      return 'onaccount and layby cannot be used together.';
    if (attributes.includes('pickup') && attributes.includes('delivery'))
      return 'pickup and delivery cannot be used together.';
    if (
      body.customer_id !== undefined &&
      !this.customers.some((c) => c.id === body.customer_id && (c.deleted_at === undefined || c.deleted_at === null))
    ) {
      return `customer_id ${String(body.customer_id)} is not a customer.`;
    }
    for (const [i, line] of ((body.line_items as Json[] | undefined) ?? []).entries()) {
      const where = `line_items[${i}]`;
      const productId = (line.product as Json | undefined)?.id;
      const product = this.products.find((p) => p.id === productId);
      if (!product || (product.deleted_at !== undefined && product.deleted_at !== null))
        return `${where}.product.id ${String(productId)} is not a product.`;
      if (typeof line.quantity !== 'number') return `${where}.quantity must be a number.`;
      if (typeof (line.pricing as Json | undefined)?.price !== 'number')
        return `${where}.pricing.price must be a number.`;
      const tax = line.tax as Json | undefined;
      if (typeof tax?.id !== 'string' || typeof tax.amount !== 'number') return `${where}.tax needs id and amount.`;
      if (this.taxIds.size > 0 && !this.taxIds.has(tax.id)) return `${where}.tax.id ${tax.id} is not a tax.`;
    }
    return undefined;
  }

  private responseLine(line: Json, id: string): Json {
    const quantity = toDecimal(line.quantity, 'quantity');
    const price = toDecimal((line.pricing as Json).price, 'price');
    const tax = line.tax as Json;
    const unitTax = toDecimal(tax.amount, 'tax.amount');
    const note = ((line.attributes as Json[] | undefined) ?? []).find((a) => a.name === 'line_note')?.value;
    return {
      id,
      product: { id: (line.product as Json).id },
      quantity: line.quantity,
      pricing: { price: (line.pricing as Json).price, total: jsonNumber(price.times(quantity)) },
      tax: { id: tax.id, amount: tax.amount, total: jsonNumber(unitTax.times(quantity)) },
      ...(typeof note === 'string' ? { note } : {}),
    };
  }

  private newId(): string {
    this.idCount += 1;
    return `0a6f0000-0000-4000-8000-${this.idCount.toString(16).padStart(12, '0')}`;
  }

  private nextVersion(): number {
    this.version += 1;
    return this.version;
  }
}

/** A sale's totals from its lines, in decimal: price (tax exclusive), tax, price_incl_tax. */
export function saleTotals(lines: readonly Json[]): { price: number; tax: number; price_incl_tax: number } {
  let price = new Big(0);
  let tax = new Big(0);
  for (const line of lines) {
    price = price.plus(toDecimal((line.pricing as Json).total, 'pricing.total'));
    tax = tax.plus(toDecimal((line.tax as Json).total, 'tax.total'));
  }
  return { price: jsonNumber(price), tax: jsonNumber(tax), price_incl_tax: jsonNumber(price.plus(tax)) };
}

/** A `fetch` that answers from the fake in-process, with no network (the client's `fetch` option). */
export function inProcessFetch(api: FakeApi): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const answer = await api.handle(input instanceof Request ? input : new Request(input, init));
    if (answer === 'network-error') throw new TypeError('fetch failed: connection reset');
    return answer;
  };
}

function jsonNumber(value: Decimal): number {
  const number = exactJsonNumber(value) ?? Number(value.toFixed());
  return number === 0 ? 0 : number;
}

async function readJson(request: Request): Promise<Json> {
  const parsed = (await request.json().catch(() => ({}))) as unknown;
  return isJsonObject(parsed) ? parsed : {};
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

/** X-Series' error body shape, {"error", "message"}; the wording here is the sandbox's own. */
function error(status: number, title: string, message: string): Response {
  return json({ error: title, message }, status);
}

function notFound(path: string): Response {
  return error(404, 'Not Found', `No route ${path}`);
}

/** The sandbox's data from the X-Series fixtures (their provenance is checked on load). */
export async function sandboxDataFromFixtures(root: string): Promise<SandboxData> {
  const body = async (file: string) => (await loadFixture(root, `fixtures/lightspeed-x/${file}`)).body as Json;
  const list = async (file: string) => ((await body(file)).data as Json[] | undefined) ?? [];
  return {
    customers: await list('customers/list.json'),
    customerGroups: await list('customer-groups/list.json'),
    products: [
      ...(await list('products/list.json')),
      (await body('products/get.variant-parent.json')).data as Json,
      ...(await list('products/search.variants-and-deleted.json')),
    ],
    inventory: (await body('inventory/levels.json')) as unknown as Json[],
    inventoryRecords: (await body('inventory/records.json')) as unknown as Json[],
    priceBooks: await list('price-books/list.json'),
    priceBookProducts: await list('price-books/products.json'),
  };
}
