// `npm run docs`: regenerates the generated blocks of every page under docs/ (steps, connectors, blueprints, runbooks,
// the exception codes, the indexes) from the definitions, and each blueprint README's flow diagram from its blueprint;
// says which files it rewrote. Hand-written prose outside the blocks is kept as it is (docs/README.md says how).
import { writeFlowDiagrams } from './flow-diagram.js';
import { docsPages, orphanPages, writeDocs } from './docs/pages.js';

const root = process.cwd();
const pages = await writeDocs(root);
for (const file of pages) console.log(`${file}: regenerated`);
if (pages.length === 0) console.log('docs/: every generated page already up to date');
const diagrams = await writeFlowDiagrams(root);
for (const file of diagrams) console.log(`${file}: flow diagram regenerated`);
if (diagrams.length === 0) console.log('blueprint READMEs: flow diagrams already up to date');
for (const file of await orphanPages(root, await docsPages(root))) {
  console.warn(
    `${file}: no step, connector, flow or owner generates it any more; move its hand-written prose, then delete it`,
  );
  process.exitCode = 1;
}
