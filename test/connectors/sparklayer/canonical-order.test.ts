import { describe, expect, it } from 'vitest';
import {
  normalisePaymentMethod,
  OrderReadError,
  toCanonicalOrder,
} from '../../../connectors/sparklayer/canonical-order.js';
import { purchaseSchema } from '../../../connectors/sparklayer/schemas.js';
import { orderTotals } from '../../../model/order.js';
import { convertUnits, parseUnitRule } from '../../../model/units.js';
import { fixturePurchases, purchase } from '../../support/purchases.js';

const read = (raw: Record<string, unknown>) => toCanonicalOrder(purchaseSchema.parse(raw));
const order = fixturePurchases().find((p) => p.type === 'order')!;

describe('SparkLayer purchase to canonical order', () => {
  it.each([
    ['on_account', 'on_account'],
    ['paymentOnAccount', 'on_account'],
    ['Pay on Account', 'on_account'],
    ['invoice', 'invoice'],
    ['paymentByInvoice', 'invoice'],
    ['platform_upfront', 'card'],
    ['upfrontPayment', 'card'],
    ['hokodoPayment', 'finance'],
    ['quote', 'quote'],
    ['', 'unknown'],
    [undefined, 'unknown'],
    ['bitcoin', 'unknown'],
  ])('normalises the payment method %j to %s', (value, expected) => {
    expect(normalisePaymentMethod(value)).toBe(expected);
  });

  it(
    'reads the documented order: ids, PO, currency, lines with SKUs, shipping, and totals that ' +
      'match calculated_total',
    () => {
      const canonical = read(order);
      expect(canonical).toMatchObject({
        id: (order.purchase_identifiers as { sparklayer: string }).sparklayer,
        reference: 'B2B01123',
        po: 'PO-4471',
        currency: 'GBP',
        paymentMethod: 'on_account',
        placedAt: '2026-11-20T09:15:02+00:00',
      });
      expect(
        canonical.lines.map((l) => [l.sku, l.quantity.toString(), l.net.text(), l.tax.text(), l.gross.text()]),
      ).toEqual([
        ['MUG-ENAMEL-CASE12', '2', '96.00', '19.20', '115.20'],
        ['TOWEL-LINEN-NAT', '12', '54.00', '10.80', '64.80'],
      ]);
      expect(canonical.shipping).toMatchObject({ method: 'Standard Shipping' });
      const totals = orderTotals(canonical);
      expect([totals.net.text(), totals.tax.text(), totals.gross.text(), totals.shipping.text()]).toEqual([
        '157.50',
        '31.50',
        '189.00',
        '7.50',
      ]);
      expect(totals.gross.text()).toBe((order.calculated_total as { number: string }).number);
    },
  );

  it.each([
    [
      'a line without a SKU',
      { packages: [{ line_items: [{ quantity: 1, line_total: { total_net: { number: '1' } } }] }] },
      'packages[0].line_items[0].identifiers.sku: missing',
    ],
    [
      'an amount that is not a number',
      {
        packages: [
          { line_items: [{ identifiers: { sku: 'A' }, quantity: 1, line_total: { total_net: { number: '1,50' } } }] },
        ],
      },
      'packages[0].line_items[0].line_total.total_net.number: "1,50" is not a decimal number',
    ],
    [
      'a line in another currency',
      {
        packages: [
          {
            line_items: [
              { identifiers: { sku: 'A' }, quantity: 1, line_total: { total_net: { number: '1', currency: 'eur' } } },
            ],
          },
        ],
      },
      'packages[0].line_items[0].line_total.total_net: in EUR, the order is in GBP',
    ],
    [
      'a zero quantity',
      {
        packages: [
          { line_items: [{ identifiers: { sku: 'A' }, quantity: 0, line_total: { total_net: { number: '1' } } }] },
        ],
      },
      'packages[0].line_items[0].quantity: 0 is not a positive quantity',
    ],
    ['no lines', { packages: [] }, 'the purchase has no line items'],
    ['no currency', { currency_code: undefined, calculated_total: undefined }, 'currency_code: missing'],
  ])('refuses %s, naming the field', (_, fields, message) => {
    expect(() => read(purchase({ fields }))).toThrow(OrderReadError);
    expect(() => read(purchase({ fields }))).toThrow(message);
  });
});

describe('pack conversion', () => {
  it('turns a case of 12 into 12 eaches of the ERP SKU, keeping the line total to the penny', () => {
    const canonical = read(order);
    const converted = convertUnits(
      canonical,
      new Map([['MUG-ENAMEL-CASE12', parseUnitRule('MUG-ENAMEL-CASE12', 'MUG-ENAMEL-WHT*12')]]),
      'as_each',
    );
    if (!converted.ok) throw new Error('conversion failed');
    const [mugs, towels] = converted.order.lines;
    expect([mugs!.sku, mugs!.quantity.toString(), mugs!.unit, mugs!.net.text(), mugs!.gross.text()]).toEqual([
      'MUG-ENAMEL-WHT',
      '24',
      'each',
      '96.00',
      '115.20',
    ]);
    expect(mugs!.net.dividedBy(mugs!.quantity, 2).text()).toBe('4.00');
    expect(towels).toEqual(canonical.lines[1]);
    expect(orderTotals(converted.order).gross.equals(orderTotals(canonical).gross)).toBe(true);
  });

  it('with unmapped_units=exception, names the first line whose SKU is not in the map', () => {
    const result = convertUnits(
      read(order),
      new Map([['MUG-ENAMEL-CASE12', parseUnitRule('MUG-ENAMEL-CASE12', 'MUG-ENAMEL-WHT*12')]]),
      'exception',
    );
    expect(result).toEqual({ ok: false, position: 2, sku: 'TOWEL-LINEN-NAT' });
  });

  it.each([
    ['MUG-01*12', 'MUG-01', '12'],
    [' MUG-01 * 6 ', 'MUG-01', '6'],
    ['*24', 'CASE', '24'],
    ['OTHER-SKU', 'OTHER-SKU', '1'],
    ['KG-ROLL*0.5', 'KG-ROLL', '0.5'],
  ])('reads the rule %j', (rule, sku, units) => {
    const parsed = parseUnitRule('CASE', rule);
    expect([parsed.sku, parsed.unitsPerPack.toString()]).toEqual([sku, units]);
  });

  it.each(['MUG*0', 'MUG*-2', 'MUG 01*2', 'MUG*x'])('refuses the rule %j', (rule) => {
    expect(() => parseUnitRule('CASE', rule)).toThrow('write ERP-SKU*UNITS');
  });

  it('reads no order line from the shipment and return packages the fulfilment flows write back', () => {
    const packages = (order as { packages: unknown[] }).packages;
    const before = read(order);
    const written = read({
      ...order,
      packages: [
        ...packages,
        {
          type: 'shipment',
          identifiers: { internal: '41' },
          line_items: [{ identifiers: { sku: 'MUG-X' }, quantity: 2 }],
        },
        {
          type: 'return',
          identifiers: { internal: 'CM-7' },
          line_items: [{ identifiers: { sku: 'MUG-X' }, quantity: 1 }],
        },
      ],
    });
    expect(written.lines).toEqual(before.lines);
    expect(orderTotals(written)).toEqual(orderTotals(before));
  });
});
