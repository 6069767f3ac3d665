/**
 * The fixture sandbox: vendor responses kept under fixtures/<system>/, each wrapped with where it came
 * from. A fixture is recorded from a vendor sandbox (sanitised), built from the vendor's documentation
 * (the pages are cited), or derived from another fixture with its changes listed.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';

const notes = z.array(z.string()).default([]);

export const provenanceSchema = z.discriminatedUnion('origin', [
  z.object({
    origin: z.literal('vendor-docs'),
    endpoint: z.string().min(1),
    sources: z.array(z.object({ url: z.url({ protocol: /^https$/ }), used_for: z.string().min(1) })).min(1),
    notes,
  }),
  z.object({
    origin: z.literal('recorded'),
    endpoint: z.string().min(1),
    /** `custom`: a server named by its base URL (a vendor-compatible sandbox, a proxy). */
    environment: z.enum(['test', 'live', 'custom']),
    baseUrl: z.url(),
    recordedAt: z.iso.datetime({ offset: true }),
    sanitiser: z.string().min(1),
    notes,
  }),
  z.object({
    origin: z.literal('derived'),
    endpoint: z.string().min(1),
    from: z.array(z.string().min(1)).min(1),
    changes: z.array(z.string().min(1)).min(1),
    notes,
  }),
]);

export const fixtureFileSchema = z.object({ provenance: provenanceSchema, body: z.unknown() });
export type Fixture = z.infer<typeof fixtureFileSchema> & { file: string };

export const FIXTURES_DIR = 'fixtures';

/** Every fixture file under fixtures/ (or one system's), checked for its provenance. */
export async function loadFixtures(root: string, system?: string): Promise<Fixture[]> {
  const base = path.join(root, FIXTURES_DIR, system ?? '');
  const files = (await readdir(base, { recursive: true }))
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => path.join(base, file));
  return Promise.all(files.map((file) => loadFixture(root, path.relative(root, file))));
}

export async function loadFixture(root: string, file: string): Promise<Fixture> {
  const text = await readFile(path.join(root, file), 'utf8');
  const parsed = fixtureFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`fixture ${file} has no valid provenance: ${z.prettifyError(parsed.error)}`);
  }
  return { ...parsed.data, file };
}
