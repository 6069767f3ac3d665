/**
 * The supply-chain manifest of the script bundles: `dist/scripts/manifest.json` lists, for each bundle, every
 * npm package esbuild inlined into it (exact version and licence, read from the package's own package.json
 * in node_modules) plus the bundle's size and sha256. The inlined packages come from esbuild's metafile
 * (tsup's `metafile: true` writes it next to the bundles as `metafile-cjs.json`). Output is deterministic:
 * bundles, packages and keys are sorted and nothing time- or machine-dependent is written.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const METAFILE_NAME = 'metafile-cjs.json';
export const MANIFEST_NAME = 'manifest.json';

/** The part of esbuild's metafile the manifest reads. */
export interface Metafile {
  inputs: Record<string, unknown>;
  outputs: Record<string, { inputs: Record<string, unknown>; entryPoint?: string }>;
}

export interface BundledPackage {
  name: string;
  version: string;
  license: string;
}

export interface BundleEntry {
  /** The bundle's file name, relative to dist/scripts. */
  file: string;
  bytes: number;
  sha256: string;
  packages: BundledPackage[];
}

export interface BundleManifest {
  /** esbuild's metafile the package lists were derived from, relative to dist/scripts. */
  metafile: string;
  /** Keyed by step or pagination script key (the bundle's name without `.js`), sorted. */
  bundles: Record<string, BundleEntry>;
}

/**
 * The npm package an esbuild input path belongs to, or undefined for the pack's own sources: the segment
 * after the last `node_modules/` (two segments for a scoped name), and the package's directory.
 */
export function packageOfInput(input: string): { name: string; dir: string } | undefined {
  const normalised = input.split(path.sep).join('/');
  const marker = 'node_modules/';
  const at = normalised.lastIndexOf(marker);
  if (at < 0 || (at > 0 && normalised[at - 1] !== '/')) return undefined;
  const rest = normalised.slice(at + marker.length).split('/');
  const [first, second] = rest;
  if (!first) return undefined;
  const name = first.startsWith('@') ? (second ? `${first}/${second}` : undefined) : first;
  if (!name) return undefined;
  return { name, dir: normalised.slice(0, at + marker.length) + name };
}

/**
 * For each `.js` output of the metafile (keyed by its file name), the inlined packages: sorted names, each
 * with the directory (relative to the build's working directory) its inputs came from.
 */
export function packagesByBundle(metafile: Metafile): Map<string, Map<string, string>> {
  const result = new Map<string, Map<string, string>>();
  for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
    if (!output.endsWith('.js')) continue;
    const packages = new Map<string, string>();
    for (const input of Object.keys(inputs)) {
      const pkg = packageOfInput(input);
      if (!pkg) continue;
      const seen = packages.get(pkg.name);
      if (seen !== undefined && seen !== pkg.dir) {
        throw new Error(`${path.basename(output)} inlines two copies of ${pkg.name}: ${seen} and ${pkg.dir}`);
      }
      packages.set(pkg.name, pkg.dir);
    }
    result.set(path.basename(output), new Map([...packages].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  }
  return result;
}

/** A package.json's licence as one SPDX-like string (the `license` field, or the legacy object/array forms). */
export function licenceOf(packageJson: Record<string, unknown>): string {
  const { license, licenses } = packageJson;
  if (typeof license === 'string') return license;
  const typeOf = (value: unknown): string | undefined =>
    value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string'
      ? (value as { type: string }).type
      : undefined;
  const single = typeOf(license);
  if (single) return single;
  if (Array.isArray(licenses)) {
    const types = licenses.map(typeOf).filter((t): t is string => t !== undefined);
    if (types.length > 0) return types.length === 1 ? types[0]! : `(${types.join(' OR ')})`;
  }
  return 'UNKNOWN';
}

export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Builds the manifest from the metafile in `outDir` and the bundles beside it. `workingDir` is the
 * directory esbuild's metafile paths are relative to (the build's working directory).
 */
export async function createBundleManifest(
  outDir: string,
  keys: readonly string[],
  workingDir: string = process.cwd(),
): Promise<BundleManifest> {
  const metafile = JSON.parse(await readFile(path.join(outDir, METAFILE_NAME), 'utf8')) as Metafile;
  const derived = packagesByBundle(metafile);
  const bundles: Record<string, BundleEntry> = {};
  for (const key of [...keys].sort()) {
    const file = `${key}.js`;
    const packages = derived.get(file);
    if (!packages) throw new Error(`${METAFILE_NAME} has no output ${file}`);
    const content = await readFile(path.join(outDir, file));
    const entries: BundledPackage[] = [];
    for (const [name, dir] of packages) {
      const packageJson = JSON.parse(await readFile(path.resolve(workingDir, dir, 'package.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      if (typeof packageJson.version !== 'string') throw new Error(`${dir}/package.json has no version`);
      entries.push({ name, version: packageJson.version, license: licenceOf(packageJson) });
    }
    bundles[key] = { file, bytes: content.length, sha256: sha256(content), packages: entries };
  }
  return { metafile: METAFILE_NAME, bundles };
}

/** Writes `manifest.json` next to the bundles and returns it. */
export async function writeBundleManifest(
  outDir: string,
  keys: readonly string[],
  workingDir: string = process.cwd(),
): Promise<BundleManifest> {
  const manifest = await createBundleManifest(outDir, keys, workingDir);
  await writeFile(path.join(outDir, MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
