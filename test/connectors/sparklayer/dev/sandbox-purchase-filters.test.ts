// The purchase list's "changed since" filter, dates[last_updated][gte] (corrected from the legacy page's typo
// dates[last_updated[gte]), end to end: openapi.json documents it, the fake SparkLayer enforces the documented names
// and date-times and ranges over the date documented responses carry (dates.updated_at; no documented response has a
// dates.last_updated), and the client and the built definition send it through page after page.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SparkLayerApiError } from '../../../../connectors/sparklayer/dev/errors.js';
import {
  DATE_FILTER_FIELDS,
  SANDBOX_BASE_URL,
  SANDBOX_CREDENTIALS,
  SparkLayerSandbox,
  sandboxDataFromFixtures,
} from '../../../../connectors/sparklayer/dev/sandbox.js';
import { mswHandlers } from '../../../../contracts/hosts.js';
import { sandboxEngine } from '../../../../patchworks/runner/systems.js';
import { server } from '../../../support/msw.js';
import { fakeToken, useSparkLayerFake } from '../../../support/sparklayer-fake.js';
import { ROOT } from '../../../support/steps.js';

const GTE = 'dates[last_updated][gte]';
const TYPO = 'dates[last_updated[gte]';

type Purchase = { type?: string; dates?: Record<string, string | undefined> };
const updatedAt = (purchase: unknown) => (purchase as Purchase).dates?.updated_at;
const placedAt = (purchase: unknown) => (purchase as Purchase).dates?.placed_at;

const fixtureData = await sandboxDataFromFixtures(ROOT);
const { fake, client } = useSparkLayerFake();

/** GET /api/v1/purchases with these query parameters, straight at the fake (no client in between). */
async function list(
  query: Record<string, string> | Array<[string, string]>,
): Promise<{ status: number; type: string | null; body: any }> {
  const url = new URL('/api/v1/purchases', SANDBOX_BASE_URL);
  for (const [name, value] of Array.isArray(query) ? query : Object.entries(query))
    url.searchParams.append(name, value);
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${await fakeToken()}`, 'site-id': SANDBOX_CREDENTIALS.siteId },
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: text === '' ? undefined : JSON.parse(text),
  };
}

const purchaseCalls = () =>
  fake().calls.filter((call) => call === 'GET /api/v1/purchases' || call.startsWith('GET /api/v1/purchases?'));

describe('openapi.json: the purchase list filters', () => {
  it(
    'documents dates[last_updated][gte], marked unverified with the legacy typo cited, ' + 'and not the typo itself',
    async () => {
      const api = JSON.parse(await readFile(path.join(ROOT, 'connectors/sparklayer/openapi.json'), 'utf8'));
      const parameters = api.paths['/api/v1/purchases'].get.parameters as Array<{
        name?: string;
        description?: string;
      }>;
      const names = parameters.map((parameter) => parameter.name);
      expect(names).toContain(GTE);
      expect(names).not.toContain(TYPO);
      const description = parameters.find((parameter) => parameter.name === GTE)?.description ?? '';
      expect(description).toContain('UNVERIFIED');
      expect(description).toContain(`${TYPO} (sic)`);
      expect(description).toContain('https://docs.sparklayer.io/tech-docs/gm4P-get-purchase');
      expect(description).toContain('https://docs.sparklayer.io/developers/api/purchasing/get-purchases');
      expect(description).toContain('ISO 8601');
    },
  );
});

describe('the fake SparkLayer: GET /api/v1/purchases date filters', () => {
  it('serves purchases dated as the documented ones: dates.updated_at to filter on, no legacy last_updated', () => {
    expect(fixtureData.purchases.length).toBeGreaterThan(2);
    for (const purchase of fixtureData.purchases) {
      expect(Number.isNaN(Date.parse(updatedAt(purchase) ?? ''))).toBe(false);
      expect(Object.keys((purchase as Purchase).dates!)).not.toContain('last_updated');
      expect(Object.keys((purchase as Purchase).dates!)).not.toContain('placed');
    }
  });

  it('ranges each documented date filter over a date openapi.json documents on a purchase', async () => {
    const api = JSON.parse(await readFile(path.join(ROOT, 'connectors/sparklayer/openapi.json'), 'utf8'));
    const dateKeys = Object.keys(api.components.schemas.PurchaseDates.properties);
    const filtered = (api.paths['/api/v1/purchases'].get.parameters as Array<{ name?: string }>)
      .map((parameter) => /^dates\[(\w+)\]/.exec(parameter.name ?? '')?.[1])
      .filter((key) => key !== undefined);
    expect(new Set(filtered)).toEqual(new Set(['last_updated', 'placed']));
    expect(DATE_FILTER_FIELDS).toEqual({ last_updated: 'updated_at', placed: 'placed_at' });
    for (const key of filtered) expect(dateKeys).toContain(DATE_FILTER_FIELDS[key!]);
  });

  it('filters dates[last_updated] on dates.updated_at: only the legacy key matches no range', async () => {
    const dated = new SparkLayerSandbox({
      ...fixtureData,
      purchases: [
        {
          type: 'order',
          purchase_identifiers: { sparklayer: 'documented' },
          dates: { updated_at: '2026-11-22T08:40:00+00:00' },
        },
        {
          type: 'order',
          purchase_identifiers: { sparklayer: 'legacy' },
          dates: { last_updated: '2026-11-22T08:40:00+00:00' },
        },
        {
          type: 'order',
          purchase_identifiers: { sparklayer: 'both' },
          dates: { updated_at: '2026-11-22T08:40:00+00:00', last_updated: '2026-11-01T00:00:00+00:00' },
        },
      ],
    });
    server.use(...mswHandlers(SANDBOX_BASE_URL, dated));
    const since = await list({ [GTE]: '2026-11-22T08:30:00Z' });
    expect(
      since.body.map((p: { purchase_identifiers: { sparklayer: string } }) => p.purchase_identifiers.sparklayer),
    ).toEqual(['documented', 'both']);
    expect((await list({ 'dates[last_updated][lte]': '2026-11-02T00:00:00Z' })).body).toEqual([]);
  });

  it('returns only the purchases updated at or after the gte instant, the instant itself included', async () => {
    const stamps = fixtureData.purchases.map((p) => Date.parse(updatedAt(p)!)).sort((a, b) => a - b);
    const since = new Date(stamps[2]!).toISOString();
    const answer = await list({ [GTE]: since });
    expect(answer.status).toBe(200);
    const expected = fixtureData.purchases.filter((p) => Date.parse(updatedAt(p)!) >= stamps[2]!);
    expect(answer.body).toEqual(expected);
    expect(answer.body.length).toBeGreaterThan(0);
    expect(answer.body.length).toBeLessThan(fixtureData.purchases.length);
  });

  it('compares instants, not strings: the same instant in another offset selects the same purchases', async () => {
    const utc = await list({ [GTE]: '2026-11-21T14:25:41Z' });
    const plusTwo = await list({ [GTE]: '2026-11-21T16:25:41+02:00' });
    expect(utc.status).toBe(200);
    expect(plusTwo.body).toEqual(utc.body);
    expect(utc.body.map(updatedAt)).toEqual([
      '2026-11-21T14:25:41+00:00',
      '2026-11-21T15:02:00+00:00',
      '2026-11-22T07:45:19+00:00',
    ]);
  });

  it('combines gte and lte into a range, and with type', async () => {
    const range = await list({ [GTE]: '2026-11-21T00:00:00Z', 'dates[last_updated][lte]': '2026-11-21T23:59:59Z' });
    expect(range.body.map(updatedAt)).toEqual([
      '2026-11-21T08:30:00+00:00',
      '2026-11-21T14:25:41+00:00',
      '2026-11-21T15:02:00+00:00',
    ]);
    const quotes = await list({ [GTE]: '2026-11-21T00:00:00Z', type: 'quote' });
    expect(quotes.body.map((p: Purchase) => p.type)).toEqual(['quote']);
  });

  it(
    'filters dates[placed][gte|lte] on dates.placed_at, ' + 'and a purchase with no such date matches no range on it',
    async () => {
      const placedSince = await list({ 'dates[placed][gte]': '2026-11-01T00:00:00Z' });
      expect(placedSince.status).toBe(200);
      const withPlaced = fixtureData.purchases.filter((p) => placedAt(p) !== undefined);
      expect(withPlaced.length).toBeLessThan(fixtureData.purchases.length);
      expect(placedSince.body).toEqual(withPlaced);
      const placedBy = await list({ 'dates[placed][lte]': '2026-11-21T00:00:00Z' });
      expect(placedBy.body.map(placedAt)).toEqual(['2026-11-20T09:15:02+00:00']);

      const undated = new SparkLayerSandbox({
        ...fixtureData,
        purchases: [{ type: 'cart', dates: {} }, { type: 'cart' }],
      });
      server.use(...mswHandlers(SANDBOX_BASE_URL, undated));
      expect((await list({ [GTE]: '2000-01-01T00:00:00Z' })).body).toEqual([]);
      expect((await list({ 'dates[last_updated][lte]': '2999-01-01T00:00:00Z' })).body).toEqual([]);
      expect((await list({})).body).toHaveLength(2);
    },
  );

  it('refuses the typo dates[last_updated[gte] with a 400 problem naming it and the accepted parameters', async () => {
    const answer = await list({ [TYPO]: '2026-11-21T00:00:00Z' });
    expect(answer.status).toBe(400);
    expect(answer.type).toContain('application/problem+json');
    expect(answer.body).toMatchObject({
      status: 400,
      title: expect.any(String),
      errors: [{ code: expect.any(String), message: expect.any(String), property: TYPO }],
    });
    expect(answer.body.detail).toContain(TYPO);
    for (const accepted of [
      'limit',
      'offset',
      'type',
      GTE,
      'dates[last_updated][lte]',
      'dates[placed][gte]',
      'dates[placed][lte]',
    ]) {
      expect(answer.body.detail).toContain(accepted);
    }
  });

  it('refuses any parameter openapi.json does not list for the operation, read from the document', async () => {
    const api = JSON.parse(await readFile(path.join(ROOT, 'connectors/sparklayer/openapi.json'), 'utf8'));
    const documented = (api.paths['/api/v1/purchases'].get.parameters as Array<{ name?: string; in?: string }>)
      .filter((parameter) => parameter.in === 'query')
      .map((parameter) => parameter.name!);
    for (const name of documented) {
      const value =
        name === 'limit' ? '5' : name === 'offset' ? '0' : name.startsWith('dates[') ? '2026-11-21T00:00:00Z' : 'x';
      expect((await list({ [name]: value })).status, name).toBe(200);
    }
    for (const name of ['page', 'dates[updated_at][gte]', 'status', 'Type']) {
      const answer = await list({ [name]: '1' });
      expect(answer.status, name).toBe(400);
      expect(answer.body.errors, name).toEqual([expect.objectContaining({ property: name })]);
    }
  });

  it.each([
    ['not a date', 'yesterday'],
    ['a date without a time', '2026-11-21'],
    ['a date-time without an offset', '2026-11-21T10:00:00'],
    ['an impossible day', '2026-02-30T00:00:00Z'],
    ['an impossible hour', '2026-11-21T25:00:00Z'],
    ['a Unix timestamp', '1795305600'],
    ['an empty value', ''],
  ])('refuses %s (%j) with a 400 problem naming the parameter', async (_what, value) => {
    const answer = await list({ [GTE]: value });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      status: 400,
      errors: [{ code: expect.any(String), message: expect.any(String), property: GTE }],
    });
    expect(answer.body.detail).toContain(GTE);
    expect(answer.body.detail).toContain('ISO 8601');
  });

  it('accepts ISO 8601 date-times with fractions and Z or numeric offsets', async () => {
    for (const value of [
      '2026-11-21T14:25:41.000Z',
      '2026-11-21T14:25Z',
      '2026-11-21T09:25:41-05:00',
      '2026-11-21t14:25:41z',
    ]) {
      const answer = await list({ [GTE]: value });
      expect(answer.status, value).toBe(200);
      expect(answer.body.map(updatedAt), value).toEqual([
        '2026-11-21T14:25:41+00:00',
        '2026-11-21T15:02:00+00:00',
        '2026-11-22T07:45:19+00:00',
      ]);
    }
  });

  it('still pages with limit and offset over the filtered list, and still plays queued faults', async () => {
    const since = '2026-11-21T00:00:00Z';
    const first = await list({ [GTE]: since, limit: '2', offset: '0' });
    const second = await list({ [GTE]: since, limit: '2', offset: '2' });
    expect(first.body.map(updatedAt)).toEqual(['2026-11-21T08:30:00+00:00', '2026-11-21T14:25:41+00:00']);
    expect(second.body.map(updatedAt)).toEqual(['2026-11-21T15:02:00+00:00', '2026-11-22T07:45:19+00:00']);
    expect((await list({ limit: '501' })).status).toBe(400);

    fake().failNext('GET /api/v1/purchases', { status: 503 });
    expect((await list({ [GTE]: since })).status).toBe(503);
    expect((await list({ [GTE]: since })).status).toBe(200);
  });
});

describe('the SparkLayer client: purchasePages with the changed-since filter', () => {
  it('sends dates[last_updated][gte] as named, page after page, and gets only purchases updated since', async () => {
    const since = '2026-11-21T00:00:00Z';
    const pages = [];
    for await (const page of client().purchasePages({ [GTE]: since }, 2)) pages.push(page);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 0]);
    const updated = pages.flat().map(updatedAt);
    expect(updated).toEqual([
      '2026-11-21T08:30:00+00:00',
      '2026-11-21T14:25:41+00:00',
      '2026-11-21T15:02:00+00:00',
      '2026-11-22T07:45:19+00:00',
    ]);
    expect(purchaseCalls()).toHaveLength(3);
    for (const [index, call] of purchaseCalls().entries()) {
      const query = new URLSearchParams(call.slice(call.indexOf('?') + 1));
      expect(query.get(GTE), call).toBe(since);
      expect(query.has(TYPO), call).toBe(false);
      expect(query.get('limit'), call).toBe('2');
      expect(query.get('offset'), call).toBe(String(index * 2));
    }
  });

  it('stops at the first short page: one call when everything since fits in a page', async () => {
    const all = await client().getAllPurchases({ [GTE]: '2026-11-22T00:00:00Z' });
    expect(all.map(updatedAt)).toEqual(['2026-11-22T07:45:19+00:00']);
    expect(purchaseCalls()).toHaveLength(1);
  });

  it('fails with the problem when asked for the typo, naming it, and does not retry the 400', async () => {
    const error = await client()
      .getAllPurchases({ [TYPO]: '2026-11-21T00:00:00Z' })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(SparkLayerApiError);
    expect((error as SparkLayerApiError).details).toMatchObject({
      status: 400,
      fieldErrors: [expect.objectContaining({ property: TYPO })],
    });
    expect((error as Error).message).toContain(TYPO);
    expect(purchaseCalls()).toHaveLength(1);
  });

  it('lets a blueprint set dates[last_updated][gte] on getPurchases, and never sends the typo', async () => {
    // The engine on the built definitions, its SparkLayer instance on this test's fake.
    const engine = await sandboxEngine(ROOT, async () => undefined);
    // The built definition offers the documented name only: a shape variable with any other name is not sent.
    const offered = engine.endpoint('sparklayer', 'getPurchases').variables.map((variable) => variable.pivot.alias);
    expect(offered).toContain(GTE);
    expect(offered).not.toContain(TYPO);
    const getPurchases = (variables: Record<string, string>) =>
      engine.call({
        connector: 'sparklayer',
        operationId: 'getPurchases',
        variables: { limit: '5', ...variables },
        body: '',
        retries: 0,
        allowUnsuccessfulStatuses: false,
        timeoutSeconds: 30,
      });
    const since = await getPurchases({ [GTE]: '2026-11-22T00:00:00Z' });
    expect(since.pages.flatMap((page) => JSON.parse(page) as unknown[]).map(updatedAt)).toEqual([
      '2026-11-22T07:45:19+00:00',
    ]);
    expect(purchaseCalls()).toHaveLength(1);
    await getPurchases({ [TYPO]: '2026-11-22T00:00:00Z' });
    const sent = purchaseCalls().slice(1);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((call) => call.includes('last_updated'))).toEqual([]);
  });
});
