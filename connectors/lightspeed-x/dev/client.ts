/**
 * The Lightspeed Retail (X-Series) API client, date version 2026-07: OAuth 2.0 with rotating refresh tokens, a request
 * budget that keeps it under the rate limit, the retry discipline every connector in the pack shares
 * (connectors/http), complete paging, and typed errors with every secret redacted.
 *
 * Tokens (https://x-series-api.lightspeedhq.com/docs/authorization,
 * https://x-series-api.lightspeedhq.com/changelog/2025-03-refresh-token-flow-update). POST /api/1.0/token with
 * grant_type=refresh_token, form-encoded (https://x-series-api.lightspeedhq.com/docs/request_format). Each answer
 * carries a new refresh token and revokes the one sent, so the client keeps only the newest, hands it to
 * `onRefreshToken` for the caller to persist, and never sends a token it has exchanged, or one that was refused,
 * again. The access token is renewed a minute before it expires, and once more when the API answers 401; concurrent
 * calls share one refresh. If a refresh's answer is lost in transit the old token may already be revoked: the
 * store then has to be connected again (the error says so).
 *
 * Rate limit (https://x-series-api.lightspeedhq.com/docs/rate_limiting): 300 × registers + 50 requests per 5-minute
 * window. Every API request first takes a unit of a `WindowBudget` (connectors/http/window-budget.ts), which learns
 * the real limit from X-RateLimit-Limit and other callers' use from X-RateLimit-Remaining, so the client paces itself
 * below the limit instead of collecting 429s. A 429 still gets its HTTP-date Retry-After honoured (the whole budget
 * waits until then). The token endpoint has its own limit and does not spend the API budget.
 *
 * Retries: 429 always (it is refused before any work); 5xx and dropped connections only where repeating is harmless
 * (reads, searches, PUT of a whole sale). A POST that fails with a 5xx may have created the record: it is not
 * repeated, and `upsertSale` / `ensureCustomer` look before they write again.
 */
import type { AxiosHeaders, Method } from 'axios';
import * as z from 'zod';
import { toDecimal } from '../../../model/money.js';
import type { StockLevel } from '../../../model/stock.js';
import { inventoryCursor, inventoryRequest } from '../stock-reader.js';
import type { ApiErrorDetails } from '../../http/api-error.js';
import { clientTiming, type ClientTiming, type ClientTimingOptions } from '../../http/client-options.js';
import { Redactor } from '../../http/redact.js';
import { parseRetryAfter, type RetryPolicy } from '../../http/retry.js';
import { bearer, header, Transport, type RateLimiter } from '../../http/transport.js';
import { WindowBudget, type BudgetObservation, type BudgetTicket } from '../../http/window-budget.js';
import type { LightspeedXConfig } from './config.js';
import {
  LightspeedXApiError,
  LightspeedXAuthError,
  LightspeedXNetworkError,
  LightspeedXResponseError,
  type LightspeedXErrorDetails,
} from './errors.js';
import {
  customerGroupCollectionSchema,
  customerResponseSchema,
  customerSchema,
  errorBodySchema,
  inventoryLevelsSchema,
  inventoryRecordsSchema,
  isArchived,
  PRICE_BOOK_PRODUCTS_MAX,
  priceBookCollectionSchema,
  priceBookCreateResponseSchema,
  priceBookProductCollectionSchema,
  priceBookProductsUpdateResponseSchema,
  productCollectionSchema,
  productSchema,
  saleResponseSchema,
  searchResponseSchema,
  tokenResponseSchema,
  type Customer,
  type CustomerBody,
  type CustomerGroup,
  type InventoryLevel,
  type InventoryRecord,
  type PriceBook,
  type PriceBookCreateRequest,
  type PriceBookCreateResponse,
  type PriceBookProduct,
  type PriceBookProductsBody,
  type PriceBookProductsUpdateResponse,
  type PriceBookUpdateRequest,
  type Product,
  type Sale,
  type SaleRequest,
  type SaleUpdateRequest,
} from '../schemas.js';
import { isJsonObject } from '../../../runtime/json-object.js';

/** The documented default for a store with one register: 300 × 1 + 50 per 300 s. */
export const DEFAULT_RATE_LIMIT = 350;
export const RATE_LIMIT_WINDOW_MS = 300_000;
/** /search answers at most 1000 objects a page. */
export const SEARCH_MAX_PAGE_SIZE = 1000;
/** POST /inventory_levels filters on at most 1000 product ids; pages hold up to 10000 levels. */
export const INVENTORY_MAX_IDS = 1000;
const INVENTORY_PAGE_SIZE = 1000;
/** SKUs per /search request, to keep the URL short. */
const SKUS_PER_SEARCH = 40;
/** Renew the access token this long before it expires. */
const REFRESH_MARGIN_MS = 60_000;

export interface LightspeedXClientOptions extends ClientTimingOptions {
  timeoutMs?: number;
  /** Called with every new refresh token, before it is used: persist it, the previous one is revoked. */
  onRefreshToken?: (refreshToken: string) => void | Promise<void>;
  /** The request budget: its size until X-RateLimit-Limit says otherwise, its window, a safety reserve. Or one to
   * share. */
  budget?: { limit?: number; windowMs?: number; reserve?: number } | WindowBudget;
  /** Longest Retry-After a 429 may ask for before the call fails instead (default: one window and a minute). */
  maxRateLimitWaitMs?: number;
  /** Guard against a server that never stops paging. */
  maxPages?: number;
  /** Another transport than the network, e.g. the fake X-Series in-process (connectors/lightspeed-x/dev/sandbox.ts). */
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
}

type Query = Array<[string, string]>;

interface RequestSpec<T> {
  method: Method;
  /** Under the API root, e.g. /2026-07/sales; without the query. */
  path: string;
  query?: Query;
  body?: unknown;
  schema: z.ZodType<T>;
  /** Whether a 5xx or a dropped connection may be answered by sending the request again. */
  repeatable: boolean;
  /** Whether a 404 is an answer (undefined) rather than an error. */
  notFoundIsEmpty?: boolean;
}

export interface UpsertResult {
  sale: Sale;
  created: boolean;
}

export class LightspeedXClient {
  private readonly transport: Transport<LightspeedXErrorDetails>;
  private readonly redactor = new Redactor();
  private readonly policy: RetryPolicy;
  private readonly now: ClientTiming['now'];
  private readonly log: ClientTiming['log'];
  private readonly maxPages: number;
  private readonly maxRateLimitWaitMs: number;
  private readonly onRefreshToken: LightspeedXClientOptions['onRefreshToken'];
  readonly budget: WindowBudget;
  private readonly api: string;

  private refreshToken: string;
  /** Refresh tokens already exchanged (revoked by the exchange) or refused: never sent again. */
  private readonly spent = new Set<string>();
  private refusal: LightspeedXAuthError | undefined;
  private access: { token: string; expiresAt: number } | undefined;
  private refreshing: Promise<string> | undefined;

  constructor(
    private readonly config: LightspeedXConfig,
    options: LightspeedXClientOptions = {},
  ) {
    const timing = clientTiming(options);
    ({ policy: this.policy, now: this.now, log: this.log } = timing);
    this.maxPages = options.maxPages ?? 10_000;
    this.onRefreshToken = options.onRefreshToken;
    this.refreshToken = config.refreshToken;
    this.api = `/${config.apiVersion}`;
    for (const secret of [config.clientSecret, config.clientId, config.refreshToken]) this.redactor.add(secret);
    this.budget =
      options.budget instanceof WindowBudget
        ? options.budget
        : new WindowBudget({
            limit: options.budget?.limit ?? DEFAULT_RATE_LIMIT,
            windowMs: options.budget?.windowMs ?? RATE_LIMIT_WINDOW_MS,
            reserve: options.budget?.reserve ?? 0,
            now: this.now,
            sleep: timing.sleep,
          });
    this.maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? this.budget.windowMs + 60_000;
    this.transport = new Transport({
      vendor: 'Lightspeed',
      answerName: "Lightspeed's answer",
      timing,
      timeoutMs: options.timeoutMs ?? 60_000,
      fetch: options.fetch,
      redact: (text) => this.redact(text),
      describe: (_status, body) => this.describe(body),
      errors: {
        api: LightspeedXApiError,
        auth: LightspeedXAuthError,
        network: LightspeedXNetworkError,
        response: LightspeedXResponseError,
      },
      unrepeatableNote: 'not repeated: the record may have been created; look for it before sending again',
      credentials: bearer(
        () => this.accessToken(),
        // The access token may have been revoked or expired early: one refresh (unless another call refreshed already).
        (refused) => this.refresh(refused),
      ),
      limiter: this.budgetLimiter(),
      // A 5xx backs off; only a 429's Retry-After is waited for (by the budget).
      retryAfter: '429-only',
    });
  }

  // Sales -----------------------------------------------------------------------------------------------

  /** POST /sales. Not repeated after a 5xx or a dropped connection: use upsertSale to send an order safely. */
  async createSale(body: SaleRequest): Promise<Sale> {
    return (await this.send({
      method: 'POST',
      path: `${this.api}/sales`,
      body,
      schema: saleResponseSchema,
      repeatable: false,
    }))!.data;
  }

  /** PUT /sales/{id}: the whole sale again; line items carrying an existing line's id update it. */
  async updateSale(id: string, body: SaleUpdateRequest): Promise<Sale> {
    return (await this.send({
      method: 'PUT',
      path: `${this.api}/sales/${encodeURIComponent(id)}`,
      body,
      schema: saleResponseSchema,
      repeatable: true,
    }))!.data;
  }

  /** The sale, or undefined when X-Series has none with this id (404). */
  async getSale(id: string): Promise<Sale | undefined> {
    const answer = await this.send({
      method: 'GET',
      path: `${this.api}/sales/${encodeURIComponent(id)}`,
      schema: saleResponseSchema,
      repeatable: true,
      notFoundIsEmpty: true,
    });
    return answer?.data;
  }

  /**
   * Creates the sale under its client-supplied id, or updates the sale already there: sending the same order again (a
   * Patchworks retry, a re-run) never makes a second sale. The id is the one the mapper derives from the SparkLayer
   * purchase id. An update carries the existing line items' ids, position by position, so their lines are updated
   * rather than added again. A create that got no answer, or a 5xx, is followed by a look before anything is sent
   * again.
   */
  async upsertSale(body: SaleRequest & { id: string }): Promise<UpsertResult> {
    const { id, ...update } = body;
    const existing = await this.getSale(id);
    if (existing) return { sale: await this.updateSale(id, withExistingLineIds(update, existing)), created: false };
    try {
      return { sale: await this.createSale(body), created: true };
    } catch (error) {
      const uncertain =
        error instanceof LightspeedXNetworkError ||
        (error instanceof LightspeedXApiError && error.details.status >= 500);
      if (!uncertain) throw error;
      this.log(this.redact(`POST ${this.api}/sales: ${error.message}; looking for sale ${id} before sending it again`));
      const after = await this.getSale(id);
      if (after) return { sale: await this.updateSale(id, withExistingLineIds(update, after)), created: false };
      return { sale: await this.createSale(body), created: true };
    }
  }

  // Customers -------------------------------------------------------------------------------------------

  async getCustomer(id: string): Promise<Customer | undefined> {
    const answer = await this.send({
      method: 'GET',
      path: `${this.api}/customers/${encodeURIComponent(id)}`,
      schema: customerResponseSchema,
      repeatable: true,
      notFoundIsEmpty: true,
    });
    return answer?.data;
  }

  /** Every customer /search finds for these criteria (customer_code, email…), all pages. */
  async searchCustomers(criteria: { customer_code?: string; email?: string }): Promise<Customer[]> {
    const query: Query = Object.entries(criteria).flatMap(([key, value]) =>
      value === undefined || value.trim() === '' ? [] : [[key, value.trim()] as [string, string]],
    );
    if (query.length === 0) throw new RangeError('searchCustomers needs a customer_code or an email');
    return this.search('customers', query, customerSchema);
  }

  /**
   * The live customer with exactly this customer_code, else with this email (case-insensitive); undefined when none.
   * Search may match loosely, so the match is checked here.
   */
  async findCustomer(criteria: { customerCode?: string; email?: string }): Promise<Customer | undefined> {
    const live = (customers: Customer[]) => customers.filter((c) => !c.deleted_at);
    const code = criteria.customerCode?.trim();
    if (code) {
      const found = live(await this.searchCustomers({ customer_code: code })).find((c) => c.customer_code === code);
      if (found) return found;
    }
    const email = criteria.email?.trim().toLowerCase();
    if (email) return live(await this.searchCustomers({ email })).find((c) => c.email?.trim().toLowerCase() === email);
    return undefined;
  }

  /** POST /customers. Not repeated after a 5xx or a dropped connection (it may exist by then): see ensureCustomer. */
  async createCustomer(body: CustomerBody): Promise<Customer> {
    return (await this.send({
      method: 'POST',
      path: `${this.api}/customers`,
      body,
      schema: customerResponseSchema,
      repeatable: false,
    }))!.data;
  }

  /** The customer with the body's customer_code, created when there is none yet (safe to repeat). */
  async ensureCustomer(
    body: CustomerBody & { customer_code: string },
  ): Promise<{ customer: Customer; created: boolean }> {
    const existing = await this.findCustomer({ customerCode: body.customer_code });
    if (existing) return { customer: existing, created: false };
    try {
      return { customer: await this.createCustomer(body), created: true };
    } catch (error) {
      const uncertain =
        error instanceof LightspeedXNetworkError ||
        (error instanceof LightspeedXApiError && error.details.status >= 500);
      if (!uncertain) throw error;
      const after = await this.findCustomer({ customerCode: body.customer_code });
      if (after) return { customer: after, created: false };
      throw error;
    }
  }

  /** Every customer group, all pages (version cursor). */
  async listCustomerGroups(options: { deleted?: boolean } = {}): Promise<CustomerGroup[]> {
    const query: Query = options.deleted ? [['deleted', 'true']] : [];
    return this.listByVersion(`${this.api}/customer_groups`, query, customerGroupCollectionSchema);
  }

  // Products and stock ----------------------------------------------------------------------------------

  /**
   * The products with these SKUs, through /search (SKUs lower-cased, as X-Series requires), with deleted ones
   * (`includeDeleted`, default true) and the variants of every family parent found (`variants`, default true).
   */
  async productsBySku(
    skus: readonly string[],
    options: { includeDeleted?: boolean; variants?: boolean } = {},
  ): Promise<Product[]> {
    const includeDeleted = options.includeDeleted ?? true;
    const deleted: Query = includeDeleted ? [['deleted', 'true']] : [];
    const wanted = [...new Set(skus.map((sku) => sku.trim().toLowerCase()).filter(Boolean))];
    const found = new Map<string, Product>();
    for (const chunk of chunks(wanted, SKUS_PER_SEARCH)) {
      for (const product of await this.search(
        'products',
        [...chunk.map((sku): [string, string] => ['sku', sku]), ...deleted],
        productSchema,
      )) {
        found.set(product.id, product);
      }
    }
    if (options.variants ?? true) {
      const parents = [...found.values()].filter((p) => p.has_variants === true).map((p) => p.id);
      for (const chunk of chunks(parents, SKUS_PER_SEARCH)) {
        for (const product of await this.search(
          'products',
          [...chunk.map((id): [string, string] => ['variant_parent_id', id]), ...deleted],
          productSchema,
        )) {
          found.set(product.id, product);
        }
      }
    }
    return [...found.values()];
  }

  /** Inventory levels of these products at every outlet: POST /inventory_levels, all pages. */
  async inventoryLevels(productIds: readonly string[]): Promise<InventoryLevel[]> {
    const levels: InventoryLevel[] = [];
    for (const ids of chunks([...new Set(productIds)], INVENTORY_MAX_IDS)) {
      for (let offset = 0, page = 0; ; page += 1) {
        if (page >= this.maxPages)
          throw new LightspeedXResponseError(
            `POST ${this.api}/inventory_levels: still more after ${this.maxPages} pages; stopping`,
          );
        const body = { product_ids: ids, offset, size: INVENTORY_PAGE_SIZE };
        const rows = (await this.send({
          method: 'POST',
          path: `${this.api}/inventory_levels`,
          body,
          schema: inventoryLevelsSchema,
          repeatable: true,
        }))!;
        levels.push(...rows);
        if (rows.length < INVENTORY_PAGE_SIZE) break;
        offset += rows.length;
      }
    }
    return levels;
  }

  /**
   * Inventory records changed after `after` (every record when it is undefined), deleted products' included: POST
   * /inventory by version cursor, oldest first, `size` a page, until an empty page (see stock-reader.ts). `cursor` is
   * the highest version read, the next run's `after` (`after` again when nothing changed).
   */
  async inventoryRecords(
    options: { after?: number; size?: number } = {},
  ): Promise<{ records: InventoryRecord[]; cursor: number | undefined }> {
    const records: InventoryRecord[] = [];
    let cursor = options.after;
    for await (const page of this.inventoryRecordPages(options)) {
      records.push(...page.records);
      cursor = page.cursor;
    }
    return { records, cursor };
  }

  /** inventoryRecords a page at a time: each page's records and the cursor after it. */
  async *inventoryRecordPages(
    options: { after?: number; size?: number } = {},
  ): AsyncGenerator<{ records: InventoryRecord[]; cursor: number | undefined }> {
    let cursor = options.after;
    for (let page = 0; ; page += 1) {
      if (page >= this.maxPages)
        throw new LightspeedXResponseError(
          `POST ${this.api}/inventory: still more after ${this.maxPages} pages; stopping`,
        );
      const rows = (await this.send({
        method: 'POST',
        path: `${this.api}/inventory`,
        body: inventoryRequest({ after: cursor, size: options.size }),
        schema: inventoryRecordsSchema,
        repeatable: true,
      }))!;
      if (rows.length === 0) return;
      const next = inventoryCursor(rows, cursor);
      if (cursor !== undefined && (next === undefined || next <= cursor))
        throw new LightspeedXResponseError(
          `POST ${this.api}/inventory: a page with no version above ${cursor} to continue from; stopping`,
        );
      cursor = next;
      yield { records: rows, cursor };
    }
  }

  /**
   * Products changed after `after` (all when undefined), deleted ones too unless `deleted` is false: GET /products by
   * version cursor. `cursor` is the highest version read, the next run's `after`.
   */
  async listProducts(
    options: { after?: number; deleted?: boolean } = {},
  ): Promise<{ products: Product[]; cursor: number | undefined }> {
    const query: Query = options.deleted === false ? [] : [['deleted', 'true']];
    const products = await this.listByVersion(`${this.api}/products`, query, productCollectionSchema, options.after);
    let cursor = options.after;
    for (const product of products)
      if (product.version !== undefined && (cursor === undefined || product.version > cursor)) cursor = product.version;
    return { products, cursor };
  }

  /**
   * Stock per SKU per outlet (model/stock.ts): the SKUs' live products (a variant family's parent has none of its own
   * and is left out), then their inventory levels. `sku` is the SKU as asked for; `on_hand` is decimal text.
   */
  async stockLevels(skus: readonly string[]): Promise<StockLevel[]> {
    const asked = new Map<string, string[]>();
    for (const sku of skus) {
      const key = sku.trim().toLowerCase();
      if (key) asked.set(key, [...(asked.get(key) ?? []), sku.trim()]);
    }
    const products = (await this.productsBySku([...asked.keys()], { includeDeleted: false, variants: false })).filter(
      (p) => !isArchived(p) && p.has_variants !== true && asked.has(p.sku.toLowerCase()),
    );
    const byId = new Map(products.map((p) => [p.id, p]));
    const levels = await this.inventoryLevels([...byId.keys()]);
    const stock: StockLevel[] = [];
    for (const level of levels) {
      const product = byId.get(level.product_id);
      if (!product) continue;
      for (const sku of [...new Set(asked.get(product.sku.toLowerCase()) ?? [])]) {
        stock.push({
          sku,
          location: level.location_id,
          on_hand: toDecimal(level.current_inventory_level, `inventory of ${sku} at ${level.location_id}`).toFixed(),
          product_id: product.id,
          source: 'lightspeed-x',
        });
      }
    }
    return stock.sort((a, b) => a.sku.localeCompare(b.sku) || a.location.localeCompare(b.location));
  }

  // Price books -----------------------------------------------------------------------------------------
  // https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml (Price Books; mirrored at
  // github.com/api-evangelist/lightspeed openapi/lightspeed-price-books-api-openapi.yml). Writes need the
  // `products:write:price_books` scope. A product price written is "the tax exclusive price of the product if your
  // store is tax exclusive, and tax inclusive if your store is tax inclusive. The returned value is always tax
  // exclusive"; a body "may not contain more than 100 price book products".

  /** Every price book, all pages (GET /price_books, ListPriceBooksV3, version cursor), deleted ones with `deleted`. */
  async listPriceBooks(options: { deleted?: boolean } = {}): Promise<PriceBook[]> {
    const query: Query = options.deleted ? [['deleted', 'true']] : [];
    return this.listByVersion(`${this.api}/price_books`, query, priceBookCollectionSchema);
  }

  /** Every book's price book products, all pages (GET /price_book_products, ListPriceBookProducts, version cursor). */
  async listPriceBookProducts(): Promise<PriceBookProduct[]> {
    return this.listByVersion(`${this.api}/price_book_products`, [], priceBookProductCollectionSchema);
  }

  /** POST /price_books (CreatePriceBookV3). Not repeated after a 5xx or a dropped connection: it may exist by then. */
  async createPriceBook(body: PriceBookCreateRequest): Promise<PriceBookCreateResponse['data']> {
    return (await this.send({
      method: 'POST',
      path: `${this.api}/price_books`,
      body,
      schema: priceBookCreateResponseSchema,
      repeatable: false,
    }))!.data;
  }

  /** PUT /price_books/{id} (UpdatePriceBookV3): the whole book again (name, customer_group_ids, outlet_ids). */
  async updatePriceBook(id: string, body: PriceBookUpdateRequest): Promise<PriceBookCreateResponse['data']> {
    return (await this.send({
      method: 'PUT',
      path: `${this.api}/price_books/${encodeURIComponent(id)}`,
      body,
      schema: priceBookCreateResponseSchema,
      repeatable: true,
    }))!.data;
  }

  /**
   * Writes price book products to one book, at most 100 a request: `add` POSTs new entries (AddPriceBookProducts,
   * not repeated after a 5xx: they may have been added), `patch` (UpdatePriceBookProducts) updates entries (the PUT
   * form the vendor also documents is not declared: the pack does not send it). A body of more than 100 is refused
   * here, before any request.
   */
  async writePriceBookProducts(
    priceBookId: string,
    how: 'add' | 'patch',
    body: PriceBookProductsBody,
  ): Promise<PriceBookProductsUpdateResponse> {
    if (body.data.length > PRICE_BOOK_PRODUCTS_MAX)
      throw new RangeError(
        `a price book products body may not contain more than ${PRICE_BOOK_PRODUCTS_MAX} entries (${body.data.length})`,
      );
    const method = how === 'add' ? 'POST' : 'PATCH';
    return (await this.send({
      method,
      path: `${this.api}/price_books/${encodeURIComponent(priceBookId)}/products`,
      body,
      schema: priceBookProductsUpdateResponseSchema,
      repeatable: how !== 'add',
    }))!;
  }

  /** DELETE /price_books/{price_book_id}/products (DeletePriceBookProducts): at most 100 ids, in the JSON body. */
  async deletePriceBookProducts(
    priceBookId: string,
    priceBookProductIds: readonly string[],
  ): Promise<PriceBookProductsUpdateResponse> {
    if (priceBookProductIds.length > PRICE_BOOK_PRODUCTS_MAX)
      throw new RangeError(`at most ${PRICE_BOOK_PRODUCTS_MAX} price book products may be deleted at a time`);
    return (await this.send({
      method: 'DELETE',
      path: `${this.api}/price_books/${encodeURIComponent(priceBookId)}/products`,
      body: { data: { price_book_product_ids: [...priceBookProductIds] } },
      schema: priceBookProductsUpdateResponseSchema,
      repeatable: true,
    }))!;
  }

  // Paging ----------------------------------------------------------------------------------------------

  /** GET /search, offset and page_size until a short page (https://x-series-api.lightspeedhq.com/docs/pagination). */
  private async search<T>(type: 'customers' | 'products', query: Query, schema: z.ZodType<T>): Promise<T[]> {
    const results: T[] = [];
    for (let offset = 0, page = 0; ; page += 1) {
      if (page >= this.maxPages)
        throw new LightspeedXResponseError(`GET ${this.api}/search: still more after ${this.maxPages} pages; stopping`);
      const answer = (await this.send({
        method: 'GET',
        path: `${this.api}/search`,
        query: [['type', type], ...query, ['page_size', String(SEARCH_MAX_PAGE_SIZE)], ['offset', String(offset)]],
        schema: searchResponseSchema,
        repeatable: true,
      }))!;
      for (const [index, item] of answer.data.entries()) {
        const parsed = schema.safeParse(item);
        if (!parsed.success) {
          throw new LightspeedXResponseError(
            this.redact(
              `GET ${this.api}/search?type=${type}: result ${offset + index + 1} is not a ` +
                `${type.slice(0, -1)}: ${z.prettifyError(parsed.error)}`,
            ),
          );
        }
        results.push(parsed.data);
      }
      if (answer.data.length < SEARCH_MAX_PAGE_SIZE) return results;
      offset += answer.data.length;
    }
  }

  /** A version-cursor list: `after` = the previous page's version.max, until `data` is empty. */
  private async listByVersion<T>(
    path: string,
    query: Query,
    schema: z.ZodType<{ data: T[]; version?: { max?: number | null } }>,
    start?: number,
  ): Promise<T[]> {
    const items: T[] = [];
    let after = start;
    for (let page = 0; page < this.maxPages; page += 1) {
      const answer = (await this.send({
        method: 'GET',
        path,
        query: [...query, ...(after === undefined ? [] : [['after', String(after)] as [string, string]])],
        schema,
        repeatable: true,
      }))!;
      if (answer.data.length === 0) return items;
      items.push(...answer.data);
      const max = answer.version?.max;
      if (max === undefined || max === null || (after !== undefined && max <= after)) {
        throw new LightspeedXResponseError(
          `GET ${path}: a page without a higher version.max to continue from; stopping`,
        );
      }
      after = max;
    }
    throw new LightspeedXResponseError(`GET ${path}: still more after ${this.maxPages} pages; stopping`);
  }

  // Tokens ----------------------------------------------------------------------------------------------

  private async accessToken(): Promise<string> {
    if (this.access && this.now() < this.access.expiresAt - REFRESH_MARGIN_MS) return this.access.token;
    return this.refresh();
  }

  /** One refresh at a time; `stale` is a token the API refused (someone else may have replaced it already). */
  private refresh(stale?: string): Promise<string> {
    if (this.refreshing) return this.refreshing;
    if (stale !== undefined && this.access && this.access.token !== stale) return Promise.resolve(this.access.token);
    this.refreshing = this.exchangeRefreshToken().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async exchangeRefreshToken(): Promise<string> {
    if (this.refusal) throw this.refusal;
    const used = this.refreshToken;
    if (this.spent.has(used))
      throw new LightspeedXAuthError(
        'the refresh token was already exchanged and is revoked; connect the store again',
        authDetails(0, 0),
      );
    const label = 'POST /1.0/token';
    const answer = await this.transport.request({
      method: 'POST',
      url: `${this.config.baseUrl}/1.0/token`,
      label,
      form: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: used,
        client_id: this.config.clientId,
        client_secret: this.config.clientSecret,
      }).toString(),
      schema: tokenResponseSchema,
      answerName: 'the token answer',
      repeatable: true,
      // The token endpoint has its own limit: it does not spend the API budget.
      anonymous: true,
      retry: (status, headers, backoff) => {
        if (status !== 429 && status < 500) return undefined;
        const reset = Number(headers.get('x-ratelimit-reset'));
        const asked =
          parseRetryAfter(header(headers, 'retry-after'), this.now()) ??
          (Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - this.now()) : undefined);
        return Math.min(asked ?? backoff(), this.maxRateLimitWaitMs);
      },
      refused: ({ status, describe }) => {
        if (status === 429 || status >= 500) return undefined;
        // Refused: revoked (rotated away), expired, or the wrong client. Never sent again.
        this.spent.add(used);
        const { message, details, summary } = describe(
          'Lightspeed refused the refresh token: it has been revoked (each refresh replaces it), has ' +
            'expired, or the client ID and secret are wrong. Connect the store again and store the new ' +
            'refresh token',
        );
        return (this.refusal = new LightspeedXAuthError(message, details as LightspeedXErrorDetails, summary));
      },
      noAnswer: (reason, attempts) =>
        `${label}: no answer from Lightspeed (${reason}) after ${attempts} attempts; if the token was ` +
        `exchanged and the answer lost, the refresh token is revoked and the store must be connected again`,
    });
    const token = answer.data;
    this.redactor.add(token.access_token);
    const expiresAt =
      token.expires_in !== undefined
        ? this.now() + token.expires_in * 1000
        : token.expires !== undefined
          ? token.expires * 1000
          : this.now() + 3_600_000;
    this.access = { token: token.access_token, expiresAt };
    if (token.refresh_token !== undefined && token.refresh_token !== used) {
      // The one sent is revoked now: never again.
      this.spent.add(used);
      this.redactor.add(token.refresh_token);
      this.refreshToken = token.refresh_token;
      this.log('POST /1.0/token: new access token; the refresh token was rotated');
      await this.onRefreshToken?.(token.refresh_token);
    }
    return token.access_token;
  }

  // Transport -------------------------------------------------------------------------------------------

  private async send<T>(spec: RequestSpec<T>): Promise<T | undefined> {
    const queryString = (spec.query ?? [])
      .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
      .join('&');
    const url = `${this.config.baseUrl}${spec.path}${queryString ? `?${queryString}` : ''}`;
    const label = `${spec.method} ${spec.path}${queryString ? `?${queryString}` : ''}`;
    const { method, body, schema, repeatable, notFoundIsEmpty = false } = spec;
    return (await this.transport.request({ method, url, label, body, schema, repeatable, notFoundIsEmpty }))?.data;
  }

  /**
   * The window budget as the transport's rate limiter: every request holds a unit until a window after its answer,
   * and the answer's headers tell the budget the real limit and other callers' use. A 429 counts as an attempt; its
   * Retry-After (an HTTP date) blocks the whole budget, since every request would be refused until then.
   */
  private budgetLimiter(): RateLimiter<BudgetTicket> {
    return {
      acquire: () => this.budget.acquire(),
      lost: (ticket) => this.budget.settle(ticket),
      answered: (ticket, headers) => this.budget.settle(ticket, rateObservation(headers)),
      refused: (ticket, { label, headers, attempt, backoff }) => {
        this.budget.settle(ticket, rateObservation(headers));
        if (attempt > this.policy.maxRetries) return { retry: false };
        const asked = parseRetryAfter(header(headers, 'retry-after'), this.now());
        if (asked !== undefined && asked > this.maxRateLimitWaitMs) {
          return {
            retry: false,
            note:
              `Lightspeed asked to wait ${Math.ceil(asked / 1000)} s, longer than the ` +
              `${Math.round(this.maxRateLimitWaitMs / 1000)} s this client waits`,
          };
        }
        const delay = asked ?? backoff();
        this.budget.block(this.now() + delay);
        return {
          retry: true,
          counted: true,
          log: `${label}: HTTP 429 (rate limit); retry ${attempt} of ${this.policy.maxRetries} after ${delay} ms`,
        };
      },
    };
  }

  /** An error answer: X-Series' {error, message} when it sent one, else the body as it came. */
  private describe(body: unknown): { summary: string; details: Omit<LightspeedXErrorDetails, keyof ApiErrorDetails> } {
    const envelope = isJsonObject(body) ? errorBodySchema.safeParse(body).data : undefined;
    const isEnvelope = envelope !== undefined && (envelope.error !== undefined || envelope.message !== undefined);
    const summary = isEnvelope
      ? [envelope.error, envelope.message].filter(Boolean).join(': ')
      : body === undefined || body === null
        ? 'no body'
        : JSON.stringify(body).slice(0, 300);
    return {
      summary,
      details: {
        error: isEnvelope && envelope.error !== undefined ? this.redact(envelope.error) : undefined,
        message: isEnvelope && envelope.message !== undefined ? this.redact(envelope.message) : undefined,
        body: isEnvelope || body === undefined ? undefined : JSON.parse(this.redact(JSON.stringify(body ?? null))),
      },
    };
  }

  private redact(text: string): string {
    return this.redactor.redact(text);
  }
}

/** The sale to PUT over an existing one: each line takes the id of the existing line at its position, same product. */
export function withExistingLineIds(body: SaleUpdateRequest, existing: Sale): SaleUpdateRequest {
  const lines = existing.line_items ?? [];
  return {
    ...body,
    line_items: body.line_items?.map((line, index) => {
      const before = lines[index];
      return before?.id !== undefined && before.product?.id === line.product.id ? { id: before.id, ...line } : line;
    }),
  };
}

function rateObservation(headers: AxiosHeaders): BudgetObservation {
  const read = (name: string) => {
    const value = header(headers, name);
    if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
    return Number(value.trim());
  };
  return { limit: read('x-ratelimit-limit'), remaining: read('x-ratelimit-remaining') };
}

function authDetails(status: number, attempts: number) {
  return { method: 'POST', path: '/1.0/token', status, attempts };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
