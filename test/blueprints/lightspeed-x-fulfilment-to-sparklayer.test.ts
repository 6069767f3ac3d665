// The X-Series shipments and returns flow on the sandbox, as it ships (connection shapes run the built definitions):
// the X-Series order flow books the sandbox's orders, the store closes one (dispatched in full) and takes two towels
// back against it, a return of a sale the pack never booked comes in beside, and the flow writes one shipment and one
// return package onto the SparkLayer purchase, queues the unlinked return for operations, and a re-run writes nothing.
import { describe, expect, it } from 'vitest';
import { saleIdFor } from '../../connectors/lightspeed-x/sale-id.js';
import type { Envelope } from '../../runtime/envelope.js';
import { X_SERIES_RETURN_IN_STORE, xSeriesDispatchAndReturns } from '../../patchworks/runner/fulfilment-scenarios.js';
import { EXAMPLE_ORDER, outputsOf, ROOT, sandboxFlows, shapeRun, warnings } from '../support/flow-harness.js';

const FLOW = 'lightspeed-x-fulfilment-to-sparklayer';
const SALE = saleIdFor(EXAMPLE_ORDER);
type Json = Record<string, unknown>;

async function bookedAndDispatched() {
  const flows = await sandboxFlows();
  expect((await flows.run('sparklayer-orders-to-lightspeed-x')).status).toBe('success');
  await xSeriesDispatchAndReturns(ROOT, flows.sandbox, EXAMPLE_ORDER);
  return flows;
}

const packagesOf = (flows: Awaited<ReturnType<typeof sandboxFlows>>) =>
  (
    (flows.sandbox.fakes.sparklayer.purchases as Json[]).find(
      (p) => (p.purchase_identifiers as Json).sparklayer === EXAMPLE_ORDER,
    )!.packages as Json[]
  ).slice(1);

describe(`blueprint ${FLOW}`, () => {
  it('writes dispatch and return onto the purchase once, in SparkLayer units; queues the unlinked return', async () => {
    const flows = await bookedAndDispatched();
    const result = await flows.run(FLOW);
    expect(result.status).toBe('success');

    // The window: 14 days before the run (lookback_days), every closed sale dated since.
    expect(shapeRun(result, 'Read X-Series closed sales').notes).toEqual([
      'lightspeed-x Search: GET /api/2026-07/search?type=sales&page_size=1000&state=closed&' +
        'date_from=2026-11-08T09%3A00%3A00.000Z: 1 payload',
    ]);
    // The booked sale closed: shipped in full, each line as the SKU it was booked with (product_map backwards); the
    // return against it, linked through its sale id; the return of a sale the pack never booked: UNLINKED_RETURN.
    const [read] = outputsOf(result, 'Read the X-Series shipments and returns') as Envelope[];
    expect(read!.records.map((r) => [(r as Json).transaction_id, (r as Json).purchase_id, (r as Json).lines])).toEqual([
      [
        SALE,
        EXAMPLE_ORDER,
        [
          { sku: 'MUG-ENAMEL-WHT', quantity: '24' },
          { sku: 'TOWEL-LINEN-NAT', quantity: '12' },
        ],
      ],
      [X_SERIES_RETURN_IN_STORE, EXAMPLE_ORDER, [{ sku: 'TOWEL-LINEN-NAT', quantity: '2' }]],
    ]);
    expect(read!.exceptions.map((e) => [e.code, e.owner])).toEqual([['UNLINKED_RETURN', 'operations']]);

    // One PUT: the purchase whole, the shipment in cases (unit_map) and the return added after its own package.
    expect(shapeRun(result, 'Put SparkLayer purchase').notes).toEqual([
      `updated  sparklayer createUpdatePurchase: PUT /api/v1/purchases/sparklayer/${EXAMPLE_ORDER}`,
    ]);
    expect(packagesOf(flows)).toEqual([
      {
        type: 'shipment',
        identifiers: { internal: SALE },
        line_items: [
          { identifiers: { sku: 'MUG-ENAMEL-CASE12' }, quantity: 2 },
          { identifiers: { sku: 'TOWEL-LINEN-NAT' }, quantity: 12 },
        ],
      },
      {
        type: 'return',
        identifiers: { internal: X_SERIES_RETURN_IN_STORE },
        line_items: [{ identifiers: { sku: 'TOWEL-LINEN-NAT' }, quantity: 2 }],
      },
    ]);
    expect(warnings(result)).toEqual([
      expect.stringMatching(
        new RegExp(
          '^Shipment or return 06bf537b-c783-11e6-f6b9-7ea7909ffedd not reported to SparkLayer \\(new\\), ' +
            'UNLINKED_RETURN: .* \\(Operations\\)$',
        ),
      ),
    ]);

    // A re-run reads the same window: every package already there as it is, so no PUT and no second alert.
    const again = await flows.run(FLOW);
    expect(again.status).toBe('success');
    const [added] = outputsOf(again, 'Add the packages to the purchases') as Envelope[];
    expect(added!.skipped.map((s) => s.reason)).toEqual(['unchanged', 'unchanged']);
    expect(shapeRun(again, 'Put SparkLayer purchase').payloadsIn).toBe(0);
    expect(warnings(again)).toEqual([]);
    expect(packagesOf(flows)).toHaveLength(2);
  });
});
