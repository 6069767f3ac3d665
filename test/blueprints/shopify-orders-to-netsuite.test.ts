// SparkLayer on Shopify (issue 36): the Shopify-source order flow on the sandbox, and one order booked once whichever
// source saw it. Connection shapes run the built definitions (dist/connectors/*.core-api.json) through the connection
// engine against the fakes: the Shopify fake refuses any query but the pack's and any request without the token.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ShopifySandbox } from '../../connectors/shopify/dev/sandbox.js';
import { loadClientConfig } from '../../patchworks/blueprint/client-config.js';
import type { Envelope } from '../../runtime/envelope.js';
import { fixtureBody } from '../support/fixtures.js';
import {
  EXAMPLE_ORDER,
  outputsOf,
  ROOT,
  SAMPLE_ORDER,
  sandboxFlows,
  shapeRun,
  warnings,
} from '../support/flow-harness.js';

const FLOW = 'shopify-orders-to-netsuite';
const SPARKLAYER_FLOW = 'sparklayer-orders-to-netsuite';
const POOL = 'sparklayer-orders-netsuite';
const shopifyClient = () => loadClientConfig(path.join(ROOT, 'clients', 'example-homewares-on-shopify.json'));

type Flows = Awaited<ReturnType<typeof sandboxFlows>>;
/** Every request the engine sent to a connector, as `METHOD path status`. */
const sent = (flows: Flows, connector: string) =>
  flows.sandbox.engine.sent
    .filter((r) => r.connector === connector)
    .map((r) => `${r.method} ${new URL(r.url).pathname} ${r.status}`);
const upsert = (purchase: string) => `PUT /services/rest/record/v1/salesOrder/eid:${purchase} 204`;

describe(`blueprint ${FLOW}`, () => {
  it("books the order SparkLayer's checkout booked into Shopify, keyed by its SparkLayer purchase id", async () => {
    const flows = await sandboxFlows();
    const result = await flows.run(FLOW, { client: await shopifyClient() });

    expect(result.status).toBe('success');
    // Two reads, the pack's orders and draft orders queries, with the token (the fake answers 401 without it).
    expect(sent(flows, 'shopify')).toEqual([
      'POST /admin/api/2026-10/graphql.json 200',
      'POST /admin/api/2026-10/graphql.json 200',
    ]);
    // Each Shopify order goes on whole, keyed by its sparkCartId, its Shopify customer id beside.
    const pulled = (outputsOf(result, 'Keep the draft orders SparkLayer booked') as Envelope[]).flatMap(
      (e) => e.records,
    );
    expect(pulled).toContainEqual(
      expect.objectContaining({
        id: 'gid://shopify/DraftOrder/1103',
        purchase_identifiers: { sparklayer: EXAMPLE_ORDER, visible: '#D13' },
        customer_identifiers: { platform: '7000000000001' },
      }),
    );
    // The quote draft is skipped; each order's SparkLayer customer is read by its Shopify id (lookupBy platform).
    const live = outputsOf(result, 'Keep live orders')[0] as Envelope;
    expect(live.skipped).toEqual([
      { id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', step: 'filter-live-orders', reason: 'type:quote' },
    ]);
    expect(sent(flows, 'sparklayer').filter((line) => line.includes('/customers/'))).toEqual([
      'GET /api/v2/customers/platform/7702 404',
      'GET /api/v2/customers/platform/7701 404',
      'GET /api/v2/customers/platform/7000000000001 200',
    ]);
    // Resolve: the customer's accounting_id. Map and book: the SparkLayer purchase id as NetSuite's external id.
    const bodies = outputsOf(result, 'One sales order per payload') as Array<{
      externalId: string;
      entity: { id: string };
    }>;
    expect(bodies.map((b) => [b.externalId, b.entity.id])).toEqual([[EXAMPLE_ORDER, '1104']]);
    expect(sent(flows, 'netsuite')).toEqual([upsert(EXAMPLE_ORDER)]);
    expect([...flows.pools.values(POOL)]).toEqual([EXAMPLE_ORDER]);
    // The orders whose customer SparkLayer does not have are reported, not booked.
    expect(warnings(result)).toEqual([
      expect.stringMatching(/^SparkLayer order #1042 not booked, INVALID_RECORD: customer\.id 7702: no SparkLayer/),
      expect.stringMatching(/^SparkLayer order #D11 not booked, INVALID_RECORD: .*customer\.id 7701: no SparkLayer/),
    ]);
    expect(shapeRun(result, 'Drop orders already booked').notes.join(' ')).toMatch(/none seen before/);
  });

  it('books nothing twice: an order booked by the SparkLayer flow, then seen from Shopify, is dropped', async () => {
    const flows = await sandboxFlows();
    const first = await flows.run(SPARKLAYER_FLOW);
    expect(first.status).toBe('success');
    expect(sent(flows, 'netsuite')).toEqual([upsert(EXAMPLE_ORDER), upsert(SAMPLE_ORDER)]);
    const booked = structuredClone(flows.sandbox.fakes.netsuite.salesOrders);

    const second = await flows.run(FLOW, { client: await shopifyClient() });
    expect(second.status).toBe('success');
    // The draft order carrying B2B01123's cart id is in the shared pool: dropped before its customer is read.
    const deduped = outputsOf(second, 'Drop orders already booked')[0] as Envelope;
    expect(deduped.records.map((r) => (r as { name: string }).name)).toEqual(['#1042', '#D11']);
    expect(sent(flows, 'netsuite')).toEqual([upsert(EXAMPLE_ORDER), upsert(SAMPLE_ORDER)]);
    expect(flows.sandbox.fakes.netsuite.salesOrders).toEqual(booked);
    expect(outputsOf(second, 'One sales order per payload')).toEqual([]);
  });

  it('and the other way: an order booked from Shopify is not booked again by the SparkLayer flow', async () => {
    const flows = await sandboxFlows();
    await flows.run(FLOW, { client: await shopifyClient() });
    expect(sent(flows, 'netsuite')).toEqual([upsert(EXAMPLE_ORDER)]);

    const second = await flows.run(SPARKLAYER_FLOW);
    expect(second.status).toBe('success');
    expect(sent(flows, 'netsuite')).toEqual([upsert(EXAMPLE_ORDER), upsert(SAMPLE_ORDER)]);
    expect([...flows.pools.values(POOL)].sort()).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER].sort());
  });

  it('reads every page in the run: the SparkLayer draft after 250 retail ones is booked', async () => {
    const flows = await sandboxFlows();
    const draft = fixtureBody('fixtures/shopify/graphql/sandbox.draft-order.sparklayer-b2b01123.json') as Record<
      string,
      unknown
    >;
    // 250 retail drafts (no sparkCartId), then one SparkLayer booked: with page_size 250 it is on the second page.
    const retail = Array.from({ length: 250 }, (_, i) => ({
      ...structuredClone(draft),
      id: `gid://shopify/DraftOrder/${5000 + i}`,
      name: `#R${i}`,
      customAttributes: [],
    }));
    const late = '0b5c7d2e-1f3a-4c5b-9d6e-7f8a9b0c1d2e';
    const lateDraft = {
      ...structuredClone(draft),
      id: 'gid://shopify/DraftOrder/9999',
      name: '#D999',
      customAttributes: [
        { key: 'sparkCartId', value: late },
        { key: 'sparkPaymentType', value: 'paymentOnAccount' },
      ],
    };
    const shopify = flows.sandbox.fakes.shopify as ShopifySandbox;
    shopify.add('draftOrders', ...retail, lateDraft);

    const result = await flows.run(FLOW, { client: await shopifyClient() });

    expect(result.status).toBe('success');
    // The pagination script asked for the second page after the first page's end cursor, and stopped there.
    const drafts = shopify.requests.filter((r) => r.connection === 'draftOrders').map((r) => r.variables);
    expect(drafts).toHaveLength(2);
    expect(drafts[0]!.after).toBeUndefined();
    expect(drafts[1]).toMatchObject({ first: 250, after: expect.any(String) });
    expect(sent(flows, 'netsuite')).toEqual([upsert(EXAMPLE_ORDER), upsert(late)]);
    expect([...flows.pools.values(POOL)].sort()).toEqual([EXAMPLE_ORDER, late].sort());
  });
});
