/**
 * The pack's canonical price row (pack-contract §5): one price of one SKU on one price list, at one quantity break,
 * whatever back-end it came from. The price sync to SparkLayer (scripts/map-prices-to-sparklayer) publishes these, and
 * the order flows' price check (scripts/check-order-prices) compares order lines with them.
 */
export interface PriceRow {
  /** The price list: the SparkLayer price list's slug it is published to (a back-end's level or book, mapped). */
  price_list: string;
  /**
   * The back-end's SKU: the SparkLayer SKU itself, or the base unit unit_map sells in packs (as a stock level's), so
   * a pack's price is worked out from its units.
   */
  sku: string;
  /** ISO 4217 currency of the price. */
  currency: string;
  /** The quantity break: this price applies from this many units up (1 is the base price every SKU needs). */
  quantity: string | number;
  /** The unit price at this break, as decimal text ("10.40") or a number; never a binary float in arithmetic. */
  price: string | number;
  /** First day the price applies (ISO 8601 date or date-time); absent: always has. */
  valid_from?: string;
  /** Last day the price applies (ISO 8601 date or date-time, inclusive); absent: no end. */
  valid_to?: string;
  /** Set for a customer-specific price: the ERP account the price is for. */
  erp_account?: string;
  /** True when the price includes tax; absent or false: before tax. */
  tax_inclusive?: boolean;
  /** Which back-end: `netsuite`, `lightspeed-x`, `lightspeed-r`, … */
  source?: string;
}

/** The largest unit price the pack accepts: anything larger is a data error, not a price. */
export const MAX_UNIT_PRICE = 1_000_000_000;
/** The largest quantity break the pack accepts. */
export const MAX_PRICE_QUANTITY = 1_000_000_000;
