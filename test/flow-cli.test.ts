// `npm run flow`: what a consultant types, end to end, in a child process (the pack is built by `npm test` first).
import { spawnSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveSystems } from '../patchworks/runner/systems.js';
import { EXAMPLE_ORDER, ROOT, SAMPLE_ORDER } from './support/flow-harness.js';

const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const RUN_DIR = path.join(ROOT, 'dist', 'run', 'example-homewares');

function flowCli(...args: string[]) {
  const run = spawnSync(process.execPath, [TSX, 'patchworks/runner/flow-cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH } });
  return { status: run.status, out: run.stdout, err: run.stderr };
}

describe('npm run flow', () => {
  it('keeps the data pools between runs with --keep-pools, so a second run books nothing again', async () => {
    await rm(path.join(RUN_DIR, 'data-pools'), { recursive: true, force: true });
    const first = flowCli('sparklayer-orders-to-netsuite', '--keep-pools');
    expect(first.status, first.err).toBe(0);
    expect(first.out).toContain('sparklayer-orders-to-netsuite: 9 records in, 2 created, 5 skipped, 2 exceptions (success)');
    expect(await readFile(path.join(RUN_DIR, 'data-pools', 'sparklayer-orders-netsuite.csv'), 'utf8')).toBe(`value,entity_type_id\r\n${EXAMPLE_ORDER},1\r\n${SAMPLE_ORDER},1\r\n`);

    const second = flowCli('sparklayer-orders-to-netsuite', '--keep-pools');
    expect(second.status, second.err).toBe(0);
    expect(second.out).toContain('sparklayer-orders-to-netsuite: 9 records in, 0 created, 7 skipped, 2 exceptions (success)');
    expect(second.out).toContain('run report: dist/run/example-homewares/run-report.html');
    const report = await readFile(path.join(RUN_DIR, 'run-report.html'), 'utf8');
    expect(report).toContain('2 filtered out: already in data pool &#34;sparklayer-orders-netsuite&#34;');
  });

  it('names a flow the client does not have, and fails', () => {
    const run = flowCli('no-such-flow');
    expect(run.status).not.toBe(0);
    expect(run.err).toContain('no blueprint "no-such-flow" (there are netsuite-credit-hold-to-sparklayer, order-totals-reconciliation, sparklayer-orders-to-lightspeed-r');
  });

  it('--help and -h print the usage, naming every option and that it runs the build in dist/ without rebuilding, and exit 0', () => {
    const help = flowCli('--help');
    expect(help.status, help.err).toBe(0);
    expect(help.err).toBe('');
    expect(help.out).toMatch(/^usage: npm run flow -- \[flow-key …\]/);
    for (const option of ['--client FILE', '--live', '--keep-pools', '-h, --help']) expect(help.out).toContain(option);
    expect(help.out).toContain('runs the pack as built in dist/ and does not rebuild it');
    expect(help.out).toContain('`npm run build` first');
    expect(help.out).toContain('`npm start` builds');
    expect(flowCli('-h')).toEqual(help);
  });

  it('refuses an unknown option in one line naming it, with exit code 2 and no stack trace', () => {
    const run = flowCli('sparklayer-orders-to-netsuite', '--bogus');
    expect(run.status).toBe(2);
    expect(run.out).toBe('');
    expect(run.err).toBe('npm run flow: unknown option --bogus (see --help)\n');
  });

  it('--live: a connector without its credentials in the environment fails before any request, naming the variables', () => {
    expect(() => liveSystems(['sparklayer'], {})).toThrow(/^SparkLayer configuration: .*SPARKLAYER_CLIENT_ID/);
    const run = flowCli('sparklayer-orders-to-netsuite', '--live');
    expect(run.status).not.toBe(0);
    expect(run.err).toMatch(/SparkLayer configuration: .*SPARKLAYER_CLIENT_ID/);
  });
});
