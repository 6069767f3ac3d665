// The order flows' price check on the sandbox, on the exported artefacts (dist/blueprints, the built connector
// definitions through the connection engine, the built step bundles): netsuite-prices-to-sparklayer saves the NetSuite
// price rows it read in the company cache (price-flow.ts ERP_PRICES), and sparklayer-orders-to-netsuite's
// check-order-prices reads them there, never NetSuite's prices itself. With price_authority=erp an order that prices
// wrong is held whole in the order queue and told to finance once, and one that prices right is booked; with
// sparklayer authority both are booked, the wrong one carrying price_differences; with price_check off nothing changes.
import { describe, expect, it } from 'vitest';
import type { ClientConfig } from '../../patchworks/blueprint/client-config.js';
import type { Envelope } from '../../runtime/envelope.js';
import type { PriceDifference } from '../../scripts/check-order-prices/step.js';
import {
  EXAMPLE_ORDER,
  keptQueue,
  outputsOf,
  purchaseIds,
  sandboxFlows,
  SAMPLE_ORDER,
  shapeRun,
  warnings,
  withFlowLookup,
  withFlowVariables,
} from '../support/flow-harness.js';

const ORDERS = 'sparklayer-orders-to-netsuite';
const PRICES = 'netsuite-prices-to-sparklayer';
const CHECK = 'Check the order prices';
/** The price flow's clock: an hour before the order flow's (the sandbox's), as its schedule would have it. */
const PRICES_AS_OF = '2026-11-22T08:30:00Z';
/** The order flow's run a quarter of an hour after the sandbox's clock. */
const LATER = '2026-11-22T09:15:00Z';

type Flows = Awaited<ReturnType<typeof sandboxFlows>>;
type Result = Awaited<ReturnType<Flows['run']>>;

/**
 * The sandbox with SAMPLE_ORDER's price in NetSuite: 4 JUG-STONE-1L at 56.00 is 14.00 each, so its Base Price (level 1,
 * base-list, the example client's default_price_list for NetSuite customer 420) is set to 14.00. EXAMPLE_ORDER
 * (customer 1104, trade-gbp) stays wrong: 24 mugs at 4.00 against Trade's 4.20 from 24, 12 towels at 4.50 against
 * 12.00.
 */
async function pricedSandbox(): Promise<Flows> {
  const flows = await sandboxFlows();
  const jug = flows.sandbox.fakes.netsuite.tables.pricing!.find(
    (row) => row.itemid === 'JUG-STONE-1L' && row.pricelevel === '1',
  )!;
  jug.unitprice = '14.00';
  return flows;
}

/** The price rows the company cache holds for NetSuite, as the order flows read them. */
const cachedPrices = (flows: Flows) =>
  flows.caches
    .read('company', ORDERS, 'erp-prices', 'netsuite')
    .flatMap((body) => (JSON.parse(body) as Envelope).records);

const checked = (result: Result) => outputsOf(result, CHECK) as Envelope[];
const differencesOf = (record: unknown) => (record as { price_differences?: PriceDifference[] }).price_differences;
const booked = (flows: Flows) =>
  (flows.sandbox.fakes.netsuite.salesOrders as Array<{ externalId: string }>).map((o) => o.externalId);
const priceWarnings = (result: Result) => warnings(result).filter((w) => /PRICE_MISMATCH|NO_ERP_PRICE/.test(w));

const withAuthority = (client: ClientConfig, price_authority: string) =>
  withFlowVariables(client, ORDERS, { price_authority });

describe('the price flow keeps the ERP prices for the order flows', () => {
  it('saves the canonical rows it read in the company cache, over the last ones', async () => {
    const flows = await pricedSandbox();
    expect(cachedPrices(flows)).toEqual([]);
    const result = await flows.run(PRICES, { asOf: PRICES_AS_OF });
    expect(result.status).toBe('success');
    const rows = outputsOf(result, 'Read the NetSuite prices')[0] as Envelope;
    expect(rows.records).toHaveLength(8);
    expect(cachedPrices(flows)).toEqual(rows.records);
    expect(cachedPrices(flows)).toContainEqual(
      expect.objectContaining({ price_list: 'base-list', sku: 'JUG-STONE-1L', currency: 'GBP', price: '14.00' }),
    );
    // Again: replaced, not appended.
    await flows.run(PRICES, { asOf: PRICES_AS_OF });
    expect(cachedPrices(flows)).toEqual(rows.records);
  });

  it('a run that read no price (every level unmapped) saves nothing over the last good rows', async () => {
    const flows = await pricedSandbox();
    await flows.run(PRICES, { asOf: PRICES_AS_OF });
    const good = cachedPrices(flows);
    const unmapped = withFlowLookup(flows.client, PRICES, 'price_level_map', { 99: 'no-such-list' });
    const result = await flows.run(PRICES, { asOf: PRICES_AS_OF, client: unmapped });
    expect((outputsOf(result, 'Read the NetSuite prices')[0] as Envelope).records).toEqual([]);
    expect(shapeRun(result, 'Only a run that read prices').payloadsOut).toBe(0);
    expect(shapeRun(result, 'Save the ERP prices for the order flows').payloadsIn).toBe(0);
    expect(cachedPrices(flows)).toEqual(good);
  });

  it('a run whose rows step fails stops before the save', async () => {
    const flows = await pricedSandbox();
    await flows.run(PRICES, { asOf: PRICES_AS_OF });
    const good = cachedPrices(flows);
    const broken = withFlowLookup(flows.client, PRICES, 'price_level_map', { 1: 'base-list\u0007' });
    const result = await flows.run(PRICES, { asOf: PRICES_AS_OF, client: broken });
    expect(result.status).toBe('failure');
    expect(result.shapes.map((s) => s.name)).not.toContain('Save the ERP prices for the order flows');
    expect(cachedPrices(flows)).toEqual(good);
  });
});

describe(`${ORDERS} checks each order's prices against the price flow's`, () => {
  it('price_authority=erp: a wrong price is queued whole and told to finance once; a right one is booked', async () => {
    const flows = await pricedSandbox();
    await flows.run(PRICES, { asOf: PRICES_AS_OF });
    const client = withAuthority(flows.client, 'erp');
    const result = await flows.run(ORDERS, { client });
    expect(result.status).toBe('success');

    // The check read the cached rows (NetSuite's prices were not read by the order flow) and passed SAMPLE_ORDER only.
    expect(flows.sandbox.engine.sent.filter((r) => r.connector === 'netsuite').map((r) => r.method)).toEqual([
      'POST', // the price flow's one SuiteQL read
      'PUT',
    ]);
    const [out] = checked(result);
    expect(purchaseIds(out!)).toEqual([SAMPLE_ORDER]);
    expect(out).not.toHaveProperty('prices');
    const mismatch = out!.exceptions.filter((x) => x.step === 'check-order-prices');
    expect(mismatch.map((x) => [x.id, x.code, x.owner])).toEqual([[EXAMPLE_ORDER, 'PRICE_MISMATCH', 'finance']]);
    expect(mismatch[0]!.message).toBe(
      'line 1 MUG-ENAMEL-CASE12 (MUG-ENAMEL-WHT): expected 4.20, actual 4.00, difference -0.20 per unit ' +
        '(trade-gbp, price_list_map); line 2 TOWEL-LINEN-NAT: expected 12.00, actual 4.50, difference -7.50 per ' +
        'unit (trade-gbp, price_list_map)',
    );
    expect(booked(flows)).toContain(SAMPLE_ORDER);
    expect(booked(flows)).not.toContain(EXAMPLE_ORDER);

    // The queue keeps the order whole, for finance; finance is told once.
    const entry = keptQueue(flows, ORDERS)!.entries.find((e) => e.key === EXAMPLE_ORDER)!;
    expect(entry).toMatchObject({ code: 'PRICE_MISMATCH', owner: 'finance', replay: true });
    expect(entry.record).not.toHaveProperty('erp_account');
    expect(entry.record).toMatchObject({ purchase_identifiers: { sparklayer: EXAMPLE_ORDER } });
    expect(priceWarnings(result)).toEqual([expect.stringMatching(/not booked, PRICE_MISMATCH: line 1 .*\(Finance\)$/)]);

    // The next run: the order is fed in again, held again, and finance is not told again.
    const again = await flows.run(ORDERS, { client, asOf: LATER });
    expect(again.status).toBe('success');
    expect(checked(again).flatMap((e) => e.exceptions.map((x) => [x.id, x.code]))).toContainEqual([
      EXAMPLE_ORDER,
      'PRICE_MISMATCH',
    ]);
    expect(priceWarnings(again)).toEqual([]);
    expect(booked(flows)).not.toContain(EXAMPLE_ORDER);
  });

  it('price_authority=sparklayer (the example client): both booked, the wrong one with price_differences', async () => {
    const flows = await pricedSandbox();
    await flows.run(PRICES, { asOf: PRICES_AS_OF });
    const result = await flows.run(ORDERS);
    expect(result.status).toBe('success');

    const [out] = checked(result);
    expect(purchaseIds(out!)).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER]);
    const [example, sample] = out!.records;
    expect(differencesOf(example)!.map((d) => [d.code, d.sku, d.expected, d.actual])).toEqual([
      ['PRICE_MISMATCH', 'MUG-ENAMEL-CASE12', '4.20', '4.00'],
      ['PRICE_MISMATCH', 'TOWEL-LINEN-NAT', '12.00', '4.50'],
    ]);
    expect(differencesOf(sample)).toBeUndefined();
    expect(shapeRun(result, CHECK).notes).toContain('2 in -> 2 passed, 0 skipped, 0 exceptions');
    expect(booked(flows)).toEqual(expect.arrayContaining([EXAMPLE_ORDER, SAMPLE_ORDER]));
    expect(priceWarnings(result)).toEqual([]);
  });

  it('price_check off: every order passes as it came, and the flow books as it did without the check', async () => {
    const flows = await pricedSandbox();
    await flows.run(PRICES, { asOf: PRICES_AS_OF });
    const client = withFlowVariables(flows.client, ORDERS, { price_check: 'off', price_authority: 'erp' });
    const result = await flows.run(ORDERS, { client });
    expect(result.status).toBe('success');

    const resolved = outputsOf(result, 'Find the NetSuite customer') as Envelope[];
    const [out] = checked(result);
    expect(out!.records).toEqual(resolved[0]!.records);
    expect(out!.exceptions).toEqual(resolved[0]!.exceptions);
    expect(out).not.toHaveProperty('prices');
    expect(booked(flows)).toEqual(expect.arrayContaining([EXAMPLE_ORDER, SAMPLE_ORDER]));
    expect(priceWarnings(result)).toEqual([]);
  });

  it('price_check off is the order flows’ default', async () => {
    const flows = await pricedSandbox();
    const { price_check: _on, ...variables } = flows.client.flows[ORDERS]!.variables;
    const client = structuredClone(flows.client);
    client.flows[ORDERS]!.variables = { ...variables, price_authority: 'erp' };
    const result = await flows.run(ORDERS, { client });
    expect(purchaseIds(checked(result)[0]!)).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER]);
    expect(booked(flows)).toEqual(expect.arrayContaining([EXAMPLE_ORDER, SAMPLE_ORDER]));
  });
});
