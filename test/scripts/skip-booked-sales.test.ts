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
    // Another sale's answer is not this sale's, and not "no such sale" either.
    const other = run(
      step,
      { records: [fresh], found: { data: { id: booked.id } } },
      { variables: { system: 'lightspeed-x' } },
    ).envelope;
    expect(other.records).toEqual([]);
    expect(other.exceptions.map((e) => [e.code, e.record])).toEqual([['LOOK_UP_UNREADABLE', fresh]]);
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

  it.each([
    ['a 401 body', { error: 'Unauthorized', message: 'Invalid access token' }],
    ['a 429 body', { error: 'Too Many Requests', message: 'Rate limiting enforced' }],
    ['a 5xx body', { error: 'Internal Server Error' }],
    ['an HTML error page', '<html><body><h1>502 Bad Gateway</h1></body></html>'],
    ['an empty answer', {}],
    ['null', null],
    ['a list', []],
    ['a sale with no id', { data: {} }],
  ])('X-Series: %s is not "no such sale": the sale is kept whole as LOOK_UP_UNREADABLE', (_, found) => {
    const body = { id: saleIdFor('p-1'), note: 'kept' };
    const envelope = run(step, { records: [body], found }, { variables: { system: 'lightspeed-x' } }).envelope;
    expect(envelope.records).toEqual([]);
    expect(envelope.exceptions.map((e) => [e.code, e.owner, e.record])).toEqual([
      ['LOOK_UP_UNREADABLE', 'integration', body],
    ]);
  });

  it.each([
    ['a 401 body', { httpCode: '401', httpMessage: 'Unauthorized', message: 'Invalid access token' }],
    ['a 429 body', { httpCode: '429', message: 'Rate limit exceeded' }],
    ['an HTML error page', '<!DOCTYPE html><title>502</title>'],
    ['an empty object', {}],
    ['an unwrapped answer with sales in it', { '@attributes': { count: '1' }, Sale: rSale(18, 'p-1') }],
    ['a list holding something that is not a sale', [rSale(17, 'p-9'), 'oops']],
  ])('R-Series: %s is not "no such sale": the sale is kept whole as LOOK_UP_UNREADABLE', (_, found) => {
    const body = note('p-1');
    const envelope = run(step, { records: [body], found }).envelope;
    expect(envelope.records).toEqual([]);
    expect(envelope.exceptions.map((e) => [e.code, e.record])).toEqual([['LOOK_UP_UNREADABLE', body]]);
  });

  it('R-Series: the documented empty answers mean no such sale: an empty list, none, an unwrapped count of 0', () => {
    const body = note('p-1');
    for (const found of [[], null, { '@attributes': { count: '0', offset: '0', limit: '100' } }])
      expect(run(step, { records: [body], found }).envelope.records, JSON.stringify(found)).toEqual([body]);
  });

  it('R-Series: purchase ids compare exactly: a sale for p-12 is not one for p-1, nor p-1 one for p-12', () => {
    expect(run(step, { records: [note('p-1')], found: rSale(30, 'p-12') }).envelope.records).toEqual([note('p-1')]);
    expect(run(step, { records: [note('p-12')], found: [rSale(31, 'p-1')] }).envelope.records).toEqual([note('p-12')]);
    expect(
      run(step, { records: [note('p-12')], found: [rSale(31, 'p-1'), rSale(32, 'p-12')] }).envelope.skipped,
    ).toEqual([{ step: 'skip-booked-sales', id: 'SparkLayer purchase p-12', reason: 'already_booked:sale 32' }]);
  });

  it('R-Series: a flag with an odd value leaves the sale live, so it counts as booked (no second sale)', () => {
    const found = [rSale(40, 'p-1', { voided: 'maybe' })];
    expect(run(step, { records: [note('p-1')], found }).envelope.skipped.map((s) => s.reason)).toEqual([
      'already_booked:sale 40',
    ]);
  });
});
