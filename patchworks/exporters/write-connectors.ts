/**
 * The build's connector step: for each system, its OpenAPI document and Patchworks facts become
 * `dist/connectors/<system>.postman_collection.json` (for Patchworks' Postman importer) and
 * `dist/connectors/<system>.core-api.json` (the Core-API shape). A later system is one more entry below.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { lightspeedRConnector } from '../../connectors/lightspeed-r/dev/patchworks-connector.js';
import { lightspeedXConnector } from '../../connectors/lightspeed-x/dev/patchworks-connector.js';
import { netsuiteConnector } from '../../connectors/netsuite/dev/patchworks-connector.js';
import { sparkLayerConnector } from '../../connectors/sparklayer/dev/patchworks-connector.js';
import { readOpenApi, type ApiDocument, type PatchworksConnectorFacts } from '../../contracts/connector-source.js';
import { exportCoreApiConnector } from './core-api.js';
import { postmanCollectionSchema } from './postman-collection-schema.js';
import { exportPostmanCollection } from './postman.js';

export const CONNECTORS_DIST_DIR = path.join('dist', 'connectors');

export interface ConnectorSource {
  /** The file name stem under dist/connectors/. */
  key: string;
  /** The OpenAPI document, relative to the repo root. */
  openApiFile: string;
  facts: PatchworksConnectorFacts;
}

export const CONNECTOR_SOURCES: ConnectorSource[] = [
  { key: 'sparklayer', openApiFile: path.join('connectors', 'sparklayer', 'openapi.json'), facts: sparkLayerConnector },
  { key: 'netsuite', openApiFile: path.join('connectors', 'netsuite', 'openapi.json'), facts: netsuiteConnector },
  { key: 'lightspeed-x', openApiFile: path.join('connectors', 'lightspeed-x', 'openapi.json'), facts: lightspeedXConnector },
  { key: 'lightspeed-r', openApiFile: path.join('connectors', 'lightspeed-r', 'openapi.json'), facts: lightspeedRConnector },
];

async function readOpenApiJson(root: string, source: ConnectorSource): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path.join(root, source.openApiFile), 'utf8'));
  } catch (error) {
    throw new Error(`connector ${source.key}: cannot read ${source.openApiFile} as JSON`, { cause: error });
  }
}

/** Each connector's facts and its OpenAPI operations, by connector key: what blueprints may name. */
export async function loadConnectorApis(root: string, sources: ConnectorSource[] = CONNECTOR_SOURCES): Promise<Map<string, { source: ConnectorSource; api: ApiDocument }>> {
  const apis = new Map<string, { source: ConnectorSource; api: ApiDocument }>();
  for (const source of sources) apis.set(source.key, { source, api: readOpenApi(await readOpenApiJson(root, source)) });
  return apis;
}

export async function writeConnectors(
  root: string,
  sources: ConnectorSource[] = CONNECTOR_SOURCES,
): Promise<Array<{ file: string; bytes: number }>> {
  const outDir = path.join(root, CONNECTORS_DIST_DIR);
  await mkdir(outDir, { recursive: true });
  const written: Array<{ file: string; bytes: number }> = [];
  for (const source of sources) {
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
