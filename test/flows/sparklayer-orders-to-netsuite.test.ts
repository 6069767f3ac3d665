// The whole order-to-cash flow on the sandbox, shape by shape: what each shape outputs, a refused order, a re-run.
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../patchworks/runtime/envelope.js';
import { EXAMPLE_ORDER, expectOrderSpine, outputsOf, sandboxFlows, SAMPLE_ORDER, shapeRun, withFlowLookup } from '../support/flow-harness.js';

const FLOW = 'sparklayer-orders-to-netsuite';
// EXAMPLE_ORDER: company 0b5e… -> NetSuite 1104
// SAMPLE_ORDER: company c9d8… -> NetSuite 420

describe(`blueprint ${FLOW}`, () => {
  it('books each live order once and reports every purchase it does not book, shape by shape', async () => {
    const flows = await sandboxFlows();
    const result = await flows.run(FLOW);

    expect(result.status).toBe('success');
    expectOrderSpine(result, flows.pools, 'sparklayer-orders-netsuite');
    // Resolve: each company's NetSuite customer from the client's account map.
    const resolved = (outputsOf(result, 'Find the NetSuite customer') as Envelope[]).flatMap((e) => e.records) as Array<{ erp_account: string }>;
    expect(resolved.map((r) => r.erp_account)).toEqual(['1104', '420']);
    // Map and book: one sales order per payload, upserted by external id, entity from the account map.
    const bodies = outputsOf(result, 'One sales order per payload') as Array<{ externalId: string; entity: { id: string } }>;
    expect(bodies.map((b) => [b.externalId, b.entity.id])).toEqual([[EXAMPLE_ORDER, '1104'], [SAMPLE_ORDER, '420']]);
    expect(shapeRun(result, 'Upsert NetSuite sales order').notes).toEqual([
      `created  netsuite upsertSalesOrder: PUT /record/v1/salesOrder/eid:${EXAMPLE_ORDER}`,
      `created  netsuite upsertSalesOrder: PUT /record/v1/salesOrder/eid:${SAMPLE_ORDER}`,
    ]);
    expect(flows.sandbox.fakes.netsuite.salesOrders.map((o) => o.externalId).sort()).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER, 'PHONE-0042'].sort());
    // Report: both exceptions reach the notify shape and the queue, whole.
    expect(result.notifications.filter((n) => n.level === 'warning').map((n) => n.message.split(',')[1]!.split(':')[0]!.trim()).sort()).toEqual(['MISSING_PURCHASE_ID', 'UNKNOWN_PURCHASE_TYPE']);
    const queued = (result.caches['exceptions-queue']?.['sparklayer-orders-netsuite'] ?? []).map((body) => JSON.parse(body) as { code: string; record: { type: string } });
    expect(queued.map((q) => [q.code, q.record.type]).sort()).toEqual([['MISSING_PURCHASE_ID', 'order'], ['UNKNOWN_PURCHASE_TYPE', 'draft_order']]);
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
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]!.shape).toBe('Upsert NetSuite sales order');
    expect(result.failed[0]!.error).toMatch(/Invalid Field Value 999 for the following field: entity/);
    const refused = JSON.parse(result.failed[0]!.payload.body) as { externalId: string; entity: { id: string } };
    expect([refused.externalId, refused.entity.id]).toEqual([SAMPLE_ORDER, '999']);
    const notice = result.notifications.find((n) => n.level === 'error');
    expect(notice?.message).toContain(`NetSuite refused SparkLayer order ${SAMPLE_ORDER}: `);
    // The queue keeps the refused sales order whole, with NetSuite's reason and the shape that failed.
    const queued = (result.caches['exceptions-queue']?.['sparklayer-orders-netsuite'] ?? []).map((body) => JSON.parse(body) as { error?: string; shape?: string; record?: { externalId: string } });
    const refusedEntry = queued.filter((q) => q.record?.externalId === SAMPLE_ORDER);
    expect(refusedEntry).toHaveLength(1);
    expect(refusedEntry[0]).toMatchObject({ shape: 'Upsert NetSuite sales order', error: expect.stringContaining('Invalid Field Value 999') });
    expect(refusedEntry[0]!.record).toEqual(refused);
    expect(result.counts).toMatchObject({ created: 1, exceptions: 3 });
  });

  it('creates nothing twice when the same flow runs again, and nothing twice even with its data pool lost', async () => {
    const flows = await sandboxFlows();
    await flows.run(FLOW);
    const booked = structuredClone(flows.sandbox.fakes.netsuite.salesOrders);

    const again = await flows.run(FLOW);
    expect(again.counts.created).toBe(0);
    expect(shapeRun(again, 'Drop orders already handled').notes).toEqual([
      '1 filtered out: already in data pool "sparklayer-orders-netsuite"',
      '2 filtered out: already in data pool "sparklayer-orders-netsuite"',
    ]);
    expect(flows.sandbox.fakes.netsuite.salesOrders).toEqual(booked);

    // Patchworks keeps pool entries 90 days and a pool is not atomic: the upsert by external id still updates the
    // order it made instead of booking a second one.
    for (const name of flows.pools.names()) flows.pools.forget(name);
    const afterLoss = await flows.run(FLOW);
    expect(afterLoss.counts.created).toBe(2);
    expect(flows.sandbox.fakes.netsuite.salesOrders.map((o) => o.externalId).sort()).toEqual(booked.map((o) => o.externalId).sort());
  });

  it('reads but does not write in a --live run: the writes are printed instead', async () => {
    const flows = await sandboxFlows();
    const result = await flows.run(FLOW, { live: true });
    expect(result.heldWrites).toEqual([
      `netsuite upsertSalesOrder: PUT /record/v1/salesOrder/eid:${EXAMPLE_ORDER}`,
      `netsuite upsertSalesOrder: PUT /record/v1/salesOrder/eid:${SAMPLE_ORDER}`,
    ]);
    expect(flows.sandbox.fakes.netsuite.salesOrders.map((o) => o.externalId)).toEqual(['PHONE-0042']);
  });
});
