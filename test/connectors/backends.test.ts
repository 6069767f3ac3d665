// connectors/backends.ts, the one list of back-ends orders are booked into: each entry a registered system with its
// own map-order step (connectors/<backend>/map-order/), and each connector folder with a map-order step an entry, as
// docs/guide/adding-an-erp.md has a new back-end add them.
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../../connectors/backends.js';
import { loadSteps } from '../../patchworks/blueprint/catalog.js';
import { listStepSources, mapOrderDir } from '../../patchworks/build/step-sources.js';
import { PACK_ROOT, PACK_SYSTEMS } from '../../patchworks/systems/registry.js';
import { mapOrderStepKey } from '../../scripts/map-order-step.js';

const steps = await loadSteps(PACK_ROOT);
const sources = listStepSources(PACK_ROOT);
/** The connector folders holding a map-order step (connectors/<backend>/map-order/), by name. */
const withMapOrder = sources.flatMap(({ dir }) => {
  const folder = dir.split('/')[1] ?? '';
  return dir === mapOrderDir(folder) ? [folder] : [];
});

describe('the back-ends list', () => {
  it.each(Object.keys(BACKENDS))('%s is a registered system (connectors/<backend>/index.ts)', (backend) => {
    expect(PACK_SYSTEMS.map((system) => system.key)).toContain(backend);
  });

  it.each(Object.keys(BACKENDS))('%s has its map-order step, connectors/<backend>/map-order/', (backend) => {
    expect(sources).toContainEqual({ key: mapOrderStepKey(backend), dir: mapOrderDir(backend) });
    expect(steps.get(mapOrderStepKey(backend))?.key).toBe(mapOrderStepKey(backend));
  });

  it.each(withMapOrder)('connectors/%s/map-order/ is a listed back-end (connectors/backends.ts)', (backend) => {
    expect(Object.keys(BACKENDS)).toContain(backend);
  });
});
