// lightspeed-r-stock-query: the ItemShops.timeStamp search of the R-Series stock flow's item read, from the items kept.
import { describe, expect, it } from 'vitest';
import { step } from '../../scripts/lightspeed-r-stock-query/step.js';
import { run } from '../support/run.js';

const withShops = (...timeStamps: unknown[]) => ({
  itemID: '41',
  ItemShops: { ItemShop: timeStamps.map((timeStamp, n) => ({ itemID: '41', shopID: String(n), timeStamp })) },
});

describe('lightspeed-r-stock-query', () => {
  it.each([
    ['nothing kept (the first run, or a cache cleared): no search, every item', [], ''],
    [
      'the latest ItemShop timeStamp kept, as R-Series wrote it',
      [withShops('2025-06-18T18:30:09+00:00', '2026-11-21T10:20:40+00:00')],
      '>=,2026-11-21T10:20:40+00:00',
    ],
    [
      'instants compared, not text: +01:00 is earlier here',
      [withShops('2026-11-21T10:30:00+01:00', '2026-11-21T09:45:00+00:00')],
      '>=,2026-11-21T09:45:00+00:00',
    ],
    [
      'one ItemShop as an object, across items',
      [
        withShops('2026-01-01T00:00:00+00:00'),
        { itemID: '42', ItemShops: { ItemShop: { shopID: '1', timeStamp: '2026-02-01T00:00:00+00:00' } } },
      ],
      '>=,2026-02-01T00:00:00+00:00',
    ],
    [
      'items with no ItemShops or no timeStamp: no search',
      [{ itemID: '60', ItemShops: { ItemShop: [] } }, withShops('', undefined)],
      '',
    ],
  ])('%s', (_what, items, search) => {
    const { envelope } = run(step, { records: items });
    expect((envelope as unknown as { item_shops_time_stamp: string }).item_shops_time_stamp).toBe(search);
    expect(envelope.records).toEqual([]);
    expect(envelope.exceptions).toEqual([]);
  });
});
