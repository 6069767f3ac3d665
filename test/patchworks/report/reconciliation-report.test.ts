import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportRows, toCsv, toHtml } from '../../../patchworks/report/reconciliation-report.js';
import { step } from '../../../scripts/reconcile-order-totals/step.js';
import { fixturePurchases } from '../../support/purchases.js';
import { run } from '../../support/run.js';
import { ALL_TYPES_FIXTURE } from '../../support/purchases.js';
import { ROOT } from '../../support/steps.js';

const order = fixturePurchases().find((p) => p.type === 'order')!;
const ID = (order.purchase_identifiers as { sparklayer: string }).sparklayer;
const targets = [
  { reference: ID, currency: 'GBP', net: '157.50', tax: '31.52', gross: '189.02', shipping: '7.50' },
  { reference: '=HYPERLINK("x")', currency: 'GBP', net: '1', tax: '0', gross: '1' },
  { reference: '<script>alert(1)</script>', currency: 'GBP', net: '1', tax: '0', gross: '1' },
];
const { envelope } = run(step, { source: [order], target: targets });

describe('the month-end reconciliation report', () => {
  it('has one row per differing total, and one per order found on one side only', () => {
    expect(
      reportRows(envelope).map((r) => [
        r.status,
        r.sparklayer_order,
        r.target_order,
        r.field,
        r.expected,
        r.actual,
        r.difference,
      ]),
    ).toEqual([
      ['total_mismatch', ID, ID, 'tax', '31.50', '31.52', '+0.02'],
      ['total_mismatch', ID, ID, 'gross', '189.00', '189.02', '+0.02'],
      ['unknown_target_order', '', '=HYPERLINK("x")', '', '', '', ''],
      ['unknown_target_order', '', '<script>alert(1)</script>', '', '', '', ''],
    ]);
  });

  it('writes CSV a spreadsheet opens safely: quotes escaped, formulas kept as text, CRLF rows', () => {
    const csv = toCsv(reportRows(envelope));
    expect(csv.split('\r\n')[0]).toBe(
      'status,sparklayer_order,reference,po,target_order,currency,field,expected,actual,difference,note',
    );
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).toContain(',"+0.02",');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('writes HTML with every value escaped and the counts at the top', () => {
    const html = toHtml(reportRows(envelope), envelope.summary, 'November <close>');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('<title>November &#60;close&#62;</title>');
    expect(html).toContain('3 in: 0 matched, 0 skipped (not orders), 3 to look at.');
    expect(html.match(/<tr class="problem">/g)).toHaveLength(4);
  });

  it('npm run reconcile writes both files, and refuses a file that holds no orders', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'reconcile-'));
    const target = path.join(dir, 'target.json');
    await writeFile(target, JSON.stringify(targets.slice(0, 1)));
    const ok = await npmReconcile(['--source', ALL_TYPES_FIXTURE, '--target', target, '--out', dir]);
    expect(ok.code, ok.output).toBe(0);
    expect(await readFile(path.join(dir, 'reconciliation.csv'), 'utf8')).toContain('total_mismatch');
    expect(await readFile(path.join(dir, 'reconciliation.html'), 'utf8')).toContain('<table>');

    await writeFile(target, '{"orders": []}');
    const refused = await npmReconcile(['--source', ALL_TYPES_FIXTURE, '--target', target, '--out', dir]);
    expect(refused.code).toBe(2);
    expect(refused.output).toContain(
      'expected a JSON array of orders, or an object holding one under body, records or data',
    );
  }, 60_000);
});

function npmReconcile(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'reconcile', '--', ...args], { cwd: ROOT });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}
