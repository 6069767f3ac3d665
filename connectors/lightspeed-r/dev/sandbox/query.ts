/** The query parameters the fake reads as R-Series documents them: relations, IN lists, operators, sort. */
import type { Json } from './wire.js';

export function readRelations(raw: string | null): Set<string> {
  if (raw === null) return new Set();
  try {
    const parsed: unknown = JSON.parse(raw);
    return new Set(Array.isArray(parsed) ? parsed.map(String) : []);
  } catch {
    return new Set();
  }
}

export function parseInList(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return parsed.map(String);
  } catch {
    // a comma-separated list
  }
  return text
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((part) => part.trim().replace(/^"|"$/g, ''));
}

/** ItemShop fields a relation search may name (the ItemShop page's fields that are numbers or times). */
export const ITEM_SHOP_SEARCHABLE = new Set([
  'itemShopID',
  'qoh',
  'sellable',
  'backorder',
  'timeStamp',
  'itemID',
  'shopID',
]);

/**
 * Records whose `field` compares as the query asks: `<operator>,<value>` with the documented operators =, >, >=, <, <=,
 * != and `><,<low>,<high>` (https://developers.lightspeedhq.com/retail/introduction/parameters/), or a bare value for
 * =. timeStamp compares as instants (a value that is no date is refused); other fields as numbers.
 */
export function compareFilter(records: Json[], query: URLSearchParams, field: string): Json[] | string {
  const wanted = query.get(field);
  if (wanted === null) return records;
  const match = /^(>=|<=|><|!=|>|<|=),(.*)$/s.exec(wanted);
  const [operator, raw] = match === null ? ['=', wanted] : [match[1]!, match[2]!];
  const values = operator === '><' ? raw.split(',') : [raw];
  if (operator === '><' && values.length !== 2) return `${field}=><,… takes two values`;
  const read = (value: string): number =>
    field === 'timeStamp'
      ? /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(value.trim())
        ? Date.parse(value.trim())
        : NaN
      : /^-?\d+(\.\d+)?$/.test(value.trim())
        ? Number(value)
        : NaN;
  const bounds = values.map(read);
  if (bounds.some(Number.isNaN))
    return `${field}: ${JSON.stringify(raw)} is not a ${field === 'timeStamp' ? 'date' : 'number'}`;
  const [a, b] = bounds as [number, number];
  return records.filter((record) => {
    const value = read(String(record[field] ?? ''));
    if (Number.isNaN(value)) return false;
    switch (operator) {
      case '>':
        return value > a;
      case '>=':
        return value >= a;
      case '<':
        return value < a;
      case '<=':
        return value <= a;
      case '!=':
        return value !== a;
      case '><':
        return value >= a && value <= b;
      default:
        return value === a;
    }
  });
}

/**
 * `sort=<field>` or `sort=-<field>` over the endpoint's sortable fields; any other field is refused ("Attempting to
 * sort on an unsupported field will result in an error being returned":
 * https://developers.lightspeedhq.com/retail/introduction/pagination/). IDs and times sort as numbers and instants,
 * ties by the first field (the primary ID).
 */
export function sortBy(records: Json[], query: URLSearchParams, sortable: string[]): Json[] | string {
  const sort = query.get('sort');
  if (sort === null) return records;
  const field = sort.replace(/^-/, '');
  if (!sortable.includes(field)) return `sort: ${field} is not sortable here; sort by ${sortable.join(', ')}`;
  const key = (record: Json, name: string): number | string => {
    const value = String(record[name] ?? '');
    if (name === 'timeStamp') return Date.parse(value);
    return /ID$/.test(name) ? Number(value) : value;
  };
  const direction = sort.startsWith('-') ? -1 : 1;
  return [...records].sort((x, y) => {
    const [p, q] = [key(x, field), key(y, field)];
    const order = p < q ? -1 : p > q ? 1 : 0;
    if (order !== 0) return order * direction;
    return Number(key(x, sortable[0]!)) - Number(key(y, sortable[0]!));
  });
}
