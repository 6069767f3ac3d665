/**
 * A fake Lightspeed R-Series for tests, the benchmark and the local runner. It speaks the Fetch API (Request in,
 * Response out), so msw, a loopback HTTP server (contracts/hosts.ts) or the in-process axios adapter
 * (sandbox/in-process-adapter.ts) can host it. Its parts are in sandbox/. What it does as R-Series does, each from
 * Lightspeed's docs:
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
 * - finds sales by field (=) and by timeStamp with the documented operators (`timeStamp=>,…`: the sales changed
 *   since; completing a sale stamps it);
 * - serves items with their ItemShops (load_relations=["ItemShops"]), searched in that relation
 *   (`ItemShops.timeStamp=>=,…`: https://developers.lightspeedhq.com/retail/introduction/relations/) and ItemShops
 *   polled by timeStamp (https://developers.lightspeedhq.com/retail/endpoints/ItemShop/), with the documented operators
 *   and `sort` on the sortable fields only (https://developers.lightspeedhq.com/retail/introduction/parameters/,
 *   https://developers.lightspeedhq.com/retail/introduction/pagination/);
 * - keeps customers (with their credit accounts), customer types, items, matrices, ItemShops, price levels, tax
 *   categories, payment types and sales; sets an item's price level amounts by PUT Item/{itemID}.json with Prices
 *   (https://developers.lightspeedhq.com/retail/endpoints/Item/), each ItemPrice naming a price level the account has
 *   (https://developers.lightspeedhq.com/retail/endpoints/PriceLevel/) or one the item already has a price at,
 *   readable back through GET Item. Whether R-Series replaces the item's ItemPrices with those sent or merges them is
 *   not documented: here the levels sent are set and the others kept (the pack always sends every level, so it does
 *   not depend on this);
 * - computes a sale's totals as R-Series does (line tax = subtotal × the TaxCategory's rates,
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
import { FaultPlan, type InjectedFault, type SandboxAnswer } from '../../../contracts/faults.js';
import type { FakeApi } from '../../../contracts/hosts.js';
import { CREDIT_ACCOUNT_PAYMENT_TYPE } from '../constants.js';
import { DEFAULT_BUCKET, requestCost } from './costs.js';
import { SANDBOX_ACCOUNT_ID, SANDBOX_CLIENT, SANDBOX_REFRESH_TOKEN } from './sandbox/account.js';
import type { SandboxData } from './sandbox/data.js';
import { json, plain } from './sandbox/http.js';
import { compareFilter, ITEM_SHOP_SEARCHABLE, parseInList, readRelations, sortBy } from './sandbox/query.js';
import { saleTotals } from './sandbox/sale-totals.js';
import { LeakyBucket, type BucketLimits } from './sandbox/leaky-bucket.js';
import { TokenIssuer } from './sandbox/tokens.js';
import { isJsonObject } from '../../../runtime/json-object.js';
import { elements, toStore, wire, type Json } from './sandbox/wire.js';

export {
  SANDBOX_ACCOUNT_ID,
  SANDBOX_CLIENT,
  SANDBOX_ORIGIN,
  SANDBOX_REFRESH_TOKEN,
  sandboxConfig,
} from './sandbox/account.js';
export { sandboxDataFromFixtures, type SandboxData } from './sandbox/data.js';
export { inProcessAdapter } from './sandbox/in-process-adapter.js';

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
  readonly priceLevels: Json[];
  readonly taxCategories: Json[];
  readonly paymentTypes: Json[];
  readonly sales: Json[];
  /** Faults to play (contracts/faults.ts); `failNext` is the shorthand. */
  readonly faults = new FaultPlan();
  private readonly now: () => number;
  private readonly tokens: TokenIssuer;
  private nextId = 1000;
  readonly bucket: BucketLimits;
  private readonly limiter: LeakyBucket;

  constructor(data: SandboxData = {}, options: SandboxOptions = {}) {
    this.accountId = options.accountId ?? SANDBOX_ACCOUNT_ID;
    this.now = options.now ?? Date.now;
    this.tokens = new TokenIssuer({
      clientId: options.clientId ?? SANDBOX_CLIENT.clientId,
      clientSecret: options.clientSecret ?? SANDBOX_CLIENT.clientSecret,
      ttlSeconds: options.accessTokenTtlSeconds ?? 1800,
      refreshToken: options.refreshToken ?? SANDBOX_REFRESH_TOKEN,
      now: this.now,
    });
    this.bucket = {
      capacity: options.capacity ?? DEFAULT_BUCKET.capacity,
      dripPerSecond: options.dripPerSecond ?? DEFAULT_BUCKET.dripPerSecond,
      strict: options.strict ?? false,
      burstLimit: options.burstLimit,
    };
    this.limiter = new LeakyBucket(this.bucket, this.stats, this.now);
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
    this.priceLevels = store(data.priceLevels);
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
    this.tokens.expireAccessTokens();
  }

  /** Whether this refresh token would be accepted now. */
  acceptsRefreshToken(token: string): boolean {
    return this.tokens.acceptsRefreshToken(token);
  }

  /** The bucket's level now. */
  bucketLevel(): number {
    return this.limiter.level();
  }

  async handle(request: Request): Promise<SandboxAnswer> {
    const url = new URL(request.url);
    const route = `${request.method} ${url.pathname}`;
    this.calls.push(`${route}${url.search}`);
    if (url.pathname === '/auth/oauth/token')
      return this.faults.play(request.method, url.pathname, () => this.token(request));

    const refusal = this.tokens.authenticate(request);
    if (refusal !== undefined) return this.limiter.withBucket(refusal, 0);
    let body: unknown;
    if (request.method === 'POST' || request.method === 'PUT') {
      const text = await request.text();
      try {
        body = text === '' ? undefined : (JSON.parse(text) as unknown);
      } catch {
        return this.limiter.withBucket(plain(400, 'Bad Request: the payload is not valid JSON'), 0);
      }
    }
    const cost = requestCost({ method: request.method, path: url.pathname, query: url.searchParams, body });
    const limited = this.limiter.charge(cost);
    if (limited !== undefined) return limited;
    this.stats.served += 1;
    const answer = await this.faults.play(request.method, url.pathname, () => this.route(request.method, url, body));
    return answer === 'network-error' ? answer : this.limiter.withBucket(answer, cost);
  }

  // Tokens ------------------------------------------------------------------------------------------------

  private async token(request: Request): Promise<Response> {
    this.stats.tokenRequests += 1;
    return this.tokens.issue(request);
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
      case 'PUT Item/:id':
        return this.updateItem(id!, body as Json);
      case 'GET PriceLevel':
        return this.list(url, 'PriceLevel', this.archivedFilter(this.priceLevels, query));
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
      case 'GET Sale': {
        // The fulfilment flow's window: timeStamp=>,<time> (the sales changed since), with the documented operators.
        const stamped = compareFilter(
          this.filter(this.sales, query, [
            'saleID',
            'customerID',
            'referenceNumber',
            'referenceNumberSource',
            'completed',
          ]),
          query,
          'timeStamp',
        );
        if (typeof stamped === 'string') return plain(400, `Bad Request: ${stamped}`);
        return this.list(url, 'Sale', this.archivedFilter(stamped, query), (s) => this.saleView(s, relations));
      }
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
    if (!isJsonObject(body)) return plain(400, 'Bad Request: a customer payload is required');
    const typeId = body.customerTypeID === undefined ? '0' : String(body.customerTypeID);
    if (typeId !== '0' && !this.customerTypes.some((t) => t.customerTypeID === typeId))
      return plain(400, `Bad Request: customerTypeID ${typeId} does not exist`);
    const customerID = this.id();
    const contact = isJsonObject(body.Contact) ? (toStore(structuredClone(body.Contact)) as Json) : {};
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
    if (isJsonObject(body.Note))
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
    if (!isJsonObject(body)) return plain(400, 'Bad Request: a customer payload is required');
    for (const [field, value] of Object.entries(body))
      if (value === null || typeof value !== 'object') customer[field] = String(value);
    if (isJsonObject(body.CreditAccount)) {
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

  /**
   * PUT Item/{itemID}.json: scalars set as given (as strings, R-Series' form), except `archived`, which "Can only be
   * set to false on update" (https://developers.lightspeedhq.com/retail/endpoints/Item/); Prices set level by level. An
   * ItemPrice must name a price level the account has, live, by useTypeID, and give a decimal amount of 0 or more (the
   * Item page types it a float); its useType becomes the level's name. Refused whole (400) when any part is wrong:
   * nothing is half-applied. The 400 bodies are this fake's words (Lightspeed documents none).
   */
  private updateItem(id: string, body: Json | undefined): Response {
    const item = this.items.find((i) => i.itemID === id);
    if (item === undefined) return plain(404, 'Not Found: no such Item');
    if (!isJsonObject(body)) return plain(400, 'Bad Request: an item payload is required');
    if (body.archived !== undefined && String(body.archived) !== 'false')
      return plain(400, 'Bad Request: archived can only be set to false on update; DELETE archives an item');
    const prices = body.Prices === undefined ? [] : elements(body.Prices);
    if (body.Prices !== undefined && body.Prices !== '' && prices.length === 0)
      return plain(400, 'Bad Request: Prices is not an ItemPrice collection');
    const set: Array<{ level: Json; amount: string }> = [];
    for (const price of prices) {
      const levelID = String(price.useTypeID ?? '');
      // A level the item already has a price at is one the account has (MSRP, 2, is on every item sample but not on
      // the PriceLevel page's sample, so not in the fixture's levels).
      const own = elements(item.Prices).find((p) => String(p.useTypeID) === levelID);
      const level =
        this.priceLevels.find((l) => l.priceLevelID === levelID) ??
        (own === undefined ? undefined : { priceLevelID: levelID, name: String(own.useType ?? ''), archived: 'false' });
      if (level === undefined) return plain(400, `Bad Request: useTypeID ${levelID} is not a price level`);
      if (level.archived === 'true') return plain(400, `Bad Request: price level ${levelID} is archived`);
      const amount = typeof price.amount === 'number' ? String(price.amount) : price.amount;
      if (typeof amount !== 'string' || !/^\d+(\.\d+)?$/.test(amount))
        return plain(400, `Bad Request: ItemPrice amount ${JSON.stringify(price.amount)} is not a number of 0 or more`);
      set.push({ level, amount });
    }
    for (const [field, value] of Object.entries(body))
      if (field !== 'Prices' && (value === null || typeof value !== 'object')) item[field] = String(value);
    const stored = elements(item.Prices);
    for (const { level, amount } of set) {
      const entry = stored.find((p) => String(p.useTypeID) === level.priceLevelID);
      if (entry !== undefined) {
        entry.amount = amount;
        entry.useType = level.name;
      } else stored.push({ amount, useTypeID: level.priceLevelID, useType: level.name });
    }
    if (set.length > 0) item.Prices = { ItemPrice: stored };
    item.timeStamp = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    return json(wire({ '@attributes': { count: '1' }, Item: this.itemView(item, new Set()) }));
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
    if (!isJsonObject(body)) return plain(400, 'Bad Request: a sale payload is required');
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
    if (!isJsonObject(body)) return plain(400, 'Bad Request: a sale payload is required');
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
    // Completing changes the sale, so its timeStamp (its last change) moves with it.
    sale.timeStamp = sale.completeTime;
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

function readNotes(raw: unknown, id: () => string, existing?: Json): Json | undefined {
  if (!isJsonObject(raw)) return undefined;
  const notes: Json = { ...existing };
  for (const kind of ['InternalNote', 'PrintedNote']) {
    const note = raw[kind];
    if (isJsonObject(note) && note.note !== undefined)
      notes[kind] = { noteID: (existing?.[kind] as Json | undefined)?.noteID ?? id(), note: String(note.note) };
  }
  return notes;
}

function defaultPrice(item: Json | undefined): string {
  const prices = elements(item?.Prices);
  return String(prices.find((price) => price.useType === 'Default')?.amount ?? '0');
}
