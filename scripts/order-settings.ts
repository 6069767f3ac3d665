/**
 * Settings several order and stock steps share, each declared once here, each step saying how it reads it.
 * `unit_map`: SparkLayer SKU (left) to the back-end SKU and units per pack (right), `ERP-SKU*12`, `*12` or `ERP-SKU`
 * (model/units.ts parseUnitRule), the one table every step that converts between SparkLayer's packs and the
 * back-end's units reads (the map-order steps, map-stock-to-sparklayer, map-fulfilment-to-sparklayer). Its rules are
 * read when the settings are: one bad rule fails the whole step, naming it.
 */
import { ON_ACCOUNT_MODES, type OnAccountMode } from '../model/order-mapper.js';
import { parseUnitRule, type UnitConversion } from '../model/units.js';
import { choiceSetting, readTableSetting } from '../runtime/settings.js';
import { CONTROL_CHARACTER, reject } from '../runtime/tables.js';

export function unitMapSetting(howRead: string) {
  return readTableSetting<UnitConversion>({
    description:
      'SparkLayer SKU (left) to the back-end SKU and units per pack (right): `ERP-SKU*12`, `*12` or `ERP-SKU`. ' +
      `CSV \`left_value,right_value\` or JSON. ${howRead}`,
    value: (rule, sku) => {
      if (CONTROL_CHARACTER.test(sku))
        return reject(`the SparkLayer SKU ${JSON.stringify(sku)} holds a control character`);
      try {
        return parseUnitRule(sku, rule);
      } catch (error) {
        return reject(error instanceof Error ? error.message : String(error));
      }
    },
  });
}

/**
 * `on_account_mode`, how the order flows book Pay on Account orders: the map-order steps book by it,
 * flag-stale-orders judges by it (a held order goes to finance), so a flow sets both alike. Each step says its part.
 */
export function onAccountModeSetting(howUsed: string, defaultMode: OnAccountMode) {
  return choiceSetting({
    description:
      'Pay on Account orders: `release` (approved for fulfilment, marked as on account) or `hold` (held until ' +
      `finance releases them). ${howUsed}`,
    default: defaultMode,
    choices: ON_ACCOUNT_MODES,
  });
}
