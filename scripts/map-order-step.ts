/**
 * The `map-order-to-<backend>` steps: a SparkLayer order with its `erp_account` becomes the back-end's
 * create-order body (pack-contract §4). Reading the order, converting packs and checking the account are
 * the same for every back-end; only the mapper differs (model/order-mapper.ts).
 */
import * as z from 'zod';
import type { OrderMapper } from '../model/order-mapper.js';
import { convertUnits, UNMAPPED_UNIT_MODES } from '../model/units.js';
import { choiceSetting, countSetting, type SettingsShape } from '../runtime/settings.js';
import { onAccountModeSetting, unitMapSetting } from './order-settings.js';
import { defineStep, fail, passNoting, type ExceptionCode, type NoticeOf, type Outcome } from '../runtime/step.js';
import { amountText } from '../model/money.js';
import { fitNotifyVariable } from '../runtime/caps.js';
import { orderTotals, type CanonicalOrder } from '../model/order.js';
import {
  canonicalOrderOf,
  customerIdsBeside,
  orderFormatSetting,
  shopifyOrderReader,
} from '../connectors/shopify/order-format.js';
import { canonicalOrderSourceSchema, OrderReadError } from '../connectors/sparklayer/canonical-order.js';
import { purchaseId } from '../connectors/sparklayer/purchase.js';

const MAP_ORDER_CODES = {
  MISSING_ACCOUNT: {
    owner: 'integration',
    action:
      'The order has no erp_account: run resolve-erp-account before this step, or create the account ' +
      'requested in erp_customer_create and set erp_account, then replay.',
  },
  INVALID_ORDER: {
    owner: 'customer service',
    action:
      'The order cannot be read (the message names the field: a missing SKU, quantity or currency, an ' +
      'amount that is not a number, mixed currencies; with a Shopify order_format, a customer not among the ' +
      'SparkLayer customers beside the orders). Check the order in SparkLayer (or Shopify), then replay.',
  },
  UNMAPPED_UNIT: {
    owner: 'integration',
    action:
      'The SKU needs an entry in unit_map (unmapped_units=exception): add `SKU,ERP-SKU*UNITS` (e.g. a ' +
      'case of 12: `MUG-CASE12,MUG-01*12`), then replay.',
  },
  NO_PO_NUMBER: {
    owner: 'customer service',
    action:
      'The order has no PO number (customer_reference). With po_required=flag it is booked and this is a ' +
      'notice: ask the customer for their PO and add it to the back-end order. With ' +
      'po_required=exception it is not booked: add the PO to the order in SparkLayer (or set ' +
      'po_required=flag), and the next run books it.',
  },
  ON_ACCOUNT_HELD: {
    owner: 'finance',
    action:
      "A Pay on Account order was booked held (on_account_mode=hold): check the company's credit and " +
      'release the order in the back-end for fulfilment, or cancel it with the customer.',
  },
  PO_TOO_LONG: {
    owner: 'customer service',
    action:
      "The order's PO number (customer_reference) is longer than the back-end's PO field holds " +
      '(po_max_length; the message gives both lengths). Ask the customer for a shorter reference and ' +
      'correct the order in SparkLayer, or raise po_max_length if the back-end takes more, then replay.',
  },
} as const satisfies Record<string, ExceptionCode>;
type MapOrderCode = keyof typeof MAP_ORDER_CODES;

const PO_REQUIRED_MODES = ['flag', 'exception', 'ignore'] as const;
/** The same in every map-order step: an order flow promotes it whatever its back-end. */
export const poRequiredSetting = choiceSetting({
  description:
    'An order with no PO number (customer_reference): `flag` books it and tells customer service ' +
    '(NO_PO_NUMBER notice), `exception` does not book it (NO_PO_NUMBER exception), `ignore` books ' +
    'it silently.',
  default: 'flag',
  choices: PO_REQUIRED_MODES,
});

/** The map-order step of a back-end. */
export const mapOrderStepKey = (backend: string) => `map-order-to-${backend}`;

const orderWithAccount = canonicalOrderSourceSchema.extend({
  erp_account: z.union([z.string(), z.number()]).nullable().optional(),
});
type SparkLayerOrder = z.infer<typeof orderWithAccount>;

/**
 * A Shopify order (order_format), read whole at the boundary into the canonical order, with the erp_account that
 * resolve-erp-account set on the record. Its SparkLayer customer is found among the customers riding beside the orders
 * (resolve-erp-account carries them on).
 */
interface ShopifyOrder {
  canonical: CanonicalOrder;
  erp_account?: string | number;
}
type OrderRecord = SparkLayerOrder | ShopifyOrder;

export function defineMapOrderStep<Body, Code extends string, S extends SettingsShape, B>(
  mapper: OrderMapper<Body, Code, S, B>,
) {
  return defineStep({
    key: mapOrderStepKey(mapper.backend),
    title: `Map order to ${mapper.backend}`,
    purpose:
      `Turns each SparkLayer order with an erp_account into the ${mapper.backend} create-order body, at ` +
      `SparkLayer's prices, with packs in base units.`,
    settings: {
      on_account_mode: onAccountModeSetting('Other orders are booked the same in both.', 'release'),
      unit_map: unitMapSetting('A SparkLayer line of a pack SKU is booked in the back-end SKU and units.'),
      unmapped_units: choiceSetting({
        description:
          '`as_each`: a SKU not in unit_map is already in base units. `exception`: every SKU must be in unit_map.',
        default: 'as_each',
        choices: UNMAPPED_UNIT_MODES,
      }),
      po_required: poRequiredSetting,
      po_max_length: countSetting({
        description:
          `The most characters of PO number (customer_reference) the back-end takes in ${mapper.po.field}; ` +
          `a longer one is PO_TOO_LONG. 0: no check.${mapper.po.source ? ` ${mapper.po.source}` : ''}`,
        default: mapper.po.maxLength ?? 0,
      }),
      order_format: orderFormatSetting,
      ...mapper.settings,
    },
    exceptionCodes: { ...MAP_ORDER_CODES, ...mapper.exceptionCodes } as Record<MapOrderCode | Code, ExceptionCode>,
    record: {
      // The rule reads a SparkLayer order (this schema) or a Shopify one (the reader), as order_format says.
      schema: orderWithAccount as z.ZodType<OrderRecord>,
      id: purchaseId,
      checkOnly: true,
      readerFor: ({ order_format }, besideRaw) =>
        shopifyOrderReader<OrderRecord, MapOrderCode | Code>(
          order_format,
          () => customerIdsBeside(besideRaw),
          (canonical, record): ShopifyOrder => {
            // Only an account as text or a number, as the SparkLayer schema takes it; anything else is missing.
            const { erp_account: account } = record as { erp_account?: unknown };
            return typeof account === 'string' || typeof account === 'number'
              ? { canonical, erp_account: account }
              : { canonical };
          },
          () => 'INVALID_ORDER',
        ),
    },
    beside: mapper.beside,
    writesNotices: true,
    rule: (purchases: readonly OrderRecord[], settings, beside): Outcome<MapOrderCode | Code>[] => {
      const canonicalOf = canonicalOrderOf<OrderRecord>(settings.order_format);
      return purchases.map((purchase) => {
        const account =
          purchase.erp_account === null || purchase.erp_account === undefined
            ? ''
            : String(purchase.erp_account).trim();
        if (account === '') return fail('MISSING_ACCOUNT', 'erp_account is missing or empty');
        let order;
        try {
          order = canonicalOf(purchase);
        } catch (error) {
          if (error instanceof OrderReadError) return fail('INVALID_ORDER', error.message);
          throw error;
        }
        const hasPo = order.po !== undefined && order.po.trim() !== '';
        if (!hasPo && settings.po_required === 'exception')
          return fail('NO_PO_NUMBER', 'the order has no PO number (customer_reference) and po_required=exception');
        const poLength = order.po === undefined ? 0 : [...order.po].length;
        if (settings.po_max_length > 0 && poLength > settings.po_max_length) {
          return fail(
            'PO_TOO_LONG',
            `customer_reference is ${poLength} characters; ${mapper.po.field} takes at most ` +
              `${settings.po_max_length} (po_max_length)`,
          );
        }
        const converted = convertUnits(order, settings.unit_map, settings.unmapped_units);
        if (!converted.ok) {
          return fail('UNMAPPED_UNIT', `line ${converted.position}: SKU ${converted.sku} is not in unit_map`);
        }
        const mapped = mapper.map(
          { ...converted.order, account },
          { onAccountMode: settings.on_account_mode },
          settings,
          beside as B,
        );
        if (!mapped.ok) return fail(mapped.code, mapped.message);
        const notices: NoticeOf<MapOrderCode>[] = [];
        // Read in a notify shape, whose variables Patchworks cuts at 100 characters: the essentials first.
        const reference = order.reference ?? order.id;
        if (order.paymentMethod === 'on_account' && settings.on_account_mode === 'hold') {
          const { gross } = orderTotals(order);
          const amount = `${gross.currency} ${amountText(gross.amount, gross.currency)}`;
          notices.push({
            code: 'ON_ACCOUNT_HELD',
            message: fitNotifyVariable(
              `${reference} held for finance: ${amount}, account ${account}, company ${order.customerId}`,
            ),
          });
        }
        if (!hasPo && settings.po_required === 'flag') {
          notices.push({
            code: 'NO_PO_NUMBER',
            message: fitNotifyVariable(
              `${reference} booked without a PO number: account ${account}, company ${order.customerId}`,
            ),
          });
        }
        return passNoting(mapped.body, notices);
      });
    },
  });
}
