/**
 * `unit_map`, the one table every step that converts between SparkLayer's packs and the back-end's units reads (the
 * map-order steps, map-stock-to-sparklayer, map-fulfilment-to-sparklayer): SparkLayer SKU (left) to the back-end SKU
 * and units per pack (right), `ERP-SKU*12`, `*12` or `ERP-SKU` (model/units.ts parseUnitRule). Its rules are read
 * when the settings are: one bad rule fails the whole step, naming it. Each step says how it reads the table.
 */
import { parseUnitRule, type UnitConversion } from '../model/units.js';
import { readTableSetting } from '../runtime/settings.js';
import { reject } from '../runtime/tables.js';

/** A control character: never part of a SKU, and a sign of a damaged table. */
const CONTROL = /\p{Cc}/u;

export function unitMapSetting(howRead: string) {
  return readTableSetting<UnitConversion>({
    description:
      'SparkLayer SKU (left) to the back-end SKU and units per pack (right): `ERP-SKU*12`, `*12` or `ERP-SKU`. ' +
      `CSV \`left_value,right_value\` or JSON. ${howRead}`,
    value: (rule, sku) => {
      if (CONTROL.test(sku)) return reject(`the SparkLayer SKU ${JSON.stringify(sku)} holds a control character`);
      try {
        return parseUnitRule(sku, rule);
      } catch (error) {
        return reject(error instanceof Error ? error.message : String(error));
      }
    },
  });
}
