/**
 * The canonical order → a NetSuite sales order body, for PUT /record/v1/salesOrder/eid:<SparkLayer purchase id>
 * (model/order-mapper.ts; pack-contract §4 `map-order-to-netsuite`). Pure: no I/O, no clock. Money is decimal
 * throughout (model/money.ts); a JSON number is written only at the end, from decimal text, and only when that
 * number prints back as the same decimal (so the wire carries SparkLayer's amounts exactly).
 *
 * Field by field (each in connectors/netsuite/openapi.json, which cites Oracle's pages):
 * - `externalId`: the SparkLayer purchase id, so a re-run updates the same order (Using External IDs,
 *   https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156334828635.html: letters, digits, `_`, `-`).
 * - `entity`: the customer by **internal ID**, `{"id": "110"}`. Oracle's REST samples reference records this way
 *   (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_159795523407.html); external IDs are
 *   documented in the URL (`eid:`) and as a record's own `externalId`, not inside a reference, so the pack does not
 *   rely on `{"externalId": …}` there. `order.account` must therefore be the customer's internal ID (`110` or
 *   `id:110`); anything else is UNRESOLVED_ACCOUNT.
 * - item lines: `item` by internal ID too, for the same reason; REST documents no way to name an item by its
 *   Item Name/Number (SKU) in a request. A line's SKU resolves through `itemIds`, or is written `id:<internal ID>`
 *   (which unit_map can produce: `MUG-01,id:98` or `MUG-CASE12,id:98*12`); else UNRESOLVED_ITEM.
 *   `quantity`; `amount` = the line's net exactly as SparkLayer computed it; `rate` = net ÷ quantity to 8 places
 *   (a line of 3 for 10.00 is rate 3.33333333, amount 10.00: the amount, not rate × quantity, is what totals).
 * - `otherRefNum`: the customer's PO number (the UI's "PO #"). `memo`: where the order came from, its visible
 *   reference, how it is paid and anything the body could not carry. `tranDate`: the date part of placedAt.
 * - `currency`: a reference by internal ID; Oracle documents no way to set it by ISO code, so it is sent only
 *   when `currencyIds` maps the code (else the customer's currency applies).
 * - `shippingCost`: the shipping net. `shipMethod`: only when `shipMethods` maps SparkLayer's method to a ship
 *   item; otherwise the memo names the method. (NetSuite may recalculate the cost when a ship method is set;
 *   `shippingCost` is sent after it.)
 * - `orderStatus`: B (Pending Fulfillment), or A (Pending Approval) for Pay on Account orders in `hold` mode
 *   (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_159795523407.html).
 *
 * Tax. REST web services do not support NetSuite's legacy tax features; taxation through REST needs the SuiteTax
 * feature (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_159665260887.html). With SuiteTax,
 * NetSuite calculates tax itself unless the transaction's tax details are overridden: `taxDetailsOverride: true`
 * and one `taxDetails` row per taxed line (tax type, tax code, basis, rate, amount), tied to its item line by
 * `taxDetailsReference` (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1548673608.html;
 * the override option: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/article_0116111646.html). The
 * contract says SparkLayer's prices and totals win, so the default (`tax: 'override'`) sends SparkLayer's tax line
 * by line. Prerequisites in the account: SuiteTax enabled, the integration role allowed to override tax details,
 * and `taxCodes` naming the tax type and tax code internal IDs for each rate the orders use. A rate with no code is
 * UNMAPPED_TAX_CODE, never a silent recalculation. `tax: 'netsuite'` lets SuiteTax calculate instead (the memo
 * then states SparkLayer's tax, and reconcile-order-totals catches any difference).
 *
 * Pay on Account: `release` books the order Pending Fulfillment and says "Pay on Account" in the memo; `hold`
 * books it Pending Approval, "held for finance". Any other order is mapped the same in both modes.
 */
import type { Money } from '../../model/money.js';
import { orderTotals, type OrderLine } from '../../model/order.js';
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
  type Taxed,
} from '../../model/order-mapper.js';
import { rateTableKey } from '../../model/tax.js';
import type { SettingsOf } from '../../runtime/settings.js';
import { choiceSetting, readTableSetting, tableSetting } from '../../runtime/settings.js';
import { reject, rekeyTable } from '../../runtime/tables.js';
import { EXTERNAL_ID, type SalesOrderBody, type SalesOrderItemLine, type TaxDetailLine } from './schemas.js';
import type { ExceptionCode } from '../../runtime/step.js';

export const NETSUITE_EXCEPTION_CODES = {
  UNRESOLVED_ACCOUNT: {
    owner: 'finance',
    action:
      "erp_account must be the NetSuite customer's internal ID (the ID on the customer record, e.g. 110 " +
      "or id:110): NetSuite's REST API references customers by internal ID. Put the internal ID in the " +
      "SparkLayer customer's accounting_id or in account_map, then replay.",
  },
  UNRESOLVED_ITEM: {
    owner: 'operations',
    action:
      "NetSuite's REST API references items by internal ID and has no documented way to name one by SKU. " +
      "Map the line's SKU to the item's internal ID in unit_map (`SKU,id:98`, or `SKU,id:98*12` for a " +
      'pack of 12; the ID is on the item record), then replay.',
  },
  UNMAPPED_TAX_CODE: {
    owner: 'integration',
    action:
      "The order's tax is booked as SparkLayer computed it (SuiteTax tax details override), which needs " +
      'the NetSuite tax type and tax code for each rate. Add the rate named in the message to the ' +
      'NetSuite tax code settings, then replay.',
  },
  UNMAPPED_CURRENCY: {
    owner: 'integration',
    action:
      "The order's currency has no NetSuite currency internal ID in the currency settings. Add it (Lists " +
      '> Accounting > Currencies shows the ID), then replay.',
  },
  INVALID_EXTERNAL_ID: {
    owner: 'integration',
    action:
      'The SparkLayer purchase id is used as the NetSuite external ID, which may hold only letters, ' +
      'digits, _ and -. Check the purchase id in SparkLayer.',
  },
  INVALID_AMOUNT: {
    owner: 'customer service',
    action:
      'An amount or quantity has more significant digits than a JSON number carries exactly (15). Check ' +
      'the order in SparkLayer.',
  },
} as const satisfies Record<string, ExceptionCode>;
export type NetsuiteMapCode = keyof typeof NETSUITE_EXCEPTION_CODES;
const kit: MappingKit<NetsuiteMapCode> = mappingKit(NETSUITE_EXCEPTION_CODES);

export interface NetsuiteTaxCode {
  /** Internal ID of the SuiteTax tax type. */
  taxType: string;
  /** Internal ID of the tax code (sales tax item). */
  taxCode: string;
}

/** A table as a Map, or as a plain object (own keys only: a SKU named `constructor` is not a key of every object). */
type Table<T> = ReadonlyMap<string, T> | Readonly<Record<string, T>>;

export interface NetsuiteMapperSettings {
  /** SKU (after unit_map) → item internal ID. A SKU written `id:<digits>` needs no entry. */
  itemIds?: Table<string>;
  /** `override` (default): SparkLayer's tax, through SuiteTax's tax details override. `netsuite`: SuiteTax calculates.
   */
  tax?: 'override' | 'netsuite';
  /** Tax rate in percent, as decimal text ("20", "5", "0", "17.5") → tax type and tax code internal IDs. */
  taxCodes?: Table<NetsuiteTaxCode>;
  /** SparkLayer shipping method name → ship item internal ID. */
  shipMethods?: Table<string>;
  /**
   * ISO 4217 code → currency internal ID. When given (and not empty), a code missing from it is UNMAPPED_CURRENCY.
   */
  currencyIds?: Table<string>;
}

function asMap<T>(table: Table<T> | undefined): ReadonlyMap<string, T> {
  if (table === undefined) return new Map();
  return table instanceof Map ? table : new Map(Object.entries(table));
}

/** The tax details reference the pack gives shipping (the name NetSuite's own tax details use for it). */
export const SHIPPING_TAX_REFERENCE = 'SHIPPING';
/** Decimal places of a line's unit rate. */
export const RATE_PLACES = 8;

const INTERNAL_ID = /^(?:id:)?(\d+)$/;

/** The mapping for one account's settings. */
export function createNetsuiteOrderMapper(settings: NetsuiteMapperSettings = {}): {
  map(order: OrderWithAccount, options: OrderMapperOptions): MapResult<SalesOrderBody, NetsuiteMapCode>;
} {
  const itemIds = asMap(settings.itemIds);
  const taxCodes = rekeyTable(asMap(settings.taxCodes), rateTableKey, (code) => code);
  const shipMethods = asMap(settings.shipMethods);
  const currencyIds = asMap(settings.currencyIds);
  const taxMode = settings.tax ?? 'override';

  return { map: (order, options) => kit.result(() => mapOrder(order, options)) };

  function mapOrder(order: OrderWithAccount, options: OrderMapperOptions): SalesOrderBody {
    if (!EXTERNAL_ID.test(order.id))
      kit.fail(
        'INVALID_EXTERNAL_ID',
        `purchase id ${JSON.stringify(order.id)} has characters a NetSuite external ID cannot hold`,
      );
    const account = kit.account(order, (text) => INTERNAL_ID.exec(text)?.[1], 'a NetSuite internal ID');

    const onAccount = payOnAccount(order, options);
    const held = onAccount === 'held';
    const override = taxMode === 'override';
    const memo = [orderLabel(order)];
    if (onAccount) memo.push(held ? 'Pay on Account: held for finance' : RELEASED_NOTE);

    const lines = order.lines.map((line) => itemLine(line, override));
    const po = poNumber(order);
    const date = /^(\d{4}-\d{2}-\d{2})/.exec(order.placedAt ?? '');
    let currency: string | undefined;
    if (currencyIds.size > 0) {
      currency = currencyIds.get(order.currency);
      if (currency === undefined)
        kit.fail('UNMAPPED_CURRENCY', `currency ${order.currency} has no NetSuite currency internal ID`);
    }

    const { shipping } = order;
    const shipMethod = shipping.method === undefined ? undefined : shipMethods.get(shipping.method);
    if (shipMethod === undefined && shipping.method !== undefined && shipping.method.trim() !== '')
      memo.push(`Shipping: ${shipping.method.trim()} (no NetSuite ship method mapped)`);
    const shippingCost = money(shipping.net, 'shipping net');

    let taxRows: TaxDetailLine[] | undefined;
    if (override) {
      taxRows = order.lines.map((line) => taxRow(`L${line.position}`, `line ${line.position}`, line));
      if (chargesShipping(order)) taxRows.push(taxRow(SHIPPING_TAX_REFERENCE, 'shipping', shipping));
    } else {
      memo.push(`SparkLayer tax ${order.currency} ${orderTotals(order).tax.text()} (NetSuite calculates its own)`);
    }

    // Built field by field in one fixed order, so the same order always gives byte-identical JSON.
    return {
      externalId: order.id,
      entity: { id: account },
      ...(po ? { otherRefNum: po } : {}),
      memo: memo.join('; '),
      ...(date ? { tranDate: date[1]! } : {}),
      ...(currency === undefined ? {} : { currency: { id: currency } }),
      orderStatus: held ? 'A' : 'B',
      item: { items: lines },
      ...(shipMethod === undefined ? {} : { shipMethod: { id: shipMethod } }),
      shippingCost,
      ...(taxRows ? { taxDetailsOverride: true, taxDetails: { items: taxRows } } : {}),
    };
  }

  function itemLine(line: OrderLine, override: boolean): SalesOrderItemLine {
    const mapped = itemIds.get(line.sku);
    const internalId = mapped ?? INTERNAL_ID.exec(line.sku)?.[1];
    if (internalId === undefined || !/^\d+$/.test(internalId))
      kit.fail('UNRESOLVED_ITEM', `line ${line.position}: SKU ${line.sku} has no NetSuite item internal ID`);
    const result: SalesOrderItemLine = {
      item: { id: internalId },
      quantity: kit.exactNumber(line.quantity, `line ${line.position} quantity`),
    };
    if (!line.quantity.eq(0))
      result.rate = money(line.net.dividedBy(line.quantity, RATE_PLACES), `line ${line.position} rate`);
    result.amount = money(line.net, `line ${line.position} amount`);
    if (line.name !== undefined && line.name.trim() !== '') result.description = line.name.trim();
    if (override) result.taxDetailsReference = `L${line.position}`;
    return result;
  }

  function taxRow(reference: string, what: string, part: Taxed): TaxDetailLine {
    const { rate, value: code } = kit.byRate(
      taxCodes,
      what,
      part,
      'UNMAPPED_TAX_CODE',
      'NetSuite tax type and tax code',
    );
    return {
      taxDetailsReference: reference,
      taxType: { id: code.taxType },
      taxCode: { id: code.taxCode },
      taxBasis: money(part.net, `${what} tax basis`),
      taxRate: kit.exactNumber(rate, `${what} tax rate`),
      taxAmount: money(part.tax, `${what} tax`),
    };
  }
}

const TAX_CODE_RULE = /^\s*(\d+)\s*:\s*(\d+)\s*$/;
const TAX_CODES_DESCRIPTION =
  'Tax rate in percent (left, e.g. `20`) to the SuiteTax tax type and tax code internal IDs (right, ' +
  '`TYPE:CODE`, e.g. `2:15`). Needed with tax_mode=override.';

/** The settings NetSuite adds to map-order-to-netsuite: the account's own internal IDs. */
export const NETSUITE_SETTINGS = {
  item_ids: tableSetting({
    description:
      'SKU (after unit_map) to NetSuite item internal ID. Not needed for a SKU that unit_map writes as `id:98`.',
  }),
  tax_mode: choiceSetting({
    description:
      "`override`: SparkLayer's tax, through SuiteTax's tax details override. `netsuite`: SuiteTax " +
      "calculates, SparkLayer's tax goes in the memo.",
    default: 'override',
    choices: ['override', 'netsuite'],
  }),
  tax_codes: readTableSetting<NetsuiteTaxCode>({
    description: TAX_CODES_DESCRIPTION,
    key: rateTableKey,
    value: (rule) => {
      const match = TAX_CODE_RULE.exec(rule);
      return match
        ? { taxType: match[1]!, taxCode: match[2]! }
        : reject('write RATE,TYPE:CODE with internal IDs, e.g. 20,2:15');
    },
  }),
  ship_methods: tableSetting({
    description:
      "SparkLayer shipping method name to the NetSuite ship item's internal ID. Unmapped: the memo names the method.",
  }),
  currency_ids: tableSetting({
    description:
      "ISO currency code to NetSuite currency internal ID. Empty: the customer's currency applies; set: " +
      'an order in an unlisted currency is UNMAPPED_CURRENCY.',
  }),
};

/** One mapping per settings object: every order of a run shares the run's settings. */
const mappingFor = oncePer((settings: SettingsOf<typeof NETSUITE_SETTINGS>) =>
  createNetsuiteOrderMapper({
    itemIds: settings.item_ids,
    tax: settings.tax_mode,
    taxCodes: settings.tax_codes,
    shipMethods: settings.ship_methods,
    currencyIds: settings.currency_ids,
  }),
);

/** The NetSuite mapper behind map-order-to-netsuite. */
export const netsuiteOrderMapper: OrderMapper<SalesOrderBody, NetsuiteMapCode, typeof NETSUITE_SETTINGS> = {
  backend: 'netsuite',
  // Oracle's help and Records Browser, as read, give no length for otherRefNum; integrators report NetSuite refuses
  // more
  // than 45 characters (https://github.com/NetSweet/netsuite_rails/issues/26). Unverified: the setting can raise it.
  po: {
    field: 'otherRefNum',
    maxLength: 45,
    source: "Default 45: what integrators report NetSuite holds (unverified in Oracle's docs).",
  },
  exceptionCodes: NETSUITE_EXCEPTION_CODES,
  settings: NETSUITE_SETTINGS,
  map: (order, options, settings) => mappingFor(settings).map(order, options),
};

/** The amount at its full precision, as a JSON number that prints back exactly. */
function money(amount: Money, what: string): number {
  return kit.exactNumber(amount.amount, what);
}
