/**
 * Loads every blueprint, step, connector and client config in the repo and runs the validation rules over them; then
 * renders each client's flows as the build would and checks each against Patchworks' flow import template.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { loadRenderContext } from '../build/render-client.js';
import { loadFixture } from '../../contracts/fixtures.js';
import { loadConnectorApis } from '../exporters/write-connectors.js';
import { flowVariablesRules } from '../runner/systems.js';
import { loadSystems } from '../systems/registry.js';
import { loadBlueprints, loadSteps } from './catalog.js';
import { loadClientConfig, resolveFlow, type ClientConfig } from './client-config.js';
import { renderFlow, scriptsPinned, type RenderInput, type ScriptPin } from './render.js';
import {
  FLOW_IMPORT_TEMPLATE_FILE,
  validateBlueprint,
  validateClient,
  validateFlowImport,
  type FlowImportTemplate,
  type PackCatalog,
  type Problem,
} from './validate.js';

export const CLIENTS_DIR = 'clients';

export async function validatePack(
  root: string,
): Promise<{ blueprints: number; clients: number; problems: Problem[] }> {
  const apis = await loadConnectorApis(root);
  const systems = await loadSystems(root);
  const catalog: PackCatalog = {
    blueprints: await loadBlueprints(root),
    steps: await loadSteps(root),
    apis,
    flowVariablesRules: flowVariablesRules(systems),
  };
  const problems = catalog.blueprints.flatMap((blueprint) => validateBlueprint(blueprint, catalog));
  const template = await loadFlowImportTemplate(root);
  const { connectors, pins, packVersion } = await loadRenderContext(root, apis);
  const clientFiles = (await readdir(path.join(root, CLIENTS_DIR))).filter((file) => file.endsWith('.json')).sort();
  for (const file of clientFiles) {
    try {
      const client = await loadClientConfig(path.join(root, CLIENTS_DIR, file));
      if (`${client.client}.json` !== file)
        problems.push({
          where: `clients/${file}`,
          message: `"client" is "${client.client}": name the file ${client.client}.json`,
        });
      const clientProblems = validateClient(client, catalog);
      problems.push(...clientProblems);
      // Rendered only where nothing above is wrong: a flow that names what does not exist cannot be rendered.
      const broken = new Set(problems.map((p) => p.where.split(' › ')[0]!));
      if (clientProblems.length === 0)
        problems.push(...validateRenderedFlows(client, catalog, { template, connectors, pins, packVersion }, broken));
    } catch (error) {
      problems.push({ where: `clients/${file}`, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { blueprints: catalog.blueprints.length, clients: clientFiles.length, problems };
}

/** The template fixture's body (fixtures/patchworks/flow-import-template.json), its provenance checked. */
export async function loadFlowImportTemplate(root: string): Promise<FlowImportTemplate> {
  return (await loadFixture(root, FLOW_IMPORT_TEMPLATE_FILE)).body as FlowImportTemplate;
}

/** Each of a client's flows rendered as `npm run build -- --client` would, checked against the import template. */
export function validateRenderedFlows(
  client: ClientConfig,
  catalog: PackCatalog,
  context: {
    template: FlowImportTemplate;
    connectors: RenderInput['connectors'];
    pins: ReadonlyMap<string, ScriptPin>;
    packVersion: string;
  },
  /** Blueprints with problems of their own, not rendered. */
  skip: ReadonlySet<string> = new Set(),
): Problem[] {
  const problems: Problem[] = [];
  for (const flowKey of Object.keys(client.flows)) {
    const blueprint = catalog.blueprints.find((b) => b.key === flowKey);
    if (!blueprint || skip.has(flowKey)) continue;
    const pins = new Map(
      scriptsPinned(blueprint.shapes, context.connectors).map((step) => [
        step,
        context.pins.get(step) ?? { step, file: `scripts/${step}.js`, sha256: '', bytes: 0 },
      ]),
    );
    const flow = renderFlow({
      blueprint,
      client,
      resolved: resolveFlow(blueprint, client),
      connectors: context.connectors,
      pins,
      packVersion: context.packVersion,
      exportedAt: new Date(0).toISOString(),
    });
    problems.push(...validateFlowImport(flow, context.template, `dist/blueprints/${client.client}/${flowKey}.json`));
  }
  return problems;
}
