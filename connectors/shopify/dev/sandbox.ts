/**
 * A fake Shopify GraphQL Admin API for the sandbox and the tests: serves the fixtures' documented Order and DraftOrder
 * nodes (fixtures/shopify/graphql/) to the pack's own two queries only (graphql-queries.ts), and answers as Shopify
 * does where its docs say how:
 * - the token: every request carries X-Shopify-Access-Token (https://shopify.dev/docs/api/admin-graphql#authentication);
 *   without the right one, 401 with `{"errors": "[API] Invalid API key or access token (unrecognized login or wrong
 *   password)"}` (UNVERIFIED: the body's text is from Shopify's community, not shopify.dev);
 * - a document that is not the pack's, or variables it does not declare: 200 with a GraphQL `errors` list of
 *   `{ message, extensions: { code } }` and no `data` (the shape of Shopify's GraphQL errors; UNVERIFIED: the codes
 *   Shopify would give a valid query that is simply not the pack's do not apply, as Shopify would run it: the fake
 *   refuses it so that a drift between the query and the reader fails in a test, not in a client's flow);
 * - `first` above 250 ("You can retrieve up to a maximum of 250 resources",
 *   https://shopify.dev/docs/api/usage/pagination-graphql): refused the same way;
 * - throttling (`throttleNext`): `errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }]` with
 *   `extensions.cost.throttleStatus` beside (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits);
 *   UNVERIFIED: its HTTP status, 200 here (Shopify's docs do not say; a community answer suggests 429);
 * - paging: `pageInfo { hasNextPage endCursor }`, the next page `after` the cursor (same page). `query` (Shopify's
 *   search syntax) is accepted and not applied: the fixtures carry no updatedAt.
 */
import { loadFixtures } from '../../../contracts/fixtures.js';
import type { FakeApi } from '../../../contracts/hosts.js';
import { normaliseQuery, SHOPIFY_ORDER_QUERIES, type ShopifyOrderConnection } from '../graphql-queries.js';

export const SANDBOX_BASE_URL = 'https://sandbox-store.myshopify.invalid';
export const SANDBOX_ACCESS_TOKEN = 'shpat_sandbox-token';
/** The Admin API version the pack's queries are written against (https://shopify.dev/docs/api/usage/versioning). */
export const SHOPIFY_API_VERSION = '2026-10';
export const GRAPHQL_PATH = `/admin/api/${SHOPIFY_API_VERSION}/graphql.json`;

/** Standard plan: 100 points a second (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits). UNVERIFIED:
 * the bucket's size, 2000 here. */
const THROTTLE_STATUS = { maximumAvailable: 2000, restoreRate: 100 };
const MAX_FIRST = 250;

type Json = Record<string, unknown>;

export interface ShopifySandboxData {
  orders: Json[];
  draftOrders: Json[];
}

/**
 * The fixtures' documented GraphQL nodes: `order.*` are Order nodes, `draft-order.*` DraftOrder nodes; `sandbox.*`
 * ones are derived for the sandbox's flows (the SparkLayer sandbox's order B2B01123 as Shopify holds it).
 */
export async function sandboxDataFromFixtures(root: string): Promise<ShopifySandboxData> {
  const fixtures = (await loadFixtures(root, 'shopify')).filter((fixture) => fixture.file.includes('/graphql/'));
  const of = (prefix: string) =>
    fixtures
      .filter((fixture) =>
        fixture.file
          .split(/[\\/]/)
          .at(-1)!
          .replace(/^sandbox\./, '')
          .startsWith(prefix),
      )
      .map((f) => f.body as Json);
  return { orders: of('order.'), draftOrders: of('draft-order.') };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const graphqlError = (message: string, code: string) => json(200, { errors: [{ message, extensions: { code } }] });

export class ShopifySandbox implements FakeApi {
  /** Every request the fake answered, for tests: the connection and variables asked for. */
  readonly requests: Array<{ connection: ShopifyOrderConnection; variables: Json }> = [];
  private throttled = 0;

  constructor(private readonly data: ShopifySandboxData) {}

  /** The next `count` requests are throttled. */
  throttleNext(count = 1): void {
    this.throttled += count;
  }

  /** Adds nodes to a connection (a test's order seen from Shopify). */
  add(connection: ShopifyOrderConnection, ...nodes: Json[]): void {
    this.data[connection].push(...nodes);
  }

  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method !== 'POST' || url.pathname !== GRAPHQL_PATH)
      return json(404, { errors: `Not Found: the fake serves POST ${GRAPHQL_PATH} only` });
    if (request.headers.get('X-Shopify-Access-Token') !== SANDBOX_ACCESS_TOKEN)
      return json(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      return json(400, { errors: { query: 'Required parameter missing or invalid' } });
    }
    const { query, variables = {} } = (body ?? {}) as { query?: unknown; variables?: unknown };
    if (typeof query !== 'string') return json(400, { errors: { query: 'Required parameter missing or invalid' } });
    const connection = (Object.keys(SHOPIFY_ORDER_QUERIES) as ShopifyOrderConnection[]).find(
      (key) => normaliseQuery(SHOPIFY_ORDER_QUERIES[key]) === normaliseQuery(query),
    );
    if (connection === undefined)
      return graphqlError(
        "not one of the pack's queries (connectors/shopify/graphql-queries.ts): the sandbox serves only what " +
          'order-reader.ts reads',
        'BAD_REQUEST',
      );
    if (variables === null || typeof variables !== 'object' || Array.isArray(variables))
      return graphqlError('variables must be an object', 'BAD_REQUEST');
    const vars = variables as Json;
    const unknown = Object.keys(vars).filter((name) => !['first', 'after', 'query'].includes(name));
    if (unknown.length > 0) return graphqlError(`Variable $${unknown[0]} is not declared`, 'BAD_REQUEST');
    const first = vars.first;
    if (typeof first !== 'number' || !Number.isInteger(first) || first < 1)
      return graphqlError('Variable $first of type Int! was provided invalid value', 'BAD_REQUEST');
    if (first > MAX_FIRST) return graphqlError(`The first argument must be at most ${MAX_FIRST}`, 'MAX_COST_EXCEEDED');
    if (vars.after !== undefined && vars.after !== null && typeof vars.after !== 'string')
      return graphqlError('Variable $after of type String was provided invalid value', 'BAD_REQUEST');
    if (vars.query !== undefined && vars.query !== null && typeof vars.query !== 'string')
      return graphqlError('Variable $query of type String was provided invalid value', 'BAD_REQUEST');
    const cost = { requestedQueryCost: first + 2, actualQueryCost: null as number | null };
    if (this.throttled > 0) {
      this.throttled -= 1;
      return json(200, {
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }],
        extensions: { cost: { ...cost, throttleStatus: { ...THROTTLE_STATUS, currentlyAvailable: 0 } } },
      });
    }
    this.requests.push({ connection, variables: vars });
    const nodes = this.data[connection];
    const start = typeof vars.after === 'string' ? Number(Buffer.from(vars.after, 'base64').toString()) + 1 : 0;
    if (!Number.isInteger(start) || start < 0) return graphqlError('Invalid cursor for after', 'BAD_REQUEST');
    const page = nodes.slice(start, start + first);
    const end = start + page.length - 1;
    return json(200, {
      data: {
        [connection]: {
          pageInfo: {
            hasNextPage: start + first < nodes.length,
            endCursor: page.length > 0 ? Buffer.from(String(end)).toString('base64') : null,
          },
          nodes: page,
        },
      },
      extensions: {
        cost: {
          ...cost,
          actualQueryCost: page.length + 2,
          throttleStatus: { ...THROTTLE_STATUS, currentlyAvailable: THROTTLE_STATUS.maximumAvailable - page.length },
        },
      },
    });
  }
}
