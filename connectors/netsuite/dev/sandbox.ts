/**
 * A fake NetSuite for tests and the local runner. It checks every request's token-based-authentication header the
 * way NetSuite does: realm, consumer key and token, HMAC-SHA256, a timestamp close to its clock, a nonce it has not
 * seen, and the signature recomputed from its own consumer and token secrets
 * (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1534941088.html). Anything wrong is a 401
 * with NetSuite's REST error body. Behind that it keeps sales orders and customers by internal and external ID
 * (upsert by PUT …/eid:<id>: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156335203191.html;
 * non-keyed sublist lines appended on update unless the request says replace=<sublist>:
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545295601.html), answers SuiteQL with
 * limit/offset pages, and plays queued faults (429, 5xx, a dropped connection). It also serves item fulfillments,
 * credit memos and return authorizations by GET only, from the records it was given (`fulfilments`), their sublists
 * (item, package) as links unless expandSubResources=true. Like NetSuite it computes a sales
 * order's header totals whenever it stores one (`salesOrderTotals`, in decimal) and returns them on GET as subtotal,
 * discountTotal, taxTotal and total beside shippingCost; `seedSalesOrder` puts in an order whose totals are whatever a
 * test needs them to be.
 *
 * It speaks the Fetch API (Request in, Response out) so msw and a loopback HTTP server can both host it.
 * The o:errorCode values it sends are illustrative: Oracle documents the field, not a list of its values.
 */
import Big from 'big.js';
import { exactJsonNumber, toDecimal, type Decimal } from '../../../model/money.js';
import { FaultPlan, type InjectedFault, type SandboxAnswer } from '../../../contracts/faults.js';
import { loadFixture } from '../../../contracts/fixtures.js';
import { EXTERNAL_ID, SUITEQL_MAX_LIMIT } from './client.js';
import { netsuiteRealm, type NetSuiteConfig } from './config.js';
import { parseAuthorizationHeader, verifySignature, type TokenCredentials } from '../../http/oauth1.js';

/** Not secrets: the sandbox's own made-up account and credentials, so tests and `npm start` need none. */
export const SANDBOX_ACCOUNT_ID = '1234567_SB1';
export const SANDBOX_CREDENTIALS: TokenCredentials = {
  consumerKey: 'sandbox-consumer-key',
  consumerSecret: 'sandbox-consumer-secret',
  tokenId: 'sandbox-token-id',
  tokenSecret: 'sandbox-token-secret',
};
export const SANDBOX_BASE_URL = 'https://1234567-sb1.suitetalk.api.netsuite.invalid/services/rest';

/** A client configuration that the sandbox accepts. */
export function sandboxConfig(overrides: Partial<NetSuiteConfig> = {}): NetSuiteConfig {
  return {
    accountId: SANDBOX_ACCOUNT_ID,
    realm: netsuiteRealm(SANDBOX_ACCOUNT_ID),
    baseUrl: SANDBOX_BASE_URL,
    environment: 'custom',
    ...SANDBOX_CREDENTIALS,
    ...overrides,
  };
}

type Json = Record<string, unknown>;

export interface SandboxData {
  /** Customers as GET returns them (each with `id`; `externalId` optional). */
  customers: Json[];
  /**
   * Sales orders as GET returns them, kept exactly as given: totals included, and none computed. To put in an order
   * with totals worked out from its lines (or some of them deliberately different), use `seedSalesOrder`.
   */
  salesOrders?: Json[];
  /**
   * Item fulfillments, credit memos and return authorizations as GET returns them with expandSubResources=true, each
   * with `id`: the sandbox answers GET …/<record>/{id} from them and nothing else (no create or update).
   */
  fulfilments?: Partial<Record<FulfilmentRecord, Json[]>>;
  /** Item internal IDs the account has; a sales order line naming another is refused. Empty: any item. */
  itemIds?: string[];
  /**
   * SuiteQL tables, rows stored already joined: `SELECT … FROM <table>` answers its rows in order, the columns selected
   * (see `suiteql`). From the fixtures: `customer`, `inventoryitemlocations` with the item's columns,
   * `transactionline` (sales order lines) with their transaction's type and status and the item's itemid,
   * `transaction` (sales orders, item fulfillments, credit memos and return authorizations), and `pricing` (item
   * prices per level, currency and quantity break) with the item's itemid, the level's name and the currency's symbol.
   */
  tables?: Record<string, Json[]>;
}

/** The records the sandbox serves by GET only (netsuite-fulfilments reads them). */
export const FULFILMENT_RECORDS = ['itemFulfillment', 'creditMemo', 'returnAuthorization'] as const;
export type FulfilmentRecord = (typeof FULFILMENT_RECORDS)[number];
const isFulfilmentRecord = (record: string): record is FulfilmentRecord =>
  (FULFILMENT_RECORDS as readonly string[]).includes(record);

/** How far a request's oauth_timestamp may be from the sandbox clock. */
export const TIMESTAMP_WINDOW_SECONDS = 300;

export class NetSuiteSandbox {
  readonly customers: Json[];
  readonly salesOrders: Json[];
  readonly fulfilments: Record<FulfilmentRecord, Json[]>;
  readonly tables: Record<string, Json[]>;
  readonly itemIds: ReadonlySet<string>;
  /** Every call as `METHOD /path?query`, the path under /services/rest, in order. */
  readonly calls: string[] = [];
  /** Every Authorization header received, for tests that look at the signing. */
  readonly authorizations: string[] = [];
  /** Faults to play (contracts/faults.ts); `failNext` is the shorthand. */
  readonly faults = new FaultPlan();
  private readonly seenNonces = new Set<string>();
  private nextId = 1000;
  private readonly basePath: string;
  private readonly baseUrl: string;

  constructor(
    data: SandboxData,
    readonly accountId: string = SANDBOX_ACCOUNT_ID,
    readonly credentials: TokenCredentials = SANDBOX_CREDENTIALS,
    private readonly now: () => number = Date.now,
    baseUrl: string = SANDBOX_BASE_URL,
  ) {
    this.customers = structuredClone(data.customers);
    this.salesOrders = structuredClone(data.salesOrders ?? []);
    this.fulfilments = {
      itemFulfillment: structuredClone(data.fulfilments?.itemFulfillment ?? []),
      creditMemo: structuredClone(data.fulfilments?.creditMemo ?? []),
      returnAuthorization: structuredClone(data.fulfilments?.returnAuthorization ?? []),
    };
    this.tables = structuredClone(data.tables ?? {});
    this.itemIds = new Set(data.itemIds ?? []);
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.basePath = new URL(this.baseUrl).pathname;
  }

  /** Plays a fault for the next `times` calls of a route, e.g. `PUT /record/v1/salesOrder/eid:sl-1`. */
  failNext(route: string, fault: InjectedFault, times = 1): void {
    this.faults.add(route, fault, { times });
  }

  salesOrderByExternalId(externalId: string): Json | undefined {
    return this.salesOrders.find((order) => order.externalId === externalId);
  }

  /**
   * Puts in a sales order as if NetSuite already held it: no request, no validation. `id` and `tranId` are assigned
   * when the order has none; the totals are computed from its lines as for a stored order (`salesOrderTotals`), then
   * `totals` is laid over them as given, so a test or the local runner can hold an order whose totals deliberately
   * differ from its lines or from SparkLayer's. GET returns it like any other. Returns the stored record.
   */
  seedSalesOrder(order: Json, { totals = {} }: { totals?: Partial<SalesOrderTotals> } = {}): Json {
    if (typeof order.externalId === 'string' && this.salesOrderByExternalId(order.externalId) !== undefined) {
      throw new Error(`the sandbox already holds a sales order with externalId ${order.externalId}`);
    }
    if (order.id !== undefined && this.salesOrders.some((o) => o.id === order.id)) {
      throw new Error(`the sandbox already holds a sales order with id ${String(order.id)}`);
    }
    const stored: Json = structuredClone(order);
    if (stored.id === undefined) {
      this.nextId += 1;
      stored.id = String(this.nextId);
    }
    stored.tranId ??= `SO${String(stored.id)}`;
    Object.assign(stored, salesOrderTotals(stored), totals);
    this.salesOrders.push(stored);
    return stored;
  }

  async handle(request: Request): Promise<SandboxAnswer> {
    const url = new URL(request.url);
    const path = url.pathname.startsWith(this.basePath) ? url.pathname.slice(this.basePath.length) : url.pathname;
    const route = `${request.method} ${path}`;
    this.calls.push(`${route}${url.search}`);

    const refusal = this.authenticate(request);
    if (refusal !== undefined) return error(401, 'Unauthorized', refusal, 'INVALID_LOGIN');

    return this.faults.play(request.method, path, () => this.route(request, url, path));
  }

  /** Undefined when the request is signed as NetSuite requires; else why not (the sandbox's own log line). */
  private authenticate(request: Request): string | undefined {
    const header = request.headers.get('authorization');
    if (header) this.authorizations.push(header);
    const oauth = parseAuthorizationHeader(header);
    if (!oauth) return 'Invalid login attempt: no OAuth Authorization header.';
    if (oauth.get('realm') !== netsuiteRealm(this.accountId))
      return 'Invalid login attempt: the realm is not this account.';
    if (oauth.get('oauth_signature_method') !== 'HMAC-SHA256')
      return 'Invalid login attempt: the signature method must be HMAC-SHA256.';
    if (oauth.has('oauth_version') && oauth.get('oauth_version') !== '1.0')
      return 'Invalid login attempt: oauth_version must be 1.0.';
    if (
      oauth.get('oauth_consumer_key') !== this.credentials.consumerKey ||
      oauth.get('oauth_token') !== this.credentials.tokenId
    ) {
      return 'Invalid login attempt: unknown consumer key or token.';
    }
    const timestamp = Number(oauth.get('oauth_timestamp'));
    if (!Number.isInteger(timestamp) || Math.abs(timestamp - this.now() / 1000) > TIMESTAMP_WINDOW_SECONDS) {
      return 'Invalid login attempt: the timestamp is too far from the server clock.';
    }
    const nonce = oauth.get('oauth_nonce') ?? '';
    if (!/^[A-Za-z0-9]{6,64}$/.test(nonce))
      return 'Invalid login attempt: the nonce must be 6 to 64 letters and digits.';
    if (this.seenNonces.has(`${timestamp}:${nonce}`)) return 'Invalid login attempt: the nonce was used before.';
    if (!verifySignature(request.method, request.url, oauth, this.credentials))
      return 'Invalid login attempt: the signature does not match.';
    this.seenNonces.add(`${timestamp}:${nonce}`);
    return undefined;
  }

  private async route(request: Request, url: URL, path: string): Promise<Response> {
    const method = request.method;
    if (path === '/query/v1/suiteql' && method === 'POST') return this.suiteql(request, url);
    // /record/v1/<record>[/<id> or /eid:<externalId>]
    const [prefix, version, record, key, extra] = path.split('/').filter(Boolean);
    if (prefix !== 'record' || version !== 'v1' || record === undefined || extra !== undefined) return notFound(path);
    const byExternalId = key?.startsWith('eid:') ? key.slice(4) : undefined;
    if (byExternalId !== undefined && !EXTERNAL_ID.test(byExternalId)) return notFound(path);
    const readOnly = isFulfilmentRecord(record);
    const store = readOnly
      ? this.fulfilments[record]
      : record === 'salesOrder'
        ? this.salesOrders
        : record === 'customer'
          ? this.customers
          : undefined;
    if (store === undefined || (readOnly && method !== 'GET')) return notFound(path);
    const index =
      key === undefined
        ? -1
        : store.findIndex((r) => (byExternalId !== undefined ? r.externalId === byExternalId : r.id === key));

    if (key !== undefined && method === 'GET') {
      if (index < 0) return notFound(path);
      return json(this.readShape(record, store[index]!, url.searchParams.get('expandSubResources') === 'true'));
    }
    if (method === 'POST' && key === undefined) {
      const body = (await request.json()) as Json;
      if (typeof body.externalId === 'string' && store.some((r) => r.externalId === body.externalId)) {
        return error(400, 'Bad Request', 'A record with this external ID already exists.', 'DUP_RCRD', 'externalId');
      }
      return this.store(record, store, -1, body, undefined, url);
    }
    if (method === 'PUT' && byExternalId !== undefined) {
      const body = (await request.json()) as Json;
      return this.store(
        record,
        store,
        index,
        { ...body, externalId: byExternalId },
        url.searchParams.get('replace') ?? undefined,
        url,
      );
    }
    return notFound(path);
  }

  /** Creates (index < 0) or updates a record; answers 204 with its Location, as NetSuite does. */
  private store(
    record: string,
    store: Json[],
    index: number,
    body: Json,
    replace: string | undefined,
    url: URL,
  ): Response {
    const invalid = record === 'salesOrder' ? this.invalidSalesOrder(body, index >= 0) : undefined;
    if (invalid) return invalid;
    const replaced = new Set(
      (replace ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    );
    let stored: Json;
    if (index < 0) {
      this.nextId += 1;
      stored = {
        ...structuredClone(body),
        id: String(this.nextId),
        ...(record === 'salesOrder' ? { tranId: `SO${this.nextId}` } : {}),
      };
      store.push(stored);
    } else {
      const previous = store[index]!;
      stored = { ...previous, ...structuredClone(body), id: previous.id };
      for (const sublist of ['item', 'taxDetails']) {
        const before = sublistLines(previous[sublist]);
        const sent = sublistLines(body[sublist]);
        if (body[sublist] === undefined) stored[sublist] = previous[sublist];
        // Non-keyed sublist lines are appended on update unless the request replaces the sublist.
        else stored[sublist] = { items: replaced.has(sublist) ? sent : [...before, ...sent] };
      }
      store[index] = stored;
    }
    // NetSuite computes the header totals from what it now holds (lines appended on update included).
    if (record === 'salesOrder') Object.assign(stored, salesOrderTotals(stored));
    const location = `${url.origin}${this.basePath}/record/v1/${record}/${stored.id as string}`;
    return new Response(null, { status: 204, headers: { Location: location } });
  }

  private invalidSalesOrder(body: Json, exists: boolean): Response | undefined {
    const entity = body.entity as Json | undefined;
    if (!exists && (typeof entity?.id !== 'string' || entity.id === '')) {
      return error(400, 'Bad Request', 'Please enter a value for [entity]', 'FIELD_PARAM_REQD', 'entity');
    }
    if (entity !== undefined && !this.customers.some((c) => c.id === entity.id)) {
      return error(
        400,
        'Bad Request',
        `Invalid Field Value ${String(entity.id)} for the following field: entity`,
        'INVALID_FLD_VALUE',
        'entity',
      );
    }
    const lines = sublistLines(body.item);
    if (!exists && lines.length === 0)
      return error(
        400,
        'Bad Request',
        'You must enter at least one line item for this transaction.',
        'USER_ERROR',
        'item',
      );
    for (const [i, line] of lines.entries()) {
      const item = (line.item as Json | undefined)?.id;
      if (typeof item !== 'string' || (this.itemIds.size > 0 && !this.itemIds.has(item))) {
        return error(
          400,
          'Bad Request',
          `Invalid Field Value ${String(item)} for the following field: item`,
          'INVALID_FLD_VALUE',
          `item.items[${i}].item`,
        );
      }
    }
    // The amounts the totals are computed from must be numbers.
    const amounts: Array<[string, unknown]> = [
      ['shippingCost', body.shippingCost],
      ['discountTotal', body.discountTotal],
      ...lines.flatMap((line, i): Array<[string, unknown]> => [
        [`item.items[${i}].quantity`, line.quantity],
        [`item.items[${i}].rate`, line.rate],
        [`item.items[${i}].amount`, line.amount],
      ]),
      ...sublistLines(body.taxDetails).map((row, i): [string, unknown] => [
        `taxDetails.items[${i}].taxAmount`,
        row.taxAmount,
      ]),
    ];
    for (const [field, value] of amounts) {
      if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
        return error(
          400,
          'Bad Request',
          `Invalid Field Value ${JSON.stringify(value)} for the following field: ${field}`,
          'INVALID_FLD_VALUE',
          field,
        );
      }
    }
    return undefined;
  }

  /** A stored record as GET returns it: references as {id, links}; sublists as links unless expanded. */
  private readShape(record: string, stored: Json, expand: boolean): Json {
    const self = `${this.baseUrl}/record/v1/${record}/${stored.id as string}`;
    const shaped: Json = { links: [{ rel: 'self', href: self }], ...stored };
    if (record === 'salesOrder') {
      if (typeof stored.orderStatus === 'string') {
        shaped.orderStatus = {
          id: stored.orderStatus,
          refName: stored.orderStatus === 'A' ? 'Pending Approval' : 'Pending Fulfillment',
        };
      }
      for (const sublist of ['item', 'taxDetails']) {
        if (stored[sublist] === undefined) continue;
        const links = [{ rel: 'self', href: `${self}/${sublist}` }];
        shaped[sublist] = expand ? { links, items: sublistLines(stored[sublist]) } : { links };
      }
    }
    if (isFulfilmentRecord(record)) {
      // Kept as GET answers them expanded; without expandSubResources a sublist is its link only.
      for (const sublist of ['item', 'package']) {
        if (stored[sublist] === undefined || expand) continue;
        shaped[sublist] = { links: [{ rel: 'self', href: `${self}/${sublist}` }] };
      }
    }
    return shaped;
  }

  /**
   * POST /query/v1/suiteql with Prefer: transient: answers the rows of the table after FROM, page by page. The sandbox
   * knows a table's columns from its rows (a table's rows are stored already joined, e.g. inventoryitemlocations with
   * the item's itemid, isinactive, parent and matrixtype: the JOIN itself is not evaluated). It answers the columns the
   * SELECT list names, by their output name (`alias.column` is `column`; `… AS name` is `name`), an empty column left
   * out of the row; it filters by a WHERE of `column IN (…)`, `column = …` and `column >= TO_DATE('YYYY-MM-DD',
   * 'YYYY-MM-DD')` (the stored value, YYYY-MM-DD…, compared as text) joined by AND. It refuses what NetSuite
   * refuses: no Prefer: transient, a limit outside 1 to 1000, a negative offset, a query that is not a SELECT, and a
   * column the table does not have (the detail text is illustrative). A WHERE it cannot evaluate is refused too,
   * saying the sandbox cannot, rather than answered unfiltered.
   */
  private async suiteql(request: Request, url: URL): Promise<Response> {
    if (request.headers.get('prefer') !== 'transient') {
      return error(
        400,
        'Bad Request',
        'The Prefer header must be transient for SuiteQL queries.',
        'INVALID_HEADER',
        undefined,
        { 'o:errorHeader': 'Prefer' },
      );
    }
    const limit = Number(url.searchParams.get('limit') ?? SUITEQL_MAX_LIMIT);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > SUITEQL_MAX_LIMIT) {
      return error(400, 'Bad Request', `limit must be 1 to ${SUITEQL_MAX_LIMIT}.`, 'INVALID_PARAMETER', undefined, {
        'o:errorQueryParam': 'limit',
      });
    }
    if (!Number.isInteger(offset) || offset < 0) {
      return error(400, 'Bad Request', 'offset must be 0 or more.', 'INVALID_PARAMETER', undefined, {
        'o:errorQueryParam': 'offset',
      });
    }
    const body = (await request.json().catch(() => ({}))) as Json;
    const invalid = (detail: string) =>
      error(400, 'Bad Request', `Invalid search query. ${detail}`, 'INVALID_PARAMETER', 'q');
    if (typeof body.q !== 'string' || !/^\s*SELECT\b/i.test(body.q)) return invalid('Only a SELECT query can run.');
    const query = parseQuery(body.q);
    const rows = query.table === undefined ? undefined : this.tables[query.table];
    if (rows === undefined) return invalid(`The sandbox has no table ${JSON.stringify(query.table ?? '')}.`);
    const known = new Set(rows.flatMap((row) => Object.keys(row)));
    const unknown = [...(query.columns ?? []), ...(query.where ?? []).map((c) => c.column)].find(
      (column) => column.source !== undefined && !known.has(column.source),
    );
    if (unknown !== undefined && rows.length > 0)
      return invalid(`Field '${unknown.source!}' for record '${query.table!}' was not found.`);
    if (query.where === undefined) return invalid('The sandbox cannot evaluate this WHERE clause.');
    const matching = rows.filter((row) =>
      query.where!.every((condition) => {
        const value = row[condition.column.source!];
        if (value === undefined || value === null) return false;
        return condition.since !== undefined
          ? String(value) >= condition.since
          : condition.values.includes(String(value));
      }),
    );
    const items = matching.slice(offset, offset + limit).map((row) => ({ links: [], ...project(row, query.columns) }));
    const hasMore = offset + items.length < matching.length;
    const page = (at: number) => `${this.baseUrl}/query/v1/suiteql?limit=${limit}&offset=${at}`;
    const links = [
      { rel: 'self', href: page(offset) },
      ...(hasMore ? [{ rel: 'next', href: page(offset + limit) }] : []),
      { rel: 'last', href: page(Math.max(0, Math.floor((matching.length - 1) / limit) * limit)) },
    ];
    return json({ links, count: items.length, hasMore, items, offset, totalResults: matching.length });
  }
}

/** A SELECT-list entry or a WHERE column: its name in the stored rows (none for an expression) and in the answer. */
interface QueryColumn {
  source?: string;
  name: string;
}

/** `column >= TO_DATE('YYYY-MM-DD', 'YYYY-MM-DD')`, the column optionally `alias.`-prefixed. */
const SINCE_CONDITION =
  /^\(?\s*(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)\s*>=\s*TO_DATE\(\s*'(\d{4}-\d{2}-\d{2})'\s*,\s*'YYYY-MM-DD'\s*\)\s*\)?$/i;

/** One WHERE condition: the column's value among `values`, or (`since`) on or after that YYYY-MM-DD date. */
interface WhereCondition {
  column: QueryColumn;
  values: string[];
  since?: string;
}

/**
 * What the sandbox reads of a SuiteQL query: the table after FROM, the SELECT list (undefined for `*` or anything it
 * cannot split), and the WHERE conditions (an empty list for none; undefined for one it cannot evaluate).
 */
function parseQuery(q: string): {
  table?: string;
  columns?: QueryColumn[];
  where?: WhereCondition[];
} {
  const table = /\bFROM\s+([A-Za-z_][A-Za-z0-9_]*)/i.exec(q)?.[1]?.toLowerCase();
  const list = /^\s*SELECT\s+([\s\S]*?)\s+FROM\b/i.exec(q)?.[1];
  let columns: QueryColumn[] | undefined;
  if (list !== undefined && list.trim() !== '*') {
    columns = [];
    for (const entry of splitTopLevel(list)) {
      const simple = /^(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)(?:\s+AS\s+([A-Za-z_]\w*))?$/i.exec(entry);
      const alias = /\s+AS\s+([A-Za-z_]\w*)$/i.exec(entry);
      if (simple !== null)
        columns.push({ source: simple[1]!.toLowerCase(), name: (simple[2] ?? simple[1]!).toLowerCase() });
      else if (alias !== null) columns.push({ name: alias[1]!.toLowerCase() });
      else columns = undefined;
      if (columns === undefined) break;
    }
  }
  const clause = /\bWHERE\s+([\s\S]*?)(?:\s+ORDER\s+BY\b[\s\S]*)?$/i.exec(q)?.[1];
  if (clause === undefined) return { table, columns, where: [] };
  const where: WhereCondition[] = [];
  for (const condition of clause.split(/\s+AND\s+/i)) {
    // column >= TO_DATE('YYYY-MM-DD', 'YYYY-MM-DD'): a real date only (an unfilled placeholder is refused).
    const since = SINCE_CONDITION.exec(condition.trim());
    if (since !== null) {
      if (Number.isNaN(Date.parse(since[2]!))) return { table, columns, where: undefined };
      const source = since[1]!.toLowerCase();
      where.push({ column: { source, name: source }, values: [], since: since[2]! });
      continue;
    }
    const match =
      /^\(?\s*(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)\s+IN\s*\(([^()]*)\)\s*\)?$/i.exec(condition.trim()) ??
      /^\(?\s*(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)\s*=\s*([^()]+?)\s*\)?$/i.exec(condition.trim());
    const values = match?.[2]?.split(',').map((value) => literal(value.trim()));
    if (match === null || values === undefined || values.some((value) => value === undefined))
      return { table, columns, where: undefined };
    const source = match[1]!.toLowerCase();
    where.push({ column: { source, name: source }, values: values as string[] });
  }
  return { table, columns, where };
}

/** A SuiteQL literal as text: a number, or a string in single quotes ('' for a quote); else undefined. */
function literal(text: string): string | undefined {
  if (/^-?\d+(\.\d+)?$/.test(text)) return text;
  const quoted = /^'((?:[^']|'')*)'$/.exec(text);
  return quoted === null ? undefined : quoted[1]!.replace(/''/g, "'");
}

/** Splits a SELECT list at the commas outside parentheses and quotes. */
function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < list.length; i += 1) {
    const char = list[i];
    if (char === "'") quoted = !quoted;
    else if (!quoted && char === '(') depth += 1;
    else if (!quoted && char === ')') depth -= 1;
    else if (!quoted && depth === 0 && char === ',') {
      parts.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(list.slice(start).trim());
  return parts;
}

/** A stored row as SuiteQL answers it: the columns selected, by their output name; an empty column left out. */
function project(row: Json, columns: QueryColumn[] | undefined): Json {
  if (columns === undefined) return { ...row };
  const out: Json = {};
  for (const column of columns) {
    if (column.source === undefined) continue;
    const value = row[column.source];
    if (value !== undefined && value !== null) out[column.name] = value;
  }
  return out;
}

/** The header totals NetSuite computes on a sales order, as GET returns them (salesOrderSchema in schemas.ts). */
export interface SalesOrderTotals {
  subtotal: number;
  discountTotal: number;
  taxTotal: number;
  total: number;
}

/** Currency precision for an amount the sandbox works out itself (NetSuite's currencyPrecision is 2 for most). */
const AMOUNT_PLACES = 2;

/**
 * The header totals NetSuite would hold for this sales order, computed in decimal (big.js) and written as JSON numbers:
 * - subtotal: the sum of the item lines' `amount` (a line without one counts rate × quantity, rounded half-up to 2
 *   places, as NetSuite fills it in);
 * - discountTotal: the order's own `discountTotal`, else 0 (NetSuite writes a header discount as a negative amount;
 *   the sandbox has no discount items);
 * - taxTotal: the sum of the `taxDetails` rows' `taxAmount` when `taxDetailsOverride` is true, else 0 (the sandbox
 *   has no tax engine to calculate tax the way SuiteTax would);
 * - total: subtotal + discountTotal + shippingCost + taxTotal.
 * `shippingCost` itself is left as the order carries it.
 */
export function salesOrderTotals(order: Json): SalesOrderTotals {
  const amount = (value: unknown, what: string): Decimal =>
    value === undefined || value === null ? new Big(0) : toDecimal(value, what);
  const subtotal = sublistLines(order.item).reduce((sum, line, i) => {
    if (line.amount !== undefined && line.amount !== null)
      return sum.plus(amount(line.amount, `item.items[${i}].amount`));
    const rate = amount(line.rate, `item.items[${i}].rate`);
    const quantity = amount(line.quantity, `item.items[${i}].quantity`);
    return sum.plus(rate.times(quantity).round(AMOUNT_PLACES, Big.roundHalfUp));
  }, new Big(0));
  const discountTotal = amount(order.discountTotal, 'discountTotal');
  const shippingCost = amount(order.shippingCost, 'shippingCost');
  const taxTotal =
    order.taxDetailsOverride === true
      ? sublistLines(order.taxDetails).reduce(
          (sum, row, i) => sum.plus(amount(row.taxAmount, `taxDetails.items[${i}].taxAmount`)),
          new Big(0),
        )
      : new Big(0);
  const total = subtotal.plus(discountTotal).plus(shippingCost).plus(taxTotal);
  return {
    subtotal: jsonNumber(subtotal),
    discountTotal: jsonNumber(discountTotal),
    taxTotal: jsonNumber(taxTotal),
    total: jsonNumber(total),
  };
}

/** A decimal as the JSON number NetSuite would write: exact when it can be, never -0. */
function jsonNumber(value: Decimal): number {
  const number = exactJsonNumber(value) ?? Number(value.toFixed());
  return number === 0 ? 0 : number;
}

function sublistLines(sublist: unknown): Json[] {
  const items = (sublist as { items?: unknown } | undefined)?.items;
  return Array.isArray(items) ? (items as Json[]) : [];
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

/** The `type` links NetSuite's error bodies carry: the HTTP/1.1 status definitions. */
const ERROR_TYPES: Record<number, string> = {
  400: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.1',
  401: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.2',
  404: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.5',
};

/** NetSuite's REST error body (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156570709583.html). */
function error(status: number, title: string, detail: string, code: string, path?: string, extra: Json = {}): Response {
  return json(
    {
      type: ERROR_TYPES[status] ?? 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html',
      title,
      status,
      'o:errorDetails': [
        { detail, 'o:errorCode': code, ...(path === undefined ? {} : { 'o:errorPath': path }), ...extra },
      ],
    },
    status,
  );
}

function notFound(path: string): Response {
  return error(
    404,
    'Not Found',
    `The record instance does not exist. Provide a valid record instance ID: ${path}`,
    'NONEXISTENT_ID',
  );
}

/** The sandbox's data from the NetSuite fixtures (their provenance is checked on load). */
export async function sandboxDataFromFixtures(root: string): Promise<SandboxData> {
  const body = async (file: string) => (await loadFixture(root, `fixtures/netsuite/${file}`)).body as Json;
  const customers = [
    await body('customers/get.credit-hold-on.json'),
    await body('customers/get.credit-hold-auto.json'),
  ];
  const salesOrders = [await body('sales-orders/get.json'), await body('sales-orders/get.with-totals.json')];
  const page = await body('suiteql/customers.page-1.json');
  const stock = await body('suiteql/inventory-item-locations.json');
  // Every sales order line, joined to its order's type and status and its item's itemid: the Pending Approval query
  // (stock-reader.ts) is answered by its WHERE over these.
  const orderLines = await body('suiteql/sales-order-lines.json');
  // Every transaction the fixtures hold (the fulfilment queries, fulfilment-queries.ts, are answered over these).
  const transactions = await body('suiteql/transactions.json');
  // Every item price, joined to its item's itemid, its level's name and its currency's symbol (the price query,
  // price-reader.ts).
  const prices = await body('suiteql/item-prices.json');
  const rows = (page: Json) => ((page.items as Json[] | undefined) ?? []).map(withoutLinks);
  return {
    customers: customers.map(withoutLinks),
    salesOrders: salesOrders.map(withoutLinks),
    fulfilments: {
      itemFulfillment: [
        await body('fulfilments/item-fulfillment.partial.json'),
        await body('fulfilments/item-fulfillment.completing.json'),
      ].map(withoutLinks),
      creditMemo: [await body('fulfilments/credit-memo.partial-return.json')].map(withoutLinks),
      returnAuthorization: [await body('fulfilments/return-authorization.partial-return.json')].map(withoutLinks),
    },
    itemIds: [],
    tables: {
      customer: rows(page),
      inventoryitemlocations: rows(stock),
      transactionline: rows(orderLines),
      transaction: rows(transactions),
      pricing: rows(prices),
    },
  };
}

function withoutLinks(record: Json): Json {
  const { links: _links, ...rest } = record;
  return rest;
}
