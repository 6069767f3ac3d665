/**
 * map-prices-to-sparklayer, rule by rule (pack-contract §5): each table runs in-process, and the whole table again
 * through the built bundle on Node 18 (the file Patchworks runs), which must answer exactly as in-process.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findNode18, NODE18_PLATFORM_SUPPORTED, runBundle } from '../../patchworks/runner/run-bundle.js';
import type { PatchworksData } from '../../runtime/contract.js';
import { runStep } from '../../runtime/step.js';
import { step, type PricingEntry } from '../../scripts/map-prices-to-sparklayer/step.js';
import { run } from '../support/run.js';
import { ROOT } from '../support/steps.js';

type Row = Record<string, unknown>;
const price = (sku: string, quantity: unknown, amount: unknown, extra: Row = {}): Row => ({
  price_list: 'trade',
  sku,
  currency: 'GBP',
  quantity,
  price: amount,
  ...extra,
});

interface Case {
  name: string;
  records: Row[];
  variables?: Record<string, string>;
  beside?: Record<string, unknown>;
  /** Entries as `SKU@list=q:price,q:price`. */
  entries: string[];
  skipped?: string[];
  exceptions?: string[];
  unchanged?: number;
  created?: string[];
}

const AS_OF = '2026-12-08T09:00:00Z';
const LISTS = { price_lists: [{ slug: 'trade', currency_code: 'GBP' }] };

const CASES: Case[] = [
  { name: 'a base price alone', records: [price('MUG', 1, '4.50')], entries: ['MUG@trade=1:4.5'] },
  {
    name: 'quantity breaks make one entry, in ascending quantity, whatever order they came in',
    records: [price('MUG', '48', '3.90'), price('MUG', 1, 4.5), price('MUG', 24, '4.20')],
    entries: ['MUG@trade=1:4.5,24:4.2,48:3.9'],
  },
  {
    name: 'a SKU on two lists is two entries',
    records: [price('MUG', 1, '4.50'), price('MUG', 1, '4.10', { price_list: 'vip' })],
    entries: ['MUG@trade=1:4.5', 'MUG@vip=1:4.1'],
  },
  {
    name: 'a customer-specific list is a list like any other',
    records: [price('MUG', 1, '3.95', { price_list: 'customer-1104', erp_account: '1104' })],
    entries: ['MUG@customer-1104=1:3.95'],
  },
  {
    name: 'breaks without a base price are MISSING_BASE_PRICE, every one of them',
    records: [price('JUG', 6, '9.00'), price('JUG', 12, '8.50'), price('MUG', 1, '4.50')],
    entries: ['MUG@trade=1:4.5'],
    exceptions: ['JUG@trade:MISSING_BASE_PRICE', 'JUG@trade:MISSING_BASE_PRICE'],
  },
  {
    name: 'a negative, a non-numeric and an exponent price are INVALID_PRICE and withhold the SKU on that list',
    records: [
      price('A', 1, '-0.01'),
      price('B', 1, 'ten'),
      price('C', 1, '1e3'),
      price('C', 5, '0.90'),
      price('D', 1, '2.00'),
    ],
    entries: ['D@trade=1:2'],
    skipped: ['C@trade:withheld'],
    exceptions: ['A@trade:INVALID_PRICE', 'B@trade:INVALID_PRICE', 'C@trade:INVALID_PRICE'],
  },
  {
    name: 'a price a JSON number cannot carry exactly is refused, not rounded',
    records: [price('A', 1, '4.99999999999999999999'), price('B', 1, '0.0125')],
    entries: ['B@trade=1:0.0125'],
    exceptions: ['A@trade:INVALID_PRICE'],
  },
  {
    name: 'a fractional, zero or textual quantity break is INVALID_PRICE_BREAK',
    records: [price('A', 1.5, '1'), price('B', 0, '1'), price('C', 'one', '1'), price('D', '2', '1'), price('D', 1, 2)],
    entries: ['D@trade=1:2,2:1'],
    exceptions: ['A@trade:INVALID_PRICE_BREAK', 'B@trade:INVALID_PRICE_BREAK', 'C@trade:INVALID_PRICE_BREAK'],
  },
  {
    name: 'a zero price is a price (free samples), published',
    records: [price('SAMPLE', 1, '0')],
    entries: ['SAMPLE@trade=1:0'],
  },
  {
    name: 'the same price twice at one break is one break; two prices at one break conflict',
    records: [price('A', 1, '2.00'), price('A', 1, 2), price('B', 1, '3.00'), price('B', 1, '3.10'), price('B', 5, 2)],
    entries: ['A@trade=1:2'],
    skipped: ['B@trade:withheld'],
    exceptions: ['B@trade:CONFLICTING_PRICE', 'B@trade:CONFLICTING_PRICE'],
  },
  {
    name: 'validity: from and to are inclusive; a date is the whole day; out of it is skipped',
    records: [
      price('A', 1, '1.00', { valid_from: '2026-12-08', valid_to: '2026-12-08' }),
      price('B', 1, '1.00', { valid_to: '2026-12-07' }),
      price('C', 1, '1.00', { valid_from: '2026-12-08T09:00:01Z' }),
      price('D', 1, '1.00', { valid_from: '2026-12-08T09:00:00Z', valid_to: '2026-12-08T09:00:00Z' }),
      // A price change dated today: the new price applies, the old one has ended.
      price('E', 1, '5.00', { valid_to: '2026-12-07' }),
      price('E', 1, '5.25', { valid_from: '2026-12-08' }),
    ],
    entries: ['A@trade=1:1', 'D@trade=1:1', 'E@trade=1:5.25'],
    skipped: ['B@trade:expired', 'C@trade:not-yet-valid', 'E@trade:expired'],
  },
  {
    name: 'a break ending today leaves the base price standing alone',
    records: [price('A', 1, '2.00'), price('A', 10, '1.80', { valid_to: '2026-12-01' })],
    entries: ['A@trade=1:2'],
    skipped: ['A@trade:expired'],
  },
  {
    name: 'unit_map: a pack is priced at price × units, a break from ceil(q / units) packs, the larger break winning',
    variables: { unit_map: JSON.stringify({ 'MUG-CASE12': 'MUG*12' }) },
    records: [price('MUG', 1, '4.50'), price('MUG', 6, '4.40'), price('MUG', 12, '4.30'), price('MUG', 30, '0.1')],
    entries: ['MUG@trade=1:4.5,6:4.4,12:4.3,30:0.1', 'MUG-CASE12@trade=1:51.6,3:1.2'],
  },
  {
    name: 'unit_map naming the back-end SKU itself as a pack publishes only the pack',
    variables: { unit_map: JSON.stringify({ MUG: '*6' }) },
    records: [price('MUG', 1, '0.10')],
    entries: ['MUG@trade=1:0.6'],
  },
  {
    name: 'a SKU refused withholds its packs too',
    variables: { unit_map: JSON.stringify({ 'MUG-CASE12': 'MUG*12' }) },
    records: [price('MUG', 1, '4.50'), price('MUG', 24, 'x')],
    entries: [],
    skipped: ['MUG@trade:withheld'],
    exceptions: ['MUG@trade:INVALID_PRICE'],
  },
  {
    name: 'a list SparkLayer does not have is UNKNOWN_PRICE_LIST (missing_list_action=exception)',
    beside: LISTS,
    records: [price('A', 1, '1.00'), price('A', 1, '1.00', { price_list: 'new-list' })],
    entries: ['A@trade=1:1'],
    exceptions: ['A@new-list:UNKNOWN_PRICE_LIST'],
  },
  {
    name: 'missing_list_action=create: the list is created in its first price\u2019s currency, its prices published',
    beside: LISTS,
    variables: { missing_list_action: 'create' },
    records: [
      price('A', 1, '1.00', { price_list: 'customer-1104', currency: 'eur', erp_account: '1104' }),
      price('B', 1, '1.00', { price_list: 'customer-1104', currency: 'GBP', erp_account: '1104' }),
    ],
    entries: ['A@customer-1104=1:1'],
    exceptions: ['B@customer-1104:LIST_CURRENCY_MISMATCH'],
    created: ['customer-1104:EUR'],
  },
  {
    name: 'a price in another currency than its list is LIST_CURRENCY_MISMATCH (the list\u2019s code in any case)',
    beside: { price_lists: [{ slug: 'trade', currency_code: 'gbp' }] },
    records: [price('A', 1, '1.00', { currency: 'USD' }), price('B', 1, '1.00', { currency: 'gbp' })],
    entries: ['B@trade=1:1'],
    exceptions: ['A@trade:LIST_CURRENCY_MISMATCH'],
  },
  {
    name: 'an entry as last published is left out and counted; a changed one is sent whole',
    beside: {
      previous: [
        {
          sku: 'A',
          price_list_slug: 'trade',
          pricing: [
            { quantity: 1, price: '1.0' },
            { quantity: 5, price: 0.9 },
          ],
        },
        { sku: 'B', price_list_slug: 'trade', pricing: [{ quantity: 1, price: 2 }] },
      ],
    },
    records: [price('A', 5, '0.90'), price('A', 1, '1.00'), price('B', 1, '2.00'), price('B', 10, '1.90')],
    entries: ['B@trade=1:2,10:1.9'],
    unchanged: 1,
  },
  {
    name: 'one bad record never fails the others: a blank SKU is INVALID_RECORD, the rest publish',
    records: [price('', 1, '1.00'), price('A', 1, '1.00'), { sku: 'B', price: '1' }],
    entries: ['A@trade=1:1'],
    exceptions: [':INVALID_RECORD', 'B:INVALID_RECORD'],
  },
];

const dataFor = (c: Case): PatchworksData => ({
  payload: JSON.stringify({ records: c.records, ...c.beside }),
  variables: { as_of: AS_OF, ...c.variables },
});

function check(c: Case, envelope: Record<string, unknown>, meta: Record<string, unknown> | undefined): void {
  const entries = (envelope.records as PricingEntry[]).map((entry) => {
    const breaks = entry.pricing.map(({ quantity, price }) => `${quantity}:${price}`);
    return `${entry.sku}@${entry.price_list_slug}=${breaks.join(',')}`;
  });
  expect(entries, c.name).toEqual(c.entries);
  const skipped = (envelope.skipped as Array<{ id: string; reason: string }>).map((s) => `${s.id}:${s.reason}`);
  expect(skipped, c.name).toEqual(c.skipped ?? []);
  const exceptions = (envelope.exceptions as Array<{ id: string | null; code: string }>).map(
    (e) => `${e.id ?? ''}:${e.code}`,
  );
  expect(exceptions, c.name).toEqual(c.exceptions ?? []);
  expect(meta?.map_prices_to_sparklayer_unchanged, c.name).toBe(String(c.unchanged ?? 0));
  expect(meta?.map_prices_to_sparklayer_rows, c.name).toBe(String(c.entries.length));
  const created = (envelope.price_lists_to_create as Array<{ slug: string; currency_code: string }>).map(
    (list) => `${list.slug}:${list.currency_code}`,
  );
  expect(created, c.name).toEqual(c.created ?? []);
  // Nothing given is lost: every record passed, was skipped or is an exception.
  const summary = (
    envelope.summary as Record<string, { in: number; records: number; skipped: number; exceptions: number }>
  )[step.key]!;
  expect(summary.in, c.name).toBe(summary.records + summary.skipped + summary.exceptions);
}

describe('map-prices-to-sparklayer', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const data = runStep(step, dataFor(c));
      check(c, JSON.parse(data.payload!) as Record<string, unknown>, data.meta);
    });
  }

  it('keeps each exception\u2019s whole record, with its owner', () => {
    const bad = price('A', 1, '-2', { valid_from: '2026-01-01', note: 'kept' });
    const { envelope } = run(step, [bad], { variables: { as_of: AS_OF } });
    expect(envelope.exceptions).toEqual([
      expect.objectContaining({ code: 'INVALID_PRICE', owner: 'finance', record: bad }),
    ]);
    expect(envelope.exceptions[0]!.message).toContain('price is -2, below 0');
  });

  it('writes the list to create with the fields SparkLayer\u2019s create-a-price-list takes', () => {
    const { envelope } = run(
      step,
      {
        records: [price('A', 1, '1.00', { price_list: 'net-eur', currency: 'EUR', tax_inclusive: true })],
        price_lists: [],
      },
      { variables: { as_of: AS_OF, missing_list_action: 'create' } },
    );
    expect((envelope as unknown as { price_lists_to_create: unknown }).price_lists_to_create).toEqual([
      { slug: 'net-eur', name: 'net-eur', currency_code: 'EUR', source: 'integration', tax_inclusive_display: true },
    ]);
  });

  it('writes published: previous with one entry a SKU and list, the last given winning', () => {
    const older = { sku: 'A', price_list_slug: 'trade', pricing: [{ quantity: 1, price: 1 }] };
    const other = { sku: 'B', price_list_slug: 'trade', pricing: [{ quantity: 1, price: 2 }] };
    const newer = { sku: 'A', price_list_slug: 'trade', pricing: [{ quantity: 1, price: 1.1 }] };
    const { envelope, data } = run(
      step,
      { records: [price('A', 1, '1.10'), price('B', 1, '2.50')], previous: [older, other, newer] },
      { variables: { as_of: AS_OF } },
    );
    expect((envelope as unknown as { published: unknown }).published).toEqual([other, newer]);
    // A is as the last entry given says (1.1): unchanged; B moved.
    expect((envelope.records as PricingEntry[]).map((entry) => entry.sku)).toEqual(['B']);
    expect(data.meta?.map_prices_to_sparklayer_unchanged).toBe('1');
  });

  it('with no price_lists beside, lists are not checked', () => {
    const { envelope } = run(step, [price('A', 1, '1.00', { price_list: 'anything' })], {
      variables: { as_of: AS_OF },
    });
    expect(envelope.exceptions).toEqual([]);
    expect(envelope.records).toHaveLength(1);
  });

  it('fails the whole step, naming the place, for malformed previous entries', () => {
    expect(() =>
      run(step, { records: [], previous: [{ sku: 'A', price_list_slug: 'trade', pricing: [{ quantity: 1 }] }] }),
    ).toThrow(/previous\[0\]\.pricing\[0\]\.price/);
  });

  const node18 = findNode18(ROOT);
  const skipNode18 = 'missing' in node18 && !NODE18_PLATFORM_SUPPORTED;
  it.skipIf(skipNode18)(
    `every table case gives the same answer from the built bundle on Node 18 (${CASES.length} cases)`,
    async () => {
      if ('missing' in node18) throw new Error(node18.missing);
      const bundle = path.join(ROOT, 'dist', 'scripts', 'map-prices-to-sparklayer.js');
      for (const c of CASES) {
        const result = await runBundle(node18.path, bundle, dataFor(c));
        expect(result.node, c.name).toMatch(/^v18\./);
        expect(result.error, c.name).toBeUndefined();
        expect(result.result, c.name).toEqual(runStep(step, dataFor(c)));
      }
    },
    120_000,
  );
});
