/**
 * Dotted paths (`a.b.0.c`) in a JSON value, as flow shapes name fields: read one, read an array, set one. The flow
 * runner and the connection engine both read them.
 */
/** A dotted path (`a.b.0.c`) in a JSON value; an empty path is the value itself. */
export function valueAt(json: unknown, path: string): unknown {
  if (path === '') return json;
  let value = json;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export function arrayAt(json: unknown, path: string): unknown[] {
  const value = valueAt(json, path);
  if (!Array.isArray(value))
    throw new Error(
      `"${path}" is ${value === undefined ? 'missing' : `not an array (${typeof value})`} in the payload`,
    );
  return value;
}

export function setAt(json: unknown, path: string, value: unknown): void {
  const parts = path.split('.');
  const parent = valueAt(json, parts.slice(0, -1).join('.')) as Record<string, unknown>;
  parent[parts.at(-1)!] = value;
}
