// sparklayer-price-rows: one SparkLayer price list's stored prices (GET /api/v1/price-lists/{slug}/pricing; the
// entry's fields UNVERIFIED: sku, quantity, price), with the price lists read beside them, as the pack's canonical
// price rows; the sample and every table case run again through the built bundle on Node 18.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findNode18, NODE18_PLATFORM_SUPPORTED, runBundle } from '../../patchworks/runner/run-bundle.js';
import type { PatchworksData } from '../../runtime/contract.js';
import { runStep } from '../../runtime/step.js';
import { priceRowSchema } from '../../scripts/price-rows.js';
import { sample } from '../../scripts/sparklayer-price-rows/sample.js';
import { step } from '../../scripts/sparklayer-price-rows/step.js';
import { run } from '../support/run.js';
import { ROOT } from '../support/steps.js';

const LISTS = [
  { slug: 'base-list', name: 'Base Price List', currency_code: 'gbp', source: 'custom' },
  { slug: 'trade-eur', name: 'Trade EUR', currency_code: 'EUR', source: 'integration' },
  { slug: 'no-currency', name: 'No currency', source: 'integration' },
];
const entry = (sku: unknown, quantity: unknown, price: unknown, extra: Record<string, unknown> = {}) => ({
  sku,
  quantity,
  price,
  ...extra,
});
const payload = (records: unknown[], price_list = 'trade-eur', price_lists: unknown[] = LISTS) => ({
  records,
  price_list,
  price_lists,
});
const rows = (records: unknown[], price_list?: string, price_lists?: unknown[]) =>
  run(step, payload(records, price_list, price_lists), { variables: {} }).envelope;
const row = (sku: string, quantity: unknown, price: unknown, price_list = 'trade-eur', currency = 'EUR') => ({
  price_list,
  sku,
  currency,
  quantity,
  price,
  tax_inclusive: false,
  source: 'sparklayer',
});

/** Cases run in-process and again through the built bundle. */
interface Case {
  name: string;
  records: unknown[];
  price_list?: string;
  price_lists?: unknown[];
}
const CASES: Case[] = [
  { name: 'good entries', records: [entry('MUG', 1, '4.50'), entry('MUG', 24, 4.2)] },
  { name: 'decimal traps', records: [entry('TOWEL', 1, '0.10'), entry('TOWEL', 6, 0.1), entry('TOWEL', 12, '1e3')] },
  { name: 'bad entries', records: [entry('', 1, 2), entry('MUG', 0, 2), entry('MUG', 1, -2), entry('JUG', 1, 9)] },
  { name: 'an unknown list', records: [entry('MUG', 1, 4.5)], price_list: 'nope' },
  { name: 'no entries (a 204)', records: [] },
];
const dataFor = (c: Case): PatchworksData => ({
  payload: JSON.stringify(payload(c.records, c.price_list, c.price_lists)),
  variables: {},
  meta: {},
});

describe('sparklayer-price-rows', () => {
  it("gives one row per entry: the slug, the list's currency (upper case), the break and price as given, net", () => {
    const envelope = rows([entry('JUG', 1, '9.00'), entry('MUG', 1, 4.5), entry('MUG', '24', '4.20')]);
    expect(envelope.records).toEqual([row('JUG', 1, '9.00'), row('MUG', 1, 4.5), row('MUG', '24', '4.20')]);
    expect(envelope.exceptions).toEqual([]);
    for (const record of envelope.records) expect(priceRowSchema.safeParse(record).success).toBe(true);
    // The lists are read here only; the slug rides on.
    expect(envelope).not.toHaveProperty('price_lists');
    expect(rows([entry('MUG', 1, 4.5)], 'base-list').records).toEqual([row('MUG', 1, 4.5, 'base-list', 'GBP')]);
  });

  it.each([
    ['"0.10" stays that text', '0.10', '0.10'],
    ['0.1 stays that number', 0.1, 0.1],
    ['"10.40" keeps its trailing zero', '10.40', '10.40'],
    ['a long decimal is not rounded', '0.123456789012345', '0.123456789012345'],
    ['0 is a price', 0, 0],
    ['"0.00" is a price', '0.00', '0.00'],
  ])('keeps a price exactly: %s', (_name, price, kept) => {
    expect(rows([entry('MUG', 1, price)]).records).toEqual([row('MUG', 1, kept)]);
  });

  it('reads SparkLayer lists as pages too (`data`), and a trimmed slug', () => {
    const envelope = rows([entry(' MUG ', 1, 4.5)], ' trade-eur ', [{ data: LISTS }]);
    expect(envelope.records).toEqual([row('MUG', 1, 4.5)]);
  });

  it.each([
    ['no SKU', entry(undefined, 1, 4), 'UNREADABLE_PRICE_ROW', /sku is missing/],
    ['a blank SKU', entry('  ', 1, 4), 'UNREADABLE_PRICE_ROW', /sku is "  "/],
    ['a SKU that is a number', entry(123, 1, 4), 'UNREADABLE_PRICE_ROW', /sku is 123/],
    ['a price that is text', entry('MUG', 1, 'n/a'), 'INVALID_PRICE', /price is "n\/a", not a decimal/],
    ['a negative price', entry('MUG', 1, -1), 'INVALID_PRICE', /price is -1/],
    ['a negative price as text', entry('MUG', 1, '-1.00'), 'INVALID_PRICE', /price is "-1.00"/],
    ['an exponent', entry('MUG', 1, '1e3'), 'INVALID_PRICE', /price is "1e3"/],
    ['a thousands separator', entry('MUG', 1, '1,000.00'), 'INVALID_PRICE', /price is "1,000.00"/],
    ['no price', entry('MUG', 1, undefined), 'INVALID_PRICE', /price is missing/],
    ['a price too large', entry('MUG', 1, 2e9), 'INVALID_PRICE', /price is 2000000000/],
    ['a break of 0', entry('MUG', 0, 4), 'INVALID_PRICE_BREAK', /quantity is 0/],
    ['a break of 2.5', entry('MUG', 2.5, 4), 'INVALID_PRICE_BREAK', /quantity is 2.5/],
    ['a break as text "1.5"', entry('MUG', '1.5', 4), 'INVALID_PRICE_BREAK', /quantity is "1.5"/],
    ['no break', entry('MUG', undefined, 4), 'INVALID_PRICE_BREAK', /quantity is missing/],
  ])('keeps an entry with %s whole as an exception; the others go on', (_name, bad, code, message) => {
    const envelope = rows([bad, entry('JUG', 1, '9.00')]);
    expect(envelope.records).toEqual([row('JUG', 1, '9.00')]);
    expect(envelope.exceptions).toHaveLength(1);
    expect(envelope.exceptions[0]).toMatchObject({ code, message: expect.stringMatching(message) });
    expect(envelope.exceptions[0]!.record).toEqual(bad);
    expect(envelope.summary['sparklayer-price-rows']).toMatchObject({ in: 2, records: 1, exceptions: 1 });
  });

  it('owns each code as the siblings do', () => {
    expect(step.exceptionCodes.INVALID_PRICE.owner).toBe('finance');
    expect(step.exceptionCodes.INVALID_PRICE_BREAK.owner).toBe('finance');
    expect(step.exceptionCodes.UNREADABLE_PRICE_ROW.owner).toBe('integration');
    expect(step.exceptionCodes.UNKNOWN_PRICE_LIST.owner).toBe('integration');
  });

  it('makes every entry of a list not among price_lists UNKNOWN_PRICE_LIST, kept whole', () => {
    const records = [entry('MUG', 1, 4.5), entry('JUG', 1, 9)];
    const envelope = rows(records, 'trade-usd');
    expect(envelope.records).toEqual([]);
    expect(envelope.exceptions.map((e) => [e.code, e.record])).toEqual([
      ['UNKNOWN_PRICE_LIST', records[0]],
      ['UNKNOWN_PRICE_LIST', records[1]],
    ]);
    expect(envelope.exceptions[0]!.message).toMatch(/trade-usd is not among the price lists read/);
    expect(rows(records, 'trade-eur', []).exceptions.map((e) => e.code)).toEqual([
      'UNKNOWN_PRICE_LIST',
      'UNKNOWN_PRICE_LIST',
    ]);
  });

  it('makes every entry UNKNOWN_PRICE_LIST when no list is named beside them, never failing the run', () => {
    const envelope = run(step, { records: [entry('MUG', 1, 4.5)] }, { variables: {} }).envelope;
    expect(envelope.exceptions.map((e) => [e.code, e.message])).toEqual([
      ['UNKNOWN_PRICE_LIST', expect.stringMatching(/no price list is named beside the entries/)],
    ]);
  });

  it('makes every entry of a list with no ISO currency_code UNREADABLE_PRICE_ROW', () => {
    const envelope = rows([entry('MUG', 1, 4.5)], 'no-currency');
    expect(envelope.exceptions.map((e) => [e.code, e.message])).toEqual([
      ['UNREADABLE_PRICE_ROW', expect.stringMatching(/no-currency has currency_code missing, not an ISO 4217 code/)],
    ]);
  });

  it('gives no rows for a list with no prices (a 204: no records)', () => {
    const envelope = rows([]);
    expect(envelope.records).toEqual([]);
    expect(envelope.exceptions).toEqual([]);
  });

  it('keeps every entry as UNKNOWN_PRICE_LIST without price_lists beside; fails the run on a blank price_list', () => {
    const codes = (beside: Record<string, unknown>) =>
      run(step, { records: [entry('MUG', 1, 4.5)], ...beside }, { variables: {} }).envelope.exceptions.map(
        (e) => e.code,
      );
    expect(codes({ price_list: 'trade-eur' })).toEqual(['UNKNOWN_PRICE_LIST']);
    expect(() =>
      runStep(step, {
        payload: JSON.stringify({ records: [entry('MUG', 1, 4.5)], price_list: ' ', price_lists: LISTS }),
        variables: {},
      }),
    ).toThrow(/price_list/);
  });

  it('gives the sample its expected answer', () => {
    const { envelope } = run(step, { records: sample.records, ...sample.beside }, { variables: sample.variables });
    expect(envelope.skipped.map(({ id, reason }) => ({ id, reason }))).toEqual(sample.expected.skipped);
    expect(envelope.exceptions.map(({ id, code }) => ({ id, code }))).toEqual(sample.expected.exceptions);
    expect(envelope.records).toEqual([
      row('JUG-STONE-1L', 1, '9.00', 'trade-gbp', 'GBP'),
      row('MUG-ENAMEL-WHT', 1, 4.5, 'trade-gbp', 'GBP'),
      row('MUG-ENAMEL-WHT', 24, 4.2, 'trade-gbp', 'GBP'),
      row('TOWEL-LINEN-NAT', 1, '0.10', 'trade-gbp', 'GBP'),
    ]);
  });

  const node18 = findNode18(ROOT);
  const skipNode18 = 'missing' in node18 && !NODE18_PLATFORM_SUPPORTED;
  it.skipIf(skipNode18)(
    `the sample and every table case give the same answer from the built bundle on Node 18 (${CASES.length} cases)`,
    async () => {
      if ('missing' in node18) throw new Error(node18.missing);
      const bundle = path.join(ROOT, 'dist', 'scripts', 'sparklayer-price-rows.js');
      const sampleData: PatchworksData = {
        payload: JSON.stringify({ records: sample.records, ...sample.beside }),
        variables: sample.variables,
        meta: {},
      };
      for (const [name, data] of [
        ['sample', sampleData] as const,
        ...CASES.map((c) => [c.name, dataFor(c)] as const),
      ]) {
        const result = await runBundle(node18.path, bundle, data);
        expect(result.node, name).toMatch(/^v18\./);
        expect(result.error, name).toBeUndefined();
        expect(result.result, name).toEqual(runStep(step, structuredClone(data)));
      }
    },
    120_000,
  );
});
