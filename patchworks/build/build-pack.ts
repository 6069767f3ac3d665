// Everything the pack ships, under dist/: the script bundles and the connector definitions.
import { writeConnectors } from '../exporters/write-connectors.js';
import { bundleScripts } from './bundle-scripts.js';

export async function buildPack(root: string): Promise<Array<{ file: string; bytes: number }>> {
  const bundles = await bundleScripts(root);
  const connectors = await writeConnectors(root);
  return [...bundles, ...connectors];
}
