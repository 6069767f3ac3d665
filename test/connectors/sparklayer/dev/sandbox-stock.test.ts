// POST /api/v1/batch-update-stock on the fake SparkLayer, through the pack's client (updateStock): the rules of
// https://docs.sparklayer.io/developers/api/stock/update-stock-levels.md (each pair sent is overwritten, pairs left out
// are unchanged, a missing stock_location_external_id or a repeated SKU and location is a 400 for the whole request),
// the fake's own checks of each row, and the rows map-stock-to-sparklayer writes.
import { describe, expect, it } from 'vitest';
import { SparkLayerApiError } from '../../../../connectors/sparklayer/dev/errors.js';
import {
  SANDBOX_BASE_URL,
  SANDBOX_CREDENTIALS,
  SANDBOX_STOCK_LOCATIONS,
} from '../../../../connectors/sparklayer/dev/sandbox.js';
import { step } from '../../../../scripts/map-stock-to-sparklayer/step.js';
import { sample } from '../../../../scripts/map-stock-to-sparklayer/sample.js';
import { sandboxEngine } from '../../../../patchworks/runner/systems.js';
import { fakeToken, useSparkLayerFake } from '../../../support/sparklayer-fake.js';
import { run } from '../../../support/run.js';
import { ROOT } from '../../../support/steps.js';

const [WAREHOUSE_1, WAREHOUSE_2] = SANDBOX_STOCK_LOCATIONS as [
  (typeof SANDBOX_STOCK_LOCATIONS)[number],
  (typeof SANDBOX_STOCK_LOCATIONS)[number],
];

const { fake, client } = useSparkLayerFake();

/** The stored levels as `SKU@external id=level`, sorted. */
const stored = () =>
  [...fake().stockLevels.values()].map((l) => `${l.sku}@${l.stock_location_external_id}=${l.stock_level}`).sort();

/** The 400 the client throws for these rows, as status, detail and the errors' properties. */
async function refused(rows: unknown[]): Promise<{ status?: number; detail?: string; properties: string[] }> {
  const error = await client()
    .updateStock(rows)
    .then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
  expect(error).toBeInstanceOf(SparkLayerApiError);
  const { details } = error as SparkLayerApiError;
  return { status: details.status, detail: details.detail, properties: details.fieldErrors.map((f) => f.property!) };
}

describe('the fake SparkLayer: POST /api/v1/batch-update-stock', () => {
  it('stores each row by SKU and location (external id or SparkLayer id), answering 200 with them', async () => {
    const answer = await client().updateStock([
      { sku: 'MUG', stock_location_external_id: 'warehouse-1', stock_level: 9, restock_date: '2020-01-01' },
      { sku: 'MUG', stock_location_id: WAREHOUSE_2.id, stock_level: 4, min_stock_level: -9 },
    ]);
    expect(stored()).toEqual(['MUG@warehouse-1=9', 'MUG@warehouse-2=4']);
    expect(fake().stockLevel('MUG', 'warehouse-1')).toMatchObject({
      stock_location_id: WAREHOUSE_1.id,
      restock_date: '2020-01-01',
    });
    expect(fake().stockLevel('MUG', WAREHOUSE_2.id)).toMatchObject({ stock_level: 4, min_stock_level: -9 });
    expect(answer).toHaveLength(2);
    expect(fake().calls.filter((call) => call.startsWith('POST /api/v1/batch-update-stock'))).toHaveLength(1);
  });

  it('overwrites the values of each pair sent and leaves pairs not sent unchanged', async () => {
    await client().updateStock([
      { sku: 'MUG', stock_location_external_id: 'warehouse-1', stock_level: 9, restock_date: '2020-01-01' },
      { sku: 'MUG', stock_location_external_id: 'warehouse-2', stock_level: 4 },
      { sku: 'BOWL', stock_location_external_id: 'warehouse-1', stock_level: 7 },
    ]);
    await client().updateStock([{ sku: 'MUG', stock_location_id: WAREHOUSE_1.id, stock_level: 0 }]);
    expect(stored()).toEqual(['BOWL@warehouse-1=7', 'MUG@warehouse-1=0', 'MUG@warehouse-2=4']);
    // Overwritten, not merged: the restock date sent before is gone with the old values.
    expect(fake().stockLevel('MUG', 'warehouse-1')).not.toHaveProperty('restock_date');
  });

  it('accepts an empty array and stores nothing', async () => {
    await expect(client().updateStock([])).resolves.toEqual([]);
    expect(fake().stockLevels.size).toBe(0);
  });

  const good = { sku: 'MUG', stock_location_external_id: 'warehouse-1', stock_level: 3 };
  const BAD_REQUESTS: Array<[string, unknown[], RegExp, string]> = [
    [
      'a stock_location_external_id that does not exist',
      [good, { sku: 'BOWL', stock_location_external_id: 'WH-NORTH', stock_level: 1 }],
      /external ID WH-NORTH does not exist/,
      '[1].stock_location_external_id',
    ],
    [
      'a stock_location_id that does not exist',
      [{ sku: 'BOWL', stock_location_id: 'no-such-id', stock_level: 1 }],
      /ID no-such-id does not exist/,
      '[0].stock_location_id',
    ],
    [
      'both location fields',
      [{ sku: 'BOWL', stock_location_id: WAREHOUSE_1.id, stock_location_external_id: 'warehouse-1', stock_level: 1 }],
      /not both and not neither/,
      '[0]',
    ],
    ['neither location field', [{ sku: 'BOWL', stock_level: 1 }], /not both and not neither/, '[0]'],
    [
      'the same SKU and location twice, by the same field',
      [good, { ...good, stock_level: 4 }],
      /SKU MUG at stock location warehouse-1 appears more than once/,
      '[1]',
    ],
    [
      'the same SKU and location twice, once by id and once by external id',
      [good, { sku: 'MUG', stock_location_id: WAREHOUSE_1.id, stock_level: 4 }],
      /appears more than once/,
      '[1]',
    ],
    ['a row that is not an object', [good, 'MUG,warehouse-1,3'], /is not an object/, '[1]'],
    ['a row that is null', [null], /is not an object/, '[0]'],
    ['a row that is an array', [[good]], /is not an object/, '[0]'],
    ['a row with no sku', [{ stock_location_external_id: 'warehouse-1', stock_level: 3 }], /sku is missing/, '[0].sku'],
    ['a row with a blank sku', [{ ...good, sku: ' ' }], /sku is missing/, '[0].sku'],
    ['a stock_level that is text', [{ ...good, stock_level: '3' }], /stock_level must be a number/, '[0].stock_level'],
    [
      'a row with no stock_level',
      [{ sku: 'MUG', stock_location_external_id: 'warehouse-1' }],
      /stock_level must be a number/,
      '[0].stock_level',
    ],
  ];

  it.each(BAD_REQUESTS)('answers 400 problem details for %s, and stores no row', async (_name, rows, detail, at) => {
    await client().updateStock([{ sku: 'KEEP', stock_location_external_id: 'warehouse-2', stock_level: 5 }]);
    const answer = await refused(rows);
    expect(answer.status).toBe(400);
    expect(answer.detail).toMatch(detail);
    expect(answer.properties).toEqual([at]);
    // The whole request is refused: the good rows in it are not stored either, and earlier levels stay.
    expect(stored()).toEqual(['KEEP@warehouse-2=5']);
  });

  it('answers 400 as application/problem+json (title, status, detail), also to a body that is no array', async () => {
    const rows = [{ sku: 'MUG', stock_location_external_id: 'WH-NORTH', stock_level: 1 }];
    const token = await fakeToken();
    const post = (body: unknown) =>
      fetch(`${SANDBOX_BASE_URL}/api/v1/batch-update-stock`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'site-id': SANDBOX_CREDENTIALS.siteId,
        },
        body: JSON.stringify(body),
      });
    const response = await post(rows);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ title: 'Bad Request', status: 400, detail: expect.any(String) });
    const notArray = await post({ rows });
    expect(notArray.status).toBe(400);
    expect(await notArray.json()).toMatchObject({ status: 400, detail: expect.stringMatching(/JSON array/) });
  });

  it('accepts the rows map-stock-to-sparklayer writes from its sample, run in-process with runStep', async () => {
    // The sample's back-end locations feed the fake's stock locations instead of WH-NORTH and WH-SOUTH.
    const locationMap = 'left_value,right_value\r\n1,warehouse-1\r\n2,warehouse-1\r\n3,warehouse-2\r\n';
    const { envelope } = run(
      step,
      {
        records: sample.records,
        ...sample.beside,
        previous: [{ sku: 'TOWEL-LINEN-NAT', stock_location_external_id: 'warehouse-2', stock_level: 0 }],
      },
      { variables: { ...sample.variables, location_map: locationMap } },
    );
    const rows = envelope.records as Array<{ sku: string; stock_location_external_id: string; stock_level: number }>;
    expect(rows.length).toBeGreaterThan(1);
    await client().updateStock(rows);
    expect(stored()).toEqual(rows.map((r) => `${r.sku}@${r.stock_location_external_id}=${r.stock_level}`).sort());
    expect(stored()).toContain('MUG-ENAMEL-WHT@warehouse-1=38');
  });
});

describe('the updateBatchStock connection', () => {
  it('is a write (a Send in the built definition), held by a --live run as the line it would send', async () => {
    const engine = await sandboxEngine(ROOT, async () => undefined);
    expect(engine.endpoint('sparklayer', 'updateBatchStock').direction).toBe('Send');
    expect(engine.describeRequest({ connector: 'sparklayer', operationId: 'updateBatchStock', variables: {} })).toBe(
      'POST /api/v1/batch-update-stock',
    );
  });
});
