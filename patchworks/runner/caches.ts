/**
 * Patchworks caches that outlive a run (reference/patchworks.md §3.1: add to cache / load from cache, scope flow or
 * company; best effort, up to 7 days): what an order flow keeps between runs, its queue and watermark among them.
 * Flow-run caches live in the run itself (flow-runner.ts). Saved as one JSON file beside the data pools, so
 * `npm run flow -- --keep-pools` carries a flow's state from one run to the next.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type KeptScope = 'flow' | 'company';
const FILE = 'caches.json';

export class KeptCaches {
  /** scope → owner (the flow key, or `company`) → cache → key → payloads. */
  private readonly kept: Record<string, Record<string, Record<string, string[]>>> = {};

  read(scope: KeptScope, flow: string, cache: string, key: string): string[] {
    return this.kept[ownerOf(scope, flow)]?.[cache]?.[key] ?? [];
  }

  write(scope: KeptScope, flow: string, cache: string, key: string, body: string, append: boolean): void {
    const caches = (this.kept[ownerOf(scope, flow)] ??= {});
    const keys = (caches[cache] ??= {});
    keys[key] = append ? [...(keys[key] ?? []), body] : [body];
  }

  /** Empties every cache, as Patchworks may at any time (best effort, at most 7 days). */
  forget(): void {
    for (const owner of Object.keys(this.kept)) delete this.kept[owner];
  }

  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, FILE), `${JSON.stringify(this.kept, null, 2)}\n`);
  }

  static async load(dir: string): Promise<KeptCaches> {
    const caches = new KeptCaches();
    const file = path.join(dir, FILE);
    if (!existsSync(file)) return caches;
    const json: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (json === null || typeof json !== 'object' || Array.isArray(json))
      throw new Error(`${file}: expected an object of caches, as the runner saves them`);
    Object.assign(caches.kept, json);
    return caches;
  }
}

function ownerOf(scope: KeptScope, flow: string): string {
  return scope === 'company' ? 'company' : `flow:${flow}`;
}
