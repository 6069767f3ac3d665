/**
 * check-order-prices (pack-contract §5): each order line's price against the ERP's, so a wrong price list in SparkLayer
 * (or in the ERP) is caught before the order is booked. Input: SparkLayer purchases carrying `erp_account`
 * (scripts/resolve-erp-account), with the ERP's canonical price rows (model/price.ts) beside as `prices`. Output: the
 * purchases that price correctly; with price_authority=sparklayer, also those that do not, carrying the differences.
 *
 * `price_check` turns it on. Off (the default) every order passes exactly as it came: no record is read, `prices` is
 * not read (so a malformed or absent price list changes nothing) and nothing is counted. The order flows carry the step
 * off, so a client turns the check on only once its back-end's price flow fills the ERP price cache
 * (patchworks/blueprint/price-flow.ts ERP_PRICES) and its price lists are mapped. Either way `prices` is not handed on:
 * this is its last reader, and a price list is large. On a Shopify site (order_format, as every order step) the order
 * is read by the Shopify boundary and its `erp_account` is the one resolve-erp-account set on the record.
 *
 * The rule, per purchase (read with connectors/sparklayer/canonical-order.ts toCanonicalOrder, as every purchase reader
 * is: its lines, currency, `placedAt` = `dates.placed_at`, else `dates.created_at`, and `erp_account`):
 * - Each line is put in the back-end's SKU and units first (unit_map, model/units.ts): a case of 12 at 54.00 is 12
 *   units of the base SKU at 4.50. A SKU not in unit_map is its own back-end SKU, one for one. So the price rows are
 *   matched on the back-end SKU, which is the SparkLayer SKU wherever unit_map does not say otherwise.
 * - Its ERP price is found by tier, first found wins: (1) a row for the order's `erp_account` (customer-specific, of
 *   any list); (2) a row, not customer-specific, of each list price_list_map gives the account, in the map's order;
 *   (3) a row, not customer-specific, of default_price_list. A customer-specific row never prices another customer.
 *   An order whose erp_account is null or absent is not guessed at: tiers (1) and (2) need an account, so only (3)
 *   applies.
 * - Within a tier: same SKU, the order's currency, valid on the order's placed date (valid_from and valid_to are
 *   inclusive dates; a date-time counts by its date, as written; the placed date is placed_at's date as SparkLayer
 *   writes it, in its own offset), and of those the row with the largest `quantity` not above the line's quantity. Two
 *   such rows at one break: the one valid from later (a new price superseding an old one left open), else the first
 *   given. A tier with no such row (no break low enough) falls through to the next.
 * - The actual unit price is the line's net total ÷ its quantity (a tax_inclusive row: its gross total), exact: the
 *   comparison is made as |total − expected × quantity| > tolerance × quantity, so 10.00 for 3 against 3.33 is a
 *   difference of 0.00333… per unit with no rounding anywhere. Above price_tolerance it is PRICE_MISMATCH; a line
 *   with no ERP price in any tier is NO_ERP_PRICE.
 * - price_authority=erp: the ERP's price is the truth, so an order with a difference is an exception (the whole
 *   purchase kept, PRICE_MISMATCH when any line mismatches, else NO_ERP_PRICE; both to finance) naming every line.
 * - price_authority=sparklayer: SparkLayer's price is what the customer agreed, so the order continues, carrying
 *   `price_differences` (each line's PRICE_MISMATCH or NO_ERP_PRICE, with line position, SKU, expected, actual,
 *   difference) for the ERP booking to see; a line with no ERP price is recorded the same way rather than stopping the
 *   order, since there is nothing to say it is wrong. The step's meta counts them (`counters`). A correct order
 *   continues exactly as it came (a `price_differences` left from an earlier run is removed).
 *
 * What cannot be read: a purchase the canonical reader refuses (no lines, a line without SKU, quantity or net total, no
 * currency) or without a placed date is INVALID_ORDER naming the field, and the others go on. A price row beside that
 * cannot be read (a price that is not a decimal, a blank SKU, an impossible date) fails the step, naming its index and
 * field (`prices[3].price: …`): a half-read price list would call correct prices wrong (a missing break) or wrong ones
 * correct, for every order at once; fix the export and run again. `prices` absent is no ERP price at all: every line is
 * NO_ERP_PRICE, counted in meta and told to finance, so a flow that forgot to read the prices is seen at once.
 */
import Big from 'big.js';
import * as z from 'zod';
import {
  canonicalOrderSourceSchema,
  OrderReadError,
  toCanonicalOrder,
} from '../../connectors/sparklayer/canonical-order.js';
import { purchaseId, purchaseIdentifiersSchema } from '../../connectors/sparklayer/purchase.js';
import {
  customerIdsBeside,
  orderFormatSetting,
  shopifyOrderId,
  shopifyOrderReader,
} from '../../connectors/shopify/order-format.js';
import type { Purchase } from '../../connectors/sparklayer/schemas.js';
import { amountText, decimalPlaces, MoneyError, toDecimal, type Decimal } from '../../model/money.js';
import type { CanonicalOrder } from '../../model/order.js';
import { MAX_PRICE_QUANTITY, MAX_UNIT_PRICE } from '../../model/price.js';
import { formatPath } from '../../runtime/envelope.js';
import { StepError } from '../../runtime/step-error.js';
import { parseInstant } from '../../runtime/instant.js';
import { withoutNulls } from '../../runtime/nulls.js';
import { choiceSetting, readTableSetting, textSetting } from '../../runtime/settings.js';
import { reject } from '../../runtime/tables.js';
import {
  defineStep,
  fail,
  pass,
  passWith,
  type ExceptionCode,
  type Outcome,
  type RecordReader,
} from '../../runtime/step.js';
import { unitMapSetting } from '../order-settings.js';

const CODES = {
  PRICE_MISMATCH: {
    owner: 'finance',
    action:
      "An order line's unit price differs from the ERP's price for that customer by more than price_tolerance (the " +
      'message names each line, SKU, expected, actual and difference per unit). Correct the price list in SparkLayer ' +
      'or in the ERP (a customer-specific price, the price_list_map of the account, a quantity break, a date), or ' +
      'agree the price with the customer; then replay the order.',
  },
  NO_ERP_PRICE: {
    owner: 'finance',
    action:
      'The ERP has no price for an order line (the message names the line and SKU): no customer-specific row, ' +
      "none on the account's mapped lists or on default_price_list, in the order's currency and valid on its " +
      'placed date. Add the price in the ERP (or map the account to its price list), then replay the order.',
  },
  INVALID_ORDER: {
    owner: 'customer service',
    action:
      'The SparkLayer order cannot be read (the message names the field: no placed date, a line without SKU, ' +
      'quantity or net total, no currency…), so its prices cannot be checked. Check the order in SparkLayer, then ' +
      'replay.',
  },
} as const satisfies Record<string, ExceptionCode>;
type Code = keyof typeof CODES;

export const PRICE_AUTHORITIES = ['sparklayer', 'erp'] as const;
export const PRICE_CHECKS = ['off', 'on'] as const;

/** Only what says which purchase it is and its account; the rest is read by the canonical reader, in the rule. */
const purchaseRecordSchema = z.looseObject({
  purchase_identifiers: purchaseIdentifiersSchema,
  erp_account: z.string({ error: 'must be the ERP account as text, or null' }).nullable().optional(),
});
type PurchaseRecord = z.infer<typeof purchaseRecordSchema>;
/** A Shopify order (order_format), read at the boundary, with the erp_account resolve-erp-account set on it. */
interface ShopifyOrder {
  canonical: CanonicalOrder;
  erp_account?: string;
  /** The record carries a price_differences from an earlier run. */
  recorded: boolean;
}
type OrderRecord = PurchaseRecord | ShopifyOrder;

const DECIMAL = /^\d+(\.\d+)?$/;

const text = z.string({ error: 'must be text' }).trim().min(1, 'must not be blank');
/** A decimal from text or a number, never through a float; `ok` says what is wrong with its value, if anything. */
const decimal = (what: string, ok: (value: Decimal) => string | undefined) =>
  z.union([z.string(), z.number()], { error: `must be ${what}` }).transform((value, ctx) => {
    try {
      const read = toDecimal(value, 'value');
      const problem = ok(read);
      if (problem === undefined) return read;
      ctx.addIssue({ code: 'custom', message: `${String(value)} ${problem}` });
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not ${what}` });
    }
    return z.NEVER;
  });
/** An ISO 8601 date or date-time, read as its date (`2026-11-20`): validity is by day. */
const day = z
  .string({ error: 'must be an ISO 8601 date such as 2026-11-20' })
  .trim()
  .refine((value) => parseInstant(value) !== undefined, 'is not an ISO 8601 date or date-time on the calendar')
  .transform((value) => value.slice(0, 10));

/** A canonical price row (model/price.ts PriceRow), read: decimals as Big, dates as YYYY-MM-DD, currency upper case. */
const priceRowSchema = z.preprocess(
  (row) => withoutNulls(row),
  z
    .looseObject({
      price_list: text,
      sku: text,
      currency: z
        .string({ error: 'must be an ISO 4217 code such as GBP' })
        .trim()
        .toUpperCase()
        .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as GBP'),
      quantity: decimal('a decimal quantity such as 1 or "10"', (value) =>
        value.lte(0) ? 'is not above 0' : value.gt(MAX_PRICE_QUANTITY) ? 'is above the largest break' : undefined,
      ),
      price: decimal('a decimal price such as "10.40"', (value) =>
        value.lt(0) ? 'is below 0' : value.gt(MAX_UNIT_PRICE) ? 'is above the largest unit price' : undefined,
      ),
      valid_from: day.optional(),
      valid_to: day.optional(),
      erp_account: text.optional(),
      tax_inclusive: z.boolean({ error: 'must be true or false' }).optional(),
    })
    .refine((row) => !row.valid_from || !row.valid_to || row.valid_from <= row.valid_to, {
      message: 'valid_to is before valid_from',
      path: ['valid_to'],
    }),
);
type PriceRow = z.output<typeof priceRowSchema> & { index: number };

const pricesSchema = z.looseObject({
  prices: z
    .array(priceRowSchema, { error: 'prices must be the list of canonical price rows (pack-contract §5)' })
    .nullable()
    .optional(),
});

/**
 * The price rows beside, read only when the check is on (price_check=off reads nothing); one that cannot be read fails
 * the step, naming it, as a malformed beside does.
 */
function readPrices(beside: Record<string, unknown>): z.output<typeof priceRowSchema>[] {
  const parsed = pricesSchema.safeParse({ prices: beside.prices });
  if (parsed.success) return parsed.data.prices ?? [];
  const issue = parsed.error.issues[0]!;
  throw new StepError(
    'check-order-prices',
    `the data beside the records is malformed at ${formatPath(issue.path)}: ${issue.message}.`,
  );
}

/** Each record as it came, unread: price_check=off. */
const unread = (format: 'sparklayer' | 'shopify_graphql' | 'shopify_rest'): RecordReader<OrderRecord, Code> => ({
  read: (record) => ({ ok: true, value: record as OrderRecord }),
  id: (record) => (format === 'sparklayer' ? purchaseId(record) : shopifyOrderId(format, record)),
});

/** The price rows of each back-end SKU and currency, in the order given. */
function indexPrices(rows: readonly z.output<typeof priceRowSchema>[]): Map<string, PriceRow[]> {
  const bySku = new Map<string, PriceRow[]>();
  rows.forEach((row, index) => {
    const key = `${row.sku}\u0000${row.currency}`;
    const list = bySku.get(key) ?? [];
    // The row is zod's own copy (the payload's `prices` are handed on as they came): it takes its index in place. A
    // copy of each of 200,000 rows ran the step out of its 512 MB heap beside 50,000 orders.
    const read = row as PriceRow;
    read.index = index;
    list.push(read);
    bySku.set(key, list);
  });
  return bySku;
}

/** The row that applies among `rows` on `date` for `quantity`: the largest break not above it (see the header). */
function applicable(rows: readonly PriceRow[], date: string, quantity: Decimal): PriceRow | undefined {
  let best: PriceRow | undefined;
  for (const row of rows) {
    if ((row.valid_from && row.valid_from > date) || (row.valid_to && row.valid_to < date)) continue;
    if (row.quantity.gt(quantity)) continue;
    if (
      best === undefined ||
      row.quantity.gt(best.quantity) ||
      (row.quantity.eq(best.quantity) && (row.valid_from ?? '') > (best.valid_from ?? ''))
    )
      best = row;
  }
  return best;
}

type Tier = 'customer' | 'price_list_map' | 'default_price_list';

/** The ERP price of one line, tier by tier (see the header), or undefined. */
function erpPrice(
  rows: readonly PriceRow[],
  account: string | undefined,
  lists: readonly string[],
  defaultList: string,
  date: string,
  quantity: Decimal,
): { row: PriceRow; tier: Tier } | undefined {
  if (account !== undefined) {
    const row = applicable(
      rows.filter((r) => r.erp_account === account),
      date,
      quantity,
    );
    if (row) return { row, tier: 'customer' };
  }
  const general = rows.filter((r) => r.erp_account === undefined);
  for (const list of lists) {
    const row = applicable(
      general.filter((r) => r.price_list === list),
      date,
      quantity,
    );
    if (row) return { row, tier: 'price_list_map' };
  }
  if (defaultList !== '') {
    const row = applicable(
      general.filter((r) => r.price_list === defaultList),
      date,
      quantity,
    );
    if (row) return { row, tier: 'default_price_list' };
  }
  return undefined;
}

/** Up to 10 decimal places, exact when it has no more: a unit price of 10.00 / 3 is written 3.3333333333. */
const PLACES = 10;
function unitText(value: Decimal, currency: string): { text: string; exact: boolean } {
  if (decimalPlaces(value) <= PLACES) return { text: amountText(value, currency), exact: true };
  return { text: value.round(PLACES, Big.roundHalfUp).toFixed(PLACES), exact: false };
}

export interface PriceDifference {
  code: 'PRICE_MISMATCH' | 'NO_ERP_PRICE';
  /** The line's 1-based position in the purchase. */
  line: number;
  /** The SKU as SparkLayer sells it; `erp_sku` when unit_map names another. */
  sku: string;
  erp_sku?: string;
  /** In the back-end's units. */
  quantity: string;
  currency: string;
  /** Per unit: the line's total ÷ quantity, written to 10 decimal places at most. */
  actual: string;
  expected?: string;
  /** actual − expected, per unit. */
  difference?: string;
  price_list?: string;
  tier?: Tier;
  /** The index of the price row in `prices`. */
  price_row?: number;
}

/** Each line's difference from the ERP price, none when the order prices correctly. */
function checkLines(
  order: CanonicalOrder,
  date: string,
  settings: {
    unitMap: ReadonlyMap<string, { sku: string; unitsPerPack: Decimal }>;
    listMap: ReadonlyMap<string, readonly string[]>;
    defaultList: string;
    tolerance: Decimal;
  },
  prices: ReadonlyMap<string, PriceRow[]>,
): PriceDifference[] {
  const account = order.account;
  const lists = account === undefined ? [] : (settings.listMap.get(account) ?? []);
  const differences: PriceDifference[] = [];
  for (const line of order.lines) {
    const conversion = settings.unitMap.get(line.sku);
    const erpSku = conversion?.sku ?? line.sku;
    const quantity = conversion ? line.quantity.times(conversion.unitsPerPack) : line.quantity;
    const rows = prices.get(`${erpSku}\u0000${order.currency}`) ?? [];
    const found = erpPrice(rows, account, lists, settings.defaultList, date, quantity);
    const total = found?.row.tax_inclusive ? line.gross.amount : line.net.amount;
    const actual = unitText(total.div(quantity), order.currency);
    const base = {
      line: line.position,
      sku: line.sku,
      ...(erpSku === line.sku ? {} : { erp_sku: erpSku }),
      quantity: quantity.toFixed(),
      currency: order.currency,
      actual: actual.text,
    };
    if (found === undefined) {
      differences.push({ code: 'NO_ERP_PRICE', ...base });
      continue;
    }
    const expected = found.row.price;
    // Exact: no division in the comparison (10.00 / 3 is not a finite decimal).
    const over = total.minus(expected.times(quantity)).abs().gt(settings.tolerance.times(quantity));
    if (!over) continue;
    differences.push({
      code: 'PRICE_MISMATCH',
      ...base,
      expected: amountText(expected, order.currency),
      difference: unitText(total.div(quantity).minus(expected), order.currency).text,
      price_list: found.row.price_list,
      tier: found.tier,
      price_row: found.row.index,
    });
  }
  return differences;
}

function describeDifferences(differences: readonly PriceDifference[]): string {
  return differences
    .map((d) => {
      const sku = d.erp_sku ? `${d.sku} (${d.erp_sku})` : d.sku;
      const actual = `${d.actual}${d.actual.split('.')[1]?.length === PLACES ? '…' : ''}`;
      if (d.code === 'NO_ERP_PRICE')
        return `line ${d.line} ${sku}: no ERP price for ${d.quantity} in ${d.currency} (actual ${actual})`;
      const difference = `${d.difference}${d.difference!.split('.')[1]?.length === PLACES ? '…' : ''}`;
      return (
        `line ${d.line} ${sku}: expected ${d.expected}, actual ${actual}, difference ${difference} per unit ` +
        `(${d.price_list}, ${d.tier})`
      );
    })
    .join('; ');
}

const FIELD = 'price_differences';

/** A Shopify order's canonical order, with the account resolve-erp-account set. */
function shopifyOrder({ canonical, erp_account }: ShopifyOrder): CanonicalOrder {
  const account = erp_account?.trim();
  return { ...canonical, account: account ? account : undefined };
}

/** A SparkLayer purchase read by the canonical reader, or what it refused, naming the field. */
function sparkLayerOrder(purchase: PurchaseRecord): CanonicalOrder | { invalid: string } {
  const source = canonicalOrderSourceSchema.safeParse(purchase);
  if (!source.success)
    return { invalid: source.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ') };
  try {
    return toCanonicalOrder(source.data as Purchase);
  } catch (error) {
    if (!(error instanceof OrderReadError)) throw error;
    return { invalid: error.message };
  }
}

export const step = defineStep({
  key: 'check-order-prices',
  title: 'Check order prices',
  purpose:
    "Checks each order line's unit price against the ERP's price for the customer (customer-specific, mapped price " +
    'lists, default list; quantity breaks, currency, dates); differences stop the order or ride on it, as ' +
    'price_authority says.',
  settings: {
    price_check: choiceSetting({
      description:
        '`on`: each order is checked against the ERP prices beside (`prices`), as price_authority says. `off`: every ' +
        'order passes exactly as it came, no price is read and nothing is counted (turn it on once the ' +
        "back-end's price flow keeps the ERP prices the order flow reads).",
      default: 'off',
      choices: PRICE_CHECKS,
    }),
    price_tolerance: z
      .union([z.string(), z.number()], { error: 'must be a decimal amount such as 0.01' })
      .transform((value) => String(value).trim())
      .refine((value) => DECIMAL.test(value), 'must be a decimal amount of 0 or more, such as 0.01')
      .default('0.00')
      .describe(
        'The largest difference per unit, in the order currency, that still counts as the ERP price. 0.00: exact.',
      ) as unknown as z.ZodType<string, unknown>,
    price_authority: choiceSetting({
      description:
        "Whose price wins: `sparklayer` (the order continues, carrying price_differences for the ERP's booking) or " +
        '`erp` (an order with a difference is PRICE_MISMATCH or NO_ERP_PRICE, for finance).',
      default: 'sparklayer',
      choices: PRICE_AUTHORITIES,
    }),
    price_list_map: readTableSetting<readonly string[]>({
      description:
        'ERP account (left) to the price lists it buys from (right), most specific first, separated by `|` ' +
        '(or commas, quoted in CSV): `TRADE-GOLD|TRADE`. An account not here uses default_price_list alone.',
      value: (right) => {
        const lists = right
          .split(/[|,]/)
          .map((list) => list.trim())
          .filter((list) => list !== '');
        return lists.length > 0 ? lists : reject('names no price list');
      },
    }),
    default_price_list: textSetting({
      description: 'The price list of every account, after its customer-specific prices and price_list_map lists.',
      default: '',
    }),
    unit_map: unitMapSetting(
      'A line is priced in the back-end SKU and units: a case of 12 at 54.00 is 12 units at 4.50 of the base SKU.',
    ),
    order_format: orderFormatSetting,
  },
  exceptionCodes: CODES,
  record: {
    // The rule reads a SparkLayer purchase (this schema) or a Shopify order (the reader); nothing when off.
    schema: purchaseRecordSchema as z.ZodType<OrderRecord>,
    id: purchaseId,
    checkOnly: true,
    readerFor: ({ order_format, price_check }, besideRaw) =>
      price_check === 'off'
        ? unread(order_format)
        : shopifyOrderReader<OrderRecord, Code>(
            order_format,
            () => customerIdsBeside(besideRaw),
            (canonical, record): ShopifyOrder => {
              const { erp_account: account } = record as { erp_account?: unknown };
              const recorded = Object.hasOwn(record as object, FIELD);
              return typeof account === 'string'
                ? { canonical, erp_account: account, recorded }
                : { canonical, recorded };
            },
            () => 'INVALID_ORDER',
          ),
  },
  // Read in the rule, only when on; never handed on (see the header).
  beside: z.looseObject({ prices: z.unknown().optional() }),
  besideDropped: ['prices'],
  rule: (purchases: readonly OrderRecord[], settings, beside) => {
    if (settings.price_check === 'off') return purchases.map(() => pass());
    const index = indexPrices(readPrices(beside));
    const shopify = settings.order_format !== 'sparklayer';
    const read = {
      unitMap: settings.unit_map,
      listMap: settings.price_list_map,
      defaultList: settings.default_price_list,
      tolerance: new Big(settings.price_tolerance),
    };
    return purchases.map((purchase): Outcome<Code> => {
      const order = shopify ? shopifyOrder(purchase as ShopifyOrder) : sparkLayerOrder(purchase as PurchaseRecord);
      if ('invalid' in order) return fail('INVALID_ORDER', order.invalid);
      if (order.placedAt === undefined || parseInstant(order.placedAt) === undefined)
        return fail(
          'INVALID_ORDER',
          order.placedAt === undefined
            ? 'dates.placed_at: missing (and no dates.created_at), so which prices were valid cannot be told'
            : `dates.placed_at: ${JSON.stringify(order.placedAt)} is not an ISO 8601 date-time`,
        );
      const differences = checkLines(order, order.placedAt.trim().slice(0, 10), read, index);
      if (differences.length === 0) {
        // A replayed order that now prices correctly: what an earlier run recorded no longer holds (undefined is
        // left out of the JSON written, the rest of the record as it came).
        const recorded = shopify ? (purchase as ShopifyOrder).recorded : Object.hasOwn(purchase, FIELD);
        return recorded ? passWith({ [FIELD]: undefined }) : pass();
      }
      if (settings.price_authority === 'sparklayer') return passWith({ [FIELD]: differences });
      const mismatched = differences.some((d) => d.code === 'PRICE_MISMATCH');
      return fail(mismatched ? 'PRICE_MISMATCH' : 'NO_ERP_PRICE', describeDifferences(differences), {
        erp_account: order.account ?? null,
        placed_date: order.placedAt.trim().slice(0, 10),
        [FIELD]: differences,
      });
    });
  },
  counters: ({ records }) => {
    const recorded = records.map((record) => ((record as Record<string, unknown>)[FIELD] ?? []) as PriceDifference[]);
    const lines = (code: PriceDifference['code']) =>
      recorded.reduce((n, list) => n + list.filter((d) => d.code === code).length, 0);
    return {
      orders_with_price_differences: recorded.filter((list) => list.length > 0).length,
      price_mismatch_lines: lines('PRICE_MISMATCH'),
      no_erp_price_lines: lines('NO_ERP_PRICE'),
    };
  },
});
