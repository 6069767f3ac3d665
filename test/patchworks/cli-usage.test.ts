// `npm run record`, `npm run reconcile` and `npm run queue` (`npm run flow`'s are in flow-cli.test.ts): --help and -h
// print the usage and exit 0; an unknown option is one line naming it, exit code 2, no stack trace. Each CLI runs in a
// child process.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/steps.js';

const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function cli(file: string, ...args: string[]) {
  // No SparkLayer credentials in the environment: --help must not need them.
  const run = spawnSync(process.execPath, [TSX, file, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  return { status: run.status, out: run.stdout, err: run.stderr };
}

const CLIS = [
  {
    name: 'record',
    file: 'patchworks/record/cli.ts',
    usage: 'usage: npm run record -- <sparklayer> [--out DIR] [--customers N]',
    options: ['--out DIR', '--customers N', '-h, --help', 'SPARKLAYER_CLIENT_ID'],
    // A valid call but for the option, so the option is what is refused.
    valid: ['sparklayer'],
  },
  {
    name: 'reconcile',
    file: 'patchworks/report/reconcile-cli.ts',
    usage:
      'usage: npm run reconcile -- --source FILE --target FILE [--tolerance AMOUNT] [--currency-ids FILE] [--out DIR]',
    options: ['--source FILE', '--target FILE', '--tolerance AMOUNT', '--currency-ids FILE', '--out DIR', '-h, --help'],
    valid: ['--source', 'a.json', '--target', 'b.json'],
  },
  {
    name: 'queue',
    file: 'patchworks/runner/queue-cli.ts',
    usage: 'usage: npm run queue -- <list|replay> [flow-key …] [--client FILE] [--live] [--as-of INSTANT] [--json]',
    options: [
      'list ',
      'replay ',
      '--client FILE',
      '--live',
      '--as-of INSTANT',
      '--json',
      '-h, --help',
      'npm run flow -- --keep-pools',
    ],
    valid: ['list'],
  },
];

describe.each(CLIS)('npm run $name', ({ name, file, usage, options, valid }) => {
  it('--help and -h print the usage, naming every option, and exit 0', () => {
    const help = cli(file, '--help');
    expect(help.status, help.err).toBe(0);
    expect(help.err).toBe('');
    expect(help.out.split('\n')[0]).toBe(usage);
    for (const option of options) expect(help.out).toContain(option);
    expect(cli(file, '-h')).toEqual(help);
  });

  it.each(['--bogus', '--bogus=1', '-z'])(
    'refuses the unknown option %s in one line naming it, exit code 2, no stack trace',
    (option) => {
      const run = cli(file, ...valid, option);
      expect(run.status).toBe(2);
      expect(run.out).toBe('');
      expect(run.err).toBe(`npm run ${name}: unknown option ${option.split('=')[0]} (see --help)\n`);
    },
  );
});

describe('a missing argument', () => {
  it('npm run record with no system, or one it does not know, says so in one line, exit code 2', () => {
    expect(cli('patchworks/record/cli.ts')).toEqual({
      status: 2,
      out: '',
      err: 'npm run record: name the system to record: one of sparklayer (see --help)\n',
    });
    expect(cli('patchworks/record/cli.ts', 'shopify').err).toBe(
      'npm run record: no system "shopify": one of sparklayer (see --help)\n',
    );
  });

  it('npm run reconcile without --source or --target names what is missing, exit code 2', () => {
    expect(cli('patchworks/report/reconcile-cli.ts', '--source', 'a.json')).toEqual({
      status: 2,
      out: '',
      err: 'npm run reconcile: --target FILE required (see --help)\n',
    });
    expect(cli('patchworks/report/reconcile-cli.ts').err).toBe(
      'npm run reconcile: --source and --target FILE required (see --help)\n',
    );
  });

  it('an option missing its value is one line too, exit code 2', () => {
    const run = cli('patchworks/report/reconcile-cli.ts', '--source');
    expect(run.status).toBe(2);
    expect(run.err).toBe("npm run reconcile: Option '--source <value>' argument missing (see --help)\n");
  });
});
