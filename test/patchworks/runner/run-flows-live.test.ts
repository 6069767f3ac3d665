// `npm run flow -- --live` without leaving the machine: the connector instances from environment variables that point
// at the sandbox's fakes (served by the suite's msw server), so the live path's reads and held writes can be seen.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SANDBOX_BASE_URL as NETSUITE_URL,
  SANDBOX_CREDENTIALS as NETSUITE,
} from '../../../connectors/netsuite/dev/sandbox.js';
import {
  SANDBOX_BASE_URL as SPARKLAYER_URL,
  SANDBOX_CREDENTIALS as SPARKLAYER,
} from '../../../connectors/sparklayer/dev/sandbox.js';
import { runClientFlows } from '../../../patchworks/runner/run-flows.js';
import { EXAMPLE_ORDER, ROOT, SAMPLE_ORDER, sandboxFlows } from '../../support/flow-harness.js';

const FLOW = 'sparklayer-orders-to-netsuite';
const ENV = {
  SPARKLAYER_BASE_URL: SPARKLAYER_URL,
  SPARKLAYER_SITE_ID: SPARKLAYER.siteId,
  SPARKLAYER_CLIENT_ID: SPARKLAYER.clientId,
  SPARKLAYER_CLIENT_SECRET: SPARKLAYER.clientSecret,
  NETSUITE_ACCOUNT_ID: '1234567_SB1',
  NETSUITE_BASE_URL: NETSUITE_URL,
  NETSUITE_CONSUMER_KEY: NETSUITE.consumerKey,
  NETSUITE_CONSUMER_SECRET: NETSUITE.consumerSecret,
  NETSUITE_TOKEN_ID: NETSUITE.tokenId,
  NETSUITE_TOKEN_SECRET: NETSUITE.tokenSecret,
};

async function live(env: Record<string, string>) {
  const flows = await sandboxFlows();
  const dir = await mkdtemp(path.join(tmpdir(), 'live-'));
  const lines: string[] = [];
  try {
    const results = await runClientFlows({
      root: ROOT,
      client: flows.client,
      flowKeys: [FLOW],
      live: true,
      env,
      overrides: { as_of: '2026-11-22T09:00:00Z' },
      reportFile: path.join(dir, 'report.html'),
      log: (line) => lines.push(line),
    });
    return { flows, results, lines };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('a --live run', () => {
  it('reads through the engine on the built definitions, holds every write, printing its request line', async () => {
    const { flows, results, lines } = await live(ENV);
    const [result] = results;
    expect(result!.status, result!.error).toBe('success');
    // The definition's purchase list, paged by the example client's page size, reached the SparkLayer fake.
    const listed = flows.sandbox.fakes.sparklayer.calls.filter((call) => call.startsWith('GET /api/v1/purchases'));
    expect(listed.length).toBe(2);
    expect(listed.every((call) => call.includes('limit=5'))).toBe(true);
    // No write reached any fake: NetSuite saw nothing, SparkLayer only reads (and its token request).
    expect(flows.sandbox.fakes.netsuite.calls).toEqual([]);
    expect(flows.sandbox.fakes.netsuite.salesOrders.map((order) => order.externalId)).toEqual(['PHONE-0042']);
    expect(flows.sandbox.fakes.sparklayer.calls.filter((call) => !/^GET |token/.test(call))).toEqual([]);
    expect(lines.filter((line) => line.startsWith('  held (--live): '))).toEqual(
      [EXAMPLE_ORDER, SAMPLE_ORDER].map(
        (id) =>
          `  held (--live): netsuite upsertSalesOrder: PUT /services/rest/record/v1/salesOrder/eid:${id}` +
          '?replace=item%2CtaxDetails',
      ),
    );
    // The secrets are in the instances, never in the log.
    for (const secret of [SPARKLAYER.clientSecret, NETSUITE.consumerSecret, NETSUITE.tokenSecret])
      expect(lines.join('\n')).not.toContain(secret);
  });

  it('names a missing variable before any request, and no secret', async () => {
    const { NETSUITE_TOKEN_SECRET: _dropped, ...env } = ENV;
    const error = (await live(env).then(
      () => undefined,
      (thrown: unknown) => thrown,
    )) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/^NetSuite configuration: .*NETSUITE_TOKEN_SECRET/);
    expect(error.message).not.toContain(NETSUITE.consumerSecret);
  });
});
