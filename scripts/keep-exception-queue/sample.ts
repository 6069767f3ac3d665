// A worked example of keep-exception-queue, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

// A credit-hold run: NetSuite account 420 has no SparkLayer customer, and SparkLayer refused a held customer's PUT.
const unknownAccount = {
  id: '420',
  step: 'sync-credit-hold',
  code: 'UNKNOWN_CUSTOMER',
  owner: 'finance',
  message: 'no SparkLayer customer has account 420',
  record: { id: '420', companyName: 'Sample Interiors Ltd', creditHoldOverride: { id: 'OFF' } },
};
const refusedWrite = {
  error: 'HTTP 400 The customer group credit-hold does not exist.',
  shape: 'Put SparkLayer customer',
  record: { id: '5f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f', company_name: 'Example Trading Ltd', group: 'credit-hold' },
};

export const sample = defineSample(step, {
  variables: { reminder_hours: '24', digest_above: '10', as_of: '2026-11-22T09:00:00Z' },
  records: [unknownAccount, refusedWrite],
  // The first run: no queue kept yet (the flow cache gave nothing back), so both are new and due.
  beside: { queue: [] },
  expected: { passed: ['420', '5f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f'], skipped: [], exceptions: [] },
});
