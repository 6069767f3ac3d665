/**
 * The month-end reconciliation report: reconcile-order-totals' envelope as rows finance can open, as CSV
 * (RFC 4180, for a spreadsheet) and as a self-contained HTML table. Pure.
 */
import Big from 'big.js';
import { amountText } from '../../model/money.js';
import { escapeHtml } from './html.js';
import type { Envelope, StepException } from '../../runtime/envelope.js';
import { RECONCILED_FIELDS, type FieldDifference } from '../../model/reconciliation.js';

const STEP = 'reconcile-order-totals';

export interface ReportRow {
  status: string;
  sparklayer_order: string;
  reference: string;
  po: string;
  target_order: string;
  currency: string;
  field: string;
  expected: string;
  actual: string;
  difference: string;
  note: string;
}

const COLUMNS: Array<keyof ReportRow> = [
  'status',
  'sparklayer_order',
  'reference',
  'po',
  'target_order',
  'currency',
  'field',
  'expected',
  'actual',
  'difference',
  'note',
];

type Purchase = {
  purchase_identifiers?: Record<string, unknown>;
  customer_reference?: string;
  reconciliation?: Record<string, string>;
};

/** One row per matched order, one per differing total, one per order missing on either side. */
export function reportRows(envelope: Envelope): ReportRow[] {
  const rows: ReportRow[] = [];
  for (const record of envelope.records as Purchase[]) {
    const totals = record.reconciliation ?? {};
    rows.push({
      ...orderColumns(record),
      status: 'matched',
      target_order: totals.target ?? '',
      currency: totals.currency ?? '',
      field: 'gross',
      expected: totals.gross ?? '',
      actual: totals.gross ?? '',
      difference: totals.currency ? amountText(new Big(0), totals.currency) : '0.00',
      note: '',
    });
  }
  for (const exception of envelope.exceptions.filter((e) => e.step === STEP)) rows.push(...exceptionRows(exception));
  return rows;
}

/** Exceptions whose record is the back-end's order, not a SparkLayer purchase. */
const TARGET_SIDE_CODES = new Set([
  'UNKNOWN_TARGET_ORDER',
  'DUPLICATE_TARGET_ORDER',
  'INVALID_TARGET_ORDER',
  'UNRECONCILED_TARGET_ORDER',
]);

function exceptionRows(exception: StepException): ReportRow[] {
  const status = exception.code.toLowerCase();
  if (TARGET_SIDE_CODES.has(exception.code)) {
    return [{ ...blank(), status, target_order: exception.id ?? '', note: exception.message }];
  }
  const base = { ...blank(), ...orderColumns(exception.record as Purchase), status, note: exception.message };
  const details = exception.details as
    | { target?: string; currency?: string; differences?: FieldDifference[]; expected?: string; actual?: string }
    | undefined;
  if (exception.code === 'TOTAL_MISMATCH' && details?.differences) {
    return details.differences.map((d) => ({
      ...base,
      target_order: details.target ?? '',
      currency: details.currency ?? '',
      ...d,
      note: '',
    }));
  }
  if (exception.code === 'CURRENCY_MISMATCH' && details) {
    return [
      {
        ...base,
        target_order: details.target ?? '',
        field: 'currency',
        expected: details.expected ?? '',
        actual: details.actual ?? '',
        note: '',
      },
    ];
  }
  return [base];
}

function orderColumns(purchase: Purchase | undefined): Pick<ReportRow, 'sparklayer_order' | 'reference' | 'po'> {
  const ids = purchase?.purchase_identifiers ?? {};
  return {
    sparklayer_order: String(ids.sparklayer ?? ids.platform ?? ''),
    reference: String(ids.visible ?? ''),
    po: purchase?.customer_reference ?? '',
  };
}

function blank(): ReportRow {
  return Object.fromEntries(COLUMNS.map((column) => [column, ''])) as unknown as ReportRow;
}

export function toCsv(rows: readonly ReportRow[]): string {
  const cell = (value: string) =>
    /[",\r\n]/.test(value) || /^[=+\-@]/.test(value) ? `"${guardFormula(value).replaceAll('"', '""')}"` : value;
  return (
    [COLUMNS.join(','), ...rows.map((row) => COLUMNS.map((column) => cell(row[column])).join(','))].join('\r\n') +
    '\r\n'
  );
}

/** A spreadsheet runs a cell that starts with = + - @ as a formula; an apostrophe keeps it text. Signed differences
 * stay numbers. */
function guardFormula(value: string): string {
  return /^[=@]/.test(value) || (/^[+-]/.test(value) && !/^[+-]\d+(\.\d+)?$/.test(value)) ? `'${value}` : value;
}

export function toHtml(rows: readonly ReportRow[], summary: Envelope['summary'], title: string): string {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.status, (counts.get(row.status) ?? 0) + 1);
  const escape = escapeHtml;
  const cells = (row: ReportRow) => COLUMNS.map((c) => `<td>${escape(row[c])}</td>`).join('');
  const body = rows
    .map((row) => `<tr class="${row.status === 'matched' ? 'ok' : 'problem'}">${cells(row)}</tr>`)
    .join('\n');
  const stepSummary = summary[STEP];
  const stepLine = stepSummary
    ? `${stepSummary.in} in: ${stepSummary.records} matched, ${stepSummary.skipped} skipped (not orders), ` +
      `${stepSummary.exceptions} to look at.`
    : '';
  return (
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b}table{border-collapse:collapse;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}th{background:#f3f3f3}` +
    `td:not(:last-child){white-space:nowrap}td:last-child{min-width:18rem}
tr.problem td{background:#fff4e5}` +
    `td:nth-child(8),td:nth-child(9),td:nth-child(10){text-align:right;font-variant-numeric:tabular-nums}
</style></head><body>
<h1>${escape(title)}</h1>
<p>${stepLine}
${[...counts].map(([status, n]) => `${escape(status)}: ${n}`).join(' · ')}</p>
<table><thead><tr>${COLUMNS.map((c) => `<th>${escape(c)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody></table>
<p>Totals compared: ${RECONCILED_FIELDS.join(', ')}. ` +
    `SparkLayer's totals are the expected ones; the difference is actual − expected.</p>
</body></html>
`
  );
}
