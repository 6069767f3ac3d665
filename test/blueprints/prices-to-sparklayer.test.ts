// The price flows on the sandbox, per back-end, on the exported artefacts (dist/blueprints, the built connector
// definitions through the connection engine, the built step bundles): NetSuite's price query, R-Series' items and
// X-Series' price books are published to SparkLayer's price lists through batch-update-pricing, a quiet re-run sends
// nothing, a list SparkLayer lacks is reported or created (per missing_list_action), and a batch SparkLayer refuses is
// queued, told to integration and sent again by the next run.
import { describe, expect, it } from 'vitest';
import type { PricingEntry } from '../../scripts/map-prices-to-sparklayer/step.js';
import type { Envelope } from '../../runtime/envelope.js';
import {
  outputsOf,
  sandboxFlows,
  shapeRun,
  warnings,
  withFlowLookup,
  withFlowVariables,
} from '../support/flow-harness.js';

const NETSUITE = 'netsuite-prices-to-sparklayer';
const LIGHTSPEED_R = 'lightspeed-r-prices-to-sparklayer';
const LIGHTSPEED_X = 'lightspeed-x-prices-to-sparklayer';
const AS_OF = '2026-12-08T09:00:00Z';
const HOUR_LATER = '2026-12-08T10:00:00Z';
const BATCH = 'PATCH /api/v1/batch-update-pricing';

type Flows = Awaited<ReturnType<typeof sandboxFlows>>;
type Result = Awaited<ReturnType<Flows['run']>>;
/** Every request the fake SparkLayer answered but the token's. */
const sparkCalls = (flows: Flows) =>
  flows.sandbox.fakes.sparklayer.calls.filter((call) => !call.startsWith('POST /api/auth/token'));
/** The entries map-prices-to-sparklayer gave, as `SKU@list=q:price,…`. */
const entries = (result: Result) =>
  ((outputsOf(result, 'Map prices to SparkLayer')[0] as Envelope).records as PricingEntry[]).map(
    (entry) =>
      `${entry.sku}@${entry.price_list_slug}=${entry.pricing.map((p) => `${p.quantity}:${p.price}`).join(',')}`,
  );
const mapLog = (result: Result) => shapeRun(result, 'Map prices to SparkLayer').notes.find((n) => n.startsWith('log'));

describe(`blueprint ${NETSUITE}`, () => {
  it('publishes every mapped level with its breaks and packs in one batch; a re-run sends nothing', async () => {
    const flows = await sandboxFlows();
    const result = await flows.run(NETSUITE, { asOf: AS_OF });
    expect(result.status).toBe('success');

    // price_level_map: level 1 (by internal id) to base-list, Trade (by name) to trade-gbp; Online Price unmapped.
    // NetSuite's base break is quantity 0, published as 1; unit_map's case of 12 is priced at 12 units from
    // ceil(24 / 12) = 2 cases.
    expect(shapeRun(result, 'Read the NetSuite prices').notes[0]).toBe('9 in -> 8 passed, 1 skipped, 0 exceptions');
    expect(entries(result)).toEqual([
      'JUG-STONE-1L@base-list=1:11',
      'JUG-STONE-1L@trade-gbp=1:9',
      'TOWEL-LINEN-NAT@base-list=1:15',
      'TOWEL-LINEN-NAT@trade-gbp=1:12',
      'MUG-ENAMEL-WHT@base-list=1:6,24:5.4',
      'MUG-ENAMEL-CASE12@base-list=1:72,2:64.8',
      'MUG-ENAMEL-WHT@trade-gbp=1:4.5,24:4.2',
      'MUG-ENAMEL-CASE12@trade-gbp=1:54,2:50.4',
    ]);
    // SparkLayer's lists are read (every page), then the prices sent once, in one batch.
    expect(sparkCalls(flows)).toEqual([
      'GET /api/v2/price-lists?page=1&page_size=250&order_by=name%3Aasc&source=integration%2Ccustom',
      BATCH,
    ]);
    const spark = flows.sandbox.fakes.sparklayer;
    expect(spark.storedPrices('trade-gbp', 'MUG-ENAMEL-CASE12')).toEqual([
      { quantity: 1, price: 54 },
      { quantity: 2, price: 50.4 },
    ]);
    expect(spark.storedPrices('base-list', 'TOWEL-LINEN-NAT')).toEqual([{ quantity: 1, price: 15 }]);
    expect(warnings(result)).toEqual([]);

    // The next hour: every entry as published, nothing sent.
    const again = await flows.run(NETSUITE, { asOf: HOUR_LATER });
    expect(again.status).toBe('success');
    expect(mapLog(again)).toContain('unchanged 8, rows 0');
    expect(sparkCalls(flows).filter((call) => call === BATCH)).toHaveLength(1);
  });

  it('reports a list SparkLayer lacks to integration once; missing_list_action=create creates it first', async () => {
    const flows = await sandboxFlows();
    await flows.run(NETSUITE, { asOf: AS_OF });
    const mapped = withFlowLookup(flows.client, NETSUITE, 'price_level_map', {
      '1': 'base-list',
      Trade: 'trade-gbp',
      'Online Price': 'online-gbp',
    });
    const reported = await flows.run(NETSUITE, { client: mapped, asOf: HOUR_LATER });
    expect(reported.status).toBe('success');
    expect(entries(reported)).toEqual([]);
    expect(warnings(reported)).toEqual([
      expect.stringMatching(/^Price MUG-ENAMEL-WHT@online-gbp not published to SparkLayer .*UNKNOWN_PRICE_LIST/),
    ]);
    expect(reported.notifications.map((n) => n.shape)).toEqual(['Tell integration (not published to SparkLayer)']);
    // Told once: the same problem the next hour is kept, not told again.
    const still = await flows.run(NETSUITE, { client: mapped, asOf: '2026-12-08T11:00:00Z' });
    expect(warnings(still)).toEqual([]);

    const creating = withFlowVariables(mapped, NETSUITE, { missing_list_action: 'create' });
    const created = await flows.run(NETSUITE, { client: creating, asOf: '2026-12-08T12:00:00Z' });
    expect(created.status).toBe('success');
    const spark = flows.sandbox.fakes.sparklayer;
    expect(sparkCalls(flows).slice(-2)).toEqual(['POST /api/v1/price-lists', BATCH]);
    expect(spark.priceLists.find((list) => (list as { slug: string }).slug === 'online-gbp')).toMatchObject({
      slug: 'online-gbp',
      currency_code: 'GBP',
      source: 'integration',
    });
    // Only what changed is sent: the new list's mug and its case.
    expect(entries(created)).toEqual(['MUG-ENAMEL-WHT@online-gbp=1:5.75', 'MUG-ENAMEL-CASE12@online-gbp=1:69']);
    expect(spark.storedPrices('online-gbp', 'MUG-ENAMEL-WHT')).toEqual([{ quantity: 1, price: 5.75 }]);
  });
});

describe(`blueprint ${LIGHTSPEED_R}`, () => {
  it('publishes each mapped level; a refused batch is queued for integration and sent by the next run', async () => {
    const flows = await sandboxFlows();
    const spark = flows.sandbox.fakes.sparklayer;
    spark.failNext(BATCH, { status: 503 }, 3);
    const refused = await flows.run(LIGHTSPEED_R, { asOf: AS_OF });

    // Patchworks' most retries (2) then the catch route: the batch whole, with SparkLayer's answer.
    expect(refused.status).toBe('partial_success');
    expect(shapeRun(refused, 'Catch refused writes').failed).toBe(1);
    expect(refused.failed[0]!.error).toMatch(/^HTTP 503 .*\(PATCH \/api\/v1\/batch-update-pricing\)$/);
    const sent = entries(refused);
    expect(sent).toContain('MUG-ENAMEL-WHT@trade-gbp=1:4.5');
    expect(spark.storedPrices('trade-gbp', 'MUG-ENAMEL-WHT')).toBeUndefined();
    expect(warnings(refused)).toEqual([
      expect.stringMatching(/not published to SparkLayer \(new\), WRITE_REFUSED: Update SparkLayer prices: HTTP 503/),
    ]);

    // Nothing refused was recorded as published: the next run sends the same entries, SparkLayer takes them, and the
    // refusal leaves the queue.
    const next = await flows.run(LIGHTSPEED_R, { asOf: HOUR_LATER });
    expect(next.status).toBe('success');
    expect(entries(next)).toEqual(sent);
    expect(spark.storedPrices('trade-gbp', 'MUG-ENAMEL-WHT')).toEqual([{ quantity: 1, price: 4.5 }]);
    expect(spark.storedPrices('trade-gbp', 'MUG-ENAMEL-CASE12')).toEqual([{ quantity: 1, price: 54 }]);
    const queue = JSON.parse(flows.caches.read('flow', LIGHTSPEED_R, 'price-state', 'queue')[0]!) as {
      entries: unknown[];
    };
    expect(queue.entries).toEqual([]);

    const quiet = await flows.run(LIGHTSPEED_R, { asOf: '2026-12-08T11:00:00Z' });
    expect(mapLog(quiet)).toContain(`unchanged ${sent.length}, rows 0`);
  });
});

describe(`blueprint ${LIGHTSPEED_X}`, () => {
  it('publishes the mapped price book with its Min units break and the packs; a re-run sends nothing', async () => {
    const flows = await sandboxFlows();
    const result = await flows.run(LIGHTSPEED_X, { asOf: AS_OF });
    expect(result.status).toBe('success');

    // price_book_map: Trade (by name) to trade-gbp; the General book is not mapped; 0005 is a deleted product.
    // The mug's Min units 24 is its break; unit_map's case of 12 (0003*12) is priced at 12 units from 2 cases.
    expect(shapeRun(result, 'Read the X-Series prices').notes[0]).toBe('5 in -> 3 passed, 2 skipped, 0 exceptions');
    expect(entries(result)).toEqual([
      '0003@trade-gbp=1:4.5,24:4.2',
      'MUG-ENAMEL-CASE12@trade-gbp=1:54,2:50.4',
      '787878-blk-s@trade-gbp=1:12',
    ]);
    // Every book, price and product read through X-Series' version cursor, deleted books and products too.
    const lightspeed = flows.sandbox.fakes.lightspeedX.calls.filter((call) => !call.startsWith('POST /1.0/token'));
    expect(lightspeed.filter((call) => call.startsWith('GET /2026-07/price_book'))).toEqual([
      'GET /2026-07/price_book_products?page_size=1000',
      'GET /2026-07/price_book_products?page_size=1000&after=107001930',
      'GET /2026-07/price_books?page_size=1000&deleted=true',
      'GET /2026-07/price_books?page_size=1000&deleted=true&after=398146',
    ]);
    expect(sparkCalls(flows)).toEqual([
      'GET /api/v2/price-lists?page=1&page_size=250&order_by=name%3Aasc&source=integration%2Ccustom',
      BATCH,
    ]);
    const spark = flows.sandbox.fakes.sparklayer;
    expect(spark.storedPrices('trade-gbp', '0003')).toEqual([
      { quantity: 1, price: 4.5 },
      { quantity: 24, price: 4.2 },
    ]);
    expect(spark.storedPrices('trade-gbp', '787878-blk-s')).toEqual([{ quantity: 1, price: 12 }]);
    expect(warnings(result)).toEqual([]);

    // The next hour: every entry as published, nothing sent.
    const again = await flows.run(LIGHTSPEED_X, { asOf: HOUR_LATER });
    expect(again.status).toBe('success');
    expect(mapLog(again)).toContain('unchanged 3, rows 0');
    expect(sparkCalls(flows).filter((call) => call === BATCH)).toHaveLength(1);
  });
});
