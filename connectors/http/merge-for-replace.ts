/**
 * For APIs whose PUT replaces the whole record (SparkLayer customers and purchases): the body to send is
 * the current record with the change laid over it. Objects merge field by field, so changing
 * `payment_on_account.credit_limit` keeps `payment_on_account.currency_code`; arrays and scalars in the
 * change replace what was there; a field the change leaves out, or sets to undefined, is kept.
 */
import { isJsonObject } from '../../runtime/json-object.js';
export type DeepPartial<T> =
  T extends Array<unknown> ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

export function mergeForReplace<T>(current: T, change: NoInfer<DeepPartial<T>>): T {
  if (!isJsonObject(current) || !isJsonObject(change)) return (change === undefined ? current : change) as T;
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined) continue;
    merged[key] = key in current ? mergeForReplace(current[key], value as never) : value;
  }
  return merged as T;
}
