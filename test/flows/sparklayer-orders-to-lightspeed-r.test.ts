// The SparkLayer-to-R-Series flow on the sandbox, shape by shape, as it ships (connection shapes run the built
// definition in dist/connectors): what each shape outputs, what the fake R-Series then holds, an order R-Series
// refuses, a fault on the POST, re-runs, a sale body that names no purchase, and a --live run.
import { describe, expect, it } from 'vitest';
import { walkShapes, type Shape } from '../../patchworks/blueprint/blueprint.js';
import { loadBlueprints } from '../../patchworks/blueprint/catalog.js';
import type { Envelope } from '../../patchworks/runtime/envelope.js';
import type { FlowRunResult } from '../../patchworks/runner/flow-runner.js';
import { runBlueprint } from '../../patchworks/runner/run-blueprint.js';
import { EXAMPLE_ORDER, expectOrderSpine, outputsOf, ROOT, sandboxFlows, SAMPLE_ORDER, shapeRun, withFlowLookup, withFlowVariables } from '../support/flow-harness.js';

const FLOW = 'sparklayer-orders-to-lightspeed-r';
const POOL = 'sparklayer-orders-lightspeed-r';
// EXAMPLE_ORDER: company 0b5e… -> R-Series customer 7 (credit account 2), Pay on Account
// SAMPLE_ORDER: company c9d8… -> R-Series customer 2, invoice
const POST_SALE = 'POST /API/V3/Account/12345/Sale.json';
/** The run log's line for a connection shape: connector, operationId, and the request as the definition made it. */
const CREATED = 'created  lightspeed-r createSale: POST /API/V3/Account/12345/Sale.json';
/** Find sales, as the built definition sends it: the shape's variables, the endpoint's default limit, notes loaded. */
const findLine = (reference: string, customer: number) =>
  `lightspeed-r listSales: GET /API/V3/Account/12345/Sale.json?referenceNumber=${reference}&referenceNumberSource=SparkLayer&customerID=${customer}&limit=100&load_relations=%5B%22SaleNotes%22%5D: 1 payload`;

type Flows = Awaited<ReturnType<typeof sandboxFlows>>;
type StoredSale = { saleID: string; referenceNumber: string; SaleLines: { SaleLine: Array<{ itemID: string; unitQuantity: string }> }; customerID: string; completed: string; total: string; balance: string; SalePayments: { SalePayment: Array<{ paymentTypeID: string; amount: string; creditAccountID: string }> }; SaleNotes?: { InternalNote?: { note: string } } };
const salesIn = (flows: Flows) => flows.sandbox.fakes.lightspeedR.sales as unknown as StoredSale[];
const summary = (sale: StoredSale) => [sale.referenceNumber, sale.customerID, sale.completed, sale.total, sale.balance];
const posts = (flows: Flows) => flows.sandbox.fakes.lightspeedR.calls.filter((call) => call === POST_SALE).length;
const queuedIn = (result: { caches: Record<string, Record<string, string[]>> }) => (result.caches['exceptions-queue']?.[POOL] ?? []).map((body) => JSON.parse(body) as Record<string, unknown>);
/** The R-Series API calls (token requests left out), a look-up shown by what it searches on. */
const apiCalls = (calls: readonly string[]) =>
  calls
    .filter((call) => !call.startsWith('POST /auth/'))
    .map((call) => {
      const [route, query] = call.split('?');
      if (query === undefined) return route!;
      const q = new URLSearchParams(query);
      return `${route} referenceNumber=${q.get('referenceNumber')} source=${q.get('referenceNumberSource')} customerID=${q.get('customerID')} load_relations=${q.get('load_relations')}`;
    });
const lookUp = (reference: string, customer: number) => `GET /API/V3/Account/12345/Sale.json referenceNumber=${reference} source=SparkLayer customerID=${customer} load_relations=["SaleNotes"]`;
/** What "Skip sales already booked" decided, its per-payload count lines and its skips (its log lines left out). */
const skipNotes = (result: FlowRunResult) => shapeRun(result, 'Skip sales already booked').notes.filter((note) => !note.startsWith('log  '));
const PASSED = '1 in -> 1 passed, 0 skipped, 0 exceptions';
const SKIPPED = '1 in -> 0 passed, 1 skipped, 0 exceptions';
const alreadyBooked = (purchase: string, sale: StoredSale) => `skipped  SparkLayer purchase ${purchase}  already_booked:sale ${sale.saleID}`;

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
          { itemID: 41, unitQuantity: 24, unitPrice: '4.00', tax: true },
          { itemID: 42, unitQuantity: 12, unitPrice: '4.50', tax: true },
          { itemID: 0, unitQuantity: 1, unitPrice: '7.50', note: 'Shipping: Standard Shipping', tax: true },
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
          { itemID: 22, unitQuantity: 4, unitPrice: '14.00', tax: true },
          { itemID: 0, unitQuantity: 1, unitPrice: '7.50', note: 'Shipping: Standard Shipping', tax: true },
        ],
      },
      SaleNotes: { InternalNote: { note: SAMPLE_NOTE } },
    });
    // Book, shape by shape. Name the sale: the internal note (it names the purchase) keys each body in the run's cache.
    expect(shapeRun(result, 'Name the sale').outputs.map((payload) => payload.meta.sale_key)).toEqual([EXAMPLE_NOTE, SAMPLE_NOTE]);
    const cached = Object.entries(result.caches['sales-to-book'] ?? {}).map(([key, kept]) => [key, kept.map((body) => JSON.parse(body) as unknown)]);
    expect(cached).toEqual([[EXAMPLE_NOTE, [bodies[0]]], [SAMPLE_NOTE, [bodies[1]]]]);
    // Find: each sale by its reference, source and customer, with its notes; R-Series has neither yet (no Sale: an empty page).
    expect(shapeRun(result, 'Find the R-Series sale').notes).toEqual([findLine('PO-4471', 7), findLine('PO-88-2302', 2)]);
    expect(outputsOf(result, 'Find the R-Series sale')).toEqual([[], []]);
    // Beside what was found, each body passes the skip (nothing booked for its purchase) and is split out again.
    expect(outputsOf(result, 'The sale beside what was found')).toEqual([{ records: [bodies[0]], found: [] }, { records: [bodies[1]], found: [] }]);
    expect(skipNotes(result)).toEqual([PASSED, PASSED]);
    expect(outputsOf(result, 'One sale per payload, not yet booked')).toEqual(bodies);
    // Create: one POST each. Shapes run over the whole bucket in turn, so both look-ups come before both POSTs.
    expect(shapeRun(result, 'Create R-Series sale').notes).toEqual([CREATED, CREATED]);
    expect(apiCalls(flows.sandbox.fakes.lightspeedR.calls)).toEqual([lookUp('PO-4471', 7), lookUp('PO-88-2302', 2), POST_SALE, POST_SALE]);
    // Each request sent once, as the engine records it: no retry, no second POST.
    const sent = flows.sandbox.engine.sent.filter((request) => request.connector === 'lightspeed-r').map((request) => `${request.method} ${new URL(request.url).pathname} ${request.status}`);
    expect(sent).toEqual(['POST /auth/oauth/token 200', 'GET /API/V3/Account/12345/Sale.json 200', 'GET /API/V3/Account/12345/Sale.json 200', `${POST_SALE} 200`, `${POST_SALE} 200`]);
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
    // Both were looked up and found nowhere; the POST of the second is what R-Series refused.
    expect(skipNotes(result)).toEqual([PASSED, PASSED]);
    const REFUSED = 'HTTP 400 Bad Request: SaleLines.SaleLine[0]: item 43 is archived (POST /API/V3/Account/12345/Sale.json)';
    expect(shapeRun(result, 'Create R-Series sale').notes).toEqual([CREATED, `FAILED  ${REFUSED}`]);
    expect(result.failed.map((f) => [f.shape, f.error])).toEqual([['Create R-Series sale', REFUSED]]);
    const refused = JSON.parse(result.failed[0]!.payload.body) as { referenceNumber: string; customerID: number; SaleLines: { SaleLine: Array<{ itemID: number }> } };
    expect([refused.referenceNumber, refused.customerID, refused.SaleLines.SaleLine.map((l) => l.itemID)]).toEqual(['PO-88-2302', 2, [43, 0]]);
    // R-Series' reason comes first, so it survives Patchworks' 100-character cut of [[meta.error_message]].
    expect(REFUSED.slice(0, 100)).toContain('item 43 is archived');
    expect(result.notifications.filter((n) => n.level === 'error').map((n) => n.message)).toEqual([
      `Lightspeed R-Series refused the sale PO-88-2302 for customer 2: ${REFUSED.slice(0, 100)} (Order desk)`,
    ]);
    // The queue keeps the refused sale whole, with R-Series' reason and the shape that failed, beside the two exceptions.
    const queued = queuedIn(result);
    expect(queued.filter((q) => 'record' in q && 'shape' in q)).toEqual([{ error: REFUSED, shape: 'Create R-Series sale', record: refused }]);
    expect(queued.filter((q) => 'code' in q).map((q) => q.code).sort()).toEqual(['MISSING_PURCHASE_ID', 'UNKNOWN_PURCHASE_TYPE']);
    expect(result.counts).toEqual({ in: 9, created: 1, updated: 0, unchanged: 0, skipped: 5, exceptions: 3 });

    // The refused order is already in the data pool: running again with the mapping fixed does not retry it…
    const again = await flows.run(FLOW);
    expect(again.counts).toEqual({ in: 9, created: 0, updated: 0, unchanged: 0, skipped: 7, exceptions: 2 });
    expect(shapeRun(again, 'Find the R-Series sale').payloadsIn).toBe(0);
    expect(salesIn(flows)).toHaveLength(1);
    // …replaying it does (here: the pool cleared). The order booked before is found by its note and skipped, not posted again.
    flows.pools.forget(POOL);
    const booked = structuredClone(salesIn(flows)[0]!);
    const postsBefore = posts(flows);
    const replay = await flows.run(FLOW);
    expect(replay.status).toBe('success');
    expect(skipNotes(replay)).toEqual([SKIPPED, alreadyBooked(EXAMPLE_ORDER, booked), PASSED]);
    expect(shapeRun(replay, 'Create R-Series sale').notes).toEqual([CREATED]);
    expect(posts(flows) - postsBefore).toBe(1);
    expect(replay.counts).toEqual({ in: 9, created: 1, updated: 0, unchanged: 0, skipped: 6, exceptions: 2 });
    const [kept, replayed] = salesIn(flows) as [StoredSale, StoredSale];
    expect(kept).toEqual(booked);
    expect(summary(replayed)).toEqual(['PO-88-2302', '2', 'false', '76.2', '76.2']);
    expect(replayed.SaleLines.SaleLine.map((l) => [l.itemID, l.unitQuantity])).toEqual([['22', '4'], ['0', '1']]);
  });

  it('does not repeat a POST that failed with a 5xx (it may have been applied): the order is caught, and its replay books it once', async () => {
    const flows = await sandboxFlows();
    // R-Series answers the first POST with a 503 and does not book it.
    flows.sandbox.fakes.lightspeedR.failNext(POST_SALE, { status: 503 });
    const result = await flows.run(FLOW);

    expect(result.status).toBe('partial_success');
    // The create has 0 shape retries: the 503 POST (PO-4471) was not sent again; the second order's was sent.
    const postStatuses = (from = 0) =>
      flows.sandbox.engine.sent.slice(from).filter((request) => request.method === 'POST' && new URL(request.url).pathname === '/API/V3/Account/12345/Sale.json').map((request) => request.status);
    expect(postStatuses()).toEqual([503, 200]);
    const FAILED = 'HTTP 503 no body (POST /API/V3/Account/12345/Sale.json)';
    expect(shapeRun(result, 'Create R-Series sale').notes).toEqual([`FAILED  ${FAILED}`, CREATED]);
    expect(result.failed.map((f) => [f.shape, f.error])).toEqual([['Create R-Series sale', FAILED]]);
    expect((JSON.parse(result.failed[0]!.payload.body) as { referenceNumber: string }).referenceNumber).toBe('PO-4471');
    expect(result.notifications.filter((n) => n.level === 'error').map((n) => n.message)).toEqual([`Lightspeed R-Series refused the sale PO-4471 for customer 7: ${FAILED.slice(0, 100)} (Order desk)`]);
    expect(salesIn(flows).map((s) => s.referenceNumber)).toEqual(['PO-88-2302']);
    expect(flows.sandbox.fakes.lightspeedR.creditAccounts.map((a) => a.balance)).toEqual(['0']);

    // The replay looks both up: the caught order is not there and is posted; the other is found by its note.
    flows.pools.forget(POOL);
    const sentBefore = flows.sandbox.engine.sent.length;
    const booked = structuredClone(salesIn(flows)[0]!);
    const replay = await flows.run(FLOW);
    expect(replay.status).toBe('success');
    expect(skipNotes(replay)).toEqual([PASSED, SKIPPED, alreadyBooked(SAMPLE_ORDER, booked)]);
    expect(postStatuses(sentBefore)).toEqual([200]);
    expect(posts(flows)).toBe(3);
    expect(salesIn(flows).map(summary)).toEqual([
      ['PO-88-2302', '2', 'false', '76.2', '76.2'],
      ['PO-4471', '7', 'true', '189', '0'],
    ]);
    // Charged once: the refused POST booked nothing, the replay's did.
    expect(flows.sandbox.fakes.lightspeedR.creditAccounts.map((a) => [a.creditAccountID, a.balance])).toEqual([['2', '-189']]);
  });

  it('creates nothing twice when the same flow runs again, and nothing twice even with its data pool lost', async () => {
    const flows = await sandboxFlows();
    const fake = flows.sandbox.fakes.lightspeedR;
    await flows.run(FLOW);
    const booked = structuredClone(salesIn(flows));
    expect(booked.map((s) => s.referenceNumber)).toEqual(['PO-4471', 'PO-88-2302']);
    const callsAfterFirst = fake.calls.length;

    const again = await flows.run(FLOW);
    expect(again.status).toBe('success');
    expect(again.counts).toEqual({ in: 9, created: 0, updated: 0, unchanged: 0, skipped: 7, exceptions: 2 });
    expect(shapeRun(again, 'Drop orders already handled').notes).toEqual([`1 filtered out: already in data pool "${POOL}"`, `2 filtered out: already in data pool "${POOL}"`]);
    // Nothing reaches R-Series: not even a look-up.
    expect(fake.calls.slice(callsAfterFirst)).toEqual([]);

    // Patchworks keeps pool entries 90 days and a pool is not atomic. R-Series has no external-id upsert: the flow
    // looks each sale up by its reference, and skips it when a sale there names the same purchase in its note.
    for (const name of flows.pools.names()) flows.pools.forget(name);
    const callsBeforeLoss = fake.calls.length;
    const afterLoss = await flows.run(FLOW);
    expect(afterLoss.status).toBe('success');
    expect(shapeRun(afterLoss, 'Find the R-Series sale').notes).toEqual([findLine('PO-4471', 7), findLine('PO-88-2302', 2)]);
    expect(skipNotes(afterLoss)).toEqual([SKIPPED, alreadyBooked(EXAMPLE_ORDER, booked[0]!), SKIPPED, alreadyBooked(SAMPLE_ORDER, booked[1]!)]);
    expect(shapeRun(afterLoss, 'One sale per payload, not yet booked').payloadsOut).toBe(0);
    expect(shapeRun(afterLoss, 'Create R-Series sale').payloadsIn).toBe(0);
    expect(afterLoss.counts).toEqual({ in: 9, created: 0, updated: 0, unchanged: 0, skipped: 7, exceptions: 2 });
    expect(apiCalls(fake.calls.slice(callsBeforeLoss))).toEqual([lookUp('PO-4471', 7), lookUp('PO-88-2302', 2)]);
    expect(salesIn(flows)).toEqual(booked);
    expect(fake.creditAccounts.map((a) => a.balance)).toEqual(['-189']);
  });

  it('posts nothing for a sale body that names no SparkLayer purchase: the skip cannot tell whether it is booked', async () => {
    const flows = await sandboxFlows();
    // The flow's own booking shapes, as built, on a sale typed by hand (no internal note naming a purchase).
    const blueprint = (await loadBlueprints(ROOT)).find((b) => b.key === FLOW)!;
    const book = [...walkShapes(blueprint.shapes)].find((shape) => shape.type === 'try-catch')!;
    const handTyped = { customerID: 7, employeeID: 2, registerID: 5, shopID: 1, referenceNumber: 'PO-1', referenceNumberSource: 'SparkLayer', SaleLines: { SaleLine: [{ itemID: 41, unitQuantity: 1 }] } };
    const shapes: Shape[] = [blueprint.shapes[0]!, { type: 'manual-payload', name: 'A sale typed by hand', payload: JSON.stringify(handTyped) }, book];
    const result = await runBlueprint({ root: ROOT, blueprint: { ...blueprint, shapes }, client: flows.client, connections: { engine: flows.sandbox.engine }, pools: flows.pools });

    expect(shapeRun(result, 'Name the sale').outputs.map((payload) => payload.meta.sale_key)).toEqual(['']);
    expect(skipNotes(result)).toEqual(['1 in -> 0 passed, 0 skipped, 1 exceptions', 'EXCEPTION  (no id)  SALE_NOT_IDENTIFIABLE: the sale names no SparkLayer purchase in SaleNotes.InternalNote.note']);
    expect(shapeRun(result, 'Create R-Series sale').payloadsIn).toBe(0);
    expect(result.counts.exceptions).toBe(1);
    expect(result.counts.created).toBe(0);
    expect(apiCalls(flows.sandbox.fakes.lightspeedR.calls)).toEqual([lookUp('PO-1', 7)]);
    expect(salesIn(flows)).toEqual([]);
  });

  it('reads but does not write in a --live run: the writes are printed instead', async () => {
    const flows = await sandboxFlows();
    const result = await flows.run(FLOW, { live: true });
    // Through the pack's clients, not the built definitions.
    expect(flows.sandbox.engine.sent).toEqual([]);
    expect(result.failed.map((f) => [f.shape, f.error])).toEqual([]);
    expect(result.status).toBe('success');
    expect(result.heldWrites).toEqual([
      `lightspeed-r createSale: POST /Sale.json for SparkLayer purchase ${EXAMPLE_ORDER}, customer 7, referenceNumber PO-4471 (not sent when a sale already names the purchase)`,
      `lightspeed-r createSale: POST /Sale.json for SparkLayer purchase ${SAMPLE_ORDER}, customer 2, referenceNumber PO-88-2302 (not sent when a sale already names the purchase)`,
    ]);
    expect(shapeRun(result, 'Create R-Series sale').notes).toEqual(result.heldWrites.map((line) => `NOT SENT (--live is read-only)  ${line}`));
    // The reads are made (each sale looked up by its reference, source and customer); no write reaches R-Series.
    const fake = flows.sandbox.fakes.lightspeedR;
    const searched = fake.calls.filter((call) => call.startsWith('GET /API/V3/Account/12345/Sale.json')).map((call) => {
      const q = new URLSearchParams(call.split('?')[1] ?? '');
      return [q.get('referenceNumber'), q.get('referenceNumberSource'), q.get('customerID')];
    });
    expect(searched).toEqual([['PO-4471', 'SparkLayer', '7'], ['PO-88-2302', 'SparkLayer', '2']]);
    expect(fake.calls.filter((call) => /^(POST|PUT) \/API\//.test(call))).toEqual([]);
    expect(salesIn(flows)).toEqual([]);
    expect(result.notifications.filter((n) => n.level === 'error')).toEqual([]);
  });
});
