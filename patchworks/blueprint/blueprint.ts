/**
 * A blueprint: one Patchworks process flow, shape by shape in the order Patchworks runs it
 * (reference/patchworks.md §3.1), with the flow variables and cross-reference lookups it reads. Parsed once with zod,
 * so a blueprint that names an unknown shape type or misses a field fails at load, naming the shape.
 *
 * Values in a shape may hold Patchworks' own placeholders (§3.4): `{{flow.variables.<name>}}`, `[[payload.<path>]]`
 * and `[[meta.<key>]]`; and `{{lookups.<name>}}`, the pack's way of handing a cross-reference lookup to a script
 * setting (as the lookup's CSV export, pack-contract §3), filled in when the blueprint is rendered for a client;
 * `{{lookups.<name>.rows}}` is the same lookup as a JSON array of `{left_value, right_value}` rows, for a manual
 * payload.
 */
import * as z from 'zod';
import { lookupCsv } from '../../runtime/tables.js';

const name = z.string().min(1);

const trigger = z.strictObject({
  type: z.literal('trigger'),
  name,
  /** Cron, in the schedule trigger's own syntax (Patchworks: hourly by default). */
  schedule: z.string().regex(/^\S+( \S+){4}$/, 'must be a five-field cron expression'),
});

const connection = z.strictObject({
  type: z.literal('connection'),
  name,
  /** The connector key: a system registered in its folder under connectors/ (index.ts, beside its OpenAPI document). */
  connector: name,
  /** The endpoint: an operationId in that connector's openapi.json. */
  endpoint: name,
  /** The endpoint's path and query variables; placeholders allowed. */
  variables: z.record(z.string(), z.string()).default({}),
  /**
   * Patchworks allows 0 to 2 connector retries per shape (reference/patchworks.md §3.3). A retry re-sends a request
   * whose answer was lost or was a 5xx, which may already have been applied: a create that is not idempotent has 0.
   */
  retries: z.number().int().min(0).max(2).default(1),
  /** The connector step's `allow_unsuccessful_statuses`: a non-2xx answer is the shape's output instead of a failure.
   */
  allow_unsuccessful_statuses: z.boolean().default(false),
  timeout_seconds: z.number().int().positive().default(120),
});

const script = z.strictObject({
  type: z.literal('script'),
  name,
  /** The step key: a step folder (patchworks/build/step-sources.ts) and a bundle in dist/scripts/. */
  step: name,
  /** The script's variables (its settings); placeholders allowed. A setting left out takes the step's default. */
  variables: z.record(z.string(), z.string()).default({}),
});

const deDupe = z.strictObject({
  type: z.literal('de-dupe'),
  name,
  behaviour: z.enum(['filter', 'track', 'filter_and_track']),
  /** The data pool: one per entity type and target, e.g. `sparklayer-orders-netsuite`. */
  pool: name,
  /** The key field. `records.*.<path>`: each item of the `records` array is checked on its own; else the whole payload.
   */
  key: name,
});

const flowControl = z.strictObject({
  type: z.literal('flow-control'),
  name,
  /** The batch level: the array to split, e.g. `records`. */
  path: name,
  size: z.number().int().positive(),
});

const notify = z.strictObject({
  type: z.literal('notify'),
  name,
  level: z.enum(['success', 'info', 'warning', 'error']),
  /** Text with placeholders; Patchworks cuts each variable to 100 characters. */
  message: name,
});

const addToCache = z.strictObject({
  type: z.literal('add-to-cache'),
  name,
  cache: name,
  key: name,
  scope: z.enum(['flow-run', 'flow', 'company']),
  append: z.boolean(),
});

/**
 * A field of a map shape's output: the incoming payload (or a path in it), a meta variable, or a cache lookup. A cache
 * lookup reads the scope the flow's own add-to-cache shapes write it in (flow-run when none does); `scope` names it
 * for a cache another flow writes (a company cache: the price flows' ERP prices, read by the order flows).
 */
const mapSource = z.union([
  z.strictObject({ payload: z.string() }),
  z.strictObject({ meta: name }),
  z.strictObject({ cache: name, key: name, scope: z.enum(['flow', 'company']).optional() }),
]);

const map = z.strictObject({
  type: z.literal('map'),
  name,
  fields: z.record(z.string(), mapSource),
});

/**
 * Patchworks' filter shape: keeps a payload only when every rule holds on it (reference/patchworks.md §3.1, "Refines a
 * payload using rules on schema fields"). Here, after a look-up that allows unsuccessful statuses, it drops the
 * not-found answer so that nothing downstream mistakes it for a record.
 */
const filter = z.strictObject({
  type: z.literal('filter'),
  name,
  rules: z
    .array(
      z.union([
        z.strictObject({ field: name, operator: z.enum(['exists', 'not_exists']) }),
        z.strictObject({ field: name, operator: z.literal('equals'), value: z.string() }),
      ]),
    )
    .min(1),
});

/** Patchworks' set-variables shape: sets meta variables mid-flow (reference/patchworks.md §3.1); placeholders allowed.
 */
const setVariables = z.strictObject({
  type: z.literal('set-variables'),
  name,
  meta: z.record(z.string(), z.string()),
});

const manualPayload = z.strictObject({
  type: z.literal('manual-payload'),
  name,
  /** The static payload (Patchworks: any text, up to 100k characters); placeholders allowed. */
  payload: z.string().max(100_000),
});

export type Shape =
  | z.infer<typeof trigger>
  | z.infer<typeof connection>
  | z.infer<typeof script>
  | z.infer<typeof deDupe>
  | z.infer<typeof flowControl>
  | z.infer<typeof notify>
  | z.infer<typeof addToCache>
  | z.infer<typeof map>
  | z.infer<typeof manualPayload>
  | z.infer<typeof setVariables>
  | z.infer<typeof filter>
  | { type: 'branch'; name: string; branches: Array<{ name: string; shapes: Shape[] }> }
  | { type: 'try-catch'; name: string; try: Shape[]; catch: Shape[] };

export type ShapeInput =
  | z.input<
      | typeof trigger
      | typeof connection
      | typeof script
      | typeof deDupe
      | typeof flowControl
      | typeof notify
      | typeof addToCache
      | typeof map
      | typeof manualPayload
      | typeof setVariables
      | typeof filter
    >
  | { type: 'branch'; name: string; branches: Array<{ name: string; shapes: ShapeInput[] }> }
  | { type: 'try-catch'; name: string; try: ShapeInput[]; catch: ShapeInput[] };

/** An add-to-cache shape appending the payload to a flow-run cache key: what a run reads or meets, kept for later. */
export const appendToRunCache = (name: string, cache: string, key: string): ShapeInput => ({
  type: 'add-to-cache',
  name,
  cache,
  key,
  scope: 'flow-run',
  append: true,
});

export const shapeSchema: z.ZodType<Shape, ShapeInput> = z.lazy(() =>
  z.discriminatedUnion('type', [
    trigger,
    connection,
    script,
    deDupe,
    flowControl,
    notify,
    addToCache,
    map,
    manualPayload,
    setVariables,
    filter,
    z.strictObject({
      type: z.literal('branch'),
      name,
      branches: z.array(z.strictObject({ name, shapes: z.array(shapeSchema) })).min(2),
    }),
    z.strictObject({
      type: z.literal('try-catch'),
      name,
      try: z.array(shapeSchema).min(1),
      catch: z.array(shapeSchema).min(1),
    }),
  ]),
) as z.ZodType<Shape, ShapeInput>;

const flowVariable = z
  .strictObject({
    description: name,
    /** Used when the client's config does not set it. No default: the client must set it. */
    default: z.string().optional(),
    /**
     * Why the flow's default is not the default of the step setting it feeds (promoted.ts): shown on the blueprint
     * page and in the rendered flow's description.
     */
    why: name.optional(),
  })
  .refine((variable) => variable.why === undefined || variable.default !== undefined, {
    message: 'a reason for a default needs the default',
  });

export const blueprintSchema = z
  .strictObject({
    /** The folder under blueprints/ and the file name in dist/blueprints/<client>/. */
    key: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case'),
    title: name,
    purpose: name,
    variables: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case'), flowVariable).default({}),
    /** Cross-reference lookups the flow reads, with what each holds. */
    lookups: z
      .record(
        z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case'),
        z.strictObject({ description: name, required: z.boolean() }),
      )
      .default({}),
    shapes: z.array(shapeSchema).min(2),
  })
  .superRefine((blueprint, ctx) => {
    if (blueprint.shapes[0]?.type !== 'trigger')
      ctx.addIssue({ code: 'custom', path: ['shapes', 0], message: 'a flow starts with its trigger' });
    const tryCatches = [...walkShapes(blueprint.shapes)].filter((shape) => shape.type === 'try-catch');
    if (tryCatches.length > 1)
      ctx.addIssue({ code: 'custom', path: ['shapes'], message: 'Patchworks allows one try/catch shape per flow' });
    const names = new Set<string>();
    for (const shape of walkShapes(blueprint.shapes)) {
      if (names.has(shape.name))
        ctx.addIssue({ code: 'custom', path: ['shapes'], message: `two shapes are named "${shape.name}"` });
      names.add(shape.name);
    }
  });

export type Blueprint = z.output<typeof blueprintSchema>;
export type FlowVariable = Blueprint['variables'][string];

/** A flow variable's description as the rendered flow carries it: with the reason for its default, when it has one. */
export function flowVariableText(variable: FlowVariable): string {
  return variable.why === undefined
    ? variable.description
    : `${variable.description} Default ${variable.default} here: ${variable.why}`;
}

/** Every shape, nested ones included, in run order. */
export function* walkShapes(shapes: readonly Shape[]): Generator<Shape> {
  for (const shape of shapes) {
    yield shape;
    if (shape.type === 'branch') for (const branch of shape.branches) yield* walkShapes(branch.shapes);
    if (shape.type === 'try-catch') {
      yield* walkShapes(shape.try);
      yield* walkShapes(shape.catch);
    }
  }
}

/** The connectors a flow's connection shapes name, and the steps its script shapes run: each once, in run order. */
export function connectorsUsed(shapes: readonly Shape[]): string[] {
  return [
    ...new Set([...walkShapes(shapes)].flatMap((shape) => (shape.type === 'connection' ? [shape.connector] : []))),
  ];
}

export function stepsUsed(shapes: readonly Shape[]): string[] {
  return [...new Set([...walkShapes(shapes)].flatMap((shape) => (shape.type === 'script' ? [shape.step] : [])))];
}

/** Parses a blueprint where it is declared, so a mistake fails on import with the blueprint's key and the path. */
export function defineBlueprint(input: z.input<typeof blueprintSchema>): Blueprint {
  const parsed = blueprintSchema.safeParse(input);
  if (!parsed.success) {
    const where = typeof input.key === 'string' ? input.key : '(no key)';
    throw new Error(`blueprint ${where}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

const PLACEHOLDER =
  /\{\{\s*(flow\.variables|lookups)\.([a-zA-Z0-9_]+(?:\.rows)?)\s*\}\}|\[\[\s*(payload|meta)\.([^\]\s]+)\s*\]\]/g;

export interface Placeholder {
  kind: 'flow.variables' | 'lookups' | 'payload' | 'meta';
  name: string;
}

/** The placeholders in a shape value, for validation. */
export function placeholdersIn(text: string): Placeholder[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) =>
    match[1]
      ? { kind: match[1] as Placeholder['kind'], name: match[2]! }
      : { kind: match[3] as Placeholder['kind'], name: match[4]! },
  );
}

/** Fills placeholders; `resolve` returns undefined to leave one as written (e.g. payload ones at render time). */
export function fillPlaceholders(text: string, resolve: (placeholder: Placeholder) => string | undefined): string {
  return text.replace(
    PLACEHOLDER,
    (whole, flowKind?: string, flowName?: string, runKind?: string, runName?: string) => {
      const placeholder = flowKind
        ? { kind: flowKind as Placeholder['kind'], name: flowName! }
        : { kind: runKind as Placeholder['kind'], name: runName! };
      return resolve(placeholder) ?? whole;
    },
  );
}

/** Every text value of a shape that may hold placeholders, with where it sits. */
export function shapeTexts(shape: Shape): Array<{ where: string; text: string }> {
  switch (shape.type) {
    case 'connection':
    case 'script':
      return Object.entries(shape.variables).map(([key, text]) => ({ where: `variables.${key}`, text }));
    case 'notify':
      return [{ where: 'message', text: shape.message }];
    case 'manual-payload':
      return [{ where: 'payload', text: shape.payload }];
    case 'add-to-cache':
      return [{ where: 'key', text: shape.key }];
    default:
      return [];
  }
}

/** What `{{lookups.<name>}}` stands for: the lookup as CSV, or with `.rows` as JSON rows; undefined when not given. */
export function lookupText(name: string, lookups: Record<string, Record<string, string>>): string | undefined {
  const rows = name.endsWith('.rows');
  const table = lookups[rows ? name.slice(0, -'.rows'.length) : name];
  if (!table) return undefined;
  return rows
    ? JSON.stringify(Object.entries(table).map(([left_value, right_value]) => ({ left_value, right_value })))
    : lookupCsv(Object.entries(table));
}
