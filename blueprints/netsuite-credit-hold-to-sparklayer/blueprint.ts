// NetSuite credit holds back to SparkLayer: what the flow is for and its diagram are in README.md beside this.
import { defineBlueprint } from '../../patchworks/blueprint/blueprint.js';

/** The exceptions queue's key for this flow (the queue is shared by the pack's flows, one key each). */
const QUEUE_KEY = 'netsuite-credit-hold-sparklayer';
/** Flow-run caches: what this run read from each system, gathered for the one sync-credit-hold payload. */
const CUSTOMERS = 'credit-hold-sparklayer-customers';
const ACCOUNTS = 'credit-hold-netsuite-accounts';

export default defineBlueprint({
  key: 'netsuite-credit-hold-to-sparklayer',
  title: 'NetSuite credit hold to SparkLayer',
  purpose:
    "Every hour, holds a company's SparkLayer customers (primary and sub-accounts) when NetSuite puts " +
    'its customer on credit hold, and releases them when NetSuite lifts it; only customers whose state ' +
    'must change are written, and anything that cannot be synced is reported and queued whole.',
  variables: {
    hold_group: {
      description:
        'sync-credit-hold hold_group: the SparkLayer customer group for held customers (its ' +
        'payment-methods rule must not offer Pay on Account).',
      default: 'credit-hold',
    },
    hold_action: { description: 'sync-credit-hold hold_action: group, credit_limit or both.', default: 'group' },
    release_group: {
      description:
        'sync-credit-hold release_group: the group a released customer returns to (empty: keep the group ' +
        'unless it is the hold group).',
      default: '',
    },
    notify_email_group: {
      description: 'Who hears about a credit hold that was not synced (a Patchworks notification group).',
      default: 'Credit control',
    },
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
                hold_group: '{{flow.variables.hold_group}}',
                hold_action: '{{flow.variables.hold_action}}',
                release_group: '{{flow.variables.release_group}}',
                account_map: '{{lookups.account_map}}',
              },
            },
            {
              type: 'branch',
              name: 'Write or report',
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
                          type: 'notify',
                          name: 'Tell credit control: refused',
                          level: 'error',
                          message:
                            'SparkLayer refused the credit hold change to customer [[payload.id]] ' +
                            '([[payload.company_name]]): [[meta.error_message]] ' +
                            '({{flow.variables.notify_email_group}})',
                        },
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
                          name: 'Queue the refused customer',
                          cache: 'exceptions-queue',
                          key: QUEUE_KEY,
                          scope: 'company',
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
                      type: 'notify',
                      name: 'Tell credit control: not synced',
                      level: 'warning',
                      message:
                        'Credit hold of NetSuite customer [[payload.id]] not synced to SparkLayer, ' +
                        '[[payload.code]]: [[payload.message]] ({{flow.variables.notify_email_group}})',
                    },
                    {
                      type: 'add-to-cache',
                      name: 'Queue the account not synced',
                      cache: 'exceptions-queue',
                      key: QUEUE_KEY,
                      scope: 'company',
                      append: true,
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
  ],
});
