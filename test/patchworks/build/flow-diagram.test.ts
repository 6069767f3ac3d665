// Each blueprint README's flow diagram is generated from the blueprint (npm run docs), never drawn by hand.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defineBlueprint, walkShapes, type Blueprint } from '../../../patchworks/blueprint/blueprint.js';
import { loadBlueprints } from '../../../patchworks/blueprint/catalog.js';
import {
  DIAGRAM_END,
  DIAGRAM_START,
  flowDiagram,
  mermaidText,
  readmeWithFlowDiagram,
} from '../../../patchworks/build/flow-diagram.js';
import { ROOT } from '../../support/flow-harness.js';

let blueprints: Blueprint[];

beforeAll(async () => {
  blueprints = await loadBlueprints(ROOT);
});

describe('the blueprint READMEs', () => {
  it('each hold the flow diagram their blueprint generates now (npm run docs)', async () => {
    expect(blueprints.length).toBeGreaterThan(0);
    for (const blueprint of blueprints) {
      const { file, current, generated } = await readmeWithFlowDiagram(ROOT, blueprint);
      expect(current, `${file} has a stale flow diagram: run npm run docs`).toBe(generated);
      expect(current.indexOf(DIAGRAM_START), `${file}: one generated diagram`).toBe(current.lastIndexOf(DIAGRAM_START));
    }
  });

  it('are regenerated between the markers only, and a README without them is named', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'flow-diagram-'));
    try {
      const blueprint = blueprints[0]!;
      const file = path.join(root, 'blueprints', blueprint.key, 'README.md');
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(
        file,
        `# Title\n\nProse.\n\n${DIAGRAM_START}\n\`\`\`mermaid\nflowchart TD\n  a --> ` +
          `b\n\`\`\`\n${DIAGRAM_END}\n\nMore prose.\n`,
      );
      const { current, generated } = await readmeWithFlowDiagram(root, blueprint);
      expect(current).not.toBe(generated);
      const diagram = `${DIAGRAM_START}\n\`\`\`mermaid\n${flowDiagram(blueprint)}\n\`\`\`\n${DIAGRAM_END}`;
      expect(generated).toBe(`# Title\n\nProse.\n\n${diagram}\n\nMore prose.\n`);
      await writeFile(file, '# Title\n\n```mermaid\nflowchart TD\n```\n');
      await expect(readmeWithFlowDiagram(root, blueprint)).rejects.toThrow(
        `blueprints/${blueprint.key}/README.md has no flow diagram markers`,
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('flowDiagram', () => {
  const blueprint = defineBlueprint({
    key: 'small-flow',
    title: 'Small flow',
    purpose: 'A flow to draw.',
    shapes: [
      { type: 'trigger', name: 'Every hour', schedule: '0 * * * *' },
      {
        type: 'connection',
        name: 'Pull "live" purchases',
        connector: 'sparklayer',
        endpoint: 'getPurchases',
        retries: 2,
      },
      {
        type: 'branch',
        name: 'Book or report',
        branches: [
          {
            name: 'book',
            shapes: [
              { type: 'flow-control', name: 'One per payload', path: 'records', size: 1 },
              {
                type: 'try-catch',
                name: 'Catch refused',
                try: [{ type: 'script', name: 'Book it', step: 'filter-live-orders' }],
                catch: [
                  { type: 'notify', name: 'Tell the desk', level: 'error', message: 'refused' },
                  {
                    type: 'add-to-cache',
                    name: 'Queue it',
                    cache: 'exceptions-queue',
                    key: 'small-flow',
                    scope: 'company',
                    append: true,
                  },
                ],
              },
              {
                type: 'de-dupe',
                name: 'Mark booked',
                behaviour: 'filter_and_track',
                pool: 'small-pool',
                key: 'records.*.id',
              },
            ],
          },
          {
            name: 'report',
            shapes: [
              {
                type: 'map',
                name: 'Only exceptions',
                fields: { exceptions: { payload: 'exceptions' }, error: { meta: 'error_message' } },
              },
              {
                type: 'filter',
                name: 'Owned by finance',
                rules: [{ field: 'owner', operator: 'equals', value: 'finance' }],
              },
              { type: 'notify', name: 'Tell finance', level: 'warning', message: 'x' },
            ],
          },
        ],
      },
    ],
  });

  it('draws one node per shape, in run order, with what each shape is', () => {
    const diagram = flowDiagram(blueprint);
    const lines = diagram.split('\n');
    expect(lines[0]).toBe('flowchart TD');
    const nodes = lines.filter((line) => /^ {2}n\d+[[({]/.test(line));
    expect(nodes).toHaveLength([...walkShapes(blueprint.shapes)].length);
    expect(nodes.map((line) => line.match(/^ {2}(n\d+)/)![1])).toEqual(nodes.map((_, index) => `n${index + 1}`));
    expect(diagram).toContain('n1(["Every hour<br/>schedule 0 * * * *"])');
    expect(diagram).toContain('n3{"Book or report<br/>branch"}');
    expect(diagram).toContain('n4["One per payload<br/>flow control: records, size 1"]');
    expect(diagram).toContain('n5{"Catch refused<br/>try/catch"}');
    expect(diagram).toContain('n6["Book it<br/>script filter-live-orders"]');
    expect(diagram).toContain('n7["Tell the desk<br/>notify error"]');
    expect(diagram).toContain('n8["Queue it<br/>add to cache exceptions-queue (company), key small-flow"]');
    expect(diagram).toContain('n9["Mark booked<br/>de-dupe filter and track, pool small-pool, key records.*.id"]');
    expect(diagram).toContain('n10["Only exceptions<br/>map: exceptions, error"]');
    expect(diagram).toContain('n11["Owned by finance<br/>filter: owner equals finance"]');
    expect(diagram).toContain('n12["Tell finance<br/>notify warning"]');
    expect(flowDiagram(blueprint)).toBe(diagram);
  });

  it('labels each branch and the try and catch routes, and links what follows a try/catch from the try route', () => {
    const edges = flowDiagram(blueprint)
      .split('\n')
      .filter((line) => line.includes('-->'))
      .map((line) => line.trim());
    expect(edges).toEqual([
      'n1 --> n2',
      'n2 --> n3',
      'n3 -->|"book"| n4',
      'n4 --> n5',
      'n5 -->|"try"| n6',
      'n5 -->|"catch"| n7',
      'n7 --> n8',
      'n6 --> n9',
      'n3 -->|"report"| n10',
      'n10 --> n11',
      'n11 --> n12',
    ]);
  });

  it('escapes a double quote in a name, and anything Mermaid would read as an entity or HTML', () => {
    expect(flowDiagram(blueprint)).toContain(
      'n2["Pull #quot;live#quot; purchases<br/>connection sparklayer getPurchases, 2 retries"]',
    );
    expect(mermaidText('a "b"\n<c> #9829; PO #12')).toBe('a #quot;b#quot; #lt;c#gt; #35;9829; PO #12');
  });
});
