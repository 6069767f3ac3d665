/**
 * The pack's canonical stock level: one SKU at one location, whatever system it came from. The inventory
 * sync to SparkLayer (batch-update-stock: sku, stock_location_external_id, stock_level) reads these.
 */
export interface StockLevel {
  /** The SKU as the storefront (SparkLayer) knows it. */
  sku: string;
  /** The back-end's location: a Lightspeed X-Series outlet id or an R-Series shop id. */
  location: string;
  /** On hand, as decimal text ("12", "0", "-3": back-ends can go negative). */
  on_hand: string;
  /** Sellable now, as decimal text, where the back-end says (R-Series `sellable`); else undefined. */
  available?: string;
  /** The back-end's own product or item id. */
  product_id: string;
  /** Which back-end: `lightspeed-x`, `lightspeed-r`, … */
  source: string;
}
