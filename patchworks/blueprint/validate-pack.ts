/** Loads every blueprint, step, connector and client config in the repo and runs the validation rules over them. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { loadConnectorApis } from '../exporters/write-connectors.js';
import { CONNECTOR_ENDPOINTS } from '../runner/systems.js';
import { loadBlueprints, loadSteps } from './catalog.js';
import { loadClientConfig } from './client-config.js';
import { validateBlueprint, validateClient, type PackCatalog, type Problem } from './validate.js';

export const CLIENTS_DIR = 'clients';

export async function validatePack(root: string): Promise<{ blueprints: number; clients: number; problems: Problem[] }> {
  const apis = await loadConnectorApis(root);
  const catalog: PackCatalog = {
    blueprints: await loadBlueprints(root),
    steps: await loadSteps(root),
    apis: new Map([...apis].map(([key, { api }]) => [key, api])),
    endpoints: CONNECTOR_ENDPOINTS as unknown as PackCatalog['endpoints'],
  };
  const problems = catalog.blueprints.flatMap((blueprint) => validateBlueprint(blueprint, catalog));
  const clientFiles = (await readdir(path.join(root, CLIENTS_DIR))).filter((file) => file.endsWith('.json')).sort();
  for (const file of clientFiles) {
    try {
      const client = await loadClientConfig(path.join(root, CLIENTS_DIR, file));
      if (`${client.client}.json` !== file) problems.push({ where: `clients/${file}`, message: `"client" is "${client.client}": name the file ${client.client}.json` });
      problems.push(...validateClient(client, catalog));
    } catch (error) {
      problems.push({ where: `clients/${file}`, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { blueprints: catalog.blueprints.length, clients: clientFiles.length, problems };
}
