/**
 * lightspeed-r-stock-query: the search of the R-Series stock flow's item read (GET Item.json, listItems), so that a run
 * reads only the items whose stock changed since the last: `item_shops_time_stamp` = `>=,<since>` (`stockQuery` in
 * connectors/lightspeed-r/stock-reader.ts), `since` the latest ItemShop timeStamp of the items the flow kept (flow
 * cache `stock-state`, key `kept`, written by lightspeed-r-stock-levels with keep_records=yes; `itemShopWatermark`).
 * The connection shape's variable ItemShops.timeStamp takes it: "all Items that have at least one related ItemShop
 * record that satisfies the condition" (https://developers.lightspeedhq.com/retail/introduction/relations/). `>=`
 * reads the items at the watermark again each run, never missing a change made in the same second; the levels step's
 * merge makes that harmless. No item kept (the first run, or a cache Patchworks cleared: best effort, up to 7 days)
 * writes "": the variable is left out of the query and every item is read. That Patchworks leaves out a query
 * variable whose value is empty, rather than send `ItemShops.timeStamp=`, is unverified (the local engine leaves it
 * out: patchworks/runner/connection-engine.ts).
 *
 * Input: the kept items with their ItemShops. Output: `item_shops_time_stamp`, one payload, so the connection shape
 * reads once; the items go no further.
 */
import * as z from 'zod';
import { itemShopWatermark, stockItemId, stockQuery } from '../../connectors/lightspeed-r/stock-reader.js';
import { defineStep, passMany, type ExceptionCode } from '../../runtime/step.js';

const CODES = {} as const satisfies Record<string, ExceptionCode>;

/** A kept item: only its ItemShops' timeStamps are read (lightspeed-r-stock-levels wrote them). */
const itemSchema = z.looseObject({});

export const step = defineStep({
  key: 'lightspeed-r-stock-query',
  title: 'Lightspeed R-Series stock query',
  purpose:
    "Writes the search of the R-Series stock flow's item read: the items with an ItemShop modified at or after the " +
    'latest ItemShop timeStamp of the items it kept, so the run reads only what changed; everything when none is kept.',
  settings: {},
  exceptionCodes: CODES,
  record: { schema: itemSchema, id: stockItemId },
  rule: (items) => {
    const since = itemShopWatermark(items);
    const search = since === undefined ? '' : stockQuery({ since })['ItemShops.timeStamp']!;
    return { outcomes: items.map(() => passMany([])), write: { item_shops_time_stamp: search } };
  },
});
