// A worked example of resolve-erp-account, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

const PRIMARY = '0b5e4d3c-2a19-4f08-9e7d-6c5b4a392817';
const SUB_ACCOUNT = '5f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f';
const MAPPED_ONLY = 'c1d2e3f4-0000-4000-8000-00000000000a';

export const sample = defineSample(step, {
  variables: { account_map: `left_value,right_value\r\n${MAPPED_ONLY},NS-CUST-0420\r\n` },
  beside: {
    customers: [
      { id: PRIMARY, company_name: 'Example Trading Ltd', accounting_id: 'EXAMPLE001' },
      { id: SUB_ACCOUNT, parent_customer_id: PRIMARY, email: 'pat.placeholder@example.com' },
    ],
  },
  records: [
    {
      type: 'order',
      purchase_identifiers: { sparklayer: 'order-by-primary' },
      customer_identifiers: { sparklayer: PRIMARY },
    },
    {
      type: 'order',
      purchase_identifiers: { sparklayer: 'order-by-sub-account' },
      customer_identifiers: { sparklayer: SUB_ACCOUNT },
    },
    {
      type: 'order',
      purchase_identifiers: { sparklayer: 'order-by-mapped-company' },
      customer_identifiers: { sparklayer: MAPPED_ONLY },
    },
    {
      type: 'order',
      purchase_identifiers: { sparklayer: 'order-by-new-company' },
      customer_identifiers: { sparklayer: 'brand-new-company' },
    },
  ],
  expected: {
    passed: ['order-by-primary', 'order-by-sub-account', 'order-by-mapped-company'],
    skipped: [],
    exceptions: [{ id: 'order-by-new-company', code: 'UNMAPPED_ACCOUNT' }],
  },
});
