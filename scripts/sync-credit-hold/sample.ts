// A worked example of sync-credit-hold, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

export const sample = defineSample(step, {
  variables: { hold_group: 'credit-hold', hold_action: 'both', release_group: 'trade' },
  beside: {
    customers: [
      {
        id: 'acme-primary',
        accounting_id: '1104',
        group: 'trade',
        payment_on_account: { credit_limit: 5000, balance: 5200, currency_code: 'GBP' },
      },
      { id: 'acme-buyer', parent_customer_id: 'acme-primary', group: 'trade' },
      {
        id: 'birch-primary',
        accounting_id: '2210',
        group: 'credit-hold',
        payment_on_account: { credit_limit: 0, currency_code: 'GBP' },
      },
      { id: 'cedar-primary', accounting_id: '3300', group: 'trade', payment_on_account: { credit_limit: 1000 } },
    ],
  },
  records: [
    { account: '1104', on_hold: true, credit_limit: '5000.00', balance: '5200.00', currency: 'GBP' },
    { account: '2210', on_hold: false, credit_limit: '2500.00', balance: '100.00', currency: 'GBP' },
    { account: '3300', on_hold: false, credit_limit: '1000.00' },
    { account: '9999', on_hold: true },
  ],
  expected: {
    passed: ['1104', '2210'],
    skipped: [{ id: '3300', reason: 'unchanged' }],
    exceptions: [{ id: '9999', code: 'UNKNOWN_CUSTOMER' }],
  },
});
