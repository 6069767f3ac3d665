// The SparkLayer-to-R-Series flow on the sandbox, shape by shape: what each shape outputs, what the fake R-Series
// then holds, an order R-Series refuses, a fault on the POST, re-runs, and a --live run.
import { describe, expect, it } from 'vitest';
import { lightspeedREndpoints } from '../../connectors/lightspeed-r/flow-endpoints.js';
import type { LightspeedRClient } from '../../connectors/lightspeed-r/client.js';
import type { Envelope } from '../../patchworks/runtime/envelope.js';
import { EXAMPLE_ORDER, expectOrderSpine, outputsOf, sandboxFlows, SAMPLE_ORDER, shapeRun, withFlowLookup, withFlowVariables } from '../support/flow-harness.js';

const FLOW = 'sparklayer-orders-to-lightspeed-r';
const POOL = 'sparklayer-orders-lightspeed-r';
// EXAMPLE_ORDER: company 0b5e… -> R-Series customer 7 (credit account 2), Pay on Account
// SAMPLE_ORDER: company c9d8… -> R-Series customer 2, invoice
const POST_SALE = 'POST /API/V3/Account/12345/Sale.json';

type StoredSale = { saleID: string; referenceNumber: string; SaleLines: { SaleLine: Array<{ itemID: string }> }; customerID: string; completed: string; total: string; balance: string; SalePayments: { SalePayment: Array<{ paymentTypeID: string; amount: string; creditAccountID: string }> }; SaleNotes?: { InternalNote?: { note: string } } };
const salesIn = (flows: Awaited<ReturnType<typeof sandboxFlows>>) => flows.sandbox.fakes.lightspeedR.sales as unknown as StoredSale[];
const summary = (sale: StoredSale) => [sale.referenceNumber, sale.customerID, sale.completed, sale.total, sale.balance];
const posts = (flows: Awaited<ReturnType<typeof sandboxFlows>>) => flows.sandbox.fakes.lightspeedR.calls.filter((call) => call === POST_SALE).length;
const queuedIn = (result: { caches: Record<string, Record<string, string[]>> }) => (result.caches['exceptions-queue']?.[POOL] ?? []).map((body) => JSON.parse(body) as Record<string, unknown>);

const EXAMPLE_NOTE = `SparkLayer order B2B01123; SparkLayer purchase ${EXAMPLE_ORDER}; PO PO-4471; Pay on Account: released for fulfilment, charged to credit account 2; Ship to: Unit 4, Example Trade Park, Leeds, GB; Shipping method: Standard Shipping`;
const SAMPLE_NOTE = `SparkLayer order B2B01128; SparkLayer purchase ${SAMPLE_ORDER}; PO PO-88-2302; Payment: invoice, not settled in R-Series; Ship to: Unit 4, Example Trade Park, Leeds, GB; Shipping method: Standard Shipping`;

describe(`blueprint ${FLOW}`, () => {
  it('books each live order once as an R-Series sale and reports every purchase it does not book, shape by shape', async () => {
    const flows = await sandboxFlows();
    const result = await flows.run(FLOW);

    expect(result.status).toBe('success');
    expectOrderSpine(result, flows.pools, POOL);
    // Resolve: each company's R-Series customer ID from the client's account map.
    const resolved = (outputsOf(result, 'Find the R-Series customer') as Envelope[]).flatMap((e) => e.records) as Array<{ erp_account: string; erp_account_source: string }>;
    expect(resolved.map((r) => [r.erp_account, r.erp_account_source])).toEqual([['7', 'account_map'], ['2', 'account_map']]);
    // Map: one Sale POST body per order, no exception from the mapper.
    const mapped = outputsOf(result, 'Build R-Series sales') as Envelope[];
    expect(mapped.map((e) => [e.records.length, e.exceptions.filter((x) => x.step === 'map-order-to-lightspeed-r').length])).toEqual([[1, 0], [1, 0]]);
    const bodies = outputsOf(result, 'One sale per payload');
    // The case of 12 mugs arrives as 24 eaches (unit_map), each line at SparkLayer's net with the 20% tax category;
    // shipping as a miscellaneous line; Pay on Account released onto customer 7's credit account 2 (payment type 4).
    expect(bodies[0]).toEqual({
      customerID: 7,
      employeeID: 2,
      registerID: 5,
      shopID: 1,
      completed: true,
      enablePromotions: false,
      referenceNumber: 'PO-4471',
      referenceNumberSource: 'SparkLayer',
      taxCategoryID: 3,
      SaleLines: {
        SaleLine: [
          { itemID: 41, unitQuantity: 24, unitPrice: '4.00', tax: true, taxCategoryID: 3 },
          { itemID: 42, unitQuantity: 12, unitPrice: '4.50', tax: true, taxCategoryID: 3 },
          { itemID: 0, unitQuantity: 1, unitPrice: '7.50', note: 'Shipping: Standard Shipping', tax: true, taxCategoryID: 3 },
        ],
      },
      SalePayments: { SalePayment: [{ paymentTypeID: 4, amount: '189.00', creditAccountID: 2, remoteReference: `sparklayer:${EXAMPLE_ORDER}` }] },
      SaleNotes: { InternalNote: { note: EXAMPLE_NOTE } },
    });
    // Paid by invoice (not in payment_types): an open sale, no payment.
    expect(bodies[1]).toEqual({
      customerID: 2,
      employeeID: 2,
      registerID: 5,
      shopID: 1,
      completed: false,
      enablePromotions: false,
      referenceNumber: 'PO-88-2302',
      referenceNumberSource: 'SparkLayer',
      taxCategoryID: 3,
      SaleLines: {
        SaleLine: [
          { itemID: 22, unitQuantity: 4, unitPrice: '14.00', tax: true, taxCategoryID: 3 },
          { itemID: 0, unitQuantity: 1, unitPrice: '7.50', note: 'Shipping: Standard Shipping', tax: true, taxCategoryID: 3 },
        ],
      },
      SaleNotes: { InternalNote: { note: SAMPLE_NOTE } },
    });
    // Book: each sale looked up by reference, source and customer, then posted once.
    expect(shapeRun(result, 'Create R-Series sale').notes).toEqual([
      `created  lightspeed-r createSale: POST /Sale.json for SparkLayer purchase ${EXAMPLE_ORDER}, customer 7, referenceNumber PO-4471 (not sent when a sale already names the purchase)`,
      `created  lightspeed-r createSale: POST /Sale.json for SparkLayer purchase ${SAMPLE_ORDER}, customer 2, referenceNumber PO-88-2302 (not sent when a sale already names the purchase)`,
    ]);
    const lookups = flows.sandbox.fakes.lightspeedR.calls
      .filter((call) => !call.startsWith('POST /auth/'))
      .map((call) => {
        const [route, query] = call.split('?');
        if (query === undefined) return route;
        const q = new URLSearchParams(query);
        return `${route} referenceNumber=${q.get('referenceNumber')} source=${q.get('referenceNumberSource')} customerID=${q.get('customerID')}`;
      });
    expect(lookups).toEqual([
      'GET /API/V3/Account/12345/Sale.json referenceNumber=PO-4471 source=SparkLayer customerID=7',
      POST_SALE,
      'GET /API/V3/Account/12345/Sale.json referenceNumber=PO-88-2302 source=SparkLayer customerID=2',
      POST_SALE,
    ]);
    // What R-Series now holds, as it computed it: the released order completed and paid in full (its tax 31.50 is
    // SparkLayer's), the invoice order open with its whole total due; the credit account charged 189.
    const sales = salesIn(flows);
    expect(sales.map(summary)).toEqual([
      ['PO-4471', '7', 'true', '189', '0'],
      ['PO-88-2302', '2', 'false', '76.2', '76.2'],
    ]);
    expect(sales.map((s) => s.SaleNotes?.InternalNote?.note)).toEqual([EXAMPLE_NOTE, SAMPLE_NOTE]);
    expect(flows.sandbox.fakes.lightspeedR.creditAccounts.map((a) => [a.creditAccountID, a.balance])).toEqual([['2', '-189']]);
    // Report: both exceptions reach the notify shape and the queue, whole.
    expect(result.notifications.filter((n) => n.level === 'warning').map((n) => n.message.split(',')[1]!.split(':')[0]!.trim()).sort()).toEqual(['MISSING_PURCHASE_ID', 'UNKNOWN_PURCHASE_TYPE']);
    expect(result.notifications.filter((n) => n.level === 'error')).toEqual([]);
    const queued = queuedIn(result) as Array<{ code: string; record: { type: string } }>;
    expect(queued.map((q) => [q.code, q.record.type]).sort()).toEqual([['MISSING_PURCHASE_ID', 'order'], ['UNKNOWN_PURCHASE_TYPE', 'draft_order']]);
    expect(result.counts).toEqual({ in: 9, created: 2, updated: 0, unchanged: 0, skipped: 5, exceptions: 2 });
  });

  it('holds a Pay on Account order as an open sale noted ON HOLD when on_account_mode is hold', async () => {
    const flows = await sandboxFlows();
    const result = await flows.run(FLOW, { client: withFlowVariables(flows.client, FLOW, { on_account_mode: 'hold' }) });

    expect(result.status).toBe('success');
    const held = salesIn(flows).find((s) => s.referenceNumber === 'PO-4471')!;
    expect([held.completed, held.SalePayments.SalePayment.length, held.balance]).toEqual(['false', 0, '189']);
    expect(held.SaleNotes?.InternalNote?.note).toContain('ON HOLD - Pay on Account order held for finance: do not fulfil until finance releases it');
    expect(flows.sandbox.fakes.lightspeedR.creditAccounts.map((a) => a.balance)).toEqual(['0']);
  });

  it('sends an order R-Series refuses down the catch route, whole, and books the other; fixed and replayed, it is booked once', async () => {
    const flows = await sandboxFlows();
    // The jug mapped to R-Series' own jug, item 43, which is archived: R-Series refuses that sale only.
    const refusing = withFlowLookup(flows.client, FLOW, 'product_map', { 'MUG-ENAMEL-WHT': '41', 'TOWEL-LINEN-NAT': '42', 'JUG-STONE-1L': '43' });
    const result = await flows.run(FLOW, { client: refusing });

    expect(result.status).toBe('partial_success');
    expect(salesIn(flows).map((s) => s.referenceNumber)).toEqual(['PO-4471']);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]!.shape).toBe('Create R-Series sale');
    expect(result.failed[0]!.error).toBe('HTTP 400 Bad Request: SaleLines.SaleLine[0]: item 43 is archived (POST /Sale.json)');
    const refused = JSON.parse(result.failed[0]!.payload.body) as { referenceNumber: string; customerID: number; SaleLines: { SaleLine: Array<{ itemID: number }> } };
    expect([refused.referenceNumber, refused.customerID, refused.SaleLines.SaleLine.map((l) => l.itemID)]).toEqual(['PO-88-2302', 2, [43, 0]]);
    // R-Series' reason comes first, so it survives Patchworks' 100-character cut of [[meta.error_message]].
    expect(result.notifications.filter((n) => n.level === 'error').map((n) => n.message)).toEqual([
      'Lightspeed R-Series refused the sale PO-88-2302 for customer 2: HTTP 400 Bad Request: SaleLines.SaleLine[0]: item 43 is archived (POST /Sale.json) (Order desk)',
    ]);
    // The queue keeps the refused sale whole, with R-Series' reason and the shape that failed, beside the two exceptions.
    const queued = queuedIn(result);
    expect(queued.filter((q) => 'record' in q && 'shape' in q)).toEqual([
      { error: 'HTTP 400 Bad Request: SaleLines.SaleLine[0]: item 43 is archived (POST /Sale.json)', shape: 'Create R-Series sale', record: refused },
    ]);
    expect(queued.filter((q) => 'code' in q).map((q) => q.code).sort()).toEqual(['MISSING_PURCHASE_ID', 'UNKNOWN_PURCHASE_TYPE']);
    expect(result.counts).toMatchObject({ created: 1, exceptions: 3 });

    // The refused order is already in the data pool: running again with the mapping fixed does not retry it…
    const again = await flows.run(FLOW);
    expect(again.counts.created).toBe(0);
    expect(salesIn(flows)).toHaveLength(1);
    // …replaying it does (here: the pool cleared). The order booked before is found and not posted again.
    flows.pools.forget(POOL);
    const postsBefore = posts(flows);
    const replay = await flows.run(FLOW);
    expect(replay.status).toBe('success');
    expect(posts(flows) - postsBefore).toBe(1);
    expect(salesIn(flows).map((s) => [s.referenceNumber, s.SaleLines])).toEqual([
      ['PO-4471', expect.anything()],
      ['PO-88-2302', { SaleLine: [expect.objectContaining({ itemID: '22' }), expect.objectContaining({ itemID: '0' })] }],
    ]);
  });

  it('does not repeat a POST that failed with a 5xx (it may have been applied): the order is caught, and its replay books it once', async () => {
    const flows = await sandboxFlows();
    flows.sandbox.fakes.lightspeedR.failNext(POST_SALE, { status: 503 });
    const result = await flows.run(FLOW);

    expect(result.status).toBe('partial_success');
    expect(posts(flows)).toBe(2); // the first POST (refused with 503) was not sent again; the second order's was sent
    expect(result.failed.map((f) => f.error)).toEqual([
      'POST /API/V3/Account/12345/Sale.json failed: HTTP 503 - no body - not repeated: it may have been applied; check before sending again',
    ]);
    expect((JSON.parse(result.failed[0]!.payload.body) as { referenceNumber: string }).referenceNumber).toBe('PO-4471');
    expect(salesIn(flows).map((s) => s.referenceNumber)).toEqual(['PO-88-2302']);

    flows.pools.forget(POOL);
    await flows.run(FLOW);
    expect(posts(flows)).toBe(3); // only the caught order is posted again: the other is found by its note
    expect(salesIn(flows).map((s) => s.referenceNumber).sort()).toEqual(['PO-4471', 'PO-88-2302']);
  });

  it('creates nothing twice when the same flow runs again, and nothing twice even with its data pool lost', async () => {
    const flows = await sandboxFlows();
    await flows.run(FLOW);
    const booked = structuredClone(salesIn(flows));
    expect(booked).toHaveLength(2);
    const postsAfterFirst = posts(flows);

    const again = await flows.run(FLOW);
    expect(again.counts.created).toBe(0);
    expect(shapeRun(again, 'Drop orders already handled').notes).toEqual([`1 filtered out: already in data pool "${POOL}"`, `2 filtered out: already in data pool "${POOL}"`]);
    expect(posts(flows)).toBe(postsAfterFirst);

    // Patchworks keeps pool entries 90 days and a pool is not atomic. R-Series has no external-id upsert: createSale
    // finds each sale by its reference and the purchase named in its note, and posts nothing.
    for (const name of flows.pools.names()) flows.pools.forget(name);
    const afterLoss = await flows.run(FLOW);
    expect(afterLoss.status).toBe('success');
    expect(shapeRun(afterLoss, 'Create R-Series sale').payloadsIn).toBe(2);
    expect(afterLoss.counts).toMatchObject({ created: 0, unchanged: 2 });
    expect(posts(flows)).toBe(postsAfterFirst);
    expect(salesIn(flows)).toEqual(booked);
    expect(flows.sandbox.fakes.lightspeedR.creditAccounts.map((a) => a.balance)).toEqual(['-189']);
  });

  it('refuses a sale body that names no SparkLayer purchase, before sending anything', async () => {
    const flows = await sandboxFlows();
    const client = flows.sandbox.systems['lightspeed-r']!.client as LightspeedRClient;
    const body = { customerID: 7, employeeID: 2, registerID: 5, shopID: 1, referenceNumber: 'PO-1', SaleLines: { SaleLine: [{ itemID: 41, unitQuantity: 1 }] } };
    await expect(lightspeedREndpoints.createSale!.call(client, { payload: body, variables: {} })).rejects.toThrow(/names no SparkLayer purchase in SaleNotes\.InternalNote/);
    const noReference = { ...body, referenceNumber: ' ', SaleNotes: { InternalNote: { note: 'SparkLayer purchase abc' } } };
    await expect(lightspeedREndpoints.createSale!.call(client, { payload: noReference, variables: {} })).rejects.toThrow(/names no referenceNumber/);
    expect(flows.sandbox.fakes.lightspeedR.calls).toEqual([]);
  });

  it('reads but does not write in a --live run: the writes are printed instead', async () => {
    const flows = await sandboxFlows();
    const result = await flows.run(FLOW, { live: true });
    expect(result.heldWrites).toEqual([
      `lightspeed-r createSale: POST /Sale.json for SparkLayer purchase ${EXAMPLE_ORDER}, customer 7, referenceNumber PO-4471 (not sent when a sale already names the purchase)`,
      `lightspeed-r createSale: POST /Sale.json for SparkLayer purchase ${SAMPLE_ORDER}, customer 2, referenceNumber PO-88-2302 (not sent when a sale already names the purchase)`,
    ]);
    expect(salesIn(flows)).toEqual([]);
    expect(flows.sandbox.fakes.lightspeedR.calls).toEqual([]);
  });
});
