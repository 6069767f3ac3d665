// lightspeed-r-fulfilments: R-Series sales (fixtures/lightspeed-r/fulfilments) read into canonical fulfilments and
// returns; a refund reaches its purchase through its parent lines on the booked sales beside. A sale not completed yet
// is skipped; one that cannot be read or linked is its own exception and never fails the others.
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../contracts/fixtures.js';
import { step } from '../../scripts/lightspeed-r-fulfilments/step.js';
import { ROOT } from '../support/steps.js';
import { run } from '../support/run.js';

type Body = Record<string, unknown>;
const fixture = async (file: string) =>
  (await loadFixture(ROOT, `fixtures/lightspeed-r/fulfilments/${file}`)).body as { Sale: Body };
const bookedAnswer = await fixture('sale.booked-completed.json');
const refundAnswer = await fixture('sale.partial-refund.json');
const booked = bookedAnswer.Sale;
const refund = refundAnswer.Sale;

const ITEMS = [
  { itemID: '12', customSku: 'CHALK-250' },
  { itemID: '28', customSku: 'ROPE-60' },
];
const BESIDE = { items: ITEMS, sales: [bookedAnswer] };
const VARIABLES = { store_currency: 'USD', shipping_item_id: '45' };
const read = (records: unknown[], beside: Body = BESIDE, variables: Record<string, string> = VARIABLES) =>
  run(step, { records, ...beside }, { variables }).envelope;

function changed(source: Body, path: string, value?: unknown): Body {
  const copy = structuredClone(source);
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce<Body>((at, key) => at[key] as Body, copy);
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

describe('lightspeed-r-fulfilments', () => {
  it.each([
    [
      'the booked sale, completed (shipping left out)',
      bookedAnswer,
      {
        purchase_id: 'sl-1001',
        transaction_id: '281',
        source: 'lightspeed-r',
        status: 'shipped',
        shipped_at: '2026-11-20T09:15:04+00:00',
        location: '1',
        lines: [
          { sku: 'CHALK-250', quantity: '3' },
          { sku: 'ROPE-60', quantity: '1' },
        ],
      },
    ],
    [
      'the partial refund, through its parent line',
      refund,
      {
        purchase_id: 'sl-1001',
        transaction_id: '282',
        original_transaction_id: '281',
        source: 'lightspeed-r',
        returned_at: '2026-12-01T10:34:12+00:00',
        location: '1',
        lines: [{ sku: 'CHALK-250', quantity: '1' }],
        refund: { number: '11.49', currency: 'USD' },
      },
    ],
  ])('reads %s', (_name, sale, expected) => {
    const envelope = read([sale]);
    expect(envelope.exceptions).toEqual([]);
    expect(envelope.records).toEqual([expected]);
  });

  it('skips a sale or a refund not completed yet, voided or archived, naming why', () => {
    const envelope = read([
      changed(booked, 'completed', 'false'),
      changed(booked, 'voided', 'true'),
      changed(refund, 'archived', 'true'),
    ]);
    expect(envelope.skipped.map((s) => [s.id, s.reason])).toEqual([
      ['281', 'open'],
      ['281', 'voided'],
      ['282', 'refund-archived'],
    ]);
  });

  it('keeps a bad sale and an unlinked one as exceptions, whole, and reads the others', () => {
    const noTime = changed(booked, 'completeTime');
    const notBooked = changed(booked, 'referenceNumberSource', '');
    const strayRefund = changed(refund, 'SaleLines.SaleLine.parentSaleLineID', '999');
    const noCurrency = refund;
    const records = [booked, noTime, notBooked, strayRefund, refund];
    const envelope = read(records);
    expect(envelope.records.map((r) => (r as Body).transaction_id)).toEqual(['281', '282']);
    expect(envelope.exceptions.map((e) => [e.id, e.code, e.message])).toEqual([
      ['281', 'INVALID_FULFILMENT', "R-Series sale 281: completeTime: missing (the completed sale's time)"],
      [
        '282',
        'UNLINKED_RETURN',
        'R-Series sale 282: SaleLines.parentSaleLineID: line 999 is on none of the booked sales beside (sales)',
      ],
    ]);
    expect(envelope.exceptions.map((e) => e.record)).toEqual([noTime, strayRefund]);
    // A sale the pack did not book is the store's own: skipped, told to no one.
    expect(envelope.skipped).toContainEqual({ id: '281', step: 'lightspeed-r-fulfilments', reason: 'not-booked' });
    // Without the booked sales beside, a refund links to nothing; without store_currency its refund has no currency.
    expect(read([refund], { items: ITEMS }).exceptions.map((e) => e.code)).toEqual(['UNLINKED_RETURN']);
    expect(read([noCurrency], BESIDE, {}).exceptions.map((e) => e.code)).toEqual(['INVALID_RETURN']);
  });

  it("reports each line as the SKU product_map books it as (the order flow's table, read backwards)", () => {
    const withMap = (records: unknown[], productMap: string) =>
      read(records, BESIDE, { ...VARIABLES, product_map: `left_value,right_value\r\n${productMap}` });
    // Item 12 is the SparkLayer SKU CHALK-BAG (its own customSku CHALK-250); a matrix row books nothing; item 28,
    // which product_map does not name, keeps its own SKU. The refund of item 12 is reported as CHALK-BAG too.
    const mapped = withMap([booked, refund], 'CHALK-BAG,12\r\nROPE-MATRIX,matrix:28');
    expect(mapped.exceptions).toEqual([]);
    expect(mapped.records.map((r) => (r as { lines: unknown }).lines)).toEqual([
      [
        { sku: 'CHALK-BAG', quantity: '3' },
        { sku: 'ROPE-60', quantity: '1' },
      ],
      [{ sku: 'CHALK-BAG', quantity: '1' }],
    ]);
    // An item two SKUs name cannot be told apart: each sale with it is refused, naming both, not guessed.
    const twice = withMap([booked, refund], 'CHALK-BAG,12\r\nCHALK-TUB,12');
    expect(twice.records).toEqual([]);
    expect(twice.exceptions.map((e) => [e.id, e.code, e.message])).toEqual([
      [
        '281',
        'INVALID_FULFILMENT',
        'R-Series sale 281: SaleLines.0.itemID: item 12 is named by CHALK-BAG and CHALK-TUB in product_map',
      ],
      [
        '282',
        'INVALID_RETURN',
        'R-Series sale 282: SaleLines.0.itemID: item 12 is named by CHALK-BAG and CHALK-TUB in product_map',
      ],
    ]);
  });
});
