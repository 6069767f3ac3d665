/** The pack's blueprints (every `blueprints/<flow-key>/blueprint.ts`, default export) and steps
 * (`scripts/<key>/step.ts`). */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { listStepKeys } from '../build/bundle-scripts.js';
import type { AnyStep } from '../../runtime/step.js';
import type { Blueprint } from './blueprint.js';

export const BLUEPRINTS_DIR = 'blueprints';

export async function loadBlueprints(root: string): Promise<Blueprint[]> {
  const entries = await readdir(path.join(root, BLUEPRINTS_DIR), { withFileTypes: true });
  const blueprints: Blueprint[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const file = path.join(root, BLUEPRINTS_DIR, entry.name, 'blueprint.ts');
    if (!existsSync(file)) continue;
    const blueprint = ((await import(pathToFileURL(file).href)) as { default: Blueprint }).default;
    if (blueprint.key !== entry.name)
      throw new Error(`${file}: the blueprint's key "${blueprint.key}" must match its folder "${entry.name}"`);
    blueprints.push(blueprint);
  }
  return blueprints;
}

/** Every step under scripts/ (the folders the build bundles), with its declaration. */
export async function loadSteps(root: string): Promise<Map<string, AnyStep>> {
  const steps = new Map<string, AnyStep>();
  for (const key of await listStepKeys(root)) {
    const { step } = (await import(pathToFileURL(path.join(root, 'scripts', key, 'step.ts')).href)) as {
      step: AnyStep;
    };
    steps.set(key, step);
  }
  return steps;
}
