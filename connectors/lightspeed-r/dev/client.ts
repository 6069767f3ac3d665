/**
 * The Lightspeed R-Series (Retail POS) API V3 client: OAuth 2 with rotating refresh tokens, a leaky-bucket pacer that
 * keeps it under the rate limit, cursor paging, and typed errors with every secret redacted. Answers are parsed with
 * the normalising schemas (schemas.ts), so callers never see R-Series' JSON quirks.
 *
 * Tokens (https://developers.lightspeedhq.com/retail/authentication/refresh-token/):
 * - it starts from the configured refresh token and refreshes shortly before `expires_in` runs out ("Refresh token
 *   grants should only be performed when the access token has expired or shortly before expiration"), and once on a
 *   401 ("be sure that your application only tries to refresh once"); concurrent calls share one refresh;
 * - every refresh returns a NEW refresh token, and the old one is revoked as soon as the new access token is used. So
 *   the client hands the new one to `onRefreshToken` and waits for it BEFORE using the new access token ("Be sure to
 *   properly store the new access token and refresh token in your client before making requests with the new access
 *   token"). If storing fails, the new tokens are dropped unused: the previous refresh token then stays valid and
 *   nothing is lost. A revoked refresh token is never sent again: the client only ever holds the newest.
 *
 * Rate limits (https://developers.lightspeedhq.com/retail/introduction/ratelimits/): a leaky bucket per account and
 * client (90 drips, 1 a second with one register). Each request's cost is estimated from the documented rules
 * (costs.ts) and paced by connectors/http/leaky-bucket.ts, which reads X-LS-Api-Bucket-Level ("used/capacity"),
 * X-LS-Api-Drip-Rate and X-LS-API-Burst-Level from every answer. A 429 is refused before any work ("Rate limit costs
 * are … evaluated before any entities are loaded from the database"), so it is retried for every method, after the
 * Retry-After seconds (at least 1 s for the burst limiter); every other request waits too.
 *
 * Retries otherwise follow connectors/http: 5xx and dropped connections only where repeating is harmless (reads);
 * a POST or a PUT with payments that failed with a 5xx may have been applied, so it is not repeated and says so.
 */
import axios, { type AxiosAdapter, type AxiosInstance, type Method } from 'axios';
import * as z from 'zod';
import type { StockLevel } from '../../../model/stock.js';
import { clientTiming, type ClientTiming, type ClientTimingOptions } from '../../http/client-options.js';
import { LeakyBucket, parseLevelHeader, parseNumberHeader, type BucketReport } from '../../http/leaky-bucket.js';
import { Redactor } from '../../http/redact.js';
import { backoffDelay, parseRetryAfter, type RetryPolicy } from '../../http/retry.js';
import { accountRoot, type LightspeedRConfig } from './config.js';
import { purchaseMarkerIn, REFERENCE_SOURCE, SKU_FIELDS, type SkuField } from '../constants.js';
import { DEFAULT_BUCKET, requestCost } from './costs.js';
import { LightspeedRApiError, LightspeedRAuthError, LightspeedRNetworkError, LightspeedRResponseError, type LightspeedRErrorDetails } from './errors.js';
import {
  accountListSchema,
  customerAnswerSchema,
  customerListSchema,
  customerTypeListSchema,
  itemListSchema,
  itemMatrixAnswerSchema,
  itemShopListSchema,
  oauthErrorSchema,
  paymentTypeListSchema,
  saleAnswerSchema,
  saleListSchema,
  taxCategoryListSchema,
  tokenResponseSchema,
  type Account,
  type Customer,
  type CustomerCreate,
  type CustomerType,
  type Item,
  type ItemMatrix,
  type ItemShop,
  type PaymentType,
  type Sale,
  type SaleCreate,
  type SaleUpdate,
  type TaxCategory,
} from '../schemas.js';

/** At most 100 records a page, and at most 100 values in an IN list (https://developers.lightspeedhq.com/retail/introduction/parameters/). */
export const PAGE_LIMIT = 100;
export const IN_LIMIT = 100;

export { REFERENCE_SOURCE, SKU_FIELDS, type SkuField };

export interface LightspeedRClientOptions extends ClientTimingOptions {
  timeoutMs?: number;
  /** Called with every new refresh token, and awaited, before the new access token is used. Persist it here. */
  onRefreshToken?: (refreshToken: string) => void | Promise<void>;
  /** The bucket assumed before the first answer says otherwise (90 drips, 1 a second). */
  bucket?: { capacity: number; dripPerSecond: number; burst?: { limit: number; windowMs: number } };
  /** Refresh this long before the access token expires (60 s). */
  refreshMarginMs?: number;
  /** 429s retried per request before giving up (10). */
  maxRateLimitRetries?: number;
  /** Guard against a server that keeps answering a next page. */
  maxPages?: number;
  /** Another transport (the in-process fake R-Series). */
  adapter?: AxiosAdapter;
}

interface RequestSpec<T> {
  method: Method;
  /** Absolute URL without the query, or a path under the account root. */
  url: string;
  query?: Record<string, string>;
  body?: unknown;
  schema: z.ZodType<T>;
  /** Whether a 5xx or a dropped connection may be answered by sending the request again. */
  repeatable: boolean;
}

/** The client's view of its rate limiting, for tests and the benchmark. */
export interface RateLimitStats {
  requests: number;
  rateLimited: number;
  waitedMs: number;
}

export class LightspeedRClient {
  private readonly http: AxiosInstance;
  private readonly redactor = new Redactor();
  private readonly policy: RetryPolicy;
  private readonly sleep: ClientTiming['sleep'];
  private readonly now: ClientTiming['now'];
  private readonly random: ClientTiming['random'];
  private readonly log: ClientTiming['log'];
  private readonly root: string;
  private readonly bucket: LeakyBucket;
  private readonly refreshMarginMs: number;
  private readonly maxRateLimitRetries: number;
  private readonly maxPages: number;
  private readonly onRefreshToken: NonNullable<LightspeedRClientOptions['onRefreshToken']>;
  private refreshToken: string;
  private access: { token: string; expiresAt: number } | undefined;
  private refreshing: Promise<string> | undefined;
  readonly stats: RateLimitStats = { requests: 0, rateLimited: 0, waitedMs: 0 };

  constructor(
    private readonly config: LightspeedRConfig,
    options: LightspeedRClientOptions = {},
  ) {
    const timing = clientTiming(options);
    ({ policy: this.policy, now: this.now, random: this.random, log: this.log } = timing);
    const sleep = timing.sleep;
    this.sleep = async (ms) => {
      this.stats.waitedMs += ms;
      await sleep(ms);
    };
    this.root = accountRoot(config);
    this.refreshToken = config.refreshToken;
    this.refreshMarginMs = options.refreshMarginMs ?? 60_000;
    this.maxRateLimitRetries = options.maxRateLimitRetries ?? 10;
    this.maxPages = options.maxPages ?? 10_000;
    this.onRefreshToken = options.onRefreshToken ?? (() => undefined);
    const initial = options.bucket ?? DEFAULT_BUCKET;
    this.bucket = new LeakyBucket({ ...initial, now: this.now, sleep: this.sleep, burst: options.bucket?.burst });
    for (const secret of [config.clientSecret, config.refreshToken, config.clientId]) this.redactor.add(secret);
    this.http = axios.create({
      timeout: options.timeoutMs ?? 60_000,
      headers: { 'User-Agent': timing.userAgent, Accept: 'application/json' },
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      transformRequest: [(data: unknown) => data],
      ...(options.adapter ? { adapter: options.adapter } : {}),
    });
  }

  /** The newest refresh token the client holds (the one to persist if `onRefreshToken` was not given). */
  get currentRefreshToken(): string {
    return this.refreshToken;
  }

  /** The pacer's current view: level, capacity, drip. */
  get rateLimit(): { level: number; capacity: number; dripPerSecond: number } {
    return { level: this.bucket.currentLevel(), capacity: this.bucket.capacity, dripPerSecond: this.bucket.dripPerSecond };
  }

  // Account ---------------------------------------------------------------------------------------------

  /** The account(s) the token reaches (GET /API/V3/Account.json): how a consultant finds the account ID. */
  async accounts(): Promise<Account[]> {
    const answer = await this.send({ method: 'GET', url: `${this.config.apiOrigin}/API/V3/Account.json`, schema: accountListSchema, repeatable: true });
    return answer.records;
  }

  // Sales -------------------------------------------------------------------------------------------------

  /**
   * POST Sale.json with its lines, payments and notes. Not repeated after a 5xx or a dropped connection (the sale may
   * exist by then): use `createSaleOnce`, which looks for it first.
   */
  createSale(body: SaleCreate): Promise<Sale> {
    return this.send({ method: 'POST', url: '/Sale.json', body, schema: saleAnswerSchema, repeatable: false });
  }

  /** PUT Sale/{id}.json, e.g. to complete a held sale with its payment. Not repeated after a 5xx when it carries payments. */
  updateSale(saleID: number, body: SaleUpdate): Promise<Sale> {
    return this.send({ method: 'PUT', url: `/Sale/${saleID}.json`, body, schema: saleAnswerSchema, repeatable: body.SalePayments === undefined });
  }

  getSale(saleID: number, relations: string[] = ['SaleLines', 'SalePayments', 'SaleNotes']): Promise<Sale> {
    return this.send({ method: 'GET', url: `/Sale/${saleID}.json`, query: relationsQuery(relations), schema: saleAnswerSchema, repeatable: true });
  }

  /** Sales with this referenceNumber (and source, and customer), with their notes. */
  async findSales(filter: { referenceNumber: string; referenceNumberSource?: string; customerID?: number }): Promise<Sale[]> {
    const query: Record<string, string> = { referenceNumber: filter.referenceNumber, ...relationsQuery(['SaleNotes']) };
    if (filter.referenceNumberSource !== undefined) query.referenceNumberSource = filter.referenceNumberSource;
    if (filter.customerID !== undefined) query.customerID = String(filter.customerID);
    return this.all('/Sale.json', query, saleListSchema);
  }

  /**
   * The sale a mapped body was already booked as, if any: same referenceNumber, source and customer, and the same
   * SparkLayer purchase named in its internal note (see sale-mapper.ts: `purchaseMarker`). A customer may reuse a PO
   * number, so the reference alone does not decide.
   */
  async findSaleFor(body: SaleCreate): Promise<Sale | undefined> {
    const marker = purchaseMarkerOf(body);
    if (body.referenceNumber === undefined || marker === undefined) return undefined;
    const candidates = await this.findSales({ referenceNumber: body.referenceNumber, referenceNumberSource: body.referenceNumberSource, customerID: body.customerID });
    return candidates.find((sale) => sale.SaleNotes?.InternalNote?.note?.includes(marker) === true && sale.voided !== true && sale.archived !== true);
  }

  /** Books the sale unless it is already there (a Patchworks retry or a re-run): re-run safe. */
  async createSaleOnce(body: SaleCreate): Promise<{ sale: Sale; created: boolean }> {
    const existing = await this.findSaleFor(body);
    if (existing !== undefined) {
      this.log(`sale ${existing.saleID} already holds ${purchaseMarkerOf(body)}: not created again`);
      return { sale: existing, created: false };
    }
    return { sale: await this.createSale(body), created: true };
  }

  // Customers ---------------------------------------------------------------------------------------------

  getCustomer(customerID: number, relations: string[] = ['Contact', 'CreditAccount']): Promise<Customer> {
    return this.send({ method: 'GET', url: `/Customer/${customerID}.json`, query: relationsQuery(relations), schema: customerAnswerSchema, repeatable: true });
  }

  /** Customers by primary email (Contact.email, https://developers.lightspeedhq.com/retail/tutorials/searching/). */
  findCustomersByEmail(email: string): Promise<Customer[]> {
    return this.all('/Customer.json', { 'Contact.email': email, ...relationsQuery(['Contact', 'CreditAccount']) }, customerListSchema);
  }

  /** Customers by ID, up to 100 a request (customerID=IN,[…]), with their contact and credit account. */
  async customersById(customerIDs: readonly number[]): Promise<Customer[]> {
    const customers: Customer[] = [];
    for (const chunk of chunks([...new Set(customerIDs)], IN_LIMIT)) {
      customers.push(...(await this.all('/Customer.json', { customerID: `IN,${JSON.stringify(chunk)}`, ...relationsQuery(['Contact', 'CreditAccount']) }, customerListSchema)));
    }
    return customers;
  }

  /**
   * POST Customer.json, then, with `creditAccount`, PUT Customer/{id}.json {"CreditAccount": {name, creditLimit}}: the
   * way Lightspeed documents giving a customer a credit account (https://developers.lightspeedhq.com/retail/tutorials/creditacounts/).
   * Neither is repeated after a 5xx. If the second fails, the error names the customer that was created: call
   * `addCreditAccount` for it rather than creating it again.
   */
  async createCustomer(body: CustomerCreate, creditAccount?: { name: string; creditLimit: number }): Promise<Customer> {
    const customer = await this.send({ method: 'POST', url: '/Customer.json', body, schema: customerAnswerSchema, repeatable: false });
    if (creditAccount === undefined) return customer;
    try {
      return await this.addCreditAccount(customer.customerID, creditAccount);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new LightspeedRResponseError(this.redact(`customer ${customer.customerID} was created, but its credit account was not: ${reason}. Call addCreditAccount(${customer.customerID}, …) instead of creating the customer again.`));
    }
  }

  /** PUT Customer/{id}.json {"CreditAccount": {name, creditLimit}} (0 = unlimited). */
  addCreditAccount(customerID: number, creditAccount: { name: string; creditLimit: number }): Promise<Customer> {
    return this.send({
      method: 'PUT',
      url: `/Customer/${customerID}.json`,
      query: relationsQuery(['Contact', 'CreditAccount']),
      body: { CreditAccount: creditAccount },
      schema: customerAnswerSchema,
      repeatable: false,
    });
  }

  customerTypes(): Promise<CustomerType[]> {
    return this.all('/CustomerType.json', {}, customerTypeListSchema);
  }

  // Items and stock ---------------------------------------------------------------------------------------

  /**
   * The items each SKU names, archived ones included (archived=true), looked up field by field in `fields` order until
   * one matches: one request per SKU and field (`customSku=<sku>`). A SKU may name several items (a duplicate custom SKU,
   * an archived copy); they are all returned for the caller to judge. A matrix's variants are items of their own; the
   * matrix itself has no SKU and is never returned.
   */
  async itemsBySku(skus: readonly string[], options: { fields?: readonly SkuField[]; archived?: boolean } = {}): Promise<Map<string, Item[]>> {
    const fields = options.fields ?? ['customSku'];
    const found = new Map<string, Item[]>();
    for (const sku of new Set(skus)) {
      let items: Item[] = [];
      for (const field of fields) {
        items = await this.all('/Item.json', { [field]: sku, archived: options.archived === false ? 'false' : 'true' }, itemListSchema);
        if (items.length > 0) break;
      }
      found.set(sku, items);
    }
    return found;
  }

  /** Items by ID, up to 100 a request. */
  async itemsById(itemIDs: readonly number[], options: { archived?: boolean } = {}): Promise<Item[]> {
    const items: Item[] = [];
    for (const chunk of chunks([...new Set(itemIDs)], IN_LIMIT)) {
      items.push(...(await this.all('/Item.json', { itemID: `IN,${JSON.stringify(chunk)}`, archived: options.archived === false ? 'false' : 'true' }, itemListSchema)));
    }
    return items;
  }

  /** A matrix with its variant items (load_relations=["Items"]). */
  itemMatrix(itemMatrixID: number): Promise<ItemMatrix> {
    return this.send({ method: 'GET', url: `/ItemMatrix/${itemMatrixID}.json`, query: relationsQuery(['Items']), schema: itemMatrixAnswerSchema, repeatable: true });
  }

  /** Every ItemShop of these items, all pages, up to 100 item IDs a request. */
  async itemShops(itemIDs: readonly number[]): Promise<ItemShop[]> {
    const shops: ItemShop[] = [];
    for (const chunk of chunks([...new Set(itemIDs)], IN_LIMIT)) {
      shops.push(...(await this.all('/ItemShop.json', { itemID: `IN,${JSON.stringify(chunk)}` }, itemShopListSchema)));
    }
    return shops;
  }

  /**
   * Stock per SKU per shop (model/stock.ts) from the items' ItemShops. The ItemShop with shopID 0 is left out: it is
   * R-Series' summary of all shops (https://developers.lightspeedhq.com/retail/endpoints/ItemShop/), and sent as a
   * location of its own it would count every unit twice. A SKU that names no item, or several live items, gives no
   * level (the log says which): stock is never guessed.
   */
  async stockLevels(skus: readonly string[], options: { fields?: readonly SkuField[] } = {}): Promise<StockLevel[]> {
    const bySku = await this.itemsBySku(skus, { fields: options.fields, archived: true });
    const chosen = new Map<string, Item>();
    for (const [sku, items] of bySku) {
      const live = items.filter((item) => item.archived !== true);
      const candidates = live.length > 0 ? live : items;
      if (candidates.length === 1) chosen.set(sku, candidates[0]!);
      else this.log(candidates.length === 0 ? `stock: SKU ${sku} names no R-Series item` : `stock: SKU ${sku} names ${candidates.length} items (${candidates.map((i) => i.itemID).join(', ')}); left out`);
    }
    const shops = await this.itemShops([...chosen.values()].map((item) => item.itemID));
    const levels: StockLevel[] = [];
    for (const [sku, item] of chosen) {
      for (const shop of shops.filter((s) => s.itemID === item.itemID && s.shopID !== 0).sort((a, b) => a.shopID - b.shopID)) {
        const level: StockLevel = { sku, location: String(shop.shopID), on_hand: String(shop.qoh ?? 0), product_id: String(item.itemID), source: 'lightspeed-r' };
        if (shop.sellable !== undefined) level.available = String(shop.sellable);
        levels.push(level);
      }
    }
    return levels;
  }

  // Setup lists -------------------------------------------------------------------------------------------

  taxCategories(): Promise<TaxCategory[]> {
    return this.all('/TaxCategory.json', {}, taxCategoryListSchema);
  }

  paymentTypes(): Promise<PaymentType[]> {
    return this.all('/PaymentType.json', {}, paymentTypeListSchema);
  }

  // Paging ------------------------------------------------------------------------------------------------

  /**
   * Every page of a query, in order, following `@attributes.next` exactly as given
   * (https://developers.lightspeedhq.com/retail/introduction/pagination/: "Always use the URLs as provided"). A next
   * URL outside this account's API root is refused: the bearer token is never sent anywhere else.
   */
  async *pages<T>(path: string, query: Record<string, string>, schema: z.ZodType<{ records: T[]; next?: string }>): AsyncGenerator<T[]> {
    let url: string | undefined;
    const spec: RequestSpec<{ records: T[]; next?: string }> = { method: 'GET', url: path, query: { limit: String(PAGE_LIMIT), ...query }, schema, repeatable: true };
    for (let page = 0; page < this.maxPages; page += 1) {
      const answer = await this.send(url === undefined ? spec : { ...spec, url, query: undefined });
      yield answer.records;
      if (answer.next === undefined) return;
      if (!answer.next.startsWith(`${this.root}/`)) {
        throw new LightspeedRResponseError(this.redact(`GET ${path}: the next page ${answer.next} is not under ${this.root}; not followed`));
      }
      url = answer.next;
    }
    throw new LightspeedRResponseError(`GET ${path}: still a next page after ${this.maxPages} pages; stopping`);
  }

  async all<T>(path: string, query: Record<string, string>, schema: z.ZodType<{ records: T[]; next?: string }>): Promise<T[]> {
    const records: T[] = [];
    for await (const page of this.pages(path, query, schema)) records.push(...page);
    return records;
  }

  // Tokens ------------------------------------------------------------------------------------------------

  /** The access token to send now: refreshed when missing or within the margin of its expiry. */
  private async accessToken(): Promise<string> {
    if (this.access !== undefined && this.now() < this.access.expiresAt - this.refreshMarginMs) return this.access.token;
    return this.refresh();
  }

  /** One refresh at a time; callers arriving during one share it. */
  private refresh(): Promise<string> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<string> {
    const body = JSON.stringify({
      client_id: this.config.clientId,
      client_secret: this.config.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: this.refreshToken,
    });
    const label = `POST ${new URL(this.config.tokenUrl).pathname}`;
    for (let attempt = 1; ; attempt += 1) {
      let response;
      try {
        response = await this.http.request({ method: 'POST', url: this.config.tokenUrl, data: body, headers: { 'Content-Type': 'application/json' } });
      } catch (error) {
        // The old refresh token is only revoked once a new access token is used, so asking again is safe.
        if (attempt <= this.policy.maxRetries) {
          await this.wait(label, attempt, backoffDelay(attempt - 1, this.policy, this.random), networkReason(error));
          continue;
        }
        throw new LightspeedRNetworkError(this.redact(`${label}: no answer from the token endpoint (${networkReason(error)}) after ${attempt} attempts`));
      }
      const data = safeJson(response.data);
      if (response.status >= 500 && attempt <= this.policy.maxRetries) {
        await this.wait(label, attempt, backoffDelay(attempt - 1, this.policy, this.random), `HTTP ${response.status}`);
        continue;
      }
      if (response.status !== 200) {
        const oauth = oauthErrorSchema.safeParse(data).data;
        const what = [oauth?.error, oauth?.error_description, oauth?.hint].filter(Boolean).join(': ') || describeBody(data);
        const advice =
          oauth?.error === 'invalid_grant'
            ? ' The refresh token is invalid, revoked or expired (unused ones expire after 30 days): an account user must authorise the client again.'
            : '';
        throw new LightspeedRAuthError(this.redact(`${label} failed: HTTP ${response.status} - ${what}.${advice}`), {
          method: 'POST',
          path: new URL(this.config.tokenUrl).pathname,
          status: response.status,
          attempts: attempt,
          oauthError: oauth?.error,
          body: this.redactBody(data),
        });
      }
      const parsed = tokenResponseSchema.safeParse(data);
      if (!parsed.success) throw new LightspeedRResponseError(this.redact(`${label}: the token answer does not have the documented shape: ${z.prettifyError(parsed.error)}`));
      const tokens = parsed.data;
      this.redactor.add(tokens.access_token);
      this.redactor.add(tokens.refresh_token);
      try {
        await this.onRefreshToken(tokens.refresh_token);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new LightspeedRAuthError(
          this.redact(`the new refresh token could not be stored (${reason}); the new access token was not used, so the previous refresh token stays valid`),
          { method: 'POST', path: new URL(this.config.tokenUrl).pathname, status: response.status, attempts: attempt },
        );
      }
      this.refreshToken = tokens.refresh_token;
      this.access = { token: tokens.access_token, expiresAt: this.now() + tokens.expires_in * 1000 };
      this.log(`access token refreshed (expires in ${tokens.expires_in} s); the new refresh token was handed over`);
      return tokens.access_token;
    }
  }

  // Transport ---------------------------------------------------------------------------------------------

  private async send<T>(spec: RequestSpec<T>): Promise<T> {
    const url = spec.url.startsWith('http') ? spec.url : `${this.root}${spec.url}`;
    const search = new URLSearchParams(spec.query ?? {}).toString();
    const fullUrl = search ? `${url}?${search}` : url;
    const parsedUrl = new URL(fullUrl);
    const label = `${spec.method} ${parsedUrl.pathname}${parsedUrl.search}`;
    const data = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const cost = requestCost({ method: spec.method, path: parsedUrl.pathname, query: parsedUrl.searchParams, body: spec.body });
    let refreshedFor401 = false;
    let rateLimited = 0;

    for (let attempt = 1; ; attempt += 1) {
      const token = await this.accessToken();
      const ticket = await this.bucket.take(cost);
      const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
      if (data !== undefined) headers['Content-Type'] = 'application/json';
      this.stats.requests += 1;
      let response;
      try {
        response = await this.http.request({ method: spec.method, url: fullUrl, data, headers });
      } catch (error) {
        // It may or may not have reached the bucket: keep the reservation.
        this.bucket.observe(ticket);
        const reason = networkReason(error);
        if (spec.repeatable && attempt <= this.policy.maxRetries) {
          await this.wait(label, attempt, backoffDelay(attempt - 1, this.policy, this.random), reason);
          continue;
        }
        const note = spec.repeatable ? `after ${attempt} attempts` : 'not repeated: it may have been applied; check before sending again';
        throw new LightspeedRNetworkError(this.redact(`${label}: no answer from R-Series (${reason}) - ${note}`));
      }

      const responseHeaders = response.headers as Record<string, unknown>;
      const report = bucketReport(responseHeaders);
      const { status } = response;
      if (status === 429) {
        this.stats.rateLimited += 1;
        rateLimited += 1;
        const limiter = typeof responseHeaders['x-ls-api-ratelimit-type'] === 'string' ? responseHeaders['x-ls-api-ratelimit-type'] : undefined;
        // The burst limiter asks for "at least 1 second"; no Retry-After at all: the same.
        const asked = parseRetryAfter(responseHeaders['retry-after'] as string | undefined, this.now()) ?? 1000;
        const waitMs = Math.max(asked, limiter === 'api-burst-limiter' ? 1000 : 0);
        this.bucket.refund(ticket, waitMs, report);
        if (waitMs > this.policy.maxDelayMs || rateLimited > this.maxRateLimitRetries) {
          throw this.apiError(spec, label, status, response.data, attempt, waitMs > this.policy.maxDelayMs ? `R-Series asked to wait ${Math.ceil(waitMs / 1000)} s, longer than the ${this.policy.maxDelayMs / 1000} s this client waits` : `still rate limited after ${rateLimited} waits`, limiter);
        }
        this.log(this.redact(`${label}: HTTP 429 (${limiter ?? 'rate limited'}); waiting ${waitMs} ms as Retry-After asks`));
        attempt -= 1; // a refusal before any work is not a failed attempt
        continue;
      }
      this.bucket.observe(ticket, report);
      if (status >= 200 && status < 300) return this.parse(label, spec.schema, response.data);
      if (status === 401 && !refreshedFor401) {
        refreshedFor401 = true;
        if (this.access?.token === token) this.access = undefined;
        this.log(`${label}: HTTP 401; refreshing the access token once`);
        await this.refresh();
        attempt -= 1;
        continue;
      }
      if (status >= 500 && spec.repeatable && attempt <= this.policy.maxRetries) {
        await this.wait(label, attempt, backoffDelay(attempt - 1, this.policy, this.random), `HTTP ${status}`);
        continue;
      }
      const note = status >= 500 && !spec.repeatable ? 'not repeated: it may have been applied; check before sending again' : undefined;
      throw this.apiError(spec, label, status, response.data, attempt, note);
    }
  }

  private async wait(label: string, attempt: number, delayMs: number, reason: string): Promise<void> {
    this.log(this.redact(`${label}: ${reason}; retry ${attempt} of ${this.policy.maxRetries} in ${delayMs} ms`));
    await this.sleep(delayMs);
  }

  private parse<T>(label: string, schema: z.ZodType<T>, data: unknown): T {
    const parsed = schema.safeParse(safeJson(data));
    if (parsed.success) return parsed.data;
    throw new LightspeedRResponseError(this.redact(`${label}: R-Series' answer does not have the documented shape: ${z.prettifyError(parsed.error)}`));
  }

  private apiError(spec: RequestSpec<unknown>, label: string, status: number, data: unknown, attempts: number, note?: string, rateLimitType?: string): LightspeedRApiError {
    const body = safeJson(data);
    const oauth = status === 401 || status === 403 ? oauthErrorSchema.safeParse(body).data : undefined;
    const summary = oauth?.error ? [oauth.error, oauth.hint ?? oauth.error_description].filter(Boolean).join(': ') : describeBody(body);
    const advice = status === 403 ? 'the token lacks a scope this call needs (employee:register, employee:customers, employee:inventory_read)' : undefined;
    const message = this.redact(
      [`${label} failed: HTTP ${status}`, summary, advice, note, attempts > 1 ? `after ${attempts} attempts` : undefined].filter(Boolean).join(' - '),
    );
    const details: LightspeedRErrorDetails = {
      method: spec.method,
      path: label.slice(String(spec.method).length + 1),
      status,
      attempts,
      oauthError: oauth?.error,
      body: this.redactBody(body),
      rateLimitType,
    };
    return status === 401 || status === 403 ? new LightspeedRAuthError(message, details) : new LightspeedRApiError(message, details);
  }

  private redactBody(body: unknown): unknown {
    if (body === undefined || body === '') return undefined;
    return JSON.parse(this.redact(JSON.stringify(body ?? null))) as unknown;
  }

  private redact(text: string): string {
    return this.redactor.redact(text);
  }
}

/** The marker the mapper writes in a sale's internal note, read back from a body: `SparkLayer purchase <id>`. */
export function purchaseMarkerOf(body: Pick<SaleCreate, 'SaleNotes'>): string | undefined {
  return purchaseMarkerIn(body.SaleNotes?.InternalNote?.note);
}

function bucketReport(headers: Record<string, unknown>): BucketReport {
  const bucket = parseLevelHeader(headers['x-ls-api-bucket-level']);
  const burst = parseLevelHeader(headers['x-ls-api-burst-level']);
  return { level: bucket.used, capacity: bucket.capacity, dripPerSecond: parseNumberHeader(headers['x-ls-api-drip-rate']), burstLimit: burst.capacity };
}

function relationsQuery(relations: readonly string[]): Record<string, string> {
  return relations.length === 0 ? {} : { load_relations: JSON.stringify(relations) };
}

function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

function networkReason(error: unknown): string {
  // The axios error holds the request headers (the bearer token), so only its code and message travel on.
  return axios.isAxiosError(error) ? [error.code, error.message].filter(Boolean).join(' ') : String(error);
}

function safeJson(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  if (data.trim() === '') return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

function describeBody(body: unknown): string {
  if (body === undefined || body === null || body === '') return 'no body';
  return (typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 300);
}

