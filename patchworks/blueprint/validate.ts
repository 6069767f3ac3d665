/**
 * `npm run validate` (pack validate), in the manner of `zapier validate`: the schemas have already parsed each
 * blueprint and client config; these rules check what a schema cannot, across files. Every step, connector,
 * endpoint, flow variable and lookup a blueprint names exists; every variable and lookup it declares is used; every
 * client config gives each of its flows what it needs; each script shape's settings, filled in for the client,
 * parse as the step itself would parse them; and no client books a back-end's orders from two sources.
 */
import type { ApiDocument } from '../../contracts/connector-source.js';
import type { FlowVariablesRule } from '../../contracts/system.js';
import type { PatchworksData } from '../../runtime/contract.js';
import { readSettings } from '../../runtime/settings.js';
import type { AnyStep } from '../../runtime/step.js';
import { placeholdersIn, shapeTexts, walkShapes, type Blueprint, type Shape } from './blueprint.js';
import { fillForClient, resolveFlow, type ClientConfig } from './client-config.js';
import { shopifyOrderBackend, sparkLayerOrderBackend } from './order-flow.js';
import type { ConnectorSource } from '../exporters/write-connectors.js';
import { HAND_BUILT } from './render.js';

export interface PackCatalog {
  blueprints: readonly Blueprint[];
  steps: ReadonlyMap<string, AnyStep>;
  /**
   * Each connector's OpenAPI operations and the file they are declared in, by key: what Patchworks imports, so the
   * endpoints a connection shape may name (whether one reads or writes, and its request, the built definition says).
   */
  apis: ReadonlyMap<string, { api: ApiDocument; source: Pick<ConnectorSource, 'openApiFile'> }>;
  /** Each system's rule for the variables of a flow with its shapes, by key, where it has one. */
  flowVariablesRules: Readonly<Record<string, FlowVariablesRule>>;
}

export interface Problem {
  where: string;
  message: string;
}

export function validateBlueprint(blueprint: Blueprint, catalog: PackCatalog): Problem[] {
  const problems: Problem[] = [];
  const report = (shape: Shape | undefined, message: string) =>
    problems.push({ where: shape ? `${blueprint.key} › ${shape.name}` : blueprint.key, message });
  const usedVariables = new Set<string>();
  const usedLookups = new Set<string>();

  for (const shape of walkShapes(blueprint.shapes)) {
    if (shape.type === 'script') {
      const step = catalog.steps.get(shape.step);
      if (!step)
        report(shape, `no step "${shape.step}" in the pack (there are ${[...catalog.steps.keys()].join(', ')})`);
      else
        for (const key of Object.keys(shape.variables))
          if (!(key in step.settings))
            report(
              shape,
              `"${key}" is not a setting of ${shape.step} (it has ${Object.keys(step.settings).join(', ')})`,
            );
    }
    if (shape.type === 'connection') {
      const { api, source } = catalog.apis.get(shape.connector) ?? {};
      if (!api || !source)
        report(shape, `no connector "${shape.connector}" (there are ${[...catalog.apis.keys()].join(', ')})`);
      else if (!api.operations.some((op) => op.operationId === shape.endpoint))
        report(
          shape,
          `connector ${shape.connector} has no endpoint "${shape.endpoint}": its endpoints are the operationIds of ` +
            `its OpenAPI operations, declared in ${source.openApiFile}`,
        );
    }
    if (shape.type === 'branch' || shape.type === 'try-catch') checkRoutesEnd(shape, report);
    for (const { where, text } of shapeTexts(shape)) {
      for (const placeholder of placeholdersIn(text)) {
        if (placeholder.kind === 'flow.variables') {
          usedVariables.add(placeholder.name);
          if (!(placeholder.name in blueprint.variables))
            report(shape, `${where} names flow variable "${placeholder.name}", which the blueprint does not declare`);
        }
        if (placeholder.kind === 'lookups') {
          const name = placeholder.name.replace(/\.rows$/, '');
          usedLookups.add(name);
          if (!(name in blueprint.lookups))
            report(shape, `${where} names lookup "${name}", which the blueprint does not declare`);
        }
      }
    }
  }
  for (const name of Object.keys(blueprint.variables))
    if (!usedVariables.has(name)) report(undefined, `flow variable "${name}" is declared but no shape uses it`);
  for (const name of Object.keys(blueprint.lookups))
    if (!usedLookups.has(name)) report(undefined, `lookup "${name}" is declared but no shape uses it`);
  return problems;
}

/** A branch or try/catch hands its routes on and outputs nothing itself: no shape may follow it on its route. */
function checkRoutesEnd(
  shape: Extract<Shape, { type: 'branch' | 'try-catch' }>,
  report: (shape: Shape | undefined, message: string) => void,
): void {
  const routes = shape.type === 'branch' ? shape.branches.map((b) => b.shapes) : [shape.try, shape.catch];
  for (const route of routes) {
    const inner = route.findIndex((s) => s.type === 'branch');
    if (inner >= 0 && inner < route.length - 1) report(route[inner], 'a branch must be the last shape on its route');
  }
}

export function validateClient(client: ClientConfig, catalog: PackCatalog): Problem[] {
  const problems: Problem[] = [];
  for (const flowKey of Object.keys(client.flows)) {
    const where = `clients/${client.client}.json › ${flowKey}`;
    const blueprint = catalog.blueprints.find((b) => b.key === flowKey);
    if (!blueprint) {
      problems.push({
        where,
        message: `no blueprint "${flowKey}" (there are ${catalog.blueprints.map((b) => b.key).join(', ')})`,
      });
      continue;
    }
    let resolved;
    try {
      resolved = resolveFlow(blueprint, client);
    } catch (error) {
      problems.push({ where, message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    const sourceProblem = orderSourceProblem(client, blueprint);
    if (sourceProblem) problems.push({ where, message: sourceProblem });
    const connectors = new Set(
      [...walkShapes(blueprint.shapes)].flatMap((shape) => (shape.type === 'connection' ? [shape.connector] : [])),
    );
    for (const connector of connectors) {
      const problem = catalog.flowVariablesRules[connector]?.(resolved.variables);
      if (problem) problems.push({ where, message: problem });
    }
    for (const shape of walkShapes(blueprint.shapes)) {
      if (shape.type !== 'script') continue;
      const step = catalog.steps.get(shape.step);
      if (!step) continue;
      // Settings filled for this client; one that still waits on the payload or meta is checked at run time.
      const variables: Record<string, string> = {};
      for (const [key, text] of Object.entries(shape.variables)) {
        const filled = fillForClient(text, resolved);
        if (!placeholdersIn(filled).some((p) => p.kind === 'payload' || p.kind === 'meta')) variables[key] = filled;
      }
      const data: PatchworksData = { payload: null, variables, flow: { variables: resolved.variables } };
      try {
        readSettings(step.key, step.settings, data);
      } catch (error) {
        problems.push({
          where: `${where} › ${shape.name}`,
          message: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
  return problems;
}

/**
 * An order flow whose source is not the one `order_source` names for its back-end: what is wrong, and the fix. A
 * SparkLayer order flow needs `sparklayer`; a Shopify-source one (SparkLayer's orders read from the platform) needs
 * `platform`. One source per back-end, so that no order is booked by two flows.
 */
function orderSourceProblem(client: ClientConfig, blueprint: Blueprint): string | undefined {
  const shopifyBackend = shopifyOrderBackend(blueprint);
  if (shopifyBackend) return platformSourceProblem(client, blueprint, shopifyBackend);
  const backend = sparkLayerOrderBackend(blueprint);
  if (!backend) return undefined;
  const source = client.order_source[backend];
  if (source === undefined)
    return (
      `this SparkLayer order flow books into ${backend}, and "order_source" does not say who books ${backend} ` +
      `orders: set "order_source": { "${backend}": "sparklayer" }, or "platform" if the platform's own flow books ` +
      `them (then remove this flow)`
    );
  if (source === 'platform')
    return (
      `"order_source.${backend}" is "platform": the platform's own flow books ${backend} orders, so this ` +
      `SparkLayer order flow would book each of them again. Remove "flows.${blueprint.key}", or set ` +
      `"order_source.${backend}" to "sparklayer" and turn the platform's order flow into ${backend} off`
    );
  return undefined;
}

/** A Shopify-source order flow into a back-end whose `order_source` is not `platform`. */
function platformSourceProblem(client: ClientConfig, blueprint: Blueprint, backend: string): string | undefined {
  const source = client.order_source[backend as keyof ClientConfig['order_source']];
  if (source === 'platform') return undefined;
  if (source === undefined)
    return (
      `this flow books SparkLayer's orders into ${backend} from the platform (Shopify), and "order_source" does not ` +
      `say who books ${backend} orders: set "order_source": { "${backend}": "platform" }, or remove this flow if ` +
      `a SparkLayer order flow books them`
    );
  return (
    `"order_source.${backend}" is "${source}": a SparkLayer order flow books ${backend} orders, so this flow, ` +
    `which reads the same orders from the platform (Shopify), would book each of them again. Remove ` +
    `"flows.${blueprint.key}", or set "order_source.${backend}" to "platform" and remove the SparkLayer order flow ` +
    `into ${backend}`
  );
}

// ---------------------------------------------------------------------------------------------------------
// A rendered flow against Patchworks' flow import template (fixtures/patchworks/flow-import-template.json)

/** A key of the template's required structure: its type, and for an object its keys, for an array its items. */
export interface TemplateNode {
  type: 'string' | 'integer' | 'boolean' | 'array' | 'object';
  keys?: Record<string, TemplateNode>;
  items?: TemplateNode;
  min_items?: number;
  minimum?: number;
  maximum?: number;
}

interface TemplateStep {
  name: string;
  microservice: string;
  config: Record<string, unknown>;
  endpoint?: Record<string, unknown>;
  routes?: Array<{ name: string; first_step?: string }>;
}

/** The fixture's body: what the two templates say, copied (see its provenance). */
export interface FlowImportTemplate {
  knowledge_base: {
    top_level_keys: string[];
    minimal_example: Record<string, unknown>;
    required_structure: Record<string, TemplateNode>;
    common_step_types: Record<string, string>;
    important_notes: string[];
  };
  generic_import_json: { flow: { versions: Array<{ steps: TemplateStep[] }> } } & Record<string, unknown>;
}

export const FLOW_IMPORT_TEMPLATE_FILE = 'fixtures/patchworks/flow-import-template.json';

/** The template's step types: the knowledge base's common step types and the generic import's microservices. */
export function templateStepTypes(template: FlowImportTemplate): Set<string> {
  return new Set([
    ...Object.keys(template.knowledge_base.common_step_types),
    ...templateSteps(template).map((s) => s.microservice),
  ]);
}

function templateSteps(template: FlowImportTemplate): TemplateStep[] {
  return template.generic_import_json.flow.versions.flatMap((v) => v.steps);
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
const isObject = (value: unknown): value is Record<string, unknown> => jsonType(value) === 'object';

/**
 * What in a rendered flow import differs from the template: a key the template requires missing or of another type;
 * a key in `metadata.import_summary` the template does not have (it says that structure is validated); a step type
 * no template shows, unless rendered HAND-BUILT and listed in next_steps; a template step type's config key missing;
 * a connector step's endpoint without the template's keys or with a direction other than the template's; routes not
 * as the template models them (the step's `routes[].first_step`, the try/catch's named Try and Catch).
 */
export function validateFlowImport(flow: unknown, template: FlowImportTemplate, where: string): Problem[] {
  const handBuiltMarker = HAND_BUILT;
  const problems: Problem[] = [];
  const report = (message: string) => problems.push({ where, message: `${message} (${FLOW_IMPORT_TEMPLATE_FILE})` });

  const walk = (value: unknown, node: TemplateNode, at: string) => {
    const actual = jsonType(value);
    if (actual !== node.type) return report(`${at} is ${article(actual)} where the template has ${article(node.type)}`);
    if (node.type === 'integer' && typeof value === 'number') {
      if (node.minimum !== undefined && value < node.minimum)
        report(`${at} is ${value}, below the template's ${node.minimum}`);
      if (node.maximum !== undefined && value > node.maximum)
        report(`${at} is ${value}, above the template's ${node.maximum}`);
    }
    if (node.type === 'object' && node.keys && isObject(value)) {
      for (const [key, child] of Object.entries(node.keys)) {
        if (!(key in value)) report(`${at}.${key} is missing: the template requires it`);
        else walk(value[key], child, `${at}.${key}`);
      }
      // The template: "The `metadata.import_summary` structure is required for validation". Its keys and no others.
      if (at.startsWith('metadata.import_summary')) {
        for (const key of Object.keys(value))
          if (!(key in node.keys))
            report(`${at}.${key} is not in the template's import_summary, which Patchworks validates`);
      }
    }
    if (node.type === 'array' && Array.isArray(value)) {
      if (node.min_items !== undefined && value.length < node.min_items)
        report(`${at} has ${value.length} items; the template requires at least ${node.min_items}`);
      if (node.items) value.forEach((item, index) => walk(item, node.items!, `${at}[${index}]`));
    }
  };
  if (!isObject(flow)) {
    report('the flow import is not a JSON object');
    return problems;
  }
  for (const [key, node] of Object.entries(template.knowledge_base.required_structure)) {
    if (!(key in flow)) report(`${key} is missing: the template requires it`);
    else walk(flow[key], node, key);
  }

  const types = templateStepTypes(template);
  const byType = new Map(templateSteps(template).map((s) => [s.microservice, s]));
  const routeModel = templateSteps(template).find((s) => s.routes)!;
  const nextSteps = (flow.metadata as { import_summary?: { next_steps?: unknown } } | undefined)?.import_summary
    ?.next_steps;
  const handBuiltLines = Array.isArray(nextSteps)
    ? nextSteps.filter((line): line is string => typeof line === 'string' && line.startsWith(handBuiltMarker))
    : [];
  const versions = (flow.flow as { versions?: unknown } | undefined)?.versions;
  for (const [v, version] of (Array.isArray(versions) ? versions : []).entries()) {
    if (!isObject(version)) continue;
    const steps = (Array.isArray(version.steps) ? version.steps : []).filter(isObject);
    const names = new Set(steps.map((s) => s.name));
    for (const step of steps) {
      const label = `flow.versions[${v}] step ${String(step.id)} "${String(step.name)}"`;
      const type = String(step.type);
      if (!types.has(type)) {
        const marked = typeof step.description === 'string' && step.description.startsWith(handBuiltMarker);
        const listed = handBuiltLines.some((line) => line.includes(`"${String(step.name)}"`));
        if (!marked || !listed)
          report(
            `${label}: type "${type}" is in no Patchworks import template (${[...types].join(', ')}); ` +
              `render it ${handBuiltMarker} and list it in metadata.import_summary.next_steps`,
          );
      }
      const model = byType.get(type);
      if (model) {
        const config = isObject(step.config) ? step.config : {};
        for (const [key, example] of Object.entries(model.config)) {
          if (!(key in config)) report(`${label}: config.${key} is missing: the template's ${type} step has it`);
          else if (jsonType(config[key]) !== jsonType(example))
            report(
              `${label}: config.${key} is ${article(jsonType(config[key]))} where the template's ${type} ` +
                `step has ${article(jsonType(example))}`,
            );
        }
        if (model.endpoint) {
          if (!isObject(step.endpoint))
            report(`${label}: has no endpoint beside its config, as the template's ${type} step has`);
          else {
            for (const key of Object.keys(model.endpoint))
              if (!(key in step.endpoint))
                report(`${label}: endpoint.${key} is missing: the template's ${type} step has it`);
            const directions = [
              ...new Set(templateSteps(template).flatMap((s) => (s.endpoint ? [String(s.endpoint.direction)] : []))),
            ];
            if ('direction' in step.endpoint && !directions.includes(String(step.endpoint.direction)))
              report(
                `${label}: endpoint.direction is "${String(step.endpoint.direction)}" where the template ` +
                  `has ${directions.join(' or ')}`,
              );
          }
        }
      }
      if (type === routeModel.microservice || type === 'branch') {
        const routes = Array.isArray(step.routes) ? step.routes : undefined;
        const alsoThePack = type === routeModel.microservice ? '' : `, and the pack a ${type}'s the same way`;
        if (!routes)
          report(
            `${label}: has no routes: the template models a ${routeModel.microservice}'s routes as the ` +
              `step's routes[{name, first_step}]${alsoThePack}`,
          );
        else {
          if (type === routeModel.microservice) {
            const expected = routeModel.routes!.map((r) => r.name);
            const got = routes.map((r) => (isObject(r) ? r.name : undefined));
            if (JSON.stringify(got) !== JSON.stringify(expected))
              report(
                `${label}: routes are named ${JSON.stringify(got)} where the template has ${JSON.stringify(expected)}`,
              );
          }
          for (const route of routes) {
            if (!isObject(route) || typeof route.name !== 'string') report(`${label}: a route without a name`);
            else if (typeof route.first_step !== 'string' || !names.has(route.first_step))
              report(
                `${label}: route "${route.name}" has first_step ${JSON.stringify(route.first_step)}, ` +
                  `which names no step of the flow`,
              );
          }
        }
      }
    }
    const connections = Array.isArray(version.connections) ? version.connections : [];
    for (const [c, connection] of connections.entries()) {
      if (isObject(connection) && 'route' in connection)
        report(
          `flow.versions[${v}].connections[${c}] carries route "${String(connection.route)}": the ` +
            `template models routes as the step's routes[].first_step`,
        );
    }
  }
  return problems;
}
