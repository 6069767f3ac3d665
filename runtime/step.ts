/**
 * The step runtime: turns a step declaration (key, settings, record schema, pure rule) into the
 * Patchworks script handler of pack-contract §1–§3.
 */
import * as z from 'zod';
import { PATCHWORKS_LIMITS, type PatchworksData, type PatchworksHandler } from './contract.js';
import { addToMeta, capLogs } from './caps.js';
import {
  describeJsonType,
  formatPath,
  readStepInput,
  withArticle,
  type Envelope,
  type Notice,
  type Skip,
  type StepException,
  type StepInput,
  type StepSummary,
} from './envelope.js';
import { withoutNulls } from './nulls.js';
import { readSettingValues, requireSettings, type SettingsOf, type SettingsShape } from './settings.js';
import { StepError } from './step-error.js';

/** Raised by the runtime itself for a record that does not match the step's record schema. */
export const INVALID_RECORD = 'INVALID_RECORD';

/** Who acts on an exception: the team a notification goes to and the exception table names. */
export const OWNERS = ['finance', 'operations', 'customer service', 'integration'] as const;
export type Owner = (typeof OWNERS)[number];

/** An exception code's declaration: who owns it, and what they do about it. Docs are generated from these. */
export interface ExceptionCode {
  owner: Owner;
  action: string;
}

export const RUNTIME_EXCEPTION_CODES: Record<typeof INVALID_RECORD, ExceptionCode> = {
  [INVALID_RECORD]: {
    owner: 'integration',
    action:
      'The record is not shaped as the step expects (the message names the field). Fix the record at its ' +
      'source or in the mapping before this step, then replay it from the exception.',
  },
};

/** What a notice on a passing record says: one of the step's declared codes, and the particulars. */
export interface NoticeOf<Code extends string> {
  code: Code;
  message: string;
}

export type Outcome<Code extends string> =
  | { kind: 'pass'; output?: unknown; add?: Record<string, unknown>; outputs?: unknown[]; notices?: NoticeOf<Code>[] }
  | { kind: 'skip'; reason: string }
  | { kind: 'exception'; code: Code; message: string; details?: unknown };

/** The record continues down the flow: unchanged, or replaced by `output`. */
export const pass = (output?: unknown): Outcome<never> =>
  output === undefined ? { kind: 'pass' } : { kind: 'pass', output };
/** The record continues as `output`, and each notice goes to its code's owner (an order held for finance). */
export const passNoting = <Code extends string>(output: unknown, notices: NoticeOf<Code>[]): Outcome<Code> =>
  notices.length === 0 ? pass(output) : { kind: 'pass', output, notices };
/** The record continues with these fields added, the rest of it exactly as it came (same fields, same order). */
export const passWith = (add: Record<string, unknown>): Outcome<never> => ({ kind: 'pass', add });
/** The record is dealt with and gives these records (none, one or several) to continue down the flow. */
export const passMany = (outputs: unknown[]): Outcome<never> => ({ kind: 'pass', outputs });
/** The record is deliberately not processed; `reason` says why in a few machine-readable words. */
export const skip = (reason: string): Outcome<never> => ({ kind: 'skip', reason });
/** The record cannot be processed; it is kept whole in `exceptions` for a person to fix and replay. */
export const fail = <Code extends string>(code: Code, message: string, details?: unknown): Outcome<Code> =>
  details === undefined ? { kind: 'exception', code, message } : { kind: 'exception', code, message, details };

/**
 * Something the step was given beside its records that matched none of them (a back-end order unknown to
 * SparkLayer): an exception of its own, counted in the step's `in`, so nothing given is lost.
 */
export interface Unmatched<Code extends string> {
  id: string | null;
  record: unknown;
  code: Code;
  message: string;
  details?: unknown;
}

export type RuleResult<Code extends string> =
  | Outcome<Code>[]
  | {
      outcomes: Outcome<Code>[];
      unmatched?: Unmatched<Code>[];
      /**
       * What the step writes beside its records (the order queue's new state), in place of what its input carried
       * beside them: a step that sums up a run hands on its summary, not the run's inputs again.
       */
      write?: Record<string, unknown>;
      /**
       * Figures the rule counted itself (stock levels found as last published), written to meta and the log line as
       * `counters` are: for what a step deals with and hands nothing on for, which no list shows.
       */
      counts?: Record<string, number>;
    };

/** A record read another way than the step's schema (StepDefinition.record.readerFor). */
export interface RecordReader<R, Code extends string> {
  /** What the rule gets for the record, or its exception: the message names the field. */
  read: (
    record: unknown,
  ) => { ok: true; value: R } | { ok: false; code: Code | typeof INVALID_RECORD; message: string };
  /** The record's stable identifier for `skipped` and `exceptions` entries. */
  id: (record: unknown) => string | null;
}

export interface StepDefinition<S extends SettingsShape, R, Code extends string, B = Record<string, unknown>> {
  /** The Patchworks script name and the folder under `scripts/`. */
  key: string;
  title: string;
  /** What the step is for, in a sentence a consultant would use. */
  purpose: string;
  settings: S;
  /** Every exception code the rule may raise: who owns it and what they should do about it. */
  exceptionCodes: Record<Code, ExceptionCode>;
  record: {
    /**
     * Parsed once, at the boundary, with null fields read as absent: a record that fails becomes an exception, never
     * reaches the rule.
     */
    schema: z.ZodType<R>;
    /** The record's stable identifier for `skipped` and `exceptions` entries. */
    id: (record: unknown) => string | null;
    /** The exception code for a schema failure at a top-level field; any other failure is INVALID_RECORD. */
    fieldCodes?: Partial<Record<string, Code>>;
    /**
     * The schema only checks (no transform, default or coercion), so a record that passes is already what the rule
     * expects: the rule gets the record as it came (less its null fields, runtime/nulls.ts) and zod's copy is dropped
     * at once. At tens of thousands of orders
     * that copy, kept alive for the whole rule, is most of a step's garbage collection (npm run bench). The pack's
     * tests check, for every step that says so, that its sample records parse to themselves.
     */
    checkOnly?: boolean;
    /**
     * With checkOnly: a hand-written check for the common record, quicker than the schema. True only for a record
     * the schema accepts (it is then read as it came, as checkOnly reads what the schema passes); false leaves the
     * record to the schema, which accepts it or words its failure. So it never changes what a record becomes.
     */
    quick?: (record: unknown) => boolean;
    /**
     * The record is the pack's own state, not a vendor's (the order queue): read as it came, nulls and all, since a
     * null there is a value the pack wrote and must be written back the same.
     */
    asWritten?: boolean;
    /**
     * A reader a setting chooses in place of `schema` and `id` (order_format=shopify_graphql: a Shopify order, not a
     * SparkLayer purchase), given the settings and what rides beside the records as it came; undefined (the common
     * case, decided once per run) keeps the schema, so its records pay nothing for it. Each record, as it came, is
     * read once to what the rule gets, or to the exception it is: one record that cannot be read never stops the
     * others. What continues, or is kept in `exceptions`, is still the record as it came.
     */
    readerFor?: (settings: SettingsOf<S>, beside: Record<string, unknown>) => RecordReader<R, Code> | undefined;
  };
  /**
   * Data the step reads from beside the records (e.g. `{ customers: [...] }`), parsed once; a malformed one
   * fails the whole step. Whatever rides beside the records is carried forward unchanged either way.
   */
  beside?: z.ZodType<B>;
  /**
   * A quicker read of the data beside, for the common case: exactly what `beside` parses it to, or undefined to leave
   * it to `beside` (which then reads it, or words its failure). Never accepts what `beside` refuses.
   */
  besideQuick?: (beside: Record<string, unknown>) => B | undefined;
  /**
   * Fields beside the records that this step is the last to read, so they are not handed on: the rows last published,
   * 100,000 of them, would be written out again for nobody. Everything else beside is carried forward.
   */
  besideDropped?: readonly string[];
  /** Where this step's own input shape keeps its records, e.g. `accounts` in `{accounts, customers}`. */
  recordsField?: string;
  /** Pure: one outcome per record, in order (and anything beside them that matched none). No I/O, no clock, no
   * environment. */
  rule: (records: readonly R[], settings: SettingsOf<S>, beside: B) => RuleResult<Code>;
  /** Figures for notify shapes beyond the standard counters, e.g. customers held; written to meta as strings. */
  counters?: (results: StepResults) => Record<string, number>;
  /** The envelope always has `notices`, even empty, so a flow-control shape can split it. */
  writesNotices?: boolean;
  /**
   * Meta variables for the shapes after this one (a connection shape's `[[meta.pull_since]]`), from the records as
   * parsed and the settings; pure, like the rule.
   */
  meta?: (records: readonly R[], settings: SettingsOf<S>) => Record<string, string>;
}

export function defineStep<S extends SettingsShape, R, Code extends string, B = Record<string, unknown>>(
  definition: StepDefinition<S, R, Code, B>,
): StepDefinition<S, R, Code, B> {
  return definition;
}

/**
 * A step's worked example, type-checked against the step: the records it takes, the settings a consultant
 * would type, and what comes out. The pack's tests run every sample through the step.
 */
export interface StepSample<Code extends string> {
  variables: Record<string, string>;
  records: unknown[];
  /** What rides beside the records, e.g. `{ customers: [...] }`. */
  beside?: Record<string, unknown>;
  expected: {
    passed: Array<string | null>;
    skipped: Array<{ id: string | null; reason: string }>;
    exceptions: Array<{ id: string | null; code: Code | typeof INVALID_RECORD }>;
  };
}

export function defineSample<S extends SettingsShape, R, Code extends string, B>(
  _step: StepDefinition<S, R, Code, B>,
  sample: Omit<StepSample<Code>, 'records' | 'variables' | 'beside'> & {
    variables: { [K in keyof S]?: string };
    records: R[];
    beside?: z.input<NonNullable<StepDefinition<S, R, Code, B>['beside']>>;
  },
): StepSample<Code> {
  // `_step` is here for type inference only: it ties the sample's settings, records and codes to the step.
  return {
    ...sample,
    variables: sample.variables as Record<string, string>,
    beside: sample.beside as Record<string, unknown> | undefined,
  };
}

// Any step, whatever its settings, record and codes; the runtime only needs the shape.
export type AnyStep = StepDefinition<any, any, string, any>;

/**
 * Patchworks is a PHP application, and PHP encodes an empty map as `[]`; a missing one may come as `null`. Both are
 * read as "nothing here" rather than failing every step of a flow that has no variables.
 */
const map = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (value) => (value === null || (Array.isArray(value) && value.length === 0) ? undefined : value),
    schema.optional(),
  );

const dataSchema = z.looseObject({
  payload: z.union([z.string(), z.null()]),
  variables: map(z.record(z.string(), z.unknown())),
  meta: map(z.record(z.string(), z.unknown())),
  flow: map(z.looseObject({ variables: map(z.record(z.string(), z.unknown())) })),
});

/** Runs one step on a Patchworks `data` object and returns it with the new payload, meta and logs. */
export function runStep(step: AnyStep, data: PatchworksData): PatchworksData {
  const checked = dataSchema.safeParse(data);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const what =
      data === null || typeof data !== 'object'
        ? withArticle(describeJsonType(data))
        : `data.${formatPath(issue.path)}`;
    throw new StepError(step.key, `the script was called with an invalid data object (${what}: ${issue.message}).`);
  }
  const given = checked.data as PatchworksData;
  const clockRead: string[] = [];
  const settings = readSettingValues(step.key, step.settings, given, clockRead);
  const input = readStepInput(step.key, data.payload, step.recordsField);
  // Once, before any record: a required setting left unset (after the payload, so a broken payload is named first).
  requireSettings(step.key, step.settings, settings);
  const beside = readBeside(step, input.beside);
  const { envelope, own, summary, parsed, counts } = processRecords(step, input, settings, beside);
  const prefix = step.key.replaceAll('-', '_');
  const counted = { ...step.counters?.(own), ...counts };
  const figures: Record<string, number> = { ...summary, ...tallyByCode(own.exceptions), ...counted };
  const counters = Object.fromEntries(
    Object.entries(figures).map(([name, value]) => [`${prefix}_${name}`, String(value)]),
  );
  // The step's own meta first: a flow that reads it must get it even when the counters do not fit.
  const ownMeta = step.meta?.(parsed, settings) ?? {};
  const { meta, dropped } = addToMeta(given.meta ?? {}, { ...ownMeta, ...counters });
  // A flow reads the step's own meta (a plan's pull_since): going on without it would act on a stale value.
  const lost = dropped.filter((key) => Object.hasOwn(ownMeta, key));
  if (lost.length > 0)
    throw new StepError(
      step.key,
      `meta is full (Patchworks' limit is ${PATCHWORKS_LIMITS.metaBytes} bytes): ${lost.join(', ')} could not be ` +
        'written. Clear meta variables an earlier shape set, then run the flow again.',
    );
  const lines = [
    ...(input.empty ? [`${step.key}: ${input.empty}`] : []),
    ...(clockRead.length > 0 ? [`${step.key}: ${clockRead.join(', ')}`] : []),
    summaryLine(step.key, own, summary) +
      (Object.keys(counted).length > 0
        ? `; ${Object.entries(counted)
            .map(([name, value]) => `${name.replaceAll('_', ' ')} ${value}`)
            .join(', ')}`
        : ''),
  ];
  if (dropped.length > 0) lines.push(`meta is full (${dropped.length} counters not written)`);
  return { ...data, payload: JSON.stringify(envelope), meta, logs: capLogs(lines) };
}

function readBeside(step: AnyStep, beside: Record<string, unknown>): unknown {
  if (!step.beside) return beside;
  const quick = step.besideQuick?.(beside);
  if (quick !== undefined) return quick;
  const parsed = step.beside.safeParse(beside);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new StepError(
    step.key,
    `the data beside the records is malformed at ${formatPath(issue.path)}: ${issue.message}.`,
  );
}

function processRecords(
  step: AnyStep,
  { records, carried, beside: besideRaw }: StepInput,
  settings: SettingsOf<SettingsShape>,
  beside: unknown,
): {
  envelope: Envelope;
  own: StepResults;
  summary: StepSummary;
  parsed: unknown[];
  counts: Record<string, number> | undefined;
} {
  // Per record, its outcome (from the schema or from the rule) in an array rather than an object or two each: at
  // 100,000 records those were garbage the step's collections spent their time on. Its id is read only where an entry
  // names it (a skip, an exception, a notice), not for the records that pass.
  const outcomeOf: Array<Outcome<string> | undefined> = new Array<Outcome<string> | undefined>(records.length);
  /** The records the rule reads (parsed), and the index of each among all records. */
  const parsed: unknown[] = [];
  const validAt: number[] = [];
  const reader = step.record.readerFor?.(settings, besideRaw);
  const quick = step.record.checkOnly ? step.record.quick : undefined;
  if (reader !== undefined) {
    for (let index = 0; index < records.length; index += 1) {
      const read = reader.read(records[index]);
      if (read.ok) {
        parsed.push(read.value);
        validAt.push(index);
      } else outcomeOf[index] = fail(read.code, read.message);
    }
  } else {
    for (let index = 0; index < records.length; index += 1) {
      const raw = records[index];
      const view = step.record.asWritten ? raw : withoutNulls(raw);
      if (quick?.(view)) {
        parsed.push(view);
        validAt.push(index);
        continue;
      }
      const checked = step.record.schema.safeParse(view);
      if (checked.success) {
        parsed.push(step.record.checkOnly ? view : checked.data);
        validAt.push(index);
      } else outcomeOf[index] = schemaFailure(step, checked.error);
    }
  }

  const result = step.rule(parsed, settings, beside);
  const outcomes = Array.isArray(result) ? result : result.outcomes;
  const unmatched = Array.isArray(result) ? [] : (result.unmatched ?? []);
  const written = Array.isArray(result) ? undefined : result.write;
  const counts = Array.isArray(result) ? undefined : result.counts;
  if (outcomes.length !== parsed.length) {
    throw new StepError(
      step.key,
      `internal error: the rule returned ${outcomes.length} outcomes for ${parsed.length} records.`,
    );
  }
  for (let k = 0; k < validAt.length; k += 1) outcomeOf[validAt[k]!] = outcomes[k];

  const idOf = reader?.id ?? step.record.id;
  const own: StepResults = { records: [], skipped: [], exceptions: [], notices: [], ...(written ? { written } : {}) };
  let passed = 0;
  for (let index = 0; index < records.length; index += 1) {
    const raw = records[index];
    const outcome = outcomeOf[index]!;
    if (outcome.kind === 'pass') {
      passed += 1;
      own.records.push(...passedRecords(raw, outcome));
      for (const noticed of outcome.notices ?? []) own.notices.push(notice(step, idOf(raw), noticed));
    } else if (outcome.kind === 'skip') own.skipped.push({ id: idOf(raw), step: step.key, reason: outcome.reason });
    else own.exceptions.push(exception(step, idOf(raw), raw, outcome));
  }
  for (const extra of unmatched) own.exceptions.push(exception(step, extra.id, extra.record, extra));
  const summary: StepSummary = {
    in: records.length + unmatched.length,
    records: passed,
    skipped: own.skipped.length,
    exceptions: own.exceptions.length,
  };
  const notices = [...carried.notices, ...own.notices];
  const envelope: Envelope = {
    records: own.records,
    // Nothing carried (the first step of a run): this step's own lists, not a copy of them.
    skipped: carried.skipped.length === 0 ? own.skipped : [...carried.skipped, ...own.skipped],
    exceptions: carried.exceptions.length === 0 ? own.exceptions : [...carried.exceptions, ...own.exceptions],
    summary: { ...carried.summary, [summaryKey(step.key, carried.summary)]: summary },
    ...(notices.length > 0 || step.writesNotices ? { notices } : {}),
    ...withoutFields(written ?? besideRaw, step.besideDropped ?? []),
  };
  return { envelope, own, summary, parsed, counts };
}

function withoutFields(data: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  if (!fields.some((field) => Object.hasOwn(data, field))) return data;
  return Object.fromEntries(Object.entries(data).filter(([field]) => !fields.includes(field)));
}

function passedRecords(
  raw: unknown,
  outcome: { output?: unknown; add?: Record<string, unknown>; outputs?: unknown[] },
): unknown[] {
  if (outcome.outputs) return outcome.outputs;
  if (outcome.add) return [{ ...(raw as Record<string, unknown>), ...outcome.add }];
  return [outcome.output === undefined ? raw : outcome.output];
}

function notice(step: AnyStep, id: string | null, noticed: NoticeOf<string>): Notice {
  const entry: Notice = { id, step: step.key, code: noticed.code, message: noticed.message };
  const declared = (step.exceptionCodes as Record<string, ExceptionCode>)[noticed.code];
  if (declared !== undefined) entry.owner = declared.owner;
  return entry;
}

function exception(
  step: AnyStep,
  id: string | null,
  record: unknown,
  failure: { code: string; message: string; details?: unknown },
): StepException {
  const entry: StepException = { id, step: step.key, code: failure.code, message: failure.message, record };
  if (failure.details !== undefined) entry.details = failure.details;
  const declared =
    (step.exceptionCodes as Record<string, ExceptionCode>)[failure.code] ??
    (RUNTIME_EXCEPTION_CODES as Record<string, ExceptionCode>)[failure.code];
  if (declared !== undefined) entry.owner = declared.owner;
  return entry;
}

/** `exceptions_total_mismatch: 3`: one figure per exception code, for notify shapes. */
function tallyByCode(exceptions: StepException[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { code } of exceptions)
    counts[`exceptions_${code.toLowerCase()}`] = (counts[`exceptions_${code.toLowerCase()}`] ?? 0) + 1;
  return counts;
}

/** What this step itself produced, apart from what the incoming envelope carried forward. */
export type StepResults = {
  records: unknown[];
  skipped: Skip[];
  exceptions: StepException[];
  notices: Notice[];
  written?: Record<string, unknown>;
};

function schemaFailure(step: AnyStep, error: z.ZodError): Outcome<string> {
  const [first] = error.issues;
  const field = first?.path[0];
  const codes = step.record.fieldCodes ?? {};
  const code = (typeof field === 'string' && Object.hasOwn(codes, field) && codes[field]) || INVALID_RECORD;
  const message = error.issues
    .map((issue) =>
      issue.path.length > 0 ? `${formatPath(issue.path)}: ${issue.message}` : `record: ${issue.message}`,
    )
    .join('; ');
  return fail(code, message);
}

/** A step that runs twice in one flow keeps both summaries: the second is `<key>#2`. */
function summaryKey(stepKey: string, existing: Record<string, StepSummary>): string {
  if (!(stepKey in existing)) return stepKey;
  let n = 2;
  while (`${stepKey}#${n}` in existing) n += 1;
  return `${stepKey}#${n}`;
}

function summaryLine(stepKey: string, own: StepResults, summary: StepSummary): string {
  const reasons = tally(own.skipped.map((entry) => entry.reason));
  const codes = tally(own.exceptions.map((entry) => entry.code));
  return (
    `${stepKey}: ${summary.in} in, ${summary.records} passed, ${summary.skipped} skipped${reasons}, ` +
    `${summary.exceptions} exceptions${codes}`
  );
}

function tally(values: string[]): string {
  if (values.length === 0) return '';
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return ` (${[...counts].map(([value, n]) => `${value} ${n}`).join(', ')})`;
}

/** The function Patchworks calls: `module.exports` of the built script. */
export function toPatchworksHandler(step: AnyStep): PatchworksHandler {
  return async function handler(data) {
    try {
      return runStep(step, data);
    } catch (error) {
      if (error instanceof StepError) throw error;
      const detail = error instanceof Error ? error.message : String(error);
      throw new StepError(step.key, `internal error while processing the payload: ${detail}`, { cause: error });
    }
  };
}
