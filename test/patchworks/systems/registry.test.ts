// A system is one folder with one registration: a throw-away system written to a temporary root is found by the
// registry, exported by the build's connector step, and called by the local runner against its own fake (on the
// sandbox, and as `--live` calls it, its connector instance from the environment), with no list anywhere naming it.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeApi } from '../../../contracts/hosts.js';
import { camelKey } from '../../../contracts/system.js';
import { LIGHTSPEED_R_ENV_VARS } from '../../../connectors/lightspeed-r/dev/config.js';
import { LIGHTSPEED_X_ENV_VARS } from '../../../connectors/lightspeed-x/dev/config.js';
import { NETSUITE_ENV_VARS } from '../../../connectors/netsuite/dev/config.js';
import { SPARKLAYER_ENV_VARS } from '../../../connectors/sparklayer/dev/config.js';
import { defineBlueprint } from '../../../patchworks/blueprint/blueprint.js';
import { postmanCollectionSchema } from '../../../patchworks/exporters/postman-collection-schema.js';
import {
  CONNECTORS_DIST_DIR,
  loadConnectorApis,
  writeConnectors,
} from '../../../patchworks/exporters/write-connectors.js';
import { DataPools } from '../../../patchworks/runner/data-pool.js';
import { runFlow, type FlowRunOptions } from '../../../patchworks/runner/flow-runner.js';
import { createSandbox, liveEngine, type Sandbox } from '../../../patchworks/runner/systems.js';
import { loadSystems, PACK_SYSTEMS } from '../../../patchworks/systems/registry.js';
import { server } from '../../support/msw.js';

const ROOT = process.cwd();
const KEY = 'widget-store';
const SANDBOX_URL = 'https://widgets.sandbox.invalid';

const openApi = {
  openapi: '3.0.3',
  info: { title: 'Widget Store', version: '1.0.0' },
  paths: {
    '/api/v1/widgets': {
      get: {
        operationId: 'listWidgets',
        summary: 'List widgets',
        tags: ['widgets'],
        responses: {
          '200': {
            description: 'The widgets',
            content: { 'application/json': { example: [{ id: 'w-1', name: 'Sprocket' }] } },
          },
        },
      },
    },
  },
};

/** The registration, as a back-end's author would write it (the fake inline, to stay one file here). */
const registration =
  `
import { defineSystem } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'contracts', 'system.ts')).href)};

const CREDENTIALS = { client_id: 'sandbox-client', client_secret: 'sandbox-secret' };

class WidgetStoreFake {
  calls = [];
  widgets = [{ id: 'w-1', name: 'Sprocket' }, { id: 'w-2', name: 'Flange' }];
  async handle(request) {
    const url = new URL(request.url);
    this.calls.push(request.method + ' ' + url.pathname);
    if (request.method === 'POST' && url.pathname === '/api/auth/token') {
      const body = await request.json();
      if (body.client_id !== CREDENTIALS.client_id || body.client_secret !== CREDENTIALS.client_secret) ` +
  `return new Response(null, { status: 401 });
      return Response.json({ access_token: 'sandbox-token' });
    }
    if (request.headers.get('authorization') !== 'Bearer sandbox-token') return new Response(null, { status: 401 });
    if (request.method === 'GET' && url.pathname === '/api/v1/widgets') return Response.json(this.widgets);
    return new Response(null, { status: 404 });
  }
}

export default defineSystem({
  key: ${JSON.stringify(KEY)},
  openApi: 'openapi.json',
  facts: {
    system: { name: 'Widget Store', label: 'A throw-away system', systemType: 'Other', protocol: 'HTTP', dateFormat: 'c', rateLimit: { requests: 10, per: 'second' }, helpLink: 'https://widgets.example/docs' },
    baseUrl: '{{base_url}}',
    variables: [{ key: 'base_url', label: 'Base URL', description: 'The store.', ` +
  `required: true, secret: false, value: null }],
    authentication: {
      kind: 'oauth2-client-credentials',
      name: 'OAuth 2',
      tokenUrl: '{{base_url}}/api/auth/token',
      tokenBodyFormat: 'json',
      headers: [],
      clientId: { key: 'client_id', label: 'Client ID', description: 'The key.', required: true, secret: true },
      clientSecret: { key: 'client_secret', label: 'Client secret', description: 'The secret.', ` +
  `required: true, secret: true },
      responseTokenKey: 'access_token',
    },
    endpoints: { listWidgets: { returnsMultipleRecords: true, dataPath: null, paginationMethod: null } },
  },
  live(env) {
    const missing = ['WIDGET_STORE_URL', 'WIDGET_STORE_CLIENT_ID', 'WIDGET_STORE_CLIENT_SECRET'].filter(` +
  `(name) => !env[name]);
    if (missing.length > 0) throw new Error('Widget Store configuration: set ' + missing.join(', '));
    return { base_url: env.WIDGET_STORE_URL, client_id: env.WIDGET_STORE_CLIENT_ID, ` +
  `client_secret: env.WIDGET_STORE_CLIENT_SECRET };
  },
  sandbox: {
    fake: async () => new WidgetStoreFake(),
    baseUrl: ${JSON.stringify(SANDBOX_URL)},
    instance: { base_url: ${JSON.stringify(SANDBOX_URL)}, ...CREDENTIALS },
  },
});
`;

const blueprint = defineBlueprint({
  key: 'widgets-pull',
  title: 'Widgets pull',
  purpose: 'Reads the widgets, to prove the runner reaches a registered system.',
  shapes: [
    { type: 'trigger', name: 'Every hour', schedule: '0 * * * *' },
    { type: 'connection', name: 'List widgets', connector: KEY, endpoint: 'listWidgets' },
  ],
});

function flowOptions(connections: FlowRunOptions['connections']): FlowRunOptions {
  return {
    flow: blueprint,
    variables: {},
    lookups: {},
    connections,
    runScript: () => Promise.reject(new Error('no scripts in this flow')),
    pools: new DataPools(),
  };
}

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'system-registry-'));
  // As the pack's own package.json says: the registration is an ES module.
  await writeFile(path.join(root, 'package.json'), '{ "type": "module" }\n');
  await mkdir(path.join(root, 'connectors', KEY), { recursive: true });
  await writeFile(path.join(root, 'connectors', KEY, 'openapi.json'), JSON.stringify(openApi, null, 2));
  await writeFile(path.join(root, 'connectors', KEY, 'index.ts'), registration);
  // A folder without a registration (as connectors/http/ is) is not a system.
  await mkdir(path.join(root, 'connectors', 'http'), { recursive: true });
  await writeFile(path.join(root, 'connectors', 'http', 'retry.ts'), 'export const RETRIES = 3;\n');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a system registered by folder', () => {
  it('is found by the registry, by its folder, and nothing else is', async () => {
    const systems = await loadSystems(root);
    expect(systems.map((system) => system.key)).toEqual([KEY]);
    expect(systems[0]!.facts.system.name).toBe('Widget Store');
  });

  it("finds the pack's own five the same way, in their listed order, each key its folder", () => {
    expect(PACK_SYSTEMS.map((system) => system.key)).toEqual([
      'sparklayer',
      'netsuite',
      'lightspeed-x',
      'lightspeed-r',
      'shopify',
    ]);
    for (const system of PACK_SYSTEMS)
      expect(existsSync(path.join(ROOT, 'connectors', system.key, system.openApi)), system.key).toBe(true);
  });

  it("has its definition written by the build's connector step, and its operations read for blueprints", async () => {
    const written = (await writeConnectors(root)).map((entry) =>
      path.relative(root, entry.file).split(path.sep).join('/'),
    );
    expect(written).toEqual([`dist/connectors/${KEY}.postman_collection.json`, `dist/connectors/${KEY}.core-api.json`]);
    const collection: unknown = JSON.parse(
      readFileSync(path.join(root, CONNECTORS_DIST_DIR, `${KEY}.postman_collection.json`), 'utf8'),
    );
    expect(postmanCollectionSchema.safeParse(collection).error).toBeUndefined();
    const coreApi = JSON.parse(readFileSync(path.join(root, CONNECTORS_DIST_DIR, `${KEY}.core-api.json`), 'utf8')) as {
      endpoints: Array<{ name: string }>;
    };
    expect(coreApi.endpoints.map((endpoint) => endpoint.name)).toEqual(['List widgets']);
    const apis = await loadConnectorApis(root);
    expect([...apis.keys()]).toEqual([KEY]);
    expect(apis.get(KEY)!.api.operations.map((operation) => operation.operationId)).toEqual(['listWidgets']);
  });

  describe('on the sandbox', () => {
    let sandbox: Sandbox;
    const fake = () => sandbox.fakes[camelKey(KEY)] as FakeApi & { calls: string[]; widgets: unknown[] };

    beforeAll(async () => {
      // The engine runs the built definition: the test above wrote it (run alone, write it here).
      if (!existsSync(path.join(root, CONNECTORS_DIST_DIR, `${KEY}.core-api.json`))) await writeConnectors(root);
      sandbox = await createSandbox(root);
    });

    it('gets its fake, under its key as a property name', () => {
      expect(Object.keys(sandbox.fakes)).toEqual(['widgetStore']);
      expect(Object.keys(sandbox.faults)).toEqual(['widgetStore']);
      expect(fake().widgets).toHaveLength(2);
    });

    it('is called by the runner through its built definition, against its fake', async () => {
      server.use(...sandbox.handlers);
      const result = await runFlow(flowOptions({ engine: sandbox.engine }));
      expect(result.error).toBeUndefined();
      expect(result.status).toBe('success');
      const shape = result.shapes.find((s) => s.name === 'List widgets')!;
      expect(JSON.parse(shape.outputs[0]!.body)).toEqual([
        { id: 'w-1', name: 'Sprocket' },
        { id: 'w-2', name: 'Flange' },
      ]);
      expect(fake().calls).toEqual(['POST /api/auth/token', 'GET /api/v1/widgets']);
      expect(
        sandbox.engine.sent.map((request) => `${request.method} ${new URL(request.url).pathname} ${request.status}`),
      ).toEqual(['POST /api/auth/token 200', 'GET /api/v1/widgets 200']);
    });

    it('is called by the runner as --live calls it, its instance from the environment; its faults play', async () => {
      server.use(...sandbox.handlers);
      const env = {
        WIDGET_STORE_URL: SANDBOX_URL,
        WIDGET_STORE_CLIENT_ID: 'sandbox-client',
        WIDGET_STORE_CLIENT_SECRET: 'sandbox-secret',
      };
      // As run-flows.ts makes a --live run's connections.
      const systems = await loadSystems(root);
      const live = async () => ({
        engine: await liveEngine(root, [KEY], env, systems),
        holdWrites: true,
      });
      // The shape's one retry (after a real second's pause, as live) meets the second 503 too.
      sandbox.faults[camelKey(KEY)]!.add('GET /api/v1/widgets', { status: 503 }, { times: 2 });
      const failed = await runFlow(flowOptions(await live()));
      expect(failed.status).toBe('failure');
      expect(sandbox.faults[camelKey(KEY)]!.played).toEqual(Array(2).fill('GET /api/v1/widgets: HTTP 503'));
      const result = await runFlow(flowOptions(await live()));
      expect(result.status).toBe('success');
      expect(JSON.parse(result.shapes.find((s) => s.name === 'List widgets')!.outputs[0]!.body)).toHaveLength(2);
    });

    it('names no secret when the real system refuses its instance', async () => {
      server.use(...sandbox.handlers);
      const secret = 'not-the-sandbox-secret';
      const systems = await loadSystems(root);
      const env = {
        WIDGET_STORE_URL: SANDBOX_URL,
        WIDGET_STORE_CLIENT_ID: 'sandbox-client',
        WIDGET_STORE_CLIENT_SECRET: secret,
      };
      const engine = await liveEngine(root, [KEY], env, systems);
      const result = await runFlow(flowOptions({ engine, holdWrites: true }));
      expect(result.status).toBe('failure');
      expect(result.error).toBe(`List widgets: ${KEY}: the token request to /api/auth/token failed: HTTP 401`);
      expect(JSON.stringify(result)).not.toContain(secret);
    });
  });

  it('gets its live instance from the environment, which fails naming what is missing and no value', async () => {
    const systems = await loadSystems(root);
    await expect(liveEngine(root, [KEY], {}, systems)).rejects.toThrow(
      'Widget Store configuration: set WIDGET_STORE_URL, WIDGET_STORE_CLIENT_ID, WIDGET_STORE_CLIENT_SECRET',
    );
    const secret = 'a-secret-value';
    const error = (await liveEngine(root, [KEY], { WIDGET_STORE_CLIENT_SECRET: secret }, systems).then(
      () => undefined,
      (thrown: unknown) => thrown,
    )) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('Widget Store configuration: set WIDGET_STORE_URL, WIDGET_STORE_CLIENT_ID');
    expect(error.message).not.toContain(secret);
    await expect(liveEngine(root, ['ghost'], {}, systems)).rejects.toThrow('no live connection for connector "ghost"');
  });

  it("names each of the pack's own systems' missing variables for --live, and no value", () => {
    const secret = 'a-secret-value';
    // Only the secrets set: every system is missing its other variables.
    const env = Object.fromEntries(
      [LIGHTSPEED_R_ENV_VARS, LIGHTSPEED_X_ENV_VARS, NETSUITE_ENV_VARS, SPARKLAYER_ENV_VARS]
        .flatMap((names) => Object.values(names))
        .filter((name) => name.endsWith('_SECRET'))
        .map((name) => [name, secret]),
    );
    for (const system of PACK_SYSTEMS) {
      let message = '';
      try {
        system.live(env);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, system.key).toMatch(/^[^:]+ configuration: .*\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/);
      expect(message, system.key).not.toContain(secret);
    }
  });

  it("is refused when its key is not its folder's name, naming the file", async () => {
    const other = await mkdtemp(path.join(tmpdir(), 'system-registry-bad-'));
    try {
      await writeFile(path.join(other, 'package.json'), '{ "type": "module" }\n');
      await mkdir(path.join(other, 'connectors', 'gadgets'), { recursive: true });
      await writeFile(path.join(other, 'connectors', 'gadgets', 'index.ts'), registration);
      await expect(loadSystems(other)).rejects.toThrow(
        `connectors/gadgets/index.ts: the system's key "${KEY}" must match its folder "gadgets"`,
      );
      // A module once imported stays as it was: the second case is another folder.
      await rm(path.join(other, 'connectors', 'gadgets'), { recursive: true });
      await mkdir(path.join(other, 'connectors', 'gizmos'), { recursive: true });
      await writeFile(path.join(other, 'connectors', 'gizmos', 'index.ts'), 'export const system = {};\n');
      await expect(loadSystems(other)).rejects.toThrow(
        "connectors/gizmos/index.ts: export the system's registration as the default",
      );
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
