/**
 * `npm run bench`: measured figures, not timed unit tests. The order steps' time and peak memory on Node 18
 * with a 512 MB heap, against the parse-and-stringify floor; and how close each rate-limited client runs to
 * its vendor's limit, at the REAL limits, in virtual time (the client and the fake vendor share a clock that
 * sleeping advances), so minutes of traffic are measured in milliseconds; each built script's size and cold `require`
 * time; and the SparkLayer list calls one order-flow run makes (requests per run) for a store with 50,000 historical
 * orders and 50 new ones: first run, steady state, and a pull with no since filter. At their own scale, each held to
 * its goal: the stock steps at 100,000 levels, the price steps at 200,000 price rows and keep-order-queue with a 20 MB
 * queue, past its 16 MB bound (issues 33, 19 and 32: within 1.5× the floor on time and heap). Writes
 * dist/bench/latest.json.
 * `npm run bench -- --quick` runs the steps on 500 orders only; `-- --only <text>` runs only the jobs whose name
 * holds the text (e.g. `--only credit`; `--only stock` for the stock steps, `--only keep-order` for the order queue;
 * `--only price` for the price steps; `--only pull` for the order pull's requests per run, `--only stock` for the
 * stock steps and the stock flow's requests per run), and no client or bundle figures. The stock flows' requests per
 * run: the SuiteQL reads and batch-update-stock requests one netsuite-stock-to-sparklayer run makes for 100,000
 * levels with 1 % moved, and the reads and writes of the Lightspeed X-Series and R-Series stock flows, which read only
 * what changed since the records they kept, for the same store, steady and first run (stock-requests.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildPack } from '../build/build-pack.js';
import { findNode18 } from '../runner/run-bundle.js';
import { loadSystems } from '../systems/registry.js';
import { benchBundles } from './bundles.js';
import { measurePullRequests, pullRequestsTable, type PullRequestsResult } from './pull-requests.js';
import {
  keptStockRequestsTable,
  measureLightspeedRStockRequests,
  measureLightspeedXStockRequests,
  measureStockRequests,
  stockRequestsTable,
  type KeptStockRequestsResult,
  type StockRequestsResult,
} from './stock-requests.js';
import { benchAtScale, benchSteps, selects, type ScaleBenchRow, type StepBenchRow } from './steps.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = optionValue('--only');

const root = process.cwd();
await buildPack(root);
const node18 = findNode18(root);
const node = 'path' in node18 ? node18.path : process.execPath;
const nodeName = 'path' in node18 ? '18' : process.version;
const sizes = quick ? [500] : [500, 10_000, 50_000];
const memory = (row: StepBenchRow | ScaleBenchRow) => ({
  'peak RSS MB': Math.round(row.peakMb),
  'peak heap MB': Math.round(row.peakHeapMb),
  'time / floor': row.timeRatio.toFixed(2),
  'RSS / floor': row.memoryRatio.toFixed(2),
  'heap / floor': row.heapRatio.toFixed(2),
});
const steps = await benchSteps(root, node, sizes, only);
if (steps.length > 0) {
  console.log(
    `Order steps as built, on Node ${nodeName} with --max-old-space-size=512; ratios to the parse-and-stringify floor:`,
  );
  console.table(
    steps.map((row) => ({
      job: row.job,
      orders: row.orders,
      'payload MB': row.payloadMb.toFixed(1),
      ms: Math.round(row.ms),
      ...memory(row),
      ...(row.error ? { error: row.error } : {}),
    })),
  );
}

const atScale = quick ? [] : await benchAtScale(root, node, only);
if (atScale.length > 0) {
  console.log(
    `At their own scale, on Node ${nodeName} with --max-old-space-size=512; ratios to the ` +
      `parse-and-stringify floor of the same payload:`,
  );
  console.table(
    atScale.map((row) => ({
      job: row.job,
      records: row.records,
      'payload MB': row.payloadMb.toFixed(1),
      ms: Math.round(row.ms),
      ...memory(row),
      ...(row.goal ? { goal: `${row.goal}: ${row.goalMet ? 'met' : 'NOT met'}` } : {}),
      ...(row.error ? { error: row.error } : {}),
    })),
  );
} else if (quick && only === undefined) {
  console.log(
    '(--quick: the jobs at their own scale, sync-credit-hold, resolve-erp-account on minimal records, the stock ' +
      'steps at 100,000 levels and keep-order-queue past its queue bound, are left out)',
  );
}
const PULL_JOB = 'pull requests';
let pullRequests: PullRequestsResult | undefined;
if (selects(only, PULL_JOB)) {
  pullRequests = await measurePullRequests(root, { historical: 50_000, changed: 50 });
  const { historical, changed, pageSize, historyDays, watermark, lookbackDays, overlapMinutes } = pullRequests;
  console.log(
    `Requests per run: SparkLayer list calls (GET /api/v1/purchases) one ${pullRequests.flow} run makes, ` +
      `for ${historical.toLocaleString('en-GB')} purchases ` +
      (`last updated over the ${historyDays} days before the watermark (${watermark}) and ${changed} ` +
        `since; page_size ${pageSize}, lookback_days ${lookbackDays}, overlap_minutes ${overlapMinutes}:`),
  );
  console.table(pullRequestsTable(pullRequests));
  console.log(`(${pullRequests.note} pull_since planned on ${pullRequests.planRanOn}.)`);
}
const STOCK_REQUESTS_JOB = 'stock requests';
let stockRequests: StockRequestsResult | undefined;
let keptStockRequests: KeptStockRequestsResult[] | undefined;
if (selects(only, STOCK_REQUESTS_JOB)) {
  stockRequests = await measureStockRequests(root);
  const { flow, levels, movedLevels, unchanged } = stockRequests;
  console.log(
    `Requests per run: the API requests one 15-minute ${flow} run makes for ${levels.toLocaleString('en-GB')} ` +
      `levels with ${movedLevels.toLocaleString('en-GB')} (1 in ${Math.round(levels / movedLevels)}) moved since ` +
      `the last run (${unchanged.toLocaleString('en-GB')} unchanged):`,
  );
  console.table(stockRequestsTable(stockRequests));
  console.log(`(${stockRequests.note} Run on ${stockRequests.ranOn}.)`);
  keptStockRequests = [await measureLightspeedXStockRequests(root), await measureLightspeedRStockRequests(root)];
  for (const kept of keptStockRequests) {
    console.log(
      `Requests per run: the API requests one 15-minute ${kept.flow} run makes for the same store ` +
        `(${kept.levels.toLocaleString('en-GB')} levels, ${kept.movedLevels.toLocaleString('en-GB')} moved), in a ` +
        'steady run (the records kept by the last run beside it) and in the first run (nothing kept or published):',
    );
    console.table(keptStockRequestsTable(kept));
    console.log(`(${kept.note} Run on ${kept.ranOn}.)`);
  }
}
if (
  only !== undefined &&
  steps.length + atScale.length === 0 &&
  pullRequests === undefined &&
  stockRequests === undefined
)
  console.log(`--only ${JSON.stringify(only)}: no job's name holds that text`);

const out = path.join('dist', 'bench');
await mkdir(out, { recursive: true });
if (only !== undefined) {
  await writeFile(
    path.join(out, 'only.json'),
    `${JSON.stringify(
      {
        only,
        orderSteps: steps,
        atScale,
        ...(pullRequests ? { pullRequests } : {}),
        ...(stockRequests ? { stockRequests } : {}),
        ...(keptStockRequests ? { keptStockRequests } : {}),
      },
      null,
      2,
    )}\n`,
  );
  console.log(`wrote ${path.join(out, 'only.json')} (--only: dist/bench/latest.json is left to the whole bench)`);
  process.exit(0);
}

// Each system whose registration has a rate-limited client to measure (contracts/system.ts `throughput`).
const runs = [];
for (const { throughput } of await loadSystems(root)) {
  if (throughput) runs.push({ client: throughput.client, limit: throughput.limit, result: await throughput.measure() });
}

const rows = runs.map(({ client, limit, result }) => ({
  client,
  limit,
  requests: result.requests,
  'virtual seconds': (result.elapsedMs / 1000).toFixed(1),
  'allowed/s': result.allowedPerSecond.toFixed(3),
  'achieved/s': result.achievedPerSecond.toFixed(3),
  'share of limit': `${(result.ratio * 100).toFixed(1)} %`,
  '429s': result.rejected,
}));
console.log('Rate-limited clients against fakes enforcing the real limits (virtual time):');
console.table(rows);

const bundles = await benchBundles(root, node);
console.log(`Built scripts: size and cold require time on Node ${nodeName} (median of 5 fresh processes):`);
console.table(
  bundles.map((row) => ({
    script: row.script,
    KiB: row.kib.toFixed(1),
    'cold require ms': row.coldRequireMs.toFixed(1),
  })),
);

await writeFile(
  path.join(out, 'latest.json'),
  `${JSON.stringify(
    {
      orderSteps: steps,
      atScale,
      bundles,
      rateLimitedClients: runs,
      pullRequests,
      stockRequests,
      keptStockRequests,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${path.join(out, 'latest.json')}`);

/** `--name value` or `--name=value`; undefined when absent. */
function optionValue(name: string): string | undefined {
  const index = args.findIndex((arg) => arg === name || arg.startsWith(`${name}=`));
  if (index === -1) return undefined;
  const value = args[index] === name ? args[index + 1] : args[index]!.slice(name.length + 1);
  if (value === undefined || value === '' || value.startsWith('--')) {
    console.error(`${name} needs the text a job's name holds, e.g. ${name} credit`);
    process.exit(2);
  }
  return value;
}
