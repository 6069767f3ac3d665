// `npm run build`: everything the pack ships, under dist/.
import path from 'node:path';
import { buildPack } from './build-pack.js';

const root = process.cwd();
for (const artefact of await buildPack(root)) {
  console.log(`built ${path.relative(root, artefact.file)} (${(artefact.bytes / 1024).toFixed(1)} KiB)`);
}
