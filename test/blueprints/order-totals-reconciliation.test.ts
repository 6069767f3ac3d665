// The month-end reconciliation on the sandbox, shape by shape: after the orders flow booked the live orders, before
// it did, with a total NetSuite holds differently, and proof that it only reads. Connection shapes run the built
// definitions (dist/connectors/*.core-api.json) through the connection engine, as --live does.
import { describe, expect, it } from 'vitest';
import type { OrderQueue } from '../../model/order-queue.js';
import type { FlowRunResult } from '../../patchworks/runner/flow-runner.js';
import { fitNotifyVariable } from '../../runtime/caps.js';
import type { Envelope } from '../../runtime/envelope.js';
import {
  outputsOf,
  sandboxFlows,
  shapeRun,
  type SandboxFlows,
  withFlowLookup,
  warnings,
  withFlowVariables,
} from '../support/flow-harness.js';

const FLOW = 'order-totals-reconciliation';
const ORDERS_FLOW = 'sparklayer-orders-to-netsuite';
const EXAMPLE_ORDER = '6301bbfc-a0c5-454e-8ff9-bb510944fe0c'; // 189.00, booked to NetSuite 1104
const SAMPLE_ORDER = '8df08078-a22e-4180-85c2-c2af3977a654'; // 76.20, booked to NetSuite 420

type Purchase = { purchase_identifiers: { sparklayer: string }; reconciliation?: Record<string, string> };
const idsOf = (records: unknown[]) => records.map((r) => (r as Purchase).purchase_identifiers.sparklayer);
const reconciled = (result: FlowRunResult) => outputsOf(result, 'Reconcile totals')[0] as Envelope;
const DISMISSED = 'order-totals-reconciliation-dismissed';
/** The exception queue the flow kept (its flow cache exception-queue, key state), as the next run reads it. */
const queued = (flows: SandboxFlows) => {
  const [body] = flows.caches.read('flow', FLOW, 'exception-queue', 'state');
  return body === undefined ? [] : (JSON.parse(body) as OrderQueue).entries;
};
const missing = (purchase: string, what = 'new') =>
  `Order ${purchase} does not reconcile (${what}), MISSING_IN_TARGET: SparkLayer order ${purchase} has no ` +
  'back-end order (Finance)';
/** The read as the built definition sends it: the instance's base URL path, then the record by external id. */
const readPath = (purchase: string) => `/services/rest/record/v1/salesOrder/eid:${purchase}`;
const readNote = (purchase: string, allowed = '') =>
  `netsuite getSalesOrderByExternalId: GET ${readPath(purchase)}: 1 payload${allowed}`;

/** Every request either fake saw that is not a read (the SparkLayer token and NetSuite SuiteQL POSTs are reads). */
function writes(flows: SandboxFlows): string[] {
  const { sparklayer, netsuite } = flows.sandbox.fakes;
  return [...sparklayer.calls, ...netsuite.calls].filter(
    (call) => !call.startsWith('GET ') && call !== 'POST /api/auth/token',
  );
}

describe(`blueprint ${FLOW}`, () => {
  it('matches every live order the orders flow booked, shape by shape, and writes nothing', async () => {
    const flows = await sandboxFlows();
    expect((await flows.run(ORDERS_FLOW)).counts.created).toBe(2);
    const callsBefore = {
      sparklayer: flows.sandbox.fakes.sparklayer.calls.length,
      netsuite: flows.sandbox.fakes.netsuite.calls.length,
    };
    const ordersBefore = structuredClone(flows.sandbox.fakes.netsuite.salesOrders);
    const result = await flows.run(FLOW);

    expect(result.status).toBe('success');
    // Source: every purchase page (5 a page in the example client), then all of them in one payload.
    expect((outputsOf(result, 'Pull SparkLayer purchases') as unknown[][]).map((page) => page.length)).toEqual([5, 4]);
    expect((outputsOf(result, 'All purchases')[0] as { records: unknown[] }).records.length).toBe(9);
    // One filter over all pages: the order that paging returned twice is skipped as a repeat, not reconciled twice.
    const [live] = outputsOf(result, 'Keep live orders') as Envelope[];
    expect(idsOf(live!.records)).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER]);
    expect(live!.skipped.map((s) => s.reason)).toEqual([
      'type:quote',
      'type:cart',
      'type:awaiting_approval',
      'type:order_unconfirmed',
      'duplicate',
    ]);
    // Target: the NetSuite sales order booked for each live order, by its external ID, with NetSuite's own totals.
    expect(shapeRun(result, 'Read NetSuite sales order').notes).toEqual([
      readNote(EXAMPLE_ORDER),
      readNote(SAMPLE_ORDER),
    ]);
    const target = outputsOf(result, 'Read NetSuite sales order') as Array<{
      externalId: string;
      entity: { id: string };
      total: number;
      taxTotal: number;
    }>;
    expect(target.map((o) => [o.externalId, o.entity.id, o.total, o.taxTotal])).toEqual([
      [EXAMPLE_ORDER, '1104', 189, 31.5],
      [SAMPLE_ORDER, '420', 76.2, 12.7],
    ]);
    // Both are NetSuite's orders: the filter passes both, unchanged.
    const filter = shapeRun(result, 'Only orders NetSuite has');
    expect([filter.payloadsIn, filter.payloadsOut, filter.notes]).toEqual([2, 2, []]);
    expect(outputsOf(result, 'Only orders NetSuite has')).toEqual(target);
    const [input] = outputsOf(result, 'Source beside target') as Array<{
      source: unknown[];
      target: Array<{ externalId: string }>;
    }>;
    expect(idsOf(input!.source)).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER]);
    expect(input!.target.map((o) => o.externalId)).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER]);

    // Both match, totals in decimal, the currency read through currency_ids (NetSuite gives only its internal ID).
    const envelope = reconciled(result);
    expect((envelope.records as Purchase[]).map((r) => [r.purchase_identifiers.sparklayer, r.reconciliation])).toEqual([
      [
        EXAMPLE_ORDER,
        { target: EXAMPLE_ORDER, currency: 'GBP', net: '157.50', tax: '31.50', gross: '189.00', shipping: '7.50' },
      ],
      [
        SAMPLE_ORDER,
        { target: SAMPLE_ORDER, currency: 'GBP', net: '63.50', tax: '12.70', gross: '76.20', shipping: '7.50' },
      ],
    ]);
    expect(envelope.exceptions).toEqual([]);
    expect(result.notifications).toEqual([
      {
        shape: 'Tell finance: summary',
        level: 'info',
        message: 'Order totals reconciliation: 2 orders match NetSuite, 0 to check (Finance)',
      },
    ]);
    expect(shapeRun(result, 'One alert per payload').payloadsOut).toBe(0);
    expect(queued(flows)).toEqual([]);
    // Nothing goes to the company cache exceptions-queue any more.
    expect(result.caches['exceptions-queue']).toBeUndefined();
    // The order keyed in by hand is not read: the flow asks NetSuite only for the orders SparkLayer has (README).
    expect(target.map((o) => o.externalId)).not.toContain('PHONE-0042');

    // Read-only on both systems.
    expect(result.counts).toMatchObject({ created: 0, updated: 0, unchanged: 0 });
    expect(writes(flows).length).toBe(2); // the orders flow's two upserts, and nothing since
    expect(flows.sandbox.fakes.sparklayer.calls.length).toBeGreaterThan(callsBefore.sparklayer);
    expect(flows.sandbox.fakes.netsuite.calls.slice(callsBefore.netsuite)).toEqual([
      `GET /record/v1/salesOrder/eid:${EXAMPLE_ORDER}`,
      `GET /record/v1/salesOrder/eid:${SAMPLE_ORDER}`,
    ]);
    expect(flows.sandbox.fakes.netsuite.salesOrders).toEqual(ordersBefore);
  });

  it(
    'reports each live order NetSuite does not have as MISSING_IN_TARGET, whole, when the orders flow has ' + 'not run',
    async () => {
      const flows = await sandboxFlows();
      const result = await flows.run(FLOW);

      expect(result.status).toBe('success');
      // NetSuite answers 404 for both: the read allows it and outputs NetSuite's error body, which has no externalId,
      // so "Only orders NetSuite has" drops both and the step sees no target.
      const read = shapeRun(result, 'Read NetSuite sales order');
      expect(read.notes).toEqual([
        readNote(EXAMPLE_ORDER, ' (HTTP 404, allowed)'),
        readNote(SAMPLE_ORDER, ' (HTTP 404, allowed)'),
      ]);
      expect(read.failed).toBe(0);
      const answers = outputsOf(result, 'Read NetSuite sales order') as Array<{
        status: number;
        externalId?: string;
        'o:errorDetails': Array<{ 'o:errorCode': string }>;
      }>;
      expect(answers.map((a) => [a.status, a.externalId, a['o:errorDetails'][0]!['o:errorCode']])).toEqual([
        [404, undefined, 'NONEXISTENT_ID'],
        [404, undefined, 'NONEXISTENT_ID'],
      ]);
      const filter = shapeRun(result, 'Only orders NetSuite has');
      expect([filter.payloadsIn, filter.payloadsOut]).toEqual([2, 0]);
      expect(filter.notes).toEqual([
        'filtered out: externalId exists does not hold',
        'filtered out: externalId exists does not hold',
      ]);
      expect(shapeRun(result, 'Keep the NetSuite orders').payloadsIn).toBe(0);
      const [input] = outputsOf(result, 'Source beside target') as Array<{ source: unknown[]; target: unknown[] }>;
      expect(idsOf(input!.source)).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER]);
      expect(input!.target).toEqual([]);
      const envelope = reconciled(result);
      expect(envelope.records).toEqual([]);
      expect(envelope.exceptions.map((e) => [e.id, e.code])).toEqual([
        [EXAMPLE_ORDER, 'MISSING_IN_TARGET'],
        [SAMPLE_ORDER, 'MISSING_IN_TARGET'],
      ]);
      expect(result.notifications.map((n) => [n.shape, n.level, n.message])).toEqual([
        ['Tell finance: summary', 'info', 'Order totals reconciliation: 0 orders match NetSuite, 2 to check (Finance)'],
        ['Tell finance (does not reconcile)', 'warning', missing(EXAMPLE_ORDER)],
        ['Tell finance (does not reconcile)', 'warning', missing(SAMPLE_ORDER)],
      ]);
      // Each kept whole in the flow's exception queue, keyed by the purchase id (what finance imports to dismiss it).
      const queue = queued(flows);
      expect(queue.map((q) => [q.key, q.code, q.owner, idsOf([q.record])[0]])).toEqual([
        [EXAMPLE_ORDER, 'MISSING_IN_TARGET', 'finance', EXAMPLE_ORDER],
        [SAMPLE_ORDER, 'MISSING_IN_TARGET', 'finance', SAMPLE_ORDER],
      ]);
      expect(writes(flows)).toEqual([]);
    },
  );

  it('reconciles the order NetSuite has and reports the one it does not, when only one was booked', async () => {
    const flows = await sandboxFlows();
    // The orders flow booked only the example order: the sample company mapped to a customer NetSuite does not have.
    const orders = withFlowLookup(flows.client, ORDERS_FLOW, 'account_map', {
      '0b5e4d3c-2a19-4f08-9e7d-6c5b4a392817': '1104',
      'c9d8e7f6-1a2b-4c3d-8e4f-5a6b7c8d9e0f': '999',
    });
    expect((await flows.run(ORDERS_FLOW, { client: orders })).counts.created).toBe(1);
    const result = await flows.run(FLOW);

    expect(result.status).toBe('success');
    expect(shapeRun(result, 'Read NetSuite sales order').notes).toEqual([
      readNote(EXAMPLE_ORDER),
      readNote(SAMPLE_ORDER, ' (HTTP 404, allowed)'),
    ]);
    const kept = outputsOf(result, 'Only orders NetSuite has') as Array<{ externalId: string; total: number }>;
    expect(kept.map((o) => [o.externalId, o.total])).toEqual([[EXAMPLE_ORDER, 189]]);
    expect(shapeRun(result, 'Only orders NetSuite has').notes).toEqual([
      'filtered out: externalId exists does not hold',
    ]);
    const envelope = reconciled(result);
    expect(idsOf(envelope.records)).toEqual([EXAMPLE_ORDER]);
    expect(envelope.exceptions.map((e) => [e.id, e.code])).toEqual([[SAMPLE_ORDER, 'MISSING_IN_TARGET']]);
    expect(result.notifications.map((n) => [n.level, n.message])).toEqual([
      ['info', 'Order totals reconciliation: 1 orders match NetSuite, 1 to check (Finance)'],
      ['warning', missing(SAMPLE_ORDER)],
    ]);
    expect(writes(flows).length).toBe(2); // the orders flow's two upserts (one refused), and nothing since
  });

  it(
    'names each total NetSuite holds differently (TOTAL_MISMATCH), and matches it within a ' + 'wider tolerance',
    async () => {
      const flows = await sandboxFlows();
      await flows.run(ORDERS_FLOW);
      // NetSuite's tax on the sample order two pence higher (VAT rounded per line, say).
      Object.assign(flows.sandbox.fakes.netsuite.salesOrderByExternalId(SAMPLE_ORDER)!, {
        taxTotal: 12.72,
        total: 76.22,
      });
      const result = await flows.run(FLOW);

      const envelope = reconciled(result);
      const mismatch =
        'tax: expected 12.70, actual 12.72, difference +0.02; gross: expected 76.20, actual 76.22, difference +0.02';
      expect(idsOf(envelope.records)).toEqual([EXAMPLE_ORDER]);
      expect(envelope.exceptions.map((e) => [e.id, e.code, e.message])).toEqual([
        [SAMPLE_ORDER, 'TOTAL_MISMATCH', mismatch],
      ]);
      expect(result.notifications.filter((n) => n.level === 'warning').map((n) => n.message)).toEqual([
        // Patchworks cuts each variable of a notify message to 100 characters: the step cuts it first, visibly.
        `Order ${SAMPLE_ORDER} does not reconcile (new), TOTAL_MISMATCH: ${fitNotifyVariable(mismatch)} (Finance)`,
      ]);
      const [entry] = queued(flows);
      expect(entry!.details).toEqual({
        target: SAMPLE_ORDER,
        currency: 'GBP',
        differences: [
          { field: 'tax', expected: '12.70', actual: '12.72', difference: '+0.02' },
          { field: 'gross', expected: '76.20', actual: '76.22', difference: '+0.02' },
        ],
      });

      const tolerant = await flows.run(FLOW, { client: withFlowVariables(flows.client, FLOW, { tolerance: '0.05' }) });
      expect(idsOf(reconciled(tolerant).records)).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER]);
      expect(reconciled(tolerant).exceptions).toEqual([]);
      // It reconciles now: it leaves the queue, and no one is told of it again.
      expect(queued(flows)).toEqual([]);
      expect(warnings(tolerant)).toEqual([]);
    },
  );

  it('gives the same answer when run again, and holds no writes in a --live run', async () => {
    const flows = await sandboxFlows();
    await flows.run(ORDERS_FLOW);
    const first = await flows.run(FLOW);
    const again = await flows.run(FLOW);
    expect(reconciled(again)).toEqual(reconciled(first));
    expect(again.notifications).toEqual(first.notifications);

    const live = await flows.run(FLOW, { live: true });
    expect(live.heldWrites).toEqual([]);
    expect(reconciled(live)).toEqual(reconciled(first));
    expect(writes(flows).length).toBe(2); // still only the orders flow's upserts
  });

  describe('the exception loop', () => {
    it('tells finance of an order once, again each reminder, and never once dismissed', async () => {
      const flows = await sandboxFlows();
      const first = await flows.run(FLOW);
      expect(warnings(first)).toEqual([missing(EXAMPLE_ORDER), missing(SAMPLE_ORDER)]);

      // Run again the same day (finance checking a fix): the summary again, no order told twice.
      const again = await flows.run(FLOW, { asOf: '2026-11-22T15:00:00Z' });
      expect(reconciled(again).exceptions.map((e) => e.code)).toEqual(['MISSING_IN_TARGET', 'MISSING_IN_TARGET']);
      expect(again.notifications.map((n) => n.level)).toEqual(['info']);
      expect(queued(flows).map((q) => [q.key, q.first_seen, q.last_seen, q.notified_at])).toEqual([
        [EXAMPLE_ORDER, '2026-11-22T09:00:00.000Z', '2026-11-22T15:00:00.000Z', '2026-11-22T09:00:00.000Z'],
        [SAMPLE_ORDER, '2026-11-22T09:00:00.000Z', '2026-11-22T15:00:00.000Z', '2026-11-22T09:00:00.000Z'],
      ]);

      // Finance dismisses the sample order (its id into the data pool); a day later only the other is reminded.
      flows.pools.track(DISMISSED, SAMPLE_ORDER);
      const dayLater = await flows.run(FLOW, { asOf: '2026-11-23T09:00:00Z' });
      expect(warnings(dayLater)).toEqual([missing(EXAMPLE_ORDER, 'still open (since 2026-11-22)')]);
      expect(shapeRun(dayLater, 'Drop dismissed entries').notes).toEqual([
        `1 filtered out: already in data pool "${DISMISSED}"`,
      ]);
      expect(queued(flows).map((q) => q.key)).toEqual([EXAMPLE_ORDER]);
    });

    it('reads a hand-damaged queue entry as its own problem, and still keeps and tells the rest', async () => {
      const flows = await sandboxFlows();
      await flows.run(FLOW);
      const [body] = flows.caches.read('flow', FLOW, 'exception-queue', 'state');
      const kept = JSON.parse(body!) as OrderQueue;
      // An entry edited by hand: its owner misspelt and its first_seen in no format the pack reads.
      const damaged = { ...kept.entries[0]!, owner: 'Finance dept', first_seen: 'last Tuesday' };
      flows.caches.write(
        'flow',
        FLOW,
        'exception-queue',
        'state',
        JSON.stringify({ ...kept, entries: [damaged] }),
        false,
      );
      const result = await flows.run(FLOW, { asOf: '2026-11-22T15:00:00Z' });

      expect(result.status).toBe('success');
      const entries = queued(flows);
      expect(entries.map((q) => q.code).sort()).toEqual([
        'MISSING_IN_TARGET',
        'MISSING_IN_TARGET',
        'QUEUE_ENTRY_UNREADABLE',
      ]);
      expect(entries.find((q) => q.code === 'QUEUE_ENTRY_UNREADABLE')!.record).toEqual(damaged);
      expect(warnings(result).filter((w) => w.includes('QUEUE_ENTRY_UNREADABLE'))).toHaveLength(1);
    });
  });
});
