// The layers, read from every import in the repo (static, `import()`, `require`): what a script bundle inlines imports
// no dev-only code; connectors never import the tools; contracts import neither connectors nor tools; the runtime
// imports nothing outside itself but Node, zod and big.js; and no hand-written file imports in a circle. Each failure
// lists `file:line import 'specifier' → target`.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycleEdges, importCycles, importGraph } from './support/import-graph.js';
import { describeEdge, isDevOnly, layerOf, layerReport, stepEntries } from './support/layers.js';

const ROOT = process.cwd();
const report = layerReport(ROOT);
const { counts } = report;
const summary =
  `${report.files} files, ${report.imports} imports, ${report.shipped.length} files shipped in bundles; ` +
  (`${counts.connectorFilesImportingTools} connector files import tool code, ` +
    `${counts.toolFilesImportingConnectors} tool files import connectors, `) +
  `${counts.importsUpTheLayers} imports run back up the layers`;
console.log(`layering: ${summary}`);

const lines = (edges: typeof report.upward) => edges.map(describeEdge);
/** Hand-written source: the tests aside (generated openapi.d.ts types are not read at all). */
const handWritten = (file: string) => !file.startsWith('test/');

describe(`layering (${summary})`, () => {
  it('reads the import graph: every step entry, and what each reaches', () => {
    const entries = stepEntries(ROOT);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(report.shipped, entry).toContain(entry);
      expect(report.shipped, entry).toContain(entry.replace(/index\.ts$/, 'step.ts'));
    }
    expect(report.shipped).toContain('runtime/step.ts');
  });

  it(
    '(a) shipped code, everything a script bundle inlines, imports no dev-only code (connectors/*/dev, ' +
      'connectors/http, a registration, contracts, patchworks)',
    () => {
      expect(lines(report.violations.shippedImportsDevOnly)).toEqual([]);
      expect(report.shipped.filter(isDevOnly)).toEqual([]);
    },
  );

  it('(a) shipped code has no computed import() or require(): what a bundle inlines is known from the source', () => {
    expect(lines(report.violations.shippedUnresolved)).toEqual([]);
  });

  it('(a) the built bundles inline only shipped code (esbuild metafile, when the build has left one)', (context) => {
    const file = path.join(ROOT, 'dist', 'scripts', 'metafile-cjs.json');
    if (!existsSync(file)) return context.skip('no dist/scripts/metafile-cjs.json: run npm run build');
    const metafile = JSON.parse(readFileSync(file, 'utf8')) as {
      outputs: Record<string, { entryPoint?: string; inputs: Record<string, unknown> }>;
    };
    const shipped = new Set(report.shipped);
    const problems: string[] = [];
    for (const [bundle, output] of Object.entries(metafile.outputs)) {
      for (const input of Object.keys(output.inputs).filter((name) => !name.includes('node_modules/'))) {
        if (isDevOnly(input)) problems.push(`${bundle} inlines ${input}, dev-only code`);
        // What the bundler inlined, the graph reached: the two agree on what ships. (A file since removed is a stale
        // build.)
        else if (!shipped.has(input) && existsSync(path.join(ROOT, input)))
          problems.push(`${bundle} inlines ${input}, which no import from a step entry reaches`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('(b) no file under connectors/ imports the tools (patchworks/)', () => {
    expect(lines(report.violations.connectorImportsTools)).toEqual([]);
  });

  it('(c) contracts/ imports neither connectors/ nor patchworks/', () => {
    expect(lines(report.violations.contractsImportUp)).toEqual([]);
  });

  it('(d) runtime/ imports nothing outside runtime/ but Node built-ins, zod and big.js', () => {
    expect(lines(report.violations.runtimeImportsOut)).toEqual([]);
  });

  it('no import runs back up the layers (runtime < shipped < contracts < connector dev < tools < tests)', () => {
    expect(report.upward.map((edge) => `${layerOf(edge.from)} → ${layerOf(edge.to)}: ${describeEdge(edge)}`)).toEqual(
      [],
    );
  });

  it('no hand-written file imports in a circle, type-only imports included', () => {
    const graph = importGraph(ROOT);
    expect(importCycles(graph, handWritten).map((cycle) => cycleEdges(graph, cycle))).toEqual([]);
  });
});

/** Writes a made-up repo's files (path → text) under the root. */
function writeFiles(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}

describe('the layering check itself', () => {
  it('finds every import cycle in a made-up repo, type-only imports and self-imports included, tests aside', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'cycles-'));
    try {
      const files: Record<string, string> = {
        'a/one.ts': "import { two } from './two.js';\nexport const one = two;\n",
        'a/two.ts': "import type { Three } from './three.js';\nexport const two = 2 as Three;\n",
        'a/three.ts': "import type { one } from './one.js';\nexport type Three = typeof one;\n",
        'b/self.ts': "export const self = () => import('./self.js');\n",
        'b/line.ts': "import { one } from '../a/one.js';\nexport const line = one;\n",
        'test/x.test.ts': "import { y } from './y.js';\nexport const x = y;\n",
        'test/y.ts': "import { x } from './x.test.js';\nexport const y = x;\n",
      };
      writeFiles(root, files);
      const graph = importGraph(root);
      expect(importCycles(graph).map((cycle) => cycle.join(' '))).toEqual([
        'a/one.ts a/three.ts a/two.ts',
        'b/self.ts',
        'test/x.test.ts test/y.ts',
      ]);
      const cycles = importCycles(graph, handWritten);
      expect(cycles).toEqual([['a/one.ts', 'a/three.ts', 'a/two.ts'], ['b/self.ts']]);
      expect(cycleEdges(graph, cycles[0]!)).toEqual([
        "a/one.ts:1 import './two.js' → a/two.ts",
        "a/three.ts:1 type import './one.js' → a/one.ts",
        "a/two.ts:1 type import './three.js' → a/three.ts",
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it(
    'finds each kind of import that breaks a layer in a ' + 'made-up repo, naming the file, the line and the import',
    () => {
      const root = mkdtempSync(path.join(tmpdir(), 'layering-'));
      try {
        const files: Record<string, string> = {
          'scripts/s/index.ts':
            "import { run } from '../../runtime/r.js';\nimport { help } from " +
            "'../../connectors/x/helper.js';\nexport default () => run(help);\n",
          'connectors/x/helper.ts':
            "import type { Shape } from '../../contracts/types.js';\nimport { c } from " +
            "'../../contracts/c.js';\nexport const help = c;\nexport const later = () => " +
            "import('./dev/client.js');\nconst old = require('../http/retry.js');\nexport const shape: " +
            'Shape | undefined = old;\n',
          'connectors/x/dev/client.ts':
            "import { tool } from '../../../patchworks/tool.js';\nexport const client = tool;\n",
          'connectors/http/retry.ts': 'export const retry = 1;\n',
          'contracts/c.ts': "export { client } from '../connectors/x/dev/client.js';\nexport const c = 1;\n",
          'contracts/types.ts': 'export type Shape = { name: string };\n',
          'runtime/r.ts':
            "import axios from 'axios';\nimport * as z from 'zod';\nimport { m } from " +
            "'../model/m.js';\nexport const run = (f: unknown) => [axios, z, m, f];\n",
          'model/m.ts': 'export const m = 1;\n',
          'patchworks/tool.ts': 'export const tool = 1;\n',
        };
        writeFiles(root, files);
        const made = layerReport(root);
        expect(made.shipped).toEqual(
          [
            'connectors/x/dev/client.ts',
            'connectors/http/retry.ts',
            'connectors/x/helper.ts',
            'contracts/c.ts',
            'model/m.ts',
            'patchworks/tool.ts',
            'runtime/r.ts',
            'scripts/s/index.ts',
          ].sort(),
        );
        expect(lines(made.violations.shippedImportsDevOnly)).toEqual([
          "connectors/x/dev/client.ts:1 import '../../../patchworks/tool.js' → patchworks/tool.ts",
          "connectors/x/helper.ts:1 type import '../../contracts/types.js' → contracts/types.ts",
          "connectors/x/helper.ts:2 import '../../contracts/c.js' → contracts/c.ts",
          "connectors/x/helper.ts:4 import() './dev/client.js' → connectors/x/dev/client.ts",
          "connectors/x/helper.ts:5 require '../http/retry.js' → connectors/http/retry.ts",
          "contracts/c.ts:1 import '../connectors/x/dev/client.js' → connectors/x/dev/client.ts",
        ]);
        expect(lines(made.violations.connectorImportsTools)).toEqual([
          "connectors/x/dev/client.ts:1 import '../../../patchworks/tool.js' → patchworks/tool.ts",
        ]);
        expect(lines(made.violations.contractsImportUp)).toEqual([
          "contracts/c.ts:1 import '../connectors/x/dev/client.js' → connectors/x/dev/client.ts",
        ]);
        expect(lines(made.violations.runtimeImportsOut)).toEqual([
          "runtime/r.ts:1 import 'axios' → package:axios",
          "runtime/r.ts:3 import '../model/m.js' → model/m.ts",
        ]);
        expect(made.counts).toEqual({
          connectorFilesImportingTools: 1,
          toolFilesImportingConnectors: 0,
          importsUpTheLayers: 7,
        });
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});
