/**
 * Generated blocks in hand-maintained Markdown: a page under docs/ is partly written by `npm run docs` and partly by
 * people. The generator owns only what sits between a block's two markers,
 *
 *   <!-- generated: <block>, by npm run docs from <source>; do not edit -->
 *   …
 *   <!-- end generated: <block> -->
 *
 * and leaves every other line of the file as it is: that is where the hand-written prose lives. A page that does not
 * exist yet is created from its skeleton (its blocks, with a place for prose between them); a page whose markers were
 * removed is an error naming the file and the block, never a silent rewrite.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface Block {
  /** Names the block in its markers, e.g. `summary`; unique within the page. */
  name: string;
  /** What the block is generated from, shown in its start marker, e.g. `scripts/filter-live-orders/step.ts`. */
  source: string;
  /** The Markdown between the markers, without leading or trailing blank lines. */
  content: string;
}

export interface Page {
  /** Relative to the repository root, with `/` separators, e.g. `docs/steps/filter-live-orders.md`. */
  file: string;
  blocks: Block[];
  /**
   * The page as first written: its blocks in order, with the hand-written parts between them (`blocks[i]` is the
   * rendered block, markers included). Called only when the file does not exist.
   */
  skeleton: (blocks: string[]) => string;
}

export const startMarker = (block: Pick<Block, 'name' | 'source'>): string =>
  `<!-- generated: ${block.name}, by npm run docs from ${block.source}; do not edit -->`;
export const endMarker = (name: string): string => `<!-- end generated: ${name} -->`;

export function renderBlock(block: Block): string {
  return `${startMarker(block)}\n${block.content.trim()}\n${endMarker(block.name)}`;
}

/** A hand-written part the skeleton leaves for people to fill. */
export const HAND_WRITTEN_PLACEHOLDER =
  '<!-- hand-written: add prose here; npm run docs keeps everything outside the generated blocks -->';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The page with each block as generated now and everything else as it is in `current`. Throws, naming the file and
 * the block, when a block's markers are missing, doubled or out of order.
 */
export function fillBlocks(file: string, current: string, blocks: readonly Block[]): string {
  let text = current;
  let from = 0;
  for (const block of blocks) {
    const start = new RegExp(`<!-- generated: ${escape(block.name)}, [^\\n]*?-->`, 'g');
    const starts = [...text.matchAll(start)];
    const end = endMarker(block.name);
    if (starts.length !== 1 || text.indexOf(end) < 0 || text.indexOf(end) !== text.lastIndexOf(end)) {
      throw new Error(
        `${file}: the generated block "${block.name}" needs exactly one start marker ` +
          `(${startMarker(block)}) and one end marker (${end}); put them back where the block goes, or ` +
          `delete the file and run npm run docs to start it again`,
      );
    }
    const startAt = starts[0]!.index!;
    const endAt = text.indexOf(end);
    if (startAt < from || endAt < startAt)
      throw new Error(
        `${file}: the generated block "${block.name}" is out of order or its end marker comes before its start`,
      );
    const rendered = renderBlock(block);
    text = `${text.slice(0, startAt)}${rendered}${text.slice(endAt + end.length)}`;
    from = startAt + rendered.length;
  }
  return text;
}

export interface PageState {
  file: string;
  /** The file's text now; undefined when it does not exist. */
  current: string | undefined;
  /** What `npm run docs` would write. */
  generated: string;
}

export async function pageState(root: string, page: Page): Promise<PageState> {
  const full = path.join(root, page.file);
  if (!existsSync(full))
    return {
      file: page.file,
      current: undefined,
      generated: withFinalNewline(page.skeleton(page.blocks.map(renderBlock))),
    };
  const current = await readFile(full, 'utf8');
  return { file: page.file, current, generated: fillBlocks(page.file, current, page.blocks) };
}

function withFinalNewline(text: string): string {
  return `${text.replace(/\s+$/, '')}\n`;
}
