/**
 * Money as decimals, never binary floats: every amount the pack adds, compares or divides goes through
 * here (0.1 + 0.2 is 0.30, not 0.30000000000000004). Amounts keep full precision until they are
 * written out, and are written with their currency's minor units (ISO 4217) or every decimal they carry,
 * whichever is more: 100.125 KWD stays 100.125, 5000 JPY is 5000. Rounding is half-up.
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
  // Big refuses a leading "+" that the pattern allows: read "+5" as 5, never throw its own error.
  if (typeof value === 'string' && DECIMAL_TEXT.test(value.trim())) return new Big(value.trim().replace(/^\+/, ''));
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

/**
 * ISO 4217 minor units (decimal places) of the currencies where they are not 2, from ISO 4217 List One as the
 * maintenance agency publishes it (https://www.six-group.com/en/products-services/financial-information/data-standards.html),
 * active codes only. Every other code has 2.
 */
const MINOR_UNITS: ReadonlyMap<string, number> = new Map([
  ...[
    'BIF',
    'CLP',
    'DJF',
    'GNF',
    'ISK',
    'JPY',
    'KMF',
    'KRW',
    'PYG',
    'RWF',
    'UGX',
    'UYI',
    'VND',
    'VUV',
    'XAF',
    'XOF',
    'XPF',
  ].map((code) => [code, 0] as const),
  ...['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'].map((code) => [code, 3] as const),
  ...['CLF', 'UYW'].map((code) => [code, 4] as const),
]);

/** The decimal places a currency's amounts are written with (ISO 4217 minor units): 2, or 0 (JPY), 3 (KWD), 4 (CLF). */
export function minorUnits(currency: string): number {
  return MINOR_UNITS.get(currency.trim().toUpperCase()) ?? 2;
}

/** Decimal places the amount carries itself (5000.125 → 3; 5000 → 0). */
export function decimalPlaces(value: Decimal): number {
  return value.toFixed().split('.')[1]?.length ?? 0;
}

/** The amount as text with its currency's minor units, or more where it carries more: nothing is rounded away. */
export function amountText(value: Decimal, currency: string): string {
  return value.toFixed(Math.max(minorUnits(currency), decimalPlaces(value)));
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

  /** Rounded half-up to `places`, by default the currency's minor units (GBP 0.01, JPY 1, KWD 0.001). */
  round(places = minorUnits(this.currency)): Money {
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
  toFixed(places: number): string {
    return this.amount.toFixed(places, Big.roundHalfUp);
  }

  /** The amount with its currency's minor units, or every decimal it carries: "12.50" GBP, "100.125" KWD, "5000" JPY.
   */
  text(): string {
    return amountText(this.amount, this.currency);
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
  if (!/^[A-Z]{3}$/.test(code))
    throw new MoneyError(`${what}: ${JSON.stringify(currency)} is not an ISO 4217 currency code`);
  if (checkedCurrencies.size < 1_000) checkedCurrencies.set(currency, code);
  return code;
}
