// The connection engine on the built definitions (dist/connectors/) against the sandbox's fakes: a POST that reads
// (NetSuite's SuiteQL) runs as the Receive it is exported as: its query sent on every page, paged by limit and offset,
// Prefer: transient and NetSuite's OAuth 1 signature on each request, the rows output one payload a page. "Next page
// token" (X-Series' version cursor): the token read at its path sent as its URL parameter, to a page without one.
// "Script" (X-Series' inventory records, whose cursor is in the body): the built pagination script, on Node 18, gives
// each next request, to the page after which it says there is none.
import { describe, expect, it } from 'vitest';
import { NETSUITE_STOCK_QUERY } from '../../../connectors/netsuite/stock-reader.js';
import { inventoryRequest } from '../../../connectors/lightspeed-x/stock-reader.js';
import {
  ConnectionEngine,
  type ConnectionRequest,
  type EngineOptions,
} from '../../../patchworks/runner/connection-engine.js';
import {
  createSandbox,
  pageScriptSettings,
  sandboxInstances,
  sandboxOrigins,
} from '../../../patchworks/runner/systems.js';
import { openApiFile, PACK_SYSTEMS } from '../../../patchworks/systems/registry.js';
import { ROOT } from '../../support/flow-harness.js';
import { server } from '../../support/msw.js';

async function sandbox() {
  const created = await createSandbox(ROOT);
  server.use(...created.handlers);
  return created;
}

const suiteql = (limit: string, q = NETSUITE_STOCK_QUERY): ConnectionRequest => ({
  connector: 'netsuite',
  operationId: 'runSuiteQL',
  variables: { limit },
  body: JSON.stringify({ q }),
  retries: 0,
  allowUnsuccessfulStatuses: false,
  timeoutSeconds: 30,
});

/** What reached the NetSuite fake's SuiteQL route: each request's Prefer, signature scheme and body. */
function watchSuiteQL() {
  const seen: Array<{ prefer: string | null; oauth: boolean; body: Promise<string> }> = [];
  const listener = ({ request }: { request: Request }) => {
    if (!request.url.includes('/query/v1/suiteql')) return;
    seen.push({
      prefer: request.headers.get('prefer'),
      oauth: (request.headers.get('authorization') ?? '').startsWith('OAuth realm='),
      body: request.clone().text(),
    });
  };
  server.events.on('request:start', listener);
  return { seen, stop: () => server.events.removeListener('request:start', listener) };
}

describe('the connection engine, a POST that reads (NetSuite SuiteQL)', () => {
  it('runs SuiteQL as a Receive: paged by limit and offset to a short page, the query and Prefer on each', async () => {
    const { engine } = await sandbox();
    expect(engine.endpoint('netsuite', 'runSuiteQL')).toMatchObject({ direction: 'Receive', http_method: 'POST' });
    const watch = watchSuiteQL();
    const result = await engine.call(suiteql('3')).finally(watch.stop);

    expect(result).toMatchObject({ direction: 'Receive', status: 200, unsuccessful: false });
    expect(result).not.toHaveProperty('outcome');
    // The fixture's seven rows: 3, 3, then a short page of 1 (hasMore false) ends it.
    const pages = result.pages.map((page) => JSON.parse(page) as Array<{ item: string; location: string }>);
    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toContainEqual(expect.objectContaining({ item: '98', location: '2' }));
    expect(
      engine.sent.filter((r) => r.connector === 'netsuite').map((r) => [r.method, new URL(r.url).search, r.status]),
    ).toEqual([
      ['POST', '?limit=3&offset=0', 200],
      ['POST', '?limit=3&offset=3', 200],
      ['POST', '?limit=3&offset=6', 200],
    ]);
    // Each page: Prefer: transient (the authentication's header), a valid OAuth 1 signature (the fake checks it), and
    // the flow's payload, the query, as the body.
    expect(watch.seen.map(({ prefer, oauth }) => [prefer, oauth])).toEqual(Array(3).fill(['transient', true]));
    for (const { body } of watch.seen) expect(JSON.parse(await body)).toEqual({ q: NETSUITE_STOCK_QUERY });
  });

  it('stops on hasMore false when the last page is full', async () => {
    const { engine } = await sandbox();
    const result = await engine.call(suiteql('7'));
    expect(result.pages.map((page) => (JSON.parse(page) as unknown[]).length)).toEqual([7]);
    expect(engine.sent.filter((r) => r.connector === 'netsuite')).toHaveLength(1);
  });

  it("fails on NetSuite's refusal of the query, in NetSuite's words", async () => {
    const { engine } = await sandbox();
    await expect(engine.call(suiteql('3', 'DELETE FROM item'))).rejects.toThrow(
      'HTTP 400 Invalid search query. Only a SELECT query can run. ' +
        '(POST /services/rest/query/v1/suiteql?limit=3&offset=0)',
    );
  });
});

const listProducts = (pageSize: string): ConnectionRequest => ({
  connector: 'lightspeed-x',
  operationId: 'ListProducts',
  variables: { page_size: pageSize, deleted: 'true' },
  body: '',
  retries: 0,
  allowUnsuccessfulStatuses: false,
  timeoutSeconds: 30,
});

/** The `after` of each ListProducts request the engine sent (null on the first). */
const afters = (engine: Awaited<ReturnType<typeof sandbox>>['engine']) =>
  engine.sent
    .filter((r) => r.connector === 'lightspeed-x' && new URL(r.url).pathname.endsWith('/products'))
    .map((r) => new URL(r.url).searchParams.get('after'));

describe('the connection engine, "Next page token" (X-Series ListProducts: after = version.max)', () => {
  it("sets after to each page's version.max, and stops on the empty page whose version.max is null", async () => {
    const { engine, fakes } = await sandbox();
    expect(engine.endpoint('lightspeed-x', 'ListProducts').pagination_method).toBe('Next page token');
    const result = await engine.call(listProducts('2'));

    const pages = result.pages.map((page) => JSON.parse(page) as Array<{ id: string; version: number }>);
    const latest = new Map(fakes.lightspeedX.products.map((p) => [p.id, p])).size;
    // Full pages of 2, the rest, then the empty page that ends it (one payload a page, the empty one too).
    expect(pages.map((page) => page.length)).toEqual([
      ...Array<number>(Math.floor(latest / 2)).fill(2),
      ...(latest % 2 === 1 ? [1] : []),
      0,
    ]);
    expect(new Set(pages.flat().map((product) => product.id)).size).toBe(latest);
    const maxima = pages.slice(0, -1).map((page) => String(Math.max(...page.map((product) => product.version))));
    expect(afters(engine)).toEqual([null, ...maxima]);
  });

  it.each([
    ['has no version at all', {}],
    ['has an empty version.max', { version: { min: '', max: '' } }],
  ])('stops when the answer %s', async (_, version) => {
    const { engine, faults } = await sandbox();
    faults.lightspeedX.add('GET /2026-07/products', {
      status: 200,
      body: { data: [{ id: 'p1', version: 7 }], ...version },
    });
    const result = await engine.call(listProducts('2'));
    expect(result.pages).toEqual([JSON.stringify([{ id: 'p1', version: 7 }])]);
    expect(afters(engine)).toEqual([null]);
  });

  it('fails the shape, naming the endpoint, on a token that does not advance', async () => {
    const { engine, faults } = await sandbox();
    const page = { status: 200, body: { data: [{ id: 'p1', version: 7 }], version: { min: 7, max: 7 } } };
    faults.lightspeedX.add('GET /2026-07/products', page, { times: 2 });
    await expect(engine.call(listProducts('2'))).rejects.toThrow(
      '"List products": the next page token (version.max) is 7 again, the page just read; stopping rather than ' +
        'reading it forever',
    );
    expect(afters(engine)).toEqual([null, '7']);
  });
});

const listInventoryRecords = (size: number): ConnectionRequest => ({
  connector: 'lightspeed-x',
  operationId: 'ListInventoryRecords',
  variables: {},
  body: JSON.stringify(inventoryRequest({ size })),
  retries: 0,
  allowUnsuccessfulStatuses: false,
  timeoutSeconds: 30,
});

/** The JSON body of each POST /inventory that reached the X-Series fake. */
function watchInventory() {
  const bodies: Array<Promise<string>> = [];
  const listener = ({ request }: { request: Request }) => {
    if (request.method === 'POST' && new URL(request.url).pathname.endsWith('/2026-07/inventory'))
      bodies.push(request.clone().text());
  };
  server.events.on('request:start', listener);
  return {
    bodies: async () => (await Promise.all(bodies)).map((body) => JSON.parse(body) as Record<string, unknown>),
    stop: () => server.events.removeListener('request:start', listener),
  };
}

/** An engine on the sandbox's fakes with its own pagination scripts and page cap. */
async function engineWith(options: Pick<EngineOptions, 'pageScripts' | 'maxPages'>) {
  await sandbox();
  return ConnectionEngine.fromDist(ROOT, sandboxInstances(PACK_SYSTEMS), {
    origins: sandboxOrigins(PACK_SYSTEMS),
    pageScripts: options.pageScripts ?? pageScriptSettings(ROOT, PACK_SYSTEMS),
    openApiFiles: Object.fromEntries(PACK_SYSTEMS.map((system) => [system.key, openApiFile(system)])),
    ...(options.maxPages === undefined ? {} : { maxPages: options.maxPages }),
  });
}

describe('the connection engine, "Script" (X-Series ListInventoryRecords: a body after = the highest version)', () => {
  it('runs the built pagination script after each page and sends the body it returns, to the empty page', async () => {
    const { engine, fakes } = await sandbox();
    expect(engine.endpoint('lightspeed-x', 'ListInventoryRecords')).toMatchObject({
      pagination_method: 'Script',
      direction: 'Receive',
      http_method: 'POST',
    });
    const watch = watchInventory();
    const result = await engine.call(listInventoryRecords(4)).finally(watch.stop);

    const records = fakes.lightspeedX.inventoryRecords;
    const pages = result.pages.map((page) => JSON.parse(page) as Array<{ id: string; version: number }>);
    // Pages of 4, the rest, then the empty page that ends it (one payload a page, the empty one too).
    expect(pages.map((page) => page.length)).toEqual([4, 4, records.length - 8, 0]);
    expect(new Set(pages.flat().map((record) => record.id)).size).toBe(records.length);
    const maxima = pages.slice(0, -1).map((page) => Math.max(...page.map((record) => record.version)));
    const first = { size: 4, include_deleted: true, sort_direction: 'asc' };
    expect(await watch.bodies()).toEqual([first, ...maxima.map((after) => ({ ...first, after }))]);
  });

  it('fails the shape, naming the endpoint, when the read still pages at the cap', async () => {
    const engine = await engineWith({ maxPages: 2 });
    await expect(engine.call(listInventoryRecords(1))).rejects.toThrow(
      '"List inventory records" (POST /api/2026-07/inventory) still has a next page after 2 pages: stopping the read ' +
        'rather than outputting a part of it as the whole',
    );
  });

  it('fails, naming the endpoint, with no script selected or on a script answer it cannot send', async () => {
    const unselected = await engineWith({ pageScripts: {} });
    await expect(unselected.call(listInventoryRecords(4))).rejects.toThrow(
      '"List inventory records" pages by "Script", but no pagination script is selected for it',
    );
    const answering = (payload: string) =>
      engineWith({ pageScripts: { 'lightspeed-x': { ListInventoryRecords: async () => payload } } });
    await expect((await answering('next')).call(listInventoryRecords(4))).rejects.toThrow(
      '"List inventory records": its pagination script returned a payload that is not JSON',
    );
    await expect((await answering('{"url": "x"}')).call(listInventoryRecords(4))).rejects.toThrow(
      '"List inventory records": its pagination script returned no has_next_page (true or false)',
    );
    await expect((await answering('{"has_next_page": true}')).call(listInventoryRecords(4))).rejects.toThrow(
      '"List inventory records": its pagination script\'s next request has no url and method, or a body not text',
    );
  });
});

const listItems = (limit: string): ConnectionRequest => ({
  connector: 'lightspeed-r',
  operationId: 'listItems',
  variables: { limit },
  body: '',
  retries: 0,
  allowUnsuccessfulStatuses: false,
  timeoutSeconds: 30,
});

/** The path and query of each R-Series Item.json request the engine sent. */
const itemReads = (engine: ConnectionEngine) =>
  engine.sent
    .filter((r) => r.connector === 'lightspeed-r' && new URL(r.url).pathname.endsWith('/Item.json'))
    .map((r) => `${new URL(r.url).pathname.replace(/.*\/Account\/[^/]+/, '')}${new URL(r.url).search}`);

describe('the connection engine, "Next Page URL" (R-Series: the next page field @attributes.next)', () => {
  it('reads the next URL at the next page field, a relative "?…" one on the last base, to a page without', async () => {
    const { engine, faults } = await sandbox();
    expect(engine.endpoint('lightspeed-r', 'listItems').pagination_method).toBe('Next Page URL');
    faults.lightspeedR.add('GET /Item.json', {
      status: 200,
      body: { '@attributes': { count: '3', next: '?limit=1&after=A1' }, Item: [{ itemID: '1' }] },
    });
    faults.lightspeedR.add('GET /Item.json', {
      status: 200,
      body: { '@attributes': { count: '3', next: '' }, Item: { itemID: '2' } },
    });
    const result = await engine.call(listItems('1'));
    expect(result.pages).toEqual([JSON.stringify([{ itemID: '1' }]), JSON.stringify({ itemID: '2' })]);
    expect(itemReads(engine)).toEqual(['/Item.json?limit=1', '/Item.json?limit=1&after=A1']);
  });

  it('fails the shape, naming the endpoint, on a next page URL that names the page just read', async () => {
    const { engine, faults } = await sandbox();
    faults.lightspeedR.add('GET /Item.json', {
      status: 200,
      body: { '@attributes': { next: '?limit=1' }, Item: [{ itemID: '1' }] },
    });
    await expect(engine.call(listItems('1'))).rejects.toThrow(
      '"Find items": the next page field (@attributes.next) names the page just read; stopping rather than reading ' +
        'it forever',
    );
  });

  it('fails a "Next Page URL" read whose facts give no next page field', async () => {
    await sandbox();
    const rSeries = PACK_SYSTEMS.find((system) => system.key === 'lightspeed-r')!;
    const engine = await ConnectionEngine.fromDist(ROOT, sandboxInstances(PACK_SYSTEMS), {
      origins: sandboxOrigins(PACK_SYSTEMS),
      facts: { 'lightspeed-r': { ...rSeries.facts, endpoints: {} } },
      openApiFiles: Object.fromEntries(PACK_SYSTEMS.map((system) => [system.key, openApiFile(system)])),
    });
    await expect(engine.call(listItems('1'))).rejects.toThrow(
      '"Find items" pages by "Next Page URL", but no next page field is set for it',
    );
  });
});
