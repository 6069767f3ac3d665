// `npm run queue`: the order queue a local run kept, listed (pure functions of the kept caches), and replayed in a
// child process on the sandbox (the pack is built by `npm test` first): an order waiting on the account map waits
// through a replay with the map still short, and is booked and cleared by the replay after the fix.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ORDER_QUEUE_CACHE, ORDER_QUEUE_KEY, type OrderQueue, type QueueEntry } from '../../../model/order-queue.js';
import { loadBlueprints } from '../../../patchworks/blueprint/catalog.js';
import { KeptCaches } from '../../../patchworks/runner/caches.js';
import {
  cutText,
  formatChange,
  formatQueue,
  keepsOrderQueue,
  keptQueue,
  nextScheduledRun,
  queueChange,
} from '../../../patchworks/runner/order-queue-view.js';
import { ROOT, SAMPLE_ORDER } from '../../support/flow-harness.js';

const FLOW = 'sparklayer-orders-to-netsuite';
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
/** The company of order B2B01128 (SAMPLE_ORDER), which the account map of the first replay lacks. */
const FORGOTTEN_COMPANY = 'c9d8e7f6-1a2b-4c3d-8e4f-5a6b7c8d9e0f';

function entry(overrides: Partial<QueueEntry>): QueueEntry {
  return {
    key: SAMPLE_ORDER,
    label: 'B2B01128',
    code: 'UNMAPPED_ACCOUNT',
    owner: 'finance',
    message:
      `Company ID ${FORGOTTEN_COMPANY} has no ERP account: no SparkLayer customer record beside the order; ` +
      `${FORGOTTEN_COMPANY} not in account_map`,
    record: { purchase_identifiers: { sparklayer: SAMPLE_ORDER, visible: 'B2B01128' } },
    replay: true,
    first_seen: '2026-11-22T09:00:00.000Z',
    last_seen: '2026-11-22T09:15:00.000Z',
    notified_at: '2026-11-22T09:00:00.000Z',
    ...overrides,
  };
}

const QUEUE: OrderQueue = {
  watermark: '2026-11-22T09:15:00.000Z',
  entries: [
    entry({}),
    entry({
      key: 'refused-body',
      label: 'refused-body',
      code: 'BACKEND_REFUSED',
      owner: 'integration',
      message: 'Upsert NetSuite sales order: HTTP 400 item 98 is inactive',
      replay: false,
    }),
  ],
};

describe('npm run queue -- list: the kept queue, one line per order', () => {
  it('reads the queue a run kept in caches.json and shows its watermark and each order waiting', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'queue-cli-'));
    try {
      const caches = new KeptCaches();
      caches.write('flow', FLOW, ORDER_QUEUE_CACHE, ORDER_QUEUE_KEY, JSON.stringify(QUEUE), false);
      await caches.save(dir);
      const kept = await KeptCaches.load(dir);

      expect(keptQueue(kept, FLOW)).toEqual({ ...QUEUE, unreadable: [] });
      expect(formatQueue(FLOW, keptQueue(kept, FLOW))).toEqual([
        `${FLOW}: 2 orders wait (watermark 2026-11-22 09:15 UTC: the next run pulls what changed since, ` +
          `less overlap_minutes)`,
        '  order         code              owner        first seen        last seen         notified     ' +
          '     next run          message                                                                  key ' +
          '(to dismiss)',
        '  B2B01128      UNMAPPED_ACCOUNT  finance      2026-11-22 09:00  2026-11-22 09:15  2026-11-22 ' +
          '09:00  fed in again      Company ID c9d8e7f6-1a2b-4c3d-8e4f-5a6b7c8d9e0f has no ERP account: no…  ' +
          '8df08078-a22e-4180-85c2-c2af3977a654',
        '  refused-body  BACKEND_REFUSED   integration  2026-11-22 09:00  2026-11-22 09:15  2026-11-22 ' +
          '09:00  kept, not fed in  Upsert NetSuite sales order: HTTP 400 item 98 is inactive                ' +
          'refused-body',
      ]);
      // Another flow kept nothing; an empty queue says nothing waits.
      expect(keptQueue(kept, 'sparklayer-orders-to-lightspeed-x')).toBeUndefined();
      expect(formatQueue('sparklayer-orders-to-lightspeed-x', undefined)).toEqual([
        'sparklayer-orders-to-lightspeed-x: no order queue kept (no run of this flow has finished with its state kept)',
      ]);
      expect(formatQueue(FLOW, { ...QUEUE, entries: [] })).toEqual([
        `${FLOW}: nothing waits (watermark 2026-11-22 09:15 UTC: the next run pulls what changed since, ` +
          `less overlap_minutes)`,
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it(
    'reads several kept states as the next run does (newest watermark, later entry wins), an unreadable ' +
      'watermark or entry as the next run would, and names a payload that is not JSON',
    () => {
      const caches = new KeptCaches();
      const older = { watermark: '2026-11-22T09:00:00.000Z', entries: [entry({ code: 'UNMAPPED_ACCOUNT' })] };
      caches.write('flow', FLOW, ORDER_QUEUE_CACHE, ORDER_QUEUE_KEY, JSON.stringify(QUEUE), true);
      caches.write('flow', FLOW, ORDER_QUEUE_CACHE, ORDER_QUEUE_KEY, JSON.stringify(older), true);
      expect(keptQueue(caches, FLOW)?.watermark).toBe(QUEUE.watermark);
      expect(keptQueue(caches, FLOW)?.entries.map((e) => e.key)).toEqual([SAMPLE_ORDER, 'refused-body']);

      const damaged = '{"watermark":"yesterday","entries":[{"key":"p-9","code":"X","owner":"sales"}]}';
      caches.write('flow', FLOW, ORDER_QUEUE_CACHE, ORDER_QUEUE_KEY, damaged, false);
      expect(formatQueue(FLOW, keptQueue(caches, FLOW))).toEqual([
        `${FLOW}: nothing waits (no readable watermark: the next run looks back lookback_days)`,
        '  unreadable, kept for integration by the next run (QUEUE_ENTRY_UNREADABLE): entry p-9\'s owner "sales" is ' +
          'not one of finance, operations, customer service, integration',
      ]);
      caches.write('flow', FLOW, ORDER_QUEUE_CACHE, ORDER_QUEUE_KEY, '{"watermark":', false);
      expect(() => keptQueue(caches, FLOW)).toThrow(
        /^sparklayer-orders-to-netsuite, flow cache order-queue key state: the kept order queue is not JSON/,
      );
    },
  );

  it('the order flows are the blueprints that save a queue in their flow cache order-queue', async () => {
    const orderFlows = (await loadBlueprints(ROOT)).filter(keepsOrderQueue).map((b) => b.key);
    expect(orderFlows).toEqual([
      'shopify-orders-to-netsuite',
      'sparklayer-orders-to-lightspeed-r',
      'sparklayer-orders-to-lightspeed-x',
      'sparklayer-orders-to-netsuite',
    ]);
  });

  it('cuts a message at a word boundary', () => {
    expect(cutText('short', 80)).toBe('short');
    expect(cutText('one two three four', 12)).toBe('one two…');
    expect(cutText('line\n  broken', 80)).toBe('line broken');
  });
});

describe('npm run queue -- replay: what the run cleared and what still waits', () => {
  const before = QUEUE;
  const waiting = entry({
    key: 'refused-body',
    label: 'refused-body',
    code: 'ITEM_NOT_FOUND',
    owner: 'operations',
    message: 'no item_ids entry for JUG',
    first_seen: '2026-11-22T09:00:00.000Z',
  });
  const added = entry({
    key: 'new-one',
    label: 'B2B01131',
    code: 'NO_PO_NUMBER',
    owner: 'customer service',
    message: 'no PO number',
  });
  const after = { watermark: '2026-11-22T09:30:00.000Z', entries: [waiting, added] };

  it('compares the queue before and after: cleared (booked or not), still waiting, new', () => {
    const change = queueChange(before, after, new Set([SAMPLE_ORDER]));
    expect(change.cleared.map((c) => [c.entry.label, c.booked])).toEqual([['B2B01128', true]]);
    expect(change.waiting.map((w) => [w.entry.code, w.was.code])).toEqual([['ITEM_NOT_FOUND', 'BACKEND_REFUSED']]);
    expect(change.added.map((e) => e.label)).toEqual(['B2B01131']);
    expect(formatChange('summary', change, false)).toEqual([
      'summary',
      '  cleared      B2B01128      UNMAPPED_ACCOUNT  finance           booked',
      '  still waits  refused-body  ITEM_NOT_FOUND    operations        since 2026-11-22 09:00 (was ' +
        'BACKEND_REFUSED): no item_ids entry for JUG',
      '  new          B2B01131      NO_PO_NUMBER      customer service  no PO number',
      '  queue before: 2 waiting, watermark 2026-11-22 09:15; after: 2 waiting, watermark 2026-11-22 09:30',
    ]);
    expect(formatChange('summary', queueChange(before, after, new Set()), true)).toEqual([
      'summary',
      '  would clear       B2B01128      UNMAPPED_ACCOUNT  finance           no longer a problem',
      '  would still wait  refused-body  ITEM_NOT_FOUND    operations        since 2026-11-22 09:00 (was ' +
        'BACKEND_REFUSED): no item_ids entry for JUG',
      '  would be new      B2B01131      NO_PO_NUMBER      customer service  no PO number',
      '  queue before: 2 waiting, watermark 2026-11-22 09:15; this run would keep: 2 waiting, watermark ' +
        '2026-11-22 09:30',
    ]);
  });

  it('a run that did not keep its queue leaves the kept one standing', () => {
    const change = queueChange(before, undefined, new Set());
    expect(change).toMatchObject({ written: false, cleared: [], added: [] });
    expect(formatChange('summary', change, false)).toEqual([
      'summary',
      '  the run did not get as far as keeping its queue: the kept queue stands as it was (2 orders wait)',
    ]);
  });

  it('the next scheduled run after a watermark, from the trigger schedule', () => {
    expect(nextScheduledRun('2026-11-22T09:00:00.000Z', '*/15 * * * *')).toBe('2026-11-22T09:15:00.000Z');
    expect(nextScheduledRun('2026-11-22T09:07:31.000Z', '*/15 * * * *')).toBe('2026-11-22T09:15:00.000Z');
    expect(nextScheduledRun('2026-11-22T23:50:00.000Z', '*/15 * * * *')).toBe('2026-11-23T00:00:00.000Z');
    expect(nextScheduledRun('2026-11-22T09:00:00.000Z', '0 * * * *')).toBe('2026-11-22T10:00:00.000Z');
    expect(nextScheduledRun('2026-11-22T09:00:00.000Z', '0 6 1 * *')).toBeUndefined();
  });
});

describe('npm run queue, in a child process', () => {
  // A client of its own, so its state (dist/run/<client>/data-pools/) is not the example client's other tests use.
  const CLIENT = `queue-cli-test-${process.pid}`;
  const RUN_DIR = path.join(ROOT, 'dist', 'run', CLIENT);
  let configDir: string | undefined;
  afterAll(async () => {
    await rm(RUN_DIR, { recursive: true, force: true });
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  function queueCli(...args: string[]) {
    const run = spawnSync(process.execPath, [TSX, 'patchworks/runner/queue-cli.ts', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    return { status: run.status, out: run.stdout, err: run.stderr };
  }

  /** The example client under this test's own name, its NetSuite account map with or without company c9d8…. */
  async function clientFile(name: string, forgetCompany: boolean): Promise<string> {
    configDir ??= await mkdtemp(path.join(tmpdir(), 'queue-cli-client-'));
    const config = JSON.parse(await readFile(path.join(ROOT, 'clients', 'example-homewares.json'), 'utf8')) as {
      client: string;
      flows: Record<string, { lookups: Record<string, Record<string, string>> }>;
    };
    config.client = CLIENT;
    if (forgetCompany) delete config.flows[FLOW]!.lookups.account_map![FORGOTTEN_COMPANY];
    const file = path.join(configDir, name);
    await writeFile(file, JSON.stringify(config, null, 2));
    return file;
  }

  it(
    'says there is no kept state yet; a replay with a company missing from the map keeps its order ' +
      'waiting; the replay after the fix books and clears it',
    async () => {
      const forgetful = await clientFile('forgetful.json', true);
      const fixed = await clientFile('fixed.json', false);

      const none = queueCli('list', '--client', forgetful);
      expect(none.status, none.err).toBe(0);
      expect(none.out).toBe(
        `no kept state yet: dist/run/${CLIENT}/data-pools/caches.json does not exist. Run \`npm run flow ` +
          `-- --keep-pools\` first (the client's flows on the sandbox, their state kept), then list again.\n`,
      );

      const first = queueCli('replay', FLOW, '--client', forgetful);
      expect(first.status, first.err).toBe(0);
      expect(first.out).toContain(
        `replaying ${FLOW} as of 2026-11-22T09:00:00.000Z (sandbox, state kept in dist/run/${CLIENT}/data-pools)`,
      );
      expect(first.out).toContain('no order queue kept yet: this is a first run, which pulls lookback_days back');
      expect(first.out).toMatch(/\n {2}new +B2B01128 +UNMAPPED_ACCOUNT +finance +Company ID c9d8e7f6-/);
      expect(first.out).toContain('  queue before: none kept; after: 3 waiting, watermark 2026-11-22 09:00');
      expect(first.out).toContain(`run report: dist/run/${CLIENT}/queue-replay-report.html`);

      const listed = queueCli('list', '--client', forgetful);
      expect(listed.status, listed.err).toBe(0);
      expect(listed.out).toContain(`${FLOW}: 3 orders wait (watermark 2026-11-22 09:00 UTC`);
      expect(listed.out).toMatch(
        new RegExp(
          '\\n {2}B2B01128 +UNMAPPED_ACCOUNT +finance +2026-11-22 09:00 +2026-11-22 09:00 +2026-11-22 09:00 ' +
            '+fed in again +Company ID',
        ),
      );
      // The other order flows ran in no replay of this test: nothing kept for them.
      expect(listed.out).toContain('sparklayer-orders-to-lightspeed-x: no order queue kept');
      const json = JSON.parse(queueCli('list', FLOW, '--client', forgetful, '--json').out) as {
        flows: Array<{ flow: string; entries: QueueEntry[] }>;
      };
      expect(json.flows.map((f) => [f.flow, f.entries.map((e) => e.label)])).toEqual([
        [FLOW, ['B2B01129', expect.stringMatching(/^with no id/), 'B2B01128']],
      ]);

      // Still short: the next scheduled run (15 minutes after the watermark) feeds it in again, and it waits.
      const again = queueCli('replay', FLOW, '--client', forgetful);
      expect(again.status, again.err).toBe(0);
      expect(again.out).toContain(`replaying ${FLOW} as of 2026-11-22T09:15:00.000Z`);
      expect(again.out).toMatch(
        /\n {2}still waits +B2B01128 +UNMAPPED_ACCOUNT +finance +since 2026-11-22 09:00: Company ID/,
      );

      // The account map fixed: the run after books it, once, and clears its entry.
      const booked = queueCli('replay', FLOW, '--client', fixed);
      expect(booked.status, booked.err).toBe(0);
      expect(booked.out).toContain(`replaying ${FLOW} as of 2026-11-22T09:30:00.000Z`);
      expect(booked.out).toMatch(/\n {2}cleared +B2B01128 +UNMAPPED_ACCOUNT +finance +booked\n/);
      expect(booked.out).toContain(
        '  queue before: 3 waiting, watermark 2026-11-22 09:15; after: 2 waiting, watermark 2026-11-22 09:30',
      );
      expect(booked.out).toContain(`${FLOW}: 3 records in, 1 created`);
      expect(await readFile(path.join(RUN_DIR, 'data-pools', 'sparklayer-orders-netsuite.csv'), 'utf8')).toContain(
        `${SAMPLE_ORDER},1`,
      );
      expect(queueCli('list', FLOW, '--client', fixed).out).not.toContain('B2B01128');
    },
    60_000,
  );

  it('an unknown flow key, a flow with no queue, a missing client file: one line, exit code 1', () => {
    const unknown = queueCli('list', 'no-such-flow');
    expect(unknown).toMatchObject({ status: 1, out: '' });
    expect(unknown.err).toMatch(/^npm run queue: no blueprint "no-such-flow" \(there are [a-z-]+(, [a-z-]+)*\)\n$/);
    expect(queueCli('list', 'netsuite-credit-hold-to-sparklayer')).toEqual({
      status: 1,
      out: '',
      err:
        'npm run queue: netsuite-credit-hold-to-sparklayer keeps no order queue (the order flows: ' +
        'shopify-orders-to-netsuite, sparklayer-orders-to-lightspeed-r, sparklayer-orders-to-lightspeed-x, ' +
        'sparklayer-orders-to-netsuite)\n',
    });
    const missing = queueCli('list', '--client', 'clients/no-such-client.json');
    expect(missing).toMatchObject({ status: 1, out: '' });
    expect(missing.err).toMatch(
      /^npm run queue: client config .*no-such-client\.json: ENOENT: no such file or directory.*\n$/,
    );
  });

  it('no sub-command, an unknown one, or an option for the other one: one line, exit code 2', () => {
    expect(queueCli()).toEqual({
      status: 2,
      out: '',
      err: 'npm run queue: name what to do: list or replay (see --help)\n',
    });
    expect(queueCli('show')).toEqual({
      status: 2,
      out: '',
      err: 'npm run queue: no sub-command "show": list or replay (see --help)\n',
    });
    expect(queueCli('list', '--live')).toEqual({
      status: 2,
      out: '',
      err: 'npm run queue: --live is for replay, not list (see --help)\n',
    });
    expect(queueCli('replay', '--json')).toEqual({
      status: 2,
      out: '',
      err: 'npm run queue: --json is for list, not replay (see --help)\n',
    });
    expect(queueCli('replay', '--as-of', 'tomorrow').status).toBe(2);
  });
});
