/**
 * The pack's layers, from the bottom: the shipped step runtime (runtime/); what a script bundle inlines (scripts/,
 * model/, connectors/<system>/ but for its dev/ and index.ts, its map-order/ step included); the dev-only contracts
 * connectors implement (contracts/); each connector's dev-only code (connectors/<system>/dev/, connectors/http/); the
 * tools (patchworks/) and blueprints; the tests. The rules test/layering.test.ts enforces, and the counts it prints,
 * are computed here from the import graph.
 */
import { paginationScripts } from '../../contracts/connector-source.js';
import { listStepSources, stepFile } from '../../patchworks/build/step-sources.js';
import { PACK_SYSTEMS } from '../../patchworks/systems/registry.js';
import { describeEdge, importGraph, reachable, type ImportEdge } from './import-graph.js';

export type Layer = 'runtime' | 'shipped' | 'contracts' | 'connector-dev' | 'tools' | 'tests' | 'other';

const RANK: Record<Layer, number> = {
  runtime: 0,
  shipped: 1,
  contracts: 2,
  'connector-dev': 3,
  tools: 4,
  tests: 5,
  other: 5,
};

/** Dev-only code: never in a script bundle. */
export function isDevOnly(file: string): boolean {
  return (
    /^connectors\/[^/]+\/dev\//.test(file) ||
    file.startsWith('connectors/http/') ||
    // A system's registration names its client and fake.
    /^connectors\/[^/]+\/index\.ts$/.test(file) ||
    file.startsWith('contracts/') ||
    file.startsWith('patchworks/')
  );
}

/** An import of a file in the repo (not a package, a built-in, or a computed specifier). */
export function isRepoPath(to: string): boolean {
  return !to.startsWith('package:') && !to.startsWith('node:') && to !== 'unresolved';
}

export function layerOf(file: string): Layer {
  if (file.startsWith('runtime/')) return 'runtime';
  if (file.startsWith('contracts/')) return 'contracts';
  if (file.startsWith('patchworks/') || file.startsWith('blueprints/')) return 'tools';
  if (file.startsWith('test/') || /\.config\.ts$/.test(file)) return 'tests';
  if (/^connectors\/[^/]+\/dev\//.test(file) || file.startsWith('connectors/http/')) return 'connector-dev';
  // A system's registration (connectors/<system>/index.ts) is dev-only wiring: it names the client, the fake, the
  // facts.
  if (/^connectors\/[^/]+\/index\.ts$/.test(file)) return 'connector-dev';
  if (file.startsWith('connectors/') || file.startsWith('model/') || file.startsWith('scripts/')) return 'shipped';
  return 'other';
}

/** Packages runtime/ may use besides Node's built-ins. */
const RUNTIME_PACKAGES = new Set(['package:zod', 'package:big.js']);

export interface LayerReport {
  files: number;
  imports: number;
  /** Files a script bundle inlines: reachable by value imports from a step's index.ts or a pagination script. */
  shipped: string[];
  violations: {
    /** (a) shipped code importing dev-only code */
    shippedImportsDevOnly: ImportEdge[];
    /** (a) shipped code with an `import()` or `require()` of a computed specifier: what the bundle inlines cannot be
     * told */
    shippedUnresolved: ImportEdge[];
    /** (b) a connector file importing the tools */
    connectorImportsTools: ImportEdge[];
    /** (c) contracts/ importing connectors/ or patchworks/ */
    contractsImportUp: ImportEdge[];
    /** (d) runtime/ importing outside runtime/ (other than Node built-ins, zod, big.js) */
    runtimeImportsOut: ImportEdge[];
  };
  counts: {
    /** connector files (connectors/**) importing tool code (patchworks/**) */
    connectorFilesImportingTools: number;
    /** tool files (patchworks/**) importing a connector file (connectors/**) */
    toolFilesImportingConnectors: number;
    /** imports from a lower layer to a higher one (runtime < shipped < contracts < connector dev < tools < tests) */
    importsUpTheLayers: number;
  };
  upward: ImportEdge[];
}

/** Each step's bundle entry, as the build finds them. */
export function stepEntries(root: string): string[] {
  return listStepSources(root)
    .map((source) => stepFile(source, 'index.ts'))
    .sort();
}

/** The pack's pagination scripts' entries (connector facts): bundled too, so shipped code. */
function paginationScriptEntries(): string[] {
  return PACK_SYSTEMS.flatMap((system) => paginationScripts(system.facts).map((script) => script.entry));
}

export function layerReport(root: string): LayerReport {
  const graph = importGraph(root);
  const edges = [...graph.values()].flat();
  const shipped = [
    ...reachable(
      graph,
      [...stepEntries(root), ...paginationScriptEntries()].filter((entry) => graph.has(entry)),
    ),
  ].sort();
  const shippedSet = new Set(shipped);
  const shippedImportsDevOnly = edges.filter((e) => shippedSet.has(e.from) && isRepoPath(e.to) && isDevOnly(e.to));
  const shippedUnresolved = edges.filter((e) => shippedSet.has(e.from) && e.to === 'unresolved');
  const connectorImportsTools = edges.filter((e) => e.from.startsWith('connectors/') && e.to.startsWith('patchworks/'));
  const contractsImportUp = edges.filter(
    (e) => e.from.startsWith('contracts/') && (e.to.startsWith('connectors/') || e.to.startsWith('patchworks/')),
  );
  const runtimeImportsOut = edges.filter(
    (e) =>
      e.from.startsWith('runtime/') &&
      !e.to.startsWith('runtime/') &&
      !e.to.startsWith('node:') &&
      !RUNTIME_PACKAGES.has(e.to),
  );
  const upward = edges.filter((e) => isRepoPath(e.to) && RANK[layerOf(e.to)] > RANK[layerOf(e.from)]);

  const filesWith = (predicate: (e: ImportEdge) => boolean) => new Set(edges.filter(predicate).map((e) => e.from)).size;
  return {
    files: graph.size,
    imports: edges.length,
    shipped,
    violations: {
      shippedImportsDevOnly,
      shippedUnresolved,
      connectorImportsTools,
      contractsImportUp,
      runtimeImportsOut,
    },
    counts: {
      connectorFilesImportingTools: filesWith(
        (e) => e.from.startsWith('connectors/') && e.to.startsWith('patchworks/'),
      ),
      toolFilesImportingConnectors: filesWith(
        (e) => e.from.startsWith('patchworks/') && e.to.startsWith('connectors/'),
      ),
      importsUpTheLayers: upward.length,
    },
    upward,
  };
}

export { describeEdge };
