// The docs under docs/ are generated from the definitions (npm run docs) around hand-written prose, never re-typed:
// each generated block is what the definitions say now, the README stays short, and every relative link resolves.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  endMarker,
  fillBlocks,
  pageState,
  renderBlock,
  startMarker,
  type Page,
} from '../../../patchworks/build/docs/blocks.js';
import { anchorsOf, brokenLinks, headingAnchor } from '../../../patchworks/build/docs/links.js';
import { describeSchedule } from '../../../patchworks/build/docs/markdown.js';
import { docsPages, docsStates, orphanPages } from '../../../patchworks/build/docs/pages.js';
import type { PageState } from '../../../patchworks/build/docs/blocks.js';
import { ROOT } from '../../support/steps.js';

let pages: Page[];
let states: PageState[];

beforeAll(async () => {
  pages = await docsPages(ROOT);
  states = await docsStates(ROOT);
});

/** Every Markdown file under a folder, relative to the root with `/` separators. */
function markdownUnder(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

describe('the generated docs', () => {
  it('cover every step, connector, blueprint and owner, and the exception codes', () => {
    const files = pages.map((page) => page.file);
    expect(files).toEqual(
      expect.arrayContaining([
        'docs/README.md',
        'docs/exception-codes.md',
        'docs/steps/filter-live-orders.md',
        'docs/connectors/sparklayer.md',
      ]),
    );
    expect(files).toEqual(
      expect.arrayContaining([
        'docs/connectors/netsuite.md',
        'docs/connectors/lightspeed-x.md',
        'docs/connectors/lightspeed-r.md',
      ]),
    );
    expect(files).toEqual(
      expect.arrayContaining([
        'docs/blueprints/sparklayer-orders-to-netsuite.md',
        'docs/runbooks/finance.md',
        'docs/runbooks/operations.md',
      ]),
    );
    expect(files).toEqual(
      expect.arrayContaining(['docs/runbooks/customer-service.md', 'docs/runbooks/integration.md']),
    );
    expect(new Set(files).size).toBe(files.length);
  });

  it('are each what npm run docs writes now: none missing, none stale', () => {
    for (const state of states) {
      expect(state.current, `${state.file} is missing: run npm run docs`).toBeDefined();
      expect(state.current, `${state.file} is stale: run npm run docs`).toBe(state.generated);
    }
  });

  it('leave no page that nothing generates in the generated folders', async () => {
    expect(
      await orphanPages(ROOT, pages),
      'pages no step, connector, flow or owner generates: move their prose, then delete them',
    ).toEqual([]);
  });

  it(
    'keep the hand-written prose from the README: the rules of filter-live-orders, the mappers, the ' +
      'look-up notes, the runbooks',
    async () => {
      const read = (file: string) => readFile(path.join(ROOT, file), 'utf8');
      const outside = (text: string) =>
        text.replace(/<!-- generated: [^\n]*-->[\s\S]*?<!-- end generated: [^\n]*-->/g, '');
      expect(outside(await read('docs/steps/filter-live-orders.md'))).toContain(
        'an id already seen in this payload: one copy goes on',
      );
      expect(outside(await read('docs/steps/map-order-to-netsuite.md'))).toContain('Field by field');
      expect(outside(await read('docs/steps/skip-booked-sales.md'))).toContain('LOOK_UP_INCOMPLETE');
      expect(outside(await read('docs/exception-codes.md'))).toContain('once per problem');
      for (const owner of ['finance', 'operations', 'customer-service', 'integration']) {
        const prose = outside(await read(`docs/runbooks/${owner}.md`));
        expect(prose, owner).toContain('## Where each thing lives');
        expect(prose, owner).toContain('## How to read an alert');
        expect(prose, owner).toMatch(/\*\*Daily\*\*[\s\S]*\*\*Weekly\*\*[\s\S]*\*\*Monthly\*\*/);
      }
    },
  );

  it("put each owner's codes, notices and notifications in its runbook", async () => {
    const finance = await readFile(path.join(ROOT, 'docs/runbooks/finance.md'), 'utf8');
    expect(finance).toContain('| `UNMAPPED_ACCOUNT` |');
    expect(finance).toContain('`ON_ACCOUNT_HELD`');
    expect(finance).toContain('`notify_finance_group` (default `Finance`)');
    expect(finance).toContain('`SparkLayer order <label> <what>, <code>: <text> (<notify_finance_group>)`');
    expect(finance).toContain('`reminder_hours`');
    const service = await readFile(path.join(ROOT, 'docs/runbooks/customer-service.md'), 'utf8');
    expect(service).toMatch(/\| `NO_PO_NUMBER` \| `map-order-to-\*` \|/);
    expect(service).not.toContain('| `UNMAPPED_ACCOUNT` |');
  });
});

describe('generated blocks', () => {
  const block = { name: 'summary', source: 'scripts/x/step.ts', content: 'Generated now.' };
  const page: Page = {
    file: 'docs/steps/x.md',
    blocks: [block],
    skeleton: ([rendered]) => `${rendered}\n\nProse to come.\n`,
  };

  it('are rewritten between their markers only, the prose around them kept', () => {
    const current =
      `# Title\n\nHand prose.\n\n${startMarker({ name: 'summary', source: 'somewhere old' })}\nGenerated ` +
      `before.\n${endMarker('summary')}\n\nMore prose.\n`;
    expect(fillBlocks(page.file, current, page.blocks)).toBe(
      `# Title\n\nHand prose.\n\n${renderBlock(block)}\n\nMore prose.\n`,
    );
  });

  it('name the file and the block when a marker is missing or doubled', () => {
    expect(() => fillBlocks(page.file, '# Title\n\nNo markers.\n', page.blocks)).toThrow(
      /docs\/steps\/x\.md: the generated block "summary" needs exactly one start marker/,
    );
    const twice = `${renderBlock(block)}\n${renderBlock(block)}\n`;
    expect(() => fillBlocks(page.file, twice, page.blocks)).toThrow(
      /docs\/steps\/x\.md: the generated block "summary"/,
    );
  });

  it('start a page that does not exist yet from its skeleton, and a missing page reads as missing', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'docs-'));
    try {
      const state = await pageState(root, page);
      expect(state.current).toBeUndefined();
      expect(state.generated).toBe(`${renderBlock(block)}\n\nProse to come.\n`);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("describe the blueprints' schedules in words", () => {
    expect(describeSchedule('*/15 * * * *')).toBe('every 15 minutes');
    expect(describeSchedule('0 * * * *')).toBe('every hour, on the hour');
    expect(describeSchedule('0 6 1 * *')).toBe('at 06:00 on day 1 of every month');
    expect(describeSchedule('30 2 * * 1')).toBe('as the cron says (30 2 * * 1)');
  });
});

describe('README.md', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

  it('is under 200 lines', () => {
    expect(
      readme.split('\n').length,
      'README.md: keep it to what the pack is, the quick start, the commands, the layout and links; the ' +
        'rest goes under docs/',
    ).toBeLessThan(200);
  });

  it('keeps the quick start CI runs (.ci/run): npm ci, npm start, npm test', () => {
    const quickStart = readme.match(/## Quick start\n[\s\S]*?```sh\n([\s\S]*?)```/)?.[1] ?? '';
    expect(
      quickStart
        .split('\n')
        .map((line) => line.split('#')[0]!.trim())
        .filter(Boolean),
    ).toEqual(['npm ci', 'npm start', 'npm test']);
    expect(readme).toContain('`npm run validate`');
    expect(readme).toContain('](docs/README.md)');
  });
});

describe('relative links', () => {
  const files = ['README.md', ...markdownUnder('docs'), ...markdownUnder('blueprints')];

  it.each(files)('in %s each point to an existing file (and heading)', (file) => {
    expect(brokenLinks(ROOT, file)).toEqual([]);
  });

  it('are checked for the file, the heading, and staying inside the repository', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'links-'));
    try {
      await mkdir(path.join(root, 'docs'), { recursive: true });
      await writeFile(path.join(root, 'docs', 'a.md'), '# A page\n\n## The `npm test` part\n');
      await writeFile(
        path.join(root, 'README.md'),
        '[ok](docs/a.md) [ok](docs/a.md#the-npm-test-part) [web](https://example.com/x.md) `[code](nowhere.md)`\n[gone](docs/b.md)\n[no heading](docs/a.md#nope)\n[out](../elsewhere.md)\n```\n[fenced](nowhere.md)\n```\n',
      );
      expect(brokenLinks(root, 'README.md').map(({ line, target, problem }) => ({ line, target, problem }))).toEqual([
        { line: 2, target: 'docs/b.md', problem: 'no such file: docs/b.md' },
        { line: 3, target: 'docs/a.md#nope', problem: 'no heading #nope in docs/a.md' },
        { line: 4, target: '../elsewhere.md', problem: 'points outside the repository' },
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('anchor headings as GitHub does', () => {
    expect(headingAnchor('Booking each order once, in the flow itself')).toBe(
      'booking-each-order-once-in-the-flow-itself',
    );
    expect(headingAnchor('X-Series (`connectors/lightspeed-x/`)')).toBe('x-series-connectorslightspeed-x');
    expect([...anchorsOf('# Notes\n\n## Notes\n\n```\n# not a heading\n```\n')]).toEqual(['notes', 'notes-1']);
  });
});
