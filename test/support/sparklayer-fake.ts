// A fresh fake SparkLayer from the fixtures for each test, served by the suite's msw server, and the pack's client
// pointed at it (no waiting between retries).
import { beforeEach } from 'vitest';
import { SparkLayerClient } from '../../connectors/sparklayer/dev/client.js';
import {
  SANDBOX_BASE_URL,
  SANDBOX_CREDENTIALS,
  SparkLayerSandbox,
  sandboxDataFromFixtures,
} from '../../connectors/sparklayer/dev/sandbox.js';
import { mswHandlers } from '../../contracts/hosts.js';
import { server } from './msw.js';
import { ROOT } from './steps.js';

const fixtureData = await sandboxDataFromFixtures(ROOT);

/** Registers a beforeEach that serves a fresh fake; `fake()` is the current test's, `client()` a client on it. */
export function useSparkLayerFake(): { fake: () => SparkLayerSandbox; client: () => SparkLayerClient } {
  let sandbox: SparkLayerSandbox;
  beforeEach(() => {
    sandbox = new SparkLayerSandbox(fixtureData);
    server.use(...mswHandlers(SANDBOX_BASE_URL, sandbox));
  });
  return {
    fake: () => sandbox,
    client: () =>
      new SparkLayerClient(
        { baseUrl: SANDBOX_BASE_URL, environment: 'custom', ...SANDBOX_CREDENTIALS },
        { sleep: async () => undefined, random: () => 1 },
      ),
  };
}

/** A bearer token from the fake, fetched as a plain HTTP client would (for requests the pack's client cannot make). */
export async function fakeToken(): Promise<string> {
  const response = await fetch(`${SANDBOX_BASE_URL}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'site-id': SANDBOX_CREDENTIALS.siteId },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: SANDBOX_CREDENTIALS.clientId,
      client_secret: SANDBOX_CREDENTIALS.clientSecret,
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}
