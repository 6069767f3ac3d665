/** A JSON object: not null and not a list, the one test every reader of parsed JSON makes before it reads a field. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
