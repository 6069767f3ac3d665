/**
 * `npm run flow -- [flow-key …] [--client clients/<client>.json] [--live] [--keep-pools]`: runs blueprints for a
 * client on the sandbox (default) or, with --live, against the real systems named in the environment, read-only:
 * every write is printed, not sent. With --keep-pools the de-dupe data pools persist in dist/run/<client>/data-pools/
 * between runs, so a second run shows what a scheduled re-run would skip. The build must have run (npm run build).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadClientConfig } from '../blueprint/client-config.js';
import { summaryLine } from '../report/flow-run-report.js';
import { runClientFlows } from './run-flows.js';

const root = process.cwd();
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    client: { type: 'string', default: path.join('clients', 'example-homewares.json') },
    live: { type: 'boolean', default: false },
    'keep-pools': { type: 'boolean', default: false },
  },
});
try {
  const client = await loadClientConfig(path.resolve(values.client));
  const runDir = path.join(root, 'dist', 'run', client.client);
  const reportFile = path.join(runDir, 'run-report.html');
  const results = await runClientFlows({
    root,
    client,
    flowKeys: positionals,
    live: values.live,
    poolsDir: values['keep-pools'] ? path.join(runDir, 'data-pools') : undefined,
    reportFile,
    log: (line) => console.log(line),
  });
  console.log(`\n${results.map(summaryLine).join('\n')}\nrun report: ${path.relative(root, reportFile)}`);
  if (results.some((r) => r.status === 'failure')) process.exitCode = 1;
} catch (error) {
  // A consultant's mistake (a flow name, a config, missing credentials) reads as one line, not a stack trace.
  console.error(`npm run flow: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
