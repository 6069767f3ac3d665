// The bench's price payloads (patchworks/bench/price-payloads.ts), on a small book, run through the steps in-process:
// each is the shape its flow feeds, every step reads it whole (no exception from the generator's own data), an hourly
// run publishes only what changed, a first run everything, and the bench's orders all price correctly. No timing: the
// figures are `npm run bench`'s.
import { describe, expect, it } from 'vitest';
import {
  checkPricesPayload,
  checkPricesVariables,
  mapPricesPayload,
  ORDER_ACCOUNT,
  priceRowCount,
  priceRows,
  priceVariables,
  publishedPriceEntries,
  type PriceBook,
} from '../../../patchworks/bench/price-payloads.js';
import { orders, orderTemplate } from '../../../patchworks/bench/order-payloads.js';
import { step as checkOrderPrices } from '../../../scripts/check-order-prices/step.js';
import { step as mapPrices } from '../../../scripts/map-prices-to-sparklayer/step.js';
import { run } from '../../support/run.js';
import { ROOT } from '../../support/steps.js';

// 2,000 SKUs on two lists: every tenth also sold in a case of 12.
const BOOK: PriceBook = { skus: 2_000, lists: ['trade-gbp', 'retail-gbp'], changedEvery: 10 };
const PAIRS = BOOK.skus * BOOK.lists.length;
const CASES = (BOOK.skus / 10) * BOOK.lists.length;

describe('bench price payloads', () => {
  it('has two rows a SKU and list on average: 200,000 rows at the bench scale', () => {
    expect(priceRows(BOOK)).toHaveLength(PAIRS * 2);
    expect(priceRowCount(BOOK)).toBe(PAIRS * 2);
  });

  it('map-prices-to-sparklayer, beside previous, publishes only the entries that changed, with no exception', () => {
    const payload = mapPricesPayload(BOOK);
    const { envelope, data } = run(mapPrices, payload, { variables: priceVariables(BOOK) });
    expect(envelope.exceptions).toEqual([]);
    expect(envelope.skipped).toEqual([]);
    // previous is the step's own output but for one SKU and list in 10 (and its case, where its base price shows).
    const changed = PAIRS / BOOK.changedEvery;
    expect(envelope.records.length).toBeGreaterThanOrEqual(changed);
    expect(envelope.records.length).toBeLessThanOrEqual(changed * 1.1);
    const unchanged = Number(data.meta?.map_prices_to_sparklayer_unchanged);
    expect(unchanged + envelope.records.length).toBe(PAIRS + CASES);
    expect(publishedPriceEntries(BOOK)).toHaveLength(PAIRS + CASES);
  });

  it('map-prices-to-sparklayer, first run, publishes every entry as previous holds it but for what changed', () => {
    const { envelope } = run(mapPrices, mapPricesPayload(BOOK, { previous: false }), {
      variables: priceVariables(BOOK),
    });
    expect(envelope.exceptions).toEqual([]);
    const published = publishedPriceEntries(BOOK);
    expect(envelope.records).toHaveLength(published.length);
    // The entries differ from previous only in the changed ones' base price.
    const key = (entry: unknown) => JSON.stringify(entry);
    const before = new Set(published.map(key));
    const differing = envelope.records.filter((entry) => !before.has(key(entry)));
    expect(differing.length).toBeGreaterThanOrEqual(PAIRS / BOOK.changedEvery);
    expect(differing.length).toBeLessThanOrEqual((PAIRS / BOOK.changedEvery) * 1.1);
  });

  it("check-order-prices reads every price row and finds each order priced as the account's list has it", async () => {
    const { order } = await orderTemplate(ROOT);
    const payload = checkPricesPayload(orders(order, 50, { erp_account: ORDER_ACCOUNT }), BOOK);
    const { envelope, data } = run(checkOrderPrices, payload, { variables: checkPricesVariables(BOOK) });
    expect(envelope.exceptions).toEqual([]);
    expect(envelope.records).toHaveLength(50);
    expect(data.meta).toMatchObject({
      check_order_prices_orders_with_price_differences: '0',
      check_order_prices_no_erp_price_lines: '0',
    });
    expect((payload.prices as unknown[]).length).toBe(PAIRS * 2 + 6);
  });
});
