/**
 * resolve-erp-account: the ERP account behind each order's SparkLayer Company ID (pack-contract §4). An
 * order is never given a default account: a company with no account is an exception, or, with
 * unmapped_action=create, continues carrying the request to create the account first.
 */
import * as z from 'zod';
import { indexCustomers, resolveErpAccount } from '../../connectors/sparklayer/erp-account.js';
import { purchaseId, purchaseIdentifiersSchema } from '../../connectors/sparklayer/purchase.js';
import { addressSchema, customerSchema, purchaseSchema, type Customer } from '../../connectors/sparklayer/schemas.js';
import { customerIdsBeside, orderFormatSetting, shopifyOrderReader } from '../../connectors/shopify/order-format.js';
import type { CanonicalOrder } from '../../model/order.js';
import { choiceSetting, tableSetting } from '../../runtime/settings.js';
import { defineStep, fail, passWith, type Outcome } from '../../runtime/step.js';

type Code = 'UNMAPPED_ACCOUNT';

const purchaseWithCompany = purchaseSchema.extend({
  purchase_identifiers: purchaseIdentifiersSchema,
  customer_identifiers: z.looseObject(
    {
      sparklayer: z
        .string({ error: 'missing; the SparkLayer Company ID is customer_identifiers.sparklayer' })
        .refine((id) => id.trim() !== '', 'is empty'),
    },
    { error: 'missing; the SparkLayer Company ID is customer_identifiers.sparklayer' },
  ),
});
type Purchase = z.infer<typeof purchaseWithCompany>;

/**
 * What the rule reads of a Shopify order (order_format): its purchase id and, as the Company ID, the SparkLayer
 * customer of its Shopify company or customer (sparkLayerCustomerIds, from the customers beside). Shopify's addresses
 * are not read (order-reader.ts), so an account to create takes the SparkLayer customer's.
 */
const purchaseOfShopifyOrder = (order: CanonicalOrder): Purchase => ({
  purchase_identifiers: { sparklayer: order.id, visible: order.reference },
  customer_identifiers: { sparklayer: order.customerId },
  currency_code: order.currency,
});

/** The account to create in the ERP before the order, from what SparkLayer knows of the company. */
function customerCreateRequest(companyId: string, purchase: Purchase, customer?: Customer, company?: Customer) {
  const holder = company ?? customer;
  const shippingAddresses = (
    Array.isArray(purchase.packages) ? purchase.packages : purchase.packages ? [purchase.packages] : []
  )
    .map((pkg) => pkg.shipping_address)
    .filter((address): address is z.infer<typeof addressSchema> => address !== undefined);
  const addresses = holder?.addresses?.length
    ? holder.addresses
    : [purchase.billing_address, ...shippingAddresses].filter(Boolean);
  const currency = holder?.payment_on_account?.currency_code ?? holder?.currency_code ?? purchase.currency_code;
  return {
    sparklayer_customer_id: holder?.id ?? companyId,
    company_name: holder?.company_name ?? purchase.billing_address?.company ?? null,
    contact: {
      first_name: holder?.first_name ?? null,
      last_name: holder?.last_name ?? null,
      email: holder?.email ?? null,
    },
    addresses,
    currency: currency ? currency.toUpperCase() : null,
  };
}

export const step = defineStep({
  key: 'resolve-erp-account',
  title: 'Resolve ERP account',
  purpose:
    "Adds erp_account to each order: the company's accounting_id in SparkLayer, else the account_map " +
    'entry for its Company ID.',
  settings: {
    account_map: tableSetting({
      description:
        'SparkLayer Company ID (left) to ERP account (right): a Patchworks cross-reference CSV ' +
        '`left_value,right_value`, or JSON.',
    }),
    unmapped_action: choiceSetting({
      description:
        '`exception`: an order whose company has no account is an UNMAPPED_ACCOUNT exception. `create`: ' +
        'it continues with erp_account null and erp_customer_create, for the ERP connector to create the ' +
        'account first.',
      default: 'exception',
      choices: ['exception', 'create'],
    }),
    order_format: orderFormatSetting,
  },
  exceptionCodes: {
    UNMAPPED_ACCOUNT: {
      owner: 'finance',
      action:
        "No ERP account for the order's company: set accounting_id on the company's primary customer in " +
        'SparkLayer, or add its Company ID to account_map, then replay the order. (Or use ' +
        'unmapped_action=create to create accounts.)',
    },
  },
  // Checked, not copied: at hundreds of thousands of orders zod's copy of each one is what exhausts the heap.
  record: {
    schema: purchaseWithCompany,
    id: purchaseId,
    checkOnly: true,
    // A Shopify order that cannot be read, or whose customer is not a SparkLayer customer, is INVALID_RECORD.
    readerFor: ({ order_format }, beside) =>
      shopifyOrderReader<Purchase, Code>(order_format, () => customerIdsBeside(beside), purchaseOfShopifyOrder),
  },
  beside: z.looseObject({ customers: z.array(customerSchema).default([]) }),
  rule: (purchases: readonly Purchase[], { account_map, unmapped_action }, { customers }): Outcome<Code>[] => {
    const index = indexCustomers(customers);
    return purchases.map((purchase) => {
      const companyId = purchase.customer_identifiers.sparklayer.trim();
      const resolution = resolveErpAccount(companyId, index, account_map);
      if (resolution.resolved)
        return passWith({ erp_account: resolution.account, erp_account_source: resolution.source });
      if (unmapped_action === 'create') {
        return passWith({
          erp_account: null,
          erp_customer_create: customerCreateRequest(companyId, purchase, resolution.customer, resolution.company),
        });
      }
      return fail('UNMAPPED_ACCOUNT', `Company ID ${companyId} has no ERP account: ${resolution.tried.join('; ')}`);
    });
  },
});
