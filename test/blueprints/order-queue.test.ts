// The exception loop of every order flow, run after run on the sandbox, as it ships (scripts as built on Node 18,
// connection shapes from dist/connectors, the flows' caches and data pool kept between runs as Patchworks keeps them):
// an order that cannot be booked waits in the flow's order queue, whole; once its cause is fixed the next scheduled
// run books it exactly once and clears its entry; nobody is told twice; a run after a long state loss books nothing
// twice; and every pull asks SparkLayer only for what changed since the last run.
import { describe, expect, it } from 'vitest';
import { saleIdFor } from '../../connectors/lightspeed-x/sale-id.js';
import type { ClientConfig } from '../../patchworks/blueprint/client-config.js';
import { SANDBOX_AS_OF } from '../../patchworks/runner/systems.js';
import {
  EXAMPLE_ORDER,
  keptQueue,
  sandboxFlows,
  SAMPLE_ORDER,
  shapeRun,
  warnings,
  withFlowLookup,
  type SandboxFlows,
} from '../support/flow-harness.js';

type Json = Record<string, unknown>;
const SAMPLE_COMPANY = 'c9d8e7f6-1a2b-4c3d-8e4f-5a6b7c8d9e0f';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** The sandbox's clock plus some time: the instant a later scheduled run starts. */
const later = (ms: number) => new Date(Date.parse(SANDBOX_AS_OF) + ms).toISOString();

interface BackEnd {
  flow: string;
  pool: string;
  connector: string;
  /** How many back-end orders the fake holds for the purchase. */
  bookedFor: (flows: SandboxFlows, purchase: string) => number;
  /** The example client, changed so that the back-end refuses the sample order (and books the other). */
  refusing: (client: ClientConfig) => ClientConfig;
  refusal: RegExp;
}

const lookup = (client: ClientConfig, flow: string, name: string) =>
  client.flows[flow]!.lookups[name] as Record<string, string>;

const BACK_ENDS: BackEnd[] = [
  {
    flow: 'sparklayer-orders-to-netsuite',
    pool: 'sparklayer-orders-netsuite',
    connector: 'netsuite',
    bookedFor: (flows, purchase) =>
      flows.sandbox.fakes.netsuite.salesOrders.filter((order) => order.externalId === purchase).length,
    // A customer NetSuite does not have.
    refusing: (client) =>
      withFlowLookup(client, 'sparklayer-orders-to-netsuite', 'account_map', {
        ...lookup(client, 'sparklayer-orders-to-netsuite', 'account_map'),
        [SAMPLE_COMPANY]: '999',
      }),
    refusal: /^Upsert NetSuite sales order: HTTP 400 Invalid Field Value 999 for the following field: entity/,
  },
  {
    flow: 'sparklayer-orders-to-lightspeed-x',
    pool: 'sparklayer-orders-lightspeed-x',
    connector: 'lightspeed-x',
    bookedFor: (flows, purchase) =>
      (flows.sandbox.fakes.lightspeedX.sales as Json[]).filter((sale) => sale.id === saleIdFor(purchase)).length,
    // A customer id X-Series does not have.
    refusing: (client) =>
      withFlowLookup(client, 'sparklayer-orders-to-lightspeed-x', 'account_map', {
        ...lookup(client, 'sparklayer-orders-to-lightspeed-x', 'account_map'),
        [SAMPLE_COMPANY]: '00000000-0000-4000-8000-00000000dead',
      }),
    refusal: /^Create X-Series sale: HTTP 400 customer_id 00000000-0000-4000-8000-00000000dead is not a customer/,
  },
  {
    flow: 'sparklayer-orders-to-lightspeed-r',
    pool: 'sparklayer-orders-lightspeed-r',
    connector: 'lightspeed-r',
    bookedFor: (flows, purchase) =>
      (flows.sandbox.fakes.lightspeedR.sales as Array<{ SaleNotes?: { InternalNote?: { note?: string } } }>).filter(
        (sale) => sale.SaleNotes?.InternalNote?.note?.includes(`SparkLayer purchase ${purchase};`),
      ).length,
    // The jug mapped to R-Series' item 43, which is archived.
    refusing: (client) =>
      withFlowLookup(client, 'sparklayer-orders-to-lightspeed-r', 'product_map', {
        ...lookup(client, 'sparklayer-orders-to-lightspeed-r', 'product_map'),
        'JUG-STONE-1L': '43',
      }),
    refusal: /^Create R-Series sale: HTTP 400 Bad Request: SaleLines\.SaleLine\[0\]: item 43 is archived/,
  },
];

/** Every write the flow's connection shapes sent to the back-end. */
const writes = (flows: SandboxFlows, connector: string) =>
  flows.sandbox.engine.sent.filter((request) => request.connector === connector && request.method !== 'GET').length;
const purchaseCalls = (flows: SandboxFlows) =>
  flows.sandbox.fakes.sparklayer.calls.filter((call) => call.startsWith('GET /api/v1/purchases?'));

describe.each(BACK_ENDS)('$flow: the exception loop', (backEnd) => {
  const { flow, pool, connector } = backEnd;
  const entryFor = (flows: SandboxFlows, purchase: string) =>
    keptQueue(flows, flow)?.entries.find((entry) => entry.key === purchase);

  it('runs with a hand-damaged queue entry and still books, saves and alerts the rest', async () => {
    const flows = await sandboxFlows();
    const { [SAMPLE_COMPANY]: _forgotten, ...mapped } = lookup(flows.client, flow, 'account_map');
    await flows.run(flow, { client: withFlowLookup(flows.client, flow, 'account_map', mapped) });
    const kept = keptQueue(flows, flow)!;
    expect(kept.entries.map((entry) => entry.code).sort()).toEqual([
      'MISSING_PURCHASE_ID',
      'UNKNOWN_PURCHASE_TYPE',
      'UNMAPPED_ACCOUNT',
    ]);
    // Someone edits the cache by hand: one entry's owner spelt their way, its first_seen in no format the pack reads.
    const damaged = {
      ...kept.entries.find((entry) => entry.code === 'UNKNOWN_PURCHASE_TYPE')!,
      owner: 'Integration team',
      first_seen: 'last Tuesday',
    };
    const edited = kept.entries.map((entry) => (entry.code === 'UNKNOWN_PURCHASE_TYPE' ? damaged : entry));
    flows.caches.write('flow', flow, 'order-queue', 'state', JSON.stringify({ ...kept, entries: edited }), false);

    // The map is fixed; the next scheduled run books the waiting order once, saves the queue and tells only the new.
    const next = await flows.run(flow, { asOf: later(15 * MINUTE) });
    expect(next.status).not.toBe('failure');
    expect([backEnd.bookedFor(flows, EXAMPLE_ORDER), backEnd.bookedFor(flows, SAMPLE_ORDER)]).toEqual([1, 1]);
    expect(flows.pools.values(pool)).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER]);
    const saved = keptQueue(flows, flow)!;
    expect(saved.watermark).toBe(later(15 * MINUTE));
    expect(saved.entries.map((entry) => entry.code).sort()).toEqual(['MISSING_PURCHASE_ID', 'QUEUE_ENTRY_UNREADABLE']);
    const unreadable = saved.entries.find((entry) => entry.code === 'QUEUE_ENTRY_UNREADABLE')!;
    expect(unreadable).toMatchObject({ owner: 'integration', record: damaged });
    expect(warnings(next)).toEqual([
      expect.stringMatching(/^SparkLayer order .* not booked, QUEUE_ENTRY_UNREADABLE: .*\(Integration\)$/),
    ]);
  });

  it(
    'keeps an unmapped order waiting; once the account map is fixed, the next run books it exactly once ' +
      'and clears its entry',
    async () => {
      const flows = await sandboxFlows();
      const full = flows.client;
      const { [SAMPLE_COMPANY]: _forgotten, ...mapped } = lookup(full, flow, 'account_map');
      const unmapped = withFlowLookup(full, flow, 'account_map', mapped);

      const first = await flows.run(flow, { client: unmapped });
      expect([backEnd.bookedFor(flows, EXAMPLE_ORDER), backEnd.bookedFor(flows, SAMPLE_ORDER)]).toEqual([1, 0]);
      const waiting = entryFor(flows, SAMPLE_ORDER)!;
      expect(waiting).toMatchObject({
        label: 'B2B01128',
        code: 'UNMAPPED_ACCOUNT',
        owner: 'finance',
        replay: true,
        first_seen: '2026-11-22T09:00:00.000Z',
        notified_at: '2026-11-22T09:00:00.000Z',
      });
      // Whole: the purchase as SparkLayer gave it, to be fed in again.
      expect((waiting.record as { purchase_identifiers: { sparklayer: string } }).purchase_identifiers.sparklayer).toBe(
        SAMPLE_ORDER,
      );
      expect(warnings(first).filter((message) => message.includes('B2B01128'))).toEqual([
        expect.stringMatching(/^SparkLayer order B2B01128 not booked, UNMAPPED_ACCOUNT: .* \(Finance\)$/),
      ]);
      // Not booked, so not tracked: the pool holds only what the back-end took.
      expect(flows.pools.values(pool)).toEqual([EXAMPLE_ORDER]);

      // The consultant adds the company to the map; the next scheduled run, 15 minutes on, books it by itself.
      const fixed = await flows.run(flow, { asOf: later(15 * MINUTE) });
      expect([backEnd.bookedFor(flows, EXAMPLE_ORDER), backEnd.bookedFor(flows, SAMPLE_ORDER)]).toEqual([1, 1]);
      expect(fixed.counts.created).toBe(1);
      expect(entryFor(flows, SAMPLE_ORDER)).toBeUndefined();
      expect(flows.pools.values(pool)).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER]);
      // The filter's two exceptions still wait, and their owner is not told again within the reminder interval.
      expect(
        keptQueue(flows, flow)!
          .entries.map((entry) => entry.code)
          .sort(),
      ).toEqual(['MISSING_PURCHASE_ID', 'UNKNOWN_PURCHASE_TYPE']);
      expect(warnings(fixed)).toEqual([]);

      // Nothing new: no write, no notification.
      const sent = writes(flows, connector);
      const quiet = await flows.run(flow, { asOf: later(30 * MINUTE) });
      expect(writes(flows, connector)).toBe(sent);
      expect(quiet.notifications).toEqual([]);
      expect([backEnd.bookedFor(flows, EXAMPLE_ORDER), backEnd.bookedFor(flows, SAMPLE_ORDER)]).toEqual([1, 1]);
    },
  );

  it(
    'keeps an order the back-end refused, whole; once the cause is fixed, the next run books it exactly ' +
      'once and clears its entry',
    async () => {
      const flows = await sandboxFlows();
      const first = await flows.run(flow, { client: backEnd.refusing(flows.client) });
      expect(first.status).toBe('partial_success');
      expect(backEnd.bookedFor(flows, SAMPLE_ORDER)).toBe(0);
      const refused = entryFor(flows, SAMPLE_ORDER)!;
      expect(refused).toMatchObject({ label: 'B2B01128', code: 'BACKEND_REFUSED', owner: 'integration', replay: true });
      expect(refused.message).toMatch(backEnd.refusal);
      expect(warnings(first).filter((message) => message.includes('BACKEND_REFUSED'))).toEqual([
        expect.stringMatching(/^SparkLayer order B2B01128 not booked, BACKEND_REFUSED: .*\(Integration\)$/),
      ]);
      expect(flows.pools.values(pool)).toEqual([EXAMPLE_ORDER]);

      const fixed = await flows.run(flow, { asOf: later(15 * MINUTE) });
      expect(fixed.status).toBe('success');
      expect([backEnd.bookedFor(flows, EXAMPLE_ORDER), backEnd.bookedFor(flows, SAMPLE_ORDER)]).toEqual([1, 1]);
      expect(entryFor(flows, SAMPLE_ORDER)).toBeUndefined();
      expect(warnings(fixed)).toEqual([]);

      const sent = writes(flows, connector);
      const quiet = await flows.run(flow, { asOf: later(30 * MINUTE) });
      expect(writes(flows, connector)).toBe(sent);
      expect(quiet.notifications).toEqual([]);
    },
  );

  it(
    'dismisses any waiting entry whose key is imported into the pool, a refused purchase with no id ' +
      'included: never fed in, reminded or saved again',
    async () => {
      const flows = await sandboxFlows();
      await flows.run(flow);
      const waitingKeys = keptQueue(flows, flow)!.entries.map((entry) => entry.key);
      // The two purchases filter-live-orders refuses: an undocumented type (B2B01129) and one with no id at all.
      expect(waitingKeys).toHaveLength(2);
      expect(waitingKeys.filter((key) => /^record:[0-9a-f]{14}$/.test(key))).toHaveLength(1);
      // The owner imports both keys into the flow's data pool (CSV value,entity_type_id), as the runbook says.
      for (const key of waitingKeys) flows.pools.track(backEnd.pool, key);
      const next = await flows.run(flow, { asOf: later(DAY) });
      expect(next.status).toBe('success');
      expect(keptQueue(flows, flow)!.entries).toEqual([]);
      // Due for a reminder (a day on), but dismissed: nobody is told.
      expect(warnings(next)).toEqual([]);
      expect(shapeRun(next, 'Drop dismissed entries').notes).toEqual([
        `2 filtered out: already in data pool "${backEnd.pool}"`,
      ]);
      expect(warnings(await flows.run(flow, { asOf: later(2 * DAY) }))).toEqual([]);
    },
  );

  it('reminds the owner of an order still waiting once each reminder_hours, not on every run', async () => {
    const flows = await sandboxFlows();
    await flows.run(flow);
    expect(keptQueue(flows, flow)!.entries.map((entry) => entry.notified_at)).toEqual([
      '2026-11-22T09:00:00.000Z',
      '2026-11-22T09:00:00.000Z',
    ]);
    expect(warnings(await flows.run(flow, { asOf: later(23 * 60 * MINUTE) }))).toEqual([]);
    const reminded = await flows.run(flow, { asOf: later(DAY) });
    expect(warnings(reminded).sort()).toEqual([
      expect.stringMatching(
        /^SparkLayer order B2B01129 still not booked \(since 2026-11-22\), UNKNOWN_PURCHASE_TYPE: /,
      ),
      expect.stringMatching(
        new RegExp(
          '^SparkLayer order with no id \\(record:[0-9a-f]{14}\\) still not booked \\(since 2026-11-22\\), ' +
            'MISSING_PURCHASE_ID: ',
        ),
      ),
    ]);
    expect(keptQueue(flows, flow)!.entries.map((entry) => [entry.first_seen, entry.notified_at])).toEqual([
      ['2026-11-22T09:00:00.000Z', '2026-11-23T09:00:00.000Z'],
      ['2026-11-22T09:00:00.000Z', '2026-11-23T09:00:00.000Z'],
    ]);
    expect(warnings(await flows.run(flow, { asOf: later(DAY + 15 * MINUTE) }))).toEqual([]);
  });

  it(
    'books nothing twice after 100 days of lost state: pool and queue gone, the look-back pulls the orders ' +
      'changed since',
    async () => {
      const flows = await sandboxFlows();
      await flows.run(flow);
      expect([backEnd.bookedFor(flows, EXAMPLE_ORDER), backEnd.bookedFor(flows, SAMPLE_ORDER)]).toEqual([1, 1]);

      // 100 days on, Patchworks has dropped the pool (90 days) and the cache (7 days); both orders changed yesterday
      // (shipped, say), so the look-back reaches them again.
      flows.forgetState();
      for (const purchase of flows.sandbox.fakes.sparklayer.purchases) {
        const id = (purchase.purchase_identifiers as { sparklayer?: string } | undefined)?.sparklayer;
        if (id === EXAMPLE_ORDER || id === SAMPLE_ORDER) (purchase.dates as Json).updated_at = later(99 * DAY);
      }
      const afterLoss = await flows.run(flow, { asOf: later(100 * DAY) });
      expect(afterLoss.status).toBe('success');
      expect(shapeRun(afterLoss, 'Plan the pull').outputs[0]!.meta).toMatchObject({
        pull_from: 'lookback',
        pull_since: later(70 * DAY),
      });
      expect(shapeRun(afterLoss, 'Drop orders already booked').notes).toEqual(['2 checked, none seen before']);
      expect([backEnd.bookedFor(flows, EXAMPLE_ORDER), backEnd.bookedFor(flows, SAMPLE_ORDER)]).toEqual([1, 1]);
      // NetSuite's upsert by external id updates the order it made; the Lightspeed flows find their sales and create
      // none.
      if (connector !== 'netsuite') expect(afterLoss.counts.created).toBe(0);
      expect(flows.pools.values(pool)).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER]);
    },
  );

  it('asks SparkLayer only for purchases changed since the last run, by the documented filter name', async () => {
    const flows = await sandboxFlows();
    await flows.run(flow);
    await flows.run(flow, { asOf: later(15 * MINUTE) });
    const since = purchaseCalls(flows).map((call) =>
      new URLSearchParams(call.split('?')[1]).get('dates[last_updated][gte]'),
    );
    // First run: 30 days back from the clock, two pages; the next: the first run's start less the 30-minute overlap.
    expect(since).toEqual(['2026-10-23T09:00:00.000Z', '2026-10-23T09:00:00.000Z', '2026-11-22T08:30:00.000Z']);
  });
});
