import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { shopifyConfigFromEnv } from '../../../../connectors/shopify/dev/config.js';
import {
  GRAPHQL_PATH,
  SANDBOX_ACCESS_TOKEN,
  SANDBOX_BASE_URL,
  ShopifySandbox,
  sandboxDataFromFixtures,
} from '../../../../connectors/shopify/dev/sandbox.js';
import { DRAFT_ORDERS_QUERY, normaliseQuery, ORDERS_QUERY } from '../../../../connectors/shopify/graphql-queries.js';
import system from '../../../../connectors/shopify/index.js';
import { readGraphqlOrder, sparkLayerCustomerIds } from '../../../../connectors/shopify/order-reader.js';
import { PACK_SYSTEMS } from '../../../../patchworks/systems/registry.js';
import { ROOT } from '../../../support/steps.js';

type Json = Record<string, unknown>;

const fake = async () => new ShopifySandbox(await sandboxDataFromFixtures(ROOT));
const ask = (
  api: ShopifySandbox,
  body: unknown,
  { token = SANDBOX_ACCESS_TOKEN as string | null, url = `${SANDBOX_BASE_URL}${GRAPHQL_PATH}`, method = 'POST' } = {},
) =>
  api.handle(
    new Request(url, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token === null ? {} : { 'X-Shopify-Access-Token': token }) },
      body: method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
const answer = async (response: Response) => ({ status: response.status, body: (await response.json()) as Json });
const errorsOf = (body: Json) => body.errors as Array<{ message: string; extensions: { code: string } }>;

describe('the Shopify system', () => {
  it('is registered by its folder, after the pack’s other systems, with its fake and sandbox instance', async () => {
    expect(PACK_SYSTEMS.map((s) => s.key).at(-1)).toBe('shopify');
    expect(system.sandbox.instance).toEqual({ store_url: SANDBOX_BASE_URL, access_token: SANDBOX_ACCESS_TOKEN });
    expect(await system.sandbox.fake(ROOT)).toBeInstanceOf(ShopifySandbox);
  });

  it('gets its live instance from the environment, naming what is missing and no value', () => {
    expect(() => shopifyConfigFromEnv({ SHOPIFY_STORE_URL: 'https://x.myshopify.com' })).toThrow(
      /SHOPIFY_ACCESS_TOKEN/,
    );
    expect(() =>
      shopifyConfigFromEnv({ SHOPIFY_STORE_URL: 'x.myshopify.com', SHOPIFY_ACCESS_TOKEN: 's3cret' }),
    ).toThrow(/SHOPIFY_STORE_URL must be an http\(s\) URL/);
    expect(system.live({ SHOPIFY_STORE_URL: 'https://x.myshopify.com/', SHOPIFY_ACCESS_TOKEN: 'shpat_1' })).toEqual({
      store_url: 'https://x.myshopify.com',
      access_token: 'shpat_1',
    });
  });

  it("documents the pack's two queries as the operation's request examples", () => {
    const openApi = JSON.parse(readFileSync(path.join(ROOT, 'connectors/shopify/openapi.json'), 'utf8'));
    const examples = openApi.paths[GRAPHQL_PATH].post.requestBody.content['application/json'].examples;
    expect(examples.orders.value.query).toBe(ORDERS_QUERY);
    expect(examples.draftOrders.value.query).toBe(DRAFT_ORDERS_QUERY);
  });
});

describe('the Shopify sandbox fake', () => {
  it("serves the fixtures' Order nodes to the pack's orders query, which order-reader reads", async () => {
    const api = await fake();
    const { status, body } = await answer(await ask(api, { query: ORDERS_QUERY, variables: { first: 250 } }));
    expect(status).toBe(200);
    const orders = (body.data as Json).orders as { nodes: Json[]; pageInfo: Json };
    expect(orders.pageInfo.hasNextPage).toBe(false);
    expect(orders.nodes.map((node) => node.id)).toEqual(['gid://shopify/Order/5501']);
    const order = readGraphqlOrder(orders.nodes[0], sparkLayerCustomerIds([{ id: 'sl-7702', external_id: '7702' }]));
    expect(order.id).toBe('c4d5e6f7-0a1b-4c2d-8e3f-4a5b6c7d8e9f');
    expect((body.extensions as { cost: Json }).cost).toMatchObject({ throttleStatus: { restoreRate: 100 } });
  });

  it('pages draft orders by cursor: pageInfo hasNextPage and endCursor, then after', async () => {
    const api = await fake();
    // The same document with other white space is the same query.
    const query = DRAFT_ORDERS_QUERY.replace(/ \{ /g, '\n  {\n    ');
    expect(normaliseQuery(query)).toBe(normaliseQuery(DRAFT_ORDERS_QUERY));
    const first = (await answer(await ask(api, { query, variables: { first: 2, query: null } }))).body;
    const page1 = (first.data as Json).draftOrders as { nodes: Json[]; pageInfo: { endCursor: string } };
    expect(page1).toMatchObject({ pageInfo: { hasNextPage: true } });
    const second = (await answer(await ask(api, { query, variables: { first: 2, after: page1.pageInfo.endCursor } })))
      .body;
    const page2 = (second.data as Json).draftOrders as { nodes: Json[]; pageInfo: Json };
    expect(page2.pageInfo.hasNextPage).toBe(false);
    expect([...page1.nodes, ...page2.nodes].map((node) => node.name)).toEqual(['#D11', '#D12', '#D13']);
  });

  it('refuses a request without the access token, or with a wrong one, as Shopify does: 401', async () => {
    const api = await fake();
    for (const token of [null, 'shpat_wrong']) {
      const { status, body } = await answer(
        await ask(api, { query: ORDERS_QUERY, variables: { first: 1 } }, { token }),
      );
      expect(status).toBe(401);
      expect(body.errors).toMatch(/Invalid API key or access token/);
    }
    expect(api.requests).toEqual([]);
  });

  it("refuses a document that is not the pack's, naming where the pack's queries are", async () => {
    const api = await fake();
    const extraField = ORDERS_QUERY.replace('note ', 'note email ');
    for (const query of [extraField, '{ shop { name } }']) {
      const { status, body } = await answer(await ask(api, { query, variables: { first: 1 } }));
      expect(status).toBe(200);
      expect(body.data).toBeUndefined();
      expect(errorsOf(body)[0]).toMatchObject({
        message: expect.stringContaining('connectors/shopify/graphql-queries.ts'),
        extensions: { code: 'BAD_REQUEST' },
      });
    }
  });

  it('refuses variables the query does not declare, a missing first and more than 250 nodes a page', async () => {
    const api = await fake();
    const codes = async (variables: unknown) =>
      errorsOf((await answer(await ask(api, { query: ORDERS_QUERY, variables }))).body).map((e) => e.extensions.code);
    expect(await codes({ first: 1, sortKey: 'ID' })).toEqual(['BAD_REQUEST']);
    expect(await codes({})).toEqual(['BAD_REQUEST']);
    expect(await codes({ first: 251 })).toEqual(['MAX_COST_EXCEEDED']);
    const { status } = await answer(await ask(api, 'not json'));
    expect(status).toBe(400);
    expect((await ask(api, null, { method: 'GET' })).status).toBe(404);
  });

  it('answers THROTTLED with the throttle status beside, then serves the retry', async () => {
    const api = await fake();
    api.throttleNext();
    const throttled = (await answer(await ask(api, { query: ORDERS_QUERY, variables: { first: 1 } }))).body;
    expect(errorsOf(throttled)).toEqual([{ message: 'Throttled', extensions: { code: 'THROTTLED' } }]);
    expect(throttled).toMatchObject({
      extensions: { cost: { actualQueryCost: null, throttleStatus: { currentlyAvailable: 0 } } },
    });
    const retried = (await answer(await ask(api, { query: ORDERS_QUERY, variables: { first: 1 } }))).body;
    expect(retried.errors).toBeUndefined();
    expect(api.requests).toHaveLength(1);
  });
});
