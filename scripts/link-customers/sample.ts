// A worked example of link-customers, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

export const sample = defineSample(step, {
  variables: { master: 'erp', link_by: 'account_code' },
  records: [
    // Linked to SparkLayer's ACME001: the ERP's credit limit (5000 = "5000.00") and group win; the link is written.
    {
      source: 'netsuite',
      id: '1042',
      account_code: 'ACME001',
      company_name: 'Acme Ltd',
      email: 'accounts@acme.example',
      credit_limit: '5000',
      group: 'trade',
      address: { address_line1: '1 High St', city: 'Leeds', postcode: 'LS1 1AA', country_code: 'GB' },
    },
    // Not in SparkLayer yet: skipped.
    { source: 'netsuite', id: '1043', account_code: 'BETA002', company_name: 'Beta Tools' },
    // No account code: NO_SHARED_CUSTOMER_ID.
    { source: 'netsuite', id: '1044', company_name: 'Gamma Supplies' },
    // SparkLayer's "DELTA LIMITED" under another code may be this one: POSSIBLE_DUPLICATE_CUSTOMER (and
    // SparkLayer's is an exception of its own).
    { source: 'netsuite', id: '1045', account_code: 'DELTA001', company_name: 'Delta Ltd' },
  ],
  beside: {
    sparklayer_customers: [
      {
        source: 'sparklayer',
        id: '4217ba4f-0c1d-4e2a-9b3c-5d6e7f809a1b',
        account_code: 'ACME001',
        company_name: 'Acme Ltd',
        email: 'buyer@acme.example',
        credit_limit: '5000.00',
        group: 'base',
        address: { address_line1: '1 High St', city: 'Leeds', postcode: 'LS1 1AA', country_code: 'GB' },
      },
      {
        source: 'sparklayer',
        id: '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5',
        account_code: 'DELTA7',
        company_name: 'DELTA LIMITED',
      },
    ],
  },
  expected: {
    passed: [null],
    skipped: [{ id: '1043', reason: 'no-sparklayer-customer' }],
    exceptions: [
      { id: '1044', code: 'NO_SHARED_CUSTOMER_ID' },
      { id: '1045', code: 'POSSIBLE_DUPLICATE_CUSTOMER' },
      { id: '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5', code: 'POSSIBLE_DUPLICATE_CUSTOMER' },
    ],
  },
});
