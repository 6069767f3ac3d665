// The SparkLayer-to-R-Series flow on the sandbox, shape by shape, as it ships (connection shapes run the built
// definition in dist/connectors): what each shape outputs, what the fake R-Series then holds, an order R-Series
// refuses and a fault on the POST (each kept in the order queue, and booked once by the next run), re-runs (with the
// queue cache lost, then the data pool as well), a sale body that names no purchase, and a --live run.
import { describe, expect, it } from 'vitest';
import { walkShapes, type Shape } from '../../patchworks/blueprint/blueprint.js';
import { loadBlueprints } from '../../patchworks/blueprint/catalog.js';
import type { SaleCreate } from '../../connectors/lightspeed-r/schemas.js';
import type { Envelope } from '../../runtime/envelope.js';
import type { FlowRunResult } from '../../patchworks/runner/flow-runner.js';
import { runBlueprint } from '../../patchworks/runner/run-blueprint.js';
import { SANDBOX_AS_OF } from '../../patchworks/runner/systems.js';
import {
  EXAMPLE_ORDER,
  expectOrderSpine,
  keptQueue,
  outputsOf,
  ROOT,
  sandboxFlows,
  SAMPLE_ORDER,
  shapeRun,
  warnings,
  withFlowLookup,
  withFlowVariables,
} from '../support/flow-harness.js';

const FLOW = 'sparklayer-orders-to-lightspeed-r';
const POOL = 'sparklayer-orders-lightspeed-r';
// EXAMPLE_ORDER: company 0b5e… -> R-Series customer 7 (credit account 2), Pay on Account
// SAMPLE_ORDER: company c9d8… -> R-Series customer 2, invoice
const POST_SALE = 'POST /API/V3/Account/12345/Sale.json';
/** The run log's line for a connection shape: connector, operationId, and the request as the definition made it. */
const CREATED = 'created  lightspeed-r createSale: POST /API/V3/Account/12345/Sale.json';
/** Find sales, as the built definition sends it: the shape's variables, the endpoint's default limit, notes loaded. */
const findLine = (reference: string, customer: number) =>
  `lightspeed-r listSales: GET ` +
  `/API/V3/Account/12345/Sale.json?referenceNumber=${reference}&referenceNumberSource=SparkLayer` +
  `&customerID=${customer}&limit=100&load_relations=%5B%22SaleNotes%22%5D: ` +
  `1 payload`;

type Flows = Awaited<ReturnType<typeof sandboxFlows>>;
type StoredSale = {
  saleID: string;
  referenceNumber: string;
  SaleLines: { SaleLine: Array<{ itemID: string; unitQuantity: string }> };
  customerID: string;
  completed: string;
  total: string;
  balance: string;
  SalePayments: { SalePayment: Array<{ paymentTypeID: string; amount: string; creditAccountID: string }> };
  SaleNotes?: { InternalNote?: { note: string } };
};
const salesIn = (flows: Flows) => flows.sandbox.fakes.lightspeedR.sales as unknown as StoredSale[];
const summary = (sale: StoredSale) => [sale.referenceNumber, sale.customerID, sale.completed, sale.total, sale.balance];
const posts = (flows: Flows) => flows.sandbox.fakes.lightspeedR.calls.filter((call) => call === POST_SALE).length;
/** The order queue's entry for a purchase, as the flow kept it for the next run. */
const entryFor = (flows: Flows, purchase: string) =>
  keptQueue(flows, FLOW)?.entries.find((entry) => entry.key === purchase);
/** The sandbox's clock plus some minutes: the instant a later scheduled run starts. */
const minutesLater = (minutes: number) => new Date(Date.parse(SANDBOX_AS_OF) + minutes * 60_000).toISOString();
/** The jug mapped to R-Series' own jug, item 43, which is archived: R-Series refuses the sale with the jug only. */
const refusingClient = (flows: Flows) =>
  withFlowLookup(flows.client, FLOW, 'product_map', {
    'MUG-ENAMEL-WHT': '41',
    'TOWEL-LINEN-NAT': '42',
    'JUG-STONE-1L': '43',
  });
const REFUSED =
  'HTTP 400 Bad Request: SaleLines.SaleLine[0]: item 43 is archived (POST /API/V3/Account/12345/Sale.json)';
/** The R-Series API calls (token requests left out), a look-up shown by what it searches on. */
const apiCalls = (calls: readonly string[]) =>
  calls
    .filter((call) => !call.startsWith('POST /auth/'))
    .map((call) => {
      const [route, query] = call.split('?');
      if (query === undefined) return route!;
      const q = new URLSearchParams(query);
      return (
        `${route} referenceNumber=${q.get('referenceNumber')} source=${q.get('referenceNumberSource')} ` +
        `customerID=${q.get('customerID')} load_relations=${q.get('load_relations')}`
      );
    });
const lookUp = (reference: string, customer: number) =>
  `GET /API/V3/Account/12345/Sale.json referenceNumber=${reference} source=SparkLayer ` +
  `customerID=${customer} load_relations=["SaleNotes"]`;
/** What "Skip sales already booked" decided, its per-payload count lines and its skips (its log lines left out). */
const skipNotes = (result: FlowRunResult) =>
  shapeRun(result, 'Skip sales already booked').notes.filter((note) => !note.startsWith('log  '));
const PASSED = '1 in -> 1 passed, 0 skipped, 0 exceptions';
const SKIPPED = '1 in -> 0 passed, 1 skipped, 0 exceptions';
const alreadyBooked = (purchase: string, sale: StoredSale) =>
  `skipped  SparkLayer purchase ${purchase}  already_booked:sale ${sale.saleID}`;

const EXAMPLE_NOTE =
  `SparkLayer order B2B01123; SparkLayer purchase ${EXAMPLE_ORDER}; PO PO-4471; Pay on Account: released ` +
  `for fulfilment, charged to credit account 2; Ship to: Unit 4, Example Trade Park, Leeds, GB; Shipping ` +
  `method: Standard Shipping`;
const SAMPLE_NOTE =
  `SparkLayer order B2B01128; SparkLayer purchase ${SAMPLE_ORDER}; PO PO-88-2302; Payment: invoice, not ` +
  `settled in R-Series; Ship to: Unit 4, Example Trade Park, Leeds, GB; Shipping method: Standard Shipping`;

describe(`blueprint ${FLOW}`, () => {
  it(
    'books each live order once as an R-Series sale and reports every purchase it does not ' + 'book, shape by shape',
    async () => {
      const flows = await sandboxFlows();
      const result = await flows.run(FLOW);

      expect(result.status).toBe('success');
      expectOrderSpine(result, flows.pools, POOL);
      // Resolve: each company's R-Series customer ID from the client's account map.
      const resolved = (outputsOf(result, 'Find the R-Series customer') as Envelope[]).flatMap(
        (e) => e.records,
      ) as Array<{ erp_account: string; erp_account_source: string }>;
      expect(resolved.map((r) => [r.erp_account, r.erp_account_source])).toEqual([
        ['7', 'account_map'],
        ['2', 'account_map'],
      ]);
      // Map: one Sale POST body per order (both orders in the one payload the run gathered), no exception from the
      // mapper.
      const mapped = outputsOf(result, 'Build R-Series sales') as Envelope[];
      expect(
        mapped.map((e) => [
          e.records.length,
          e.exceptions.filter((x) => x.step === 'map-order-to-lightspeed-r').length,
        ]),
      ).toEqual([[2, 0]]);
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
        SalePayments: {
          SalePayment: [
            { paymentTypeID: 4, amount: '189.00', creditAccountID: 2, remoteReference: `sparklayer:${EXAMPLE_ORDER}` },
          ],
        },
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
      // Book, shape by shape. Name the sale: the internal note (it names the purchase) keys each body in the run's
      // cache.
      expect(shapeRun(result, 'Name the sale').outputs.map((payload) => payload.meta.sale_key)).toEqual([
        EXAMPLE_NOTE,
        SAMPLE_NOTE,
      ]);
      const cached = Object.entries(result.caches['sales-to-book'] ?? {}).map(([key, kept]) => [
        key,
        kept.map((body) => JSON.parse(body) as unknown),
      ]);
      expect(cached).toEqual([
        [EXAMPLE_NOTE, [bodies[0]]],
        [SAMPLE_NOTE, [bodies[1]]],
      ]);
      // Find: each sale by its reference, source and customer, with its notes; R-Series has neither yet (no Sale: an
      // empty page).
      expect(shapeRun(result, 'Find the R-Series sale').notes).toEqual([
        findLine('PO-4471', 7),
        findLine('PO-88-2302', 2),
      ]);
      expect(outputsOf(result, 'Find the R-Series sale')).toEqual([[], []]);
      // Beside what was found, each body passes the skip (nothing booked for its purchase) and is split out again.
      expect(outputsOf(result, 'The sale beside what was found')).toEqual([
        { records: [bodies[0]], found: [] },
        { records: [bodies[1]], found: [] },
      ]);
      expect(skipNotes(result)).toEqual([PASSED, PASSED]);
      expect(outputsOf(result, 'One sale per payload, not yet booked')).toEqual(bodies);
      // Create: one POST each. Shapes run over the whole bucket in turn, so both look-ups come before both POSTs.
      expect(shapeRun(result, 'Create R-Series sale').notes).toEqual([CREATED, CREATED]);
      expect(apiCalls(flows.sandbox.fakes.lightspeedR.calls)).toEqual([
        lookUp('PO-4471', 7),
        lookUp('PO-88-2302', 2),
        POST_SALE,
        POST_SALE,
      ]);
      // Each request sent once, as the engine records it: no retry, no second POST.
      const sent = flows.sandbox.engine.sent
        .filter((request) => request.connector === 'lightspeed-r')
        .map((request) => `${request.method} ${new URL(request.url).pathname} ${request.status}`);
      expect(sent).toEqual([
        'POST /auth/oauth/token 200',
        'GET /API/V3/Account/12345/Sale.json 200',
        'GET /API/V3/Account/12345/Sale.json 200',
        `${POST_SALE} 200`,
        `${POST_SALE} 200`,
      ]);
      // What R-Series now holds, as it computed it: the released order completed and paid in full (its tax 31.50 is
      // SparkLayer's), the invoice order open with its whole total due; the credit account charged 189.
      const sales = salesIn(flows);
      expect(sales.map(summary)).toEqual([
        ['PO-4471', '7', 'true', '189', '0'],
        ['PO-88-2302', '2', 'false', '76.2', '76.2'],
      ]);
      expect(sales.map((s) => s.SaleNotes?.InternalNote?.note)).toEqual([EXAMPLE_NOTE, SAMPLE_NOTE]);
      expect(flows.sandbox.fakes.lightspeedR.creditAccounts.map((a) => [a.creditAccountID, a.balance])).toEqual([
        ['2', '-189'],
      ]);
      // Nothing was refused by R-Series, and every look-up decided: the catch route and the undecided route keep
      // nothing.
      expect(result.failed).toEqual([]);
      expect(shapeRun(result, 'Catch refused orders').notes).toEqual(['0 failed payloads to the catch route']);
      expect(outputsOf(result, 'What the look-up could not decide')).toEqual([{ exceptions: [] }, { exceptions: [] }]);
      // Report: both exceptions reach their owner's notify shape and the order queue, whole.
      expect(warnings(result)).toEqual([
        'SparkLayer order B2B01129 not booked, UNKNOWN_PURCHASE_TYPE: type: "draft_order" is not a ' +
          'SparkLayer purchase type (expected one of cart, quote… (Integration)',
        expect.stringMatching(
          new RegExp(
            '^SparkLayer order with no id \\(record:[0-9a-f]{14}\\) not booked, MISSING_PURCHASE_ID: ' +
              'purchase_identifiers: has none of sparklayer, platform or visible, so the purchase cannot be told… ' +
              '\\(Integration\\)$',
          ),
        ),
      ]);
      const queue = keptQueue(flows, FLOW)!;
      expect(queue.watermark).toBe('2026-11-22T09:00:00.000Z');
      expect(queue.entries.map((e) => [e.code, (e.record as { type: string }).type, e.owner, e.replay])).toEqual([
        ['UNKNOWN_PURCHASE_TYPE', 'draft_order', 'integration', true],
        ['MISSING_PURCHASE_ID', 'order', 'integration', true],
      ]);
      expect(result.counts).toEqual({ in: 9, created: 2, updated: 0, unchanged: 0, skipped: 5, exceptions: 2 });
    },
  );

  it('holds a Pay on Account order as an open sale noted ON HOLD when on_account_mode is hold', async () => {
    const flows = await sandboxFlows();
    const result = await flows.run(FLOW, {
      client: withFlowVariables(flows.client, FLOW, { on_account_mode: 'hold' }),
    });

    expect(result.status).toBe('success');
    const held = salesIn(flows).find((s) => s.referenceNumber === 'PO-4471')!;
    expect([held.completed, held.SalePayments.SalePayment.length, held.balance]).toEqual(['false', 0, '189']);
    expect(held.SaleNotes?.InternalNote?.note).toContain(
      'ON HOLD - Pay on Account order held for finance: do not fulfil until finance releases it',
    );
    expect(flows.sandbox.fakes.lightspeedR.creditAccounts.map((a) => a.balance)).toEqual(['0']);
    // Finance hears of the held order once it is booked.
    expect(result.notifications.filter((n) => n.level === 'info').map((n) => n.message)).toEqual([
      'SparkLayer order B2B01123 held for finance: GBP 189.00, account 7, company ' +
        '0b5e4d3c-2a19-4f08-9e7d-6c5b4a392817 (Finance)',
    ]);
  });

  it(
    'sends an order R-Series refuses down the catch route and keeps it waiting; once the mapping is fixed, ' +
      'the next run books it once',
    async () => {
      const flows = await sandboxFlows();
      const result = await flows.run(FLOW, { client: refusingClient(flows) });

      expect(result.status).toBe('partial_success');
      expect(salesIn(flows).map((s) => s.referenceNumber)).toEqual(['PO-4471']);
      // Both were looked up and found nowhere; the POST of the second is what R-Series refused.
      expect(skipNotes(result)).toEqual([PASSED, PASSED]);
      expect(shapeRun(result, 'Create R-Series sale').notes).toEqual([CREATED, `FAILED  ${REFUSED}`]);
      expect(result.failed.map((f) => [f.shape, f.error])).toEqual([['Create R-Series sale', REFUSED]]);
      const refused = JSON.parse(result.failed[0]!.payload.body) as {
        referenceNumber: string;
        customerID: number;
        SaleLines: { SaleLine: Array<{ itemID: number }> };
      };
      expect([refused.referenceNumber, refused.customerID, refused.SaleLines.SaleLine.map((l) => l.itemID)]).toEqual([
        'PO-88-2302',
        2,
        [43, 0],
      ]);
      // The catch route keeps the refused sale whole, with R-Series' whole reason and the shape that failed.
      expect(outputsOf(result, 'Keep the refused order')).toEqual([
        { error: REFUSED, shape: 'Create R-Series sale', record: refused },
      ]);
      // Its owner hears R-Series' reason, which leads, so it survives the cut at a word boundary.
      expect(warnings(result)).toContain(
        'SparkLayer order B2B01128 not booked, BACKEND_REFUSED: Create R-Series sale: HTTP 400 Bad ' +
          'Request: SaleLines.SaleLine[0]: item 43 is archived (POST… (Integration)',
      );
      // The queue keeps the purchase the sale's note names, as SparkLayer gave it, beside the two step exceptions.
      expect(
        keptQueue(flows, FLOW)!
          .entries.map((e) => e.code)
          .sort(),
      ).toEqual(['BACKEND_REFUSED', 'MISSING_PURCHASE_ID', 'UNKNOWN_PURCHASE_TYPE']);
      const entry = entryFor(flows, SAMPLE_ORDER)!;
      expect(entry).toMatchObject({
        code: 'BACKEND_REFUSED',
        owner: 'integration',
        message: `Create R-Series sale: ${REFUSED}`,
        replay: true,
        label: 'B2B01128',
      });
      expect((entry.record as { purchase_identifiers: { sparklayer: string } }).purchase_identifiers.sparklayer).toBe(
        SAMPLE_ORDER,
      );
      // Booked, then tracked: only the sale R-Series took is marked handled.
      expect(flows.pools.values(POOL)).toEqual([EXAMPLE_ORDER]);
      expect(result.counts).toEqual({ in: 9, created: 1, updated: 0, unchanged: 0, skipped: 5, exceptions: 3 });

      // The mapping fixed, the next scheduled run feeds the refused order in again by itself (no pool or cache
      // touched): looked up, not found, posted once with the right item; the order booked before is not pulled again.
      const booked = structuredClone(salesIn(flows)[0]!);
      const callsBefore = flows.sandbox.fakes.lightspeedR.calls.length;
      const fixed = await flows.run(FLOW, { asOf: minutesLater(15) });
      expect(fixed.status).toBe('success');
      expect(shapeRun(fixed, 'Find the R-Series sale').notes).toEqual([findLine('PO-88-2302', 2)]);
      expect(skipNotes(fixed)).toEqual([PASSED]);
      expect(shapeRun(fixed, 'Create R-Series sale').notes).toEqual([CREATED]);
      expect(apiCalls(flows.sandbox.fakes.lightspeedR.calls.slice(callsBefore))).toEqual([
        lookUp('PO-88-2302', 2),
        POST_SALE,
      ]);
      expect(fixed.counts.created).toBe(1);
      const [kept, replayed] = salesIn(flows) as [StoredSale, StoredSale];
      expect(kept).toEqual(booked);
      expect(summary(replayed)).toEqual(['PO-88-2302', '2', 'false', '76.2', '76.2']);
      expect(replayed.SaleLines.SaleLine.map((l) => [l.itemID, l.unitQuantity])).toEqual([
        ['22', '4'],
        ['0', '1'],
      ]);
      // Its entry cleared and the purchase tracked; the two step exceptions still wait, and nobody is told again yet.
      expect(entryFor(flows, SAMPLE_ORDER)).toBeUndefined();
      expect(
        keptQueue(flows, FLOW)!
          .entries.map((e) => e.code)
          .sort(),
      ).toEqual(['MISSING_PURCHASE_ID', 'UNKNOWN_PURCHASE_TYPE']);
      expect(flows.pools.values(POOL)).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER]);
      expect(warnings(fixed)).toEqual([]);

      // Exactly once: the run after that posts nothing, nor looks anything up.
      const postsBefore = posts(flows);
      const callsAfterFix = flows.sandbox.fakes.lightspeedR.calls.length;
      const quiet = await flows.run(FLOW, { asOf: minutesLater(30) });
      expect(quiet.counts.created).toBe(0);
      expect(apiCalls(flows.sandbox.fakes.lightspeedR.calls.slice(callsAfterFix))).toEqual([]);
      expect(posts(flows)).toBe(postsBefore);
      expect(salesIn(flows)).toHaveLength(2);
    },
  );

  it(
    'after a refusal with the pool and queue lost, looks both sales up: the one booked is found by its ' +
      'note, only the refused one is posted',
    async () => {
      const flows = await sandboxFlows();
      await flows.run(FLOW, { client: refusingClient(flows) });
      expect(salesIn(flows).map((s) => s.referenceNumber)).toEqual(['PO-4471']);

      // Patchworks has dropped the data pool and the queue cache: the look-back pulls every purchase again, and both
      // orders reach the look-up. The order booked before is found by its note and skipped, not posted again.
      flows.forgetState();
      const booked = structuredClone(salesIn(flows)[0]!);
      const postsBefore = posts(flows);
      const replay = await flows.run(FLOW);
      expect(replay.status).toBe('success');
      expect(shapeRun(replay, 'Drop orders already booked').notes).toEqual(['2 checked, none seen before']);
      expect(skipNotes(replay)).toEqual([SKIPPED, alreadyBooked(EXAMPLE_ORDER, booked), PASSED]);
      expect(shapeRun(replay, 'Create R-Series sale').notes).toEqual([CREATED]);
      expect(posts(flows) - postsBefore).toBe(1);
      expect(replay.counts).toEqual({ in: 9, created: 1, updated: 0, unchanged: 0, skipped: 6, exceptions: 2 });
      const [kept, replayed] = salesIn(flows) as [StoredSale, StoredSale];
      expect(kept).toEqual(booked);
      expect(summary(replayed)).toEqual(['PO-88-2302', '2', 'false', '76.2', '76.2']);
      // The one found already booked is tracked too, beside the one posted.
      expect(flows.pools.values(POOL)).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER]);
      expect(entryFor(flows, SAMPLE_ORDER)).toBeUndefined();
    },
  );

  it(
    'does not repeat a POST that failed with a 5xx (it may have been applied): the order is caught and ' +
      'kept, and the next run books it once',
    async () => {
      const flows = await sandboxFlows();
      // R-Series answers the first POST with a 503 and does not book it.
      flows.sandbox.fakes.lightspeedR.failNext(POST_SALE, { status: 503 });
      const result = await flows.run(FLOW);

      expect(result.status).toBe('partial_success');
      // The create has 0 shape retries: the 503 POST (PO-4471) was not sent again; the second order's was sent.
      const postStatuses = (from = 0) =>
        flows.sandbox.engine.sent
          .slice(from)
          .filter(
            (request) =>
              request.method === 'POST' && new URL(request.url).pathname === '/API/V3/Account/12345/Sale.json',
          )
          .map((request) => request.status);
      expect(postStatuses()).toEqual([503, 200]);
      const FAILED = 'HTTP 503 no body (POST /API/V3/Account/12345/Sale.json)';
      expect(shapeRun(result, 'Create R-Series sale').notes).toEqual([`FAILED  ${FAILED}`, CREATED]);
      expect(result.failed.map((f) => [f.shape, f.error])).toEqual([['Create R-Series sale', FAILED]]);
      expect((JSON.parse(result.failed[0]!.payload.body) as { referenceNumber: string }).referenceNumber).toBe(
        'PO-4471',
      );
      // Its owner hears of it, and the queue keeps the purchase for the next run; the pool has only the order booked.
      expect(warnings(result)).toContain(
        `SparkLayer order B2B01123 not booked, BACKEND_REFUSED: Create R-Series sale: ${FAILED} (Integration)`,
      );
      expect(entryFor(flows, EXAMPLE_ORDER)).toMatchObject({
        code: 'BACKEND_REFUSED',
        owner: 'integration',
        message: `Create R-Series sale: ${FAILED}`,
        replay: true,
        label: 'B2B01123',
      });
      expect(flows.pools.values(POOL)).toEqual([SAMPLE_ORDER]);
      expect(salesIn(flows).map((s) => s.referenceNumber)).toEqual(['PO-88-2302']);
      expect(flows.sandbox.fakes.lightspeedR.creditAccounts.map((a) => a.balance)).toEqual(['0']);

      // The next scheduled run feeds the caught order in again by itself: looked up first (the 503 might have been
      // applied), not there, so posted once; the order booked is not pulled again.
      const sentBefore = flows.sandbox.engine.sent.length;
      const callsBefore = flows.sandbox.fakes.lightspeedR.calls.length;
      const next = await flows.run(FLOW, { asOf: minutesLater(15) });
      expect(next.status).toBe('success');
      expect(apiCalls(flows.sandbox.fakes.lightspeedR.calls.slice(callsBefore))).toEqual([
        lookUp('PO-4471', 7),
        POST_SALE,
      ]);
      expect(skipNotes(next)).toEqual([PASSED]);
      expect(postStatuses(sentBefore)).toEqual([200]);
      expect(posts(flows)).toBe(3);
      expect(salesIn(flows).map(summary)).toEqual([
        ['PO-88-2302', '2', 'false', '76.2', '76.2'],
        ['PO-4471', '7', 'true', '189', '0'],
      ]);
      // Charged once: the refused POST booked nothing, the next run's did.
      expect(flows.sandbox.fakes.lightspeedR.creditAccounts.map((a) => [a.creditAccountID, a.balance])).toEqual([
        ['2', '-189'],
      ]);
      expect(entryFor(flows, EXAMPLE_ORDER)).toBeUndefined();
      expect(flows.pools.values(POOL)).toEqual([SAMPLE_ORDER, EXAMPLE_ORDER]);
    },
  );

  it(
    'creates nothing twice when the same flow runs again, and nothing twice even with its data ' + 'pool lost',
    async () => {
      const flows = await sandboxFlows();
      const fake = flows.sandbox.fakes.lightspeedR;
      await flows.run(FLOW);
      const booked = structuredClone(salesIn(flows));
      expect(booked.map((s) => s.referenceNumber)).toEqual(['PO-4471', 'PO-88-2302']);
      const callsAfterFirst = fake.calls.length;

      // Fifteen minutes later: the pull asks only for what changed since the last run less the overlap (the order with
      // no id), and the two orders still waiting are fed in again; neither booked order comes back.
      const again = await flows.run(FLOW, { asOf: minutesLater(15) });
      expect(again.status).toBe('success');
      expect(shapeRun(again, 'Pull SparkLayer purchases').notes).toEqual([
        'sparklayer getPurchases: GET ' +
          '/api/v1/purchases?limit=5&dates%5Blast_updated%5D%5Bgte%5D=2026-11-22T08%3A30%3A00.000Z: 1 payload',
      ]);
      expect(again.counts.created).toBe(0);
      expect(shapeRun(again, 'Drop orders already booked').notes).toEqual(['0 checked, none seen before']);
      expect(again.notifications).toEqual([]);
      // Nothing reaches R-Series: not even a look-up.
      expect(fake.calls.slice(callsAfterFirst)).toEqual([]);

      // The queue cache lost: the look-back pulls every purchase again, and the data pool drops both orders before any
      // look-up.
      flows.caches.forget();
      const replayed = await flows.run(FLOW);
      expect(replayed.status).toBe('success');
      expect(replayed.counts).toEqual({ in: 9, created: 0, updated: 0, unchanged: 0, skipped: 7, exceptions: 2 });
      expect(shapeRun(replayed, 'Drop orders already booked').notes).toEqual([
        `2 filtered out: already in data pool "${POOL}"`,
      ]);
      expect(fake.calls.slice(callsAfterFirst)).toEqual([]);

      // Patchworks keeps pool entries 90 days and a pool is not atomic. R-Series has no external-id upsert: with the
      // pool lost too, the flow looks each sale up by its reference, and skips it when a sale there names the same
      // purchase.
      flows.forgetState();
      const callsBeforeLoss = fake.calls.length;
      const afterLoss = await flows.run(FLOW);
      expect(afterLoss.status).toBe('success');
      expect(shapeRun(afterLoss, 'Find the R-Series sale').notes).toEqual([
        findLine('PO-4471', 7),
        findLine('PO-88-2302', 2),
      ]);
      expect(skipNotes(afterLoss)).toEqual([
        SKIPPED,
        alreadyBooked(EXAMPLE_ORDER, booked[0]!),
        SKIPPED,
        alreadyBooked(SAMPLE_ORDER, booked[1]!),
      ]);
      expect(shapeRun(afterLoss, 'One sale per payload, not yet booked').payloadsOut).toBe(0);
      expect(shapeRun(afterLoss, 'Create R-Series sale').payloadsIn).toBe(0);
      expect(afterLoss.counts).toEqual({ in: 9, created: 0, updated: 0, unchanged: 0, skipped: 7, exceptions: 2 });
      expect(apiCalls(fake.calls.slice(callsBeforeLoss))).toEqual([lookUp('PO-4471', 7), lookUp('PO-88-2302', 2)]);
      expect(salesIn(flows)).toEqual(booked);
      expect(fake.creditAccounts.map((a) => a.balance)).toEqual(['-189']);
      // Found already booked, both are tracked again.
      expect(flows.pools.values(POOL)).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER]);
    },
  );

  it(
    'posts nothing for a sale body that names no SparkLayer purchase: the skip cannot tell ' + 'whether it is booked',
    async () => {
      const flows = await sandboxFlows();
      // The flow's own booking shapes, as built, on a sale typed by hand (no internal note naming a purchase).
      const blueprint = (await loadBlueprints(ROOT)).find((b) => b.key === FLOW)!;
      const book = [...walkShapes(blueprint.shapes)].find((shape) => shape.type === 'try-catch')!;
      const handTyped = {
        customerID: 7,
        employeeID: 2,
        registerID: 5,
        shopID: 1,
        referenceNumber: 'PO-1',
        referenceNumberSource: 'SparkLayer',
        SaleLines: { SaleLine: [{ itemID: 41, unitQuantity: 1 }] },
      };
      const shapes: Shape[] = [
        blueprint.shapes[0]!,
        { type: 'manual-payload', name: 'A sale typed by hand', payload: JSON.stringify(handTyped) },
        book,
      ];
      const result = await runBlueprint({
        root: ROOT,
        blueprint: { ...blueprint, shapes },
        client: flows.client,
        connections: { engine: flows.sandbox.engine },
        pools: flows.pools,
      });

      expect(shapeRun(result, 'Name the sale').outputs.map((payload) => payload.meta.sale_key)).toEqual(['']);
      expect(skipNotes(result)).toEqual([
        '1 in -> 0 passed, 0 skipped, 1 exceptions',
        'EXCEPTION  (no id)  SALE_NOT_IDENTIFIABLE: the sale names no SparkLayer purchase in ' +
          'SaleNotes.InternalNote.note',
      ]);
      expect(shapeRun(result, 'Create R-Series sale').payloadsIn).toBe(0);
      expect(result.counts.exceptions).toBe(1);
      expect(result.counts.created).toBe(0);
      expect(apiCalls(flows.sandbox.fakes.lightspeedR.calls)).toEqual([lookUp('PO-1', 7)]);
      expect(salesIn(flows)).toEqual([]);
    },
  );

  it('reads but does not write in a --live run: the writes are printed instead', async () => {
    const flows = await sandboxFlows();
    const result = await flows.run(FLOW, { live: true });
    // Through the built definitions, as a sandbox run: reads only (and the token requests), every write held.
    expect(flows.sandbox.engine.sent.filter((r) => r.method !== 'GET' && !/token/.test(r.url))).toEqual([]);
    expect(result.failed.map((f) => [f.shape, f.error])).toEqual([]);
    expect(result.status).toBe('success');
    // The request line the engine would send (the sale is in the body, which the line leaves out) …
    expect(result.heldWrites).toEqual(Array(2).fill('lightspeed-r createSale: POST /API/V3/Account/12345/Sale.json'));
    const create = shapeRun(result, 'Create R-Series sale');
    expect(create.notes).toEqual(result.heldWrites.map((line) => `NOT SENT (--live is read-only)  ${line}`));
    // … and the sales it would send, passed on: each naming its purchase, customer and reference.
    expect(
      create.outputs.map((p) => {
        const sale = JSON.parse(p.body) as SaleCreate;
        return [sale.SaleNotes?.InternalNote?.note, String(sale.customerID), sale.referenceNumber];
      }),
    ).toEqual([
      [expect.stringContaining(EXAMPLE_ORDER), '7', 'PO-4471'],
      [expect.stringContaining(SAMPLE_ORDER), '2', 'PO-88-2302'],
    ]);
    // The reads are made (each sale looked up by its reference, source and customer); no write reaches R-Series.
    const fake = flows.sandbox.fakes.lightspeedR;
    const searched = fake.calls
      .filter((call) => call.startsWith('GET /API/V3/Account/12345/Sale.json'))
      .map((call) => {
        const q = new URLSearchParams(call.split('?')[1] ?? '');
        return [q.get('referenceNumber'), q.get('referenceNumberSource'), q.get('customerID')];
      });
    expect(searched).toEqual([
      ['PO-4471', 'SparkLayer', '7'],
      ['PO-88-2302', 'SparkLayer', '2'],
    ]);
    expect(fake.calls.filter((call) => /^(POST|PUT) \/API\//.test(call))).toEqual([]);
    expect(salesIn(flows)).toEqual([]);
    // What it could not book is reported as a sandbox run reports it.
    expect(warnings(result).map((message) => message.split(',')[1]!.split(':')[0]!.trim())).toEqual([
      'UNKNOWN_PURCHASE_TYPE',
      'MISSING_PURCHASE_ID',
    ]);
  });
});
