// `npm run docs`: regenerates the README's exception table from the declarations.
import { writeExceptionDocs } from './exception-docs.js';

console.log((await writeExceptionDocs(process.cwd())) ? 'README.md: exception table regenerated' : 'README.md: exception table already up to date');
