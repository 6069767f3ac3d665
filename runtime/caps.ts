/**
 * Keeps what a step adds to `meta` and `logs` inside Patchworks' limits: a step that overflows `meta`
 * fails in Patchworks, and anything past 500 characters of logs is lost.
 */
import { PATCHWORKS_LIMITS } from './contract.js';

const encoder = new TextEncoder();

/** Measured as the JSON text of the whole map: an upper bound on whatever Patchworks counts. */
export function metaBytes(meta: Record<string, unknown>): number {
  return encoder.encode(JSON.stringify(meta)).length;
}

/**
 * Adds string values to a copy of `meta`, in order, as long as the whole map stays within the cap.
 * Returns the keys that did not fit so the caller can say so.
 */
export function addToMeta(
  meta: Record<string, unknown>,
  additions: Record<string, string>,
): { meta: Record<string, unknown>; dropped: string[] } {
  const result = { ...meta };
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(additions)) {
    const before = result[key];
    result[key] = value;
    if (metaBytes(result) > PATCHWORKS_LIMITS.metaBytes) {
      if (before === undefined) delete result[key];
      else result[key] = before;
      dropped.push(key);
    }
  }
  return { meta: result, dropped };
}

/** Cuts log lines so that together they hold at most 500 characters; a cut line ends with "…". */
export function capLogs(lines: readonly string[]): string[] {
  const capped: string[] = [];
  let room: number = PATCHWORKS_LIMITS.logsChars;
  for (const line of lines) {
    if (room <= 0) break;
    if (line.length <= room) {
      capped.push(line);
      room -= line.length;
    } else {
      capped.push(`${sliceWholeCharacters(line, room - 1)}…`);
      room = 0;
    }
  }
  return capped;
}

/** Never splits a surrogate pair, which would leave invalid text in the run log. */
function sliceWholeCharacters(text: string, length: number): string {
  const last = text.charCodeAt(length - 1);
  const endsInsidePair = last >= 0xd800 && last <= 0xdbff;
  return text.slice(0, endsInsidePair ? length - 1 : length);
}

/** Patchworks cuts each variable of a notify message to 100 characters (reference/patchworks.md §3.1). */
export const NOTIFY_VARIABLE_CHARS = 100;

/** Text that fits one notify variable: whole, or cut at the last word boundary with "…", never mid-word. */
export function fitNotifyVariable(text: string): string {
  if (text.length <= NOTIFY_VARIABLE_CHARS) return text;
  const room = text.slice(0, NOTIFY_VARIABLE_CHARS - 1);
  const boundary = room.lastIndexOf(' ');
  return `${(boundary > 0 ? room.slice(0, boundary) : room).replace(/[\s,;:]+$/, '')}…`;
}
