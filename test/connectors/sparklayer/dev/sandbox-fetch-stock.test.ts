// POST /api/v1/batch-fetch-stock on the fake SparkLayer, through the pack's client (fetchStock) and the connection
// engine on the built definition (getBatchStock): the rules of https://docs.sparklayer.io/developers/api/stock/get-stock-levels.md (levels of the SKUs
// in `skus`, grouped by SKU; only the location with external ID `default` unless filter.all_stock_locations is true or
// filter.stock_location_ids names locations; a SKU with no level is left out). The answer's shape (an object keyed by
// SKU) is the fake's choice: the page's response schema is past its stored opening (unverified).
import { describe, expect, it } from 'vitest';
import { SparkLayerApiError } from '../../../../connectors/sparklayer/dev/errors.js';
import { SANDBOX_STOCK_LOCATIONS } from '../../../../connectors/sparklayer/dev/sandbox.js';
import { sandboxEngine } from '../../../../patchworks/runner/systems.js';
import { useSparkLayerFake } from '../../../support/sparklayer-fake.js';
import { ROOT } from '../../../support/steps.js';

const { fake, client } = useSparkLayerFake();
const DEFAULT = { id: '123e4567-e89b-12d3-a456-4266141740ff', name: 'Default', external_id: 'default' };

/** The fake with a `default` location beside its two warehouses, and levels at each. */
async function stocked(): Promise<void> {
  fake().stockLocations.push(DEFAULT);
  await client().updateStock([
    { sku: 'MUG', stock_location_external_id: 'warehouse-1', stock_level: 30 },
    { sku: 'MUG', stock_location_external_id: 'warehouse-2', stock_level: 12 },
    { sku: 'MUG', stock_location_external_id: 'default', stock_level: 7 },
    { sku: 'JUG', stock_location_external_id: 'warehouse-1', stock_level: 0 },
  ]);
}
const levels = (answer: unknown) =>
  Object.entries(answer as Record<string, Array<{ stock_location_external_id: string; stock_level: number }>>).map(
    ([sku, found]) => [sku, found.map((l) => `${l.stock_location_external_id}=${l.stock_level}`)],
  );

describe('fake SparkLayer: POST /api/v1/batch-fetch-stock', () => {
  it('answers only the `default` location without a filter, every location with all_stock_locations', async () => {
    await stocked();
    expect(levels(await client().fetchStock({ skus: ['MUG', 'JUG'] }))).toEqual([['MUG', ['default=7']]]);
    expect(
      levels(await client().fetchStock({ skus: ['MUG', 'JUG', 'NONE'], filter: { all_stock_locations: true } })),
    ).toEqual([
      ['MUG', ['warehouse-1=30', 'warehouse-2=12', 'default=7']],
      ['JUG', ['warehouse-1=0']],
    ]);
  });

  it('answers the locations stock_location_ids names, and leaves out a SKU with no level there', async () => {
    await stocked();
    const [, warehouse2] = SANDBOX_STOCK_LOCATIONS;
    const answer = await client().fetchStock({
      skus: ['MUG', 'JUG'],
      filter: { stock_location_ids: [warehouse2!.id] },
    });
    expect(levels(answer)).toEqual([['MUG', ['warehouse-2=12']]]);
    expect(fake().calls.filter((call) => call.includes('batch-fetch-stock'))).toEqual([
      'POST /api/v1/batch-fetch-stock',
    ]);
  });

  it('refuses a body without a skus array with a 400 problem', async () => {
    const error = await client()
      .fetchStock({ skus: 'MUG' as unknown as string[] })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(SparkLayerApiError);
    expect((error as SparkLayerApiError).details.status).toBe(400);
  });

  it('runs as the getBatchStock connection: the payload is the body, one answer per request', async () => {
    await stocked();
    // The engine on the built definitions, its SparkLayer instance on this test's fake.
    const engine = await sandboxEngine(ROOT, async () => undefined);
    const payload = { skus: ['JUG'], filter: { all_stock_locations: true } };
    const result = await engine.call({
      connector: 'sparklayer',
      operationId: 'getBatchStock',
      variables: {},
      body: JSON.stringify(payload),
      retries: 0,
      allowUnsuccessfulStatuses: false,
      timeoutSeconds: 30,
    });
    expect(result.direction).toBe('Receive');
    expect(result.pages.map((page) => levels(JSON.parse(page)))).toEqual([[['JUG', ['warehouse-1=0']]]]);
    expect(fake().calls.filter((call) => call.includes('batch-fetch-stock'))).toEqual([
      'POST /api/v1/batch-fetch-stock',
    ]);
    expect(result.line).toBe('POST /api/v1/batch-fetch-stock');
  });
});
