/**
 * Time and peak memory of each order step, and of the order pipeline, on generated payloads, run as built
 * on Node 18 with --max-old-space-size=512 (Patchworks gives a script 512 MB), each as a ratio to the floor
 * measured in the same run: parsing the payload and stringifying it back, which no step can beat.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { orders, orderTemplate, targets } from './order-payloads.js';
import { tableCsv } from '../runtime/tables.js';

const MEASURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'measure.cjs');

interface Measurement {
  ms: number;
  peakMb: number;
  error?: string;
}

export interface StepBenchRow {
  job: string;
  orders: number;
  payloadMb: number;
  ms: number;
  peakMb: number;
  timeRatio: number;
  memoryRatio: number;
  error?: string;
}

export async function benchSteps(root: string, node: string, sizes: number[]): Promise<StepBenchRow[]> {
  const { order, customers } = await orderTemplate(root);
  const bundle = (key: string) => path.join(root, 'dist', 'scripts', `${key}.js`);
  const mapVariables = {
    unit_map: tableCsv(['MUG-ENAMEL-CASE12,MUG-ENAMEL-WHT*12']),
    item_ids: tableCsv(['MUG-ENAMEL-WHT,98', 'TOWEL-LINEN-NAT,77']),
    tax_codes: tableCsv(['20,2:15']),
  };
  const dir = await mkdtemp(path.join(tmpdir(), 'pack-bench-'));
  const rows: StepBenchRow[] = [];
  try {
    for (const size of sizes) {
      const jobs = [
        { job: 'filter-live-orders', payload: orders(order, size), steps: [[bundle('filter-live-orders'), {}]] },
        { job: 'resolve-erp-account', payload: { records: orders(order, size), customers }, steps: [[bundle('resolve-erp-account'), {}]] },
        { job: 'map-order-to-netsuite', payload: orders(order, size, { erp_account: '1104' }), steps: [[bundle('map-order-to-netsuite'), mapVariables]] },
        {
          job: 'reconcile-order-totals',
          payload: { source: orders(order, size), target: targets(size) },
          steps: [[bundle('reconcile-order-totals'), {}]],
        },
        {
          job: 'pipeline: filter, resolve, map',
          payload: { records: orders(order, size), customers },
          steps: [
            [bundle('filter-live-orders'), {}],
            [bundle('resolve-erp-account'), {}],
            [bundle('map-order-to-netsuite'), mapVariables],
          ],
        },
      ];
      for (const { job, payload, steps } of jobs) {
        const text = JSON.stringify(payload);
        let input = path.join(dir, 'payload-0.json');
        await writeFile(input, text);
        // As in Patchworks, each script runs in a process of its own and hands its payload to the next:
        // the time is the sum, the memory the largest, and the floor is one parse-and-stringify per script.
        const run = { ms: 0, peakMb: 0, floorMs: 0, floorMb: 0, error: undefined as string | undefined };
        for (const [index, step] of steps.entries()) {
          const output = path.join(dir, `payload-${index + 1}.json`);
          // The floor writes its output too, so both hold the same strings when the peak is taken.
          const floor = await measureMedian(node, ['floor', input, '[]', path.join(dir, 'floor-output.json')]);
          const result = await measureMedian(node, ['steps', input, JSON.stringify([step]), output]);
          run.ms += result.ms;
          run.floorMs += floor.ms;
          run.peakMb = Math.max(run.peakMb, result.peakMb);
          run.floorMb = Math.max(run.floorMb, floor.peakMb);
          run.error ??= result.error ?? floor.error;
          input = output;
        }
        rows.push({
          job,
          orders: size,
          payloadMb: text.length / 1e6,
          ms: run.ms,
          peakMb: run.peakMb,
          timeRatio: run.ms / run.floorMs,
          memoryRatio: run.peakMb / run.floorMb,
          error: run.error,
        });
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

/** Runs on a shared 2-core machine vary by a tenth or more: each figure is the median of three runs (time and memory alike). */
const RUNS = 3;

async function measureMedian(node: string, args: string[]): Promise<Measurement> {
  const runs: Measurement[] = [];
  for (let i = 0; i < RUNS; i += 1) runs.push(await measure(node, args));
  const failed = runs.find((run) => run.error !== undefined);
  if (failed) return failed;
  const median = (pick: (run: Measurement) => number) => runs.map(pick).sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
  return { ms: median((run) => run.ms), peakMb: median((run) => run.peakMb) };
}

function measure(node: string, args: string[]): Promise<Measurement> {
  return new Promise((resolve) => {
    const child = spawn(node, ['--max-old-space-size=512', MEASURE, ...args], { env: {} });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(out) as Measurement);
      } catch {
        resolve({ ms: Number.NaN, peakMb: Number.NaN, error: `exited ${code} without a report (out of memory?)` });
      }
    });
  });
}
