/**
 * lightspeed-r-price-rows: Lightspeed R-Series items (GET Item.json, as the stock flow reads them with listItems:
 * connectors/lightspeed-r/stock-reader.ts `stockQuery`) as the pack's canonical price rows (model/price.ts,
 * pack-contract §5), one per mapped price level of each item, for the price sync to SparkLayer.
 *
 * Vendor facts (https://developers.lightspeedhq.com/retail/endpoints/Item/, "ItemPrice Fields", as
 * connectors/lightspeed-r/openapi.json and schemas.ts read them): an item's `Prices` is a collection of ItemPrice,
 * each `amount` (decimal text, "4.50"), `useTypeID` (the price level's ID, an integer as text) and `useType` (its
 * name: Default, MSRP, …). It comes with the item without any load_relations (fixtures/lightspeed-r/items/
 * list.catalogue.json is `Item.json?archived=true`), so the stock read's answers carry it. "Your Lightspeed Retail
 * account has two pricing levels: default and MSRP"; a merchant adds levels (Settings > Pricing Levels), sets each
 * item's price per level, and assigns a level to a location or to a customer type
 * (https://retail-support.lightspeedhq.com/hc/en-us/articles/229130408, Configuring multi-store pricing).
 *
 * Each row:
 * - `sku`: the item's SKU as the stock reader takes it (stock-reader.ts `itemSku`: the first of SKU_FIELDS not blank),
 *   so a SKU's price and its stock are the same SparkLayer product. None at all is INVALID_PRICE;
 * - `price_list`: the SparkLayer price list `price_level_map` gives the level. A key of digits is a `useTypeID`,
 *   anything else a `useType` name (trimmed, any case); a level matched by both takes its ID's row. The ID is what the
 *   record keys the level by; a name is what a merchant sees and types, but whether a level can be renamed is
 *   UNVERIFIED. Only Default (1) and MSRP (2) are the same on every vendor sample: a custom level's ID is the account's
 *   own (useTypeID 3 is "Online" on the Item page's sample, "My Online Store" with "Online" at 5 on the ItemMatrix
 *   tutorial's, https://developers.lightspeedhq.com/retail/tutorials/itemmatrix/), so take IDs from the account's
 *   items. A level not in the map is not published;
 * - `price`: the `amount` exactly as it came ("4.50" stays "4.50"; a number stays that number). Anything that is not
 *   a non-negative decimal, or above MAX_UNIT_PRICE, is INVALID_PRICE naming the level and the field;
 * - `quantity`: always 1. An ItemPrice has no quantity field (Item page, ItemPrice Fields): R-Series has one price
 *   per level, no quantity breaks;
 * - `currency`: the `store_currency` setting. The Account record R-Series documents has accountID, name and link only
 *   (https://developers.lightspeedhq.com/retail/endpoints/Account/, fixtures/lightspeed-r/account/list.json) and an
 *   ItemPrice names none, so the flow says which currency the store prices in;
 * - `source`: `lightspeed-r`. `tax_inclusive` is left out: whether an amount includes tax follows the store's tax
 *   category (TaxCategory isTaxInclusive), not the level, and no page read ties the two (UNVERIFIED).
 *
 * An amount of 0 on a mapped level is not published: R-Series gives 0 where no price was set (every level is "0" on
 * the variant just added in the ItemMatrix tutorial's sample; MSRP "0" in fixtures/lightspeed-r/items/
 * list.catalogue.json; that 0 always means "not set" is read from those, not stated: UNVERIFIED), and a 0 published
 * would sell the SKU for nothing on that list. SparkLayer keeps the last price it had. An item none of whose mapped
 * levels gives a row is skipped (`zero-price` when a mapped level was 0, else `no-mapped-level`).
 *
 * An archived item is skipped (`archived`): "Items can not be deleted, only archived" (Item page), and it is no
 * longer sold. A matrix (family) parent is as the stock reader has it: R-Series lists no ItemMatrix as an item (it is
 * GET ItemMatrix.json, https://developers.lightspeedhq.com/retail/endpoints/ItemMatrix/), and each variant is an item
 * with prices of its own, so a variant gives rows under its own SKU and there is no parent to skip.
 *
 * Conservation is per item: an item that passes counts once whatever number of rows it gives (passMany); one bad level
 * makes the whole item an INVALID_PRICE exception, kept whole, so no list gets some of its prices and not others.
 */
import Big from 'big.js';
import * as z from 'zod';
import { SKU_FIELDS } from '../../connectors/lightspeed-r/constants.js';
import { itemSku, LIGHTSPEED_R_STOCK_SOURCE, stockItemId } from '../../connectors/lightspeed-r/stock-reader.js';
import { MAX_UNIT_PRICE, type PriceRow } from '../../model/price.js';
import { isJsonObject } from '../../runtime/json-object.js';
import { requiredSetting } from '../../runtime/settings.js';
import { defineStep, fail, passMany, skip, type ExceptionCode, type Outcome } from '../../runtime/step.js';
import { nameKey, priceSourceMapSetting, storeCurrencySetting } from '../price-settings.js';

const CODES = {
  INVALID_PRICE: {
    owner: 'finance',
    action:
      'An R-Series item cannot be published as prices (the message names the item, the price level and the ' +
      'field): an amount on a mapped price level is not a decimal of 0 or more (or is implausibly large), the item ' +
      'has no SKU in any SKU field, or its archived flag or Prices are not what R-Series documents. None of its ' +
      'prices is published and SparkLayer keeps the last ones. Correct the item in R-Series, then let the next ' +
      'run read it again (or replay it from the exception).',
  },
} as const satisfies Record<string, ExceptionCode>;
type Code = keyof typeof CODES;

/** An Item record in any of R-Series' forms; the rule reads each field itself and names what is wrong. */
const itemSchema = z.looseObject({});

/** The map's key for a level: `#<useTypeID>` for digits, `@<name in lower case>` for a name. */
const idKey = (id: string) => `#${id.replace(/^0+(?=\d)/, '')}`;

const PRICE_LEVEL_MAP =
  'R-Series price level (left: its useTypeID, e.g. `1`, or its name, e.g. `Default`, any case; an ID wins over a ' +
  'name for the same level) to the SparkLayer price list slug its prices are published to (right). A level not ' +
  'listed is not published. Each slug once: one list is fed by one level.';

const priceLevelMap = priceSourceMapSetting({
  description: PRICE_LEVEL_MAP,
  source: 'price level',
  sources: 'levels',
  isId: (key) => /^\d+$/.test(key),
  keys: { idKey, nameKey },
});

const storeCurrency = storeCurrencySetting(
  "The R-Series store's currency (ISO 4217, e.g. GBP): the currency of every price row. R-Series names none on an " +
    'item or its account, so the flow says it.',
);

/** An R-Series ID as text (digits, as text or a whole number); undefined when it is not one. */
function idText(value: unknown): string | undefined {
  const read = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
  return typeof read === 'string' && /^\d+$/.test(read) ? read : undefined;
}

/**
 * An amount exactly as it came, or undefined when it is not a decimal of 0 or more: text of digits with an optional
 * fraction, a finite number, or a Big (schemas.ts' lsDecimal, once the client has parsed the item) as its exact text.
 */
function amountOf(value: unknown): { price: string | number; big: Big } | undefined {
  if (typeof value === 'string') return /^\d+(\.\d+)?$/.test(value) ? { price: value, big: new Big(value) } : undefined;
  if (typeof value === 'number')
    return Number.isFinite(value) && value >= 0 ? { price: value, big: new Big(value) } : undefined;
  // A Big from another copy of big.js is not `instanceof` this one's: read it by its shape, as stock-reader.ts does.
  const decimal = value as { cmp?: unknown; toFixed?: unknown } | null;
  if (typeof decimal === 'object' && decimal !== null && 'cmp' in decimal && typeof decimal.toFixed === 'function') {
    const big = new Big((decimal.toFixed as () => string).call(decimal));
    return big.gte(0) ? { price: big.toFixed(), big } : undefined;
  }
  return undefined;
}

/** The ItemPrices of `Prices` in R-Series' forms: `{ItemPrice: [...]}`, `{ItemPrice: {...}}`, an array, "" or none. */
function itemPrices(value: unknown): unknown[] | undefined {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value;
  if (!isJsonObject(value)) return undefined;
  const inner = value.ItemPrice;
  if (inner === undefined || inner === null || inner === '') return [];
  return Array.isArray(inner) ? inner : [inner];
}

class PriceError extends Error {}

/** The rows of one item, or why it gives none. Throws a PriceError, naming the field, for an item it cannot read. */
function priceRows(
  item: Record<string, unknown>,
  map: ReadonlyMap<string, string>,
  currency: string,
): PriceRow[] | { skip: string } {
  const archived = item.archived;
  if (archived === true || archived === 'true') return { skip: 'archived' };
  if (!(archived === undefined || archived === null || archived === '' || archived === false || archived === 'false'))
    throw new PriceError(`archived is ${JSON.stringify(archived)}, not "true" or "false"`);
  const sku = itemSku(item);
  if (sku === undefined) throw new PriceError(`no SKU: ${SKU_FIELDS.join(', ')} are all blank`);
  const prices = itemPrices(item.Prices);
  if (prices === undefined)
    throw new PriceError(`Prices is ${JSON.stringify(item.Prices)}, not an ItemPrice collection`);

  const rows = new Map<string, { row: PriceRow; big: Big; level: string }>();
  let zero = false;
  prices.forEach((entry, index) => {
    const where = `Prices.ItemPrice[${index}]`;
    if (!isJsonObject(entry)) throw new PriceError(`${where} is not an object (${JSON.stringify(entry)})`);
    const id = idText(entry.useTypeID);
    if (id === undefined) throw new PriceError(`${where}.useTypeID is ${JSON.stringify(entry.useTypeID)}, not an ID`);
    const name = typeof entry.useType === 'string' ? entry.useType : undefined;
    const slug = map.get(idKey(id)) ?? (name === undefined || name.trim() === '' ? undefined : map.get(nameKey(name)));
    if (slug === undefined) return;
    const level = name === undefined ? `useTypeID ${id}` : `"${name}" (useTypeID ${id})`;
    const amount = amountOf(entry.amount);
    if (amount === undefined)
      throw new PriceError(`price level ${level}: ${where}.amount is ${JSON.stringify(entry.amount)}, not a decimal`);
    if (amount.big.gt(MAX_UNIT_PRICE))
      throw new PriceError(`price level ${level}: ${where}.amount ${amount.big.toFixed()} is above ${MAX_UNIT_PRICE}`);
    if (amount.big.eq(0)) {
      zero = true;
      return;
    }
    const earlier = rows.get(slug);
    if (earlier !== undefined) {
      // The same level twice (an ID row and a name row both matching it, or R-Series listing it twice): one price.
      if (earlier.big.eq(amount.big)) return;
      throw new PriceError(
        `price levels ${earlier.level} and ${level} both give price list ${JSON.stringify(slug)}, at ` +
          `${earlier.big.toFixed()} and ${amount.big.toFixed()}`,
      );
    }
    const row: PriceRow = {
      price_list: slug,
      sku,
      currency,
      quantity: 1,
      price: amount.price,
      source: LIGHTSPEED_R_STOCK_SOURCE,
    };
    rows.set(slug, { row, big: amount.big, level });
  });
  if (rows.size === 0) return { skip: zero ? 'zero-price' : 'no-mapped-level' };
  return [...rows.values()].map(({ row }) => row);
}

export const step = defineStep({
  key: 'lightspeed-r-price-rows',
  title: 'Lightspeed R-Series price rows',
  purpose:
    "Reads R-Series items (Item.json, as the stock flow reads them) as the pack's canonical price rows: one per " +
    'price level price_level_map publishes, at quantity 1 in store_currency, the SKU as the stock read takes it; ' +
    'archived items and 0 amounts are not published.',
  settings: {
    price_level_map: requiredSetting(priceLevelMap),
    store_currency: requiredSetting(storeCurrency),
  },
  exceptionCodes: CODES,
  record: { schema: itemSchema, id: stockItemId },
  rule: (items, settings) =>
    items.map((item, index): Outcome<Code> => {
      try {
        const rows = priceRows(item, settings.price_level_map, settings.store_currency);
        return Array.isArray(rows) ? passMany(rows) : skip(rows.skip);
      } catch (error) {
        if (!(error instanceof PriceError)) throw error;
        const itemID = idText(item.itemID);
        const which = itemID === undefined ? `Item ${index}` : `Item ${index} (itemID ${itemID})`;
        return fail('INVALID_PRICE', `R-Series prices: ${which}: ${error.message}`);
      }
    }),
});
