/**
 * The step result envelope (pack-contract §2): what every record-processing step writes as its payload,
 * and the input shapes a step accepts.
 */
import * as z from 'zod';
import { StepError } from './step-error.js';

export interface Skip {
  id: string | null;
  step: string;
  reason: string;
}

export interface StepException {
  id: string | null;
  step: string;
  code: string;
  message: string;
  /** The input record, whole, so it can be replayed after a fix. */
  record: unknown;
  /** Structured detail for reports (e.g. each differing total), where the step gives it. */
  details?: unknown;
  /** Who acts on it (the code's declared owner): the flows notify that owner's group. */
  owner?: string;
}

/**
 * Something a person should hear about a record that continues (an order booked but held for finance, an order with
 * no PO number): not an exception, since nothing stops, but owned and acted on like one.
 */
export interface Notice {
  id: string | null;
  step: string;
  code: string;
  message: string;
  owner?: string;
}

export interface StepSummary {
  in: number;
  records: number;
  skipped: number;
  exceptions: number;
}

export interface Envelope {
  records: unknown[];
  skipped: Skip[];
  exceptions: StepException[];
  summary: Record<string, StepSummary>;
  /** Notices on records that continue; written by the steps that raise them and carried forward after. */
  notices?: Notice[];
  /** Data riding beside the records (e.g. SparkLayer `customers`), carried forward unchanged. */
  [beside: string]: unknown;
}

/** What an incoming envelope carries forward: earlier steps' skips, exceptions and summaries. */
export interface CarriedForward {
  skipped: Skip[];
  exceptions: StepException[];
  summary: Record<string, StepSummary>;
  notices: Notice[];
}

export interface StepInput {
  records: unknown[];
  carried: CarriedForward;
  /** Other top-level fields of an object payload, e.g. `customers` beside the records. */
  beside: Record<string, unknown>;
  /** Why there is nothing to read, when there is nothing: said in the step's log. */
  empty?: string;
}

const ENVELOPE_KEYS = new Set(['records', 'data', 'skipped', 'exceptions', 'summary', 'notices']);

const count = z.number().int().nonnegative();
const carriedSchema = z.object({
  skipped: z.array(z.looseObject({ id: z.string().nullable(), step: z.string(), reason: z.string() })).default([]),
  exceptions: z
    .array(
      z.looseObject({
        id: z.string().nullable(),
        step: z.string(),
        code: z.string(),
        message: z.string(),
        record: z.unknown(),
      }),
    )
    .default([]),
  summary: z
    .record(z.string(), z.looseObject({ in: count, records: count, skipped: count, exceptions: count }))
    .default({}),
  notices: z
    .array(z.looseObject({ id: z.string().nullable(), step: z.string(), code: z.string(), message: z.string() }))
    .default([]),
});

const ACCEPTED_SHAPES =
  'expected a JSON array of records, an envelope object with a "records" array, an object with a "data" ' +
  'array, or one record object';

/**
 * Parses the payload string into the records to process and what an incoming envelope carries forward.
 * `recordsField` names where a step's own input shape keeps its records (e.g. `accounts`), besides the
 * shapes every step accepts.
 */
export function readStepInput(stepKey: string, payload: string | null, recordsField?: string): StepInput {
  // Patchworks hands a script `payload: null` when the shape before it output nothing (reference/patchworks.md §1:
  // "the payload as a string|null"): that is no records, not a failure to retry three times.
  if (payload === null)
    return {
      records: [],
      carried: emptyCarried(),
      beside: {},
      empty: 'the payload is null (the shape before output nothing): 0 records',
    };
  const json = parsePayloadJson(stepKey, payload);
  if (Array.isArray(json)) return { records: json, carried: emptyCarried(), beside: {} };
  if (json === null || typeof json !== 'object') {
    throw new StepError(stepKey, `the payload is a JSON ${describeJsonType(json)}; ${ACCEPTED_SHAPES}.`);
  }
  const object = json as Record<string, unknown>;
  if ('records' in object) return readEnvelope(stepKey, object);
  if (recordsField !== undefined && recordsField in object) {
    const records = object[recordsField];
    const { [recordsField]: _records, ...rest } = object;
    // An empty cache loaded by a map shape may come as null: none, as nothing in it would be.
    if (records === null)
      return {
        records: [],
        carried: emptyCarried(),
        beside: besideOf(rest),
        empty: `the payload's "${recordsField}" is null (an empty cache): 0 records`,
      };
    if (!Array.isArray(records)) {
      throw new StepError(
        stepKey,
        `the payload's "${recordsField}" is ${withArticle(describeJsonType(records))}, not an array.`,
      );
    }
    return { records, carried: emptyCarried(), beside: besideOf(rest) };
  }
  if (Array.isArray(object.data)) return { records: object.data, carried: emptyCarried(), beside: besideOf(object) };
  return { records: [object], carried: emptyCarried(), beside: {} };
}

function parsePayloadJson(stepKey: string, payload: string | null): unknown {
  if (payload === undefined) {
    throw new StepError(stepKey, `the payload is missing; ${ACCEPTED_SHAPES}.`);
  }
  if (typeof payload !== 'string') {
    throw new StepError(stepKey, `the payload must be a string, as Patchworks passes it, not a ${typeof payload}.`);
  }
  if (payload.trim() === '') {
    throw new StepError(stepKey, `the payload is an empty string; ${ACCEPTED_SHAPES}.`);
  }
  try {
    return JSON.parse(payload);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StepError(
      stepKey,
      `the payload is not valid JSON (${reason}). It starts: ${JSON.stringify(payload.slice(0, 60))}.`,
      {
        cause: error,
      },
    );
  }
}

function readEnvelope(stepKey: string, envelope: Record<string, unknown>): StepInput {
  if (!Array.isArray(envelope.records)) {
    throw new StepError(
      stepKey,
      `the payload has a "records" field that is ${withArticle(describeJsonType(envelope.records))}, not ` +
        `an array; a step envelope keeps its records in an array.`,
    );
  }
  const carried = carriedSchema.safeParse(envelope);
  if (!carried.success) {
    const issue = carried.error.issues[0]!;
    throw new StepError(
      stepKey,
      `the incoming envelope is malformed at ${formatPath(issue.path)}: ${issue.message}. Pass the ` +
        `previous step's payload through unchanged.`,
    );
  }
  return { records: envelope.records, carried: carried.data, beside: besideOf(envelope) };
}

function besideOf(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !ENVELOPE_KEYS.has(key)));
}

function emptyCarried(): CarriedForward {
  return { skipped: [], exceptions: [], summary: {}, notices: [] };
}

export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}

export function withArticle(jsonType: string): string {
  if (jsonType === 'null') return 'null';
  return /^[aeiou]/.test(jsonType) ? `an ${jsonType}` : `a ${jsonType}`;
}

/** `["exceptions", 2, "code"]` → `exceptions[2].code`, the way a consultant would point at it. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'the top level';
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`))
    .join('');
}
