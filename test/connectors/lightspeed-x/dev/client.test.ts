// The X-Series client against the fake X-Series (hosted in msw): configuration, refresh-token rotation, the 401 and 429
// paths, retries and their limits, paging, SKU lookups with variants and deleted products, stock, the sale upsert, and
// no secret in any message.
import { beforeEach, describe, expect, it } from 'vitest';
import { LightspeedXClient, type LightspeedXClientOptions } from '../../../../connectors/lightspeed-x/dev/client.js';
import {
  LIGHTSPEED_X_ENV_VARS,
  lightspeedXConfigFromEnv,
  LightspeedXConfigError,
  type LightspeedXConfig,
} from '../../../../connectors/lightspeed-x/dev/config.js';
import { LightspeedXApiError, LightspeedXAuthError } from '../../../../connectors/lightspeed-x/dev/errors.js';
import { saleIdFor } from '../../../../connectors/lightspeed-x/sale-id.js';
import {
  LightspeedXSandbox,
  SANDBOX_BASE_URL,
  SANDBOX_CREDENTIALS,
  sandboxConfig,
  sandboxDataFromFixtures,
  type SandboxData,
  type SandboxOptions,
} from '../../../../connectors/lightspeed-x/dev/sandbox.js';
import type { SaleRequest } from '../../../../connectors/lightspeed-x/schemas.js';
import { mswHandlers } from '../../../../contracts/hosts.js';
import { server } from '../../../support/msw.js';
import { ROOT } from '../../../support/steps.js';

const fixtureData = await sandboxDataFromFixtures(ROOT);
const STARK = 'b8ca3a65-0183-11e4-fbb5-4f73f02a9d1c';
const START = Date.parse('2026-11-22T09:00:00Z');

let sandbox: LightspeedXSandbox;
let clock: number;
let sleeps: number[];
let logs: string[];
let rotated: string[];

function useSandbox(data: Partial<SandboxData> = {}, options: SandboxOptions = {}) {
  clock = START;
  sandbox = new LightspeedXSandbox({ ...fixtureData, ...data }, { now: () => clock, ...options });
  server.use(...mswHandlers(SANDBOX_BASE_URL, sandbox));
}

function client(options: LightspeedXClientOptions = {}, overrides: Partial<LightspeedXConfig> = {}) {
  sleeps = [];
  logs = [];
  rotated = [];
  return new LightspeedXClient(sandboxConfig(overrides), {
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    now: () => clock,
    random: () => 1,
    log: (line) => logs.push(line),
    onRefreshToken: (token) => {
      rotated.push(token);
    },
    ...options,
  });
}

const apiCalls = (prefix: string) => sandbox.calls.filter((call) => call.startsWith(prefix));

beforeEach(() => useSandbox());

describe('Lightspeed X-Series configuration', () => {
  const env = {
    LIGHTSPEED_X_DOMAIN_PREFIX: 'Example',
    LIGHTSPEED_X_CLIENT_ID: 'cid-123456',
    LIGHTSPEED_X_CLIENT_SECRET: 'csecret-abcdef',
    LIGHTSPEED_X_REFRESH_TOKEN: 'rt-initial-987',
  };

  it('builds the store’s API root from the domain prefix, or takes LIGHTSPEED_X_BASE_URL', () => {
    expect(lightspeedXConfigFromEnv(env)).toMatchObject({
      domainPrefix: 'example',
      baseUrl: 'https://example.retail.lightspeed.app/api',
      environment: 'production',
      apiVersion: '2026-07',
    });
    expect(lightspeedXConfigFromEnv({ ...env, LIGHTSPEED_X_BASE_URL: 'http://127.0.0.1:9999/api/' })).toMatchObject({
      baseUrl: 'http://127.0.0.1:9999/api',
      environment: 'custom',
    });
  });

  it('names every missing or invalid variable at once, and never a value', () => {
    let error: unknown;
    try {
      lightspeedXConfigFromEnv({
        LIGHTSPEED_X_DOMAIN_PREFIX: 'example.retail.lightspeed.app',
        LIGHTSPEED_X_CLIENT_SECRET: 'csecret-abcdef',
        LIGHTSPEED_X_BASE_URL: 'ftp:/nope',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LightspeedXConfigError);
    const message = (error as Error).message;
    for (const name of [
      LIGHTSPEED_X_ENV_VARS.clientId,
      LIGHTSPEED_X_ENV_VARS.refreshToken,
      LIGHTSPEED_X_ENV_VARS.domainPrefix,
      LIGHTSPEED_X_ENV_VARS.baseUrl,
    ])
      expect(message).toContain(name);
    expect(message).not.toContain('csecret-abcdef');
    expect(message).not.toContain(LIGHTSPEED_X_ENV_VARS.clientSecret);
  });
});

describe('X-Series client: OAuth 2 with rotating refresh tokens', () => {
  it(
    'refreshes with the configured token, keeps the new one, hands it to onRefreshToken, and a second ' +
      'refresh uses it',
    async () => {
      const lightspeed = client();
      await lightspeed.getCustomer(STARK);
      expect(sandbox.presentedRefreshTokens).toEqual([SANDBOX_CREDENTIALS.refreshToken]);
      expect(rotated).toEqual(['sandbox-refresh-token-1']);

      // The store revokes the access token early: one 401, one refresh with the NEW refresh token, the call succeeds.
      sandbox.expireAccessTokens();
      expect(await lightspeed.getCustomer(STARK)).toMatchObject({ id: STARK });
      expect(sandbox.presentedRefreshTokens).toEqual([SANDBOX_CREDENTIALS.refreshToken, 'sandbox-refresh-token-1']);
      expect(rotated).toEqual(['sandbox-refresh-token-1', 'sandbox-refresh-token-2']);
      expect(sandbox.currentRefreshToken).toBe('sandbox-refresh-token-2');
    },
  );

  it('sends the form-encoded refresh request X-Series documents', async () => {
    let seen: { type: string | null; body: string } | undefined;
    const recording = new LightspeedXSandbox(fixtureData, { now: () => clock });
    server.use(
      ...mswHandlers(SANDBOX_BASE_URL, {
        handle: async (request) => {
          if (new URL(request.url).pathname.endsWith('/1.0/token'))
            seen = { type: request.headers.get('content-type'), body: await request.clone().text() };
          return recording.handle(request);
        },
      }),
    );
    await client().getCustomer(STARK);
    expect(seen?.type).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(new URLSearchParams(seen!.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: SANDBOX_CREDENTIALS.refreshToken,
      client_id: SANDBOX_CREDENTIALS.clientId,
      client_secret: SANDBOX_CREDENTIALS.clientSecret,
    });
  });

  it('renews the access token a minute before it expires, without waiting for a 401', async () => {
    useSandbox({}, { accessTokenTtlSeconds: 600 });
    const lightspeed = client();
    await lightspeed.getCustomer(STARK);
    clock += 545_000;
    await lightspeed.getCustomer(STARK);
    expect(sandbox.presentedRefreshTokens).toHaveLength(2);
    // Exactly one API request per call: none was refused and repeated.
    expect(apiCalls('GET /2026-07/customers/')).toHaveLength(2);
  });

  it('shares one refresh between concurrent calls', async () => {
    const lightspeed = client();
    await Promise.all(Array.from({ length: 5 }, () => lightspeed.getCustomer(STARK)));
    expect(sandbox.presentedRefreshTokens).toHaveLength(1);
  });

  it('fails with an auth error when the store refuses a revoked refresh token, and never sends it again', async () => {
    await client().getCustomer(STARK); // rotates the sandbox away from the configured token
    const stale = client();
    const first = await stale.getCustomer(STARK).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(LightspeedXAuthError);
    expect((first as Error).message).toContain('Connect the store again');
    expect((first as Error).message).not.toContain(SANDBOX_CREDENTIALS.refreshToken);
    expect((first as Error).message).not.toContain(SANDBOX_CREDENTIALS.clientSecret);
    const presented = sandbox.presentedRefreshTokens.length;
    await expect(stale.getCustomer(STARK)).rejects.toBeInstanceOf(LightspeedXAuthError);
    expect(sandbox.presentedRefreshTokens).toHaveLength(presented);
    expect(sandbox.presentedRefreshTokens.filter((t) => t === SANDBOX_CREDENTIALS.refreshToken)).toHaveLength(2);
  });

  it('gives up with an auth error when a fresh access token is refused too', async () => {
    const lightspeed = client();
    sandbox.failNext(
      'GET /2026-07/customers/' + STARK,
      { status: 401, body: { error: 'Unauthorized', message: 'no' } },
      2,
    );
    const error = await lightspeed.getCustomer(STARK).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LightspeedXAuthError);
    expect(sandbox.presentedRefreshTokens).toHaveLength(2);
  });
});

describe('X-Series client: the rate limit', () => {
  it('waits out a 429 until its HTTP-date Retry-After, then succeeds', async () => {
    const lightspeed = client();
    const retryAt = new Date(START + 30_000);
    sandbox.failNext(`GET /2026-07/customers/${STARK}`, {
      status: 429,
      headers: { 'Retry-After': retryAt.toUTCString(), 'X-RateLimit-Limit': '350', 'X-RateLimit-Remaining': '0' },
      body: { error: 'Too Many Requests', message: 'Rate limiting enforced' },
    });
    expect(await lightspeed.getCustomer(STARK)).toMatchObject({ id: STARK });
    expect(clock).toBeGreaterThanOrEqual(retryAt.getTime());
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(30_000);
    expect(logs.join('\n')).toContain('HTTP 429');
  });

  it('recovers when it overran the real limit before learning it: 429s waited out, every call answered', async () => {
    useSandbox({}, { rateLimit: { budget: 2, windowMs: 10_000 } });
    const lightspeed = client({ budget: { limit: 10, windowMs: 10_000 } });
    // Four at once, before any answer has said the limit is 2: two are refused with 429.
    const answers = await Promise.all(Array.from({ length: 4 }, () => lightspeed.getCustomer(STARK)));
    expect(answers.every((a) => a?.id === STARK)).toBe(true);
    expect(sandbox.rejected).toBe(2);
    expect(lightspeed.budget.state().limit).toBe(2);
    expect(sandbox.maxInWindow()).toBeLessThanOrEqual(2);
    expect(clock).toBeGreaterThanOrEqual(START + 10_000);
  });

  it('paces itself under the limit instead of collecting 429s', async () => {
    useSandbox({}, { rateLimit: { budget: 5, windowMs: 60_000 } });
    const lightspeed = client({ budget: { limit: 5, windowMs: 60_000 } });
    for (let i = 0; i < 12; i += 1) await lightspeed.getCustomer(STARK);
    expect(sandbox.rejected).toBe(0);
    expect(sandbox.maxInWindow()).toBe(5);
    expect(clock - START).toBeGreaterThanOrEqual(120_000);
  });

  it('refuses to wait longer than it allows for a Retry-After', async () => {
    const lightspeed = client({ maxRateLimitWaitMs: 1000 });
    sandbox.failNext(`GET /2026-07/customers/${STARK}`, {
      status: 429,
      headers: { 'Retry-After': new Date(START + 600_000).toUTCString() },
      body: { error: 'Too Many Requests', message: 'Rate limiting enforced' },
    });
    await expect(lightspeed.getCustomer(STARK)).rejects.toThrow(/asked to wait 600 s/);
  });
});

describe('X-Series client: retries', () => {
  it('repeats a read after a 5xx and after a dropped connection', async () => {
    const lightspeed = client();
    sandbox.failNext(`GET /2026-07/customers/${STARK}`, { status: 503 });
    sandbox.failNext(`GET /2026-07/customers/${STARK}`, { network: 'reset' });
    expect(await lightspeed.getCustomer(STARK)).toMatchObject({ id: STARK });
    expect(apiCalls(`GET /2026-07/customers/${STARK}`)).toHaveLength(3);
  });

  it('does not repeat a create that failed with a 5xx, and says why', async () => {
    const lightspeed = client();
    sandbox.failNext('POST /2026-07/sales', { status: 502 });
    const error = await lightspeed.createSale(sale('sl-1')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LightspeedXApiError);
    expect((error as Error).message).toContain('not repeated');
    expect(apiCalls('POST /2026-07/sales')).toHaveLength(1);
  });

  it('keeps tokens and the client secret out of error messages, even when the body echoes them', async () => {
    const lightspeed = client();
    await lightspeed.getCustomer(STARK);
    sandbox.failNext('POST /2026-07/sales', {
      status: 422,
      body: {
        error: 'Unprocessable Entity',
        message:
          `Bearer sandbox-access-token-1 with secret ${SANDBOX_CREDENTIALS.clientSecret} ` +
          `and sandbox-refresh-token-1`,
      },
    });
    const error = (await lightspeed.createSale(sale('sl-1')).catch((caught: unknown) => caught)) as LightspeedXApiError;
    const text = `${error.message} ${JSON.stringify(error.details)} ${logs.join(' ')}`;
    for (const secret of ['sandbox-access-token-1', SANDBOX_CREDENTIALS.clientSecret, 'sandbox-refresh-token-1'])
      expect(text).not.toContain(secret);
    expect(error.details).toMatchObject({ status: 422, error: 'Unprocessable Entity' });
  });
});

const TAX = 'b1d192bc-f019-11e3-a0f5-b8ca3a64f8f4';
const USER = '020b2c2a-4661-11f0-e88b-1afde45e0728';
function sale(purchaseId: string, quantity = 2): SaleRequest & { id: string } {
  return {
    id: saleIdFor(purchaseId),
    source: { author_id: USER, id: purchaseId, type: 'SparkLayer' },
    customer_id: STARK,
    state: 'pending',
    attributes: ['onaccount'],
    note: 'PO PO-1',
    line_items: [
      {
        product: { id: 'b8ca3a65-0183-11e4-fbb5-9776c5cd0240' },
        quantity,
        pricing: { price: 4 },
        tax: { id: TAX, amount: 0.8 },
        _metadata: { is_price_override: true },
      },
      {
        product: { id: 'b8ca3a65-0183-11e4-fbb5-9776c611d865' },
        quantity: 1,
        pricing: { price: 7.5 },
        tax: { id: TAX, amount: 1.5 },
      },
    ],
  };
}

describe('X-Series client: sales', () => {
  it(
    'upserts under the client-supplied id: a second send updates the same sale and its lines, ' + 'never a duplicate',
    async () => {
      const lightspeed = client();
      const first = await lightspeed.upsertSale(sale('sl-1'));
      expect(first).toMatchObject({
        created: true,
        sale: { id: saleIdFor('sl-1'), state: 'pending', attributes: ['onaccount'], totals: { price: 15.5, tax: 3.1 } },
      });
      const again = await lightspeed.upsertSale(sale('sl-1', 3));
      expect(again.created).toBe(false);
      expect(sandbox.sales).toHaveLength(1);
      expect(sandbox.sales[0]!.line_items).toHaveLength(2);
      expect(again.sale.totals).toMatchObject({ price: 19.5, tax: 3.9 });
      expect(apiCalls('PUT /2026-07/sales/')).toHaveLength(1);
    },
  );

  it('looks before sending again when a create got no answer', async () => {
    const lightspeed = client();
    sandbox.failNext('POST /2026-07/sales', { network: 'reset' });
    const result = await lightspeed.upsertSale(sale('sl-2'));
    expect(result.created).toBe(true);
    expect(sandbox.sales).toHaveLength(1);
    expect(apiCalls(`GET /2026-07/sales/${saleIdFor('sl-2')}`)).toHaveLength(2);
  });
});

describe('X-Series client: customers, groups, products and stock', () => {
  it('finds a customer by exact customer_code, else by email, and creates one only when there is none', async () => {
    const lightspeed = client();
    expect(await lightspeed.findCustomer({ customerCode: 'Tony-N4ZJ' })).toMatchObject({ id: STARK });
    expect(await lightspeed.findCustomer({ customerCode: 'nope', email: 'TONY@stark.com' })).toMatchObject({
      id: STARK,
    });
    expect(await lightspeed.findCustomer({ customerCode: 'nope' })).toBeUndefined();
    const made = await lightspeed.ensureCustomer({
      first_name: 'Ada',
      last_name: 'Byron',
      customer_code: 'sl-company-1',
    });
    const again = await lightspeed.ensureCustomer({
      first_name: 'Ada',
      last_name: 'Byron',
      customer_code: 'sl-company-1',
    });
    expect(made.created).toBe(true);
    expect(again).toEqual({ customer: made.customer, created: false });
  });

  it('pages /search by offset and page_size to the end', async () => {
    const many = Array.from({ length: 1500 }, (_, i) => ({
      id: `c-${i}`,
      first_name: null,
      last_name: null,
      email: 'shared@example.com',
      customer_code: `C${i}`,
    }));
    useSandbox({ customers: many });
    const found = await client().searchCustomers({ email: 'shared@example.com' });
    expect(found).toHaveLength(1500);
    expect(apiCalls('GET /2026-07/search')).toEqual([
      'GET /2026-07/search?type=customers&email=shared%40example.com&page_size=1000&offset=0',
      'GET /2026-07/search?type=customers&email=shared%40example.com&page_size=1000&offset=1000',
    ]);
  });

  it('lists customer groups by version cursor until an empty page', async () => {
    const groups = await client().listCustomerGroups();
    expect(groups.map((g) => g.name)).toEqual(['All Customers', 'VIP', 'Students']);
    expect(apiCalls('GET /2026-07/customer_groups')).toEqual([
      'GET /2026-07/customer_groups',
      'GET /2026-07/customer_groups?after=1205737356',
    ]);
  });

  it('looks SKUs up lower-cased, with deleted products and every variant of a family parent', async () => {
    useSandbox({
      products: [
        ...fixtureData.products,
        { id: 'mug-1', sku: 'mug-enamel-wht', active: true, is_active: true, has_variants: false },
      ],
    });
    const products = await client().productsBySku(['MUG-ENAMEL-WHT', '787878', '0005', 'missing']);
    expect(products.map((p) => p.sku).sort()).toEqual([
      '0005',
      '787878',
      '787878-blk-m',
      '787878-blk-s',
      'mug-enamel-wht',
    ]);
    expect(products.find((p) => p.sku === '0005')?.deleted_at).toBeTruthy();
    const [search] = apiCalls('GET /2026-07/search?type=products');
    expect(search).toContain('sku=mug-enamel-wht');
    expect(search).toContain('deleted=true');
    expect(
      apiCalls('GET /2026-07/search?type=products&variant_parent_id=b8ca3a65-0183-11e4-fbb5-7988a6ed80f8'),
    ).toHaveLength(1);
  });

  it(
    'reads stock per SKU per outlet from inventory levels, as decimal text, leaving out deleted products ' +
      'and family parents',
    async () => {
      const stock = await client().stockLevels(['0003', '0005', '787878', 'missing']);
      expect(stock).toEqual([
        {
          sku: '0003',
          location: '0242ac12-0002-11e9-e8c4-659494e196e3',
          on_hand: '21',
          product_id: 'b8ca3a65-0183-11e4-fbb5-9776c5cd0240',
          source: 'lightspeed-x',
        },
        {
          sku: '0003',
          location: '0242ac12-0002-11e9-e8c4-659494e196e4',
          on_hand: '-3',
          product_id: 'b8ca3a65-0183-11e4-fbb5-9776c5cd0240',
          source: 'lightspeed-x',
        },
      ]);
      expect(apiCalls('POST /2026-07/inventory_levels')).toHaveLength(1);
    },
  );
});
