// What a flow needs to read NetSuite's fulfilments and returns for netsuite-fulfilments: the three record GETs and the
// SuiteQL queries, run through the built connector definition (dist/connectors/netsuite.core-api.json) by the
// connection engine against the fake NetSuite seeded from the fixtures; the sandbox's date comparison; the query
// builders' checks; and the records read end to end by the step.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  NETSUITE_BOOKED_SALES_ORDERS_QUERY,
  NETSUITE_FULFILMENT_TRANSACTIONS_QUERY,
  NETSUITE_RETURN_AUTHORIZATIONS_QUERY,
  NETSUITE_SALES_ORDERS_SINCE_QUERY,
  netsuiteBookedSalesOrdersQuery,
  netsuiteFulfilmentTransactionsQuery,
  netsuiteReturnAuthorizationsQuery,
  netsuiteSalesOrdersSinceQuery,
} from '../../../connectors/netsuite/fulfilment-queries.js';
import { NetSuiteClient } from '../../../connectors/netsuite/dev/client.js';
import {
  NetSuiteSandbox,
  SANDBOX_ACCOUNT_ID,
  SANDBOX_BASE_URL,
  SANDBOX_CREDENTIALS,
  sandboxConfig,
  sandboxDataFromFixtures,
} from '../../../connectors/netsuite/dev/sandbox.js';
import { loadFixture } from '../../../contracts/fixtures.js';
import { mswHandlers } from '../../../contracts/hosts.js';
import { type ConnectionRequest } from '../../../patchworks/runner/connection-engine.js';
import { createSandbox } from '../../../patchworks/runner/systems.js';
import { step } from '../../../scripts/netsuite-fulfilments/step.js';
import { server } from '../../support/msw.js';
import { run } from '../../support/run.js';
import { ROOT } from '../../support/steps.js';

type Json = Record<string, unknown>;
const fixture = async (file: string) => (await loadFixture(ROOT, `fixtures/netsuite/${file}`)).body as Json;
/** A body less every `links` at any depth: hosts differ between the fixtures and the fake, nothing else does. */
const withoutLinks = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(withoutLinks)
    : value !== null && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value)
            .filter(([key]) => key !== 'links')
            .map(([key, v]) => [key, withoutLinks(v)]),
        )
      : value;

const request = (operationId: string, variables: Record<string, string>, body = ''): ConnectionRequest => ({
  connector: 'netsuite',
  operationId,
  variables,
  body,
  retries: 0,
  allowUnsuccessfulStatuses: false,
  timeoutSeconds: 30,
});
const suiteql = (q: string) => request('runSuiteQL', { limit: '1000' }, JSON.stringify({ q }));

async function engine() {
  const created = await createSandbox(ROOT);
  server.use(...created.handlers);
  return created.engine;
}

const RECORDS: Array<[string, string, string, string]> = [
  ['getItemFulfillment', 'itemFulfillment', '41', 'fulfilments/item-fulfillment.partial.json'],
  ['getItemFulfillment', 'itemFulfillment', '42', 'fulfilments/item-fulfillment.completing.json'],
  ['getCreditMemo', 'creditMemo', '61', 'fulfilments/credit-memo.partial-return.json'],
  ['getReturnAuthorization', 'returnAuthorization', '55', 'fulfilments/return-authorization.partial-return.json'],
];

describe('the record GETs, through the built definition', () => {
  it.each(RECORDS)(
    '%s %s/%s answers the fixture record, sublists expanded, its own self link',
    async (operationId, record, id, file) => {
      const api = await engine();
      const result = await api.call(request(operationId, { id }));
      expect(result).toMatchObject({ direction: 'Receive', status: 200, unsuccessful: false });
      // expandSubResources=true is in the URL without the flow setting it (required, true by default).
      const sent = api.sent.filter((r) => r.connector === 'netsuite').map((r) => new URL(r.url));
      expect(sent.map((url) => [url.pathname.split('/rest')[1], url.search])).toEqual([
        [`/record/v1/${record}/${id}`, '?expandSubResources=true'],
      ]);
      const body = JSON.parse(result.pages[0]!) as Json;
      expect(withoutLinks(body)).toEqual(withoutLinks(await fixture(file)));
      expect(body.links).toEqual([{ rel: 'self', href: `${SANDBOX_BASE_URL}/record/v1/${record}/${id}` }]);
    },
  );

  it.each([
    ['getItemFulfillment', 'itemFulfillment'],
    ['getCreditMemo', 'creditMemo'],
    ['getReturnAuthorization', 'returnAuthorization'],
  ])('%s of an unknown id is a 404 in NetSuite’s error shape', async (operationId, record) => {
    const api = await engine();
    await expect(api.call(request(operationId, { id: '9999' }))).rejects.toThrow(
      `HTTP 404 The record instance does not exist. Provide a valid record instance ID: /record/v1/${record}/9999`,
    );
    const allowed = await api.call({ ...request(operationId, { id: '9999' }), allowUnsuccessfulStatuses: true });
    expect(allowed).toMatchObject({ status: 404, unsuccessful: true });
    expect(JSON.parse(allowed.pages[0]!)).toMatchObject({
      title: 'Not Found',
      status: 404,
      'o:errorDetails': [{ 'o:errorCode': 'NONEXISTENT_ID' }],
    });
  });
});

describe('the fulfilment queries, through the built definition', () => {
  it('(a) gives id and type of each fulfillment, credit memo and return authorization modified since', async () => {
    const api = await engine();
    const rows = async (since: string) =>
      JSON.parse((await api.call(suiteql(netsuiteFulfilmentTransactionsQuery(since)))).pages[0]!) as Json[];
    expect(await rows('2026-11-01')).toEqual([
      { links: [], id: '41', type: 'ItemShip' },
      { links: [], id: '42', type: 'ItemShip' },
      { links: [], id: '55', type: 'RtnAuth' },
      { links: [], id: '61', type: 'CustCred' },
    ]);
    // On or after: 41 was last modified on 21 November, 42 on the 24th (at 16:40), 55 on the 28th.
    expect((await rows('2026-11-24')).map((row) => row.id)).toEqual(['42', '55', '61']);
    expect(await rows('2026-12-02')).toEqual([]);
  });

  it('(b) gives the sales orders asked for, with the externalid the pack booked each by', async () => {
    const api = await engine();
    const result = await api.call(suiteql(netsuiteBookedSalesOrdersQuery(['18', '19', '41'])));
    expect(JSON.parse(result.pages[0]!)).toEqual([
      { links: [], id: '18', externalid: 'sl-1001' },
      { links: [], id: '19' },
    ]);
  });

  it("(b') gives the sales orders modified since, booked or not, with no list of IDs", async () => {
    const api = await engine();
    const rows = async (since: string) =>
      JSON.parse((await api.call(suiteql(netsuiteSalesOrdersSinceQuery(since)))).pages[0]!) as Json[];
    expect(await rows('2026-11-20')).toEqual([
      { links: [], id: '18', externalid: 'sl-1001' },
      { links: [], id: '19' },
      { links: [], id: '57', externalid: '6301bbfc-a0c5-454e-8ff9-bb510944fe0c' },
    ]);
    // 57 was last modified on 20 November, 19 on the 23rd, 18 on the 24th.
    expect((await rows('2026-11-24')).map((row) => row.id)).toEqual(['18']);
  });

  it('gives the return authorizations asked for, with the sales order each was made from', async () => {
    const api = await engine();
    const result = await api.call(suiteql(netsuiteReturnAuthorizationsQuery(['55'])));
    expect(JSON.parse(result.pages[0]!)).toEqual([{ links: [], id: '55', createdfrom: '18' }]);
  });

  it('refuses a query whose placeholder the flow did not fill', async () => {
    const api = await engine();
    for (const q of [
      NETSUITE_FULFILMENT_TRANSACTIONS_QUERY,
      NETSUITE_BOOKED_SALES_ORDERS_QUERY,
      NETSUITE_SALES_ORDERS_SINCE_QUERY,
      NETSUITE_RETURN_AUTHORIZATIONS_QUERY,
    ])
      await expect(api.call(suiteql(q))).rejects.toThrow(/HTTP 400 Invalid search query\./);
  });

  it('feeds netsuite-fulfilments: the records read, linked through the rows beside', async () => {
    const api = await engine();
    const page = async (q: string) => JSON.parse((await api.call(suiteql(q))).pages[0]!) as Json[];
    const transactions = await page(netsuiteFulfilmentTransactionsQuery('2026-11-01'));
    const operation: Record<string, string> = {
      ItemShip: 'getItemFulfillment',
      CustCred: 'getCreditMemo',
      RtnAuth: 'getReturnAuthorization',
    };
    const records = [];
    for (const { id, type } of transactions)
      records.push(JSON.parse((await api.call(request(operation[type as string]!, { id: id as string }))).pages[0]!));
    const { envelope } = run(step, {
      records,
      sales_orders: await page(netsuiteBookedSalesOrdersQuery(['18'])),
      return_authorizations: await page(netsuiteReturnAuthorizationsQuery(['55'])),
    });
    expect(envelope.exceptions).toEqual([]);
    expect(envelope.records.map((r) => (r as Json).transaction_id)).toEqual(['41', '42', '55', '61']);
  });
});

describe('the fake NetSuite’s SuiteQL date comparison', () => {
  const clock = Date.parse('2026-11-22T09:00:00Z');
  let sandbox: NetSuiteSandbox;
  beforeEach(async () => {
    sandbox = new NetSuiteSandbox(
      await sandboxDataFromFixtures(ROOT),
      SANDBOX_ACCOUNT_ID,
      SANDBOX_CREDENTIALS,
      () => clock,
    );
    server.use(...mswHandlers(SANDBOX_BASE_URL, sandbox));
  });
  const client = () =>
    new NetSuiteClient(sandboxConfig(), { sleep: async () => {}, now: () => clock, random: () => 1, log: () => {} });

  it('reads column >= TO_DATE(…) with an alias, on or after the day, beside = and IN', async () => {
    const rows = await client().suiteql(
      "SELECT t.id FROM transaction t WHERE t.lastmodifieddate >= TO_DATE('2026-11-24', 'YYYY-MM-DD') " +
        "AND t.type = 'SalesOrd'",
    );
    expect(rows.map((row) => row.id)).toEqual(['18']);
  });

  it.each([
    ['a date that is no date', "TO_DATE('2026-13-45', 'YYYY-MM-DD')"],
    ['another format', "TO_DATE('24/11/2026', 'DD/MM/YYYY')"],
    ['a bare text', "'2026-11-24'"],
  ])('refuses, rather than answers unfiltered, %s', async (_name, value) => {
    await expect(client().suiteql(`SELECT id FROM transaction WHERE lastmodifieddate >= ${value}`)).rejects.toThrow(
      /cannot evaluate this WHERE clause/,
    );
  });
});

describe('the query builders', () => {
  it('write the placeholders the flow fills, and the values given, checked', () => {
    expect(NETSUITE_FULFILMENT_TRANSACTIONS_QUERY).toBe(
      "SELECT id, type FROM transaction WHERE type IN ('ItemShip', 'CustCred', 'RtnAuth') " +
        "AND lastmodifieddate >= TO_DATE('[[meta.pull_since_date]]', 'YYYY-MM-DD') ORDER BY id",
    );
    expect(NETSUITE_SALES_ORDERS_SINCE_QUERY).toBe(
      "SELECT id, externalid FROM transaction WHERE type = 'SalesOrd' " +
        "AND lastmodifieddate >= TO_DATE('[[meta.pull_since_date]]', 'YYYY-MM-DD') ORDER BY id",
    );
    expect(() => netsuiteSalesOrdersSinceQuery('2026-11-20T09:00:00Z')).toThrow(RangeError);
    expect(NETSUITE_BOOKED_SALES_ORDERS_QUERY).toBe(
      "SELECT id, externalid FROM transaction WHERE type = 'SalesOrd' AND id IN ([[meta.sales_order_ids]]) ORDER BY id",
    );
    expect(NETSUITE_RETURN_AUTHORIZATIONS_QUERY).toContain('id IN ([[meta.return_authorization_ids]])');
    expect(netsuiteBookedSalesOrdersQuery(['18', '19', '18'])).toContain('id IN (18, 19)');
    expect(() => netsuiteFulfilmentTransactionsQuery("2026-11-01') OR ('1")).toThrow(RangeError);
    expect(() => netsuiteFulfilmentTransactionsQuery('2026-02-30x')).toThrow(RangeError);
    expect(() => netsuiteBookedSalesOrdersQuery(['18 OR 1=1'])).toThrow(RangeError);
    expect(() => netsuiteBookedSalesOrdersQuery([])).toThrow(RangeError);
    expect(() => netsuiteReturnAuthorizationsQuery('55')).toThrow(RangeError);
  });
});
