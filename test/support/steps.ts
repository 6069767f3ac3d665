// Every step, discovered the way the build discovers them (patchworks/build/step-sources.ts), with its declaration
// and sample.
import path from 'node:path';
import { loadStep } from '../../patchworks/blueprint/catalog.js';
import { listStepSources, stepFile } from '../../patchworks/build/step-sources.js';
import type { AnyStep, StepSample } from '../../runtime/step.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface StepModule {
  key: string;
  step: AnyStep;
  sample: StepSample<string>;
}

export async function loadSteps(): Promise<StepModule[]> {
  return Promise.all(
    listStepSources(ROOT).map(async (source) => {
      const step = await loadStep(ROOT, source);
      const { sample } = (await import(path.join(ROOT, stepFile(source, 'sample.ts')))) as {
        sample: StepSample<string>;
      };
      return { key: source.key, step, sample };
    }),
  );
}
