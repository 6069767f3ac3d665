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
import type { AxiosAdapter, AxiosHeaders, Method } from 'axios';
import type * as z from 'zod';
import type { StockLevel } from '../../../model/stock.js';
import type { ApiErrorDetails } from '../../http/api-error.js';
import { clientTiming, type ClientTiming, type ClientTimingOptions } from '../../http/client-options.js';
import {
  LeakyBucket,
  parseLevelHeader,
  parseNumberHeader,
  type BucketReport,
  type BucketTicket,
} from '../../http/leaky-bucket.js';
import { Redactor } from '../../http/redact.js';
import { parseRetryAfter, type RetryPolicy } from '../../http/retry.js';
import { bearer, header, Transport, type RateLimiter } from '../../http/transport.js';
import { accountRoot, type LightspeedRConfig } from './config.js';
import { purchaseMarkerIn, REFERENCE_SOURCE, SKU_FIELDS, type SkuField } from '../constants.js';
import { DEFAULT_BUCKET, requestCost } from './costs.js';
import { stockQuery } from '../stock-reader.js';
import {
  LightspeedRApiError,
  LightspeedRAuthError,
  LightspeedRNetworkError,
  LightspeedRResponseError,
  type LightspeedRErrorDetails,
} from './errors.js';
import {
  accountListSchema,
  customerAnswerSchema,
  customerListSchema,
  customerTypeListSchema,
  itemAnswerSchema,
  itemListSchema,
  itemMatrixAnswerSchema,
  itemShopListSchema,
  oauthErrorSchema,
  paymentTypeListSchema,
  priceLevelListSchema,
  rawPageSchema,
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
  type ItemPricesUpdate,
  type ItemShop,
  type PaymentType,
  type PriceLevel,
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
  private readonly transport: Transport<LightspeedRErrorDetails>;
  private readonly redactor = new Redactor();
  private readonly policy: RetryPolicy;
  private readonly sleep: ClientTiming['sleep'];
  private readonly now: ClientTiming['now'];
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
    ({ policy: this.policy, now: this.now, log: this.log } = timing);
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
    this.transport = new Transport({
      vendor: 'R-Series',
      answerName: "R-Series' answer",
      timing: { ...timing, sleep: this.sleep },
      timeoutMs: options.timeoutMs ?? 60_000,
      adapter: options.adapter,
      redact: (text) => this.redact(text),
      describe: (status, body) => this.describe(status, body),
      errors: {
        api: LightspeedRApiError,
        auth: LightspeedRAuthError,
        network: LightspeedRNetworkError,
        response: LightspeedRResponseError,
      },
      unrepeatableNote: 'not repeated: it may have been applied; check before sending again',
      // Refresh once on a 401 ("be sure that your application only tries to refresh once"), unless another call already
      // has.
      credentials: bearer(
        () => this.accessToken(),
        async (refused, label) => {
          if (this.access?.token === refused) this.access = undefined;
          this.log(`${label}: HTTP 401; refreshing the access token once`);
          await this.refresh();
        },
      ),
      limiter: this.bucketLimiter(),
      // A 5xx backs off; only a 429's Retry-After is waited for (by the bucket).
      retryAfter: '429-only',
    });
  }

  /** The newest refresh token the client holds (the one to persist if `onRefreshToken` was not given). */
  get currentRefreshToken(): string {
    return this.refreshToken;
  }

  /** The pacer's current view: level, capacity, drip. */
  get rateLimit(): { level: number; capacity: number; dripPerSecond: number } {
    return {
      level: this.bucket.currentLevel(),
      capacity: this.bucket.capacity,
      dripPerSecond: this.bucket.dripPerSecond,
    };
  }

  // Account ---------------------------------------------------------------------------------------------

  /** The account(s) the token reaches (GET /API/V3/Account.json): how a consultant finds the account ID. */
  async accounts(): Promise<Account[]> {
    const answer = await this.send({
      method: 'GET',
      url: `${this.config.apiOrigin}/API/V3/Account.json`,
      schema: accountListSchema,
      repeatable: true,
    });
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

  /** PUT Sale/{id}.json, e.g. to complete a held sale with its payment. Not repeated after a 5xx when it carries
   * payments. */
  updateSale(saleID: number, body: SaleUpdate): Promise<Sale> {
    return this.send({
      method: 'PUT',
      url: `/Sale/${saleID}.json`,
      body,
      schema: saleAnswerSchema,
      repeatable: body.SalePayments === undefined,
    });
  }

  getSale(saleID: number, relations: string[] = ['SaleLines', 'SalePayments', 'SaleNotes']): Promise<Sale> {
    return this.send({
      method: 'GET',
      url: `/Sale/${saleID}.json`,
      query: relationsQuery(relations),
      schema: saleAnswerSchema,
      repeatable: true,
    });
  }

  /** Sales with this referenceNumber (and source, and customer), with their notes. */
  async findSales(filter: {
    referenceNumber: string;
    referenceNumberSource?: string;
    customerID?: number;
  }): Promise<Sale[]> {
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
    const candidates = await this.findSales({
      referenceNumber: body.referenceNumber,
      referenceNumberSource: body.referenceNumberSource,
      customerID: body.customerID,
    });
    return candidates.find(
      (sale) =>
        sale.SaleNotes?.InternalNote?.note?.includes(marker) === true && sale.voided !== true && sale.archived !== true,
    );
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
    return this.send({
      method: 'GET',
      url: `/Customer/${customerID}.json`,
      query: relationsQuery(relations),
      schema: customerAnswerSchema,
      repeatable: true,
    });
  }

  /** Customers by primary email (Contact.email, https://developers.lightspeedhq.com/retail/tutorials/searching/). */
  findCustomersByEmail(email: string): Promise<Customer[]> {
    return this.all(
      '/Customer.json',
      { 'Contact.email': email, ...relationsQuery(['Contact', 'CreditAccount']) },
      customerListSchema,
    );
  }

  /** Customers by ID, up to 100 a request (customerID=IN,[…]), with their contact and credit account. */
  async customersById(customerIDs: readonly number[]): Promise<Customer[]> {
    const customers: Customer[] = [];
    for (const chunk of chunks([...new Set(customerIDs)], IN_LIMIT)) {
      customers.push(
        ...(await this.all(
          '/Customer.json',
          { customerID: `IN,${JSON.stringify(chunk)}`, ...relationsQuery(['Contact', 'CreditAccount']) },
          customerListSchema,
        )),
      );
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
    const customer = await this.send({
      method: 'POST',
      url: '/Customer.json',
      body,
      schema: customerAnswerSchema,
      repeatable: false,
    });
    if (creditAccount === undefined) return customer;
    try {
      return await this.addCreditAccount(customer.customerID, creditAccount);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new LightspeedRResponseError(
        this.redact(
          `customer ${customer.customerID} was created, but its credit account was not: ${reason}. Call ` +
            `addCreditAccount(${customer.customerID}, …) instead of creating the customer again.`,
        ),
      );
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
   * one matches: one request per SKU and field (`customSku=<sku>`). A SKU may name several items (a duplicate custom
   * SKU, an archived copy); they are all returned for the caller to judge. A matrix's variants are items of their own;
   * the matrix itself has no SKU and is never returned.
   */
  async itemsBySku(
    skus: readonly string[],
    options: { fields?: readonly SkuField[]; archived?: boolean } = {},
  ): Promise<Map<string, Item[]>> {
    const fields = options.fields ?? ['customSku'];
    const found = new Map<string, Item[]>();
    for (const sku of new Set(skus)) {
      let items: Item[] = [];
      for (const field of fields) {
        items = await this.all(
          '/Item.json',
          { [field]: sku, archived: options.archived === false ? 'false' : 'true' },
          itemListSchema,
        );
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
      items.push(
        ...(await this.all(
          '/Item.json',
          { itemID: `IN,${JSON.stringify(chunk)}`, archived: options.archived === false ? 'false' : 'true' },
          itemListSchema,
        )),
      );
    }
    return items;
  }

  /**
   * PUT Item/{itemID}.json with the item's Prices (https://developers.lightspeedhq.com/retail/endpoints/Item/): the
   * body scripts/map-prices-to-lightspeed-r writes, every level of the item. Setting amounts is idempotent, so it is
   * repeated after a 5xx or a dropped connection like a read.
   */
  updateItem(itemID: number, body: ItemPricesUpdate): Promise<Item> {
    return this.send({ method: 'PUT', url: `/Item/${itemID}.json`, body, schema: itemAnswerSchema, repeatable: true });
  }

  /** A matrix with its variant items (load_relations=["Items"]). */
  itemMatrix(itemMatrixID: number): Promise<ItemMatrix> {
    return this.send({
      method: 'GET',
      url: `/ItemMatrix/${itemMatrixID}.json`,
      query: relationsQuery(['Items']),
      schema: itemMatrixAnswerSchema,
      repeatable: true,
    });
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
      else
        this.log(
          candidates.length === 0
            ? `stock: SKU ${sku} names no R-Series item`
            : `stock: SKU ${sku} names ${candidates.length} items ` +
                `(${candidates.map((i) => i.itemID).join(', ')}); left out`,
        );
    }
    const shops = await this.itemShops([...chosen.values()].map((item) => item.itemID));
    const levels: StockLevel[] = [];
    for (const [sku, item] of chosen) {
      for (const shop of shops
        .filter((s) => s.itemID === item.itemID && s.shopID !== 0)
        .sort((a, b) => a.shopID - b.shopID)) {
        const level: StockLevel = {
          sku,
          location: String(shop.shopID),
          on_hand: String(shop.qoh ?? 0),
          product_id: String(item.itemID),
          source: 'lightspeed-r',
        };
        if (shop.sellable !== undefined) level.available = String(shop.sellable);
        levels.push(level);
      }
    }
    return levels;
  }

  /**
   * The stock read, one raw answer per page (R-Series' quirks kept, for stock-reader.ts): every item, archived ones
   * too, with its ItemShops (`stockQuery`), following `@attributes.next`; with `since`, only the items with an ItemShop
   * modified since (ItemShops.timeStamp >=).
   */
  stockPages(options: { since?: string; limit?: number } = {}): AsyncGenerator<unknown[]> {
    return this.pages('/Item.json', stockQuery(options), rawPageSchema('Item'));
  }

  // Setup lists -------------------------------------------------------------------------------------------

  taxCategories(): Promise<TaxCategory[]> {
    return this.all('/TaxCategory.json', {}, taxCategoryListSchema);
  }

  paymentTypes(): Promise<PaymentType[]> {
    return this.all('/PaymentType.json', {}, paymentTypeListSchema);
  }

  /** The account's price levels (https://developers.lightspeedhq.com/retail/endpoints/PriceLevel/), archived ones too. */
  priceLevels(): Promise<PriceLevel[]> {
    return this.all('/PriceLevel.json', {}, priceLevelListSchema);
  }

  // Paging ------------------------------------------------------------------------------------------------

  /**
   * Every page of a query, in order, following `@attributes.next` exactly as given
   * (https://developers.lightspeedhq.com/retail/introduction/pagination/: "Always use the URLs as provided"). A next
   * URL outside this account's API root is refused: the bearer token is never sent anywhere else.
   */
  async *pages<T>(
    path: string,
    query: Record<string, string>,
    schema: z.ZodType<{ records: T[]; next?: string }>,
  ): AsyncGenerator<T[]> {
    let url: string | undefined;
    const spec: RequestSpec<{ records: T[]; next?: string }> = {
      method: 'GET',
      url: path,
      query: { limit: String(PAGE_LIMIT), ...query },
      schema,
      repeatable: true,
    };
    for (let page = 0; page < this.maxPages; page += 1) {
      const answer = await this.send(url === undefined ? spec : { ...spec, url, query: undefined });
      yield answer.records;
      if (answer.next === undefined) return;
      if (!answer.next.startsWith(`${this.root}/`)) {
        throw new LightspeedRResponseError(
          this.redact(`GET ${path}: the next page ${answer.next} is not under ${this.root}; not followed`),
        );
      }
      url = answer.next;
    }
    throw new LightspeedRResponseError(`GET ${path}: still a next page after ${this.maxPages} pages; stopping`);
  }

  async all<T>(
    path: string,
    query: Record<string, string>,
    schema: z.ZodType<{ records: T[]; next?: string }>,
  ): Promise<T[]> {
    const records: T[] = [];
    for await (const page of this.pages(path, query, schema)) records.push(...page);
    return records;
  }

  // Tokens ------------------------------------------------------------------------------------------------

  /** The access token to send now: refreshed when missing or within the margin of its expiry. */
  private async accessToken(): Promise<string> {
    if (this.access !== undefined && this.now() < this.access.expiresAt - this.refreshMarginMs)
      return this.access.token;
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
    const path = new URL(this.config.tokenUrl).pathname;
    const label = `POST ${path}`;
    const answer = await this.transport.request({
      method: 'POST',
      url: this.config.tokenUrl,
      label,
      body: {
        client_id: this.config.clientId,
        client_secret: this.config.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: this.refreshToken,
      },
      schema: tokenResponseSchema,
      answerName: 'the token answer',
      // The old refresh token is only revoked once a new access token is used, so asking again is safe.
      repeatable: true,
      anonymous: true,
      retry: (status, _headers, backoff) => (status >= 500 ? backoff() : undefined),
      refused: ({ status, body, attempts }) => {
        const oauth = oauthErrorSchema.safeParse(body).data;
        const what =
          [oauth?.error, oauth?.error_description, oauth?.hint].filter(Boolean).join(': ') || describeBody(body);
        const advice =
          oauth?.error === 'invalid_grant'
            ? ' The refresh token is invalid, revoked or expired (unused ones expire after 30 days): an ' +
              'account user must authorise the client again.'
            : '';
        const details = {
          method: 'POST',
          path,
          status,
          attempts,
          oauthError: oauth?.error,
          body: this.redactBody(body),
        };
        return new LightspeedRAuthError(
          this.redact(`${label} failed: HTTP ${status} - ${what}.${advice}`),
          details,
          this.redact(what),
        );
      },
      noAnswer: (reason, attempts) =>
        `${label}: no answer from the token endpoint (${reason}) after ${attempts} attempts`,
    });
    const tokens = answer.data;
    this.redactor.add(tokens.access_token);
    this.redactor.add(tokens.refresh_token);
    try {
      await this.onRefreshToken(tokens.refresh_token);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new LightspeedRAuthError(
        this.redact(
          `the new refresh token could not be stored (${reason}); the new access token was not used, so ` +
            `the previous refresh token stays valid`,
        ),
        { method: 'POST', path, status: answer.status, attempts: answer.attempts },
      );
    }
    this.refreshToken = tokens.refresh_token;
    this.access = { token: tokens.access_token, expiresAt: this.now() + tokens.expires_in * 1000 };
    this.log(`access token refreshed (expires in ${tokens.expires_in} s); the new refresh token was handed over`);
    return tokens.access_token;
  }

  // Transport ---------------------------------------------------------------------------------------------

  private async send<T>(spec: RequestSpec<T>): Promise<T> {
    const url = spec.url.startsWith('http') ? spec.url : `${this.root}${spec.url}`;
    const search = new URLSearchParams(spec.query ?? {}).toString();
    const fullUrl = search ? `${url}?${search}` : url;
    const parsedUrl = new URL(fullUrl);
    const label = `${spec.method} ${parsedUrl.pathname}${parsedUrl.search}`;
    return (
      await this.transport.request({
        method: spec.method,
        url: fullUrl,
        label,
        body: spec.body,
        schema: spec.schema,
        repeatable: spec.repeatable,
      })
    ).data;
  }

  /**
   * The leaky bucket as the transport's rate limiter: each request pours in what costs.ts says it costs, corrected from
   * every answer's bucket headers. A 429 is refused before any work: its reservation is given back, every request waits
   * the Retry-After (at least 1 s for the burst limiter; 1 s when none is given), and it is not a failed attempt.
   */
  private bucketLimiter(): RateLimiter<BucketTicket> {
    return {
      acquire: async (request) => {
        const { pathname, searchParams } = new URL(request.url);
        const ticket = await this.bucket.take(
          requestCost({ method: request.method, path: pathname, query: searchParams, body: request.body }),
        );
        this.stats.requests += 1;
        return ticket;
      },
      // It may or may not have reached the bucket: keep the reservation.
      lost: (ticket) => this.bucket.observe(ticket),
      answered: (ticket, headers) => this.bucket.observe(ticket, bucketReport(headers)),
      refused: (ticket, { label, headers, refusals }) => {
        this.stats.rateLimited += 1;
        const limiter = header(headers, 'x-ls-api-ratelimit-type');
        // The burst limiter asks for "at least 1 second"; no Retry-After at all: the same.
        const asked = parseRetryAfter(header(headers, 'retry-after'), this.now()) ?? 1000;
        const waitMs = Math.max(asked, limiter === 'api-burst-limiter' ? 1000 : 0);
        this.bucket.refund(ticket, waitMs, bucketReport(headers));
        if (waitMs > this.policy.maxDelayMs) {
          return {
            retry: false,
            note:
              `R-Series asked to wait ${Math.ceil(waitMs / 1000)} s, longer than the ` +
              `${this.policy.maxDelayMs / 1000} s this client waits`,
            details: { rateLimitType: limiter },
          };
        }
        if (refusals > this.maxRateLimitRetries)
          return {
            retry: false,
            note: `still rate limited after ${refusals} waits`,
            details: { rateLimitType: limiter },
          };
        return {
          retry: true,
          counted: false,
          log: `${label}: HTTP 429 (${limiter ?? 'rate limited'}); waiting ${waitMs} ms as Retry-After asks`,
        };
      },
    };
  }

  /** An error answer: an OAuth error on a 401 or 403; Lightspeed documents no other body, so it is kept as sent. */
  private describe(
    status: number,
    body: unknown,
  ): { summary: string; advice?: string; details: Omit<LightspeedRErrorDetails, keyof ApiErrorDetails> } {
    const oauth = status === 401 || status === 403 ? oauthErrorSchema.safeParse(body).data : undefined;
    return {
      summary: oauth?.error
        ? [oauth.error, oauth.hint ?? oauth.error_description].filter(Boolean).join(': ')
        : describeBody(body),
      advice:
        status === 403
          ? 'the token lacks a scope this call needs (employee:register, employee:customers, employee:inventory_read)'
          : undefined,
      details: { oauthError: oauth?.error, body: this.redactBody(body) },
    };
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

function bucketReport(headers: AxiosHeaders): BucketReport {
  const bucket = parseLevelHeader(header(headers, 'x-ls-api-bucket-level'));
  const burst = parseLevelHeader(header(headers, 'x-ls-api-burst-level'));
  return {
    level: bucket.used,
    capacity: bucket.capacity,
    dripPerSecond: parseNumberHeader(header(headers, 'x-ls-api-drip-rate')),
    burstLimit: burst.capacity,
  };
}

function relationsQuery(relations: readonly string[]): Record<string, string> {
  return relations.length === 0 ? {} : { load_relations: JSON.stringify(relations) };
}

function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

function describeBody(body: unknown): string {
  if (body === undefined || body === null || body === '') return 'no body';
  return (typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 300);
}
