// `npm run validate` (pack validate): every blueprint and client config checked; exits 1 naming each problem.
import { validatePack } from './validate-pack.js';

const { blueprints, clients, problems } = await validatePack(process.cwd());
for (const problem of problems) console.error(`${problem.where}: ${problem.message}`);
const found = problems.length === 0 ? 'no problems' : `${problems.length} problems`;
console.log(`pack validate: ${blueprints} blueprints, ${clients} client configs, ${found}`);
if (problems.length > 0) process.exitCode = 1;
