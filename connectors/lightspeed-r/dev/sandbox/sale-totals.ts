import Big from 'big.js';
import { elements, type Json } from './wire.js';

/** A sale's totals as R-Series computes them: line taxes unrounded, the sale's tax rounded half-up to the cent. */
export function saleTotals(sale: Json): {
  calcSubtotal: string;
  calcTax1: string;
  calcTax2: string;
  taxTotal: string;
  total: string;
  calcTotal: string;
  calcPayments: string;
  balance: string;
} {
  const lines = elements(sale.SaleLines);
  const sum = (field: string) => lines.reduce((total, line) => total.plus(String(line[field] ?? '0')), new Big(0));
  const subtotal = sum('calcSubtotal');
  const tax1 = sum('calcTax1').round(2, Big.roundHalfUp);
  const tax2 = sum('calcTax2').round(2, Big.roundHalfUp);
  const total = subtotal.plus(tax1).plus(tax2);
  const payments = elements(sale.SalePayments).reduce(
    (paid, payment) => paid.plus(String(payment.amount ?? '0')),
    new Big(0),
  );
  return {
    calcSubtotal: subtotal.toFixed(),
    calcTax1: tax1.toFixed(),
    calcTax2: tax2.toFixed(),
    taxTotal: tax1.plus(tax2).toFixed(),
    total: total.toFixed(),
    calcTotal: total.toFixed(),
    calcPayments: payments.toFixed(),
    balance: total.minus(payments).toFixed(),
  };
}
