// check-order-prices, table by table, over SparkLayer purchases (the documented order of
// fixtures/sparklayer/purchases/list.all-types.json, its lines replaced per case) carrying erp_account, with the ERP's
// canonical price rows beside as `prices`: quantity breaks, currencies, tiers, dates, unit_map, tolerance, and the two
// authorities.
import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/envelope.js';
import { step, type PriceDifference } from '../../scripts/check-order-prices/step.js';
import { purchase } from '../support/purchases.js';
import { run } from '../support/run.js';
import { CART_IDS, shopify, shopifyCustomers } from '../support/shopify-orders.js';

const PLACED = '2026-11-20T09:15:02+00:00';
type Line = [sku: string, quantity: number, net: string];
/** One order line: SKU, quantity, net line total. */
const TOWELS: Line = ['TOWEL-LINEN-NAT', 12, '54.00'];

/** The documented order with these lines, for `account` (C-1 unless said; null as resolve-erp-account writes it). */
const order = (id: string, lines: Line[] = [TOWELS], fields: Record<string, unknown> = {}) =>
  purchase({
    id,
    fields: {
      erp_account: 'C-1',
      dates: { created_at: '2026-11-19T16:00:00+00:00', placed_at: PLACED },
      packages: [
        {
          line_items: lines.map(([sku, quantity, net]) => ({
            identifiers: { sku },
            quantity,
            line_total: { total_net: { number: net, currency: 'gbp' } },
          })),
        },
      ],
      ...fields,
    },
  });
/** A canonical price row, GBP and not customer-specific unless `more` says. */
const row = (list: string, sku: string, quantity: number | string, price: number | string, more = {}) => ({
  price_list: list,
  sku,
  currency: 'GBP',
  quantity,
  price,
  ...more,
});
const towel = (list: string, quantity: number, price: string, more = {}) =>
  row(list, 'TOWEL-LINEN-NAT', quantity, price, more);

const ERP = {
  price_check: 'on',
  price_authority: 'erp',
  default_price_list: 'RETAIL',
  price_list_map: '{"C-1":"GOLD|TRADE"}',
};
const check = (records: unknown[], prices: unknown[], variables: Record<string, string> = {}) =>
  run(step, { records, prices }, { variables: { ...ERP, ...variables } });
const idOf = (record: unknown) =>
  (record as { purchase_identifiers: { sparklayer: string } }).purchase_identifiers.sparklayer;
const verdicts = (envelope: Envelope) => [
  ...envelope.records.map((record) => [idOf(record), 'pass']),
  ...envelope.skipped.map((entry) => [entry.id, `skip:${entry.reason}`]),
  ...envelope.exceptions.map((entry) => [entry.id, entry.code, entry.owner]),
];
const MISMATCH = ['PRICE_MISMATCH', 'finance'] as const;
const NO_PRICE = ['NO_ERP_PRICE', 'finance'] as const;
type Expected = 'pass' | typeof MISMATCH | typeof NO_PRICE;

type Row = [
  what: string,
  lines: Line[],
  prices: unknown[],
  variables: Record<string, string>,
  fields: Record<string, unknown>,
  expected: Expected,
];
function table(rows: Row[]) {
  it.each(rows)('%s', (_what, lines, prices, variables, fields, expected) => {
    const record = order('sl-1', lines, fields);
    const { envelope } = check([record], prices, variables);
    expect(verdicts(envelope)).toEqual([expected === 'pass' ? ['sl-1', 'pass'] : ['sl-1', ...expected]]);
    if (expected === 'pass') expect(envelope.records[0]).toEqual(record);
    else expect(envelope.exceptions[0]!.record).toEqual(record);
  });
}

describe('check-order-prices (price_authority=erp)', () => {
  describe('quantity breaks: the largest not above the line quantity', () => {
    const breaks = [towel('RETAIL', 1, '5.00'), towel('RETAIL', 12, '4.50'), towel('RETAIL', 24, '4.00')];
    table([
      ['12 at the 12 break', [['TOWEL-LINEN-NAT', 12, '54.00']], breaks, {}, {}, 'pass'],
      ['11 is below the 12 break: 5.00 applies', [['TOWEL-LINEN-NAT', 11, '49.50']], breaks, {}, {}, MISMATCH],
      ['11 at the base price', [['TOWEL-LINEN-NAT', 11, '55.00']], breaks, {}, {}, 'pass'],
      ['30 at the 24 break', [['TOWEL-LINEN-NAT', 30, '120.00']], breaks, {}, {}, 'pass'],
      ['30 at the 12 break is not the largest', [['TOWEL-LINEN-NAT', 30, '135.00']], breaks, {}, {}, MISMATCH],
      ['breaks given out of order', [['TOWEL-LINEN-NAT', 24, '96.00']], [...breaks].reverse(), {}, {}, 'pass'],
      [
        'a break as text',
        [['TOWEL-LINEN-NAT', 12, '54.00']],
        [towel('RETAIL', 1, '5.00'), row('RETAIL', 'TOWEL-LINEN-NAT', '12', 4.5)],
        {},
        {},
        'pass',
      ],
      [
        "a customer's only break above the quantity falls through to the lists",
        [['TOWEL-LINEN-NAT', 5, '25.00']],
        [towel('CUST', 12, '4.00', { erp_account: 'C-1' }), towel('RETAIL', 1, '5.00')],
        {},
        {},
        'pass',
      ],
    ]);
  });

  describe("currencies: only the order's", () => {
    table([
      [
        'a EUR row does not price a GBP order',
        [TOWELS],
        [towel('RETAIL', 1, '4.50', { currency: 'EUR' })],
        {},
        {},
        NO_PRICE,
      ],
      [
        'beside a EUR row at the same price, the GBP row applies',
        [TOWELS],
        [towel('RETAIL', 1, '4.50', { currency: 'EUR' }), towel('RETAIL', 1, '4.80')],
        {},
        {},
        MISMATCH,
      ],
      [
        'a EUR order, its row in lower case',
        [TOWELS],
        [towel('RETAIL', 1, '4.80'), towel('RETAIL', 1, '4.50', { currency: 'eur' })],
        {},
        {
          currency_code: 'EUR',
          packages: [
            {
              line_items: [
                {
                  identifiers: { sku: 'TOWEL-LINEN-NAT' },
                  quantity: 12,
                  line_total: { total_net: { number: '54.00', currency: 'EUR' } },
                },
              ],
            },
          ],
        },
        'pass',
      ],
    ]);
  });

  describe('tiers: customer-specific, then the mapped lists in order, then default_price_list', () => {
    const customer = (price: string, account = 'C-1') => towel('CUST', 1, price, { erp_account: account });
    table([
      [
        'customer over map over default',
        [TOWELS],
        [towel('RETAIL', 1, '5.00'), towel('TRADE', 1, '4.80'), customer('4.50')],
        {},
        {},
        'pass',
      ],
      [
        "another customer's price is never used",
        [TOWELS],
        [customer('4.50', 'C-2'), towel('TRADE', 1, '4.80')],
        {},
        {},
        MISMATCH,
      ],
      [
        "a customer row on a mapped list's name is still only the customer's",
        [TOWELS],
        [towel('GOLD', 1, '4.50', { erp_account: 'C-2' }), towel('TRADE', 1, '4.80')],
        {},
        {},
        MISMATCH,
      ],
      ['the first mapped list wins', [TOWELS], [towel('TRADE', 1, '4.80'), towel('GOLD', 1, '4.50')], {}, {}, 'pass'],
      [
        'the map order, not the rows order',
        [TOWELS],
        [towel('GOLD', 1, '4.80'), towel('TRADE', 1, '4.50')],
        {},
        {},
        MISMATCH,
      ],
      [
        'a list without the SKU falls to the next',
        [TOWELS],
        [row('GOLD', 'OTHER', 1, '1.00'), towel('TRADE', 1, '4.50')],
        {},
        {},
        'pass',
      ],
      ['the map over the default', [TOWELS], [towel('RETAIL', 1, '4.80'), towel('TRADE', 1, '4.50')], {}, {}, 'pass'],
      ['the default alone', [TOWELS], [towel('RETAIL', 1, '4.50')], {}, {}, 'pass'],
      [
        'an unmapped account: the default alone',
        [TOWELS],
        [towel('GOLD', 1, '4.50'), towel('RETAIL', 1, '4.80')],
        {},
        { erp_account: 'C-9' },
        MISMATCH,
      ],
      ['a list not mapped and not default is not read', [TOWELS], [towel('OTHER', 1, '4.50')], {}, {}, NO_PRICE],
      [
        'no default_price_list: nothing after the map',
        [TOWELS],
        [towel('RETAIL', 1, '4.50')],
        { default_price_list: '' },
        {},
        NO_PRICE,
      ],
    ]);
  });

  describe('an order with no erp_account is not guessed at: the default list alone', () => {
    const prices = [
      towel('CUST', 1, '4.50', { erp_account: 'C-1' }),
      towel('GOLD', 1, '4.50'),
      towel('RETAIL', 1, '4.80'),
    ];
    table([
      ['erp_account null', [TOWELS], prices, {}, { erp_account: null }, MISMATCH],
      ['erp_account absent', [TOWELS], prices, {}, { erp_account: undefined }, MISMATCH],
      ['erp_account blank', [TOWELS], prices, {}, { erp_account: '  ' }, MISMATCH],
      [
        'erp_account null, priced as the default',
        [TOWELS],
        [...prices, towel('RETAIL', 12, '4.50')],
        {},
        { erp_account: null },
        'pass',
      ],
      ['erp_account null, no default', [TOWELS], prices, { default_price_list: '' }, { erp_account: null }, NO_PRICE],
    ]);
  });

  describe("validity: inclusive days, on the order's placed date", () => {
    // The mapped TRADE row, dated; the default's 4.80 behind it is what applies when the dated row does not.
    const dated = (valid: Record<string, string>) => [towel('TRADE', 1, '4.50', valid), towel('RETAIL', 1, '4.80')];
    table([
      ['valid_to the placed day', [TOWELS], dated({ valid_to: '2026-11-20' }), {}, {}, 'pass'],
      ['valid_from the placed day', [TOWELS], dated({ valid_from: '2026-11-20' }), {}, {}, 'pass'],
      [
        'valid only on the placed day',
        [TOWELS],
        dated({ valid_from: '2026-11-20', valid_to: '2026-11-20' }),
        {},
        {},
        'pass',
      ],
      ['valid_to the day before', [TOWELS], [towel('RETAIL', 1, '4.50', { valid_to: '2026-11-19' })], {}, {}, NO_PRICE],
      [
        'valid_from the day after',
        [TOWELS],
        [towel('RETAIL', 1, '4.50', { valid_from: '2026-11-21' })],
        {},
        {},
        NO_PRICE,
      ],
      [
        'an expired row falls to the next tier',
        [TOWELS],
        [towel('TRADE', 1, '4.80', { valid_to: '2026-11-19' }), towel('RETAIL', 1, '4.50')],
        {},
        {},
        'pass',
      ],
      [
        'a date-time valid_to counts by its day',
        [TOWELS],
        [towel('RETAIL', 1, '4.50', { valid_to: '2026-11-20T00:00:00Z' })],
        {},
        {},
        'pass',
      ],
      [
        'null dates are no limit',
        [TOWELS],
        [towel('RETAIL', 1, '4.50', { valid_from: null, valid_to: null })],
        {},
        {},
        'pass',
      ],
      [
        'placed_at, not created_at, is the date',
        [TOWELS],
        [towel('RETAIL', 1, '4.50', { valid_from: '2026-11-20' })],
        {},
        {},
        'pass',
      ],
      [
        'no placed_at: created_at is the date',
        [TOWELS],
        [towel('RETAIL', 1, '4.50', { valid_from: '2026-11-20' })],
        {},
        { dates: { created_at: '2026-11-19T16:00:00+00:00' } },
        NO_PRICE,
      ],
      [
        'the placed day as SparkLayer writes it, in its offset',
        [TOWELS],
        [towel('RETAIL', 1, '4.50', { valid_to: '2026-11-20' })],
        {},
        { dates: { placed_at: '2026-11-20T23:30:00-05:00' } },
        'pass',
      ],
      [
        'of two rows at one break, the one valid from later',
        [TOWELS],
        [
          towel('RETAIL', 1, '4.50', { valid_from: '2026-11-01' }),
          towel('RETAIL', 1, '4.80', { valid_from: '2026-01-01' }),
        ],
        {},
        {},
        'pass',
      ],
      [
        'of two rows at one break, the one valid from later, whatever the order given',
        [TOWELS],
        [
          towel('RETAIL', 1, '4.80', { valid_from: '2026-01-01' }),
          towel('RETAIL', 1, '4.50', { valid_from: '2026-11-01' }),
        ],
        {},
        {},
        'pass',
      ],
    ]);
  });

  describe('unit_map: compared in the back-end SKU and units', () => {
    const CASES: Line = ['MUG-ENAMEL-CASE12', 2, '96.00'];
    const units = { unit_map: 'left_value,right_value\r\nMUG-ENAMEL-CASE12,MUG-ENAMEL*12' };
    table([
      ['2 cases of 12 at 96.00 are 24 at 4.00', [CASES], [row('RETAIL', 'MUG-ENAMEL', 1, '4.00')], units, {}, 'pass'],
      [
        'the break counts base units: 24 reaches the 24 break',
        [CASES],
        [row('RETAIL', 'MUG-ENAMEL', 1, '4.00'), row('RETAIL', 'MUG-ENAMEL', 24, '3.90')],
        units,
        {},
        MISMATCH,
      ],
      [
        'the break counts base units: 2 cases do not reach a 25 break',
        [CASES],
        [row('RETAIL', 'MUG-ENAMEL', 1, '4.00'), row('RETAIL', 'MUG-ENAMEL', 25, '3.90')],
        units,
        {},
        'pass',
      ],
      [
        'a row of the SparkLayer SKU is not the ERP price',
        [CASES],
        [row('RETAIL', 'MUG-ENAMEL-CASE12', 1, '48.00')],
        units,
        {},
        NO_PRICE,
      ],
      [
        'without unit_map, the case is the unit',
        [CASES],
        [row('RETAIL', 'MUG-ENAMEL-CASE12', 1, '48.00')],
        {},
        {},
        'pass',
      ],
      [
        '*12 keeps the SKU',
        [CASES],
        [row('RETAIL', 'MUG-ENAMEL-CASE12', 1, '4.00')],
        { unit_map: 'left_value,right_value\r\nMUG-ENAMEL-CASE12,*12' },
        {},
        'pass',
      ],
    ]);
  });

  describe('tolerance, per unit, in exact decimals', () => {
    const third: Line = ['TOWEL-LINEN-NAT', 3, '10.00'];
    const at333 = [towel('RETAIL', 1, '3.33')];
    table([
      ['3 × 0.10 is 0.30 exactly', [['TOWEL-LINEN-NAT', 3, '0.30']], [towel('RETAIL', 1, '0.10')], {}, {}, 'pass'],
      [
        '3 × 0.1 as a number row',
        [['TOWEL-LINEN-NAT', 3, '0.30']],
        [towel('RETAIL', 1, 0.1 as unknown as string)],
        {},
        {},
        'pass',
      ],
      ['10.00 / 3 against 3.33 at 0.00', [third], at333, { price_tolerance: '0.00' }, {}, MISMATCH],
      ['10.00 / 3 against 3.33 at 0.01', [third], at333, { price_tolerance: '0.01' }, {}, 'pass'],
      [
        '10.00 / 3 against 3.33 at 0.003: 0.00333… is above',
        [third],
        at333,
        { price_tolerance: '0.003' },
        {},
        MISMATCH,
      ],
      ['10.00 / 3 against 3.33 at 0.0034', [third], at333, { price_tolerance: '0.0034' }, {}, 'pass'],
      [
        'exactly at the tolerance passes',
        [['TOWEL-LINEN-NAT', 12, '55.20']],
        [towel('RETAIL', 1, '4.50')],
        { price_tolerance: '0.10' },
        {},
        'pass',
      ],
      [
        'just above it does not',
        [['TOWEL-LINEN-NAT', 12, '55.20']],
        [towel('RETAIL', 1, '4.50')],
        { price_tolerance: '0.09' },
        {},
        MISMATCH,
      ],
      [
        'charging less is a difference too',
        [['TOWEL-LINEN-NAT', 12, '52.80']],
        [towel('RETAIL', 1, '4.50')],
        {},
        {},
        MISMATCH,
      ],
      [
        'the default tolerance is 0.00',
        [['TOWEL-LINEN-NAT', 12, '54.12']],
        [towel('RETAIL', 1, '4.50')],
        {},
        {},
        MISMATCH,
      ],
      ['4.500 is 4.50', [TOWELS], [towel('RETAIL', 1, '4.500')], {}, {}, 'pass'],
    ]);
  });

  it('names every line, SKU, expected, actual and difference; keeps the record whole', () => {
    const record = order('sl-7', [
      ['MUG-ENAMEL-CASE12', 2, '96.00'],
      ['TOWEL-LINEN-NAT', 3, '10.00'],
      ['APRON', 1, '9.00'],
    ]);
    const { envelope } = check(
      [record],
      [row('RETAIL', 'MUG-ENAMEL', 1, '4.10'), towel('CUST', 1, '3.33', { erp_account: 'C-1' })],
      {
        unit_map: 'left_value,right_value\r\nMUG-ENAMEL-CASE12,MUG-ENAMEL*12',
      },
    );
    const [exception] = envelope.exceptions;
    expect(exception).toMatchObject({
      id: 'sl-7',
      step: 'check-order-prices',
      code: 'PRICE_MISMATCH',
      owner: 'finance',
      record,
    });
    expect(exception!.message).toBe(
      'line 1 MUG-ENAMEL-CASE12 (MUG-ENAMEL): expected 4.10, actual 4.00, difference -0.10 per unit ' +
        '(RETAIL, default_price_list); ' +
        'line 2 TOWEL-LINEN-NAT: expected 3.33, actual 3.3333333333…, difference 0.0033333333… per unit ' +
        '(CUST, customer); ' +
        'line 3 APRON: no ERP price for 1 in GBP (actual 9.00)',
    );
    expect(exception!.details).toEqual({
      erp_account: 'C-1',
      placed_date: '2026-11-20',
      price_differences: [
        {
          code: 'PRICE_MISMATCH',
          line: 1,
          sku: 'MUG-ENAMEL-CASE12',
          erp_sku: 'MUG-ENAMEL',
          quantity: '24',
          currency: 'GBP',
          actual: '4.00',
          expected: '4.10',
          difference: '-0.10',
          price_list: 'RETAIL',
          tier: 'default_price_list',
          price_row: 0,
        },
        {
          code: 'PRICE_MISMATCH',
          line: 2,
          sku: 'TOWEL-LINEN-NAT',
          quantity: '3',
          currency: 'GBP',
          actual: '3.3333333333',
          expected: '3.33',
          difference: '0.0033333333',
          price_list: 'CUST',
          tier: 'customer',
          price_row: 1,
        },
        { code: 'NO_ERP_PRICE', line: 3, sku: 'APRON', quantity: '1', currency: 'GBP', actual: '9.00' },
      ],
    });
  });

  it('an order whose only problem is a missing price is NO_ERP_PRICE, naming the line', () => {
    const { envelope } = check([order('sl-1', [TOWELS, ['APRON', 2, '18.00']])], [towel('RETAIL', 1, '4.50')]);
    expect(verdicts(envelope)).toEqual([['sl-1', ...NO_PRICE]]);
    expect(envelope.exceptions[0]!.message).toBe('line 2 APRON: no ERP price for 2 in GBP (actual 9.00)');
  });
});

describe('check-order-prices (price_authority=sparklayer)', () => {
  const SL = { price_authority: 'sparklayer' };
  const prices = [towel('RETAIL', 1, '4.40'), row('RETAIL', 'MUG-ENAMEL-CASE12', 1, '48.00')];

  it('is the default', () => {
    const { envelope } = run(
      step,
      { records: [order('sl-1')], prices },
      { variables: { price_check: 'on', default_price_list: 'RETAIL' } },
    );
    expect(verdicts(envelope)).toEqual([['sl-1', 'pass']]);
    expect(envelope.records[0]).toHaveProperty('price_differences');
  });

  it('continues with the differences recorded on the order, and counted in meta', () => {
    const records = [
      order('sl-1', [TOWELS, ['MUG-ENAMEL-CASE12', 2, '96.00'], ['APRON', 1, '9.00']]),
      order('sl-2', [['TOWEL-LINEN-NAT', 10, '44.00']]),
      order('sl-3', [['APRON', 1, '9.00']]),
    ];
    const { envelope, data } = check(records, prices, SL);
    expect(verdicts(envelope)).toEqual([
      ['sl-1', 'pass'],
      ['sl-2', 'pass'],
      ['sl-3', 'pass'],
    ]);
    const [first, second, third] = envelope.records as Array<Record<string, unknown>>;
    expect(first).toEqual({ ...records[0], price_differences: expect.any(Array) });
    expect(
      (first!.price_differences as PriceDifference[]).map((d) => [
        d.code,
        d.line,
        d.sku,
        d.expected,
        d.actual,
        d.difference,
      ]),
    ).toEqual([
      ['PRICE_MISMATCH', 1, 'TOWEL-LINEN-NAT', '4.40', '4.50', '0.10'],
      ['NO_ERP_PRICE', 3, 'APRON', undefined, '9.00', undefined],
    ]);
    // Correctly priced: exactly as it came.
    expect(second).toEqual(records[1]);
    expect(third).toMatchObject({ price_differences: [{ code: 'NO_ERP_PRICE', line: 1, sku: 'APRON' }] });
    expect(envelope.summary['check-order-prices']).toEqual({ in: 3, records: 3, skipped: 0, exceptions: 0 });
    expect(data.meta).toMatchObject({
      check_order_prices_orders_with_price_differences: '2',
      check_order_prices_price_mismatch_lines: '1',
      check_order_prices_no_erp_price_lines: '2',
    });
  });

  it('removes what an earlier run recorded when the order now prices correctly, and replaces it when not', () => {
    const stale = {
      ...order('sl-1', [['TOWEL-LINEN-NAT', 10, '44.00']]),
      price_differences: [{ code: 'PRICE_MISMATCH' }],
    };
    const wrong = { ...order('sl-2'), price_differences: [{ code: 'OLD' }] };
    const { envelope, data } = check([stale, wrong], prices, SL);
    const { price_differences: _, ...fresh } = stale;
    expect(envelope.records[0]).toEqual(fresh);
    expect((envelope.records[1] as { price_differences: PriceDifference[] }).price_differences).toMatchObject([
      { code: 'PRICE_MISMATCH', line: 1 },
    ]);
    expect(data.meta).toMatchObject({ check_order_prices_orders_with_price_differences: '1' });
  });
});

describe('check-order-prices: what cannot be read', () => {
  const prices = [towel('RETAIL', 1, '4.50')];

  it('one bad order never fails the others', () => {
    const noLines = order('bad-lines', [], {});
    const badDate = order('bad-date', [TOWELS], { dates: { placed_at: '20/11/2026' } });
    const noDate = order('no-date', [TOWELS], { dates: {} });
    const noCurrency = order('no-currency', [TOWELS], { currency_code: undefined, calculated_total: undefined });
    const badAccount = order('bad-account', [TOWELS], { erp_account: 1104 });
    const badNet = order('bad-net', [TOWELS], {
      packages: [
        {
          line_items: [
            {
              identifiers: { sku: 'TOWEL-LINEN-NAT' },
              quantity: 12,
              line_total: { total_net: { number: 'lots', currency: 'gbp' } },
            },
          ],
        },
      ],
    });
    const { envelope } = check(
      [
        noLines,
        order('good'),
        badDate,
        noDate,
        noCurrency,
        badAccount,
        badNet,
        order('wrong', [['TOWEL-LINEN-NAT', 1, '5.00']]),
      ],
      prices,
    );
    expect(verdicts(envelope)).toEqual([
      ['good', 'pass'],
      ['bad-lines', 'INVALID_ORDER', 'customer service'],
      ['bad-date', 'INVALID_ORDER', 'customer service'],
      ['no-date', 'INVALID_ORDER', 'customer service'],
      ['no-currency', 'INVALID_ORDER', 'customer service'],
      ['bad-account', 'INVALID_RECORD', 'integration'],
      ['bad-net', 'INVALID_ORDER', 'customer service'],
      ['wrong', ...MISMATCH],
    ]);
    const messages = envelope.exceptions.map((e) => e.message);
    expect(messages.slice(0, 4)).toEqual([
      'the purchase has no line items',
      'dates.placed_at: "20/11/2026" is not an ISO 8601 date-time',
      'dates.placed_at: missing (and no dates.created_at), so which prices were valid cannot be told',
      'currency_code: missing, and calculated_total names no currency',
    ]);
    expect(messages[4]).toMatch(/^erp_account: /);
    expect(messages[5]).toMatch(/total_net/);
    expect(envelope.summary['check-order-prices']).toEqual({ in: 8, records: 1, skipped: 0, exceptions: 7 });
  });

  it.each([
    [
      'a price that is not a decimal',
      [towel('RETAIL', 1, '4.50'), towel('RETAIL', 12, 'abc')],
      'prices[1].price: "abc" is not a decimal price',
    ],
    ['a price as a float-looking text', [towel('RETAIL', 1, '1e2')], 'prices[0].price: "1e2" is not a decimal price'],
    ['a negative price', [towel('RETAIL', 1, '-4.50')], 'prices[0].price: -4.50 is below 0'],
    ['a quantity of 0', [towel('RETAIL', 0, '4.50')], 'prices[0].quantity: 0 is not above 0'],
    ['a blank SKU', [row('RETAIL', ' ', 1, '4.50')], 'prices[0].sku: must not be blank'],
    [
      'a currency that is no code',
      [towel('RETAIL', 1, '4.50', { currency: 'pounds' })],
      'prices[0].currency: must be an ISO 4217 code',
    ],
    [
      'an impossible date',
      [towel('RETAIL', 1, '4.50', { valid_to: '2026-02-30' })],
      'prices[0].valid_to: is not an ISO 8601 date',
    ],
    [
      'valid_to before valid_from',
      [towel('RETAIL', 1, '4.50', { valid_from: '2026-12-01', valid_to: '2026-11-01' })],
      'prices[0].valid_to: valid_to is before valid_from',
    ],
    ['no price list', [{ sku: 'X', currency: 'GBP', quantity: 1, price: '1' }], 'prices[0].price_list: '],
  ])('a bad price row (%s) refuses the step, naming its index and field', (_what, rows, message) => {
    expect(() => check([order('sl-1')], rows)).toThrow(
      `check-order-prices: the data beside the records is malformed at ${message}`,
    );
  });

  it('prices not a list refuses the step; prices missing is no ERP price: every line NO_ERP_PRICE', () => {
    expect(() => check([order('sl-1')], 'none' as unknown as unknown[])).toThrow(/prices must be the list/);
    const { envelope } = run(step, { records: [order('sl-1')] }, { variables: ERP });
    expect(verdicts(envelope)).toEqual([['sl-1', ...NO_PRICE]]);
  });

  it('an empty price list is read: every line NO_ERP_PRICE', () => {
    expect(verdicts(check([order('sl-1')], []).envelope)).toEqual([['sl-1', ...NO_PRICE]]);
  });

  it.each([
    ['price_tolerance', '-0.01'],
    ['price_tolerance', '1,5'],
    ['price_authority', 'customer'],
    ['price_list_map', '{"C-1":" | "}'],
  ])('a bad %s (%j) refuses the step', (key, value) => {
    expect(() => check([order('sl-1')], prices, { [key]: value })).toThrow(new RegExp(key));
  });
});

describe('check-order-prices price_check', () => {
  const wrong = [towel('RETAIL', 1, '9.99')];
  const off = { ...ERP, price_check: 'off' };

  it('is off by default: every order passes as it came, with or without prices, nothing counted', () => {
    const { price_check: _on, ...unset } = ERP;
    const records = [order('sl-1'), order('sl-2', [['NO-SUCH-SKU', 1, '1.00']]), { no: 'purchase at all' }];
    for (const variables of [unset, off]) {
      for (const beside of [{ prices: wrong }, {}, { prices: 'not a list' }, { prices: [{ sku: ' ' }] }]) {
        const { envelope, data } = run(step, { records, ...beside }, { variables });
        expect(envelope.records).toEqual(records);
        expect(envelope.exceptions).toEqual([]);
        expect(envelope).not.toHaveProperty('prices');
        expect(data.meta).toMatchObject({
          check_order_prices_orders_with_price_differences: '0',
          check_order_prices_price_mismatch_lines: '0',
          check_order_prices_no_erp_price_lines: '0',
        });
      }
    }
  });

  it('on: the same order is checked, and prices are not handed on', () => {
    const { envelope } = check([order('sl-1')], wrong);
    expect(verdicts(envelope)).toEqual([['sl-1', ...MISMATCH]]);
    expect(envelope).not.toHaveProperty('prices');
  });

  it('a price_check other than on or off refuses the step', () => {
    expect(() => check([order('sl-1')], wrong, { price_check: 'yes' })).toThrow(/price_check/);
  });
});

describe('check-order-prices with order_format (Shopify orders booked by SparkLayer checkout)', () => {
  const record = { ...shopify.graphql.cardOrder, erp_account: 'NS-7702' };
  const onShopify = (prices: unknown[] | undefined, variables: Record<string, string> = {}) =>
    run(
      step,
      { records: [record], customers: shopifyCustomers, ...(prices ? { prices } : {}) },
      { variables: { ...ERP, order_format: 'shopify_graphql', ...variables } },
    ).envelope;

  it('reads the Shopify order at the boundary: its lines priced as the ERP prices them pass as they came', () => {
    // No prices: every line NO_ERP_PRICE, naming its SKU, quantity and actual unit price.
    const none = onShopify(undefined);
    expect(none.exceptions.map((x) => [x.id, x.code])).toEqual([[CART_IDS.cardOrder, 'NO_ERP_PRICE']]);
    const details = none.exceptions[0]!.details as { erp_account: string; price_differences: PriceDifference[] };
    expect(details.erp_account).toBe('NS-7702');
    const lines = details.price_differences;
    expect(lines.length).toBeGreaterThan(0);
    // The same prices in the ERP, on the default list: the order passes, exactly as it came.
    const same = lines.map((d) => row('RETAIL', d.erp_sku ?? d.sku, 1, d.actual, { currency: d.currency }));
    const priced = onShopify(same);
    expect(priced.exceptions).toEqual([]);
    expect(priced.records).toEqual([record]);
    // The ERP's price of the first line 1.00 lower: PRICE_MISMATCH for finance, the record kept as it came.
    const lower = same.map((r, i) => (i === 0 ? { ...r, price: new Big(r.price).minus(1).toFixed(2) } : r));
    const mismatch = onShopify(lower);
    expect(mismatch.exceptions.map((x) => [x.id, x.code, x.owner])).toEqual([[CART_IDS.cardOrder, ...MISMATCH]]);
    expect(mismatch.exceptions[0]!.record).toEqual(record);
    // Off: not even read.
    expect(onShopify(lower, { price_check: 'off' }).records).toEqual([record]);
  });
});
