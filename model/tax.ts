/**
 * Tax rates as the order mappers key their rate tables (a NetSuite tax code, an X-Series tax id, an R-Series tax
 * category per rate). Pure.
 */
import Big from 'big.js';
import { reject, type Rejected } from '../runtime/tables.js';
import type { Decimal, Money } from './money.js';

/** A rate in percent as a table key: plain decimal text without trailing zeros ("20", "17.5", "0"), as big.js prints
 * it. */
export function rateKey(rate: Decimal): string {
  return rate.toFixed();
}

const RATE_TEXT = /^\d+(\.\d+)?$/;

/** A rate table's left value as its key (`20.00` and `20` are one rate), or the reason it is not a rate. */
export function rateTableKey(left: string): string | Rejected {
  return RATE_TEXT.test(left)
    ? rateKey(new Big(left))
    : reject('the left value must be a tax rate in percent, such as 20 or 17.5');
}

/** The rate a line's tax implies, in percent to 2 places; 0 for an untaxed line; undefined for tax on a net of zero. */
export function impliedRate(net: Money, tax: Money): Decimal | undefined {
  if (tax.isZero()) return new Big(0);
  if (net.isZero()) return undefined;
  return tax.amount.times(100).div(net.amount).round(2, Big.roundHalfUp);
}
