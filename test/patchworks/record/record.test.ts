/**
 * `npm run record -- sparklayer --out DIR` against a SparkLayer-compatible server: a fake SparkLayer on
 * 127.0.0.1, with a 429, a 503 and a token that expires mid-run, and personal data in its records.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PURCHASE_TYPES } from '../../../connectors/sparklayer/purchase.js';
import { SparkLayerSandbox, sandboxDataFromFixtures } from '../../../connectors/sparklayer/dev/sandbox.js';
import { fixtureFileSchema } from '../../../contracts/fixtures.js';
import { serveOnLoopback } from '../../../contracts/hosts.js';
import { purchase } from '../../support/purchases.js';
import { ROOT } from '../../support/steps.js';

const credentials = { siteId: 'rec-site', clientId: 'rec-client-id', clientSecret: 'rec-client-secret-9f8e7d' };
const PERSONAL = ['Oakfield', 'harriet.oakfield@birchwood-interiors.co.uk', '07700 900461', '3 Tannery Yard'];

const fixtures = await sandboxDataFromFixtures(ROOT);
const primary = fixtures.customers.find((c) => !c.parent_customer_id)!;
const customer = {
  ...primary,
  email: PERSONAL[1],
  first_name: 'Harriet',
  last_name: 'Oakfield',
  addresses: [
    {
      first_name: 'Harriet',
      last_name: 'Oakfield',
      address_line1: PERSONAL[3],
      city: 'York',
      phone: PERSONAL[2],
      country_code: 'GB',
    },
  ],
};
// 1,100 orders (three pages of 500) and a few of every other type, all placed by the customer above.
const purchases = PURCHASE_TYPES.flatMap((type) =>
  Array.from({ length: type === 'order' ? 1_100 : 3 }, (_, i) =>
    purchase({
      id: `${type}-${i}`,
      type,
      fields: {
        customer_identifiers: { sparklayer: primary.id },
        billing_address: { address_line1: PERSONAL[3], city: 'York', country_code: 'GB' },
      },
    }),
  ),
);

let sandbox: SparkLayerSandbox;
let host: Awaited<ReturnType<typeof serveOnLoopback>>;
let outDir: string;
let run: { code: number | null; stderr: string };

beforeAll(async () => {
  sandbox = new SparkLayerSandbox(
    { ...fixtures, purchases, customers: [customer, ...fixtures.customers.slice(1)] },
    credentials,
  );
  sandbox.failNext('GET /api/v1/purchases', { status: 429, headers: { 'Retry-After': '1' } });
  sandbox.failNext('GET /api/v1/purchases', { status: 503 });
  sandbox.expireTokensAtCall(8);
  host = await serveOnLoopback(sandbox);
  outDir = await mkdtemp(path.join(tmpdir(), 'record-'));
  run = await new Promise((resolve) => {
    const child = spawn('npm', ['run', 'record', '--', 'sparklayer', '--out', outDir], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        SPARKLAYER_BASE_URL: host.url,
        SPARKLAYER_SITE_ID: credentials.siteId,
        SPARKLAYER_CLIENT_ID: credentials.clientId,
        SPARKLAYER_CLIENT_SECRET: credentials.clientSecret,
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}, 120_000);

afterAll(() => host?.close());

async function written(): Promise<Array<{ file: string; text: string }>> {
  const files = (await readdir(outDir, { recursive: true })).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(path.join(outDir, file), 'utf8') })));
}

describe('npm run record -- sparklayer', () => {
  it('finishes through a 429, a 503 and an expired token', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(sandbox.calls.filter((c) => c.startsWith('POST /api/auth/token'))).toHaveLength(2);
    expect(run.stderr).toContain('HTTP 429; retry 1 of 5 in 1000 ms');
    expect(run.stderr).toContain('HTTP 503; retry 2 of 5');
  });

  it('records every purchase of every type, over several pages', async () => {
    for (const type of PURCHASE_TYPES) {
      const fixture = fixtureFileSchema.parse(
        JSON.parse(await readFile(path.join(outDir, `purchases/list.${type}.json`), 'utf8')),
      );
      const ids = (fixture.body as Array<{ purchase_identifiers: { sparklayer: string } }>).map(
        (p) => p.purchase_identifiers.sparklayer,
      );
      expect(ids).toEqual(
        purchases
          .filter((p) => p.type === type)
          .map((p) => (p.purchase_identifiers as { sparklayer: string }).sparklayer),
      );
    }
    // The first request met the 429 and the 503 before it was answered.
    expect([...new Set(sandbox.calls.filter((c) => c.startsWith('GET /api/v1/purchases?type=order&')))]).toEqual([
      'GET /api/v1/purchases?type=order&limit=500&offset=0',
      'GET /api/v1/purchases?type=order&limit=500&offset=500',
      'GET /api/v1/purchases?type=order&limit=500&offset=1000',
    ]);
  });

  it('records the price lists and the customers behind the purchases, each with provenance', async () => {
    const files = await written();
    expect(files.map((f) => f.file)).toEqual(
      expect.arrayContaining([
        'price-lists/list.all.json',
        'customers/get.1.json',
        ...PURCHASE_TYPES.map((t) => `purchases/list.${t}.json`),
      ]),
    );
    for (const { text } of files) {
      const { provenance } = fixtureFileSchema.parse(JSON.parse(text));
      expect(provenance).toMatchObject({
        origin: 'recorded',
        environment: 'custom',
        baseUrl: host.url,
        sanitiser: 'pack-sanitiser/1',
      });
    }
  });

  it('writes no personal data and no credential', async () => {
    const everything = (await written()).map((f) => f.text).join('\n') + run.stderr;
    for (const value of [...PERSONAL, credentials.clientSecret, 'sandbox-token-'])
      expect(everything).not.toContain(value);
  });
});
