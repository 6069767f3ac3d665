/**
 * lightspeed-x-inventory-request: the body of the X-Series stock flow's first ListInventoryRecords page (POST
 * /2026-07/inventory, inventoryRequest in connectors/lightspeed-x/stock-reader.ts), so that a run reads only the
 * inventory records changed since the last: `after` = the highest `version` of the records the flow kept (flow cache
 * `stock-state`, key `kept`, written by lightspeed-x-stock-levels with keep_records=yes). No record kept (the
 * first run, or a cache Patchworks cleared: best effort, up to 7 days) leaves `after` out: every record is read.
 * X-Series pages by version cursor, `after` = "the lower limit for the version numbers to be included", oldest first
 * (https://x-series-api.lightspeedhq.com/docs/pagination; official `InventoryRequest`); the pagination script
 * lightspeed-x-inventory-pages reads the pages after this one.
 *
 * Input: the kept records (`version`, decimal text or a JSON number). Output: `requests`, the one body, for a
 * flow-control shape of size 1 to send; the records go no further. A kept version over 2^53 - 1 throws: the body's
 * `after` is a JSON number and a rounded one could skip records.
 */
import * as z from 'zod';
import {
  INVENTORY_MAX_PAGE_SIZE,
  inventoryRecordId,
  inventoryRequest,
  isLaterVersion,
  versionText,
} from '../../connectors/lightspeed-x/stock-reader.js';
import { countSetting } from '../../runtime/settings.js';
import { defineStep, passMany, type ExceptionCode } from '../../runtime/step.js';

const CODES = {} as const satisfies Record<string, ExceptionCode>;

/** A kept record: only its `version` is read (lightspeed-x-stock-levels wrote it). */
const recordSchema = z.looseObject({});

export const step = defineStep({
  key: 'lightspeed-x-inventory-request',
  title: 'Lightspeed X-Series inventory request',
  purpose:
    "Writes the body of the X-Series stock flow's first inventory read: after the highest version of the inventory " +
    'records it kept, so the run reads only what changed; everything when nothing is kept.',
  settings: {
    inventory_page_size: countSetting({
      description:
        `Inventory records per page from X-Series (POST /inventory, size: a whole number from 1 to ` +
        `${INVENTORY_MAX_PAGE_SIZE}, the most it gives). Every page is read (the lightspeed-x-inventory-pages ` +
        'pagination script) from the highest version kept from the last run (none kept: from the start); a smaller ' +
        'page only means more requests.',
      default: INVENTORY_MAX_PAGE_SIZE,
    }),
  },
  exceptionCodes: CODES,
  record: { schema: recordSchema, id: inventoryRecordId },
  rule: (records, settings) => {
    let highest: string | undefined;
    for (const record of records) {
      const version = versionText(record.version);
      if (version !== undefined && (highest === undefined || isLaterVersion(version, highest))) highest = version;
    }
    if (highest !== undefined && !Number.isSafeInteger(Number(highest)))
      throw new RangeError(
        `lightspeed-x-inventory-request: the kept version ${highest} is over 2^53 - 1, which the body's after cannot ` +
          'hold exactly',
      );
    const request = inventoryRequest({
      after: highest === undefined ? undefined : Number(highest),
      size: settings.inventory_page_size,
    });
    return { outcomes: records.map(() => passMany([])), write: { requests: [request] } };
  },
});
