/**
 * De-dupe data pools (reference/patchworks.md §3.1): the key values a de-dupe shape has tracked, one set per pool.
 * Saved as Patchworks imports and exports a pool, CSV with the header `value,entity_type_id`, so a local pool can be
 * loaded into a client's company and back.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The entity type the pack's pools hold; Patchworks asks for one on import. */
export const POOL_ENTITY_TYPE_ID = '1';
const HEADER = 'value,entity_type_id';

export class DataPools {
  private readonly pools = new Map<string, Set<string>>();

  has(pool: string, value: string): boolean {
    return this.pools.get(pool)?.has(value) ?? false;
  }

  track(pool: string, value: string): void {
    let values = this.pools.get(pool);
    if (!values) this.pools.set(pool, (values = new Set()));
    values.add(value);
  }

  /** Empties a pool, as Patchworks' 90-day expiry or a consultant's clear-out would. */
  forget(pool: string): void {
    this.pools.delete(pool);
  }

  values(pool: string): string[] {
    return [...(this.pools.get(pool) ?? [])];
  }

  names(): string[] {
    return [...this.pools.keys()].sort();
  }

  /** One CSV per pool, `<pool>.csv`, in `dir`. */
  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    for (const name of this.names()) {
      const rows = this.values(name).map((value) => `${csvField(value)},${POOL_ENTITY_TYPE_ID}`);
      await writeFile(path.join(dir, `${name}.csv`), [HEADER, ...rows].join('\r\n') + '\r\n');
    }
  }

  static async load(dir: string): Promise<DataPools> {
    const pools = new DataPools();
    if (!existsSync(dir)) return pools;
    for (const file of (await readdir(dir)).filter((name) => name.endsWith('.csv'))) {
      const lines = (await readFile(path.join(dir, file), 'utf8')).split(/\r?\n/).filter((line) => line !== '');
      if (lines[0] !== HEADER)
        throw new Error(
          `data pool ${path.join(dir, file)}: the first line must be "${HEADER}", ` +
            `found ${JSON.stringify(lines[0] ?? '')}`,
        );
      for (const line of lines.slice(1)) pools.track(file.slice(0, -'.csv'.length), readCsvValue(line));
    }
    return pools;
  }
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The first field of a `value,entity_type_id` row. */
function readCsvValue(line: string): string {
  if (!line.startsWith('"')) return line.slice(0, line.lastIndexOf(','));
  const end = line.lastIndexOf('",');
  return line.slice(1, end).replaceAll('""', '"');
}
