// The NetSuite client against the fake NetSuite (hosted in msw), which checks every request's OAuth 1.0 header the
// way NetSuite does: upsert by external ID, retries and their limits, NetSuite's error details, SuiteQL paging,
// and no secret in any message.
import Big from 'big.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { NetSuiteClient, type NetSuiteClientOptions } from '../../../../connectors/netsuite/dev/client.js';
import {
  netSuiteConfigFromEnv,
  NETSUITE_ENV_VARS,
  NetSuiteConfigError,
  type NetSuiteConfig,
} from '../../../../connectors/netsuite/dev/config.js';
import {
  NetSuiteApiError,
  NetSuiteAuthError,
  NetSuiteNetworkError,
} from '../../../../connectors/netsuite/dev/errors.js';
import { parseAuthorizationHeader } from '../../../../connectors/http/oauth1.js';
import { createNetsuiteOrderMapper } from '../../../../connectors/netsuite/sales-order-mapper.js';
import {
  NetSuiteSandbox,
  SANDBOX_ACCOUNT_ID,
  SANDBOX_BASE_URL,
  SANDBOX_CREDENTIALS,
  sandboxConfig,
  sandboxDataFromFixtures,
  type SandboxData,
} from '../../../../connectors/netsuite/dev/sandbox.js';
import type { SalesOrderBody } from '../../../../connectors/netsuite/schemas.js';
import { Money } from '../../../../model/money.js';
import { mswHandlers } from '../../../../contracts/hosts.js';
import { server } from '../../../support/msw.js';
import { ROOT } from '../../../support/steps.js';

const fixtureData = await sandboxDataFromFixtures(ROOT);
const fixtureBody = (file: string) =>
  (JSON.parse(readFileSync(path.join(ROOT, 'fixtures/netsuite', file), 'utf8')) as { body: unknown }).body;

let sandbox: NetSuiteSandbox;
let clock: number;
let waits: number[];
let logs: string[];

function useSandbox(data: Partial<SandboxData> = {}) {
  clock = Date.parse('2026-11-22T09:00:00Z');
  sandbox = new NetSuiteSandbox({ ...fixtureData, ...data }, SANDBOX_ACCOUNT_ID, SANDBOX_CREDENTIALS, () => clock);
  server.use(...mswHandlers(SANDBOX_BASE_URL, sandbox));
}

function client(options: NetSuiteClientOptions = {}, overrides: Partial<NetSuiteConfig> = {}) {
  waits = [];
  logs = [];
  return new NetSuiteClient(sandboxConfig(overrides), {
    sleep: async (ms) => {
      waits.push(ms);
    },
    now: () => clock,
    random: () => 1,
    log: (line) => logs.push(line),
    ...options,
  });
}

const calls = (prefix: string) => sandbox.calls.filter((call) => call.startsWith(prefix));

/** An order body as the mapper writes it: customer 110, two lines. */
const ORDER: SalesOrderBody = {
  externalId: 'sl-1001',
  entity: { id: '110' },
  otherRefNum: 'PO-4471',
  memo: 'SparkLayer order SL-1001',
  orderStatus: 'B',
  item: {
    items: [
      { item: { id: '98' }, quantity: 3, rate: 3.33333333, amount: 10 },
      { item: { id: '99' }, quantity: 1, rate: 24.5, amount: 24.5 },
    ],
  },
  shippingCost: 5.95,
};
const UPSERT = 'PUT /record/v1/salesOrder/eid:sl-1001';

beforeEach(() => useSandbox());

describe('NetSuite client: token-based authentication', () => {
  it('signs every request so that the fake NetSuite, recomputing the signature, accepts it', async () => {
    const customer = await client().getCustomer('110');
    expect(customer).toMatchObject({
      id: '110',
      companyName: 'Harbour Climbing Supplies Ltd',
      creditHoldOverride: { id: 'AUTO' },
    });
    const header = parseAuthorizationHeader(sandbox.authorizations[0])!;
    expect(header.get('realm')).toBe('1234567_SB1');
    expect(header.get('oauth_signature_method')).toBe('HMAC-SHA256');
    expect(header.get('oauth_version')).toBe('1.0');
    expect(header.get('oauth_timestamp')).toBe(String(clock / 1000));
  });

  it('is refused with NetSuite’s error body when a secret is wrong, and says so without the secret', async () => {
    const error = await client({}, { tokenSecret: 'wrong-token-secret-value' })
      .getCustomer('110')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetSuiteAuthError);
    expect((error as NetSuiteAuthError).details.status).toBe(401);
    expect((error as NetSuiteAuthError).errorCodes).toEqual(['INVALID_LOGIN']);
    expect((error as Error).message).toBe(
      'GET /record/v1/customer/110 failed: HTTP 401 - Unauthorized - Invalid login attempt: the ' +
        'signature does not match. (INVALID_LOGIN)',
    );
    const everything = JSON.stringify([(error as Error).message, error, logs]);
    for (const secret of [
      'wrong-token-secret-value',
      SANDBOX_CREDENTIALS.consumerSecret,
      SANDBOX_CREDENTIALS.tokenSecret,
    ]) {
      expect(everything).not.toContain(secret);
    }
    // A refusal is final: TBA has no token to renew.
    expect(calls('GET /record/v1/customer/110')).toHaveLength(1);
  });

  it('is refused for the wrong realm, and for a clock more than five minutes out', async () => {
    await expect(client({}, { realm: '7654321' }).getCustomer('110')).rejects.toThrow(/realm is not this account/);
    await expect(client({ now: () => clock - 301_000 }).getCustomer('110')).rejects.toThrow(/timestamp is too far/);
  });

  it('refuses a replayed nonce, so the client signs every attempt afresh', async () => {
    await expect(client({ nonce: () => 'fixednonce1' }).getCustomer('110')).resolves.toMatchObject({ id: '110' });
    await expect(client({ nonce: () => 'fixednonce1' }).getCustomer('110')).rejects.toThrow(/nonce was used before/);
    sandbox.failNext(UPSERT, { status: 503 });
    await client().upsertSalesOrder('sl-1001', ORDER);
    const nonces = sandbox.authorizations.slice(-2).map((h) => parseAuthorizationHeader(h)!.get('oauth_nonce'));
    expect(new Set(nonces).size).toBe(2);
  });
});

describe('NetSuite client: sales orders by external ID', () => {
  it(
    'creates the order on the first upsert and updates the same one on the second: ' + 'one order, one set of lines',
    async () => {
      const api = client();
      const first = await api.upsertSalesOrder('sl-1001', ORDER);
      const second = await api.upsertSalesOrder('sl-1001', { ...ORDER, memo: 'SparkLayer order SL-1001 (re-run)' });
      expect(second.id).toBe(first.id);
      expect(first.location).toBe(`${SANDBOX_BASE_URL}/record/v1/salesOrder/${first.id!}`);
      expect(sandbox.salesOrders.filter((o) => o.externalId === 'sl-1001')).toHaveLength(1);
      const stored = await api.getSalesOrderByExternalId('sl-1001', { expandSubResources: true });
      expect(stored).toMatchObject({
        id: first.id,
        externalId: 'sl-1001',
        otherRefNum: 'PO-4471',
        memo: 'SparkLayer order SL-1001 (re-run)',
      });
      expect(stored.orderStatus).toEqual({ id: 'B', refName: 'Pending Fulfillment' });
      expect(stored.item?.items).toHaveLength(2);
      expect(calls(UPSERT)).toEqual([`${UPSERT}?replace=item`, `${UPSERT}?replace=item`]);
    },
  );

  it('replaces the tax details sublist too when the body carries one', async () => {
    await client().upsertSalesOrder('sl-1002', {
      ...ORDER,
      taxDetailsOverride: true,
      taxDetails: {
        items: [
          {
            taxDetailsReference: 'L1',
            taxType: { id: '3' },
            taxCode: { id: '7' },
            taxBasis: 10,
            taxRate: 20,
            taxAmount: 2,
          },
        ],
      },
    });
    expect(calls('PUT /record/v1/salesOrder/eid:sl-1002')).toEqual([
      'PUT /record/v1/salesOrder/eid:sl-1002?replace=item%2CtaxDetails',
    ]);
  });

  it('sends what the mapper writes, end to end', async () => {
    const mapper = createNetsuiteOrderMapper({ itemIds: { 'ROPE-60': '99' }, tax: 'netsuite' });
    const gbp = (v: string) => Money.of(v, 'GBP');
    const result = mapper.map(
      {
        id: 'sl-2001',
        reference: 'SL-2001',
        po: 'PO-9',
        currency: 'GBP',
        paymentMethod: 'on_account',
        customerId: 'co-1',
        account: '647',
        lines: [
          {
            position: 1,
            sku: 'ROPE-60',
            quantity: new Big(2),
            unit: 'each',
            net: gbp('49.00'),
            discount: gbp('0'),
            tax: gbp('9.80'),
            gross: gbp('58.80'),
          },
        ],
        shipping: { net: gbp('0'), discount: gbp('0'), tax: gbp('0'), gross: gbp('0') },
      },
      { onAccountMode: 'hold' },
    );
    if (!result.ok) throw new Error(result.message);
    await client().upsertSalesOrder('sl-2001', result.body);
    expect(sandbox.salesOrderByExternalId('sl-2001')).toMatchObject({
      entity: { id: '647' },
      orderStatus: 'A',
      otherRefNum: 'PO-9',
    });
  });

  it('surfaces NetSuite’s o:errorDetails on a 400, without retrying it', async () => {
    const error = await client()
      .upsertSalesOrder('sl-1003', { ...ORDER, entity: { id: '999' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetSuiteApiError);
    const { details } = error as NetSuiteApiError;
    expect(details).toMatchObject({
      method: 'PUT',
      path: '/record/v1/salesOrder/eid:sl-1003?replace=item',
      status: 400,
      attempts: 1,
      title: 'Bad Request',
    });
    expect(details.errorDetails).toEqual([
      {
        detail: 'Invalid Field Value 999 for the following field: entity',
        'o:errorCode': 'INVALID_FLD_VALUE',
        'o:errorPath': 'entity',
      },
    ]);
    expect((error as Error).message).toBe(
      'PUT /record/v1/salesOrder/eid:sl-1003?replace=item failed: HTTP 400 - Bad Request - Invalid Field ' +
        'Value 999 for the following field: entity (INVALID_FLD_VALUE at entity)',
    );
  });

  it('reads the documented 400 body as NetSuite sends it', async () => {
    sandbox.failNext(UPSERT, { status: 400, body: fixtureBody('errors/400.field-required.json') });
    const error = (await client()
      .upsertSalesOrder('sl-1001', ORDER)
      .catch((e: unknown) => e)) as NetSuiteApiError;
    expect(error.errorCodes).toEqual(['FIELD_PARAM_REQD']);
    expect(error.message).toMatch(/Please enter a value for \[entity\] \(FIELD_PARAM_REQD at entity\)$/);
  });

  it('refuses an external ID NetSuite could not take before sending anything', async () => {
    await expect(client().upsertSalesOrder('sl/1001', ORDER)).rejects.toThrow(/letters, digits, _ and -/);
    expect(sandbox.calls).toEqual([]);
  });
});

describe('NetSuite client: retries', () => {
  it('retries a 429 (the concurrency limit) and then succeeds, once', async () => {
    sandbox.failNext(UPSERT, { status: 429, body: fixtureBody('errors/429.concurrency.json') });
    const api = client({ retry: { baseDelayMs: 500 } });
    await expect(api.upsertSalesOrder('sl-1001', ORDER)).resolves.toMatchObject({ id: expect.any(String) });
    expect(calls(UPSERT)).toHaveLength(2);
    expect(waits).toEqual([500]);
    expect(sandbox.salesOrders.filter((o) => o.externalId === 'sl-1001')).toHaveLength(1);
    expect(logs[0]).toBe(`${UPSERT}?replace=item: HTTP 429; retry 1 of 5 in 500 ms`);
  });

  it('waits out Retry-After on a 429 when NetSuite sends one, and refuses to wait longer than its cap', async () => {
    sandbox.failNext(UPSERT, { status: 429, headers: { 'Retry-After': '7' } });
    await client().upsertSalesOrder('sl-1001', ORDER);
    expect(waits).toEqual([7_000]);
    sandbox.failNext(UPSERT, { status: 429, headers: { 'Retry-After': '3600' } });
    await expect(client().upsertSalesOrder('sl-1001', ORDER)).rejects.toThrow(
      /HTTP 429 .*NetSuite asked to wait 3600 s, longer than the 60 s this client waits/,
    );
  });

  it('retries 5xx with capped exponential backoff, then fails with a clear final error', async () => {
    sandbox.failNext(UPSERT, { status: 503 }, 10);
    const api = client({ retry: { maxRetries: 5, baseDelayMs: 500, maxDelayMs: 6_000 } });
    const error = await api.upsertSalesOrder('sl-1001', ORDER).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetSuiteApiError);
    expect((error as Error).message).toBe(`${UPSERT}?replace=item failed: HTTP 503 - no body - after 6 attempts`);
    expect(calls(UPSERT)).toHaveLength(6);
    expect(waits).toEqual([500, 1_000, 2_000, 4_000, 6_000]);
  });

  it('retries a dropped connection on an upsert, and gives a network error after the last', async () => {
    sandbox.failNext(UPSERT, { network: 'reset' });
    await expect(client().upsertSalesOrder('sl-1001', ORDER)).resolves.toBeDefined();
    sandbox.failNext(UPSERT, { network: 'reset' }, 3);
    const error = await client({ retry: { maxRetries: 2 } })
      .upsertSalesOrder('sl-1001', ORDER)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetSuiteNetworkError);
    expect((error as Error).message).toMatch(
      /^PUT \/record\/v1\/salesOrder\/eid:sl-1001\?replace=item: no answer from NetSuite \(.*\) - after 3 attempts$/,
    );
  });

  it('does not repeat a POST create after a 5xx (it may have created the record), but does after a 429', async () => {
    sandbox.failNext('POST /record/v1/customer', { status: 502 });
    const error = await client()
      .createCustomer({ externalId: 'CUST-9', companyName: 'Crag & Co', subsidiary: { id: '1' } })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'POST /record/v1/customer failed: HTTP 502 - no body - not repeated: the record may have been ' +
        'created; check before sending again',
    );
    expect(calls('POST /record/v1/customer')).toHaveLength(1);
    sandbox.failNext('POST /record/v1/customer', { status: 429 });
    await expect(client().createCustomer({ externalId: 'CUST-9', companyName: 'Crag & Co' })).resolves.toMatchObject({
      id: expect.any(String),
    });
  });
});

describe('NetSuite client: customers', () => {
  it('finds a customer by external ID, and answers undefined when NetSuite has none', async () => {
    const api = client();
    await expect(api.findCustomerByExternalId('CUST-0647')).resolves.toMatchObject({
      id: '647',
      creditHoldOverride: { id: 'ON' },
    });
    await expect(api.findCustomerByExternalId('NOPE-1')).resolves.toBeUndefined();
  });

  it('creates a customer and reads back its internal ID from Location', async () => {
    const api = client();
    const created = await api.createCustomer({
      externalId: 'CUST-2001',
      companyName: 'Boulder Barn',
      email: 'ap@boulderbarn.example.com',
      subsidiary: { id: '1' },
    });
    expect(created.id).toMatch(/^\d+$/);
    await expect(api.findCustomerByExternalId('CUST-2001')).resolves.toMatchObject({
      id: created.id,
      companyName: 'Boulder Barn',
    });
    await expect(api.createCustomer({ externalId: 'CUST-2001', companyName: 'Boulder Barn' })).rejects.toThrow(
      /DUP_RCRD at externalId/,
    );
  });
});

describe('NetSuite client: SuiteQL', () => {
  const rows = Array.from({ length: 7 }, (_, i) => ({ id: String(100 + i), entityid: `CUST-${i}` }));

  it('pages with limit and offset until hasMore is false, with Prefer: transient, and returns every row', async () => {
    useSandbox({ tables: { customer: rows } });
    const seen: Array<string | null> = [];
    server.events.on('request:start', ({ request }) => seen.push(request.headers.get('prefer')));
    const result = await client().suiteql('SELECT id, entityid FROM customer ORDER BY id', 3);
    server.events.removeAllListeners();
    expect(result.map((row) => row.id)).toEqual(rows.map((row) => row.id));
    expect(calls('POST /query/v1/suiteql')).toEqual([
      'POST /query/v1/suiteql?limit=3&offset=0',
      'POST /query/v1/suiteql?limit=3&offset=3',
      'POST /query/v1/suiteql?limit=3&offset=6',
    ]);
    expect(seen).toEqual(['transient', 'transient', 'transient']);
  });

  it('retries a page that failed, and makes one request for a result that fits one page', async () => {
    useSandbox({ tables: { customer: rows } });
    sandbox.failNext('POST /query/v1/suiteql', { status: 500 });
    await expect(client().suiteql('SELECT id FROM customer')).resolves.toHaveLength(7);
    expect(calls('POST /query/v1/suiteql')).toEqual([
      'POST /query/v1/suiteql?limit=1000&offset=0',
      'POST /query/v1/suiteql?limit=1000&offset=0',
    ]);
  });

  it('stops on a server that says hasMore with an empty page', async () => {
    sandbox.failNext('POST /query/v1/suiteql', { status: 200, body: { items: [], hasMore: true } });
    await expect(client().suiteql('SELECT id FROM customer')).rejects.toThrow(/empty page that says hasMore/);
  });

  it('refuses a page size NetSuite refuses', async () => {
    await expect(client().suiteql('SELECT id FROM customer', 1001)).rejects.toThrow(RangeError);
  });
});

describe('NetSuite configuration', () => {
  const env = {
    [NETSUITE_ENV_VARS.accountId]: '1234567_SB1',
    [NETSUITE_ENV_VARS.consumerKey]: 'ck-value',
    [NETSUITE_ENV_VARS.consumerSecret]: 'cs-secret-value',
    [NETSUITE_ENV_VARS.tokenId]: 'tk-value',
    [NETSUITE_ENV_VARS.tokenSecret]: 'ts-secret-value',
  };

  it('builds the account’s REST domain and realm from the account ID', () => {
    expect(netSuiteConfigFromEnv(env)).toMatchObject({
      realm: '1234567_SB1',
      baseUrl: 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest',
      environment: 'sandbox',
    });
    expect(netSuiteConfigFromEnv({ ...env, NETSUITE_ACCOUNT_ID: '1234567' }).environment).toBe('production');
    expect(netSuiteConfigFromEnv({ ...env, NETSUITE_BASE_URL: 'http://127.0.0.1:9/services/rest/' })).toMatchObject({
      baseUrl: 'http://127.0.0.1:9/services/rest',
      environment: 'custom',
    });
  });

  it('names every missing or invalid variable at once, never a value', () => {
    const error = (() => {
      try {
        netSuiteConfigFromEnv({
          NETSUITE_ACCOUNT_ID: '12 34',
          NETSUITE_CONSUMER_SECRET: 'cs-secret-value',
          NETSUITE_BASE_URL: 'ftp://x',
        });
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a configuration error');
    })();
    expect(error).toBeInstanceOf(NetSuiteConfigError);
    expect(error.message).toContain('missing NETSUITE_CONSUMER_KEY, NETSUITE_TOKEN_ID, NETSUITE_TOKEN_SECRET');
    expect(error.message).toContain('NETSUITE_ACCOUNT_ID must be a NetSuite account ID');
    expect(error.message).toContain('NETSUITE_BASE_URL must be an http(s) URL');
    expect(error.message).not.toContain('cs-secret-value');
    expect(error.message).not.toContain('12 34');
  });
});
