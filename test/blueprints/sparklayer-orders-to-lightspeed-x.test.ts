// The whole order flow into Lightspeed X-Series on the sandbox, shape by shape, as it ships (connection shapes run the
// built definition in dist/connectors): what each shape outputs, what the X-Series fake holds after it, an order
// X-Series refuses (kept in the order queue and booked by the next run once fixed), re-runs (with the queue cache lost,
// then the data pool as well), and a --live run.
import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { saleIdFor } from '../../connectors/lightspeed-x/sale-id.js';
import type { Envelope } from '../../runtime/envelope.js';
import type { FlowRunResult } from '../../patchworks/runner/flow-runner.js';
import { SANDBOX_AS_OF } from '../../patchworks/runner/systems.js';
import {
  EXAMPLE_ORDER,
  expectOrderSpine,
  keptQueue,
  outputsOf,
  sandboxFlows,
  SAMPLE_ORDER,
  shapeRun,
  warnings,
  withFlowLookup,
} from '../support/flow-harness.js';

const FLOW = 'sparklayer-orders-to-lightspeed-x';
const POOL = 'sparklayer-orders-lightspeed-x';
// EXAMPLE_ORDER: company 0b5e…, Pay on Account, 2 cases of mugs + 12 towels
// SAMPLE_ORDER: company c9d8…, invoice, 4 jugs
const EXAMPLE_COMPANY = '0b5e4d3c-2a19-4f08-9e7d-6c5b4a392817';
const SAMPLE_COMPANY = 'c9d8e7f6-1a2b-4c3d-8e4f-5a6b7c8d9e0f';
// X-Series ids from the X fixtures (Lightspeed's documentation examples), as the example client maps them.
const STARK = 'b8ca3a65-0183-11e4-fbb5-4f73f02a9d1c'; // customers/list.json: Anthony Stark
const UNNAMED = '06bf537b-c783-11e6-ff13-f21286299973'; // customers/list.json: UNNAMED-669D
const MUG = 'b8ca3a65-0183-11e4-fbb5-9776c5cd0240'; // products/list.json: 0003
const TOWEL = 'b8ca3a65-0183-11e4-fbb5-7988a6ed80f9'; // a Bravo variant child, 787878-blk-s
const JUG = 'b8ca3a65-0183-11e4-fbb5-7988a6ed80fa'; // a Bravo variant child, 787878-blk-m
const SHIPPING = 'b8ca3a65-0183-11e4-fbb5-9776c611d865'; // products/list.json: 0006
const USER = '020b2c2a-4661-11f0-e88b-1afde45e0728'; // sales/create.request.minimal.json: author_id
const TAX_20 = 'b1d192bc-f019-11e3-a0f5-b8ca3a64f8f4';

type Json = Record<string, unknown>;
interface SaleBody {
  id: string;
  source: { author_id: string; register_id?: string; id: string; type: string };
  customer_id: string;
  state: string;
  attributes?: string[];
  note: string;
  line_items: Array<{
    product: { id: string };
    quantity: number;
    pricing: { price: number };
    tax: { id: string; amount: number };
  }>;
}
interface StoredSale {
  id: string;
  customer_id: string;
  invoice_number: string;
  line_items: Array<{ id: string; product: { id: string }; quantity: number }>;
  totals: { price: number; tax: number; price_incl_tax: number };
}

const sales = (flows: { sandbox: { fakes: { lightspeedX: { sales: Json[] } } } }) =>
  flows.sandbox.fakes.lightspeedX.sales as unknown as StoredSale[];
const saleWrites = (calls: readonly string[]) => calls.filter((call) => /^(POST|PUT) \/2026-07\/sales/.test(call));
const saleCalls = (calls: readonly string[]) => calls.filter((call) => /\/2026-07\/sales/.test(call));
/** The run log's line for a connection shape: connector, operationId, and the request as the definition made it. */
const CREATED = 'created  lightspeed-x CreateSale: POST /api/2026-07/sales';
const findLine = (id: string, found: boolean) =>
  `lightspeed-x GetSaleByID: GET /api/2026-07/sales/${id}: 1 payload${found ? '' : ' (HTTP 404, allowed)'}`;
/** X-Series' answer for a sale id it does not hold, output as the payload (allow_unsuccessful_statuses). */
const NOT_FOUND = { error: 'Not Found', message: 'Sale not found' };
/** What "Skip sales already booked" decided, its per-payload count lines and its skips (its log lines left out). */
const skipNotes = (result: FlowRunResult) =>
  shapeRun(result, 'Skip sales already booked').notes.filter((note) => !note.startsWith('log  '));
const PASSED = '1 in -> 1 passed, 0 skipped, 0 exceptions';
const SKIPPED = '1 in -> 0 passed, 1 skipped, 0 exceptions';
const alreadyBooked = (id: string) => `skipped  ${id}  already_booked:${id}`;
/** The sandbox's clock plus some minutes: the instant a later scheduled run starts. */
const minutesLater = (minutes: number) => new Date(Date.parse(SANDBOX_AS_OF) + minutes * 60_000).toISOString();
/** The X-Series customer id the refusing account map gives the sample order's company: X-Series has no such customer.
 */
const UNKNOWN_CUSTOMER = '00000000-0000-4000-8000-00000000dead';
const REFUSED = `HTTP 400 customer_id ${UNKNOWN_CUSTOMER} is not a customer. (POST /api/2026-07/sales)`;

/** SparkLayer's own totals of a purchase, before and after tax, shipping included: what the X-Series sale must add up
 * to. */
function sparkLayerTotals(purchase: Json): { net: string; gross: string } {
  let net = new Big(0);
  let gross = new Big(0);
  type Total = { total_net: { number: string }; total_gross: { number: string } };
  for (const pack of purchase.packages as Array<{
    line_items: Array<{ line_total: Total }>;
    shipping_method?: { line_total: Total };
  }>) {
    for (const total of [
      ...pack.line_items.map((line) => line.line_total),
      ...(pack.shipping_method ? [pack.shipping_method.line_total] : []),
    ]) {
      net = net.plus(total.total_net.number);
      gross = gross.plus(total.total_gross.number);
    }
  }
  return { net: net.toFixed(2), gross: gross.toFixed(2) };
}

describe(`blueprint ${FLOW}`, () => {
  it(
    'books each live order once as an X-Series sale and ' + 'reports every purchase it does not book, shape by shape',
    async () => {
      const flows = await sandboxFlows();
      const xSeries = flows.sandbox.fakes.lightspeedX;
      // The example client's ids are ones the X-Series fake really has: live customers and sellable products.
      for (const id of [STARK, UNNAMED]) expect(xSeries.customers.some((c) => c.id === id && !c.deleted_at)).toBe(true);
      for (const id of [MUG, TOWEL, JUG, SHIPPING]) {
        const product = xSeries.products.find((p) => p.id === id);
        expect([product?.deleted_at ?? null, product?.is_active, product?.has_variants]).toEqual([null, true, false]);
      }

      const result = await flows.run(FLOW);
      expect(result.status).toBe('success');

      expectOrderSpine(result, flows.pools, POOL);
      expect(flows.pools.values('sparklayer-orders-netsuite')).toEqual([]);

      // Resolve: each company's X-Series customer id, from this flow's account map.
      const resolved = (outputsOf(result, 'Find the X-Series customer') as Envelope[]).flatMap(
        (e) => e.records,
      ) as Array<{ customer_identifiers: { sparklayer: string }; erp_account: string }>;
      expect(resolved.map((r) => [r.customer_identifiers.sparklayer, r.erp_account])).toEqual([
        [EXAMPLE_COMPANY, STARK],
        [SAMPLE_COMPANY, UNNAMED],
      ]);

      // Map: one sale body per payload, under the sale id derived from the purchase id, booked by the client's user.
      const bodies = outputsOf(result, 'One sale per payload') as SaleBody[];
      expect(bodies.map((b) => [b.id, b.source.id, b.source.type, b.source.author_id, b.customer_id])).toEqual([
        [saleIdFor(EXAMPLE_ORDER), EXAMPLE_ORDER, 'SparkLayer', USER, STARK],
        [saleIdFor(SAMPLE_ORDER), SAMPLE_ORDER, 'SparkLayer', USER, UNNAMED],
      ]);
      // on_account_mode=release in the example client: the Pay on Account order is an on-account sale; the invoice
      // order is parked, with no payment recorded. The PO number leads the note.
      const [example, sample] = bodies as [SaleBody, SaleBody];
      expect([example.state, example.attributes]).toEqual(['pending', ['onaccount']]);
      expect([sample.state, sample.attributes]).toEqual(['parked', undefined]);
      expect(example.note).toMatch(/^PO PO-4471; .*Pay on Account: released for fulfilment$/);
      expect(sample.note).toMatch(/^PO PO-88-2302; /);
      // Lines: SKUs through unit_map (a case of 12 mugs is 12 mugs) and product_map; shipping as a line of its product;
      // SparkLayer's unit prices and the 20% tax id on every line.
      const lines = (body: SaleBody) =>
        body.line_items.map((l) => [l.product.id, l.quantity, l.pricing.price, l.tax.amount]);
      expect(lines(example)).toEqual([
        [MUG, 24, 4, 0.8],
        [TOWEL, 12, 4.5, 0.9],
        [SHIPPING, 1, 7.5, 1.5],
      ]);
      expect(lines(sample)).toEqual([
        [JUG, 4, 14, 2.8],
        [SHIPPING, 1, 7.5, 1.5],
      ]);
      expect(new Set(bodies.flatMap((b) => b.line_items.map((l) => l.tax.id)))).toEqual(new Set([TAX_20]));

      // Book, shape by shape. Name the sale: its id keys each body in the run's cache.
      const saleIds = [saleIdFor(EXAMPLE_ORDER), saleIdFor(SAMPLE_ORDER)];
      expect(shapeRun(result, 'Name the sale').outputs.map((payload) => payload.meta.sale_key)).toEqual(saleIds);
      const cached = Object.entries(result.caches['sales-to-book'] ?? {}).map(([key, kept]) => [
        key,
        kept.map((body) => JSON.parse(body) as unknown),
      ]);
      expect(cached).toEqual([
        [saleIds[0], [example]],
        [saleIds[1], [sample]],
      ]);
      // Find: GET by id; X-Series has neither yet, and its 404 passes as the payload.
      expect(shapeRun(result, 'Find the X-Series sale').notes).toEqual(saleIds.map((id) => findLine(id, false)));
      expect(outputsOf(result, 'Find the X-Series sale')).toEqual([NOT_FOUND, NOT_FOUND]);
      expect(shapeRun(result, 'Find the X-Series sale').outputs.map((payload) => payload.meta.response_status)).toEqual(
        ['404', '404'],
      );
      // Beside what was found, each body passes the skip (no sale under its id) and is split out again.
      expect(outputsOf(result, 'The sale beside what was found')).toEqual([
        { records: [example], found: NOT_FOUND },
        { records: [sample], found: NOT_FOUND },
      ]);
      expect(skipNotes(result)).toEqual([PASSED, PASSED]);
      expect(outputsOf(result, 'One sale per payload, not yet booked')).toEqual(bodies);
      // Create: one POST each. Shapes run over the whole bucket in turn, so both look-ups come before both POSTs.
      expect(shapeRun(result, 'Create X-Series sale').notes).toEqual([CREATED, CREATED]);
      expect(saleCalls(xSeries.calls)).toEqual([
        ...saleIds.map((id) => `GET /2026-07/sales/${id}`),
        'POST /2026-07/sales',
        'POST /2026-07/sales',
      ]);
      // Each request sent once, as the engine records it: no retry, no second POST.
      const sent = flows.sandbox.engine.sent
        .filter((request) => request.connector === 'lightspeed-x')
        .map((request) => `${request.method} ${new URL(request.url).pathname} ${request.status}`);
      expect(sent).toEqual([
        'POST /api/1.0/token 200',
        ...saleIds.map((id) => `GET /api/2026-07/sales/${id} 404`),
        'POST /api/2026-07/sales 200',
        'POST /api/2026-07/sales 200',
      ]);
      expect(sales(flows).map((s) => [s.id, s.customer_id])).toEqual([
        [saleIds[0], STARK],
        [saleIds[1], UNNAMED],
      ]);
      // X-Series adds the sale up from its lines: to the penny, SparkLayer's totals (shipping included), before and
      // after tax.
      const purchases = flows.sandbox.fakes.sparklayer.purchases as Json[];
      for (const [purchaseId, sale] of [
        [EXAMPLE_ORDER, sales(flows)[0]!],
        [SAMPLE_ORDER, sales(flows)[1]!],
      ] as const) {
        const expected = sparkLayerTotals(
          purchases.find((p) => (p.purchase_identifiers as Json).sparklayer === purchaseId)!,
        );
        expect([new Big(sale.totals.price).toFixed(2), new Big(sale.totals.price_incl_tax).toFixed(2)]).toEqual([
          expected.net,
          expected.gross,
        ]);
      }

      // Nothing was refused by X-Series, and every look-up decided: the catch route and the undecided route keep
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

  it(
    'sends an order X-Series refuses down the catch route and keeps it waiting; once fixed, the next run ' +
      'books it exactly once',
    async () => {
      const flows = await sandboxFlows();
      // The second company mapped to a customer id X-Series does not have: the fake answers 400 for that sale only.
      expect(flows.sandbox.fakes.lightspeedX.customers.some((c) => c.id === UNKNOWN_CUSTOMER)).toBe(false);
      const client = withFlowLookup(flows.client, FLOW, 'account_map', {
        [EXAMPLE_COMPANY]: STARK,
        [SAMPLE_COMPANY]: UNKNOWN_CUSTOMER,
      });
      const result = await flows.run(FLOW, { client });

      expect(result.status).toBe('partial_success');
      expect(sales(flows).map((s) => s.id)).toEqual([saleIdFor(EXAMPLE_ORDER)]);
      // Both were looked up and found nowhere; the POST of the second is what X-Series refused, its reason in the
      // error.
      expect(skipNotes(result)).toEqual([PASSED, PASSED]);
      expect(shapeRun(result, 'Create X-Series sale').notes).toEqual([CREATED, `FAILED  ${REFUSED}`]);
      expect(result.failed.map((f) => [f.shape, f.error])).toEqual([['Create X-Series sale', REFUSED]]);
      const refused = JSON.parse(result.failed[0]!.payload.body) as SaleBody;
      expect([refused.id, refused.source.id, refused.customer_id]).toEqual([
        saleIdFor(SAMPLE_ORDER),
        SAMPLE_ORDER,
        UNKNOWN_CUSTOMER,
      ]);
      expect(shapeRun(result, 'Catch refused orders').failed).toBe(1);
      // The catch route keeps the refused sale body whole, with X-Series' whole reason and the shape that failed.
      expect(outputsOf(result, 'Keep the refused order')).toEqual([
        { error: REFUSED, shape: 'Create X-Series sale', record: refused },
      ]);
      // Its owner hears X-Series' reason, which leads, so it survives the cut at a word boundary.
      expect(warnings(result)).toContain(
        `SparkLayer order B2B01128 not booked, BACKEND_REFUSED: Create X-Series sale: HTTP 400 customer_id ` +
          `${UNKNOWN_CUSTOMER} is not a customer.… (Integration)`,
      );
      // The queue keeps the purchase as SparkLayer gave it (not the sale body), beside the two step exceptions.
      const queue = keptQueue(flows, FLOW)!;
      expect(queue.entries.map((e) => e.code).sort()).toEqual([
        'BACKEND_REFUSED',
        'MISSING_PURCHASE_ID',
        'UNKNOWN_PURCHASE_TYPE',
      ]);
      const entry = queue.entries.find((e) => e.key === SAMPLE_ORDER)!;
      expect(entry).toMatchObject({
        code: 'BACKEND_REFUSED',
        owner: 'integration',
        message: `Create X-Series sale: ${REFUSED}`,
        replay: true,
        label: 'B2B01128',
      });
      expect((entry.record as { purchase_identifiers: { sparklayer: string } }).purchase_identifiers.sparklayer).toBe(
        SAMPLE_ORDER,
      );
      // Booked, then tracked: only the sale X-Series took is marked handled.
      expect(flows.pools.values(POOL)).toEqual([EXAMPLE_ORDER]);
      expect(result.counts).toEqual({ in: 9, created: 1, updated: 0, unchanged: 0, skipped: 5, exceptions: 3 });

      // The map fixed, the next scheduled run feeds the refused order in again by itself (no pool or cache touched):
      // looked up, not found, created once; the order booked before is not pulled again, so not even looked up.
      const booked = structuredClone(sales(flows)[0]!);
      const callsBefore = flows.sandbox.fakes.lightspeedX.calls.length;
      const fixed = await flows.run(FLOW, { asOf: minutesLater(15) });
      expect(fixed.status).toBe('success');
      expect(shapeRun(fixed, 'Find the X-Series sale').notes).toEqual([findLine(saleIdFor(SAMPLE_ORDER), false)]);
      expect(skipNotes(fixed)).toEqual([PASSED]);
      expect(shapeRun(fixed, 'Create X-Series sale').notes).toEqual([CREATED]);
      expect(saleWrites(flows.sandbox.fakes.lightspeedX.calls.slice(callsBefore))).toEqual(['POST /2026-07/sales']);
      expect(fixed.counts.created).toBe(1);
      expect(sales(flows).map((s) => [s.id, s.customer_id])).toEqual([
        [saleIdFor(EXAMPLE_ORDER), STARK],
        [saleIdFor(SAMPLE_ORDER), UNNAMED],
      ]);
      expect(sales(flows)[0]).toEqual(booked);
      // Its entry cleared, and it is tracked; the two step exceptions still wait, and nobody is told again yet.
      expect(
        keptQueue(flows, FLOW)!
          .entries.map((e) => e.code)
          .sort(),
      ).toEqual(['MISSING_PURCHASE_ID', 'UNKNOWN_PURCHASE_TYPE']);
      expect(flows.pools.values(POOL)).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER]);
      expect(warnings(fixed)).toEqual([]);

      // Exactly once: the run after that sends X-Series nothing.
      const callsAfterFix = flows.sandbox.fakes.lightspeedX.calls.length;
      const quiet = await flows.run(FLOW, { asOf: minutesLater(30) });
      expect(quiet.counts.created).toBe(0);
      expect(flows.sandbox.fakes.lightspeedX.calls.slice(callsAfterFix)).toEqual([]);
      expect(sales(flows)).toHaveLength(2);
    },
  );

  it(
    'after a refusal with the pool and queue lost, looks both sales up: the one booked is skipped, only ' +
      'the refused one is created',
    async () => {
      const flows = await sandboxFlows();
      const client = withFlowLookup(flows.client, FLOW, 'account_map', {
        [EXAMPLE_COMPANY]: STARK,
        [SAMPLE_COMPANY]: UNKNOWN_CUSTOMER,
      });
      await flows.run(FLOW, { client });
      expect(sales(flows).map((s) => s.id)).toEqual([saleIdFor(EXAMPLE_ORDER)]);

      // Patchworks has dropped the data pool and the queue cache: the look-back pulls every purchase again, and both
      // orders reach the look-up. The order booked before is found under its id and skipped, not sent again.
      flows.forgetState();
      const booked = structuredClone(sales(flows)[0]!);
      const callsBefore = flows.sandbox.fakes.lightspeedX.calls.length;
      const replayed = await flows.run(FLOW);
      expect(replayed.status).toBe('success');
      expect(shapeRun(replayed, 'Drop orders already booked').notes).toEqual(['2 checked, none seen before']);
      expect(shapeRun(replayed, 'Find the X-Series sale').notes).toEqual([
        findLine(saleIdFor(EXAMPLE_ORDER), true),
        findLine(saleIdFor(SAMPLE_ORDER), false),
      ]);
      expect(skipNotes(replayed)).toEqual([SKIPPED, alreadyBooked(saleIdFor(EXAMPLE_ORDER)), PASSED]);
      expect(shapeRun(replayed, 'Create X-Series sale').notes).toEqual([CREATED]);
      expect(saleWrites(flows.sandbox.fakes.lightspeedX.calls.slice(callsBefore))).toEqual(['POST /2026-07/sales']);
      expect(replayed.counts).toEqual({ in: 9, created: 1, updated: 0, unchanged: 0, skipped: 6, exceptions: 2 });
      expect(sales(flows).map((s) => [s.id, s.customer_id])).toEqual([
        [saleIdFor(EXAMPLE_ORDER), STARK],
        [saleIdFor(SAMPLE_ORDER), UNNAMED],
      ]);
      expect(sales(flows)[0]).toEqual(booked);
      // The one found already booked is tracked too, beside the one created.
      expect(flows.pools.values(POOL)).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER]);
      expect(keptQueue(flows, FLOW)!.entries.map((e) => e.key)).not.toContain(SAMPLE_ORDER);
    },
  );

  it(
    'creates nothing twice when the same flow runs again, ' + 'and nothing twice even with its data pool lost',
    async () => {
      const flows = await sandboxFlows();
      const xSeries = flows.sandbox.fakes.lightspeedX;
      await flows.run(FLOW);
      const booked = structuredClone(sales(flows));
      expect(booked.map((s) => s.id)).toEqual([saleIdFor(EXAMPLE_ORDER), saleIdFor(SAMPLE_ORDER)]);
      const callsAfterFirst = xSeries.calls.length;

      // Fifteen minutes later: the pull asks only for what changed since the last run less the overlap (the order with
      // no id), and the two orders still waiting are fed in again; neither booked order comes back, X-Series hears
      // nothing, and nobody is told again about what they heard of 15 minutes ago.
      const again = await flows.run(FLOW, { asOf: minutesLater(15) });
      expect(again.status).toBe('success');
      expect(shapeRun(again, 'Pull SparkLayer purchases').notes).toEqual([
        'sparklayer getPurchases: GET ' +
          '/api/v1/purchases?limit=5&dates%5Blast_updated%5D%5Bgte%5D=2026-11-22T08%3A30%3A00.000Z: 1 payload',
      ]);
      expect(again.counts.created).toBe(0);
      expect(shapeRun(again, 'Drop orders already booked').notes).toEqual(['0 checked, none seen before']);
      expect(xSeries.calls.slice(callsAfterFirst)).toEqual([]);
      expect(again.notifications).toEqual([]);
      expect(sales(flows)).toEqual(booked);

      // The queue cache lost (Patchworks keeps a cache at most 7 days): the look-back pulls every purchase again, and
      // the data pool drops both orders before any look-up. The filter's exceptions never reach the pool: with the
      // queue that remembered telling their owner gone, they are reported again.
      flows.caches.forget();
      const callsBeforeReplay = xSeries.calls.length;
      const replayed = await flows.run(FLOW);
      expect(replayed.counts).toEqual({ in: 9, created: 0, updated: 0, unchanged: 0, skipped: 7, exceptions: 2 });
      expect(shapeRun(replayed, 'Drop orders already booked').notes).toEqual([
        `2 filtered out: already in data pool "${POOL}"`,
      ]);
      expect(shapeRun(replayed, 'Find the X-Series sale').payloadsIn).toBe(0);
      expect(xSeries.calls.slice(callsBeforeReplay)).toEqual([]);
      expect(warnings(replayed)).toHaveLength(2);
      expect(sales(flows)).toEqual(booked);

      // Patchworks keeps pool entries 90 days and a pool is not atomic: with the pool lost too, the deterministic sale
      // id still finds the sale the first run made, and the sale is skipped, neither created again nor updated.
      flows.forgetState();
      const callsBeforeLoss = xSeries.calls.length;
      const afterLoss = await flows.run(FLOW);
      expect(afterLoss.status).toBe('success');
      expect(shapeRun(afterLoss, 'Find the X-Series sale').notes).toEqual(booked.map((s) => findLine(s.id, true)));
      expect(
        outputsOf(afterLoss, 'Find the X-Series sale').map((found) => (found as { data: { id: string } }).data.id),
      ).toEqual(booked.map((s) => s.id));
      expect(skipNotes(afterLoss)).toEqual(booked.flatMap((s) => [SKIPPED, alreadyBooked(s.id)]));
      expect(shapeRun(afterLoss, 'Create X-Series sale').payloadsIn).toBe(0);
      expect(afterLoss.counts).toEqual({ in: 9, created: 0, updated: 0, unchanged: 0, skipped: 7, exceptions: 2 });
      expect(saleCalls(xSeries.calls.slice(callsBeforeLoss))).toEqual(booked.map((s) => `GET /2026-07/sales/${s.id}`));
      expect(sales(flows)).toEqual(booked);
      // Found already booked, both are tracked again: the next run need not look them up.
      expect(flows.pools.values(POOL)).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER]);
    },
  );

  it('reads but does not write in a --live run: the writes are printed instead', async () => {
    const flows = await sandboxFlows();
    const result = await flows.run(FLOW, { live: true });
    const saleIds = [saleIdFor(EXAMPLE_ORDER), saleIdFor(SAMPLE_ORDER)];
    // Through the built definitions, as a sandbox run: reads only (and the token requests), every write held.
    expect(flows.sandbox.engine.sent.filter((r) => r.method !== 'GET' && !/token/.test(r.url))).toEqual([]);
    expect(result.failed.map((f) => [f.shape, f.error])).toEqual([]);
    expect(result.status).toBe('success');
    // The request line the engine would send (the sale's id is in the body, which the line leaves out) …
    expect(result.heldWrites).toEqual(Array(2).fill('lightspeed-x CreateSale: POST /api/2026-07/sales'));
    const create = shapeRun(result, 'Create X-Series sale');
    expect(create.notes).toEqual(result.heldWrites.map((line) => `NOT SENT (--live is read-only)  ${line}`));
    // … and the sales it would send, passed on, each under its derived id.
    expect(create.outputs.map((p) => (JSON.parse(p.body) as { id: string }).id)).toEqual(saleIds);
    // The reads are made (each sale looked up by its id); no write reaches X-Series.
    expect(saleCalls(flows.sandbox.fakes.lightspeedX.calls)).toEqual(saleIds.map((id) => `GET /2026-07/sales/${id}`));
    expect(flows.sandbox.fakes.lightspeedX.sales).toEqual([]);
    // What it could not book is reported as a sandbox run reports it.
    expect(warnings(result).map((message) => message.split(',')[1]!.split(':')[0]!.trim())).toEqual([
      'UNKNOWN_PURCHASE_TYPE',
      'MISSING_PURCHASE_ID',
    ]);
  });
});
