/**
 * `npm run build -- --client clients/<client>.json`: each of the client's blueprints as Patchworks flow import JSON,
 * `dist/blueprints/<client>/<flow-key>.json`, beside the lookups as cross-reference lookup CSVs (`lookups/`), the
 * script versions the flows pin (`scripts/`, copied from dist/scripts with their sha256) and the connectors
 * (`connectors/`). Run after the pack is built: the pins are the built bundles.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadBlueprints } from '../blueprint/catalog.js';
import { loadClientConfig, resolveFlow, type ClientConfig, type ResolvedFlow } from '../blueprint/client-config.js';
import { lookupFileName, renderFlow, scriptsPinned, type RenderInput, type ScriptPin } from '../blueprint/render.js';
import { connectorsUsed, type Blueprint } from '../blueprint/blueprint.js';
import { lookupCsv } from '../../runtime/tables.js';
import { CONNECTORS_DIST_DIR, loadConnectorApis } from '../exporters/write-connectors.js';
import { SCRIPTS_DIST_DIR } from './step-sources.js';

export const BLUEPRINTS_DIST_DIR = path.join('dist', 'blueprints');

export async function renderClient(
  root: string,
  clientFile: string,
  exportedAt = new Date().toISOString(),
  /** Where the client's folder goes: dist/blueprints by default. */
  blueprintsDir = path.join(root, BLUEPRINTS_DIST_DIR),
): Promise<Array<{ file: string; bytes: number }>> {
  const client = await loadClientConfig(clientFile);
  const blueprints = await loadBlueprints(root);
  const context = await loadRenderContext(root);

  const outDir = path.join(blueprintsDir, client.client);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(path.join(outDir, 'lookups'), { recursive: true });
  await mkdir(path.join(outDir, 'scripts'), { recursive: true });
  await mkdir(path.join(outDir, 'connectors'), { recursive: true });
  const written: Array<{ file: string; bytes: number }> = [];
  const write = async (relative: string, text: string) => {
    const file = path.join(outDir, relative);
    await writeFile(file, text);
    written.push({ file, bytes: Buffer.byteLength(text) });
  };

  const stepsToShip = new Set<string>();
  const connectorsToShip = new Set<string>();
  for (const flowKey of Object.keys(client.flows)) {
    const blueprint = blueprints.find((b) => b.key === flowKey);
    if (!blueprint)
      throw new Error(
        `client config ${clientFile}: no blueprint "${flowKey}" (there are ${blueprints.map((b) => b.key).join(', ')})`,
      );
    const { flow, resolved } = renderClientFlow(blueprint, client, context, exportedAt);
    await write(`${flowKey}.json`, `${JSON.stringify(flow, null, 2)}\n`);
    for (const [name, table] of Object.entries(resolved.lookups)) {
      await write(
        lookupFileName(flowKey, name, resolved.lookupOwners[name]!),
        `${lookupCsv(Object.entries(table))}\r\n`,
      );
    }
    for (const step of scriptsPinned(blueprint.shapes, context.connectors)) stepsToShip.add(step);
    for (const connector of connectorsUsed(blueprint.shapes)) connectorsToShip.add(connector);
  }
  // Once each, however many of the client's flows use them.
  for (const step of stepsToShip)
    await copyFile(path.join(root, SCRIPTS_DIST_DIR, `${step}.js`), path.join(outDir, context.pins.get(step)!.file));
  for (const connector of connectorsToShip) {
    for (const suffix of ['postman_collection.json', 'core-api.json']) {
      const name = `${connector}.${suffix}`;
      await copyFile(path.join(root, CONNECTORS_DIST_DIR, name), path.join(outDir, 'connectors', name));
    }
  }
  return written;
}

/**
 * One of the client's flows rendered: what the build writes for import, and what the local runner reads back and runs.
 */
export function renderClientFlow(
  blueprint: Blueprint,
  client: ClientConfig,
  context: RenderContext,
  exportedAt: string,
): { flow: Record<string, unknown>; resolved: ResolvedFlow } {
  const unbuilt = scriptsPinned(blueprint.shapes, context.connectors).find((step) => !context.pins.has(step));
  if (unbuilt !== undefined) throw new Error(`dist/scripts has no ${unbuilt}.js to pin: run npm run build first`);
  const resolved = resolveFlow(blueprint, client);
  return { flow: renderFlow({ blueprint, client, resolved, ...context, exportedAt }), resolved };
}

export type RenderContext = Pick<RenderInput, 'connectors' | 'pins' | 'packVersion'>;

/**
 * What rendering a flow needs beside the blueprint and the client: the connectors, the pack version and the script
 * pins of the built bundles (dist/scripts/manifest.json). Unbuilt, `pins` is empty: `pack validate` checks a flow's
 * structure without them.
 */
export async function loadRenderContext(
  root: string,
  apis?: Awaited<ReturnType<typeof loadConnectorApis>>,
): Promise<RenderContext> {
  apis ??= await loadConnectorApis(root);
  const connectors: RenderInput['connectors'] = new Map(
    [...apis].map(([key, { source, api }]) => [key, { facts: source.facts, api }]),
  );
  const manifestFile = path.join(root, SCRIPTS_DIST_DIR, 'manifest.json');
  const manifest = existsSync(manifestFile)
    ? (JSON.parse(await readFile(manifestFile, 'utf8')) as {
        bundles: Record<string, { file: string; bytes: number; sha256: string }>;
      })
    : { bundles: {} };
  const pins = new Map<string, ScriptPin>(
    Object.entries(manifest.bundles).map(([step, bundle]) => [
      step,
      { step, file: `scripts/${bundle.file}`, sha256: bundle.sha256, bytes: bundle.bytes },
    ]),
  );
  const { version: packVersion } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { connectors, pins, packVersion };
}
