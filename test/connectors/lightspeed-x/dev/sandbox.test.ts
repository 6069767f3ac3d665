// The fake X-Series itself: rotation (a used refresh token is refused), bearer tokens, the limiter's fixed windows,
// headers and HTTP-date Retry-After, the version cursor of GET /products, and its refusals of what X-Series documents
// as invalid.
import { describe, expect, it } from 'vitest';
import {
  LightspeedXSandbox,
  SANDBOX_BASE_URL,
  SANDBOX_CREDENTIALS,
} from '../../../../connectors/lightspeed-x/dev/sandbox.js';

const STARK = { id: 'b8ca3a65-0183-11e4-fbb5-4f73f02a9d1c', first_name: 'Anthony', last_name: 'Stark' };

function harness(options: ConstructorParameters<typeof LightspeedXSandbox>[1] = {}) {
  let now = Date.parse('2026-11-22T09:00:00Z');
  const sandbox = new LightspeedXSandbox(
    {
      customers: [STARK],
      products: [
        { id: 'p-1', sku: 'abc', version: 30 },
        { id: 'p-2', sku: 'def', version: 10 },
        { id: 'p-3', sku: 'ghi', version: 20 },
      ],
    },
    { now: () => now, ...options },
  );
  const refresh = async (token: string) => {
    const answer = (await sandbox.handle(
      new Request(`${SANDBOX_BASE_URL}/1.0/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: token,
          client_id: SANDBOX_CREDENTIALS.clientId,
          client_secret: SANDBOX_CREDENTIALS.clientSecret,
        }),
      }),
    )) as Response;
    return { status: answer.status, body: (await answer.json()) as Record<string, string> };
  };
  const get = async (token: string, path = `/2026-07/customers/${STARK.id}`) =>
    (await sandbox.handle(
      new Request(`${SANDBOX_BASE_URL}${path}`, { headers: { Authorization: `Bearer ${token}` } }),
    )) as Response;
  return { sandbox, refresh, get, advance: (ms: number) => (now += ms), now: () => now };
}

describe('the fake X-Series', () => {
  it('rotates refresh tokens and refuses one that was used', async () => {
    const { refresh } = harness();
    const first = await refresh(SANDBOX_CREDENTIALS.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', refresh_token: 'sandbox-refresh-token-1' });
    expect(await refresh(SANDBOX_CREDENTIALS.refreshToken)).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    expect((await refresh('sandbox-refresh-token-1')).status).toBe(200);
  });

  it('answers 401 without a valid bearer token, and after the access token expires', async () => {
    const { refresh, get, advance } = harness({ accessTokenTtlSeconds: 60 });
    expect((await get('nope')).status).toBe(401);
    const { body } = await refresh(SANDBOX_CREDENTIALS.refreshToken);
    expect((await get(body.access_token!)).status).toBe(200);
    advance(60_000);
    expect((await get(body.access_token!)).status).toBe(401);
  });

  it(
    'counts authorized requests per fixed window, with the headers, and refuses beyond the budget with an ' +
      'HTTP-date Retry-After',
    async () => {
      const { sandbox, refresh, get, advance, now } = harness({ rateLimit: { budget: 3, windowMs: 10_000 } });
      const { body } = await refresh(SANDBOX_CREDENTIALS.refreshToken);
      const token = body.access_token!;
      await get('not-a-token'); // not counted
      const remaining = [];
      for (let i = 0; i < 3; i += 1) remaining.push((await get(token)).headers.get('X-RateLimit-Remaining'));
      expect(remaining).toEqual(['2', '1', '0']);
      const refused = await get(token);
      expect(refused.status).toBe(429);
      expect(await refused.json()).toEqual({ error: 'Too Many Requests', message: 'Rate limiting enforced' });
      expect(refused.headers.get('Retry-After')).toBe(new Date(now() + 10_000).toUTCString());
      expect(refused.headers.get('Retry-After')).toMatch(
        /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
      );
      expect(refused.headers.get('X-RateLimit-Limit')).toBe('3');
      expect([sandbox.accepted, sandbox.rejected, sandbox.maxInWindow()]).toEqual([3, 1, 3]);
      advance(10_000);
      expect((await get(token)).status).toBe(200);
    },
  );

  it('finds products only by lower-cased SKU, as X-Series asks callers to send them', async () => {
    const { refresh, get } = harness();
    const token = (await refresh(SANDBOX_CREDENTIALS.refreshToken)).body.access_token!;
    const found = async (sku: string) =>
      ((await (await get(token, `/2026-07/search?type=products&sku=${sku}`)).json()) as { data: unknown[] }).data
        .length;
    expect([await found('abc'), await found('ABC')]).toEqual([1, 0]);
  });

  it('pages GET /products by version cursor: after the given version, oldest first, page_size at most', async () => {
    const { refresh, get } = harness();
    const token = (await refresh(SANDBOX_CREDENTIALS.refreshToken)).body.access_token!;
    const page = async (query: string) => {
      const answer = await get(token, `/2026-07/products?${query}`);
      return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
    };
    const first = await page('page_size=2');
    expect(first.body).toEqual({
      data: [expect.objectContaining({ id: 'p-2' }), expect.objectContaining({ id: 'p-3' })],
      version: { min: 10, max: 20 },
    });
    expect((await page('page_size=2&after=20')).body).toEqual({
      data: [expect.objectContaining({ id: 'p-1' })],
      version: { min: 30, max: 30 },
    });
    // The page after the last: no resources, so no version to give (null: the sandbox's reading, unverified).
    expect((await page('page_size=2&after=30')).body).toEqual({ data: [], version: { min: null, max: null } });
    for (const query of ['after=abc', 'page_size=0', 'page_size=2.5'])
      expect((await page(query)).status, query).toBe(400);
  });
});
