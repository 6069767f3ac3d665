// A worked example of skip-booked-sales, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

export const sample = defineSample(step, {
  variables: { system: 'lightspeed-r' },
  beside: {
    found: [
      {
        saleID: '18',
        voided: 'false',
        archived: 'false',
        SaleNotes: { InternalNote: { note: 'SparkLayer order B2B01123; SparkLayer purchase p-booked; PO PO-4471' } },
      },
      {
        saleID: '19',
        voided: 'true',
        archived: 'false',
        SaleNotes: { InternalNote: { note: 'SparkLayer purchase p-voided' } },
      },
    ],
  },
  records: [
    { SaleNotes: { InternalNote: { note: 'SparkLayer order B2B01123; SparkLayer purchase p-booked; PO PO-4471' } } },
    { SaleNotes: { InternalNote: { note: 'SparkLayer purchase p-voided' } } },
    { SaleNotes: { InternalNote: { note: 'SparkLayer purchase p-new' } } },
    { SaleNotes: { InternalNote: { note: 'typed by hand' } } },
  ],
  expected: {
    passed: ['SparkLayer purchase p-voided', 'SparkLayer purchase p-new'],
    skipped: [{ id: 'SparkLayer purchase p-booked', reason: 'already_booked:sale 18' }],
    exceptions: [{ id: null, code: 'SALE_NOT_IDENTIFIABLE' }],
  },
});
