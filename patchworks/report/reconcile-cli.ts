/**
 * `npm run reconcile -- --source FILE --target FILE [--tolerance 0.01] [--currency-ids FILE] [--out DIR]`:
 * the month-end reconciliation as CSV and HTML. SOURCE holds SparkLayer purchases, TARGET the back-end's
 * orders (the pack's target shape or NetSuite sales orders): a JSON array, a fixture file, or an envelope.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runStep } from '../runtime/step.js';
import { StepError } from '../runtime/step-error.js';
import type { Envelope } from '../runtime/envelope.js';
import { step } from '../../scripts/reconcile-order-totals/step.js';
import { reportRows, toCsv, toHtml } from './reconciliation-report.js';

class InputError extends Error {}

const usage = 'usage: npm run reconcile -- --source FILE --target FILE [--tolerance 0.01] [--currency-ids FILE] [--out DIR]';
const { values } = parseArgs({
  options: {
    source: { type: 'string' },
    target: { type: 'string' },
    tolerance: { type: 'string' },
    'currency-ids': { type: 'string' },
    out: { type: 'string', default: path.join('dist', 'reports') },
  },
});
if (!values.source || !values.target) {
  console.error(usage);
  process.exit(2);
}

try {
  const variables: Record<string, string> = {};
  if (values.tolerance !== undefined) variables.tolerance = values.tolerance;
  if (values['currency-ids'] !== undefined) variables.currency_ids = await readFile(values['currency-ids'], 'utf8');
  const payload = { source: await readOrders(values.source), target: await readOrders(values.target) };
  const result = runStep(step, { payload: JSON.stringify(payload), variables });
  const envelope = JSON.parse(result.payload!) as Envelope;
  const rows = reportRows(envelope);
  await mkdir(values.out!, { recursive: true });
  const csv = path.join(values.out!, 'reconciliation.csv');
  const html = path.join(values.out!, 'reconciliation.html');
  await writeFile(csv, toCsv(rows));
  await writeFile(html, toHtml(rows, envelope.summary, `Order reconciliation: ${path.basename(values.source)} against ${path.basename(values.target)}`));
  console.log(result.logs?.join('\n'));
  console.log(`wrote ${csv} and ${html} (${rows.length} rows)`);
} catch (error) {
  if (error instanceof StepError || error instanceof InputError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}


/** A JSON array of orders, or one inside a fixture (`body`), an envelope (`records`) or a list response (`data`). */
async function readOrders(file: string): Promise<unknown[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new InputError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (Array.isArray(json)) return json;
  for (const key of ['body', 'records', 'data']) {
    const inner = (json as Record<string, unknown> | null)?.[key];
    if (Array.isArray(inner)) return inner;
  }
  throw new InputError(`${file}: expected a JSON array of orders, or an object holding one under body, records or data`);
}
