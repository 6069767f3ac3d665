/**
 * `npm run queue`: the order queue each order flow keeps between runs (model/order-queue.ts), as a local run kept it
 * in dist/run/<client>/data-pools/ (`npm run flow -- --keep-pools`): list what waits, or replay the next run on it
 * and say what it cleared. What it takes is in USAGE below, which `--help` prints.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { readArguments } from '../cli-arguments.js';
import type { Blueprint } from '../blueprint/blueprint.js';
import { loadBlueprints } from '../blueprint/catalog.js';
import { loadClientConfig, type ClientConfig } from '../blueprint/client-config.js';
import { summaryLine } from '../report/flow-run-report.js';
import { KeptCaches } from './caches.js';
import {
  bookedIn,
  formatChange,
  formatQueue,
  keepsOrderQueue,
  keptQueue,
  nextScheduledRun,
  queueChange,
  queueWritten,
  shortInstant,
  type KeptQueue,
} from './order-queue-view.js';
import { runClientFlows } from './run-flows.js';
import { SANDBOX_AS_OF } from './systems.js';

const COMMANDS = ['list', 'replay'] as const;
type Command = (typeof COMMANDS)[number];

const USAGE = `usage: npm run queue -- <list|replay> [flow-key …] [--client FILE] [--live] [--as-of INSTANT] [--json]

The order queue each order flow keeps between runs (flow cache order-queue: every order not booked yet, and the
watermark), as a local run kept it in dist/run/<client>/data-pools/ (\`npm run flow -- --keep-pools\`). The order
flows are the client's flows that keep a queue, or the flow keys named.

  list             the watermark, and a line per order waiting: code, owner, first seen, last seen, last notified,
                   whether the next run feeds it in again, and its message (cut; --json has it whole)
  replay           runs the order flows once as the next scheduled run would, on the kept state, keeps the new
                   state, and says which orders were cleared (booked, or no longer a problem) and which still wait;
                   on the sandbox it runs as of the schedule's next run after the kept watermark
  --client FILE    the client config (default clients/example-homewares.json)
  --live           replay against the real systems named in the environment, read-only: every write is printed,
                   not sent, and the state is not saved
  --as-of INSTANT  replay as of this instant (ISO 8601 with offset) instead
  --json           list the kept queues as JSON, each entry whole
  -h, --help       print this and exit

replay runs the pack as built in dist/ and does not rebuild it: after a change, run \`npm run build\` first.`;

/** A mistake in how the command was called: one line, exit code 2, as readArguments does. */
class UsageError extends Error {}

const root = process.cwd();
const { values, positionals } = parseArguments();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
try {
  const [command, ...flowKeys] = positionals;
  if (!COMMANDS.includes(command as Command)) {
    throw new UsageError(
      command === undefined
        ? `name what to do: ${COMMANDS.join(' or ')}`
        : `no sub-command ${JSON.stringify(command)}: ${COMMANDS.join(' or ')}`,
    );
  }
  if (command === 'list') {
    for (const option of ['live', 'as-of'] as const)
      if (values[option]) throw new UsageError(`--${option} is for replay, not list`);
  } else if (values.json) throw new UsageError('--json is for list, not replay');
  if (values['as-of'] !== undefined && !z.iso.datetime({ offset: true }).safeParse(values['as-of']).success) {
    throw new UsageError(
      `--as-of must be an instant with its offset (ISO 8601, e.g. 2026-11-22T09:15:00Z), ` +
        `not ${JSON.stringify(values['as-of'])}`,
    );
  }

  const client = await loadClientConfig(path.resolve(values.client));
  const flows = orderFlows(await loadBlueprints(root), client, flowKeys);
  const stateDir = path.join(root, 'dist', 'run', client.client, 'data-pools');
  if (command === 'list') await list(flows, stateDir);
  else await replay(client, flows, stateDir);
} catch (error) {
  // A consultant's mistake (a flow name, a config, missing credentials) reads as one line, not a stack trace.
  const message = error instanceof Error ? error.message : String(error);
  console.error(`npm run queue: ${message}${error instanceof UsageError ? ' (see --help)' : ''}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}

/** The client's order flows, in its config's order; or the flow keys named, each checked. */
function orderFlows(all: readonly Blueprint[], client: ClientConfig, named: readonly string[]): Blueprint[] {
  const ordered = all.filter(keepsOrderQueue);
  const ofClient = Object.keys(client.flows).flatMap((key) => ordered.filter((b) => b.key === key));
  if (named.length === 0) {
    if (ofClient.length === 0)
      throw new Error(
        `client ${client.client} runs no order flow (none of ` +
          `${Object.keys(client.flows).join(', ') || 'its flows'} keeps an order queue)`,
      );
    return ofClient;
  }
  return named.map((key) => {
    const blueprint = all.find((b) => b.key === key);
    if (!blueprint) throw new Error(`no blueprint "${key}" (there are ${all.map((b) => b.key).join(', ')})`);
    if (!keepsOrderQueue(blueprint))
      throw new Error(`${key} keeps no order queue (the order flows: ${ordered.map((b) => b.key).join(', ')})`);
    if (!client.flows[key])
      throw new Error(
        `client ${client.client} has no flow "${key}" ` +
          `(its order flows: ${ofClient.map((b) => b.key).join(', ') || 'none'})`,
      );
    return blueprint;
  });
}

async function list(flows: readonly Blueprint[], stateDir: string): Promise<void> {
  const file = path.join(stateDir, 'caches.json');
  const kept = existsSync(file);
  const caches = await KeptCaches.load(stateDir);
  const queues = flows.map((blueprint) => ({ flow: blueprint.key, queue: keptQueue(caches, blueprint.key) }));
  if (values.json) {
    console.log(
      JSON.stringify(
        {
          state: path.relative(root, file),
          kept,
          flows: queues.map(({ flow, queue }) => ({ flow, kept: queue !== undefined, ...queue })),
        },
        null,
        2,
      ),
    );
    return;
  }
  if (!kept) {
    console.log(
      `no kept state yet: ${path.relative(root, file)} does not exist. Run \`npm run flow -- ` +
        `--keep-pools\` first (the client's flows on the sandbox, their state kept), then list again.`,
    );
    return;
  }
  console.log(`order queues kept in ${path.relative(root, file)} (times UTC)`);
  for (const { flow, queue } of queues) console.log(`\n${formatQueue(flow, queue).join('\n')}`);
}

async function replay(client: ClientConfig, flows: readonly Blueprint[], stateDir: string): Promise<void> {
  const live = values.live;
  const before = new Map<string, KeptQueue | undefined>();
  const caches = await KeptCaches.load(stateDir);
  for (const blueprint of flows) before.set(blueprint.key, keptQueue(caches, blueprint.key));
  const asOf = values['as-of'] ?? (live ? undefined : sandboxNextRun(flows, [...before.values()]));
  const reportFile = path.join(path.dirname(stateDir), 'queue-replay-report.html');

  const where = live
    ? 'LIVE, read-only: every write is printed, not sent, and the state is not saved'
    : `sandbox, state kept in ${path.relative(root, stateDir)}`;
  console.log(
    `replaying ${flows.map((b) => b.key).join(', ')} as of ` +
      `${asOf === undefined ? 'now' : new Date(asOf).toISOString()} (${where})`,
  );
  if (![...before.values()].some((queue) => queue !== undefined))
    console.log('no order queue kept yet: this is a first run, which pulls lookback_days back');
  const results = await runClientFlows({
    root,
    client,
    flowKeys: flows.map((b) => b.key),
    live,
    poolsDir: stateDir,
    overrides: asOf === undefined ? undefined : { as_of: asOf },
    reportFile,
    // The queue's change is what this command shows; each shape's log is in the run report.
    log: () => undefined,
  });
  for (const result of results) {
    const change = queueChange(before.get(result.flow), queueWritten(result), bookedIn(result));
    console.log(`\n${formatChange(summaryLine(result), change, live).join('\n')}`);
    for (const write of result.heldWrites) console.log(`  held (--live): ${write}`);
    if (result.error) console.log(`  FLOW FAILED: ${result.error}`);
  }
  if (live)
    console.log(
      `\nstate not saved: a --live run sends no write, so ${path.relative(root, stateDir)} is left as it was`,
    );
  console.log(`run report: ${path.relative(root, reportFile)}`);
  if (results.some((r) => r.status === 'failure')) process.exitCode = 1;
}

/**
 * The sandbox's next scheduled run: the first run of the flows' schedule after the newest kept watermark, never
 * before the sandbox's clock (the fixtures are as of it); the sandbox's clock when nothing is kept.
 */
function sandboxNextRun(flows: readonly Blueprint[], queues: ReadonlyArray<KeptQueue | undefined>): string {
  const watermarks = queues.flatMap((queue) => (queue?.watermark ? [queue.watermark] : [])).sort();
  const latest = watermarks.at(-1);
  if (latest === undefined) return SANDBOX_AS_OF;
  const schedules = flows.flatMap((blueprint) =>
    blueprint.shapes[0]?.type === 'trigger' ? [blueprint.shapes[0].schedule] : [],
  );
  const next = schedules
    .map((schedule) => nextScheduledRun(latest, schedule))
    .filter((at): at is string => at !== undefined)
    .sort()[0];
  if (next === undefined)
    throw new UsageError(
      `cannot tell when the schedule (${[...new Set(schedules)].join(', ')}) next runs after ` +
        `${shortInstant(latest)} UTC: give --as-of`,
    );
  return Date.parse(next) < Date.parse(SANDBOX_AS_OF) ? SANDBOX_AS_OF : next;
}

function parseArguments() {
  return readArguments('queue', () =>
    parseArgs({
      allowPositionals: true,
      options: {
        client: { type: 'string', default: path.join('clients', 'example-homewares.json') },
        live: { type: 'boolean', default: false },
        'as-of': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }),
  );
}
