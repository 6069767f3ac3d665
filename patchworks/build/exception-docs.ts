/**
 * The exception table, generated from the declarations (each step's `exceptionCodes` and the runtime's), never typed
 * by hand: `npm run docs` writes it into docs/exception-codes.md between its markers (and each team's codes into its
 * runbook), and a test fails when a page is stale.
 */
import type { AnyStep, ExceptionCode, Owner } from '../../runtime/step.js';
import { RUNTIME_EXCEPTION_CODES } from '../../runtime/step.js';
import { loadSteps } from '../blueprint/catalog.js';
import { cell, code, relativeLink, table } from './docs/markdown.js';

export interface ExceptionRow {
  code: string;
  owner: Owner;
  action: string;
  /** The steps that declare the code with this action, in the order the steps are listed; empty: any step (the
   * runtime's). */
  steps: string[];
}

/**
 * One row per code and action, in the order the steps declare them: a code several steps raise with the same action
 * names them all; one whose action differs by back-end gets a row per action. A code has one owner everywhere.
 */
export function exceptionRows(steps: ReadonlyMap<string, AnyStep>): ExceptionRow[] {
  const rows = new Map<string, ExceptionRow>();
  const owners = new Map<string, { owner: string; step: string }>();
  for (const [code, declaration] of Object.entries(RUNTIME_EXCEPTION_CODES))
    rows.set(`${code}\n${declaration.action}`, { code, ...declaration, steps: [] });
  for (const [key, step] of steps) {
    for (const [code, declaration] of Object.entries(step.exceptionCodes as Record<string, ExceptionCode>)) {
      const first = owners.get(code);
      if (first && first.owner !== declaration.owner)
        throw new Error(`${code} has two owners: ${first.owner} (${first.step}) and ${declaration.owner} (${key})`);
      owners.set(code, first ?? { owner: declaration.owner, step: key });
      const id = `${code}\n${declaration.action}`;
      const row = rows.get(id);
      if (row) row.steps.push(key);
      else rows.set(id, { code, ...declaration, steps: [key] });
    }
  }
  return [...rows.values()];
}

/**
 * Who raises a row's code: `any step`, or the steps, each linked to its page from `fromFile` (`map-order-to-*` when
 * every map-order step does).
 */
export function raisedBy(row: ExceptionRow, stepKeys: readonly string[], fromFile: string): string {
  if (row.steps.length === 0) return 'any step';
  const mapSteps = stepKeys.filter((key) => key.startsWith('map-order-to-'));
  const all = mapSteps.length > 1 && mapSteps.every((key) => row.steps.includes(key));
  const link = (key: string) => `[${code(key)}](${relativeLink(fromFile, `docs/steps/${key}.md`)})`;
  return [
    ...(all ? [`${code('map-order-to-*')}`] : []),
    ...row.steps.filter((key) => !all || !mapSteps.includes(key)).map(link),
  ].join(', ');
}

/** The table of every code: code, owner (linked to its runbook), who raises it, what to do. */
export function exceptionTableFor(steps: ReadonlyMap<string, AnyStep>, fromFile: string): string {
  const keys = [...steps.keys()];
  return table(
    ['code', 'owner', 'raised by', 'what to do'],
    exceptionRows(steps).map((row) => [
      code(row.code),
      `[${row.owner}](${relativeLink(fromFile, runbookFile(row.owner))})`,
      raisedBy(row, keys, fromFile),
      cell(row.action),
    ]),
  );
}

export async function exceptionTable(root: string, fromFile = 'docs/exception-codes.md'): Promise<string> {
  return exceptionTableFor(await loadSteps(root), fromFile);
}

/** An owner's runbook, e.g. `docs/runbooks/customer-service.md`. */
export function runbookFile(owner: Owner): string {
  return `docs/runbooks/${owner.replaceAll(' ', '-')}.md`;
}
