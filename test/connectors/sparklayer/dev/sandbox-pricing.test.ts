// POST /api/v1/price-lists (createPriceList) and PATCH /api/v1/batch-update-pricing (updateMultiplePriceListPricing)
// on the fake SparkLayer, through the connection engine on the built Patchworks definition: the rules of
// https://docs.sparklayer.io/developers/api/pricing/create-a-price-list.md (slug, name and currency_code required,
// currency_code ISO 4217, source defaulting to custom, 400 on a slug that exists or a rule naming no list) and
// https://docs.sparklayer.io/developers/api/pricing/update-pricing-for-multiple-price-lists.md (each SKU and list pair
// sent has its prices replaced, 404 when a list does not exist, 400 [{line, field, message}] for validation errors; a
// quantity-1 price required, per update-pricing-by-price-list.md), all or nothing; GET
// /api/v1/price-lists/{slug}/pricing (getPriceListPricingData) reading them back as
// https://docs.sparklayer.io/developers/api/pricing/get-pricing-by-price-list.md says (one entry per SKU and break, ordered by SKU; 204 when none; 404 for no such list; the entry's fields
// UNVERIFIED: {sku, quantity, price}); and what map-prices-to-sparklayer writes for them.
import { describe, expect, it } from 'vitest';
import { SparkLayerApiError } from '../../../../connectors/sparklayer/dev/errors.js';
import { step } from '../../../../scripts/map-prices-to-sparklayer/step.js';
import { sample } from '../../../../scripts/map-prices-to-sparklayer/sample.js';
import { sandboxEngine } from '../../../../patchworks/runner/systems.js';
import { useSparkLayerFake } from '../../../support/sparklayer-fake.js';
import { run } from '../../../support/run.js';
import { ROOT } from '../../../support/steps.js';

const { fake, client } = useSparkLayerFake();

/** Calls an operation of the built SparkLayer connector with this body, letting a 4xx through to be read. */
async function call(operationId: string, body: unknown): Promise<{ status: number; body: unknown; line: string }> {
  const engine = await sandboxEngine(ROOT, async () => undefined);
  const result = await engine.call({
    connector: 'sparklayer',
    operationId,
    variables: {},
    body: JSON.stringify(body),
    retries: 0,
    allowUnsuccessfulStatuses: true,
    timeoutSeconds: 30,
  });
  expect(result.direction).toBe('Send');
  const text = result.pages.join('');
  return { status: result.status, body: text === '' ? undefined : (JSON.parse(text) as unknown), line: result.line };
}

const createList = (list: Record<string, unknown>) => call('createPriceList', list);
const updatePricing = (entries: unknown[]) => call('updateMultiplePriceListPricing', entries);

/** Every stored price as `SKU@list: quantity=price …`, sorted. */
const storedPrices = () =>
  [...fake().prices.entries()]
    .map(([key, breaks]) => {
      const [sku, slug] = key.split('\u0000');
      return `${sku}@${slug}: ${breaks.map((b) => `${b.quantity}=${b.price}`).join(' ')}`;
    })
    .sort();

const NET_EUR = {
  slug: 'net-eur',
  name: 'Net EUR',
  currency_code: 'EUR',
  source: 'integration',
  tax_inclusive_display: false,
};

describe('the createPriceList connection (POST /api/v1/price-lists)', () => {
  it('creates the list, which GET /api/v2/price-lists then lists', async () => {
    const before = (await client().getAllPriceLists()).map((list) => list.slug);
    const answer = await createList(NET_EUR);
    expect(answer).toMatchObject({ status: 200, line: 'POST /api/v1/price-lists', body: NET_EUR });
    const after = await client().getAllPriceLists();
    expect(after.map((list) => list.slug)).toEqual([...before, 'net-eur']);
    expect(after.at(-1)).toMatchObject(NET_EUR);
  });

  it('defaults source to custom, as the docs say', async () => {
    const { slug, name, currency_code } = NET_EUR;
    expect((await createList({ slug, name, currency_code })).body).toMatchObject({ slug, source: 'custom' });
  });

  it('answers 400 to a slug that already exists, and keeps the list as it was', async () => {
    await createList(NET_EUR);
    const answer = await createList({ ...NET_EUR, name: 'Another', currency_code: 'USD' });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ status: 400, detail: expect.stringMatching(/net-eur already exists/) });
    // A fixture list is a duplicate too.
    expect((await createList({ ...NET_EUR, slug: 'trade-gbp' })).status).toBe(400);
    expect(fake().priceLists.filter((list) => list.slug === 'net-eur')).toEqual([NET_EUR]);
  });

  const BAD_LISTS: Array<[string, Record<string, unknown>, string]> = [
    ['no slug', { name: 'Net EUR', currency_code: 'EUR' }, 'slug'],
    ['a blank name', { ...NET_EUR, name: ' ' }, 'name'],
    ['no currency_code', { slug: 'net-eur', name: 'Net EUR' }, 'currency_code'],
    ['a currency_code that is not ISO 4217', { ...NET_EUR, currency_code: 'EURO' }, 'currency_code'],
    ['an unknown source', { ...NET_EUR, source: 'erp' }, 'source'],
    ['a tax_inclusive_display that is text', { ...NET_EUR, tax_inclusive_display: 'no' }, 'tax_inclusive_display'],
    [
      'a rule naming a source list that does not exist',
      { ...NET_EUR, rules: [{ source_price_list_slug: 'no-such-list', adjustment_percentage: 0.1 }] },
      'rules[0].source_price_list_slug',
    ],
  ];

  it.each(BAD_LISTS)('answers 400 problem details for %s, and stores nothing', async (_name, list, property) => {
    const count = fake().priceLists.length;
    const answer = await createList(list);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ title: 'Bad Request', status: 400, errors: [{ property }] });
    expect(fake().priceLists).toHaveLength(count);
  });

  it('accepts a rule whose source list exists', async () => {
    const rules = [{ source_price_list_slug: 'base-list', adjustment_percentage: 0.1, adjustment_direction: 'minus' }];
    expect((await createList({ ...NET_EUR, rules })).status).toBe(200);
  });
});

describe('the updateMultiplePriceListPricing connection (PATCH /api/v1/batch-update-pricing)', () => {
  it("replaces each SKU and list pair's prices, leaving pairs not sent, and can be read back", async () => {
    const first = await updatePricing([
      {
        sku: 'MUG',
        price_list_slug: 'trade-gbp',
        pricing: [
          { quantity: 1, price: 4.5 },
          { quantity: 24, price: 4.2 },
        ],
      },
      { sku: 'MUG', price_list_slug: 'retail', pricing: [{ quantity: 1, price: 6 }] },
      { sku: 'JUG', price_list_slug: 'trade-gbp', pricing: [{ quantity: 1, price: 9 }] },
    ]);
    expect(first).toMatchObject({ status: 200, line: 'PATCH /api/v1/batch-update-pricing' });
    // The legacy page's 200 body is a PriceList; the fake names the first entry's.
    expect(first.body).toMatchObject({ slug: 'trade-gbp' });
    expect(storedPrices()).toEqual(['JUG@trade-gbp: 1=9', 'MUG@retail: 1=6', 'MUG@trade-gbp: 1=4.5 24=4.2']);

    // Deleted then inserted: the 24 break is gone, not merged; other pairs keep their prices.
    await updatePricing([{ sku: 'MUG', price_list_slug: 'trade-gbp', pricing: [{ quantity: 1, price: 4.75 }] }]);
    expect(fake().storedPrices('trade-gbp', 'MUG')).toEqual([{ quantity: 1, price: 4.75 }]);
    expect(storedPrices()).toEqual(['JUG@trade-gbp: 1=9', 'MUG@retail: 1=6', 'MUG@trade-gbp: 1=4.75']);
  });

  it('removes all of a pair’s prices when pricing is empty (the docs’ blank quantity and price)', async () => {
    await updatePricing([{ sku: 'MUG', price_list_slug: 'trade-gbp', pricing: [{ quantity: 1, price: 4.5 }] }]);
    expect((await updatePricing([{ sku: 'MUG', price_list_slug: 'trade-gbp', pricing: [] }])).status).toBe(200);
    expect(fake().storedPrices('trade-gbp', 'MUG')).toBeUndefined();
  });

  it('prices a list created through createPriceList', async () => {
    await createList(NET_EUR);
    await updatePricing([{ sku: 'MUG', price_list_slug: 'net-eur', pricing: [{ quantity: 1, price: 5.1 }] }]);
    expect(fake().storedPrices('net-eur', 'MUG')).toEqual([{ quantity: 1, price: 5.1 }]);
  });

  it('answers 404 when a price_list_slug does not exist, and applies none of the entries', async () => {
    await updatePricing([{ sku: 'KEEP', price_list_slug: 'retail', pricing: [{ quantity: 1, price: 2 }] }]);
    const answer = await updatePricing([
      { sku: 'KEEP', price_list_slug: 'retail', pricing: [{ quantity: 1, price: 3 }] },
      { sku: 'MUG', price_list_slug: 'trade-gbp', pricing: [{ quantity: 1, price: 4 }] },
      { sku: 'MUG', price_list_slug: 'trade-usd', pricing: [{ quantity: 1, price: 5 }] },
    ]);
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ status: 404, detail: expect.stringMatching(/trade-usd/) });
    expect(storedPrices()).toEqual(['KEEP@retail: 1=2']);
  });

  const BAD_ENTRIES: Array<[string, unknown, Array<{ line: number; field: string | null }>]> = [
    [
      'breaks without a quantity-1 price',
      { sku: 'JUG', price_list_slug: 'trade-gbp', pricing: [{ quantity: 6, price: 9 }] },
      [{ line: 2, field: 'pricing' }],
    ],
    [
      'a price that is not a number',
      { sku: 'JUG', price_list_slug: 'trade-gbp', pricing: [{ quantity: 1, price: 'nine' }] },
      [{ line: 2, field: 'pricing[0].price' }],
    ],
    [
      'a quantity that is text',
      {
        sku: 'JUG',
        price_list_slug: 'trade-gbp',
        pricing: [
          { quantity: 1, price: 9 },
          { quantity: '6', price: 8 },
        ],
      },
      [{ line: 2, field: 'pricing[1].quantity' }],
    ],
    ['no sku', { price_list_slug: 'trade-gbp', pricing: [{ quantity: 1, price: 9 }] }, [{ line: 2, field: 'sku' }]],
    [
      'no price_list_slug',
      { sku: 'JUG', pricing: [{ quantity: 1, price: 9 }] },
      [{ line: 2, field: 'price_list_slug' }],
    ],
    ['no pricing', { sku: 'JUG', price_list_slug: 'trade-gbp' }, [{ line: 2, field: 'pricing' }]],
    ['an entry that is not an object', 'JUG,trade-gbp,1,9', [{ line: 2, field: null }]],
  ];

  it.each(BAD_ENTRIES)(
    'answers 400 [{line, field, message}] for %s, and applies none of the entries',
    async (_name, entry, errors) => {
      await updatePricing([{ sku: 'KEEP', price_list_slug: 'retail', pricing: [{ quantity: 1, price: 2 }] }]);
      const answer = await updatePricing([
        { sku: 'KEEP', price_list_slug: 'retail', pricing: [{ quantity: 1, price: 3 }] },
        entry,
      ]);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(errors.map((error) => ({ ...error, message: expect.any(String) })));
      expect(storedPrices()).toEqual(['KEEP@retail: 1=2']);
    },
  );

  it('answers 400 problem details to a body that is not an array', async () => {
    const answer = await updatePricing({ sku: 'MUG' } as unknown as unknown[]);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ status: 400, detail: expect.stringMatching(/JSON array/) });
  });
});

/** Calls getPriceListPricingData of the built SparkLayer connector for `slug`, letting a 4xx through to be read. */
async function readPricing(slug: string): Promise<{ status: number; pages: string[]; line: string }> {
  const engine = await sandboxEngine(ROOT, async () => undefined);
  const result = await engine.call({
    connector: 'sparklayer',
    operationId: 'getPriceListPricingData',
    variables: { slug },
    body: '',
    retries: 0,
    allowUnsuccessfulStatuses: true,
    timeoutSeconds: 30,
  });
  expect(result.direction).toBe('Receive');
  return { status: result.status, pages: result.pages, line: result.line };
}

describe('the getPriceListPricingData connection (GET /api/v1/price-lists/{slug}/pricing)', () => {
  it('reads back what batch-update-pricing stored: an entry per SKU and break, by SKU, one list only', async () => {
    await updatePricing([
      {
        sku: 'MUG',
        price_list_slug: 'trade-gbp',
        pricing: [
          { quantity: 24, price: 4.2 },
          { quantity: 1, price: 4.5 },
        ],
      },
      { sku: 'JUG', price_list_slug: 'trade-gbp', pricing: [{ quantity: 1, price: 9 }] },
      { sku: 'MUG', price_list_slug: 'retail', pricing: [{ quantity: 1, price: 6 }] },
    ]);
    const answer = await readPricing('trade-gbp');
    expect(answer).toMatchObject({ status: 200, line: 'GET /api/v1/price-lists/trade-gbp/pricing' });
    expect(answer.pages.map((page) => JSON.parse(page) as unknown)).toEqual([
      [
        { sku: 'JUG', quantity: 1, price: 9 },
        { sku: 'MUG', quantity: 1, price: 4.5 },
        { sku: 'MUG', quantity: 24, price: 4.2 },
      ],
    ]);
    // The client reads the same; a replaced SKU's old breaks are gone.
    await updatePricing([{ sku: 'MUG', price_list_slug: 'trade-gbp', pricing: [{ quantity: 1, price: 4.75 }] }]);
    expect(await client().getPriceListPricing('trade-gbp')).toEqual([
      { sku: 'JUG', quantity: 1, price: 9 },
      { sku: 'MUG', quantity: 1, price: 4.75 },
    ]);
    expect(await client().getPriceListPricing('retail')).toEqual([{ sku: 'MUG', quantity: 1, price: 6 }]);
  });

  it('answers 204 with no body for a list with no prices (the client: no entries)', async () => {
    const answer = await readPricing('base-list');
    expect(answer.status).toBe(204);
    // The engine hands a bodiless answer on as no records.
    expect(answer.pages.map((page) => JSON.parse(page) as unknown)).toEqual([[]]);
    expect(await client().getPriceListPricing('base-list')).toEqual([]);
  });

  it('answers 404 for a list that does not exist', async () => {
    expect((await readPricing('no-such-list')).status).toBe(404);
    const error = await client()
      .getPriceListPricing('no-such-list')
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(SparkLayerApiError);
    expect((error as SparkLayerApiError).details.status).toBe(404);
  });

  it('refuses a request without a valid bearer token, as every route does', async () => {
    const response = await fake().handle(
      new Request('https://test.app.sparklayer.io/api/v1/price-lists/trade-gbp/pricing', {
        headers: { 'Site-Id': fake().credentials.siteId, Authorization: 'Bearer not-a-token' },
      }),
    );
    expect(response !== 'network-error' && response.status).toBe(401);
  });
});

describe('what map-prices-to-sparklayer writes', () => {
  it('creates its price_lists_to_create, then the fake accepts its entries', async () => {
    const { envelope } = run(
      step,
      { records: sample.records, ...sample.beside, previous: [] },
      {
        variables: { ...sample.variables, missing_list_action: 'create' },
      },
    );
    const lists = (envelope as unknown as { price_lists_to_create: Array<Record<string, unknown>> })
      .price_lists_to_create;
    expect(lists.map((list) => list.slug)).toEqual(['trade-usd']);
    for (const list of lists) expect((await createList(list)).status).toBe(200);

    const entries = envelope.records as Array<{ sku: string; price_list_slug: string; pricing: unknown[] }>;
    expect(entries.length).toBeGreaterThan(1);
    expect((await updatePricing(entries)).status).toBe(200);
    for (const entry of entries) expect(fake().storedPrices(entry.price_list_slug, entry.sku)).toEqual(entry.pricing);
    expect(fake().storedPrices('trade-usd', 'JUG-STONE-1L')).toEqual([{ quantity: 1, price: 11 }]);
  });
});
