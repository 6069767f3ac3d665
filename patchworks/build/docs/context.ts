/** Everything the generated pages are written from, loaded once: steps with their samples, blueprints, connectors. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Blueprint } from '../../blueprint/blueprint.js';
import { loadBlueprints, loadStep } from '../../blueprint/catalog.js';
import type { AnyStep, StepSample } from '../../../runtime/step.js';
import { loadConnectorApis } from '../../exporters/write-connectors.js';
import { listStepSources, stepFile, type StepSource } from '../step-sources.js';

export interface StepEntry extends StepSource {
  step: AnyStep;
  sample: StepSample<string> | undefined;
}

export interface DocsContext {
  root: string;
  steps: StepEntry[];
  blueprints: Blueprint[];
  connectors: Awaited<ReturnType<typeof loadConnectorApis>>;
}

export async function loadDocsContext(root: string): Promise<DocsContext> {
  const steps = await Promise.all(
    listStepSources(root).map(async (source): Promise<StepEntry> => {
      const entry = { ...source, step: await loadStep(root, source) };
      const file = path.join(root, stepFile(source, 'sample.ts'));
      if (!existsSync(file)) return { ...entry, sample: undefined };
      const { sample } = (await import(pathToFileURL(file).href)) as { sample?: StepSample<string> };
      return { ...entry, sample };
    }),
  );
  return { root, steps, blueprints: await loadBlueprints(root), connectors: await loadConnectorApis(root) };
}

export const DOCS_DIR = 'docs';
export const stepPage = (key: string) => `docs/steps/${key}.md`;
export const blueprintPage = (key: string) => `docs/blueprints/${key}.md`;
export const connectorPage = (key: string) => `docs/connectors/${key}.md`;
export const runbookPage = (slug: string) => `docs/runbooks/${slug}.md`;
export const EXCEPTION_CODES_PAGE = 'docs/exception-codes.md';
