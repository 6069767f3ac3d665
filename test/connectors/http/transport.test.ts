// The four clients send through one transport (connectors/http/transport.ts) and throw errors with one base
// (connectors/http/api-error.ts): the same retry, Retry-After, unrepeatable-write and redaction behaviour, asserted
// once per client from one table, with faults injected the same way into every fake (contracts/faults.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FaultPlan, type InjectedFault } from '../../../contracts/faults.js';
import { mswHandlers } from '../../../contracts/hosts.js';
import { ApiError } from '../../../connectors/http/api-error.js';
import { Transport } from '../../../connectors/http/transport.js';
import { LightspeedRClient } from '../../../connectors/lightspeed-r/dev/client.js';
import * as lightspeedRErrors from '../../../connectors/lightspeed-r/dev/errors.js';
import * as lightspeedR from '../../../connectors/lightspeed-r/dev/sandbox.js';
import { LightspeedXClient } from '../../../connectors/lightspeed-x/dev/client.js';
import * as lightspeedXErrors from '../../../connectors/lightspeed-x/dev/errors.js';
import * as lightspeedX from '../../../connectors/lightspeed-x/dev/sandbox.js';
import { NetSuiteClient } from '../../../connectors/netsuite/dev/client.js';
import * as netsuiteErrors from '../../../connectors/netsuite/dev/errors.js';
import * as netsuite from '../../../connectors/netsuite/dev/sandbox.js';
import { SparkLayerClient } from '../../../connectors/sparklayer/dev/client.js';
import * as sparklayerErrors from '../../../connectors/sparklayer/dev/errors.js';
import * as sparklayer from '../../../connectors/sparklayer/dev/sandbox.js';
import { server } from '../../support/msw.js';
import { ROOT } from '../../support/steps.js';

type ErrorClass = abstract new (...args: never[]) => ApiError;

interface Fake {
  failNext(route: string, fault: InjectedFault, times?: number): void;
  readonly faults: FaultPlan;
  readonly calls: string[];
}

/** One client on its fake, on a virtual clock whose every wait is recorded. */
interface Harness {
  fake: Fake;
  /** A repeatable read, and its route as a fault names it (the end of the path is enough). */
  read: () => Promise<unknown>;
  readRoute: string;
  /** A write: `note` is what the client says when it does not repeat it; undefined where the vendor asks for writes to
   * be repeated. */
  write: { call: () => Promise<unknown>; route: string; note?: string };
  secret: string;
  waits: number[];
  logs: string[];
}

interface Row {
  system: string;
  file: string;
  classes: { api: ErrorClass; auth: ErrorClass; network: ErrorClass; response: ErrorClass };
  harness: () => Harness;
}

const data = {
  sparklayer: await sparklayer.sandboxDataFromFixtures(ROOT),
  netsuite: await netsuite.sandboxDataFromFixtures(ROOT),
  lightspeedX: await lightspeedX.sandboxDataFromFixtures(ROOT),
  lightspeedR: await lightspeedR.sandboxDataFromFixtures(ROOT),
};
const SPARKLAYER_CUSTOMER = data.sparklayer.customers.find((c) => !c.parent_customer_id)!.id as string;
const STARK = 'b8ca3a65-0183-11e4-fbb5-4f73f02a9d1c';

let clock: number;
function timing(waits: number[], logs: string[]) {
  return {
    sleep: async (ms: number) => {
      waits.push(ms);
      clock += ms;
    },
    now: () => clock,
    random: () => 1,
    log: (line: string) => logs.push(line),
  };
}

const ROWS: Row[] = [
  {
    system: 'sparklayer',
    file: 'connectors/sparklayer/dev/client.ts',
    classes: {
      api: sparklayerErrors.SparkLayerApiError,
      auth: sparklayerErrors.SparkLayerAuthError,
      network: sparklayerErrors.SparkLayerNetworkError,
      response: sparklayerErrors.SparkLayerResponseError,
    },
    harness: () => {
      const fake = new sparklayer.SparkLayerSandbox(data.sparklayer, sparklayer.SANDBOX_CREDENTIALS, () => clock);
      server.use(...mswHandlers(sparklayer.SANDBOX_BASE_URL, fake));
      const waits: number[] = [];
      const logs: string[] = [];
      const client = new SparkLayerClient(
        { baseUrl: sparklayer.SANDBOX_BASE_URL, environment: 'custom', ...sparklayer.SANDBOX_CREDENTIALS },
        timing(waits, logs),
      );
      return {
        fake,
        read: () => client.getCustomer('sparklayer', SPARKLAYER_CUSTOMER),
        readRoute: `GET /customers/sparklayer/${SPARKLAYER_CUSTOMER}`,
        write: {
          call: () =>
            client.updatePriceListPricing('trade-gbp', [{ sku: 'MUG-01', pricing: [{ quantity: 1, price: 4 }] }]),
          route: 'PATCH /trade-gbp/pricing',
        },
        secret: sparklayer.SANDBOX_CREDENTIALS.clientSecret,
        waits,
        logs,
      };
    },
  },
  {
    system: 'netsuite',
    file: 'connectors/netsuite/dev/client.ts',
    classes: {
      api: netsuiteErrors.NetSuiteApiError,
      auth: netsuiteErrors.NetSuiteAuthError,
      network: netsuiteErrors.NetSuiteNetworkError,
      response: netsuiteErrors.NetSuiteResponseError,
    },
    harness: () => {
      const fake = new netsuite.NetSuiteSandbox(
        data.netsuite,
        netsuite.SANDBOX_ACCOUNT_ID,
        netsuite.SANDBOX_CREDENTIALS,
        () => clock,
      );
      server.use(...mswHandlers(netsuite.SANDBOX_BASE_URL, fake));
      const waits: number[] = [];
      const logs: string[] = [];
      const client = new NetSuiteClient(netsuite.sandboxConfig(), timing(waits, logs));
      return {
        fake,
        read: () => client.getCustomer('110'),
        readRoute: 'GET /customer/110',
        write: {
          call: () =>
            client.createCustomer({ externalId: 'CUST-9', companyName: 'Crag & Co', subsidiary: { id: '1' } }),
          route: 'POST /record/v1/customer',
          note: 'not repeated: the record may have been created; check before sending again',
        },
        secret: netsuite.SANDBOX_CREDENTIALS.tokenSecret,
        waits,
        logs,
      };
    },
  },
  {
    system: 'lightspeed-x',
    file: 'connectors/lightspeed-x/dev/client.ts',
    classes: {
      api: lightspeedXErrors.LightspeedXApiError,
      auth: lightspeedXErrors.LightspeedXAuthError,
      network: lightspeedXErrors.LightspeedXNetworkError,
      response: lightspeedXErrors.LightspeedXResponseError,
    },
    harness: () => {
      const fake = new lightspeedX.LightspeedXSandbox(data.lightspeedX, { now: () => clock });
      const waits: number[] = [];
      const logs: string[] = [];
      const client = new LightspeedXClient(lightspeedX.sandboxConfig(), {
        ...timing(waits, logs),
        fetch: lightspeedX.inProcessFetch(fake),
      });
      return {
        fake,
        read: () => client.getCustomer(STARK),
        readRoute: `GET /customers/${STARK}`,
        write: {
          call: () => client.createCustomer({ first_name: 'Ada', last_name: 'Byron', customer_code: 'sl-company-9' }),
          route: 'POST /customers',
          note: 'not repeated: the record may have been created; look for it before sending again',
        },
        secret: lightspeedX.SANDBOX_CREDENTIALS.clientSecret,
        waits,
        logs,
      };
    },
  },
  {
    system: 'lightspeed-r',
    file: 'connectors/lightspeed-r/dev/client.ts',
    classes: {
      api: lightspeedRErrors.LightspeedRApiError,
      auth: lightspeedRErrors.LightspeedRAuthError,
      network: lightspeedRErrors.LightspeedRNetworkError,
      response: lightspeedRErrors.LightspeedRResponseError,
    },
    harness: () => {
      const fake = new lightspeedR.LightspeedRSandbox(data.lightspeedR, { now: () => clock });
      const waits: number[] = [];
      const logs: string[] = [];
      const client = new LightspeedRClient(lightspeedR.sandboxConfig(), {
        ...timing(waits, logs),
        adapter: lightspeedR.inProcessAdapter(fake),
      });
      return {
        fake,
        read: () => client.getCustomer(7),
        readRoute: 'GET /Customer/7.json',
        write: {
          call: () => client.createCustomer({ firstName: 'Ada', lastName: 'Lovelace' }),
          route: 'POST /Customer.json',
          note: 'not repeated: it may have been applied; check before sending again',
        },
        secret: lightspeedR.SANDBOX_CLIENT.clientSecret,
        waits,
        logs,
      };
    },
  },
];

/** The fake's calls of a route (`<METHOD> <path end>`), whatever their query. */
const callsOf = (fake: Fake, route: string) => {
  const [method, suffix] = route.split(' ') as [string, string];
  return fake.calls.filter((call) => call.startsWith(`${method} `) && call.split('?')[0]!.endsWith(suffix));
};

beforeEach(() => {
  clock = Date.parse('2026-11-22T09:00:00Z');
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(ROWS)('$system client, through the one transport', ({ system, file, classes, harness }) => {
  it('sends every request through Transport.request, and keeps no request loop of its own', async () => {
    const request = vi.spyOn(Transport.prototype, 'request');
    const { fake, read } = harness();
    await read();
    expect(request).toHaveBeenCalled();
    // Every request the fake saw (the token request included) was one call of the transport.
    expect(request).toHaveBeenCalledTimes(fake.calls.length);
    const source = readFileSync(path.join(ROOT, file), 'utf8');
    for (const loop of [
      'axios.create(',
      'http.request(',
      'for (let attempt',
      'backoffDelay(',
      'parseRetryAfter(responseHeaders',
    ])
      expect(source).not.toContain(loop);
  });

  it('waits out a 429 for its Retry-After through the injected sleep, then sends the read again', async () => {
    const { fake, read, readRoute, waits } = harness();
    fake.failNext(readRoute, { status: 429, headers: { 'Retry-After': '7' } });
    await expect(read()).resolves.toBeDefined();
    expect(waits).toEqual([7_000]);
    expect(callsOf(fake, readRoute)).toHaveLength(2);
    expect(fake.faults.played).toEqual([expect.stringMatching(/ HTTP 429$/)]);
  });

  it(
    'backs off (full jitter, from 500 ms) after a 5xx and after a lost answer on a read, ' + 'logging each retry',
    async () => {
      const { fake, read, readRoute, waits, logs } = harness();
      fake.failNext(readRoute, { status: 503 });
      fake.failNext(readRoute, { network: 'reset' });
      await expect(read()).resolves.toBeDefined();
      expect(waits).toEqual([500, 1_000]);
      expect(callsOf(fake, readRoute)).toHaveLength(3);
      expect(
        logs.filter((line) => / retry \d of 5 in \d+ ms$/.test(line)).map((line) => line.replace(/^.*?: /, '')),
      ).toEqual(['HTTP 503; retry 1 of 5 in 500 ms', expect.stringMatching(/; retry 2 of 5 in 1000 ms$/)]);
    },
  );

  it('does not repeat an unrepeatable write after a 5xx or an answer lost after the work, and says so', async () => {
    const { fake, write } = harness();
    fake.failNext(write.route, { status: 502 });
    if (write.note === undefined) {
      // SparkLayer asks for every 5xx to be retried (https://docs.sparklayer.io/developers/errors.md).
      await expect(write.call()).resolves.toBeDefined();
      expect(callsOf(fake, write.route)).toHaveLength(2);
      return;
    }
    const refused = await write.call().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(classes.api);
    expect((refused as Error).message).toMatch(new RegExp(`failed: HTTP 502 - no body - ${write.note}$`));
    expect(callsOf(fake, write.route)).toHaveLength(1);

    fake.faults.add(write.route, { network: 'reset' }, { when: 'after' });
    const lost = await write.call().catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(classes.network);
    expect(lost).toMatchObject({ system, kind: 'network', attempts: 1 });
    expect((lost as Error).message).toMatch(new RegExp(`: no answer from .* - ${write.note}$`));
    expect(callsOf(fake, write.route)).toHaveLength(2);
    expect(fake.faults.played.at(-1)).toMatch(/: connection reset after the work$/);
  });

  it('redacts its secrets from every message, detail and log line, even when the vendor echoes them', async () => {
    const { fake, read, readRoute, secret, logs } = harness();
    fake.failNext(readRoute, { status: 503, body: { echo: `client_secret=${secret}` } });
    fake.failNext(readRoute, { status: 400, body: { echo: `client_secret=${secret} and again ${secret}` } });
    const error = (await read().catch((e: unknown) => e)) as ApiError & { details: unknown };
    const everything = [
      error.message,
      JSON.stringify(error),
      JSON.stringify(error.details),
      error.summary,
      ...logs,
    ].join('\n');
    expect(everything).not.toContain(secret);
    expect(error.message).toContain('[redacted]');
    expect(error.summary).toContain('[redacted]');
  });

  it('throws errors that share the one base, ApiError, keeping its own class names', async () => {
    for (const cls of Object.values(classes)) expect(cls.prototype).toBeInstanceOf(ApiError);
    const { fake, read, readRoute } = harness();

    fake.failNext(readRoute, { status: 400, body: { echo: 'nope' } });
    const refused = await read().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(classes.api);
    expect(refused).not.toBeInstanceOf(classes.auth);
    expect(refused).toMatchObject({
      name: classes.api.name,
      system,
      kind: 'status',
      status: 400,
      attempts: 1,
      summary: '{"echo":"nope"}',
    });
    const { label, message } = refused as ApiError;
    expect(label).toMatch(/^GET \//);
    expect(message).toBe(`${label} failed: HTTP 400 - {"echo":"nope"}`);

    fake.failNext(readRoute, { status: 200, body: 'not the documented shape' });
    const shape = await read().catch((e: unknown) => e);
    expect(shape).toBeInstanceOf(classes.response);
    expect(shape).not.toBeInstanceOf(classes.api);
    expect(shape).toMatchObject({ system, kind: 'response', label });
    expect((shape as Error).message).toMatch(/ does not have the documented shape: /);

    // Refused, and refused again after renewing the credential where the client renews on a 401.
    const refusedTwice = harness();
    refusedTwice.fake.failNext(readRoute, { status: 401 }, 2);
    await expect(refusedTwice.read()).rejects.toSatisfy(
      (e: unknown) => e instanceof classes.auth && e instanceof classes.api && (e as ApiError).status === 401,
    );
  });
});
