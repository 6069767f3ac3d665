/**
 * `npm run reconcile`: the month-end reconciliation of SparkLayer purchases against the back-end's orders, as CSV and
 * HTML. What it takes is in USAGE below, which `--help` prints.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readArguments } from '../cli-arguments.js';
import { runStep } from '../../runtime/step.js';
import { StepError } from '../../runtime/step-error.js';
import type { Envelope } from '../../runtime/envelope.js';
import { step } from '../../scripts/reconcile-order-totals/step.js';
import { reportRows, toCsv, toHtml } from './reconciliation-report.js';

class InputError extends Error {}

const USAGE =
  `usage: npm run reconcile -- --source FILE --target FILE [--tolerance AMOUNT] ` +
  `[--currency-ids FILE] [--out DIR]

The month-end reconciliation, written as reconciliation.csv and reconciliation.html. Each FILE holds a JSON array
of orders, a fixture file (body), an envelope (records) or a list response (data).

  --source FILE         SparkLayer purchases
  --target FILE         the back-end's orders: the pack's target shape or NetSuite sales orders
  --tolerance AMOUNT    how far totals may differ and still match (default 0.01)
  --currency-ids FILE   the ISO currency code → NetSuite currency internal ID table (map-order-to-netsuite's),
                        to read the currency of native NetSuite sales orders
  --out DIR             where the reports go (default dist/reports)
  -h, --help            print this and exit`;

const { values } = parseArguments();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!values.source || !values.target) {
  const missing = [values.source ? [] : ['--source'], values.target ? [] : ['--target']].flat();
  console.error(`npm run reconcile: ${missing.join(' and ')} FILE required (see --help)`);
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
  await writeFile(
    html,
    toHtml(
      rows,
      envelope.summary,
      `Order reconciliation: ${path.basename(values.source)} against ${path.basename(values.target)}`,
    ),
  );
  console.log(result.logs?.join('\n'));
  console.log(`wrote ${csv} and ${html} (${rows.length} rows)`);
} catch (error) {
  if (error instanceof StepError || error instanceof InputError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}

function parseArguments() {
  return readArguments('reconcile', () =>
    parseArgs({
      options: {
        source: { type: 'string' },
        target: { type: 'string' },
        tolerance: { type: 'string' },
        'currency-ids': { type: 'string' },
        out: { type: 'string', default: path.join('dist', 'reports') },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }),
  );
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
  throw new InputError(
    `${file}: expected a JSON array of orders, or an object holding one under body, records or data`,
  );
}
