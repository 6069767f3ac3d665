// Where steps live (patchworks/build/step-sources.ts), in a made-up repo: each scripts/<key>/ and each
// connectors/<backend>/map-order/ holding an index.ts, by key; a key in two folders is refused.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listStepSources } from '../../../patchworks/build/step-sources.js';
import { PACK_ROOT } from '../../../patchworks/systems/registry.js';

/** A made-up repo with these (empty) files, removed after `check`. */
function withFiles(files: string[], check: (root: string) => void): void {
  const root = mkdtempSync(path.join(tmpdir(), 'step-sources-'));
  try {
    for (const file of files) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), '');
    }
    check(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('listStepSources', () => {
  it('lists each scripts/<key>/ and connectors/<backend>/map-order/ with an index.ts, by key, and nothing else', () => {
    withFiles(
      [
        'scripts/plan-things/index.ts',
        'scripts/shared-helper.ts',
        'scripts/not-a-step/step.ts',
        'connectors/widget-store/index.ts',
        'connectors/widget-store/map-order/index.ts',
        'connectors/widget-store/dev/client.ts',
        'connectors/http/retry.ts',
        'connectors/half-done/map-order/step.ts',
      ],
      (root) =>
        expect(listStepSources(root)).toEqual([
          { key: 'map-order-to-widget-store', dir: 'connectors/widget-store/map-order' },
          { key: 'plan-things', dir: 'scripts/plan-things' },
        ]),
    );
  });

  it('refuses a step key found in two folders, naming both', () => {
    withFiles(['scripts/map-order-to-widget-store/index.ts', 'connectors/widget-store/map-order/index.ts'], (root) =>
      expect(() => listStepSources(root)).toThrow(
        'step "map-order-to-widget-store" is in two folders, scripts/map-order-to-widget-store/ and ' +
          'connectors/widget-store/map-order/: keep one',
      ),
    );
  });

  it("finds the pack's own map-order steps in their connector folders", () => {
    const mapOrder = listStepSources(PACK_ROOT).filter((source) => source.key.startsWith('map-order-to-'));
    expect(mapOrder).toEqual([
      { key: 'map-order-to-lightspeed-r', dir: 'connectors/lightspeed-r/map-order' },
      { key: 'map-order-to-lightspeed-x', dir: 'connectors/lightspeed-x/map-order' },
      { key: 'map-order-to-netsuite', dir: 'connectors/netsuite/map-order' },
    ]);
  });
});
