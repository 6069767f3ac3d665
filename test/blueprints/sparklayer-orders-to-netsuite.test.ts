// The whole order-to-cash flow on the sandbox, shape by shape: what each shape outputs, a refused order, a re-run.
// Connection shapes run the built definition (dist/connectors/netsuite.core-api.json) through the connection engine:
// the NetSuite base URL (…/services/rest) comes from the connector instance, `replace` from the flow variable
// replace_sublists. Retries and replays of a write are covered in idempotent-writes.test.ts.
import { describe, expect, it } from 'vitest';
import { DataPools } from '../../patchworks/runner/data-pool.js';
import type { Envelope } from '../../runtime/envelope.js';
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
  withFlowVariables,
} from '../support/flow-harness.js';

const FLOW = 'sparklayer-orders-to-netsuite';
// EXAMPLE_ORDER: company 0b5e… -> NetSuite 1104
// SAMPLE_ORDER: company c9d8… -> NetSuite 420

/** The upsert as the built definition sends it: base URL path, external id, replace from replace_sublists. */
const upsertPath = (purchase: string, replace = 'item%2CtaxDetails') =>
  `/services/rest/record/v1/salesOrder/eid:${purchase}?replace=${replace}`;
type Flows = Awaited<ReturnType<typeof sandboxFlows>>;
/** Every NetSuite request the engine sent, as `METHOD path?query status`. */
const netsuiteSent = (flows: Flows) =>
  flows.sandbox.engine.sent
    .filter((r) => r.connector === 'netsuite')
    .map((r) => `${r.method} ${new URL(r.url).pathname}${new URL(r.url).search} ${r.status}`);
type Held = { externalId: string; item?: { items: unknown[] }; taxDetails?: { items: unknown[] }; total?: number };

describe(`blueprint ${FLOW}`, () => {
  it('books each live order once and reports every purchase it does not book, shape by shape', async () => {
    const flows = await sandboxFlows();
    const result = await flows.run(FLOW);

    expect(result.status).toBe('success');
    // Pull: the definition's pagination (limit/offset) with the example client's page_size as limit, changed since the
    // look-back.
    expectOrderSpine(result, flows.pools, 'sparklayer-orders-netsuite');
    // Resolve: each company's NetSuite customer from the client's account map.
    const resolved = (outputsOf(result, 'Find the NetSuite customer') as Envelope[]).flatMap(
      (e) => e.records,
    ) as Array<{ erp_account: string }>;
    expect(resolved.map((r) => r.erp_account)).toEqual(['1104', '420']);
    // Map and book: one sales order per payload, upserted by external id, entity from the account map.
    const bodies = outputsOf(result, 'One sales order per payload') as Array<{
      externalId: string;
      entity: { id: string };
    }>;
    expect(bodies.map((b) => [b.externalId, b.entity.id])).toEqual([
      [EXAMPLE_ORDER, '1104'],
      [SAMPLE_ORDER, '420'],
    ]);
    // NetSuite answers an upsert 204 whether it made or changed the order: the run log says created.
    expect(shapeRun(result, 'Upsert NetSuite sales order').notes).toEqual([
      `created  netsuite upsertSalesOrder: PUT ${upsertPath(EXAMPLE_ORDER)}`,
      `created  netsuite upsertSalesOrder: PUT ${upsertPath(SAMPLE_ORDER)}`,
    ]);
    // The shape passes on the sales order it sent (not NetSuite's empty 204), for the shapes after it.
    expect(outputsOf(result, 'Upsert NetSuite sales order')).toEqual(bodies);
    // On the wire: one signed PUT per order and nothing else; the body as mapped.
    expect(netsuiteSent(flows)).toEqual([
      `PUT ${upsertPath(EXAMPLE_ORDER)} 204`,
      `PUT ${upsertPath(SAMPLE_ORDER)} 204`,
    ]);
    const held = flows.sandbox.fakes.netsuite.salesOrders as Held[];
    expect(held.map((o) => o.externalId).sort()).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER, 'PHONE-0042'].sort());
    for (const body of bodies) expect(held.find((o) => o.externalId === body.externalId)).toMatchObject(body);
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
  });

  it('sends an order NetSuite refuses down the catch route, whole, and books the others', async () => {
    const flows = await sandboxFlows();
    // The second company mapped to a customer NetSuite does not have: NetSuite answers 400 for that order only.
    const client = withFlowLookup(flows.client, FLOW, 'account_map', {
      '0b5e4d3c-2a19-4f08-9e7d-6c5b4a392817': '1104',
      'c9d8e7f6-1a2b-4c3d-8e4f-5a6b7c8d9e0f': '999',
    });
    const result = await flows.run(FLOW, { client });

    expect(result.status).toBe('partial_success');
    expect(flows.sandbox.fakes.netsuite.salesOrders.map((o) => o.externalId)).toContain(EXAMPLE_ORDER);
    expect(flows.sandbox.fakes.netsuite.salesOrders.map((o) => o.externalId)).not.toContain(SAMPLE_ORDER);
    // A 400 is NetSuite's answer, not a lost one: the shape's retries (2) do not send it again.
    expect(netsuiteSent(flows)).toEqual([
      `PUT ${upsertPath(EXAMPLE_ORDER)} 204`,
      `PUT ${upsertPath(SAMPLE_ORDER)} 400`,
    ]);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]!.shape).toBe('Upsert NetSuite sales order');
    // The engine's error: status, NetSuite's own reason (o:errorDetails' detail), then the request.
    const error = result.failed[0]!.error;
    expect(error).toBe(
      `HTTP 400 Invalid Field Value 999 for the following field: entity (PUT ${upsertPath(SAMPLE_ORDER)})`,
    );
    expect(shapeRun(result, 'Upsert NetSuite sales order').notes).toEqual([
      `created  netsuite upsertSalesOrder: PUT ${upsertPath(EXAMPLE_ORDER)}`,
      `FAILED  ${error}`,
    ]);
    const refused = JSON.parse(result.failed[0]!.payload.body) as { externalId: string; entity: { id: string } };
    expect([refused.externalId, refused.entity.id]).toEqual([SAMPLE_ORDER, '999']);
    // The catch route keeps the refused sales order whole, with NetSuite's whole reason and the shape that failed.
    expect(outputsOf(result, 'Keep the refused order')).toEqual([
      { error, shape: 'Upsert NetSuite sales order', record: refused },
    ]);
    // Its owner hears NetSuite's reason, which leads, so it survives the cut at a word boundary.
    expect(warnings(result)).toContain(
      `SparkLayer order B2B01128 not booked, BACKEND_REFUSED: Upsert NetSuite sales order: HTTP 400 ` +
        `Invalid Field Value 999 for the following field: entity (PUT… (Integration)`,
    );
    // The queue keeps the purchase as SparkLayer gave it, so the next run sends it again by itself.
    const entry = keptQueue(flows, FLOW)!.entries.find((e) => e.key === SAMPLE_ORDER)!;
    expect(entry).toMatchObject({
      code: 'BACKEND_REFUSED',
      owner: 'integration',
      message: `Upsert NetSuite sales order: ${error}`,
      replay: true,
      label: 'B2B01128',
    });
    expect(
      (entry.record as { purchase_identifiers: { sparklayer: string }; type: string }).purchase_identifiers.sparklayer,
    ).toBe(SAMPLE_ORDER);
    // Booked, then tracked: only the order NetSuite took is marked handled.
    expect(flows.pools.values('sparklayer-orders-netsuite')).toEqual([EXAMPLE_ORDER]);
    expect(result.counts).toMatchObject({ created: 1, exceptions: 3 });
  });

  it(
    'creates nothing twice when the same flow runs again, ' + 'and nothing twice even with its data pool lost',
    async () => {
      const flows = await sandboxFlows();
      await flows.run(FLOW);
      const booked = structuredClone(flows.sandbox.fakes.netsuite.salesOrders);
      const puts = () => netsuiteSent(flows).filter((call) => call.startsWith('PUT ')).length;
      expect(puts()).toBe(2);

      // Fifteen minutes later: the pull asks only for what changed since the last run less the 30-minute overlap (the
      // order with no id, written at 08:40); of the two orders still waiting only the draft order is fed in again,
      // since the pull brings the other, fresher. Nothing new is booked, and nobody is told again what they heard 15
      // minutes ago.
      const again = await flows.run(FLOW, { asOf: '2026-11-22T09:15:00Z' });
      expect(shapeRun(again, 'Pull SparkLayer purchases').notes).toEqual([
        'sparklayer getPurchases: GET ' +
          '/api/v1/purchases?limit=5&dates%5Blast_updated%5D%5Bgte%5D=2026-11-22T08%3A30%3A00.000Z: 1 payload',
      ]);
      const considered = (
        outputsOf(again, 'Every purchase to consider') as Array<{
          records: Array<{ type: string; purchase_identifiers: Record<string, string> }>;
        }>
      )[0]!.records;
      expect(considered.map((p) => [p.type, p.purchase_identifiers.visible ?? null])).toEqual([
        ['order', null],
        ['draft_order', 'B2B01129'],
      ]);
      expect(again.counts).toMatchObject({ in: 2, exceptions: 2 });
      expect(again.counts.created).toBe(0);
      expect(shapeRun(again, 'Drop orders already booked').notes).toEqual(['0 checked, none seen before']);
      expect(again.notifications).toEqual([]);
      expect(keptQueue(flows, FLOW)!.watermark).toBe('2026-11-22T09:15:00.000Z');
      // The queue cache lost (Patchworks keeps a cache at most 7 days): the look-back pulls every purchase again, and
      // the data pool (90 days) drops both orders.
      flows.caches.forget();
      const replayed = await flows.run(FLOW);
      expect(shapeRun(replayed, 'Drop orders already booked').notes).toEqual([
        '2 filtered out: already in data pool "sparklayer-orders-netsuite"',
      ]);
      expect(shapeRun(again, 'Upsert NetSuite sales order').payloadsIn).toBe(0);
      expect(shapeRun(replayed, 'Upsert NetSuite sales order').payloadsIn).toBe(0);
      expect(puts()).toBe(2);
      expect(flows.sandbox.fakes.netsuite.salesOrders).toEqual(booked);

      // Patchworks keeps pool entries 90 days and a pool is not atomic: the upsert by external id, replacing the item
      // and tax details sublists, updates the order it made instead of booking a second one or adding its lines again.
      flows.forgetState();
      const afterLoss = await flows.run(FLOW);
      expect(afterLoss.status).toBe('success');
      expect(puts()).toBe(4);
      // NetSuite's 204 does not say the order was there: the run log counts both upserts as created.
      expect(afterLoss.counts).toMatchObject({ created: 2, updated: 0 });
      expect(flows.sandbox.fakes.netsuite.salesOrders).toEqual(booked);
    },
  );

  it("sends replace_sublists as the upsert's replace: item alone when NetSuite calculates the tax", async () => {
    const flows = await sandboxFlows();
    const client = withFlowVariables(flows.client, FLOW, { tax_mode: 'netsuite', replace_sublists: 'item' });
    const result = await flows.run(FLOW, { client });
    expect(result.status).toBe('success');
    const bodies = outputsOf(result, 'One sales order per payload') as Held[];
    expect(bodies.map((b) => [b.externalId, b.taxDetails])).toEqual([
      [EXAMPLE_ORDER, undefined],
      [SAMPLE_ORDER, undefined],
    ]);
    expect(shapeRun(result, 'Upsert NetSuite sales order').notes).toEqual([
      `created  netsuite upsertSalesOrder: PUT ${upsertPath(EXAMPLE_ORDER, 'item')}`,
      `created  netsuite upsertSalesOrder: PUT ${upsertPath(SAMPLE_ORDER, 'item')}`,
    ]);
    const booked = structuredClone(flows.sandbox.fakes.netsuite.salesOrders);
    // Re-sent with the pool lost: the item lines are replaced, not appended.
    await flows.run(FLOW, { client, pools: new DataPools() });
    expect(flows.sandbox.fakes.netsuite.salesOrders).toEqual(booked);
    const lines = (flows.sandbox.fakes.netsuite.salesOrderByExternalId(EXAMPLE_ORDER) as Held).item!.items;
    expect(lines).toHaveLength((bodies[0]!.item as { items: unknown[] }).items.length);
  });

  it('reads but does not write in a --live run: the writes are printed instead', async () => {
    const flows = await sandboxFlows();
    const result = await flows.run(FLOW, { live: true });
    // Through the built definitions, as a sandbox run: reads only (and the token requests), every write held.
    expect(flows.sandbox.engine.sent.filter((r) => r.method !== 'GET' && !/token/.test(r.url))).toEqual([]);
    // The request line the engine would send: the definition's path and query, variables filled, no origin.
    expect(result.heldWrites).toEqual(
      [EXAMPLE_ORDER, SAMPLE_ORDER].map(
        (id) =>
          `netsuite upsertSalesOrder: PUT /services/rest/record/v1/salesOrder/eid:${id}?replace=item%2CtaxDetails`,
      ),
    );
    expect(shapeRun(result, 'Upsert NetSuite sales order').notes).toEqual(
      result.heldWrites.map((line) => `NOT SENT (--live is read-only)  ${line}`),
    );
    expect(flows.sandbox.fakes.netsuite.calls).toEqual([]);
    expect(flows.sandbox.fakes.netsuite.salesOrders.map((o) => o.externalId)).toEqual(['PHONE-0042']);
  });

  it(
    "tells each exception's owner: the filter's exceptions " + 'to integration, an unmapped company to its owner',
    async () => {
      const flows = await sandboxFlows();
      // The sample order's company dropped from account_map: resolve-erp-account's UNMAPPED_ACCOUNT, owned by finance.
      const client = withFlowLookup(flows.client, FLOW, 'account_map', {
        '0b5e4d3c-2a19-4f08-9e7d-6c5b4a392817': '1104',
      });
      const result = await flows.run(FLOW, { client });
      const told = (owner: string) =>
        shapeRun(result, `Tell ${owner} (not booked)`).outputs.map(
          (payload) => (JSON.parse(payload.body) as { code: string }).code,
        );
      expect(told('integration').sort()).toEqual(['MISSING_PURCHASE_ID', 'UNKNOWN_PURCHASE_TYPE']);
      expect(told('finance')).toEqual(['UNMAPPED_ACCOUNT']);
      expect([told('operations'), told('customer service')]).toEqual([[], []]);
      expect(warnings(result).filter((m) => m.endsWith('(Finance)'))).toEqual([
        expect.stringMatching(
          new RegExp(
            '^SparkLayer order B2B01128 not booked, UNMAPPED_ACCOUNT: Company ID ' +
              'c9d8e7f6-1a2b-4c3d-8e4f-5a6b7c8d9e0f has no ERP account',
          ),
        ),
      ]);
      expect(warnings(result).filter((m) => m.endsWith('(Integration)'))).toHaveLength(2);
      // Every exception is queued once, whoever is told.
      expect(
        keptQueue(flows, FLOW)!
          .entries.map((e) => e.code)
          .sort(),
      ).toEqual(['MISSING_PURCHASE_ID', 'UNKNOWN_PURCHASE_TYPE', 'UNMAPPED_ACCOUNT']);
    },
  );

  it(
    'tells finance, once, about the Pay on Account order ' + 'it booked held, with the order, company and amount',
    async () => {
      const flows = await sandboxFlows();
      const result = await flows.run(FLOW);
      const info = result.notifications.filter((n) => n.level === 'info').map((n) => n.message);
      expect(info).toEqual([
        'SparkLayer order B2B01123 held for finance: GBP 189.00, account 1104, company ' +
          '0b5e4d3c-2a19-4f08-9e7d-6c5b4a392817 (Finance)',
      ]);
      expect(shapeRun(result, 'Tell finance (notice)').payloadsIn).toBe(1);
      // Released instead (a fresh company, nothing booked yet): the order is booked for fulfilment and nobody is told.
      const released = await (
        await sandboxFlows()
      ).run(FLOW, { client: withFlowVariables(flows.client, FLOW, { on_account_mode: 'release' }) });
      expect(released.notifications.filter((n) => n.level === 'info')).toEqual([]);
    },
  );
});
