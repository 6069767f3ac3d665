/**
 * Flow variables and lookups that several flows declare alike, each declared once: a page size of one vendor read, a
 * table every flow that reads packs shares. A flow spreads them in; its docs page shows them as declared here.
 */

/** SparkLayer's purchases list, paged by limit and offset (connectors/sparklayer/openapi.json: limit 1 to 500). */
export const SPARKLAYER_PURCHASES_PAGE_SIZE = {
  description: 'Purchases per page from SparkLayer (1 to 500).',
  default: '500',
} as const;

/** The client's pack table (model/units.ts reads its rows), shared by the order and stock flows. */
export const UNIT_MAP_LOOKUP = {
  description: 'Pack SKU to base SKU and pack size, e.g. MUG-CASE12 -> MUG*12.',
  required: false,
} as const;
