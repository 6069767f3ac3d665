/**
 * `npm run validate` (pack validate), in the manner of `zapier validate`: the schemas have already parsed each
 * blueprint and client config; these rules check what a schema cannot, across files. Every step, connector,
 * endpoint, flow variable and lookup a blueprint names exists; every variable and lookup it declares is used; every
 * client config gives each of its flows what it needs; and each script shape's settings, filled in for the client,
 * parse as the step itself would parse them.
 */
import type { ApiDocument } from '../exporters/connector-source.js';
import type { ConnectorEndpoints } from '../runner/flow-endpoint.js';
import type { PatchworksData } from '../runtime/contract.js';
import { readSettings } from '../runtime/settings.js';
import type { AnyStep } from '../runtime/step.js';
import { placeholdersIn, shapeTexts, walkShapes, type Blueprint, type Shape } from './blueprint.js';
import { fillForClient, resolveFlow, type ClientConfig } from './client-config.js';

export interface PackCatalog {
  blueprints: readonly Blueprint[];
  steps: ReadonlyMap<string, AnyStep>;
  /** Each connector's OpenAPI operations (what Patchworks imports) … */
  apis: ReadonlyMap<string, ApiDocument>;
  /** … and what the local runner can call. */
  endpoints: Readonly<Record<string, ConnectorEndpoints<never>>>;
}

export interface Problem {
  where: string;
  message: string;
}

export function validateBlueprint(blueprint: Blueprint, catalog: PackCatalog): Problem[] {
  const problems: Problem[] = [];
  const report = (shape: Shape | undefined, message: string) => problems.push({ where: shape ? `${blueprint.key} › ${shape.name}` : blueprint.key, message });
  const usedVariables = new Set<string>();
  const usedLookups = new Set<string>();

  for (const shape of walkShapes(blueprint.shapes)) {
    if (shape.type === 'script') {
      const step = catalog.steps.get(shape.step);
      if (!step) report(shape, `no step "${shape.step}" under scripts/ (there are ${[...catalog.steps.keys()].join(', ')})`);
      else for (const key of Object.keys(shape.variables)) if (!(key in step.settings)) report(shape, `"${key}" is not a setting of ${shape.step} (it has ${Object.keys(step.settings).join(', ')})`);
    }
    if (shape.type === 'connection') {
      const api = catalog.apis.get(shape.connector);
      if (!api) report(shape, `no connector "${shape.connector}" (there are ${[...catalog.apis.keys()].join(', ')})`);
      else if (!api.operations.some((op) => op.operationId === shape.endpoint)) report(shape, `connector ${shape.connector} has no endpoint "${shape.endpoint}" in its openapi.json`);
      else if (!catalog.endpoints[shape.connector]?.[shape.endpoint]) report(shape, `the local runner cannot call ${shape.connector} ${shape.endpoint}: add it to connectors/${shape.connector}/flow-endpoints.ts`);
    }
    if (shape.type === 'branch' || shape.type === 'try-catch') checkRoutesEnd(shape, report);
    for (const { where, text } of shapeTexts(shape)) {
      for (const placeholder of placeholdersIn(text)) {
        if (placeholder.kind === 'flow.variables') {
          usedVariables.add(placeholder.name);
          if (!(placeholder.name in blueprint.variables)) report(shape, `${where} names flow variable "${placeholder.name}", which the blueprint does not declare`);
        }
        if (placeholder.kind === 'lookups') {
          const name = placeholder.name.replace(/\.rows$/, '');
          usedLookups.add(name);
          if (!(name in blueprint.lookups)) report(shape, `${where} names lookup "${name}", which the blueprint does not declare`);
        }
      }
    }
  }
  for (const name of Object.keys(blueprint.variables)) if (!usedVariables.has(name)) report(undefined, `flow variable "${name}" is declared but no shape uses it`);
  for (const name of Object.keys(blueprint.lookups)) if (!usedLookups.has(name)) report(undefined, `lookup "${name}" is declared but no shape uses it`);
  return problems;
}

/** A branch or try/catch hands its routes on and outputs nothing itself: no shape may follow it on its route. */
function checkRoutesEnd(shape: Extract<Shape, { type: 'branch' | 'try-catch' }>, report: (shape: Shape | undefined, message: string) => void): void {
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
      problems.push({ where, message: `no blueprint "${flowKey}" (there are ${catalog.blueprints.map((b) => b.key).join(', ')})` });
      continue;
    }
    let resolved;
    try {
      resolved = resolveFlow(blueprint, client);
    } catch (error) {
      problems.push({ where, message: error instanceof Error ? error.message : String(error) });
      continue;
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
        problems.push({ where: `${where} › ${shape.name}`, message: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  return problems;
}
