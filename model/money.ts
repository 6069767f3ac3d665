/**
 * Money as decimals, never binary floats: every amount the pack adds, compares or divides goes through
 * here (0.1 + 0.2 is 0.30, not 0.30000000000000004). Amounts keep full precision until they are
 * written out; rounding is half-up, to the places the caller names.
 */
import Big from 'big.js';

export type Decimal = Big;

export class MoneyError extends Error {
  override name = 'MoneyError';
}

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * A decimal from what a vendor sent: a decimal string ("15.99") or a finite number (read through its
 * shortest decimal text, so 10.4 is 10.4). Anything else throws, naming `what`.
 */
export function toDecimal(value: unknown, what: string): Decimal {
  if (typeof value === 'number' && Number.isFinite(value)) return new Big(String(value));
  if (typeof value === 'string' && DECIMAL_TEXT.test(value.trim())) return new Big(value.trim());
  throw new MoneyError(`${what}: ${JSON.stringify(value) ?? String(value)} is not a decimal number`);
}

/**
 * The decimal as a JSON number, for APIs that take numbers, only when that number prints back as the same
 * decimal (15 significant digits are safe); otherwise undefined, and the caller reports it.
 */
export function exactJsonNumber(value: Decimal): number | undefined {
  const text = value.toFixed();
  const number = Number(text);
  if (!Number.isFinite(number)) return undefined;
  const printed = String(number);
  // Both are shortest decimal text when the number prints without an exponent: comparing them is the cheap test
  // (this runs for every amount of every order). -0 prints as 0.
  if (!printed.includes('e')) return printed === text || (number === 0 && value.eq(0)) ? number : undefined;
  return new Big(printed).eq(value) ? number : undefined;
}

export class Money {
  private constructor(
    readonly amount: Decimal,
    /** ISO 4217, upper case. */
    readonly currency: string,
  ) {}

  static of(value: unknown, currency: string, what = 'amount'): Money {
    return new Money(toDecimal(value, what), normaliseCurrency(currency, what));
  }

  static zero(currency: string): Money {
    return new Money(new Big(0), normaliseCurrency(currency, 'currency'));
  }

  static sum(amounts: readonly Money[], currency: string): Money {
    return amounts.reduce((total, amount) => total.plus(amount), Money.zero(currency));
  }

  plus(other: Money): Money {
    return new Money(this.amount.plus(this.same(other).amount), this.currency);
  }

  minus(other: Money): Money {
    return new Money(this.amount.minus(this.same(other).amount), this.currency);
  }

  times(factor: Decimal | string | number): Money {
    return new Money(this.amount.times(factor), this.currency);
  }

  /** Divided and rounded half-up to `places` decimal places. */
  dividedBy(divisor: Decimal | string | number, places: number): Money {
    if (new Big(divisor).eq(0)) throw new MoneyError(`cannot divide ${this.toString()} by zero`);
    return new Money(this.amount.div(divisor).round(places, Big.roundHalfUp), this.currency);
  }

  round(places = 2): Money {
    return new Money(this.amount.round(places, Big.roundHalfUp), this.currency);
  }

  negated(): Money {
    return new Money(this.amount.times(-1), this.currency);
  }

  abs(): Money {
    return new Money(this.amount.abs(), this.currency);
  }

  isZero(): boolean {
    return this.amount.eq(0);
  }

  equals(other: Money): boolean {
    return this.currency === other.currency && this.amount.eq(other.amount);
  }

  compare(other: Money): -1 | 0 | 1 {
    return this.amount.cmp(this.same(other).amount) as -1 | 0 | 1;
  }

  /** The amount as decimal text with exactly `places` decimals, e.g. "12.50". */
  toFixed(places = 2): string {
    return this.amount.toFixed(places, Big.roundHalfUp);
  }

  toString(): string {
    return `${this.currency} ${this.amount.toFixed()}`;
  }

  private same(other: Money): Money {
    if (other.currency !== this.currency) {
      throw new MoneyError(`cannot combine ${this.currency} with ${other.currency}`);
    }
    return other;
  }
}

/** Currencies already checked, as written → as normalised: every amount of every order names one. */
const checkedCurrencies = new Map<string, string>();

function normaliseCurrency(currency: string, what: string): string {
  const known = checkedCurrencies.get(currency);
  if (known !== undefined) return known;
  const code = typeof currency === 'string' ? currency.trim().toUpperCase() : '';
  if (!/^[A-Z]{3}$/.test(code)) throw new MoneyError(`${what}: ${JSON.stringify(currency)} is not an ISO 4217 currency code`);
  if (checkedCurrencies.size < 1_000) checkedCurrencies.set(currency, code);
  return code;
}
