/**
 * The SparkLayer API client: OAuth2 client credentials with the Site-Id header, a cached token, retries
 * the way SparkLayer asks (https://docs.sparklayer.io/developers/errors.md: retry 5xx, 429 honouring
 * Retry-After and concurrent-update 409s with backoff; on 401 get a new token once; never retry other
 * 4xx), complete paging, and get-merge-put for the resources whose PUT replaces the whole record.
 * This is the only place in the pack that talks to SparkLayer.
 */
import type { Method } from 'axios';
import * as z from 'zod';
import type { ApiErrorDetails } from '../../http/api-error.js';
import { mergeForReplace, type DeepPartial } from '../../http/merge-for-replace.js';
import { Redactor } from '../../http/redact.js';
import { clientTiming, type ClientTimingOptions } from '../../http/client-options.js';
import { bearer, Transport } from '../../http/transport.js';
import type { SparkLayerConfig } from './config.js';
import {
  describeProblem,
  SparkLayerApiError,
  SparkLayerAuthError,
  SparkLayerNetworkError,
  SparkLayerResponseError,
  type SparkLayerErrorDetails,
} from './errors.js';
import {
  customerSchema,
  priceListPageSchema,
  priceListPricingSchema,
  problemDetailsSchema,
  purchaseListSchema,
  purchaseSchema,
  syncLogSchema,
  tokenResponseSchema,
  transactionSchema,
  type PriceListPricingEntry,
  type ProblemDetails,
} from '../schemas.js';
import { isJsonObject } from '../../../runtime/json-object.js';
import { withoutCalculated } from '../purchase.js';

/** SparkLayer's largest purchase page (https://docs.sparklayer.io/developers/pagination.md). */
export const PURCHASES_MAX_LIMIT = 500;
/** SparkLayer's largest price-list page. */
export const PRICE_LISTS_MAX_PAGE_SIZE = 250;

export type PurchaseLookup = 'sparklayer' | 'platform' | 'internal' | 'visible';
export type CustomerLookup = 'sparklayer' | 'platform' | 'email';

export type Purchase = z.infer<typeof purchaseSchema>;
export type Customer = z.infer<typeof customerSchema>;

export interface SparkLayerClientOptions extends ClientTimingOptions {
  timeoutMs?: number;
  /** Ask for a new token this long before the current one expires. */
  tokenRefreshMarginMs?: number;
  /** Guard against a server that never returns a short page. */
  maxPages?: number;
}

interface RequestSpec<T> {
  method: Method;
  path: string;
  params?: Record<string, string | number>;
  body?: unknown;
  schema: z.ZodType<T>;
  /** Only where SparkLayer documents 409 as a concurrent update (pricing); elsewhere a 409 is a data conflict. */
  retryOnConflict?: boolean;
  /** The token request itself goes without a bearer. */
  anonymous?: boolean;
}

export class SparkLayerClient {
  private readonly transport: Transport<SparkLayerErrorDetails>;
  private readonly redactor = new Redactor();
  private readonly now: () => number;
  private readonly refreshMarginMs: number;
  private readonly maxPages: number;
  private token?: { value: string; refreshAt: number };
  private pendingToken?: Promise<string>;
  /** How many tokens this client has asked for; for tests and run logs. */
  tokensIssued = 0;

  constructor(
    private readonly config: SparkLayerConfig,
    options: SparkLayerClientOptions = {},
  ) {
    const timing = clientTiming(options);
    this.now = timing.now;
    this.refreshMarginMs = options.tokenRefreshMarginMs ?? 60_000;
    this.maxPages = options.maxPages ?? 10_000;
    this.redactor.add(config.clientSecret);
    this.transport = new Transport({
      vendor: 'SparkLayer',
      answerName: "SparkLayer's answer",
      timing,
      baseURL: config.baseUrl,
      timeoutMs: options.timeoutMs ?? 30_000,
      headers: { 'Site-Id': config.siteId },
      redact: (text) => this.redactor.redact(text),
      describe: (_status, body) => this.describe(body),
      errors: {
        api: SparkLayerApiError,
        auth: SparkLayerAuthError,
        network: SparkLayerNetworkError,
        response: SparkLayerResponseError,
      },
      // A 401, or the token request refusing the credentials.
      isAuthFailure: (status, request) =>
        status === 401 || (request.anonymous === true && (status === 400 || status === 403)),
      credentials: bearer(
        () => this.accessToken(),
        // The token may have been revoked or expired early: the next attempt asks for a new one.
        async () => (this.token = undefined),
      ),
    });
  }

  // Purchases -------------------------------------------------------------------------------------------

  /** One page of GET /api/v1/purchases; `filters` are the documented query parameters (e.g. `type`). */
  getPurchasesPage(filters: Record<string, string | number>, limit: number, offset: number): Promise<Purchase[]> {
    return this.send({
      method: 'GET',
      path: '/api/v1/purchases',
      params: { ...filters, limit, offset },
      schema: purchaseListSchema,
    });
  }

  /** Every page, in order: SparkLayer pages with limit/offset and the last page is the first short one. */
  async *purchasePages(
    filters: Record<string, string | number> = {},
    limit = PURCHASES_MAX_LIMIT,
  ): AsyncGenerator<Purchase[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > PURCHASES_MAX_LIMIT) {
      throw new RangeError(`purchase page limit must be 1 to ${PURCHASES_MAX_LIMIT}, not ${limit}`);
    }
    for (let page = 0; page < this.maxPages; page += 1) {
      const purchases = await this.getPurchasesPage(filters, limit, page * limit);
      yield purchases;
      if (purchases.length < limit) return;
    }
    throw new SparkLayerResponseError(`GET /api/v1/purchases: still full pages after ${this.maxPages} pages; stopping`);
  }

  async getAllPurchases(
    filters: Record<string, string | number> = {},
    limit = PURCHASES_MAX_LIMIT,
  ): Promise<Purchase[]> {
    const all: Purchase[] = [];
    for await (const page of this.purchasePages(filters, limit)) all.push(...page);
    return all;
  }

  getPurchase(lookupBy: PurchaseLookup, identifier: string): Promise<Purchase> {
    return this.send({ method: 'GET', path: purchasePath(lookupBy, identifier), schema: purchaseSchema });
  }

  /** Full replace. SparkLayer computes the `calculated_*` fields; they are never sent (withoutCalculated). */
  putPurchase(lookupBy: PurchaseLookup, identifier: string, purchase: Purchase): Promise<unknown> {
    const body = withoutCalculated(purchase);
    return this.send({ method: 'PUT', path: purchasePath(lookupBy, identifier), body, schema: z.unknown() });
  }

  /** Get, merge the change over the stored purchase, put: nothing the change leaves out is cleared. */
  async updatePurchase(lookupBy: PurchaseLookup, identifier: string, change: DeepPartial<Purchase>): Promise<Purchase> {
    const merged = mergeForReplace(await this.getPurchase(lookupBy, identifier), change);
    await this.putPurchase(lookupBy, identifier, merged);
    return merged;
  }

  getTransactions(lookupBy: PurchaseLookup, identifier: string) {
    return this.send({
      method: 'GET',
      path: `${purchasePath(lookupBy, identifier)}/transactions`,
      schema: z.array(transactionSchema),
    });
  }

  putTransaction(
    lookupBy: PurchaseLookup,
    identifier: string,
    transaction: z.input<typeof transactionSchema>,
  ): Promise<unknown> {
    return this.send({
      method: 'PUT',
      path: `${purchasePath(lookupBy, identifier)}/transactions`,
      body: transaction,
      schema: z.unknown(),
    });
  }

  // Customers -------------------------------------------------------------------------------------------

  getCustomer(lookupBy: CustomerLookup, identifier: string): Promise<Customer> {
    return this.send({ method: 'GET', path: customerPath(lookupBy, identifier), schema: customerSchema });
  }

  /** Full replace: a field left out is cleared (price lists, credit limit, addresses). Prefer updateCustomer. */
  putCustomer(lookupBy: CustomerLookup, identifier: string, customer: Customer): Promise<unknown> {
    return this.send({ method: 'PUT', path: customerPath(lookupBy, identifier), body: customer, schema: z.unknown() });
  }

  /** Get, merge the change over the stored customer, put: nothing the change leaves out is cleared. */
  async updateCustomer(lookupBy: CustomerLookup, identifier: string, change: DeepPartial<Customer>): Promise<Customer> {
    const merged = mergeForReplace(await this.getCustomer(lookupBy, identifier), change);
    await this.putCustomer(lookupBy, identifier, merged);
    return merged;
  }

  /** A ledger entry (POST …/credit); SparkLayer already posts one per order, so never post orders here twice. */
  adjustCustomerCredit(
    lookupBy: CustomerLookup,
    identifier: string,
    adjustment: Record<string, unknown>,
  ): Promise<unknown> {
    return this.send({
      method: 'POST',
      path: `${customerPath(lookupBy, identifier)}/credit`,
      body: adjustment,
      schema: z.unknown(),
    });
  }

  // Pricing and stock -----------------------------------------------------------------------------------

  /** Every v2 price list, page by page until pagination.current_page reaches total_pages. */
  async getAllPriceLists(pageSize = PRICE_LISTS_MAX_PAGE_SIZE) {
    const all: Array<z.infer<typeof priceListPageSchema>['items'][number]> = [];
    for (let page = 1; page <= this.maxPages; page += 1) {
      const result = await this.send({
        method: 'GET',
        path: '/api/v2/price-lists',
        params: { page, page_size: pageSize },
        schema: priceListPageSchema,
      });
      all.push(...result.items);
      if (result.pagination.current_page >= result.pagination.total_pages) return all;
    }
    throw new SparkLayerResponseError(`GET /api/v2/price-lists: more than ${this.maxPages} pages; stopping`);
  }

  /**
   * GET /api/v1/price-lists/{slug}/pricing (getPriceListPricingData,
   * https://docs.sparklayer.io/developers/api/pricing/get-pricing-by-price-list.md): every price stored on the list,
   * one entry per SKU and quantity break, ordered by SKU (rule-derived prices not included). A 204 (no prices) is an
   * empty array; a 404 (no such list) is an error. The entry's fields are UNVERIFIED (schemas.ts).
   */
  async getPriceListPricing(slug: string): Promise<PriceListPricingEntry[]> {
    const entries = await this.send({
      method: 'GET',
      path: `/api/v1/price-lists/${encodeURIComponent(slug)}/pricing`,
      schema: priceListPricingSchema.optional(),
    });
    return entries ?? [];
  }

  /** Replaces the prices of the SKUs sent; a 409 here is a concurrent update and is retried. */
  updatePriceListPricing(slug: string, rows: unknown[]): Promise<unknown> {
    return this.send({
      method: 'PATCH',
      path: `/api/v1/price-lists/${encodeURIComponent(slug)}/pricing`,
      body: rows,
      schema: z.unknown(),
      retryOnConflict: true,
    });
  }

  /**
   * POST /api/v1/batch-fetch-stock (https://docs.sparklayer.io/developers/api/stock/get-stock-levels.md): the levels
   * of `skus`, at every stock location when `filter.all_stock_locations` is true (otherwise only `default`).
   */
  fetchStock(request: { skus: string[]; filter?: Record<string, unknown> }): Promise<unknown> {
    return this.send({ method: 'POST', path: '/api/v1/batch-fetch-stock', body: request, schema: z.unknown() });
  }

  updateStock(rows: unknown[]): Promise<unknown> {
    return this.send({ method: 'POST', path: '/api/v1/batch-update-stock', body: rows, schema: z.unknown() });
  }

  // Sync log --------------------------------------------------------------------------------------------

  getSyncLog(integration: string, dataType: string) {
    return this.send({ method: 'GET', path: syncLogPath(integration, dataType), schema: syncLogSchema });
  }

  putSyncLog(integration: string, dataType: string, entry: Record<string, unknown>): Promise<unknown> {
    return this.send({ method: 'PUT', path: syncLogPath(integration, dataType), body: entry, schema: z.unknown() });
  }

  // Transport -------------------------------------------------------------------------------------------

  private async accessToken(): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return this.token.value;
    // Concurrent callers share one token request.
    this.pendingToken ??= this.requestToken().finally(() => {
      this.pendingToken = undefined;
    });
    return this.pendingToken;
  }

  private async requestToken(): Promise<string> {
    const token = await this.send({
      method: 'POST',
      path: '/api/auth/token',
      body: {
        grant_type: 'client_credentials',
        client_id: this.config.clientId,
        client_secret: this.config.clientSecret,
      },
      schema: tokenResponseSchema,
      anonymous: true,
    });
    this.redactor.add(token.access_token);
    this.tokensIssued += 1;
    const lifetimeMs = token.expires_in * 1000;
    this.token = {
      value: token.access_token,
      refreshAt: this.now() + lifetimeMs - Math.min(this.refreshMarginMs, lifetimeMs / 2),
    };
    return token.access_token;
  }

  private async send<T>(spec: RequestSpec<T>): Promise<T> {
    const label = `${spec.method} ${spec.path}`;
    const answer = await this.transport.request({
      method: spec.method,
      url: spec.path,
      params: spec.params,
      label,
      body: spec.body,
      schema: spec.schema,
      // SparkLayer asks for 5xx to be retried (errors.md), whatever the method; this client repeats a lost answer too.
      repeatable: true,
      retryStatuses: spec.retryOnConflict ? [409] : undefined,
      anonymous: spec.anonymous,
      noAnswer: (reason, attempts) => `${label}: no answer from SparkLayer after ${attempts} attempts (${reason})`,
    });
    return answer.data;
  }

  /** An error answer: RFC 7807 problem details when SparkLayer sent them, else the body as it came. */
  private describe(body: unknown): { summary: string; details: Omit<SparkLayerErrorDetails, keyof ApiErrorDetails> } {
    const problem: ProblemDetails | undefined = isJsonObject(body)
      ? problemDetailsSchema.safeParse(body).data
      : undefined;
    const isProblem =
      problem !== undefined &&
      (problem.title !== undefined || problem.detail !== undefined || problem.errors !== undefined);
    return {
      summary: isProblem
        ? describeProblem(problem)
        : body === undefined
          ? 'no body'
          : JSON.stringify(body).slice(0, 300),
      details: {
        title: isProblem ? problem.title : undefined,
        detail: isProblem && problem.detail !== undefined ? this.redactor.redact(problem.detail) : undefined,
        fieldErrors: isProblem ? (problem.errors ?? []) : [],
        body: isProblem || body === undefined ? undefined : JSON.parse(this.redactor.redact(JSON.stringify(body))),
      },
    };
  }
}

const purchasePath = (lookupBy: PurchaseLookup, identifier: string) =>
  `/api/v1/purchases/${lookupBy}/${encodeURIComponent(identifier)}`;
const customerPath = (lookupBy: CustomerLookup, identifier: string) =>
  `/api/v2/customers/${lookupBy}/${encodeURIComponent(identifier)}`;
const syncLogPath = (integration: string, dataType: string) =>
  `/api/v1/sync-log/${encodeURIComponent(integration)}/${encodeURIComponent(dataType)}`;
