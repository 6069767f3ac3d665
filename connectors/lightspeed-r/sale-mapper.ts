/**
 * The canonical order → the body of R-Series' Sale POST (model/order-mapper.ts; pack-contract §4
 * `map-order-to-lightspeed-r`). Pure: no I/O, no clock. Money is decimal throughout (model/money.ts) and goes out as
 * decimal text, as the SaleLine PUT sample sends its unitPrice ("12"): never a binary float.
 *
 * Every field written, with the page that documents it (openapi.json's SaleCreate, SaleLineCreate and
 * SalePaymentCreate carry the same citations as x-source, and x-unverified where no source confirms a field):
 * - Sale (https://developers.lightspeedhq.com/retail/endpoints/Sale/, "POST Create a sale" attributes):
 *   `customerID` = `erp_account`, the R-Series customer ID (resolve-erp-account finds it in the SparkLayer company's
 *   accounting_id or account_map); `employeeID`, `registerID`, `shopID` from the settings (every request of the Sales
 *   tutorial sends all three: https://developers.lightspeedhq.com/retail/tutorials/sales/); `completed`; `enablePromotions`
 *   false (R-Series' promotions must not reprice SparkLayer's lines; "This field may only be set on creation");
 *   `referenceNumber` ("Custom reference sale number from an external system") = the PO number, with no PO the
 *   SparkLayer purchase id; `referenceNumberSource` ("Name of the external system for referenceNumber") = `SparkLayer`;
 *   `taxCategoryID` (below); `SaleLines` and `SalePayments`, nested as in the Sales tutorial.
 * - SaleNotes.InternalNote.note: created with the sale, as the Sale Notes tutorial's POST sample does
 *   (https://developers.lightspeedhq.com/retail/tutorials/salenotes/; the Sale page lists the SaleNote fields).
 * - SaleLine (https://developers.lightspeedhq.com/retail/endpoints/SaleLine/): `itemID`, `unitQuantity` (an integer,
 *   "Must be positive for create action"), `unitPrice`, `tax` ("If false no tax will apply"). Nothing else: no
 *   `taxCategoryID` (the sale's defines the rates, below) and no `taxClassID` (R-Series takes the item's: every sample
 *   line's taxClassID is its item's).
 * - A miscellaneous line (itemID 0) also carries `note`, as the Credit Accounts tutorial's Sale POST does for its
 *   itemID 0 line (https://developers.lightspeedhq.com/retail/tutorials/creditacounts/). UNVERIFIED: the SaleLine field
 *   list has no `note` (it documents `noteID` and the `Note` relation, "Notes will print on the receipt"), and no
 *   recorded answer shows what R-Series keeps. So the note carries nothing that is not also in the sale's internal note
 *   (the shipping method is there too), and no PO number or purchase marker ever rides on a line.
 * - SalePayment (fields of https://developers.lightspeedhq.com/retail/endpoints/SalePayment/, written through the sale
 *   as in the Sales tutorial): `paymentTypeID`, `amount`, `creditAccountID` (with paymentTypeID 4, Credit Accounts
 *   tutorial), `remoteReference` ("An optional client-generated unique identifier"; UNVERIFIED that a Sale POST stores
 *   it: no Lightspeed request sample sends it).
 *
 * Re-runs: R-Series has no external-id upsert. The internal note always names `SparkLayer purchase <id>`, and payments
 * carry `remoteReference` = `sparklayer:<id>`. The order flows look up sales by referenceNumber + source + customer
 * just before the POST, and skip-booked-sales books the order only when none names the purchase.
 *
 * SaleLines: R-Series totals a line as unitQuantity × unitPrice, so where SparkLayer's line net does not divide into
 * whole cents (3 for 10.00) the line is sent as two lines of the same item (2 × 3.33 and 1 × 3.34): the sale's net
 * stays SparkLayer's to the penny. Packs arrive in base units (unit_map), so a case of 12 at 96.00 is 24 eaches at
 * 4.00. Shipping: a line for `shipping_item_id` (a non-inventory "Shipping" item), else a miscellaneous line, at
 * SparkLayer's shipping net.
 *
 * Tax. R-Series takes no tax amounts: it computes them. A sale has ONE tax category: the Sale's `taxCategoryID` is "the
 * sales tax (TaxCategory) for this sale. Defines what the tax rates will be" (Sale page); a TaxCategory "Defines
 * default
 * and per TaxClass rates" (https://developers.lightspeedhq.com/retail/endpoints/TaxCategory/); and a taxed line is taxed
 * at the rates its TaxClass has in that category (a TaxCategoryClass), else at the category's defaults ("Lines that do
 * not have specific class tax rates will use this rate": Sale page, tax1Rate). The Sales tutorial's answer shows it:
 * category 1 (0.05 and 0.09975) with per-class rates for classes 2 and 4 only; its lines, of class 6, are taxed at
 * 0.05 and 0.09975. Each line's calcTax1 and calcTax2 are kept unrounded and the sale rounds each sum to the cent
 * (0.4995 + 1 → calcTax1 1.5; 0.9965025 + 1.995 → calcTax2 2.99). A SaleLine has a `taxCategoryID` field too ("the
 * TaxCategory that applies to this line"), but no page or recorded answer shows a line's own category overriding the
 * sale's, so the pack never relies on it: the sale gets the one category `tax_categories` maps every charged rate to.
 * An order whose rates map to different categories cannot be one R-Series sale at SparkLayer's tax: TAX_MISMATCH
 * (map the rates to one category whose per-class rates give each item its rate). Left out, the sale would take the
 * shop's category (the Sales tutorial's requests send none; the answer has the shop's), so it is only left out when no
 * line is taxed; an untaxed line gets `tax: false`.
 * The TAX_MISMATCH guard predicts what R-Series will charge from what R-Series uses: each taxed line's subtotal at its
 * rates in the sale's category, the tax1 and tax2 sums each rounded half-up to the cent. The rates are the category's
 * own when it rides beside the orders (`lightspeed_tax_categories`, as GET TaxCategory.json with
 * load_relations=["TaxCategoryClasses"] returns it): the line's item's TaxCategoryClass rates (taxClassID from the item
 * beside the orders; a miscellaneous line has none), else the category's tax1Rate and tax2Rate; a tax-inclusive
 * category is refused (the pack sends net prices). Without the record, the rate tax_categories says the category has.
 * More than `tax_tolerance` from SparkLayer's tax (SparkLayer may round line by line where R-Series rounds the sale) is
 * TAX_MISMATCH, never a silent difference.
 *
 * Pay on Account (`payment_method` on account), per on_account_mode:
 * - `release`: a COMPLETED sale (stock removed, "payments must equal the total") paid with the Credit Account payment
 *   type, paymentTypeID 4 with the customer's creditAccountID ("When using credit accounts as a payment method, the
 *   paymentTypeID is always 4, and you must provide the creditAccountID": Credit Accounts tutorial), for the total
 *   R-Series will compute; the internal note says "Pay on Account: released for fulfilment".
 * - `hold`: the sale is created NOT completed ("If it's not complete it will have no payments"), and the internal note
 *   starts "ON HOLD" and tells fulfilment staff not to fulfil it until finance releases it (finance completes it later
 *   with the credit-account payment: PUT Sale/{id}.json).
 * Every other order is mapped the same in both modes: completed with the payment type `payment_types` maps its payment
 * method to (a card payment taken in SparkLayer), else left open with a note naming how it is paid.
 *
 * SKUs (after unit_map) resolve to R-Series item IDs: `product_map` first; else the R-Series items riding beside the
 * orders under `products` (Item records, or ItemMatrix records with their Items), matched on `sku_fields`
 * (customSku, systemSku, upc, ean, manufacturerSku: https://developers.lightspeedhq.com/retail/endpoints/Item/). A
 * matrix variant is an item of its own and resolves to itself; a matrix is not an item and cannot be sold
 * (https://developers.lightspeedhq.com/retail/endpoints/ItemMatrix/). An unknown SKU is UNMAPPED_SKU, an archived item
 * ARCHIVED_ITEM, each naming the line: a line is never dropped.
 */
import Big from 'big.js';
import * as z from 'zod';
import { minorUnits, Money, type Decimal } from '../../model/money.js';
import {
  chargesShipping,
  mappingKit,
  oncePer,
  orderLabel,
  payOnAccount,
  poNumber,
  RELEASED_NOTE,
  type MappingKit,
  type MapResult,
  type OrderMapper,
  type OrderMapperOptions,
  type OrderWithAccount,
} from '../../model/order-mapper.js';
import {
  orderTotals,
  PAYMENT_METHODS,
  type OrderAddress,
  type OrderLine,
  type PaymentMethod,
} from '../../model/order.js';
import { rateKey, rateTableKey } from '../../model/tax.js';
import {
  listSetting,
  readTableSetting,
  requiredSetting,
  textSetting,
  type SettingsOf,
} from '../../runtime/settings.js';
import { reject, Rejected } from '../../runtime/tables.js';
import {
  CREDIT_ACCOUNT_PAYMENT_TYPE,
  purchaseMarker,
  REFERENCE_SOURCE,
  SKU_FIELDS,
  type SkuField,
} from './constants.js';
import {
  customerSchema,
  itemMatrixSchema,
  itemSchema,
  taxCategorySchema,
  type Customer,
  type Item,
  type SaleCreate,
  type SaleLineCreate,
  type SalePaymentCreate,
  type TaxCategory,
} from './schemas.js';
import type { ExceptionCode } from '../../runtime/step.js';

export const LIGHTSPEED_R_EXCEPTION_CODES = {
  UNRESOLVED_ACCOUNT: {
    owner: 'finance',
    action:
      'erp_account must be the R-Series customer ID (a number, e.g. 7), of a customer that is not ' +
      "archived. Put it in the SparkLayer company's accounting_id or in account_map, then replay.",
  },
  UNMAPPED_SKU: {
    owner: 'operations',
    action:
      'The line named in the message has a SKU R-Series does not know. Add it to product_map ' +
      '(`SKU,itemID`), or give the R-Series item that SKU as its custom SKU (or have the flow fetch it ' +
      'beside the orders as products), then replay.',
  },
  ARCHIVED_ITEM: {
    owner: 'operations',
    action:
      'The line named in the message is for an R-Series item that is archived (it cannot be sold, and ' +
      'its stock was zeroed). Unarchive it in R-Series, or point the SKU at the live item in ' +
      'product_map, then replay.',
  },
  MATRIX_NOT_SELLABLE: {
    owner: 'operations',
    action:
      "product_map points the line's SKU at an R-Series matrix (`matrix:…`); a matrix is only the parent " +
      "of its variants. Map the SKU to the variant item's ID, then replay.",
  },
  AMBIGUOUS_SKU: {
    owner: 'operations',
    action:
      "The line's SKU matches more than one live R-Series item (the message lists them). Make the SKU " +
      'unique in R-Series, or map it to one item in product_map, then replay.',
  },
  FRACTIONAL_QUANTITY: {
    owner: 'integration',
    action:
      'R-Series sells whole units only and the line (after unit_map) has a fractional quantity. Check ' +
      'the pack size in unit_map, then replay.',
  },
  UNMAPPED_TAX_RATE: {
    owner: 'integration',
    action:
      'The order charges a tax rate (named in the message) that tax_categories does not map to an ' +
      'R-Series tax category. Create a tax category with that rate in R-Series if needed and add ' +
      '`RATE,taxCategoryID` to tax_categories, then replay.',
  },
  TAX_MISMATCH: {
    owner: 'finance',
    action:
      "R-Series would charge a different tax from SparkLayer's (the message says how): usually " +
      "SparkLayer rounded tax line by line where R-Series rounds the sale, or a tax category's rate (or " +
      "its rate for an item's tax class) differs from its tax_categories entry; or the order's rates map " +
      'to more than one tax category, where an R-Series sale has one (map them to one category whose tax ' +
      'class rates give each item its rate); or the category is tax-inclusive. Check the rates, or raise ' +
      'tax_tolerance, then replay.',
  },
  NO_CREDIT_ACCOUNT: {
    owner: 'finance',
    action:
      "A Pay on Account order can only be released against the customer's R-Series credit account, and " +
      "none was found. Create one for the customer in R-Series (or with the connector's credit account " +
      'call), and let the flow fetch the customer beside the orders (lightspeed_customers) or add it to ' +
      'credit_accounts, then replay.',
  },
} as const satisfies Record<string, ExceptionCode>;
export type LightspeedRMapCode = keyof typeof LIGHTSPEED_R_EXCEPTION_CODES;
const kit: MappingKit<LightspeedRMapCode> = mappingKit(LIGHTSPEED_R_EXCEPTION_CODES);

const DIGITS = /^\d+$/;
const MATRIX_RULE = /^matrix:(\d+)$/;

/** A product_map entry: an item ID, or a matrix named to be refused. */
type ProductTarget = { itemID: number } | { itemMatrixID: number };

/** An R-Series id: digits, within what a JSON number holds exactly. */
const isRecordId = (text: string) => DIGITS.test(text) && Number.isSafeInteger(Number(text));

/** An R-Series id setting: empty, or an id (checked when the settings are read, so a bad one fails the step once). */
const idSetting = (description: string) =>
  textSetting({ description, default: '' })
    .refine((value) => value === '' || isRecordId(value), 'must be an R-Series ID (a whole number)')
    .describe(description);

/** An R-Series id written in a table. */
function recordId(text: string, what: string): number | Rejected {
  return isRecordId(text) ? Number(text) : reject(`${what} must be an R-Series ID (a whole number)`);
}

const TAX_TOLERANCE_DESCRIPTION =
  "The largest difference between SparkLayer's tax and the tax R-Series will compute that still books " +
  "the order (R-Series rounds the sale's tax, SparkLayer may round each line).";

const SETTING_PAYMENT_METHODS = PAYMENT_METHODS.filter((method) => method !== 'on_account');

/** The settings R-Series adds to map-order-to-lightspeed-r. */
export const LIGHTSPEED_R_SETTINGS = {
  shop_id: requiredSetting(idSetting('The R-Series shop the sales are booked in (shopID).')),
  register_id: requiredSetting(idSetting('The register the sales are booked on (registerID).')),
  employee_id: requiredSetting(idSetting('The employee the sales are booked by (employeeID), e.g. an "API" employee.')),
  product_map: readTableSetting<ProductTarget>({
    description:
      'SKU (after unit_map, left) to the R-Series item ID (right, e.g. `41`). Takes precedence over the ' +
      'products beside the orders. `matrix:20` marks a SKU that names a matrix, which is refused.',
    value: (right) => {
      const matrix = MATRIX_RULE.exec(right);
      const id = recordId(
        matrix ? matrix[1]! : right,
        'write the R-Series item ID (e.g. 41), or matrix:<itemMatrixID>: the ID',
      );
      if (id instanceof Rejected) return id;
      return matrix ? { itemMatrixID: id } : { itemID: id };
    },
  }),
  sku_fields: listSetting({
    description: 'The R-Series item fields a SKU is matched on among the products beside the orders, in order.',
    default: [...SKU_FIELDS],
    allowed: SKU_FIELDS,
    allowedLabel: 'an R-Series SKU field',
  }),
  tax_categories: readTableSetting({
    description:
      'Tax rate in percent (left, e.g. `20`) to the R-Series tax category that charges it (right, ' +
      'taxCategoryID, e.g. `3`). Every rate SparkLayer charges needs one; an untaxed line needs none. An ' +
      'R-Series sale has one tax category, so the rates of one order must map to one (its tax class ' +
      'rates can charge some items another rate).',
    key: rateTableKey,
    value: (right) => recordId(right, 'write RATE,taxCategoryID, e.g. 20,3: the taxCategoryID'),
  }),
  tax_tolerance: textSetting({ description: TAX_TOLERANCE_DESCRIPTION, default: '0.01' })
    .pipe(z.string().regex(/^\d+(\.\d+)?$/, 'must be an amount such as 0.01'))
    .describe(TAX_TOLERANCE_DESCRIPTION),
  shipping_item_id: idSetting(
    'The R-Series item for shipping charges (a non-inventory item). Empty: shipping is a miscellaneous line.',
  ),
  payment_types: readTableSetting({
    description:
      `SparkLayer payment method (left: ${SETTING_PAYMENT_METHODS.join(', ')}) to the R-Series payment ` +
      `type (right, paymentTypeID) that settles it, e.g. \`card,12\`. An order paid another way is left open.`,
    key: (left) =>
      (SETTING_PAYMENT_METHODS as readonly string[]).includes(left)
        ? left
        : reject(`the left value must be one of ${SETTING_PAYMENT_METHODS.join(', ')}`),
    value: (right) => recordId(right, 'the paymentTypeID'),
  }),
  credit_accounts: readTableSetting({
    description:
      'R-Series customer ID (left) to its credit account ID (right): for releasing Pay on Account orders ' +
      'when the customers do not ride beside the orders.',
    key: (left) => {
      const id = recordId(left, 'write customerID,creditAccountID: the customerID');
      return id instanceof Rejected ? id : String(id);
    },
    value: (right) => recordId(right, 'write customerID,creditAccountID: the creditAccountID'),
  }),
};

type Settings = SettingsOf<typeof LIGHTSPEED_R_SETTINGS>;

/** What may ride beside the orders: R-Series items (or matrices with their items) and customers, as the client or the
 * API returns them. */
const productSchema = z.union([itemSchema, itemMatrixSchema.refine((matrix) => !('itemID' in matrix), 'an item')]);
export const lightspeedRBesideSchema = z.looseObject({
  products: z.array(productSchema).default([]),
  lightspeed_customers: z.array(customerSchema).default([]),
  /** R-Series' sales taxes with their TaxCategoryClasses: when the sale's is here, TAX_MISMATCH predicts from its real
   * rates. */
  lightspeed_tax_categories: z.array(taxCategorySchema).default([]),
});
export type LightspeedRBeside = z.output<typeof lightspeedRBesideSchema>;

interface ProductIndex {
  /** Items by ID: those given, and every matrix's variants (a matrix itself is not an item). */
  items: ReadonlyMap<number, Item>;
  bySku: ReadonlyMap<SkuField, ReadonlyMap<string, Item[]>>;
}

/** The items beside the orders by ID and by each SKU field: once per run. */
const productIndex = oncePer((beside: LightspeedRBeside): ProductIndex => {
  const items = new Map<number, Item>();
  for (const product of beside.products) {
    if (isItem(product)) items.set(product.itemID, product);
    else for (const variant of product.Items ?? []) items.set(variant.itemID, variant);
  }
  const bySku = new Map<SkuField, Map<string, Item[]>>();
  for (const field of SKU_FIELDS) {
    const index = new Map<string, Item[]>();
    for (const item of items.values()) {
      const sku = item[field]?.trim();
      if (sku) index.set(sku, [...(index.get(sku) ?? []), item]);
    }
    bySku.set(field, index);
  }
  return { items, bySku };
});

export function mapLightspeedRSale(
  order: OrderWithAccount,
  options: OrderMapperOptions,
  settings: Settings,
  beside: LightspeedRBeside,
): MapResult<SaleCreate, LightspeedRMapCode> {
  return kit.result(() => mapSale(order, options, settings, beside));
}

/** The mapping of one order. shop_id, register_id and employee_id are set, and every id setting is an ID: the settings
 * say so. */
function mapSale(
  order: OrderWithAccount,
  options: OrderMapperOptions,
  settings: Settings,
  beside: LightspeedRBeside,
): SaleCreate {
  const shopID = Number(settings.shop_id);
  const registerID = Number(settings.register_id);
  const employeeID = Number(settings.employee_id);

  const customerID = kit.account(
    order,
    (text) => (DIGITS.test(text) && Number(text) !== 0 ? Number(text) : undefined),
    'an R-Series customer ID',
  );
  const customer = beside.lightspeed_customers.find((c) => c.customerID === customerID);
  if (customer?.archived === true) kit.fail('UNRESOLVED_ACCOUNT', `R-Series customer ${customerID} is archived`);

  const products = productIndex(beside);
  const lines: SaleLineCreate[] = [];
  const taxed: TaxedPart[] = [];

  const addLines = (
    what: string,
    itemID: number,
    quantity: number,
    net: Money,
    tax: Money,
    rate: Decimal | undefined,
    note?: string,
  ) => {
    const taxing = taxOf(what, net, tax, rate, settings);
    for (const part of splitIntoCents(net, quantity)) {
      const line: SaleLineCreate = {
        itemID,
        unitQuantity: part.quantity,
        unitPrice: part.unitPrice.text(),
        tax: taxing !== undefined,
      };
      // Only a miscellaneous line (itemID 0) carries a note (Credit Accounts tutorial; unverified: see the header).
      if (note !== undefined) line.note = note;
      if (taxing !== undefined) taxed.push({ itemID, subtotal: part.unitPrice.amount.times(part.quantity), ...taxing });
      lines.push(line);
    }
  };

  for (const line of order.lines) {
    const itemID = resolveItem(line, settings, products);
    if (!line.quantity.eq(line.quantity.round(0, Big.roundDown))) {
      kit.fail(
        'FRACTIONAL_QUANTITY',
        `line ${line.position}: ${line.quantity.toFixed()} of SKU ${line.sku} is not a whole number of units`,
      );
    }
    addLines(`line ${line.position}`, itemID, line.quantity.toNumber(), line.net, line.tax, line.taxRate);
  }
  const { shipping } = order;
  if (chargesShipping(order)) {
    const method = shipping.method?.trim();
    const shippingItem = settings.shipping_item_id === '' ? 0 : Number(settings.shipping_item_id);
    addLines(
      'shipping',
      shippingItem,
      1,
      shipping.net,
      shipping.tax,
      undefined,
      shippingItem === 0 ? `Shipping${method ? `: ${method}` : ''}` : undefined,
    );
  }

  // The sale's one tax category, and the tax R-Series will compute with it; and SparkLayer's.
  const taxCategoryID = saleTaxCategory(taxed);
  const lightspeedTax = predictedTax(taxed, taxCategoryID, beside, products, order.currency);
  const sparkLayer = orderTotals(order);
  const tolerance = new Big(settings.tax_tolerance);
  if (lightspeedTax.minus(sparkLayer.tax).abs().amount.gt(tolerance)) {
    kit.fail(
      'TAX_MISMATCH',
      `R-Series would charge tax ${lightspeedTax.text()} where SparkLayer charged ` +
        `${sparkLayer.tax.text()} (tolerance ${tolerance.toFixed()})`,
    );
  }
  const total = sparkLayer.net.plus(lightspeedTax);

  const onAccount = payOnAccount(order, options);
  const remoteReference = `sparklayer:${order.id}`;
  let payment: SalePaymentCreate | undefined;
  let status: string;
  if (onAccount === 'released') {
    const creditAccountID = creditAccountOf(customerID, customer, settings);
    payment = { paymentTypeID: CREDIT_ACCOUNT_PAYMENT_TYPE, amount: total.text(), creditAccountID, remoteReference };
    status = `${RELEASED_NOTE}, charged to credit account ${creditAccountID}`;
  } else if (onAccount === 'held') {
    status = 'ON HOLD - Pay on Account order held for finance: do not fulfil until finance releases it';
  } else {
    const paymentTypeID = settings.payment_types.get(order.paymentMethod);
    if (paymentTypeID !== undefined) {
      payment = { paymentTypeID, amount: total.text(), remoteReference };
      status = `Paid in SparkLayer (${describeMethod(order.paymentMethod)})`;
    } else {
      status = `Payment: ${describeMethod(order.paymentMethod)}, not settled in R-Series`;
    }
  }

  const po = poNumber(order);
  const note = [
    orderLabel(order),
    purchaseMarker(order.id),
    ...(po ? [`PO ${po}`] : []),
    status,
    ...(order.shippingAddress ? [`Ship to: ${describeAddress(order.shippingAddress)}`] : []),
    ...(shipping.method?.trim() ? [`Shipping method: ${shipping.method.trim()}`] : []),
  ].join('; ');

  const body: SaleCreate = {
    customerID,
    employeeID,
    registerID,
    shopID,
    completed: payment !== undefined,
    enablePromotions: false,
    referenceNumber: po || order.id,
    referenceNumberSource: REFERENCE_SOURCE,
    // Left out only when no line is taxed (every line is then `tax: false`, whatever the shop's default category).
    ...(taxCategoryID === undefined ? {} : { taxCategoryID }),
    SaleLines: { SaleLine: lines },
    ...(payment === undefined ? {} : { SalePayments: { SalePayment: [payment] } }),
    SaleNotes: { InternalNote: { note } },
  };
  return body;
}

function isItem(product: LightspeedRBeside['products'][number]): product is Item {
  return typeof (product as { itemID?: unknown }).itemID === 'number';
}

function resolveItem(line: OrderLine, settings: Settings, products: ProductIndex): number {
  const where = `line ${line.position}: SKU ${line.sku}`;
  const mapped = settings.product_map.get(line.sku);
  if (mapped !== undefined) {
    if ('itemMatrixID' in mapped)
      return kit.fail(
        'MATRIX_NOT_SELLABLE',
        `${where} is mapped to matrix ${mapped.itemMatrixID}, which is not an item`,
      );
    const known = products.items.get(mapped.itemID);
    if (known?.archived === true)
      kit.fail('ARCHIVED_ITEM', `${where} is mapped to item ${mapped.itemID}, which is archived`);
    return mapped.itemID;
  }
  for (const field of settings.sku_fields) {
    const matches = products.bySku.get(field)?.get(line.sku.trim()) ?? [];
    if (matches.length === 0) continue;
    const live = matches.filter((item) => item.archived !== true);
    if (live.length === 1) return live[0]!.itemID;
    if (live.length > 1)
      kit.fail(
        'AMBIGUOUS_SKU',
        `${where} matches ${live.length} live items by ${field}: ${live.map((item) => item.itemID).join(', ')}`,
      );
    kit.fail(
      'ARCHIVED_ITEM',
      `${where} matches only archived item ${matches.map((item) => item.itemID).join(', ')} (by ${field})`,
    );
  }
  return kit.fail(
    'UNMAPPED_SKU',
    `${where} is not in product_map and matches no R-Series item beside the orders (by ` +
      `${settings.sku_fields.join(', ')}; ${products.items.size} items given)`,
  );
}

/** A taxed part of a line: its subtotal (unitQuantity × unitPrice), the tax category its rate maps to, and that rate
 * in percent. */
interface TaxedPart {
  itemID: number;
  subtotal: Decimal;
  category: number;
  rate: Decimal;
}

/**
 * The one tax category of the sale: every taxed line's. A sale has one taxCategoryID, which "Defines what the tax rates
 * will be" (https://developers.lightspeedhq.com/retail/endpoints/Sale/), so lines whose rates map to different categories
 * cannot be booked at SparkLayer's tax. Undefined when no line is taxed.
 */
function saleTaxCategory(taxed: readonly TaxedPart[]): number | undefined {
  const rates = new Map<number, Set<string>>();
  for (const part of taxed)
    rates.set(part.category, (rates.get(part.category) ?? new Set()).add(`${rateKey(part.rate)}%`));
  if (rates.size > 1) {
    const mapped = [...rates].map(([category, keys]) => `${[...keys].join(', ')} to ${category}`).join('; ');
    kit.fail(
      'TAX_MISMATCH',
      `the order's tax rates map to ${rates.size} tax categories (${mapped}), but an R-Series sale has ` +
        `one taxCategoryID, whose rates tax all its lines`,
    );
  }
  return rates.keys().next().value;
}

/**
 * The tax R-Series will charge, from what it computes tax with: each taxed line's subtotal at the rates the line has in
 * the sale's tax category, the first and second rates summed apart and each sum rounded half-up to the cent (the Sales
 * tutorial's answer: lines 0.4995 + 1 → calcTax1 1.5, 0.9965025 + 1.995 → calcTax2 2.99). With the category riding
 * beside the orders, a line's rates are its item's TaxClass rates in the category (a TaxCategoryClass), else the
 * category's tax1Rate and tax2Rate ("Lines that do not have specific class tax rates will use this rate": Sale page;
 * "default and per TaxClass rates": https://developers.lightspeedhq.com/retail/endpoints/TaxCategory/). An item known
 * only through product_map has no taxClassID here and is taken at the defaults. Without the category record, the rate
 * tax_categories says the category has.
 */
function predictedTax(
  taxed: readonly TaxedPart[],
  categoryID: number | undefined,
  beside: LightspeedRBeside,
  products: ProductIndex,
  currency: string,
): Money {
  if (categoryID === undefined) return Money.zero(currency);
  const record = beside.lightspeed_tax_categories.find((category) => category.taxCategoryID === categoryID);
  if (record === undefined && beside.lightspeed_tax_categories.length > 0) {
    const rates = [...new Set(taxed.map((part) => `${rateKey(part.rate)}%`))].join(', ');
    kit.fail(
      'UNMAPPED_TAX_RATE',
      `tax_categories maps ${rates} to tax category ${categoryID}, which is not among the ` +
        `${beside.lightspeed_tax_categories.length} R-Series tax categories beside the orders`,
    );
  }
  if (record?.isTaxInclusive === true) {
    kit.fail(
      'TAX_MISMATCH',
      `tax category ${categoryID} is tax-inclusive: R-Series would take SparkLayer's net prices as including tax`,
    );
  }
  let tax1 = new Big(0);
  let tax2 = new Big(0);
  for (const part of taxed) {
    const rates =
      record === undefined
        ? { tax1: part.rate.div(100), tax2: new Big(0) }
        : ratesIn(record, taxClassOf(part.itemID, products));
    tax1 = tax1.plus(part.subtotal.times(rates.tax1));
    tax2 = tax2.plus(part.subtotal.times(rates.tax2));
  }
  return Money.of(tax1.toFixed(), currency).round().plus(Money.of(tax2.toFixed(), currency).round());
}

/** A line's tax class: its item's (as the sample lines show), none for a miscellaneous line, unknown for an item not
 * beside the orders. */
function taxClassOf(itemID: number, products: ProductIndex): number | undefined {
  if (itemID === 0) return 0;
  return products.items.get(itemID)?.taxClassID;
}

/** The rates (fractions) a line of this tax class has in the category: its TaxCategoryClass's, else the category's
 * defaults. */
function ratesIn(category: TaxCategory, taxClassID: number | undefined): { tax1: Decimal; tax2: Decimal } {
  const own =
    taxClassID === undefined || taxClassID === 0
      ? undefined
      : category.TaxCategoryClasses?.find((entry) => entry.taxClassID === taxClassID);
  const source = own ?? category;
  return { tax1: source.tax1Rate ?? new Big(0), tax2: source.tax2Rate ?? new Big(0) };
}

/** The line's tax category and rate in percent, or undefined for an untaxed line. A rate of 0 on tax charged is implied
 * from the tax. */
function taxOf(
  what: string,
  net: Money,
  tax: Money,
  rate: Decimal | undefined,
  settings: Settings,
): { category: number; rate: Decimal } | undefined {
  if (tax.isZero() && (rate === undefined || rate.eq(0))) return undefined;
  const given = rate === undefined || (rate.eq(0) && !tax.isZero()) ? undefined : rate;
  const { rate: percent, value: category } = kit.byRate(
    settings.tax_categories,
    what,
    { net, tax, taxRate: given },
    'UNMAPPED_TAX_RATE',
    'R-Series tax category in tax_categories',
  );
  return { category, rate: percent };
}

function creditAccountOf(customerID: number, customer: Customer | undefined, settings: Settings): number {
  const mapped = settings.credit_accounts.get(String(customerID));
  if (mapped !== undefined) return mapped;
  const account = customer?.CreditAccount;
  if (account !== undefined && account.archived !== true && account.creditAccountID > 0) return account.creditAccountID;
  if (account === undefined && customer?.creditAccountID !== undefined && customer.creditAccountID > 0)
    return customer.creditAccountID;
  return kit.fail(
    'NO_CREDIT_ACCOUNT',
    customer === undefined
      ? `customer ${customerID} is not among the lightspeed_customers beside the orders and not in credit_accounts`
      : `customer ${customerID} has no ${account?.archived === true ? 'live ' : ''}credit account in R-Series`,
  );
}

/**
 * A line's net as R-Series lines of whole units: one line at net ÷ quantity when that is a whole number of cents,
 * else (quantity − 1) units at the price rounded down to the cent and 1 unit at the remainder.
 */
function splitIntoCents(net: Money, quantity: number): Array<{ quantity: number; unitPrice: Money }> {
  if (quantity <= 1) return [{ quantity: 1, unitPrice: net }];
  const unit = new Big(net.amount).div(quantity).round(minorUnits(net.currency), Big.roundDown);
  const price = Money.of(unit.toFixed(), net.currency);
  if (price.times(quantity).equals(net)) return [{ quantity, unitPrice: price }];
  return [
    { quantity: quantity - 1, unitPrice: price },
    { quantity: 1, unitPrice: net.minus(price.times(quantity - 1)) },
  ];
}

function describeMethod(method: PaymentMethod): string {
  return method === 'unknown' ? 'unknown payment method' : method.replace('_', ' ');
}

function describeAddress(address: OrderAddress): string {
  return [
    address.name,
    address.company,
    address.line1,
    address.line2,
    address.city,
    address.region,
    address.postcode,
    address.countryCode,
  ]
    .filter(Boolean)
    .join(', ');
}

/** The R-Series mapper behind map-order-to-lightspeed-r. */
export const lightspeedRSaleMapper: OrderMapper<
  SaleCreate,
  LightspeedRMapCode,
  typeof LIGHTSPEED_R_SETTINGS,
  LightspeedRBeside
> = {
  backend: 'lightspeed-r',
  po: {
    field: 'referenceNumber',
    source:
      'Lightspeed documents no length for referenceNumber (https://developers.lightspeedhq.com/retail/endpoints/Sale/).',
  },
  exceptionCodes: LIGHTSPEED_R_EXCEPTION_CODES,
  settings: LIGHTSPEED_R_SETTINGS,
  beside: lightspeedRBesideSchema,
  map: (order, options, settings, beside) => mapLightspeedRSale(order, options, settings, beside),
};
