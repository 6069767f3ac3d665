/**
 * map-prices-to-lightspeed-r: the pack's canonical price rows (model/price.ts, pack-contract §5) INTO Lightspeed
 * R-Series price levels, so trade buyers pay their contract prices in store: one Item PUT body per item whose mapped
 * levels' amounts changed. The reverse of lightspeed-r-price-rows.
 *
 * Vendor facts:
 * - A price level is a PriceLevel (https://developers.lightspeedhq.com/retail/endpoints/PriceLevel/, "PriceLevel
 *   Fields": priceLevelID, name, archived, canBeArchived, type, Calculation), read with GET PriceLevel.json
 *   (listPriceLevels). The page documents GET and PUT (a rename) only, no POST: the pack creates no level, so a list
 *   mapped to a level the account does not have is UNKNOWN_PRICE_LEVEL, for a merchant to add it (Settings > Pricing
 *   Levels, https://retail-support.lightspeedhq.com/hc/en-us/articles/229130408, Configuring multi-store pricing).
 * - An item's price at a level is its ItemPrice with that level's ID as `useTypeID` (`amount`, `useTypeID`,
 *   `useType` = the level's name: https://developers.lightspeedhq.com/retail/endpoints/Item/, "ItemPrice Fields"; the
 *   PriceLevel page's sample names Default 1 and Online 3, as the Item page's ItemPrices do). An ItemPrice has no
 *   quantity: one price per level, no quantity breaks. So a row for a break above 1 is PRICE_BREAK_NOT_SUPPORTED, an
 *   exception (never dropped, never sent as the level's price).
 * - The write is PUT Item/{itemID}.json (updateItem, "Update an existing item based on the given parameters", same
 *   page) with `Prices: {ItemPrice: [...]}`, as the page's POST sample sends prices. UNVERIFIED: the PUT's attribute
 *   table does not list Prices, and no page says whether the ItemPrices sent replace the item's or merge into them. So
 *   each body carries EVERY level the item has (the ones not changed at their current amount, as read) with the changed
 *   ones set: the same result under either reading, and a level missing from the body is never cleared.
 * - Amounts are sent as decimal text exactly as the row gives them ("4.50"), R-Series' own form (every sample sends
 *   scalars as strings); the page types `amount` a float, and how many decimals R-Series keeps is UNVERIFIED.
 * - R-Series names no currency on an item, level or account (https://developers.lightspeedhq.com/retail/endpoints/Account/):
 *   `store_currency` says it, and a row in another currency is LIST_CURRENCY_MISMATCH.
 * - Tax: whether an amount includes tax follows the store's TaxCategory (isTaxInclusive,
 *   https://developers.lightspeedhq.com/retail/endpoints/TaxCategory/), not the level; no page ties the two, so a row's
 *   `tax_inclusive` is not checked against the store (UNVERIFIED). Map lists whose prices are on the store's basis.
 * - Customer types: a CustomerType has customerTypeID, name, taxCategoryID and discountID only
 *   (https://developers.lightspeedhq.com/retail/endpoints/CustomerType/); no field links it to a price level. A level
 *   is given to a customer type in R-Series' settings (the support article above): UNVERIFIED through the API, and
 *   this step does not try. For the same reason a row for one ERP account (`erp_account`) is
 *   CUSTOMER_PRICE_NOT_SUPPORTED: a level's price is every buyer's on that level.
 *
 * Items: beside the rows as `items`, R-Series' Item records (listItems pages: the records, or the page answers
 * themselves), with their Prices (an item carries them without any load_relations). A row's item is the live item
 * whose SKU, taken as the stock reader takes it (stock-reader.ts `itemSku`: the first of customSku, systemSku, upc,
 * ean, manufacturerSku not blank), is the row's SKU: none is UNKNOWN_SKU (an archived item only: the same, it is no
 * longer sold), two or more AMBIGUOUS_SKU.
 *
 * Counting: one record is one price. The changed levels of an item make one body, carried by the first of their
 * records; the others pass with none. A price as the item already has it is skipped (`unchanged`), counted in meta
 * `map_prices_to_lightspeed_r_unchanged`; a list not in `list_to_price_level` is skipped (`unmapped-list`); rows not
 * valid on `as_of` are skipped (`not-yet-valid`, `expired`). Each bad record is its own exception, kept whole, and
 * never holds back another: its level goes in the body at the item's current amount. Two rows valid on as_of giving one
 * item and level different prices are both CONFLICTING_PRICE.
 */
import Big from 'big.js';
import * as z from 'zod';
import { SKU_FIELDS } from '../../connectors/lightspeed-r/constants.js';
import { itemSku } from '../../connectors/lightspeed-r/stock-reader.js';
import { toDecimal, type Decimal } from '../../model/money.js';
import { MAX_UNIT_PRICE } from '../../model/price.js';
import { isJsonObject } from '../../runtime/json-object.js';
import { instantSetting, readTableSetting, requiredSetting } from '../../runtime/settings.js';
import { priceRowSchema, priceValidity, readPriceBreak, type PriceRowRecord } from '../price-rows.js';
import { defineStep, fail, passMany, skip, type ExceptionCode, type Outcome } from '../../runtime/step.js';
import { CONTROL_CHARACTER, reject } from '../../runtime/tables.js';
import { storeCurrencySetting } from '../price-settings.js';

const CODES = {
  INVALID_PRICE: {
    owner: 'finance',
    action:
      'The price (named in the message) is not a plain decimal number, is below 0, or is over 1,000,000,000. The ' +
      'R-Series level keeps its current amount. Correct the price in the back-end; the next run sends it.',
  },
  INVALID_PRICE_BREAK: {
    owner: 'finance',
    action:
      'The quantity break is not a whole number from 1 to 1,000,000,000, so the row cannot be read. Correct it in ' +
      'the back-end; the next run sends the price.',
  },
  PRICE_BREAK_NOT_SUPPORTED: {
    owner: 'finance',
    action:
      'An R-Series price level has one price per item, no quantity breaks, so this break above 1 cannot be carried ' +
      'to the store (its base price, quantity 1, is sent). Leave it for SparkLayer only, or give the store a level ' +
      'price for quantity 1; nothing to replay.',
  },
  CUSTOMER_PRICE_NOT_SUPPORTED: {
    owner: 'finance',
    action:
      "The row is one ERP account's price (erp_account), but an R-Series price level's price is every buyer's on " +
      'that level, so it was not sent. Map only lists priced for a whole group of buyers to R-Series levels.',
  },
  LIST_CURRENCY_MISMATCH: {
    owner: 'integration',
    action:
      "The price's currency is not the R-Series store's (store_currency), and R-Series converts nothing, so it was " +
      'not sent. Map this currency\u2019s lists to another store, or correct store_currency or the row; then rerun.',
  },
  UNKNOWN_PRICE_LEVEL: {
    owner: 'integration',
    action:
      'list_to_price_level names an R-Series price level the account does not have live (none of that name, two ' +
      'of it, ' +
      'or archived). R-Series documents no API to create one: add or rename it in R-Series (Settings > Pricing ' +
      'Levels), or correct the map; then rerun or replay.',
  },
  UNKNOWN_SKU: {
    owner: 'operations',
    action:
      'No live R-Series item has this SKU (customSku, then systemSku, upc, ean, manufacturerSku), so its price was ' +
      'not sent. Add the item or its SKU in R-Series (or unarchive it), then replay the exception.',
  },
  AMBIGUOUS_SKU: {
    owner: 'operations',
    action:
      'Several live R-Series items have this SKU, so the pack cannot tell which to price. Give each item its own SKU ' +
      'in R-Series (or archive the duplicate), then replay the exception.',
  },
  UNREADABLE_ITEM: {
    owner: 'integration',
    action:
      "The R-Series item's Prices (named in the message) are not what R-Series documents, so its levels cannot be " +
      'read back or sent whole. Check the item in R-Series and the flow\u2019s item read; then replay.',
  },
  CONFLICTING_PRICE: {
    owner: 'finance',
    action:
      'Two rows give the same item and price level different prices valid on as_of, so neither was sent. End or ' +
      'remove one of them in the back-end; the next run sends the other.',
  },
} as const satisfies Record<string, ExceptionCode>;
type Code = keyof typeof CODES;

/** One ItemPrice as the body sends it (https://developers.lightspeedhq.com/retail/endpoints/Item/, ItemPrice Fields). */
// A type, not an interface: assignable to the generated ItemPricesUpdate's open ItemPrice.
export type ItemPriceBody = {
  amount: string;
  useTypeID: string;
  useType: string;
};

/** One output record: the PUT Item/{itemID}.json to send (updateItem), and what changed, for the log. */
export interface ItemPriceUpdate {
  itemID: string;
  sku: string;
  body: { Prices: { ItemPrice: ItemPriceBody[] } };
  changed: Array<{ useTypeID: string; useType: string; from: string | null; to: string }>;
}

/** An R-Series ID: digits as text, or a whole number (R-Series sends text; a parsed record may hold numbers). */
const rsId = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String);
const rsBoolean = z.union([z.boolean(), z.enum(['true', 'false', ''])]).transform((v) => v === true || v === 'true');
const levelSchema = z.looseObject({ priceLevelID: rsId, name: z.string(), archived: rsBoolean.optional() });
const besideSchema = z.looseObject({
  /** GET PriceLevel.json's records (listPriceLevels); absent: none, so every mapped list is UNKNOWN_PRICE_LEVEL. */
  price_levels: z.array(levelSchema).nullable().optional(),
  /** GET Item.json's records, or its page answers (`{"@attributes": …, "Item": [...]}`), with Prices. */
  items: z.array(z.looseObject({})).nullable().optional(),
});
type Beside = z.infer<typeof besideSchema>;

/** The record's id in skipped and exceptions: `SKU@list`. */
function rowId(record: unknown): string | null {
  if (record === null || typeof record !== 'object') return null;
  const { sku, price_list: list } = record as Record<string, unknown>;
  if (typeof sku !== 'string' || sku.trim() === '') return null;
  return typeof list === 'string' && list.trim() !== '' ? `${sku.trim()}@${list.trim()}` : sku.trim();
}

const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;

/**
 * The price as the text sent and its exact value, or why not. Text must be a plain decimal ("4.50", kept exactly as
 * given); a number is read through its shortest decimal text (model/money.ts), never used in arithmetic.
 */
function readPrice(value: string | number): { text: string; big: Decimal } | string {
  if (typeof value === 'number' && !Number.isFinite(value)) return 'is not a finite number';
  const raw = typeof value === 'number' ? String(value) : value.trim();
  if (typeof value === 'string' && (raw.length > 40 || !/^-?\d+(\.\d+)?$/.test(raw)))
    return `is ${JSON.stringify(value)}, not a plain decimal number`;
  const big = toDecimal(value, 'price');
  if (big.lt(0)) return `is ${big.toFixed()}, below 0`;
  if (big.gt(MAX_UNIT_PRICE)) return `is ${big.toFixed()}, over ${MAX_UNIT_PRICE}`;
  return { text: PLAIN_DECIMAL.test(raw) ? raw : big.toFixed(), big };
}

/** The records of `items`, whether given as records or as GET Item.json page answers. */
function itemRecords(items: NonNullable<Beside['items']>): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (const entry of items) {
    if (entry.itemID === undefined && 'Item' in entry) {
      const inner = entry.Item;
      if (Array.isArray(inner)) records.push(...inner.filter(isJsonObject));
      else if (isJsonObject(inner)) records.push(inner);
    } else records.push(entry);
  }
  return records;
}

/** An item's ItemPrices, in R-Series' forms, as the body would send them; or why they cannot be read. */
function currentPrices(item: Record<string, unknown>): ItemPriceBody[] | string {
  const prices = item.Prices;
  let list: unknown[];
  if (prices === undefined || prices === null || prices === '') list = [];
  else if (Array.isArray(prices)) list = prices;
  else if (isJsonObject(prices)) {
    const inner = prices.ItemPrice;
    list = inner === undefined || inner === null || inner === '' ? [] : Array.isArray(inner) ? inner : [inner];
  } else return `Prices is ${JSON.stringify(prices)}, not an ItemPrice collection`;
  const read: ItemPriceBody[] = [];
  for (const [index, entry] of list.entries()) {
    const where = `Prices.ItemPrice[${index}]`;
    if (!isJsonObject(entry)) return `${where} is not an object`;
    const id = rsId.safeParse(entry.useTypeID);
    if (!id.success) return `${where}.useTypeID is ${JSON.stringify(entry.useTypeID)}, not an ID`;
    const price = typeof entry.amount === 'string' || typeof entry.amount === 'number' ? readPrice(entry.amount) : '';
    if (typeof price === 'string') return `${where}.amount is ${JSON.stringify(entry.amount)}, not a decimal`;
    read.push({
      amount: price.text,
      useTypeID: id.data,
      useType: typeof entry.useType === 'string' ? entry.useType : '',
    });
  }
  return read;
}

const levelKey = (name: string) => name.trim().toLowerCase();

const PRICE_LIST_MAP =
  'SparkLayer price list slug (left) to the R-Series price level its prices are sent to (right: the ' +
  'level\u2019s name as GET PriceLevel.json gives it, any case). A list not listed is not sent. Each level once: ' +
  'a level fed by two lists would take whichever came last.';

const priceListMap = readTableSetting<string>({
  description: PRICE_LIST_MAP,
  key: (left) => {
    const slug = left.trim();
    if (slug === '') return reject('the SparkLayer price list slug is empty');
    if (CONTROL_CHARACTER.test(slug)) return reject(`the slug ${JSON.stringify(slug)} holds a control character`);
    return slug;
  },
  value: (right) => {
    const name = right.trim();
    if (name === '') return reject('the R-Series price level name is empty');
    return name;
  },
}).superRefine((table, ctx) => {
  const seen = new Map<string, string>();
  for (const [slug, level] of table) {
    const earlier = seen.get(levelKey(level));
    if (earlier !== undefined)
      ctx.addIssue({
        code: 'custom',
        message:
          `the table cannot be read: lists ${earlier} and ${slug} both feed price level ` + JSON.stringify(level),
      });
    seen.set(levelKey(level), slug);
  }
}) as unknown as z.ZodType<ReadonlyMap<string, string>, unknown>;

const storeCurrency = storeCurrencySetting(
  "The R-Series store's currency (ISO 4217, e.g. GBP). R-Series names none on an item, level or account; a row in " +
    'another currency is LIST_CURRENCY_MISMATCH.',
);

/** A price being set: an item's level, and the records giving it. */
interface Setting {
  item: string;
  level: { id: string; name: string };
  price: { text: string; big: Decimal };
  records: number[];
  conflict: boolean;
}

export const step = defineStep({
  key: 'map-prices-to-lightspeed-r',
  title: 'Map prices to Lightspeed R-Series',
  purpose:
    "Turns price rows into Lightspeed R-Series Item updates: each mapped list's quantity-1 prices set on its " +
    'R-Series price level, one PUT body per item carrying all its levels, unchanged prices left out.',
  settings: {
    list_to_price_level: requiredSetting(priceListMap),
    store_currency: requiredSetting(storeCurrency),
    as_of: instantSetting({
      description: 'The instant whose prices are sent (valid_from, valid_to). Empty: now.',
    }),
  },
  exceptionCodes: CODES,
  record: {
    schema: priceRowSchema,
    id: rowId,
    fieldCodes: { price: 'INVALID_PRICE', quantity: 'INVALID_PRICE_BREAK' },
    checkOnly: true,
  },
  beside: besideSchema,
  besideDropped: ['items', 'price_levels'],
  rule: (rows: readonly PriceRowRecord[], settings, beside: Beside) => {
    const { list_to_price_level: listMap, store_currency: currency, as_of: asOf } = settings;

    const levelsByName = new Map<string, Beside['price_levels']>();
    for (const level of beside.price_levels ?? []) {
      const key = levelKey(level.name);
      levelsByName.set(key, [...(levelsByName.get(key) ?? []), level]);
    }
    const itemsBySku = new Map<string, Record<string, unknown>[]>();
    for (const item of itemRecords(beside.items ?? [])) {
      const archived = item.archived === true || item.archived === 'true';
      const sku = itemSku(item);
      if (archived || sku === undefined) continue;
      itemsBySku.set(sku, [...(itemsBySku.get(sku) ?? []), item]);
    }

    const outcomes = new Array<Outcome<Code> | undefined>(rows.length);
    const items = new Map<string, { item: Record<string, unknown>; sku: string; prices: ItemPriceBody[] }>();
    const settings_ = new Map<string, Setting>();

    for (let index = 0; index < rows.length; index += 1) {
      const row = rows[index]!;
      const list = row.price_list.trim();
      const sku = row.sku.trim();
      const levelName = listMap.get(list);
      if (levelName === undefined) {
        outcomes[index] = skip('unmapped-list');
        continue;
      }
      const price = readPrice(row.price);
      if (typeof price === 'string') {
        outcomes[index] = fail('INVALID_PRICE', `price ${price}`, { field: 'price' });
        continue;
      }
      const quantity = readPriceBreak(row.quantity);
      if (typeof quantity === 'string') {
        outcomes[index] = fail('INVALID_PRICE_BREAK', `quantity ${quantity}`);
        continue;
      }
      if (row.valid_from !== undefined || row.valid_to !== undefined) {
        const valid = priceValidity(row, asOf);
        if (valid !== 'valid') {
          outcomes[index] = skip(valid);
          continue;
        }
      }
      const rowCurrency = row.currency.trim().toUpperCase();
      if (rowCurrency !== currency) {
        outcomes[index] = fail(
          'LIST_CURRENCY_MISMATCH',
          `price in ${rowCurrency} for the R-Series store in ${currency} (price list ${JSON.stringify(list)})`,
          { price_list: list, currency: rowCurrency, store_currency: currency },
        );
        continue;
      }
      if (quantity > 1) {
        outcomes[index] = fail(
          'PRICE_BREAK_NOT_SUPPORTED',
          `a break from ${quantity} on price list ${JSON.stringify(list)}: ` +
            'R-Series price levels have one price per item',
          { quantity },
        );
        continue;
      }
      if (row.erp_account !== undefined && row.erp_account.trim() !== '') {
        outcomes[index] = fail(
          'CUSTOMER_PRICE_NOT_SUPPORTED',
          `a price for ERP account ${JSON.stringify(row.erp_account.trim())}: an R-Series price level is every buyer's`,
        );
        continue;
      }
      const levels = (levelsByName.get(levelKey(levelName)) ?? []).filter((level) => level.archived !== true);
      if (levels.length !== 1) {
        const archived = (levelsByName.get(levelKey(levelName)) ?? []).length > 0 && levels.length === 0;
        outcomes[index] = fail(
          'UNKNOWN_PRICE_LEVEL',
          `price list ${JSON.stringify(list)} maps to R-Series price level ${JSON.stringify(levelName)}, which ` +
            (levels.length > 1
              ? `${levels.length} live levels are named`
              : archived
                ? 'is archived'
                : 'R-Series has not'),
          { price_list: list, price_level: levelName },
        );
        continue;
      }
      const level = { id: levels[0]!.priceLevelID, name: levels[0]!.name };
      const candidates = itemsBySku.get(sku) ?? [];
      if (candidates.length !== 1) {
        outcomes[index] =
          candidates.length === 0
            ? fail('UNKNOWN_SKU', `no live R-Series item has SKU ${JSON.stringify(sku)} (${SKU_FIELDS.join(', ')})`)
            : fail(
                'AMBIGUOUS_SKU',
                `SKU ${JSON.stringify(sku)} names ${candidates.length} live R-Series items ` +
                  `(itemID ${candidates.map((item) => String(item.itemID)).join(', ')})`,
              );
        continue;
      }
      const item = candidates[0]!;
      const itemID = rsId.safeParse(item.itemID);
      const prices = currentPrices(item);
      if (!itemID.success || typeof prices === 'string') {
        outcomes[index] = fail(
          'UNREADABLE_ITEM',
          `R-Series item for SKU ${JSON.stringify(sku)}: ` +
            (itemID.success ? prices : `itemID is ${JSON.stringify(item.itemID)}, not an ID`),
        );
        continue;
      }
      if (!items.has(itemID.data)) items.set(itemID.data, { item, sku, prices: prices as ItemPriceBody[] });
      const key = `${itemID.data}#${level.id}`;
      const setting = settings_.get(key);
      if (setting === undefined)
        settings_.set(key, { item: itemID.data, level, price, records: [index], conflict: false });
      else {
        setting.records.push(index);
        if (!setting.price.big.eq(price.big)) setting.conflict = true;
      }
    }

    // Each item's changed levels, carried by the first record of them; the item's other levels at their amounts.
    const changedOf = new Map<string, Setting[]>();
    let unchanged = 0;
    for (const setting of settings_.values()) {
      if (setting.conflict) {
        const prices = setting.records.map((index) => String(rows[index]!.price)).join(', ');
        for (const index of setting.records)
          outcomes[index] = fail(
            'CONFLICTING_PRICE',
            `SKU ${items.get(setting.item)!.sku} on price level ${JSON.stringify(setting.level.name)} has ` +
              `different prices valid on as_of (${prices})`,
          );
        continue;
      }
      const current = items.get(setting.item)!.prices.find((p) => p.useTypeID === setting.level.id);
      if (current !== undefined && new Big(current.amount).eq(setting.price.big)) {
        for (const index of setting.records) outcomes[index] = skip('unchanged');
        unchanged += 1;
        continue;
      }
      changedOf.set(setting.item, [...(changedOf.get(setting.item) ?? []), setting]);
    }

    let updates = 0;
    for (const [itemID, changes] of changedOf) {
      const { sku, prices } = items.get(itemID)!;
      const body = prices.map((p) => ({ ...p }));
      const changed: ItemPriceUpdate['changed'] = [];
      for (const change of changes) {
        const entry = body.find((p) => p.useTypeID === change.level.id);
        changed.push({
          useTypeID: change.level.id,
          useType: change.level.name,
          from: entry?.amount ?? null,
          to: change.price.text,
        });
        if (entry !== undefined) {
          entry.amount = change.price.text;
          entry.useType = change.level.name;
        } else body.push({ amount: change.price.text, useTypeID: change.level.id, useType: change.level.name });
      }
      const records = changes.flatMap((change) => change.records).sort((a, b) => a - b);
      const update: ItemPriceUpdate = { itemID, sku, body: { Prices: { ItemPrice: body } }, changed };
      outcomes[records[0]!] = passMany([update]);
      for (const index of records.slice(1)) outcomes[index] = passMany([]);
      updates += 1;
    }

    return {
      outcomes: outcomes.map((outcome) => outcome ?? passMany([])),
      counts: { unchanged, items: updates },
    };
  },
});
