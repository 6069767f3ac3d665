// The getShopifyOrders pagination script: the rule (next request from the request and the page), and the built bundle
// dist/scripts/shopify-order-pages.js as Patchworks runs it, on a real Node 18 (`npm test` builds first).
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PageRequest } from '../../../runtime/pagination-script.js';
import { DRAFT_ORDERS_QUERY, ORDERS_QUERY } from '../../../connectors/shopify/graphql-queries.js';
import orderPages, { nextOrderPage, ORDER_PAGES_SCRIPT } from '../../../connectors/shopify/order-pages.js';
import { findNode18, NODE18_PLATFORM_SUPPORTED, runBundle } from '../../../patchworks/runner/run-bundle.js';

const ROOT = process.cwd();
const variables = { first: 250, query: "updated_at:>='2026-11-20T00:00:00Z'" };
const request: PageRequest = {
  url: 'https://example.myshopify.com/admin/api/2026-10/graphql.json',
  method: 'POST',
  headers: { 'X-Shopify-Access-Token': 'shpat_x', 'Content-Type': 'application/json' },
  body: JSON.stringify({ query: ORDERS_QUERY, variables }),
};
/** A page of a connection as Shopify answers it (https://shopify.dev/docs/api/usage/pagination-graphql). */
const page = (connection: 'orders' | 'draftOrders', hasNextPage: boolean, endCursor: unknown) => ({
  data: { [connection]: { pageInfo: { hasNextPage, endCursor }, nodes: [{ id: 'gid://shopify/Order/1' }] } },
});
const input = (answer: unknown) =>
  JSON.stringify({
    request,
    response: { headers: { 'content-type': 'application/json' }, status_code: 200 },
    payload: answer,
  });

describe('nextOrderPage', () => {
  it('asks again with the same url, method, headers, query and variables, after = the end cursor', () => {
    const next = nextOrderPage(request, page('orders', true, 'eyJsYXN0X2lkIjoxfQ=='));
    expect(next).toEqual({
      has_next_page: true,
      url: request.url,
      method: 'POST',
      headers: request.headers,
      body: JSON.stringify({ query: ORDERS_QUERY, variables: { ...variables, after: 'eyJsYXN0X2lkIjoxfQ==' } }),
    });
    // The page after moves the cursor on; the draft orders connection alike.
    const third = nextOrderPage(next, page('orders', true, 'Mg=='));
    expect(JSON.parse(third.body).variables).toEqual({ ...variables, after: 'Mg==' });
    const drafts = { ...request, body: JSON.stringify({ query: DRAFT_ORDERS_QUERY, variables }) };
    expect(JSON.parse(nextOrderPage(drafts, page('draftOrders', true, 'MQ==')).body).variables.after).toBe('MQ==');
  });

  it('reads the page as the answer text or already parsed, alike', () => {
    const answer = page('orders', true, 'MQ==');
    expect(nextOrderPage(request, JSON.stringify(answer))).toEqual(nextOrderPage(request, answer));
  });

  it('stops on the last page, and on an answer of GraphQL errors (the step fails the run on it)', () => {
    expect(nextOrderPage(request, page('orders', false, 'MQ=='))).toEqual({ ...request, has_next_page: false });
    expect(nextOrderPage(request, page('orders', false, null)).has_next_page).toBe(false);
    const throttled = { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }] };
    expect(nextOrderPage(request, throttled).has_next_page).toBe(false);
  });

  it('fails on a next page with no cursor, or the one it was read after: orders lost or read again', () => {
    expect(() => nextOrderPage(request, page('orders', true, null))).toThrow(
      `${ORDER_PAGES_SCRIPT}: data.orders.pageInfo says there is a next page but gives no endCursor (null); the ` +
        'orders after this page cannot be read',
    );
    const after = {
      ...request,
      body: JSON.stringify({ query: ORDERS_QUERY, variables: { ...variables, after: 'Mg==' } }),
    };
    expect(() => nextOrderPage(after, page('orders', true, 'Mg=='))).toThrow(
      `${ORDER_PAGES_SCRIPT}: data.orders.pageInfo.endCursor is the cursor this page was read after ("Mg=="); ` +
        'asking again would read the same page forever',
    );
  });

  it('fails, naming what and where, on a page or body it cannot read', () => {
    expect(() => nextOrderPage(request, '{"data": {')).toThrow(
      `${ORDER_PAGES_SCRIPT}: the page (payload.payload) is not JSON (starts "{\\"data\\": {")`,
    );
    expect(() => nextOrderPage(request, [])).toThrow(
      `${ORDER_PAGES_SCRIPT}: the page (payload.payload) is an array, not a GraphQL answer`,
    );
    expect(() => nextOrderPage(request, { data: { customers: {} } })).toThrow(
      `${ORDER_PAGES_SCRIPT}: the page (payload.payload) has no data.orders or data.draftOrders`,
    );
    expect(() => nextOrderPage(request, { data: { orders: { nodes: [] } } })).toThrow(
      `${ORDER_PAGES_SCRIPT}: data.orders.pageInfo.hasNextPage is missing; the pack's query selects it`,
    );
    expect(() => nextOrderPage({ ...request, body: 'first=250' }, page('orders', true, 'MQ=='))).toThrow(
      `${ORDER_PAGES_SCRIPT}: the request body (payload.request.body) is not JSON`,
    );
  });
});

describe('the handler', () => {
  it('returns the data with the next request as its payload text', async () => {
    const result = await orderPages({ payload: input(JSON.stringify(page('orders', true, 'MQ=='))), meta: { a: 1 } });
    expect(result.meta).toEqual({ a: 1 });
    expect(JSON.parse(result.payload!)).toMatchObject({
      has_next_page: true,
      body: expect.stringContaining('"after":"MQ=="'),
    });
  });

  it('fails, naming the payload, on input that is not the pagination input', async () => {
    await expect(orderPages({ payload: null })).rejects.toThrow(
      `${ORDER_PAGES_SCRIPT}: payload is null, not the pagination input`,
    );
    await expect(orderPages({ payload: '{"payload": {}}' })).rejects.toThrow(
      `${ORDER_PAGES_SCRIPT}: payload.request is undefined, not the request sent`,
    );
  });
});

const node18 = findNode18(ROOT);
const bundle = path.join(ROOT, 'dist', 'scripts', `${ORDER_PAGES_SCRIPT}.js`);

describe.skipIf('missing' in node18 && !NODE18_PLATFORM_SUPPORTED)(`dist/scripts/${ORDER_PAGES_SCRIPT}.js`, () => {
  it('requires nothing but Node built-ins and reads no environment variable', () => {
    const source = readFileSync(bundle, 'utf8');
    const required = [...source.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]!);
    expect(required.filter((id) => !id.startsWith('node:') && !builtinModules.includes(id))).toEqual([]);
    expect(source).not.toMatch(/process\.env/);
  });

  it('is module.exports on Node 18 and gives the in-process answer', async () => {
    if ('missing' in node18) throw new Error(node18.missing);
    for (const answer of [page('orders', true, 'MQ=='), JSON.stringify(page('draftOrders', false, null))]) {
      const data = { payload: input(answer), meta: { run: 'artefact' } };
      const run = await runBundle(node18.path, bundle, data);
      expect(run.node).toMatch(/^v18\./);
      expect(run.exportType).toBe('function');
      expect(run.error).toBeUndefined();
      expect(run.result).toEqual(await orderPages(structuredClone(data)));
    }
    const noCursor = await runBundle(node18.path, bundle, { payload: input(page('orders', true, '')) });
    expect(noCursor.error).toMatch(
      new RegExp(`^${ORDER_PAGES_SCRIPT}: data.orders.pageInfo says there is a next page`),
    );
  });
});
