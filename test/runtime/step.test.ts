import { describe, expect, it } from 'vitest';
import { PATCHWORKS_LIMITS } from '../../runtime/contract.js';
import { addToMeta, capLogs, metaBytes } from '../../runtime/caps.js';
import { runStep, toPatchworksHandler } from '../../runtime/step.js';
import { step } from '../../scripts/filter-live-orders/step.js';
import { purchase } from '../support/purchases.js';
import { ids, run } from '../support/run.js';

const order = (id: string) => purchase({ id });
const quote = (id: string) => purchase({ id, type: 'quote' });

describe('the step runtime: accepted input shapes (pack-contract §2)', () => {
  it('takes a JSON array of records', () => {
    expect(ids(run(step, [order('a'), quote('b')]).envelope.records)).toEqual(['a']);
  });

  it('takes one record object', () => {
    const { envelope } = run(step, order('a'));
    expect(ids(envelope.records)).toEqual(['a']);
    expect(envelope.summary['filter-live-orders']).toEqual({ in: 1, records: 1, skipped: 0, exceptions: 0 });
  });

  it('takes an object holding the records under data', () => {
    expect(ids(run(step, { data: [order('a'), order('b')] }).envelope.records)).toEqual(['a', 'b']);
  });

  it("takes another step's envelope, keeping its skipped, exceptions and summary and appending its own", () => {
    const incoming = {
      records: [order('a'), quote('b')],
      skipped: [{ id: 'z', step: 'earlier-step', reason: 'why' }],
      exceptions: [{ id: 'y', step: 'earlier-step', code: 'SOME_CODE', message: 'm', record: { whole: true } }],
      summary: { 'earlier-step': { in: 4, records: 2, skipped: 1, exceptions: 1 } },
    };
    const { envelope } = run(step, incoming);
    expect(ids(envelope.records)).toEqual(['a']);
    expect(envelope.skipped).toEqual([
      incoming.skipped[0],
      { id: 'b', step: 'filter-live-orders', reason: 'type:quote' },
    ]);
    expect(envelope.exceptions).toEqual(incoming.exceptions);
    expect(envelope.summary).toEqual({
      'earlier-step': incoming.summary['earlier-step'],
      'filter-live-orders': { in: 2, records: 1, skipped: 1, exceptions: 0 },
    });
  });

  it('keeps both summaries when the same step runs twice in a flow', () => {
    const first = run(step, [order('a'), quote('b')]);
    const second = run(step, first.data.payload!);
    expect(Object.keys(second.envelope.summary)).toEqual(['filter-live-orders', 'filter-live-orders#2']);
    expect(second.envelope.records).toEqual(first.envelope.records);
    expect(second.envelope.skipped).toEqual(first.envelope.skipped);
  });

  it('accepts an empty array and reports zero in', () => {
    expect(run(step, []).envelope).toEqual({
      records: [],
      skipped: [],
      exceptions: [],
      summary: { 'filter-live-orders': { in: 0, records: 0, skipped: 0, exceptions: 0 } },
    });
  });

  it('makes a record that is not an object an INVALID_RECORD exception, not a crash', () => {
    const { envelope } = run(step, ['text', 42, null, [order('a')]]);
    expect(envelope.exceptions.map((e) => [e.code, e.record])).toEqual([
      ['INVALID_RECORD', 'text'],
      ['INVALID_RECORD', 42],
      ['INVALID_RECORD', null],
      ['INVALID_RECORD', [order('a')]],
    ]);
    expect(envelope.exceptions[0]!.message).toMatch(/^record: .*expected object/);
    expect(envelope.exceptions.map((e) => e.owner)).toEqual([
      'integration',
      'integration',
      'integration',
      'integration',
    ]);
  });
});

describe('the step runtime: whole-payload failures', () => {
  const handler = toPatchworksHandler(step);
  const fails = (data: unknown) => expect(handler(data as never)).rejects.toThrow(/^filter-live-orders: /);

  it.each([
    ['not JSON', '{"type": "order",', /is not valid JSON .*It starts: "\{\\"type\\": \\"order\\","/],
    ['an empty string', '  ', /payload is an empty string/],
    ['a JSON string', '"order"', /payload is a JSON string; expected a JSON array of records/],
    ['a JSON number', '12', /payload is a JSON number/],
    ['JSON true', 'true', /payload is a JSON boolean/],
    ['JSON null', 'null', /payload is a JSON null/],
  ])('rejects a payload that is %s, saying what was wrong', async (_, payload, message) => {
    await fails({ payload });
    await expect(handler({ payload })).rejects.toThrow(message);
  });

  it(
    'reads a null payload (the shape before output nothing) as no records, and says so in its log: not a ' +
      'failure to retry',
    async () => {
      const result = await handler({ payload: null, meta: { run: 'r1' } });
      expect(JSON.parse(result.payload!)).toEqual({
        records: [],
        skipped: [],
        exceptions: [],
        summary: { 'filter-live-orders': { in: 0, records: 0, skipped: 0, exceptions: 0 } },
      });
      expect(result.logs).toEqual([
        'filter-live-orders: the payload is null (the shape before output nothing): 0 records',
        'filter-live-orders: 0 in, 0 passed, 0 skipped, 0 exceptions',
      ]);
      expect(result.meta).toMatchObject({ run: 'r1' });
    },
  );

  it('rejects a data object with no payload at all', async () => {
    await expect(handler({} as never)).rejects.toThrow(
      /^filter-live-orders: the script was called with an invalid data object \(data\.payload: /,
    );
  });

  it('rejects an envelope whose records are not an array', async () => {
    await expect(handler({ payload: JSON.stringify({ records: { a: 1 } }) })).rejects.toThrow(
      'filter-live-orders: the payload has a "records" field that is an object, not an array',
    );
  });

  it('rejects an envelope whose carried-forward entries are malformed, naming where', async () => {
    const payload = JSON.stringify({ records: [], skipped: [{ id: 'a', step: 's', reason: 'r' }, { id: 'b' }] });
    await expect(handler({ payload })).rejects.toThrow(
      /^filter-live-orders: the incoming envelope is malformed at skipped\[1\]\.step/,
    );
  });

  it('rejects a data object that is not one', async () => {
    await fails(undefined);
    await expect(handler({ payload: '[]', variables: 'live_types=order' } as never)).rejects.toThrow(/data\.variables/);
  });

  it('wraps an unexpected failure so it still names the step', async () => {
    const broken = toPatchworksHandler({
      ...step,
      rule: () => {
        throw new TypeError('boom');
      },
    });
    await expect(broken({ payload: JSON.stringify([order('a')]) })).rejects.toThrow(
      'filter-live-orders: internal error while processing the payload: boom',
    );
  });
});

describe('the step runtime: settings', () => {
  const input = [order('a'), purchase({ id: 'b', type: 'order_unconfirmed' }), quote('c')];
  const passedWith = (extra: object) => ids(run(step, input, extra).envelope.records);

  it('reads variables before flow variables before the default', () => {
    expect(passedWith({})).toEqual(['a']);
    expect(passedWith({ flow: { variables: { live_types: 'quote' } } })).toEqual(['c']);
    expect(
      passedWith({ variables: { live_types: 'order_unconfirmed' }, flow: { variables: { live_types: 'quote' } } }),
    ).toEqual(['b']);
  });

  it('treats a blank variable as unset, falling through to the flow variable', () => {
    expect(passedWith({ variables: { live_types: ' ' }, flow: { variables: { live_types: 'quote' } } })).toEqual(['c']);
  });

  it('accepts a real array from a flow variable', () => {
    expect(passedWith({ flow: { variables: { live_types: ['order', ' quote '] } } })).toEqual(['a', 'c']);
  });

  it(
    'fails the whole step on a setting that does not parse, naming the setting, ' + 'its source and the bad item',
    async () => {
      await expect(
        toPatchworksHandler(step)({ payload: '[]', variables: { live_types: 'order,ordr' } }),
      ).rejects.toThrow(
        'filter-live-orders: setting "live_types" is not valid: item 2: "ordr" is not a SparkLayer ' +
          'purchase type (expected one of cart, quote, awaiting_approval, order_unconfirmed, order) (from ' +
          'variables: "order,ordr").',
      );
      await expect(
        toPatchworksHandler(step)({ payload: '[]', flow: { variables: { live_types: 5 } } }),
      ).rejects.toThrow(/^filter-live-orders: setting "live_types" is not valid: .* \(from flow\.variables: 5\)\.$/);
    },
  );

  it('ignores variables that belong to other shapes', () => {
    expect(passedWith({ variables: { account_map: 'x', live_types: 'order' } })).toEqual(['a']);
  });
});

describe('the step runtime: the data object, meta and logs', () => {
  it('returns the same data with the payload replaced, meta kept and counters added', () => {
    const data = {
      payload: JSON.stringify([order('a'), quote('b')]),
      meta: { source: 'sparklayer' },
      flow: { variables: {}, id: 7 },
      extra: 'kept',
    };
    const before = structuredClone(data);
    const out = runStep(step, data);
    expect(data).toEqual(before);
    expect(out).toMatchObject({ flow: { variables: {}, id: 7 }, extra: 'kept' });
    expect(out.meta).toEqual({
      source: 'sparklayer',
      filter_live_orders_in: '2',
      filter_live_orders_records: '1',
      filter_live_orders_skipped: '1',
      filter_live_orders_exceptions: '0',
    });
    expect(out.logs).toEqual(['filter-live-orders: 2 in, 1 passed, 1 skipped (type:quote 1), 0 exceptions']);
  });

  it('is deterministic: the same input gives the same output', () => {
    const data = {
      payload: JSON.stringify([order('a'), quote('b'), purchase({ id: 'c', type: 'x' })]),
      variables: { live_statuses: '' },
    };
    expect(runStep(step, structuredClone(data))).toEqual(runStep(step, structuredClone(data)));
  });

  it('never lets meta pass 10,240 bytes: counters that do not fit are left out and the log says so', () => {
    const nearlyFull = { big: 'x'.repeat(PATCHWORKS_LIMITS.metaBytes - 120) };
    const out = runStep(step, { payload: JSON.stringify([order('a')]), meta: nearlyFull });
    expect(metaBytes(out.meta!)).toBeLessThanOrEqual(PATCHWORKS_LIMITS.metaBytes);
    expect(out.meta!.big).toBe(nearlyFull.big);
    expect(Object.keys(out.meta!).length).toBeLessThan(5);
    expect(out.logs!.join('')).toMatch(/meta is full \(\d counters not written\)/);
  });
});

describe('caps', () => {
  it('capLogs keeps lines whole while they fit and cuts the last one with an ellipsis', () => {
    const lines = capLogs(['a'.repeat(300), 'b'.repeat(300), 'c']);
    expect(lines.join('')).toHaveLength(PATCHWORKS_LIMITS.logsChars);
    expect(lines[0]).toBe('a'.repeat(300));
    expect(lines[1]).toMatch(/^b{199}…$/);
    expect(lines).toHaveLength(2);
  });

  it('capLogs never splits a surrogate pair', () => {
    const [line] = capLogs([`${'a'.repeat(498)}😀😀`]);
    expect(line).toBe(`${'a'.repeat(498)}…`);
  });

  it('addToMeta overwrites an existing key in place and restores it when the new value does not fit', () => {
    const meta = { k: 'old', pad: 'x'.repeat(PATCHWORKS_LIMITS.metaBytes - 40) };
    expect(addToMeta(meta, { k: 'new' }).meta.k).toBe('new');
    const { meta: kept, dropped } = addToMeta(meta, { k: 'y'.repeat(100) });
    expect(kept.k).toBe('old');
    expect(dropped).toEqual(['k']);
  });
});
