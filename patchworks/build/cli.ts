// `npm run build`: everything the pack ships, under dist/.
import path from 'node:path';
import { bundleScripts } from './bundle-scripts.js';

const root = process.cwd();
const bundles = await bundleScripts(root);
for (const bundle of bundles) {
  console.log(`built ${path.relative(root, bundle.file)} (${(bundle.bytes / 1024).toFixed(1)} KiB)`);
}
