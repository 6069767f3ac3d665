import { describe, expect, it } from 'vitest';
import { parseTable, TableError } from '../patchworks/runtime/tables.js';

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
    ['a wrong header', 'company,account\nCO-1,A', 'the first line must be the header "left_value,right_value", not "company,account"'],
    ['a row with three columns', 'left_value,right_value\nCO-1,A\nCO-2,B,C', 'line 3 has 3 columns, expected 2'],
    ['a key mapped twice', 'left_value,right_value\nCO-1,A\nCO-1,B', '"CO-1" is mapped twice (line 2 and line 3); keep one'],
    ['an empty right value', 'left_value,right_value\nCO-1, ', 'line 2: the right value for "CO-1" is empty'],
    ['an unclosed quote', 'left_value,right_value\n"CO-1,A', 'line 2 opens a quote that never closes'],
    ['broken JSON', '{"CO-1": ', 'it looks like JSON but does not parse'],
    ['a JSON value that is not text', '{"CO-1": {"id": 1}}', 'key "CO-1": the value must be text, not object'],
    ['an array', ['CO-1'], 'expected CSV text or a JSON object, got an array'],
  ])('refuses %s, saying where', (_, raw, message) => {
    expect(() => parseTable(raw)).toThrow(TableError);
    expect(() => parseTable(raw)).toThrow(message);
  });
});
