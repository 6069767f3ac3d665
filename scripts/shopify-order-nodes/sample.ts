// A worked example of shopify-order-nodes, type-checked against the step; the tests run it.
import { defineSample } from '../../runtime/step.js';
import { step } from './step.js';

export const sample = defineSample(step, {
  variables: {},
  // One page of the pack's orders query: a card order SparkLayer booked (sparkCartId) goes on, keyed by its cart id;
  // a retail order on the same store is left out.
  records: [
    {
      data: {
        orders: {
          pageInfo: { hasNextPage: false, endCursor: 'MQ==' },
          nodes: [
            {
              id: 'gid://shopify/Order/5501',
              name: '#1042',
              customAttributes: [
                { key: 'sparkCartId', value: 'c4d5e6f7-0a1b-4c2d-8e3f-4a5b6c7d8e9f' },
                { key: 'sparkPaymentType', value: 'upfrontPayment' },
              ],
              customer: { id: 'gid://shopify/Customer/7702' },
              lineItems: { nodes: [] },
            },
            { id: 'gid://shopify/Order/5502', name: '#1043', customAttributes: [], lineItems: { nodes: [] } },
          ],
        },
      },
    },
  ],
  expected: { passed: [null], skipped: [], exceptions: [] },
});
