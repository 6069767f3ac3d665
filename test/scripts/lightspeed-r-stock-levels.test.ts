// lightspeed-r-stock-levels: R-Series items with their ItemShops, in every form R-Series sends them, as stock levels.
import { describe, expect, it } from 'vitest';
import { step } from '../../scripts/lightspeed-r-stock-levels/step.js';
import { step as stockQuery } from '../../scripts/lightspeed-r-stock-query/step.js';
import { run } from '../support/run.js';

const shop = (itemID: string, shopID: string, qoh: string, sellable = qoh) => ({ itemID, shopID, qoh, sellable });
const item = (itemID: string, extra: Record<string, unknown> = {}) => ({
  itemID,
  systemSku: `2100000000${itemID}`,
  customSku: `SKU-${itemID}`,
  archived: 'false',
  itemType: 'default',
  ...extra,
});

describe('lightspeed-r-stock-levels', () => {
  it('gives one level per shop, sellable as available, the shop 0 summary left out, in shop order', () => {
    const shops = { ItemShop: [shop('41', '0', '126'), shop('41', '2', '-2', '0'), shop('41', '1', '128')] };
    const { envelope } = run(step, [item('41', { ItemShops: shops })]);
    expect(envelope.records).toEqual([
      {
        sku: 'SKU-41',
        location: '1',
        on_hand: '128',
        available: '128',
        product_id: '41',
        source: 'lightspeed-r',
        archived: false,
        has_variants: false,
      },
      {
        sku: 'SKU-41',
        location: '2',
        on_hand: '-2',
        available: '0',
        product_id: '41',
        source: 'lightspeed-r',
        archived: false,
        has_variants: false,
      },
    ]);
    expect(envelope.summary['lightspeed-r-stock-levels']).toMatchObject({ in: 1, records: 1, skipped: 0 });
  });

  it("reads R-Series' quirks: one ItemShop as an object, numbers as numbers, a blank customSku (the systemSku)", () => {
    const { envelope } = run(step, [
      item('42', { ItemShops: { ItemShop: shop('42', '1', '3') } }),
      item('44', { customSku: '', archived: true, ItemShops: [{ itemID: 44, shopID: 1, qoh: 0, sellable: 0 }] }),
    ]);
    expect(envelope.records).toEqual([
      expect.objectContaining({ sku: 'SKU-42', location: '1', on_hand: '3', available: '3', archived: false }),
      expect.objectContaining({ sku: '210000000044', location: '1', on_hand: 0, available: 0, archived: true }),
    ]);
  });

  it('skips an item with no shop stock or not tracked in inventory, naming it by its SKU', () => {
    const { envelope } = run(step, [item('22', { ItemShops: '' }), item('60', { itemType: 'non_inventory' })]);
    expect(envelope.records).toEqual([]);
    expect(envelope.skipped.map(({ id, reason }) => ({ id, reason }))).toEqual([
      { id: 'SKU-22', reason: 'no-shop-stock' },
      { id: 'SKU-60', reason: 'non-inventory' },
    ]);
  });

  it('keeps an unreadable item whole as UNREADABLE_STOCK_ITEM, named by its place in the run; reads the rest', () => {
    const another = item('45', { ItemShops: { ItemShop: shop('99', '1', '2') } });
    const badFlag = item('43', { archived: 'maybe', ItemShops: { ItemShop: shop('43', '1', '2') } });
    const noShopId = { itemID: '46', ItemShops: { ItemShop: { itemID: '46', qoh: '1' } } };
    const good = item('41', { ItemShops: { ItemShop: shop('41', '1', '5') } });
    const { envelope } = run(step, [good, another, badFlag, noShopId]);

    expect(envelope.records).toEqual([expect.objectContaining({ sku: 'SKU-41', location: '1', on_hand: '5' })]);
    expect(envelope.exceptions.map(({ id, code, message }) => ({ id, code, message }))).toEqual([
      {
        id: 'SKU-45',
        code: 'UNREADABLE_STOCK_ITEM',
        message: expect.stringMatching(/^R-Series stock: Item 1 .*item 99's/),
      },
      {
        id: 'SKU-43',
        code: 'UNREADABLE_STOCK_ITEM',
        message: expect.stringMatching(/^R-Series stock: Item 2 .*archived/),
      },
      {
        id: 'item 46',
        code: 'UNREADABLE_STOCK_ITEM',
        message: expect.stringMatching(/^R-Series stock: Item 3 .*shopID/),
      },
    ]);
    // The record is kept whole, for a person to fix and replay.
    expect(envelope.exceptions[1]!.record).toEqual(badFlag);
  });

  it("turns the open sales beside the items into open_orders: the item's SKU, the shop, the units", () => {
    const items = [
      item('41', { ItemShops: { ItemShop: [shop('41', '1', '10'), shop('41', '2', '4')] } }),
      item('42', { ItemShops: { ItemShop: shop('42', '1', '3') } }),
    ];
    const line = (itemID: string, unitQuantity: string, extra: Record<string, unknown> = {}) => ({
      itemID,
      unitQuantity,
      ...extra,
    });
    const open_order_records = [
      // An answer of one sale, its one line an object.
      {
        '@attributes': { next: '' },
        Sale: { saleID: '1', shopID: '1', completed: 'false', SaleLines: { SaleLine: line('41', '3') } },
      },
      {
        saleID: '2',
        shopID: '1',
        completed: 'false',
        SaleLines: {
          SaleLine: [
            line('42', '1', { shopID: '2' }),
            line('41', '2', { isLayaway: 'true' }),
            line('41', '-1'),
            line('99', '5'),
          ],
        },
      },
      { saleID: '3', shopID: '1', completed: 'true', SaleLines: { SaleLine: line('41', '7') } },
      { saleID: '4', shopID: '1', completed: 'false', voided: 'true', SaleLines: { SaleLine: line('41', '7') } },
    ];
    const { envelope } = run(step, { records: items, open_order_records, previous: [] });
    const beside = envelope as unknown as Record<string, unknown>;
    expect(beside.open_orders).toEqual([
      { sku: 'SKU-41', location: '1', quantity: '3' },
      { sku: 'SKU-42', location: '2', quantity: '1' },
    ]);
    // What else rode beside goes on; the sales read does not.
    expect(beside.previous).toEqual([]);
    expect(beside.open_order_records).toBeUndefined();
  });
});

describe('lightspeed-r-stock-levels, keep_records=yes (the stock flow: the kept items, then those read since)', () => {
  const keeping = (items: unknown[], beside: Record<string, unknown> = {}) =>
    run(step, { records: items, ...beside }, { variables: { keep_records: 'yes' } });
  type Kept = { records: Array<Record<string, unknown>> };
  const keptOf = (envelope: unknown) => (envelope as { kept: Kept }).kept;
  /** The search lightspeed-r-stock-query writes from the kept items: where the next read starts. */
  const nextSearch = (kept: Kept) =>
    (run(stockQuery, { records: kept.records }).envelope as unknown as { item_shops_time_stamp: string })
      .item_shops_time_stamp;
  const levels = (envelope: { records: unknown[] }) =>
    envelope.records.map((level) => {
      const { sku, location, on_hand } = level as { sku: string; location: string; on_hand: string };
      return `${sku}@${location} ${on_hand}`;
    });
  const stamped = (itemID: string, shopID: string, qoh: string, timeStamp: string) => ({
    ...shop(itemID, shopID, qoh),
    timeStamp,
  });

  it('lets the later item of an itemID win, laying its ItemShops over the kept ones shop by shop', () => {
    const kept41 = item('41', {
      ItemShops: {
        ItemShop: [
          stamped('41', '0', '126', '2025-06-18T18:30:09+00:00'),
          stamped('41', '1', '120', '2025-06-18T18:30:09+00:00'),
          stamped('41', '2', '6', '2025-06-18T18:30:09+00:00'),
        ],
      },
    });
    const kept42 = item('42', { ItemShops: { ItemShop: stamped('42', '1', '3', '2026-11-21T10:20:40+00:00') } });
    // Read since: only shop 1 and the summary of item 41 (as if R-Series loaded only the ItemShops that matched).
    const read41 = item('41', {
      customSku: 'SKU-41-NEW',
      ItemShops: {
        ItemShop: [
          stamped('41', '0', '116', '2026-11-22T09:10:00+00:00'),
          stamped('41', '1', '110', '2026-11-22T09:10:00+00:00'),
        ],
      },
    });
    const { envelope } = keeping([kept41, kept42, read41]);
    expect(levels(envelope)).toEqual(['SKU-42@1 3', 'SKU-41-NEW@1 110', 'SKU-41-NEW@2 6']);
    expect(envelope.skipped.map((skipped) => [skipped.id, skipped.reason])).toEqual([['SKU-41', 'superseded']]);
    const kept = keptOf(envelope);
    // Only the items: where the next read starts is theirs to say (lightspeed-r-stock-query).
    expect(Object.keys(kept)).toEqual(['records']);
    expect(nextSearch(kept)).toBe('>=,2026-11-22T09:10:00+00:00');
    expect(kept.records.map((record) => record.itemID)).toEqual(['42', '41']);
    expect(kept.records[1]).toEqual({
      itemID: '41',
      systemSku: '210000000041',
      customSku: 'SKU-41-NEW',
      archived: 'false',
      itemType: 'default',
      ItemShops: {
        ItemShop: [
          stamped('41', '0', '116', '2026-11-22T09:10:00+00:00'),
          stamped('41', '1', '110', '2026-11-22T09:10:00+00:00'),
          stamped('41', '2', '6', '2025-06-18T18:30:09+00:00'),
        ],
      },
    });
  });

  it('keeps only the fields it reads, items with no level too, and not an item it cannot name', () => {
    const extra = { description: 'Enamel mug', Prices: { ItemPrice: [] }, defaultCost: '2' };
    const shops = { ItemShop: [{ ...stamped('41', '1', '5', '2026-11-20T00:00:00+00:00'), reorderPoint: '2' }] };
    const { envelope } = keeping([
      item('41', { ...extra, ItemShops: shops }),
      item('60', { itemType: 'non_inventory' }),
      { itemID: 'x', customSku: 'ODD' },
    ]);
    expect(envelope.exceptions.map((exception) => exception.code)).toEqual(['UNREADABLE_STOCK_ITEM']);
    const kept = keptOf(envelope);
    expect(kept.records.map((record) => record.itemID)).toEqual(['41', '60']);
    expect(kept.records[0]!.ItemShops).toEqual({ ItemShop: [stamped('41', '1', '5', '2026-11-20T00:00:00+00:00')] });
    expect(kept.records[1]).toEqual({ ...item('60', { itemType: 'non_inventory' }), ItemShops: { ItemShop: [] } });
  });

  it("reads an open sale's item from the kept set: a sale moves a level whose item was not read again", () => {
    const kept41 = item('41', { ItemShops: { ItemShop: stamped('41', '1', '120', '2025-06-18T18:30:09+00:00') } });
    const sale = {
      saleID: '1',
      shopID: '1',
      completed: 'false',
      SaleLines: { SaleLine: { itemID: '41', unitQuantity: '20' } },
    };
    const { envelope } = keeping([kept41], { open_order_records: [sale] });
    expect((envelope as unknown as { open_orders: unknown }).open_orders).toEqual([
      { sku: 'SKU-41', location: '1', quantity: '20' },
    ]);
    expect(nextSearch(keptOf(envelope))).toBe('>=,2025-06-18T18:30:09+00:00');
  });

  it('with keep_records=no (the stock check) reads every item as given and writes nothing to keep', () => {
    const a = item('41', { ItemShops: { ItemShop: shop('41', '1', '5') } });
    const b = item('41', { ItemShops: { ItemShop: shop('41', '1', '7') } });
    const { envelope } = run(step, [a, b]);
    expect(levels(envelope)).toEqual(['SKU-41@1 5', 'SKU-41@1 7']);
    expect(envelope).not.toHaveProperty('kept');
  });
});
