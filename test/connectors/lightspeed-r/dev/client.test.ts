// The R-Series client against the fake R-Series (in-process, on a virtual clock): refresh-token rotation, refreshing
// before expiry and once on a 401, 429s waited out as Retry-After says, retries and their limits, cursor paging, items
// and stock per shop, customers with credit accounts, and no secret in any message or log line.
import { beforeEach, describe, expect, it } from 'vitest';
import { LightspeedRClient, type LightspeedRClientOptions } from '../../../../connectors/lightspeed-r/dev/client.js';
import { itemListSchema } from '../../../../connectors/lightspeed-r/schemas.js';
import {
  LIGHTSPEED_R_ENV_VARS,
  LightspeedRConfigError,
  lightspeedRConfigFromEnv,
} from '../../../../connectors/lightspeed-r/dev/config.js';
import {
  LightspeedRApiError,
  LightspeedRAuthError,
  LightspeedRNetworkError,
  LightspeedRResponseError,
} from '../../../../connectors/lightspeed-r/dev/errors.js';
import {
  inProcessAdapter,
  LightspeedRSandbox,
  SANDBOX_CLIENT,
  SANDBOX_ORIGIN,
  SANDBOX_REFRESH_TOKEN,
  sandboxConfig,
  sandboxDataFromFixtures,
  type SandboxData,
  type SandboxOptions,
} from '../../../../connectors/lightspeed-r/dev/sandbox.js';
import { ROOT } from '../../../support/steps.js';

const fixtureData = await sandboxDataFromFixtures(ROOT);
const ACCOUNT = '/API/V3/Account/12345';

let sandbox: LightspeedRSandbox;
let clock: number;
let waits: number[];
let logs: string[];
let stored: string[];

function useSandbox(data: SandboxData = fixtureData, options: SandboxOptions = {}) {
  clock = Date.parse('2026-11-22T09:00:00Z');
  sandbox = new LightspeedRSandbox(data, { now: () => clock, ...options });
}

function client(options: LightspeedRClientOptions = {}) {
  waits = [];
  logs = [];
  stored = [];
  return new LightspeedRClient(sandboxConfig(), {
    adapter: inProcessAdapter(sandbox),
    now: () => clock,
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
    random: () => 1,
    log: (line) => logs.push(line),
    onRefreshToken: (token) => {
      stored.push(token);
    },
    ...options,
  });
}

const calls = (fragment: string) => sandbox.calls.filter((call) => call.includes(fragment));

beforeEach(() => useSandbox());

describe('R-Series configuration', () => {
  const env = {
    [LIGHTSPEED_R_ENV_VARS.accountId]: '12345',
    [LIGHTSPEED_R_ENV_VARS.clientId]: 'client-id-value',
    [LIGHTSPEED_R_ENV_VARS.clientSecret]: 'client-secret-value',
    [LIGHTSPEED_R_ENV_VARS.refreshToken]: 'refresh-token-value',
  };

  it("reads the account, the client credentials and the first refresh token, for Lightspeed's own hosts", () => {
    expect(lightspeedRConfigFromEnv(env)).toEqual({
      accountId: '12345',
      apiOrigin: 'https://api.lightspeedapp.com',
      tokenUrl: 'https://cloud.lightspeedapp.com/auth/oauth/token',
      environment: 'production',
      clientId: 'client-id-value',
      clientSecret: 'client-secret-value',
      refreshToken: 'refresh-token-value',
    });
  });

  it('serves both the API and the token endpoint from LIGHTSPEED_R_BASE_URL', () => {
    const config = lightspeedRConfigFromEnv({ ...env, [LIGHTSPEED_R_ENV_VARS.baseUrl]: 'http://127.0.0.1:8080/' });
    expect(config).toMatchObject({
      apiOrigin: 'http://127.0.0.1:8080',
      tokenUrl: 'http://127.0.0.1:8080/auth/oauth/token',
      environment: 'custom',
    });
  });

  it('names every missing or invalid variable at once, and never a value', () => {
    let message = '';
    try {
      lightspeedRConfigFromEnv({
        [LIGHTSPEED_R_ENV_VARS.accountId]: 'acme',
        [LIGHTSPEED_R_ENV_VARS.clientSecret]: 'client-secret-value',
        [LIGHTSPEED_R_ENV_VARS.baseUrl]: 'ftp:/x',
      });
    } catch (error) {
      expect(error).toBeInstanceOf(LightspeedRConfigError);
      message = (error as Error).message;
    }
    for (const name of [
      'LIGHTSPEED_R_CLIENT_ID',
      'LIGHTSPEED_R_REFRESH_TOKEN',
      'LIGHTSPEED_R_ACCOUNT_ID must be',
      'LIGHTSPEED_R_BASE_URL must be',
    ])
      expect(message).toContain(name);
    expect(message).not.toContain('client-secret-value');
    expect(message).not.toContain('acme');
  });
});

describe('R-Series client: refresh-token rotation', () => {
  it('starts from the configured refresh token, hands over the new one, and holds only the newest', async () => {
    const api = client();
    await api.accounts();
    expect(stored).toEqual(['sandbox-refresh-1']);
    expect(api.currentRefreshToken).toBe('sandbox-refresh-1');
    // The first use of the new access token revoked the refresh token it replaced.
    expect(sandbox.acceptsRefreshToken(SANDBOX_REFRESH_TOKEN)).toBe(false);
    expect(sandbox.acceptsRefreshToken('sandbox-refresh-1')).toBe(true);
  });

  it('stores the new refresh token before the new access token is ever used', async () => {
    const seen: string[][] = [];
    const api = client({ onRefreshToken: () => void seen.push([...sandbox.calls]) });
    await api.accounts();
    expect(seen).toEqual([['POST /auth/oauth/token']]);
  });

  it('refuses a reused, revoked refresh token (invalid_grant), as R-Series does', async () => {
    await client().accounts();
    const answer = await sandbox.handle(
      new Request(`${SANDBOX_ORIGIN}/auth/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          client_id: SANDBOX_CLIENT.clientId,
          client_secret: SANDBOX_CLIENT.clientSecret,
          grant_type: 'refresh_token',
          refresh_token: SANDBOX_REFRESH_TOKEN,
        }),
      }),
    );
    expect(answer).not.toBe('network-error');
    expect((answer as Response).status).toBe(400);
    expect(await (answer as Response).json()).toMatchObject({ error: 'invalid_grant', hint: 'Token has been revoked' });
  });

  it(
    'refreshes shortly before the access token expires, not after, and never reuses a revoked ' + 'refresh token',
    async () => {
      const api = client();
      await api.accounts();
      clock += (1800 - 30) * 1000;
      await api.accounts();
      expect(calls('/auth/oauth/token')).toHaveLength(2);
      expect(calls('Account.json')).toHaveLength(2);
      expect(stored).toEqual(['sandbox-refresh-1', 'sandbox-refresh-2']);
      expect(sandbox.acceptsRefreshToken('sandbox-refresh-1')).toBe(false);
    },
  );

  it('refreshes once on a 401 and repeats the request', async () => {
    const api = client();
    await api.accounts();
    sandbox.expireAccessTokens();
    await expect(api.getCustomer(7)).resolves.toMatchObject({ customerID: 7 });
    expect(
      sandbox.calls.filter((c) => c.startsWith('GET') || c.startsWith('POST')).map((c) => c.split('?')[0]),
    ).toEqual([
      'POST /auth/oauth/token',
      'GET /API/V3/Account.json',
      `GET ${ACCOUNT}/Customer/7.json`,
      'POST /auth/oauth/token',
      `GET ${ACCOUNT}/Customer/7.json`,
    ]);
    expect(logs.some((line) => line.includes('HTTP 401; refreshing the access token once'))).toBe(true);
  });

  it('shares one refresh between concurrent calls', async () => {
    const api = client();
    await Promise.all([api.accounts(), api.getCustomer(7), api.customerTypes(), api.taxCategories()]);
    expect(sandbox.stats.tokenRequests).toBe(1);
  });

  it('keeps the previous refresh token, unused tokens dropped, when the new one cannot be stored', async () => {
    const api = client({
      onRefreshToken: () => {
        throw new Error('vault unavailable');
      },
    });
    const error = await api.accounts().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LightspeedRAuthError);
    expect((error as Error).message).toBe(
      'the new refresh token could not be stored (vault unavailable); the new access token was not used, ' +
        'so the previous refresh token stays valid',
    );
    expect(api.currentRefreshToken).toBe(SANDBOX_REFRESH_TOKEN);
    expect(sandbox.acceptsRefreshToken(SANDBOX_REFRESH_TOKEN)).toBe(true);
    expect(calls('Account.json')).toEqual([]);
  });

  it('says an account user must authorise again when the refresh token is refused, naming no secret', async () => {
    useSandbox(fixtureData, { refreshToken: 'some-other-token' });
    const error = await client()
      .accounts()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LightspeedRAuthError);
    expect((error as LightspeedRAuthError).details).toMatchObject({ status: 400, oauthError: 'invalid_grant' });
    expect((error as Error).message).toMatch(
      /invalid_grant: The refresh token is invalid\..*authorise the client again/,
    );
    for (const secret of [SANDBOX_CLIENT.clientSecret, SANDBOX_REFRESH_TOKEN])
      expect(JSON.stringify({ m: (error as Error).message, d: (error as LightspeedRAuthError).details })).not.toContain(
        secret,
      );
  });
});

describe('R-Series client: rate limits and retries', () => {
  it(
    'waits out a 429 for the Retry-After seconds and repeats the request, for a POST too (refused before ' +
      'any work)',
    async () => {
      const api = client();
      await api.accounts();
      sandbox.failNext(`GET ${ACCOUNT}/Customer/7.json`, {
        status: 429,
        headers: { 'Retry-After': '3', 'X-LS-API-RateLimit-Type': 'api-leaky-bucket' },
      });
      await expect(api.getCustomer(7)).resolves.toMatchObject({ customerID: 7 });
      expect(waits).toContain(3000);
      expect(api.stats.rateLimited).toBe(1);
      sandbox.failNext(`POST ${ACCOUNT}/Customer.json`, { status: 429, headers: { 'Retry-After': '2' } });
      await expect(api.createCustomer({ firstName: 'Ada', lastName: 'Lovelace' })).resolves.toMatchObject({
        firstName: 'Ada',
      });
      expect(waits).toContain(2000);
      expect(calls(`POST ${ACCOUNT}/Customer.json`)).toHaveLength(2);
    },
  );

  it('holds every other request back until Retry-After has passed', async () => {
    const api = client();
    await api.accounts();
    sandbox.failNext(`GET ${ACCOUNT}/CustomerType.json`, { status: 429, headers: { 'Retry-After': '4' } });
    const start = clock;
    await Promise.all([api.customerTypes(), api.taxCategories()]);
    expect(clock - start).toBeGreaterThanOrEqual(4000);
  });

  it('waits a second at least for the burst limiter, and learns its limit so as not to hit it again', async () => {
    useSandbox(fixtureData, { burstLimit: 5 });
    const api = client();
    sandbox.failNext(`GET ${ACCOUNT}/CustomerType.json`, {
      status: 429,
      headers: { 'X-LS-API-RateLimit-Type': 'api-burst-limiter', 'Retry-After': '0' },
    });
    await api.customerTypes();
    expect(waits).toContain(1000);
    for (let i = 0; i < 30; i += 1) await api.getCustomer(7, []);
    expect(sandbox.stats.refusedByBurst).toBe(0);
  });

  it('keeps under a real leaky bucket: a burst of requests meets no 429', async () => {
    useSandbox(fixtureData, { capacity: 10, dripPerSecond: 2, strict: true });
    const api = client();
    for (let i = 0; i < 60; i += 1) await api.getCustomer(7, []);
    expect(sandbox.stats.refused).toBe(0);
    expect(api.rateLimit).toMatchObject({ capacity: 10, dripPerSecond: 2 });
    // A write costs more: a sale with two lines, a payment and a note, completed, is 2 + 3 + 4 × 0.5 = 7 drips.
    for (let i = 0; i < 5; i += 1) {
      await api.createSale({
        customerID: 7,
        employeeID: 1,
        registerID: 1,
        shopID: 1,
        completed: true,
        SaleLines: {
          SaleLine: [
            { itemID: 41, unitQuantity: 1, unitPrice: '4.00', tax: false },
            { itemID: 42, unitQuantity: 1, unitPrice: '5.00', tax: false },
          ],
        },
        SalePayments: { SalePayment: [{ paymentTypeID: 4, amount: '9.00', creditAccountID: 2 }] },
        SaleNotes: { InternalNote: { note: 'x' } },
      });
    }
    expect(sandbox.stats.refused).toBe(0);
  });

  it('gives up on a Retry-After longer than it waits', async () => {
    const api = client({ retry: { maxDelayMs: 5_000 } });
    await api.accounts();
    sandbox.failNext(`GET ${ACCOUNT}/CustomerType.json`, { status: 429, headers: { 'Retry-After': '30' } });
    await expect(api.customerTypes()).rejects.toThrow(
      /HTTP 429 - no body - R-Series asked to wait 30 s, longer than the 5 s this client waits/,
    );
  });

  it(
    'retries a read after a 5xx or a dropped connection, but never repeats a sale that may ' + 'have been booked',
    async () => {
      const api = client();
      sandbox.failNext(`GET ${ACCOUNT}/CustomerType.json`, { status: 503 });
      sandbox.failNext(`GET ${ACCOUNT}/CustomerType.json`, { network: 'reset' });
      await expect(api.customerTypes()).resolves.toHaveLength(2);
      sandbox.failNext(`POST ${ACCOUNT}/Sale.json`, { status: 502 });
      const error = await api
        .createSale({
          customerID: 7,
          employeeID: 1,
          registerID: 1,
          shopID: 1,
          SaleLines: { SaleLine: [{ itemID: 41, unitQuantity: 1 }] },
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LightspeedRApiError);
      expect((error as Error).message).toMatch(
        /HTTP 502 - no body - not repeated: it may have been applied; check before sending again/,
      );
      sandbox.failNext(`POST ${ACCOUNT}/Sale.json`, { network: 'reset' });
      await expect(
        api.createSale({
          customerID: 7,
          employeeID: 1,
          registerID: 1,
          shopID: 1,
          SaleLines: { SaleLine: [{ itemID: 41, unitQuantity: 1 }] },
        }),
      ).rejects.toBeInstanceOf(LightspeedRNetworkError);
      expect(calls(`POST ${ACCOUNT}/Sale.json`)).toHaveLength(2);
    },
  );

  it('carries the answer of a refused request, and a 403 names the scopes', async () => {
    const api = client();
    sandbox.failNext(`GET ${ACCOUNT}/Item.json`, { status: 403 });
    const error = await api.itemsBySku(['MUG-ENAMEL-WHT']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LightspeedRAuthError);
    expect((error as Error).message).toMatch(/HTTP 403 - no body - the token lacks a scope this call needs/);
    const invalid = await api
      .createSale({
        customerID: 7,
        employeeID: 1,
        registerID: 1,
        shopID: 1,
        SaleLines: { SaleLine: [{ itemID: 43, unitQuantity: 1 }] },
      })
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(LightspeedRApiError);
    expect((invalid as LightspeedRApiError).details).toMatchObject({
      status: 400,
      body: 'Bad Request: SaleLines.SaleLine[0]: item 43 is archived',
    });
  });
});

describe('R-Series client: reads', () => {
  it('follows @attributes.next through every page', async () => {
    const items = Array.from({ length: 250 }, (_, i) => ({
      itemID: String(5000 + i),
      customSku: `BULK-${i}`,
      archived: 'false',
    }));
    useSandbox({ ...fixtureData, items, itemMatrices: [] });
    const api = client();
    const all = await api.all('/Item.json', { archived: 'true' }, itemListSchema);
    expect(all.map((item) => item.itemID)).toEqual(items.map((item) => Number(item.itemID)));
    expect(
      calls(`GET ${ACCOUNT}/Item.json`).map((c) => new URL(`http://x${c.slice(4)}`).searchParams.get('after')),
    ).toEqual([null, 'MTAw', 'MjAw']);
    // 100 IDs at most in an IN list: three queries.
    const found = await api.itemsById(items.map((item) => Number(item.itemID)));
    expect(found).toHaveLength(250);
    const lists = calls(`GET ${ACCOUNT}/Item.json`)
      .map((c) => new URL(`http://x${c.slice(4)}`).searchParams.get('itemID'))
      .filter(Boolean);
    expect(lists.map((list) => (JSON.parse(list!.slice(3)) as number[]).length)).toEqual([100, 100, 50]);
  });

  it('refuses to follow a next page on another host (the token never leaves the account)', async () => {
    const api = client();
    const page = {
      '@attributes': { next: 'https://evil.example/API/V3/Account/12345/Item.json?after=x', previous: '' },
      Item: [],
    };
    sandbox.failNext(`GET ${ACCOUNT}/Item.json`, { status: 200, body: page });
    await expect(api.itemsById([41])).rejects.toBeInstanceOf(LightspeedRResponseError);
    expect(sandbox.calls.some((c) => c.includes('evil'))).toBe(false);
  });

  it('finds items by SKU with archived ones, and a matrix with its variants', async () => {
    const api = client();
    const found = await api.itemsBySku(['JUG-STONE-1L', 'TSHIRT-WHT-S', 'NONE']);
    expect(found.get('JUG-STONE-1L')?.map((i) => [i.itemID, i.archived])).toEqual([[43, true]]);
    expect(found.get('TSHIRT-WHT-S')?.map((i) => [i.itemID, i.itemMatrixID])).toEqual([[133, 20]]);
    expect(found.get('NONE')).toEqual([]);
    expect(
      (await api.itemsBySku(['5012345678900'], { fields: ['customSku', 'upc'] }))
        .get('5012345678900')
        ?.map((i) => i.itemID),
    ).toEqual([42]);
    const matrix = await api.itemMatrix(20);
    expect(matrix.Items?.map((i) => i.itemID)).toEqual([133]);
  });

  it('reads stock per SKU per shop, leaving out the shopID 0 all-shops summary', async () => {
    const api = client();
    const levels = await api.stockLevels(['MUG-ENAMEL-WHT', 'TOWEL-LINEN-NAT', 'TSHIRT-WHT-S', 'NOPE']);
    expect(levels).toEqual([
      {
        sku: 'MUG-ENAMEL-WHT',
        location: '1',
        on_hand: '120',
        available: '120',
        product_id: '41',
        source: 'lightspeed-r',
      },
      { sku: 'MUG-ENAMEL-WHT', location: '2', on_hand: '6', available: '6', product_id: '41', source: 'lightspeed-r' },
      {
        sku: 'TOWEL-LINEN-NAT',
        location: '1',
        on_hand: '-3',
        available: '0',
        product_id: '42',
        source: 'lightspeed-r',
      },
      { sku: 'TOWEL-LINEN-NAT', location: '2', on_hand: '6', available: '6', product_id: '42', source: 'lightspeed-r' },
      { sku: 'TSHIRT-WHT-S', location: '1', on_hand: '7', available: '7', product_id: '133', source: 'lightspeed-r' },
      { sku: 'TSHIRT-WHT-S', location: '2', on_hand: '6', available: '6', product_id: '133', source: 'lightspeed-r' },
    ]);
    expect(logs).toContain('stock: SKU NOPE names no R-Series item');
  });

  it('leaves out a SKU that names two live items rather than guess', async () => {
    useSandbox({
      ...fixtureData,
      items: [...(fixtureData.items ?? []), { itemID: '77', customSku: 'MUG-ENAMEL-WHT', archived: 'false' }],
    });
    const api = client();
    expect(await api.stockLevels(['MUG-ENAMEL-WHT'])).toEqual([]);
    expect(logs).toContain('stock: SKU MUG-ENAMEL-WHT names 2 items (41, 77); left out');
  });

  it('finds customers by email and by ID, with their credit account', async () => {
    const api = client();
    expect(
      (await api.findCustomersByEmail('john.doe@example.com')).map((c) => [
        c.customerID,
        c.CreditAccount?.creditAccountID,
      ]),
    ).toEqual([[7, 2]]);
    expect((await api.customersById([2, 4, 7])).map((c) => c.customerID)).toEqual([7, 2, 4]);
  });

  it('creates a customer, then its credit account; a failed second step names the customer to finish', async () => {
    const api = client();
    const customer = await api.createCustomer(
      { firstName: 'Ada', lastName: 'Lovelace', company: 'Engines Ltd' },
      { name: 'Engines Ltd', creditLimit: 0 },
    );
    expect(customer.creditAccountID).toBeGreaterThan(0);
    expect(customer.CreditAccount).toMatchObject({ name: 'Engines Ltd' });
    sandbox.failNext(`PUT ${ACCOUNT}/Customer/${customer.customerID + 3}.json`, { status: 500 });
    const error = await api
      .createCustomer({ firstName: 'Bo' }, { name: 'Bo', creditLimit: 100 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LightspeedRResponseError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `customer ${customer.customerID + 3} was created, but its credit account was not: ` +
          `.*Call addCreditAccount\\(${customer.customerID + 3}`,
      ),
    );
  });
});

describe('R-Series client: secrets', () => {
  it('keeps the client secret and every token out of errors and logs', async () => {
    const api = client();
    await api.accounts();
    sandbox.expireAccessTokens();
    sandbox.failNext(
      `GET ${ACCOUNT}/CustomerType.json`,
      {
        status: 500,
        body: {
          echo: `refresh_token=${api.currentRefreshToken} Bearer sandbox-access-1 ${SANDBOX_CLIENT.clientSecret}`,
        },
      },
      9,
    );
    const error = await api.customerTypes().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LightspeedRApiError);
    const text = JSON.stringify({
      message: (error as Error).message,
      details: (error as LightspeedRApiError).details,
      logs,
    });
    for (const secret of [
      SANDBOX_CLIENT.clientSecret,
      SANDBOX_REFRESH_TOKEN,
      'sandbox-refresh-1',
      'sandbox-refresh-2',
      'sandbox-access-1',
      'sandbox-access-2',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
  });
});
