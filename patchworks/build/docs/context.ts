/** Everything the generated pages are written from, loaded once: steps with their samples, blueprints, connectors. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Blueprint } from '../../blueprint/blueprint.js';
import { loadBlueprints, loadSteps } from '../../blueprint/catalog.js';
import type { AnyStep, StepSample } from '../../../runtime/step.js';
import { loadConnectorApis } from '../../exporters/write-connectors.js';

export interface StepEntry {
  key: string;
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
  const definitions = await loadSteps(root);
  const steps = await Promise.all(
    [...definitions].map(async ([key, step]): Promise<StepEntry> => {
      const file = path.join(root, 'scripts', key, 'sample.ts');
      if (!existsSync(file)) return { key, step, sample: undefined };
      const { sample } = (await import(pathToFileURL(file).href)) as { sample?: StepSample<string> };
      return { key, step, sample };
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
