// Step settings promoted to flow variables: named once, described and defaulted by the step, another default with
// its reason; and the reason shown where a consultant reads the flow.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineBlueprint, flowVariableText } from '../../../patchworks/blueprint/blueprint.js';
import { promoted } from '../../../patchworks/blueprint/promoted.js';
import { choiceSetting, countSetting, textSetting } from '../../../runtime/settings.js';
import { ROOT } from '../../support/flow-harness.js';

const step = {
  key: 'some-step',
  settings: {
    buffer: countSetting({ description: 'Units held back. 0: none.', default: 0 }),
    mode: choiceSetting({ description: '`a` or `b`.', default: 'a', choices: ['a', 'b'] }),
    shop: textSetting({ description: 'The shop.', required: true }),
  },
};

describe('promoted', () => {
  it("gives each setting's flow variable the step's description and default, and the shape's placeholders", () => {
    const { variables, placeholders } = promoted(step, ['buffer', 'shop']);
    expect(variables).toEqual({
      buffer: { description: 'some-step buffer: Units held back. 0: none.', default: '0' },
      // Required by the step: no default, so the client must set it.
      shop: { description: 'some-step shop: The shop.' },
    });
    expect(placeholders).toEqual({ buffer: '{{flow.variables.buffer}}', shop: '{{flow.variables.shop}}' });
  });

  it('keeps another default only with its reason, which the rendered description carries', () => {
    const { variables } = promoted(step, ['mode'], {
      overrides: { mode: { default: 'b', why: 'This back-end wants b.' } },
    });
    expect(variables.mode).toEqual({
      description: 'some-step mode: `a` or `b`.',
      default: 'b',
      why: 'This back-end wants b.',
    });
    const blueprint = defineBlueprint({
      key: 'a-flow',
      title: 'A flow',
      purpose: 'Tests.',
      variables: variables,
      shapes: [
        { type: 'trigger', name: 'Schedule', schedule: '* * * * *' },
        { type: 'script', name: 'Run', step: 'some-step', variables: { mode: '{{flow.variables.mode}}' } },
      ],
    });
    expect(flowVariableText(blueprint.variables.mode!)).toBe(
      'some-step mode: `a` or `b`. Default b here: This back-end wants b.',
    );
  });

  it("refuses a setting the step lacks, an override that is the step's own default, or one not promoted", () => {
    expect(() => promoted(step, ['nope' as 'buffer'])).toThrow('some-step has no setting nope');
    expect(() => promoted(step, ['mode'], { overrides: { mode: { default: 'a', why: 'x' } } })).toThrow(
      "the flow's default a is the step's own",
    );
    // The types refuse it too.
    // @ts-expect-error mode is not promoted
    expect(() => promoted(step, ['buffer'], { overrides: { mode: { default: 'b', why: 'x' } } })).toThrow(
      'overridden but not promoted',
    );
  });

  it("shows a flow's reason for its default on the blueprint page", async () => {
    const page = await readFile(path.join(ROOT, 'docs', 'blueprints', 'netsuite-stock-to-sparklayer.md'), 'utf8');
    const row = page.split('\n').find((line) => line.startsWith('| `subtract_open_orders` |'));
    expect(row).toContain('map-stock-to-sparklayer subtract_open_orders: ');
    expect(row).toContain('**Why yes here:** NetSuite');
  });
});
