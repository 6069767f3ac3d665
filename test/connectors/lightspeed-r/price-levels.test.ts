// R-Series price levels and the Item PUT that sets an item's level amounts (listPriceLevels, updateItem), against
// the sandbox fake: wire quirks, the vendor's rules as the fake enforces them, and amounts readable back via GET Item.
import { beforeEach, describe, expect, it } from 'vitest';
import { LightspeedRClient } from '../../../connectors/lightspeed-r/dev/client.js';
import { LightspeedRApiError } from '../../../connectors/lightspeed-r/dev/errors.js';
import {
  inProcessAdapter,
  LightspeedRSandbox,
  sandboxConfig,
  sandboxDataFromFixtures,
} from '../../../connectors/lightspeed-r/dev/sandbox.js';
import { priceLevelListSchema, rawPageSchema } from '../../../connectors/lightspeed-r/schemas.js';
import { loadFixture } from '../../../contracts/fixtures.js';
import { runStep } from '../../../runtime/step.js';
import { tableCsv } from '../../../runtime/tables.js';
import { step, type ItemPriceUpdate } from '../../../scripts/map-prices-to-lightspeed-r/step.js';
import { ROOT } from '../../support/steps.js';

const fixtureData = await sandboxDataFromFixtures(ROOT);
let sandbox: LightspeedRSandbox;
const client = () =>
  new LightspeedRClient(sandboxConfig(), {
    adapter: inProcessAdapter(sandbox),
    now: () => Date.parse('2026-11-22T09:00:00Z'),
    sleep: async () => {},
    random: () => 1,
    log: () => {},
  });
const amounts = (prices: Array<{ useTypeID?: number; amount?: { toFixed: () => string } }> | undefined) =>
  Object.fromEntries((prices ?? []).map((p) => [p.useTypeID, p.amount?.toFixed()]));

beforeEach(() => {
  sandbox = new LightspeedRSandbox(fixtureData, { now: () => Date.parse('2026-11-22T09:00:00Z') });
});

describe('R-Series price levels (listPriceLevels)', () => {
  it('parses the documented sample, R-Series strings normalised', async () => {
    const fixture = await loadFixture(ROOT, 'fixtures/lightspeed-r/price-levels/list.json');
    const parsed = priceLevelListSchema.parse(fixture.body);
    expect(parsed.records).toMatchObject([
      { priceLevelID: 1, name: 'Default', archived: false, canBeArchived: false, type: 'fixed' },
      { priceLevelID: 3, name: 'Online', archived: false },
    ]);
  });

  it('serves the levels in pages; a single level comes as an object and is still read as a list', async () => {
    expect((await client().priceLevels()).map((l) => l.name)).toEqual(['Default', 'Online']);
    sandbox = new LightspeedRSandbox({ ...fixtureData, priceLevels: [fixtureData.priceLevels![0]!] });
    expect((await client().priceLevels()).map((l) => l.priceLevelID)).toEqual([1]);
    expect(sandbox.calls.at(-1)).toMatch(/^GET \/API\/V3\/Account\/12345\/PriceLevel\.json\?limit=100$/);
  });
});

describe('R-Series Item PUT with Prices (updateItem)', () => {
  it('sets the levels sent; the amounts are read back through GET Item', async () => {
    const api = client();
    const [before] = await api.itemsById([41]);
    const updated = await api.updateItem(41, {
      Prices: {
        ItemPrice: [
          { amount: '4.50', useTypeID: '1', useType: 'Default' },
          { amount: '3.95', useTypeID: '3', useType: 'Online' },
        ],
      },
    });
    expect(amounts(updated.Prices)['3']).toBe('3.95');
    const [after] = await api.itemsById([41]);
    expect(amounts(after!.Prices)).toEqual({ ...amounts(before!.Prices), 1: '4.5', 3: '3.95' });
    expect(sandbox.calls).toContain('PUT /API/V3/Account/12345/Item/41.json');
  });

  it('is 404 for an item R-Series does not have', async () => {
    const error = await client()
      .updateItem(999_999, { Prices: { ItemPrice: [{ amount: '1', useTypeID: '1', useType: 'Default' }] } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LightspeedRApiError);
    expect((error as LightspeedRApiError).status).toBe(404);
  });

  it('refuses, whole, a level the account does not have or an amount that is not a decimal', async () => {
    const api = client();
    for (const ItemPrice of [
      [{ amount: '1', useTypeID: '9', useType: 'Staff' }],
      [
        { amount: '2', useTypeID: '1', useType: 'Default' },
        { amount: '12,00', useTypeID: '3', useType: 'Online' },
      ],
    ]) {
      const error = await api.updateItem(41, { Prices: { ItemPrice } }).catch((e: unknown) => e);
      expect((error as LightspeedRApiError).status).toBe(400);
    }
    const [item] = await api.itemsById([41]);
    expect(amounts(item!.Prices)['1']).not.toBe('2');
  });

  it('takes what map-prices-to-lightspeed-r writes, and a second run finds the prices unchanged', async () => {
    const api = client();
    // The items as the flow reads them: raw pages, R-Series' quirks kept.
    const raw = async () => {
      const pages: unknown[] = [];
      for await (const page of api.pages('/Item.json', { archived: 'true' }, rawPageSchema('Item')))
        pages.push(...page);
      return pages;
    };
    const data = async () => ({
      payload: JSON.stringify({
        records: [{ price_list: 'web', sku: 'MUG-ENAMEL-WHT', currency: 'GBP', quantity: 1, price: '3.95' }],
        price_levels: fixtureData.priceLevels,
        items: await raw(),
      }),
      variables: {
        list_to_price_level: tableCsv(['web,Online']),
        store_currency: 'GBP',
        as_of: '2026-12-08T09:00:00Z',
      },
    });
    const first = JSON.parse(runStep(step, await data()).payload!) as { records: ItemPriceUpdate[] };
    expect(first.records).toHaveLength(1);
    const [update] = first.records;
    await api.updateItem(Number(update!.itemID), update!.body);
    const second = JSON.parse(runStep(step, await data()).payload!) as {
      records: ItemPriceUpdate[];
      skipped: Array<{ reason: string }>;
    };
    expect(second.records).toEqual([]);
    expect(second.skipped.map((s) => s.reason)).toEqual(['unchanged']);
  });
});
