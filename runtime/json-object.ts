/** A JSON object: not null and not a list, the one test every reader of parsed JSON makes before it reads a field. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The named fields of a JSON object that it holds (not undefined), in the order named; the rest are left out. */
export function pickFields(record: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const field of fields) if (record[field] !== undefined) picked[field] = record[field];
  return picked;
}
