/**
 * Regressions for what hostile or sloppy input found in the built steps: each case runs the bundle Patchworks runs
 * (dist/scripts/<key>.js) on a real Node 18, in its own process, and judges it only against the contract: nothing
 * dropped, every exception carrying its record, whole-payload failures starting with the step key, exact money.
 * `npm test` builds first; these tests read dist/.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PatchworksData } from '../../runtime/contract.js';
import type { Envelope } from '../../runtime/envelope.js';
import { findNode18, runBundle } from '../../patchworks/runner/run-bundle.js';
import { sample as netsuiteSample } from '../../connectors/netsuite/map-order/sample.js';
import { sample as lightspeedRSample } from '../../connectors/lightspeed-r/map-order/sample.js';
import { sample as lightspeedXSample } from '../../connectors/lightspeed-x/map-order/sample.js';
import { sample as reconcileSample } from '../../scripts/reconcile-order-totals/sample.js';
import { ROOT } from '../support/steps.js';

const node18 = findNode18(ROOT);
if ('missing' in node18) throw new Error(node18.missing);

type Json = Record<string, unknown>;

/** Runs the built step on Node 18 and returns its envelope; fails the test if the step threw. */
async function runOn18(
  key: string,
  payload: unknown,
  variables: Record<string, string> = {},
  extra: Partial<PatchworksData> = {},
) {
  const run = await attempt(key, payload, variables, extra);
  expect(run.error, `${key} threw`).toBeUndefined();
  return { envelope: JSON.parse(run.result!.payload!) as Envelope, data: run.result! };
}

/** Runs the built step on Node 18, whatever it does. */
function attempt(
  key: string,
  payload: unknown,
  variables: Record<string, string> = {},
  extra: Partial<PatchworksData> = {},
) {
  const bundle = path.join(ROOT, 'dist', 'scripts', `${key}.js`);
  return runBundle((node18 as { path: string }).path, bundle, {
    payload: JSON.stringify(payload),
    variables,
    ...extra,
  });
}

const table = (rows: string[]) => ['left_value,right_value', ...rows].join('\r\n');
const clone = <T>(value: T): T => structuredClone(value);
const codes = (envelope: Envelope) => envelope.exceptions.map((e) => [e.id, e.code]);

describe('sync-credit-hold', () => {
  const primary = {
    id: 'acme-primary',
    accounting_id: 'A1',
    group: 'trade',
    payment_on_account: { credit_limit: 5000, balance: 250, currency_code: 'GBP' },
  };
  const subAccount = {
    id: 'acme-buyer',
    parent_customer_id: 'acme-primary',
    group: 'trade',
    email: 'buyer@example.test',
  };

  it.each(['both', 'credit_limit'])(
    'hold then release (hold_action=%s) gives back exactly what was there; a sub-account never gains Pay on Account',
    async (action) => {
      const customers = [primary, subAccount];
      const hold = await runOn18(
        'sync-credit-hold',
        { accounts: [{ account: 'A1', on_hold: true, credit_limit: '5000.00' }], customers },
        { hold_action: action },
      );
      const written = hold.envelope.records as Json[];
      for (const customer of written)
        if (customer.id === subAccount.id) expect(customer).not.toHaveProperty('payment_on_account');
      expect(written.find((c) => c.id === primary.id)).toMatchObject({ payment_on_account: { credit_limit: 0 } });

      const afterHold = customers.map((c) => written.find((w) => w.id === c.id) ?? c);
      const release = await runOn18(
        'sync-credit-hold',
        {
          accounts: [{ account: 'A1', on_hold: false, credit_limit: '5000.00', group: 'trade' }],
          customers: afterHold,
        },
        { hold_action: action },
      );
      const restored = afterHold.map((c) => (release.envelope.records as Json[]).find((w) => w.id === c.id) ?? c);
      expect(restored).toEqual(customers);
    },
  );

  it.each([
    ['""', '', undefined],
    ['" 1000 "', ' 1000 ', undefined],
    ['"n/a"', 'n/a', 'UNREADABLE_CREDIT_LIMIT'],
    ['"1,000.00"', '1,000.00', 'UNREADABLE_CREDIT_LIMIT'],
  ])("a customer's credit limit of %s is that account's business, never the whole step's", async (_, limit, code) => {
    const customers = [
      { id: 'good', accounting_id: 'A1', group: 'trade', payment_on_account: { credit_limit: 1000 } },
      { id: 'odd', accounting_id: 'A2', group: 'trade', payment_on_account: { credit_limit: limit } },
    ];
    const accounts = [
      { account: 'A1', on_hold: true, credit_limit: '1000' },
      { account: 'A2', on_hold: true, credit_limit: '1000' },
    ];
    const { envelope } = await runOn18('sync-credit-hold', { accounts, customers }, { hold_action: 'credit_limit' });
    expect(envelope.summary['sync-credit-hold']!.in).toBe(2);
    expect((envelope.records as Json[]).map((c) => c.id)).toEqual(code ? ['good'] : ['good', 'odd']);
    if (code) {
      expect(codes(envelope)).toEqual([['A2', code]]);
      expect(envelope.exceptions[0]!.message).toContain(JSON.stringify(limit));
      expect(envelope.exceptions[0]!.record).toEqual(accounts[1]);
    }
  });

  it(
    "is linear: 30,000 accounts against 30,000 customers answer well inside Patchworks' 120 s (quadratic " +
      'took over a minute)',
    async () => {
      const n = 30_000;
      const customers = Array.from({ length: n }, (_, i) => ({
        id: `c-${i}`,
        accounting_id: `A${i}`,
        group: 'trade',
        payment_on_account: { credit_limit: 100 },
      }));
      const accounts = Array.from({ length: n }, (_, i) => ({
        account: `A${i}`,
        on_hold: i % 2 === 0,
        credit_limit: '100',
      }));
      const { envelope } = await runOn18(
        'sync-credit-hold',
        { accounts, customers },
        { hold_action: 'both', release_group: 'trade' },
      );
      expect(envelope.summary['sync-credit-hold']).toEqual({ in: n, records: n / 2, skipped: n / 2, exceptions: 0 });
    },
    20_000,
  );

  it.each([
    ['KWD', '100.125', '50.000', '100.125'],
    ['GBP', '100.125', '50.00', '100.125'],
    ['JPY', '5000', '3000', '5000'],
    ['GBP', '7500', '5000.00', '7500.00'],
  ])(
    'writes a %s limit of %s over %s as %s: the precision it came with, and the currency’s',
    async (currency, erp, current, written) => {
      const customers = [
        {
          id: 'c',
          accounting_id: 'A1',
          group: 'trade',
          payment_on_account: { credit_limit: current, currency_code: currency },
        },
      ];
      const { envelope } = await runOn18('sync-credit-hold', {
        accounts: [{ account: 'A1', on_hold: false, credit_limit: erp, currency }],
        customers,
      });
      expect((envelope.records[0] as { payment_on_account: Json }).payment_on_account.credit_limit).toBe(written);
    },
  );
});

describe('reconcile-order-totals', () => {
  const [order] = reconcileSample.records as Json[];
  const target = (reference: string) => ({
    reference,
    currency: 'GBP',
    net: '157.50',
    tax: '31.50',
    gross: '189.00',
    shipping: '7.50',
  });

  it('accounts for a back-end order that names a quote, a cart or an unreadable purchase', async () => {
    const quote = { ...clone(order!), type: 'quote', purchase_identifiers: { sparklayer: 'q-1' } };
    const cart = { ...clone(order!), type: 'cart', purchase_identifiers: { sparklayer: 'c-1' } };
    const unreadable = { ...clone(order!), purchase_identifiers: { sparklayer: 'u-1' }, packages: [] };
    const targets = [target('q-1'), target('c-1'), target('u-1')];
    const { envelope } = await runOn18('reconcile-order-totals', {
      source: [quote, cart, unreadable],
      target: targets,
    });
    expect(envelope.summary['reconcile-order-totals']).toEqual({ in: 6, records: 0, skipped: 2, exceptions: 4 });
    expect(codes(envelope)).toEqual([
      ['u-1', 'INVALID_ORDER'],
      ['q-1', 'UNRECONCILED_TARGET_ORDER'],
      ['c-1', 'UNRECONCILED_TARGET_ORDER'],
      ['u-1', 'UNRECONCILED_TARGET_ORDER'],
    ]);
    expect(envelope.exceptions.slice(1).map((e) => e.record)).toEqual(targets);
  });

  it(
    'matches a purchase given twice through its first copy and skips the repeat, ' + 'with no false MISSING_IN_TARGET',
    async () => {
      const { envelope } = await runOn18('reconcile-order-totals', {
        source: [clone(order!), clone(order!)],
        target: [target('sl-1001')],
      });
      expect(envelope.summary['reconcile-order-totals']).toEqual({ in: 2, records: 1, skipped: 1, exceptions: 0 });
      expect(envelope.skipped.map((s) => s.reason)).toEqual(['duplicate']);
    },
  );

  it('reads a null field of a target as absent', async () => {
    const { envelope } = await runOn18('reconcile-order-totals', {
      source: [clone(order!)],
      target: [{ ...target('sl-1001'), po: null, shipping: null }],
    });
    expect(envelope.records).toHaveLength(1);
  });
});

describe('lookups use own keys only', () => {
  const [order] = netsuiteSample.records as Json[];
  const withShipping = (name: string) => {
    const copy = clone(order!) as { packages: Array<{ shipping_method: { name: string } }> };
    copy.packages[0]!.shipping_method.name = name;
    return copy;
  };

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'NetSuite: a shipping method named %s is not a ship method',
    async (name) => {
      const variables = { ...netsuiteSample.variables, ship_methods: table(['Next day,4']) };
      const { envelope } = await runOn18('map-order-to-netsuite', [withShipping(name)], variables);
      const body = envelope.records[0] as Json;
      expect(body).not.toHaveProperty('shipMethod');
      expect(body.memo).toContain(`Shipping: ${name} (no NetSuite ship method mapped)`);
    },
  );

  it.each(['constructor', 'valueOf', '__proto__'])(
    'NetSuite: a SKU named %s is not an item internal ID',
    async (sku) => {
      const copy = clone(order!) as { packages: Array<{ line_items: Array<{ identifiers: { sku: string } }> }> };
      copy.packages[0]!.line_items[0]!.identifiers.sku = sku;
      const variables = { ...netsuiteSample.variables, item_ids: table(['OTHER,12']) };
      const { envelope } = await runOn18('map-order-to-netsuite', [copy], variables);
      expect(codes(envelope)).toEqual([['sl-1001', 'UNRESOLVED_ITEM']]);
    },
  );

  it.each(['constructor', 'toString', '__proto__'])(
    'R-Series: a payment method named %s is an unknown payment method',
    async (method) => {
      const [rOrder] = lightspeedRSample.records as Json[];
      const { envelope } = await runOn18(
        'map-order-to-lightspeed-r',
        { records: [{ ...clone(rOrder!), payment_method: method }], products: lightspeedRSample.beside!.products },
        lightspeedRSample.variables,
      );
      const note = (envelope.records[0] as { SaleNotes: { InternalNote: { note: string } } }).SaleNotes.InternalNote
        .note;
      expect(note).toContain('Payment: unknown payment method, not settled in R-Series');
    },
  );
});

describe('a table whose keys collide once normalised fails the step, naming both lines', () => {
  it.each([
    [
      'map-order-to-netsuite',
      'tax_codes',
      { ...netsuiteSample.variables, tax_codes: table(['20,2:15', '5,2:16', '20.00,2:17']) },
    ],
    [
      'map-order-to-lightspeed-x',
      'tax_ids',
      {
        ...lightspeedXSample.variables,
        tax_ids: table([
          '20,b1d192bc-f019-11e3-a0f5-b8ca3a64f8f4',
          '5,b1d192bc-f019-11e3-a0f5-b8ca3a64f8f5',
          '20.00,b1d192bc-f019-11e3-a0f5-b8ca3a64f8f6',
        ]),
      },
    ],
    [
      'map-order-to-lightspeed-r',
      'tax_categories',
      { ...lightspeedRSample.variables, tax_categories: table(['20,3', '5,4', '20.00,5']) },
    ],
  ])('%s %s with 20 and 20.00', async (key, setting, variables) => {
    const run = await attempt(key, [], variables);
    expect(run.error).toMatch(
      new RegExp(
        `^${key}: setting "${setting}" is not valid: the table cannot be read: line 2 \\("20"\\) and ` +
          `line 4 \\("20.00"\\) are the same key "20"; keep one`,
      ),
    );
  });
});

describe('null is absent wherever a field is optional', () => {
  it('filter-live-orders: an order with platform null passes; a cart with status null is skipped', async () => {
    const order = {
      type: 'order',
      purchase_identifiers: { sparklayer: 'sl-1', platform: null, visible: null },
      status: null,
    };
    const cart = { type: 'cart', purchase_identifiers: { sparklayer: 'sl-2' }, status: null };
    const { envelope } = await runOn18('filter-live-orders', [order, cart]);
    expect(envelope.records).toEqual([order]);
    expect(envelope.skipped.map((s) => [s.id, s.reason])).toEqual([['sl-2', 'type:cart']]);
  });

  it('map-order-to-netsuite: customer_reference null books the order, with no PO', async () => {
    const [order] = netsuiteSample.records as Json[];
    const { envelope } = await runOn18(
      'map-order-to-netsuite',
      [{ ...clone(order!), customer_reference: null, dates: { placed_at: null } }],
      netsuiteSample.variables,
    );
    expect(envelope.exceptions).toEqual([]);
    expect(envelope.records[0]).not.toHaveProperty('otherRefNum');
    expect(envelope.records[0]).not.toHaveProperty('tranDate');
  });

  it('resolve-erp-account: null identifiers beside the Company ID are absent', async () => {
    const purchase = {
      type: 'order',
      purchase_identifiers: { sparklayer: 'sl-1', platform: null },
      customer_identifiers: { sparklayer: 'CO-1', sparklayer_child: null },
    };
    const { envelope } = await runOn18('resolve-erp-account', [purchase], { account_map: table(['CO-1,A1']) });
    expect(envelope.records).toEqual([{ ...purchase, erp_account: 'A1', erp_account_source: 'account_map' }]);
  });
});

describe('numbers that are not finite', () => {
  it('an account_map value of 1e400 (JSON reads Infinity) fails the step naming the key', async () => {
    const purchase = {
      type: 'order',
      purchase_identifiers: { sparklayer: 'sl-1' },
      customer_identifiers: { sparklayer: 'C1' },
    };
    const run = await attempt('resolve-erp-account', [purchase], { account_map: '{"C1": 1e400}' });
    expect(run.error).toMatch(
      new RegExp(
        /^resolve-erp-account: setting "account_map" is not valid: the table cannot be read: /.source +
          /key "C1": the value for "C1" is not a finite number/.source,
      ),
    );
  });
});

describe('a bad setting names the problem first and quotes a short excerpt', () => {
  it('a 100,000-row account map with one key mapped twice', async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => `CO-${i},A${i}`);
    rows.push('CO-7,A-again');
    const run = await attempt('resolve-erp-account', [], { account_map: table(rows) });
    expect(run.error).toMatch(
      new RegExp(
        /^resolve-erp-account: setting "account_map" is not valid: the table cannot be read: /.source +
          /"CO-7" is mapped twice \(line 9 and line 100002\); /.source +
          /keep one \(from variables: "left_value,right_value\\r\\nCO-0,A0[^"]*"… \([\d,]+ characters\)\)\.$/.source,
      ),
    );
    expect(run.error!.length).toBeLessThan(400);
  });
});

describe("Patchworks' empty maps", () => {
  it.each([
    ['[]', []],
    ['null', null],
  ])('variables, meta and flow sent as %s are empty', async (_, empty) => {
    const order = { type: 'order', purchase_identifiers: { sparklayer: 'sl-1' } };
    const run = await attempt('filter-live-orders', [order], undefined, {
      variables: empty,
      meta: empty,
      flow: empty,
    } as never);
    expect(run.error).toBeUndefined();
    expect(JSON.parse(run.result!.payload!).records).toEqual([order]);
    expect(run.result!.meta).toMatchObject({ filter_live_orders_records: '1' });
  });
});

describe('a PO number longer than the back-end holds is PO_TOO_LONG, before the back-end can refuse the order', () => {
  const withPo = (records: unknown[], po: string) =>
    records.map((record) => ({ ...clone(record as Json), customer_reference: po }));

  it('NetSuite: over po_max_length (default 45) is PO_TOO_LONG; 45 is booked with the PO in otherRefNum', async () => {
    const [order] = netsuiteSample.records;
    const { envelope } = await runOn18(
      'map-order-to-netsuite',
      [
        ...withPo([order], 'P'.repeat(46)),
        ...withPo([{ ...clone(order as Json), purchase_identifiers: { sparklayer: 'sl-ok' } }], 'P'.repeat(45)),
      ],
      netsuiteSample.variables,
    );
    expect(codes(envelope)).toEqual([['sl-1001', 'PO_TOO_LONG']]);
    expect(envelope.exceptions[0]!.message).toBe(
      'customer_reference is 46 characters; otherRefNum takes at most 45 (po_max_length)',
    );
    expect(envelope.records).toMatchObject([{ otherRefNum: 'P'.repeat(45) }]);
  });

  it.each([
    ['map-order-to-lightspeed-x', lightspeedXSample],
    ['map-order-to-lightspeed-r', lightspeedRSample],
  ] as const)(
    '%s: no length is documented, so a 500-character PO is booked unless po_max_length is set',
    async (key, sample) => {
      const records = withPo([sample.records[0]], 'P'.repeat(500));
      const payload = { records, ...sample.beside };
      const open = await runOn18(key, payload, sample.variables);
      expect(open.envelope.exceptions.map((e) => e.code)).not.toContain('PO_TOO_LONG');
      const capped = await runOn18(key, payload, { ...sample.variables, po_max_length: '100' });
      expect(capped.envelope.exceptions.map((e) => e.code)).toEqual(['PO_TOO_LONG']);
    },
  );
});

describe('map-stock-to-sparklayer: one bad stock level never fails the others', () => {
  const key = 'map-stock-to-sparklayer';
  const level = (sku: string, location: string, on_hand: string, extra: Json = {}) => ({
    sku,
    location,
    on_hand,
    ...extra,
  });
  const published = (envelope: Envelope) =>
    (envelope.records as Array<{ sku: string; stock_location_external_id: string; stock_level: number }>).map(
      (r) => `${r.sku}@${r.stock_location_external_id}=${r.stock_level}`,
    );

  it.each(['+5', ' 5', '5e2', '0x10', '1_000', 'Infinity', '+.5'])(
    'on_hand %j is that record’s INVALID_QUANTITY, naming field and value (a "+" once crashed the step)',
    async (value) => {
      const { envelope } = await runOn18(key, [level('MUG', '1', value), level('BOWL', '1', '2')]);
      expect(published(envelope)).toEqual(['BOWL@1=2']);
      expect(envelope.exceptions.map((e) => [e.id, e.code, e.message])).toEqual([
        ['MUG@1', 'INVALID_QUANTITY', `on_hand is ${JSON.stringify(value)}, not a plain decimal number`],
      ]);
    },
  );

  it('floors long decimals exactly, the buffer and packs included', async () => {
    const { envelope } = await runOn18(
      key,
      [
        level('MUG', '1', '4.99999999999999999999'),
        level('BOWL', '1', '5.00000000000000000001'),
        level('JUG', '1', '4.999999999999999999999999'),
        level('CUP', '1', '24.99999999999999999999999'),
      ],
      { stock_buffer: '1', unit_map: table(['CUP-CASE12,CUP*12']) },
    );
    expect(published(envelope)).toEqual(['MUG@1=3', 'BOWL@1=4', 'JUG@1=3', 'CUP@1=23', 'CUP-CASE12@1=1']);
  });

  it('a NUL inside a SKU or location is that record’s INVALID_RECORD, never a merged pair', async () => {
    const { envelope } = await runOn18(key, [
      level('A\u0000B', '1', '3'),
      level('A', 'B\u00001', '4'),
      level('A', 'B', '5'),
    ]);
    expect(published(envelope)).toEqual(['A@B=5']);
    expect(codes(envelope)).toEqual([
      ['A\u0000B@1', 'INVALID_RECORD'],
      ['A@B\u00001', 'INVALID_RECORD'],
    ]);
    expect(envelope.exceptions[0]!.message).toMatch(/^sku: "A\\u0000B" contains a control character \(U\+0000\)/);
  });

  it('archived_action=exception holds back the whole row an archived item feeds', async () => {
    const { envelope } = await runOn18(key, [level('MUG', '1', '4'), level('MUG', '2', '6', { archived: true })], {
      archived_action: 'exception',
      location_map: table(['1,WH-NORTH', '2,WH-NORTH']),
    });
    expect(envelope.records).toEqual([]);
    expect(codes(envelope)).toEqual([['MUG@2', 'ARCHIVED_ITEM']]);
    expect(envelope.skipped.map((s) => [s.id, s.reason])).toEqual([['MUG@1', 'held-back:archived']]);
  });
});
