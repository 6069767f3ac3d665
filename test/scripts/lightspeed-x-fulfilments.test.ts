// lightspeed-x-fulfilments: X-Series sales (fixtures/lightspeed-x/fulfilments) read into canonical fulfilments and
// returns; a return reaches its purchase through the sale id the pack derives from each purchase beside. A sale not
// closed yet is skipped; one that cannot be read or linked is its own exception and never fails the others.
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../contracts/fixtures.js';
import { step } from '../../scripts/lightspeed-x-fulfilments/step.js';
import { ROOT } from '../support/steps.js';
import { run } from '../support/run.js';

type Body = Record<string, unknown>;
const fixture = async (file: string) =>
  (await loadFixture(ROOT, `fixtures/lightspeed-x/fulfilments/${file}`)).body as { data: Body };
const answers = {
  booked: await fixture('sale.booked-closed.json'),
  delivery: await fixture('sale.closed-delivery.json'),
  partialReturn: await fixture('sale.partial-return.json'),
};
const booked = answers.booked.data;
const delivery = answers.delivery.data;
const partialReturn = answers.partialReturn.data;

const P0003 = 'b8ca3a65-0183-11e4-fbb5-9776c5cd0240';
const BLK_M = 'b8ca3a65-0183-11e4-fbb5-7988a6ed80fa';
const BLK_S = 'b8ca3a65-0183-11e4-fbb5-7988a6ed80f9';
const SHIPPING = 'b8ca3a65-0183-11e4-fbb5-9776c611d865';
const OUTLET = 'b1e04bd8-f019-11e3-a0f5-b8ca3a64f8f4';
const PRODUCTS = [
  { id: P0003, sku: '0003' },
  { id: BLK_M, sku: '787878-blk-m' },
  { id: BLK_S, sku: '787878-blk-s' },
  { id: SHIPPING, sku: '0006' },
];
const purchase = (id: string) => ({ purchase_identifiers: { sparklayer: id } });
const BESIDE = { products: { data: PRODUCTS }, purchases: [purchase('sl-1001'), purchase('sl-1002')] };
const VARIABLES = { store_currency: 'gbp', shipping_product_id: SHIPPING };
const read = (records: unknown[], beside: Body = BESIDE) =>
  run(step, { records, ...beside }, { variables: VARIABLES }).envelope;

function changed(source: Body, path: string, value?: unknown): Body {
  const copy = structuredClone(source);
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce<Body>((at, key) => at[key] as Body, copy);
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

describe('lightspeed-x-fulfilments', () => {
  it.each([
    [
      'the booked sale, closed (shipping left out)',
      booked,
      {
        purchase_id: 'sl-1001',
        transaction_id: booked.id,
        source: 'lightspeed-x',
        status: 'shipped',
        shipped_at: '2026-11-21T14:02:11+00:00',
        location: OUTLET,
        lines: [
          { sku: '0003', quantity: '1' },
          { sku: '0003', quantity: '1' },
          { sku: '0003', quantity: '1' },
          { sku: '787878-blk-m', quantity: '1' },
        ],
      },
    ],
    [
      'the sale closed for delivery',
      delivery,
      {
        purchase_id: 'sl-1002',
        transaction_id: delivery.id,
        source: 'lightspeed-x',
        status: 'shipped',
        shipped_at: '2026-11-24T08:05:37+00:00',
        location: 'b8ca3a65-0183-11e4-fbb5-2816d2677218',
        lines: [{ sku: '787878-blk-s', quantity: '2' }],
      },
    ],
    [
      'the partial return, through the sale id derived from its purchase',
      partialReturn,
      {
        purchase_id: 'sl-1001',
        transaction_id: partialReturn.id,
        original_transaction_id: booked.id,
        source: 'lightspeed-x',
        returned_at: '2026-12-01T10:30:00+00:00',
        location: OUTLET,
        lines: [{ sku: '0003', quantity: '1' }],
        refund: { number: '4.01', currency: 'GBP' },
      },
    ],
  ])('reads %s', (_name, sale, expected) => {
    const envelope = read([sale]);
    expect(envelope.exceptions).toEqual([]);
    expect(envelope.records).toEqual([expected]);
  });

  it("reads GET's whole answer ({data: sale}) as the sale, and the purchase ids as a plain list", () => {
    const envelope = read([answers.partialReturn], { products: PRODUCTS, purchase_ids: ['sl-1001'] });
    expect(envelope.records.map((r) => (r as Body).purchase_id)).toEqual(['sl-1001']);
  });

  it('skips a sale or a return not closed yet, naming its state', () => {
    const envelope = read([
      changed(booked, 'state', 'parked'),
      changed(delivery, 'state', 'voided'),
      changed(partialReturn, 'state', 'parked'),
    ]);
    expect(envelope.skipped.map((s) => [s.id, s.reason])).toEqual([
      [booked.id, 'state:parked'],
      [delivery.id, 'state:voided'],
      [partialReturn.id, 'return-state:parked'],
    ]);
    expect(envelope.records).toEqual([]);
  });

  it('keeps a bad sale and an unlinked one as exceptions, whole, and reads the others', () => {
    const noUpdate = changed(delivery, 'updated_at');
    const unknownProduct = changed(booked, 'line_items.0.product', { id: 'b8ca3a65-0183-11e4-fbb5-000000000000' });
    const notBooked = changed(delivery, 'source.type', 'USER');
    const strayReturn = changed(partialReturn, 'return_for', delivery.id);
    const noCurrency = partialReturn;
    const records = [booked, noUpdate, unknownProduct, notBooked, strayReturn, partialReturn];
    const envelope = read(records, { ...BESIDE, purchases: [purchase('sl-1001')] });
    expect(envelope.records.map((r) => (r as Body).transaction_id)).toEqual([booked.id, partialReturn.id]);
    expect(envelope.exceptions.map((e) => [e.id, e.code, e.message])).toEqual([
      [delivery.id, 'INVALID_FULFILMENT', `X-Series sale ${delivery.id}: updated_at: missing (the closed sale's time)`],
      [
        booked.id,
        'INVALID_FULFILMENT',
        `X-Series sale ${booked.id}: line_items.0.product.id: product b8ca3a65-0183-11e4-fbb5-000000000000 has no ` +
          'SKU (not in product_skus)',
      ],
      [
        partialReturn.id,
        'UNLINKED_RETURN',
        `X-Series sale ${partialReturn.id}: return_for: sale ${delivery.id} is the sale of none of the SparkLayer ` +
          'purchases beside (purchases, purchase_ids)',
      ],
    ]);
    expect(envelope.exceptions.map((e) => e.record)).toEqual([noUpdate, unknownProduct, strayReturn]);
    // A sale the pack did not book is the store's own: skipped, told to no one.
    expect(envelope.skipped).toContainEqual({
      id: delivery.id,
      step: 'lightspeed-x-fulfilments',
      reason: 'not-booked',
    });
    // Without store_currency, a refund has no currency: INVALID_RETURN, the step tells which setting.
    const bare = run(step, { records: [noCurrency], ...BESIDE }).envelope;
    expect(bare.exceptions.map((e) => [e.code, e.message])).toEqual([
      [
        'INVALID_RETURN',
        `X-Series sale ${partialReturn.id}: total_price: the refund has no currency (X-Series sales carry none; pass ` +
          "the store's currency)",
      ],
    ]);
  });

  it("reports each line as the SKU product_map books it as (the order flow's table, read backwards)", () => {
    const withMap = (productMap: string) =>
      run(step, { records: [booked], ...BESIDE }, { variables: { ...VARIABLES, product_map: productMap } }).envelope;
    // 0003 is the SparkLayer SKU MUG-ENAMEL-WHT; a product product_map does not name keeps its own sku.
    const [record] = withMap(`left_value,right_value\r\nMUG-ENAMEL-WHT,${P0003}`).records as Array<{
      lines: Array<{ sku: string }>;
    }>;
    expect(record!.lines.map((line) => line.sku)).toContain('MUG-ENAMEL-WHT');
    expect(record!.lines.map((line) => line.sku)).not.toContain('0003');
    // A product two SKUs name cannot be told apart: the sale is refused, naming both, not guessed.
    const twice = withMap(`left_value,right_value\r\nMUG-ENAMEL-WHT,${P0003}\r\nMUG-ENAMEL-BLU,${P0003}`);
    expect(twice.records).toEqual([]);
    expect(twice.exceptions.map((e) => [e.code, e.message])).toEqual([
      [
        'INVALID_FULFILMENT',
        expect.stringMatching(
          /line_items\.\d+: product b8ca3a65-\S+ is named by MUG-ENAMEL-WHT and MUG-ENAMEL-BLU in product_map$/,
        ),
      ],
    ]);
  });
});
