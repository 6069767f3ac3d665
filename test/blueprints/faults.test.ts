// Fault injection through the local flow runner: whole blueprints run as built (connection shapes from the exported
// definitions, with Patchworks' 0 to 2 shape retries) while a vendor answers 429s (both Retry-After forms), bursts of
// 5xx, drops connections, answers late, lets a token expire mid-run, or accepts an order and then fails to answer.
// Nothing may be lost (what could not be booked waits in the flow's order queue, and the next run sends it again by
// itself), and nothing booked twice.
import { describe, expect, it } from 'vitest';
import { saleIdFor } from '../../connectors/lightspeed-x/sale-id.js';
import type { FlowRunResult } from '../../patchworks/runner/flow-runner.js';
import { SANDBOX_AS_OF } from '../../patchworks/runner/systems.js';
import {
  EXAMPLE_ORDER,
  keptQueue,
  outputsOf,
  SAMPLE_ORDER,
  sandboxFlows,
  shapeRun,
  warnings,
} from '../support/flow-harness.js';

const NETSUITE_FLOW = 'sparklayer-orders-to-netsuite';
const UPSERT_SAMPLE = `PUT /record/v1/salesOrder/eid:${SAMPLE_ORDER}`;

/** A sandbox whose connection shapes record each pause between retries instead of sleeping it. */
async function recordingFlows() {
  const waits: number[] = [];
  const flows = await sandboxFlows({ sleep: async (ms) => void waits.push(ms) });
  return { flows, waits };
}

/** What the try/catch route kept of each sales order NetSuite never took. */
const outputsOfCatch = (result: FlowRunResult) => outputsOf(result, 'Keep the refused order');
const externalIds = (orders: ReadonlyArray<Record<string, unknown>>) => orders.map((o) => o.externalId).sort();
const BOOKED = [EXAMPLE_ORDER, SAMPLE_ORDER, 'PHONE-0042'].sort();
/** The next scheduled run: fifteen minutes after the sandbox's clock. */
const NEXT_RUN = new Date(Date.parse(SANDBOX_AS_OF) + 15 * 60_000).toISOString();
/** The pull of a first run: changed since the 30-day look-back from the sandbox's clock, in pages of 5. */
const FIRST_PULL = 'GET /api/v1/purchases?limit=5&dates%5Blast_updated%5D%5Bgte%5D=2026-10-23T09%3A00%3A00.000Z';

describe('faults while a flow runs', () => {
  it('waits out 429s from SparkLayer mid-pull, in seconds and as an HTTP date, and books the same orders', async () => {
    const { flows, waits } = await recordingFlows();
    const inThreeSeconds = new Date(Date.now() + 3_000).toUTCString();
    flows.sandbox.faults.sparklayer.add(
      'GET /api/v1/purchases',
      { status: 429, headers: { 'Retry-After': '2' } },
      { skip: 1 },
    );
    flows.sandbox.faults.sparklayer.add(
      'GET /api/v1/purchases',
      { status: 429, headers: { 'Retry-After': inThreeSeconds } },
      { skip: 1 },
    );
    const result = await flows.run(NETSUITE_FLOW);

    expect(result.status).toBe('success');
    expect(flows.sandbox.faults.sparklayer.played).toEqual([
      'GET /api/v1/purchases: HTTP 429',
      'GET /api/v1/purchases: HTTP 429',
    ]);
    expect(flows.sandbox.fakes.sparklayer.calls.filter((c) => c.startsWith('GET /api/v1/purchases'))).toEqual([
      FIRST_PULL,
      `${FIRST_PULL}&offset=5`,
    ]);
    expect(waits[0]).toBe(2_000);
    // An HTTP date has whole seconds: the wait is what is left of the three, less the time spent reaching it.
    expect(waits[1]).toBeGreaterThan(1_000);
    expect(waits[1]).toBeLessThanOrEqual(3_000);
    expect(externalIds(flows.sandbox.fakes.netsuite.salesOrders)).toEqual(BOOKED);
    expect(result.counts).toMatchObject({ in: 9, created: 2 });
  });

  it(
    "rides out a 5xx and a dropped connection on a NetSuite upsert with the shape's two retries, and books " +
      'the order once',
    async () => {
      const { flows, waits } = await recordingFlows();
      const faults = flows.sandbox.faults.netsuite;
      faults.add(UPSERT_SAMPLE, { status: 503, body: { title: 'Service Unavailable' } });
      faults.add(UPSERT_SAMPLE, { network: 'reset' });
      faults.add(`PUT /record/v1/salesOrder/eid:${EXAMPLE_ORDER}`, { delayMs: 600 });
      const result = await flows.run(NETSUITE_FLOW);

      expect(result.status).toBe('success');
      const path = UPSERT_SAMPLE.replace('PUT ', 'PUT /services/rest');
      expect(faults.played).toEqual([
        `PUT /services/rest/record/v1/salesOrder/eid:${EXAMPLE_ORDER}: 600 ms late`,
        `${path}: HTTP 503`,
        `${path}: connection reset`,
      ]);
      // A late answer is waited for (the shape's timeout is 120 s); each retry waits 1 s, then 2 s.
      expect(waits).toEqual([1_000, 2_000]);
      expect(externalIds(flows.sandbox.fakes.netsuite.salesOrders)).toEqual(BOOKED);
      expect(flows.sandbox.fakes.netsuite.salesOrders.filter((o) => o.externalId === SAMPLE_ORDER)).toHaveLength(1);
    },
  );

  it(
    'books an order NetSuite applied but never answered for once: the retry of the upsert by external id ' +
      'updates it',
    async () => {
      const { flows } = await recordingFlows();
      flows.sandbox.faults.netsuite.add(UPSERT_SAMPLE, { network: 'reset' }, { when: 'after' });
      flows.sandbox.faults.netsuite.add(
        `PUT /record/v1/salesOrder/eid:${EXAMPLE_ORDER}`,
        { delayMs: 600 },
        { when: 'after' },
      );
      const result = await flows.run(NETSUITE_FLOW);

      expect(result.status).toBe('success');
      expect(flows.sandbox.faults.netsuite.played).toHaveLength(2);
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(externalIds(flows.sandbox.fakes.netsuite.salesOrders)).toEqual(BOOKED);
    },
  );

  it(
    'sends an order whose upsert never gets through down the catch route into the queue, its owner told ' +
      'once; the others are booked',
    async () => {
      const { flows, waits } = await recordingFlows();
      flows.sandbox.faults.netsuite.add(UPSERT_SAMPLE, { network: 'reset' }, { times: 20 });
      const result = await flows.run(NETSUITE_FLOW);

      expect(result.status).toBe('partial_success');
      // Patchworks allows a connection shape 2 retries: three attempts, then the catch route.
      expect(waits).toEqual([1_000, 2_000]);
      expect(flows.sandbox.faults.netsuite.played).toHaveLength(3);
      expect(result.failed.map((f) => f.shape)).toEqual(['Upsert NetSuite sales order']);
      const error = result.failed[0]!.error;
      // The catch route keeps the sales order with the error; the order queue keeps its purchase, and its owner is
      // told.
      expect(
        (outputsOfCatch(result) as Array<{ record: { externalId: string }; error: string }>).map((kept) => [
          kept.record.externalId,
          kept.error,
        ]),
      ).toEqual([[SAMPLE_ORDER, error]]);
      const entry = keptQueue(flows, NETSUITE_FLOW)!.entries.find((e) => e.key === SAMPLE_ORDER)!;
      expect(entry).toMatchObject({
        code: 'BACKEND_REFUSED',
        owner: 'integration',
        message: `Upsert NetSuite sales order: ${error}`,
        replay: true,
        first_seen: '2026-11-22T09:00:00.000Z',
      });
      expect(warnings(result).filter((m) => m.includes('BACKEND_REFUSED'))).toEqual([
        expect.stringMatching(/^SparkLayer order B2B01128 not booked, BACKEND_REFUSED: Upsert NetSuite sales order: /),
      ]);
      expect(flows.pools.values('sparklayer-orders-netsuite')).toEqual([EXAMPLE_ORDER]);
      expect(externalIds(flows.sandbox.fakes.netsuite.salesOrders)).toEqual([EXAMPLE_ORDER, 'PHONE-0042'].sort());

      // The next scheduled run sends it again by itself; NetSuite is still unreachable, so it waits on, and its owner,
      // told of the same problem 15 minutes ago, is not told again.
      const next = await flows.run(NETSUITE_FLOW, { asOf: NEXT_RUN });
      expect(next.status).toBe('partial_success');
      expect(flows.sandbox.faults.netsuite.played).toHaveLength(6);
      expect(keptQueue(flows, NETSUITE_FLOW)!.entries.find((e) => e.key === SAMPLE_ORDER)).toMatchObject({
        code: 'BACKEND_REFUSED',
        first_seen: '2026-11-22T09:00:00.000Z',
        last_seen: NEXT_RUN,
      });
      expect(warnings(next)).toEqual([]);
      expect(externalIds(flows.sandbox.fakes.netsuite.salesOrders)).toEqual([EXAMPLE_ORDER, 'PHONE-0042'].sort());
    },
  );

  it('takes a new SparkLayer token when the old one expires mid-run, and loses nothing', async () => {
    const { flows } = await recordingFlows();
    flows.sandbox.fakes.sparklayer.expireTokensAtCall(3);
    const result = await flows.run(NETSUITE_FLOW);

    expect(result.status).toBe('success');
    expect(flows.sandbox.fakes.sparklayer.tokensIssued).toBe(2);
    expect(shapeRun(result, 'Pull SparkLayer purchases').payloadsOut).toBe(2);
    expect(externalIds(flows.sandbox.fakes.netsuite.salesOrders)).toEqual(BOOKED);
  });

  it(
    'never repeats an X-Series sale whose answer was lost: kept in the queue, and the next run finds it by ' +
      'its sale id',
    async () => {
      const { flows } = await recordingFlows();
      flows.sandbox.faults.lightspeedX.add('POST /2026-07/sales', { network: 'reset' }, { when: 'after' });
      const first = await flows.run('sparklayer-orders-to-lightspeed-x');
      const posts = () =>
        flows.sandbox.fakes.lightspeedX.calls.filter((c) => c.startsWith('POST /2026-07/sales')).length;

      expect(first.status).toBe('partial_success');
      expect(flows.sandbox.faults.lightspeedX.played).toEqual([
        'POST /api/2026-07/sales: connection reset after the work',
      ]);
      expect(first.failed.map((f) => [f.shape, f.error])).toEqual([
        ['Create X-Series sale', expect.stringMatching(/^POST \/api\/2026-07\/sales: no answer/)],
      ]);
      const booked = () =>
        flows.sandbox.fakes.lightspeedX.sales
          .map((s) => (s.source as { id?: string } | undefined)?.id)
          .filter(Boolean)
          .sort();
      expect(booked()).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER].sort());
      expect(posts()).toBe(2);
      // Unconfirmed, so not tracked: the queue keeps its purchase for the next run.
      expect(
        keptQueue(flows, 'sparklayer-orders-to-lightspeed-x')!
          .entries.filter((e) => e.code === 'BACKEND_REFUSED')
          .map((e) => e.key),
      ).toEqual([EXAMPLE_ORDER]);
      expect(flows.pools.values('sparklayer-orders-lightspeed-x')).toEqual([SAMPLE_ORDER]);

      // The next scheduled run feeds it in again by itself, looks it up by its sale id, finds it, and posts nothing.
      const replay = await flows.run('sparklayer-orders-to-lightspeed-x', { asOf: NEXT_RUN });
      expect(replay.status).toBe('success');
      expect(shapeRun(replay, 'Skip sales already booked').notes.filter((n) => n.startsWith('skipped'))).toEqual([
        `skipped  ${saleIdFor(EXAMPLE_ORDER)}  already_booked:${saleIdFor(EXAMPLE_ORDER)}`,
      ]);
      expect(booked()).toEqual([EXAMPLE_ORDER, SAMPLE_ORDER].sort());
      expect(posts()).toBe(2);
      expect(keptQueue(flows, 'sparklayer-orders-to-lightspeed-x')!.entries.map((e) => e.key)).not.toContain(
        EXAMPLE_ORDER,
      );
      expect(flows.pools.values('sparklayer-orders-lightspeed-x')).toEqual([SAMPLE_ORDER, EXAMPLE_ORDER]);
    },
  );

  it(
    'never repeats an R-Series sale that may have been booked: kept in the queue, and the next run finds ' +
      'it instead of booking again',
    async () => {
      const { flows } = await recordingFlows();
      flows.sandbox.faults.lightspeedR.add('POST /Sale.json', { network: 'reset' }, { when: 'after' });
      const first = await flows.run('sparklayer-orders-to-lightspeed-r');
      const posts = () =>
        flows.sandbox.fakes.lightspeedR.calls.filter((c) => c.startsWith('POST') && c.includes('/Sale.json')).length;

      expect(first.status).toBe('partial_success');
      expect(first.failed).toHaveLength(1);
      expect(flows.sandbox.faults.lightspeedR.played).toEqual([
        expect.stringMatching(/^POST \/API\/V3\/Account\/\d+\/Sale\.json: connection reset after the work$/),
      ]);
      expect(flows.sandbox.fakes.lightspeedR.sales).toHaveLength(2);
      expect(posts()).toBe(2);

      // Unconfirmed, so not tracked: the queue keeps its purchase for the next run.
      expect(
        keptQueue(flows, 'sparklayer-orders-to-lightspeed-r')!
          .entries.filter((e) => e.code === 'BACKEND_REFUSED')
          .map((e) => e.key),
      ).toEqual([EXAMPLE_ORDER]);
      expect(flows.pools.values('sparklayer-orders-lightspeed-r')).toEqual([SAMPLE_ORDER]);

      // The next scheduled run feeds it in again by itself (nobody clears a pool), finds it by its note, and posts
      // nothing.
      const replay = await flows.run('sparklayer-orders-to-lightspeed-r', { asOf: NEXT_RUN });
      expect(replay.status).toBe('success');
      expect(replay.counts).toMatchObject({ created: 0 });
      expect(
        shapeRun(replay, 'Skip sales already booked').notes.filter((n) =>
          /^skipped .* already_booked:sale \d+$/.test(n),
        ),
      ).toEqual([
        expect.stringMatching(new RegExp(`^skipped  SparkLayer purchase ${EXAMPLE_ORDER}  already_booked:sale \\d+$`)),
      ]);
      expect(flows.sandbox.fakes.lightspeedR.sales).toHaveLength(2);
      expect(posts()).toBe(2);
      expect(keptQueue(flows, 'sparklayer-orders-to-lightspeed-r')!.entries.map((e) => e.key)).not.toContain(
        EXAMPLE_ORDER,
      );
      expect(flows.pools.values('sparklayer-orders-lightspeed-r')).toEqual([SAMPLE_ORDER, EXAMPLE_ORDER]);
    },
  );
});
