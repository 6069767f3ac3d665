// Every step in scripts/, discovered the way the build discovers them, with its declaration and sample.
import path from 'node:path';
import { listStepKeys } from '../../patchworks/build/bundle-scripts.js';
import type { AnyStep, StepSample } from '../../patchworks/runtime/step.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface StepModule {
  key: string;
  step: AnyStep;
  sample: StepSample<string>;
}

export async function loadSteps(): Promise<StepModule[]> {
  const keys = await listStepKeys(ROOT);
  return Promise.all(
    keys.map(async (key) => {
      const { step } = (await import(path.join(ROOT, 'scripts', key, 'step.ts'))) as { step: AnyStep };
      const { sample } = (await import(path.join(ROOT, 'scripts', key, 'sample.ts'))) as { sample: StepSample<string> };
      return { key, step, sample };
    }),
  );
}
