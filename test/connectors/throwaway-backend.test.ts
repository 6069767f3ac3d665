// A back-end added as docs/guide/adding-an-erp.md says, by its own folder and its entry in connectors/backends.ts
// alone: its booking (as connectors/<backend>/booking.ts would declare it) in the list, and the generic order steps and
// the spine take it; its map-order step (connectors/<backend>/map-order/, written to a temporary root) found, loaded
// and bundled by the tools. The list is the one file edited here; nothing else names the back-end.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Booking } from '../../model/booking.js';
import { loadSteps } from '../../patchworks/blueprint/catalog.js';
import { bundleScripts } from '../../patchworks/build/bundle-scripts.js';
import { listStepSources, mapOrderDir } from '../../patchworks/build/step-sources.js';
import { run } from '../support/run.js';

vi.mock('../../connectors/backends.js', async (importOriginal) => {
  const listed = await importOriginal<typeof import('../../connectors/backends.js')>();
  // A create-only back-end whose body names its purchase in `ref`, and whose look-up answers `{count}` or `{ref}`.
  const throwaway: Booking = {
    purchaseOf: (body) => (body as { ref?: string }).ref,
    lookUp: {
      answer: 'GET /orders?ref=',
      fields: {},
      key: (body) => (body as { ref?: string }).ref,
      unidentifiable: 'the order names no ref',
      read: (key, found) => {
        const answer = found as { count?: number; ref?: string };
        if (answer.ref === key) return { booked: `order ${key}` };
        return answer.count === 0 ? { none: true } : { unreadable: 'not an answer' };
      },
    },
  };
  return { ...listed, BACKENDS: { ...listed.BACKENDS, throwaway } };
});

const { step: keepOrderQueue } = await import('../../scripts/keep-order-queue/step.js');
const { step: skipBookedSales } = await import('../../scripts/skip-booked-sales/step.js');
const { orderFlowBlueprint } = await import('../../patchworks/blueprint/order-flow.js');

const T0 = '2026-11-22T09:00:00.000Z';
const purchase = (id: string) => ({ type: 'order', purchase_identifiers: { sparklayer: id, visible: `B2B-${id}` } });
const variables = { system: 'throwaway' };

describe('a throw-away back-end, by its booking and its list entry alone', () => {
  it('keep-order-queue reads which purchase its bodies are for: the one booked passes, the other waits', () => {
    const { envelope } = run(
      keepOrderQueue,
      {
        considered: [purchase('p-1'), purchase('p-2')],
        queue: null,
        mapped: [
          {
            bodies: [{ ref: 'p-1' }],
            exceptions: [{ id: 'p-2', code: 'UNMAPPED_ACCOUNT', message: 'no account', record: purchase('p-2') }],
          },
        ],
      },
      { variables: { ...variables, as_of: T0 } },
    );
    expect(envelope.records).toEqual([purchase('p-1')]);
    const { queue } = envelope as unknown as { queue: { entries: Array<{ key: string }> } };
    expect(queue.entries.map((entry) => entry.key)).toEqual(['p-2']);
  });

  it('skip-booked-sales reads its look-up: skips the order found, passes one not there, refuses the unreadable', () => {
    const order = { ref: 'p-1' };
    const decide = (found: unknown) => run(skipBookedSales, { records: [order], found }, { variables }).envelope;
    expect(decide({ ref: 'p-1' }).skipped.map((skipped) => skipped.reason)).toEqual(['already_booked:order p-1']);
    expect(decide({ count: 0 }).records).toEqual([order]);
    expect(decide('<html>').exceptions.map((exception) => exception.code)).toEqual(['LOOK_UP_UNREADABLE']);
    const nameless = run(skipBookedSales, { records: [{}], found: { count: 0 } }, { variables }).envelope;
    expect(nameless.exceptions.map((exception) => exception.message)).toEqual(['the order names no ref']);
  });

  it('the spine builds its flow, telling both steps which back-end it is', () => {
    const write = { type: 'connection', name: 'Create order', connector: 'throwaway', endpoint: 'create', retries: 0 };
    const blueprint = orderFlowBlueprint({
      key: 'sparklayer-orders-to-throwaway',
      title: 'SparkLayer orders to a throw-away back-end',
      purpose: 'Proves a back-end added by the guide alone.',
      system: 'throwaway' as never,
      pool: 'sparklayer-orders-throwaway',
      accountMapHolds: 'the throw-away customer id',
      variables: {},
      lookups: {},
      resolveName: 'Find the customer',
      map: { name: 'Build orders', step: 'map-order-to-throwaway', variables: {} },
      book: {
        splitName: 'One order per payload',
        write: write as never,
        lookUp: {
          key: '[[payload.ref]]',
          find: { ...write, name: 'Find the order', endpoint: 'find' } as never,
          noSuchSale: 'empty list',
        },
      },
    });
    const scripts = JSON.stringify(blueprint.shapes);
    expect(scripts).toContain('"step":"skip-booked-sales","variables":{"system":"throwaway"}');
    expect(scripts).toContain('"step":"keep-order-queue","variables":{"system":"throwaway"');
  });
});

describe("a throw-away back-end's map-order step, by its folder alone", () => {
  const ROOT = process.cwd();
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'throwaway-backend-'));
    await writeFile(path.join(root, 'package.json'), '{ "type": "module" }\n');
    const dir = path.join(root, mapOrderDir('throwaway'));
    await mkdir(dir, { recursive: true });
    // As the guide has it: the shared map-order step handed the back-end's mapper (inline here), and the bundle entry.
    // Absolute imports of the pack's files, which both the tests and esbuild resolve from a temporary folder.
    await writeFile(
      path.join(dir, 'step.ts'),
      `import { defineMapOrderStep } from ${JSON.stringify(path.join(ROOT, 'scripts', 'map-order-step.ts'))};\n` +
        'export const step = defineMapOrderStep({ backend: "throwaway", exceptionCodes: {}, po: { field: "ref" }, ' +
        'settings: {}, map: (order) => ({ ok: true, body: { ref: order.id, customer: order.account } }) });\n',
    );
    await writeFile(
      path.join(dir, 'index.ts'),
      `import { toPatchworksHandler } from ${JSON.stringify(path.join(ROOT, 'runtime', 'step.ts'))};\n` +
        "import { step } from './step.ts';\nexport default toPatchworksHandler(step);\n",
    );
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('is step map-order-to-throwaway: listed, loaded with its own key, and bundled under that name', async () => {
    const key = 'map-order-to-throwaway';
    expect(listStepSources(root)).toEqual([{ key, dir: 'connectors/throwaway/map-order' }]);
    const steps = await loadSteps(root);
    expect([...steps.keys()]).toEqual([key]);
    expect(steps.get(key)?.key).toBe(key);
    const bundles = await bundleScripts(root);
    expect(bundles.map((bundle) => path.relative(root, bundle.file).split(path.sep).join('/'))).toEqual([
      `dist/scripts/${key}.js`,
    ]);
  });
});
