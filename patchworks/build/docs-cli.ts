// `npm run docs`: regenerates the README's exception table from the declarations, and each blueprint README's flow
// diagram from its blueprint; says which files it rewrote.
import { writeExceptionDocs } from './exception-docs.js';
import { writeFlowDiagrams } from './flow-diagram.js';

console.log((await writeExceptionDocs(process.cwd())) ? 'README.md: exception table regenerated' : 'README.md: exception table already up to date');
const diagrams = await writeFlowDiagrams(process.cwd());
for (const file of diagrams) console.log(`${file}: flow diagram regenerated`);
if (diagrams.length === 0) console.log('blueprint READMEs: flow diagrams already up to date');
