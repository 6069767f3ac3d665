// The R-Series shipments and returns flow on the sandbox, as it ships (connection shapes run the built definitions):
// the R-Series order flow books the sandbox's orders (the on-account one completed, released to its credit account),
// the store refunds two towels of it, a refund of a sale the pack never booked comes in beside, and the flow writes
// one shipment and one return package onto the SparkLayer purchase, queues the unlinked refund for operations, and a
// re-run writes nothing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/envelope.js';
import { EXAMPLE_ORDER, outputsOf, sandboxFlows, shapeRun, warnings } from '../support/flow-harness.js';

const FLOW = 'lightspeed-r-fulfilment-to-sparklayer';
const TOWEL = '42'; // product_map TOWEL-LINEN-NAT
type Json = Record<string, unknown>;
type Flows = Awaited<ReturnType<typeof sandboxFlows>>;
type StoredLine = { saleLineID: string; itemID: string };
type StoredSale = Json & { saleID: string; SaleLines: { SaleLine: StoredLine[] }; SaleNotes?: Json };
/** Within the window: 14 days (lookback_days) before the sandbox's clock, 2026-11-22T09:00Z. */
const COMPLETED = '2026-11-20T16:05:00+00:00';
const REFUNDED = '2026-11-21T11:30:00+00:00';

/** Lightspeed's documented partial refund (fixtures/lightspeed-r/fulfilments), of sale 281: never booked. */
const documentedRefund = (): Json =>
  (
    JSON.parse(readFileSync('fixtures/lightspeed-r/fulfilments/sale.partial-refund.json', 'utf8')) as {
      body: { Sale: Json };
    }
  ).body.Sale;
/** The same refund, taken against the booked sale's towel line: two towels back. */
function towelsBack(booked: StoredSale): Json {
  const refund = documentedRefund();
  const line = (refund.SaleLines as { SaleLine: Json }).SaleLine;
  const towels = booked.SaleLines.SaleLine.find((l) => l.itemID === TOWEL)!;
  return {
    ...refund,
    saleID: '2001',
    timeStamp: REFUNDED,
    createTime: REFUNDED,
    updatetime: REFUNDED,
    completeTime: REFUNDED,
    customerID: booked.customerID,
    total: '-18',
    calcTotal: '-18',
    SaleLines: {
      SaleLine: [
        {
          ...line,
          saleLineID: '2002',
          saleID: '2001',
          itemID: TOWEL,
          unitQuantity: '-2',
          unitPrice: '7.5',
          parentSaleLineID: towels.saleLineID,
        },
      ],
    },
  };
}

const bookedSale = (flows: Flows) =>
  (flows.sandbox.fakes.lightspeedR.sales as unknown as StoredSale[]).find((sale) =>
    String((sale.SaleNotes?.InternalNote as Json | undefined)?.note).includes(EXAMPLE_ORDER),
  )!;

async function bookedAndRefunded() {
  const flows = await sandboxFlows();
  expect((await flows.run('sparklayer-orders-to-lightspeed-r')).status).toBe('success');
  const booked = bookedSale(flows);
  // The on-account sale is booked completed (released: charged to its credit account); the store's clock puts it in
  // the window. The invoice order's sale is still open: not read. Then the refunds come in.
  expect(booked.completed).toBe('true');
  Object.assign(booked, { completeTime: COMPLETED, timeStamp: COMPLETED });
  // A refund completed before the window (a sale's timeStamp is its last change) is not read again.
  const before = { ...documentedRefund(), saleID: '283', timeStamp: '2026-11-01T10:00:00+00:00' };
  flows.sandbox.fakes.lightspeedR.sales.push(towelsBack(booked), documentedRefund(), before);
  return { flows, saleId: booked.saleID };
}

const packagesOf = (flows: Flows) =>
  (
    (flows.sandbox.fakes.sparklayer.purchases as Json[]).find(
      (p) => (p.purchase_identifiers as Json).sparklayer === EXAMPLE_ORDER,
    )!.packages as Json[]
  ).slice(1);

describe(`blueprint ${FLOW}`, () => {
  it('writes shipment and refund onto the purchase once, in SparkLayer units; queues the unlinked refund', async () => {
    const { flows, saleId } = await bookedAndRefunded();
    const result = await flows.run(FLOW);
    expect(result.status).toBe('success');

    // The window: 14 days before the run (lookback_days), every completed sale changed since, with its relations.
    expect(shapeRun(result, 'Read R-Series completed sales').notes).toEqual([
      'lightspeed-r listSales: GET /API/V3/Account/12345/Sale.json?completed=true&' +
        'timeStamp=%3E%2C2026-11-08T09%3A00%3A00.000Z&limit=100&' +
        'load_relations=%5B%22SaleLines%22%2C%22SaleNotes%22%2C%22ShipTo%22%5D: 1 payload',
    ]);
    // Beside: every item (archived too) for SKUs, and every completed sale the pack booked, for the refunds' lines.
    expect(shapeRun(result, 'Read R-Series items').notes).toEqual([
      'lightspeed-r listItems: GET /API/V3/Account/12345/Item.json?limit=100&archived=true: 1 payload',
    ]);
    expect(shapeRun(result, 'Read R-Series booked sales').notes).toEqual([
      'lightspeed-r listSales: GET /API/V3/Account/12345/Sale.json?referenceNumberSource=SparkLayer&completed=true&' +
        'limit=100&load_relations=%5B%22SaleLines%22%2C%22SaleNotes%22%5D: 1 payload',
    ]);
    // The booked sale completed: shipped in full, each line as the SKU it was booked with (product_map backwards), the
    // shipping line left out; the refund against it, linked through its parent line on the booked sales read beside;
    // the refund of a sale the pack never booked: UNLINKED_RETURN.
    const [read] = outputsOf(result, 'Read the R-Series shipments and returns') as Envelope[];
    expect(read!.records.map((r) => [(r as Json).transaction_id, (r as Json).purchase_id, (r as Json).lines])).toEqual([
      [
        saleId,
        EXAMPLE_ORDER,
        [
          { sku: 'MUG-ENAMEL-WHT', quantity: '24' },
          { sku: 'TOWEL-LINEN-NAT', quantity: '12' },
        ],
      ],
      ['2001', EXAMPLE_ORDER, [{ sku: 'TOWEL-LINEN-NAT', quantity: '2' }]],
    ]);
    expect(read!.exceptions.map((e) => [e.code, e.owner])).toEqual([['UNLINKED_RETURN', 'operations']]);

    // One PUT: the purchase whole, the shipment in cases (unit_map) and the return added after its own package.
    expect(shapeRun(result, 'Put SparkLayer purchase').notes).toEqual([
      `updated  sparklayer createUpdatePurchase: PUT /api/v1/purchases/sparklayer/${EXAMPLE_ORDER}`,
    ]);
    expect(packagesOf(flows)).toEqual([
      {
        type: 'shipment',
        identifiers: { internal: saleId },
        line_items: [
          { identifiers: { sku: 'MUG-ENAMEL-CASE12' }, quantity: 2 },
          { identifiers: { sku: 'TOWEL-LINEN-NAT' }, quantity: 12 },
        ],
      },
      {
        type: 'return',
        identifiers: { internal: '2001' },
        line_items: [{ identifiers: { sku: 'TOWEL-LINEN-NAT' }, quantity: 2 }],
      },
    ]);
    expect(warnings(result)).toEqual([
      expect.stringMatching(
        /^Shipment or return 282 not reported to SparkLayer \(new\), UNLINKED_RETURN: .* \(Operations\)$/,
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
