/**
 * X-Series reads as the price steps take them beside their records: each read's pages (`{data: [...]}`, as the
 * version-cursor lists answer: https://x-series-api.lightspeedhq.com/docs/pagination) or bare arrays, flattened, and
 * the latest version of each object by id. Pure: shared by lightspeed-x-price-rows and map-prices-to-lightspeed-x.
 */
import { isJsonObject } from '../../runtime/json-object.js';

/** The objects of a read: its pages (`{data: [...]}`, a bare array) flattened; a lone object is one. */
function pageObjects(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.flatMap(pageObjects);
  if (isJsonObject(value) && Array.isArray(value.data) && !('id' in value)) return value.data;
  return [value];
}

/** Whether a field holds something: X-Series leaves `deleted_at` null, absent or empty on a live object. */
export const present = (value: unknown) => value !== undefined && value !== null && value !== '';

/** An id as text, trimmed; '' for anything that is not text. */
export const idText = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** Objects of a read by their id, live or not; a later one (a higher version, or later given) wins. */
export function objectsById(value: unknown): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  for (const object of pageObjects(value)) {
    if (!isJsonObject(object) || idText(object.id) === '') continue;
    const id = idText(object.id);
    const kept = found.get(id);
    if (kept === undefined || !(Number(kept.version ?? 0) > Number(object.version ?? 0))) found.set(id, object);
  }
  return found;
}
