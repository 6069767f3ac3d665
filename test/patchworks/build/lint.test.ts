// `npm run lint`'s line rule (patchworks/build/lint.ts), on made-up files and on the pack itself.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { longLines, MAX_LINE, sourceFiles } from '../../../patchworks/build/lint.js';
import { ROOT } from '../../support/steps.js';

describe('the line rule', () => {
  it('names each source line over 120 characters; spares URLs, generated types and what is not source', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'lint-'));
    try {
      await mkdir(path.join(root, 'connectors', 'x'), { recursive: true });
      const long = `const text = '${'a'.repeat(MAX_LINE)}';`;
      await writeFile(
        path.join(root, 'connectors', 'x', 'a.ts'),
        `ok\n${long}\n// https://example.com/${'b'.repeat(MAX_LINE)}\n`,
      );
      await writeFile(path.join(root, 'connectors', 'x', 'openapi.d.ts'), `${long}\n`);
      await writeFile(path.join(root, 'connectors', 'x', 'notes.md'), `${long}\n`);
      await mkdir(path.join(root, 'node_modules', 'y'), { recursive: true });
      await writeFile(path.join(root, 'node_modules', 'y', 'index.ts'), `${long}\n`);
      const files = sourceFiles(root);
      expect(files).toEqual([path.join('connectors', 'x', 'a.ts')]);
      expect(longLines(root, files)).toEqual([`${path.join('connectors', 'x', 'a.ts')}:2 (${long.length})`]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('holds for the pack: no source line over 120 characters', () => {
    expect(longLines(ROOT, sourceFiles(ROOT))).toEqual([]);
  });
});
