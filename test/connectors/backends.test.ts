// connectors/backends.ts, the one list of back-ends orders are booked into: each entry a registered system with its
// own map-order step, as docs/guide/adding-an-erp.md has a new back-end add them.
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../../connectors/backends.js';
import { loadSteps } from '../../patchworks/blueprint/catalog.js';
import { PACK_ROOT, PACK_SYSTEMS } from '../../patchworks/systems/registry.js';
import { mapOrderStepKey } from '../../scripts/map-order-step.js';

const steps = await loadSteps(PACK_ROOT);

describe('the back-ends list', () => {
  it.each(Object.keys(BACKENDS))('%s is a registered system (connectors/<backend>/index.ts)', (backend) => {
    expect(PACK_SYSTEMS.map((system) => system.key)).toContain(backend);
  });

  it.each(Object.keys(BACKENDS))('%s has its map-order step, scripts/map-order-to-<backend>/', (backend) => {
    expect(steps.get(mapOrderStepKey(backend))?.key).toBe(mapOrderStepKey(backend));
  });
});
