/**
 * The built scripts as Patchworks gets them (pack-contract §1): one CommonJS file per step whose
 * module.exports is the handler, requiring nothing but Node built-ins, run on Node 20 and on a real Node 18.
 * `npm test` builds first; these tests read dist/.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStep } from '../../runtime/step.js';
import { findNode18, NODE18_PLATFORM_SUPPORTED, runBundle } from '../../patchworks/runner/run-bundle.js';
import { fixturePurchases } from '../support/purchases.js';
import { loadSteps, ROOT } from '../support/steps.js';

const steps = await loadSteps();
const node18 = findNode18(ROOT);
// Only a platform with no such binary may skip; on Linux x64 a missing Node 18 is a broken install and fails.
const node18Unavailable = 'missing' in node18 && !NODE18_PLATFORM_SUPPORTED;
if (node18Unavailable) console.warn(`SKIPPING the Node 18 artefact tests: ${node18.missing}`);

const runtimes = [
  { name: 'Node 20', binary: process.execPath, skip: false },
  { name: 'Node 18', binary: 'path' in node18 ? node18.path : '', skip: node18Unavailable },
];
const isBuiltin = (id: string) => id.startsWith('node:') || builtinModules.includes(id);

describe.each(steps.map((entry) => [entry.key, entry] as const))('dist/scripts/%s.js', (key, { step, sample }) => {
  const bundle = path.join(ROOT, 'dist', 'scripts', `${key}.js`);
  const source = readFileSync(bundle, 'utf8');

  it('requires nothing but Node built-ins and reads no environment variable', () => {
    const required = [...source.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]!);
    expect(required.filter((id) => !isBuiltin(id))).toEqual([]);
    expect(source).not.toMatch(/process\.env/);
  });

  // The sample's records after the fixture purchases, with what rides beside them when the sample has any.
  const records = [...fixturePurchases(), ...sample.records];
  const data = {
    payload: JSON.stringify(sample.beside ? { records, ...sample.beside } : records),
    variables: sample.variables,
    meta: { run: 'artefact' },
  };

  describe.each(runtimes)('on $name', ({ name, binary, skip }) => {
    it.skipIf(skip)(`exports the handler as module.exports and gives the in-process result (${name})`, async () => {
      if ('missing' in node18 && name === 'Node 18') throw new Error(node18.missing);
      const run = await runBundle(binary, bundle, data);
      expect(run.node).toMatch(name === 'Node 18' ? /^v18\./ : /^v20\./);
      expect(run.exportType).toBe('function');
      expect(run.requires.filter((id) => !isBuiltin(id))).toEqual([]);
      expect(run.error).toBeUndefined();
      expect(run.result).toEqual(runStep(step, structuredClone(data)));
    });

    it.skipIf(skip)(`throws a "${key}:" error for a payload that is not JSON (${name})`, async () => {
      const run = await runBundle(binary, bundle, { payload: 'not json' });
      expect(run.error).toMatch(new RegExp(`^${key}: the payload is not valid JSON`));
    });
  });
});
