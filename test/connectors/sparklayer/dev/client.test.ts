import { beforeEach, describe, expect, it } from 'vitest';
import { SparkLayerClient, type SparkLayerClientOptions } from '../../../../connectors/sparklayer/dev/client.js';
import type { SparkLayerConfig } from '../../../../connectors/sparklayer/dev/config.js';
import {
  SparkLayerApiError,
  SparkLayerAuthError,
  SparkLayerNetworkError,
} from '../../../../connectors/sparklayer/dev/errors.js';
import {
  SANDBOX_BASE_URL,
  SANDBOX_CREDENTIALS,
  SparkLayerSandbox,
  sandboxDataFromFixtures,
  type SandboxData,
} from '../../../../connectors/sparklayer/dev/sandbox.js';
import { mswHandlers } from '../../../../contracts/hosts.js';
import { server } from '../../../support/msw.js';
import { purchase } from '../../../support/purchases.js';
import { ROOT } from '../../../support/steps.js';

const fixtureData = await sandboxDataFromFixtures(ROOT);
const config: SparkLayerConfig = { baseUrl: SANDBOX_BASE_URL, environment: 'custom', ...SANDBOX_CREDENTIALS };
const ORDER_ID = (fixtureData.purchases.find((p) => p.type === 'order')!.purchase_identifiers as { sparklayer: string })
  .sparklayer;
const PRIMARY = fixtureData.customers.find((c) => !c.parent_customer_id)!;

let sandbox: SparkLayerSandbox;
let clock: number;
let waits: number[];
let logs: string[];

function useSandbox(data: Partial<SandboxData> = {}) {
  clock = Date.parse('2026-11-22T09:00:00Z');
  sandbox = new SparkLayerSandbox({ ...fixtureData, ...data }, SANDBOX_CREDENTIALS, () => clock);
  server.use(...mswHandlers(SANDBOX_BASE_URL, sandbox));
}

function client(options: SparkLayerClientOptions = {}, overrides: Partial<SparkLayerConfig> = {}) {
  waits = [];
  logs = [];
  return new SparkLayerClient(
    { ...config, ...overrides },
    {
      sleep: async (ms) => {
        waits.push(ms);
      },
      now: () => clock,
      random: () => 1,
      log: (line) => logs.push(line),
      ...options,
    },
  );
}

const calls = (prefix: string) => sandbox.calls.filter((call) => call.startsWith(prefix));

beforeEach(() => useSandbox());

describe('SparkLayer client: the token', () => {
  it('asks for one token for many calls, also when they run at once', async () => {
    const api = client();
    await Promise.all([api.getPurchase('sparklayer', ORDER_ID), api.getPurchase('sparklayer', ORDER_ID)]);
    await api.getCustomer('sparklayer', PRIMARY.id as string);
    await api.getAllPurchases({ type: 'quote' });
    expect(sandbox.tokensIssued).toBe(1);
    expect(api.tokensIssued).toBe(1);
  });

  it('asks for a new token shortly before the old one expires, not after', async () => {
    const api = client({ tokenRefreshMarginMs: 60_000 });
    await api.getPurchase('sparklayer', ORDER_ID);
    clock += (3600 - 61) * 1000;
    await api.getPurchase('sparklayer', ORDER_ID);
    expect(sandbox.tokensIssued).toBe(1);
    clock += 2_000;
    await api.getPurchase('sparklayer', ORDER_ID);
    expect(sandbox.tokensIssued).toBe(2);
    expect(calls('GET /api/v1/purchases/').length).toBe(3);
  });

  it('gets a new token once and retries once after a 401', async () => {
    const api = client();
    await api.getPurchase('sparklayer', ORDER_ID);
    sandbox.expireTokens();
    await expect(api.getPurchase('sparklayer', ORDER_ID)).resolves.toMatchObject({ type: 'order' });
    expect(sandbox.tokensIssued).toBe(2);
    expect(calls('GET /api/v1/purchases/')).toHaveLength(3);
  });

  it('gives up with an auth error when a fresh token is refused too', async () => {
    const api = client();
    sandbox.failNext(`GET /api/v1/purchases/sparklayer/${ORDER_ID}`, { status: 401 }, 2);
    const error = await api.getPurchase('sparklayer', ORDER_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SparkLayerAuthError);
    expect((error as Error).message).toBe(`GET /api/v1/purchases/sparklayer/${ORDER_ID} failed: HTTP 401 - no body`);
    expect(sandbox.tokensIssued).toBe(2);
  });

  it('sends the token request as JSON with Site-Id, and reports refused credentials without a secret', async () => {
    const api = client({}, { clientSecret: 'wrong-secret-value' });
    const error = await api.getPurchase('sparklayer', ORDER_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SparkLayerAuthError);
    expect((error as Error).message).toBe('POST /api/auth/token failed: HTTP 401 - no body');
    expect(JSON.stringify(error)).not.toContain('wrong-secret-value');
    expect(calls('POST /api/auth/token')).toHaveLength(1);
  });

  it('sends Site-Id and a User-Agent naming the pack on every request', async () => {
    const seen: Array<[string | null, string | null]> = [];
    server.events.on('request:start', ({ request }) =>
      seen.push([request.headers.get('site-id'), request.headers.get('user-agent')]),
    );
    await client().getPurchase('sparklayer', ORDER_ID);
    server.events.removeAllListeners();
    expect(seen).toHaveLength(2);
    for (const [siteId, userAgent] of seen) {
      expect(siteId).toBe(SANDBOX_CREDENTIALS.siteId);
      expect(userAgent).toMatch(/^sparklayer-patchworks-pack\//);
    }
  });
});

describe('SparkLayer client: retries', () => {
  const route = () => `GET /api/v1/purchases/sparklayer/${ORDER_ID}`;

  it('waits out a 429 Retry-After given in seconds', async () => {
    sandbox.failNext(route(), { status: 429, headers: { 'Retry-After': '7' } });
    await client().getPurchase('sparklayer', ORDER_ID);
    expect(waits).toEqual([7_000]);
    expect(calls(route())).toHaveLength(2);
  });

  it('waits out a 429 Retry-After given as an HTTP date', async () => {
    sandbox.failNext(route(), { status: 429, headers: { 'Retry-After': new Date(clock + 12_000).toUTCString() } });
    await client().getPurchase('sparklayer', ORDER_ID);
    expect(waits).toEqual([12_000]);
  });

  it('refuses to sleep longer than its cap, saying what SparkLayer asked', async () => {
    sandbox.failNext(route(), { status: 429, headers: { 'Retry-After': '3600' } });
    await expect(client().getPurchase('sparklayer', ORDER_ID)).rejects.toThrow(
      /HTTP 429 .*SparkLayer asked to wait 3600 s, longer than the 60 s this client waits/,
    );
  });

  it('retries 5xx with capped exponential backoff, then fails with a clear final error', async () => {
    sandbox.failNext(route(), { status: 503 }, 10);
    const api = client({ retry: { maxRetries: 5, baseDelayMs: 500, maxDelayMs: 6_000 } });
    const error = await api.getPurchase('sparklayer', ORDER_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SparkLayerApiError);
    expect((error as Error).message).toBe(
      `GET /api/v1/purchases/sparklayer/${ORDER_ID} failed: HTTP 503 - no body - after 6 attempts`,
    );
    expect(calls(route())).toHaveLength(6);
    expect(waits).toEqual([500, 1_000, 2_000, 4_000, 6_000]);
    expect(logs[0]).toBe(`GET /api/v1/purchases/sparklayer/${ORDER_ID}: HTTP 503; retry 1 of 5 in 500 ms`);
  });

  it('uses full jitter: the wait is a random share of the backoff ceiling', async () => {
    sandbox.failNext(route(), { status: 502 }, 2);
    await client({ random: () => 0.25 }).getPurchase('sparklayer', ORDER_ID);
    expect(waits).toEqual([125, 250]);
  });

  it('retries a dropped connection', async () => {
    sandbox.failNext(route(), { network: 'reset' });
    await expect(client().getPurchase('sparklayer', ORDER_ID)).resolves.toMatchObject({ type: 'order' });
    expect(waits).toHaveLength(1);
  });

  it('fails with a network error when the connection keeps dropping', async () => {
    sandbox.failNext(route(), { network: 'reset' }, 3);
    await expect(client({ retry: { maxRetries: 2 } }).getPurchase('sparklayer', ORDER_ID)).rejects.toThrow(
      SparkLayerNetworkError,
    );
  });

  it('retries a 409 where SparkLayer documents it as a concurrent update (pricing), not elsewhere', async () => {
    sandbox.failNext('PATCH /api/v1/price-lists/trade-gbp/pricing', { status: 409 });
    await client().updatePriceListPricing('trade-gbp', [{ sku: 'MUG-01', pricing: [{ quantity: 1, price: 4 }] }]);
    expect(calls('PATCH /api/v1/price-lists/trade-gbp/pricing')).toHaveLength(2);

    const customerRoute = `PUT /api/v2/customers/sparklayer/${PRIMARY.id as string}`;
    sandbox.failNext(customerRoute, {
      status: 409,
      body: { title: 'Conflict', status: 409, detail: 'email already in use' },
    });
    await expect(client().putCustomer('sparklayer', PRIMARY.id as string, PRIMARY as never)).rejects.toThrow(
      /HTTP 409 - Conflict - email already in use$/,
    );
    expect(calls(customerRoute)).toHaveLength(1);
  });

  it('does not retry other 4xx', async () => {
    await expect(client().getPurchase('sparklayer', '00000000-0000-4000-8000-000000000000')).rejects.toThrow(
      /HTTP 404 - Not Found/,
    );
    expect(waits).toEqual([]);
  });
});

describe('SparkLayer client: errors', () => {
  it('surfaces RFC 7807 problem details with field errors', async () => {
    const error = (await client()
      .getPurchasesPage({}, 501, 0)
      .catch((e: unknown) => e)) as SparkLayerApiError;
    expect(error).toBeInstanceOf(SparkLayerApiError);
    expect(error.details).toMatchObject({ status: 400, title: 'Invalid query', attempts: 1 });
    expect(error.details.fieldErrors).toEqual([{ property: 'limit', code: 'range', message: 'out of range' }]);
    expect(error.message).toBe(
      'GET /api/v1/purchases failed: HTTP 400 - Invalid query - limit must be 1 to 500 and offset a ' +
        'whole number. - fields: limit: out of range',
    );
  });

  it('keeps a non-problem error body (the pricing endpoint answers [{line, field, message}])', async () => {
    const rows = [{ line: 1, field: 'sku', message: 'unknown SKU' }];
    sandbox.failNext('PATCH /api/v1/price-lists/trade-gbp/pricing', { status: 400, body: rows });
    const error = (await client()
      .updatePriceListPricing('trade-gbp', [])
      .catch((e: unknown) => e)) as SparkLayerApiError;
    expect(error.details.body).toEqual(rows);
    expect(error.message).toContain('unknown SKU');
  });

  it('never shows a secret or a token, even when SparkLayer echoes them back', async () => {
    const bearers: string[] = [];
    server.events.on('request:start', ({ request }) => bearers.push(request.headers.get('authorization') ?? ''));
    const api = client();
    await api.getPurchase('sparklayer', ORDER_ID);
    server.events.removeAllListeners();
    const token = bearers.find((b) => b.startsWith('Bearer '))!.slice('Bearer '.length);

    const route = `GET /api/v1/purchases/sparklayer/${ORDER_ID}`;
    sandbox.failNext(route, { status: 503, body: { title: 'Unavailable', detail: `token ${token} throttled` } });
    sandbox.failNext(route, {
      status: 400,
      body: {
        title: 'Bad request',
        detail: `client_secret=${config.clientSecret} token ${token} Authorization: Bearer abc.def.ghi`,
      },
    });
    const error = (await api.getPurchase('sparklayer', ORDER_ID).catch((e: unknown) => e)) as SparkLayerApiError;
    const everything = [error.message, JSON.stringify(error), JSON.stringify(error.details), ...logs].join('\n');
    expect(logs).toHaveLength(1);
    expect(everything).not.toContain(config.clientSecret);
    expect(everything).not.toContain('abc.def.ghi');
    expect(everything).not.toContain(token);
    expect(error.message).toContain('client_secret=[redacted] token [redacted] Authorization: Bearer [redacted]');
  });
});

describe('SparkLayer client: paging', () => {
  const orders = (n: number) => Array.from({ length: n }, (_, i) => purchase({ id: `order-${i}` }));

  it('reads a full page, then a short page, and stops', async () => {
    useSandbox({ purchases: orders(7) });
    const all = await client().getAllPurchases({ type: 'order' }, 4);
    expect(all.map((p) => (p.purchase_identifiers as { sparklayer: string }).sparklayer)).toEqual(
      orders(7).map((_, i) => `order-${i}`),
    );
    expect(calls('GET /api/v1/purchases?')).toEqual([
      'GET /api/v1/purchases?type=order&limit=4&offset=0',
      'GET /api/v1/purchases?type=order&limit=4&offset=4',
    ]);
  });

  it('asks for one more page when the last one is exactly full', async () => {
    useSandbox({ purchases: orders(8) });
    expect(await client().getAllPurchases({}, 4)).toHaveLength(8);
    expect(calls('GET /api/v1/purchases?').map((c) => c.replace(/.*offset=/, ''))).toEqual(['0', '4', '8']);
  });

  it("uses SparkLayer's largest page, 500, by default", async () => {
    useSandbox({ purchases: orders(501) });
    expect(await client().getAllPurchases()).toHaveLength(501);
    expect(calls('GET /api/v1/purchases?')).toEqual([
      'GET /api/v1/purchases?limit=500&offset=0',
      'GET /api/v1/purchases?limit=500&offset=500',
    ]);
  });

  it('stops a server that never returns a short page', async () => {
    server.use(
      ...mswHandlers(SANDBOX_BASE_URL, {
        handle: async (request) =>
          new URL(request.url).pathname === '/api/auth/token'
            ? Response.json({ access_token: 't-1234', expires_in: 3600 })
            : Response.json(orders(2)),
      }),
    );
    await expect(client({ maxPages: 3 }).getAllPurchases({}, 2)).rejects.toThrow('still full pages after 3 pages');
  });

  it('reads every v2 price-list page until current_page reaches total_pages', async () => {
    const lists = await client().getAllPriceLists(fixtureData.priceLists.length - 1);
    expect(lists).toEqual(fixtureData.priceLists);
    expect(calls('GET /api/v2/price-lists')).toHaveLength(2);
  });
});

describe('SparkLayer client: full-replace writes', () => {
  it('updateCustomer gets, merges and puts the whole customer, clearing nothing', async () => {
    const id = PRIMARY.id as string;
    const before = structuredClone(PRIMARY);
    await client().updateCustomer('sparklayer', id, { payment_on_account: { credit_limit: 0 } } as never);
    const stored = sandbox.customers.find((c) => c.id === id)!;
    const { payment_on_account: storedCredit, ...storedRest } = stored;
    const { payment_on_account: beforeCredit, ...beforeRest } = before;
    expect(storedRest).toEqual(beforeRest);
    expect(storedCredit).toEqual({ ...(beforeCredit as object), credit_limit: 0 });
    expect(calls(`PUT /api/v2/customers/sparklayer/${id}`)).toHaveLength(1);
  });

  it('putPurchase never sends the calculated_* fields SparkLayer computes', async () => {
    const stored = await client().getPurchase('sparklayer', ORDER_ID);
    expect(Object.keys(stored).some((k) => k.startsWith('calculated_'))).toBe(true);
    await client().updatePurchase('sparklayer', ORDER_ID, { customer_reference: 'PO-NEW' } as never);
    const written = sandbox.purchases.find(
      (p) => (p.purchase_identifiers as { sparklayer: string }).sparklayer === ORDER_ID,
    )!;
    expect(written.customer_reference).toBe('PO-NEW');
    expect(Object.keys(written).filter((k) => k.startsWith('calculated_'))).toEqual([]);
    expect(written.packages).toEqual(stored.packages);
  });
});

describe('SparkLayer client: reading what SparkLayer may add later', () => {
  it('keeps a page whose purchases have an undocumented type or no id, for the steps to judge one by one', async () => {
    const odd = [purchase({ id: 'new-type', type: 'subscription' }), purchase({ ids: {} }), purchase({ id: 'ok' })];
    useSandbox({ purchases: odd });
    expect(await client().getAllPurchases()).toEqual(odd);
  });

  it('keeps a page whose purchases carry null where a field is optional, reading null as absent', async () => {
    const nulls = purchase({ id: 'nulls', fields: { customer_reference: null, status: null } });
    useSandbox({ purchases: [nulls, purchase({ id: 'ok' })] });
    const read = await client().getAllPurchases();
    expect(read.map((p) => p.purchase_identifiers?.sparklayer)).toEqual(['nulls', 'ok']);
    expect(read[0]).not.toHaveProperty('customer_reference');
  });
});
