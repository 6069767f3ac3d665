/**
 * Time and peak memory of each order step, and of the order pipeline, on generated payloads, run as built
 * on Node 18 with --max-old-space-size=512 (Patchworks gives a script 512 MB), each as a ratio to the floor
 * measured in the same run: parsing the payload and stringifying it back, which no step can beat. And the same
 * for the jobs benched at their own scale (benchAtScale): sync-credit-hold at 10,000 and 30,000 accounts ×
 * customers, resolve-erp-account on half a million minimal records, the stock steps at 100,000 levels,
 * keep-order-queue with a kept queue past its bound (QUEUE_MAX_BYTES, 16 MB of JSON; stock-payloads.ts), and the price
 * steps at 200,000 price rows (price-payloads.ts).
 *
 * Memory is measured twice: the peak resident set (maxRSS: the payload string, its copy out, Node itself) and
 * the peak of the V8 heap, the figure --max-old-space-size caps. The heap's peak is read from --trace-gc: the
 * heap only grows between collections, so its peak is the heap in use when one starts, or at the end.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { orders, orderTemplate, targets } from './order-payloads.js';
import {
  checkPricesPayload,
  checkPricesVariables,
  mapPricesPayload,
  ORDER_ACCOUNT,
  PRICE_BOOK,
  priceRowCount,
  priceVariables,
} from './price-payloads.js';
import { accountMapVariables, creditHoldPayload, creditHoldVariables, minimalOrders } from './scale-payloads.js';
import {
  keepOrderPayload,
  keepStockPayload,
  largeOrder,
  mapStockPayload,
  netsuiteStockPayload,
  orderQueueVariables,
  STOCK_STORE,
  stockQueueVariables,
  stockVariables,
} from './stock-payloads.js';
import { tableCsv } from '../../runtime/tables.js';

const MEASURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'measure.cjs');
const HEAP_MB = 512;

interface Measurement {
  ms: number;
  /** Peak resident set (maxRSS), MiB. */
  peakMb: number;
  /** Peak V8 heap in use, MiB. */
  peakHeapMb: number;
  error?: string;
}

interface Figures {
  payloadMb: number;
  ms: number;
  /** Peak resident set size (maxRSS), MiB: the largest of the job's scripts. */
  peakMb: number;
  /** Peak V8 heap in use, MiB: the largest of the job's scripts. */
  peakHeapMb: number;
  timeRatio: number;
  /** peakMb over the floor's. */
  memoryRatio: number;
  /** peakHeapMb over the floor's. */
  heapRatio: number;
  error?: string;
}

export interface StepBenchRow extends Figures {
  job: string;
  orders: number;
}

export interface ScaleBenchRow extends Figures {
  job: string;
  records: number;
  /** What the figure is held to, when it is held to one, and whether it met it. */
  goal?: string;
  goalMet?: boolean;
}

type Step = [bundle: string, variables: Record<string, unknown>];

interface Job {
  job: string;
  payload: () => unknown | Promise<unknown>;
  steps: Step[];
}

/** Whether `--only <text>` selects the job: its name holds the text, case aside. No text selects every job. */
export function selects(only: string | undefined, job: string): boolean {
  return only === undefined || job.toLowerCase().includes(only.toLowerCase());
}

const bundleIn = (root: string) => (key: string) => path.join(root, 'dist', 'scripts', `${key}.js`);

export async function benchSteps(root: string, node: string, sizes: number[], only?: string): Promise<StepBenchRow[]> {
  const { order, customers } = await orderTemplate(root);
  const bundle = bundleIn(root);
  const mapVariables = {
    unit_map: tableCsv(['MUG-ENAMEL-CASE12,MUG-ENAMEL-WHT*12']),
    item_ids: tableCsv(['MUG-ENAMEL-WHT,98', 'TOWEL-LINEN-NAT,77']),
    tax_codes: tableCsv(['20,2:15']),
  };
  const rows: StepBenchRow[] = [];
  await inTempDir(async (dir) => {
    for (const size of sizes) {
      const jobs: Job[] = [
        { job: 'filter-live-orders', payload: () => orders(order, size), steps: [[bundle('filter-live-orders'), {}]] },
        {
          job: 'resolve-erp-account',
          payload: () => ({ records: orders(order, size), customers }),
          steps: [[bundle('resolve-erp-account'), {}]],
        },
        {
          job: 'map-order-to-netsuite',
          payload: () => orders(order, size, { erp_account: '1104' }),
          steps: [[bundle('map-order-to-netsuite'), mapVariables]],
        },
        {
          job: 'reconcile-order-totals',
          payload: () => ({ source: orders(order, size), target: targets(size) }),
          steps: [[bundle('reconcile-order-totals'), {}]],
        },
        {
          job: 'pipeline: filter, resolve, map',
          payload: () => ({ records: orders(order, size), customers }),
          steps: [
            [bundle('filter-live-orders'), {}],
            [bundle('resolve-erp-account'), {}],
            [bundle('map-order-to-netsuite'), mapVariables],
          ],
        },
      ];
      for (const job of jobs.filter(({ job }) => selects(only, job)))
        rows.push({ job: job.job, orders: size, ...(await runJob(node, dir, job)) });
    }
  });
  return rows;
}

/** Issue 33's goal for the stock steps (and issue 32's queue at its limit): within this many times the floor. */
export const FLOOR_GOAL = 1.5;

/** Within FLOOR_GOAL times the floor on time and on peak heap, and no error (inside the 512 MB heap). */
export const floorGoal = {
  text: `within ${FLOOR_GOAL}× the floor (time and heap)`,
  met: (row: Pick<Figures, 'timeRatio' | 'heapRatio' | 'error'>) =>
    !row.error && row.timeRatio <= FLOOR_GOAL && row.heapRatio <= FLOOR_GOAL,
};

/** Orders kept in the queue at about 50 MB (the flow cache's limit): max_entries' default, of 30-line orders. */
export const QUEUED_ORDERS = 5_000;
export const QUEUED_ORDER_LINES = 30;

/** The jobs whose scale is not a number of orders, each with the goal it is held to, if any. */
export async function benchAtScale(root: string, node: string, only?: string): Promise<ScaleBenchRow[]> {
  const bundle = bundleIn(root);
  const levels = STOCK_STORE.skus * STOCK_STORE.locations;
  const count = levels.toLocaleString('en-GB');
  const store = `${STOCK_STORE.skus.toLocaleString('en-GB')} SKUs × ${STOCK_STORE.locations} locations`;
  const mapStock: Step = [bundle('map-stock-to-sparklayer'), stockVariables()];
  const stockJobs = [
    {
      job: `map-stock-to-sparklayer, ${count} levels (${store}) beside previous`,
      records: levels,
      payload: () => mapStockPayload(),
      steps: [mapStock],
      goal: floorGoal,
    },
    {
      job: `netsuite-stock-levels, ${count} SuiteQL rows beside previous`,
      records: levels,
      payload: () => netsuiteStockPayload(),
      steps: [[bundle('netsuite-stock-levels'), {}]] as Step[],
      goal: floorGoal,
    },
    {
      job: `stock pipeline: netsuite-stock-levels, map-stock-to-sparklayer, ${count} SuiteQL rows`,
      records: levels,
      payload: () => netsuiteStockPayload(),
      steps: [[bundle('netsuite-stock-levels'), {}], mapStock] as Step[],
      goal: floorGoal,
    },
    {
      job: `keep-stock-queue, ${count} levels published, those that moved sent`,
      records: levels,
      payload: () => keepStockPayload(),
      steps: [[bundle('keep-stock-queue'), stockQueueVariables]] as Step[],
      goal: floorGoal,
    },
  ];
  // The price steps (issue 19) at 200,000 price rows: the hourly run (nine entries in ten as last published), the first
  // run (nothing published before), and the order flows' check of the bench's 50,000 orders against the same rows.
  const priceRecords = priceRowCount();
  const priceCount = priceRecords.toLocaleString('en-GB');
  const book = `${PRICE_BOOK.skus.toLocaleString('en-GB')} SKUs × ${PRICE_BOOK.lists.length} lists`;
  const mapPrices: Step = [bundle('map-prices-to-sparklayer'), priceVariables()];
  const checkedOrders = 50_000;
  const priceJobs = [
    {
      job: `map-prices-to-sparklayer, ${priceCount} price rows (${book}) beside previous`,
      records: priceRecords,
      payload: () => mapPricesPayload(),
      steps: [mapPrices],
      goal: floorGoal,
    },
    {
      job: `map-prices-to-sparklayer, ${priceCount} price rows (${book}), first run (no previous)`,
      records: priceRecords,
      payload: () => mapPricesPayload(PRICE_BOOK, { previous: false }),
      steps: [mapPrices],
      goal: floorGoal,
    },
    {
      job: `check-order-prices, ${checkedOrders.toLocaleString('en-GB')} orders beside ${priceCount} price rows`,
      records: checkedOrders,
      payload: async () => {
        const { order } = await orderTemplate(root);
        return checkPricesPayload(orders(order, checkedOrders, { erp_account: ORDER_ACCOUNT }));
      },
      steps: [[bundle('check-order-prices'), checkPricesVariables()]] as Step[],
      goal: floorGoal,
    },
  ];
  // A queue past its bound (QUEUE_MAX_BYTES): the step reads it and writes back no more than the bound. (A 50 MB queue,
  // the flow cache's size, carried three times in this payload, ran the floor itself out of heap.)
  const orderQueueJob = (orders: number) => ({
    job:
      `keep-order-queue, ${orders.toLocaleString('en-GB')} orders kept (a queue of about ` +
      `${Math.round((orders / QUEUED_ORDERS) * 50)} MB), fed in again`,
    records: orders,
    payload: async () => {
      const { order } = await orderTemplate(root);
      return keepOrderPayload(largeOrder(order, QUEUED_ORDER_LINES), orders);
    },
    steps: [[bundle('keep-order-queue'), orderQueueVariables]] as Step[],
    goal: floorGoal,
  });
  const credit = (count: number, goalMs?: number) => ({
    job: `sync-credit-hold, ${count.toLocaleString('en-GB')} accounts × ${count.toLocaleString('en-GB')} customers`,
    records: count,
    payload: () => creditHoldPayload(count),
    steps: [[bundle('sync-credit-hold'), creditHoldVariables]] as Step[],
    goal:
      goalMs === undefined
        ? undefined
        : { text: `under ${goalMs / 1000} s on Node 18`, met: (row: Figures) => !row.error && row.ms < goalMs },
  });
  const jobs = [
    credit(10_000),
    credit(30_000, 2_000),
    {
      job: 'resolve-erp-account, minimal records, 1,000 companies',
      records: 500_000,
      payload: () => minimalOrders(500_000, 1_000),
      steps: [[bundle('resolve-erp-account'), accountMapVariables(1_000)]] as Step[],
      goal: { text: `completes in the ${HEAP_MB} MB heap`, met: (row: Figures) => !row.error },
    },
    ...stockJobs,
    ...priceJobs,
    orderQueueJob(2_000),
  ];
  const rows: ScaleBenchRow[] = [];
  await inTempDir(async (dir) => {
    for (const job of jobs.filter(({ job }) => selects(only, job))) {
      const figures = await runJob(node, dir, job);
      rows.push({
        job: job.job,
        records: job.records,
        ...figures,
        ...(job.goal ? { goal: job.goal.text, goalMet: job.goal.met(figures) } : {}),
      });
    }
  });
  return rows;
}

async function inTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pack-bench-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runJob(node: string, dir: string, { payload, steps }: Job): Promise<Figures> {
  const text = JSON.stringify(await payload());
  let input = path.join(dir, 'payload-0.json');
  await writeFile(input, text);
  // As in Patchworks, each script runs in a process of its own and hands its payload to the next:
  // the time is the sum, the memory the largest, and the floor is one parse-and-stringify per script.
  const run = {
    ms: 0,
    peakMb: 0,
    peakHeapMb: 0,
    floorMs: 0,
    floorMb: 0,
    floorHeapMb: 0,
    error: undefined as string | undefined,
  };
  for (const [index, step] of steps.entries()) {
    const output = path.join(dir, `payload-${index + 1}.json`);
    // The script and its variables go in a file, not the command line: one argument is capped at 128 KiB, which
    // the price steps' unit_map (5,000 packs) passes.
    const stepsFile = path.join(dir, `steps-${index + 1}.json`);
    await writeFile(stepsFile, JSON.stringify([step]));
    // The floor writes its output too, so both hold the same strings when the peak is taken.
    const { floor, result } = await measureBeside(
      node,
      ['floor', input, '-', path.join(dir, 'floor-output.json')],
      ['steps', input, stepsFile, output],
    );
    run.ms += result.ms;
    run.floorMs += floor.ms;
    run.peakMb = Math.max(run.peakMb, result.peakMb);
    run.peakHeapMb = Math.max(run.peakHeapMb, result.peakHeapMb);
    run.floorMb = Math.max(run.floorMb, floor.peakMb);
    run.floorHeapMb = Math.max(run.floorHeapMb, floor.peakHeapMb);
    run.error ??= result.error ?? (floor.error === undefined ? undefined : `floor: ${floor.error}`);
    if (result.error) break; // the next script has no payload to read
    input = output;
  }
  return {
    payloadMb: text.length / 1e6,
    ms: run.ms,
    peakMb: run.peakMb,
    peakHeapMb: run.peakHeapMb,
    timeRatio: run.ms / run.floorMs,
    memoryRatio: run.peakMb / run.floorMb,
    heapRatio: run.peakHeapMb / run.floorHeapMb,
    error: run.error,
  };
}

/**
 * Runs on a shared 2-core machine vary by a tenth or more, and by more while another job runs beside: each figure is
 * the median of five runs (time and memory alike), and the floor's runs and the step's alternate, so a slow spell
 * falls on both rather than on one.
 */
const RUNS = 5;

async function measureBeside(
  node: string,
  floorArgs: string[],
  stepArgs: string[],
): Promise<{ floor: Measurement; result: Measurement }> {
  const floors: Measurement[] = [];
  const results: Measurement[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const floor = await measure(node, floorArgs);
    const result = await measure(node, stepArgs);
    // a run that fails (out of memory) fails the same way again: no need to wait for the rest
    if (floor.error !== undefined || result.error !== undefined) return { floor, result };
    floors.push(floor);
    results.push(result);
  }
  return { floor: median(floors), result: median(results) };
}

function median(runs: Measurement[]): Measurement {
  const middle = (pick: (run: Measurement) => number) => runs.map(pick).sort((a, b) => a - b)[runs.length >> 1]!;
  return {
    ms: middle((run) => run.ms),
    peakMb: middle((run) => run.peakMb),
    peakHeapMb: middle((run) => run.peakHeapMb),
  };
}

/** `[pid:0x…] 53 ms: Scavenge 12.0 (16.3) -> 11.6 (27.3) MB, …`: the first figure is the heap in use (MiB) as the
 * collection starts. */
const GC_LINE =
  /ms: (?:Scavenge|Mark-sweep|Mark-Compact|Minor Mark-(?:sweep|Compact))\D*?(\d+(?:\.\d+)?) \(\d+(?:\.\d+)?\) -> /g;

function heapPeakOf(trace: string, heapUsedAtEnd = 0): number {
  let peak = heapUsedAtEnd;
  for (const match of trace.matchAll(GC_LINE)) peak = Math.max(peak, Number(match[1]));
  return peak;
}

function measure(node: string, args: string[]): Promise<Measurement> {
  return new Promise((resolve) => {
    const child = spawn(node, [`--max-old-space-size=${HEAP_MB}`, '--trace-gc', MEASURE, ...args], {
      env: {},
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    let trace = '';
    let errors = '';
    let report = '';
    child.stdout!.on('data', (chunk: Buffer) => (trace += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => (report += chunk.toString()));
    child.on('close', (code, signal) => {
      try {
        const parsed = JSON.parse(report) as { ms?: number; peakMb?: number; heapUsedMb?: number; error?: string };
        if (parsed.error !== undefined) {
          resolve({ ms: Number.NaN, peakMb: Number.NaN, peakHeapMb: heapPeakOf(trace), error: parsed.error });
        } else {
          resolve({ ms: parsed.ms!, peakMb: parsed.peakMb!, peakHeapMb: heapPeakOf(trace, parsed.heapUsedMb) });
        }
      } catch {
        // No report: V8 aborted the process. Its own words say why (FATAL ERROR: … JavaScript heap out of memory).
        const fatal = /FATAL ERROR: .*/.exec(errors)?.[0];
        const how = signal ? `killed by ${signal}` : `exited ${code}`;
        resolve({
          ms: Number.NaN,
          peakMb: Number.NaN,
          peakHeapMb: heapPeakOf(trace),
          error: `${how} without a report: ${fatal ?? (errors.trim().split('\n').pop() || 'no message')}`,
        });
      }
    });
  });
}
