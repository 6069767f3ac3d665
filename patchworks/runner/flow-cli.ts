/**
 * `npm run flow`: runs a client's blueprints on the sandbox or, read-only, live. What it takes and what it does are
 * in USAGE below, which `--help` prints.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readArguments } from '../cli-arguments.js';
import { loadClientConfig } from '../blueprint/client-config.js';
import { summaryLine } from '../report/flow-run-report.js';
import { runClientFlows } from './run-flows.js';

const USAGE = `usage: npm run flow -- [flow-key …] [--client FILE] [--live] [--keep-pools]

Runs a client's blueprints (every flow of the client, or the flow keys named) on the sandbox, and writes
dist/run/<client>/run-report.html. It runs the pack as built in dist/ and does not rebuild it: after a change,
run \`npm run build\` first (\`npm start\` builds, then runs the example client).

  --client FILE   the client config (default clients/example-homewares.json)
  --live          against the real systems (connector instances from the environment) through the built
                  definitions, read-only: every write is printed, not sent
  --keep-pools    keep the flows' state between runs in dist/run/<client>/data-pools/: the de-dupe data pools
                  (CSV) and the flow and company caches (caches.json: each order flow's queue and watermark),
                  so a second run does what the next scheduled run would; a --live run saves neither
  -h, --help      print this and exit`;

const root = process.cwd();
const { values, positionals } = parseArguments();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
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

function parseArguments() {
  return readArguments('flow', () =>
    parseArgs({
      allowPositionals: true,
      options: {
        client: { type: 'string', default: path.join('clients', 'example-homewares.json') },
        live: { type: 'boolean', default: false },
        'keep-pools': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }),
  );
}
