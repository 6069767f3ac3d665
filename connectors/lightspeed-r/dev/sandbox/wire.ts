/**
 * R-Series' JSON quirks: every scalar a string, a collection of one an object, an empty collection "". The fake
 * stores every collection in one form and answers in R-Series' own.
 */
import { isJsonObject } from '../../../../runtime/json-object.js';
export type Json = Record<string, unknown>;

/** Element names of R-Series collections: `"<Relation>": {"<Element>": [...]}`. */
const COLLECTIONS: Record<string, string> = {
  SaleLines: 'SaleLine',
  SalePayments: 'SalePayment',
  Addresses: 'ContactAddress',
  Phones: 'ContactPhone',
  Emails: 'ContactEmail',
  Websites: 'ContactWebsite',
  ItemShops: 'ItemShop',
  Prices: 'ItemPrice',
  Items: 'Item',
  TaxCategoryClasses: 'TaxCategoryClass',
};
const ELEMENTS = new Set(Object.values(COLLECTIONS));

/** A record as R-Series sends it: scalars as strings, a collection of one as an object, an empty one as "". */
export function wire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(wire);
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isJsonObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && ELEMENTS.has(keys[0]!) && Array.isArray(value[keys[0]!])) {
    const list = value[keys[0]!] as unknown[];
    if (list.length === 0) return '';
    return { [keys[0]!]: list.length === 1 ? wire(list[0]) : list.map(wire) };
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => {
      // A matrix's attribute values: one value as a plain string, none as "" (https://developers.lightspeedhq.com/retail/tutorials/itemmatrix/).
      if (/^attribute\dValues$/.test(key) && Array.isArray(field))
        return [key, field.length === 0 ? '' : field.length === 1 ? String(field[0]) : field.map(String)];
      return [key, wire(field)];
    }),
  );
}

/** The inverse for collections: every known collection as `{"<Element>": [...]}`, whatever form it came in. */
export function toStore(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toStore);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => {
      const element = COLLECTIONS[key];
      if (element === undefined) return [key, toStore(field)];
      return [key, { [element]: elements(field).map((item) => toStore(item)) }];
    }),
  );
}

/** A collection's elements, in any of its forms. */
export function elements(value: unknown): Json[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.filter(isJsonObject);
  if (!isJsonObject(value)) return [];
  const keys = Object.keys(value);
  if (keys.length === 1 && ELEMENTS.has(keys[0]!)) return elements(value[keys[0]!]);
  return [value];
}
