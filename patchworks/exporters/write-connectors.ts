/**
 * The build's connector step: for each system registered under connectors/ (patchworks/systems/registry.ts), its
 * OpenAPI document and Patchworks facts become `dist/connectors/<system>.postman_collection.json` (for Patchworks'
 * Postman importer) and `dist/connectors/<system>.core-api.json` (the Core-API shape). A later system is one more
 * folder under connectors/.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readOpenApi, type ApiDocument, type PatchworksConnectorFacts } from '../../contracts/connector-source.js';
import type { AnySystem } from '../../contracts/system.js';
import { loadSystems, openApiFile, PACK_SYSTEMS } from '../systems/registry.js';
import { exportCoreApiConnector } from './core-api.js';
import { postmanCollectionSchema } from './postman-collection-schema.js';
import { exportPostmanCollection } from './postman.js';

export const CONNECTORS_DIST_DIR = path.join('dist', 'connectors');

export interface ConnectorSource {
  /** The file name stem under dist/connectors/: the system's key. */
  key: string;
  /** The OpenAPI document, relative to the repo root. */
  openApiFile: string;
  facts: PatchworksConnectorFacts;
}

export function connectorSource(system: AnySystem): ConnectorSource {
  return { key: system.key, openApiFile: openApiFile(system), facts: system.facts };
}

/** What the build exports: each system registered under `root`, in the registry's order. */
export async function connectorSources(root: string): Promise<ConnectorSource[]> {
  return (await loadSystems(root)).map(connectorSource);
}

/** This repo's own connector sources (a fixed view for tests; the tools call connectorSources(root)). */
export const CONNECTOR_SOURCES: readonly ConnectorSource[] = PACK_SYSTEMS.map(connectorSource);

async function readOpenApiJson(root: string, source: ConnectorSource): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path.join(root, source.openApiFile), 'utf8'));
  } catch (error) {
    throw new Error(`connector ${source.key}: cannot read ${source.openApiFile} as JSON`, { cause: error });
  }
}

/** Each connector's facts and its OpenAPI operations, by connector key: what blueprints may name. */
export async function loadConnectorApis(
  root: string,
  sources?: readonly ConnectorSource[],
): Promise<Map<string, { source: ConnectorSource; api: ApiDocument }>> {
  const apis = new Map<string, { source: ConnectorSource; api: ApiDocument }>();
  for (const source of sources ?? (await connectorSources(root)))
    apis.set(source.key, { source, api: readOpenApi(await readOpenApiJson(root, source)) });
  return apis;
}

export async function writeConnectors(
  root: string,
  sources?: readonly ConnectorSource[],
): Promise<Array<{ file: string; bytes: number }>> {
  const outDir = path.join(root, CONNECTORS_DIST_DIR);
  await mkdir(outDir, { recursive: true });
  const written: Array<{ file: string; bytes: number }> = [];
  for (const source of sources ?? (await connectorSources(root))) {
    const openApi = await readOpenApiJson(root, source);
    // A collection that fails the v2.1 structure check is never written.
    const collection = postmanCollectionSchema.parse(exportPostmanCollection(openApi, source.facts));
    const outputs: Array<[string, unknown]> = [
      [`${source.key}.postman_collection.json`, collection],
      [`${source.key}.core-api.json`, exportCoreApiConnector(openApi, source.facts)],
    ];
    for (const [name, content] of outputs) {
      const file = path.join(outDir, name);
      const text = `${JSON.stringify(content, null, 2)}\n`;
      await writeFile(file, text);
      written.push({ file, bytes: Buffer.byteLength(text) });
    }
  }
  return written;
}
