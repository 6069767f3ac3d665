// A worked example of group-due-alerts, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

const refusal = 'Update SparkLayer stock: HTTP 400 Bad Request: stock location warehouse-3 does not exist';

// A refused batch's rows (one more was dismissed, so the flow's de-dupe shape dropped it) and an archived item.
export const sample = defineSample(step, {
  variables: {},
  records: [
    {
      key: 'row:TOWEL-LINEN-NAT@warehouse-3',
      owner: 'integration' as const,
      code: 'STOCK_BATCH_REFUSED',
      what: 'not published',
      label: 'TOWEL-LINEN-NAT@warehouse-3',
      message: refusal,
    },
    {
      key: 'row:SOAP-OLIVE-100@warehouse-3',
      owner: 'integration' as const,
      code: 'STOCK_BATCH_REFUSED',
      what: 'not published',
      label: 'SOAP-OLIVE-100@warehouse-3',
      message: refusal,
    },
    {
      key: 'notice:JUG-STONE-1L@1',
      owner: 'operations' as const,
      code: 'ARCHIVED_ITEM',
      what: 'notice',
      label: 'JUG-STONE-1L@1',
      message: 'archived in the back-end: published as 0 (JUG-STONE-1L at warehouse-1)',
    },
  ],
  expected: {
    passed: ['row:TOWEL-LINEN-NAT@warehouse-3', 'row:SOAP-OLIVE-100@warehouse-3', 'notice:JUG-STONE-1L@1'],
    skipped: [],
    exceptions: [],
  },
});
