// lightspeed-x-stock-levels: X-Series inventory records, with the products read beside them, as stock levels; the
// parked sales beside them as open_orders.
import { describe, expect, it } from 'vitest';
import { INVENTORY_MAX_PAGE_SIZE } from '../../connectors/lightspeed-x/stock-reader.js';
import { step as inventoryRequest } from '../../scripts/lightspeed-x-inventory-request/step.js';
import { step } from '../../scripts/lightspeed-x-stock-levels/step.js';
import { run } from '../support/run.js';

const A = 'outlet-a';
const B = 'outlet-b';
const rec = (productId: string, outlet: string, level: unknown, extra: Record<string, unknown> = {}) => ({
  id: `${productId}-${outlet}`,
  outlet_id: outlet,
  product_id: productId,
  current_inventory_level: level,
  deleted_at: null,
  version: 1,
  ...extra,
});
const product = (id: string, sku: string, extra: Record<string, unknown> = {}) => ({
  id,
  sku,
  active: true,
  is_active: true,
  has_variants: false,
  version: 1,
  ...extra,
});
/** The products as ListProducts pages answer them. */
const products = [
  {
    data: [
      product('p1', 'MUG'),
      product('p2', 'JUG', { deleted_at: '2026-01-01T00:00:00Z' }),
      product('p3', 'TOWEL', { is_active: false }),
      product('parent', 'SHIRT', { has_variants: true }),
      product('child', 'SHIRT-S', { variant_parent_id: 'parent' }),
    ],
    version: { min: 1, max: 1 },
  },
];

describe('lightspeed-x-stock-levels', () => {
  it('gives one level per record: the SKU, outlet and level as read, archived and parent marked', () => {
    const records = [
      rec('p1', A, 21),
      rec('p1', B, -3),
      rec('p2', A, 4),
      rec('p3', A, 2.5),
      rec('parent', A, 9),
      rec('child', A, 7),
    ];
    const { envelope } = run(step, { records, products });
    const level = (sku: string, location: string, on_hand: number, flags: Record<string, boolean> = {}) => ({
      sku,
      location,
      on_hand,
      product_id: expect.any(String),
      source: 'lightspeed-x',
      archived: flags.archived ?? false,
      has_variants: flags.has_variants ?? false,
    });
    expect(envelope.records).toEqual([
      level('MUG', A, 21),
      level('MUG', B, -3),
      level('JUG', A, 4, { archived: true }),
      level('TOWEL', A, 2.5, { archived: true }),
      level('SHIRT', A, 9, { has_variants: true }),
      level('SHIRT-S', A, 7),
    ]);
    expect(envelope.summary['lightspeed-x-stock-levels']).toMatchObject({ in: 6, records: 6, exceptions: 0 });
    // The products read go no further: the levels carry what they said.
    expect((envelope as unknown as Record<string, unknown>).products).toBeUndefined();
  });

  it('marks a product parent when only its variant names it (has_variants left out)', () => {
    const family = [
      { data: [product('fam', 'BAG', { has_variants: null }), product('v', 'BAG-R', { variant_parent_id: 'fam' })] },
    ];
    const { envelope } = run(step, { records: [rec('fam', A, 3)], products: family });
    expect(envelope.records).toEqual([expect.objectContaining({ sku: 'BAG', has_variants: true })]);
  });

  it('keeps an unreadable record whole as UNREADABLE_STOCK_RECORD, named by its place in the run', () => {
    const badFlag = [{ data: [product('p1', 'MUG'), product('p9', 'ODD', { active: 'yes' })] }];
    const unknown = rec('p404', A, 1);
    const noProduct = { id: 'r-x', outlet_id: A, current_inventory_level: 1, version: 1 };
    const odd = rec('p9', A, 2);
    const { envelope } = run(step, { records: [rec('p1', A, 5), unknown, noProduct, odd], products: badFlag });

    expect(envelope.records).toEqual([expect.objectContaining({ sku: 'MUG', on_hand: 5 })]);
    expect(envelope.exceptions.map(({ id, code, message }) => ({ id, code, message }))).toEqual([
      {
        id: `p404@${A}`,
        code: 'UNREADABLE_STOCK_RECORD',
        message: expect.stringMatching(/^X-Series inventory record 1: product p404 is not among the products read/),
      },
      {
        id: 'r-x',
        code: 'UNREADABLE_STOCK_RECORD',
        message: expect.stringMatching(/^X-Series inventory record 2: no product_id/),
      },
      { id: `p9@${A}`, code: 'UNREADABLE_STOCK_RECORD', message: expect.stringMatching(/active is "yes"/) },
    ]);
    // The record is kept whole, for a person to fix and replay.
    expect(envelope.exceptions[0]!.record).toEqual(unknown);
    expect(envelope.summary['lightspeed-x-stock-levels']).toMatchObject({ in: 4, records: 1, exceptions: 3 });
  });

  it('publishes every record of a read longer than one page (the pagination script reads all), nobody told', () => {
    const records = Array.from({ length: INVENTORY_MAX_PAGE_SIZE + 1 }, (_, i) =>
      rec('p1', i % 2 === 0 ? A : B, 1, { id: `r-${i}`, version: i + 1 }),
    );
    const envelope = run(step, { records, products }).envelope;
    expect(envelope.records).toHaveLength(INVENTORY_MAX_PAGE_SIZE + 1);
    expect(envelope).not.toHaveProperty('notices');
  });

  it("turns the parked sales' lines into open_orders: the product's SKU, the sale's outlet, the units", () => {
    const line = (id: string, quantity: unknown) => ({ product: { id }, quantity });
    const sale = (state: string, lines: object[], extra: Record<string, unknown> = {}) => ({
      id: `s-${state}`,
      state,
      source: { outlet_id: A },
      line_items: lines,
      ...extra,
    });
    const open_order_records = [
      {
        data: [
          sale('parked', [line('p1', 3), line('child', 1), line('p1', -1), line('p404', 5), line('p1', '2')]),
          sale('parked', [line('p1', 4)], { source: { outlet_id: B } }),
          // Not parked (on account: already out of the level; closed), deleted, or with no outlet: not subtracted.
          sale('pending', [line('p1', 10)], { attributes: ['onaccount'] }),
          sale('closed', [line('p1', 10)]),
          sale('parked', [line('p1', 10)], { deleted_at: '2026-01-01T00:00:00Z' }),
          sale('parked', [line('p1', 10)], { source: {} }),
        ],
      },
    ];
    const { envelope } = run(step, {
      records: [rec('p1', A, 21), rec('p1', B, 6), rec('child', A, 7)],
      products,
      open_order_records,
      previous: [],
    });
    const beside = envelope as unknown as Record<string, unknown>;
    expect(beside.open_orders).toEqual([
      { sku: 'MUG', location: A, quantity: '3' },
      { sku: 'SHIRT-S', location: A, quantity: '1' },
      { sku: 'MUG', location: B, quantity: '4' },
    ]);
    // What else rode beside goes on; the reads do not.
    expect(beside.previous).toEqual([]);
    expect(beside.open_order_records).toBeUndefined();
    expect(beside.products).toBeUndefined();
  });
});

describe('lightspeed-x-stock-levels, keep_records=yes (the stock flow: kept records, then those read since)', () => {
  const keeping = (records: unknown[]) => run(step, { records, products }, { variables: { keep_records: 'yes' } });
  type Kept = { records: Array<Record<string, unknown>> };
  const keptOf = (envelope: unknown) => (envelope as { kept: Kept }).kept;
  const levels = (envelope: { records: unknown[] }) =>
    (envelope.records as Array<{ location: string; on_hand: unknown }>).map((level) => [level.location, level.on_hand]);

  it('lets the later version of a product and outlet win, whichever came first, and keeps the winners', () => {
    const records = [
      rec('p1', A, 21, { version: '9007199254740993' }),
      rec('p1', B, 5, { version: '7' }),
      rec('p1', A, 30, { version: '9007199254740995', reorder_point: 2 }),
      rec('p1', B, 4, { version: '6' }),
    ];
    const { envelope } = keeping(records);
    expect(levels(envelope)).toEqual([
      [B, 5],
      [A, 30],
    ]);
    expect(envelope.skipped.map((skipped) => skipped.reason)).toEqual(['superseded', 'superseded']);
    // 64-bit versions compared exactly (as numbers, 2^53 + 1 and 2^53 + 3 are not told apart reliably).
    const kept = keptOf(envelope);
    // Only the records: where the next read starts is theirs to say (lightspeed-x-inventory-request).
    expect(Object.keys(kept)).toEqual(['records']);
    expect(kept.records.map((record) => [record.outlet_id, record.current_inventory_level, record.version])).toEqual([
      [B, 5, '7'],
      [A, 30, '9007199254740995'],
    ]);
    // Only the fields the step reads are kept.
    expect(Object.keys(kept.records[1]!).sort()).toEqual(
      ['current_inventory_level', 'id', 'outlet_id', 'product_id', 'version'].sort(),
    );
  });

  it('reports a record whose version is not a whole number, and keeps it until a readable one replaces it', () => {
    const odd = rec('p1', A, 21, { version: 'v7' });
    const { envelope } = keeping([odd, rec('p1', B, 3, { version: 2 })]);
    expect(envelope.exceptions.map(({ code, message, record }) => ({ code, message, record }))).toEqual([
      {
        code: 'UNREADABLE_STOCK_RECORD',
        message: expect.stringContaining('version "v7" is not a whole number'),
        record: odd,
      },
    ]);
    expect(keptOf(envelope).records.map((record) => record.outlet_id)).toEqual([A, B]);
    // The next read starts after the highest readable version kept, read from the records themselves.
    const next = run(inventoryRequest, { records: keptOf(envelope).records }).envelope as unknown as {
      requests: Array<{ after?: number }>;
    };
    expect(next.requests[0]!.after).toBe(2);

    const replaced = keeping([...keptOf(envelope).records, rec('p1', A, 8, { version: 5 })]).envelope;
    expect(replaced.exceptions).toEqual([]);
    expect(levels(replaced)).toEqual([
      [B, 3],
      [A, 8],
    ]);
  });

  it('with keep_records=no (the stock check) reads every record as given and writes nothing to keep', () => {
    const records = [rec('p1', A, 21, { version: 9 }), rec('p1', A, 30, { version: 3 })];
    const { envelope } = run(step, { records, products });
    expect(levels(envelope).map(([, onHand]) => onHand)).toEqual([21, 30]);
    expect(envelope).not.toHaveProperty('kept');
  });
});
