/**
 * A blueprint rendered for one client as the Patchworks flow import JSON (reference/patchworks.md §3.6), key by key as
 * Patchworks' own import templates have it (fixtures/patchworks/flow-import-template.json, from
 * gopatchworks/patchworks-mcp): the keys `metadata`, `flow`, `systems`, `scripts` and `dependencies`;
 * `metadata.import_summary` with the template's
 * counts, and nothing else, since the template says that structure is validated; steps with `id`, `type`, `name`,
 * `config` and `position`, named by the types the templates show (`connector`, `script`, `batch`, `try-catch`,
 * `de-dupe`, …) and linked by `connections`; a connector step's `endpoint` beside its config, its `direction`
 * `Receive` or `Send`; a try/catch's routes as `routes: [{name: 'Try', first_step}, {name: 'Catch', first_step}]`,
 * `first_step` naming the route's first step (branches' routes the same way). A shape type no template shows (notify,
 * manual payload) is rendered in place with a `description` starting `HAND-BUILT:` and listed in
 * `import_summary.next_steps`, for the consultant to build by hand after import. Pure: the export time and the script
 * pins come in as arguments.
 *
 * Placeholders: connection and notify shapes keep `{{flow.variables.*}}`, `[[payload.*]]` and `[[meta.*]]`, which
 * Patchworks fills at run time (§3.4); the flow version carries the client's variable values. Script shapes get their
 * settings filled in here, flow variables and lookups alike: Patchworks does not document placeholders in script
 * variables, and a lookup reaches a script only as text (its CSV, pack-contract §3).
 */
import type { ApiDocument, PatchworksConnectorFacts } from '../../contracts/connector-source.js';
import { endpointDirection, handSetPagination } from '../exporters/core-api.js';
import { connectorsUsed, flowVariableText, stepsUsed, walkShapes, type Blueprint, type Shape } from './blueprint.js';
import { fillForClient, type ClientConfig, type ResolvedFlow } from './client-config.js';

/** A script version a flow pins: the built bundle, by content. */
export interface ScriptPin {
  step: string;
  file: string;
  sha256: string;
  bytes: number;
}

export interface RenderInput {
  blueprint: Blueprint;
  client: ClientConfig;
  resolved: ResolvedFlow;
  connectors: Map<string, { facts: PatchworksConnectorFacts; api: ApiDocument }>;
  pins: Map<string, ScriptPin>;
  packVersion: string;
  exportedAt: string;
}

/**
 * The scripts a flow pins, each once: its script steps, then the pagination scripts of the endpoints its connection
 * shapes call (connector facts, `paginationScript`), which the consultant deploys and selects on those endpoints.
 */
export function scriptsPinned(shapes: readonly Shape[], connectors: RenderInput['connectors']): string[] {
  const paging = [...walkShapes(shapes)].flatMap((shape) => {
    if (shape.type !== 'connection') return [];
    const script = connectors.get(shape.connector)?.facts.endpoints[shape.endpoint]?.paginationScript;
    return script === undefined ? [] : [script.key];
  });
  return [...new Set([...stepsUsed(shapes), ...paging])];
}

/** The file name a rendered lookup gets: the flow's own, or one shared by the client's flows. */
export function lookupFileName(flowKey: string, lookup: string, owner: string): string {
  return owner === 'shared' ? `lookups/${lookup}.csv` : `lookups/${flowKey}.${lookup}.csv`;
}

/** A Patchworks cross-reference lookup's name for the same table. */
export function lookupResourceName(flowKey: string, lookup: string, owner: string): string {
  return owner === 'shared' ? lookup : `${flowKey}.${lookup}`;
}

interface Step {
  id: number;
  type: string;
  name: string;
  /** Only on a hand-built step: what to build (the template's trigger step has a `description`). */
  description?: string;
  config: Record<string, unknown>;
  /** A connector step's endpoint, beside its config (schemas.py's generic import). */
  endpoint?: { name: string; direction: 'Receive' | 'Send'; http_method: string; data_type: string };
  /** A try/catch's or branch's routes: each names its first step (schemas.py's generic import). */
  routes?: Array<{ name: string; first_step: string }>;
  position: { x: number; y: number };
}

interface Link {
  from: number;
  to: number;
}

/** What a hand-built step's `description` and its `next_steps` line start with. */
export const HAND_BUILT = 'HAND-BUILT:';

/** The try/catch's route names, as the template spells them. */
export const TRY_ROUTE = 'Try';
export const CATCH_ROUTE = 'Catch';

export function renderFlow(input: RenderInput): Record<string, unknown> {
  const { blueprint, client, resolved } = input;
  const steps: Step[] = [];
  const links: Link[] = [];
  const handBuilt: string[] = [];
  const fillScriptText = (text: string) => fillForClient(text, resolved);

  /** Lays shapes out left to right, one row per route; returns the name of the first step (a route's first_step). */
  const layout = (shapes: readonly Shape[], row: number, column: number): string => {
    let previous: number | undefined;
    let first = '';
    for (const [index, shape] of shapes.entries()) {
      const id = steps.length + 1;
      const kind = stepKind(shape, input, fillScriptText);
      const step: Step = {
        id,
        type: kind.type,
        name: shape.name,
        config: kind.config,
        position: { x: 100 + (column + index) * 250, y: 100 + row * 200 },
      };
      if (kind.handBuilt) {
        step.description = `${HAND_BUILT} ${kind.handBuilt}`;
        handBuilt.push(`${HAND_BUILT} step ${id} "${shape.name}": ${kind.handBuilt}`);
      }
      if (kind.endpoint) step.endpoint = kind.endpoint;
      steps.push(step);
      if (previous !== undefined) links.push({ from: previous, to: id });
      if (!first) first = shape.name;
      if (shape.type === 'branch') {
        step.routes = shape.branches.map((branch, at) => ({
          name: branch.name,
          first_step: layout(branch.shapes, row + at, column + index + 1),
        }));
      }
      if (shape.type === 'try-catch') {
        const tried = layout(shape.try, row, column + index + 1);
        const caught = layout(shape.catch, row + 1, column + index + 1);
        step.routes = [
          { name: TRY_ROUTE, first_step: tried },
          { name: CATCH_ROUTE, first_step: caught },
        ];
      }
      previous = id;
    }
    return first;
  };
  layout(blueprint.shapes, 0, 0);

  const used = [...walkShapes(blueprint.shapes)];
  const connectorKeys = connectorsUsed(blueprint.shapes);
  const endpointsUsed = new Set(used.flatMap((s) => (s.type === 'connection' ? [`${s.connector} ${s.endpoint}`] : [])));
  // Pagination options the connector definition cannot carry (core-api.ts, handSetPagination): set on the endpoint.
  const paginationToSet = [
    ...new Map(
      used.flatMap((s) => {
        if (s.type !== 'connection') return [];
        const { facts, api } = input.connectors.get(s.connector)!;
        const endpoint = facts.endpoints[s.endpoint];
        const toSet = endpoint && handSetPagination(endpoint);
        if (toSet === undefined) return [];
        const name = api.operations.find((operation) => operation.operationId === s.endpoint)?.name ?? s.endpoint;
        return [
          [
            `${s.connector} ${s.endpoint}`,
            `In the ${facts.system.name} connector, set the "${endpoint!.paginationMethod}" pagination of the ` +
              `endpoint "${name}": ${toSet}.`,
          ] as const,
        ];
      }),
    ).values(),
  ];
  const pools = [...new Set(used.flatMap((s) => (s.type === 'de-dupe' ? [s.pool] : [])))];
  const caches = [
    ...new Map(
      used.flatMap((s) =>
        s.type === 'add-to-cache' ? [[`${s.cache} ${s.scope}`, { name: s.cache, scope: s.scope }] as const] : [],
      ),
    ).values(),
  ];
  const lookups = Object.keys(blueprint.lookups).map((name) => {
    const owner = resolved.lookupOwners[name]!;
    return {
      name: lookupResourceName(blueprint.key, name, owner),
      file: lookupFileName(blueprint.key, name, owner),
      rows: Object.keys(resolved.lookups[name] ?? {}).length,
    };
  });
  const systems = connectorKeys.map((key) => {
    const facts = input.connectors.get(key)!.facts;
    return {
      system: { name: facts.system.name, label: facts.system.label, protocol: facts.system.protocol },
      pack_connector: key,
      import_files: [`connectors/${key}.postman_collection.json`, `connectors/${key}.core-api.json`],
    };
  });
  // What each connector instance needs from the consultant: its authentication's credentials (always secret, never
  // in the pack), and each connector variable that carries no value here.
  const variablesNeedingValues = connectorKeys
    .map((key) => input.connectors.get(key)!.facts.variables.filter((v) => v.secret || v.value === null).length)
    .reduce((sum, n) => sum + n, 0);
  const scripts = scriptsPinned(blueprint.shapes, input.connectors).map((step) => {
    const pin = input.pins.get(step)!;
    return {
      name: step,
      language: 'javascript',
      runtime: 'node18',
      version: input.packVersion,
      file: pin.file,
      sha256: pin.sha256,
      bytes: pin.bytes,
    };
  });

  return {
    metadata: {
      company_name: client.name,
      flow_name: blueprint.title,
      exported_at: input.exportedAt,
      exported_by: `sparklayer-patchworks-pack ${input.packVersion}`,
      // Exactly the template's keys and types: it says this structure is required for validation. The names of what
      // to set up are in next_steps and in the top-level dependencies.
      import_summary: {
        setup_required: {
          connectors_needing_config: systems.length,
          auth_implementations_needing_credentials: systems.length,
          variables_needing_values: variablesNeedingValues,
        },
        dependencies: [
          ...scripts.map((s) => `script ${s.name} ${s.version}`),
          ...lookups.map((l) => `lookup ${l.name}`),
        ],
        imported_resources: {
          systems_imported: systems.length,
          flow_steps: steps.length,
          endpoints: endpointsUsed.size,
          connectors: connectorKeys.length,
        },
        next_steps: [
          `Add a connector instance with ${client.name}'s credentials for each of: ` +
            `${systems.map((s) => s.system.name).join(', ')}.`,
          `Import each cross-reference lookup from its CSV: ${lookups.map((l) => l.file).join(', ') || 'none'}.`,
          ...(pools.length > 0 ? [`Create the data pools: ${pools.join(', ')}.`] : []),
          ...(caches.length > 0
            ? [`The flow adds to the caches: ${caches.map((c) => `${c.name} (${c.scope} scope)`).join(', ')}.`]
            : []),
          ...paginationToSet,
          'Save and deploy each script version listed under "scripts", then check each script shape pins it.',
          ...handBuilt,
          'Deploy the flow version, then enable the flow: imported flows arrive disabled, as Draft.',
        ],
      },
    },
    flow: {
      name: blueprint.title,
      description: blueprint.purpose,
      is_enabled: false,
      versions: [
        {
          flow_name: blueprint.title,
          flow_priority: 3,
          iteration: 1,
          status: 'Draft',
          is_deployed: false,
          is_editable: true,
          has_callback_step: false,
          variables: Object.entries(resolved.variables).map(([name, value]) => ({
            name,
            value,
            description: flowVariableText(blueprint.variables[name]!),
          })),
          steps,
          // The way along a route; the way into one is its step's routes[].first_step.
          connections: links.map((link) => ({ source_step_id: link.from, target_step_id: link.to })),
        },
      ],
    },
    systems,
    scripts,
    dependencies: [
      ...lookups.map((l) => ({ type: 'cross_reference_lookup', name: l.name, file: l.file, rows: l.rows })),
      ...pools.map((name) => ({ type: 'data_pool', name })),
      ...caches.map((c) => ({ type: 'cache', name: c.name, scope: c.scope })),
    ],
  };
}

interface StepKind {
  type: string;
  config: Record<string, unknown>;
  endpoint?: Step['endpoint'];
  /** Set when no import template shows this step type: what the consultant builds in its place. */
  handBuilt?: string;
}

/**
 * Each shape type's step: exhaustive, so a new shape type fails to compile until it is given a step here. The types
 * the templates show: trigger, connector, map, filter, script, branch, route, split, cache, de-dupe (knowledge base),
 * try-catch, connector, batch, map (schemas.py); configs as the templates have them where they show one.
 */
function stepKind(shape: Shape, input: RenderInput, fillScriptText: (text: string) => string): StepKind {
  switch (shape.type) {
    case 'trigger':
      return { type: 'trigger', config: { schedule_type: 'cron', cron_expression: shape.schedule } };
    case 'connection': {
      const { facts, api } = input.connectors.get(shape.connector)!;
      const operation = api.operations.find((op) => op.operationId === shape.endpoint)!;
      return {
        type: 'connector',
        config: {
          timeout: shape.timeout_seconds,
          wrapping_behaviour: 'Raw',
          allow_unsuccessful_statuses: shape.allow_unsuccessful_statuses,
          system: facts.system.name,
          variables: shape.variables,
          retries: shape.retries,
        },
        endpoint: {
          name: operation.name,
          direction: endpointDirection(operation, facts.endpoints[operation.operationId]),
          http_method: operation.method,
          data_type: 'json',
        },
      };
    }
    case 'script': {
      const pin = input.pins.get(shape.step)!;
      return {
        type: 'script',
        config: {
          script: { name: shape.step, version: input.packVersion, sha256: pin.sha256 },
          variables: Object.fromEntries(
            Object.entries(shape.variables).map(([key, text]) => [key, fillScriptText(text)]),
          ),
        },
      };
    }
    case 'de-dupe':
      return { type: 'de-dupe', config: { behaviour: shape.behaviour, data_pool: shape.pool, key: shape.key } };
    case 'flow-control':
      return {
        type: 'batch',
        config: { path: shape.path, size: shape.size, do_not_wrap_single_records: shape.size === 1 },
      };
    case 'notify':
      return {
        type: 'notify',
        config: { level: shape.level, message: shape.message },
        handBuilt:
          `no Patchworks import template has a notify step. Add a notify shape here: alert level ` +
          `${shape.level}, notification template: ${shape.message}`,
      };
    case 'add-to-cache':
      return {
        type: 'cache',
        config: {
          action: 'add',
          cache: shape.cache,
          cache_key: shape.key,
          cache_level: shape.scope,
          append: shape.append,
        },
      };
    case 'map':
      return { type: 'map', config: { fields: shape.fields } };
    case 'manual-payload': {
      const payload = fillScriptText(shape.payload);
      return {
        type: 'manual-payload',
        config: { payload },
        handBuilt:
          `no Patchworks import template has a manual payload step. Add a manual payload shape here and ` +
          `paste in this step's config.payload (${payload.length} characters, the client's lookups filled in).`,
      };
    }
    case 'filter':
      return { type: 'filter', config: { rules: shape.rules } };
    case 'set-variables': {
      const settings = Object.entries(shape.meta)
        .map(([key, value]) => `meta variable ${key} = ${value}`)
        .join('; ');
      return {
        type: 'set-variables',
        config: { meta: shape.meta },
        handBuilt:
          `no Patchworks import template has a set variables step. ` +
          `Add a set variables shape here and set: ${settings}`,
      };
    }
    case 'branch':
      return { type: 'branch', config: {} };
    case 'try-catch':
      return { type: 'try-catch', config: { action: 'partial_success' } };
  }
}
