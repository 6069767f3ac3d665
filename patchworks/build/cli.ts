// `npm run build`: everything the pack ships, under dist/. With `--client clients/<client>.json` (repeatable), also
// that client's rendered blueprints under dist/blueprints/<client>/.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildPack } from './build-pack.js';
import { renderClient } from './render-client.js';

const root = process.cwd();
const { values } = parseArgs({ options: { client: { type: 'string', multiple: true, default: [] } } });
for (const artefact of await buildPack(root)) {
  console.log(`built ${path.relative(root, artefact.file)} (${(artefact.bytes / 1024).toFixed(1)} KiB)`);
}
for (const clientFile of values.client) {
  for (const artefact of await renderClient(root, path.resolve(clientFile))) {
    console.log(`rendered ${path.relative(root, artefact.file)} (${(artefact.bytes / 1024).toFixed(1)} KiB)`);
  }
}
