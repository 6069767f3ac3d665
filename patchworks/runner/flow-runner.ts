/**
 * The local flow runner: runs a flow's shapes in order with Patchworks' documented semantics
 * (reference/patchworks.md §3.1 to §3.4), so a flow can be tried on a laptop before a client's data touches it.
 *
 * - A shape takes a bucket of string payloads and hands the next shape the bucket it outputs; script and connection
 *   shapes run once per payload. The trigger starts the run with one empty payload.
 * - Script shapes run the built bundle through the script contract (`runScript`: Node 18 in `npm start`).
 * - Connection shapes run the endpoint as the built connector definition in `dist/connectors/` describes it, through
 *   the connection engine (`connections`): against the fakes, or against the real systems for `--live`, which holds
 *   every write (a Send): printed by the request line the engine would send, not sent.
 * - A payload that fails a shape inside a try/catch goes down the catch route with `meta.error_message` (and the
 *   shape's name in `meta.error_shape`); outside
 *   one, it fails the run. De-dupe shapes filter and track against `pools`. Flow variables and meta are filled into
 *   `{{flow.variables.*}}`, `[[payload.*]]` and `[[meta.*]]` as Patchworks does.
 */
import { NOTIFY_VARIABLE_CHARS } from '../../runtime/caps.js';
import type { PatchworksData } from '../../runtime/contract.js';
import type { Envelope } from '../../runtime/envelope.js';
import { fillPlaceholders, lookupText, walkShapes, type Placeholder, type Shape } from '../blueprint/blueprint.js';
import { KeptCaches } from './caches.js';
import { arrayAt, setAt, valueAt } from './json-path.js';
import type { DataPools } from './data-pool.js';
import type { ConnectionEngine } from './connection-engine.js';

export interface FlowPayload {
  body: string;
  meta: Record<string, string>;
}

export interface FlowRunOptions {
  /** The flow as imported (imported-flow.ts); its key names its flow- and company-scope caches. */
  flow: { key: string; shapes: readonly Shape[] };
  /** The flow version's variables: the client's, defaults filled in. */
  variables: Record<string, string>;
  /** What `{{lookups.*}}` in a shape's text reads. A rendered flow has none left: rendering fills them in. */
  lookups: Record<string, Record<string, string>>;
  /**
   * What connection shapes run: the built definitions, through the engine. With `holdWrites` (`--live`), a write (an
   * endpoint the definition calls a Send) is not sent: the run prints the request line the engine would send, and
   * the shape passes its incoming payload on.
   */
  connections: { engine: ConnectionEngine; holdWrites?: boolean };
  runScript: (step: string, data: PatchworksData) => Promise<PatchworksData>;
  pools: DataPools;
  /** Flow- and company-scope caches, kept from run to run (a flow's order queue); none when absent. Flow-run caches
   * start empty. */
  caches?: KeptCaches;
  /** Called as each shape finishes a payload, for a progress indicator. */
  onProgress?: (progress: { shape: string; done: number; of: number }) => void;
}

/** One shape's part in the run, for the run log and the HTML report (n8n-style: what each shape output). */
export interface ShapeRun {
  /** Where it sits, e.g. `7` or `8.create.2` (branch shapes) or `9.catch.1`. */
  position: string;
  name: string;
  type: Shape['type'];
  /** A script shape's step key. */
  step?: string;
  payloadsIn: number;
  payloadsOut: number;
  failed: number;
  /** What the shape did, a line each (counts, ids, exceptions). */
  notes: string[];
  /** The bucket it output, as Patchworks keeps it for the run log. */
  outputs: FlowPayload[];
}

export interface FailedPayload {
  shape: string;
  /** The error as the shape raised it: what `[[meta.error_message]]` holds on the catch route. */
  error: string;
  payload: FlowPayload;
}

export interface FlowCounts {
  /** Records into the flow's first script shape after its first connection shape (the first to see what was read). */
  in: number;
  /** Records connection shapes created. */
  created: number;
  /** Records connection shapes changed, or found already there and left alone (a re-run, a replay). */
  updated: number;
  unchanged: number;
  /** Records set aside on purpose: steps' skips and de-dupe filtering. */
  skipped: number;
  /** Steps' exceptions and payloads that failed a shape. */
  exceptions: number;
}

export interface FlowRunResult {
  flow: string;
  /** Patchworks' run statuses: a caught failure makes a partial success. */
  status: 'success' | 'partial_success' | 'failure';
  counts: FlowCounts;
  shapes: ShapeRun[];
  notifications: Array<{ shape: string; level: string; message: string }>;
  /** What the run added to caches, any scope: cache → key → payloads. */
  caches: Record<string, Record<string, string[]>>;
  /** Writes a `--live` run printed instead of sending. */
  heldWrites: string[];
  failed: FailedPayload[];
  error?: string;
}

export async function runFlow(options: FlowRunOptions): Promise<FlowRunResult> {
  const run = new FlowRun(options);
  return run.execute();
}

class FlowRun {
  private readonly result: FlowRunResult;
  private readonly firstScript: string | undefined;
  private caught = 0;
  private readonly parsedPayloads = new WeakMap<FlowPayload, unknown>();
  /** Each cache's scope, from the add-to-cache shapes that write it; a cache nothing writes is the run's own. */
  private readonly scopes = new Map<string, 'flow-run' | 'flow' | 'company'>();
  private readonly kept: KeptCaches;

  constructor(private readonly options: FlowRunOptions) {
    this.result = {
      flow: options.flow.key,
      status: 'success',
      counts: { in: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, exceptions: 0 },
      shapes: [],
      notifications: [],
      caches: {},
      heldWrites: [],
      failed: [],
    };
    // The records a run is about arrive by a connection shape: a script before any (the order flows' plan of the
    // pull) reads the flow's own state, not them.
    const shapes = [...walkShapes(options.flow.shapes)];
    const firstPull = shapes.findIndex((shape) => shape.type === 'connection');
    this.firstScript = shapes.slice(Math.max(firstPull, 0)).find((shape) => shape.type === 'script')?.name;
    for (const shape of walkShapes(options.flow.shapes))
      if (shape.type === 'add-to-cache') this.scopes.set(shape.cache, shape.scope);
    this.kept = options.caches ?? new KeptCaches();
  }

  async execute(): Promise<FlowRunResult> {
    try {
      await this.runShapes(this.options.flow.shapes, [], '', undefined);
      if (this.caught > 0) this.result.status = 'partial_success';
    } catch (error) {
      this.result.status = 'failure';
      this.result.error = error instanceof Error ? error.message : String(error);
    }
    return this.result;
  }

  /** Runs shapes in order; inside a try route, `failures` collects payloads that fail instead of failing the run. */
  private async runShapes(
    shapes: readonly Shape[],
    bucket: FlowPayload[],
    prefix: string,
    failures: FailedPayload[] | undefined,
  ): Promise<FlowPayload[]> {
    let current = bucket;
    for (const [index, shape] of shapes.entries()) {
      const position = `${prefix}${index + 1}`;
      current = await this.runShape(shape, current, position, failures);
    }
    return current;
  }

  private async runShape(
    shape: Shape,
    bucket: FlowPayload[],
    position: string,
    failures: FailedPayload[] | undefined,
  ): Promise<FlowPayload[]> {
    if (shape.type === 'branch') {
      const record = this.record(shape, position, bucket.length);
      for (const branch of shape.branches) {
        record.notes.push(`branch "${branch.name}": ${bucket.length} payloads`);
        await this.runShapes(branch.shapes, bucket, `${position}.${branch.name}.`, failures);
      }
      return [];
    }
    if (shape.type === 'try-catch') {
      const record = this.record(shape, position, bucket.length);
      const failed: FailedPayload[] = [];
      const out = await this.runShapes(shape.try, bucket, `${position}.try.`, failed);
      record.failed = failed.length;
      record.notes.push(`${failed.length} failed payloads to the catch route`);
      if (failed.length > 0) {
        this.caught += failed.length;
        this.result.failed.push(...failed);
        const caught = failed.map((entry) => ({
          body: entry.payload.body,
          meta: { ...entry.payload.meta, error_message: entry.error, error_shape: entry.shape },
        }));
        await this.runShapes(shape.catch, caught, `${position}.catch.`, undefined);
      }
      record.payloadsOut = out.length;
      return out;
    }

    const record = this.record(shape, position, bucket.length);
    const inputs = shape.type === 'trigger' ? [{ body: '', meta: {} }] : bucket;
    const outputs: FlowPayload[] = [];
    for (const [index, payload] of inputs.entries()) {
      try {
        outputs.push(...(await this.perPayload(shape, payload, record)));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        record.failed += 1;
        record.notes.push(`FAILED  ${message}`);
        this.result.counts.exceptions += 1;
        if (!failures) throw new Error(`${shape.name}: ${message}`);
        failures.push({ shape: shape.name, error: message, payload });
      }
      this.options.onProgress?.({ shape: shape.name, done: index + 1, of: inputs.length });
    }
    record.payloadsOut = outputs.length;
    record.outputs = outputs;
    return outputs;
  }

  private record(shape: Shape, position: string, payloadsIn: number): ShapeRun {
    const record: ShapeRun = {
      position,
      name: shape.name,
      type: shape.type,
      ...(shape.type === 'script' ? { step: shape.step } : {}),
      payloadsIn,
      payloadsOut: 0,
      failed: 0,
      notes: [],
      outputs: [],
    };
    this.result.shapes.push(record);
    return record;
  }

  private async perPayload(
    shape: Exclude<Shape, { type: 'branch' | 'try-catch' }>,
    payload: FlowPayload,
    record: ShapeRun,
  ): Promise<FlowPayload[]> {
    const fill = (text: string) => this.fill(text, payload);
    switch (shape.type) {
      case 'trigger':
        record.notes.push(`schedule ${shape.schedule}`);
        return [payload];
      case 'filter': {
        const json = this.readJson(payload);
        const holds = (rule: (typeof shape.rules)[number]) => {
          const value = valueAt(json, rule.field);
          return rule.operator === 'equals'
            ? value === rule.value
            : (value !== undefined) === (rule.operator === 'exists');
        };
        const kept = shape.rules.every(holds);
        const describe = (rule: (typeof shape.rules)[number]) =>
          `${rule.field} ${rule.operator}${rule.operator === 'equals' ? ` ${rule.value}` : ''}`;
        if (!kept) record.notes.push(`filtered out: ${shape.rules.map(describe).join(' and ')} does not hold`);
        return kept ? [payload] : [];
      }
      case 'set-variables':
        return [
          {
            body: payload.body,
            meta: {
              ...payload.meta,
              ...Object.fromEntries(Object.entries(shape.meta).map(([key, text]) => [key, fill(text)])),
            },
          },
        ];
      case 'manual-payload':
        return [{ body: fill(shape.payload), meta: payload.meta }];
      case 'connection':
        return this.connection(shape, payload, record);
      case 'script':
        return [await this.script(shape, payload, record)];
      case 'de-dupe':
        return this.deDupe(shape, payload, record);
      case 'flow-control': {
        const items = arrayAt(this.readJson(payload), shape.path);
        const batches = [];
        for (let at = 0; at < items.length; at += shape.size) {
          const batch = items.slice(at, at + shape.size);
          batches.push({ body: JSON.stringify(shape.size === 1 ? batch[0] : batch), meta: payload.meta });
        }
        record.notes.push(`${items.length} items of "${shape.path}" in ${batches.length} payloads`);
        return batches;
      }
      case 'notify': {
        const message = this.fill(shape.message, payload, NOTIFY_VARIABLE_CHARS);
        this.result.notifications.push({ shape: shape.name, level: shape.level, message });
        record.notes.push(`${shape.level}: ${message}`);
        return [payload];
      }
      case 'add-to-cache': {
        const key = fill(shape.key);
        const written = (this.result.caches[shape.cache] ??= {});
        written[key] = shape.append ? [...(written[key] ?? []), payload.body] : [payload.body];
        // A flow-run cache is what this run wrote; the others outlive it.
        if (shape.scope !== 'flow-run')
          this.kept.write(shape.scope, this.options.flow.key, shape.cache, key, payload.body, shape.append);
        record.notes.push(
          `${shape.append ? 'appended to' : 'kept in'} ${shape.scope} cache "${shape.cache}" key "${key}"`,
        );
        return [payload];
      }
      case 'map': {
        const mapped: Record<string, unknown> = {};
        for (const [field, source] of Object.entries(shape.fields)) {
          mapped[field] =
            'payload' in source
              ? valueAt(this.readJson(payload), source.payload)
              : 'meta' in source
                ? (payload.meta[source.meta] ?? null)
                : this.cachedRecords(source.cache, fill(source.key), source.scope);
        }
        return [{ body: JSON.stringify(mapped), meta: payload.meta }];
      }
    }
  }

  private async connection(
    shape: Extract<Shape, { type: 'connection' }>,
    payload: FlowPayload,
    record: ShapeRun,
  ): Promise<FlowPayload[]> {
    const variables = Object.fromEntries(
      Object.entries(shape.variables).map(([key, text]) => [key, this.fill(text, payload)]),
    );
    const { engine, holdWrites } = this.options.connections;
    if (holdWrites && engine.endpoint(shape.connector, shape.endpoint).direction === 'Send') {
      const request = { connector: shape.connector, operationId: shape.endpoint, variables };
      const line = `${shape.connector} ${shape.endpoint}: ${engine.describeRequest(request)}`;
      this.result.heldWrites.push(line);
      record.notes.push(`NOT SENT (--live is read-only)  ${line}`);
      return [payload];
    }
    const result = await engine.call({
      connector: shape.connector,
      operationId: shape.endpoint,
      variables,
      body: payload.body,
      retries: shape.retries,
      allowUnsuccessfulStatuses: shape.allow_unsuccessful_statuses,
      timeoutSeconds: shape.timeout_seconds,
    });
    const line = `${shape.connector} ${shape.endpoint}: ${result.line}`;
    if (result.direction === 'Send') {
      if (result.outcome) this.result.counts[result.outcome] += 1;
      record.notes.push(`${result.outcome ?? `HTTP ${result.status}`}  ${line}`);
      // The shape passes its incoming payload on, so a later shape can still name the record it sent.
      return [{ body: payload.body, meta: { ...payload.meta, response_status: String(result.status) } }];
    }
    const payloads = result.pages.length === 1 ? 'payload' : 'payloads';
    const allowed = result.unsuccessful ? ` (HTTP ${result.status}, allowed)` : '';
    record.notes.push(`${line}: ${result.pages.length} ${payloads}${allowed}`);
    return result.pages.map((body) => ({ body, meta: { ...payload.meta, response_status: String(result.status) } }));
  }

  private async script(
    shape: Extract<Shape, { type: 'script' }>,
    payload: FlowPayload,
    record: ShapeRun,
  ): Promise<FlowPayload> {
    const variables = Object.fromEntries(
      Object.entries(shape.variables).map(([key, text]) => [key, this.fill(text, payload)]),
    );
    const data: PatchworksData = {
      payload: payload.body,
      variables,
      meta: { ...payload.meta },
      flow: { variables: { ...this.options.variables } },
    };
    const result = await this.options.runScript(shape.step, data);
    const envelope = parseJson(result.payload ?? 'null') as Envelope;
    const summary = envelope.summary?.[shape.step];
    if (summary) {
      if (shape.name === this.firstScript) this.result.counts.in += summary.in;
      this.result.counts.skipped += summary.skipped;
      this.result.counts.exceptions += summary.exceptions;
      record.notes.push(
        `${summary.in} in -> ${summary.records} passed, ${summary.skipped} skipped, ${summary.exceptions} exceptions`,
      );
      for (const entry of envelope.exceptions.filter((e) => e.step === shape.step))
        record.notes.push(`EXCEPTION  ${entry.id ?? '(no id)'}  ${entry.code}: ${entry.message}`);
      for (const entry of envelope.skipped.filter((s) => s.step === shape.step))
        record.notes.push(`skipped  ${entry.id ?? '(no id)'}  ${entry.reason}`);
    }
    for (const line of result.logs ?? []) record.notes.push(`log  ${line}`);
    return {
      body: result.payload ?? '',
      meta: Object.fromEntries(Object.entries(result.meta ?? {}).map(([key, value]) => [key, String(value)])),
    };
  }

  private deDupe(shape: Extract<Shape, { type: 'de-dupe' }>, payload: FlowPayload, record: ShapeRun): FlowPayload[] {
    const { pools } = this.options;
    const filter = shape.behaviour !== 'track';
    const track = shape.behaviour !== 'filter';
    const seen = (value: unknown) => {
      if (typeof value !== 'string' && typeof value !== 'number')
        throw new Error(
          `the key "${shape.key}" is ${JSON.stringify(value) ?? 'missing'} in a payload item: a de-dupe ` +
            `key must be text`,
        );
      const key = String(value);
      const duplicate = pools.has(shape.pool, key);
      if (track && !duplicate) pools.track(shape.pool, key);
      return duplicate;
    };
    const json = parseJson(payload.body);
    const itemised = /^([^*]+)\.\*\.(.+)$/.exec(shape.key);
    if (!itemised) {
      if (seen(valueAt(json, shape.key)) && filter) {
        this.dropped(record, 1, shape);
        return [];
      }
      return [payload];
    }
    const [, arrayPath, keyPath] = itemised as unknown as [string, string, string];
    const items = arrayAt(json, arrayPath);
    const kept = items.filter((item) => !(seen(valueAt(item, keyPath)) && filter));
    if (kept.length < items.length) this.dropped(record, items.length - kept.length, shape);
    else record.notes.push(`${items.length} checked, none seen before`);
    setAt(json, arrayPath, kept);
    return [{ body: JSON.stringify(json), meta: payload.meta }];
  }

  private dropped(record: ShapeRun, count: number, shape: Extract<Shape, { type: 'de-dupe' }>): void {
    this.result.counts.skipped += count;
    record.notes.push(`${count} filtered out: already in data pool "${shape.pool}"`);
  }

  /**
   * The records of every payload cached under this key: an envelope's records, an array's items, else the payload. In
   * the scope the map names (a cache another flow writes), else the one this flow writes it in.
   */
  private cachedRecords(cache: string, key: string, named?: 'flow' | 'company'): unknown[] {
    const scope = named ?? this.scopes.get(cache) ?? 'flow-run';
    const bodies =
      scope === 'flow-run'
        ? (this.result.caches[cache]?.[key] ?? [])
        : this.kept.read(scope, this.options.flow.key, cache, key);
    return bodies.flatMap((body) => {
      const json = parseJson(body);
      if (Array.isArray(json)) return json;
      if (json && typeof json === 'object' && Array.isArray((json as Envelope).records))
        return (json as Envelope).records;
      return [json];
    });
  }

  /**
   * A payload's JSON, parsed once however many placeholders and map fields read it. Read-only: a shape that changes
   * the JSON (de-dupe) or hands it to a client parses its own copy, since branches share a bucket's payloads.
   */
  private readJson(payload: FlowPayload): unknown {
    if (!this.parsedPayloads.has(payload))
      this.parsedPayloads.set(payload, payload.body === '' ? null : parseJson(payload.body));
    return this.parsedPayloads.get(payload);
  }

  private fill(text: string, payload: FlowPayload, limit?: number): string {
    return fillPlaceholders(text, (placeholder: Placeholder) => {
      const value = this.placeholderValue(placeholder, payload, () => this.readJson(payload));
      return limit === undefined ? value : value.slice(0, limit);
    });
  }

  private placeholderValue(placeholder: Placeholder, payload: FlowPayload, json: () => unknown): string {
    const { kind, name } = placeholder;
    if (kind === 'flow.variables') {
      const value = this.options.variables[name];
      if (value === undefined) throw new Error(`flow variable "${name}" is not set`);
      return value;
    }
    if (kind === 'lookups') {
      const text = lookupText(name, this.options.lookups);
      if (text === undefined) throw new Error(`lookup "${name}" is not in the client's config`);
      return text;
    }
    if (kind === 'meta') return payload.meta[name] ?? '';
    const value = valueAt(json(), name);
    return value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new Error(`the payload is not JSON (starts ${JSON.stringify(body.slice(0, 40))})`);
  }
}
