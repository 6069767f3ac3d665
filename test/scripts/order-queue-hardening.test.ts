/**
 * The order queue under hostile input: entries from older versions or edited by hand, null records, empty caches,
 * times with no offset, impossible dates, a full meta, a payload that did not carry the queue. Each regression runs the
 * bundles Patchworks runs (dist/scripts, Node 18); the round trip (what keep-order-queue writes, plan-order-pull reads)
 * is a property over generated queues, in-process, with a sample of it on Node 18.
 */
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QUEUE_MAX_BYTES, readQueue, type QueueEntry } from '../../model/order-queue.js';
import { findNode18, runBundle } from '../../patchworks/runner/run-bundle.js';
import type { PatchworksData } from '../../runtime/contract.js';
import type { Envelope } from '../../runtime/envelope.js';
import { parseInstant } from '../../runtime/instant.js';
import { step as keep } from '../../scripts/keep-order-queue/step.js';
import { step as plan } from '../../scripts/plan-order-pull/step.js';
import { run } from '../support/run.js';
import { ROOT } from '../support/steps.js';

const node18 = findNode18(ROOT);
if ('missing' in node18) throw new Error(node18.missing);

const T0 = '2026-11-22T09:00:00.000Z';
const T1 = '2026-11-22T09:15:00.000Z';

async function on18(key: string, payload: unknown, variables: Record<string, string>, extra: Partial<PatchworksData>) {
  const bundle = path.join(ROOT, 'dist', 'scripts', `${key}.js`);
  return runBundle((node18 as { path: string }).path, bundle, {
    // null is Patchworks' payload when the shape before output nothing.
    payload: payload === null || typeof payload === 'string' ? payload : JSON.stringify(payload),
    variables,
    ...extra,
  });
}

/** Runs a built step on Node 18 and returns its envelope and meta; fails the test if it threw. */
async function ok18(key: string, payload: unknown, variables: Record<string, string> = {}, meta = {}) {
  const result = await on18(key, payload, variables, { meta });
  expect(result.error, `${key} threw`).toBeUndefined();
  return { envelope: JSON.parse(result.result!.payload!) as Envelope & Record<string, unknown>, data: result.result! };
}

const order = (id: string, extra: Record<string, unknown> = {}) => ({
  type: 'order',
  purchase_identifiers: { sparklayer: id, visible: `B2B-${id}` },
  dates: { last_updated: '2026-11-20T08:00:00+00:00' },
  ...extra,
});
const entry = (id: string, over: Record<string, unknown> = {}): Record<string, unknown> => ({
  key: id,
  label: `B2B-${id}`,
  code: 'UNMAPPED_ACCOUNT',
  owner: 'finance',
  message: 'company c9 has no ERP account',
  record: order(id),
  replay: true,
  first_seen: T0,
  last_seen: T0,
  notified_at: T0,
  ...over,
});
type Written = {
  queue: { watermark: string; entries: QueueEntry[] };
  due_alerts: Array<Record<string, string>>;
};

describe('keep-order-queue and plan-order-pull, as built, on a damaged queue', () => {
  const damaged = [
    entry('p-good'),
    entry('p-owner', { owner: 'Customer_Service' }),
    entry('p-local-time', { first_seen: '2026-11-21 09:00:00', notified_at: '2026-11-21T09:00:00' }),
    entry('p-old-shape', { label: undefined, message: undefined, replay: undefined, last_seen: undefined }),
    entry('p-stranger', { owner: 'sales' }),
    entry('p-feb-30', { first_seen: '2026-02-30T09:00:00Z' }),
    { label: 'no key at all', code: 'X' },
    'not an entry',
  ];

  it('keep-order-queue reads what it can, keeps what it cannot as entries of their own, saves and alerts', async () => {
    const fresh = order('p-new');
    const { envelope } = await ok18(
      'keep-order-queue',
      {
        considered: [fresh],
        queue: [{ watermark: T0, entries: damaged }],
        mapped: [
          {
            bodies: [],
            exceptions: [
              { id: 'p-new', code: 'UNMAPPED_ACCOUNT', owner: 'finance', message: 'unmapped', record: fresh },
            ],
            notices: [],
          },
        ],
      },
      { as_of: T1, reminder_hours: '24' },
    );
    const { queue, due_alerts: alerts } = envelope as unknown as Written;
    expect(queue.watermark).toBe(T1);
    const byKey = new Map(queue.entries.map((e) => [e.key, e]));
    // Read leniently: an owner in another spelling, a time with no offset (UTC on any host), an older shape.
    expect(byKey.get('p-owner')?.owner).toBe('customer service');
    expect(byKey.get('p-local-time')?.first_seen).toBe('2026-11-21T09:00:00.000Z');
    expect(byKey.get('p-old-shape')).toMatchObject({ label: 'B2B-p-old-shape', replay: true, last_seen: T0 });
    // The new order is kept and alerted as usual.
    expect(byKey.get('p-new')).toMatchObject({ code: 'UNMAPPED_ACCOUNT', first_seen: T1 });
    // Each unreadable entry is its own entry for integration, carrying it whole, not fed in.
    const unreadable = queue.entries.filter((e) => e.code === 'QUEUE_ENTRY_UNREADABLE');
    expect(unreadable.map((e) => e.record)).toEqual([
      damaged[4],
      damaged[5],
      { label: 'no key at all', code: 'X' },
      'not an entry',
    ]);
    expect(unreadable.every((e) => e.owner === 'integration' && e.replay === false)).toBe(true);
    expect(unreadable.map((e) => e.message)).toEqual([
      'entry p-stranger\'s owner "sales" is not one of finance, operations, customer service, integration',
      'entry p-feb-30\'s first_seen "2026-02-30T09:00:00Z" is not a date-time',
      'the entry has no key',
      'an entry that is not an object',
    ]);
    expect(alerts.map((a) => a.code).sort()).toEqual([
      'QUEUE_ENTRY_UNREADABLE',
      'QUEUE_ENTRY_UNREADABLE',
      'QUEUE_ENTRY_UNREADABLE',
      'QUEUE_ENTRY_UNREADABLE',
      'UNMAPPED_ACCOUNT',
    ]);

    // The next run reads every entry it wrote: nothing is unreadable twice, nothing is alerted again.
    const again = await ok18(
      'keep-order-queue',
      { considered: [], queue: [queue], mapped: [] },
      { as_of: '2026-11-22T09:30:00Z', reminder_hours: '24' },
    );
    const next = again.envelope as unknown as Written;
    expect(next.queue.entries.map((e) => e.key).sort()).toEqual(queue.entries.map((e) => e.key).sort());
    expect(next.due_alerts).toEqual([]);
  });

  it('plan-order-pull keeps the watermark and feeds in every readable entry, whole, past a damaged one', async () => {
    const { envelope, data } = await ok18(
      'plan-order-pull',
      { queue: [{ watermark: T0, entries: damaged }] },
      { as_of: T1, overlap_minutes: '30', lookback_days: '30' },
    );
    expect(data.meta).toMatchObject({ pull_from: 'watermark', pull_since: '2026-11-22T08:30:00.000Z' });
    expect(data.meta?.queue_unreadable).toBe('4');
    expect(envelope.records.map((r) => (r as ReturnType<typeof order>).purchase_identifiers.sparklayer)).toEqual([
      'p-good',
      'p-owner',
      'p-local-time',
      'p-old-shape',
    ]);
  });

  it('plan-order-pull reads an entry whose record is null, and feeds a waiting order in with its nulls', async () => {
    const withNulls = order('p-nulls', { note: null, po_number: null });
    const { envelope, data } = await ok18(
      'plan-order-pull',
      {
        queue: [
          {
            watermark: T0,
            entries: [entry('p-null', { record: null, replay: false }), entry('p-nulls', { record: withNulls })],
          },
        ],
      },
      { as_of: T1 },
    );
    expect(data.meta).toMatchObject({ pull_from: 'watermark' });
    expect(envelope.records).toEqual([withNulls]);
  });

  it('reads an empty cache (null, nothing) as no queue, on both steps', async () => {
    for (const payload of [{ queue: null }, {}, null]) {
      const planned = await on18('plan-order-pull', payload, { as_of: T1, lookback_days: '7' }, {});
      expect(planned.error, JSON.stringify(payload)).toBeUndefined();
      expect(planned.result!.meta).toMatchObject({ pull_from: 'lookback', pull_since: '2026-11-15T09:15:00.000Z' });
    }
    const kept = await ok18('keep-order-queue', { considered: [], queue: null, mapped: [] }, { as_of: T1 });
    expect((kept.envelope as unknown as Written).queue).toEqual({ watermark: T1, entries: [] });
  });

  it('writes no queue from a payload that did not carry one: the flow saves nothing over the kept state', async () => {
    for (const payload of [null, {}, { considered: [], mapped: [] }]) {
      const result = await on18('keep-order-queue', payload, { as_of: T1 }, {});
      expect(result.error, JSON.stringify(payload)).toBeUndefined();
      expect(JSON.parse(result.result!.payload!)).not.toHaveProperty('queue');
    }
  });

  it('reads a change time with no offset as UTC whatever the host, and refuses an impossible one', async () => {
    // 08:40 with no offset is UTC: after pull_since 08:30, so the pull brings it and it is not fed in twice.
    const pulled = order('p-1', { dates: { last_updated: '2026-11-22T08:40:00' } });
    const feb30 = order('p-2', { dates: { last_updated: '2026-02-30T08:40:00Z' } });
    for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Kolkata']) {
      const result = await runBundle(
        (node18 as { path: string }).path,
        path.join(ROOT, 'dist', 'scripts', 'plan-order-pull.js'),
        {
          payload: JSON.stringify({
            queue: [{ watermark: T0, entries: [entry('p-1', { record: pulled }), entry('p-2', { record: feb30 })] }],
          }),
          variables: { as_of: T1 },
        },
        { TZ: tz },
      );
      expect(result.error, tz).toBeUndefined();
      expect(JSON.parse(result.result!.payload!).records, tz).toEqual([feb30]);
    }
  });

  it('fails loudly, naming pull_since, when meta is too full to write it', async () => {
    const full = { filler: 'x'.repeat(20_000) };
    const result = await on18('plan-order-pull', { queue: [] }, { as_of: T1 }, { meta: full });
    expect(result.error).toMatch(/^plan-order-pull: meta is full .*pull_since/);
  });
});

describe('parseInstant', () => {
  it.each([
    ['2026-11-22T09:00:00Z', '2026-11-22T09:00:00.000Z'],
    ['2026-11-22T09:00:00', '2026-11-22T09:00:00.000Z'],
    ['2026-11-22 09:00:00', '2026-11-22T09:00:00.000Z'],
    ['2026-11-22T10:00:00+01:00', '2026-11-22T09:00:00.000Z'],
    ['2026-11-22T04:00:00-0500', '2026-11-22T09:00:00.000Z'],
    ['2026-11-22T09:00:00.123456Z', '2026-11-22T09:00:00.123Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ])('%s is %s', (text, iso) => expect(new Date(parseInstant(text)!).toISOString()).toBe(iso));

  it.each([
    '2026-02-30T00:00:00Z',
    '2025-02-29',
    '2026-13-01',
    '2026-11-22T24:00:00Z',
    '2026-11-22T09:60:00Z',
    '2026-11-22T09:00:00+15:00',
    'yesterday',
    '',
    '1732266000000',
  ])('%s is not an instant', (text) => expect(parseInstant(text)).toBeUndefined());

  it('refuses a time with no offset where one is required', () => {
    expect(parseInstant('2026-11-22T09:00:00', { offsetRequired: true })).toBeUndefined();
    expect(parseInstant('2026-11-22T09:00:00Z', { offsetRequired: true })).toBe(Date.parse('2026-11-22T09:00:00Z'));
  });
});

// Queues as they may be found: written by this version, by an older one, or edited by hand.
const instantText = fc.oneof(
  fc
    .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom('2026-11-21 09:00:00', '2026-11-21T09:00:00', '2026-11-21T10:00:00+01:00', '2026-02-30T00:00:00Z'),
  fc.constantFrom('yesterday', '', null, 17, undefined),
);
const ownerText = fc.oneof(
  fc.constantFrom('finance', 'operations', 'customer service', 'integration'),
  fc.constantFrom('Finance', 'CUSTOMER_SERVICE', 'customer-service', 'sales', '', null, undefined),
);
const recordValue = fc.oneof(
  fc.constant(null),
  fc.record({ type: fc.constant('order'), note: fc.option(fc.string(), { nil: null }) }),
  fc.jsonValue(),
);
const generatedEntry = fc.oneof(
  fc.record(
    {
      key: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('', null)),
      label: fc.option(fc.string(), { nil: undefined }),
      code: fc.oneof(fc.constantFrom('UNMAPPED_ACCOUNT', 'BACKEND_REFUSED'), fc.constantFrom('', null)),
      owner: ownerText,
      message: fc.option(fc.string(), { nil: null }),
      record: recordValue,
      replay: fc.option(fc.boolean(), { nil: undefined }),
      first_seen: instantText,
      last_seen: instantText,
      notified_at: instantText,
    },
    { requiredKeys: ['key'] },
  ),
  fc.jsonValue(),
);
const generatedQueue = fc.oneof(
  fc.constant(null),
  fc.array(
    fc.record({
      watermark: instantText,
      entries: fc.oneof(fc.array(generatedEntry, { maxLength: 8 }), fc.jsonValue()),
    }),
    { maxLength: 3 },
  ),
);

/** JSON as Patchworks carries it between shapes: undefined fields gone. */
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value) ?? 'null') as T;

describe('what keep-order-queue writes, plan-order-pull reads (property)', () => {
  it('every generated queue: nothing lost, the written queue read whole, the same on a second pass', () => {
    fc.assert(
      fc.property(generatedQueue, (generated) => {
        const cached = asJson(generated);
        const before = readQueue(cached);
        const kept = run(keep, { considered: [], queue: cached, mapped: [] }, { variables: { as_of: T1 } }).envelope;
        const written = (kept as unknown as Written).queue;
        // Nothing lost: every readable entry is kept under its key, every unreadable one whole in an entry of its own.
        const keys = new Set(written.entries.map((e) => e.key));
        for (const key of before.entries.keys()) expect(keys.has(key)).toBe(true);
        const carried = written.entries.filter((e) => e.code === 'QUEUE_ENTRY_UNREADABLE').map((e) => e.record);
        for (const { raw } of before.unreadable) expect(carried).toContainEqual(raw);

        // What was written is read back whole by the plan: its watermark, and no entry it cannot read.
        const again = readQueue(asJson([written]));
        expect(again.unreadable).toEqual([]);
        expect(again.watermark).toBe(Date.parse(T1));
        const planned = run(plan, { queue: asJson([written]) }, { variables: { as_of: '2026-11-22T09:30:00Z' } });
        expect(planned.data.meta).toMatchObject({ pull_from: 'watermark', pull_since: '2026-11-22T08:45:00.000Z' });
        expect(planned.envelope.records.length).toBeLessThanOrEqual(written.entries.filter((e) => e.replay).length);

        // Keeping it again changes nothing but the watermark, and alerts nobody.
        const second = run(
          keep,
          { considered: [], queue: asJson([written]), mapped: [] },
          { variables: { as_of: T1, reminder_hours: '0' } },
        ).envelope as unknown as Written;
        expect(second.queue.entries).toEqual(asJson(written.entries));
        expect(second.due_alerts).toEqual([]);
      }),
      { numRuns: 300, seed: 32 },
    );
  });
});

describe('keep-order-queue stays inside the platform limits', () => {
  const failures = (ids: string[]) =>
    ids.map((id) => ({ id, code: 'UNMAPPED_ACCOUNT', owner: 'finance', message: 'unmapped', record: order(id) }));
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `p-${String(i).padStart(3, '0')}`);

  it('sends one digest to an owner with more alerts than digest_above, one alert each otherwise', () => {
    const many = ids(12);
    const { envelope } = run(
      keep,
      {
        considered: many.map((id) => order(id)),
        queue: [],
        mapped: [{ bodies: [], exceptions: failures(many), notices: [] }],
        refused: [{ error: 'HTTP 400', shape: 'Create', record: { externalId: 'p-x' } }],
      },
      { variables: { as_of: T1, digest_above: '10' } },
    );
    const { due_alerts: alerts, queue } = envelope as unknown as Written;
    expect(queue.entries).toHaveLength(13);
    expect(alerts.map((a) => [a.owner, a.code, a.label])).toEqual([
      ['finance', 'UNMAPPED_ACCOUNT ×12', '12 orders'],
      ['integration', 'BACKEND_REFUSED', 'p-x'],
    ]);
    expect(alerts[0]!.text!.startsWith('B2B-p-000, B2B-p-001')).toBe(true);
    expect(alerts[0]!.text!.length).toBeLessThanOrEqual(100);
    // 0 turns the digest off.
    const each = run(
      keep,
      { considered: [], queue: [], mapped: [{ bodies: [], exceptions: failures(many), notices: [] }] },
      { variables: { as_of: T1, digest_above: '0' } },
    ).envelope as unknown as Written;
    expect(each.due_alerts).toHaveLength(12);
  });

  it('keeps at most max_entries, the oldest leaving, and tells integration once which left', () => {
    const kept = ids(6).map((id, i) => entry(id, { first_seen: `2026-11-0${i + 1}T09:00:00.000Z` }));
    const { envelope } = run(
      keep,
      { considered: [], queue: [{ watermark: T0, entries: kept }], mapped: [] },
      { variables: { as_of: T1, max_entries: '4' } },
    );
    const { queue, due_alerts: alerts } = envelope as unknown as Written;
    expect(queue.entries.map((e) => e.key)).toEqual(['p-002', 'p-003', 'p-004', 'p-005']);
    expect(alerts).toEqual([
      {
        key: 'QUEUE_TRIMMED:2',
        owner: 'integration',
        code: 'QUEUE_TRIMMED',
        label: '2 orders',
        what: 'left the queue',
        text: 'UNMAPPED_ACCOUNT ×2: B2B-p-000, B2B-p-001',
      },
    ]);
  });

  it('keeps the queue within QUEUE_MAX_BYTES however few the orders, the oldest leaving, integration told once', () => {
    // Five orders of 3.5 MB each (a purchase with a very long note, say): 17.5 MB, past the 16 MB bound.
    const big = (id: string, day: number) =>
      entry(id, { first_seen: `2026-11-0${day}T09:00:00.000Z`, record: { id, note: 'x'.repeat(3.5 * 1024 * 1024) } });
    const kept = ids(5).map((id, i) => big(id, i + 1));
    const { envelope } = run(
      keep,
      { considered: [], queue: [{ watermark: T0, entries: kept }], mapped: [] },
      { variables: { as_of: T1, max_entries: '0' } },
    );
    const { queue, due_alerts: alerts } = envelope as unknown as Written;
    expect(queue.entries.map((e) => e.key)).toEqual(['p-001', 'p-002', 'p-003', 'p-004']);
    expect(JSON.stringify(queue.entries).length).toBeLessThanOrEqual(QUEUE_MAX_BYTES);
    expect(alerts.map((a) => [a.code, a.label, a.text])).toEqual([
      ['QUEUE_TRIMMED', '1 orders', 'UNMAPPED_ACCOUNT ×1: B2B-p-000'],
    ]);
  });

  it('on Node 18 with 512 MB, reads a 48 MB queue an older run kept and writes it back within the bound', async () => {
    // A queue near the flow cache's 50 MB (kept before the bound): read once, trimmed, never out of memory.
    const kept = ids(12).map((id, i) =>
      entry(id, {
        first_seen: `2026-11-${String(i + 1).padStart(2, '0')}T09:00:00.000Z`,
        record: { id, note: 'x'.repeat(4 * 1024 * 1024) },
      }),
    );
    const { envelope } = await ok18(
      'keep-order-queue',
      { considered: [], queue: [{ watermark: T0, entries: kept }], mapped: [] },
      { as_of: T1, max_entries: '0' },
    );
    const { queue, due_alerts: alerts } = envelope as unknown as Written;
    expect(queue.entries.map((e) => e.key)).toEqual(ids(12).slice(9));
    expect(alerts.map((a) => [a.code, a.label])).toEqual([['QUEUE_TRIMMED', '9 orders']]);
  });
});
