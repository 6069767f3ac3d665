/**
 * Every page `npm run docs` writes, and the check a test runs: each generated block as the definitions say now, every
 * hand-written line as it is. See docs/README.md for the layout and for how hand-written prose is kept.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exceptionTableFor } from '../exception-docs.js';
import { HAND_WRITTEN_PLACEHOLDER, pageState, type Page, type PageState } from './blocks.js';
import { blueprintPages, blueprintsIndexPage } from './blueprint-pages.js';
import { connectorPages, connectorsIndexPage } from './connector-pages.js';
import { EXCEPTION_CODES_PAGE, loadDocsContext, type DocsContext } from './context.js';
import { code, relativeLink, table } from './markdown.js';
import { runbookPages, runbooksIndexPage } from './runbooks.js';
import { stepPages, stepsIndexPage } from './step-pages.js';

/** The folders whose every page is generated from a definition: a page there that nothing generates is stale. */
export const GENERATED_FOLDERS = ['docs/steps', 'docs/connectors', 'docs/blueprints', 'docs/runbooks'];

function exceptionCodesPage(context: DocsContext): Page {
  const file = EXCEPTION_CODES_PAGE;
  const steps = new Map(context.steps.map(({ key, step }) => [key, step]));
  return {
    file,
    blocks: [
      {
        name: 'table',
        source: "the exception code declarations (each step's exceptionCodes, and the runtime's)",
        content: exceptionTableFor(steps, file),
      },
    ],
    skeleton: ([block]) => `# Exception codes\n\n${HAND_WRITTEN_PLACEHOLDER}\n\n${block}\n`,
  };
}

/** The list of generated pages in docs/README.md, so that a new step, connector or flow is linked from the index. */
function docsIndexPage(pages: readonly Page[]): Page {
  const file = 'docs/README.md';
  const list = (folder: string) =>
    pages
      .filter((page) => page.file.startsWith(`${folder}/`) && !page.file.endsWith('/README.md'))
      .map((page) => `[${code(path.posix.basename(page.file, '.md'))}](${relativeLink(file, page.file)})`)
      .join(', ');
  const content = table(
    ['generated pages', ''],
    [
      [`[Steps](${relativeLink(file, 'docs/steps/README.md')})`, list('docs/steps')],
      [`[Connectors](${relativeLink(file, 'docs/connectors/README.md')})`, list('docs/connectors')],
      [`[Blueprints](${relativeLink(file, 'docs/blueprints/README.md')})`, list('docs/blueprints')],
      [`[Runbooks](${relativeLink(file, 'docs/runbooks/README.md')})`, list('docs/runbooks')],
      [
        `[Exception codes](${relativeLink(file, EXCEPTION_CODES_PAGE)})`,
        'every code, its owner, who raises it, what to do',
      ],
    ],
  );
  return {
    file,
    blocks: [{ name: 'pages', source: 'the pages it generates', content }],
    skeleton: ([block]) => `# Documentation\n\n${HAND_WRITTEN_PLACEHOLDER}\n\n${block}\n`,
  };
}

export async function docsPages(root: string): Promise<Page[]> {
  const context = await loadDocsContext(root);
  const pages = [
    exceptionCodesPage(context),
    stepsIndexPage(context),
    ...stepPages(context),
    connectorsIndexPage(context),
    ...connectorPages(context),
    blueprintsIndexPage(context),
    ...blueprintPages(context),
    runbooksIndexPage(context),
    ...runbookPages(context),
  ];
  return [docsIndexPage(pages), ...pages];
}

/** Each page now and as `npm run docs` would write it. */
export async function docsStates(root: string): Promise<PageState[]> {
  return Promise.all((await docsPages(root)).map((page) => pageState(root, page)));
}

/** Pages in the generated folders that no definition generates (a step, connector or flow renamed or removed). */
export async function orphanPages(root: string, pages: readonly Page[]): Promise<string[]> {
  const generated = new Set(pages.map((page) => page.file));
  const orphans: string[] = [];
  for (const folder of GENERATED_FOLDERS) {
    if (!existsSync(path.join(root, folder))) continue;
    for (const entry of await readdir(path.join(root, folder), { withFileTypes: true })) {
      const file = `${folder}/${entry.name}`;
      if (entry.isFile() && entry.name.endsWith('.md') && !generated.has(file)) orphans.push(file);
    }
  }
  return orphans.sort();
}

/** Writes every page that is missing or stale; returns the files written, relative to root. */
export async function writeDocs(root: string): Promise<string[]> {
  const written: string[] = [];
  for (const state of await docsStates(root)) {
    if (state.current === state.generated) continue;
    const full = path.join(root, state.file);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, state.generated);
    written.push(state.file);
  }
  return written;
}
