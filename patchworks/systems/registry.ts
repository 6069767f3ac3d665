/**
 * The pack's systems, found by folder as steps (patchworks/build/step-sources.ts) and blueprints (blueprints/<key>/)
 * are: every `connectors/<key>/index.ts` default-exports its registration (`defineSystem`, contracts/system.ts), whose
 * key is its folder's name. A new system is a new folder; no tool keeps a list.
 */
import { existsSync, realpathSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AnySystem } from '../../contracts/system.js';

export const CONNECTORS_DIR = 'connectors';
export const REGISTRATION_FILE = 'index.ts';

/** This repo's root (where the pack's own systems are). */
export const PACK_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every system registered under `root`/connectors/, listed by each one's `order`, then by key. */
export async function loadSystems(root: string): Promise<AnySystem[]> {
  const base = path.join(root, CONNECTORS_DIR);
  const entries = await readdir(base, { withFileTypes: true });
  const systems: AnySystem[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const file = path.join(base, entry.name, REGISTRATION_FILE);
    if (!existsSync(file)) continue;
    // Through a symlinked folder, the module it links to (its relative imports are the real folder's).
    const system = ((await import(pathToFileURL(realpathSync(file)).href)) as { default?: AnySystem }).default;
    const where = path.relative(root, file).split(path.sep).join('/');
    if (!system || typeof system !== 'object' || typeof system.key !== 'string')
      throw new Error(
        `${where}: export the system's registration as the default, \`export default defineSystem({...})\``,
      );
    if (system.key !== entry.name)
      throw new Error(`${where}: the system's key "${system.key}" must match its folder "${entry.name}"`);
    systems.push(system);
  }
  const rank = (system: AnySystem) => system.order ?? Number.POSITIVE_INFINITY;
  return systems.sort((a, b) => rank(a) - rank(b) || a.key.localeCompare(b.key));
}

/** The system with this key under `root`; the error names the systems there are. */
export async function loadSystem(root: string, key: string): Promise<AnySystem> {
  const systems = await loadSystems(root);
  const system = systems.find((candidate) => candidate.key === key);
  if (!system)
    throw new Error(`no system "${key}" under ${CONNECTORS_DIR}/ (there are ${systems.map((s) => s.key).join(', ')})`);
  return system;
}

/** The system's OpenAPI document, relative to the root. */
export function openApiFile(system: Pick<AnySystem, 'key' | 'openApi'>): string {
  return path.join(CONNECTORS_DIR, system.key, system.openApi);
}

/** This repo's own systems, for what needs them without a root to look under (the tests' fixed views). */
export const PACK_SYSTEMS: readonly AnySystem[] = await loadSystems(PACK_ROOT);
