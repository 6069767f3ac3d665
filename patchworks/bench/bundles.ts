/**
 * Each built script's size and its cold `require` time on Node 18: a fresh process loads the bundle once, as
 * Patchworks does for a script's first payload. The median of a few runs, since a single cold start is noisy.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { SCRIPTS_DIST_DIR } from '../build/step-sources.js';

const run = promisify(execFile);
const COLD_STARTS = 5;
const TIME_REQUIRE =
  'const t=process.hrtime.bigint();require(process.argv[1]);' +
  'process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))';

export interface BundleBenchRow {
  script: string;
  kib: number;
  coldRequireMs: number;
}

export async function benchBundles(root: string, node: string): Promise<BundleBenchRow[]> {
  const manifest = JSON.parse(await readFile(path.join(root, SCRIPTS_DIST_DIR, 'manifest.json'), 'utf8')) as {
    bundles: Record<string, { file: string; bytes: number }>;
  };
  const rows: BundleBenchRow[] = [];
  for (const [script, bundle] of Object.entries(manifest.bundles)) {
    const file = path.join(root, SCRIPTS_DIST_DIR, bundle.file);
    const times: number[] = [];
    for (let i = 0; i < COLD_STARTS; i += 1)
      times.push(Number((await run(node, ['-e', TIME_REQUIRE, file], { env: {} })).stdout));
    times.sort((a, b) => a - b);
    rows.push({ script, kib: bundle.bytes / 1024, coldRequireMs: times[Math.floor(COLD_STARTS / 2)]! });
  }
  return rows;
}
