/**
 * `npm run record`: records sanitised fixtures, each with provenance, from a vendor site configured in the
 * environment. What it takes is in USAGE below, which `--help` prints.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readArguments } from '../cli-arguments.js';
import { SparkLayerClient } from '../../connectors/sparklayer/dev/client.js';
import {
  SPARKLAYER_ENV_VARS as ENV,
  SparkLayerConfigError,
  sparkLayerConfigFromEnv,
} from '../../connectors/sparklayer/dev/config.js';
import { recordSparkLayer } from '../../connectors/sparklayer/dev/record.js';
import { SANITISER_VERSION, Sanitiser } from './sanitise.js';

const SYSTEMS = ['sparklayer'] as const;

const USAGE = `usage: npm run record -- <${SYSTEMS.join('|')}> [--out DIR] [--customers N]

Records fixtures from a vendor site configured in the environment, sanitised, each with its provenance.
Systems today: ${SYSTEMS.join(', ')}. SparkLayer reads ${ENV.siteId}, ${ENV.clientId} and ${ENV.clientSecret},
and optionally ${ENV.environment} (test, the default, or live) or ${ENV.baseUrl}.

  --out DIR       where the fixtures go (default fixtures/<system>/recorded)
  --customers N   how many customers to sample (default 10)
  -h, --help      print this and exit`;

const { positionals, values } = parseArguments();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const system = positionals[0];
if (!SYSTEMS.includes(system as (typeof SYSTEMS)[number])) {
  const problem = system === undefined ? 'name the system to record' : `no system ${JSON.stringify(system)}`;
  console.error(`npm run record: ${problem}: one of ${SYSTEMS.join(', ')} (see --help)`);
  process.exit(2);
}
const customerSample = Number(values.customers);
if (!Number.isInteger(customerSample) || customerSample < 0) {
  console.error(`--customers must be a whole number, not ${JSON.stringify(values.customers)}`);
  process.exit(2);
}

let config;
try {
  config = sparkLayerConfigFromEnv(process.env);
} catch (error) {
  if (error instanceof SparkLayerConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}

const outDir = path.resolve(values.out ?? path.join('fixtures', system!, 'recorded'));
const log = (line: string) => console.error(`[record] ${line}`);
const client = new SparkLayerClient(config, { log });
const sanitiser = new Sanitiser([config.clientSecret, config.clientId]);
const recordedAt = new Date().toISOString();

log(`recording from ${config.baseUrl} (${config.environment}) into ${outDir}`);
const fixtures = await recordSparkLayer(client, { customerSample, log });
for (const fixture of fixtures) sanitiser.learn(fixture.body);
for (const fixture of fixtures) {
  const file = path.join(outDir, fixture.file);
  await mkdir(path.dirname(file), { recursive: true });
  const document = {
    provenance: {
      origin: 'recorded',
      endpoint: fixture.endpoint,
      environment: config.environment,
      baseUrl: config.baseUrl,
      recordedAt,
      sanitiser: SANITISER_VERSION,
      notes: fixture.notes,
    },
    body: sanitiser.sanitise(fixture.body),
  };
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);
}
log(`wrote ${fixtures.length} fixtures; ${client.tokensIssued} token(s) used`);

function parseArguments() {
  return readArguments('record', () =>
    parseArgs({
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        customers: { type: 'string', default: '10' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }),
  );
}
