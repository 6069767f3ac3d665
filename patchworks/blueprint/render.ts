/**
 * A blueprint rendered for one client as the Patchworks flow import JSON (reference/patchworks.md §3.6): the keys
 * `metadata`, `flow`, `systems`, `scripts` and `dependencies`; steps named by the `type` Patchworks' import uses
 * (`connector`, `script`, `batch`, `try-catch`, `de-dupe`, …) and linked by `connections`. Pure: the export time and
 * the script pins come in as arguments.
 *
 * Placeholders: connection and notify shapes keep `{{flow.variables.*}}`, `[[payload.*]]` and `[[meta.*]]`, which
 * Patchworks fills at run time (§3.4); the flow version carries the client's variable values. Script shapes get their
 * settings filled in here, flow variables and lookups alike: Patchworks does not document placeholders in script
 * variables, and a lookup reaches a script only as text (its CSV, pack-contract §3).
 */
import type { ApiDocument, PatchworksConnectorFacts } from '../exporters/connector-source.js';
import { connectorsUsed, stepsUsed, walkShapes, type Blueprint, type Shape } from './blueprint.js';
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
  config: Record<string, unknown>;
  position: { x: number; y: number };
}

interface Link {
  from: number;
  to: number;
  route?: string;
}

export function renderFlow(input: RenderInput): Record<string, unknown> {
  const { blueprint, client, resolved } = input;
  const steps: Step[] = [];
  const links: Link[] = [];
  const fillScriptText = (text: string) => fillForClient(text, resolved);

  /** Lays shapes out left to right, one row per route; returns the ids of the first and last steps. */
  const layout = (shapes: readonly Shape[], row: number, column: number): { first: number; last: number } => {
    let previous: number | undefined;
    let first = -1;
    for (const [index, shape] of shapes.entries()) {
      const id = steps.length + 1;
      steps.push({ id, type: stepType(shape), name: shape.name, config: stepConfig(shape, input, fillScriptText), position: { x: 100 + (column + index) * 250, y: 100 + row * 200 } });
      if (previous !== undefined) links.push({ from: previous, to: id });
      if (first < 0) first = id;
      if (shape.type === 'branch') {
        shape.branches.forEach((branch, at) => {
          const inner = layout(branch.shapes, row + at, column + index + 1);
          links.push({ from: id, to: inner.first, route: branch.name });
        });
      }
      if (shape.type === 'try-catch') {
        const tried = layout(shape.try, row, column + index + 1);
        links.push({ from: id, to: tried.first, route: 'try' });
        const caught = layout(shape.catch, row + 1, column + index + 1);
        links.push({ from: id, to: caught.first, route: 'catch' });
      }
      previous = id;
    }
    return { first, last: previous ?? first };
  };
  layout(blueprint.shapes, 0, 0);

  const used = [...walkShapes(blueprint.shapes)];
  const connectorKeys = connectorsUsed(blueprint.shapes);
  const stepKeys = stepsUsed(blueprint.shapes);
  const pools = [...new Set(used.flatMap((s) => (s.type === 'de-dupe' ? [s.pool] : [])))];
  const caches = [...new Set(used.flatMap((s) => (s.type === 'add-to-cache' ? [`${s.cache} (${s.scope})`] : [])))];
  const lookups = Object.keys(blueprint.lookups).map((name) => {
    const owner = resolved.lookupOwners[name]!;
    return { name: lookupResourceName(blueprint.key, name, owner), file: lookupFileName(blueprint.key, name, owner), rows: Object.keys(resolved.lookups[name] ?? {}).length };
  });
  const systems = connectorKeys.map((key) => {
    const facts = input.connectors.get(key)!.facts;
    return { system: { name: facts.system.name, label: facts.system.label, protocol: facts.system.protocol }, pack_connector: key, import_files: [`connectors/${key}.postman_collection.json`, `connectors/${key}.core-api.json`] };
  });
  const scripts = stepKeys.map((step) => {
    const pin = input.pins.get(step)!;
    return { name: step, language: 'javascript', runtime: 'node18', version: input.packVersion, file: pin.file, sha256: pin.sha256, bytes: pin.bytes };
  });

  return {
    metadata: {
      company_name: client.name,
      flow_name: blueprint.title,
      exported_at: input.exportedAt,
      exported_by: `sparklayer-patchworks-pack ${input.packVersion}`,
      import_summary: {
        setup_required: {
          connector_instances: systems.map((s) => s.system.name),
          cross_reference_lookups: lookups.map((l) => l.name),
          data_pools: pools,
          caches,
        },
        dependencies: [...scripts.map((s) => `script ${s.name} ${s.version}`), ...lookups.map((l) => `lookup ${l.name}`)],
        imported_resources: { steps: steps.length, scripts: scripts.length, variables: Object.keys(resolved.variables).length },
        next_steps: [
          `Add a connector instance with ${client.name}'s credentials for each of: ${systems.map((s) => s.system.name).join(', ')}.`,
          `Import each cross-reference lookup from its CSV: ${lookups.map((l) => l.file).join(', ') || 'none'}.`,
          ...(pools.length > 0 ? [`Create the data pools: ${pools.join(', ')}.`] : []),
          'Save and deploy each script version listed under "scripts", then check each script shape pins it.',
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
          variables: Object.entries(resolved.variables).map(([name, value]) => ({ name, value, description: blueprint.variables[name]!.description })),
          steps,
          connections: links.map((link) => ({ source_step_id: link.from, target_step_id: link.to, ...(link.route ? { route: link.route } : {}) })),
        },
      ],
    },
    systems,
    scripts,
    dependencies: [
      ...lookups.map((l) => ({ type: 'cross_reference_lookup', name: l.name, file: l.file, rows: l.rows })),
      ...pools.map((name) => ({ type: 'data_pool', name })),
    ],
  };
}

function stepType(shape: Shape): string {
  switch (shape.type) {
    case 'connection':
      return 'connector';
    case 'flow-control':
      return 'batch';
    case 'add-to-cache':
      return 'cache';
    default:
      return shape.type;
  }
}

function stepConfig(shape: Shape, input: RenderInput, fillScriptText: (text: string) => string): Record<string, unknown> {
  switch (shape.type) {
    case 'trigger':
      return { schedule_type: 'cron', cron_expression: shape.schedule };
    case 'connection': {
      const operation = input.connectors.get(shape.connector)!.api.operations.find((op) => op.operationId === shape.endpoint)!;
      return {
        system: input.connectors.get(shape.connector)!.facts.system.name,
        endpoint: { name: operation.name, operation_id: operation.operationId, http_method: operation.method, path: operation.path, direction: operation.method === 'GET' ? 'pull' : 'push', data_type: 'json' },
        variables: shape.variables,
        timeout: shape.timeout_seconds,
        retries: shape.retries,
        wrapping_behaviour: 'Raw',
        allow_unsuccessful_statuses: false,
      };
    }
    case 'script': {
      const pin = input.pins.get(shape.step)!;
      return {
        script: { name: shape.step, version: input.packVersion, sha256: pin.sha256 },
        variables: Object.fromEntries(Object.entries(shape.variables).map(([key, text]) => [key, fillScriptText(text)])),
      };
    }
    case 'de-dupe':
      return { behaviour: shape.behaviour, data_pool: shape.pool, key: shape.key };
    case 'flow-control':
      return { path: shape.path, size: shape.size, do_not_wrap_single_records: shape.size === 1 };
    case 'notify':
      return { level: shape.level, message: shape.message };
    case 'add-to-cache':
      return { action: 'add', cache: shape.cache, cache_key: shape.key, cache_level: shape.scope, append: shape.append };
    case 'map':
      return { fields: shape.fields };
    case 'manual-payload':
      return { payload: fillScriptText(shape.payload) };
    case 'branch':
      return { branches: shape.branches.map((branch) => branch.name) };
    case 'try-catch':
      return { action: 'partial_success' };
  }
}
