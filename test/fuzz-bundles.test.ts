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
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSteps, ROOT } from './support/steps.js';

const SEED = 20261122;
const CALL_TIMEOUT_MS = 5_000;
const META_BYTES = 10_240;
const LOGS_CHARS = 500;
const RUNS = { text: 60, json: 150, shapes: 200, mutants: 400, settings: 150, beside: 100, huge: 10 };

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
      for (const resolve of this.pending.values()) resolve({ kind: 'threw', isError: true, name: 'WorkerError', ctor: 'WorkerError', message: String(error) });
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
  exceptions: Array<{ record: unknown }>;
  summary: Record<string, { in: number; records: number; skipped: number; exceptions: number }>;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** What the step should read from a payload, mirroring the accepted shapes; undefined when it must throw. */
function expectedInput(
  payload: string,
  recordsField: string | undefined,
): { records: unknown[]; carriedExceptions: number; carriedSkipped: number; carriedSummary: string[]; beside: Record<string, unknown> } | undefined {
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
function checkOutcome(key: string, recordsField: string | undefined, payload: string, outcome: Outcome, mustReturn = false): void {
  if (outcome.kind === 'hang') throw new Error(`${key}: HANG (no answer within ${CALL_TIMEOUT_MS} ms)`);
  if (outcome.kind === 'threw') {
    const what = `${outcome.ctor}/${outcome.name}: ${outcome.message.slice(0, 300)}`;
    if (!outcome.isError) throw new Error(`threw a non-Error: ${what}`);
    if (!outcome.message.startsWith(`${key}: `)) throw new Error(`threw a foreign error: ${what}`);
    if (outcome.message.startsWith(`${key}: internal error`)) throw new Error(`threw a wrapped internal error: ${what}`);
    if (mustReturn) throw new Error(`threw for a well-formed payload with valid settings: ${what}`);
    return;
  }
  const input = expectedInput(payload, recordsField);
  if (!input) throw new Error(`returned for a payload the contract says must fail: ${payload.slice(0, 200)}`);
  const data = outcome.result as { payload?: unknown; meta?: unknown; logs?: unknown };
  expect(isObject(data), 'the handler returns a data object').toBe(true);
  expect(typeof data.payload).toBe('string');
  const envelope = JSON.parse(data.payload as string) as Envelope;
  expect(Array.isArray(envelope.records) && Array.isArray(envelope.skipped) && Array.isArray(envelope.exceptions)).toBe(true);
  const ownKey = Object.keys(envelope.summary).find((name) => (name === key || name.startsWith(`${key}#`)) && !input.carriedSummary.includes(name));
  expect(ownKey, 'the step writes its own summary').toBeDefined();
  const summary = envelope.summary[ownKey!]!;

  const targets = key === 'reconcile-order-totals' && Array.isArray(input.beside.target) ? input.beside.target : [];
  expect(summary.in).toBeGreaterThanOrEqual(input.records.length);
  expect(summary.in).toBeLessThanOrEqual(input.records.length + targets.length);
  expect(summary.records + summary.skipped + summary.exceptions).toBe(summary.in);
  expect(envelope.skipped.length).toBe(input.carriedSkipped + summary.skipped);
  expect(envelope.exceptions.length).toBe(input.carriedExceptions + summary.exceptions);

  // Each of this step's exceptions carries an input record (or, for reconcile, a target), each used once.
  const remaining = [...input.records, ...targets].map((value) => JSON.stringify(value));
  for (const exception of envelope.exceptions.slice(input.carriedExceptions)) {
    const index = remaining.indexOf(JSON.stringify(exception.record));
    if (index < 0) throw new Error(`an exception's record is not an input record: ${JSON.stringify(exception).slice(0, 300)}`);
    remaining.splice(index, 1);
  }

  expect(new TextEncoder().encode(JSON.stringify(data.meta ?? {})).length).toBeLessThanOrEqual(META_BYTES);
  const logs = Array.isArray(data.logs) ? (data.logs as unknown[]).join('') : String(data.logs ?? '');
  expect(logs.length).toBeLessThanOrEqual(LOGS_CHARS);
}

// ---------------------------------------------------------------------------------------------------------
// Generators.

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
  fc.constant((old: unknown) => (typeof old === 'number' ? String(old) : typeof old === 'string' && old.trim() !== '' && !Number.isNaN(Number(old)) ? Number(old) : String(old))),
  fc.constant((old: unknown) => (Array.isArray(old) ? Object.fromEntries(old.map((v, i) => [String(i), v])) : isObject(old) ? Object.values(old) : [old])),
  fc.constant((old: unknown) => (typeof old === 'object' ? JSON.stringify(old) : { value: old })),
  fc.constantFrom(true, false, 0, -1, 1e308, -0.000001, 3.999999999, '', ' ', 'NaN', '1e400', '-0', '0x10').map((v) => () => v),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => () => 'x'.repeat(n)),
  fc.integer({ min: 20, max: 200 }).map((n) => (old: unknown) => deep(n, old)),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => () => s),
  fc.jsonValue({ maxDepth: 3 }).map((v) => () => v),
);

const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

// ---------------------------------------------------------------------------------------------------------

describe('the fuzz oracle itself', () => {
  const envelope = (records: unknown[], exceptions: unknown[], inCount: number) => ({
    kind: 'returned' as const,
    result: {
      payload: JSON.stringify({ records, skipped: [], exceptions, summary: { k: { in: inCount, records: records.length, skipped: 0, exceptions: exceptions.length } } }),
      meta: {},
      logs: ['k: ok'],
    },
  });
  it('accepts a run that accounts for every record, and a "k: " error', () => {
    expect(() => checkOutcome('k', undefined, '[1,{"a":2}]', envelope([1], [{ record: { a: 2 } }], 2))).not.toThrow();
    expect(() => checkOutcome('k', undefined, 'nope', { kind: 'threw', isError: true, name: 'Error', ctor: 'StepError', message: 'k: bad' })).not.toThrow();
  });
  it('rejects a lost record, a foreign exception record, a TypeError, a wrapped internal error and a hang', () => {
    expect(() => checkOutcome('k', undefined, '[1,2]', envelope([1], [], 1))).toThrow();
    expect(() => checkOutcome('k', undefined, '[1,2]', envelope([1], [{ record: 3 }], 2))).toThrow();
    expect(() => checkOutcome('k', undefined, '[1]', { kind: 'threw', isError: true, name: 'TypeError', ctor: 'TypeError', message: "Cannot read properties of undefined (reading 'x')" })).toThrow();
    expect(() => checkOutcome('k', undefined, '[1]', { kind: 'threw', isError: true, name: 'Error', ctor: 'StepError', message: 'k: internal error while processing the payload: x' })).toThrow();
    expect(() => checkOutcome('k', undefined, '[1]', { kind: 'hang' })).toThrow();
    expect(() => checkOutcome('k', undefined, '[1]', { kind: 'threw', isError: true, name: 'Error', ctor: 'StepError', message: 'k: bad' }, true)).toThrow();
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

  const run = async (payload: string, vars: Record<string, string> = variables, mustReturn = false, meta: Record<string, string> = {}) => {
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
  const mutant = fc
    .tuple(fc.nat(sampleRecords.length - 1), fc.nat(), mutation)
    .map(([which, pick, spoil]) => {
      const record = sampleRecords[which];
      const paths = pathsOf(record);
      return paths.length === 0 ? record : json(setAt(record, paths[pick % paths.length]!, spoil));
    });
  const anyRecord = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...sampleRecords) },
    { weight: 3, arbitrary: mutant },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 30 }), { maxKeys: 5 }) },
  );

  it(`arbitrary text (${RUNS.text} cases) and arbitrary JSON (${RUNS.json} cases)`, async () => {
    await assertAsync(fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), (text) => run(text)), RUNS.text);
    await assertAsync(fc.asyncProperty(fc.jsonValue(), (value) => run(JSON.stringify(value))), RUNS.json);
  });

  it(`every accepted shape, with mixed realistic, spoilt and arbitrary records (${RUNS.shapes} cases)`, async () => {
    await assertAsync(
      fc.asyncProperty(fc.constantFrom(...shapes), fc.array(anyRecord, { maxLength: 12 }), async (shape, records) => {
        // With the sample's settings and beside, a well-formed shape never fails as a whole (one bad record never throws).
        const first = records[0];
        const wellFormed =
          shape !== 'single' || (isObject(first) && !('records' in first) && !(recordsField !== undefined && recordsField in first) && !('data' in first));
        await run(shaped(records, shape, sampleBeside), variables, wellFormed);
      }),
      RUNS.shapes,
    );
  });

  it(`sample records with one field dropped, nulled, mistyped, huge or unicode (${RUNS.mutants} cases)`, async () => {
    await assertAsync(
      fc.asyncProperty(fc.constantFrom(...shapes.filter((s) => s !== 'single')), fc.array(mutant, { minLength: 1, maxLength: 4 }), (shape, records) =>
        run(shaped(records, shape, sampleBeside), variables, true),
      ),
      RUNS.mutants,
    );
  });

  it.skipIf(settingKeys.length === 0)(`arbitrary strings for each setting (${RUNS.settings} cases)`, async () => {
    const settingValue = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom('', ' ', ',', 'a,b', 'left_value,right_value\r\nx,y'));
    await assertAsync(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...settingKeys), settingValue), (vars) =>
        run(shaped(sampleRecords, 'records', sampleBeside), { ...variables, ...vars }),
      ),
      RUNS.settings,
    );
  });

  // Only for steps that read data beside their records; the others have nothing there to spoil.
  if (besideKeys.length > 0) it(`what rides beside the records, spoilt (${RUNS.beside} cases)`, async () => {
    const spoiltBeside = fc.oneof(
      fc.tuple(fc.nat(), mutation).map(([pick, spoil]) => {
        const paths = pathsOf(sampleBeside);
        return paths.length === 0 ? sampleBeside : (json(setAt(sampleBeside, paths[pick % paths.length]!, spoil)) as Record<string, unknown>);
      }),
      fc.tuple(fc.constantFrom(...besideKeys), fc.jsonValue({ maxDepth: 3 })).map(([name, value]) => ({ ...sampleBeside, [name]: value })),
    );
    await assertAsync(
      fc.asyncProperty(fc.constantFrom(...shapes.filter((s) => s !== 'single' && s !== 'array')), spoiltBeside, (shape, beside) =>
        run(shaped(sampleRecords, shape, beside), variables),
      ),
      RUNS.beside,
    );
  });

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
          await run(shaped(records, recordsField ? 'own' : 'records', sampleBeside), variables, true, { earlier: 'm'.repeat(metaFill) });
        },
      ),
      RUNS.huge,
    );
  });
});
