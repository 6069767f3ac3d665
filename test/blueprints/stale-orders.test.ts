// The stale-orders flow on the sandbox, shape by shape: the SparkLayer purchases placed within the look-back are read
// (the connection shape runs the built definition, dist/connectors/sparklayer.core-api.json, through the connection
// engine), flag-stale-orders judges them against the flow's as_of, and the exception loop tells each late order to its
// owner once: a re-run tells nothing again, a young order is never reported, and an order whose shipment package
// (as the fulfilment flows write it) covers every line stops being reported. SparkLayer is only read.
import { describe, expect, it } from 'vitest';
import type { OrderQueue } from '../../model/order-queue.js';
import type { Envelope } from '../../runtime/envelope.js';
import {
  EXAMPLE_ORDER,
  outputsOf,
  purchaseIds,
  SAMPLE_ORDER,
  sandboxFlows,
  shapeRun,
  warnings,
  withFlowVariables,
} from '../support/flow-harness.js';

const FLOW = 'stale-orders';
/**
 * The sandbox's two live orders (fixtures/sparklayer/purchases): EXAMPLE_ORDER, Pay on Account, placed
 * 2026-11-20T09:15:02Z (2 MUG-ENAMEL-CASE12, 12 TOWEL-LINEN-NAT); SAMPLE_ORDER, Pay by Invoice, placed
 * 2026-11-22T08:11:30Z. As of 10:00 on the 22nd the first is 48.75 hours old (over the default 48), the second under 2.
 */
const AS_OF = '2026-11-22T10:00:00Z';
const HOUR_LATER = '2026-11-22T11:00:00Z';
const STALE_EXAMPLE =
  'Stale orders: order 6301bbfc-a0c5-454e-8ff9-bb510944fe0c (new), STALE_ORDER: not all shipped, placed ' +
  '2026-11-20T09:15:02.000Z, more than stale_after_hours 48 before as_of… (Operations)';

type Flows = Awaited<ReturnType<typeof sandboxFlows>>;
/** The run's flag-stale-orders envelope: filter-live-orders' skips and exceptions carried, then its own. */
const flagged = (result: Awaited<ReturnType<Flows['run']>>) => outputsOf(result, 'Flag stale orders')[0] as Envelope;
const verdicts = (envelope: Envelope) => [
  ...purchaseIds(envelope).map((id) => [id, 'on time']),
  ...envelope.exceptions.map((e) => [e.id, e.step, e.code, e.owner]),
];
/** The exception queue the flow kept (its flow cache exception-queue, key state), as the next run reads it. */
const keptQueue = (flows: Flows): OrderQueue => {
  const [body] = flows.caches.read('flow', FLOW, 'exception-queue', 'state');
  return JSON.parse(body!) as OrderQueue;
};
/** Every request the fake SparkLayer answered but the token's, as `METHOD path`: the flow only reads. */
const sparkCalls = (flows: Flows) =>
  flows.sandbox.fakes.sparklayer.calls.filter((call) => !call.startsWith('POST /api/auth/token'));
/** The example order as the sandbox holds it (both copies: the edge-case list repeats it), shipped in one package. */
const shipEverything = (flows: Flows) => {
  const copies = (flows.sandbox.fakes.sparklayer.purchases as Array<Record<string, unknown>>).filter(
    (p) => (p.purchase_identifiers as { sparklayer?: string } | undefined)?.sparklayer === EXAMPLE_ORDER,
  );
  expect(copies.length).toBeGreaterThan(0);
  for (const purchase of copies)
    purchase.packages = [
      ...(purchase.packages as unknown[]),
      {
        type: 'shipment',
        identifiers: { internal: '41' },
        line_items: [
          { identifiers: { sku: 'MUG-ENAMEL-CASE12' }, quantity: 2 },
          { identifiers: { sku: 'TOWEL-LINEN-NAT' }, quantity: 12 },
        ],
      },
    ];
};

describe(`blueprint ${FLOW}`, () => {
  it('tells operations of the stale order once, not of the young one, shape by shape', async () => {
    const flows = await sandboxFlows();
    // Judged like any order (as a client that books Pay on Account released would set it).
    const client = withFlowVariables(flows.client, FLOW, { on_account_mode: 'release' });
    const result = await flows.run(FLOW, { client, asOf: AS_OF });
    expect(result.status).toBe('success');

    // The look-back: lookback_days (60) before as_of, as plan-order-pull says it with no queue; nothing fed in.
    const [plan] = outputsOf(result, 'Plan the look-back') as Envelope[];
    expect(plan!.records).toEqual([]);
    expect(shapeRun(result, 'Plan the look-back').outputs[0]!.meta).toMatchObject({
      pull_since: '2026-09-23T10:00:00.000Z',
      pull_from: 'lookback',
    });
    // The purchases placed since then, in pages of the client's page_size (5): SparkLayer is only read.
    expect(shapeRun(result, 'Pull SparkLayer purchases').notes).toEqual([
      'sparklayer getPurchases: GET ' +
        '/api/v1/purchases?limit=5&dates%5Bplaced%5D%5Bgte%5D=2026-09-23T10%3A00%3A00.000Z: 2 payloads',
    ]);
    expect(sparkCalls(flows).every((call) => call.startsWith('GET '))).toBe(true);
    const [all] = outputsOf(result, 'All purchases') as Array<{ records: unknown[] }>;
    expect(all!.records).toHaveLength(5);

    // filter-live-orders keeps the two live orders (the example order's second copy is a repeat); flag-stale-orders
    // judges them: the example order, 48.75 hours old with nothing shipped, is STALE_ORDER; the sample order is young.
    const envelope = flagged(result);
    expect(verdicts(envelope)).toEqual([
      [SAMPLE_ORDER, 'on time'],
      [null, 'filter-live-orders', 'MISSING_PURCHASE_ID', 'integration'],
      [EXAMPLE_ORDER, 'flag-stale-orders', 'STALE_ORDER', 'operations'],
    ]);
    expect(envelope.summary['flag-stale-orders']).toEqual({ in: 2, records: 1, skipped: 0, exceptions: 1 });
    const stale = envelope.exceptions[1]!;
    expect(stale.details).toEqual({
      age_hours: 48.75,
      placed_at: '2026-11-20T09:15:02.000Z',
      as_of: '2026-11-22T10:00:00.000Z',
      unshipped: [
        { sku: 'MUG-ENAMEL-CASE12', ordered: '2', shipped: '0' },
        { sku: 'TOWEL-LINEN-NAT', ordered: '12', shipped: '0' },
      ],
    });

    // The exception loop: operations hears of the stale order once; the young order is told to no one.
    expect(warnings(result).filter((w) => w.includes('STALE_ORDER'))).toEqual([STALE_EXAMPLE]);
    expect(result.notifications.find((n) => n.shape === 'Tell operations (stale orders)')?.message).toBe(STALE_EXAMPLE);
    expect(warnings(result).some((w) => w.includes(SAMPLE_ORDER))).toBe(false);
    const queue = keptQueue(flows);
    expect(queue.entries.filter((q) => q.code === 'STALE_ORDER').map((q) => [q.key, q.owner])).toEqual([
      [EXAMPLE_ORDER, 'operations'],
    ]);
    expect(queue.entries.some((q) => q.key === SAMPLE_ORDER)).toBe(false);

    // An hour later the order is still stale and still queued, but no one is told again.
    const again = await flows.run(FLOW, { client, asOf: HOUR_LATER });
    expect(again.status).toBe('success');
    expect(verdicts(flagged(again))).toEqual(verdicts(envelope));
    expect(again.notifications).toEqual([]);
    const kept = keptQueue(flows).entries.find((q) => q.key === EXAMPLE_ORDER)!;
    expect([kept.first_seen, kept.last_seen, kept.notified_at]).toEqual([
      '2026-11-22T10:00:00.000Z',
      '2026-11-22T11:00:00.000Z',
      '2026-11-22T10:00:00.000Z',
    ]);
    expect(sparkCalls(flows).every((call) => call.startsWith('GET '))).toBe(true);
  });

  it('stops reporting an order once its shipment package covers every line', async () => {
    const flows = await sandboxFlows();
    const client = withFlowVariables(flows.client, FLOW, { on_account_mode: 'release' });
    await flows.run(FLOW, { client, asOf: AS_OF });
    expect(keptQueue(flows).entries.map((q) => q.key)).toContain(EXAMPLE_ORDER);

    // The fulfilment flow writes the shipment back onto the purchase: everything shipped, in one package.
    shipEverything(flows);
    const shipped = await flows.run(FLOW, { client, asOf: HOUR_LATER });
    expect(verdicts(flagged(shipped))).toEqual([
      [EXAMPLE_ORDER, 'on time'],
      [SAMPLE_ORDER, 'on time'],
      [null, 'filter-live-orders', 'MISSING_PURCHASE_ID', 'integration'],
    ]);
    expect(shipped.notifications).toEqual([]);
    // Not raised this run, so cleared: the kept queue no longer holds it.
    expect(keptQueue(flows).entries.map((q) => q.key)).not.toContain(EXAMPLE_ORDER);
  });

  it('an order already shipped by package is never reported', async () => {
    const flows = await sandboxFlows();
    shipEverything(flows);
    const client = withFlowVariables(flows.client, FLOW, { on_account_mode: 'release' });
    const result = await flows.run(FLOW, { client, asOf: AS_OF });
    expect(flagged(result).exceptions.map((e) => e.code)).toEqual(['MISSING_PURCHASE_ID']);
    expect(warnings(result).some((w) => w.includes(EXAMPLE_ORDER))).toBe(false);
  });

  it('by default (on_account_mode hold) tells finance of the Pay on Account order held too long', async () => {
    const flows = await sandboxFlows();
    const result = await flows.run(FLOW, { asOf: AS_OF });
    expect(verdicts(flagged(result))).toEqual([
      [SAMPLE_ORDER, 'on time'],
      [null, 'filter-live-orders', 'MISSING_PURCHASE_ID', 'integration'],
      [EXAMPLE_ORDER, 'flag-stale-orders', 'HELD_TOO_LONG', 'finance'],
    ]);
    expect(result.notifications.filter((n) => n.shape === 'Tell finance (stale orders)').map((n) => n.message)).toEqual(
      [expect.stringMatching(/^Stale orders: order 6301bbfc-\S+ \(new\), HELD_TOO_LONG: Pay on Account order held /)],
    );
    expect(result.notifications.some((n) => n.shape === 'Tell operations (stale orders)')).toBe(false);
  });

  it('before stale_after_hours, reports nothing stale', async () => {
    const flows = await sandboxFlows();
    const client = withFlowVariables(flows.client, FLOW, { on_account_mode: 'release' });
    // The sandbox's own clock: the example order is 47.75 hours old, under 48.
    const result = await flows.run(FLOW, { client });
    expect(purchaseIds(flagged(result))).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER]);
    expect(flagged(result).exceptions.map((e) => e.code)).toEqual(['MISSING_PURCHASE_ID']);
  });
});
