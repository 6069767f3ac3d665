/**
 * Relative links in the pack's Markdown: each must point to a file in the repository, and a `#fragment` to a heading
 * of the page it names (GitHub's anchors). Links to the web (`https:`, `mailto:`) are not followed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface BrokenLink {
  file: string;
  line: number;
  target: string;
  problem: string;
}

/** The text with fenced code blocks and inline code blanked out (kept as spaces, so line numbers stay). */
function withoutCode(text: string): string {
  return text
    .replace(/^[ \t]*(```|~~~)[^\n]*\n[\s\S]*?^[ \t]*\1[ \t]*$/gm, (block) => block.replace(/[^\n]/g, ' '))
    .replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, (span) => span.replace(/[^\n]/g, ' '));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped (hyphens and underscores kept), spaces as hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every heading anchor of a Markdown page, repeats numbered as GitHub numbers them (`-1`, `-2`). */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  const prose = text.replace(/^[ \t]*(```|~~~)[^\n]*\n[\s\S]*?^[ \t]*\1[ \t]*$/gm, '');
  for (const match of prose.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = headingAnchor(match[1]!);
    const seen = counts.get(base) ?? 0;
    anchors.add(seen === 0 ? base : `${base}-${seen}`);
    counts.set(base, seen + 1);
  }
  return anchors;
}

/** The links of one page that do not resolve; `file` is relative to root. */
export function brokenLinks(root: string, file: string): BrokenLink[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const prose = withoutCode(text);
  const broken: BrokenLink[] = [];
  for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const target = match[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const line = prose.slice(0, match.index).split('\n').length;
    const [pathPart, fragment] = target.split('#', 2) as [string, string | undefined];
    const resolved =
      pathPart === '' ? path.join(root, file) : path.resolve(path.dirname(path.join(root, file)), decodeURI(pathPart));
    const inside = path.relative(root, resolved);
    if (inside.startsWith('..') || path.isAbsolute(inside)) {
      broken.push({ file, line, target, problem: 'points outside the repository' });
      continue;
    }
    if (!existsSync(resolved)) {
      broken.push({ file, line, target, problem: `no such file: ${inside.split(path.sep).join('/')}` });
      continue;
    }
    if (fragment !== undefined && fragment !== '' && statSync(resolved).isFile() && resolved.endsWith('.md')) {
      if (!anchorsOf(readFileSync(resolved, 'utf8')).has(fragment.toLowerCase()))
        broken.push({ file, line, target, problem: `no heading #${fragment} in ${inside.split(path.sep).join('/')}` });
    }
  }
  return broken;
}
