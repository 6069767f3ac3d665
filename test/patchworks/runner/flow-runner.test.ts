// The local runner's Patchworks semantics, shape by shape, on small flows whose connection shapes run a small
// hand-written connector definition through the connection engine, against a fake served by msw.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { defineBlueprint, type ShapeInput } from '../../../patchworks/blueprint/blueprint.js';
import { DataPools } from '../../../patchworks/runner/data-pool.js';
import { ConnectionEngine } from '../../../patchworks/runner/connection-engine.js';
import type { CoreApiConnector, CoreApiEndpoint } from '../../../patchworks/exporters/core-api.js';
import { runFlow, type FlowRunOptions } from '../../../patchworks/runner/flow-runner.js';
import { toPatchworksHandler } from '../../../runtime/step.js';
import { step as filterLiveOrders } from '../../../scripts/filter-live-orders/step.js';
import { server } from '../../support/msw.js';

type Json = Record<string, unknown>;
const purchase = (id: string, type = 'order') => ({ type, purchase_identifiers: { sparklayer: id } });

const endpoint = (fields: Partial<CoreApiEndpoint> & Pick<CoreApiEndpoint, 'name' | 'endpoint'>): CoreApiEndpoint => ({
  http_method: 'GET',
  data_type: 'json',
  direction: 'Receive',
  returns_multiple_records: true,
  data_path: null,
  body_format: 'none',
  raw_body: '',
  pagination_method: null,
  help_link: null,
  variables: [],
  schema: null,
  ...fields,
});

/** The fake's connector: `list` reads its items page by page (the next page's URL in the answer), `put` sends the
 * incoming payload as the record `id` names. No authentication. */
const DEFINITION: CoreApiConnector = {
  system: {
    name: 'Fake',
    label: 'Fake',
    system_type: 'Other',
    protocol: 'HTTP',
    rate_limit_unit: 'second',
    rate_limit_duration: 10,
    date_format: 'Y-m-d',
    help_link: '',
  },
  variables: [],
  authentication_implementations: [],
  endpoints: [
    endpoint({
      name: 'List',
      endpoint: '{{base_url}}/list',
      data_path: 'items',
      pagination_method: 'Next Page URL',
    }),
    endpoint({
      name: 'Put',
      endpoint: '{{base_url}}/things/{{id}}',
      http_method: 'PUT',
      direction: 'Send',
      returns_multiple_records: false,
      body_format: 'raw',
    }),
  ],
};

let fakes = 0;

/**
 * A fake system on its own origin: `pages` answers a pull; `received` records the writes that reached it; `refuse`
 * answers a write for those ids 400. Writes are held back as a `--live` run holds them when `holdWrites`.
 */
function fakeSystem(pages: unknown[][], refuse: string[] = [], { holdWrites = false } = {}) {
  const origin = `https://fake-${(fakes += 1)}.test`;
  const received: Json[] = [];
  server.use(
    http.get(`${origin}/list`, ({ request }) => {
      const page = Number(new URL(request.url).searchParams.get('page') ?? 1);
      const next = page < pages.length ? `${origin}/list?page=${page + 1}` : '';
      return HttpResponse.json({ '@attributes': { next }, items: pages[page - 1] ?? [] });
    }),
    http.put(`${origin}/things/:id`, async ({ params, request }) => {
      const id = String(params.id);
      if (refuse.includes(id)) return HttpResponse.json({ message: `refused ${id}` }, { status: 400 });
      received.push((await request.json()) as Json);
      return HttpResponse.json({ id }, { status: 201 });
    }),
  );
  const engine = new ConnectionEngine({
    definitions: { fake: DEFINITION },
    endpointNames: { fake: { list: 'List', put: 'Put' } },
    instances: { fake: { base_url: origin } },
    // The "Next page field" set by hand on the List endpoint.
    facts: {
      fake: {
        endpoints: {
          list: {
            returnsMultipleRecords: true,
            dataPath: 'items',
            paginationMethod: 'Next Page URL',
            nextPageUrl: { field: '@attributes.next' },
          },
        },
      },
    },
  });
  const connections: FlowRunOptions['connections'] = { engine, holdWrites };
  return { received, engine, connections };
}

const filterScript: FlowRunOptions['runScript'] = async (stepKey, data) => {
  if (stepKey !== 'filter-live-orders') throw new Error(`unexpected step ${stepKey}`);
  return toPatchworksHandler(filterLiveOrders)(data);
};

function flow(
  shapes: ShapeInput[],
  extra: {
    variables?: Record<string, { description: string; default?: string }>;
    lookups?: Record<string, { description: string; required: boolean }>;
  } = {},
) {
  return defineBlueprint({
    key: 'test-flow',
    title: 'Test flow',
    purpose: 'A test.',
    ...extra,
    shapes: [{ type: 'trigger', name: 'Start', schedule: '0 * * * *' }, ...shapes],
  });
}

const pull: ShapeInput = { type: 'connection', name: 'Pull', connector: 'fake', endpoint: 'list' };
/** Pull a page, split it into one payload per item, put each. */
const splitAndPut: ShapeInput[] = [
  pull,
  { type: 'map', name: 'Wrap', fields: { items: { payload: '' } } },
  { type: 'flow-control', name: 'Split', path: 'items', size: 1 },
  { type: 'connection', name: 'Put', connector: 'fake', endpoint: 'put', variables: { id: '[[payload.id]]' } },
];

describe('the local flow runner', () => {
  it(
    'passes the bucket shape to shape: a pull gives one payload per page and a script runs ' + 'once per payload',
    async () => {
      const { connections } = fakeSystem([[purchase('a'), purchase('q', 'quote')], [purchase('b')]]);
      const result = await runFlow({
        flow: flow(
          [
            pull,
            {
              type: 'script',
              name: 'Filter',
              step: 'filter-live-orders',
              variables: { live_types: '{{flow.variables.types}}' },
            },
          ],
          { variables: { types: { description: 'types' } } },
        ),
        variables: { types: 'order' },
        lookups: {},
        connections,
        runScript: filterScript,
        pools: new DataPools(),
      });
      expect(result.status).toBe('success');
      expect(result.shapes.map((s) => [s.name, s.payloadsIn, s.payloadsOut])).toEqual([
        ['Start', 0, 1],
        ['Pull', 1, 2],
        ['Filter', 2, 2],
      ]);
      expect(result.counts).toEqual({ in: 3, created: 0, updated: 0, unchanged: 0, skipped: 1, exceptions: 0 });
    },
  );

  it(
    'splits with flow control: size 1 unwrapped, larger sizes as arrays; a missing path fails the run ' +
      'naming shape and path',
    async () => {
      const { connections } = fakeSystem([[1, 2, 3]]);
      const run = (path: string, size: number) =>
        runFlow({
          flow: flow([
            pull,
            { type: 'map', name: 'Wrap', fields: { items: { payload: '' } } },
            { type: 'flow-control', name: 'Split', path, size },
          ]),
          variables: {},
          lookups: {},
          connections,
          runScript: filterScript,
          pools: new DataPools(),
        });
      const single = await run('items', 1);
      expect(single.shapes.at(-1)!.outputs.map((p) => p.body)).toEqual(['1', '2', '3']);
      const pairs = await run('items', 2);
      expect(pairs.shapes.at(-1)!.outputs.map((p) => p.body)).toEqual(['[1,2]', '[3]']);
      const broken = await run('records', 1);
      expect(broken.status).toBe('failure');
      expect(broken.error).toBe('Split: "records" is missing in the payload');
    },
  );

  it(
    'de-dupes items against the data pool: filter-and-track lets each key through once, across payloads ' + 'and runs',
    async () => {
      const { connections } = fakeSystem([
        [purchase('a'), purchase('b')],
        [purchase('a'), purchase('c')],
      ]);
      const pools = new DataPools();
      const blueprint = flow([
        pull,
        { type: 'script', name: 'Filter', step: 'filter-live-orders' },
        {
          type: 'de-dupe',
          name: 'Once',
          behaviour: 'filter_and_track',
          pool: 'p',
          key: 'records.*.purchase_identifiers.sparklayer',
        },
      ]);
      const options = {
        flow: blueprint,
        variables: {},
        lookups: {},
        connections,
        runScript: filterScript,
        pools,
      };
      const first = await runFlow(options);
      const ids = (body: string) =>
        (JSON.parse(body) as { records: Array<{ purchase_identifiers: { sparklayer: string } }> }).records.map(
          (r) => r.purchase_identifiers.sparklayer,
        );
      expect(first.shapes.at(-1)!.outputs.map((p) => ids(p.body))).toEqual([['a', 'b'], ['c']]);
      expect(pools.values('p')).toEqual(['a', 'b', 'c']);
      const second = await runFlow(options);
      expect(second.shapes.at(-1)!.outputs.map((p) => ids(p.body))).toEqual([[], []]);
      expect(second.counts.skipped).toBe(4);
    },
  );

  it('tracks without filtering in track mode, and refuses a key that is not text', async () => {
    const pools = new DataPools();
    pools.track('p', 'a');
    const split: ShapeInput[] = [
      pull,
      { type: 'map', name: 'Wrap', fields: { items: { payload: '' } } },
      { type: 'flow-control', name: 'Split', path: 'items', size: 1 },
    ];
    const track: ShapeInput = { type: 'de-dupe', name: 'Track', behaviour: 'track', pool: 'p', key: 'id' };
    const tracked = await runFlow({
      flow: flow([...split, track]),
      variables: {},
      lookups: {},
      connections: fakeSystem([[{ id: 'a' }, { id: 'b' }]]).connections,
      runScript: filterScript,
      pools,
    });
    expect(tracked.shapes.at(-1)!.outputs.map((p) => p.body)).toEqual(['{"id":"a"}', '{"id":"b"}']);
    expect(pools.values('p')).toEqual(['a', 'b']);
    const bad = await runFlow({
      flow: flow([...split, track]),
      variables: {},
      lookups: {},
      connections: fakeSystem([[{ id: { nested: 1 } }]]).connections,
      runScript: filterScript,
      pools,
    });
    expect(bad.error).toBe('Track: the key "id" is {"nested":1} in a payload item: a de-dupe key must be text');
  });

  it(
    'routes a payload that fails inside try/catch to the catch route with meta.error_message; the rest ' + 'carry on',
    async () => {
      const { connections, received } = fakeSystem([[{ id: 'a' }, { id: 'b' }, { id: 'c' }]], ['b']);
      const result = await runFlow({
        flow: flow([
          pull,
          { type: 'map', name: 'Wrap', fields: { items: { payload: '' } } },
          { type: 'flow-control', name: 'Split', path: 'items', size: 1 },
          {
            type: 'try-catch',
            name: 'Catch',
            try: [
              {
                type: 'connection',
                name: 'Put',
                connector: 'fake',
                endpoint: 'put',
                variables: { id: '[[payload.id]]' },
              },
            ],
            catch: [
              {
                type: 'notify',
                name: 'Tell',
                level: 'error',
                message: '[[payload.id]] failed: [[meta.error_message]]',
              },
              {
                type: 'map',
                name: 'With reason',
                fields: { error: { meta: 'error_message' }, shape: { meta: 'error_shape' }, record: { payload: '' } },
              },
              { type: 'add-to-cache', name: 'Queue', cache: 'q', key: 'failed', scope: 'company', append: true },
            ],
          },
        ]),
        variables: {},
        lookups: {},
        connections,
        runScript: filterScript,
        pools: new DataPools(),
      });
      expect(received).toEqual([{ id: 'a' }, { id: 'c' }]);
      expect(result.status).toBe('partial_success');
      expect(result.counts).toMatchObject({ created: 2, exceptions: 1 });
      expect(result.notifications).toEqual([
        { shape: 'Tell', level: 'error', message: 'b failed: HTTP 400 refused b (PUT /things/b)' },
      ]);
      expect(result.caches.q?.failed).toEqual([
        '{"error":"HTTP 400 refused b (PUT /things/b)","shape":"Put","record":{"id":"b"}}',
      ]);
      expect(result.failed.map((f) => [f.shape, f.payload.body])).toEqual([['Put', '{"id":"b"}']]);
    },
  );

  it('fails the run when a shape outside try/catch fails, naming the shape', async () => {
    const { connections } = fakeSystem([[{ id: 'a' }]], ['a']);
    const result = await runFlow({
      flow: flow(splitAndPut),
      variables: {},
      lookups: {},
      connections,
      runScript: filterScript,
      pools: new DataPools(),
    });
    expect(result.status).toBe('failure');
    expect(result.error).toBe('Put: HTTP 400 refused a (PUT /things/a)');
  });

  it('holds writes back in a live run: printed, not sent, not counted as created, the payload passed on', async () => {
    const { connections, received, engine } = fakeSystem([[{ id: 'a' }]], [], { holdWrites: true });
    const result = await runFlow({
      flow: flow(splitAndPut),
      variables: {},
      lookups: {},
      connections,
      runScript: filterScript,
      pools: new DataPools(),
    });
    expect(result.status).toBe('success');
    // The read went through the engine; the write reached neither the engine's transport nor the fake.
    expect(engine.sent.map((request) => request.method)).toEqual(['GET']);
    expect(received).toEqual([]);
    expect(result.heldWrites).toEqual(['fake put: PUT /things/a']);
    const put = result.shapes.at(-1)!;
    expect(put.notes).toEqual(['NOT SENT (--live is read-only)  fake put: PUT /things/a']);
    expect(put.outputs.map((p) => p.body)).toEqual(['{"id":"a"}']);
    expect(result.counts.created).toBe(0);
  });

  it(
    'fills placeholders as Patchworks does: notify cuts each variable to 100 characters; lookups as rows; ' +
      'caches by key',
    async () => {
      const long = 'x'.repeat(150);
      const { connections } = fakeSystem([]);
      const result = await runFlow({
        flow: flow(
          [
            {
              type: 'manual-payload',
              name: 'Rows',
              payload: '{"rows": {{lookups.accounts.rows}}, "note": "{{flow.variables.note}}"}',
            },
            { type: 'notify', name: 'Tell', level: 'info', message: 'note [[payload.note]] end' },
            { type: 'flow-control', name: 'Split', path: 'rows', size: 1 },
            { type: 'add-to-cache', name: 'Keep', cache: 'rows', key: 'all', scope: 'flow-run', append: true },
            {
              type: 'map',
              name: 'Gather',
              fields: { first: { payload: 'left_value' }, all: { cache: 'rows', key: 'all' } },
            },
          ],
          { variables: { note: { description: 'n' } }, lookups: { accounts: { description: 'a', required: true } } },
        ),
        variables: { note: long },
        lookups: { accounts: { 'co-1': 'A1', 'co-2': 'A2' } },
        connections,
        runScript: filterScript,
        pools: new DataPools(),
      });
      expect(result.notifications[0]!.message).toBe(`note ${'x'.repeat(100)} end`);
      const rows = [
        { left_value: 'co-1', right_value: 'A1' },
        { left_value: 'co-2', right_value: 'A2' },
      ];
      // The whole bucket passes each shape before the next: both rows are cached before the map reads the cache.
      expect(result.shapes.at(-1)!.outputs.map((p) => JSON.parse(p.body) as unknown)).toEqual([
        { first: 'co-1', all: rows },
        { first: 'co-2', all: rows },
      ]);
    },
  );

  it('names a flow variable the client did not set', async () => {
    const { connections } = fakeSystem([]);
    const result = await runFlow({
      flow: flow([{ type: 'manual-payload', name: 'Body', payload: '{{flow.variables.missing}}' }], {
        variables: { missing: { description: 'm' } },
      }),
      variables: {},
      lookups: {},
      connections,
      runScript: filterScript,
      pools: new DataPools(),
    });
    expect(result.error).toBe('Body: flow variable "missing" is not set');
  });
});

describe('data pools', () => {
  it('save and load as Patchworks pool CSV (value,entity_type_id), values with commas and quotes intact', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pools-'));
    const pools = new DataPools();
    for (const value of ['plain', 'with,comma', 'say "hi"']) pools.track('orders', value);
    await pools.save(dir);
    expect(await readFile(path.join(dir, 'orders.csv'), 'utf8')).toBe(
      'value,entity_type_id\r\nplain,1\r\n"with,comma",1\r\n"say ""hi""",1\r\n',
    );
    expect((await DataPools.load(dir)).values('orders')).toEqual(['plain', 'with,comma', 'say "hi"']);
  });

  it('refuses a pool file without the header, naming the file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pools-'));
    await writeFile(path.join(dir, 'bad.csv'), 'a,1\n');
    await expect(DataPools.load(dir)).rejects.toThrow(
      `data pool ${path.join(dir, 'bad.csv')}: the first line must be "value,entity_type_id", found "a,1"`,
    );
  });
});
