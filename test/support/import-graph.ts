/**
 * The repo's import graph, read from the source: every static `import`/`export … from`, dynamic `import()`,
 * `require()` and `import('…')` type of each .ts/.cjs/.mjs file, resolved to a repo file (`./x.js` → `./x.ts`), a
 * package or a Node built-in. test/layering.test.ts checks the layers on it; it takes a root so it can read any
 * checkout.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** The importing file, relative to the root, with forward slashes. */
  from: string;
  /** The specifier as written. */
  specifier: string;
  /** A repo file (relative, forward slashes), `package:<name>`, `node:<name>`, or `unresolved` (a computed `import()`).
   */
  to: string;
  kind: 'static' | 'dynamic' | 'require' | 'type-import';
  /** Erased by the compiler: `import type`, an import whose every name is a type, or an `import('…')` type. */
  typeOnly: boolean;
  line: number;
}

const SOURCE = /\.(ts|mts|cts|cjs|mjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', 'tools', 'coverage']);
const BUILTINS = new Set(builtinModules);

/** Every source file under the root (not node_modules, dist, tools), relative with forward slashes, sorted. */
export function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(relative);
      } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(relative);
    }
  };
  walk('');
  return files.sort();
}

/** The imports of one file. */
export function importsOf(root: string, file: string): ImportEdge[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const source = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS,
  );
  const edges: ImportEdge[] = [];
  const add = (specifierNode: ts.Node | undefined, kind: ImportEdge['kind'], typeOnly: boolean, at: ts.Node) => {
    const line = source.getLineAndCharacterOfPosition(at.getStart(source)).line + 1;
    const literal =
      specifierNode && (ts.isStringLiteral(specifierNode) || ts.isNoSubstitutionTemplateLiteral(specifierNode))
        ? specifierNode.text
        : undefined;
    if (literal === undefined) {
      edges.push({
        from: file,
        specifier: specifierNode ? specifierNode.getText(source) : '',
        to: 'unresolved',
        kind,
        typeOnly,
        line,
      });
      return;
    }
    edges.push({ from: file, specifier: literal, to: resolveSpecifier(root, file, literal), kind, typeOnly, line });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly)));
      add(node.moduleSpecifier, 'static', typeOnly, node);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const typeOnly =
        node.isTypeOnly ||
        (node.exportClause !== undefined &&
          ts.isNamedExports(node.exportClause) &&
          node.exportClause.elements.length > 0 &&
          node.exportClause.elements.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier, 'static', typeOnly, node);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, 'require', node.isTypeOnly, node);
    } else if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], 'dynamic', false, node);
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1)
        add(node.arguments[0], 'require', false, node);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, 'type-import', true, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

function resolveSpecifier(root: string, from: string, specifier: string): string {
  if (specifier.startsWith('node:')) return specifier;
  if (BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0]!)) return `node:${specifier}`;
  if (!specifier.startsWith('.') && !specifier.startsWith('/')) {
    const parts = specifier.split('/');
    return `package:${specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]}`;
  }
  const absolute = path.resolve(path.join(root, path.dirname(from)), specifier);
  const withoutJs = absolute.replace(/\.(js|mjs|cjs)$/, '');
  const candidates = [
    absolute,
    `${withoutJs}.ts`,
    `${withoutJs}.mts`,
    `${withoutJs}.cts`,
    `${absolute}.ts`,
    path.join(absolute, 'index.ts'),
  ];
  const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile()) ?? absolute;
  return path.relative(root, found).split(path.sep).join('/');
}

/** Every file's imports, by file. */
export function importGraph(root: string): Map<string, ImportEdge[]> {
  return new Map(sourceFiles(root).map((file) => [file, importsOf(root, file)]));
}

/** The files reachable from the entries by the imports that survive compilation (type-only imports are erased). */
export function reachable(graph: Map<string, ImportEdge[]>, entries: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const edge of graph.get(file) ?? []) if (!edge.typeOnly && graph.has(edge.to)) queue.push(edge.to);
  }
  return seen;
}

/**
 * Every import cycle among the files `include` picks: each strongly connected set of files (two or more files, or
 * one importing itself), sorted, by the imports between them, type-only ones too (a type import that runs back is
 * still a circle to read). Each cycle is listed as its files, first in name order.
 */
export function importCycles(
  graph: Map<string, ImportEdge[]>,
  include: (file: string) => boolean = () => true,
): string[][] {
  const next = new Map<string, string[]>();
  for (const [file, edges] of graph)
    if (include(file))
      next.set(file, [...new Set(edges.map((edge) => edge.to).filter((to) => graph.has(to) && include(to)))].sort());
  // Tarjan's strongly connected components.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const to of next.get(file)!) {
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(file, Math.min(low.get(file)!, index.get(to)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || next.get(file)!.includes(file)) cycles.push(component.sort());
  };
  for (const file of [...next.keys()].sort()) if (!index.has(file)) visit(file);
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** The imports that tie a cycle's files together, described (`from:line import '…' → to`). */
export function cycleEdges(graph: Map<string, ImportEdge[]>, cycle: readonly string[]): string[] {
  const members = new Set(cycle);
  return cycle.flatMap((file) => (graph.get(file) ?? []).filter((edge) => members.has(edge.to)).map(describeEdge));
}

/** `connectors/netsuite/x.ts:12 imports '../../patchworks/y.js' (patchworks/y.ts)` */
export function describeEdge(edge: ImportEdge): string {
  const kind =
    edge.kind === 'static'
      ? edge.typeOnly
        ? 'type import'
        : 'import'
      : edge.kind === 'type-import'
        ? "import('…') type"
        : edge.kind === 'dynamic'
          ? 'import()'
          : 'require';
  return `${edge.from}:${edge.line} ${kind} '${edge.specifier}'${edge.to !== edge.specifier ? ` → ${edge.to}` : ''}`;
}
