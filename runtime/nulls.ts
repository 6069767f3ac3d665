/**
 * `null` where a field is optional means "not given" (pack-contract §2; many exporters, PHP's among them, write
 * every absent field as null). The runtime reads each record through this view once, at the boundary, so every
 * schema and rule treats an explicit null as absent; the record itself travels on, and into exceptions, as it came.
 */

/** Deeper than any field a step reads: nesting below this is carried, not read, so it is left as it is. */
const MAX_DEPTH = 32;

/** The value with every object property that is null left out, at any depth a step reads; the same value when it has
 * none. */
export function withoutNulls<T>(value: T): T {
  return hasNullField(value, 0) ? (stripped(value, 0) as T) : value;
}

function hasNullField(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) return value.some((item) => hasNullField(item, depth + 1));
  // Own enumerable keys, as Object.keys gives them, without the array of keys it allocates per record (for…in uses
  // V8's enum cache; the hasOwn check leaves out anything inherited).
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const child = (value as Record<string, unknown>)[key];
    if (child === null || hasNullField(child, depth + 1)) return true;
  }
  return false;
}

function stripped(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => stripped(item, depth + 1));
  // fromEntries defines own properties, so a key named __proto__ stays a key and never becomes the prototype.
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, child]) => child !== null)
      .map(([key, child]) => [key, stripped(child, depth + 1)]),
  );
}
