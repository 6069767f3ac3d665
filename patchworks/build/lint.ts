/**
 * `npm run lint`: the source is as Prettier formats it (.prettierrc.json, 120 columns), and no source line is over
 * 120 characters, which Prettier alone does not ensure (it never splits a string or a comment). Generated files
 * (openapi.d.ts) and lines holding a URL are exempt. Each long line is named as `file:line (length)`.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const MAX_LINE = 120;
const SOURCE = /\.(ts|cjs|mjs)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'tools', 'fixtures', '.git']);
const GENERATED = /(^|\/)openapi\.d\.ts$/;

/** Every source file under `root` that the rule covers, relative to it. */
export function sourceFiles(root: string, dir = ''): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : sourceFiles(root, file);
    return SOURCE.test(entry.name) && !GENERATED.test(file) ? [file] : [];
  });
}

/** The lines over the limit, as `file:line (length)`; a line with a URL may be longer. */
export function longLines(root: string, files: readonly string[]): string[] {
  return files.flatMap((file) =>
    readFileSync(path.join(root, file), 'utf8')
      .split('\n')
      .flatMap((line, index) =>
        line.length > MAX_LINE && !/https?:\/\//.test(line) ? [`${file}:${index + 1} (${line.length})`] : [],
      ),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.cwd();
  const long = longLines(root, sourceFiles(root));
  for (const line of long) console.error(`over ${MAX_LINE} characters: ${line}`);
  let formatted = true;
  try {
    execFileSync(path.join(root, 'node_modules', '.bin', 'prettier'), ['--check', '.'], { stdio: 'inherit' });
  } catch {
    formatted = false;
  }
  if (long.length > 0 || !formatted) {
    console.error('npm run lint: run `npm run format`, then wrap what is still too long by hand');
    process.exitCode = 1;
  } else console.log(`npm run lint: formatted, no source line over ${MAX_LINE} characters`);
}
