/**
 * `npm run record -- <system> [--out DIR] [--customers N]`: records fixtures from a vendor site configured
 * in the environment, sanitised, each with provenance. Today: sparklayer.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SparkLayerClient } from '../../connectors/sparklayer/client.js';
import { SparkLayerConfigError, sparkLayerConfigFromEnv } from '../../connectors/sparklayer/config.js';
import { recordSparkLayer } from '../../connectors/sparklayer/record.js';
import { SANITISER_VERSION, Sanitiser } from './sanitise.js';

const SYSTEMS = ['sparklayer'] as const;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' }, customers: { type: 'string', default: '10' } },
});
const system = positionals[0];
if (!SYSTEMS.includes(system as (typeof SYSTEMS)[number])) {
  console.error(`usage: npm run record -- <${SYSTEMS.join('|')}> [--out DIR] [--customers N]`);
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
