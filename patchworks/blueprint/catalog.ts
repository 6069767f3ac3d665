/** The pack's blueprints (every `blueprints/<flow-key>/blueprint.ts`, default export) and steps (each step folder's
 * `step.ts`, patchworks/build/step-sources.ts). */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { listStepSources, stepFile, type StepSource } from '../build/step-sources.js';
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

/** A step's declaration, from its folder's step.ts. */
export async function loadStep(root: string, source: StepSource): Promise<AnyStep> {
  const file = pathToFileURL(path.join(root, stepFile(source, 'step.ts'))).href;
  return ((await import(file)) as { step: AnyStep }).step;
}

/** Every step (the folders the build bundles), by key, with its declaration. */
export async function loadSteps(root: string): Promise<Map<string, AnyStep>> {
  const steps = new Map<string, AnyStep>();
  for (const source of listStepSources(root)) steps.set(source.key, await loadStep(root, source));
  return steps;
}
