/**
 * Bundles every script step, and every pagination script the connector facts declare, into the one self-contained
 * CommonJS file Patchworks' Node 18 runtime runs
 * (pack-contract §1; reference/patchworks.md §7.1): every npm dependency inlined, no code splitting,
 * `module.exports` is the handler itself, and nothing from the build machine's environment baked in.
 */
import { stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'tsup';
import { writeBundleManifest } from './bundle-manifest.js';
import { loadSystems } from '../systems/registry.js';
import { listPaginationScriptSources, listStepSources, SCRIPTS_DIST_DIR, stepFile } from './step-sources.js';

export async function bundleScripts(root: string): Promise<Array<{ key: string; file: string; bytes: number }>> {
  const steps = listStepSources(root);
  const entries: Record<string, string> = Object.fromEntries([
    ...steps.map((source) => [source.key, path.join(root, stepFile(source, 'index.ts'))]),
    ...listPaginationScriptSources(root, await loadSystems(root), steps).map((script) => [
      script.key,
      path.join(root, script.entry),
    ]),
  ]);
  const keys = Object.keys(entries).sort();
  const outDir = path.join(root, SCRIPTS_DIST_DIR);
  await build({
    config: false,
    silent: true,
    entry: entries,
    outDir,
    clean: true,
    format: ['cjs'],
    outExtension: () => ({ js: '.js' }),
    platform: 'node',
    target: 'node18',
    bundle: true,
    splitting: false,
    noExternal: [/.*/],
    sourcemap: false,
    dts: false,
    minify: false,
    // esbuild's metafile (written as metafile-cjs.json): what each bundle inlined, for manifest.json.
    metafile: true,
    // Resolve packages' ES module builds even though the output is CommonJS: only those tree-shake
    // (zod's CommonJS build drags in every locale, ten times the bundle).
    esbuildOptions(options) {
      options.conditions = ['import', 'module'];
      options.mainFields = ['module', 'main'];
    },
    // esbuild puts `export default` on module.exports.default; Patchworks calls module.exports itself.
    footer: { js: 'module.exports = module.exports.default;' },
  });
  // The repo is an ES module package; this marks the bundles as CommonJS wherever they are required from.
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
  // Supply chain: every inlined npm package (version, licence) and each bundle's size and sha256.
  await writeBundleManifest(outDir, keys);
  return Promise.all(
    keys.map(async (key) => {
      const file = path.join(outDir, `${key}.js`);
      return { key, file, bytes: (await stat(file)).size };
    }),
  );
}
