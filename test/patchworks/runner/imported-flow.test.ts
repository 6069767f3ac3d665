// The runner runs what is imported: each flow rendered for the client reads back into its blueprint's shapes, a
// malformed rendered flow fails naming the step, and a change to the rendered flow changes the flow test's run.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Blueprint, Shape } from '../../../patchworks/blueprint/blueprint.js';
import { loadBlueprints } from '../../../patchworks/blueprint/catalog.js';
import {
  fillForClient,
  loadClientConfig,
  type ClientConfig,
  type ResolvedFlow,
} from '../../../patchworks/blueprint/client-config.js';
import { loadRenderContext, renderClientFlow, type RenderContext } from '../../../patchworks/build/render-client.js';
import { readImportedFlow } from '../../../patchworks/runner/imported-flow.js';
import { EXAMPLE_CLIENT, ROOT, sandboxFlows, shapeRun } from '../../support/flow-harness.js';

let blueprints: Blueprint[];
let client: ClientConfig;
let context: RenderContext;
beforeAll(async () => {
  blueprints = await loadBlueprints(ROOT);
  client = await loadClientConfig(EXAMPLE_CLIENT);
  context = await loadRenderContext(ROOT);
});

const blueprintOf = (key: string) => blueprints.find((b) => b.key === key)!;
const render = (key: string) => renderClientFlow(blueprintOf(key), client, context, new Date(0).toISOString());
const readBack = (rendered: unknown, key = 'netsuite-stock-to-sparklayer') =>
  readImportedFlow(rendered, { key, source: `test ${key}` }, context.connectors);

/** The shapes as rendering fills them for the client: script settings and manual payloads. */
function filledForClient(shapes: readonly Shape[], resolved: ResolvedFlow): Shape[] {
  return shapes.map((shape): Shape => {
    switch (shape.type) {
      case 'script':
        return {
          ...shape,
          variables: Object.fromEntries(
            Object.entries(shape.variables).map(([key, text]) => [key, fillForClient(text, resolved)]),
          ),
        };
      case 'manual-payload':
        return { ...shape, payload: fillForClient(shape.payload, resolved) };
      case 'branch':
        return {
          ...shape,
          branches: shape.branches.map((b) => ({ name: b.name, shapes: filledForClient(b.shapes, resolved) })),
        };
      case 'try-catch':
        return { ...shape, try: filledForClient(shape.try, resolved), catch: filledForClient(shape.catch, resolved) };
      default:
        return shape;
    }
  });
}

type Link = { source_step_id: number; target_step_id: number };

/** A rendered flow's steps, for a test to break one. */
function stepsOf(rendered: Record<string, unknown>): Array<Record<string, unknown> & { id: number; name: string }> {
  return (rendered as { flow: { versions: Array<{ steps: never[] }> } }).flow.versions[0]!.steps;
}

describe('reading a rendered flow back', () => {
  it("gives every flow of the example client its blueprint's shapes, filled for the client, and its variables", () => {
    const keys = Object.keys(client.flows);
    expect(keys.length).toBeGreaterThan(5);
    for (const key of keys) {
      const blueprint = blueprintOf(key);
      const { flow, resolved } = render(key);
      const imported = readBack(flow, key);
      expect(imported.key).toBe(key);
      expect(imported.title).toBe(blueprint.title);
      expect(imported.purpose).toBe(blueprint.purpose);
      expect(imported.variables, key).toEqual(resolved.variables);
      expect(imported.shapes, key).toEqual(filledForClient(blueprint.shapes, resolved));
    }
  });

  it('fails on a connection to a step the flow does not have, naming the step it leaves', () => {
    const { flow } = render('netsuite-stock-to-sparklayer');
    const { connections } = (flow as { flow: { versions: Array<{ connections: Link[] }> } }).flow.versions[0]!;
    connections.find((link) => link.source_step_id === 4)!.target_step_id = 999;
    expect(() => readBack(flow)).toThrow(
      'test netsuite-stock-to-sparklayer: ' +
        'a connection from step 4 "Read NetSuite stock" goes to step 999, which the flow does not have',
    );
  });

  it("fails on an endpoint name the step's connector does not have", () => {
    const { flow } = render('netsuite-stock-to-sparklayer');
    (stepsOf(flow).find((s) => s.id === 4)!.endpoint as { name: string }).name = 'Run a SuiteQL quer';
    expect(() => readBack(flow)).toThrow(
      'step 4 "Read NetSuite stock": the netsuite connector has no endpoint named "Run a SuiteQL quer"',
    );
  });

  it('fails on a step type the renderer does not write, naming the step', () => {
    const { flow } = render('netsuite-stock-to-sparklayer');
    stepsOf(flow).find((s) => s.id === 5)!.type = 'split';
    expect(() => readBack(flow)).toThrow(/step 5 "Keep the stock read": .*type/s);
  });

  it('fails on a script step whose bundle the flow does not pin', () => {
    const { flow } = render('netsuite-stock-to-sparklayer');
    (flow as { scripts: unknown[] }).scripts = [];
    expect(() => readBack(flow)).toThrow(/step \d+ "[^"]+" runs script "[a-z-]+", which the flow pins no bundle for/);
  });
});

describe('a flow test runs the rendered flow', () => {
  it('fails where one placeholder of the rendered flow is changed, and passes unchanged', async () => {
    const flows = await sandboxFlows();
    const unchanged = await flows.run('netsuite-stock-to-sparklayer');
    expect(unchanged.status).toBe('success');
    const changed = await flows.run('netsuite-stock-to-sparklayer', {
      editImported: (rendered) => {
        const read = stepsOf(rendered).find((s) => s.name === 'Read NetSuite stock')!;
        (read.config as { variables: Record<string, string> }).variables.limit = '{{flow.variables.page_sise}}';
        return rendered;
      },
    });
    expect(changed.status).toBe('failure');
    expect(changed.error).toBe('Read NetSuite stock: flow variable "page_sise" is not set');
    expect(shapeRun(changed, 'Read NetSuite stock').failed).toBe(1);
  });
});
