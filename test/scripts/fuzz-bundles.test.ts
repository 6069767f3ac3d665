/**
 * Fuzzes every BUILT step (dist/scripts/<key>.js, the file Patchworks runs) with a fixed seed and a bounded
 * number of cases: arbitrary text and JSON, every accepted payload shape, realistic records (the step's
 * sample) mutated one field at a time, huge and unicode records, and arbitrary settings. Each run must either
 * return an envelope that accounts for every input record within the meta and logs caps, or throw an Error
 * whose message starts `<step-key>: ` (and is not a wrapped internal error). Nothing else: no TypeError, no
 * foreign error, no hang. Each bundle runs in its own worker thread so a hang is caught by a timeout.
 * `npm test` builds first; this test reads dist/.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Big from 'big.js';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { levelsOf } from '../../scripts/compare-stock-levels/step.js';
import { suiteqlRows } from '../../scripts/netsuite-stock-levels/step.js';
import { loadSteps, ROOT } from '../support/steps.js';

const SEED = 20261122;
const CALL_TIMEOUT_MS = 5_000;
const META_BYTES = 10_240;
const LOGS_CHARS = 500;
const RUNS = {
  text: 60,
  json: 150,
  shapes: 200,
  mutants: 400,
  settings: 150,
  beside: 100,
  huge: 10,
  nonFinite: 60,
  collisions: 40,
  minorUnits: 60,
  targets: 80,
  stockNumbers: 150,
  stockFloors: 100,
  stockPairs: 100,
  stockArchived: 100,
};

// ---------------------------------------------------------------------------------------------------------
// Running a bundle: one worker per step; a call that does not answer within the timeout is a hang.

type Outcome =
  | { kind: 'returned'; result: unknown }
  | { kind: 'threw'; isError: boolean; name: string; ctor: string; message: string }
  | { kind: 'hang' };

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const handler = require(workerData.bundle);
parentPort.on('message', async ({ id, data }) => {
  try {
    const result = await handler(data);
    parentPort.postMessage({ id, outcome: { kind: 'returned', result } });
  } catch (error) {
    parentPort.postMessage({ id, outcome: {
      kind: 'threw',
      isError: error instanceof Error,
      name: String(error && error.name),
      ctor: String(error && error.constructor && error.constructor.name),
      message: error instanceof Error ? error.message : String(error),
    } });
  }
});
`;

class BundleRunner {
  private worker!: Worker;
  private next = 0;
  private readonly pending = new Map<number, (outcome: Outcome) => void>();

  constructor(private readonly bundle: string) {
    this.spawn();
  }

  private spawn(): void {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bundle: this.bundle } });
    this.worker.on('message', ({ id, outcome }: { id: number; outcome: Outcome }) => {
      this.pending.get(id)?.(outcome);
      this.pending.delete(id);
    });
    this.worker.on('error', (error) => {
      for (const resolve of this.pending.values())
        resolve({ kind: 'threw', isError: true, name: 'WorkerError', ctor: 'WorkerError', message: String(error) });
      this.pending.clear();
    });
  }

  call(data: unknown): Promise<Outcome> {
    const id = this.next++;
    return new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        void this.worker.terminate();
        this.spawn();
        resolve({ kind: 'hang' });
      }, CALL_TIMEOUT_MS);
      this.pending.set(id, (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      });
      this.worker.postMessage({ id, data });
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

// ---------------------------------------------------------------------------------------------------------
// The contract a run must keep.

interface Envelope {
  records: unknown[];
  skipped: unknown[];
  exceptions: Array<{ record: unknown; id?: string | null; code?: string; message?: string }>;
  summary: Record<string, { in: number; records: number; skipped: number; exceptions: number }>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** What the step should read from a payload, mirroring the accepted shapes; undefined when it must throw. */
function expectedInput(
  payload: string,
  recordsField: string | undefined,
):
  | {
      records: unknown[];
      carriedExceptions: number;
      carriedSkipped: number;
      carriedSummary: string[];
      beside: Record<string, unknown>;
    }
  | undefined {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return undefined;
  }
  const none = { carriedExceptions: 0, carriedSkipped: 0, carriedSummary: [] as string[] };
  if (Array.isArray(json)) return { records: json, ...none, beside: {} };
  if (!isObject(json)) return undefined;
  const { records: _r, data: _d, skipped: _s, exceptions: _e, summary: _su, ...beside } = json;
  if ('records' in json) {
    if (!Array.isArray(json.records)) return undefined;
    return {
      records: json.records,
      carriedExceptions: Array.isArray(json.exceptions) ? json.exceptions.length : 0,
      carriedSkipped: Array.isArray(json.skipped) ? json.skipped.length : 0,
      carriedSummary: isObject(json.summary) ? Object.keys(json.summary) : [],
      beside,
    };
  }
  if (recordsField !== undefined && recordsField in json) {
    const records = json[recordsField];
    if (!Array.isArray(records)) return undefined;
    const { [recordsField]: _own, ...rest } = json;
    const { data: _d2, skipped: _s2, exceptions: _e2, summary: _su2, ...restBeside } = rest;
    return { records, ...none, beside: restBeside };
  }
  if (Array.isArray(json.data)) return { records: json.data, ...none, beside };
  return { records: [json], ...none, beside: {} };
}

/** Throws (an assertion error) unless the outcome keeps the contract. `mustReturn`: a throw is itself a failure. */
function checkOutcome(
  key: string,
  recordsField: string | undefined,
  payload: string,
  outcome: Outcome,
  mustReturn = false,
): void {
  if (outcome.kind === 'hang') throw new Error(`${key}: HANG (no answer within ${CALL_TIMEOUT_MS} ms)`);
  if (outcome.kind === 'threw') {
    const what = `${outcome.ctor}/${outcome.name}: ${outcome.message.slice(0, 300)}`;
    if (!outcome.isError) throw new Error(`threw a non-Error: ${what}`);
    if (!outcome.message.startsWith(`${key}: `)) throw new Error(`threw a foreign error: ${what}`);
    if (outcome.message.startsWith(`${key}: internal error`))
      throw new Error(`threw a wrapped internal error: ${what}`);
    if (mustReturn) throw new Error(`threw for a well-formed payload with valid settings: ${what}`);
    return;
  }
  const input = expectedInput(payload, recordsField);
  if (!input) throw new Error(`returned for a payload the contract says must fail: ${payload.slice(0, 200)}`);
  const data = outcome.result as { payload?: unknown; meta?: unknown; logs?: unknown };
  expect(isObject(data), 'the handler returns a data object').toBe(true);
  expect(typeof data.payload).toBe('string');
  const envelope = JSON.parse(data.payload as string) as Envelope;
  expect(Array.isArray(envelope.records) && Array.isArray(envelope.skipped) && Array.isArray(envelope.exceptions)).toBe(
    true,
  );
  const ownKey = Object.keys(envelope.summary).find(
    (name) => (name === key || name.startsWith(`${key}#`)) && !input.carriedSummary.includes(name),
  );
  expect(ownKey, 'the step writes its own summary').toBeDefined();
  const summary = envelope.summary[ownKey!]!;

  // Records that ride beside and may come back as exceptions too: reconcile's targets, the NetSuite stock step's
  // open-order rows, the SparkLayer levels the stock check reads, the fulfilments flag-stale-orders cannot tie to an
  // order, the SparkLayer customers link-customers cannot link.
  const targets =
    key === 'reconcile-order-totals' && Array.isArray(input.beside.target)
      ? input.beside.target
      : key === 'flag-stale-orders' && Array.isArray(input.beside.fulfilments)
        ? input.beside.fulfilments
        : key === 'netsuite-stock-levels'
          ? suiteqlRows(input.beside.open_order_records)
          : key === 'compare-stock-levels' && Array.isArray(input.beside.sparklayer)
            ? levelsOf(input.beside.sparklayer).map(({ level }) => level)
            : key === 'link-customers' && Array.isArray(input.beside.sparklayer_customers)
              ? input.beside.sparklayer_customers
              : [];
  expect(summary.in).toBeGreaterThanOrEqual(input.records.length);
  expect(summary.in).toBeLessThanOrEqual(input.records.length + targets.length);
  expect(summary.records + summary.skipped + summary.exceptions).toBe(summary.in);
  expect(envelope.skipped.length).toBe(input.carriedSkipped + summary.skipped);
  expect(envelope.exceptions.length).toBe(input.carriedExceptions + summary.exceptions);

  // Each of this step's exceptions carries an input record (or, for reconcile, a target), each used once.
  const remaining = [...input.records, ...targets].map((value) => JSON.stringify(value));
  for (const exception of envelope.exceptions.slice(input.carriedExceptions)) {
    const index = remaining.indexOf(JSON.stringify(exception.record));
    if (index < 0)
      throw new Error(`an exception's record is not an input record: ${JSON.stringify(exception).slice(0, 300)}`);
    remaining.splice(index, 1);
  }

  expect(new TextEncoder().encode(JSON.stringify(data.meta ?? {})).length).toBeLessThanOrEqual(META_BYTES);
  const logs = Array.isArray(data.logs) ? (data.logs as unknown[]).join('') : String(data.logs ?? '');
  expect(logs.length).toBeLessThanOrEqual(LOGS_CHARS);
}

// --------------------------------------------------------------------------------------------------------- Generators.

type Path = Array<string | number>;

/** Every path into a value (objects and arrays, to a bounded depth), so a mutation can hit any field. */
function pathsOf(value: unknown, prefix: Path = [], depth = 0, out: Path[] = []): Path[] {
  if (depth > 6 || value === null || typeof value !== 'object') return out;
  const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
  for (const [name, child] of entries) {
    const here = [...prefix, name];
    out.push(here);
    pathsOf(child, here, depth + 1, out);
  }
  return out;
}

const DELETE = Symbol('delete');

function setAt(root: unknown, at: Path, replace: (old: unknown) => unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const part of at.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
  const last = at[at.length - 1]!;
  const next = replace(parent[last]);
  if (next === DELETE) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = next;
  return copy;
}

const deep = (depth: number, leaf: unknown): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { nested: value };
  return value;
};

/** One way to spoil a field: drop it, null it, mistype it, blow it up, or make it unicode. */
const mutation: fc.Arbitrary<(old: unknown) => unknown> = fc.oneof(
  fc.constant(() => DELETE),
  fc.constant(() => null),
  fc.constant((old: unknown) =>
    typeof old === 'number'
      ? String(old)
      : typeof old === 'string' && old.trim() !== '' && !Number.isNaN(Number(old))
        ? Number(old)
        : String(old),
  ),
  fc.constant((old: unknown) =>
    Array.isArray(old)
      ? Object.fromEntries(old.map((v, i) => [String(i), v]))
      : isObject(old)
        ? Object.values(old)
        : [old],
  ),
  fc.constant((old: unknown) => (typeof old === 'object' ? JSON.stringify(old) : { value: old })),
  fc
    .constantFrom(true, false, 0, -1, 1e308, -0.000001, 3.999999999, '', ' ', 'NaN', '1e400', '-0', '0x10')
    .map((v) => () => v),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => () => 'x'.repeat(n)),
  fc.integer({ min: 20, max: 200 }).map((n) => (old: unknown) => deep(n, old)),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => () => s),
  fc.jsonValue({ maxDepth: 3 }).map((v) => () => v),
);

const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function valueAt(root: unknown, at: Path): unknown {
  let value = root;
  for (const part of at) value = (value as Record<string | number, unknown>)[part];
  return value;
}

/** Names every plain object answers to through its prototype: a lookup by one must find only what a table holds. */
const INHERITED_NAMES = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf'];
const NON_FINITE_MARK = '__not_finite__';
const DERIVED_UUID = /[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g;

/** Steps whose output records are bodies they build (not the input records passed on). */
const builds = (key: string) => key.startsWith('map-order-to-') || key === 'sync-credit-hold';

/** An answer with every null-valued field left out, at any depth, for comparing answers that differ only in nulls. */
function withoutNullsDeep(text: string): unknown {
  if (text.startsWith('threw: ')) return text;
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (!isObject(value)) return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, child]) => child !== null)
        .map(([name, child]) => [name, strip(child)]),
    );
  };
  return strip(JSON.parse(text));
}

// ---------------------------------------------------------------------------------------------------------

describe('the fuzz oracle itself', () => {
  const envelope = (records: unknown[], exceptions: unknown[], inCount: number) => ({
    kind: 'returned' as const,
    result: {
      payload: JSON.stringify({
        records,
        skipped: [],
        exceptions,
        summary: { k: { in: inCount, records: records.length, skipped: 0, exceptions: exceptions.length } },
      }),
      meta: {},
      logs: ['k: ok'],
    },
  });
  it('accepts a run that accounts for every record, and a "k: " error', () => {
    expect(() => checkOutcome('k', undefined, '[1,{"a":2}]', envelope([1], [{ record: { a: 2 } }], 2))).not.toThrow();
    expect(() =>
      checkOutcome('k', undefined, 'nope', {
        kind: 'threw',
        isError: true,
        name: 'Error',
        ctor: 'StepError',
        message: 'k: bad',
      }),
    ).not.toThrow();
  });
  it('rejects a lost record, a foreign exception record, a TypeError, a wrapped internal error and a hang', () => {
    expect(() => checkOutcome('k', undefined, '[1,2]', envelope([1], [], 1))).toThrow();
    expect(() => checkOutcome('k', undefined, '[1,2]', envelope([1], [{ record: 3 }], 2))).toThrow();
    expect(() =>
      checkOutcome('k', undefined, '[1]', {
        kind: 'threw',
        isError: true,
        name: 'TypeError',
        ctor: 'TypeError',
        message: "Cannot read properties of undefined (reading 'x')",
      }),
    ).toThrow();
    expect(() =>
      checkOutcome('k', undefined, '[1]', {
        kind: 'threw',
        isError: true,
        name: 'Error',
        ctor: 'StepError',
        message: 'k: internal error while processing the payload: x',
      }),
    ).toThrow();
    expect(() => checkOutcome('k', undefined, '[1]', { kind: 'hang' })).toThrow();
    expect(() =>
      checkOutcome(
        'k',
        undefined,
        '[1]',
        { kind: 'threw', isError: true, name: 'Error', ctor: 'StepError', message: 'k: bad' },
        true,
      ),
    ).toThrow();
  });
});

const steps = await loadSteps();
const runners: BundleRunner[] = [];
afterAll(async () => {
  await Promise.all(runners.map((runner) => runner.close()));
});

describe.each(steps)('fuzzing the built bundle of $key', ({ key, step, sample }) => {
  const runner = new BundleRunner(path.join(ROOT, 'dist', 'scripts', `${key}.js`));
  runners.push(runner);
  const recordsField = step.recordsField as string | undefined;
  const settingKeys = Object.keys(step.settings as Record<string, unknown>);
  const sampleRecords = json(sample.records) as unknown[];
  const sampleBeside = json(sample.beside ?? {}) as Record<string, unknown>;
  const besideShape = (step.beside as { shape?: Record<string, unknown> } | undefined)?.shape;
  const besideKeys = [...new Set([...Object.keys(sampleBeside), ...Object.keys(besideShape ?? {})])];
  const variables = sample.variables;

  const run = async (
    payload: string,
    vars: Record<string, string> = variables,
    mustReturn = false,
    meta: Record<string, string> = {},
  ) => {
    const outcome = await runner.call({ payload, variables: vars, meta, flow: { variables: {} } });
    checkOutcome(key, recordsField, payload, outcome, mustReturn);
  };
  const assertAsync = <Ts extends [unknown, ...unknown[]]>(property: fc.IAsyncProperty<Ts>, numRuns: number) =>
    fc.assert(property, { seed: SEED, numRuns });

  /** The records, in one of the accepted shapes, with what rides beside them. */
  const shaped = (records: unknown[], shape: string, beside: Record<string, unknown>): string => {
    switch (shape) {
      case 'array':
        return JSON.stringify(records);
      case 'records':
        return JSON.stringify({ records, ...beside });
      case 'data':
        return JSON.stringify({ data: records, ...beside });
      case 'single':
        return JSON.stringify(records[0] ?? {});
      default:
        return JSON.stringify({ [recordsField!]: records, ...beside });
    }
  };
  const shapes = ['array', 'records', 'data', 'single', ...(recordsField ? ['own'] : [])];
  const mutant = fc.tuple(fc.nat(sampleRecords.length - 1), fc.nat(), mutation).map(([which, pick, spoil]) => {
    const record = sampleRecords[which];
    const paths = pathsOf(record);
    return paths.length === 0 ? record : json(setAt(record, paths[pick % paths.length]!, spoil));
  });
  const anyRecord = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...sampleRecords) },
    { weight: 3, arbitrary: mutant },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    {
      weight: 1,
      arbitrary: fc.dictionary(
        fc.string({ unit: 'binary', maxLength: 12 }),
        fc.string({ unit: 'binary', maxLength: 30 }),
        { maxKeys: 5 },
      ),
    },
  );

  it(`arbitrary text (${RUNS.text} cases) and arbitrary JSON (${RUNS.json} cases)`, async () => {
    await assertAsync(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), (text) => run(text)),
      RUNS.text,
    );
    await assertAsync(
      fc.asyncProperty(fc.jsonValue(), (value) => run(JSON.stringify(value))),
      RUNS.json,
    );
  });

  it(`every accepted shape, with mixed realistic, spoilt and arbitrary records (${RUNS.shapes} cases)`, async () => {
    await assertAsync(
      fc.asyncProperty(fc.constantFrom(...shapes), fc.array(anyRecord, { maxLength: 12 }), async (shape, records) => {
        // With the sample's settings and beside, a well-formed shape never fails as a whole (one bad record never
        // throws).
        const first = records[0];
        const wellFormed =
          shape !== 'single' ||
          (isObject(first) &&
            !('records' in first) &&
            !(recordsField !== undefined && recordsField in first) &&
            !('data' in first));
        await run(shaped(records, shape, sampleBeside), variables, wellFormed);
      }),
      RUNS.shapes,
    );
  });

  it(`sample records with one field dropped, nulled, mistyped, huge or unicode (${RUNS.mutants} cases)`, async () => {
    await assertAsync(
      fc.asyncProperty(
        fc.constantFrom(...shapes.filter((s) => s !== 'single')),
        fc.array(mutant, { minLength: 1, maxLength: 4 }),
        (shape, records) => run(shaped(records, shape, sampleBeside), variables, true),
      ),
      RUNS.mutants,
    );
  });

  it.skipIf(settingKeys.length === 0)(`arbitrary strings for each setting (${RUNS.settings} cases)`, async () => {
    const settingValue = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.constantFrom('', ' ', ',', 'a,b', 'left_value,right_value\r\nx,y'),
    );
    await assertAsync(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...settingKeys), settingValue), (vars) =>
        run(shaped(sampleRecords, 'records', sampleBeside), { ...variables, ...vars }),
      ),
      RUNS.settings,
    );
  });

  // Only for steps that read data beside their records; the others have nothing there to spoil.
  if (besideKeys.length > 0)
    it(`what rides beside the records, spoilt (${RUNS.beside} cases)`, async () => {
      const spoiltBeside = fc.oneof(
        fc.tuple(fc.nat(), mutation).map(([pick, spoil]) => {
          const paths = pathsOf(sampleBeside);
          return paths.length === 0
            ? sampleBeside
            : (json(setAt(sampleBeside, paths[pick % paths.length]!, spoil)) as Record<string, unknown>);
        }),
        fc
          .tuple(fc.constantFrom(...besideKeys), fc.jsonValue({ maxDepth: 3 }))
          .map(([name, value]) => ({ ...sampleBeside, [name]: value })),
      );
      await assertAsync(
        fc.asyncProperty(
          fc.constantFrom(...shapes.filter((s) => s !== 'single' && s !== 'array')),
          spoiltBeside,
          (shape, beside) => run(shaped(sampleRecords, shape, beside), variables),
        ),
        RUNS.beside,
      );
    });

  /** The step's answer as comparable text: what it returned (its payload), or what it threw. */
  const answer = async (payload: string, vars: Record<string, string> = variables): Promise<string> => {
    const outcome = await runner.call({ payload, variables: vars, meta: {}, flow: { variables: {} } });
    checkOutcome(key, recordsField, payload, outcome);
    if (outcome.kind === 'threw') return `threw: ${outcome.message}`;
    return (outcome as { result: { payload: string } }).result.payload;
  };
  /** A lookup-table setting: unset, it reads as an empty table. */
  function isTableSetting(name: string): boolean {
    return (
      (step.settings as Record<string, { safeParse(v: unknown): { data?: unknown } }>)[name]!.safeParse(undefined)
        .data instanceof Map
    );
  }
  const fieldPaths = sampleRecords.map((record) =>
    pathsOf(record).filter((at) => typeof at[at.length - 1] === 'string'),
  );
  const pickField = (pick: (value: unknown) => boolean) =>
    fc.tuple(fc.nat(sampleRecords.length - 1), fc.nat()).map(([which, n]) => {
      const candidates = fieldPaths[which]!.filter((at) => pick(valueAt(sampleRecords[which], at)));
      return { which, at: candidates.length === 0 ? undefined : candidates[n % candidates.length] };
    });
  const withRecord = (which: number, record: unknown) => sampleRecords.map((r, i) => (i === which ? record : r));

  // Every field of every sample record, one at a time: the classes below are small enough to walk whole.
  const everyField = (pick: (value: unknown) => boolean) =>
    fieldPaths.flatMap((paths, which) =>
      paths.filter((at) => pick(valueAt(sampleRecords[which], at))).map((at) => ({ which, at })),
    );

  it('null in any field reads as the field left out (every field of the sample)', async () => {
    for (const { which, at } of everyField(() => true)) {
      const nulled = shaped(
        withRecord(
          which,
          setAt(sampleRecords[which], at, () => null),
        ),
        'records',
        sampleBeside,
      );
      const dropped = shaped(
        withRecord(
          which,
          setAt(sampleRecords[which], at, () => DELETE),
        ),
        'records',
        sampleBeside,
      );
      // The records travel on as they came, so compare with every null left out of both answers.
      expect(withoutNullsDeep(await answer(nulled)), `null at ${at.join('.')}`).toEqual(
        withoutNullsDeep(await answer(dropped)),
      );
    }
  });

  it(
    'a name an object inherits (constructor, __proto__…) behaves as any other name, in records and tables ' +
      '(every text field)',
    async () => {
      // Every table the step declares: the sample's, and the others holding one placeholder row.
      const tables = settingKeys
        .filter(isTableSetting)
        .map((name) => [name, variables[name] ?? 'left_value,right_value\r\nplaceholder,1'] as const);
      const fields = everyField((value) => typeof value === 'string');
      let n = 0;
      for (const { which, at } of fields) {
        // Tables as the sample has them; every table set, without the name; every table holding the name.
        for (const tablesMode of ['as-sample', 'set', 'holding'] as const) {
          const name = INHERITED_NAMES[n++ % INHERITED_NAMES.length]!;
          const variant = (word: string) => {
            const records = withRecord(
              which,
              setAt(sampleRecords[which], at, () => word),
            );
            const vars = { ...variables };
            if (tablesMode !== 'as-sample') {
              for (const [setting, csv] of tables)
                vars[setting] =
                  tablesMode === 'set'
                    ? csv
                    : `${csv.trimEnd()}\r\n${word},${csv.split(/\r?\n/)[1]?.split(',')[1] ?? 'x'}`;
            }
            return answer(shaped(records, 'records', sampleBeside), vars);
          };
          // A plain name of the same length, so quoted excerpts cut alike; compared without case, as codes are
          // upper-cased.
          const plain = `z${'q'.repeat(name.length - 1)}`;
          // Ids derived from a name (X-Series' version 5 sale UUID) differ with the name, as they should.
          const comparable = (text: string) => text.toLowerCase().replaceAll(DERIVED_UUID, 'derived-uuid');
          const inherited = comparable((await variant(name)).toLowerCase().replaceAll(name.toLowerCase(), plain));
          expect(inherited, `${name} at ${at.join('.')}, tables ${tablesMode}`).toBe(comparable(await variant(plain)));
        }
      }
    },
  );

  it(
    `a number that is not finite (1e400 reads as Infinity) ` + `is never written out (${RUNS.nonFinite} cases)`,
    async () => {
      await assertAsync(
        fc.asyncProperty(
          pickField((value) => typeof value === 'number'),
          fc.constantFrom('1e400', '-1e400'),
          async ({ which, at }, literal) => {
            if (!at) return;
            const payload = shaped(
              withRecord(
                which,
                setAt(sampleRecords[which], at, () => NON_FINITE_MARK),
              ),
              'records',
              sampleBeside,
            ).replace(`"${NON_FINITE_MARK}"`, literal);
            const outcome = await runner.call({ payload, variables, meta: {}, flow: { variables: {} } });
            checkOutcome(key, recordsField, payload, outcome, true);
            const envelope = JSON.parse((outcome as { result: { payload: string } }).result.payload) as Envelope;
            const written = JSON.stringify(envelope.records);
            expect(written).not.toContain('Infinity');
            // A body the step builds never carries null; only a record passed on as it came can (JSON has no Infinity).
            if (builds(key)) expect(written, `${literal} at ${at.join('.')}`).not.toContain('null');
          },
        ),
        RUNS.nonFinite,
      );
    },
  );

  it.skipIf(!settingKeys.some(isTableSetting))(
    'a table value that is not finite (JSON 1e400) fails the step naming the setting and the key',
    async () => {
      for (const setting of settingKeys.filter(isTableSetting)) {
        for (const literal of ['1e400', '-1e400']) {
          const outcome = await runner.call({
            payload: '[]',
            variables: { ...variables, [setting]: `{"K-1": ${literal}}` },
            meta: {},
            flow: { variables: {} },
          });
          checkOutcome(key, recordsField, '[]', outcome);
          expect(outcome.kind, `${setting} = {"K-1": ${literal}}`).toBe('threw');
          expect((outcome as { message: string }).message).toMatch(
            new RegExp(`^${key}: setting "${setting}" is not valid: .*"K-1".* not a finite number`),
          );
        }
      }
    },
  );

  it(`huge payloads: many records, long and unicode strings (${RUNS.huge} cases)`, async () => {
    await assertAsync(
      fc.asyncProperty(
        fc.integer({ min: 500, max: 3_000 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
        fc.boolean(),
        fc.oneof(fc.constant(0), fc.integer({ min: 9_800, max: 10_200 })),
        async (count, text, spoil, metaFill) => {
          // Many records, each with its own id-ish text, so every exception and summary line is different.
          const records = Array.from({ length: count }, (_, i) => {
            const base = sampleRecords[i % sampleRecords.length];
            if (!spoil || !isObject(base)) return base;
            return { ...base, type: `${text}-${i}`, [`${text}${i}`]: text.repeat(50) };
          });
          // Meta already near Patchworks' cap from earlier steps: the step's counters must give way, not overflow it.
          // A step whose own meta a flow reads (a plan's pull_since) fails instead, naming it: checkOutcome checks it
          // starts with the step key.
          const ownMeta = step.meta !== undefined && metaFill > 0;
          await run(shaped(records, recordsField ? 'own' : 'records', sampleBeside), variables, !ownMeta, {
            earlier: 'm'.repeat(metaFill),
          });
        },
      ),
      RUNS.huge,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Generators for classes of input that belong to particular steps.

const byKey = new Map(steps.map((entry) => [entry.key, entry]));
const runnerFor = (key: string) => {
  const runner = new BundleRunner(path.join(ROOT, 'dist', 'scripts', `${key}.js`));
  runners.push(runner);
  return runner;
};
const returned = async (
  runner: BundleRunner,
  key: string,
  payload: unknown,
  variables: Record<string, string>,
): Promise<Envelope> => {
  const text = JSON.stringify(payload);
  const outcome = await runner.call({ payload: text, variables, meta: {}, flow: { variables: {} } });
  checkOutcome(key, byKey.get(key)!.step.recordsField as string | undefined, text, outcome, true);
  return JSON.parse((outcome as { result: { payload: string } }).result.payload) as Envelope;
};

describe.each([
  ['map-order-to-netsuite', 'tax_codes', (i: number) => `2:${15 + i}`],
  [
    'map-order-to-lightspeed-x',
    'tax_ids',
    (i: number) => `b1d192bc-f019-11e3-a0f5-b8ca3a64f${String(900 + i).padStart(3, '0')}`,
  ],
  ['map-order-to-lightspeed-r', 'tax_categories', (i: number) => String(3 + i)],
])('%s: a %s table whose rates collide once normalised', (key, setting, value) => {
  const runner = runnerFor(key);
  it(`fails the step, naming both lines (${RUNS.collisions} cases)`, async () => {
    const rate = fc.tuple(fc.integer({ min: 0, max: 30 }), fc.constantFrom('', '.5', '.25'));
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(rate, { minLength: 1, maxLength: 5, selector: ([w, f]) => `${w}${f}` }),
        fc.nat(),
        fc.constantFrom('0', '00'),
        async (rates, pick, pad) => {
          const [whole, fraction] = rates[pick % rates.length]!;
          const plain = `${whole}${fraction}`;
          const respelt = fraction === '' ? `${whole}.${pad}` : `${whole}${fraction}${pad}`;
          const lefts = [...rates.map(([w, f]) => `${w}${f}`), respelt];
          const csv = ['left_value,right_value', ...lefts.map((left, i) => `${left},${value(i)}`)].join('\r\n');
          const outcome = await runner.call({
            payload: '[]',
            variables: { ...byKey.get(key)!.sample.variables, [setting]: csv },
            meta: {},
            flow: { variables: {} },
          });
          expect(outcome.kind).toBe('threw');
          const message = (outcome as { message: string }).message;
          const first = lefts.indexOf(plain) + 2;
          expect(message).toContain(
            `line ${first} (${JSON.stringify(plain)}) and line ${lefts.length + 1} ` +
              `(${JSON.stringify(respelt)}) are the same key`,
          );
          expect(message.length).toBeLessThan(600);
        },
      ),
      { seed: SEED, numRuns: RUNS.collisions },
    );
  });
});

describe('amounts in a currency with 3 (or 0) decimal places keep every place', () => {
  // Three-decimal (ISO 4217 minor unit 3) and no-decimal currencies, with amounts of that many places.
  const currency = fc.constantFrom(['KWD', 3], ['BHD', 3], ['JPY', 0], ['GBP', 2]) as fc.Arbitrary<[string, number]>;
  const amount = (places: number) =>
    fc.integer({ min: 1, max: 9_999_999 }).map((units) => new Big(units).div(new Big(10).pow(places)).toFixed(places));
  const order = (id: string, code: string, nets: string[]) => ({
    type: 'order',
    purchase_identifiers: { sparklayer: id },
    customer_identifiers: { sparklayer: 'CO-1' },
    currency_code: code,
    payment_method: 'invoice',
    packages: [
      {
        line_items: nets.map((net, i) => ({
          identifiers: { sku: `id:${90 + i}` },
          quantity: 1 + (i % 3),
          line_total: { total_net: { number: net, currency: code }, tax_rate: 0 },
        })),
      },
    ],
  });
  const sum = (values: Array<string | number>) =>
    values.reduce<Big>((total, value) => total.plus(String(value)), new Big(0)).toFixed();
  const netsuite = runnerFor('map-order-to-netsuite');
  const reconcile = runnerFor('reconcile-order-totals');
  const credit = runnerFor('sync-credit-hold');
  const lines = (places: number) => fc.array(amount(places), { minLength: 1, maxLength: 4 });

  it(`map-order-to-netsuite books the line amounts exactly (${RUNS.minorUnits} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        currency.chain(([code, places]) => fc.tuple(fc.constant(code), lines(places))),
        async ([code, nets]) => {
          const envelope = await returned(
            netsuite,
            'map-order-to-netsuite',
            [{ ...order('o-1', code, nets), erp_account: '110' }],
            { tax_mode: 'netsuite' },
          );
          expect(envelope.exceptions).toEqual([]);
          const body = envelope.records[0] as { item: { items: Array<{ amount: number }> } };
          expect(sum(body.item.items.map((line) => line.amount))).toBe(sum(nets));
        },
      ),
      { seed: SEED, numRuns: RUNS.minorUnits },
    );
  });

  it(
    `reconcile-order-totals matches exact totals and names a difference of one minor unit ` +
      `(${RUNS.minorUnits} cases)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          currency.chain(([code, places]) => fc.tuple(fc.constant(code), fc.constant(places), lines(places))),
          async ([code, places, nets]) => {
            const total = new Big(sum(nets)).toFixed(places);
            const off = new Big(total).plus(new Big(1).div(new Big(10).pow(places))).toFixed(places);
            const target = (id: string, gross: string) => ({
              reference: id,
              currency: code,
              net: gross,
              tax: '0',
              gross,
            });
            const envelope = await returned(
              reconcile,
              'reconcile-order-totals',
              {
                source: [order('o-1', code, nets), order('o-2', code, nets)],
                target: [target('o-1', total), target('o-2', off)],
              },
              { tolerance: '0' },
            );
            expect(
              envelope.records.map(
                (r) => (r as { purchase_identifiers: { sparklayer: string } }).purchase_identifiers.sparklayer,
              ),
            ).toEqual(['o-1']);
            expect(envelope.exceptions.map((e) => [e.id, e.code])).toEqual([['o-2', 'TOTAL_MISMATCH']]);
            expect(envelope.exceptions[0]!.message).toContain(`gross: expected ${total}, actual ${off}`);
          },
        ),
        { seed: SEED, numRuns: RUNS.minorUnits },
      );
    },
  );

  it(`sync-credit-hold writes the ERP's limit with every decimal it has (${RUNS.minorUnits} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        currency.chain(([code, places]) => fc.tuple(fc.constant(code), amount(places))),
        async ([code, limit]) => {
          const customers = [
            {
              id: 'c-1',
              accounting_id: 'A1',
              group: 'trade',
              payment_on_account: { credit_limit: '1', currency_code: code },
            },
          ];
          const envelope = await returned(
            credit,
            'sync-credit-hold',
            { accounts: [{ account: 'A1', on_hold: false, credit_limit: limit, currency: code }], customers },
            {},
          );
          const written =
            (envelope.records[0] as { payment_on_account: { credit_limit: string } } | undefined)?.payment_on_account
              .credit_limit ?? '1';
          expect(new Big(written).eq(limit)).toBe(true);
          expect(written.split('.')[1]?.length ?? 0).toBe(limit.split('.')[1]?.length ?? 0);
        },
      ),
      { seed: SEED, numRuns: RUNS.minorUnits },
    );
  });
});

describe('reconcile-order-totals: targets that name quotes, carts, unreadable purchases and repeats', () => {
  const runner = runnerFor('reconcile-order-totals');
  const [template] = byKey.get('reconcile-order-totals')!.sample.records as Array<Record<string, unknown>>;
  const kinds = ['order', 'quote', 'cart', 'unreadable', 'repeat'] as const;

  it(`accounts for every target exactly once (${RUNS.targets} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...kinds), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        async (sourceKinds, picks) => {
          const source = sourceKinds.map((kind, i) => {
            const id = kind === 'repeat' && i > 0 ? `s-${i - 1}` : `s-${i}`;
            const base = { ...(json(template) as Record<string, unknown>), purchase_identifiers: { sparklayer: id } };
            if (kind === 'quote' || kind === 'cart') return { ...base, type: kind };
            return kind === 'unreadable' ? { ...base, packages: [] } : base;
          });
          const targets = picks.map((pick, t) => ({
            reference: pick % 3 === 0 ? `erp-${t}` : `s-${pick % sourceKinds.length}`,
            currency: 'GBP',
            net: '157.50',
            tax: '31.50',
            gross: '189.00',
          }));
          const envelope = await returned(runner, 'reconcile-order-totals', { source, target: targets }, {});
          // Each target is in exactly one place: an exception's record, or the target a passed or mismatched order
          // names.
          const named = [
            ...envelope.exceptions.filter((e) => isObject(e.record) && 'net' in e.record).map((e) => e.record),
            ...envelope.records.map((r) => (r as { reconciliation: { target: string } }).reconciliation.target),
            ...envelope.exceptions
              .map((e) => (e as { details?: { target?: string } }).details?.target)
              .filter((t) => t !== undefined),
          ];
          expect(named).toHaveLength(targets.length);
          expect(envelope.summary['reconcile-order-totals']!.in).toBe(
            source.length + envelope.exceptions.filter((e) => isObject(e.record) && 'net' in e.record).length,
          );
        },
      ),
      { seed: SEED, numRuns: RUNS.targets },
    );
  });
});

describe('map-stock-to-sparklayer: numbers as text, exact floors, pair keys and archived items', () => {
  const key = 'map-stock-to-sparklayer';
  const runner = runnerFor(key);
  type Row = { sku: string; stock_location_external_id: string; stock_level: number };
  const PLAIN = /^-?\d+(\.\d+)?$/;
  const digits = (minLength: number, maxLength: number) =>
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });
  /** Plain decimal text, often with a long run of 9s or 0s after the point (where a rounded division goes wrong). */
  const fraction = fc.oneof(
    digits(0, 12),
    fc.integer({ min: 15, max: 26 }).map((n) => '9'.repeat(n)),
    fc.integer({ min: 15, max: 25 }).map((n) => `${'0'.repeat(n)}1`),
  );
  const decimal = (sign: fc.Arbitrary<string>) =>
    fc
      .tuple(sign, fc.integer({ min: 0, max: 999 }), fraction)
      .map(([minus, whole, frac]) => `${minus}${whole}${frac === '' ? '' : `.${frac}`}`);
  /** The text as an integer count of 10^-places, exactly (BigInt: independent of big.js). */
  const scaled = (text: string, places: number): bigint => {
    const [whole, frac = ''] = text.replace('-', '').split('.');
    const value = BigInt(`${whole}${frac.padEnd(places, '0')}`);
    return text.startsWith('-') ? -value : value;
  };
  const placesOf = (text: string) => text.split('.')[1]?.length ?? 0;
  const rowsOf = (envelope: Envelope) =>
    new Map((envelope.records as Row[]).map((r) => [JSON.stringify([r.sku, r.stock_location_external_id]), r]));

  it(`a number as text is read exactly or is that record's INVALID_QUANTITY (${RUNS.stockNumbers} cases)`, async () => {
    const spoil = fc.constantFrom<(text: string) => string>(
      (t) => t,
      (t) => `+${t}`,
      (t) => ` ${t}`,
      (t) => `${t} `,
      (t) => `${t}e2`,
      (t) => `0x${t.replace(/\D/g, '')}`,
      (t) => t.replace(/(\d)(\d)/, '$1_$2'),
      (t) => t.replace(/(\d)(\d)/, '$1,$2'),
      (t) => `${t}.`,
      (t) => `.${t.replace('-', '')}`,
      (t) => t.replace(/\d/, (d) => String.fromCharCode(0xff10 + Number(d))),
      () => 'Infinity',
      () => '-Infinity',
      () => 'NaN',
      (t) => `${t}\u0000`,
    );
    await fc.assert(
      fc.asyncProperty(
        decimal(fc.constantFrom('', '', '-')),
        spoil,
        fc.constantFrom('on_hand', 'available'),
        async (plain, how, field) => {
          const text = how(plain);
          const envelope = await returned(
            runner,
            key,
            [
              { sku: 'FUZZ', location: '1', on_hand: '0', [field]: text },
              { sku: 'GOOD', location: '1', on_hand: '2' },
            ],
            {},
          );
          const rows = rowsOf(envelope);
          expect(rows.get('["GOOD","1"]')?.stock_level).toBe(2);
          if (PLAIN.test(text) && text.length <= 40) {
            expect(envelope.exceptions).toEqual([]);
            const published = text.startsWith('-') ? 0n : BigInt(text.split('.')[0]!);
            expect(rows.get('["FUZZ","1"]')?.stock_level, text).toBe(Number(published));
          } else {
            expect(envelope.exceptions.map((e) => [e.id, e.code])).toEqual([['FUZZ@1', 'INVALID_QUANTITY']]);
            expect(envelope.exceptions[0]!.message).toContain(`${field} is ${JSON.stringify(text.slice(0, 40))}`);
            expect(rows.has('["FUZZ","1"]')).toBe(false);
          }
        },
      ),
      { seed: SEED, numRuns: RUNS.stockNumbers },
    );
  });

  it(`levels, buffer and packs floor exactly, long decimals included (${RUNS.stockFloors} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(decimal(fc.constantFrom('', '', '', '-')), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 5 }),
        fc.constantFrom('1', '3', '12', '1.5', '0.25', '2.000000000000000000000001'),
        async (levels, buffer, units) => {
          const records = levels.map((on_hand, i) => ({
            sku: 'MUG',
            location: String(1 + (i % 2)),
            on_hand,
            source: `s${i}`,
          }));
          const envelope = await returned(runner, key, records, {
            stock_buffer: String(buffer),
            location_map: 'left_value,right_value\r\n1,WH\r\n2,WH',
            unit_map: `left_value,right_value\r\nMUG-PACK,MUG*${units}`,
          });
          const places = Math.max(placesOf(units), ...levels.map(placesOf));
          const available =
            levels.reduce((sum, text) => sum + scaled(text, places), 0n) - scaled(String(buffer), places);
          const floor = (divisor: bigint) => Number(available <= 0n ? 0n : available / divisor);
          const rows = rowsOf(envelope);
          const what = `${levels.join(' + ')} - ${buffer}, packs of ${units}`;
          expect(rows.get('["MUG","WH"]')?.stock_level, what).toBe(floor(scaled('1', places)));
          expect(rows.get('["MUG-PACK","WH"]')?.stock_level, what).toBe(floor(scaled(units, places)));
        },
      ),
      { seed: SEED, numRuns: RUNS.stockFloors },
    );
  });

  it(`every SKU and location is its own row, whatever characters they hold (${RUNS.stockPairs} cases)`, async () => {
    const name = fc.string({
      unit: fc.constantFrom('A', 'B', '1', '@', '"', '[', ']', ',', '\\', ' ', '\u0000', '\u001f', '\u007f', '\u0085'),
      minLength: 1,
      maxLength: 4,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(name, name, fc.integer({ min: 0, max: 99 }), fc.constantFrom('x', 'y', '\u0000')), {
          minLength: 1,
          maxLength: 8,
        }),
        async (levels) => {
          const records = levels.map(([sku, location, n, source]) => ({ sku, location, on_hand: String(n), source }));
          const envelope = await returned(runner, key, records, {});
          // The oracle: a blank name or a control character inside one is INVALID_RECORD; a repeat of the same
          // source, SKU and location is skipped; the rest add up per SKU and location, each pair one row.
          const expected = new Map<string, number>();
          const origins = new Set<string>();
          let refused = 0;
          let repeats = 0;
          for (const [sku, location, n, source] of levels) {
            const [s, l] = [sku.trim(), location.trim()];
            if (s === '' || l === '' || /\p{Cc}/u.test(s) || /\p{Cc}/u.test(l)) {
              refused += 1;
              continue;
            }
            const origin = JSON.stringify([source, s, l]);
            if (origins.has(origin)) {
              repeats += 1;
              continue;
            }
            origins.add(origin);
            const pair = JSON.stringify([s, l]);
            expected.set(pair, (expected.get(pair) ?? 0) + n);
          }
          const rows = envelope.records as Row[];
          expect(rows).toHaveLength(expected.size);
          expect(new Map([...rowsOf(envelope)].map(([pair, row]) => [pair, row.stock_level]))).toEqual(expected);
          expect(envelope.exceptions.map((e) => e.code)).toEqual(Array(refused).fill('INVALID_RECORD'));
          expect(envelope.skipped).toHaveLength(repeats);
          for (const row of rows) expect(/\p{Cc}/u.test(row.sku + row.stock_location_external_id)).toBe(false);
        },
      ),
      { seed: SEED, numRuns: RUNS.stockPairs },
    );
  });

  it(`archived: never above 0, nor at all with archived_action=exception (${RUNS.stockArchived} cases)`, async () => {
    const targetOf: Record<string, string> = { '1': 'WH-NORTH', '2': 'WH-NORTH', '3': 'WH-SOUTH' };
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom('MUG', 'BOWL'),
            fc.constantFrom('1', '2', '3'),
            fc.oneof(
              { weight: 5, arbitrary: fc.integer({ min: -5, max: 50 }).map(String) },
              { weight: 1, arbitrary: fc.constant('lots') },
            ),
            fc.boolean(),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        fc.constantFrom('zero', 'exception'),
        async (levels, action) => {
          const records = levels.map(([sku, location, on_hand, archived], i) => ({
            sku,
            location,
            on_hand,
            source: `s${i}`,
            ...(archived ? { archived } : {}),
          }));
          const envelope = await returned(runner, key, records, {
            archived_action: action,
            location_map: 'left_value,right_value\r\n1,WH-NORTH\r\n2,WH-NORTH\r\n3,WH-SOUTH',
            unit_map: 'left_value,right_value\r\nMUG-CASE6,MUG*6',
          });
          const archivedAt = new Set(
            levels.filter(([, , , archived]) => archived).map(([sku, location]) => `${sku}@${targetOf[location]}`),
          );
          const sums = new Map<string, number>();
          for (const [sku, location, onHand] of levels)
            if (onHand !== 'lots') {
              const pair = `${sku}@${targetOf[location]}`;
              sums.set(pair, (sums.get(pair) ?? 0) + Number(onHand));
            }
          for (const row of envelope.records as Row[]) {
            const pair = `${row.sku.replace('-CASE6', '')}@${row.stock_location_external_id}`;
            if (archivedAt.has(pair)) {
              expect(action, `${pair} is archived`).toBe('zero');
              expect(row.stock_level, `${pair} is archived`).toBe(0);
            } else {
              const units = row.sku.endsWith('-CASE6') ? 6 : 1;
              expect(row.stock_level).toBe(Math.floor(Math.max(0, sums.get(pair)!) / units));
            }
          }
          if (action === 'exception') {
            const archivedCount = levels.filter(([, , onHand, archived]) => archived && onHand !== 'lots').length;
            expect(envelope.exceptions.filter((e) => e.code === 'ARCHIVED_ITEM')).toHaveLength(archivedCount);
            const held = levels.filter(
              ([sku, location, onHand, archived]) =>
                !archived && onHand !== 'lots' && archivedAt.has(`${sku}@${targetOf[location]}`),
            ).length;
            expect(
              envelope.skipped.filter((s) => (s as { reason: string }).reason === 'held-back:archived'),
            ).toHaveLength(held);
          }
        },
      ),
      { seed: SEED, numRuns: RUNS.stockArchived },
    );
  });
});
