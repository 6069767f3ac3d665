// Every fixture says where it came from, and every documented SparkLayer purchase parses with the pack's schema.
import { describe, expect, it } from 'vitest';
import { PURCHASE_TYPES, purchaseHeaderSchema } from '../../connectors/sparklayer/purchase.js';
import { loadFixtures } from '../../contracts/fixtures.js';
import { ROOT } from '../support/steps.js';

const fixtures = await loadFixtures(ROOT);

describe('fixtures', () => {
  it('exist and each carries valid provenance (loading checks it)', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  it('cite SparkLayer documentation pages when built from the docs', () => {
    for (const { file, provenance } of fixtures) {
      if (provenance.origin !== 'vendor-docs' || !file.startsWith('fixtures/sparklayer/')) continue;
      for (const source of provenance.sources) expect(source.url).toMatch(/^https:\/\/docs\.sparklayer\.io\//);
    }
  });

  it('name, when derived, fixtures that exist', () => {
    const files = new Set(fixtures.map((f) => f.file));
    for (const fixture of fixtures) {
      if (fixture.provenance.origin === 'derived')
        for (const from of fixture.provenance.from) expect(files).toContain(from);
    }
  });

  const purchaseLists = fixtures.filter(
    (f) => f.file.startsWith('fixtures/sparklayer/purchases/list.') && f.provenance.origin === 'vendor-docs',
  );

  it.each(purchaseLists.map((f) => [f.file, f] as const))('%s: a bare array of purchases that parse', (_, fixture) => {
    expect(Array.isArray(fixture.body)).toBe(true);
    for (const purchase of fixture.body as unknown[])
      expect(purchaseHeaderSchema.safeParse(purchase).error).toBeUndefined();
  });

  it('cover every SparkLayer purchase type', () => {
    const types = new Set(purchaseLists.flatMap((f) => (f.body as Array<{ type: string }>).map((p) => p.type)));
    expect([...types].sort()).toEqual([...PURCHASE_TYPES].sort());
  });
});
