import { describe, expect, it } from 'vitest';
import { toPatchworksHandler } from '../../runtime/step.js';
import { step } from '../../scripts/sync-credit-hold/step.js';
import { fixtureBody } from '../support/fixtures.js';
import { run } from '../support/run.js';

type Customer = Record<string, unknown> & { id: string; payment_on_account?: Record<string, unknown> | null };
const primary = fixtureBody('fixtures/sparklayer/customers/get.primary.json') as Customer;
const subAccount = fixtureBody('fixtures/sparklayer/customers/get.sub-account.json') as Customer;
const ACCOUNT = primary.accounting_id as string;
const held = { account: ACCOUNT, on_hold: true, credit_limit: '5000.00', balance: '5200.00', currency: 'GBP' };
const released = { account: ACCOUNT, on_hold: false, credit_limit: '7500.00', balance: '100.00', currency: 'GBP' };
const sync = (accounts: unknown[], customers: unknown[], variables: Record<string, string> = {}) =>
  run(step, { accounts, customers }, { variables });

describe('sync-credit-hold', () => {
  it("holds the company's primary customer and its sub-account together, changing only the group", () => {
    const { envelope, data } = sync([held], [primary, subAccount]);
    expect(envelope.records).toEqual([
      { ...primary, group: 'credit-hold' },
      { ...subAccount, group: 'credit-hold' },
    ]);
    expect(envelope.summary['sync-credit-hold']).toEqual({ in: 1, records: 1, skipped: 0, exceptions: 0 });
    expect(data.meta).toMatchObject({ sync_credit_hold_customers_written: '2' });
  });

  it(
    'with hold_action=credit_limit sets the Pay on Account limit to 0 and keeps everything else, payment ' +
      'terms included',
    () => {
      const { envelope } = sync([held], [primary, subAccount], { hold_action: 'credit_limit' });
      expect(envelope.records).toEqual([
        { ...primary, payment_on_account: { ...primary.payment_on_account, credit_limit: 0 } },
      ]);
      // The sub-account has no payment_on_account: it has no limit to hold, and never gains Pay on Account from a sync.
      expect(subAccount.payment_on_account ?? undefined).toBeUndefined();
    },
  );

  it('says so when a limit-only hold finds no Pay on Account limit to hold', () => {
    const { envelope } = sync([held], [subAccount, { ...primary, payment_on_account: null }], {
      hold_action: 'credit_limit',
    });
    expect(envelope.records).toEqual([]);
    expect(envelope.skipped).toEqual([{ id: ACCOUNT, step: 'sync-credit-hold', reason: 'no_credit_limit_to_hold' }]);
  });

  it('with hold_action=both does both', () => {
    const { envelope } = sync([held], [primary], { hold_action: 'both' });
    expect(envelope.records).toEqual([
      { ...primary, group: 'credit-hold', payment_on_account: { ...primary.payment_on_account, credit_limit: 0 } },
    ]);
  });

  it("releases: back to the account's group, or release_group, with the ERP's credit limit", () => {
    const onHold = {
      ...primary,
      group: 'credit-hold',
      payment_on_account: { ...primary.payment_on_account, credit_limit: 0 },
    };
    expect(sync([{ ...released, group: 'trade-gold' }], [onHold]).envelope.records).toEqual([
      { ...primary, group: 'trade-gold', payment_on_account: { ...primary.payment_on_account, credit_limit: 7500 } },
    ]);
    expect(sync([released], [onHold], { release_group: 'base' }).envelope.records).toEqual([
      { ...primary, group: 'base', payment_on_account: { ...primary.payment_on_account, credit_limit: 7500 } },
    ]);
  });

  it('keeps the credit limit in the form the customer had it (a decimal string stays a string)', () => {
    const withText = { ...primary, payment_on_account: { ...primary.payment_on_account, credit_limit: '5000.00' } };
    expect((sync([released], [withText]).envelope.records[0] as Customer).payment_on_account!.credit_limit).toBe(
      '7500.00',
    );
  });

  it('skips an account whose customers are already as the ERP says, writing nothing', () => {
    const { envelope } = sync([{ ...released, credit_limit: '5000' }], [primary, subAccount]);
    expect(envelope.records).toEqual([]);
    expect(envelope.skipped).toEqual([{ id: ACCOUNT, step: 'sync-credit-hold', reason: 'unchanged' }]);
  });

  it('is idempotent: running again on the customers it wrote changes nothing', () => {
    for (const [account, variables] of [
      [held, { hold_action: 'both' }],
      [{ ...released, group: 'trade' }, {}],
    ] as const) {
      const first = sync([account], [primary, subAccount], variables).envelope;
      const updated = [primary, subAccount].map((c) => (first.records as Customer[]).find((w) => w.id === c.id) ?? c);
      const second = sync([account], updated, variables).envelope;
      expect(second.records).toEqual([]);
      expect(second.skipped.map((s) => s.reason)).toEqual(['unchanged']);
    }
  });

  it('reports an account with no SparkLayer customer as UNKNOWN_CUSTOMER, keeping the account record', () => {
    const stranger = { account: '9999', on_hold: true };
    const { envelope } = sync([stranger], [primary]);
    expect(envelope.exceptions).toEqual([
      {
        id: '9999',
        step: 'sync-credit-hold',
        code: 'UNKNOWN_CUSTOMER',
        message: 'no SparkLayer customer has account 9999',
        record: stranger,
        owner: 'finance',
      },
    ]);
  });

  it('finds companies through account_map when their account is not in accounting_id', () => {
    const unlinked = { ...primary, accounting_id: null };
    const { envelope } = sync([{ account: 'NS-77', on_hold: true }], [unlinked, subAccount], {
      account_map: `left_value,right_value\n${primary.id},NS-77`,
    });
    expect((envelope.records as Customer[]).map((c) => c.id)).toEqual([primary.id, subAccount.id]);
  });

  it('will not guess where a released customer goes: MISSING_RELEASE_GROUP', () => {
    const { envelope } = sync([released], [{ ...primary, group: 'credit-hold' }]);
    expect(envelope.exceptions.map((e) => e.code)).toEqual(['MISSING_RELEASE_GROUP']);
  });

  it('flags an account given twice', () => {
    const { envelope } = sync([held, released], [primary]);
    expect(envelope.exceptions.map((e) => [e.id, e.code])).toEqual([[ACCOUNT, 'DUPLICATE_ACCOUNT']]);
  });

  describe('native NetSuite customer records', () => {
    const netsuite = (id: string, override: 'ON' | 'OFF' | 'AUTO', balance: number, creditLimit = 5000) => ({
      id,
      entityId: `CUST${id}`,
      companyName: 'Example Trading Ltd',
      creditLimit,
      balance,
      creditHoldOverride: { id: override, refName: override === 'AUTO' ? 'Auto' : override === 'ON' ? 'On' : 'Off' },
    });
    const customers = [primary, subAccount];

    it.each([
      ['ON holds, whatever the balance', netsuite(ACCOUNT, 'ON', 10), true],
      ['OFF never holds, even over the limit', netsuite(ACCOUNT, 'OFF', 9000), false],
      ['AUTO holds when the balance is over the credit limit', netsuite(ACCOUNT, 'AUTO', 5000.01), true],
      ['AUTO does not hold at or under the limit', netsuite(ACCOUNT, 'AUTO', 5000), false],
    ])('%s', (_, account, shouldHold) => {
      const { envelope } = sync([account], customers, { hold_action: 'group' });
      if (shouldHold)
        expect((envelope.records as Customer[]).map((c) => c.group)).toEqual(['credit-hold', 'credit-hold']);
      else expect(envelope.skipped.map((s) => s.reason)).toEqual(['unchanged']);
    });

    it('takes the credit limit from NetSuite on release', () => {
      const { envelope } = sync([netsuite(ACCOUNT, 'OFF', 0, 8000)], customers);
      expect((envelope.records as Customer[])[0]!.payment_on_account).toEqual({
        ...primary.payment_on_account,
        credit_limit: 8000,
      });
    });
  });

  it('makes a record that is neither kind of account an INVALID_RECORD exception', () => {
    const { envelope } = sync([{ account: 'X' }], [primary]);
    expect(envelope.exceptions[0]).toMatchObject({ code: 'INVALID_RECORD', record: { account: 'X' } });
  });

  it.each([
    [
      { hold_action: 'freeze' },
      'sync-credit-hold: setting "hold_action" is not valid: "freeze" is not one of group, credit_limit, ' +
        'both (from variables: "freeze").',
    ],
    [{ account_map: 'a,b\n1,2' }, 'sync-credit-hold: setting "account_map"'],
  ])('fails the whole step on a bad setting %j', async (variables, message) => {
    await expect(
      toPatchworksHandler(step)({ payload: JSON.stringify({ accounts: [], customers: [] }), variables }),
    ).rejects.toThrow(message);
  });

  it('fails the whole step when accounts is not a list', async () => {
    await expect(
      toPatchworksHandler(step)({ payload: JSON.stringify({ accounts: { account: 'X' } }) }),
    ).rejects.toThrow('sync-credit-hold: the payload\'s "accounts" is an object, not an array.');
  });
});
