// Runs a step in-process on a payload, the way its built script would, and parses the envelope.
import type { PatchworksData } from '../../runtime/contract.js';
import type { Envelope } from '../../runtime/envelope.js';
import { runStep, type AnyStep } from '../../runtime/step.js';

export function run(
  step: AnyStep,
  payload: unknown,
  extra: Partial<PatchworksData> = {},
): { data: PatchworksData; envelope: Envelope } {
  const data = runStep(step, { payload: typeof payload === 'string' ? payload : JSON.stringify(payload), ...extra });
  return { data, envelope: JSON.parse(data.payload!) as Envelope };
}

export const ids = (records: unknown[]): unknown[] =>
  records.map(
    (record) => (record as { purchase_identifiers?: { sparklayer?: unknown } }).purchase_identifiers?.sparklayer,
  );
