// flag-stale-orders, table by table, over SparkLayer purchases (the documented order of
// fixtures/sparklayer/purchases/list.all-types.json: 2 MUG-ENAMEL-CASE12 and 12 TOWEL-LINEN-NAT) with the canonical
// fulfilments beside as `fulfilments`: live orders placed long ago and not all shipped, and held Pay on Account orders
// held too long.
import { describe, expect, it } from 'vitest';
import { ON_ACCOUNT_HELD_BY_DEFAULT } from '../../patchworks/blueprint/order-flow.js';
import type { Envelope } from '../../runtime/envelope.js';
import { step } from '../../scripts/flag-stale-orders/step.js';
import { purchase } from '../support/purchases.js';
import { run } from '../support/run.js';

const AS_OF = '2026-11-23T09:00:00Z';
const HOUR = 3_600_000;
const hoursBefore = (hours: number) => new Date(Date.parse(AS_OF) - hours * HOUR).toISOString();

/** The documented order, placed `hoursAgo` before AS_OF, paid by `payment` (Pay by Invoice unless said). */
const order = (id: string, hoursAgo: number, payment = 'invoice', fields: Record<string, unknown> = {}) =>
  purchase({
    id,
    fields: {
      payment_method: payment,
      dates: { created_at: hoursBefore(hoursAgo + 1), placed_at: hoursBefore(hoursAgo) },
      ...fields,
    },
  });
/** A canonical fulfilment of `purchaseId`, as JSON: quantities as text or numbers. */
const shipment = (purchaseId: string, id: string, lines: Record<string, string | number>, more = {}) => ({
  purchase_id: purchaseId,
  transaction_id: id,
  shipped_at: '2026-11-21',
  lines: Object.entries(lines).map(([sku, quantity]) => ({ sku, quantity })),
  ...more,
});
const ALL = { 'MUG-ENAMEL-CASE12': 2, 'TOWEL-LINEN-NAT': '12' };
/** The order's own package (what it ordered), as purchase() gives it. */
const orderedPackage = () => (purchase().packages as unknown[])[0];
/** A package map-fulfilment-to-sparklayer writes on the purchase: `type` shipment (or return), the transaction id. */
const shipmentPackage = (transactionId: string | undefined, lines: Record<string, number>, type = 'shipment') => ({
  type,
  ...(transactionId === undefined ? {} : { identifiers: { internal: transactionId } }),
  line_items: Object.entries(lines).map(([sku, quantity]) => ({ identifiers: { sku }, quantity })),
});
/** The order placed `hoursAgo`, holding its own package and then `written`, the packages the fulfilment flows wrote. */
const withPackages = (id: string, hoursAgo: number, written: unknown[]) =>
  order(id, hoursAgo, 'invoice', { packages: [orderedPackage(), ...written] });

const flag = (records: unknown[], fulfilments: unknown[] = [], variables: Record<string, string> = {}): Envelope =>
  run(step, { records, fulfilments }, { variables: { as_of: AS_OF, ...variables } }).envelope;
const idOf = (record: unknown) =>
  (record as { purchase_identifiers: { sparklayer: string } }).purchase_identifiers.sparklayer;
const verdicts = (envelope: Envelope) => [
  ...envelope.records.map((record) => [idOf(record), 'pass']),
  ...envelope.skipped.map((entry) => [entry.id, `skip:${entry.reason}`]),
  ...envelope.exceptions.map((entry) => [entry.id, entry.code, entry.owner]),
];

describe('flag-stale-orders', () => {
  type Row = [
    what: string,
    hoursAgo: number,
    fields: { payment?: string; type?: string },
    shipped: Array<Record<string, string | number>>,
    variables: Record<string, string>,
    expected: 'pass' | [string, string],
  ];
  const STALE: [string, string] = ['STALE_ORDER', 'operations'];
  const HELD: [string, string] = ['HELD_TOO_LONG', 'finance'];
  const table: Row[] = [
    ['a young order, nothing shipped, continues', 10, {}, [], {}, 'pass'],
    ['a stale order with nothing shipped is STALE_ORDER', 72, {}, [], {}, STALE],
    ['a stale order all shipped continues', 72, {}, [ALL], {}, 'pass'],
    [
      'all shipped over two fulfilments continues',
      500,
      {},
      [{ 'MUG-ENAMEL-CASE12': 2 }, { 'TOWEL-LINEN-NAT': 12 }],
      {},
      'pass',
    ],
    [
      'a stale order partly shipped is STALE_ORDER',
      72,
      {},
      [{ 'MUG-ENAMEL-CASE12': '2', 'TOWEL-LINEN-NAT': '11' }],
      {},
      STALE,
    ],
    ['exactly at stale_after_hours continues', 48, {}, [], {}, 'pass'],
    ['a second over stale_after_hours is STALE_ORDER', 48 + 1 / 3600, {}, [], {}, STALE],
    ['an order placed after as_of is young', -5, {}, [], {}, 'pass'],
    ['a quote continues, however old', 500, { type: 'quote' }, [], {}, 'pass'],
    ['a cart continues, however old', 500, { type: 'cart' }, [], {}, 'pass'],
    ['Pay on Account held too long is HELD_TOO_LONG', 30, { payment: 'on_account' }, [], {}, HELD],
    ['Pay on Account held, however old, is never STALE_ORDER', 500, { payment: 'on_account' }, [], {}, HELD],
    ['Pay on Account held but young continues', 20, { payment: 'on_account' }, [], {}, 'pass'],
    ['Pay on Account exactly at held_after_hours continues', 24, { payment: 'on_account' }, [], {}, 'pass'],
    ['Pay on Account held, all shipped, continues', 500, { payment: 'on_account' }, [ALL], {}, 'pass'],
    ['Pay on Account, shown as its name, is held', 30, { payment: 'Pay on Account' }, [], {}, HELD],
    [
      'on_account_mode=release judges Pay on Account by stale_after_hours: 30 hours continues',
      30,
      { payment: 'on_account' },
      [],
      { on_account_mode: 'release' },
      'pass',
    ],
    [
      'on_account_mode=release judges Pay on Account as STALE_ORDER',
      72,
      { payment: 'on_account' },
      [],
      { on_account_mode: 'release' },
      STALE,
    ],
    ['thresholds come from the settings', 13, {}, [], { stale_after_hours: '12' }, STALE],
    ['stale_after_hours 0 turns the check off', 500, {}, [], { stale_after_hours: '0' }, 'pass'],
    [
      'held_after_hours 0 turns the held check off',
      500,
      { payment: 'on_account' },
      [],
      { held_after_hours: '0' },
      'pass',
    ],
  ];
  it.each(table)('%s', (_what, hoursAgo, { payment, type }, shipped, variables, expected) => {
    const record = order('sl-1', hoursAgo, payment, type === undefined ? {} : { type });
    const fulfilments = shipped.map((lines, i) => shipment('sl-1', `f-${i}`, lines));
    const envelope = flag([record], fulfilments, variables);
    expect(verdicts(envelope)).toEqual([expected === 'pass' ? ['sl-1', 'pass'] : ['sl-1', ...expected]]);
    expect(envelope.summary['flag-stale-orders']).toMatchObject({ in: 1, skipped: 0 });
    if (expected === 'pass') expect(envelope.records[0]).toEqual(record);
    else expect(envelope.exceptions[0]!.record).toEqual(record);
  });

  it('defaults on_account_mode to hold, as the order flows book Pay on Account orders', () => {
    expect(ON_ACCOUNT_HELD_BY_DEFAULT.default).toBe('hold');
    expect(verdicts(flag([order('sl-1', 30, 'on_account')]))).toEqual([['sl-1', ...HELD]]);
  });

  it('gives when it was placed and what is still to ship (the age in details), and keeps the record whole', () => {
    const record = order('sl-7', 72.5);
    const [exception] = flag(
      [record],
      [shipment('sl-7', '41', { 'MUG-ENAMEL-CASE12': 2, 'TOWEL-LINEN-NAT': 5 })],
    ).exceptions;
    expect(exception).toMatchObject({ id: 'sl-7', step: 'flag-stale-orders', code: 'STALE_ORDER', record });
    expect(exception!.message).toBe(
      'not all shipped, placed 2026-11-20T08:30:00.000Z, more than stale_after_hours 48 before as_of; ' +
        'shipped TOWEL-LINEN-NAT 5 of 12',
    );
    expect(exception!.details).toEqual({
      age_hours: 72.5,
      placed_at: '2026-11-20T08:30:00.000Z',
      as_of: '2026-11-23T09:00:00.000Z',
      unshipped: [{ sku: 'TOWEL-LINEN-NAT', ordered: '12', shipped: '5' }],
    });
    const held = flag([order('sl-8', 30, 'on_account')]).exceptions[0]!;
    expect(held.message).toBe(
      'Pay on Account order held for finance, placed 2026-11-22T03:00:00.000Z, more than held_after_hours 24 ' +
        'before as_of; shipped MUG-ENAMEL-CASE12 0 of 2, TOWEL-LINEN-NAT 0 of 12',
    );
  });

  it('counts only shipped fulfilments of this purchase, each transaction once', () => {
    const records = [order('sl-1', 72)];
    const cases: Array<[string, unknown[], 'pass' | [string, string]]> = [
      ['picked is not shipped', [shipment('sl-1', 'f', ALL, { status: 'picked' })], STALE],
      ['packed is not shipped', [shipment('sl-1', 'f', ALL, { status: 'packed' })], STALE],
      ['shipped is shipped', [shipment('sl-1', 'f', ALL, { status: 'shipped' })], 'pass'],
      ["another purchase's fulfilment does not count", [shipment('sl-2', 'f', ALL)], STALE],
      [
        'the same transaction fed twice counts once',
        [
          shipment('sl-1', 'f', { 'MUG-ENAMEL-CASE12': 2, 'TOWEL-LINEN-NAT': 6 }),
          shipment('sl-1', 'f', { 'MUG-ENAMEL-CASE12': 2, 'TOWEL-LINEN-NAT': 6 }),
        ],
        STALE,
      ],
      ['a SKU never ordered does not stand in', [shipment('sl-1', 'f', { 'MUG-ENAMEL-CASE12': 2, OTHER: 12 })], STALE],
      [
        'a return beside is not read',
        [shipment('sl-1', 'f', ALL), { purchase_id: 'sl-1', returned_at: '2026-11-22', lines: [] }],
        'pass',
      ],
    ];
    for (const [what, fulfilments, expected] of cases)
      expect(verdicts(flag(records, fulfilments)), what).toEqual([
        expected === 'pass' ? ['sl-1', 'pass'] : ['sl-1', ...expected],
      ]);
  });

  describe("the purchase's own shipment packages", () => {
    const MUGS = { 'MUG-ENAMEL-CASE12': 2 };
    const TOWELS = { 'TOWEL-LINEN-NAT': 12 };
    it.each([
      ['one package shipping everything: not stale', [shipmentPackage('41', { ...MUGS, ...TOWELS })], [], 'pass'],
      [
        'two packages shipping everything: not stale',
        [shipmentPackage('41', MUGS), shipmentPackage('42', TOWELS)],
        [],
        'pass',
      ],
      [
        'a package without an internal id still counts',
        [shipmentPackage(undefined, { ...MUGS, ...TOWELS })],
        [],
        'pass',
      ],
      ['partly shipped by package: still stale', [shipmentPackage('41', MUGS)], [], 'stale'],
      [
        'a package and a fulfilment together ship everything',
        [shipmentPackage('41', MUGS)],
        [shipment('sl-1', '42', TOWELS)],
        'pass',
      ],
      [
        'a package and a fulfilment of the same transaction count once',
        [shipmentPackage('41', { 'MUG-ENAMEL-CASE12': 2, 'TOWEL-LINEN-NAT': 6 })],
        [shipment('sl-1', '41', { 'MUG-ENAMEL-CASE12': 2, 'TOWEL-LINEN-NAT': 6 })],
        'stale',
      ],
      [
        'of one transaction, the fulfilment beside (the back-end read) counts, not the package',
        [shipmentPackage('41', MUGS)],
        [shipment('sl-1', '41', ALL)],
        'pass',
      ],
      [
        'a return package neither ships nor orders',
        [shipmentPackage('51', { ...MUGS, ...TOWELS }, 'return')],
        [],
        'stale',
      ],
      [
        'a package of another type is ordered, not shipped',
        [{ ...(orderedPackage() as object), type: 'incoming' }],
        [shipment('sl-1', 'f', ALL)],
        'stale',
      ],
    ] as const)('%s', (_what, written, fulfilments, expected) => {
      const record = withPackages('sl-1', 72, [...written]);
      expect(verdicts(flag([record], [...fulfilments]))).toEqual([
        expected === 'pass' ? ['sl-1', 'pass'] : ['sl-1', ...STALE],
      ]);
    });

    it('says what remains after the packages, and never counts a shipment package as ordered', () => {
      const [exception] = flag([
        withPackages('sl-1', 72, [shipmentPackage('41', { 'MUG-ENAMEL-CASE12': 2, 'TOWEL-LINEN-NAT': 5 })]),
      ]).exceptions;
      expect(exception!.message).toMatch(/; shipped TOWEL-LINEN-NAT 5 of 12$/);
      expect(exception!.details).toMatchObject({
        unshipped: [{ sku: 'TOWEL-LINEN-NAT', ordered: '12', shipped: '5' }],
      });
      // The same transaction as a fulfilment beside: one shipment of 5 towels, not 10.
      const [once] = flag(
        [withPackages('sl-1', 72, [shipmentPackage('41', { 'TOWEL-LINEN-NAT': 5 })])],
        [shipment('sl-1', '41', { 'TOWEL-LINEN-NAT': 5 })],
      ).exceptions;
      expect(once!.message).toMatch(/; shipped MUG-ENAMEL-CASE12 0 of 2, TOWEL-LINEN-NAT 5 of 12$/);
    });

    it('a held Pay on Account order shipped by package is not HELD_TOO_LONG', () => {
      const record = order('sl-1', 30, 'on_account', {
        packages: [orderedPackage(), shipmentPackage('41', { 'MUG-ENAMEL-CASE12': 2, 'TOWEL-LINEN-NAT': 12 })],
      });
      expect(verdicts(flag([record]))).toEqual([['sl-1', 'pass']]);
    });

    it('a shipment package line without SKU or quantity is INVALID_ORDER naming it', () => {
      const noSku = withPackages('sl-1', 72, [{ type: 'shipment', line_items: [{ quantity: 2 }] }]);
      const noQuantity = withPackages('sl-2', 72, [
        shipmentPackage('41', MUGS),
        { type: 'shipment', line_items: [{ identifiers: { sku: 'TOWEL-LINEN-NAT' } }] },
      ]);
      const envelope = flag([noSku, noQuantity, order('sl-3', 72)]);
      expect(verdicts(envelope)).toEqual([
        ['sl-1', 'INVALID_ORDER', 'customer service'],
        ['sl-2', 'INVALID_ORDER', 'customer service'],
        ['sl-3', ...STALE],
      ]);
      expect(envelope.exceptions.map((e) => e.message)).toEqual(
        ['packages[1].line_items[0].identifiers.sku: missing', 'packages[2].line_items[0].quantity: missing'].concat([
          envelope.exceptions[2]!.message,
        ]),
      );
    });
  });

  it('says the same thing run after run while nothing ships, so an exception loop tells it once', () => {
    const record = order('sl-1', 72);
    const later = flag([record], [], { as_of: '2026-11-23T15:00:00Z' }).exceptions[0]!;
    const now = flag([record]).exceptions[0]!;
    expect([later.code, later.message]).toEqual([now.code, now.message]);
    expect([now.details, later.details]).toMatchObject([{ age_hours: 72 }, { age_hours: 78 }]);
  });

  it('counts ages to as_of, so the same input and as_of give the same output', () => {
    const records = [order('sl-1', 47), order('sl-2', 72), order('sl-3', 30, 'on_account')];
    const fulfilments = [shipment('sl-2', 'f', { 'MUG-ENAMEL-CASE12': 1 })];
    const first = flag(records, fulfilments);
    expect(flag(records, fulfilments)).toEqual(first);
    expect(flag(records, fulfilments, { as_of: '2026-11-23T11:00:00+02:00' })).toEqual(first);
    expect(verdicts(first)).toEqual([
      ['sl-1', 'pass'],
      ['sl-2', ...STALE],
      ['sl-3', ...HELD],
    ]);
    expect(verdicts(flag(records, fulfilments, { as_of: '2026-11-23T11:00:00Z' }))).toEqual([
      ['sl-1', ...STALE],
      ['sl-2', ...STALE],
      ['sl-3', ...HELD],
    ]);
  });

  it('reads the clock when as_of is empty, and says so', () => {
    const now = order('sl-1', 0, 'invoice', { dates: { placed_at: new Date().toISOString() } });
    const { data, envelope } = run(step, { records: [now] }, { variables: { as_of: '' } });
    expect(verdicts(envelope)).toEqual([['sl-1', 'pass']]);
    expect(String(data.logs)).toMatch(/as_of/);
  });

  it('a purchase that cannot be read fails alone, naming the field, beside a good one', () => {
    const noLines = order('bad-lines', 72, 'invoice', { packages: [{ line_items: [] }] });
    const noSku = order('bad-sku', 72, 'invoice', {
      packages: [{ line_items: [{ quantity: 2, line_total: { total_net: { number: '1', currency: 'GBP' } } }] }],
    });
    const badDate = order('bad-date', 72, 'invoice', { dates: { placed_at: '23/11/2026 09:00' } });
    const noDate = order('no-date', 72, 'invoice', { dates: {} });
    const noId = order('', 72, 'invoice', { purchase_identifiers: {} });
    const envelope = flag([noLines, order('good', 72), noSku, badDate, noDate, noId]);
    expect(verdicts(envelope)).toEqual([
      ['bad-lines', 'INVALID_ORDER', 'customer service'],
      ['good', ...STALE],
      ['bad-sku', 'INVALID_ORDER', 'customer service'],
      ['bad-date', 'INVALID_ORDER', 'customer service'],
      ['no-date', 'INVALID_ORDER', 'customer service'],
      [null, 'INVALID_RECORD', 'integration'],
    ]);
    const messages = envelope.exceptions.map((e) => e.message);
    expect(messages[0]).toBe('the purchase has no line items');
    expect(messages[2]).toMatch(/^packages\[0\]\.line_items\[0\]\.identifiers\.sku: missing/);
    expect(messages[3]).toBe('dates.placed_at: "23/11/2026 09:00" is not an ISO 8601 date-time');
    expect(messages[4]).toMatch(/^dates\.placed_at: missing/);
    expect(messages[5]).toMatch(/^purchase_identifiers: /);
    expect(envelope.exceptions.map((e) => e.record)).toEqual([
      noLines,
      order('good', 72),
      noSku,
      badDate,
      noDate,
      noId,
    ]);
    expect(envelope.summary['flag-stale-orders']).toMatchObject({ in: 6, skipped: 0 });
  });

  it('a quote that would not read as an order still continues', () => {
    const quote = order('q', 500, 'invoice', { type: 'quote', packages: [] });
    expect(verdicts(flag([quote]))).toEqual([['q', 'pass']]);
  });

  it('an unreadable fulfilment fails only the purchase it names, naming its index and field', () => {
    const fulfilments = [
      shipment('sl-1', 'f-1', ALL),
      shipment('sl-2', 'f-2', { 'MUG-ENAMEL-CASE12': 'two' }),
      shipment('sl-2', 'f-3', {}, { status: 'lost' }),
    ];
    const envelope = flag([order('sl-1', 72), order('sl-2', 10), order('sl-3', 72)], fulfilments);
    expect(verdicts(envelope)).toEqual([
      ['sl-1', 'pass'],
      ['sl-2', 'INVALID_FULFILMENT', 'integration'],
      ['sl-3', ...STALE],
    ]);
    const message = envelope.exceptions[0]!.message;
    expect(message).toContain('fulfilments[1].lines[0].quantity: "two" is not a decimal quantity');
    expect(message).toContain('fulfilments[2].status: ');
  });

  it('an unreadable fulfilment naming no purchase is an exception of its own, counted in', () => {
    const orphan = { transaction_id: 'f-9', lines: [] };
    const envelope = flag([order('sl-1', 72)], [orphan]);
    expect(verdicts(envelope)).toEqual([
      ['sl-1', ...STALE],
      [null, 'INVALID_FULFILMENT', 'integration'],
    ]);
    expect(envelope.exceptions[1]).toMatchObject({ record: orphan });
    expect(envelope.exceptions[1]!.message).toMatch(/^fulfilments\[0\]\.purchase_id: /);
    expect(envelope.summary['flag-stale-orders']).toMatchObject({ in: 2 });
  });
});
