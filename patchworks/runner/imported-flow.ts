/**
 * Reads a rendered flow (the Patchworks flow import JSON `renderFlow` writes, patchworks/blueprint/render.ts) back into
 * the shapes the local runner runs, so that what runs is what a consultant imports: a rendering mistake fails a flow
 * test instead of reaching Patchworks unseen. The exact inverse of `renderFlow`: anything it would not have written
 * (a connection to a missing step, an endpoint the connector does not have, a script the flow pins no bundle for, a
 * step type it does not render) fails, naming the flow, the step's id and name, and what is wrong.
 */
import * as z from 'zod';
import { endpointDirection } from '../exporters/core-api.js';
import { shapeSchema, type Shape } from '../blueprint/blueprint.js';
import { CATCH_ROUTE, TRY_ROUTE, type RenderInput } from '../blueprint/render.js';

/** A rendered flow as the runner runs it. */
export interface ImportedFlow {
  /** The blueprint's key, which the rendered flow carries only as its file name. */
  key: string;
  title: string;
  purpose: string;
  /** The flow version's variables: what `{{flow.variables.*}}` left in connection, notify and cache texts reads. */
  variables: Record<string, string>;
  shapes: Shape[];
}

const text = z.string().min(1);
const texts = z.record(z.string(), z.string());
const route = z.strictObject({ name: text, first_step: text });
const stepBase = {
  id: z.number().int().positive(),
  name: text,
  /** A hand-built step's instructions for the consultant; nothing the runner reads. */
  description: z.string().optional(),
  position: z.strictObject({ x: z.number(), y: z.number() }),
};

// Configs are checked for their structure here; their values (levels, behaviours, cron, retries) by the blueprint's
// own shape schema, once each step is read back into its shape.
const stepSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...stepBase,
    type: z.literal('trigger'),
    config: z.strictObject({ schedule_type: z.literal('cron'), cron_expression: z.string() }),
  }),
  z.strictObject({
    ...stepBase,
    type: z.literal('connector'),
    config: z.strictObject({
      timeout: z.number(),
      wrapping_behaviour: z.literal('Raw'),
      allow_unsuccessful_statuses: z.boolean(),
      system: text,
      variables: texts,
      retries: z.number(),
    }),
    endpoint: z.strictObject({
      name: text,
      direction: z.enum(['Receive', 'Send']),
      http_method: text,
      data_type: z.literal('json'),
    }),
  }),
  z.strictObject({
    ...stepBase,
    type: z.literal('script'),
    config: z.strictObject({
      script: z.strictObject({ name: text, version: text, sha256: z.string() }),
      variables: texts,
    }),
  }),
  z.strictObject({
    ...stepBase,
    type: z.literal('de-dupe'),
    config: z.strictObject({ behaviour: z.string(), data_pool: z.string(), key: z.string() }),
  }),
  z.strictObject({
    ...stepBase,
    type: z.literal('batch'),
    config: z.strictObject({ path: z.string(), size: z.number(), do_not_wrap_single_records: z.boolean() }),
  }),
  z.strictObject({
    ...stepBase,
    type: z.literal('notify'),
    config: z.strictObject({ level: z.string(), message: z.string() }),
  }),
  z.strictObject({
    ...stepBase,
    type: z.literal('cache'),
    config: z.strictObject({
      action: z.literal('add'),
      cache: z.string(),
      cache_key: z.string(),
      cache_level: z.string(),
      append: z.boolean(),
    }),
  }),
  z.strictObject({ ...stepBase, type: z.literal('map'), config: z.strictObject({ fields: z.unknown() }) }),
  z.strictObject({ ...stepBase, type: z.literal('manual-payload'), config: z.strictObject({ payload: z.string() }) }),
  z.strictObject({ ...stepBase, type: z.literal('filter'), config: z.strictObject({ rules: z.unknown() }) }),
  z.strictObject({ ...stepBase, type: z.literal('set-variables'), config: z.strictObject({ meta: z.unknown() }) }),
  z.strictObject({
    ...stepBase,
    type: z.literal('branch'),
    config: z.strictObject({}),
    routes: z.array(route).min(2),
  }),
  z.strictObject({
    ...stepBase,
    type: z.literal('try-catch'),
    config: z.strictObject({ action: z.literal('partial_success') }),
    routes: z.array(route).length(2),
  }),
]);

type Step = z.output<typeof stepSchema>;

const renderedFlowSchema = z.strictObject({
  metadata: z.looseObject({}),
  flow: z.strictObject({
    name: text,
    description: text,
    is_enabled: z.boolean(),
    // One version: the one the import deploys.
    versions: z
      .array(
        z.looseObject({
          variables: z.array(z.strictObject({ name: text, value: z.string(), description: z.string() })),
          steps: z.array(z.unknown()).min(1),
          connections: z.array(z.strictObject({ source_step_id: z.number(), target_step_id: z.number() })),
        }),
      )
      .length(1),
  }),
  systems: z.array(z.looseObject({ system: z.looseObject({ name: text }), pack_connector: text })),
  scripts: z.array(z.looseObject({ name: text, version: text, sha256: z.string() })),
  dependencies: z.array(z.unknown()),
});

/**
 * The runnable flow in a rendered flow. `connectors` is the map `renderFlow` took (`loadRenderContext`): an endpoint is
 * named in the rendered flow as Patchworks shows it, and read back to the operationId the runner calls.
 */
export function readImportedFlow(
  rendered: unknown,
  where: { key: string; source: string },
  connectors: RenderInput['connectors'],
): ImportedFlow {
  const fail = (message: string): never => {
    throw new Error(`${where.source}: ${message}`);
  };
  const parsed = renderedFlowSchema.safeParse(rendered);
  if (!parsed.success) return fail(`not a rendered flow:\n${z.prettifyError(parsed.error)}`);
  const { flow, systems, scripts } = parsed.data;
  const version = flow.versions[0]!;

  const steps = version.steps.map((raw, at) => {
    const step = stepSchema.safeParse(raw);
    if (step.success) return step.data;
    const { id, name } = (raw ?? {}) as { id?: unknown; name?: unknown };
    return fail(`step ${String(id ?? `#${at + 1}`)} "${String(name)}": ${z.prettifyError(step.error)}`);
  });
  const byId = new Map<number, Step>();
  const byName = new Map<string, Step>();
  for (const step of steps) {
    if (byId.has(step.id)) fail(`two steps have the id ${step.id}`);
    if (byName.has(step.name)) fail(`two steps are named "${step.name}"`);
    byId.set(step.id, step);
    byName.set(step.name, step);
  }
  const named = (step: Step) => `step ${step.id} "${step.name}"`;

  const next = new Map<number, Step>();
  const entered = new Set<number>();
  for (const { source_step_id: from, target_step_id: to } of version.connections) {
    const source = byId.get(from) ?? fail(`a connection leaves step ${from}, which the flow does not have`);
    const target =
      byId.get(to) ?? fail(`a connection from ${named(source)} goes to step ${to}, which the flow does not have`);
    if (next.has(from)) fail(`${named(source)} has two connections out: a route runs one step after another`);
    if (entered.has(to)) fail(`${named(target)} has two connections in: a route runs one step after another`);
    next.set(from, target);
    entered.add(to);
  }

  const connectorOf = new Map(systems.map((s) => [s.system.name, s.pack_connector]));
  const pinned = new Map(scripts.map((s) => [s.name, s]));
  const read = new Set<number>();

  /** The route that starts at this step, followed along its connections. */
  const readRoute = (first: Step): Shape[] => {
    const shapes: Shape[] = [];
    for (let step: Step | undefined = first; step; step = next.get(step.id)) {
      if (read.has(step.id))
        fail(`${named(step)} is reached twice: its connections run in a circle or routes share it`);
      read.add(step.id);
      shapes.push(readStep(step));
    }
    return shapes;
  };

  const routeStart = (step: Step, routeName: string, firstStep: string): Step => {
    const first =
      byName.get(firstStep) ??
      fail(`${named(step)}: route "${routeName}" starts at "${firstStep}", which the flow does not have`);
    if (entered.has(first.id))
      fail(`${named(step)}: route "${routeName}" starts at ${named(first)}, which a connection also leads into`);
    return first;
  };

  const readStep = (step: Step): Shape => {
    if (step.type === 'branch')
      return {
        type: 'branch',
        name: step.name,
        branches: step.routes.map((r) => ({ name: r.name, shapes: readRoute(routeStart(step, r.name, r.first_step)) })),
      };
    if (step.type === 'try-catch') {
      const [tried, caught] = step.routes;
      if (tried!.name !== TRY_ROUTE || caught!.name !== CATCH_ROUTE)
        fail(`${named(step)}: a try/catch's routes are "${TRY_ROUTE}" then "${CATCH_ROUTE}"`);
      return {
        type: 'try-catch',
        name: step.name,
        try: readRoute(routeStart(step, TRY_ROUTE, tried!.first_step)),
        catch: readRoute(routeStart(step, CATCH_ROUTE, caught!.first_step)),
      };
    }
    const shape = shapeSchema.safeParse(shapeInput(step));
    if (!shape.success) return fail(`${named(step)}: ${z.prettifyError(shape.error)}`);
    return shape.data;
  };

  /** A step other than a branch or a try/catch as the blueprint shape it was rendered from. */
  const shapeInput = (step: Exclude<Step, { type: 'branch' | 'try-catch' }>): Record<string, unknown> => {
    const { name } = step;
    switch (step.type) {
      case 'trigger':
        return { type: 'trigger', name, schedule: step.config.cron_expression };
      case 'connector':
        return {
          type: 'connection',
          name,
          ...connectorEndpoint(step),
          variables: step.config.variables,
          retries: step.config.retries,
          allow_unsuccessful_statuses: step.config.allow_unsuccessful_statuses,
          timeout_seconds: step.config.timeout,
        };
      case 'script': {
        const { script } = step.config;
        const pin =
          pinned.get(script.name) ??
          fail(`${named(step)} runs script "${script.name}", which the flow pins no bundle for`);
        if (pin.sha256 !== script.sha256 || pin.version !== script.version)
          fail(`${named(step)} pins script "${script.name}" ${script.version} other than the flow's bundle of it`);
        return { type: 'script', name, step: script.name, variables: step.config.variables };
      }
      case 'de-dupe':
        return {
          type: 'de-dupe',
          name,
          behaviour: step.config.behaviour,
          pool: step.config.data_pool,
          key: step.config.key,
        };
      case 'batch':
        // The runner hands a batch of one on unwrapped, exactly as renderFlow sets the flag.
        if (step.config.do_not_wrap_single_records !== (step.config.size === 1))
          fail(`${named(step)}: do_not_wrap_single_records must be set exactly when the size is 1`);
        return { type: 'flow-control', name, path: step.config.path, size: step.config.size };
      case 'notify':
        return { type: 'notify', name, level: step.config.level, message: step.config.message };
      case 'cache':
        return {
          type: 'add-to-cache',
          name,
          cache: step.config.cache,
          key: step.config.cache_key,
          scope: step.config.cache_level,
          append: step.config.append,
        };
      case 'map':
        return { type: 'map', name, fields: step.config.fields };
      case 'manual-payload':
        return { type: 'manual-payload', name, payload: step.config.payload };
      case 'filter':
        return { type: 'filter', name, rules: step.config.rules };
      case 'set-variables':
        return { type: 'set-variables', name, meta: step.config.meta };
    }
  };

  const connectorEndpoint = (step: Extract<Step, { type: 'connector' }>) => {
    const connector =
      connectorOf.get(step.config.system) ??
      fail(`${named(step)}: the system "${step.config.system}" is not among the flow's systems`);
    const { facts, api } =
      connectors.get(connector) ?? fail(`${named(step)}: the pack has no connector "${connector}"`);
    const matching = api.operations.filter((op) => op.name === step.endpoint.name);
    if (matching.length !== 1)
      fail(
        `${named(step)}: the ${connector} connector has ${matching.length === 0 ? 'no' : 'more than one'} endpoint ` +
          `named "${step.endpoint.name}"`,
      );
    const operation = matching[0]!;
    const direction = endpointDirection(operation, facts.endpoints[operation.operationId]);
    if (operation.method !== step.endpoint.http_method || direction !== step.endpoint.direction)
      fail(
        `${named(step)}: the endpoint "${step.endpoint.name}" is ${operation.method} (${direction}) in the ` +
          `${connector} connector, not ${step.endpoint.http_method} (${step.endpoint.direction})`,
      );
    return { connector, endpoint: operation.operationId };
  };

  const routeStarts = new Set(steps.flatMap((step) => ('routes' in step ? step.routes.map((r) => r.first_step) : [])));
  const first = steps.filter((step) => !entered.has(step.id) && !routeStarts.has(step.name));
  if (first.length !== 1)
    fail(`the flow must start at one step, with no connection in; it has ${first.map(named).join(', ') || 'none'}`);
  if (first[0]!.type !== 'trigger') fail(`${named(first[0]!)}: a flow starts with its trigger`);
  const shapes = readRoute(first[0]!);
  const unreached = steps.filter((step) => !read.has(step.id));
  if (unreached.length > 0) fail(`${unreached.map(named).join(', ')}: on no route from the trigger`);

  const variables: Record<string, string> = {};
  for (const variable of version.variables) {
    if (Object.hasOwn(variables, variable.name)) fail(`the flow variable "${variable.name}" is set twice`);
    variables[variable.name] = variable.value;
  }
  return { key: where.key, title: flow.name, purpose: flow.description, variables, shapes };
}
