// The NetSuite shipments and returns flow on the sandbox, as it ships (connection shapes run the built definitions):
// the NetSuite order flow books the sandbox's order (a sales order whose externalId is the SparkLayer purchase), the
// warehouse ships it in two item fulfillments (41, partial, then 42, completing), a return authorization (55) takes two
// towels back and a credit memo (61) is made from it; the flow writes two shipment packages and one return package onto
// the SparkLayer purchase in one PUT, in SparkLayer's SKUs and units, and a re-run writes nothing.
import { describe, expect, it } from 'vitest';
import { NETSUITE_TRANSACTIONS, netSuiteShipmentsAndReturn } from '../../patchworks/runner/fulfilment-scenarios.js';
import type { Envelope } from '../../runtime/envelope.js';
import { EXAMPLE_ORDER, outputsOf, sandboxFlows, shapeRun, warnings } from '../support/flow-harness.js';

const FLOW = 'netsuite-fulfilment-to-sparklayer';
/** After the credit memo (1 December): the window (lookback_days 14) starts on 18 November, before both shipments. */
const AS_OF = '2026-12-02T09:00:00Z';
type Json = Record<string, unknown>;
type Sandbox = Awaited<ReturnType<typeof sandboxFlows>>;

/** The order flow books the purchase as a sales order; then NetSuite's records of it, all of them (the scenario's). */
async function bookedShippedAndReturned(): Promise<Sandbox> {
  const flows = await sandboxFlows();
  expect((await flows.run('sparklayer-orders-to-netsuite')).status).toBe('success');
  netSuiteShipmentsAndReturn(flows.sandbox, EXAMPLE_ORDER).happen(Object.values(NETSUITE_TRANSACTIONS));
  return flows;
}

const packagesOf = (flows: Sandbox) =>
  (
    (flows.sandbox.fakes.sparklayer.purchases as Json[]).find(
      (p) => (p.purchase_identifiers as Json).sparklayer === EXAMPLE_ORDER,
    )!.packages as Json[]
  ).slice(1);

describe(`blueprint ${FLOW}`, () => {
  it('writes both shipments and the credited return onto the purchase once, in SparkLayer units', async () => {
    const flows = await bookedShippedAndReturned();
    const result = await flows.run(FLOW, { asOf: AS_OF });
    expect(result.status).toBe('success');

    // The window's day (plan-order-pull's pull_since_date, 14 days back) in both queries.
    const since = "TO_DATE('2026-11-18', 'YYYY-MM-DD')";
    expect((outputsOf(result, 'The NetSuite fulfilments query') as Json[])[0]!.q).toContain(since);
    expect((outputsOf(result, 'The NetSuite sales orders query') as Json[])[0]!.q).toContain(since);
    // Each transaction read whole by the GET of its type; the return authorization kept beside, not as a return.
    expect(shapeRun(result, 'One transaction per payload').notes).toEqual(['4 items of "rows" in 4 payloads']);
    const got = (name: string) => shapeRun(result, name).notes.map((note) => /record\/v1\/(\S+)\?/.exec(note)?.[1]);
    expect(got('Read the NetSuite item fulfillment')).toEqual(['itemFulfillment/41', 'itemFulfillment/42']);
    expect(got('Read the NetSuite credit memo')).toEqual(['creditMemo/61']);
    expect(got('Read the NetSuite return authorization')).toEqual(['returnAuthorization/55']);

    // Both shipments of the booked order, each line as the SKU item_ids names its item (read backwards); the credit
    // memo linked through its return authorization.
    const [read] = outputsOf(result, 'Read the NetSuite shipments and returns') as Envelope[];
    expect(read!.exceptions).toEqual([]);
    expect(read!.records.map((r) => [(r as Json).transaction_id, (r as Json).purchase_id, (r as Json).lines])).toEqual([
      [
        '41',
        EXAMPLE_ORDER,
        [
          { sku: 'MUG-ENAMEL-WHT', quantity: '12', location: '6' },
          { sku: 'TOWEL-LINEN-NAT', quantity: '12', location: '6' },
        ],
      ],
      ['42', EXAMPLE_ORDER, [{ sku: 'MUG-ENAMEL-WHT', quantity: '12', location: '6' }]],
      ['61', EXAMPLE_ORDER, [{ sku: 'TOWEL-LINEN-NAT', quantity: '2' }]],
    ]);
    expect(read!.records[2]).toMatchObject({ created_from: '55', refund: { number: '9', currency: 'GBP' } });

    // One PUT: the purchase whole, the two shipments in cases (unit_map) and the return, after its own package.
    expect(shapeRun(result, 'Put SparkLayer purchase').notes).toEqual([
      `updated  sparklayer createUpdatePurchase: PUT /api/v1/purchases/sparklayer/${EXAMPLE_ORDER}`,
    ]);
    const carrier = { shipments: [{ carrier: 'Royal Mail Tracked 24' }] };
    expect(packagesOf(flows)).toEqual([
      {
        type: 'shipment',
        identifiers: { internal: '41' },
        line_items: [
          { identifiers: { sku: 'MUG-ENAMEL-CASE12' }, quantity: 1 },
          { identifiers: { sku: 'TOWEL-LINEN-NAT' }, quantity: 12 },
        ],
        ...carrier,
      },
      {
        type: 'shipment',
        identifiers: { internal: '42' },
        line_items: [{ identifiers: { sku: 'MUG-ENAMEL-CASE12' }, quantity: 1 }],
        ...carrier,
      },
      {
        type: 'return',
        identifiers: { internal: '61' },
        line_items: [{ identifiers: { sku: 'TOWEL-LINEN-NAT' }, quantity: 2 }],
      },
    ]);
    expect(warnings(result)).toEqual([]);

    // A re-run reads the same window: every package already there as it is, so no PUT and no one told.
    const again = await flows.run(FLOW, { asOf: AS_OF });
    expect(again.status).toBe('success');
    const [added] = outputsOf(again, 'Add the packages to the purchases') as Envelope[];
    expect(added!.skipped.map((s) => [s.id, s.reason])).toEqual([
      ['41', 'unchanged'],
      ['42', 'unchanged'],
      ['61', 'unchanged'],
    ]);
    expect(shapeRun(again, 'Put SparkLayer purchase').payloadsIn).toBe(0);
    expect(warnings(again)).toEqual([]);
    expect(packagesOf(flows)).toHaveLength(3);
  });
});
