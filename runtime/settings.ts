/**
 * Step settings (pack-contract §1): read from `data.variables[key]`, then `data.flow.variables[key]`,
 * then the step's default. Patchworks passes script variables as strings, so a list arrives
 * comma-separated; flow variables may also hold real arrays.
 */
import * as z from 'zod';
import type { PatchworksData } from './contract.js';
import { formatPath } from './envelope.js';
import { StepError } from './step-error.js';
import { parseTable, rekeyTable, TableError, type LookupTable, type Rejected } from './tables.js';

export type SettingsShape = Record<string, z.ZodType>;
export type SettingsOf<S extends SettingsShape> = { [K in keyof S]: z.output<S[K]> };

type SettingSource = 'variables' | 'flow.variables';

/**
 * A list setting: `"order, order_unconfirmed"` or `["order"]`. With `allowed`, every item must be one of
 * those values; a typo fails the whole step instead of silently matching nothing.
 */
export function listSetting<const T extends string>(options: {
  description: string;
  default: readonly T[];
  allowed: readonly T[];
  allowedLabel: string;
}): z.ZodType<T[], unknown>;
export function listSetting(options: { description: string; default: readonly string[] }): z.ZodType<string[], unknown>;
export function listSetting(options: {
  description: string;
  default: readonly string[];
  allowed?: readonly string[];
  allowedLabel?: string;
}): z.ZodType<string[], unknown> {
  const { allowed, allowedLabel } = options;
  const item = allowed
    ? z.enum(allowed as [string, ...string[]], {
        error: (issue) =>
          `${JSON.stringify(issue.input)} is not ${allowedLabel} (expected one of ${allowed.join(', ')})`,
      })
    : z.string();
  return z
    .preprocess(splitList, z.array(item))
    .default([...options.default])
    .describe(options.description);
}

function splitList(raw: unknown): unknown {
  if (typeof raw === 'string') {
    return raw
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
  }
  if (Array.isArray(raw)) return raw.map((part) => (typeof part === 'string' ? part.trim() : part));
  return raw;
}

/** Free text, trimmed, e.g. a customer group handle. `required: true`: no default, see requiredSetting. */
export function textSetting(
  options: { description: string; default: string } | { description: string; required: true },
): z.ZodType<string, unknown> {
  const schema = z
    .union([z.string(), z.number()], { error: 'must be text' })
    .transform((value) => String(value).trim())
    .default('default' in options ? options.default : '')
    .describe(options.description) as unknown as z.ZodType<string, unknown>;
  return 'required' in options ? requiredSetting(schema) : schema;
}

const REQUIRED_SETTINGS = new WeakSet<z.ZodType>();

/**
 * A setting the step cannot run without (the shop a sale is booked in): unset or empty, the step fails once, before
 * any record, naming the setting and its description, instead of each record failing on it. The schema still reads
 * "unset" as its empty default (describeSettings shows it, marked required). Apply it last: `.pipe`, `.refine` or
 * `.describe` after it make a new schema, which is not marked.
 */
export function requiredSetting<T extends z.ZodType>(schema: T): T {
  REQUIRED_SETTINGS.add(schema);
  return schema;
}

export function isRequiredSetting(schema: z.ZodType): boolean {
  return REQUIRED_SETTINGS.has(schema);
}

/** A whole number of 0 or more, e.g. a length limit, where 0 means "no limit". */
export function countSetting(options: { description: string; default: number }): z.ZodType<number, unknown> {
  return z
    .union([z.string(), z.number()], { error: 'must be a whole number such as 45' })
    .transform((value) => String(value).trim())
    .refine((value) => /^\d{1,9}$/.test(value), 'must be a whole number of 0 or more, such as 45')
    .transform(Number)
    .default(options.default as never)
    .describe(options.description) as unknown as z.ZodType<number, unknown>;
}

/** One of a fixed set of words, e.g. `on_account_mode`: `release` or `hold`. */
export function choiceSetting<const T extends string>(options: {
  description: string;
  default: T;
  choices: readonly T[];
}): z.ZodType<T, unknown> {
  return z
    .enum(options.choices as [T, ...T[]], {
      error: (issue) => `${JSON.stringify(issue.input)} is not one of ${options.choices.join(', ')}`,
    })
    .default(options.default as never)
    .describe(options.description) as unknown as z.ZodType<T, unknown>;
}

/**
 * Settings read as "now" when left empty: readSettings fills them at the boundary, from the meta variable named (an
 * instant an earlier shape of the run wrote), else from the clock, and says so.
 */
const INSTANT_SETTINGS = new WeakMap<z.ZodType, { meta?: string }>();

/**
 * An instant, as ISO 8601 with its offset (`2026-11-22T09:00:00Z`), read as epoch milliseconds. Empty: `meta[meta]`
 * when given and set, else the moment the step runs; so a rule stays pure (it is handed the instant) and a test or a
 * replay can pin it. (Patchworks fills no placeholder in a script's variables: what a run decides reaches a script in
 * its meta.)
 */
export function instantSetting(options: { description: string; meta?: string }): z.ZodType<number, unknown> {
  const schema = z
    .string({ error: 'must be an ISO 8601 date-time such as 2026-11-22T09:00:00Z' })
    .trim()
    .refine(
      (value) => ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value)),
      'must be an ISO 8601 date-time with its offset, such as 2026-11-22T09:00:00Z',
    )
    .transform((value) => Date.parse(value))
    .optional()
    .describe(options.description) as unknown as z.ZodType<number, unknown>;
  INSTANT_SETTINGS.set(schema, { meta: options.meta });
  return schema;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/** A lookup table (pack-contract §3): CSV `left_value,right_value` or a JSON object. Unset: empty. */
export function tableSetting(options: { description: string }): z.ZodType<LookupTable, unknown> {
  return z
    .unknown()
    .transform((raw, ctx): LookupTable => {
      if (raw === undefined) return new Map();
      return readTable(ctx, () => parseTable(raw));
    })
    .describe(options.description);
}

/**
 * A lookup table whose rows are read when the settings are (a rate and its tax code, a SKU and its pack), keyed by
 * `key(left)` where keys are normalised (`20.00` as `20`). A row either refuses fails the whole step, naming the
 * row; so do two rows whose keys normalise to one.
 */
export function readTableSetting<T>(options: {
  description: string;
  key?: (left: string) => string | Rejected;
  value: (right: string, left: string) => T | Rejected;
}): z.ZodType<ReadonlyMap<string, T>, unknown> {
  const key = options.key ?? ((left: string) => left);
  return tableSetting(options)
    .transform((table, ctx): ReadonlyMap<string, T> => readTable(ctx, () => rekeyTable(table, key, options.value)))
    .describe(options.description) as unknown as z.ZodType<ReadonlyMap<string, T>, unknown>;
}

function readTable<T>(ctx: z.core.$RefinementCtx, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof TableError)) throw error;
    ctx.addIssue({ code: 'custom', message: `the table cannot be read: ${error.message}` });
    return z.NEVER;
  }
}

/**
 * Reads and validates every setting a step declares; unknown variables are left alone (they belong to other shapes).
 * An empty instant setting is the clock now: `clockRead` names each one, for the step's log. A required setting left
 * unset fails, after every value has been checked (requireSettings).
 */
export function readSettings<S extends SettingsShape>(
  stepKey: string,
  shape: S,
  data: PatchworksData,
  clockRead: string[] = [],
): SettingsOf<S> {
  const settings = readSettingValues(stepKey, shape, data, clockRead);
  requireSettings(stepKey, shape, settings);
  return settings;
}

/**
 * Fails, naming the first required setting that is unset or empty (and any others), with its description:
 * `<step-key>: setting "shop_id" is required: <description>`.
 */
export function requireSettings<S extends SettingsShape>(stepKey: string, shape: S, settings: SettingsOf<S>): void {
  const missing = Object.entries(shape).filter(([key, schema]) => isRequiredSetting(schema) && isEmpty(settings[key]));
  if (missing.length === 0) return;
  const [[key, schema], ...others] = missing as [[string, z.ZodType], ...Array<[string, z.ZodType]>];
  const also =
    others.length === 0 ? '' : ` Also required and not set: ${others.map(([other]) => `"${other}"`).join(', ')}.`;
  throw new StepError(stepKey, `setting "${key}" is required: ${schema.description ?? ''}${also}`);
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string' || Array.isArray(value)) return value.length === 0;
  return value instanceof Map && value.size === 0;
}

/** readSettings without the required check: the step runtime checks that once it has read the payload. */
export function readSettingValues<S extends SettingsShape>(
  stepKey: string,
  shape: S,
  data: PatchworksData,
  clockRead: string[] = [],
): SettingsOf<S> {
  const settings: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const found = findRawSetting(data, key);
    const parsed = schema.safeParse(found?.value);
    if (!parsed.success) {
      const where = found ? `from ${found.source}: ${excerpt(found.value)}` : 'the default';
      const problems = parsed.error.issues
        .map((issue) => (issue.path.length > 0 ? `item ${formatItem(issue.path)}: ${issue.message}` : issue.message))
        .join('; ');
      // The reason first, then a short quote of the value: a 100k-row table must not make a megabyte of message.
      throw new StepError(stepKey, `setting "${key}" is not valid: ${problems} (${where}).`);
    }
    settings[key] = parsed.data;
    const instant = INSTANT_SETTINGS.get(schema);
    if (parsed.data === undefined && instant) settings[key] = readInstant(stepKey, key, instant.meta, data, clockRead);
  }
  return settings as SettingsOf<S>;
}

function readInstant(
  stepKey: string,
  key: string,
  metaKey: string | undefined,
  data: PatchworksData,
  clockRead: string[],
): number {
  const fromMeta = metaKey === undefined ? undefined : data.meta?.[metaKey];
  if (typeof fromMeta === 'string' && fromMeta.trim() !== '') {
    const at = ISO_INSTANT.test(fromMeta.trim()) ? Date.parse(fromMeta) : Number.NaN;
    if (Number.isNaN(at))
      throw new StepError(
        stepKey,
        `setting "${key}" is not valid: meta ${metaKey} is ${JSON.stringify(fromMeta)}, not an ISO 8601 ` +
          `date-time with its offset.`,
      );
    return at;
  }
  const now = Date.now();
  clockRead.push(`${key} ${new Date(now).toISOString()} (the clock)`);
  return now;
}

function findRawSetting(data: PatchworksData, key: string): { value: unknown; source: SettingSource } | undefined {
  const sources: Array<[SettingSource, Record<string, unknown> | undefined]> = [
    ['variables', data.variables],
    ['flow.variables', data.flow?.variables],
  ];
  for (const [source, values] of sources) {
    const value = values?.[key];
    // Patchworks sends an unfilled script variable as an empty string: treat it as "not set here".
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) continue;
    return { value, source };
  }
  return undefined;
}

const EXCERPT_CHARS = 60;

/** The value as JSON, or its first characters and its length when it is long. */
function excerpt(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  if (text.length <= EXCERPT_CHARS) return JSON.stringify(value) ?? String(value);
  return `${JSON.stringify(text.slice(0, EXCERPT_CHARS))}… (${text.length.toLocaleString('en-GB')} characters)`;
}

function formatItem(path: readonly PropertyKey[]): string {
  const [first, ...rest] = path;
  const position = typeof first === 'number' ? String(first + 1) : String(first);
  return rest.length > 0 ? `${position} (${formatPath(rest)})` : position;
}

/**
 * For documentation: each setting's description and default, as a consultant would type them, and whether the step
 * refuses to run without it (requiredSetting; its default is then empty).
 */
export function describeSettings(
  shape: SettingsShape,
): Array<{ key: string; description: string; default: string; required: boolean }> {
  return Object.entries(shape).map(([key, schema]) => {
    const value: unknown = schema.parse(undefined);
    const shown = Array.isArray(value)
      ? value.join(',')
      : value instanceof Map
        ? [...value].map((entry) => entry.join(',')).join('; ')
        : value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype
          ? Object.entries(value)
              .map((entry) => entry.join(','))
              .join('; ')
          : String(value ?? '');
    return { key, description: schema.description ?? '', default: shown, required: isRequiredSetting(schema) };
  });
}
