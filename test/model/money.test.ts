import { describe, expect, it } from 'vitest';
import { Money, MoneyError, toDecimal } from '../../model/money.js';

describe('Money', () => {
  it('adds in decimal: 0.1 + 0.2 is 0.30', () => {
    expect(Money.of('0.1', 'GBP').plus(Money.of(0.2, 'GBP')).toFixed(2)).toBe('0.30');
    expect(
      Money.sum(
        Array.from({ length: 10 }, () => Money.of('0.10', 'gbp')),
        'GBP',
      ).equals(Money.of('1', 'GBP')),
    ).toBe(true);
  });

  it('divides in decimal and rounds half-up to the places asked', () => {
    expect(Money.of('10.00', 'GBP').dividedBy(3, 4).toFixed(4)).toBe('3.3333');
    expect(Money.of('0.125', 'GBP').round(2).toFixed(2)).toBe('0.13');
    expect(Money.of('54.00', 'GBP').dividedBy(12, 2).toFixed(2)).toBe('4.50');
    expect(() => Money.of('1', 'GBP').dividedBy(0, 2)).toThrow('cannot divide GBP 1 by zero');
  });

  it('reads decimal strings and numbers, upper-cases the currency, and refuses the rest naming the field', () => {
    expect(Money.of(' 15.99 ', 'gbp').toString()).toBe('GBP 15.99');
    expect(Money.of(10.4, 'GBP').toFixed(2)).toBe('10.40');
    for (const bad of ['15,99', '', 'abc', Number.NaN, Infinity, null, {}]) {
      expect(() => Money.of(bad, 'GBP', 'line_total.total_net')).toThrow(MoneyError);
    }
    expect(() => toDecimal('15,99', 'packages[0].line_items[1].line_total.total_net.number')).toThrow(
      'packages[0].line_items[1].line_total.total_net.number: "15,99" is not a decimal number',
    );
    expect(() => Money.of('1', 'pounds')).toThrow('"pounds" is not an ISO 4217 currency code');
    // A leading "+" the pattern allows is read, never Big's own "Invalid number".
    expect(toDecimal('+5', 'quantity').toFixed()).toBe('5');
    expect(toDecimal(' +0.50 ', 'quantity').toFixed()).toBe('0.5');
    expect(() => toDecimal('+-5', 'quantity')).toThrow(MoneyError);
  });

  it('never mixes currencies', () => {
    expect(() => Money.of('1', 'GBP').plus(Money.of('1', 'EUR'))).toThrow('cannot combine GBP with EUR');
    expect(Money.of('1', 'GBP').equals(Money.of('1', 'EUR'))).toBe(false);
  });

  it('compares by value, not by text', () => {
    expect(Money.of('1.50', 'GBP').equals(Money.of('1.5', 'GBP'))).toBe(true);
    expect(Money.of('2', 'GBP').compare(Money.of('10', 'GBP'))).toBe(-1);
  });
});
