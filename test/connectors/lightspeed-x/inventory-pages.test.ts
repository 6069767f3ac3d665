// The ListInventoryRecords pagination script: the rule (next request from the request and the page), and the built
// bundle dist/scripts/lightspeed-x-inventory-pages.js as Patchworks runs it, on a real Node 18 (`npm test` builds
// first).
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import inventoryPages, {
  INVENTORY_PAGES_SCRIPT,
  nextInventoryPage,
  type PageRequest,
} from '../../../connectors/lightspeed-x/inventory-pages.js';
import { inventoryRequest } from '../../../connectors/lightspeed-x/stock-reader.js';
import { findNode18, NODE18_PLATFORM_SUPPORTED, runBundle } from '../../../patchworks/runner/run-bundle.js';

const ROOT = process.cwd();
const request: PageRequest = {
  url: 'https://example.retail.lightspeed.app/api/2026-07/inventory',
  method: 'POST',
  headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
  body: JSON.stringify(inventoryRequest({ size: 2 })),
};
const record = (version: unknown) => ({ id: `r-${String(version)}`, product_id: 'p1', version });
const input = (page: unknown, body = request.body) =>
  JSON.stringify({
    request: { ...request, body },
    response: { headers: { 'content-type': 'application/json' }, status_code: 200 },
    payload: page,
  });

describe('nextInventoryPage', () => {
  it('asks again with the same url, method, headers and body, after = the highest version of the page', () => {
    const next = nextInventoryPage(request, [record(7), record(12), record(9)]);
    expect(next).toEqual({
      has_next_page: true,
      url: request.url,
      method: 'POST',
      headers: request.headers,
      body: JSON.stringify({ size: 2, include_deleted: true, sort_direction: 'asc', after: 12 }),
    });
    // The next page moves the cursor on from the one it was asked after.
    const third = nextInventoryPage(next, [record(13), record(20)]);
    expect(JSON.parse(third.body)).toEqual({ size: 2, include_deleted: true, sort_direction: 'asc', after: 20 });
  });

  it('reads the page as the answer text or already parsed, alike', () => {
    const page = [record(3), record(4)];
    expect(nextInventoryPage(request, JSON.stringify(page))).toEqual(nextInventoryPage(request, page));
  });

  it('stops on an empty page, and on a page whose records carry no version', () => {
    expect(nextInventoryPage(request, [])).toEqual({ ...request, has_next_page: false });
    expect(nextInventoryPage(request, '[]').has_next_page).toBe(false);
    expect(nextInventoryPage(request, [{ id: 'r' }, { id: 's', version: null }]).has_next_page).toBe(false);
  });

  it('fails on a page that does not pass the version it was asked after: it would loop', () => {
    const after10 = JSON.stringify(inventoryRequest({ size: 2, after: 10 }));
    expect(() => nextInventoryPage({ ...request, body: after10 }, [record(8), record(10)])).toThrow(
      `${INVENTORY_PAGES_SCRIPT}: the page read after version 10 holds no later version (the highest is 10); ` +
        'asking again would read the same page forever',
    );
  });

  it('fails, naming what and where, on a page or body it cannot read', () => {
    expect(() => nextInventoryPage(request, '{"data": [')).toThrow(
      `${INVENTORY_PAGES_SCRIPT}: the page (payload.payload) is not JSON (starts "{\\"data\\": [")`,
    );
    expect(() => nextInventoryPage(request, { data: [] })).toThrow(
      `${INVENTORY_PAGES_SCRIPT}: the page (payload.payload) is an object, not the array of inventory records`,
    );
    expect(() => nextInventoryPage({ ...request, body: '[1]' }, [record(1)])).toThrow(
      `${INVENTORY_PAGES_SCRIPT}: the request body (payload.request.body) is an array, not a JSON object`,
    );
    expect(() => nextInventoryPage({ ...request, body: 'size=2' }, [record(1)])).toThrow(
      'the request body (payload.request.body) is not JSON',
    );
    expect(() => nextInventoryPage(request, [record('12')])).toThrow('version "12" is not a whole number');
  });
});

describe('the handler', () => {
  it('returns the data with the next request as its payload text', async () => {
    const data = { payload: input(JSON.stringify([record(5)])), meta: { run: 'x' } };
    const result = await inventoryPages(data);
    expect(result.meta).toEqual({ run: 'x' });
    expect(JSON.parse(result.payload!)).toMatchObject({
      has_next_page: true,
      body: expect.stringContaining('"after":5'),
    });
  });

  it('fails, naming the payload, on input that is not the pagination input', async () => {
    await expect(inventoryPages({ payload: null })).rejects.toThrow(
      `${INVENTORY_PAGES_SCRIPT}: payload is null, not the pagination input`,
    );
    await expect(inventoryPages({ payload: 'page 2' })).rejects.toThrow(
      `${INVENTORY_PAGES_SCRIPT}: payload is not JSON`,
    );
    await expect(inventoryPages({ payload: '{"payload": []}' })).rejects.toThrow(
      `${INVENTORY_PAGES_SCRIPT}: payload.request is undefined, not the request sent`,
    );
  });
});

const node18 = findNode18(ROOT);
const bundle = path.join(ROOT, 'dist', 'scripts', `${INVENTORY_PAGES_SCRIPT}.js`);

describe.skipIf('missing' in node18 && !NODE18_PLATFORM_SUPPORTED)(`dist/scripts/${INVENTORY_PAGES_SCRIPT}.js`, () => {
  it('requires nothing but Node built-ins and reads no environment variable', () => {
    const source = readFileSync(bundle, 'utf8');
    const required = [...source.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]!);
    expect(required.filter((id) => !id.startsWith('node:') && !builtinModules.includes(id))).toEqual([]);
    expect(source).not.toMatch(/process\.env/);
  });

  it('is module.exports on Node 18 and gives the in-process answer, the page as text or parsed', async () => {
    if ('missing' in node18) throw new Error(node18.missing);
    for (const page of [JSON.stringify([record(5), record(6)]), [record(5), record(6)], '[]']) {
      const data = { payload: input(page), meta: { run: 'artefact' } };
      const run = await runBundle(node18.path, bundle, data);
      expect(run.node).toMatch(/^v18\./);
      expect(run.exportType).toBe('function');
      expect(run.error).toBeUndefined();
      expect(run.result).toEqual(await inventoryPages(structuredClone(data)));
    }
    const looping = await runBundle(node18.path, bundle, {
      payload: input([record(10)], JSON.stringify(inventoryRequest({ size: 2, after: 10 }))),
    });
    expect(looping.error).toMatch(new RegExp(`^${INVENTORY_PAGES_SCRIPT}: the page read after version 10`));
  });
});
