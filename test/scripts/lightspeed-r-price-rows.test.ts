// lightspeed-r-price-rows: R-Series items, in the forms R-Series sends them, as the pack's canonical price rows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { step } from '../../scripts/lightspeed-r-price-rows/step.js';
import { step as stockLevels } from '../../scripts/lightspeed-r-stock-levels/step.js';
import { tableCsv } from '../../runtime/tables.js';
import { run } from '../support/run.js';

const price = (amount: unknown, useTypeID: unknown, useType?: string) => ({ amount, useTypeID, useType });
const item = (itemID: string, extra: Record<string, unknown> = {}) => ({
  itemID,
  systemSku: `2100000000${itemID}`,
  customSku: `SKU-${itemID}`,
  archived: 'false',
  itemType: 'default',
  itemMatrixID: '0',
  ...extra,
});
const VARIABLES = { price_level_map: tableCsv(['1,trade', 'Online,web']), store_currency: 'gbp' };
const prices = (records: unknown[], variables: Record<string, string> = VARIABLES) => run(step, records, { variables });
const row = (price_list: string, sku: string, price: string | number) => ({
  price_list,
  sku,
  currency: 'GBP',
  quantity: 1,
  price,
  source: 'lightspeed-r',
});

describe('lightspeed-r-price-rows', () => {
  it('gives one row per mapped level (by useTypeID or by name, any case), at quantity 1; others not published', () => {
    const levels = [price('4.50', '1', 'Default'), price('6', '2', 'MSRP'), price('4.75', '3', 'ONLINE')];
    const { envelope } = prices([item('41', { Prices: { ItemPrice: levels } })]);
    expect(envelope.records).toEqual([row('trade', 'SKU-41', '4.50'), row('web', 'SKU-41', '4.75')]);
    // One item in, one item passed, however many rows it gives.
    expect(envelope.summary['lightspeed-r-price-rows']).toMatchObject({ in: 1, records: 1, skipped: 0, exceptions: 0 });
  });

  it('keeps amounts exactly as they came: "4.50" stays "4.50", a number stays a number', () => {
    const { envelope } = prices([
      item('41', { Prices: { ItemPrice: [price('4.50', '1', 'Default'), price('0.10', '3', 'Online')] } }),
      item('42', { Prices: [price(12.5, 1, 'Default')] }),
    ]);
    expect(envelope.records.map((r) => (r as { price: unknown }).price)).toEqual(['4.50', '0.10', 12.5]);
  });

  it('prefers the useTypeID row over the name row for the same level', () => {
    const variables = { ...VARIABLES, price_level_map: tableCsv(['1,trade', 'default,retail']) };
    const { envelope } = prices([item('41', { Prices: { ItemPrice: price('4.50', '1', 'Default') } })], variables);
    expect(envelope.records).toEqual([row('trade', 'SKU-41', '4.50')]);
  });

  it('takes the SKU as the stock reader does: customSku, then systemSku, upc, ean, manufacturerSku', () => {
    const levels = { ItemPrice: price('5', '1', 'Default') };
    const blank = { customSku: '', systemSku: '', upc: '   ', ean: '' };
    const items = [
      item('41', { Prices: levels }),
      item('42', { customSku: '', Prices: levels }),
      item('43', { ...blank, manufacturerSku: 'MFR-43', Prices: levels }),
      item('44', { ...blank, ean: '5012345678900', manufacturerSku: 'MFR-44', Prices: levels }),
    ];
    const skus = prices(items).envelope.records.map((r) => (r as { sku: string }).sku);
    expect(skus).toEqual(['SKU-41', '210000000042', 'MFR-43', '5012345678900']);
    // The same SKUs as the stock levels of those items: a price and its stock are one SparkLayer product.
    const stocked = items.map((i) => ({ ...i, ItemShops: { ItemShop: { itemID: i.itemID, shopID: '1', qoh: '1' } } }));
    const stock = run(stockLevels, stocked).envelope.records.map((r) => (r as { sku: string }).sku);
    expect(stock).toEqual(skus);
  });

  it('skips an archived item, an item with only 0 on its mapped levels, and one with no mapped level', () => {
    const { envelope } = prices([
      item('43', { archived: 'true', Prices: { ItemPrice: price('400', '1', 'Default') } }),
      item('133', {
        itemMatrixID: '20',
        Prices: { ItemPrice: [price('0', '1', 'Default'), price('0', '5', 'Online')] },
      }),
      item('45', { Prices: { ItemPrice: [price('7', '2', 'MSRP')] } }),
      item('46', { Prices: '' }),
    ]);
    expect(envelope.records).toEqual([]);
    expect(envelope.skipped.map(({ id, reason }) => ({ id, reason }))).toEqual([
      { id: 'SKU-43', reason: 'archived' },
      { id: 'SKU-133', reason: 'zero-price' },
      { id: 'SKU-45', reason: 'no-mapped-level' },
      { id: 'SKU-46', reason: 'no-mapped-level' },
    ]);
  });

  it('leaves a 0 level out but publishes the item’s other mapped levels; a matrix variant is a plain item', () => {
    const levels = [price('0', '1', 'Default'), price('9.99', '3', 'Online')];
    const { envelope } = prices([item('133', { itemMatrixID: '20', Prices: { ItemPrice: levels } })]);
    expect(envelope.records).toEqual([row('web', 'SKU-133', '9.99')]);
  });

  it('keeps an item with a bad amount on a mapped level whole as INVALID_PRICE, naming the field; others pass', () => {
    const bad = item('44', { Prices: { ItemPrice: [price('4.50', '1', 'Default'), price('4,50', '3', 'Online')] } });
    const good = item('41', { Prices: { ItemPrice: price('4.50', '1', 'Default') } });
    // A bad amount on a level not published is not this step's to judge.
    const unmapped = item('42', { Prices: { ItemPrice: [price('5', '1', 'Default'), price('n/a', '2', 'MSRP')] } });
    const { envelope } = prices([bad, good, unmapped, item('47', { Prices: { ItemPrice: price('-1', '1') } })]);
    expect(envelope.records).toEqual([row('trade', 'SKU-41', '4.50'), row('trade', 'SKU-42', '5')]);
    expect(envelope.exceptions.map(({ id, code, message }) => ({ id, code, message }))).toEqual([
      {
        id: 'SKU-44',
        code: 'INVALID_PRICE',
        message: expect.stringMatching(/Item 0 \(itemID 44\).*"Online".*Prices\.ItemPrice\[1\]\.amount is "4,50"/),
      },
      { id: 'SKU-47', code: 'INVALID_PRICE', message: expect.stringMatching(/useTypeID 1.*amount is "-1"/) },
    ]);
    expect(envelope.exceptions[0]!.record).toEqual(bad);
    expect(envelope.summary['lightspeed-r-price-rows']).toMatchObject({ in: 4, records: 2, exceptions: 2 });
  });

  it('reports an item it cannot read (archived flag, useTypeID, Prices) as INVALID_PRICE, naming the field', () => {
    const { envelope } = prices([
      item('43', { archived: 'maybe', Prices: { ItemPrice: price('1', '1') } }),
      item('44', { Prices: { ItemPrice: price('1', 'x') } }),
      item('45', { Prices: 'none' }),
      { itemID: '46', customSku: '', systemSku: '', Prices: { ItemPrice: price('1', '1') } },
    ]);
    expect(envelope.exceptions.map(({ id, message }) => [id, message])).toEqual([
      ['SKU-43', expect.stringMatching(/archived is "maybe"/)],
      ['SKU-44', expect.stringMatching(/Prices\.ItemPrice\[0\]\.useTypeID is "x"/)],
      ['SKU-45', expect.stringMatching(/Prices is "none"/)],
      ['item 46', expect.stringMatching(/no SKU/)],
    ]);
  });

  it('fails the step, before any item, without price_level_map or store_currency, or with a slug fed twice', () => {
    const items = [item('41', { Prices: { ItemPrice: price('1', '1') } })];
    expect(() => prices(items, { store_currency: 'GBP' })).toThrow(/price_level_map/);
    expect(() => prices(items, { price_level_map: VARIABLES.price_level_map })).toThrow(/store_currency/);
    expect(() => prices(items, { ...VARIABLES, store_currency: 'pounds' })).toThrow(/ISO currency code/);
    expect(() => prices(items, { ...VARIABLES, price_level_map: tableCsv(['1,trade', 'Online,trade']) })).toThrow(
      /both feed price list "trade"/,
    );
  });

  it("reads the fixture catalogue's items (GET Item.json?archived=true)", () => {
    const fixture = JSON.parse(readFileSync('fixtures/lightspeed-r/items/list.catalogue.json', 'utf8')) as {
      body: { Item: unknown[] };
    };
    const { envelope } = prices(fixture.body.Item);
    expect(envelope.records).toEqual([
      row('trade', 'MUG-ENAMEL-WHT', '4.50'),
      row('web', 'MUG-ENAMEL-WHT', '4.50'),
      row('trade', 'TOWEL-LINEN-NAT', '5'),
      row('web', 'TOWEL-LINEN-NAT', '5'),
    ]);
    expect(envelope.skipped.map(({ id, reason }) => ({ id, reason }))).toEqual([
      { id: 'JUG-STONE-1L', reason: 'archived' },
      { id: 'TSHIRT-WHT-S', reason: 'zero-price' },
    ]);
    expect(envelope.summary['lightspeed-r-price-rows']).toMatchObject({ in: 4, records: 2, skipped: 2, exceptions: 0 });
  });
});
