/**
 * Lookup tables (pack-contract §3) as a Patchworks cross-reference lookup exports them: CSV with the
 * header `left_value,right_value`, or a JSON object `{ "left": "right" }`. Keys and values are trimmed;
 * keys match exactly. A table that cannot be read, or that maps one key twice, is refused whole: a
 * half-read account map would book orders to the wrong account.
 */
import { isJsonObject } from './json-object.js';

export type LookupTable = ReadonlyMap<string, string>;

export class TableError extends Error {
  override name = 'TableError';
}

/** Where each key of a parsed table came from (`line 3`, `key "C1"`), for messages that point at the row. */
const places = new WeakMap<ReadonlyMap<string, unknown>, ReadonlyMap<string, string>>();

/** The row a key came from, as a consultant would find it: `line 3` of a CSV, `key "C1"` of a JSON object. */
export function placeOf(table: ReadonlyMap<string, unknown>, key: string): string {
  return places.get(table)?.get(key) ?? `key ${JSON.stringify(key)}`;
}

/**
 * A control character (C0, DEL, C1: NUL, tab, line feed, escape, …). No SKU, slug or identifier people see and type
 * holds one, so one found is a data error or a damaged table, refused naming it.
 */
export const CONTROL_CHARACTER = /\p{Cc}/u;

/** What a table reader returns for a row it refuses, with the reason. */
export class Rejected {
  constructor(readonly reason: string) {}
}
export const reject = (reason: string): Rejected => new Rejected(reason);

/**
 * The table keyed by `normalise(key)` (a tax rate `20.00` as `20`), each value read by `read`. Either may refuse a
 * row (`reject(reason)`), which fails the table naming the row. Two rows whose keys normalise to one key are refused,
 * naming both: picking one silently would book some orders with the other row's value.
 */
export function rekeyTable<V, T>(
  table: ReadonlyMap<string, V>,
  normalise: (key: string) => string | Rejected,
  read: (value: V, key: string) => T | Rejected,
): Map<string, T> {
  const out = new Map<string, T>();
  const firstKey = new Map<string, string>();
  for (const [key, raw] of table) {
    const normalised = normalise(key);
    const value = normalised instanceof Rejected ? normalised : read(raw, key);
    if (normalised instanceof Rejected || value instanceof Rejected) {
      const { reason } = normalised instanceof Rejected ? normalised : (value as Rejected);
      throw new TableError(`${placeOf(table, key)}: ${JSON.stringify(key)} → ${JSON.stringify(raw)}: ${reason}`);
    }
    const earlier = firstKey.get(normalised);
    if (earlier !== undefined) {
      throw new TableError(
        `${placeOf(table, earlier)} (${JSON.stringify(earlier)}) and ${placeOf(table, key)} ` +
          `(${JSON.stringify(key)}) are the same key ${JSON.stringify(normalised)}; keep one`,
      );
    }
    firstKey.set(normalised, key);
    out.set(normalised, value);
  }
  return out;
}

const HEADER = ['left_value', 'right_value'];

/** Rows `left,right` as the CSV a Patchworks cross-reference lookup exports (for samples, the sandbox, benches). */
export function tableCsv(rows: readonly string[]): string {
  return [HEADER.join(','), ...rows].join('\r\n');
}

/** A table as the CSV a Patchworks cross-reference lookup imports, quoting cells that need it (RFC 4180). */
export function lookupCsv(table: Iterable<readonly [string, string]>): string {
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  return tableCsv([...table].map(([left, right]) => `${cell(left)},${cell(right)}`));
}

export function parseTable(raw: unknown): LookupTable {
  if (isJsonObject(raw)) return fromEntries(Object.entries(raw), 'key');
  if (typeof raw !== 'string')
    throw new TableError(`expected CSV text or a JSON object, got ${Array.isArray(raw) ? 'an array' : typeof raw}`);
  const text = raw.replace(/^\uFEFF/, '').trim();
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new TableError(
        `it looks like JSON but does not parse (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    return parseTable(parsed);
  }
  return parseCsv(text);
}

function parseCsv(text: string): LookupTable {
  const rows = csvRows(text);
  const [header, ...body] = rows;
  const names = (header?.cells ?? []).map((cell) => cell.trim().toLowerCase());
  if (names.length !== 2 || names[0] !== HEADER[0] || names[1] !== HEADER[1]) {
    throw new TableError(
      `the first line must be the header "left_value,right_value", ` +
        `not ${JSON.stringify(header?.cells.join(',') ?? '')}`,
    );
  }
  const entries: Array<[string, unknown, string]> = [];
  for (const { line, cells } of body) {
    if (cells.length === 1 && cells[0]!.trim() === '') continue;
    if (cells.length !== 2)
      throw new TableError(`line ${line} has ${cells.length} columns, expected 2 (left_value,right_value)`);
    entries.push([cells[0]!, cells[1]!, `line ${line}`]);
  }
  return fromEntries(entries, 'line');
}

function fromEntries(entries: Array<[string, unknown] | [string, unknown, string]>, kind: 'key' | 'line'): LookupTable {
  const table = new Map<string, string>();
  const where = new Map<string, string>();
  for (const [rawKey, rawValue, position] of entries) {
    const key = rawKey.trim();
    const place = position ?? `key ${JSON.stringify(key)}`;
    if (typeof rawValue !== 'string' && typeof rawValue !== 'number') {
      throw new TableError(`${place}: the value must be text, not ${rawValue === null ? 'null' : typeof rawValue}`);
    }
    // JSON reads 1e400 as Infinity: a table value that is no finite number would be written as "Infinity".
    if (typeof rawValue === 'number' && !Number.isFinite(rawValue)) {
      throw new TableError(
        `${place}: the value for ${JSON.stringify(key)} is not a finite number (JSON gives ${rawValue} for it)`,
      );
    }
    const value = String(rawValue).trim();
    if (key === '') throw new TableError(`${place}: the left value is empty`);
    if (value === '') throw new TableError(`${place}: the right value for ${JSON.stringify(key)} is empty`);
    if (table.has(key)) {
      throw new TableError(`${JSON.stringify(key)} is mapped twice (${where.get(key)} and ${place}); keep one`);
    }
    table.set(key, value);
    where.set(key, kind === 'line' ? place : `key ${JSON.stringify(key)}`);
  }
  places.set(table, where);
  return table;
}

const COMMA = 0x2c;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const QUOTE = 0x22;

/** RFC 4180 rows: quoted cells may hold commas, quotes ("") and line breaks; CRLF or LF. */
function csvRows(text: string): Array<{ line: number; cells: string[] }> {
  const rows: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line += 1;
        cell += char;
      }
    } else if (char === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      cells.push(cell);
      rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line += 1;
      rowLine = line;
    } else {
      // A run of plain characters at once (a table of thousands of rows, a character at a time, was most of reading
      // it): up to the next character that means something here, which the loop then reads as above.
      let end = i + 1;
      while (end < text.length) {
        const code = text.charCodeAt(end);
        if (code === COMMA || code === LINE_FEED || code === CARRIAGE_RETURN || code === QUOTE) break;
        end += 1;
      }
      cell += end === i + 1 ? char : text.slice(i, end);
      i = end - 1;
    }
  }
  if (quoted) throw new TableError(`line ${rowLine} opens a quote that never closes`);
  cells.push(cell);
  rows.push({ line: rowLine, cells });
  return rows;
}

/**
 * A key → id table read backwards, id → key (the order flows' SKU → back-end id tables, for what comes back from the
 * back-end). An id two keys name cannot be told apart: it is in `twice`, with every key naming it, and not in
 * `keys`, so a reader refuses it rather than guessing.
 */
export function readBackwards(table: LookupTable): { keys: LookupTable; twice: ReadonlyMap<string, string[]> } {
  const named = new Map<string, string[]>();
  for (const [key, id] of table) named.set(id, [...(named.get(id) ?? []), key]);
  const keys = new Map<string, string>();
  const twice = new Map<string, string[]>();
  for (const [id, names] of named) {
    if (names.length === 1) keys.set(id, names[0]!);
    else twice.set(id, names);
  }
  return { keys, twice };
}
