/**
 * Pack sizes and units of measure: a SKU the storefront sells as a pack (a case of 12 mugs) becomes the
 * back-end's SKU in base units (12 eaches). The line's money does not change; only the quantity and what
 * it counts, so a unit price read from it is divided by the pack size. Pure.
 */
import Big from 'big.js';
import type { Decimal } from './money.js';
import type { CanonicalOrder } from './order.js';

export interface UnitConversion {
  /** The back-end's SKU for the base unit. */
  sku: string;
  /** Base units in one of the storefront's. */
  unitsPerPack: Decimal;
}

/** How a line whose SKU is not in the unit map is treated. */
export const UNMAPPED_UNIT_MODES = ['as_each', 'exception'] as const;
export type UnmappedUnitMode = (typeof UNMAPPED_UNIT_MODES)[number];

const RULE = /^(.*?)\s*\*\s*(\d+(?:\.\d+)?)$/;

/**
 * A unit-map entry's right value: `ERP-SKU*12` (12 base units of ERP-SKU per pack), `*12` (the same SKU,
 * 12 per pack) or `ERP-SKU` (another name, one for one). Throws on anything else.
 */
export function parseUnitRule(storefrontSku: string, rule: string): UnitConversion {
  const text = rule.trim();
  const match = RULE.exec(text);
  const sku = (match ? match[1]! : text).trim() || storefrontSku;
  const unitsPerPack = new Big(match ? match[2]! : 1);
  if (unitsPerPack.lte(0) || /[*\s]/.test(sku)) {
    throw new Error(
      `write ERP-SKU*UNITS (e.g. MUG-01*12), *UNITS or ERP-SKU, ` +
        `not ${JSON.stringify(rule)} for ${JSON.stringify(storefrontSku)}`,
    );
  }
  return { sku, unitsPerPack };
}

export type ConversionResult = { ok: true; order: CanonicalOrder } | { ok: false; position: number; sku: string };

/** The order with every line in the back-end's SKU and base units; the first line that cannot be converted fails it. */
export function convertUnits(
  order: CanonicalOrder,
  unitMap: ReadonlyMap<string, UnitConversion>,
  mode: UnmappedUnitMode,
): ConversionResult {
  const lines = [];
  for (const line of order.lines) {
    const conversion = unitMap.get(line.sku);
    if (!conversion) {
      if (mode === 'exception') return { ok: false, position: line.position, sku: line.sku };
      lines.push(line);
      continue;
    }
    lines.push({
      ...line,
      sku: conversion.sku,
      quantity: line.quantity.times(conversion.unitsPerPack),
      unit: conversion.unitsPerPack.eq(1) ? line.unit : 'each',
    });
  }
  return { ok: true, order: { ...order, lines } };
}
