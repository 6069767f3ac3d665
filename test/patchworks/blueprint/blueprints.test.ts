// Blueprints as a consultant receives them: valid, rendered for a client into Patchworks' flow import JSON with the
// scripts, lookups and connectors they name, and checked by `pack validate`.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defineBlueprint, walkShapes, type Blueprint } from '../../../patchworks/blueprint/blueprint.js';
import { loadBlueprints, loadSteps } from '../../../patchworks/blueprint/catalog.js';
import {
  clientConfigSchema,
  loadClientConfig,
  type ClientConfig,
} from '../../../patchworks/blueprint/client-config.js';
import { validateBlueprint, validateClient, type PackCatalog } from '../../../patchworks/blueprint/validate.js';
import { validatePack } from '../../../patchworks/blueprint/validate-pack.js';
import { renderClient } from '../../../patchworks/build/render-client.js';
import { loadConnectorApis } from '../../../patchworks/exporters/write-connectors.js';
import { flowVariablesRules } from '../../../patchworks/runner/systems.js';
import { PACK_SYSTEMS } from '../../../patchworks/systems/registry.js';
import { describeSettings } from '../../../runtime/settings.js';
import { parseTable } from '../../../runtime/tables.js';
import { EXAMPLE_CLIENT, ROOT } from '../../support/flow-harness.js';

type Json = Record<string, any>;

const REQUIRED_FLOWS = [
  'sparklayer-orders-to-netsuite',
  'sparklayer-orders-to-lightspeed-x',
  'sparklayer-orders-to-lightspeed-r',
  'netsuite-credit-hold-to-sparklayer',
  'order-totals-reconciliation',
];

let blueprints: Blueprint[];
let client: ClientConfig;
let catalog: PackCatalog;

beforeAll(async () => {
  blueprints = await loadBlueprints(ROOT);
  client = await loadClientConfig(EXAMPLE_CLIENT);
  const apis = await loadConnectorApis(ROOT);
  catalog = {
    blueprints,
    steps: await loadSteps(ROOT),
    apis,
    flowVariablesRules: flowVariablesRules(PACK_SYSTEMS),
  };
});

describe('the blueprints', () => {
  it('include the five flows the pack is bought for, and the example client runs all of them', () => {
    expect(blueprints.map((b) => b.key)).toEqual(expect.arrayContaining(REQUIRED_FLOWS));
    expect(Object.keys(client.flows)).toEqual(expect.arrayContaining(REQUIRED_FLOWS));
  });

  it('pass pack validate, with the example client', async () => {
    const { problems, blueprints: count } = await validatePack(ROOT);
    expect(problems).toEqual([]);
    expect(count).toBe(blueprints.length);
  });

  it(
    "describe a step setting they set from a flow variable as the step does (promoted), with the step's default " +
      'or the reason for another',
    () => {
      const problems: string[] = [];
      for (const blueprint of blueprints)
        for (const shape of walkShapes(blueprint.shapes)) {
          if (shape.type !== 'script') continue;
          const declared = describeSettings(catalog.steps.get(shape.step)!.settings);
          for (const [key, text] of Object.entries(shape.variables)) {
            const setting = declared.find((candidate) => candidate.key === key);
            const name = /^\{\{flow\.variables\.([a-z0-9_]+)\}\}$/.exec(text)?.[1];
            if (!setting || !name) continue;
            const variable = blueprint.variables[name]!;
            const where = `${blueprint.key} ${name} (${shape.step} ${key})`;
            if (!variable.description.includes(`${shape.step} ${key}: ${setting.description}`))
              problems.push(`${where}: described in the blueprint, not by the step`);
            const stepDefault = setting.required ? undefined : setting.default;
            if (variable.why === undefined ? variable.default !== stepDefault : variable.default === stepDefault)
              problems.push(
                `${where}: default ${variable.default} beside the step's ${stepDefault}, why: ${variable.why}`,
              );
          }
        }
      expect(problems).toEqual([]);
    },
  );

  it.each(REQUIRED_FLOWS)('%s has a README with a Mermaid diagram naming every shape', async (key) => {
    const readme = await readFile(path.join(ROOT, 'blueprints', key, 'README.md'), 'utf8');
    expect(readme).toMatch(/```mermaid\n(flowchart|graph) /);
    const blueprint = blueprints.find((b) => b.key === key)!;
    const missing = [...walkShapes(blueprint.shapes)].map((s) => s.name).filter((name) => !readme.includes(name));
    expect(missing).toEqual([]);
  });
});

describe('blueprint and client schema rules', () => {
  const trigger = { type: 'trigger' as const, name: 'Start', schedule: '0 * * * *' };
  const base = { key: 'bad-flow', title: 'Bad', purpose: 'A broken flow.' };

  it('refuse a flow that does not start with its trigger, two try/catch shapes, or two shapes of one name', () => {
    expect(() =>
      defineBlueprint({ ...base, shapes: [{ type: 'notify', name: 'N', level: 'info', message: 'x' }, trigger] }),
    ).toThrow(/blueprint bad-flow: .*a flow starts with its trigger/s);
    const tryCatch = (name: string) => ({
      type: 'try-catch' as const,
      name,
      try: [{ type: 'notify' as const, name: `${name} t`, level: 'info' as const, message: 'x' }],
      catch: [{ type: 'notify' as const, name: `${name} c`, level: 'info' as const, message: 'x' }],
    });
    expect(() => defineBlueprint({ ...base, shapes: [trigger, tryCatch('A'), tryCatch('B')] })).toThrow(
      /one try\/catch shape per flow/,
    );
    expect(() =>
      defineBlueprint({ ...base, shapes: [trigger, { type: 'notify', name: 'Start', level: 'info', message: 'x' }] }),
    ).toThrow(/two shapes are named "Start"/);
    expect(() =>
      defineBlueprint({
        ...base,
        shapes: [
          trigger,
          { type: 'connection', name: 'C', connector: 'sparklayer', endpoint: 'getPurchases', retries: 3 },
        ],
      }),
    ).toThrow(/shapes\[1\]\.retries|retries/);
  });

  it(
    'name each unknown step, connector, endpoint, setting, flow variable and lookup, ' + 'and each unused declaration',
    () => {
      const blueprint = defineBlueprint({
        ...base,
        variables: { used: { description: 'u', default: 'order' }, unused: { description: 'v', default: '' } },
        lookups: { spare: { description: 's', required: false } },
        shapes: [
          trigger,
          { type: 'connection', name: 'Ghost system', connector: 'ghost', endpoint: 'x' },
          { type: 'connection', name: 'Ghost endpoint', connector: 'sparklayer', endpoint: 'listEverything' },
          { type: 'script', name: 'Ghost step', step: 'no-such-step' },
          {
            type: 'script',
            name: 'Typo',
            step: 'filter-live-orders',
            variables: {
              live_type: '{{flow.variables.used}}',
              live_statuses: '{{flow.variables.nope}} {{lookups.absent}}',
            },
          },
        ],
      });
      const messages = validateBlueprint(blueprint, catalog).map((p) => `${p.where}: ${p.message}`);
      expect(messages).toEqual([
        'bad-flow › Ghost system: no connector "ghost" ' +
          '(there are sparklayer, netsuite, lightspeed-x, lightspeed-r, shopify)',
        'bad-flow › Ghost endpoint: connector sparklayer has no endpoint "listEverything": its endpoints are the ' +
          'operationIds of its OpenAPI operations, declared in connectors/sparklayer/openapi.json',
        expect.stringMatching(
          /^bad-flow › Ghost step: no step "no-such-step" in the pack \(there are .*filter-live-orders/,
        ),
        'bad-flow › Typo: "live_type" is not a setting of filter-live-orders ' +
          '(it has live_types, live_statuses, order_format)',
        'bad-flow › Typo: variables.live_statuses names flow variable "nope", which the blueprint does not declare',
        'bad-flow › Typo: variables.live_statuses names lookup "absent", which the blueprint does not declare',
        'bad-flow: flow variable "unused" is declared but no shape uses it',
        'bad-flow: lookup "spare" is declared but no shape uses it',
      ]);
    },
  );

  it("check a connection shape's endpoint against the connector's OpenAPI operations, in the file registered", () => {
    const sparklayer = catalog.apis.get('sparklayer')!;
    // A system may register its document under another name: the message names that file.
    const apis = new Map([
      ['sparklayer', { ...sparklayer, source: { openApiFile: 'connectors/sparklayer/api.json' } }],
    ]);
    const blueprint = defineBlueprint({
      ...base,
      shapes: [
        trigger,
        { type: 'connection', name: 'Read', connector: 'sparklayer', endpoint: 'getPurchases' },
        { type: 'connection', name: 'Write', connector: 'sparklayer', endpoint: 'upsertPurchase' },
      ],
    });
    expect(validateBlueprint(blueprint, { ...catalog, apis })).toEqual([
      {
        where: 'bad-flow › Write',
        message:
          'connector sparklayer has no endpoint "upsertPurchase": its endpoints are the operationIds of its OpenAPI ' +
          'operations, declared in connectors/sparklayer/api.json',
      },
    ]);
  });

  it("name what a client's config misses or sets wrong, and a setting that would not parse", () => {
    const broken = structuredClone(client);
    const flow = broken.flows['sparklayer-orders-to-netsuite']!;
    flow.variables.on_account_mode = 'maybe';
    flow.variables.colour = 'blue';
    delete flow.lookups.item_ids;
    expect(validateClient(broken, catalog).map((p) => p.message)).toEqual([
      expect.stringMatching(
        new RegExp(
          /^client example-homewares, flow sparklayer-orders-to-netsuite: /.source +
            /"flows.sparklayer-orders-to-netsuite.variables.colour" is not a variable of this flow .*; /.source +
            /lookup "item_ids" must be given/.source,
        ),
      ),
    ]);
    delete flow.variables.colour;
    flow.lookups.item_ids = { 'MUG-ENAMEL-WHT': '98' };
    expect(validateClient(broken, catalog).map((p) => `${p.where}: ${p.message}`)).toEqual([
      'clients/example-homewares.json › sparklayer-orders-to-netsuite › Build NetSuite sales orders: ' +
        'map-order-to-netsuite: setting "on_account_mode" is not valid: "maybe" is not one of release, ' +
        'hold (from variables: "maybe").',
    ]);
  });

  it(
    'refuse a NetSuite replace_sublists that disagrees with tax_mode: a re-sent order would double lines ' +
      'NetSuite appends',
    () => {
      const where = 'clients/example-homewares.json › sparklayer-orders-to-netsuite';
      const withVariables = (variables: Record<string, string>) => {
        const copy = structuredClone(client);
        Object.assign(copy.flows['sparklayer-orders-to-netsuite']!.variables, variables);
        return validateClient(copy, catalog).map((p) => `${p.where}: ${p.message}`);
      };
      expect(withVariables({ tax_mode: 'override', replace_sublists: 'item,taxDetails' })).toEqual([]);
      expect(withVariables({ tax_mode: 'netsuite', replace_sublists: 'item' })).toEqual([]);
      expect(withVariables({ tax_mode: 'override', replace_sublists: 'item' })).toEqual([
        `${where}: replace_sublists is "item" with tax_mode override: add taxDetails, or a re-sent order ` +
          `doubles its tax details`,
      ]);
      expect(withVariables({ tax_mode: 'netsuite', replace_sublists: 'item,taxDetails' })).toEqual([
        `${where}: replace_sublists is "item,taxDetails" with tax_mode netsuite: the orders carry no tax ` +
          `details; set it to item`,
      ]);
      expect(withVariables({ replace_sublists: 'taxDetails' })).toEqual([
        `${where}: replace_sublists is "taxDetails": it must name item, or a re-sent order doubles its lines`,
      ]);
    },
  );

  it('refuse a client config with no order_source, an unknown source or an unknown back-end', () => {
    const { order_source: _, ...noSource } = client;
    const issues = (config: unknown) => {
      const parsed = clientConfigSchema.safeParse(config);
      return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    };
    expect(issues(noSource)).toEqual([expect.stringMatching(/^order_source: must say, per back-end the client /)]);
    expect(issues({ ...client, order_source: { netsuite: 'shopify' } })).toEqual([
      expect.stringMatching(/^order_source\.netsuite: .*"sparklayer"\|"platform"/),
    ]);
    expect(issues({ ...client, order_source: { sap: 'sparklayer' } })).toEqual([
      'order_source: Unrecognized key: "sap"',
    ]);
    expect(issues(client)).toEqual([]);
  });

  it(
    'refuse a SparkLayer order flow into a back-end whose order_source is platform or unset, naming the flow; ' +
      'accept sparklayer, and platform where the client runs no SparkLayer order flow into that back-end',
    () => {
      const withSource = (order_source: ClientConfig['order_source'], without: string[] = []) => {
        const copy = structuredClone({ ...client, order_source });
        for (const flowKey of without) delete copy.flows[flowKey];
        return validateClient(copy, catalog).map((p) => `${p.where}: ${p.message}`);
      };
      const sparklayer = client.order_source;
      expect(sparklayer).toEqual({
        netsuite: 'sparklayer',
        'lightspeed-x': 'sparklayer',
        'lightspeed-r': 'sparklayer',
      });
      expect(withSource(sparklayer)).toEqual([]);
      expect(withSource({ ...sparklayer, netsuite: 'platform' })).toEqual([
        'clients/example-homewares.json › sparklayer-orders-to-netsuite: "order_source.netsuite" is "platform": ' +
          "the platform's own flow books netsuite orders, so this SparkLayer order flow would book each of them " +
          'again. Remove "flows.sparklayer-orders-to-netsuite", or set "order_source.netsuite" to "sparklayer" and ' +
          "turn the platform's order flow into netsuite off",
      ]);
      expect(withSource({ ...sparklayer, netsuite: 'platform' }, ['sparklayer-orders-to-netsuite'])).toEqual([]);
      expect(withSource({ netsuite: 'sparklayer' })).toEqual(
        ['lightspeed-x', 'lightspeed-r'].map(
          (backend) =>
            `clients/example-homewares.json › sparklayer-orders-to-${backend}: this SparkLayer order flow books ` +
            `into ${backend}, and "order_source" does not say who books ${backend} orders: set "order_source": ` +
            `{ "${backend}": "sparklayer" }, or "platform" if the platform's own flow books them (then remove ` +
            `this flow)`,
        ),
      );
    },
  );

  it(
    'refuse the Shopify-source order flow into a back-end whose order_source is not platform, naming the flow and ' +
      'the fix; and the SparkLayer flow beside it (one source per back-end)',
    async () => {
      const shopify = await loadClientConfig(path.join(ROOT, 'clients', 'example-homewares-on-shopify.json'));
      const where = 'clients/example-homewares-on-shopify.json';
      const withSource = (order_source: ClientConfig['order_source'], flows = shopify.flows) =>
        validateClient(structuredClone({ ...shopify, order_source, flows }), catalog).map(
          (p) => `${p.where}: ${p.message}`,
        );
      expect(shopify.order_source).toEqual({ netsuite: 'platform' });
      expect(withSource({ netsuite: 'platform' })).toEqual([]);
      expect(withSource({ netsuite: 'sparklayer' })).toEqual([
        `${where} › shopify-orders-to-netsuite: "order_source.netsuite" is "sparklayer": a SparkLayer order flow ` +
          'books netsuite orders, so this flow, which reads the same orders from the platform (Shopify), would book ' +
          'each of them again. Remove "flows.shopify-orders-to-netsuite", or set "order_source.netsuite" to ' +
          '"platform" and remove the SparkLayer order flow into netsuite',
      ]);
      expect(withSource({})).toEqual([
        `${where} › shopify-orders-to-netsuite: this flow books SparkLayer's orders into netsuite from the ` +
          'platform (Shopify), and "order_source" does not say who books netsuite orders: set "order_source": ' +
          '{ "netsuite": "platform" }, or remove this flow if a SparkLayer order flow books them',
      ]);
      // Both flows into NetSuite: whichever source is named, the other flow is refused.
      const both = {
        ...shopify.flows,
        'sparklayer-orders-to-netsuite': client.flows['sparklayer-orders-to-netsuite']!,
      };
      expect(withSource({ netsuite: 'platform' }, both)).toEqual([
        expect.stringMatching(/› sparklayer-orders-to-netsuite: "order_source.netsuite" is "platform"/),
      ]);
      expect(withSource({ netsuite: 'sparklayer' }, both)).toEqual([
        expect.stringMatching(/› shopify-orders-to-netsuite: "order_source.netsuite" is "sparklayer"/),
      ]);
    },
  );

  it('refuse a lookup that maps one key twice (after trimming), naming it', () => {
    const parsed = clientConfigSchema.safeParse({ ...client, lookups: { unit_map: { 'A ': 'B*2', A: 'C*3' } } });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('\\"A\\" is mapped twice');
  });
});

describe('npm run build -- --client clients/example-homewares.json', () => {
  let rendered: Map<string, Json>;
  const outDir = path.join(ROOT, 'dist', 'blueprints', 'example-homewares');

  beforeAll(async () => {
    await renderClient(ROOT, EXAMPLE_CLIENT, '2026-11-22T00:00:00.000Z');
    rendered = new Map();
    for (const key of Object.keys(client.flows))
      rendered.set(key, JSON.parse(await readFile(path.join(outDir, `${key}.json`), 'utf8')) as Json);
  });

  it('writes one flow import JSON per flow with the keys Patchworks imports', () => {
    for (const [key, flow] of rendered) {
      expect(Object.keys(flow), key).toEqual(['metadata', 'flow', 'systems', 'scripts', 'dependencies']);
      expect(flow.metadata.company_name).toBe('Example Homewares Ltd');
      expect(flow.flow.is_enabled).toBe(false);
      expect(flow.flow.versions[0].status).toBe('Draft');
    }
  });

  it('pins every script it names to a bundle in dist/scripts, by sha256, and ships that exact file', async () => {
    for (const [key, flow] of rendered) {
      const stepNames = (flow.flow.versions[0].steps as Json[])
        .filter((s) => s.type === 'script')
        .map((s) => s.config.script.name as string);
      expect(stepNames.length, key).toBeGreaterThan(0);
      // Beside its script steps, the pagination scripts of the endpoints its connection shapes call.
      const paging = [...walkShapes(blueprints.find((b) => b.key === key)!.shapes)].flatMap((shape) => {
        if (shape.type !== 'connection') return [];
        const system = PACK_SYSTEMS.find((candidate) => candidate.key === shape.connector)!;
        const script = system.facts.endpoints[shape.endpoint]?.paginationScript;
        return script ? [script.key] : [];
      });
      expect(new Set([...stepNames, ...paging])).toEqual(new Set((flow.scripts as Json[]).map((s) => s.name)));
      for (const script of flow.scripts as Json[]) {
        const built = await readFile(path.join(ROOT, 'dist', 'scripts', `${script.name}.js`));
        expect(createHash('sha256').update(built).digest('hex'), `${key} ${script.name}`).toBe(script.sha256);
        // Byte for byte, but not by a deep equal: over a buffer of each bundle of each flow, that ran past 30 s.
        expect((await readFile(path.join(outDir, script.file))).equals(built), `${key} ${script.file}`).toBe(true);
      }
    }
  });

  it(
    "links every step: each step but the trigger has one way in, a connection or a route's first_step, and " +
      'routes are named',
    () => {
      for (const [key, flow] of rendered) {
        const version = flow.flow.versions[0];
        const steps = version.steps as Json[];
        const ids = steps.map((s) => s.id as number);
        const byName = new Map(steps.map((s) => [s.name as string, s.id as number]));
        const targets = (version.connections as Json[]).map((c) => c.target_step_id as number);
        const routeHeads = steps.flatMap((s) =>
          ((s.routes as Json[] | undefined) ?? []).map((r) => byName.get(r.first_step as string)!),
        );
        expect(
          [...targets, ...routeHeads].sort((a, b) => a - b),
          key,
        ).toEqual(ids.slice(1));
        for (const step of steps)
          for (const route of (step.routes as Json[] | undefined) ?? [])
            expect(route.name, `${key} › ${step.name}`).toMatch(/\S/);
        expect(steps[0]!.type).toBe('trigger');
      }
    },
  );

  it("writes each lookup as a cross-reference lookup CSV that reads back as the client's table", async () => {
    for (const [key, flow] of rendered) {
      for (const dependency of (flow.dependencies as Json[]).filter((d) => d.type === 'cross_reference_lookup')) {
        const table = parseTable(await readFile(path.join(outDir, dependency.file as string), 'utf8'));
        const name = (dependency.name as string).replace(`${key}.`, '');
        const given = client.flows[key]!.lookups[name] ?? client.lookups[name] ?? {};
        expect(Object.fromEntries(table), `${key} ${name}`).toEqual(given);
      }
    }
  });

  it(
    'fills script settings for the client (no placeholder a script cannot read), and keeps run-time ones ' +
      'in connection shapes',
    () => {
      for (const [key, flow] of rendered) {
        for (const step of flow.flow.versions[0].steps as Json[]) {
          if (step.type === 'script') expect(JSON.stringify(step.config.variables), key).not.toMatch(/\{\{|\[\[/);
        }
      }
      const netsuite = rendered.get('sparklayer-orders-to-netsuite')!;
      const upsert = (netsuite.flow.versions[0].steps as Json[]).find((s) => s.name === 'Upsert NetSuite sales order')!;
      expect(upsert.config.variables).toEqual({
        externalId: '[[payload.externalId]]',
        replace: '{{flow.variables.replace_sublists}}',
      });
      expect(upsert.endpoint).toEqual({
        name: 'Create or update a sales order by external ID',
        direction: 'Send',
        http_method: 'PUT',
        data_type: 'json',
      });
    },
  );

  it(
    "ships the connectors each flow uses, and each connector's Postman collection names every endpoint the " +
      'blueprints use',
    async () => {
      for (const [key, flow] of rendered) {
        for (const system of flow.systems as Json[]) {
          for (const file of system.import_files as string[])
            expect(existsSync(path.join(outDir, file)), `${key} ${file}`).toBe(true);
        }
      }
      const apis = await loadConnectorApis(ROOT);
      for (const blueprint of blueprints) {
        for (const shape of walkShapes(blueprint.shapes)) {
          if (shape.type !== 'connection') continue;
          const operation = apis.get(shape.connector)!.api.operations.find((op) => op.operationId === shape.endpoint)!;
          const collection = JSON.parse(
            await readFile(path.join(ROOT, 'dist', 'connectors', `${shape.connector}.postman_collection.json`), 'utf8'),
          ) as Json;
          const requests = (collection.item as Json[]).flatMap(
            (folder) => (folder.item as Json[] | undefined) ?? [folder],
          );
          expect(
            requests.some((r) => r.name === operation.name && r.request.method === operation.method),
            `${blueprint.key} › ${shape.name}: ${operation.name}`,
          ).toBe(true);
        }
      }
    },
  );
});
