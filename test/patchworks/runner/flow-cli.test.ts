// `npm run flow`: what a consultant types, end to end, in a child process (the pack is built by `npm test` first).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS } from '../../../connectors/sparklayer/dev/sandbox.js';
import { ORDER_QUEUE_CACHE, ORDER_QUEUE_KEY, orderQueueSchema, type OrderQueue } from '../../../model/order-queue.js';
import { serveOnLoopback } from '../../../contracts/hosts.js';
import { createSandbox, liveEngine } from '../../../patchworks/runner/systems.js';
import { EXAMPLE_CLIENT, EXAMPLE_ORDER, ROOT, SAMPLE_ORDER } from '../../support/flow-harness.js';

const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const RUN_DIR = path.join(ROOT, 'dist', 'run', 'example-homewares');
const POOLS_DIR = path.join(RUN_DIR, 'data-pools');
const FLOW = 'sparklayer-orders-to-netsuite';
const POOL_CSV = path.join(POOLS_DIR, 'sparklayer-orders-netsuite.csv');
const CACHES_JSON = path.join(POOLS_DIR, 'caches.json');
const SAMPLE_COMPANY = 'c9d8e7f6-1a2b-4c3d-8e4f-5a6b7c8d9e0f';

function flowCli(...args: string[]) {
  const run = spawnSync(process.execPath, [TSX, 'patchworks/runner/flow-cli.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  return { status: run.status, out: run.stdout, err: run.stderr };
}

/** The same, without blocking this process: a fake it serves on 127.0.0.1 can answer the child. */
function flowCliAsync(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ status: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSX, 'patchworks/runner/flow-cli.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', (status) => resolve({ status, out, err }));
  });
}

/** The order queue the flow kept in dist/run/<client>/data-pools/caches.json, as the next run reads it. */
async function keptQueue(): Promise<OrderQueue> {
  const caches = JSON.parse(await readFile(CACHES_JSON, 'utf8')) as Record<
    string,
    Record<string, Record<string, string[]>>
  >;
  const bodies = caches[`flow:${FLOW}`]![ORDER_QUEUE_CACHE]![ORDER_QUEUE_KEY]!;
  return orderQueueSchema.parse(JSON.parse(bodies.at(-1)!));
}

describe('npm run flow', () => {
  it(
    'keeps the data pools and the flow caches between runs with --keep-pools: the next run pulls only what ' +
      'changed, and books nothing again',
    async () => {
      await rm(POOLS_DIR, { recursive: true, force: true });
      const first = flowCli(FLOW, '--keep-pools');
      expect(first.status, first.err).toBe(0);
      expect(first.out).toContain(`${FLOW}: 9 records in, 2 created, 5 skipped, 2 exceptions (success)`);
      expect(await readFile(POOL_CSV, 'utf8')).toBe(
        `value,entity_type_id\r\n${EXAMPLE_ORDER},1\r\n${SAMPLE_ORDER},1\r\n`,
      );
      // Beside the pools, the flow caches: the order queue, as of the sandbox's clock, with what was not booked.
      const queue = await keptQueue();
      expect(queue.watermark).toBe('2026-11-22T09:00:00.000Z');
      expect(queue.entries.map((entry) => entry.code)).toEqual(['UNKNOWN_PURCHASE_TYPE', 'MISSING_PURCHASE_ID']);

      // The second run reads the kept watermark: it pulls only what changed since the first less the 30-minute overlap.
      const second = flowCli(FLOW, '--keep-pools');
      expect(second.status, second.err).toBe(0);
      expect(second.out).toContain(
        'GET /api/v1/purchases?limit=5&dates%5Blast_updated%5D%5Bgte%5D=2026-11-22T08%3A30%3A00.000Z',
      );
      expect(second.out).toMatch(new RegExp(`${FLOW}: \\d+ records in, 0 created, .* \\(success\\)`));
      expect(second.out).toContain('run report: dist/run/example-homewares/run-report.html');
      expect(await readFile(POOL_CSV, 'utf8')).toBe(
        `value,entity_type_id\r\n${EXAMPLE_ORDER},1\r\n${SAMPLE_ORDER},1\r\n`,
      );
      expect((await keptQueue()).entries.map((entry) => entry.code).sort()).toEqual([
        'MISSING_PURCHASE_ID',
        'UNKNOWN_PURCHASE_TYPE',
      ]);

      // The caches lost (Patchworks keeps them at most 7 days): the look-back pulls every purchase, and the kept pool
      // drops both orders.
      await rm(CACHES_JSON);
      const third = flowCli(FLOW, '--keep-pools');
      expect(third.status, third.err).toBe(0);
      expect(third.out).toContain(`${FLOW}: 9 records in, 0 created, 7 skipped, 2 exceptions (success)`);
      const report = await readFile(path.join(RUN_DIR, 'run-report.html'), 'utf8');
      expect(report).toContain('2 filtered out: already in data pool &#34;sparklayer-orders-netsuite&#34;');
    },
    120_000,
  );

  it(
    '--live --keep-pools reads the kept state but saves none: a write it held is not marked booked, nor ' +
      'cleared from the queue',
    async () => {
      // A sandbox run with the sample order's company left out of the account map: it waits in the queue, unbooked.
      await rm(POOLS_DIR, { recursive: true, force: true });
      const dir = await mkdtemp(path.join(tmpdir(), 'flow-cli-'));
      try {
        const client = JSON.parse(await readFile(EXAMPLE_CLIENT, 'utf8')) as {
          flows: Record<string, { lookups: Record<string, Record<string, string>> }>;
        };
        delete client.flows[FLOW]!.lookups.account_map![SAMPLE_COMPANY];
        const unmapped = path.join(dir, 'client.json');
        await writeFile(unmapped, JSON.stringify(client));
        const seeded = flowCli(FLOW, '--keep-pools', '--client', unmapped);
        expect(seeded.status, seeded.err).toBe(0);
        expect(await readFile(POOL_CSV, 'utf8')).toBe(`value,entity_type_id\r\n${EXAMPLE_ORDER},1\r\n`);
        expect((await keptQueue()).entries.find((entry) => entry.key === SAMPLE_ORDER)).toMatchObject({
          code: 'UNMAPPED_ACCOUNT',
        });
        const before = { pool: await readFile(POOL_CSV, 'utf8'), caches: await readFile(CACHES_JSON, 'utf8') };

        // Live, with the map fixed, against a SparkLayer-compatible server: the queue feeds the sample order in again
        // and the kept pool drops the example order, so the one write is the sample order's, held.
        const sandbox = await createSandbox(ROOT);
        const host = await serveOnLoopback(sandbox.fakes.sparklayer);
        let live: Awaited<ReturnType<typeof flowCliAsync>>;
        try {
          live = await flowCliAsync(
            {
              SPARKLAYER_BASE_URL: host.url,
              SPARKLAYER_SITE_ID: SANDBOX_CREDENTIALS.siteId,
              SPARKLAYER_CLIENT_ID: SANDBOX_CREDENTIALS.clientId,
              SPARKLAYER_CLIENT_SECRET: SANDBOX_CREDENTIALS.clientSecret,
              NETSUITE_ACCOUNT_ID: '1234567',
              NETSUITE_CONSUMER_KEY: 'live-test-consumer-key',
              NETSUITE_CONSUMER_SECRET: 'live-test-consumer-secret',
              NETSUITE_TOKEN_ID: 'live-test-token-id',
              NETSUITE_TOKEN_SECRET: 'live-test-token-secret',
            },
            FLOW,
            '--live',
            '--keep-pools',
          );
        } finally {
          await host.close();
        }
        expect(live.status, live.err).toBe(0);
        expect(live.out).toContain('(LIVE, read-only)');
        expect(live.out.split('\n').filter((line) => line.startsWith('  held (--live): '))).toEqual([
          `  held (--live): netsuite upsertSalesOrder: PUT /services/rest/record/v1/salesOrder/eid:${SAMPLE_ORDER}` +
            '?replace=item%2CtaxDetails',
        ]);
        expect(live.out).toContain(
          'state not saved: a --live run sends no write, so dist/run/example-homewares/data-pools is left as it was',
        );
        // The run itself takes the held write for booked (it would track the sample order and clear its entry)...
        expect(live.out).toMatch(/de-dupe "Mark the orders booked" 1 -> 1\n\s+1 checked, none seen before\n/);
        // ...but nothing was sent, so none of that is saved: the pool and the queue are as the sandbox run left them.
        expect({ pool: await readFile(POOL_CSV, 'utf8'), caches: await readFile(CACHES_JSON, 'utf8') }).toEqual(before);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );

  it('names a flow the client does not have, and fails', () => {
    const run = flowCli('no-such-flow');
    expect(run.status).not.toBe(0);
    expect(run.err).toContain(
      'no blueprint "no-such-flow" (there are lightspeed-r-fulfilment-to-sparklayer, ' +
        'lightspeed-r-prices-to-sparklayer, lightspeed-r-stock-check, ' +
        'lightspeed-r-stock-to-sparklayer, lightspeed-x-fulfilment-to-sparklayer, ' +
        'lightspeed-x-prices-to-sparklayer, lightspeed-x-stock-check, ' +
        'lightspeed-x-stock-to-sparklayer, netsuite-credit-hold-to-sparklayer, netsuite-fulfilment-to-sparklayer, ' +
        'netsuite-prices-to-sparklayer, netsuite-stock-check, netsuite-stock-to-sparklayer, ' +
        'order-totals-reconciliation, ' +
        'shopify-orders-to-netsuite, ' +
        'sparklayer-orders-to-lightspeed-r',
    );
  });

  it(
    '--help and -h print the usage, naming every option and that it runs the build in dist/ without ' +
      'rebuilding, and exit 0',
    () => {
      const help = flowCli('--help');
      expect(help.status, help.err).toBe(0);
      expect(help.err).toBe('');
      expect(help.out).toMatch(/^usage: npm run flow -- \[flow-key …\]/);
      for (const option of ['--client FILE', '--live', '--keep-pools', '-h, --help'])
        expect(help.out).toContain(option);
      expect(help.out).toContain('runs the pack as built in dist/ and does not rebuild it');
      expect(help.out).toContain('`npm run build` first');
      expect(help.out).toContain('`npm start` builds');
      expect(flowCli('-h')).toEqual(help);
    },
  );

  it('refuses an unknown option in one line naming it, with exit code 2 and no stack trace', () => {
    const run = flowCli(FLOW, '--bogus');
    expect(run.status).toBe(2);
    expect(run.out).toBe('');
    expect(run.err).toBe('npm run flow: unknown option --bogus (see --help)\n');
  });

  it(
    '--live: a connector without its credentials in the ' +
      'environment fails before any request, naming the variables',
    async () => {
      await expect(liveEngine(ROOT, ['sparklayer'], {})).rejects.toThrow(
        /^SparkLayer configuration: .*SPARKLAYER_CLIENT_ID/,
      );
      const run = flowCli(FLOW, '--live');
      expect(run.status).not.toBe(0);
      expect(run.err).toMatch(/SparkLayer configuration: .*SPARKLAYER_CLIENT_ID/);
    },
  );
});
