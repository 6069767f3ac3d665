/**
 * Where the pack's steps live, the one place that knows: a step is a folder holding `index.ts` (the bundle entry),
 * `step.ts` (its declaration) and `sample.ts` (its worked example). The generic steps are `scripts/<key>/`; a
 * back-end's map-order step is `connectors/<backend>/map-order/`, step `map-order-to-<backend>`, so that a back-end is
 * its folder plus its entry in connectors/backends.ts (test/connectors/backends.test.ts checks the two agree). The
 * build, the catalog, the docs and the tests all find steps here.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { paginationScripts, type PaginationScript } from '../../contracts/connector-source.js';
import type { AnySystem } from '../../contracts/system.js';
import { mapOrderStepKey } from '../../scripts/map-order-step.js';
import { CONNECTORS_DIR } from '../systems/registry.js';

export const SCRIPTS_DIR = 'scripts';
/** Where the build writes every bundle, steps and pagination scripts alike: `dist/scripts/<key>.js`. */
export const SCRIPTS_DIST_DIR = path.join('dist', 'scripts');
/** A back-end's map-order step, inside its connector folder. */
const MAP_ORDER_DIR = 'map-order';

export interface StepSource {
  /** The step key: its bundle `dist/scripts/<key>.js`, its page `docs/steps/<key>.md`, what blueprints name. */
  key: string;
  /** Its folder, relative to the root with `/` separators, e.g. `scripts/filter-live-orders`. */
  dir: string;
}

/** A file in a step's folder, relative to the root: its bundle entry, its declaration or its worked example. */
export const stepFile = (source: StepSource, file: 'index.ts' | 'step.ts' | 'sample.ts') => `${source.dir}/${file}`;

/** The folder of a back-end's map-order step, relative to the root. */
export const mapOrderDir = (backend: string) => `${CONNECTORS_DIR}/${backend}/${MAP_ORDER_DIR}`;

/** Every step under `root` (a folder with an index.ts entry), by key; a key found in two folders is an error. */
export function listStepSources(root: string): StepSource[] {
  const folders = (dir: string) =>
    existsSync(path.join(root, dir))
      ? readdirSync(path.join(root, dir), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => entry.name)
      : [];
  const candidates: StepSource[] = [
    ...folders(SCRIPTS_DIR).map((key) => ({ key, dir: `${SCRIPTS_DIR}/${key}` })),
    ...folders(CONNECTORS_DIR).map((backend) => ({ key: mapOrderStepKey(backend), dir: mapOrderDir(backend) })),
  ];
  const sources = candidates.filter((source) => existsSync(path.join(root, stepFile(source, 'index.ts'))));
  const dirs = new Map<string, string>();
  for (const { key, dir } of sources) {
    const other = dirs.get(key);
    if (other) throw new Error(`step "${key}" is in two folders, ${other}/ and ${dir}/: keep one`);
    dirs.set(key, dir);
  }
  // By key in code-point order, as the bundles, the catalog and the docs index list them.
  return sources.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * The pagination scripts the systems' endpoints page by (connector facts, `paginationScript`): bundled beside the steps
 * but not steps (no records envelope, no declaration, no sample, no step page), by key. A key that is also a step's,
 * or names two entries, is an error: both would be `dist/scripts/<key>.js`.
 */
export function listPaginationScriptSources(
  root: string,
  systems: readonly Pick<AnySystem, 'key' | 'facts'>[],
  steps: readonly StepSource[] = listStepSources(root),
): PaginationScript[] {
  const byKey = new Map<string, PaginationScript & { system: string }>();
  for (const system of systems) {
    for (const script of paginationScripts(system.facts)) {
      const step = steps.find((source) => source.key === script.key);
      if (step)
        throw new Error(`${system.key}: pagination script "${script.key}" has the key of the step in ${step.dir}/`);
      const other = byKey.get(script.key);
      if (other && other.entry !== script.entry)
        throw new Error(`pagination script "${script.key}" is ${other.entry} (${other.system}) and ${script.entry}`);
      if (!existsSync(path.join(root, script.entry)))
        throw new Error(`${system.key}: pagination script "${script.key}" has no entry ${script.entry}`);
      byKey.set(script.key, { ...script, system: system.key });
    }
  }
  return [...byKey.values()]
    .map(({ key, entry }) => ({ key, entry }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
