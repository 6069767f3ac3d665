/**
 * map-prices-to-lightspeed-x: canonical price rows to X-Series price book product writes and books to create, rule by
 * rule; the sample, and every table case, run again through the built bundle on Node 18 (the file Patchworks runs),
 * which must answer exactly as in-process.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findNode18, NODE18_PLATFORM_SUPPORTED, runBundle } from '../../patchworks/runner/run-bundle.js';
import type { PatchworksData } from '../../runtime/contract.js';
import { runStep } from '../../runtime/step.js';
import { tableCsv } from '../../runtime/tables.js';
import { sample } from '../../scripts/map-prices-to-lightspeed-x/sample.js';
import { step, type PriceBookProductsWrite } from '../../scripts/map-prices-to-lightspeed-x/step.js';
import { ROOT } from '../support/steps.js';

type Row = Record<string, unknown>;
const TRADE = 'dc85058a-a683-11e4-ef46-e1535cf1ebe5';
const VIP = 'dc85058a-a683-11e5-e112-46b9bd1f069e';
const TAX = '0242ac12-0002-11e9-e8c4-6594948eac5c';
const NEW_TAX = '00000000-0002-0002-0002-000000000003';
const price = (sku: string, quantity: unknown, amount: unknown, extra: Row = {}): Row => ({
  price_list: 'trade',
  sku,
  currency: 'GBP',
  quantity,
  price: amount,
  ...extra,
});
const product = (sku: string, extra: Row = {}): Row => ({ id: `p-${sku}`, sku, version: 1, ...extra });
const held = (sku: string, amount: number, min_units: unknown, extra: Row = {}): Row => ({
  id: `pbp-${sku}-${String(min_units)}`,
  price_book_id: TRADE,
  product_id: `p-${sku}`,
  price: amount,
  min_units,
  tax_id: TAX,
  version: 1,
  ...extra,
});

const BESIDE = {
  price_books: [{ data: [{ id: TRADE, name: 'Trade', version: 7 }] }],
  products: [
    {
      data: [
        product('MUG'),
        product('TOWEL'),
        product('GONE', { deleted_at: '2026-01-01T00:00:00+00:00' }),
        product('FAMILY', { has_variants: true }),
        product('TWIN', { id: 'p-twin-1' }),
        product('twin', { id: 'p-twin-2' }),
      ],
    },
  ],
  price_book_products: [{ data: [held('MUG', 4.5, null), held('MUG', 4.2, 24)] }],
  customer_groups: [{ data: [{ id: VIP, name: 'VIP', version: 1 }] }],
};
const VARIABLES = {
  list_to_price_book: tableCsv(['trade,TRADE', 'contract,Contract 2027']),
  price_book_customer_groups: tableCsv(['trade,VIP', 'contract,vip']),
  store_currency: 'GBP',
  tax_id: NEW_TAX,
  as_of: '2026-12-08T09:00:00Z',
};

interface Case {
  name: string;
  records: Row[];
  variables?: Record<string, string>;
  beside?: Record<string, unknown>;
  /** Writes as `method product_id[xmin_units]=price,...`. */
  writes: string[];
  skipped?: string[];
  exceptions?: string[];
  unchanged?: number;
  created?: unknown[];
}

const CASES: Case[] = [
  {
    name: 'an unchanged base price writes nothing, counted',
    records: [price('MUG', 1, '4.50')],
    writes: [],
    unchanged: 1,
  },
  {
    name: 'a changed price is a PATCH of the entry (its id and tax_id), a new SKU an add with the tax_id setting',
    records: [price('MUG', 1, '4.40'), price('TOWEL', 1, '12.00')],
    writes: ['patch p-MUG=4.4[pbp-MUG-null,' + TAX + ']', 'add p-TOWEL=12[-,' + NEW_TAX + ']'],
  },
  {
    name: 'breaks become min_units; quantity 1 is sent without; as text too',
    records: [price('TOWEL', 1, 12), price('TOWEL', '6', '11.50'), price('TOWEL', 24, '10.995')],
    writes: ['add p-TOWEL=12, p-TOWELx6=11.5, p-TOWELx24=10.995'],
  },
  {
    name: 'a held break matched by min_units: 24 unchanged, 48 new',
    records: [price('MUG', 24, '4.2'), price('MUG', 48, '3.9')],
    writes: ['add p-MUGx48=3.9[-,' + NEW_TAX + ']'],
    unchanged: 1,
  },
  {
    name: 'decimal, never float: 0.1 + 0.2 style prices compared and sent exactly',
    records: [price('MUG', 1, '0.3'), price('TOWEL', 1, 0.30000000000000004)],
    beside: { ...BESIDE, price_book_products: [{ data: [held('MUG', 0.1 + 0.2, null)] }] },
    writes: ['patch p-MUG=0.3[pbp-MUG-null,' + TAX + ']', 'add p-TOWEL=0.30000000000000004[-,' + NEW_TAX + ']'],
  },
  {
    name: 'a held price of 4.5 is the row 4.500 (decimal equality)',
    records: [price('MUG', 1, '4.500')],
    writes: [],
    unchanged: 1,
  },
  {
    name: 'a deleted held entry is not held: an add',
    records: [price('MUG', 1, '4.50')],
    beside: {
      ...BESIDE,
      price_book_products: [{ data: [held('MUG', 4.5, null, { deleted_at: '2026-01-01T00:00:00+00:00' })] }],
    },
    writes: ['add p-MUG=4.5[-,' + NEW_TAX + ']'],
  },
  {
    name: 'a book X-Series lacks is created for its customer groups (by name, any case); its rows wait',
    records: [price('MUG', 1, '4.00', { price_list: 'contract' }), price('MUG', 6, '3.90', { price_list: 'contract' })],
    writes: [],
    skipped: ['MUG@contract:awaiting-price-book', 'MUG@contract x6:awaiting-price-book'],
    created: [{ name: 'Contract 2027', customer_group_ids: [VIP], outlet_ids: [], restrict_to_platform: '1' }],
  },
  {
    name: 'created with outlet_ids and a platform from the settings',
    records: [price('MUG', 1, '4.00', { price_list: 'contract' })],
    variables: { ...VARIABLES, outlet_ids: 'o-1, o-2', restrict_to_platform: '0' },
    writes: [],
    skipped: ['MUG@contract:awaiting-price-book'],
    created: [
      { name: 'Contract 2027', customer_group_ids: [VIP], outlet_ids: ['o-1', 'o-2'], restrict_to_platform: '0' },
    ],
  },
  {
    name: 'skips an unmapped list, a deleted product, a variant parent, rows not valid at as_of',
    records: [
      price('MUG', 1, '1', { price_list: 'retail' }),
      price('GONE', 1, '1'),
      price('FAMILY', 1, '1'),
      price('TOWEL', 1, '1', { valid_from: '2027-01-01' }),
      price('TOWEL', 1, '2', { valid_to: '2026-12-07' }),
    ],
    writes: [],
    skipped: [
      'MUG@retail:unmapped-price-list',
      'GONE@trade:deleted-product',
      'FAMILY@trade:variant-parent',
      'TOWEL@trade:not-yet-valid',
      'TOWEL@trade:expired',
    ],
  },
  {
    name: 'each bad record is its own exception and never fails the others',
    records: [
      price('NOPE', 1, '1'),
      price('TWIN', 1, '1'),
      price('MUG', 1, '-1'),
      price('MUG', 1, '1e3'),
      price('MUG', 1, '0.12345678901234567890'),
      price('MUG', '2.5', '1'),
      price('MUG', 0, '1'),
      price('MUG', 3, '1', { currency: 'EUR' }),
      price('MUG', 4, '1', { tax_inclusive: true }),
      price('TOWEL', 1, '12'),
    ],
    writes: ['add p-TOWEL=12[-,' + NEW_TAX + ']'],
    exceptions: [
      'NOPE@trade:UNKNOWN_SKU',
      'TWIN@trade:UNKNOWN_SKU',
      'MUG@trade:INVALID_PRICE',
      'MUG@trade:INVALID_PRICE',
      'MUG@trade:INVALID_PRICE',
      'MUG@trade x2.5:INVALID_PRICE_BREAK',
      'MUG@trade x0:INVALID_PRICE_BREAK',
      'MUG@trade x3:LIST_CURRENCY_MISMATCH',
      'MUG@trade x4:TAX_INCLUSIVE_PRICE',
    ],
  },
  {
    name: 'two prices for one SKU, list and quantity conflict (both); the same price twice is one entry',
    records: [price('MUG', 6, '4.00'), price('MUG', 6, '4.10'), price('TOWEL', 1, '12'), price('TOWEL', 1, '12.0')],
    writes: ['add p-TOWEL=12[-,' + NEW_TAX + ']'],
    exceptions: ['MUG@trade x6:CONFLICTING_PRICE', 'MUG@trade x6:CONFLICTING_PRICE'],
  },
  {
    name: 'a customer group X-Series does not have fails its list',
    records: [price('MUG', 1, '9')],
    variables: { ...VARIABLES, price_book_customer_groups: tableCsv(['trade,VIP;Wholesale']) },
    writes: [],
    exceptions: ['MUG@trade:UNKNOWN_CUSTOMER_GROUP'],
  },
  {
    name: 'a missing book with no customer group named, or a name two live books share, is UNKNOWN_PRICE_BOOK',
    records: [price('MUG', 1, '9', { price_list: 'contract' }), price('MUG', 1, '9')],
    variables: { ...VARIABLES, price_book_customer_groups: '' },
    beside: {
      ...BESIDE,
      price_books: [
        {
          data: [
            { id: TRADE, name: 'Trade' },
            { id: 'other', name: 'trade ' },
          ],
        },
      ],
    },
    writes: [],
    exceptions: ['MUG@contract:UNKNOWN_PRICE_BOOK', 'MUG@trade:UNKNOWN_PRICE_BOOK'],
  },
  {
    name: 'a deleted book of the name is no book: created again',
    records: [price('MUG', 1, '9')],
    beside: { ...BESIDE, price_books: [{ data: [{ id: TRADE, name: 'Trade', deleted_at: '2026-01-01' }] }] },
    writes: [],
    skipped: ['MUG@trade:awaiting-price-book'],
    created: [{ name: 'TRADE', customer_group_ids: [VIP], outlet_ids: [], restrict_to_platform: '1' }],
  },
];

function dataFor(c: Case): PatchworksData {
  return {
    payload: JSON.stringify({ records: c.records, ...(c.beside ?? BESIDE) }),
    variables: c.variables ?? VARIABLES,
    meta: {},
  };
}

/** A write as `method product_id[xmin]=price, ...`, with `[id,tax_id]` for a write of one entry. */
function describeWrite(write: PriceBookProductsWrite): string {
  const entries = write.body.data.map(
    (e) => `${e.product_id}${e.min_units === undefined ? '' : `x${e.min_units}`}=${e.price}`,
  );
  const one = write.body.data.length === 1 ? `[${write.body.data[0]!.id ?? '-'},${write.body.data[0]!.tax_id}]` : '';
  return `${write.method} ${entries.join(', ')}${one}`;
}

function check(c: Case, envelope: Record<string, unknown>, meta: Record<string, unknown> | undefined): void {
  const writes = envelope.records as PriceBookProductsWrite[];
  expect(writes.map(describeWrite)).toEqual(c.writes);
  for (const write of writes) expect(write).toMatchObject({ price_book_id: TRADE, price_book_name: 'Trade' });
  const skipped = envelope.skipped as Array<{ id: string; reason: string }>;
  expect(skipped.map((s) => `${s.id}:${s.reason}`)).toEqual(c.skipped ?? []);
  const exceptions = envelope.exceptions as Array<{ id: string; code: string; record: unknown }>;
  expect(exceptions.map((e) => `${e.id}:${e.code}`)).toEqual(c.exceptions ?? []);
  // Each refused record kept whole.
  for (const e of exceptions) expect(c.records).toContainEqual(e.record);
  expect(envelope.price_books_to_create).toEqual(c.created ?? []);
  expect(meta?.map_prices_to_lightspeed_x_unchanged ?? '0').toBe(String(c.unchanged ?? 0));
  for (const read of ['price_books', 'products', 'price_book_products', 'customer_groups'])
    expect(envelope).not.toHaveProperty(read);
}

describe('map-prices-to-lightspeed-x', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const data = runStep(step, dataFor(c));
      check(c, JSON.parse(data.payload!) as Record<string, unknown>, data.meta);
    });
  }

  it('writes at most 100 entries a request, each write carried by the first record it holds', () => {
    const skus = Array.from({ length: 250 }, (_v, i) => `S${i}`);
    const beside = { ...BESIDE, products: [{ data: skus.map((sku) => product(sku)) }] };
    const records = skus.map((sku) => price(sku, 1, '1.00'));
    const data = runStep(step, dataFor({ name: '', records, beside, writes: [] }));
    const envelope = JSON.parse(data.payload!) as { records: PriceBookProductsWrite[] };
    expect(envelope.records.map((w) => w.body.data.length)).toEqual([100, 100, 50]);
    expect(envelope.records.map((w) => w.body.data[0]!.product_id)).toEqual(['p-S0', 'p-S100', 'p-S200']);
  });

  it('fails the step before any record: no list_to_price_book, store_currency or tax_id, a book fed twice', () => {
    const c: Case = { name: '', records: [price('MUG', 1, '1')], writes: [] };
    const without = (key: keyof typeof VARIABLES) => {
      const variables: Record<string, string> = { ...VARIABLES };
      delete variables[key];
      return () => runStep(step, dataFor({ ...c, variables }));
    };
    expect(without('list_to_price_book')).toThrow(/list_to_price_book/);
    expect(without('store_currency')).toThrow(/store_currency/);
    expect(without('tax_id')).toThrow(/tax_id/);
    expect(() =>
      runStep(
        step,
        dataFor({ ...c, variables: { ...VARIABLES, list_to_price_book: tableCsv(['a,Trade', 'b,trade']) } }),
      ),
    ).toThrow(/both feed price book/);
  });

  it('gives the sample its expected answer', () => {
    const data = runStep(step, {
      payload: JSON.stringify({ records: sample.records, ...sample.beside }),
      variables: sample.variables,
      meta: {},
    });
    const envelope = JSON.parse(data.payload!) as {
      records: PriceBookProductsWrite[];
      skipped: Array<{ id: string; reason: string }>;
      exceptions: Array<{ id: string; code: string }>;
      price_books_to_create: unknown[];
    };
    expect(envelope.skipped.map(({ id, reason }) => ({ id, reason }))).toEqual(sample.expected.skipped);
    expect(envelope.exceptions.map(({ id, code }) => ({ id, code }))).toEqual(sample.expected.exceptions);
    expect(envelope.records.map(describeWrite)).toEqual([
      'patch b8ca3a65-0183-11e4-fbb5-9776c5cd0240x24=4.1[pbp-2,0242ac12-0002-11e9-e8c4-6594948eac5c]',
      'add b8ca3a65-0183-11e4-fbb5-9776c5cd0240x48=3.95[-,0242ac12-0002-11e9-e8c4-6594948eac5c]',
    ]);
    expect(envelope.price_books_to_create).toEqual([
      { name: 'Contract 2027', customer_group_ids: [VIP], outlet_ids: [], restrict_to_platform: '1' },
    ]);
    expect(data.meta?.map_prices_to_lightspeed_x_unchanged).toBe('1');
  });

  const node18 = findNode18(ROOT);
  const skipNode18 = 'missing' in node18 && !NODE18_PLATFORM_SUPPORTED;
  it.skipIf(skipNode18)(
    `the sample and every table case give the same answer from the built bundle on Node 18 (${CASES.length} cases)`,
    async () => {
      if ('missing' in node18) throw new Error(node18.missing);
      const bundle = path.join(ROOT, 'dist', 'scripts', 'map-prices-to-lightspeed-x.js');
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
