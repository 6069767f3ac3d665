import { describe, expect, it } from 'vitest';
import { withoutNulls } from '../../runtime/nulls.js';
import { parseTable, placeOf, reject, rekeyTable, TableError } from '../../runtime/tables.js';

describe('lookup tables (pack-contract §3)', () => {
  it('reads a Patchworks cross-reference CSV with CRLF line ends, stray spaces and a blank last line', () => {
    const table = parseTable('left_value,right_value\r\n  CO-1 ,  ACME001\r\nCO-2,BIRCH002  \r\n\r\n');
    expect([...table]).toEqual([
      ['CO-1', 'ACME001'],
      ['CO-2', 'BIRCH002'],
    ]);
  });

  it('reads quoted cells holding commas and quotes, and a header in capitals', () => {
    const table = parseTable('LEFT_VALUE,Right_Value\n"Smith, Jones & Co","A ""quoted"" account"\n');
    expect(table.get('Smith, Jones & Co')).toBe('A "quoted" account');
  });

  it('reads a JSON object, as text or already parsed, trimming keys and values', () => {
    expect([...parseTable('{" CO-1 ": " ACME001 ", "CO-2": 42}')]).toEqual([
      ['CO-1', 'ACME001'],
      ['CO-2', '42'],
    ]);
    expect(parseTable({ 'CO-1': 'ACME001' }).get('CO-1')).toBe('ACME001');
  });

  it.each([
    [
      'a wrong header',
      'company,account\nCO-1,A',
      'the first line must be the header "left_value,right_value", not "company,account"',
    ],
    ['a row with three columns', 'left_value,right_value\nCO-1,A\nCO-2,B,C', 'line 3 has 3 columns, expected 2'],
    [
      'a key mapped twice',
      'left_value,right_value\nCO-1,A\nCO-1,B',
      '"CO-1" is mapped twice (line 2 and line 3); keep one',
    ],
    ['an empty right value', 'left_value,right_value\nCO-1, ', 'line 2: the right value for "CO-1" is empty'],
    ['an unclosed quote', 'left_value,right_value\n"CO-1,A', 'line 2 opens a quote that never closes'],
    ['broken JSON', '{"CO-1": ', 'it looks like JSON but does not parse'],
    ['a JSON value that is not text', '{"CO-1": {"id": 1}}', 'key "CO-1": the value must be text, not object'],
    ['an array', ['CO-1'], 'expected CSV text or a JSON object, got an array'],
    ['a JSON number that is not finite', '{"CO-1": 1e400}', 'key "CO-1": the value for "CO-1" is not a finite number'],
  ])('refuses %s, saying where', (_, raw, message) => {
    expect(() => parseTable(raw)).toThrow(TableError);
    expect(() => parseTable(raw)).toThrow(message);
  });
});

describe('tables keyed by a normalised key', () => {
  const rate = (left: string) => (/^\d+(\.\d+)?$/.test(left) ? String(Number(left)) : reject('not a rate'));

  it('keys each row by its normalised key and reads its value, keeping own keys only', () => {
    const table = rekeyTable(parseTable('left_value,right_value\n20.0,A\n5,B'), rate, (value) => value.toLowerCase());
    expect([...table]).toEqual([
      ['20', 'a'],
      ['5', 'b'],
    ]);
    expect(table.get('constructor')).toBeUndefined();
  });

  it('refuses two rows whose keys normalise to one, naming both lines', () => {
    expect(() => rekeyTable(parseTable('left_value,right_value\n20,A\n5,B\n20.00,C'), rate, (value) => value)).toThrow(
      'line 2 ("20") and line 4 ("20.00") are the same key "20"; keep one',
    );
  });

  it('refuses a row its reader rejects, naming the row and the reason', () => {
    expect(() => rekeyTable(parseTable('left_value,right_value\n20,A\nVAT,B'), rate, (value) => value)).toThrow(
      'line 3: "VAT" → "B": not a rate',
    );
    expect(() => rekeyTable(parseTable('{"20": "A"}'), rate, () => reject('no good'))).toThrow(
      'key "20": "20" → "A": no good',
    );
  });

  it('names the row a key came from, or the key where the table was not read from text', () => {
    const table = parseTable('left_value,right_value\nA,1\nB,2');
    expect(placeOf(table, 'B')).toBe('line 3');
    expect(placeOf(new Map([['B', '2']]), 'B')).toBe('key "B"');
  });
});

describe('null is absent (runtime/nulls.ts)', () => {
  it('leaves out every null-valued field at any depth, keeping nulls inside arrays as they are', () => {
    expect(withoutNulls({ a: null, b: { c: null, d: 1 }, e: [null, { f: null }] })).toEqual({
      b: { d: 1 },
      e: [null, {}],
    });
  });

  it('gives back the same object when there is no null to leave out (no copy)', () => {
    const record = { a: 1, b: { c: [1, 'x'] } };
    expect(withoutNulls(record)).toBe(record);
  });

  it('keeps a key named __proto__ an own key, never the prototype', () => {
    const record = JSON.parse('{"__proto__": {"polluted": true}, "x": null}') as Record<string, unknown>;
    const view = withoutNulls(record);
    expect(Object.hasOwn(view, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(view)).toBe(Object.prototype);
    expect((view as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('stops at a depth no step reads, so a deeply nested record cannot exhaust the stack', () => {
    let deep: unknown = { x: null };
    for (let i = 0; i < 100_000; i += 1) deep = { nested: deep };
    expect(() => withoutNulls(deep)).not.toThrow();
  });
});
