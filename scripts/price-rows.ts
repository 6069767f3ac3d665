/**
 * The canonical price row (model/price.ts) as the steps that write prices read it, declared once for
 * map-prices-to-sparklayer, map-prices-to-lightspeed-x and map-prices-to-lightspeed-r: its boundary schema, its
 * quantity break and whether it applies on a day.
 */
import * as z from 'zod';
import { MAX_PRICE_QUANTITY, type PriceRow } from '../model/price.js';
import { CONTROL_CHARACTER } from '../runtime/tables.js';

/** Text that is not blank and holds no control character (a slug, a SKU). */
export const rowText = z
  .string()
  .refine((value) => value.trim() !== '', 'must not be blank')
  .refine((value) => !CONTROL_CHARACTER.test(value.trim()), 'must not hold a control character');
/** A figure as a row or a write carries it: a number or decimal text (read exactly by the step). */
export const rowFigure = z.union([z.string(), z.number()], {
  error: 'must be a number or decimal text such as "10.40"',
});
/** ISO 8601 date or date-time, as the back-end wrote it. */
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
const date = z
  .string()
  .refine(
    (value) => DATE.test(value.trim()) && !Number.isNaN(Date.parse(value.trim())),
    'must be an ISO 8601 date such as 2026-12-31, or a date-time with its offset',
  );

/** A price row at a step's boundary: checked only (the steps read it as it came), no transform or default. */
export const priceRowSchema = z.looseObject({
  price_list: rowText,
  sku: rowText,
  currency: z.string().regex(/^\s*[A-Za-z]{3}\s*$/, 'must be an ISO 4217 currency code such as GBP'),
  quantity: rowFigure,
  price: rowFigure,
  valid_from: date.optional(),
  valid_to: date.optional(),
  erp_account: z.string().optional(),
  tax_inclusive: z.boolean().optional(),
  source: z.string().optional(),
}) satisfies z.ZodType<PriceRow>;
export type PriceRowRecord = z.infer<typeof priceRowSchema>;

/** The quantity break as a whole number from 1, or why not. */
export function readPriceBreak(value: string | number): number | string {
  const number = typeof value === 'number' ? value : /^\d{1,10}$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isInteger(number) || number < 1 || number > MAX_PRICE_QUANTITY)
    return `is ${JSON.stringify(value)}, not a whole number from 1 to ${MAX_PRICE_QUANTITY}`;
  return number;
}

const DAY = 86_400_000;
/** Whether the row applies on `asOf`: from valid_from, through valid_to (a date: that whole day, UTC). */
export function priceValidity(row: PriceRowRecord, asOf: number): 'valid' | 'not-yet-valid' | 'expired' {
  if (row.valid_from !== undefined && Date.parse(row.valid_from.trim()) > asOf) return 'not-yet-valid';
  if (row.valid_to !== undefined) {
    const to = row.valid_to.trim();
    const end = to.length === 10 ? Date.parse(to) + DAY - 1 : Date.parse(to);
    if (end < asOf) return 'expired';
  }
  return 'valid';
}
