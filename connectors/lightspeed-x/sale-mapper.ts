/**
 * The canonical order → the body of Lightspeed X-Series' POST /api/2026-07/sales (model/order-mapper.ts;
 * pack-contract §4 `map-order-to-<backend>`). Pure: no I/O, no clock. Money is decimal throughout (model/money.ts); a
 * JSON number is written only at the end, and only when it prints back as the same decimal.
 *
 * Field by field (each in connectors/lightspeed-x/openapi.json, trimmed from the official 2026-07 document
 * https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml; usage from Sales 101,
 * https://x-series-api.lightspeedhq.com/docs/sales_101_date_versioned):
 * - `id`: X-Series accepts a client-supplied sale id ("User-provided sale ID"). It is a UUID derived from the
 *   SparkLayer purchase id (version 5, sale-id.ts): a re-run of the same order names the same sale, which the flow's
 *   look-up (GET /sales/{id}) finds, so skip-booked-sales books it only once.
 * - `source`: `author_id` is required, the X-Series user (cashier) the sale is booked by: the `user_id` setting.
 *   `register_id`: the `register_id` setting, when set. `id`: "The ID of the sale on the client side or another system
 *   where the sale was originally created" = the SparkLayer purchase id; `type`: "the identifier of the 3rd party
 *   system ... 'Xero' or 'Magento' would be examples" = `SparkLayer`. So the SparkLayer id is on the sale for anyone
 *   (and reconcile-order-totals) to find, besides being the source of the sale id.
 * - The PO number: X-Series sales have no purchase-order field. It goes first in `note` ("A note on the sale entered by
 *   the cashier"), which staff see on the sale, as `PO <number>`, followed by the SparkLayer reference and, for Pay on
 *   Account orders, what was decided. `invoice_number` is not used: it must follow the register's prefix and suffix
 *   and is left for X-Series to number. (X-Series redacts anything that looks like a card number in notes,
 *   https://x-series-api.lightspeedhq.com/docs/data_security: a PO of 13 to 19 digits may be masked.)
 * - `customer_id`: the order's account, which must be the X-Series customer id (a UUID): UNRESOLVED_ACCOUNT otherwise.
 * - `date`: the time SparkLayer placed the order (RFC 3339, as X-Series asks).
 * - `line_items`: `product.id` (see SKUs below), `quantity` in base units (after unit_map), `pricing.price` the unit
 *   price before tax and `tax.id` + `tax.amount` the unit tax ("The unit tax value associated with this line item"),
 *   both from SparkLayer's line net and tax, never X-Series' own prices; `_metadata.is_price_override: true`
 *   ("preventing recalculation of the total price based on the price from the database"). X-Series totals price ×
 *   quantity, so a unit price must multiply back to SparkLayer's line total exactly: when net ÷ quantity (or tax ÷
 *   quantity) is not a whole number of pennies, the line is written as up to three lines of the same product whose
 *   quantities and whole-penny unit prices add up to SparkLayer's net and tax to the penny (3 for 10.00 is 1 at 3.34
 *   and 2 at 3.33), with a `line_note` saying so. A fractional quantity whose unit price is not exact to 5 places is
 *   INEXACT_UNIT_PRICE (it cannot be split by whole units).
 * - tax ids: X-Series needs the id of one of its taxes on every line ("for tax-free items, please use the ID of the
 *   tax named 'No Tax'"): the `tax_ids` setting maps the rate in percent (from SparkLayer's tax_rate, else implied by
 *   tax ÷ net) to it, including 0 for No Tax. A rate without an id is UNMAPPED_TAX.
 * - Shipping: a sale has no shipping field; shipping is a line of the `shipping_product_id` product, at SparkLayer's
 *   shipping net and tax. An order with shipping and no such product is UNMAPPED_SHIPPING (never left out silently).
 * - `state` and `attributes` (https://x-series-api.lightspeedhq.com/docs/sales_states_and_attributes,
 *   https://x-series-api.lightspeedhq.com/docs/sales_statuses): Pay on Account with on_account_mode=release is an
 *   on-account sale, `state: pending` + `attributes: ["onaccount"]` (legacy ONACCOUNT: the goods leave unpaid, the
 *   stock is reduced, the balance sits on the customer's account). With `hold` it is a parked sale, `state: parked`
 *   and no attributes (legacy SAVED: nothing leaves, no stock moves, no payment), its note saying it is held for
 *   finance: fulfilment staff see a parked sale, not an on-account one, until finance completes it on account. Every
 *   other order (card, invoice…) is parked the same way in both modes, with no payment recorded: X-Series needs a
 *   payment type to record one, and the money was taken (or will be invoiced) outside the POS.
 *
 * SKUs → product ids: first the `product_map` setting (SKU after unit_map → product id); else the X-Series products
 * riding beside the orders under `products` (what client.productsBySku returns), matched by SKU case-insensitively
 * (X-Series compares lower-cased SKUs). A variant child is a product of its own and resolves to itself; a family's
 * parent (`has_variants: true`) is not sold itself: VARIANT_PARENT. A deleted (`deleted_at`) or inactive
 * (`active`/`is_active` false) product is ARCHIVED_ITEM; two live products with the SKU, AMBIGUOUS_SKU; none,
 * UNMAPPED_SKU. Each names the line. No line is ever dropped.
 */
import Big from 'big.js';
import * as z from 'zod';
import { decimalPlaces, minorUnits, type Decimal, type Money } from '../../model/money.js';
import type { OrderLine } from '../../model/order.js';
import {
  chargesShipping,
  mappingKit,
  oncePer,
  orderLabel,
  payOnAccount,
  poNumber,
  RELEASED_NOTE,
  type MappingKit,
  type OrderMapper,
  type OrderMapperOptions,
  type OrderWithAccount,
  type Taxed,
} from '../../model/order-mapper.js';
import { rateTableKey } from '../../model/tax.js';
import { readTableSetting, requiredSetting, type SettingsOf } from '../../runtime/settings.js';
import { reject } from '../../runtime/tables.js';
import { isXSeriesId, saleIdFor } from './sale-id.js';
import { isArchived, productSchema, type Product, type SaleLineItem, type SaleRequest } from './schemas.js';
import type { ExceptionCode } from '../../runtime/step.js';

export const LIGHTSPEED_X_EXCEPTION_CODES = {
  UNRESOLVED_ACCOUNT: {
    owner: 'finance',
    action:
      "erp_account must be the X-Series customer's id, a UUID such as " +
      'b8ca3a65-0183-11e4-fbb5-4f73f02a9d1c (GET /api/2026-07/search?type=customers&customer_code=<code> ' +
      "returns it), not its customer code. Put it in the SparkLayer company's accounting_id or in " +
      'account_map, then replay.',
  },
  UNMAPPED_SKU: {
    owner: 'operations',
    action:
      'The line (named in the message) has a SKU that is neither in product_map nor among the X-Series ' +
      'products beside the orders. Add `SKU,<product id>` to product_map, or create the product in ' +
      'Lightspeed with that SKU, then replay.',
  },
  ARCHIVED_ITEM: {
    owner: 'operations',
    action:
      "The line's product is deleted or inactive in Lightspeed (named in the message). Restore it or " +
      'switch "Sell on POS" back on, or map the SKU to its replacement in product_map, then replay.',
  },
  VARIANT_PARENT: {
    owner: 'operations',
    action:
      "The line's SKU is a variant family's parent, which is not sold itself. Use the variant's own SKU " +
      "in SparkLayer, or map the SKU to the variant's product id in product_map, then replay.",
  },
  AMBIGUOUS_SKU: {
    owner: 'operations',
    action:
      "Two live Lightspeed products share the line's SKU (named in the message). Make the SKU unique in " +
      'Lightspeed, or map it to one product id in product_map, then replay.',
  },
  UNMAPPED_TAX: {
    owner: 'integration',
    action:
      "The line's tax rate (named in the message) has no X-Series tax id. Add `RATE,<tax id>` to tax_ids " +
      '(0 is the tax named No Tax), then replay.',
  },
  UNMAPPED_SHIPPING: {
    owner: 'integration',
    action:
      'The order charges shipping but shipping_product_id is not set: X-Series sales have no shipping ' +
      'field, so shipping is booked as a line of that product. Create a shipping product in Lightspeed ' +
      'and set its id, then replay.',
  },
  INEXACT_UNIT_PRICE: {
    owner: 'integration',
    action:
      'A line with a fractional quantity (after unit_map) has a unit price or tax that is not exact to 5 ' +
      "decimal places, so no X-Series line can carry SparkLayer's total to the penny. Check the unit_map " +
      'rule for the SKU, then replay.',
  },
  UNSUPPORTED_CURRENCY: {
    owner: 'finance',
    action:
      'The order is in another currency than the Lightspeed store (store_currency). Book it by hand, or ' +
      'route orders in that currency to another store.',
  },
  INVALID_AMOUNT: {
    owner: 'customer service',
    action:
      'An amount or quantity has more significant digits than a JSON number carries exactly (15). Check ' +
      'the order in SparkLayer.',
  },
} as const satisfies Record<string, ExceptionCode>;
export type LightspeedXMapCode = keyof typeof LIGHTSPEED_X_EXCEPTION_CODES;
const kit: MappingKit<LightspeedXMapCode> = mappingKit(LIGHTSPEED_X_EXCEPTION_CODES);

/** The system name written to source.type. */
export const SOURCE_TYPE = 'SparkLayer';
/** Decimal places a fractional quantity's unit price may have (X-Series' own prices carry 5, e.g. 2.63158). */
const MAX_UNIT_PLACES = 5;

const idText = (description: string) =>
  z
    .union([z.string(), z.number()], { error: 'must be text' })
    .transform((value) => String(value).trim())
    .refine(
      (value) => value === '' || isXSeriesId(value),
      'must be an X-Series id, a UUID such as 020b2c2a-4661-11f0-e88b-1afde45e0728',
    )
    .default('')
    .describe(description) as unknown as z.ZodType<string, unknown>;

const idTable = (description: string, key?: (left: string) => ReturnType<typeof rateTableKey>) =>
  readTableSetting({
    description,
    key,
    value: (right) => (isXSeriesId(right) ? right : reject('the right value must be an X-Series id (a UUID)')),
  });

/** The settings X-Series adds to map-order-to-lightspeed-x: the store's own ids. */
export const LIGHTSPEED_X_SETTINGS = {
  user_id: requiredSetting(
    idText(
      'The X-Series user (cashier) the sales are booked by: source.author_id, which X-Series requires. A ' +
        'user id from Setup > Users, or GET /api/2026-07/users.',
    ),
  ),
  register_id: idText('The X-Series register the sales are booked on (source.register_id). Empty: X-Series decides.'),
  product_map: idTable('SKU (after unit_map) to X-Series product id. Checked before the products beside the orders.'),
  tax_ids: idTable(
    'Tax rate in percent (left, e.g. `20`; `0` for untaxed lines) to the X-Series tax id (right): the ' +
      'tax named No Tax for 0.',
    rateTableKey,
  ),
  shipping_product_id: idText(
    'The X-Series product that shipping is booked as (a sale has no shipping field). Needed when orders ' +
      'charge shipping.',
  ),
  store_currency: z
    .string()
    .transform((value) => value.trim().toUpperCase())
    .refine((value) => value === '' || /^[A-Z]{3}$/.test(value), 'must be an ISO currency code such as GBP')
    .default('')
    .describe(
      "The Lightspeed store's currency (ISO code). Set: an order in another currency is " +
        'UNSUPPORTED_CURRENCY. Empty: not checked.',
    ) as unknown as z.ZodType<string, unknown>,
};
type Settings = SettingsOf<typeof LIGHTSPEED_X_SETTINGS>;

/** What the step reads beside the orders: the X-Series products for their SKUs (client.productsBySku). */
export const lightspeedXBeside = z.looseObject({ products: z.array(productSchema).optional() });
export type LightspeedXBeside = z.output<typeof lightspeedXBeside>;

interface ProductIndex {
  bySku: ReadonlyMap<string, Product[]>;
  byId: ReadonlyMap<string, Product>;
}

/** The products beside the orders by SKU (lower-cased, as X-Series compares them) and by id: once per run. */
const productIndex = oncePer((products: readonly Product[]): ProductIndex => {
  const bySku = new Map<string, Product[]>();
  const byId = new Map<string, Product>();
  for (const product of products) {
    byId.set(product.id, product);
    const sku = product.sku.trim().toLowerCase();
    const same = bySku.get(sku) ?? [];
    if (!same.some((p) => p.id === product.id)) same.push(product);
    bySku.set(sku, same);
  }
  return { bySku, byId };
});

/** The mapping of one order. Throws the kit's failure for a record problem (user_id is set: it is a required setting).
 */
export function mapSale(
  order: OrderWithAccount,
  options: OrderMapperOptions,
  settings: Settings,
  beside: LightspeedXBeside | undefined,
): SaleRequest {
  const account = kit.account(order, (text) => (isXSeriesId(text) ? text : undefined), 'an X-Series customer id');
  if (settings.store_currency !== '' && order.currency !== settings.store_currency) {
    kit.fail('UNSUPPORTED_CURRENCY', `the order is in ${order.currency}, the store in ${settings.store_currency}`);
  }
  const index = productIndex(beside?.products ?? []);
  const onAccount = payOnAccount(order, options);
  const released = onAccount === 'released';

  const lines: SaleLineItem[] = [];
  for (const line of order.lines) {
    const productId = resolveProduct(line, settings, index);
    const taxId = taxIdFor(settings, `line ${line.position}`, line);
    lines.push(
      ...saleLines(`line ${line.position}`, productId, taxId, line.quantity, line.net, line.tax, splitNote(line)),
    );
  }
  const { shipping } = order;
  if (chargesShipping(order)) {
    if (settings.shipping_product_id === '') {
      kit.fail(
        'UNMAPPED_SHIPPING',
        `the order charges shipping of ${shipping.net.toString()} before tax and shipping_product_id is not set`,
      );
    }
    const taxId = taxIdFor(settings, 'shipping', shipping);
    const name = shipping.method?.trim();
    const [shippingLine] = saleLines(
      'shipping',
      settings.shipping_product_id,
      taxId,
      new Big(1),
      shipping.net,
      shipping.tax,
      undefined,
    );
    lines.push({
      ...shippingLine!,
      attributes: [{ name: 'line_note', value: name ? `Shipping: ${name}` : 'Shipping' }],
    });
  }

  const po = poNumber(order);
  const note = [po ? `PO ${po}` : 'No PO', `${orderLabel(order)} (purchase ${order.id})`];
  if (onAccount)
    note.push(released ? RELEASED_NOTE : 'Pay on Account: HELD for finance, do not fulfil until it is released');

  // Keys in a fixed order, so the same order always gives byte-identical JSON.
  const source: SaleRequest['source'] = {
    author_id: settings.user_id,
    ...(settings.register_id === '' ? {} : { register_id: settings.register_id }),
    id: order.id,
    type: SOURCE_TYPE,
  };
  const date = order.placedAt?.trim();
  return {
    id: saleIdFor(order.id),
    source,
    customer_id: account,
    ...(date && RFC3339.test(date) ? { date } : {}),
    state: released ? 'pending' : 'parked',
    ...(released ? { attributes: ['onaccount'] } : {}),
    note: note.join('; '),
    line_items: lines,
  };
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function resolveProduct(line: OrderLine, settings: Settings, index: ProductIndex): string {
  const where = `line ${line.position}: SKU ${line.sku}`;
  const mapped = settings.product_map.get(line.sku);
  if (mapped !== undefined) {
    const known = index.byId.get(mapped);
    if (known) check(known, where);
    return mapped;
  }
  const candidates = index.bySku.get(line.sku.trim().toLowerCase()) ?? [];
  if (candidates.length === 0)
    kit.fail('UNMAPPED_SKU', `${where} is not in product_map and no X-Series product beside the orders has it`);
  const live = candidates.filter((p) => !isArchived(p));
  if (live.length === 0)
    kit.fail('ARCHIVED_ITEM', `${where} is product ${candidates[0]!.id}, which is deleted or inactive in X-Series`);
  if (live.length > 1)
    kit.fail(
      'AMBIGUOUS_SKU',
      `${where} matches ${live.length} live X-Series products (${live.map((p) => p.id).join(', ')})`,
    );
  return check(live[0]!, where).id;
}

function check(product: Product, where: string): Product {
  if (isArchived(product))
    kit.fail('ARCHIVED_ITEM', `${where} is product ${product.id}, which is deleted or inactive in X-Series`);
  if (product.has_variants === true)
    kit.fail(
      'VARIANT_PARENT',
      `${where} is product ${product.id}, the parent of a variant family, which is not sold itself`,
    );
  return product;
}

function taxIdFor(settings: Settings, what: string, part: Taxed): string {
  return kit.byRate(settings.tax_ids, what, part, 'UNMAPPED_TAX', 'X-Series tax id in tax_ids').value;
}

function splitNote(line: OrderLine): (parts: number) => string {
  return (parts) =>
    `SparkLayer line ${line.position} (${line.sku}): ${line.quantity.toFixed()} for ${line.net.text()} ` +
    `before tax, in ${parts} lines at whole-penny unit prices`;
}

/**
 * One X-Series line, or up to three of the same product, whose quantity × unit price add up to `net` and quantity ×
 * unit tax to `tax`, exactly.
 */
function saleLines(
  what: string,
  productId: string,
  taxId: string,
  quantity: Decimal,
  net: Money,
  tax: Money,
  note: ((parts: number) => string) | undefined,
): SaleLineItem[] {
  const line = (q: Decimal, price: Decimal, unitTax: Decimal): SaleLineItem => ({
    product: { id: productId },
    quantity: exact(q, `${what} quantity`),
    pricing: { price: exact(price, `${what} unit price`) },
    tax: { id: taxId, amount: exact(unitTax, `${what} unit tax`) },
    _metadata: { is_price_override: true },
  });
  const n = net.amount;
  const t = tax.amount;
  if (quantity.eq(0)) {
    if (n.eq(0) && t.eq(0)) return [line(quantity, new Big(0), new Big(0))];
    kit.fail('INVALID_AMOUNT', `${what}: quantity 0 with a net of ${net.toString()} and tax of ${tax.toString()}`);
  }
  const unitPlaces = Math.max(minorUnits(net.currency), decimalPlaces(n), decimalPlaces(t));
  const price = exactQuotient(n, quantity, quantity.mod(1).eq(0) ? unitPlaces : MAX_UNIT_PLACES);
  const unitTax = exactQuotient(t, quantity, quantity.mod(1).eq(0) ? unitPlaces : MAX_UNIT_PLACES);
  if (price !== undefined && unitTax !== undefined) return [line(quantity, price, unitTax)];
  if (!quantity.mod(1).eq(0) || quantity.lt(0)) {
    kit.fail(
      'INEXACT_UNIT_PRICE',
      `${what}: ${net.toString()} for ${quantity.toFixed()} units has no unit price exact to ${MAX_UNIT_PLACES} places`,
    );
  }

  // Whole-penny (10^-unitPlaces) unit prices: r units one penny above the floor, the rest at it; the same for tax.
  const scale = new Big(10).pow(unitPlaces);
  const [base, r] = floorDivide(n.times(scale), quantity);
  const [baseTax, rt] = floorDivide(t.times(scale), quantity);
  const unit = (pennies: Decimal) => pennies.div(scale);
  const both = r.lt(rt) ? r : rt;
  const groups: Array<[Decimal, Decimal, Decimal]> = [
    [both, unit(base.plus(1)), unit(baseTax.plus(1))],
    [r.minus(both), unit(base.plus(1)), unit(baseTax)],
    [rt.minus(both), unit(base), unit(baseTax.plus(1))],
    [quantity.minus(r.gt(rt) ? r : rt), unit(base), unit(baseTax)],
  ];
  const parts = groups.filter(([q]) => q.gt(0));
  return parts.map(([q, p, ut]) => ({
    ...line(q, p, ut),
    ...(note ? { attributes: [{ name: 'line_note', value: note(parts.length) }] } : {}),
  }));
}

/** a ÷ b when it is exact to `maxPlaces` decimal places; else undefined. */
function exactQuotient(a: Decimal, b: Decimal, maxPlaces: number): Decimal | undefined {
  const quotient = a.div(b).round(maxPlaces, Big.roundHalfUp);
  return quotient.times(b).eq(a) ? quotient : undefined;
}

/** [q, r] with a = q·b + r, q an integer and 0 ≤ r < b (b a positive integer). */
function floorDivide(a: Decimal, b: Decimal): [Decimal, Decimal] {
  let q = a.div(b).round(0, Big.roundDown);
  let r = a.minus(q.times(b));
  if (r.lt(0)) {
    q = q.minus(1);
    r = r.plus(b);
  }
  return [q, r];
}

/** An exact JSON number, with -0 written as 0. */
function exact(value: Decimal, what: string): number {
  const number = kit.exactNumber(value, what);
  return number === 0 ? 0 : number;
}

/** The X-Series mapper behind map-order-to-lightspeed-x. */
export const lightspeedXSaleMapper: OrderMapper<
  SaleRequest,
  LightspeedXMapCode,
  typeof LIGHTSPEED_X_SETTINGS,
  LightspeedXBeside
> = {
  backend: 'lightspeed-x',
  po: { field: 'note', source: 'The 2026-07 Sales API gives a sale note no length.' },
  exceptionCodes: LIGHTSPEED_X_EXCEPTION_CODES,
  settings: LIGHTSPEED_X_SETTINGS,
  beside: lightspeedXBeside,
  map: (order, options, settings, beside) => kit.result(() => mapSale(order, options, settings, beside)),
};
