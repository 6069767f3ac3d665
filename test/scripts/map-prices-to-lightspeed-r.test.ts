/**
 * map-prices-to-lightspeed-r: canonical price rows into R-Series Item PUT bodies, table cases, and the same cases
 * through the built bundle on Node 18 (the file Patchworks runs), which must answer exactly as in-process.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findNode18, NODE18_PLATFORM_SUPPORTED, runBundle } from '../../patchworks/runner/run-bundle.js';
import type { PatchworksData } from '../../runtime/contract.js';
import { runStep } from '../../runtime/step.js';
import { tableCsv } from '../../runtime/tables.js';
import { sample } from '../../scripts/map-prices-to-lightspeed-r/sample.js';
import { step, type ItemPriceUpdate } from '../../scripts/map-prices-to-lightspeed-r/step.js';
import { run } from '../support/run.js';
import { ROOT } from '../support/steps.js';

type Row = Record<string, unknown>;
const row = (sku: string, price: unknown, extra: Row = {}): Row => ({
  price_list: 'trade',
  sku,
  currency: 'GBP',
  quantity: 1,
  price,
  ...extra,
});
const ip = (amount: string, useTypeID: string, useType: string) => ({ amount, useTypeID, useType });
const LEVELS = [
  { priceLevelID: '1', name: 'Default', archived: 'false' },
  { priceLevelID: '3', name: 'Online', archived: 'false' },
  { priceLevelID: '4', name: 'Wholesale', archived: 'false' },
  { priceLevelID: '6', name: 'Old trade', archived: 'true' },
];
const ITEMS = [
  {
    itemID: '41',
    customSku: 'MUG',
    systemSku: '210000000041',
    archived: 'false',
    Prices: { ItemPrice: [ip('4.50', '1', 'Default'), ip('0', '2', 'MSRP'), ip('4.50', '3', 'Online')] },
  },
  // One ItemPrice sent as an object; no Wholesale price yet.
  { itemID: '42', customSku: 'JUG', archived: 'false', Prices: { ItemPrice: ip('9', '1', 'Default') } },
  { itemID: '43', customSku: 'GONE', archived: 'true', Prices: '' },
  { itemID: '44', customSku: 'TWIN', archived: 'false', Prices: '' },
  { itemID: '45', customSku: 'TWIN', archived: 'false', Prices: '' },
  { itemID: '46', customSku: 'BROKEN', archived: 'false', Prices: { ItemPrice: ip('12,00', '1', 'Default') } },
];
const VARIABLES = {
  list_to_price_level: tableCsv(['trade,wholesale', 'web,Online', 'old,Old trade', 'missing,Staff']),
  store_currency: 'gbp',
  as_of: '2026-12-08T09:00:00Z',
};

interface Case {
  name: string;
  records: Row[];
  items?: unknown[];
  /** Bodies as `itemID: useTypeID=amount,…` (every level sent). */
  bodies: string[];
  skipped?: string[];
  exceptions?: string[];
  unchanged?: number;
}

const CASES: Case[] = [
  {
    name: 'a new level price: the body carries every level of the item, the new one added',
    records: [row('MUG', '3.95')],
    bodies: ['41: 1=4.50,2=0,3=4.50,4=3.95'],
  },
  {
    name: 'two lists on one item make one body, carried by the first record',
    records: [row('MUG', '3.95'), row('MUG', '4.75', { price_list: 'web' })],
    bodies: ['41: 1=4.50,2=0,3=4.75,4=3.95'],
  },
  {
    name: 'a price as the item has it is unchanged (4.5 = "4.50"), counted',
    records: [row('MUG', 4.5, { price_list: 'web' }), row('JUG', '7.10')],
    bodies: ['42: 1=9,4=7.10'],
    skipped: ['MUG@web=unchanged'],
    unchanged: 1,
  },
  {
    name: 'decimal traps: text kept exactly, never through a float (0.1 + 0.2 is no sum here)',
    records: [row('MUG', '0.30'), row('JUG', 0.1)],
    bodies: ['41: 1=4.50,2=0,3=4.50,4=0.30', '42: 1=9,4=0.1'],
  },
  {
    name: 'text with an exponent or a sign is INVALID_PRICE; a tiny number is sent as its plain decimal',
    records: [row('MUG', '1e1'), row('MUG', '+5', { price_list: 'web' }), row('JUG', 1e-7)],
    bodies: ['42: 1=9,4=0.0000001'],
    exceptions: ['MUG@trade=INVALID_PRICE', 'MUG@web=INVALID_PRICE'],
  },
  {
    name: 'invalid prices: a comma, a negative, too large; each its own exception, others still sent',
    records: [row('MUG', '12,00'), row('MUG', '-1', { price_list: 'web' }), row('JUG', '1000000001'), row('JUG', '2')],
    bodies: ['42: 1=9,4=2'],
    exceptions: ['MUG@trade=INVALID_PRICE', 'MUG@web=INVALID_PRICE', 'JUG@trade=INVALID_PRICE'],
  },
  {
    name: 'a break above 1 is PRICE_BREAK_NOT_SUPPORTED; its base price is still sent',
    records: [row('MUG', '3.95'), row('MUG', '3.50', { quantity: '24' })],
    bodies: ['41: 1=4.50,2=0,3=4.50,4=3.95'],
    exceptions: ['MUG@trade=PRICE_BREAK_NOT_SUPPORTED'],
  },
  {
    name: 'a quantity that is not a whole number from 1 is INVALID_PRICE_BREAK',
    records: [row('MUG', '3.95', { quantity: '1.5' }), row('MUG', '3.95', { quantity: 0 })],
    bodies: [],
    exceptions: ['MUG@trade=INVALID_PRICE_BREAK', 'MUG@trade=INVALID_PRICE_BREAK'],
  },
  {
    name: "another currency than the store's is LIST_CURRENCY_MISMATCH",
    records: [row('MUG', '3.95', { currency: 'EUR' })],
    bodies: [],
    exceptions: ['MUG@trade=LIST_CURRENCY_MISMATCH'],
  },
  {
    name: 'a level R-Series does not have, or only archived, is UNKNOWN_PRICE_LEVEL',
    records: [row('MUG', '3.95', { price_list: 'missing' }), row('MUG', '3.95', { price_list: 'old' })],
    bodies: [],
    exceptions: ['MUG@missing=UNKNOWN_PRICE_LEVEL', 'MUG@old=UNKNOWN_PRICE_LEVEL'],
  },
  {
    name: 'a SKU with no live item is UNKNOWN_SKU (archived too); two live items AMBIGUOUS_SKU',
    records: [row('NOPE', '1'), row('GONE', '1'), row('TWIN', '1')],
    bodies: [],
    exceptions: ['NOPE@trade=UNKNOWN_SKU', 'GONE@trade=UNKNOWN_SKU', 'TWIN@trade=AMBIGUOUS_SKU'],
  },
  {
    name: 'an item whose Prices cannot be read is UNREADABLE_ITEM (its levels could not be sent whole)',
    records: [row('BROKEN', '1')],
    bodies: [],
    exceptions: ['BROKEN@trade=UNREADABLE_ITEM'],
  },
  {
    name: "one ERP account's price is CUSTOMER_PRICE_NOT_SUPPORTED",
    records: [row('MUG', '3.95', { erp_account: '1104' })],
    bodies: [],
    exceptions: ['MUG@trade=CUSTOMER_PRICE_NOT_SUPPORTED'],
  },
  {
    name: 'two different prices for one item and level are both CONFLICTING_PRICE; the same price twice is one',
    records: [row('MUG', '3.95'), row('MUG', '3.96'), row('JUG', '2.00'), row('JUG', '2')],
    bodies: ['42: 1=9,4=2.00'],
    exceptions: ['MUG@trade=CONFLICTING_PRICE', 'MUG@trade=CONFLICTING_PRICE'],
  },
  {
    name: 'rows not valid on as_of are skipped; a list not mapped is skipped',
    records: [
      row('MUG', '3.00', { valid_from: '2027-01-01' }),
      row('MUG', '3.10', { valid_to: '2026-12-07' }),
      row('MUG', '3.20', { valid_to: '2026-12-08' }),
      row('MUG', '1', { price_list: 'retail' }),
    ],
    bodies: ['41: 1=4.50,2=0,3=4.50,4=3.20'],
    skipped: ['MUG@trade=not-yet-valid', 'MUG@trade=expired', 'MUG@retail=unmapped-list'],
  },
  {
    name: 'items given as GET Item.json page answers are read as their records',
    records: [row('MUG', '3.95')],
    items: [{ '@attributes': { next: '', previous: '' }, Item: ITEMS[0] }],
    bodies: ['41: 1=4.50,2=0,3=4.50,4=3.95'],
  },
];

const dataFor = (c: Case): PatchworksData => ({
  payload: JSON.stringify({ records: c.records, price_levels: LEVELS, items: c.items ?? ITEMS }),
  variables: VARIABLES,
});

describe('map-prices-to-lightspeed-r', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const data = runStep(step, dataFor(c));
    const envelope = JSON.parse(data.payload!) as {
      records: ItemPriceUpdate[];
      skipped: Array<{ id: string; reason: string }>;
      exceptions: Array<{ id: string; code: string; record: unknown }>;
    };
    expect(
      envelope.records.map(
        (u) => `${u.itemID}: ${u.body.Prices.ItemPrice.map((p) => `${p.useTypeID}=${p.amount}`).join(',')}`,
      ),
    ).toEqual(c.bodies);
    expect(envelope.skipped.map((s) => `${s.id}=${s.reason}`)).toEqual(c.skipped ?? []);
    expect(envelope.exceptions.map((e) => `${e.id}=${e.code}`)).toEqual(c.exceptions ?? []);
    // Each exception keeps its record whole.
    for (const exception of envelope.exceptions) expect(c.records).toContainEqual(exception.record);
    expect(data.meta?.map_prices_to_lightspeed_r_unchanged).toBe(String(c.unchanged ?? 0));
  });

  it('names the levels changed, from and to, and the useType as the level is named', () => {
    const { envelope } = run(
      step,
      { records: [row('MUG', '4.75', { price_list: 'web' })], price_levels: LEVELS, items: ITEMS },
      { variables: VARIABLES },
    );
    expect(envelope.records).toEqual([
      {
        itemID: '41',
        sku: 'MUG',
        body: { Prices: { ItemPrice: [ip('4.50', '1', 'Default'), ip('0', '2', 'MSRP'), ip('4.75', '3', 'Online')] } },
        changed: [{ useTypeID: '3', useType: 'Online', from: '4.50', to: '4.75' }],
      },
    ]);
  });

  it('refuses a map that feeds one level from two lists', () => {
    expect(() =>
      run(
        step,
        { records: [], price_levels: LEVELS, items: ITEMS },
        {
          variables: { ...VARIABLES, list_to_price_level: tableCsv(['trade,Online', 'web,online']) },
        },
      ),
    ).toThrow(/both feed price level/);
  });

  it('runs its sample as it says', () => {
    const { envelope } = run(step, { records: sample.records, ...sample.beside }, { variables: sample.variables });
    expect(envelope.skipped.map((s) => ({ id: s.id, reason: s.reason }))).toEqual(sample.expected.skipped);
    expect(envelope.exceptions.map((e) => ({ id: e.id, code: e.code }))).toEqual(sample.expected.exceptions);
    expect(envelope.records).toHaveLength(1);
  });

  const node18 = findNode18(ROOT);
  const skipNode18 = 'missing' in node18 && !NODE18_PLATFORM_SUPPORTED;
  it.skipIf(skipNode18)(
    `the sample and every table case give the same answer from the built bundle on Node 18 (${CASES.length + 1} runs)`,
    async () => {
      if ('missing' in node18) throw new Error(node18.missing);
      const bundle = path.join(ROOT, 'dist', 'scripts', 'map-prices-to-lightspeed-r.js');
      const runs: Array<[string, PatchworksData]> = [
        [
          'sample',
          { payload: JSON.stringify({ records: sample.records, ...sample.beside }), variables: sample.variables },
        ],
        ...CASES.map((c): [string, PatchworksData] => [c.name, dataFor(c)]),
      ];
      for (const [name, data] of runs) {
        const result = await runBundle(node18.path, bundle, data);
        expect(result.node, name).toMatch(/^v18\./);
        expect(result.error, name).toBeUndefined();
        expect(result.result, name).toEqual(runStep(step, data));
      }
    },
    120_000,
  );
});
