/**
 * The pack's own gate, in the spirit of `zapier validate`: every step is complete and consistent, its sample
 * holds, and the README documents exactly what the code does.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSettings } from '../runtime/settings.js';
import { exceptionTable, readmeWithExceptionTable } from '../patchworks/build/exception-docs.js';
import { OWNERS, RUNTIME_EXCEPTION_CODES, type ExceptionCode } from '../runtime/step.js';
import { changesWhatItParses } from './support/schema-checks-only.js';
import { loadSteps, ROOT } from './support/steps.js';
import { run } from './support/run.js';

const steps = await loadSteps();
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

describe('the pack', () => {
  it('has at least one step', () => {
    expect(steps.map((s) => s.key)).toContain('filter-live-orders');
  });

  // A step whose rule gets the records as they came (record.checkOnly) must have a schema that only checks.
  describe.each(steps.filter(({ step }) => step.record.checkOnly))('$key', ({ step, sample }) => {
    it('has a record schema that only checks: nothing in it transforms or defaults, and each valid sample record parses to itself', () => {
      expect(changesWhatItParses(step.record.schema)).toEqual([]);
      const valid = sample.records.filter((record) => step.record.schema.safeParse(record).success);
      expect(valid.length).toBeGreaterThan(0);
      for (const record of valid) expect(step.record.schema.parse(record)).toStrictEqual(record);
    });
  });

  describe.each(steps)('$key', ({ key, step, sample }) => {
    it('is declared under its own folder name, with a purpose and UPPER_SNAKE_CASE exception codes', () => {
      expect(step.key).toBe(key);
      expect(step.purpose.length).toBeGreaterThan(20);
      for (const code of Object.keys(step.exceptionCodes)) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
    });

    it('describes every setting', () => {
      for (const setting of describeSettings(step.settings)) expect(setting.description, setting.key).not.toBe('');
    });

    it('produces what its sample says', () => {
      const payload = sample.beside ? { [step.recordsField ?? 'records']: sample.records, ...sample.beside } : sample.records;
      const { envelope } = run(step, payload, { variables: sample.variables });
      const idOf = (record: unknown) => step.record.id(record);
      expect(envelope.summary[key]!.records).toBe(sample.expected.passed.length);
      // Where the records that continue are the inputs themselves, their ids must match too (a step that
      // writes a back-end's bodies or SparkLayer customers leaves other ids, or none).
      const sameRecords = envelope.records.length === sample.expected.passed.length && envelope.records.every((r) => idOf(r) !== null);
      if (sameRecords && step.recordsField === undefined) expect(envelope.records.map(idOf)).toEqual(sample.expected.passed);
      expect(envelope.skipped.map(({ id, reason }) => ({ id, reason }))).toEqual(sample.expected.skipped);
      expect(envelope.exceptions.map(({ id, code }) => ({ id, code }))).toEqual(sample.expected.exceptions);
    });

    it('is documented in the README: the step, each setting with its default, each exception code', () => {
      expect(readme).toContain(`\`${key}\``);
      for (const setting of describeSettings(step.settings)) {
        expect(readme).toMatch(new RegExp(`\\| \`${setting.key}\` \\| ${setting.default ? `\`${setting.default}\`` : '\\(empty\\)'} \\|`));
      }
      for (const code of Object.keys(step.exceptionCodes)) expect(readme).toMatch(new RegExp(`\\| \`${code}\` \\|`));
    });
  });

  it('documents the runtime exception codes in the README', () => {
    for (const code of Object.keys(RUNTIME_EXCEPTION_CODES)) expect(readme).toMatch(new RegExp(`\\| \`${code}\` \\|`));
  });

  it('gives every exception code an owner and an action, one owner per code whichever step raises it', () => {
    const owners = new Map<string, string>();
    for (const [code, declaration] of [...Object.entries(RUNTIME_EXCEPTION_CODES), ...steps.flatMap(({ step }) => Object.entries(step.exceptionCodes as Record<string, ExceptionCode>))]) {
      expect(OWNERS, code).toContain(declaration.owner);
      expect(declaration.action.trim().length, code).toBeGreaterThan(20);
      expect(owners.get(code) ?? declaration.owner, code).toBe(declaration.owner);
      owners.set(code, declaration.owner);
    }
  });

  it("keeps the README's exception table as the declarations generate it (npm run docs)", async () => {
    const { current, generated } = await readmeWithExceptionTable(ROOT);
    expect(current, 'README.md is stale: run npm run docs').toBe(generated);
    const table = await exceptionTable(ROOT);
    expect(table).toContain('| `UNMAPPED_ACCOUNT` | finance | `resolve-erp-account` |');
    expect(table).toContain('| `INVALID_RECORD` | integration | any step |');
  });
});
