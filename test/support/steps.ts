// Every step in scripts/, discovered the way the build discovers them, with its declaration and sample.
import path from 'node:path';
import { loadSteps as loadStepDefinitions } from '../../patchworks/blueprint/catalog.js';
import type { AnyStep, StepSample } from '../../runtime/step.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface StepModule {
  key: string;
  step: AnyStep;
  sample: StepSample<string>;
}

export async function loadSteps(): Promise<StepModule[]> {
  const steps = await loadStepDefinitions(ROOT);
  return Promise.all(
    [...steps].map(async ([key, step]) => {
      const { sample } = (await import(path.join(ROOT, 'scripts', key, 'sample.ts'))) as { sample: StepSample<string> };
      return { key, step, sample };
    }),
  );
}
