/**
 * The supply chain of the script bundles, from dist/scripts/manifest.json (written by the build; `npm test`
 * builds first): what each bundle inlines, that it is all permissively licensed and pinned exactly, and that
 * the manifest agrees with esbuild's metafile and with the files themselves.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  createBundleManifest,
  licenceOf,
  MANIFEST_NAME,
  METAFILE_NAME,
  packageOfInput,
  sha256,
  type BundleManifest,
  type Metafile,
} from '../patchworks/build/bundle-manifest.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCRIPTS_DIR = path.join(ROOT, 'dist', 'scripts');

/** Licences a bundled package may carry: the permissive ones, nothing copyleft or unknown. */
const PERMISSIVE = new Set(['MIT', 'ISC', 'BSD-2-Clause', 'BSD-3-Clause', 'Apache-2.0', '0BSD']);
/**
 * Every npm package any bundle inlines, with the version: a new bundled dependency (or a version bump) has
 * to be a deliberate change here and in docs/guide/dependencies.md.
 */
const EXPECTED_BUNDLED = ['big.js@7.0.1', 'zod@4.6.7'];
const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const manifest = readJson<BundleManifest>(path.join(SCRIPTS_DIR, MANIFEST_NAME));
const metafile = readJson<Metafile>(path.join(SCRIPTS_DIR, METAFILE_NAME));
const rootPackage = readJson<{ dependencies?: Record<string, string> }>(path.join(ROOT, 'package.json'));
const production = rootPackage.dependencies ?? {};

const bundled = new Map<string, { version: string; license: string; bundles: string[] }>();
for (const [key, bundle] of Object.entries(manifest.bundles)) {
  for (const pkg of bundle.packages) {
    const seen = bundled.get(pkg.name) ?? { version: pkg.version, license: pkg.license, bundles: [] };
    seen.bundles.push(key);
    bundled.set(pkg.name, seen);
  }
}

/** How a package reaches the bundles: 'direct' (a production dependency) or the chain from one. */
function provenance(name: string): string[] | undefined {
  const queue: string[][] = Object.keys(production).map((dep) => [dep]);
  const visited = new Set<string>();
  while (queue.length > 0) {
    const chain = queue.shift()!;
    const current = chain[chain.length - 1]!;
    if (current === name) return chain;
    if (visited.has(current)) continue;
    visited.add(current);
    const dependencies = readJson<{ dependencies?: Record<string, string> }>(
      path.join(ROOT, 'node_modules', current, 'package.json'),
    ).dependencies;
    for (const dep of Object.keys(dependencies ?? {})) queue.push([...chain, dep]);
  }
  return undefined;
}

describe('the manifest builders', () => {
  it('reads the package of an esbuild input, scoped names and nested node_modules included', () => {
    expect(packageOfInput('node_modules/zod/v4/classic/schemas.js')).toEqual({
      name: 'zod',
      dir: 'node_modules/zod',
    });
    expect(packageOfInput('node_modules/@scope/pkg/dist/index.mjs')).toEqual({
      name: '@scope/pkg',
      dir: 'node_modules/@scope/pkg',
    });
    expect(packageOfInput('node_modules/a/node_modules/@s/b/index.js')).toEqual({
      name: '@s/b',
      dir: 'node_modules/a/node_modules/@s/b',
    });
    expect(packageOfInput('scripts/filter-live-orders/index.ts')).toBeUndefined();
    expect(packageOfInput('patchworks/my_node_modules/x/index.ts')).toBeUndefined();
  });

  it('reads licences in the current and the legacy package.json forms', () => {
    expect(licenceOf({ license: 'MIT' })).toBe('MIT');
    expect(licenceOf({ license: { type: 'ISC' } })).toBe('ISC');
    expect(licenceOf({ licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] })).toBe('(MIT OR Apache-2.0)');
    expect(licenceOf({})).toBe('UNKNOWN');
  });

  it('traces a package to the production dependency it comes through, and no further', () => {
    expect(provenance('zod')).toEqual(['zod']);
    expect(provenance('follow-redirects')).toEqual(['axios', 'follow-redirects']);
    expect(provenance('tsup')).toBeUndefined();
  });
});

describe('dist/scripts/manifest.json', () => {
  it('bundles exactly the expected packages, so a new one is a deliberate change', () => {
    expect([...bundled].map(([name, { version }]) => `${name}@${version}`).sort()).toEqual(EXPECTED_BUNDLED);
  });

  it('has only permissively licensed packages', () => {
    const offending = [...bundled]
      .filter(([, { license }]) => !PERMISSIVE.has(license))
      .map(([name, { version, license, bundles }]) => `${name}@${version} (${license}) in ${bundles.join(', ')}`);
    expect(offending, `not permissively licensed: ${offending.join('; ')}`).toEqual([]);
  });

  it('has only exactly pinned production dependencies, or dependencies of one', () => {
    const report: string[] = [];
    const problems: string[] = [];
    for (const [name, { version }] of bundled) {
      const pin = production[name];
      if (pin !== undefined) {
        report.push(`${name}@${version}: direct production dependency`);
        if (!EXACT_VERSION.test(pin)) problems.push(`${name} is pinned as "${pin}", not an exact version`);
        else if (pin !== version) problems.push(`${name} is pinned at ${pin} but ${version} was bundled`);
        continue;
      }
      const chain = provenance(name);
      if (chain) report.push(`${name}@${version}: via ${chain.join(' > ')}`);
      else problems.push(`${name}@${version} is bundled but is neither a production dependency nor one's dependency`);
    }
    console.info(`bundled packages:\n  ${report.join('\n  ')}`);
    expect(problems).toEqual([]);
  });

  it('lists exactly the npm packages esbuild inlined according to its metafile', () => {
    // Re-derived independently of the manifest builder: every input under node_modules/, per output.
    const fromMetafile: Record<string, string[]> = {};
    for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
      if (!output.endsWith('.js')) continue;
      const names = new Set<string>();
      for (const input of Object.keys(inputs)) {
        const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input);
        if (match) names.add(match[1]!);
      }
      fromMetafile[path.basename(output, '.js')] = [...names].sort();
    }
    const fromManifest = Object.fromEntries(
      Object.entries(manifest.bundles).map(([key, bundle]) => [key, bundle.packages.map((p) => p.name)]),
    );
    expect(fromManifest).toEqual(fromMetafile);
  });

  it('covers every bundle, with the size and sha256 of the file', () => {
    const files = readdirSync(SCRIPTS_DIR)
      .filter((file) => file.endsWith('.js'))
      .sort();
    expect(Object.values(manifest.bundles).map((bundle) => bundle.file)).toEqual(files);
    for (const [key, bundle] of Object.entries(manifest.bundles)) {
      expect(bundle.file).toBe(`${key}.js`);
      const content = readFileSync(path.join(SCRIPTS_DIR, bundle.file));
      expect({ key, bytes: bundle.bytes, sha256: bundle.sha256 }).toEqual({
        key,
        bytes: content.length,
        sha256: sha256(content),
      });
    }
  });

  it('records the version and licence each package declares in node_modules', () => {
    for (const [name, { version, license }] of bundled) {
      const own = readJson<Record<string, unknown>>(path.join(ROOT, 'node_modules', name, 'package.json'));
      expect({ name, version, license }).toEqual({ name, version: own.version, license: licenceOf(own) });
    }
  });

  it('is deterministic: sorted, and regenerated byte for byte from the same build', async () => {
    const keys = Object.keys(manifest.bundles);
    expect(keys).toEqual([...keys].sort());
    for (const bundle of Object.values(manifest.bundles)) {
      const names = bundle.packages.map((p) => p.name);
      expect(names).toEqual([...names].sort());
    }
    const again = await createBundleManifest(SCRIPTS_DIR, keys, ROOT);
    expect(`${JSON.stringify(again, null, 2)}\n`).toBe(readFileSync(path.join(SCRIPTS_DIR, MANIFEST_NAME), 'utf8'));
  });
});
