import { loadFixture } from '../../../../contracts/fixtures.js';
import type { Json } from './wire.js';

export interface SandboxData {
  /** Customers as R-Series returns them; a `CreditAccount` inside one is taken as its credit account. */
  customers?: Json[];
  creditAccounts?: Json[];
  customerTypes?: Json[];
  /** Items; `ItemShops` inside one are taken as its stock. */
  items?: Json[];
  /** Matrices; `Items` inside one are taken as its variants. */
  itemMatrices?: Json[];
  itemShops?: Json[];
  /** Price levels (https://developers.lightspeedhq.com/retail/endpoints/PriceLevel/). */
  priceLevels?: Json[];
  taxCategories?: Json[];
  paymentTypes?: Json[];
  sales?: Json[];
}

/** The sandbox's data from the R-Series fixtures (their provenance is checked on load). */
export async function sandboxDataFromFixtures(root: string): Promise<SandboxData> {
  const body = async (file: string) => (await loadFixture(root, `fixtures/lightspeed-r/${file}`)).body as Json;
  const records = (answer: Json, key: string): Json[] => {
    const value = answer[key];
    return value === undefined || value === '' ? [] : Array.isArray(value) ? (value as Json[]) : [value as Json];
  };
  return {
    customers: [
      ...records(await body('customers/list.one.with-credit-account.json'), 'Customer'),
      ...records(await body('customers/list.many.json'), 'Customer'),
    ],
    customerTypes: records(await body('customer-types/list.json'), 'CustomerType'),
    items: [
      ...records(await body('items/list.catalogue.json'), 'Item'),
      ...records(await body('items/get.json'), 'Item'),
      ...records(await body('items/delete.json'), 'Item'),
      // The catalogue's items again with their ItemShops, and the archived item's zeroed ones and item 44's.
      ...records(await body('items/list.with-item-shops.json'), 'Item'),
    ],
    itemMatrices: records(await body('item-matrices/get.with-items.json'), 'ItemMatrix'),
    itemShops: records(await body('item-shops/list.catalogue.json'), 'ItemShop'),
    priceLevels: records(await body('price-levels/list.json'), 'PriceLevel'),
    taxCategories: records(await body('tax-categories/list.vat.json'), 'TaxCategory'),
    paymentTypes: records(await body('payment-types/list.json'), 'PaymentType'),
  };
}
