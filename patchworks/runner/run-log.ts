/** Prints a script shape's result the way a Patchworks run log shows it, plus the detail a consultant needs. */
import type { Envelope } from '../runtime/envelope.js';
import type { PatchworksData } from '../runtime/contract.js';

export function formatScriptRun(stepKey: string, settingsText: string, result: PatchworksData, describe: (record: unknown) => string): string[] {
  const envelope = JSON.parse(result.payload ?? 'null') as Envelope;
  const summary = envelope.summary[stepKey]!;
  const lines = [
    `[script] ${stepKey} (${settingsText})`,
    `  ${summary.in} in -> ${summary.records} passed, ${summary.skipped} skipped, ${summary.exceptions} exceptions`,
  ];
  for (const record of envelope.records) lines.push(`  passed     ${describe(record)}`);
  for (const entry of envelope.skipped.filter((s) => s.step === stepKey)) {
    lines.push(`  skipped    ${entry.id ?? '(no id)'}  ${entry.reason}`);
  }
  for (const entry of envelope.exceptions.filter((e) => e.step === stepKey)) {
    lines.push(`  EXCEPTION  ${entry.id ?? '(no id)'}  ${entry.code}: ${entry.message}`);
  }
  lines.push(`  meta       ${Object.entries(result.meta ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(' ')}`);
  for (const log of result.logs ?? []) lines.push(`  log        ${log}`);
  return lines;
}
