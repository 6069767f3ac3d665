// The map-order-to-<backend> machinery, with a recording mapper standing in at the seam a back-end fills.
import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { defineMapOrderStep } from '../../scripts/map-order-step.js';
import { mappingKit, type OrderMapper, type OrderMapperOptions } from '../../model/order-mapper.js';
import type { CanonicalOrder } from '../../model/order.js';
import { describeSettings, readSettings, textSetting } from '../../runtime/settings.js';
import { toPatchworksHandler } from '../../runtime/step.js';
import { purchase } from '../support/purchases.js';
import { run } from '../support/run.js';
import { CART_IDS, shopify, shopifyCustomers, withoutFirstSku } from '../support/shopify-orders.js';

const seen: Array<{ order: CanonicalOrder; options: OrderMapperOptions }> = [];
const recordingMapper: OrderMapper<{ mapped: string }, 'REFUSED_BY_BACKEND'> = {
  backend: 'testerp',
  po: { field: 'reference', maxLength: 10 },
  exceptionCodes: { REFUSED_BY_BACKEND: { owner: 'integration', action: 'Test code.' } },
  settings: {},
  map(order, options) {
    seen.push({ order, options });
    if (order.po === 'REFUSE') return { ok: false, code: 'REFUSED_BY_BACKEND', message: 'refused' };
    return { ok: true, body: { mapped: order.id } };
  },
};
const step = defineMapOrderStep(recordingMapper);

// A mapper's codes are its declaration's keys: tsc refuses any other (these lines are checked by `tsc`, not run).
export const undeclared: OrderMapper<{ mapped: string }, 'REFUSED_BY_BACKEND'> = {
  ...recordingMapper,
  // @ts-expect-error NOT_DECLARED is not one of the mapper's exception codes
  map: () => ({ ok: false, code: 'NOT_DECLARED', message: 'refused' }),
};
const testKit = mappingKit(recordingMapper.exceptionCodes);
// @ts-expect-error the kit's fail takes only the declared codes
export const failUndeclared = () => testKit.fail('NOT_DECLARED', 'refused');
// @ts-expect-error INVALID_AMOUNT is not declared, so the kit offers no exactNumber (it would refuse with that code)
export const exactWithoutCode = () => testKit.exactNumber(new Big(1), 'x');
const withAccount = (id: string, fields: Record<string, unknown> = {}) =>
  purchase({ id, fields: { erp_account: 'EXAMPLE001', ...fields } });

describe('map-order-to-<backend>', () => {
  it('is named after the back-end and hands the mapper the order, its account and the settings', () => {
    seen.length = 0;
    const { envelope } = run(step, [withAccount('a')], { variables: { on_account_mode: 'hold' } });
    expect(step.key).toBe('map-order-to-testerp');
    expect(envelope.records).toEqual([{ mapped: 'a' }]);
    expect(seen[0]!.order).toMatchObject({ id: 'a', account: 'EXAMPLE001', po: 'PO-4471' });
    expect(seen[0]!.options).toEqual({ onAccountMode: 'hold' });
  });

  it('converts packs through unit_map before the mapper sees the lines', () => {
    seen.length = 0;
    run(step, [withAccount('a')], { variables: { unit_map: '{"MUG-ENAMEL-CASE12": "MUG-ENAMEL-WHT*12"}' } });
    expect(seen[0]!.order.lines.map((l) => [l.sku, l.quantity.toString(), l.net.text()])).toEqual([
      ['MUG-ENAMEL-WHT', '24', '96.00'],
      ['TOWEL-LINEN-NAT', '12', '54.00'],
    ]);
  });

  it('makes exceptions of orders it cannot map, each holding the whole order', () => {
    const orders = [
      withAccount('no-account', { erp_account: null }),
      withAccount('blank-account', { erp_account: '  ' }),
      withAccount('bad-amount', {
        currency_code: 'GBP',
        packages: [
          { line_items: [{ identifiers: { sku: 'X' }, quantity: 1, line_total: { total_net: { number: 'ten' } } }] },
        ],
      }),
      withAccount('refused', { customer_reference: 'REFUSE' }),
      withAccount('fine'),
    ];
    const { envelope } = run(step, orders, {
      variables: {
        unit_map: 'left_value,right_value\nMUG-ENAMEL-CASE12,MUG-ENAMEL-WHT*12',
        unmapped_units: 'exception',
      },
    });
    expect(envelope.exceptions.map((e) => [e.id, e.code, e.message])).toEqual([
      ['no-account', 'MISSING_ACCOUNT', 'erp_account is missing or empty'],
      ['blank-account', 'MISSING_ACCOUNT', 'erp_account is missing or empty'],
      [
        'bad-amount',
        'INVALID_ORDER',
        'packages[0].line_items[0].line_total.total_net.number: "ten" is not a decimal number',
      ],
      ['refused', 'UNMAPPED_UNIT', 'line 2: SKU TOWEL-LINEN-NAT is not in unit_map'],
      ['fine', 'UNMAPPED_UNIT', 'line 2: SKU TOWEL-LINEN-NAT is not in unit_map'],
    ]);
    expect(envelope.exceptions[0]!.record).toEqual(orders[0]);
  });

  it("passes the mapper's own refusal on as an exception with the mapper's code", () => {
    const { envelope } = run(step, [withAccount('refused', { customer_reference: 'REFUSE' })]);
    expect(envelope.exceptions.map((e) => [e.code, e.message])).toEqual([['REFUSED_BY_BACKEND', 'refused']]);
  });

  it('fails the whole step on a unit rule it cannot read, naming the rule', async () => {
    await expect(
      toPatchworksHandler(step)({ payload: '[]', variables: { unit_map: 'left_value,right_value\nCASE,MUG*0' } }),
    ).rejects.toThrow(
      'map-order-to-testerp: setting "unit_map" is not valid: the table cannot be read: line 2: "CASE" → ' +
        '"MUG*0": write ERP-SKU*UNITS',
    );
  });

  describe('a required setting', () => {
    const calls: string[] = [];
    const storeMapper: OrderMapper<{ store: string }, never, { store_id: ReturnType<typeof textSetting> }> = {
      backend: 'storeerp',
      po: { field: 'reference' },
      exceptionCodes: {},
      settings: { store_id: textSetting({ description: 'The store the orders are booked in.', required: true }) },
      map(order, _options, settings) {
        calls.push(order.id);
        return { ok: true, body: { store: settings.store_id } };
      },
    };
    const storeStep = defineMapOrderStep(storeMapper);
    const orders = [withAccount('a'), withAccount('b'), withAccount('c')];

    it.each([
      ['unset', {}],
      ['empty', { store_id: '' }],
      ['blank', { store_id: '   ' }],
    ])(
      'fails the step once, before any order, naming the setting and its description, when %s',
      async (_, variables) => {
        calls.length = 0;
        await expect(toPatchworksHandler(storeStep)({ payload: JSON.stringify(orders), variables })).rejects.toThrow(
          /^map-order-to-storeerp: setting "store_id" is required: The store the orders are booked in\.$/,
        );
        // With no orders too: a step left unconfigured fails on its first run, not on its first order.
        await expect(toPatchworksHandler(storeStep)({ payload: '[]', variables })).rejects.toThrow(
          /setting "store_id" is required/,
        );
        expect(calls).toEqual([]);
      },
    );

    it('maps every order when it is set, from the variables or the flow variables', () => {
      calls.length = 0;
      expect(run(storeStep, orders, { variables: { store_id: ' S1 ' } }).envelope.records).toEqual([
        { store: 'S1' },
        { store: 'S1' },
        { store: 'S1' },
      ]);
      expect(run(storeStep, orders, { flow: { variables: { store_id: 'S2' } } }).envelope.records).toEqual([
        { store: 'S2' },
        { store: 'S2' },
        { store: 'S2' },
      ]);
      expect(calls).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    });

    it('is checked by readSettings (pack validate), and shown required in describeSettings', () => {
      expect(() => readSettings(storeStep.key, storeStep.settings, { payload: null })).toThrow(
        'map-order-to-storeerp: setting "store_id" is required',
      );
      expect(
        readSettings(storeStep.key, storeStep.settings, { payload: null, variables: { store_id: 'S1' } }).store_id,
      ).toBe('S1');
      const described = describeSettings(storeStep.settings);
      expect(described.find((setting) => setting.key === 'store_id')).toEqual({
        key: 'store_id',
        description: 'The store the orders are booked in.',
        default: '',
        required: true,
      });
      expect(described.filter((setting) => setting.required).map((setting) => setting.key)).toEqual(['store_id']);
    });
  });
});

describe('map-order-to-<backend> with order_format (Shopify orders booked by SparkLayer checkout)', () => {
  const { graphql, rest } = shopify;
  /** A Shopify record as resolve-erp-account leaves it, and the customers it carries on beside. */
  const booked = (record: Record<string, unknown>, account = 'NS-7701') => ({ ...record, erp_account: account });
  const mapShopify = (format: string, records: unknown[], variables: Record<string, string> = {}) => {
    seen.length = 0;
    return run(step, { records, customers: shopifyCustomers }, { variables: { order_format: format, ...variables } });
  };
  /** What the mapper saw, amounts as text, so that a failure shows the figures. */
  const seenFigures = () =>
    seen.map(({ order, options }) => ({
      ...order,
      lines: order.lines.map((line) => ({
        ...line,
        quantity: line.quantity.toFixed(),
        net: line.net.text(),
        discount: line.discount.text(),
        tax: line.tax.text(),
        gross: line.gross.text(),
        taxRate: line.taxRate?.toFixed(),
      })),
      shipping: { ...order.shipping, net: order.shipping.net.text(), tax: order.shipping.tax.text() },
      options,
    }));

  it.each([
    ['the on-account draft', graphql.b2bDraft, rest.b2bDraft, CART_IDS.b2bDraft, 'on_account', 'PO-7781'],
    ['the paid card order', graphql.cardOrder, rest.cardOrder, CART_IDS.cardOrder, 'card', 'PO-7790'],
  ] as const)('maps %s, and the GraphQL and REST shapes give the same output', (_, gql, restRecord, id, method, po) => {
    const fromGraphql = mapShopify('shopify_graphql', [booked(gql)]);
    const graphqlSeen = seenFigures();
    const fromRest = mapShopify('shopify_rest', [booked(restRecord)]);
    expect(fromGraphql.envelope.exceptions).toEqual([]);
    expect(fromGraphql.envelope.records).toEqual([{ mapped: id }]);
    expect(fromRest.envelope).toEqual(fromGraphql.envelope);
    expect(seenFigures()).toEqual(graphqlSeen);
    expect(graphqlSeen[0]).toMatchObject({ id, account: 'NS-7701', paymentMethod: method, po });
  });

  it('holds the on-account draft for finance with on_account_mode=hold, naming its SparkLayer company', () => {
    const { envelope } = mapShopify('shopify_graphql', [booked(graphql.b2bDraft)], { on_account_mode: 'hold' });
    expect(envelope.notices).toEqual([
      expect.objectContaining({
        id: CART_IDS.b2bDraft,
        code: 'ON_ACCOUNT_HELD',
        message: expect.stringContaining(`company ${shopifyCustomers[0]!.id}`),
      }),
    ]);
  });

  it.each([
    ['shopify_graphql', graphql.cardOrder, graphql.b2bDraft, 'lineItems[0].sku: missing'],
    ['shopify_rest', rest.cardOrder, rest.b2bDraft, 'line_items[0].sku: missing'],
  ] as const)(
    '%s: a record that cannot be read is INVALID_ORDER, kept whole and naming the field; its neighbour maps',
    (format, record, neighbour, field) => {
      const broken = booked(withoutFirstSku(record));
      const { envelope } = mapShopify(format, [broken, booked(neighbour)]);
      expect(envelope.records).toEqual([{ mapped: CART_IDS.b2bDraft }]);
      expect(envelope.exceptions).toEqual([
        expect.objectContaining({ id: CART_IDS.cardOrder, code: 'INVALID_ORDER', record: broken }),
      ]);
      expect(envelope.exceptions[0]!.message).toContain(field);
    },
  );

  it('a Shopify order without erp_account is MISSING_ACCOUNT, as a SparkLayer one is', () => {
    const { envelope } = mapShopify('shopify_rest', [rest.b2bDraft, booked(rest.cardOrder, '  ')]);
    expect(envelope.exceptions.map((entry) => [entry.id, entry.code])).toEqual([
      [CART_IDS.b2bDraft, 'MISSING_ACCOUNT'],
      [CART_IDS.cardOrder, 'MISSING_ACCOUNT'],
    ]);
  });
});
