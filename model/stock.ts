/**
 * The pack's canonical stock level: one SKU at one location, whatever system it came from. The inventory
 * sync to SparkLayer (batch-update-stock: sku, stock_location_external_id, stock_level) reads these
 * (scripts/map-stock-to-sparklayer).
 */
export interface StockLevel {
  /** The back-end's SKU: the storefront (SparkLayer) SKU itself, or its base unit when unit_map sells it in packs. */
  sku: string;
  /** The back-end's location: a Lightspeed X-Series outlet id or an R-Series shop id. */
  location: string;
  /** On hand, as decimal text or a number ("12", "0", "-3": back-ends can go negative). */
  on_hand: string | number;
  /** Sellable now, as decimal text or a number, where the back-end says (R-Series `sellable`); else undefined. */
  available?: string | number;
  /** The back-end's own product or item id. */
  product_id?: string;
  /** Which back-end: `lightspeed-x`, `lightspeed-r`, … */
  source?: string;
  /**
   * True when the back-end has archived, deleted or deactivated the item (the reader of each back-end sets it from
   * that back-end's own flag): its stock is never published above zero.
   */
  archived?: boolean;
  /** True for a family parent (a product with variants): it has no stock of its own and never publishes. */
  has_variants?: boolean;
}

/** The largest quantity (in magnitude) a stock figure may have: anything larger is a data error, not stock. */
export const MAX_STOCK_QUANTITY = 1_000_000_000;
