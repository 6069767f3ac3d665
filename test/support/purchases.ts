/**
 * Purchases for tests: one documented template (the `order` of fixtures/sparklayer/purchases/list.all-types.json)
 * and small builders that state only what a test changes, so no test hand-writes a whole purchase.
 */
import type { PurchaseType } from '../../connectors/sparklayer/purchase.js';
import { fixtureBody } from './fixtures.js';

export const ALL_TYPES_FIXTURE = 'fixtures/sparklayer/purchases/list.all-types.json';

export function fixturePurchases(file = ALL_TYPES_FIXTURE): Array<Record<string, unknown>> {
  return fixtureBody(file) as Array<Record<string, unknown>>;
}

const template = fixturePurchases().find((purchase) => purchase.type === 'order')!;

export interface PurchaseChanges {
  id?: string;
  type?: PurchaseType | string;
  ids?: Record<string, unknown>;
  fields?: Record<string, unknown>;
}

/** A copy of the documented order with the given changes; `id` sets purchase_identifiers.sparklayer; a field given as
 * undefined is removed. */
export function purchase(changes: PurchaseChanges = {}): Record<string, unknown> {
  const copy = structuredClone(template);
  const ids = { ...(copy.purchase_identifiers as Record<string, unknown>) };
  if (changes.id !== undefined) ids.sparklayer = changes.id;
  copy.purchase_identifiers = changes.ids ?? ids;
  if (changes.type !== undefined) copy.type = changes.type;
  const result: Record<string, unknown> = { ...copy, ...changes.fields };
  // A field set to undefined is removed, as it would be in the JSON payload.
  for (const [key, value] of Object.entries(result)) if (value === undefined) delete result[key];
  return result;
}

/** `n` distinct purchases, ids p-0 … p-(n-1), types cycling through `types`. */
export function purchases(n: number, types: ReadonlyArray<string> = ['order']): Array<Record<string, unknown>> {
  return Array.from({ length: n }, (_, i) => purchase({ id: `p-${i}`, type: types[i % types.length] }));
}
