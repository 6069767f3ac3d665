/**
 * A fake Lightspeed R-Series for tests, the benchmark and the local runner. It speaks the Fetch API (Request in,
 * Response out), so msw, a loopback HTTP server (contracts/hosts.ts) or the in-process axios adapter below can
 * host it. What it does as R-Series does, each from Lightspeed's docs:
 *
 * - answers in R-Series' JSON quirks: every scalar a string, a collection of one an object, an empty collection ""
 *   (every sample on https://developers.lightspeedhq.com/retail/endpoints/Sale/ and the other endpoint pages), and
 *   query answers paged by `@attributes.next` URLs with an opaque `after` cursor, at most 100 a page
 *   (https://developers.lightspeedhq.com/retail/introduction/pagination/);
 * - checks the bearer token; issues tokens for a refresh token and ROTATES it: every refresh returns a new refresh
 *   token, and the previous one is revoked as soon as the new access token is first used, after which it is refused
 *   with invalid_grant (https://developers.lightspeedhq.com/retail/authentication/refresh-token/); an expired access
 *   token is a 401 with hint "Access token could not be verified";
 * - ENFORCES the leaky bucket (https://developers.lightspeedhq.com/retail/introduction/ratelimits/): `capacity` drips
 *   (90) leaking `dripPerSecond` (1), each request charged what costs.ts says Lightspeed documents; by default, as the
 *   page says, "the first request that would increase the bucket level beyond the bucket size is allowed, but
 *   subsequent requests will be blocked with a 429 … until the bucket level reduces below the bucket size"
 *   (`strict: true` refuses any request that would overflow). Every answer carries X-LS-Api-Bucket-Level,
 *   X-LS-Api-Drip-Rate and X-LS-Api-Request-Cost; a 429 also X-LS-API-RateLimit-Type and Retry-After in whole
 *   seconds. An optional burst limiter counts requests in fixed 1-second windows (X-LS-API-Burst-Level);
 * - serves items with their ItemShops (load_relations=["ItemShops"]), searched in that relation
 *   (`ItemShops.timeStamp=>=,…`: https://developers.lightspeedhq.com/retail/introduction/relations/) and ItemShops
 *   polled by timeStamp (https://developers.lightspeedhq.com/retail/endpoints/ItemShop/), with the documented operators
 *   and `sort` on the sortable fields only (https://developers.lightspeedhq.com/retail/introduction/parameters/,
 *   https://developers.lightspeedhq.com/retail/introduction/pagination/);
 * - keeps customers (with their credit accounts), customer types, items, matrices, ItemShops, tax categories, payment
 *   types and sales; computes a sale's totals as R-Series does (line tax = subtotal × the TaxCategory's rates,
 *   unrounded; the sale's tax rounded half-up to the cent, as the Sales tutorial's answer shows: lines 0.4995 + 1 →
 *   calcTax1 1.5) and refuses to complete a sale whose payments do not equal its total ("the sale must be balanced":
 *   https://developers.lightspeedhq.com/retail/tutorials/sales/), a credit-account payment without its creditAccountID
 *   (https://developers.lightspeedhq.com/retail/tutorials/creditacounts/), an archived or unknown item;
 * - plays queued faults (a status, or a dropped connection).
 *
 * Not R-Series' own words: the bodies of its 400/404 answers (Lightspeed documents none), and a credit account's
 * balance moves down by what is charged to it (the Credit Accounts tutorial: an amount owed is negative; the
 * CreditAccount page says the opposite).
 */
import Big from 'big.js';
import { AxiosError, type AxiosAdapter } from 'axios';
import { FaultPlan, type InjectedFault, type SandboxAnswer } from '../../../contracts/faults.js';
import { loadFixture } from '../../../contracts/fixtures.js';
import type { FakeApi } from '../../../contracts/hosts.js';
import type { LightspeedRConfig } from './config.js';
import { CREDIT_ACCOUNT_PAYMENT_TYPE } from '../constants.js';
import { DEFAULT_BUCKET, requestCost } from './costs.js';

/** Not secrets: the sandbox's own made-up account and client, so tests and `npm start` need none. */
export const SANDBOX_ACCOUNT_ID = '12345';
export const SANDBOX_ORIGIN = 'https://api.lightspeedapp.invalid';
export const SANDBOX_CLIENT = { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' } as const;
export const SANDBOX_REFRESH_TOKEN = 'sandbox-refresh-token-0';

/** A client configuration the sandbox accepts (served at `origin`). */
export function sandboxConfig(overrides: Partial<LightspeedRConfig> & { origin?: string } = {}): LightspeedRConfig {
  const { origin = SANDBOX_ORIGIN, ...rest } = overrides;
  return {
    accountId: SANDBOX_ACCOUNT_ID,
    apiOrigin: origin,
    tokenUrl: `${origin}/auth/oauth/token`,
    environment: 'custom',
    clientId: SANDBOX_CLIENT.clientId,
    clientSecret: SANDBOX_CLIENT.clientSecret,
    refreshToken: SANDBOX_REFRESH_TOKEN,
    ...rest,
  };
}

type Json = Record<string, unknown>;

export interface SandboxData {
  /** Customers as R-Series returns them; a `CreditAccount` inside one is taken as its credit account. */
  customers?: Json[];
  creditAccounts?: Json[];
  customerTypes?: Json[];
  /** Items; `ItemShops` inside one are taken as its stock. */
  items?: Json[];
  /** Matrices; `Items` inside one are taken as its variants. */
  itemMatrices?: Json[];
  itemShops?: Json[];
  taxCategories?: Json[];
  paymentTypes?: Json[];
  sales?: Json[];
}

export interface SandboxOptions {
  accountId?: string;
  clientId?: string;
  clientSecret?: string;
  /** The refresh token the sandbox starts by accepting. */
  refreshToken?: string;
  now?: () => number;
  /** The bucket: 90 drips leaking 1 a second unless a test scales it. */
  capacity?: number;
  dripPerSecond?: number;
  /** Refuse any request that would take the level over the capacity (default: the documented first-overflow rule). */
  strict?: boolean;
  /** Requests allowed per fixed 1-second window; off unless given. */
  burstLimit?: number;
  /** Access token lifetime (1800 s, as the refresh sample's expires_in). */
  accessTokenTtlSeconds?: number;
}

/** Element names of R-Series collections: `"<Relation>": {"<Element>": [...]}`. */
const COLLECTIONS: Record<string, string> = {
  SaleLines: 'SaleLine',
  SalePayments: 'SalePayment',
  Addresses: 'ContactAddress',
  Phones: 'ContactPhone',
  Emails: 'ContactEmail',
  Websites: 'ContactWebsite',
  ItemShops: 'ItemShop',
  Prices: 'ItemPrice',
  Items: 'Item',
  TaxCategoryClasses: 'TaxCategoryClass',
};
const ELEMENTS = new Set(Object.values(COLLECTIONS));
const EPSILON = 1e-9;
const PAGE_LIMIT = 100;

export class LightspeedRSandbox implements FakeApi {
  readonly accountId: string;
  /** Every call as `METHOD /path?query`, in order. */
  readonly calls: string[] = [];
  /** Requests refused by the rate limiters (429), and drips charged. */
  readonly stats = { refused: 0, refusedByBurst: 0, charged: 0, served: 0, tokenRequests: 0 };
  readonly customers: Json[];
  readonly creditAccounts: Json[];
  readonly customerTypes: Json[];
  readonly items: Json[];
  readonly itemMatrices: Json[];
  readonly itemShops: Json[];
  readonly taxCategories: Json[];
  readonly paymentTypes: Json[];
  readonly sales: Json[];
  /** Faults to play (contracts/faults.ts); `failNext` is the shorthand. */
  readonly faults = new FaultPlan();
  private readonly now: () => number;
  private readonly clientId: string;
  private readonly clientSecret: string;
  private readonly ttlSeconds: number;
  private readonly refreshTokens = new Map<string, { predecessor?: string }>();
  private readonly revokedRefreshTokens = new Set<string>();
  private readonly accessTokens = new Map<string, { expiresAt: number; refreshToken: string; used: boolean }>();
  private tokenCounter = 0;
  private nextId = 1000;
  readonly bucket: { capacity: number; dripPerSecond: number; strict: boolean; burstLimit?: number };
  private level = 0;
  private levelAt: number;
  private burstWindow = -1;
  private burstCount = 0;

  constructor(data: SandboxData = {}, options: SandboxOptions = {}) {
    this.accountId = options.accountId ?? SANDBOX_ACCOUNT_ID;
    this.now = options.now ?? Date.now;
    this.clientId = options.clientId ?? SANDBOX_CLIENT.clientId;
    this.clientSecret = options.clientSecret ?? SANDBOX_CLIENT.clientSecret;
    this.ttlSeconds = options.accessTokenTtlSeconds ?? 1800;
    this.refreshTokens.set(options.refreshToken ?? SANDBOX_REFRESH_TOKEN, {});
    this.bucket = {
      capacity: options.capacity ?? DEFAULT_BUCKET.capacity,
      dripPerSecond: options.dripPerSecond ?? DEFAULT_BUCKET.dripPerSecond,
      strict: options.strict ?? false,
      burstLimit: options.burstLimit,
    };
    this.levelAt = this.now();
    const store = (records: Json[] | undefined) =>
      (records ?? []).map((record) => toStore(structuredClone(record)) as Json);
    this.customers = store(data.customers);
    this.creditAccounts = store(data.creditAccounts);
    for (const customer of this.customers) {
      const account = customer.CreditAccount as Json | undefined;
      delete customer.CreditAccount;
      if (account && !this.creditAccounts.some((a) => a.creditAccountID === account.creditAccountID))
        this.creditAccounts.push(account);
    }
    this.customerTypes = store(data.customerTypes);
    this.itemMatrices = store(data.itemMatrices);
    this.items = store(data.items);
    this.itemShops = store(data.itemShops);
    for (const matrix of this.itemMatrices) {
      for (const variant of elements(matrix.Items))
        if (!this.items.some((i) => i.itemID === variant.itemID)) this.items.push(variant);
      delete matrix.Items;
    }
    for (const item of this.items) {
      for (const shop of elements(item.ItemShops))
        if (!this.itemShops.some((s) => s.itemShopID === shop.itemShopID)) this.itemShops.push(shop);
      delete item.ItemShops;
      delete item.ItemMatrix;
    }
    // An item given twice (a fixture that lists it with its ItemShops): the first is kept, its ItemShops taken above.
    const seen = new Set<unknown>();
    this.items.splice(
      0,
      this.items.length,
      ...this.items.filter((item) => !seen.has(item.itemID) && seen.add(item.itemID) !== undefined),
    );
    this.taxCategories = store(data.taxCategories);
    this.paymentTypes = store(data.paymentTypes);
    this.sales = store(data.sales);
  }

  /** Plays a fault for the next `times` calls of a route, e.g. `POST /API/V3/Account/12345/Sale.json` (or `POST
   * /Sale.json`). */
  failNext(route: string, fault: InjectedFault, times = 1): void {
    this.faults.add(route, fault, { times });
  }

  /** Every access token issued so far expires now (the next API call is a 401). */
  expireAccessTokens(): void {
    for (const token of this.accessTokens.values()) token.expiresAt = 0;
  }

  /** Whether this refresh token would be accepted now. */
  acceptsRefreshToken(token: string): boolean {
    return this.refreshTokens.has(token);
  }

  /** The bucket's level now. */
  bucketLevel(): number {
    this.drain(this.now());
    return this.level;
  }

  async handle(request: Request): Promise<SandboxAnswer> {
    const url = new URL(request.url);
    const route = `${request.method} ${url.pathname}`;
    this.calls.push(`${route}${url.search}`);
    if (url.pathname === '/auth/oauth/token')
      return this.faults.play(request.method, url.pathname, () => this.token(request));

    const refusal = this.authenticate(request);
    if (refusal !== undefined) return this.withBucket(refusal, 0);
    let body: unknown;
    if (request.method === 'POST' || request.method === 'PUT') {
      const text = await request.text();
      try {
        body = text === '' ? undefined : (JSON.parse(text) as unknown);
      } catch {
        return this.withBucket(plain(400, 'Bad Request: the payload is not valid JSON'), 0);
      }
    }
    const cost = requestCost({ method: request.method, path: url.pathname, query: url.searchParams, body });
    const limited = this.charge(cost);
    if (limited !== undefined) return limited;
    this.stats.served += 1;
    const answer = await this.faults.play(request.method, url.pathname, () => this.route(request.method, url, body));
    return answer === 'network-error' ? answer : this.withBucket(answer, cost);
  }

  // Tokens ------------------------------------------------------------------------------------------------

  private async token(request: Request): Promise<Response> {
    this.stats.tokenRequests += 1;
    const fields = await readForm(request);
    if (fields.client_id !== this.clientId || fields.client_secret !== this.clientSecret) {
      return json({ error: 'invalid_client', error_description: 'Client authentication failed' }, 401);
    }
    if (fields.grant_type !== 'refresh_token' || !fields.refresh_token) {
      return json(
        {
          error: 'invalid_request',
          error_description:
            'The request is missing a required parameter, includes an invalid parameter value, includes ' +
            'a parameter more than once, or is otherwise malformed.',
        },
        400,
      );
    }
    const presented = fields.refresh_token;
    if (!this.refreshTokens.has(presented)) {
      return json(
        {
          error: 'invalid_grant',
          error_description: 'The refresh token is invalid.',
          hint: this.revokedRefreshTokens.has(presented) ? 'Token has been revoked' : 'Token is not known',
        },
        400,
      );
    }
    this.tokenCounter += 1;
    const access = `sandbox-access-${this.tokenCounter}`;
    const refresh = `sandbox-refresh-${this.tokenCounter}`;
    this.refreshTokens.set(refresh, { predecessor: presented });
    this.accessTokens.set(access, {
      expiresAt: this.now() + this.ttlSeconds * 1000,
      refreshToken: refresh,
      used: false,
    });
    return json(
      { token_type: 'Bearer', expires_in: this.ttlSeconds, access_token: access, refresh_token: refresh },
      200,
    );
  }

  private authenticate(request: Request): Response | undefined {
    const header = request.headers.get('authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/.exec(header)?.[1];
    const state = token === undefined ? undefined : this.accessTokens.get(token);
    if (state === undefined || this.now() >= state.expiresAt) {
      return json(
        {
          error: 'access_denied',
          error_description: 'The resource owner or authorization server denied the request.',
          hint: 'Access token could not be verified',
        },
        401,
      );
    }
    if (!state.used) {
      // "Once the new access token is used to authenticate a request, the old refresh token will be revoked."
      state.used = true;
      const predecessor = this.refreshTokens.get(state.refreshToken)?.predecessor;
      if (predecessor !== undefined) {
        this.refreshTokens.delete(predecessor);
        this.revokedRefreshTokens.add(predecessor);
      }
    }
    return undefined;
  }

  // The leaky bucket ----------------------------------------------------------------------------------------

  private drain(t: number): void {
    this.level = Math.max(0, this.level - ((t - this.levelAt) / 1000) * this.bucket.dripPerSecond);
    this.levelAt = t;
  }

  /** Charges the request, or answers 429. */
  private charge(cost: number): Response | undefined {
    const t = this.now();
    this.drain(t);
    const { capacity, dripPerSecond, strict, burstLimit } = this.bucket;
    if (burstLimit !== undefined) {
      const window = Math.floor(t / 1000);
      if (window !== this.burstWindow) {
        this.burstWindow = window;
        this.burstCount = 0;
      }
      if (this.burstCount >= burstLimit) {
        this.stats.refused += 1;
        this.stats.refusedByBurst += 1;
        return this.withBucket(plain(429, 'Too Many Requests: burst rate limit exceeded'), cost, {
          'X-LS-API-RateLimit-Type': 'api-burst-limiter',
          'Retry-After': '1',
        });
      }
    }
    const blocked = strict ? this.level + cost > capacity + EPSILON : this.level >= capacity - EPSILON;
    if (blocked) {
      const excess = strict ? this.level + cost - capacity : this.level - capacity;
      const seconds = Math.max(1, Math.ceil(Math.max(0, excess) / dripPerSecond));
      this.stats.refused += 1;
      return this.withBucket(plain(429, 'Too Many Requests'), cost, {
        'X-LS-API-RateLimit-Type': 'api-leaky-bucket',
        'Retry-After': String(seconds),
      });
    }
    this.level += cost;
    this.stats.charged += cost;
    this.burstCount += 1;
    return undefined;
  }

  private withBucket(response: Response, cost: number, extra: Record<string, string> = {}): Response {
    this.drain(this.now());
    const headers = new Headers(response.headers);
    // Hundredths, as the docs' example shows ("92.57/90"): the client must not take a rounded level for the truth.
    headers.set('X-LS-Api-Bucket-Level', `${String(Math.round(this.level * 100) / 100)}/${trim(this.bucket.capacity)}`);
    headers.set('X-LS-Api-Drip-Rate', trim(this.bucket.dripPerSecond));
    headers.set('X-LS-Api-Request-Cost', trim(cost));
    if (this.bucket.burstLimit !== undefined)
      headers.set('X-LS-API-Burst-Level', `${this.burstCount}/${this.bucket.burstLimit}`);
    for (const [name, value] of Object.entries(extra)) headers.set(name, value);
    return new Response(response.body, { status: response.status, headers });
  }

  // Routes --------------------------------------------------------------------------------------------------

  private route(method: string, url: URL, body: unknown): Response {
    if (url.pathname === '/API/V3/Account.json' && method === 'GET') {
      return json(
        wire({
          '@attributes': { count: '1' },
          Account: {
            accountID: this.accountId,
            name: 'Sandbox account',
            link: { '@attributes': { href: `/API/V3/Account/${this.accountId}` } },
          },
        }),
      );
    }
    const match = /^\/API\/V3\/Account\/([^/]+)\/([A-Za-z]+)(?:\/(\d+))?\.json$/.exec(url.pathname);
    if (!match) return plain(404, `Not Found: ${url.pathname}`);
    if (match[1] !== this.accountId) return plain(403, 'Forbidden: the token does not reach this account');
    const [, , resource, id] = match;
    const query = url.searchParams;
    const relations = readRelations(query.get('load_relations'));
    const key = `${method} ${resource}${id === undefined ? '' : '/:id'}`;
    switch (key) {
      case 'GET Customer':
        return this.list(
          url,
          'Customer',
          this.filter(this.customers, query, ['customerID']).filter((c) => this.emailMatches(c, query, relations)),
          (c) => this.customerView(c, relations),
        );
      case 'GET Customer/:id':
        return this.one(
          'Customer',
          this.customers.find((c) => c.customerID === id),
          (c) => this.customerView(c, relations),
        );
      case 'POST Customer':
        return this.createCustomer(body as Json);
      case 'PUT Customer/:id':
        return this.updateCustomer(id!, body as Json, relations);
      case 'GET CustomerType':
        return this.list(url, 'CustomerType', this.customerTypes);
      case 'GET CreditAccount':
        return this.list(
          url,
          'CreditAccount',
          this.filter(this.creditAccounts, query, ['creditAccountID', 'customerID']),
        );
      case 'GET Item': {
        const searched = this.relationSearch(this.items, query, relations);
        if (typeof searched === 'string') return plain(400, `Bad Request: ${searched}`);
        const sorted = sortBy(searched, query, ['itemID', 'timeStamp', 'description']);
        if (typeof sorted === 'string') return plain(400, `Bad Request: ${sorted}`);
        return this.list(
          url,
          'Item',
          this.archivedFilter(
            this.filter(sorted, query, [
              'itemID',
              'itemMatrixID',
              'customSku',
              'systemSku',
              'upc',
              'ean',
              'manufacturerSku',
            ]),
            query,
          ),
          (i) => this.itemView(i, relations),
        );
      }
      case 'GET Item/:id':
        return this.one(
          'Item',
          this.items.find((i) => i.itemID === id),
          (i) => this.itemView(i, relations),
        );
      case 'GET ItemMatrix/:id':
        return this.one(
          'ItemMatrix',
          this.itemMatrices.find((m) => m.itemMatrixID === id),
          (m) => this.matrixView(m, relations),
        );
      case 'GET ItemShop': {
        // The documented poll: sort=timeStamp&timeStamp=>=,<last poll> (https://developers.lightspeedhq.com/retail/endpoints/ItemShop/).
        const stamped = compareFilter(this.filter(this.itemShops, query, ['itemID', 'shopID']), query, 'timeStamp');
        if (typeof stamped === 'string') return plain(400, `Bad Request: ${stamped}`);
        const sorted = sortBy(stamped, query, ['itemShopID', 'timeStamp']);
        if (typeof sorted === 'string') return plain(400, `Bad Request: ${sorted}`);
        return this.list(url, 'ItemShop', sorted);
      }
      case 'GET TaxCategory':
        return this.list(url, 'TaxCategory', this.taxCategories);
      case 'GET PaymentType':
        return this.list(url, 'PaymentType', this.paymentTypes);
      case 'GET Sale':
        return this.list(
          url,
          'Sale',
          this.archivedFilter(
            this.filter(this.sales, query, [
              'saleID',
              'customerID',
              'referenceNumber',
              'referenceNumberSource',
              'completed',
            ]),
            query,
          ),
          (s) => this.saleView(s, relations),
        );
      case 'GET Sale/:id':
        return this.one(
          'Sale',
          this.sales.find((s) => s.saleID === id),
          (s) => this.saleView(s, relations),
        );
      case 'POST Sale':
        return this.createSale(body as Json);
      case 'PUT Sale/:id':
        return this.updateSale(id!, body as Json, relations);
      default:
        return plain(404, `Not Found: ${method} ${url.pathname}`);
    }
  }

  /** Records whose fields equal the query's (`=`), or are IN a list (`IN,[1,2]`). */
  private filter(records: Json[], query: URLSearchParams, fields: string[]): Json[] {
    return records.filter((record) =>
      fields.every((field) => {
        const wanted = query.get(field);
        if (wanted === null) return true;
        const actual = String(record[field] ?? '');
        const list = /^IN,(.*)$/s.exec(wanted);
        if (list) {
          const values = parseInList(list[1]!);
          return values.includes(actual);
        }
        return actual === wanted;
      }),
    );
  }

  /**
   * `ItemShops.<field>=<operator>,<value>` on GET Item: the items with at least one ItemShop that matches. "The
   * relation you are searching in must be loaded using the load_relations parameter" and only one level deep
   * (https://developers.lightspeedhq.com/retail/introduction/relations/); a search in a relation not loaded, or on a
   * field an ItemShop does not have, is refused here (R-Series' own answer to either is not documented).
   */
  private relationSearch(items: Json[], query: URLSearchParams, relations: Set<string>): Json[] | string {
    let found = items;
    for (const [name] of query) {
      const match = /^ItemShops\.(.+)$/.exec(name);
      if (match === null) continue;
      const field = match[1]!;
      if (!relations.has('ItemShops')) return `${name}: the ItemShops relation is not loaded (load_relations)`;
      if (!ITEM_SHOP_SEARCHABLE.has(field)) return `${name}: ItemShop has no field ${field} to search`;
      const shops = compareFilter(this.itemShops, new URLSearchParams([[field, query.get(name)!]]), field);
      if (typeof shops === 'string') return `${name}: ${shops}`;
      const itemIDs = new Set(shops.map((shop) => shop.itemID));
      found = found.filter((item) => itemIDs.has(item.itemID));
    }
    return found;
  }

  private archivedFilter(records: Json[], query: URLSearchParams): Json[] {
    const archived = query.get('archived') ?? 'false';
    if (archived === 'true') return records;
    return records.filter((record) => (record.archived === 'true') === (archived === 'only'));
  }

  private emailMatches(customer: Json, query: URLSearchParams, relations: Set<string>): boolean {
    const email = query.get('Contact.email');
    if (email === null) return true;
    // "The relation you are searching in must be loaded" (https://developers.lightspeedhq.com/retail/introduction/relations/).
    if (!relations.has('Contact')) return false;
    return elements((customer.Contact as Json | undefined)?.Emails).some(
      (entry) => String(entry.address).toLowerCase() === email.toLowerCase(),
    );
  }

  private list(url: URL, key: string, records: Json[], view: (record: Json) => Json = (record) => record): Response {
    const query = url.searchParams;
    const limit = Number(query.get('limit') ?? PAGE_LIMIT);
    if (!Number.isInteger(limit) || limit < 0 || limit > PAGE_LIMIT)
      return plain(400, `Bad Request: limit must be 0 to ${PAGE_LIMIT}`);
    let offset = 0;
    const after = query.get('after');
    if (after !== null) {
      const decoded = Number(Buffer.from(after, 'base64url').toString('utf8'));
      if (!Number.isInteger(decoded) || decoded < 0)
        return plain(400, 'Bad Request: after is not a cursor this server issued');
      offset = decoded;
    }
    const page = records.slice(offset, offset + limit);
    let next = '';
    if (offset + page.length < records.length) {
      const nextQuery = new URLSearchParams(query);
      nextQuery.set('limit', String(limit));
      nextQuery.set('after', Buffer.from(String(offset + page.length), 'utf8').toString('base64url'));
      next = `${url.origin}${url.pathname}?${nextQuery.toString()}`;
    }
    const answer: Json = { '@attributes': { next, previous: offset > 0 ? `${url.origin}${url.pathname}` : '' } };
    if (page.length === 1) answer[key] = view(page[0]!);
    else if (page.length > 1) answer[key] = page.map(view);
    return json(wire(answer));
  }

  private one(key: string, record: Json | undefined, view: (record: Json) => Json): Response {
    if (record === undefined) return plain(404, `Not Found: no such ${key}`);
    return json(wire({ '@attributes': { count: '1' }, [key]: view(record) }));
  }

  // Customers -------------------------------------------------------------------------------------------------

  private customerView(customer: Json, relations: Set<string>): Json {
    const { Contact, Note, ...view } = customer;
    if (relations.has('Contact') && Contact !== undefined) view.Contact = Contact;
    if (relations.has('Note') && Note !== undefined) view.Note = Note;
    if (relations.has('CreditAccount')) {
      const account = this.creditAccounts.find((a) => a.creditAccountID === customer.creditAccountID);
      if (account) view.CreditAccount = account;
    }
    if (relations.has('CustomerType')) {
      const type = this.customerTypes.find((t) => t.customerTypeID === customer.customerTypeID);
      if (type) view.CustomerType = type;
    }
    return view;
  }

  private createCustomer(body: Json | undefined): Response {
    if (!isRecord(body)) return plain(400, 'Bad Request: a customer payload is required');
    const typeId = body.customerTypeID === undefined ? '0' : String(body.customerTypeID);
    if (typeId !== '0' && !this.customerTypes.some((t) => t.customerTypeID === typeId))
      return plain(400, `Bad Request: customerTypeID ${typeId} does not exist`);
    const customerID = this.id();
    const contact = isRecord(body.Contact) ? (toStore(structuredClone(body.Contact)) as Json) : {};
    const stamp = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const customer: Json = {
      customerID,
      firstName: String(body.firstName ?? ''),
      lastName: String(body.lastName ?? ''),
      title: String(body.title ?? ''),
      company: String(body.company ?? ''),
      companyRegistrationNumber: '',
      vatNumber: String(body.vatNumber ?? ''),
      creditAccountID: '0',
      customerTypeID: typeId,
      discountID: '0',
      taxCategoryID: '0',
      createTime: stamp,
      timeStamp: stamp,
      archived: 'false',
      Contact: {
        contactID: this.id(),
        custom: '',
        noEmail: 'false',
        noPhone: 'false',
        noMail: 'false',
        Addresses: { ContactAddress: elements(contact.Addresses) },
        Phones: { ContactPhone: elements(contact.Phones) },
        Emails: { ContactEmail: elements(contact.Emails) },
        Websites: { ContactWebsite: [] },
        timeStamp: stamp,
      },
    };
    if (isRecord(body.Note))
      customer.Note = {
        noteID: this.id(),
        note: String(body.Note.note ?? ''),
        isPublic: String(body.Note.isPublic ?? false),
      };
    this.customers.push(customer);
    return json(wire({ '@attributes': { count: '1' }, Customer: this.customerView(customer, new Set(['Contact'])) }));
  }

  private updateCustomer(id: string, body: Json | undefined, relations: Set<string>): Response {
    const customer = this.customers.find((c) => c.customerID === id);
    if (customer === undefined) return plain(404, 'Not Found: no such Customer');
    if (!isRecord(body)) return plain(400, 'Bad Request: a customer payload is required');
    for (const [field, value] of Object.entries(body))
      if (value === null || typeof value !== 'object') customer[field] = String(value);
    if (isRecord(body.CreditAccount)) {
      const wanted = body.CreditAccount;
      // "To create one, the credit limit must be specified (use 0 for unlimited)."
      if (wanted.creditLimit === undefined) return plain(400, 'Bad Request: a credit account needs a creditLimit');
      let account = this.creditAccounts.find((a) => a.creditAccountID === customer.creditAccountID);
      if (account === undefined) {
        account = {
          creditAccountID: this.id(),
          name: '',
          code: '',
          creditLimit: '0',
          description: '',
          giftCard: 'false',
          archived: 'false',
          timeStamp: '',
          customerID: id,
          balance: '0',
        };
        this.creditAccounts.push(account);
        customer.creditAccountID = account.creditAccountID;
      }
      if (wanted.name !== undefined) account.name = String(wanted.name);
      account.creditLimit = String(wanted.creditLimit);
    }
    return json(
      wire({
        '@attributes': { count: '1' },
        Customer: this.customerView(customer, new Set([...relations, 'Contact'])),
      }),
    );
  }

  // Items -----------------------------------------------------------------------------------------------------

  private itemView(item: Json, relations: Set<string>): Json {
    const view = { ...item };
    if (relations.has('ItemShops'))
      view.ItemShops = { ItemShop: this.itemShops.filter((s) => s.itemID === item.itemID) };
    if (relations.has('ItemMatrix')) {
      const matrix = this.itemMatrices.find((m) => m.itemMatrixID === item.itemMatrixID);
      if (matrix) view.ItemMatrix = matrix;
    }
    return view;
  }

  private matrixView(matrix: Json, relations: Set<string>): Json {
    const view = { ...matrix };
    if (relations.has('Items')) view.Items = { Item: this.items.filter((i) => i.itemMatrixID === matrix.itemMatrixID) };
    return view;
  }

  // Sales -----------------------------------------------------------------------------------------------------

  private saleView(sale: Json, relations: Set<string>): Json {
    const { SaleLines, SalePayments, SaleNotes, ...view } = sale;
    if (relations.has('SaleLines')) view.SaleLines = SaleLines;
    if (relations.has('SalePayments')) view.SalePayments = SalePayments;
    if (relations.has('SaleNotes') && SaleNotes !== undefined) view.SaleNotes = SaleNotes;
    return view;
  }

  private createSale(body: Json | undefined): Response {
    if (!isRecord(body)) return plain(400, 'Bad Request: a sale payload is required');
    for (const field of ['employeeID', 'registerID', 'shopID']) {
      if (!/^[1-9]\d*$/.test(String(body[field] ?? ''))) return plain(400, `Bad Request: ${field} is required`);
    }
    const customerID = String(body.customerID ?? '0');
    if (customerID !== '0' && !this.customers.some((c) => c.customerID === customerID && c.archived !== 'true'))
      return plain(400, `Bad Request: customer ${customerID} does not exist`);
    const saleID = this.id();
    const saleTaxCategory = String(body.taxCategoryID ?? '0');
    if (saleTaxCategory !== '0' && this.taxCategory(saleTaxCategory) === undefined)
      return plain(400, `Bad Request: taxCategoryID ${saleTaxCategory} does not exist`);
    const lines: Json[] = [];
    for (const [i, raw] of elements(body.SaleLines).entries()) {
      const line = this.saleLine(raw, saleID, saleTaxCategory, String(body.shopID), String(body.employeeID));
      if (typeof line === 'string') return plain(400, `Bad Request: SaleLines.SaleLine[${i}]: ${line}`);
      lines.push(line);
    }
    if (lines.length === 0) return plain(400, 'Bad Request: a sale needs at least one SaleLine');
    const notes = readNotes(body.SaleNotes, () => this.id());
    const stamp = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const sale: Json = {
      saleID,
      timeStamp: stamp,
      discountPercent: '0',
      completed: 'false',
      archived: 'false',
      voided: 'false',
      enablePromotions: String(body.enablePromotions ?? true),
      isTaxInclusive: 'false',
      createTime: stamp,
      updatetime: stamp,
      referenceNumber: String(body.referenceNumber ?? ''),
      referenceNumberSource: String(body.referenceNumberSource ?? ''),
      ticketNumber: `2200000${saleID.padStart(5, '0')}`,
      customerID,
      employeeID: String(body.employeeID),
      registerID: String(body.registerID),
      shopID: String(body.shopID),
      taxCategoryID: saleTaxCategory,
      SaleLines: { SaleLine: lines },
      SalePayments: { SalePayment: [] },
    };
    if (notes !== undefined) sale.SaleNotes = notes;
    Object.assign(sale, saleTotals(sale));
    const paid = this.addPayments(sale, body.SalePayments);
    if (typeof paid === 'string') return plain(400, `Bad Request: ${paid}`);
    if (body.completed === true || body.completed === 'true') {
      const refused = this.complete(sale);
      if (refused !== undefined) return plain(400, `Bad Request: ${refused}`);
    }
    this.sales.push(sale);
    return json(
      wire({
        '@attributes': { count: '1' },
        Sale: this.saleView(sale, new Set(['SaleLines', 'SalePayments', 'SaleNotes'])),
      }),
    );
  }

  private updateSale(id: string, body: Json | undefined, relations: Set<string>): Response {
    const sale = this.sales.find((s) => s.saleID === id);
    if (sale === undefined) return plain(404, 'Not Found: no such Sale');
    if (!isRecord(body)) return plain(400, 'Bad Request: a sale payload is required');
    if (sale.completed === 'true' && (body.SalePayments !== undefined || body.SaleLines !== undefined))
      return plain(400, 'Bad Request: the sale is completed');
    for (const field of ['referenceNumber', 'referenceNumberSource'])
      if (body[field] !== undefined) sale[field] = String(body[field]);
    const notes = readNotes(body.SaleNotes, () => this.id(), sale.SaleNotes as Json | undefined);
    if (notes !== undefined) sale.SaleNotes = notes;
    const before = structuredClone(sale.SalePayments);
    const paid = this.addPayments(sale, body.SalePayments);
    if (typeof paid === 'string') return plain(400, `Bad Request: ${paid}`);
    if (body.completed === true || body.completed === 'true') {
      const refused = this.complete(sale);
      if (refused !== undefined) {
        sale.SalePayments = before;
        Object.assign(sale, saleTotals(sale));
        return plain(400, `Bad Request: ${refused}`);
      }
    }
    return json(
      wire({
        '@attributes': { count: '1' },
        Sale: this.saleView(sale, new Set([...relations, 'SaleLines', 'SalePayments', 'SaleNotes'])),
      }),
    );
  }

  private saleLine(
    raw: Json,
    saleID: string,
    saleTaxCategory: string,
    shopID: string,
    employeeID: string,
  ): Json | string {
    const itemID = String(raw.itemID ?? '');
    if (!/^\d+$/.test(itemID)) return 'itemID is required';
    const item = itemID === '0' ? undefined : this.items.find((i) => i.itemID === itemID);
    if (itemID !== '0' && item === undefined) return `item ${itemID} does not exist`;
    if (item?.archived === 'true') return `item ${itemID} is archived`;
    if (itemID === '0' && typeof raw.note !== 'string') return 'a miscellaneous line (itemID 0) needs a note';
    const quantity = String(raw.unitQuantity ?? '');
    if (!/^[1-9]\d*$/.test(quantity)) return 'unitQuantity must be a positive integer';
    const price = raw.unitPrice ?? defaultPrice(item);
    if (!/^-?\d+(\.\d+)?$/.test(String(price))) return `unitPrice ${JSON.stringify(price)} is not a number`;
    const lineCategory = String(raw.taxCategoryID ?? saleTaxCategory);
    if (lineCategory !== '0' && this.taxCategory(lineCategory) === undefined)
      return `taxCategoryID ${lineCategory} does not exist`;
    const taxed = raw.tax === undefined ? item?.tax !== 'false' : raw.tax === true || raw.tax === 'true';
    const category = taxed && lineCategory !== '0' ? this.taxCategory(lineCategory) : undefined;
    const subtotal = new Big(quantity).times(String(price));
    const rate1 = new Big(String(category?.tax1Rate ?? '0'));
    const rate2 = new Big(String(category?.tax2Rate ?? '0'));
    const tax1 = subtotal.times(rate1);
    const tax2 = subtotal.times(rate2);
    const line: Json = {
      saleLineID: this.id(),
      unitQuantity: quantity,
      unitPrice: new Big(String(price)).toFixed(),
      normalUnitPrice: '0',
      discountAmount: '0',
      discountPercent: '0',
      tax: String(taxed),
      tax1Rate: rate1.toFixed(),
      tax2Rate: rate2.toFixed(),
      isLayaway: 'false',
      isWorkorder: 'false',
      isSpecialOrder: 'false',
      calcSubtotal: subtotal.toFixed(),
      calcTax1: tax1.toFixed(),
      calcTax2: tax2.toFixed(),
      calcTotal: subtotal.plus(tax1).plus(tax2).toFixed(),
      taxClassID: String(item?.taxClassID ?? '0'),
      itemID,
      shopID,
      employeeID,
      taxCategoryID: lineCategory,
      saleID,
    };
    if (itemID === '0') line.Note = { noteID: this.id(), note: String(raw.note), isPublic: 'true' };
    return line;
  }

  /** Adds the payload's payments; a credit-account payment needs the customer's creditAccountID. */
  private addPayments(sale: Json, raw: unknown): string | undefined {
    const payments = elements(raw);
    const stored = (sale.SalePayments as { SalePayment: Json[] }).SalePayment;
    const added: Json[] = [];
    for (const [i, payment] of payments.entries()) {
      const type = String(payment.paymentTypeID ?? '');
      if (!this.paymentTypes.some((t) => t.paymentTypeID === type) && type !== String(CREDIT_ACCOUNT_PAYMENT_TYPE))
        return `SalePayment[${i}]: paymentTypeID ${type} does not exist`;
      if (!/^-?\d+(\.\d+)?$/.test(String(payment.amount ?? ''))) return `SalePayment[${i}]: amount is required`;
      let creditAccountID = '0';
      if (type === String(CREDIT_ACCOUNT_PAYMENT_TYPE)) {
        creditAccountID = String(payment.creditAccountID ?? '');
        const account = this.creditAccounts.find((a) => a.creditAccountID === creditAccountID);
        if (account === undefined)
          return `SalePayment[${i}]: a credit account payment needs the creditAccountID of an existing credit account`;
        if (account.archived === 'true') return `SalePayment[${i}]: credit account ${creditAccountID} is archived`;
        if (String(account.customerID) !== String(sale.customerID))
          return `SalePayment[${i}]: credit account ${creditAccountID} is not customer ${String(sale.customerID)}'s`;
      }
      added.push({
        salePaymentID: this.id(),
        amount: new Big(String(payment.amount)).toFixed(),
        tipAmount: '0',
        archived: 'false',
        remoteReference: String(payment.remoteReference ?? ''),
        paymentID: '',
        saleID: sale.saleID,
        paymentTypeID: type,
        registerID: sale.registerID,
        employeeID: sale.employeeID,
        creditAccountID,
      });
    }
    stored.push(...added);
    Object.assign(sale, saleTotals(sale));
    return undefined;
  }

  /** Completes the sale when its payments equal its total. */
  private complete(sale: Json): string | undefined {
    const totals = saleTotals(sale);
    if (!new Big(totals.calcPayments).eq(totals.total)) {
      return `the sale must be balanced: payments ${totals.calcPayments} against a total of ${totals.total}`;
    }
    sale.completed = 'true';
    sale.completeTime = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    for (const payment of (sale.SalePayments as { SalePayment: Json[] }).SalePayment) {
      if (payment.paymentTypeID !== String(CREDIT_ACCOUNT_PAYMENT_TYPE)) continue;
      const account = this.creditAccounts.find((a) => a.creditAccountID === payment.creditAccountID);
      if (account) account.balance = new Big(String(account.balance ?? '0')).minus(String(payment.amount)).toFixed();
    }
    return undefined;
  }

  private taxCategory(id: string): Json | undefined {
    return this.taxCategories.find((c) => c.taxCategoryID === id);
  }

  private id(): string {
    this.nextId += 1;
    return String(this.nextId);
  }
}

/** A sale's totals as R-Series computes them: line taxes unrounded, the sale's tax rounded half-up to the cent. */
export function saleTotals(sale: Json): {
  calcSubtotal: string;
  calcTax1: string;
  calcTax2: string;
  taxTotal: string;
  total: string;
  calcTotal: string;
  calcPayments: string;
  balance: string;
} {
  const lines = elements(sale.SaleLines);
  const sum = (field: string) => lines.reduce((total, line) => total.plus(String(line[field] ?? '0')), new Big(0));
  const subtotal = sum('calcSubtotal');
  const tax1 = sum('calcTax1').round(2, Big.roundHalfUp);
  const tax2 = sum('calcTax2').round(2, Big.roundHalfUp);
  const total = subtotal.plus(tax1).plus(tax2);
  const payments = elements(sale.SalePayments).reduce(
    (paid, payment) => paid.plus(String(payment.amount ?? '0')),
    new Big(0),
  );
  return {
    calcSubtotal: subtotal.toFixed(),
    calcTax1: tax1.toFixed(),
    calcTax2: tax2.toFixed(),
    taxTotal: tax1.plus(tax2).toFixed(),
    total: total.toFixed(),
    calcTotal: total.toFixed(),
    calcPayments: payments.toFixed(),
    balance: total.minus(payments).toFixed(),
  };
}

/**
 * An axios adapter that hands each request to a fake API in-process (no socket): for the benchmark on virtual time,
 * where nothing but the pacer may take time.
 */
export function inProcessAdapter(api: FakeApi): AxiosAdapter {
  return async (config) => {
    const headers = new Headers();
    const raw = (config.headers as { toJSON?: () => Record<string, unknown> } | undefined)?.toJSON?.() ?? {};
    for (const [name, value] of Object.entries(raw))
      if (value !== undefined && value !== null) headers.set(name, String(value));
    const method = (config.method ?? 'get').toUpperCase();
    const request = new Request(config.url!, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : (config.data as string | undefined),
    });
    const answer = await api.handle(request);
    if (answer === 'network-error') throw new AxiosError('socket hang up', 'ECONNRESET', config);
    const data = await answer.text();
    const responseHeaders: Record<string, string> = {};
    answer.headers.forEach((value, name) => (responseHeaders[name.toLowerCase()] = value));
    return {
      data,
      status: answer.status,
      statusText: answer.statusText,
      headers: responseHeaders,
      config,
      request: {},
    };
  };
}

/** The sandbox's data from the R-Series fixtures (their provenance is checked on load). */
export async function sandboxDataFromFixtures(root: string): Promise<SandboxData> {
  const body = async (file: string) => (await loadFixture(root, `fixtures/lightspeed-r/${file}`)).body as Json;
  const records = (answer: Json, key: string): Json[] => {
    const value = answer[key];
    return value === undefined || value === '' ? [] : Array.isArray(value) ? (value as Json[]) : [value as Json];
  };
  return {
    customers: [
      ...records(await body('customers/list.one.with-credit-account.json'), 'Customer'),
      ...records(await body('customers/list.many.json'), 'Customer'),
    ],
    customerTypes: records(await body('customer-types/list.json'), 'CustomerType'),
    items: [
      ...records(await body('items/list.catalogue.json'), 'Item'),
      ...records(await body('items/get.json'), 'Item'),
      ...records(await body('items/delete.json'), 'Item'),
      // The catalogue's items again with their ItemShops, and the archived item's zeroed ones and item 44's.
      ...records(await body('items/list.with-item-shops.json'), 'Item'),
    ],
    itemMatrices: records(await body('item-matrices/get.with-items.json'), 'ItemMatrix'),
    itemShops: records(await body('item-shops/list.catalogue.json'), 'ItemShop'),
    taxCategories: records(await body('tax-categories/list.vat.json'), 'TaxCategory'),
    paymentTypes: records(await body('payment-types/list.json'), 'PaymentType'),
  };
}

// -------------------------------------------------------------------------------------------------------------
// R-Series' JSON quirks

/** A record as R-Series sends it: scalars as strings, a collection of one as an object, an empty one as "". */
export function wire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(wire);
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && ELEMENTS.has(keys[0]!) && Array.isArray(value[keys[0]!])) {
    const list = value[keys[0]!] as unknown[];
    if (list.length === 0) return '';
    return { [keys[0]!]: list.length === 1 ? wire(list[0]) : list.map(wire) };
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => {
      // A matrix's attribute values: one value as a plain string, none as "" (https://developers.lightspeedhq.com/retail/tutorials/itemmatrix/).
      if (/^attribute\dValues$/.test(key) && Array.isArray(field))
        return [key, field.length === 0 ? '' : field.length === 1 ? String(field[0]) : field.map(String)];
      return [key, wire(field)];
    }),
  );
}

/** The inverse for collections: every known collection as `{"<Element>": [...]}`, whatever form it came in. */
function toStore(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toStore);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => {
      const element = COLLECTIONS[key];
      if (element === undefined) return [key, toStore(field)];
      return [key, { [element]: elements(field).map((item) => toStore(item)) }];
    }),
  );
}

/** A collection's elements, in any of its forms. */
function elements(value: unknown): Json[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.filter(isRecord);
  if (!isRecord(value)) return [];
  const keys = Object.keys(value);
  if (keys.length === 1 && ELEMENTS.has(keys[0]!)) return elements(value[keys[0]!]);
  return [value];
}

function readNotes(raw: unknown, id: () => string, existing?: Json): Json | undefined {
  if (!isRecord(raw)) return undefined;
  const notes: Json = { ...existing };
  for (const kind of ['InternalNote', 'PrintedNote']) {
    const note = raw[kind];
    if (isRecord(note) && note.note !== undefined)
      notes[kind] = { noteID: (existing?.[kind] as Json | undefined)?.noteID ?? id(), note: String(note.note) };
  }
  return notes;
}

function defaultPrice(item: Json | undefined): string {
  const prices = elements(item?.Prices);
  return String(prices.find((price) => price.useType === 'Default')?.amount ?? '0');
}

function readRelations(raw: string | null): Set<string> {
  if (raw === null) return new Set();
  try {
    const parsed: unknown = JSON.parse(raw);
    return new Set(Array.isArray(parsed) ? parsed.map(String) : []);
  } catch {
    return new Set();
  }
}

function parseInList(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return parsed.map(String);
  } catch {
    // a comma-separated list
  }
  return text
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((part) => part.trim().replace(/^"|"$/g, ''));
}

/** ItemShop fields a relation search may name (the ItemShop page's fields that are numbers or times). */
const ITEM_SHOP_SEARCHABLE = new Set(['itemShopID', 'qoh', 'sellable', 'backorder', 'timeStamp', 'itemID', 'shopID']);

/**
 * Records whose `field` compares as the query asks: `<operator>,<value>` with the documented operators =, >, >=, <, <=,
 * != and `><,<low>,<high>` (https://developers.lightspeedhq.com/retail/introduction/parameters/), or a bare value for
 * =. timeStamp compares as instants (a value that is no date is refused); other fields as numbers.
 */
function compareFilter(records: Json[], query: URLSearchParams, field: string): Json[] | string {
  const wanted = query.get(field);
  if (wanted === null) return records;
  const match = /^(>=|<=|><|!=|>|<|=),(.*)$/s.exec(wanted);
  const [operator, raw] = match === null ? ['=', wanted] : [match[1]!, match[2]!];
  const values = operator === '><' ? raw.split(',') : [raw];
  if (operator === '><' && values.length !== 2) return `${field}=><,… takes two values`;
  const read = (value: string): number =>
    field === 'timeStamp'
      ? /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(value.trim())
        ? Date.parse(value.trim())
        : NaN
      : /^-?\d+(\.\d+)?$/.test(value.trim())
        ? Number(value)
        : NaN;
  const bounds = values.map(read);
  if (bounds.some(Number.isNaN))
    return `${field}: ${JSON.stringify(raw)} is not a ${field === 'timeStamp' ? 'date' : 'number'}`;
  const [a, b] = bounds as [number, number];
  return records.filter((record) => {
    const value = read(String(record[field] ?? ''));
    if (Number.isNaN(value)) return false;
    switch (operator) {
      case '>':
        return value > a;
      case '>=':
        return value >= a;
      case '<':
        return value < a;
      case '<=':
        return value <= a;
      case '!=':
        return value !== a;
      case '><':
        return value >= a && value <= b;
      default:
        return value === a;
    }
  });
}

/**
 * `sort=<field>` or `sort=-<field>` over the endpoint's sortable fields; any other field is refused ("Attempting to
 * sort on an unsupported field will result in an error being returned":
 * https://developers.lightspeedhq.com/retail/introduction/pagination/). IDs and times sort as numbers and instants,
 * ties by the first field (the primary ID).
 */
function sortBy(records: Json[], query: URLSearchParams, sortable: string[]): Json[] | string {
  const sort = query.get('sort');
  if (sort === null) return records;
  const field = sort.replace(/^-/, '');
  if (!sortable.includes(field)) return `sort: ${field} is not sortable here; sort by ${sortable.join(', ')}`;
  const key = (record: Json, name: string): number | string => {
    const value = String(record[name] ?? '');
    if (name === 'timeStamp') return Date.parse(value);
    return /ID$/.test(name) ? Number(value) : value;
  };
  const direction = sort.startsWith('-') ? -1 : 1;
  return [...records].sort((x, y) => {
    const [p, q] = [key(x, field), key(y, field)];
    const order = p < q ? -1 : p > q ? 1 : 0;
    if (order !== 0) return order * direction;
    return Number(key(x, sortable[0]!)) - Number(key(y, sortable[0]!));
  });
}

async function readForm(request: Request): Promise<Record<string, string>> {
  const type = request.headers.get('content-type') ?? '';
  if (type.includes('application/json')) {
    const parsed = (await request.json().catch(() => ({}))) as unknown;
    return isRecord(parsed) ? Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)])) : {};
  }
  const form = await request.formData().catch(() => undefined);
  return form ? Object.fromEntries([...form].map(([k, v]) => [k, String(v)])) : {};
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain' } });
}

function trim(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
