// NetSuite credit holds back to SparkLayer: what the flow is for and its diagram are in README.md beside this.
import { defineBlueprint } from '../../patchworks/blueprint/blueprint.js';
import {
  exceptionQueueVariables,
  keepExceptionQueue,
  type KeptQueue,
} from '../../patchworks/blueprint/exception-loop.js';
import { ownerGroupVariables } from '../../patchworks/blueprint/owner-alerts.js';
import { promoted } from '../../patchworks/blueprint/promoted.js';
import { step as syncCreditHold } from '../../scripts/sync-credit-hold/step.js';

/** sync-credit-hold's settings this flow promotes to flow variables. */
const SYNC = promoted(syncCreditHold, ['hold_group', 'hold_action', 'release_group']);

/**
 * The flow's exception queue (flow scope, one key): every account or customer not synced, kept between runs; and the
 * data pool of dismissed queue keys, where an owner imports a key to stop hearing of that problem.
 */
const KEPT: KeptQueue = { cache: 'exception-queue', key: 'state', dismissed: 'credit-hold-dismissed' };
/** Flow-run caches: what this run read from each system, gathered for the one sync-credit-hold payload … */
const CUSTOMERS = 'credit-hold-sparklayer-customers';
const ACCOUNTS = 'credit-hold-netsuite-accounts';
/** … and this run's problems (the step's exceptions, the customers SparkLayer refused), for keep-exception-queue. */
const PROBLEMS = { cache: 'credit-hold-problems', key: 'problems' } as const;

export default defineBlueprint({
  key: 'netsuite-credit-hold-to-sparklayer',
  title: 'NetSuite credit hold to SparkLayer',
  purpose:
    "Every hour, holds a company's SparkLayer customers (primary and sub-accounts) when NetSuite puts " +
    'its customer on credit hold, and releases them when NetSuite lifts it; only customers whose state ' +
    'must change are written, and anything that cannot be synced is queued whole and told to its owner once.',
  variables: {
    ...SYNC.variables,
    ...exceptionQueueVariables(),
    ...ownerGroupVariables(),
  },
  lookups: {
    credit_accounts: {
      description:
        'NetSuite customer internal ID to a name for people (the flow reads the left value): one row per ' +
        'NetSuite customer whose credit hold is synced.',
      required: true,
    },
    account_map: {
      description:
        "SparkLayer customer ID (a company's primary customer and each sub-account that orders on its " +
        'account) to the NetSuite customer internal ID: the customers the flow reads and may write, and ' +
        'how sync-credit-hold links one without accounting_id.',
      required: true,
    },
  },
  shapes: [
    { type: 'trigger', name: 'Every hour', schedule: '0 * * * *' },
    {
      type: 'manual-payload',
      name: 'Accounts and customers to read',
      payload: '{"accounts": {{lookups.credit_accounts.rows}}, "customers": {{lookups.account_map.rows}}}',
    },
    {
      type: 'branch',
      name: 'Read, sync, write',
      branches: [
        {
          name: 'sparklayer',
          shapes: [
            { type: 'flow-control', name: 'One SparkLayer customer per payload', path: 'customers', size: 1 },
            // A customer SparkLayer does not have (404) is dropped here; sync-credit-hold reports its account.
            {
              type: 'connection',
              name: 'Read SparkLayer customer',
              connector: 'sparklayer',
              endpoint: 'getCustomer',
              variables: { identifier: '[[payload.left_value]]', lookupBy: 'sparklayer' },
              allow_unsuccessful_statuses: true,
            },
            { type: 'filter', name: 'Only customers SparkLayer has', rules: [{ field: 'id', operator: 'exists' }] },
            {
              type: 'add-to-cache',
              name: 'Keep the SparkLayer customers',
              cache: CUSTOMERS,
              key: 'customers',
              scope: 'flow-run',
              append: true,
            },
          ],
        },
        {
          name: 'netsuite',
          shapes: [
            { type: 'flow-control', name: 'One NetSuite account per payload', path: 'accounts', size: 1 },
            {
              type: 'connection',
              name: 'Read NetSuite customer',
              connector: 'netsuite',
              endpoint: 'getCustomer',
              variables: { id: '[[payload.left_value]]' },
            },
            {
              type: 'add-to-cache',
              name: 'Keep the NetSuite accounts',
              cache: ACCOUNTS,
              key: 'accounts',
              scope: 'flow-run',
              append: true,
            },
          ],
        },
        {
          name: 'sync',
          shapes: [
            {
              type: 'map',
              name: 'Accounts beside customers',
              fields: {
                accounts: { cache: ACCOUNTS, key: 'accounts' },
                customers: { cache: CUSTOMERS, key: 'customers' },
              },
            },
            {
              type: 'script',
              name: 'Plan the credit holds',
              step: 'sync-credit-hold',
              variables: {
                ...SYNC.placeholders,
                account_map: '{{lookups.account_map}}',
              },
            },
            {
              type: 'branch',
              name: 'Write or gather',
              branches: [
                {
                  name: 'write',
                  shapes: [
                    { type: 'flow-control', name: 'One customer per payload', path: 'records', size: 1 },
                    {
                      type: 'try-catch',
                      name: 'Catch refused customers',
                      try: [
                        {
                          type: 'connection',
                          name: 'Put SparkLayer customer',
                          connector: 'sparklayer',
                          endpoint: 'upsertCustomer',
                          variables: { identifier: '[[payload.id]]', lookupBy: 'sparklayer' },
                        },
                      ],
                      catch: [
                        {
                          type: 'map',
                          name: 'Keep the reason with the customer',
                          fields: {
                            error: { meta: 'error_message' },
                            shape: { meta: 'error_shape' },
                            record: { payload: '' },
                          },
                        },
                        {
                          type: 'add-to-cache',
                          name: 'Keep the refused customer',
                          ...PROBLEMS,
                          scope: 'flow-run',
                          append: true,
                        },
                      ],
                    },
                  ],
                },
                {
                  name: 'report',
                  shapes: [
                    { type: 'flow-control', name: 'One exception per payload', path: 'exceptions', size: 1 },
                    {
                      type: 'add-to-cache',
                      name: 'Keep the account not synced',
                      ...PROBLEMS,
                      scope: 'flow-run',
                      append: true,
                    },
                  ],
                },
              ],
            },
          ],
        },
        // Last: this run's problems beside the queue the last run kept; each owner told once, then each reminder.
        {
          name: 'keep',
          shapes: [
            ...keepExceptionQueue(KEPT, {
              problems: PROBLEMS,
              what: 'not synced',
              message:
                'Credit hold of [[payload.label]] not synced to SparkLayer ([[payload.what]]), ' +
                '[[payload.code]]: [[payload.text]]',
            }),
          ],
        },
      ],
    },
  ],
});
