// Import fidelity: every flow rendered for the example client against Patchworks' own flow import template
// (fixtures/patchworks/flow-import-template.json, copied from gopatchworks/patchworks-mcp), and `pack validate` naming
// each way a rendered flow can drift from it.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkShapes, type Blueprint } from '../../../patchworks/blueprint/blueprint.js';
import { loadBlueprints } from '../../../patchworks/blueprint/catalog.js';
import { loadClientConfig, type ClientConfig } from '../../../patchworks/blueprint/client-config.js';
import { CATCH_ROUTE, HAND_BUILT, TRY_ROUTE } from '../../../patchworks/blueprint/render.js';
import {
  FLOW_IMPORT_TEMPLATE_FILE,
  templateStepTypes,
  validateFlowImport,
  type FlowImportTemplate,
  type TemplateNode,
} from '../../../patchworks/blueprint/validate.js';
import { loadFlowImportTemplate } from '../../../patchworks/blueprint/validate-pack.js';
import { renderClient } from '../../../patchworks/build/render-client.js';
import { loadFixture } from '../../../contracts/fixtures.js';
import { EXAMPLE_CLIENT, ROOT } from '../../support/flow-harness.js';

type Json = Record<string, any>;

/** The pack's shape types no template shows: rendered HAND-BUILT, for the consultant to build after import. */
const HAND_BUILT_TYPES = ['notify', 'manual-payload', 'set-variables'];

/**
 * Keys the pack renders beyond what either template shows, by where they sit. Each carries something the import or the
 * consultant needs; none is inside metadata.import_summary, which the template says is validated.
 */
const PACK_EXTENSIONS = {
  version: ['variables'],
  'connector config': ['system', 'variables', 'retries'],
  'batch config': ['do_not_wrap_single_records'],
  'map config': ['fields'],
  system: ['pack_connector', 'import_files'],
};

let template: FlowImportTemplate;
let blueprints: Blueprint[];
let client: ClientConfig;
let outDir: string;
const rendered = new Map<string, Json>();

beforeAll(async () => {
  template = await loadFlowImportTemplate(ROOT);
  blueprints = await loadBlueprints(ROOT);
  client = await loadClientConfig(EXAMPLE_CLIENT);
  outDir = await mkdtemp(path.join(os.tmpdir(), 'import-fidelity-'));
  await renderClient(ROOT, EXAMPLE_CLIENT, '2026-11-22T00:00:00.000Z', outDir);
  for (const key of Object.keys(client.flows))
    rendered.set(key, JSON.parse(await readFile(path.join(outDir, client.client, `${key}.json`), 'utf8')) as Json);
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

const version = (flow: Json) => flow.flow.versions[0] as Json;
const stepsOf = (flow: Json) => version(flow).steps as Json[];
const typeOf = (value: unknown) =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'array'
      : typeof value === 'number'
        ? Number.isInteger(value)
          ? 'integer'
          : 'number'
        : typeof value;

/** Every key path the template's required structure names, with the type found there: written here, not validate's. */
function requiredKeyTypes(
  value: unknown,
  node: TemplateNode,
  at: string,
  out: Array<{ at: string; want: string; got: string }>,
): void {
  out.push({ at, want: node.type, got: typeOf(value) });
  if (node.keys && typeOf(value) === 'object')
    for (const [key, child] of Object.entries(node.keys))
      requiredKeyTypes((value as Json)[key], child, `${at}.${key}`, out);
  if (node.items && Array.isArray(value))
    value.forEach((item, index) => requiredKeyTypes(item, node.items!, `${at}[${index}]`, out));
}

describe('the template fixture', () => {
  it('records where each part came from: repository, file, commit and the date read', async () => {
    const fixture = await loadFixture(ROOT, FLOW_IMPORT_TEMPLATE_FILE);
    expect(fixture.provenance.origin).toBe('vendor-docs');
    const raw = JSON.parse(await readFile(path.join(ROOT, FLOW_IMPORT_TEMPLATE_FILE), 'utf8')) as Json;
    const sources = raw.provenance.sources as Json[];
    expect(sources.map((s) => s.path)).toEqual(
      expect.arrayContaining(['defaults/schemas.py', 'patchworks-knowledge-base.md']),
    );
    for (const source of sources) {
      expect(source.repository).toBe('gopatchworks/patchworks-mcp');
      expect(source.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(source.url).toBe(`https://github.com/gopatchworks/patchworks-mcp/blob/${source.commit}/${source.path}`);
      expect(source.read_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it(
    "keeps the knowledge base's minimal example and its required structure in step (every example key is a " +
      'required one)',
    () => {
      const paths: Array<{ at: string; want: string; got: string }> = [];
      for (const [key, node] of Object.entries(template.knowledge_base.required_structure))
        requiredKeyTypes(template.knowledge_base.minimal_example[key], node, key, paths);
      expect(paths.filter((p) => p.want !== p.got)).toEqual([]);
      expect(Object.keys(template.knowledge_base.required_structure)).toEqual(template.knowledge_base.top_level_keys);
    },
  );
});

describe('every flow rendered for the example client', () => {
  it('renders all the client flows', () => {
    expect([...rendered.keys()].sort()).toEqual(Object.keys(client.flows).sort());
  });

  it('lists in next_steps the "Next page token" options an endpoint needs, which its definition lacks', () => {
    const nextSteps = rendered.get('lightspeed-x-stock-to-sparklayer')!.metadata.import_summary.next_steps as string[];
    expect(nextSteps.filter((line) => line.includes('"Next page token"'))).toEqual([
      'In the Lightspeed Retail (X-Series) connector, set the "Next page token" pagination of the endpoint ' +
        '"List products": Token parameter name "after", Path to token in payload "version.max".',
    ]);
  });

  it('lists in next_steps the "Next page field" a "Next Page URL" endpoint needs, which its definition lacks', () => {
    const nextSteps = rendered.get('lightspeed-r-stock-to-sparklayer')!.metadata.import_summary.next_steps as string[];
    expect(nextSteps.filter((line) => line.includes('"Next Page URL"'))).toEqual([
      'In the Lightspeed Retail (R-Series) connector, set the "Next Page URL" pagination of the endpoint ' +
        '"Find items": Next page field "@attributes.next".',
      'In the Lightspeed Retail (R-Series) connector, set the "Next Page URL" pagination of the endpoint ' +
        '"Find sales": Next page field "@attributes.next".',
    ]);
  });

  it('pins the pagination script an endpoint pages by, and says in next_steps to deploy and select it there', () => {
    const flow = rendered.get('lightspeed-x-stock-to-sparklayer')!;
    const nextSteps = flow.metadata.import_summary.next_steps as string[];
    expect(nextSteps.filter((line) => line.includes('"Script"'))).toEqual([
      'In the Lightspeed Retail (X-Series) connector, set the "Script" pagination of the endpoint ' +
        '"List inventory records": on its pagination tab, the script "lightspeed-x-inventory-pages" and its ' +
        'deployed version (save and deploy scripts/lightspeed-x-inventory-pages.js as that script first).',
    ]);
    expect((flow.scripts as Array<{ name: string }>).map((script) => script.name)).toContain(
      'lightspeed-x-inventory-pages',
    );
    expect(flow.metadata.import_summary.dependencies).toContain(
      `script lightspeed-x-inventory-pages ${flow.scripts[0].version}`,
    );
  });

  it('has every key the template requires, of the type the template gives it', () => {
    for (const [key, flow] of rendered) {
      const paths: Array<{ at: string; want: string; got: string }> = [];
      for (const [top, node] of Object.entries(template.knowledge_base.required_structure))
        requiredKeyTypes(flow[top], node, top, paths);
      expect(
        paths.filter((p) => p.want !== p.got),
        key,
      ).toEqual([]);
      expect(Object.keys(flow), key).toEqual(template.knowledge_base.top_level_keys);
    }
  });

  it("has import_summary exactly as the template's: its keys, no others, counts as integers", () => {
    const example = template.knowledge_base.minimal_example.metadata as Json;
    const shape = (value: unknown): unknown =>
      typeOf(value) === 'object'
        ? Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, shape(v)]))
        : typeOf(value);
    for (const [key, flow] of rendered) {
      expect(shape(flow.metadata.import_summary), key).toEqual(shape(example.import_summary));
      const summary = flow.metadata.import_summary as Json;
      expect(summary.imported_resources.flow_steps, key).toBe(stepsOf(flow).length);
      expect(summary.imported_resources.systems_imported, key).toBe((flow.systems as Json[]).length);
      expect(summary.setup_required.connectors_needing_config, key).toBe((flow.systems as Json[]).length);
      expect(
        summary.next_steps.every((line: unknown) => typeof line === 'string'),
        key,
      ).toBe(true);
    }
  });

  it("renders the trigger as the example's trigger step, and each step with the example's step keys", () => {
    const exampleStep = (template.knowledge_base.minimal_example.flow as Json).versions[0].steps[0] as Json;
    for (const [key, flow] of rendered) {
      const trigger = stepsOf(flow)[0]!;
      expect(trigger.type, key).toBe(exampleStep.type);
      expect(Object.keys(trigger.config), key).toEqual(Object.keys(exampleStep.config));
      expect(trigger.config.schedule_type, key).toBe(exampleStep.config.schedule_type);
      for (const step of stepsOf(flow)) {
        for (const required of ['id', 'type', 'name', 'position', 'config'])
          expect(step, `${key} › ${step.name}`).toHaveProperty(required);
      }
      const ids = stepsOf(flow).map((s) => s.id);
      expect(new Set(ids).size, `${key}: step ids unique`).toBe(ids.length);
    }
  });

  it('uses only step types the templates show, or marks the step HAND-BUILT and lists it in next_steps', () => {
    const types = templateStepTypes(template);
    expect([...types].sort()).toEqual([
      'batch',
      'branch',
      'cache',
      'connector',
      'de-dupe',
      'filter',
      'map',
      'route',
      'script',
      'split',
      'trigger',
      'try-catch',
    ]);
    const handBuiltSeen = new Set<string>();
    for (const [key, flow] of rendered) {
      const nextSteps = flow.metadata.import_summary.next_steps as string[];
      for (const step of stepsOf(flow)) {
        if (types.has(step.type)) {
          expect(step.description, `${key} › ${step.name}`).toBeUndefined();
          continue;
        }
        expect(HAND_BUILT_TYPES, `${key} › ${step.name}`).toContain(step.type);
        expect(step.description, `${key} › ${step.name}`).toMatch(new RegExp(`^${HAND_BUILT} `));
        expect(
          nextSteps.filter((line) => line.startsWith(`${HAND_BUILT} step ${step.id} "${step.name}": `)),
          `${key} › ${step.name}`,
        ).toHaveLength(1);
        handBuiltSeen.add(step.type);
      }
      const marked = stepsOf(flow).filter((s) => !types.has(s.type)).length;
      expect(
        nextSteps.filter((line) => line.startsWith(HAND_BUILT)),
        key,
      ).toHaveLength(marked);
    }
    expect([...handBuiltSeen].sort()).toEqual([...HAND_BUILT_TYPES].sort());
  });

  it(
    "configures each step type the template shows with the template's config keys, and each connector's " +
      'endpoint as the template has it',
    () => {
      const modelSteps = template.generic_import_json.flow.versions[0]!.steps;
      const connectorModel = modelSteps.find((s) => s.microservice === 'connector')!;
      for (const [key, flow] of rendered) {
        for (const step of stepsOf(flow)) {
          const model = modelSteps.find((s) => s.microservice === step.type);
          if (!model) continue;
          for (const [configKey, example] of Object.entries(model.config))
            expect(typeOf(step.config[configKey]), `${key} › ${step.name} config.${configKey}`).toBe(typeOf(example));
          if (step.type === 'connector') {
            const endpointKeys = Object.keys(step.endpoint);
            expect(endpointKeys, `${key} › ${step.name}`).toEqual(Object.keys(connectorModel.endpoint!));
            expect(['Receive', 'Send']).toContain(step.endpoint.direction);
            // A GET receives, and so does a POST that reads (NetSuite's SuiteQL, X-Series' inventory records,
            // SparkLayer's batch-fetch-stock: their connector facts say reads).
            const reads =
              step.endpoint.http_method === 'GET' ||
              ['Run a SuiteQL query', 'List inventory records', 'Get stock levels for multiple SKUs'].includes(
                step.endpoint.name,
              );
            expect(step.endpoint.direction, `${key} › ${step.name}`).toBe(reads ? 'Receive' : 'Send');
            expect(step.config).not.toHaveProperty('endpoint');
          }
        }
      }
    },
  );

  it("gives each connector step the direction its endpoint has in the connector's own Core-API JSON", async () => {
    for (const [key, flow] of rendered) {
      for (const system of flow.systems as Json[]) {
        const coreApi = JSON.parse(
          await readFile(path.join(outDir, client.client, `connectors/${system.pack_connector}.core-api.json`), 'utf8'),
        ) as Json;
        for (const step of stepsOf(flow).filter(
          (s) => s.type === 'connector' && s.config.system === system.system.name,
        )) {
          const endpoint = (coreApi.endpoints as Json[]).find(
            (e) => e.name === step.endpoint.name && e.http_method === step.endpoint.http_method,
          );
          expect(endpoint, `${key} › ${step.name}`).toBeDefined();
          expect(step.endpoint.direction, `${key} › ${step.name}`).toBe(endpoint!.direction);
        }
      }
    }
  });

  it(
    "models the try/catch's routes as the template does: routes [{name: 'Try', first_step}, {name: " +
      "'Catch', first_step}], no route on a connection",
    () => {
      const model = template.generic_import_json.flow.versions[0]!.steps.find((s) => s.microservice === 'try-catch')!;
      expect(model.routes!.map((r) => r.name)).toEqual([TRY_ROUTE, CATCH_ROUTE]);
      let tryCatches = 0;
      for (const [key, flow] of rendered) {
        const blueprint = blueprints.find((b) => b.key === key)!;
        const shapes = [...walkShapes(blueprint.shapes)];
        for (const step of stepsOf(flow)) {
          const shape = shapes.find((s) => s.name === step.name)!;
          if (shape.type === 'try-catch') {
            tryCatches++;
            expect(step.routes, `${key} › ${step.name}`).toEqual([
              { name: 'Try', first_step: shape.try[0]!.name },
              { name: 'Catch', first_step: shape.catch[0]!.name },
            ]);
            expect(step.config, `${key} › ${step.name}`).toEqual(model.config);
          } else if (shape.type === 'branch') {
            expect(step.routes, `${key} › ${step.name}`).toEqual(
              shape.branches.map((b) => ({ name: b.name, first_step: b.shapes[0]!.name })),
            );
          } else {
            expect(step.routes, `${key} › ${step.name}`).toBeUndefined();
          }
        }
        for (const connection of version(flow).connections as Json[])
          expect(Object.keys(connection), key).toEqual(['source_step_id', 'target_step_id']);
      }
      expect(tryCatches).toBeGreaterThan(0);
    },
  );

  it('renders no key beyond the templates but the declared pack extensions', () => {
    const kb = template.knowledge_base.minimal_example as Json;
    const generic = template.generic_import_json as Json;
    const models = template.generic_import_json.flow.versions[0]!.steps;
    const known = {
      version: new Set([...Object.keys(kb.flow.versions[0]), ...Object.keys(generic.flow.versions[0])]),
      step: new Set([...Object.keys(kb.flow.versions[0].steps[0]), ...models.flatMap((m) => Object.keys(m))]),
      system: new Set(Object.keys(generic.systems[0])),
    };
    const beyond: Record<string, Set<string>> = {};
    const note = (where: string, keys: string[], allowed: Set<string>) => {
      for (const k of keys) if (!allowed.has(k)) (beyond[where] ??= new Set()).add(k);
    };
    for (const flow of rendered.values()) {
      expect(Object.keys(flow.metadata)).toEqual(Object.keys(kb.metadata));
      expect(Object.keys(flow.flow)).toEqual(Object.keys(kb.flow));
      note('version', Object.keys(version(flow)), known.version);
      for (const step of stepsOf(flow)) {
        note('step', Object.keys(step), known.step);
        const model = models.find((m) => m.microservice === step.type);
        if (model && step.type !== 'trigger')
          note(`${step.type} config`, Object.keys(step.config), new Set(Object.keys(model.config)));
      }
      for (const system of flow.systems as Json[]) note('system', Object.keys(system), known.system);
    }
    expect(Object.fromEntries(Object.entries(beyond).map(([k, v]) => [k, [...v].sort()]))).toEqual(
      Object.fromEntries(Object.entries(PACK_EXTENSIONS).map(([k, v]) => [k, [...v].sort()])),
    );
  });

  it('passes the pack validate check against the template', () => {
    for (const [key, flow] of rendered) expect(validateFlowImport(flow, template, key), key).toEqual([]);
  });
});

describe('pack validate against the template', () => {
  const messages = (flow: Json) =>
    validateFlowImport(flow, template, 'flow.json').map((p) => `${p.where}: ${p.message}`);
  const mutate = (edit: (flow: Json) => void) => {
    const flow = structuredClone(rendered.get('sparklayer-orders-to-netsuite')!);
    edit(flow);
    return messages(flow);
  };
  const stepNamed = (flow: Json, name: string) => stepsOf(flow).find((s) => s.name === name)!;
  const source = `(${FLOW_IMPORT_TEMPLATE_FILE})`;

  it('names an import_summary count given as an array of names', () => {
    expect(
      mutate((f) => (f.metadata.import_summary.setup_required.connectors_needing_config = ['SparkLayer', 'NetSuite'])),
    ).toEqual([
      `flow.json: metadata.import_summary.setup_required.connectors_needing_config is an array where the ` +
        `template has an integer ${source}`,
    ]);
  });

  it('names a key added to import_summary, and one the template requires that is missing', () => {
    expect(
      mutate((f) => {
        f.metadata.import_summary.setup_required.data_pools = ['sparklayer-orders-netsuite'];
        delete f.metadata.import_summary.imported_resources.endpoints;
        delete f.scripts;
      }),
    ).toEqual([
      `flow.json: metadata.import_summary.setup_required.data_pools is not in the template's ` +
        `import_summary, which Patchworks validates ${source}`,
      `flow.json: metadata.import_summary.imported_resources.endpoints is missing: the template requires it ${source}`,
      `flow.json: scripts is missing: the template requires it ${source}`,
    ]);
  });

  it("names a connector step's direction 'pull', and an endpoint left inside the config", () => {
    expect(mutate((f) => (stepNamed(f, 'Pull SparkLayer purchases').endpoint.direction = 'pull'))).toEqual([
      `flow.json: flow.versions[0] step 5 "Pull SparkLayer purchases": endpoint.direction is "pull" ` +
        `where the template has Receive or Send ${source}`,
    ]);
    expect(
      mutate((f) => {
        const step = stepNamed(f, 'Upsert NetSuite sales order');
        step.config.endpoint = step.endpoint;
        delete step.endpoint;
      }),
    ).toEqual([
      expect.stringMatching(
        new RegExp(
          'step \\d+ "Upsert NetSuite sales order": has no endpoint beside its config, as the template\'s ' +
            'connector step has',
        ),
      ),
    ]);
  });

  it('names try/catch routes carried on connections, or named otherwise than the template', () => {
    expect(
      mutate((f) => {
        const tryCatch = stepNamed(f, 'Catch refused orders');
        delete tryCatch.routes;
        (version(f).connections as Json[]).push({
          source_step_id: tryCatch.id,
          target_step_id: stepNamed(f, 'Upsert NetSuite sales order').id,
          route: 'try',
        });
      }),
    ).toEqual([
      expect.stringMatching(
        new RegExp(
          'step \\d+ "Catch refused orders": has no routes: the template models a try-catch\'s routes as the ' +
            "step's routes\\[\\{name, first_step\\}\\] \\(fixtures\\/",
        ),
      ),
      expect.stringMatching(
        /connections\[\d+\] carries route "try": the template models routes as the step's routes\[\]\.first_step/,
      ),
    ]);
    expect(
      mutate((f) => {
        const routes = stepNamed(f, 'Catch refused orders').routes as Json[];
        routes[0]!.name = 'try';
        routes[1]!.first_step = 'No such step';
      }),
    ).toEqual([
      expect.stringMatching(
        /"Catch refused orders": routes are named \["try","Catch"\] where the template has \["Try","Catch"\]/,
      ),
      expect.stringMatching(
        /"Catch refused orders": route "Catch" has first_step "No such step", which names no step of the flow/,
      ),
    ]);
  });

  it('names a step type no template shows that is not rendered HAND-BUILT', () => {
    expect(mutate((f) => delete stepNamed(f, 'Tell finance (notice)').description)).toEqual([
      expect.stringMatching(
        new RegExp(
          'step \\d+ "Tell finance \\(notice\\)": type "notify" is in no Patchworks import template \\(.*\\); ' +
            'render it HAND-BUILT: and list it in metadata\\.import_summary\\.next_steps',
        ),
      ),
    ]);
  });

  it('names a template config key of the wrong type', () => {
    expect(mutate((f) => (stepNamed(f, 'One sales order per payload').config.size = '1'))).toEqual([
      expect.stringMatching(
        /"One sales order per payload": config\.size is a string where the template's batch step has an integer/,
      ),
    ]);
  });
});
