// skip-booked-sales: what each back-end's look-up answer means for the sale beside it.
import { describe, expect, it } from 'vitest';
import { saleIdFor } from '../../connectors/lightspeed-x/sale-id.js';
import { step } from '../../scripts/skip-booked-sales/step.js';
import { run } from '../support/run.js';

const note = (purchase: string) => ({
  SaleNotes: { InternalNote: { note: `SparkLayer order B2B1; SparkLayer purchase ${purchase}; PO PO-1` } },
});
const rSale = (saleID: number, purchase: string, extra: Record<string, unknown> = {}) => ({
  saleID: String(saleID),
  voided: 'false',
  archived: 'false',
  ...note(purchase),
  ...extra,
});

describe('skip-booked-sales', () => {
  it('X-Series: skips the sale whose derived id the look-up found, books one a 404 says is not there', () => {
    const booked = { id: saleIdFor('p-1') };
    const fresh = { id: saleIdFor('p-2') };
    const found = run(
      step,
      { records: [booked], found: { data: { id: booked.id, status: 'CLOSED' } } },
      { variables: { system: 'lightspeed-x' } },
    ).envelope;
    expect(found.skipped).toEqual([
      { step: 'skip-booked-sales', id: booked.id, reason: `already_booked:${booked.id}` },
    ]);
    expect(found.records).toEqual([]);
    const missing = run(
      step,
      { records: [fresh], found: { error: 'Not Found', message: 'Sale not found' } },
      { variables: { system: 'lightspeed-x' } },
    ).envelope;
    expect(missing.records).toEqual([fresh]);
    // Another sale's answer is not this sale's.
    const other = run(
      step,
      { records: [fresh], found: { data: { id: booked.id } } },
      { variables: { system: 'lightspeed-x' } },
    ).envelope;
    expect(other.records).toEqual([fresh]);
  });

  it(
    'R-Series: a sale naming the purchase and live is booked; one voided, archived or for another purchase ' + 'is not',
    () => {
      const body = note('p-1');
      const decide = (found: unknown) => run(step, { records: [body], found }).envelope;
      expect(decide(rSale(18, 'p-1')).skipped.map((s) => s.reason)).toEqual(['already_booked:sale 18']);
      expect(decide([rSale(17, 'p-9'), rSale(18, 'p-1')]).skipped.map((s) => s.reason)).toEqual([
        'already_booked:sale 18',
      ]);
      expect(decide([rSale(18, 'p-1', { voided: 'true' }), rSale(19, 'p-1', { archived: true })]).records).toEqual([
        body,
      ]);
      expect(decide([]).records).toEqual([body]);
      expect(decide([rSale(17, 'p-9')]).records).toEqual([body]);
    },
  );

  it(
    'R-Series: a full page with no match may not be the last page, so the sale is not booked ' + '(LOOK_UP_INCOMPLETE)',
    () => {
      const page = Array.from({ length: 100 }, (_, i) => rSale(i + 1, `other-${i}`));
      const full = run(step, { records: [note('p-1')], found: page }).envelope;
      expect(full.records).toEqual([]);
      expect(full.exceptions.map((e) => [e.code, e.message])).toEqual([
        [
          'LOOK_UP_INCOMPLETE',
          'the look-up gave a full page of 100 sales, none for SparkLayer purchase p-1: there may be more pages',
        ],
      ]);
      // A match on the full page still decides; a page size of 0 turns the check off.
      expect(run(step, { records: [note('other-5')], found: page }).envelope.skipped).toHaveLength(1);
      expect(
        run(step, { records: [note('p-1')], found: page }, { variables: { page_size: '0' } }).envelope.records,
      ).toHaveLength(1);
    },
  );

  it('books nothing without the look-up answer beside the sale, and nothing it cannot identify', () => {
    const noLookUp = run(step, { records: [note('p-1')] }).envelope;
    expect(noLookUp.exceptions.map((e) => e.code)).toEqual(['LOOK_UP_MISSING']);
    expect(noLookUp.exceptions[0]!.record).toEqual(note('p-1'));
    const anonymous = run(step, {
      records: [{ SaleNotes: { InternalNote: { note: 'typed by hand' } } }],
      found: [],
    }).envelope;
    expect(anonymous.exceptions.map((e) => e.code)).toEqual(['SALE_NOT_IDENTIFIABLE']);
    expect(anonymous.records).toEqual([]);
  });
});
