// The credit hold flow on the sandbox, shape by shape: a held company, an account SparkLayer does not know, a PUT
// SparkLayer refuses, a release, re-runs that write nothing twice, and the exception loop (each problem kept in the
// flow's exception queue and told to its owner once, dismissable). Connection shapes run the built definitions
// (dist/connectors/*.core-api.json) through the connection engine, as --live does, its writes held.
import { describe, expect, it } from 'vitest';
import type { OrderQueue } from '../../model/order-queue.js';
import type { Envelope } from '../../runtime/envelope.js';
import { outputsOf, sandboxFlows, shapeRun, warnings, withFlowVariables } from '../support/flow-harness.js';

const FLOW = 'netsuite-credit-hold-to-sparklayer';
const DISMISSED = 'credit-hold-dismissed';
const HOUR_LATER = '2026-11-22T10:00:00Z';
const PRIMARY = '0b5e4d3c-2a19-4f08-9e7d-6c5b4a392817'; // Example Trading's primary customer, accounting_id 1104
const SUB_ACCOUNT = '5f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f'; // its sub-account (parent_customer_id PRIMARY)
// mapped to NetSuite 420; not a SparkLayer customer in the sandbox
const SAMPLE_COMPANY = 'c9d8e7f6-1a2b-4c3d-8e4f-5a6b7c8d9e0f';

type Customer = { id: string; group?: string; payment_on_account?: { credit_limit?: number } } & Record<
  string,
  unknown
>;

const idsOf = (values: unknown[]) => values.map((value) => (value as { id: string }).id);
const puts = (calls: readonly string[]) => calls.filter((call) => call.startsWith('PUT '));
type Flows = Awaited<ReturnType<typeof sandboxFlows>>;
/** The exception queue the flow kept (its flow cache exception-queue, key state), as the next run reads it. */
const keptQueue = (flows: Flows): OrderQueue | undefined => {
  const [body] = flows.caches.read('flow', FLOW, 'exception-queue', 'state');
  return body === undefined ? undefined : (JSON.parse(body) as OrderQueue);
};
const UNKNOWN_420 =
  'Credit hold of 420 not synced to SparkLayer (new), UNKNOWN_CUSTOMER: no SparkLayer customer has account 420 ' +
  '(Finance)';
const REFUSED = new RegExp(
  '^Credit hold of 5f6e7d8c-\\S+ not synced to SparkLayer \\(new\\), WRITE_REFUSED: Put SparkLayer customer: ' +
    'HTTP 400 The customer group credit-hold does not exist\\..* \\(Integration\\)$',
);
const customerPath = (id: string) => `/api/v2/customers/sparklayer/${id}`;
/** Every request the engine sent to one connector, as `METHOD path status` (token requests included). */
const sentTo = (flows: Flows, connector: string) =>
  flows.sandbox.engine.sent
    .filter((r) => r.connector === connector)
    .map((r) => `${r.method} ${new URL(r.url).pathname}${new URL(r.url).search} ${r.status}`);

describe(`blueprint ${FLOW}`, () => {
  it(
    'holds the company NetSuite holds, writes only its customers, and reports the account SparkLayer does ' +
      'not know, shape by shape',
    async () => {
      const flows = await sandboxFlows();
      const spark = flows.sandbox.fakes.sparklayer;
      const before = structuredClone(spark.customers) as Customer[];
      const result = await flows.run(FLOW);

      expect(result.status).toBe('success');
      // The lookups as one payload: the NetSuite accounts and the SparkLayer customers to read. (A table held as a
      // JSON object lists whole-number keys in numeric order, so 420 comes before 1104.)
      const [lists] = outputsOf(result, 'Accounts and customers to read') as Array<{
        accounts: Array<{ left_value: string }>;
        customers: Array<{ left_value: string; right_value: string }>;
      }>;
      expect(lists!.accounts.map((row) => row.left_value)).toEqual(['420', '1104']);
      expect(lists!.customers.map((row) => [row.left_value, row.right_value])).toEqual([
        [PRIMARY, '1104'],
        [SUB_ACCOUNT, '1104'],
        [SAMPLE_COMPANY, '420'],
      ]);
      // Reads: SparkLayer answers 404 for the company it does not have; the shape allows it and outputs SparkLayer's
      // answer as the payload, which the filter after it drops (it has no id). NetSuite has both accounts.
      const read = shapeRun(result, 'Read SparkLayer customer');
      expect(read.notes).toEqual([
        `sparklayer getCustomer: GET ${customerPath(PRIMARY)}: 1 payload`,
        `sparklayer getCustomer: GET ${customerPath(SUB_ACCOUNT)}: 1 payload`,
        `sparklayer getCustomer: GET ${customerPath(SAMPLE_COMPANY)}: 1 payload (HTTP 404, allowed)`,
      ]);
      const answers = outputsOf(result, 'Read SparkLayer customer') as Customer[];
      expect(answers.slice(0, 2)).toEqual(before);
      expect(answers[2]).toMatchObject({ status: 404, title: 'Not Found' });
      expect(answers[2]!.id).toBeUndefined();
      expect(read.outputs.map((payload) => payload.meta.response_status)).toEqual(['200', '200', '404']);
      expect(read.failed).toBe(0);
      const filter = shapeRun(result, 'Only customers SparkLayer has');
      expect([filter.payloadsIn, filter.payloadsOut]).toEqual([3, 2]);
      expect(filter.notes).toEqual(['filtered out: id exists does not hold']);
      expect(outputsOf(result, 'Only customers SparkLayer has')).toEqual(before);
      expect(idsOf(outputsOf(result, 'Keep the SparkLayer customers'))).toEqual([PRIMARY, SUB_ACCOUNT]);
      expect(shapeRun(result, 'Read NetSuite customer').notes).toEqual([
        'netsuite getCustomer: GET /services/rest/record/v1/customer/420: 1 payload',
        'netsuite getCustomer: GET /services/rest/record/v1/customer/1104: 1 payload',
      ]);
      const accounts = outputsOf(result, 'Read NetSuite customer') as Array<{
        id: string;
        balance: number;
        creditLimit: number;
        creditHoldOverride: { id: string };
      }>;
      expect(accounts.map((a) => [a.id, a.creditHoldOverride.id, a.balance, a.creditLimit])).toEqual([
        ['420', 'OFF', 0, 2000],
        ['1104', 'AUTO', 5200, 5000],
      ]);
      // One payload for the step: every account beside every customer read.
      const [input] = outputsOf(result, 'Accounts beside customers') as Array<{
        accounts: unknown[];
        customers: unknown[];
      }>;
      expect(idsOf(input!.accounts)).toEqual(['420', '1104']);
      expect(idsOf(input!.customers)).toEqual([PRIMARY, SUB_ACCOUNT]);

      // 1104 is over its limit on AUTO: both its customers go to the hold group, every other field as it was
      // (SparkLayer's PUT replaces the record). 420 has no SparkLayer customer: UNKNOWN_CUSTOMER, the account whole.
      const [planned] = outputsOf(result, 'Plan the credit holds') as Envelope[];
      expect(planned!.records).toEqual(before.map((customer) => ({ ...customer, group: 'credit-hold' })));
      expect(planned!.skipped).toEqual([]);
      expect(planned!.exceptions.map((e) => [e.id, e.code])).toEqual([['420', 'UNKNOWN_CUSTOMER']]);
      expect((planned!.exceptions[0]!.record as { creditLimit: number }).creditLimit).toBe(2000);
      // The step's summary counts accounts (pack-contract §4): one passed, with two customer bodies.
      expect(planned!.summary['sync-credit-hold']).toEqual({ in: 2, records: 1, skipped: 0, exceptions: 1 });

      // Write: one PUT per changed customer, and SparkLayer now holds them so.
      expect(idsOf(outputsOf(result, 'One customer per payload'))).toEqual([PRIMARY, SUB_ACCOUNT]);
      // SparkLayer answers a PUT of a customer it has 200: updated.
      expect(shapeRun(result, 'Put SparkLayer customer').notes).toEqual([
        `updated  sparklayer upsertCustomer: PUT ${customerPath(PRIMARY)}`,
        `updated  sparklayer upsertCustomer: PUT ${customerPath(SUB_ACCOUNT)}`,
      ]);
      expect(outputsOf(result, 'Put SparkLayer customer')).toEqual(planned!.records);
      expect(shapeRun(result, 'Catch refused customers').failed).toBe(0);
      expect(puts(spark.calls)).toEqual([`PUT ${customerPath(PRIMARY)}`, `PUT ${customerPath(SUB_ACCOUNT)}`]);
      // On the wire: one token, three reads (the 404 once: a 4xx is not retried), two writes.
      expect(sentTo(flows, 'sparklayer')).toEqual([
        'POST /api/auth/token 200',
        `GET ${customerPath(PRIMARY)} 200`,
        `GET ${customerPath(SUB_ACCOUNT)} 200`,
        `GET ${customerPath(SAMPLE_COMPANY)} 404`,
        `PUT ${customerPath(PRIMARY)} 200`,
        `PUT ${customerPath(SUB_ACCOUNT)} 200`,
      ]);
      expect(spark.customers).toEqual(planned!.records);
      expect((spark.customers as Customer[]).map((c) => c.payment_on_account?.credit_limit)).toEqual([5000, undefined]);

      // Keep: the exception goes, whole, into the flow's exception queue and to its owner's group (finance), once.
      const [kept] = outputsOf(result, 'The problems beside the queue') as Array<{ problems: unknown[]; queue: [] }>;
      expect(kept).toEqual({ problems: planned!.exceptions, queue: [] });
      expect(result.notifications).toEqual([
        { shape: 'Tell finance (not synced)', level: 'warning', message: UNKNOWN_420 },
      ]);
      const queue = keptQueue(flows)!;
      expect(queue.watermark).toBe('2026-11-22T09:00:00.000Z');
      expect(
        queue.entries.map((q) => [
          q.key,
          q.code,
          q.owner,
          (q.record as { id: string }).id,
          (q.record as { companyName: string }).companyName,
        ]),
      ).toEqual([['420', 'UNKNOWN_CUSTOMER', 'finance', '420', 'Sample Interiors Ltd']]);
      expect(queue.entries[0]!.record).toEqual(planned!.exceptions[0]!.record);
      // Nothing goes to the company cache exceptions-queue any more.
      expect(result.caches['exceptions-queue']).toBeUndefined();
      expect(result.counts).toEqual({ in: 2, created: 0, updated: 2, unchanged: 0, skipped: 0, exceptions: 1 });
      // Nothing is written to NetSuite: the flow only reads it.
      expect(flows.sandbox.fakes.netsuite.calls).toEqual([
        'GET /record/v1/customer/420',
        'GET /record/v1/customer/1104',
      ]);
    },
  );

  it(
    'sends a customer SparkLayer refuses down the catch route, whole, writes the others, and a re-run ' +
      'writes only the refused one',
    async () => {
      const flows = await sandboxFlows();
      const spark = flows.sandbox.fakes.sparklayer;
      spark.failNext(`PUT /api/v2/customers/sparklayer/${SUB_ACCOUNT}`, {
        status: 400,
        body: { title: 'Invalid group', status: 400, detail: 'The customer group credit-hold does not exist.' },
      });
      const result = await flows.run(FLOW);

      expect(result.status).toBe('partial_success');
      expect(shapeRun(result, 'Catch refused customers').failed).toBe(1);
      expect(result.failed).toHaveLength(1);
      expect(result.failed[0]!.shape).toBe('Put SparkLayer customer');
      // The engine's error: status, SparkLayer's own reason (detail), then the request.
      const error = result.failed[0]!.error;
      expect(error).toBe(`HTTP 400 The customer group credit-hold does not exist. (PUT ${customerPath(SUB_ACCOUNT)})`);
      expect(shapeRun(result, 'Put SparkLayer customer').notes).toEqual([
        `updated  sparklayer upsertCustomer: PUT ${customerPath(PRIMARY)}`,
        `FAILED  ${error}`,
      ]);
      // The primary is held; the sub-account is as it was.
      const groups = () => Object.fromEntries((spark.customers as Customer[]).map((c) => [c.id, c.group]));
      expect(groups()).toEqual({ [PRIMARY]: 'credit-hold', [SUB_ACCOUNT]: 'base' });
      // The refused body is queued whole (ready to PUT again), with SparkLayer's reason, before the unknown account;
      // integration hears of it and finance of the account, each in its own group. SparkLayer's reason leads the
      // message, so it survives Patchworks' cut to 100 characters.
      const body = (outputsOf(result, 'Plan the credit holds')[0] as Envelope).records[1] as Customer;
      expect(body.group).toBe('credit-hold');
      const queue = keptQueue(flows)!;
      expect(queue.entries.map((q) => [q.key, q.code, q.owner])).toEqual([
        [SUB_ACCOUNT, 'WRITE_REFUSED', 'integration'],
        ['420', 'UNKNOWN_CUSTOMER', 'finance'],
      ]);
      expect(queue.entries[0]).toMatchObject({
        label: SUB_ACCOUNT,
        record: body,
        message: `Put SparkLayer customer: ${error}`,
      });
      const told = warnings(result);
      expect(told).toHaveLength(2);
      expect(told[0]).toBe(UNKNOWN_420);
      expect(told[1]).toMatch(REFUSED);
      expect(result.notifications.filter((n) => n.level === 'error')).toEqual([]);
      expect(result.counts).toMatchObject({ created: 0, updated: 1, exceptions: 2 });

      // The next run finds the sub-account still not held and writes it, and only it.
      const again = await flows.run(FLOW);
      expect(again.status).toBe('success');
      expect(idsOf((outputsOf(again, 'Plan the credit holds')[0] as Envelope).records)).toEqual([SUB_ACCOUNT]);
      expect(puts(spark.calls)).toEqual([
        `PUT /api/v2/customers/sparklayer/${PRIMARY}`,
        `PUT /api/v2/customers/sparklayer/${SUB_ACCOUNT}`,
        `PUT /api/v2/customers/sparklayer/${SUB_ACCOUNT}`,
      ]);
      expect(groups()).toEqual({ [PRIMARY]: 'credit-hold', [SUB_ACCOUNT]: 'credit-hold' });
      // Written, so no longer a problem: its entry is cleared, and the unknown account is not told again.
      expect(keptQueue(flows)!.entries.map((q) => q.key)).toEqual(['420']);
      expect(again.notifications).toEqual([]);
    },
  );

  it('changes nothing twice: a re-run skips the account already held and writes nothing', async () => {
    const flows = await sandboxFlows();
    const spark = flows.sandbox.fakes.sparklayer;
    await flows.run(FLOW);
    const held = structuredClone(spark.customers);
    const writes = puts(spark.calls).length;

    const again = await flows.run(FLOW);
    expect(again.status).toBe('success');
    const [planned] = outputsOf(again, 'Plan the credit holds') as Envelope[];
    expect(planned!.records).toEqual([]);
    expect(planned!.skipped.map((s) => [s.id, s.reason])).toEqual([['1104', 'unchanged']]);
    expect(shapeRun(again, 'One customer per payload').payloadsOut).toBe(0);
    expect(shapeRun(again, 'Put SparkLayer customer').notes).toEqual([]);
    expect(puts(spark.calls)).toHaveLength(writes);
    expect(spark.customers).toEqual(held);
    // The unknown account is raised on every run until it is linked or taken out of credit_accounts, but its owner is
    // told once.
    expect(planned!.exceptions.map((e) => [e.id, e.code])).toEqual([['420', 'UNKNOWN_CUSTOMER']]);
    expect(again.notifications).toEqual([]);
    expect(keptQueue(flows)!.entries.map((q) => q.key)).toEqual(['420']);
    expect(again.counts).toEqual({ in: 2, created: 0, updated: 0, unchanged: 0, skipped: 1, exceptions: 1 });
  });

  it(
    'skips an account whose customers are already as NetSuite says ' + '(420, once SparkLayer has its company)',
    async () => {
      const flows = await sandboxFlows();
      const spark = flows.sandbox.fakes.sparklayer;
      // Sample Interiors as SparkLayer would hold it: on account, limit as in NetSuite, not in the hold group.
      spark.customers.push({
        id: SAMPLE_COMPANY,
        accounting_id: '420',
        company_name: 'Sample Interiors Ltd',
        group: 'base',
        role: 'main',
        payment_on_account: { credit_limit: 2000, balance: 0, currency_code: 'GBP' },
      });
      const result = await flows.run(FLOW);

      const [planned] = outputsOf(result, 'Plan the credit holds') as Envelope[];
      expect(idsOf(planned!.records)).toEqual([PRIMARY, SUB_ACCOUNT]);
      expect(planned!.skipped.map((s) => [s.id, s.reason])).toEqual([['420', 'unchanged']]);
      expect(planned!.exceptions).toEqual([]);
      expect(result.notifications).toEqual([]);
      expect(keptQueue(flows)!.entries).toEqual([]);
      expect(puts(spark.calls)).not.toContain(`PUT /api/v2/customers/sparklayer/${SAMPLE_COMPANY}`);
    },
  );

  it('releases the company when NetSuite lifts the hold, to release_group', async () => {
    const flows = await sandboxFlows();
    const spark = flows.sandbox.fakes.sparklayer;
    const client = withFlowVariables(flows.client, FLOW, { release_group: 'base' });
    await flows.run(FLOW, { client });
    expect((spark.customers as Customer[]).map((c) => c.group)).toEqual(['credit-hold', 'credit-hold']);

    // The customer pays: the balance is back under the limit, so AUTO no longer holds it.
    const account = flows.sandbox.fakes.netsuite.customers.find((c) => c.id === '1104')!;
    account.balance = 1200;
    const released = await flows.run(FLOW, { client });
    const [planned] = outputsOf(released, 'Plan the credit holds') as Envelope[];
    expect((planned!.records as Customer[]).map((c) => [c.id, c.group])).toEqual([
      [PRIMARY, 'base'],
      [SUB_ACCOUNT, 'base'],
    ]);
    expect((spark.customers as Customer[]).map((c) => c.group)).toEqual(['base', 'base']);

    // Without release_group (the default) the flow will not guess the group: MISSING_RELEASE_GROUP, nothing written.
    account.balance = 5200;
    await flows.run(FLOW, { client });
    account.balance = 1200;
    const writes = puts(spark.calls).length;
    const guessed = await flows.run(FLOW);
    const [refused] = outputsOf(guessed, 'Plan the credit holds') as Envelope[];
    expect(refused!.exceptions.map((e) => [e.id, e.code])).toEqual([
      ['420', 'UNKNOWN_CUSTOMER'],
      ['1104', 'MISSING_RELEASE_GROUP'],
    ]);
    expect(puts(spark.calls)).toHaveLength(writes);
  });

  describe('the exception loop', () => {
    it('tells UNKNOWN_CUSTOMER to its owner once over two hourly runs, then each reminder', async () => {
      const flows = await sandboxFlows();
      const first = await flows.run(FLOW);
      expect(first.notifications).toEqual([
        { shape: 'Tell finance (not synced)', level: 'warning', message: UNKNOWN_420 },
      ]);
      const second = await flows.run(FLOW, { asOf: HOUR_LATER });
      expect((outputsOf(second, 'Plan the credit holds')[0] as Envelope).exceptions.map((e) => e.code)).toEqual([
        'UNKNOWN_CUSTOMER',
      ]);
      expect(shapeRun(second, 'One alert per payload').payloadsOut).toBe(0);
      expect(second.notifications).toEqual([]);
      expect(keptQueue(flows)!.entries.map((q) => [q.key, q.first_seen, q.last_seen, q.notified_at])).toEqual([
        ['420', '2026-11-22T09:00:00.000Z', '2026-11-22T10:00:00.000Z', '2026-11-22T09:00:00.000Z'],
      ]);
      const dayLater = await flows.run(FLOW, { asOf: '2026-11-23T09:00:00Z' });
      expect(warnings(dayLater)).toEqual([
        'Credit hold of 420 not synced to SparkLayer (still open (since 2026-11-22)), UNKNOWN_CUSTOMER: no ' +
          'SparkLayer customer has account 420 (Finance)',
      ]);
    });

    it('never tells or saves again a key an owner imported into the dismissed pool', async () => {
      const flows = await sandboxFlows();
      await flows.run(FLOW);
      expect(keptQueue(flows)!.entries.map((q) => q.key)).toEqual(['420']);
      flows.pools.track(DISMISSED, '420');
      // An hour later, and past the reminder: neither tells nor keeps it.
      for (const asOf of [HOUR_LATER, '2026-11-23T10:00:00Z']) {
        const run = await flows.run(FLOW, { asOf });
        expect(shapeRun(run, 'Drop dismissed entries').notes).toEqual([
          `1 filtered out: already in data pool "${DISMISSED}"`,
        ]);
        expect(run.notifications).toEqual([]);
        expect(keptQueue(flows)!.entries).toEqual([]);
      }
    });

    it('queues a refused write and tells integration once, while SparkLayer goes on refusing it', async () => {
      const flows = await sandboxFlows();
      const spark = flows.sandbox.fakes.sparklayer;
      const refuse = () =>
        spark.failNext(`PUT ${customerPath(SUB_ACCOUNT)}`, {
          status: 400,
          body: { title: 'Invalid group', status: 400, detail: 'The customer group credit-hold does not exist.' },
        });
      refuse();
      const first = await flows.run(FLOW);
      expect(warnings(first).filter((w) => w.includes('WRITE_REFUSED'))).toEqual([expect.stringMatching(REFUSED)]);
      refuse();
      const second = await flows.run(FLOW, { asOf: HOUR_LATER });
      expect(second.status).toBe('partial_success');
      expect(shapeRun(second, 'Catch refused customers').failed).toBe(1);
      expect(second.notifications).toEqual([]);
      const entries = keptQueue(flows)!.entries;
      expect(entries.map((q) => [q.code, q.label, q.first_seen, q.last_seen])).toEqual([
        ['WRITE_REFUSED', SUB_ACCOUNT, '2026-11-22T09:00:00.000Z', '2026-11-22T10:00:00.000Z'],
        ['UNKNOWN_CUSTOMER', '420', '2026-11-22T09:00:00.000Z', '2026-11-22T10:00:00.000Z'],
      ]);
      expect((entries[0]!.record as Customer).group).toBe('credit-hold');
    });
  });

  it('reads but does not write in a --live run: the writes are printed instead', async () => {
    const flows = await sandboxFlows();
    const before = structuredClone(flows.sandbox.fakes.sparklayer.customers);
    const result = await flows.run(FLOW, { live: true });
    expect(result.heldWrites).toEqual([
      `sparklayer upsertCustomer: PUT /api/v2/customers/sparklayer/${PRIMARY}`,
      `sparklayer upsertCustomer: PUT /api/v2/customers/sparklayer/${SUB_ACCOUNT}`,
    ]);
    expect(puts(flows.sandbox.fakes.sparklayer.calls)).toEqual([]);
    expect(flows.sandbox.fakes.sparklayer.customers).toEqual(before);
  });
});
